/*
 * validate.c: `strikemap validate CLAIMS...`: lint claim files and print a
 * summary (counts by kind, time span, extent) with every error and warning.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *g_help =
    "Usage: strikemap validate [options] CLAIMS...\n"
    "\n"
    "Read claim files (GeoJSON, GeoJSONSeq, GeoPackage, CSV with lon/lat, KML, or\n"
    "anything else OGR opens), report every error and warning, and summarise the\n"
    "claim set: counts by kind, time span, extent. Exit 0 when valid, 2 otherwise.\n"
    "\n"
    "Options:\n" CLI_LOAD_HELP "  -h, --help              this help\n";

/* Strikes with a time, counted batch by batch. */
static sm_status count_timed(void *user, const sm_claims *batch)
{
    size_t *timed = user;
    for (size_t i = 0; i < sm_claims_strike_count(batch); i++)
        *timed += sm_claims_strike(batch, i)->when.known;
    return SM_OK;
}

int cmd_validate(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_LOAD_LONG_OPTIONS, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    cli_load load;
    memset(&load, 0, sizeof(load));
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(g_help, stdout);
            return SM_EXIT_OK;
        }
        if (cli_other_option("validate", &load, c, optarg, g_help) < 0)
            return SM_EXIT_BAD;
    }
    if (optind >= argc)
        return cli_usage_error("validate", "no claim files given (try --help)");
    sm_ctx *ctx = cli_ctx_new("validate");
    if (ctx == NULL)
        return SM_EXIT_BAD;
    /* The strikes stream (memory does not grow with them): the first
     * reading gives every error and warning of a feature, the second
     * those across claims (duplicate ids, attributions, positions). */
    sm_claims_stream *stream =
        cli_open_stream("validate", ctx, &load, argv + optind, argc - optind);
    size_t timed = 0;
    sm_status st =
        stream != NULL ? sm_claims_stream_run(stream, 4096, count_timed, &timed) : SM_ERR_INVALID;
    if (stream != NULL)
        cli_print_diags(ctx); /* the second pass's */
    if (st != SM_OK) {
        if (stream != NULL)
            fprintf(stderr, "%s validate: %s\n", sm_cli_prog, sm_status_str(st));
        fprintf(stderr, "%s validate: not valid\n", sm_cli_prog);
        sm_claims_stream_free(stream);
        sm_ctx_free(ctx);
        return SM_EXIT_BAD;
    }
    const sm_claims *claims = sm_claims_stream_claims(stream);
    size_t ns = sm_claims_stream_strike_count(stream), na = sm_claims_aircraft_count(claims),
           nb = sm_claims_base_count(claims), nl = sm_claims_launcher_count(claims), tracks = 0,
           fixes = 0;
    for (size_t i = 0; i < na; i++) {
        const sm_aircraft *a = sm_claims_aircraft(claims, i);
        tracks += a->is_track;
        fixes += a->n_fixes;
    }
    printf("files:     ");
    for (int i = optind; i < argc; i++)
        printf("%s%s", argv[i], i + 1 < argc ? ", " : "\n");
    printf("claims:    %zu: %zu strikes (%zu with a time), %zu aircraft (%zu tracks, %zu "
           "fixes), %zu bases, %zu launchers\n",
           ns + na + nb + nl, ns, timed, na, tracks, fixes, nb, nl);
    double first, last;
    if (sm_claims_time_span(claims, &first, &last)) {
        char a[40], b[40];
        printf("time span: %s to %s (%.1f h)\n", sm_time_format(first, 0, a, sizeof(a)),
               sm_time_format(last, 0, b, sizeof(b)), (last - first) / 3600.0);
    } else {
        printf("time span: no times\n");
    }
    double w, s, e, n;
    if (sm_claims_extent(claims, &w, &s, &e, &n))
        printf("extent:    %.5f,%.5f,%.5f,%.5f (west,south,east,north; degrees)\n", w, s, e, n);
    printf("result:    valid\n");
    sm_claims_stream_free(stream);
    sm_ctx_free(ctx);
    if (!cli_stdout_ok("validate"))
        return SM_EXIT_BAD;
    return SM_EXIT_OK;
}
