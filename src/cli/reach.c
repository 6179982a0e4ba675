/*
 * reach.c: `strikemap reach`: the area an aircraft type can reach from a
 * point, as a GeoJSON geodesic circle (split at the antimeridian, closed
 * round a pole).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static const char *g_help =
    "Usage: strikemap reach --type TYPE --from LON,LAT [options]\n"
    "\n"
    "Write the area TYPE can reach from LON,LAT (degrees, longitude first) as a\n"
    "GeoJSON polygon: a true geodesic circle on WGS84. With --minutes, the radius is\n"
    "max speed x minutes + weapon range; without, combat radius + weapon range (the\n"
    "area it can strike from a base at LON,LAT without refuelling).\n"
    "\n"
    "Options:\n"
    "  -t, --type TYPE         aircraft type (names and aliases of the aircraft table)\n"
    "      --from LON,LAT      the starting point\n"
    "  -m, --minutes N         flying time available\n"
    "  -w, --weapon NAME       weapon (default: the type's longest-range default weapon;\n"
    "                          'none' for no weapon)\n"
    "      --step DEG          azimuth step between vertices (default 1)\n"
    "  -o, --output FILE       GeoJSON file, .geojson or .json (default and -: standard\n"
    "                          output); a .png, .svg or .pdf name draws the area on a\n"
    "                          map instead\n"
    "      --aircraft FILE     aircraft table\n"
    "      --weapons FILE      weapons table\n"
    "      --speed KMH         max speed when TYPE is not in the table\n"
    "  -h, --help              this help\n";


/* A JSON string of any length (control characters dropped). */
static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        if ((unsigned char)*s < 0x20)
            continue;
        fputc(*s, f);
    }
    fputc('"', f);
}

/* A JSON number with decimals, exponent form for magnitudes no decimals
 * can hold; null when not finite. */
static void json_num(FILE *f, double v, int decimals)
{
    if (!isfinite(v))
        fputs("null", f);
    else if (fabs(v) >= 1e15)
        fprintf(f, "%.17g", v);
    else
        fprintf(f, "%.*f", decimals, v);
}

/* printf into a new string; NULL when out of memory. */
static char *strfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *strfmt(const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n < 0 ? NULL : malloc((size_t)n + 1);
    if (s != NULL)
        vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

int cmd_reach(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"type", required_argument, NULL, 't'},    {"from", required_argument, NULL, 0x301},
        {"minutes", required_argument, NULL, 'm'}, {"weapon", required_argument, NULL, 'w'},
        {"step", required_argument, NULL, 0x302},  {"output", required_argument, NULL, 'o'},
        {"aircraft", required_argument, NULL, 0x101},
        {"weapons", required_argument, NULL, 0x102},
        {"speed", required_argument, NULL, 0x103}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *type = NULL, *from = NULL, *weapon = NULL, *out = NULL;
    const char *aircraft_table = NULL, *weapons_table = NULL;
    double minutes = (double)NAN, step = 1, speed = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "ht:m:w:o:", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(g_help, stdout); return SM_EXIT_OK;
        case 't': type = optarg; break;
        case 0x301: from = optarg; break;
        case 'm':
            if (!cli_parse_double("reach", "--minutes", optarg, 0, 1e6, &minutes))
                return SM_EXIT_BAD;
            break;
        case 'w': weapon = optarg; break;
        case 0x302:
            if (!cli_parse_double("reach", "--step", optarg, 0.01, 45, &step))
                return SM_EXIT_BAD;
            break;
        case 'o': out = optarg; break;
        case 0x101: aircraft_table = optarg; break;
        case 0x102: weapons_table = optarg; break;
        case 0x103:
            if (!cli_parse_double("reach", "--speed", optarg, 1, 50000, &speed))
                return SM_EXIT_BAD;
            break;
        default: fputs(g_help, stderr); return SM_EXIT_BAD;
        }
    }
    if (optind < argc)
        return cli_usage_error("reach", "unexpected argument \"%s\" (try --help)", argv[optind]);
    if (type == NULL || from == NULL)
        return cli_usage_error("reach", "--type and --from are required (try --help)");
    double lon, lat;
    char *end;
    lon = strtod(from, &end);
    if (end == from || *end != ',')
        return cli_usage_error("reach", "--from: \"%s\" is not LON,LAT", from);
    const char *p = end + 1;
    lat = strtod(p, &end);
    if (end == p || *end != '\0' || !isfinite(lon) || !isfinite(lat) || fabs(lon) > 180 ||
        fabs(lat) > 90)
        return cli_usage_error("reach",
                               "--from: \"%s\" is not LON,LAT with longitude in [-180, 180] "
                               "and latitude in [-90, 90]",
                               from);
    /* The output, before any work: its extension picks what is written,
     * and it never replaces an input. */
    bool map = false;
    if (out != NULL) {
        const char *slash = strrchr(out, '/');
        const char *dot = strrchr(slash ? slash + 1 : out, '.');
        bool stdout_ = strcmp(out, "-") == 0 || strcmp(out, "/dev/stdout") == 0;
        static const char *const maps[] = {".png", ".svg", ".pdf"};
        for (size_t i = 0; dot != NULL && i < sizeof(maps) / sizeof(maps[0]); i++)
            map = map || strcasecmp(dot, maps[i]) == 0;
        static const char *const png_sides[] = {".pgw", "+.aux.xml", NULL};
        cli_inputs in = {NULL, 0, NULL, aircraft_table, weapons_table, NULL};
        if (!cli_check_output("reach", out,
                              dot != NULL && strcasecmp(dot, ".png") == 0 ? png_sides : NULL,
                              &in))
            return SM_EXIT_BAD;
        if (!stdout_ && !map && out[0] != '\0' &&
            (dot == NULL || (strcasecmp(dot, ".geojson") != 0 && strcasecmp(dot, ".json") != 0)))
            return cli_usage_error("reach",
                                   "-o %s: reach writes GeoJSON (.geojson, .json) or draws a map "
                                   "(.png, .svg, .pdf)",
                                   out);
    }
    sm_ctx *ctx = cli_ctx_new("reach");
    if (ctx == NULL)
        return SM_EXIT_BAD;
    int rc = SM_EXIT_BAD;
    sm_status st = SM_OK;
    if (aircraft_table)
        st = sm_tables_load_aircraft(ctx, aircraft_table);
    if (st == SM_OK && weapons_table)
        st = sm_tables_load_weapons(ctx, weapons_table);
    if (st == SM_OK)
        st = sm_tables_load_defaults(ctx);
    if (st != SM_OK) {
        cli_print_diags(ctx);
        fprintf(stderr, "%s reach: %s\n", sm_cli_prog, sm_status_str(st));
        sm_ctx_free(ctx);
        return SM_EXIT_BAD;
    }
    const sm_aircraft_type *t = sm_tables_find_aircraft(ctx, type);
    if (t == NULL && speed <= 0) {
        const char *sug[3];
        size_t n = sm_tables_suggest_aircraft(ctx, type, sug, 3);
        fprintf(stderr, "%s reach: --type: \"%s\" is not in the aircraft table", sm_cli_prog,
                type);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "%s\"%s\"", i == 0 ? " (did you mean " : ", ", sug[i]);
        fprintf(stderr, "%s; give --speed KMH or --aircraft FILE\n", n ? "?)" : "");
        sm_ctx_free(ctx);
        return SM_EXIT_BAD;
    }
    const sm_weapon *w = NULL;
    bool no_weapon = weapon != NULL && strcmp(weapon, "none") == 0;
    if (weapon != NULL && !no_weapon) {
        w = sm_tables_find_weapon(ctx, weapon);
        if (w == NULL) {
            const char *sug[3];
            size_t n = sm_tables_suggest_weapon(ctx, weapon, sug, 3);
            fprintf(stderr, "%s reach: --weapon: \"%s\" is not in the weapons table",
                    sm_cli_prog, weapon);
            for (size_t i = 0; i < n; i++)
                fprintf(stderr, "%s\"%s\"", i == 0 ? " (did you mean " : ", ", sug[i]);
            fprintf(stderr, "%s\n", n ? "?)" : "");
            sm_ctx_free(ctx);
            return SM_EXIT_BAD;
        }
    } else if (!no_weapon && t != NULL) {
        for (size_t i = 0; t->default_weapons && t->default_weapons[i]; i++) {
            const sm_weapon *d = sm_tables_find_weapon(ctx, t->default_weapons[i]);
            if (d != NULL && (w == NULL || d->range_km > w->range_km))
                w = d;
        }
    }
    double vmax = t ? t->max_speed_kmh : speed;
    double wr = w ? w->range_km : 0;
    double radius;
    if (isfinite(minutes)) {
        radius = vmax * minutes / 60 + wr;
    } else {
        if (t == NULL || !isfinite(t->combat_radius_km)) {
            fprintf(stderr, "%s reach: the table has no combat radius for \"%s\"; give "
                            "--minutes N\n",
                    sm_cli_prog, type);
            sm_ctx_free(ctx);
            return SM_EXIT_BAD;
        }
        radius = t->combat_radius_km + wr;
    }
    char *props = NULL;
    size_t props_len = 0;
    FILE *pf = open_memstream(&props, &props_len);
    if (pf == NULL) {
        fprintf(stderr, "%s reach: out of memory\n", sm_cli_prog);
        sm_ctx_free(ctx);
        return SM_EXIT_BAD;
    }
    fputs("{\"type\": ", pf);
    json_str(pf, t ? t->type : type);
    fputs(", \"from_lon\": ", pf);
    json_num(pf, lon, 6);
    fputs(", \"from_lat\": ", pf);
    json_num(pf, lat, 6);
    fputs(", \"minutes\": ", pf);
    if (isfinite(minutes))
        fprintf(pf, "%g", minutes);
    else
        fputs("null", pf);
    fputs(", \"max_speed_kmh\": ", pf);
    json_num(pf, vmax, 1);
    fputs(", \"combat_radius_km\": ", pf);
    json_num(pf, t != NULL ? t->combat_radius_km : (double)NAN, 1);
    fputs(", \"weapon\": ", pf);
    if (w != NULL)
        json_str(pf, w->name);
    else
        fputs("null", pf);
    fputs(", \"weapon_range_km\": ", pf);
    json_num(pf, wr, 3);
    fputs(", \"radius_km\": ", pf);
    json_num(pf, radius, 3);
    fprintf(pf, ", \"basis\": \"%s\"}",
            isfinite(minutes) ? "max speed x minutes + weapon range"
                              : "combat radius + weapon range");
    if (fclose(pf) != 0) {
        free(props);
        fprintf(stderr, "%s reach: out of memory\n", sm_cli_prog);
        sm_ctx_free(ctx);
        return SM_EXIT_BAD;
    }
    char *json = sm_reach_geojson(ctx, lon, lat, radius, step, props);
    free(props);
    if (json == NULL) {
        cli_print_diags(ctx);
        fprintf(stderr, "%s reach: nothing written\n", sm_cli_prog);
        sm_ctx_free(ctx);
        return SM_EXIT_BAD;
    }
    if (!map) {
        /* written whole (standard output for none or -) */
        st = sm_file_write(ctx, out != NULL ? out : "-", json, strlen(json));
        cli_print_diags(ctx);
        if (st == SM_OK)
            rc = SM_EXIT_OK;
        else
            fprintf(stderr, "%s reach: %s; nothing written\n", sm_cli_prog, sm_status_str(st));
    } else {
        /* The circle on a map of its own: no claims, the area as an extra
         * ring, the map fitted to it. */
        char *title = strfmt("Where a %s can reach from %.4f\xc2\xb0%c %.4f\xc2\xb0%c",
                             t ? t->type : type, fabs(lat), lat < 0 ? 'S' : 'N', fabs(lon),
                             lon < 0 ? 'W' : 'E');
        char *subtitle;
        if (isfinite(minutes))
            subtitle = strfmt("%g min at %.0f km/h%s%s%s: %.0f km, a geodesic circle on WGS84",
                              minutes, vmax, w ? " + " : "", w ? w->name : "",
                              w ? " range" : "", radius);
        else
            subtitle = strfmt("Combat radius %.0f km%s%s%s: %.0f km, a geodesic circle on WGS84",
                              t->combat_radius_km, w ? " + " : "", w ? w->name : "",
                              w ? " range" : "", radius);
        char *label = strfmt("%s: %.0f km", t ? t->type : type, radius);
        sm_map_area area = {lon, lat, radius, label};
        sm_map_options mo;
        memset(&mo, 0, sizeof(mo));
        mo.title = title;
        mo.subtitle = subtitle;
        mo.areas = &area;
        mo.n_areas = 1;
        sm_claims *none = title && subtitle && label ? sm_claims_new() : NULL;
        st = none ? sm_map_render_file(ctx, none, NULL, &mo, out) : SM_ERR_NOMEM;
        sm_claims_free(none);
        free(title);
        free(subtitle);
        free(label);
        cli_print_diags(ctx);
        if (st == SM_OK) {
            fprintf(stderr, "%s reach: wrote %s\n", sm_cli_prog, out);
            rc = SM_EXIT_OK;
        } else {
            fprintf(stderr, "%s reach: %s; nothing written\n", sm_cli_prog, sm_status_str(st));
        }
    }
    free(json);
    sm_ctx_free(ctx);
    return rc;
}
