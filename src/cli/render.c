/*
 * render.c: `strikemap render CLAIMS... -o OUT.png|.svg|.pdf`: load the
 * claims, check the pairs to draw, and write the map (strikemap/map.h does
 * all of it; this file reads options and prints).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char *g_help_head =
    "Usage: strikemap render [options] CLAIMS... [-o OUT.png|OUT.svg|OUT.pdf]\n"
    "\n"
    "Draw the claims on a map: the basemap (countries, coastline, places), strikes,\n"
    "aircraft fixes and tracks, bases, geodesic reach and combat-radius rings, a line\n"
    "from each checked fix to its strike coloured by verdict, labels, and the\n"
    "furniture (title, legend, scale bar, north arrow, graticule, inset, attribution).\n"
    "A PNG comes with a world file (OUT.pgw) and its CRS (OUT.png.aux.xml).\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE       .png, .svg or .pdf (default: output/<first claims file>.png)\n"
    "      --size WxH          PNG size in pixels (default 2000x1500)\n"
    "      --dpi N             pixels per inch: sets the size of text and symbols (default 200)\n"
    "      --bbox W,S,E,N      area to show, degrees (default: fit the claims with a margin)\n"
    "      --crs CRS           any CRS PROJ knows (default: oblique stereographic centred\n"
    "                          on the map)\n"
    "      --title TEXT        title (default: from the claims; \"\" for none)\n"
    "      --subtitle TEXT     subtitle (default: counts, dates, verdicts; \"\" for none)\n"
    "      --style FILE        colours, widths, sizes, fonts (key = value; docs/render.md)\n"
    "      --strike ID         draw one strike, the aircraft of its pairs and their bases\n"
    "      --where EXPR        draw the strikes EXPR holds for (and their aircraft, bases):\n"
    "                          FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT joined by \"and\";\n"
    "                          FIELD: id label claimed_by source notes grading weapon\n"
    "                          attributed_to (e.g. --where \"grading=confirmed\")\n"
    "      --theme NAME        light (default), dark or print: every colour and box\n"
    "      --no-aircraft       leave out fixes, tracks, verdict lines, reach and radius\n"
    "                          rings (the extent, title and subtitle follow what is drawn)\n"
    "      --in-memory         hold every strike in memory (by default strikes are read\n"
    "                          as a stream, in passes, and memory does not grow with\n"
    "                          them; the map is the same)\n";
/* (two strings: one would pass the 4,095 characters C requires compilers
 * to take) */
static const char *g_help_model =
    "Which pairs are drawn and the model, as for check:\n" CLI_MODEL_HELP CLI_LOAD_HELP
    "  -h, --help              this help\n"
    "\n"
    "Leave parts out with --no-PART, PART one of:\n ";

static void help(FILE *out)
{
    fputs(g_help_head, out);
    fputs(g_help_model, out);
    const char *name;
    unsigned part;
    size_t col = 1;
    for (size_t i = 0; (name = sm_map_part_name(i, &part)) != NULL; i++) {
        if (!sm_map_part_is_default(part))
            continue;
        if (col + strlen(name) + 2 > 78) {
            fputs("\n ", out);
            col = 1;
        }
        col += (size_t)fprintf(out, " %s", name);
    }
    fputs("\nDraw a part not drawn by default with --PART:\n", out);
    for (size_t i = 0; (name = sm_map_part_name(i, &part)) != NULL; i++)
        if (!sm_map_part_is_default(part))
            fprintf(out, "  --%-21s %s\n", name, sm_map_part_about(part));
    fputs("\nExit status: 0 written, 2 bad input or usage (no file written).\n", out);
}

/* The library names the fields of its options ("options.bbox"); the
 * command's user knows them as its flags. */
static const struct {
    const char *field, *flag;
} g_flags[] = {
    {"options.width_px and options.height_px", "--size"},
    {"options.width_px", "--size"},
    {"options.height_px", "--size"},
    {"options.dpi", "--dpi"},
    {"options.bbox", "--bbox"},
    {"options.crs", "--crs"},
    {"options.title", "--title"},
    {"options.subtitle", "--subtitle"},
    {"options.style_path", "--style"},
    {"options.basemap_dir", "--basemap"},
    {"options.strike_id", "--strike"},
    {"options.where", "--where"},
    {"options.theme", "--theme"},
    {"path", "-o"},
};

/* s with every field name of g_flags replaced by its flag (caller frees);
 * NULL when out of memory. */
static char *with_flags(const char *s)
{
    size_t cap = strlen(s) + 1, len = 0;
    char *out = malloc(cap);
    while (out != NULL && *s) {
        size_t k = 0, n = 0;
        for (k = 0; k < sizeof(g_flags) / sizeof(g_flags[0]); k++) {
            n = strlen(g_flags[k].field);
            /* whole words only ("path" inside a sentence stays) */
            if (strncmp(s, g_flags[k].field, n) == 0 && strncmp(s, "options.", 8) == 0)
                break;
        }
        const char *put = k < sizeof(g_flags) / sizeof(g_flags[0]) ? g_flags[k].flag : s;
        size_t pl = k < sizeof(g_flags) / sizeof(g_flags[0]) ? strlen(put) : 1;
        if (len + pl + 1 > cap) {
            cap = 2 * cap + pl;
            char *t = realloc(out, cap);
            if (t == NULL) {
                free(out);
                return NULL;
            }
            out = t;
        }
        memcpy(out + len, put, pl);
        len += pl;
        s += k < sizeof(g_flags) / sizeof(g_flags[0]) ? n : 1;
    }
    if (out != NULL)
        out[len] = '\0';
    return out;
}

/* cli_print_diags, with the map's option fields named by their flags. */
static void print_diags(sm_ctx *ctx)
{
    for (size_t i = 0; i < sm_ctx_diag_count(ctx); i++) {
        sm_diag d = *sm_ctx_diag(ctx, i);
        for (size_t k = 0; d.field != NULL && k < sizeof(g_flags) / sizeof(g_flags[0]); k++)
            if (strcmp(d.field, g_flags[k].field) == 0) {
                d.field = g_flags[k].flag;
                break;
            }
        char *msg = d.message != NULL ? with_flags(d.message) : NULL;
        if (msg != NULL)
            d.message = msg;
        char *line = sm_diag_format_new(&d);
        fprintf(stderr, "%s: %s: %s\n", sm_cli_prog,
                d.severity == SM_SEV_ERROR ? "error" : "warning",
                line != NULL ? line : (d.message != NULL ? d.message : "out of memory"));
        sm_string_free(line);
        free(msg);
    }
    if (sm_ctx_diag_dropped(ctx) > 0)
        fprintf(stderr, "%s: ... and %zu more messages not shown\n", sm_cli_prog,
                sm_ctx_diag_dropped(ctx));
    sm_ctx_diag_clear(ctx);
}

enum {
    OPT_SIZE = 0x200,
    OPT_DPI,
    OPT_BBOX,
    OPT_CRS,
    OPT_TITLE,
    OPT_SUBTITLE,
    OPT_STYLE,
    OPT_NO_AIRCRAFT,
    OPT_STRIKE,
    OPT_WHERE,
    OPT_THEME,
    OPT_IN_MEMORY,
    OPT_NO_PART = 0x300
};

static void progress(void *user, const char *stage, double fraction)
{
    (void)user;
    fprintf(stderr, "\r%s render: %-12s %3.0f%%", sm_cli_prog, stage, fraction * 100);
    if (fraction >= 1)
        fputc('\n', stderr);
    fflush(stderr);
}

static bool parse_size(const char *arg, int *w, int *h)
{
    char *end;
    long a = strtol(arg, &end, 10);
    if (end == arg || (*end != 'x' && *end != 'X'))
        return false;
    const char *p = end + 1;
    long b = strtol(p, &end, 10);
    if (end == p || *end != '\0' || a < 16 || b < 16 || a > 30000 || b > 30000)
        return false;
    *w = (int)a;
    *h = (int)b;
    return true;
}

/* output/<basename of the first claims file without extension>.png */
static char *default_output(const char *claims)
{
    const char *base = strrchr(claims, '/');
    base = base ? base + 1 : claims;
    size_t len = strcspn(base, ".");
    if (len == 0)
        len = strlen(base);
    char *out = malloc(len + 16);
    if (out == NULL)
        return NULL;
    snprintf(out, len + 16, "output/%.*s.png", (int)len, base);
    return out;
}

/* One option of getopt_long's: -1 when taken, else the exit status. */
static int take_option(int c, sm_map_options *mo, cli_load *load, const char **output,
                       bool *in_memory)
{
    unsigned part;
    switch (c) {
    case 'h': help(stdout); return SM_EXIT_OK;
    case 'o': *output = optarg; break;
    case OPT_SIZE:
        if (!parse_size(optarg, &mo->width_px, &mo->height_px))
            return cli_usage_error("render",
                                   "--size: \"%s\" is not WIDTHxHEIGHT in pixels "
                                   "(each 16 to 30000), e.g. 2000x1500",
                                   optarg);
        break;
    case OPT_DPI:
        if (!cli_parse_double("render", "--dpi", optarg, 10, 2400, &mo->dpi))
            return SM_EXIT_BAD;
        break;
    case OPT_BBOX:
        if (!cli_parse_bbox(optarg, mo->bbox))
            return cli_usage_error("render",
                                   "--bbox: \"%s\" is not W,S,E,N (four numbers "
                                   "in degrees, e.g. 35,34.5,41,37.5)",
                                   optarg);
        mo->has_bbox = true;
        break;
    case OPT_CRS: mo->crs = optarg; break;
    case OPT_TITLE: mo->title = optarg; break;
    case OPT_SUBTITLE: mo->subtitle = optarg; break;
    case OPT_STYLE: mo->style_path = optarg; break;
    case OPT_NO_AIRCRAFT:
        mo->hide |= SM_MAP_FIXES | SM_MAP_TRACKS | SM_MAP_VERDICTS | SM_MAP_REACH | SM_MAP_RADIUS;
        break;
    case OPT_STRIKE: mo->strike_id = optarg; break;
    case OPT_WHERE: mo->where = optarg; break;
    case OPT_THEME: mo->theme = optarg; break;
    case OPT_IN_MEMORY: *in_memory = true; break;
    default:
        if (c >= OPT_NO_PART && c < OPT_NO_PART + 64) {
            sm_map_part_name((size_t)(c - OPT_NO_PART), &part);
            if (sm_map_part_is_default(part))
                mo->hide |= part;
            else
                mo->show |= part;
            break;
        }
        {
            int m = cli_model_option("render", &mo->check, c, optarg);
            if (m < 0)
                return SM_EXIT_BAD;
            if (m > 0)
                break;
            int r = cli_load_option("render", load, c, optarg);
            if (r < 0)
                return SM_EXIT_BAD;
            if (r == 0) {
                fprintf(stderr, "%s render: try --help\n", sm_cli_prog);
                return SM_EXIT_BAD;
            }
        }
    }
    return -1;
}

/* The long options: the command's own, the model's and the loader's, and
 * a switch for each part of the map (--no-PART, or --PART for a part not
 * drawn by default). Static storage. */
static const struct option *long_options(void)
{
    static char names[64][32]; /* "no-" and a part name of map.h's table */
    static const struct option base[] = {
        CLI_LOAD_LONG_OPTIONS,
        {"output", required_argument, NULL, 'o'},
        {"size", required_argument, NULL, OPT_SIZE},
        {"dpi", required_argument, NULL, OPT_DPI},
        {"bbox", required_argument, NULL, OPT_BBOX},
        {"crs", required_argument, NULL, OPT_CRS},
        {"title", required_argument, NULL, OPT_TITLE},
        {"subtitle", required_argument, NULL, OPT_SUBTITLE},
        {"style", required_argument, NULL, OPT_STYLE},
        {"no-aircraft", no_argument, NULL, OPT_NO_AIRCRAFT},
        {"strike", required_argument, NULL, OPT_STRIKE},
        {"where", required_argument, NULL, OPT_WHERE},
        {"theme", required_argument, NULL, OPT_THEME},
        {"in-memory", no_argument, NULL, OPT_IN_MEMORY},
        CLI_MODEL_LONG_OPTIONS,
        {"help", no_argument, NULL, 'h'},
    };
    enum { N_BASE = sizeof(base) / sizeof(base[0]) };
    static struct option longopts[N_BASE + 64];
    size_t nl = 0;
    for (size_t i = 0; i < N_BASE && base[i].name != NULL; i++)
        longopts[nl++] = base[i];
    unsigned part;
    for (size_t i = 0; sm_map_part_name(i, &part) != NULL && i < 48; i++) {
        const char *pname = sm_map_part_name(i, NULL);
        /* --no-PART for what is drawn by default, --PART for the rest */
        snprintf(names[i], sizeof(names[i]), "%s%s", sm_map_part_is_default(part) ? "no-" : "",
                 pname);
        longopts[nl].name = names[i];
        longopts[nl].has_arg = no_argument;
        longopts[nl].flag = NULL;
        longopts[nl].val = OPT_NO_PART + (int)i;
        nl++;
    }
    memset(&longopts[nl], 0, sizeof(longopts[nl]));
    return longopts;
}

int cmd_render(int argc, char **argv)
{
    const struct option *longopts = long_options();

    cli_load load;
    memset(&load, 0, sizeof(load));
    sm_map_options mo;
    sm_map_options_init(&mo);
    const char *output = NULL;
    bool in_memory = false;
    optind = 1;
    for (;;) {
        int c = getopt_long(argc, argv, "o:h", longopts, NULL);
        if (c == -1)
            break;
        int r = take_option(c, &mo, &load, &output, &in_memory);
        if (r >= 0)
            return r;
    }
    if (optind >= argc)
        return cli_usage_error("render", "no claim files given (try --help)");
    mo.basemap_dir = load.options.basemap_dir;
    mo.check.fallback_speed_kmh = load.options.fallback_speed_kmh;

    char *def_out = NULL;
    if (output == NULL) {
        def_out = default_output(argv[optind]);
        if (def_out == NULL)
            return SM_EXIT_BAD;
        output = def_out;
        if (mkdir("output", 0777) != 0 && errno != EEXIST) {
            int r =
                cli_usage_error("render", "cannot make the folder output/: %s", strerror(errno));
            free(def_out);
            return r;
        }
    }
    if (output[0] == '\0') {
        free(def_out);
        return cli_usage_error("render", "-o: the output file name is empty");
    }
    const char *oslash = strrchr(output, '/');
    const char *dot = strrchr(oslash ? oslash + 1 : output, '.');
    bool known = false;
    static const char *const formats[] = {".png", ".svg", ".pdf", ".PNG", ".SVG", ".PDF"};
    for (size_t i = 0; dot != NULL && i < sizeof(formats) / sizeof(formats[0]); i++)
        known = known || strcmp(dot, formats[i]) == 0;
    if (!known) {
        int r = cli_usage_error("render",
                                "-o %s: the extension picks the format: .png, .svg "
                                "or .pdf",
                                output);
        free(def_out);
        return r;
    }
    /* A PNG's side files: OUT.pgw (the extension's first and last letters
     * and "w") and OUT.png.aux.xml. */
    char pgw[5] = {'.', dot[1], 'g', 'w', '\0'};
    const char *png_sides[] = {pgw, "+.aux.xml", NULL};
    bool png = strcasecmp(dot, ".png") == 0;
    cli_inputs in = {argv + optind, argc - optind, &load, NULL, NULL, mo.style_path};
    if (!cli_check_output("render", output, png ? png_sides : NULL, &in)) {
        free(def_out);
        return SM_EXIT_BAD;
    }

    sm_ctx *ctx = cli_ctx_new("render");
    if (ctx == NULL) {
        free(def_out);
        return SM_EXIT_BAD;
    }
    /* Strikes stream: the map reads them in passes from a temporary file
     * (memory does not grow with them); --in-memory holds them. */
    sm_claims *claims = NULL;
    sm_claims_stream *stream = NULL;
    if (in_memory)
        claims = cli_load_claims("render", ctx, &load, argv + optind, argc - optind);
    else
        stream = cli_open_stream("render", ctx, &load, argv + optind, argc - optind);
    if (claims == NULL && stream == NULL) {
        fprintf(stderr, "%s render: nothing written\n", sm_cli_prog);
        sm_ctx_free(ctx);
        free(def_out);
        return SM_EXIT_BAD;
    }
    if (isatty(STDERR_FILENO))
        mo.progress = progress;
    sm_status st = stream != NULL ? sm_map_render_stream(ctx, stream, &mo, output)
                                  : sm_map_render_file(ctx, claims, NULL, &mo, output);
    if (st != SM_OK && mo.progress != NULL)
        fputc('\n', stderr);
    print_diags(ctx);
    if (st != SM_OK)
        fprintf(stderr, "%s render: %s; nothing written\n", sm_cli_prog, sm_status_str(st));
    else if (mo.progress != NULL)
        fprintf(stderr, "%s render: wrote %s\n", sm_cli_prog, output);
    sm_claims_free(claims);
    sm_claims_stream_free(stream);
    sm_ctx_free(ctx);
    free(def_out);
    return st == SM_OK ? SM_EXIT_OK : SM_EXIT_BAD;
}
