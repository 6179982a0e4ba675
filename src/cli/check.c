/*
 * check.c: `strikemap check CLAIMS...`: the verdict of each strike/aircraft
 * pair, as a table, JSON, CSV, GeoJSON or GeoPackage.
 */
#include <ctype.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

static const char *g_help =
    "Usage: strikemap check [options] CLAIMS...\n"
    "\n"
    "Could each claimed aircraft or launcher have made each strike? For every pair:\n"
    "the geodesic distance on WGS84, the time available, the speed needed (the\n"
    "weapon's own flight included) against the type's cruise and top speed, the\n"
    "sortie from its base against its combat radius, a launcher's weapon range, and\n"
    "a verdict: plausible, marginal, implausible or unknown, with the test that\n"
    "decided it.\n"
    "\n"
    "Which pairs (default: what each strike's claimant attributes it to) and the\n"
    "model (see README \"The model\"):\n" CLI_MODEL_HELP CLI_LOAD_HELP "Output:\n"
    "  -f, --format FORMAT     text (default), json, csv, geojson, gpkg, kml, kmz, pg;\n"
    "                          with -o the file's extension (.txt, .json, .csv,\n"
    "                          .geojson, .gpkg, .kml, .kmz) picks it and must agree\n"
    "  -o, --output FILE       write there (written whole, then renamed into place;\n"
    "                          a symlink is written through; - is standard output);\n"
    "                          PG:CONNECTION writes to PostGIS: the table \"verdicts\"\n"
    "                          (or tables=NAME) replaced in one transaction\n"
    "      --fail-on VERDICT   exit 1 if any pair is implausible (or marginal: marginal\n"
    "                          or worse)\n"
    "      --count             print the summary only (counts by verdict), no pairs\n"
    "      --in-memory         hold every strike in memory (by default strikes are read\n"
    "                          as a stream, in batches, for every format but text; the\n"
    "                          output is the same)\n"
    "  -h, --help              this help\n"
    "\n"
    "Exit status: 0 ran, 1 --fail-on matched, 2 bad input or usage.\n";

int cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {CLI_LOAD_LONG_OPTIONS,
                                             CLI_MODEL_LONG_OPTIONS,
                                             {"format", required_argument, NULL, 'f'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"fail-on", required_argument, NULL, 0x206},
                                             {"count", no_argument, NULL, 0x208},
                                             {"in-memory", no_argument, NULL, 0x209},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    cli_load load;
    memset(&load, 0, sizeof(load));
    sm_check_options opt;
    sm_check_options_init(&opt);
    sm_format format = SM_FORMAT_TEXT;
    bool format_given = false;
    const char *out_path = NULL;
    sm_verdict fail_on = SM_VERDICT_UNKNOWN;
    bool count_only = false, in_memory = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hf:o:", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(g_help, stdout); return SM_EXIT_OK;
        case 'f':
            if (!sm_format_parse(optarg, &format))
                return cli_usage_error("check",
                                       "--format: \"%s\" is not one of text, json, "
                                       "csv, geojson, gpkg, kml, kmz",
                                       optarg);
            format_given = true;
            break;
        case 'o': out_path = optarg; break;
        case 0x206:
            if (strcmp(optarg, "implausible") == 0)
                fail_on = SM_VERDICT_IMPLAUSIBLE;
            else if (strcmp(optarg, "marginal") == 0)
                fail_on = SM_VERDICT_MARGINAL;
            else
                return cli_usage_error("check",
                                       "--fail-on: \"%s\" is not implausible or "
                                       "marginal",
                                       optarg);
            break;
        case 0x208: count_only = true; break;
        case 0x209: in_memory = true; break;
        default: {
            int m = cli_model_option("check", &opt, c, optarg);
            if (m < 0)
                return SM_EXIT_BAD;
            if (m == 0 && cli_other_option("check", &load, c, optarg, g_help) < 0)
                return SM_EXIT_BAD;
        }
        }
    }
    if (optind >= argc)
        return cli_usage_error("check", "no claim files given (try --help)");
    /* The output is checked before any work: its name says its format. */
    if (out_path != NULL) {
        sm_format named;
        int known = sm_format_from_path(out_path, &named);
        const char *slash = strrchr(out_path, '/');
        const char *ext = strrchr(slash ? slash + 1 : out_path, '.');
        if (known < 0)
            return cli_usage_error("check",
                                   "-o %s: no verdict writer for \"%s\" files (use .txt, .json, "
                                   ".csv, .geojson, .gpkg, .kml or .kmz)",
                                   out_path, ext);
        if (known > 0 && format_given && named != format && named == SM_FORMAT_PG)
            return cli_usage_error("check", "-o %s: a PG: connection takes --format pg, not %s",
                                   out_path, sm_format_name(format));
        if (known > 0 && format_given && named != format)
            return cli_usage_error("check", "-o %s: a \"%s\" file is %s, not %s", out_path, ext,
                                   sm_format_name(named), sm_format_name(format));
        if (known > 0)
            format = named;
        cli_inputs in = {argv + optind, argc - optind, &load, NULL, NULL, NULL};
        if (!cli_check_output("check", out_path, NULL, &in))
            return SM_EXIT_BAD;
        if (strcmp(out_path, "-") == 0 || strcmp(out_path, "/dev/stdout") == 0) {
            if (format == SM_FORMAT_GPKG || format == SM_FORMAT_KMZ || format == SM_FORMAT_PG)
                return cli_usage_error("check",
                                       "-o %s: --format %s needs a file, not standard output",
                                       out_path, sm_format_name(format));
            if (format != SM_FORMAT_GEOJSON && format != SM_FORMAT_KML)
                out_path = NULL; /* a stream format: straight to stdout */
        }
    }
    if ((format == SM_FORMAT_GEOJSON || format == SM_FORMAT_GPKG || format == SM_FORMAT_KML ||
         format == SM_FORMAT_KMZ || format == SM_FORMAT_PG) &&
        out_path == NULL)
        return cli_usage_error("check",
                               "--format %s needs -o FILE (or -o - for standard "
                               "output)",
                               sm_format_name(format));
    opt.fallback_speed_kmh = load.options.fallback_speed_kmh;
    if (cli_show_progress()) {
        opt.progress = cli_check_progress;
        opt.progress_user = (void *)(uintptr_t) "check";
    }

    sm_ctx *ctx = cli_ctx_new("check");
    if (ctx == NULL)
        return SM_EXIT_BAD;
    /* Strikes stream (memory does not grow with them), except for the text
     * table, whose columns fit every strike id. */
    bool streamed = !in_memory && (count_only || format != SM_FORMAT_TEXT);
    sm_claims *loaded = NULL;
    sm_claims_stream *stream = NULL;
    if (streamed)
        stream = cli_open_stream("check", ctx, &load, argv + optind, argc - optind);
    else
        loaded = cli_load_claims("check", ctx, &load, argv + optind, argc - optind);
    const sm_claims *claims = streamed ? sm_claims_stream_claims(stream) : loaded;
    if (claims == NULL) {
        sm_ctx_free(ctx);
        return SM_EXIT_BAD;
    }
    if (opt.pairing == SM_PAIRS_OPERATOR) {
        bool found = false;
        for (size_t i = 0; i < sm_claims_aircraft_count(claims) && !found; i++) {
            const char *op = sm_claims_aircraft(claims, i)->operator_name;
            found =
                op != NULL && opt.operator_name != NULL && strcasecmp(op, opt.operator_name) == 0;
        }
        if (!found)
            fprintf(stderr, "%s: warning: no aircraft in the claims has operator \"%s\"\n",
                    sm_cli_prog, opt.operator_name);
    }
    sm_writer *w = NULL;
    int rc = SM_EXIT_OK;
    sm_status st = SM_OK;
    if (count_only) {
        sm_check_summary sum;
        opt.no_closest_approach = true; /* nothing here reports it */
        /* the summary only: the bounds settle what they can */
        st = streamed ? sm_check_write_stream(ctx, stream, &opt, NULL, &sum)
                      : sm_check_each(ctx, claims, &opt, NULL, NULL, &sum);
        if (streamed && st == SM_OK)
            cli_print_diags(ctx); /* the second pass's */
        if (opt.progress != NULL)
            fputs("\r\033[K", stderr);
        bool any_fail =
            fail_on != SM_VERDICT_UNKNOWN &&
            (sum.by_verdict[SM_VERDICT_IMPLAUSIBLE] > 0 ||
             (fail_on == SM_VERDICT_MARGINAL && sum.by_verdict[SM_VERDICT_MARGINAL] > 0));
        if (st == SM_OK) {
            printf("strikes %zu\naircraft %zu\npairs %zu\nplausible %zu\nmarginal %zu\n"
                   "implausible %zu\nunknown %zu\nexact_distances %zu\n",
                   sum.strikes, sum.aircraft, sum.pairs, sum.by_verdict[SM_VERDICT_PLAUSIBLE],
                   sum.by_verdict[SM_VERDICT_MARGINAL], sum.by_verdict[SM_VERDICT_IMPLAUSIBLE],
                   sum.by_verdict[SM_VERDICT_UNKNOWN], sum.exact_distances);
            if (!cli_stdout_ok("check"))
                rc = SM_EXIT_BAD;
            else if (any_fail)
                rc = SM_EXIT_FAIL_ON;
        }
    } else {
        st = sm_writer_open(ctx, claims, format, out_path, out_path ? NULL : stdout, &w);
    }
    if (st == SM_OK && !count_only) {
        sm_check_summary sum;
        st = streamed ? sm_check_write_stream(ctx, stream, &opt, w, &sum)
                      : sm_check_write(ctx, claims, &opt, w, &sum);
        if (streamed && st == SM_OK)
            cli_print_diags(ctx); /* the second pass's */
        if (opt.progress != NULL)
            fputs("\r\033[K", stderr);
        if (st == SM_OK) {
            st = sm_writer_close(w, &sum);
            if (out_path != NULL && st == SM_OK && strcmp(out_path, "-") != 0 &&
                strcmp(out_path, "/dev/stdout") != 0)
                fprintf(stderr,
                        "%s check: %zu pairs written to %s (%zu plausible, %zu marginal, %zu "
                        "implausible, %zu unknown)\n",
                        sm_cli_prog, sum.listed, out_path, sum.by_verdict[SM_VERDICT_PLAUSIBLE],
                        sum.by_verdict[SM_VERDICT_MARGINAL], sum.by_verdict[SM_VERDICT_IMPLAUSIBLE],
                        sum.by_verdict[SM_VERDICT_UNKNOWN]);
        } else {
            sm_writer_abort(w);
        }
        if (st == SM_OK && fail_on != SM_VERDICT_UNKNOWN &&
            (sum.by_verdict[SM_VERDICT_IMPLAUSIBLE] > 0 ||
             (fail_on == SM_VERDICT_MARGINAL && sum.by_verdict[SM_VERDICT_MARGINAL] > 0)))
            rc = SM_EXIT_FAIL_ON;
    }
    if (st != SM_OK) {
        cli_print_diags(ctx);
        fprintf(stderr, "%s check: %s\n", sm_cli_prog, sm_status_str(st));
        rc = SM_EXIT_BAD;
    }
    sm_claims_free(loaded);
    sm_claims_stream_free(stream);
    sm_ctx_free(ctx);
    return rc;
}
