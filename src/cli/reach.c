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
    "Write the area TYPE can reach from LON,LAT (degrees, longitude first) as GeoJSON,\n"
    "by the model of `strikemap check`: with --minutes, two areas, at top speed and at\n"
    "cruise speed, the weapon's own flight time included (strikemap/model.h); without,\n"
    "what a sortie from a base at LON,LAT reaches (combat radius + weapon range). With\n"
    "--base, each area is cut to the points a sortie from that base can strike (base ->\n"
    "LON,LAT -> release point -> base within twice the combat radius). Areas are\n"
    "geodesic on WGS84, split at the antimeridian and closed over a pole.\n"
    "\n"
    "Options:\n"
    "  -t, --type TYPE         aircraft type (names and aliases of the aircraft table)\n"
    "      --from LON,LAT      the starting point\n"
    "  -m, --minutes N         flying time available\n"
    "  -w, --weapon NAME       weapon (default: the type's longest-range default weapon\n"
    "                          that --operator fields and that was in service at --time;\n"
    "                          'none' for no weapon)\n"
    "      --operator NAME     who flies it (for the default weapon)\n"
    "      --time ISO8601      when (for the default weapon's year)\n"
    "      --base LON,LAT      cut the areas to a sortie from this base\n"
    "      --step DEG          azimuth step between vertices (default 1)\n"
    "  -o, --output FILE       GeoJSON file, .geojson or .json (default and -: standard\n"
    "                          output), or KML for Google Earth (.kml, .kmz); a .png,\n"
    "                          .svg or .pdf name draws the area on a map instead\n"
    "      --aircraft FILE     aircraft table\n"
    "      --weapons FILE      weapons table\n"
    "      --speed KMH         max speed when TYPE is not in the table\n"
    "  -h, --help              this help\n";

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

/* "reach: OPT: "NAME" is not in the TABLE table (did you mean ...?)TAIL". */
static void unknown_name(const char *opt, const char *name, const char *table,
                         const char *const *sug, size_t n, const char *tail)
{
    fprintf(stderr, "%s reach: %s: \"%s\" is not in the %s table", sm_cli_prog, opt, name, table);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "%s\"%s\"", i == 0 ? " (did you mean " : ", ", sug[i]);
    fprintf(stderr, "%s%s\n", n ? "?)" : "", tail);
}

/* "LON,LAT" in degrees, in range. */
static bool parse_lonlat(const char *text, double *lon, double *lat)
{
    char *end;
    *lon = strtod(text, &end);
    if (end == text || *end != ',')
        return false;
    const char *p = end + 1;
    *lat = strtod(p, &end);
    return end != p && *end == '\0' && isfinite(*lon) && isfinite(*lat) && fabs(*lon) <= 180 &&
           fabs(*lat) <= 90;
}

int cmd_reach(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"type", required_argument, NULL, 't'},       {"from", required_argument, NULL, 0x301},
        {"minutes", required_argument, NULL, 'm'},    {"weapon", required_argument, NULL, 'w'},
        {"step", required_argument, NULL, 0x302},     {"output", required_argument, NULL, 'o'},
        {"aircraft", required_argument, NULL, 0x101}, {"weapons", required_argument, NULL, 0x102},
        {"speed", required_argument, NULL, 0x103},    {"help", no_argument, NULL, 'h'},
        {"operator", required_argument, NULL, 0x303}, {"time", required_argument, NULL, 0x304},
        {"base", required_argument, NULL, 0x305},     {NULL, 0, NULL, 0}};
    const char *type = NULL, *from = NULL, *weapon = NULL, *out = NULL;
    const char *op = NULL, *when = NULL, *base = NULL;
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
            if (!cli_parse_double("reach", "--minutes", optarg, 0, SM_MAX_TIME_UNCERTAINTY_MIN,
                                  &minutes))
                return SM_EXIT_BAD;
            break;
        case 'w': weapon = optarg; break;
        case 0x302:
            if (!cli_parse_double("reach", "--step", optarg, 0.01, 45, &step))
                return SM_EXIT_BAD;
            break;
        case 'o': out = optarg; break;
        case 0x303: op = optarg; break;
        case 0x304: when = optarg; break;
        case 0x305: base = optarg; break;
        case 0x101: aircraft_table = optarg; break;
        case 0x102: weapons_table = optarg; break;
        case 0x103:
            if (!cli_parse_double("reach", "--speed", optarg, 1, SM_MAX_SPEED_KMH, &speed))
                return SM_EXIT_BAD;
            break;
        default: fputs(g_help, stderr); return SM_EXIT_BAD;
        }
    }
    if (optind < argc)
        return cli_usage_error("reach", "unexpected argument \"%s\" (try --help)", argv[optind]);
    if (type == NULL || from == NULL)
        return cli_usage_error("reach", "--type and --from are required (try --help)");
    double lon, lat, blon = 0, blat = 0;
    if (!parse_lonlat(from, &lon, &lat))
        return cli_usage_error("reach",
                               "--from: \"%s\" is not LON,LAT with longitude in [-180, 180] "
                               "and latitude in [-90, 90]",
                               from);
    if (base != NULL && !parse_lonlat(base, &blon, &blat))
        return cli_usage_error("reach",
                               "--base: \"%s\" is not LON,LAT with longitude in [-180, 180] "
                               "and latitude in [-90, 90]",
                               base);
    sm_when at = {0};
    if (when != NULL && !sm_time_parse(when, &at))
        return cli_usage_error("reach", "--time: \"%s\" is not an ISO 8601 time", when);
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
                              dot != NULL && strcasecmp(dot, ".png") == 0 ? png_sides : NULL, &in))
            return SM_EXIT_BAD;
        if (!stdout_ && !map && out[0] != '\0' &&
            (dot == NULL || (strcasecmp(dot, ".geojson") != 0 && strcasecmp(dot, ".json") != 0 &&
                             strcasecmp(dot, ".kml") != 0 && strcasecmp(dot, ".kmz") != 0)))
            return cli_usage_error("reach",
                                   "-o %s: reach writes GeoJSON (.geojson, .json), KML (.kml, "
                                   ".kmz) or draws a map (.png, .svg, .pdf)",
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
    if (sm_tables_find_aircraft(ctx, type) == NULL && speed <= 0) {
        const char *sug[3];
        unknown_name("--type", type, "aircraft", sug, sm_tables_suggest_aircraft(ctx, type, sug, 3),
                     "; give --speed KMH or --aircraft FILE");
        sm_ctx_free(ctx);
        return SM_EXIT_BAD;
    }
    if (weapon != NULL && strcmp(weapon, "none") != 0 &&
        sm_tables_find_weapon(ctx, weapon) == NULL) {
        const char *sug[3];
        unknown_name("--weapon", weapon, "weapons", sug,
                     sm_tables_suggest_weapon(ctx, weapon, sug, 3), "");
        sm_ctx_free(ctx);
        return SM_EXIT_BAD;
    }
    /* The model is the library's (the same as check's): this command only
     * asks and writes. */
    sm_reach_options ro;
    sm_reach_options_init(&ro);
    ro.type = type;
    ro.fallback_speed_kmh = speed;
    ro.lon = lon;
    ro.lat = lat;
    ro.minutes = minutes;
    ro.weapon = weapon;
    ro.operator_name = op;
    ro.time = at.known ? at.start : (double)NAN;
    ro.has_base = base != NULL;
    ro.base_lon = blon;
    ro.base_lat = blat;
    sm_reach_result rr;
    st = sm_reach_compute(ctx, &ro, &rr);
    if (st != SM_OK) {
        cli_print_diags(ctx);
        sm_ctx_free(ctx);
        return SM_EXIT_BAD;
    }
    const sm_aircraft_type *t = rr.type;
    const sm_weapon *w = rr.weapon;
    double vmax = rr.max_speed_kmh;
    double radius = isfinite(minutes) ? rr.top_km : rr.sortie_km;
    if (!isfinite(minutes) && !isfinite(rr.sortie_km)) {
        fprintf(stderr,
                "%s reach: the table has no combat radius for \"%s\"; give "
                "--minutes N\n",
                sm_cli_prog, type);
        sm_ctx_free(ctx);
        return SM_EXIT_BAD;
    }
    if (map && base != NULL) {
        fprintf(stderr,
                "%s reach: a map of an area cut by --base is not drawn; write it as "
                "GeoJSON (-o FILE.geojson) and open it in QGIS\n",
                sm_cli_prog);
        sm_ctx_free(ctx);
        return SM_EXIT_BAD;
    }
    char *json = sm_reach_area_geojson(ctx, &ro, step);
    if (json == NULL) {
        cli_print_diags(ctx);
        fprintf(stderr, "%s reach: nothing written\n", sm_cli_prog);
        sm_ctx_free(ctx);
        return SM_EXIT_BAD;
    }
    if (!map) {
        /* written whole (standard output for none or -); .kml and .kmz
         * through GDAL's LIBKML driver */
        st = sm_reach_write(ctx, &ro, step, out != NULL ? out : "-");
        cli_print_diags(ctx);
        if (st == SM_OK)
            rc = SM_EXIT_OK;
        else
            fprintf(stderr, "%s reach: %s; nothing written\n", sm_cli_prog, sm_status_str(st));
    } else {
        /* The circle on a map of its own: no claims, the area as an extra
         * ring, the map fitted to it. */
        char *title =
            strfmt("Where a %s can reach from %.4f\xc2\xb0%c %.4f\xc2\xb0%c", t ? t->type : type,
                   fabs(lat), lat < 0 ? 'S' : 'N', fabs(lon), lon < 0 ? 'W' : 'E');
        char *subtitle;
        if (isfinite(minutes))
            subtitle =
                strfmt("%g min at %.0f km/h%s%s%s: %.0f km, a geodesic circle on WGS84", minutes,
                       vmax, w ? " + " : "", w ? w->name : "", w ? " range" : "", radius);
        else
            subtitle = strfmt("Combat radius %.0f km%s%s%s: %.0f km, a geodesic circle on WGS84",
                              t->combat_radius_km, w ? " + " : "", w ? w->name : "",
                              w ? " range" : "", radius);
        char *label = strfmt("%s: %.0f km", t ? t->type : type, radius);
        sm_map_area area = {lon, lat, radius, label};
        sm_map_options mo;
        sm_map_options_init(&mo);
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
