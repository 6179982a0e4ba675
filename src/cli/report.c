/*
 * report.c: `strikemap report CLAIMS... -o report.pdf|report.html`: a
 * document a newsroom can publish (strikemap/report.h does the work).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static const char *g_help =
    "Usage: strikemap report [options] CLAIMS... -o REPORT.pdf|REPORT.html\n"
    "\n"
    "Write a report a newsroom can publish: the map, the verdict table, each claim\n"
    "with its source, and the method. A PDF has a title page with the map (vector),\n"
    "the verdicts over as many pages as they need, the claims and the method, fonts\n"
    "embedded. An HTML report is one self-contained file (the map inline, clickable;\n"
    "a sortable verdict table) that needs no network and reads without JavaScript.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE       .pdf or .html (required)\n"
    "      --paper SIZE        a4 (default) or letter, for a PDF\n"
    "      --title TEXT        title (default: \"Could the claimed aircraft have made\n"
    "                          these strikes?\")\n"
    "      --subtitle TEXT     subtitle (default: the claims' dates)\n"
    "      --bbox W,S,E,N      map area, degrees (default: fit the claims)\n"
    "      --crs CRS           map CRS, anything PROJ knows (default: local)\n"
    "      --style FILE        map style (key = value; docs/render.md)\n"
    "Which pairs and the model, as for check:\n" CLI_MODEL_HELP CLI_LOAD_HELP
    "  -h, --help              this help\n"
    "\n"
    "Exit status: 0 written, 2 bad input or usage (no file written).\n";

int cmd_report(int argc, char **argv)
{
    static const struct option longopts[] = {CLI_LOAD_LONG_OPTIONS,
                                             {"output", required_argument, NULL, 'o'},
                                             {"paper", required_argument, NULL, 0x401},
                                             {"title", required_argument, NULL, 0x402},
                                             {"subtitle", required_argument, NULL, 0x403},
                                             {"bbox", required_argument, NULL, 0x404},
                                             {"crs", required_argument, NULL, 0x405},
                                             {"style", required_argument, NULL, 0x406},
                                             CLI_MODEL_LONG_OPTIONS,
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    cli_load load;
    memset(&load, 0, sizeof(load));
    sm_report_options ro;
    memset(&ro, 0, sizeof(ro));
    const char *out = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(g_help, stdout); return SM_EXIT_OK;
        case 'o': out = optarg; break;
        case 0x401:
            if (!sm_paper_parse(optarg, &ro.paper))
                return cli_usage_error("report", "--paper: \"%s\" is not a4 or letter", optarg);
            break;
        case 0x402: ro.title = optarg; break;
        case 0x403: ro.subtitle = optarg; break;
        case 0x404:
            if (!cli_parse_bbox(optarg, ro.map.bbox))
                return cli_usage_error("report", "--bbox: \"%s\" is not W,S,E,N in degrees",
                                       optarg);
            ro.map.has_bbox = true;
            break;
        case 0x405: ro.map.crs = optarg; break;
        case 0x406: ro.map.style_path = optarg; break;
        default: {
            int m = cli_model_option("report", &ro.check, c, optarg);
            if (m < 0)
                return SM_EXIT_BAD;
            if (m == 0 && cli_other_option("report", &load, c, optarg, g_help) < 0)
                return SM_EXIT_BAD;
        }
        }
    }
    if (optind >= argc)
        return cli_usage_error("report", "no claim files given (try --help)");
    if (out == NULL)
        return cli_usage_error("report", "-o REPORT.pdf or -o REPORT.html is required");
    if (out[0] == '\0')
        return cli_usage_error("report", "-o: the output file name is empty");
    const char *oslash = strrchr(out, '/');
    const char *dot = strrchr(oslash ? oslash + 1 : out, '.');
    if (dot == NULL || (strcasecmp(dot, ".pdf") != 0 && strcasecmp(dot, ".html") != 0 &&
                        strcasecmp(dot, ".htm") != 0))
        return cli_usage_error("report", "-o %s: a report is a .pdf or a .html file", out);
    cli_inputs in = {argv + optind, argc - optind, &load, NULL, NULL, ro.map.style_path};
    if (!cli_check_output("report", out, NULL, &in))
        return SM_EXIT_BAD;
    ro.check.fallback_speed_kmh = load.options.fallback_speed_kmh;
    ro.map.basemap_dir = load.options.basemap_dir;
    sm_ctx *ctx = cli_ctx_new("report");
    if (ctx == NULL)
        return SM_EXIT_BAD;
    sm_claims *claims = cli_load_claims("report", ctx, &load, argv + optind, argc - optind);
    if (claims == NULL) {
        sm_ctx_free(ctx);
        return SM_EXIT_BAD;
    }
    sm_status st = sm_report_write(ctx, claims, NULL, &ro, out);
    cli_print_diags(ctx);
    if (st == SM_OK)
        fprintf(stderr, "%s report: wrote %s\n", sm_cli_prog, out);
    else
        fprintf(stderr, "%s report: %s; nothing written\n", sm_cli_prog, sm_status_str(st));
    sm_claims_free(claims);
    sm_ctx_free(ctx);
    return st == SM_OK ? SM_EXIT_OK : SM_EXIT_BAD;
}
