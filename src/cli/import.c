/*
 * import.c: `strikemap import --profile P TABLE -o claims.geojson|.gpkg`:
 * read a published table (ACLED, Airwars, UCDP GED, OpenSky, or any CSV by
 * --map) through its profile and write the claims it holds as a claim file
 * to edit in QGIS (SPEC §7). Rows left out are named on stderr and counted.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *g_help =
    "Usage: strikemap import [--profile NAME] [options] TABLE -o CLAIMS\n"
    "\n"
    "Read a published table as it is (an ACLED export, an Airwars incident table, a\n"
    "UCDP GED file, OpenSky state vectors, or any CSV whose columns --map names) and\n"
    "write its claims as a claim file: GeoJSON (.geojson, or - for standard output)\n"
    "or GeoPackage (.gpkg). Rows without coordinates or with values that cannot be\n"
    "read are left out, each named on stderr, and counted. Exit 0 when written, 2\n"
    "otherwise (nothing written).\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE       the claim file to write (required)\n" CLI_LOAD_HELP
    "      --max-gap DURATION  same as --sortie-gap\n"
    "  -h, --help              this help\n";

int cmd_import(int argc, char **argv)
{
    static const struct option longopts[] = {CLI_LOAD_LONG_OPTIONS,
                                             {"output", required_argument, NULL, 'o'},
                                             {"max-gap", required_argument, NULL, 0x184},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    cli_load load;
    memset(&load, 0, sizeof(load));
    const char *out = NULL;
    sm_check_options model;
    memset(&model, 0, sizeof(model));
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(g_help, stdout);
            return SM_EXIT_OK;
        }
        if (c == 'o') {
            out = optarg;
            continue;
        }
        if (c == 0x184) {
            if (cli_model_option("import", &model, c, optarg) < 0)
                return SM_EXIT_BAD;
            continue;
        }
        if (cli_other_option("import", &load, c, optarg, g_help) < 0)
            return SM_EXIT_BAD;
    }
    if (optind >= argc)
        return cli_usage_error("import", "no table given (try --help)");
    if (optind + 1 < argc)
        return cli_usage_error("import", "one table at a time; %d given (try --help)",
                               argc - optind);
    if (out == NULL)
        return cli_usage_error("import", "no output given; expected -o claims.geojson or "
                                         "claims.gpkg (try --help)");
    cli_inputs in = {argv + optind, 1, &load, NULL, NULL, NULL};
    if (!cli_check_output("import", out, NULL, &in))
        return SM_EXIT_BAD;
    sm_ctx *ctx = cli_ctx_new("import");
    if (ctx == NULL)
        return SM_EXIT_BAD;
    sm_status st = cli_load_tables("import", ctx, &load);
    size_t n = 0;
    if (st == SM_OK) {
        st = sm_claims_import(ctx, argv[optind], &load.options, out, &n);
        cli_print_diags(ctx);
    }
    if (st != SM_OK) {
        fprintf(stderr, "%s import: %s; nothing written\n", sm_cli_prog, sm_status_str(st));
        sm_ctx_free(ctx);
        return SM_EXIT_BAD;
    }
    if (strcmp(out, "-") != 0 && strcmp(out, "/dev/stdout") != 0)
        fprintf(stderr, "%s import: %zu claims written to %s\n", sm_cli_prog, n, out);
    sm_ctx_free(ctx);
    return SM_EXIT_OK;
}
