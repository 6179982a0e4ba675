/*
 * common.c: what several commands do alike: print diagnostics, read the
 * options that load claims, parse numbers.
 */
#include <errno.h>
#include <math.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* The library names the API's fields (options.type); the CLI says which
 * of its flags set them. */
static const char *const g_flag_of[][2] = {
    {"options.type", "--type"},
    {"options.weapon", "--weapon"},
    {"options.minutes", "--minutes"},
    {"options.fallback_speed_kmh", "--speed"},
    {"options.operator_name", "--operator"},
    {"format", "--format"},
    {"path", "-o"},
};

static const char *flag_of(const char *field)
{
    for (size_t i = 0; field != NULL && i < sizeof(g_flag_of) / sizeof(g_flag_of[0]); i++)
        if (strcmp(field, g_flag_of[i][0]) == 0)
            return g_flag_of[i][1];
    return field;
}

/* Warnings are listed on stderr the same way whatever their kind: the
 * first CLI_REPEAT_WARNINGS about one field of one file are named, the rest
 * counted in one line (every one stays with its claim: the verdicts'
 * warnings carry it). The library caps some kinds itself with the same
 * number. */
#define CLI_REPEAT_WARNINGS 10
typedef struct repeat {
    const char *file, *field;
    size_t n;
} repeat;

static bool same_str(const char *a, const char *b)
{
    return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Count a warning; false when it is past the cap (then not printed). */
static bool repeat_count(repeat **reps, size_t *n, const sm_diag *d)
{
    if (d->severity != SM_SEV_WARNING || d->field == NULL || d->feature < 0)
        return true;
    for (size_t i = 0; i < *n; i++)
        if (same_str((*reps)[i].file, d->file) && same_str((*reps)[i].field, d->field))
            return ++(*reps)[i].n <= CLI_REPEAT_WARNINGS;
    repeat *r = realloc(*reps, (*n + 1) * sizeof(**reps));
    if (r == NULL)
        return true; /* printed, then: nothing is lost */
    *reps = r;
    r[(*n)++] = (repeat){d->file, d->field, 1};
    return true;
}

void cli_print_diags(sm_ctx *ctx)
{
    repeat *reps = NULL;
    size_t n_reps = 0;
    for (size_t i = 0; i < sm_ctx_diag_count(ctx); i++) {
        if (!repeat_count(&reps, &n_reps, sm_ctx_diag(ctx, i)))
            continue;
        sm_diag mapped = *sm_ctx_diag(ctx, i);
        mapped.field = flag_of(mapped.field);
        /* an API field named in the message ("give a fallback speed
         * (options.fallback_speed_kmh)") too */
        char *msg = NULL;
        for (size_t k = 0; mapped.message != NULL && k < sizeof(g_flag_of) / sizeof(g_flag_of[0]);
             k++) {
            const char *at = strstr(mapped.message, g_flag_of[k][0]);
            if (at == NULL || strncmp(g_flag_of[k][0], "options.", 8) != 0)
                continue;
            size_t n = strlen(mapped.message) + strlen(g_flag_of[k][1]) + 1;
            msg = malloc(n);
            if (msg != NULL) {
                snprintf(msg, n, "%.*s%s%s", (int)(at - mapped.message), mapped.message,
                         g_flag_of[k][1], at + strlen(g_flag_of[k][0]));
                mapped.message = msg;
            }
            break;
        }
        const sm_diag *d = &mapped;
        /* a line of any length: long paths, ids and names are not cut */
        char *line = sm_diag_format_new(d);
        fprintf(stderr, "%s: %s: %s\n", sm_cli_prog,
                d->severity == SM_SEV_ERROR ? "error" : "warning",
                line != NULL ? line : (d->message != NULL ? d->message : "out of memory"));
        sm_string_free(line);
        free(msg);
    }
    for (size_t i = 0; i < n_reps; i++)
        if (reps[i].n > CLI_REPEAT_WARNINGS)
            fprintf(stderr, "%s: warning: %s: %zu more warnings on field \"%s\" not shown\n",
                    sm_cli_prog, reps[i].file != NULL ? reps[i].file : "claims",
                    reps[i].n - CLI_REPEAT_WARNINGS, flag_of(reps[i].field));
    free(reps);
    if (sm_ctx_diag_dropped(ctx) > 0)
        fprintf(stderr, "%s: ... and %zu more messages not shown\n", sm_cli_prog,
                sm_ctx_diag_dropped(ctx));
    sm_ctx_diag_clear(ctx);
}

sm_ctx *cli_ctx_new(const char *cmd)
{
    sm_ctx *ctx = sm_ctx_new();
    if (ctx == NULL)
        fprintf(stderr, "%s %s: %s\n", sm_cli_prog, cmd, sm_status_str(SM_ERR_NOMEM));
    return ctx;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s %s: ", sm_cli_prog, cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return SM_EXIT_BAD;
}

bool cli_parse_double(const char *cmd, const char *opt, const char *arg, double min, double max,
                      double *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || *end != '\0' || errno != 0 || !isfinite(v) || v < min || v > max) {
        cli_usage_error(cmd, "%s: \"%s\" is not a number from %g to %g", opt, arg, min, max);
        return false;
    }
    *out = v;
    return true;
}

bool cli_parse_bbox(const char *arg, double b[4])
{
    const char *p = arg;
    for (int i = 0; i < 4; i++) {
        char *end;
        errno = 0;
        b[i] = strtod(p, &end);
        if (end == p || errno != 0 || !isfinite(b[i]) || *end != (i < 3 ? ',' : '\0'))
            return false;
        p = end + 1;
    }
    return true;
}

/* ---- input: published tables (SPEC §7) ---------------------------------- */

static bool parse_duration(const char *arg, double *minutes);

/* --map entries, kept for the whole run (and reachable: no leak). */
static const char **g_map;
static size_t g_map_len, g_map_cap;
/* --max-gap of the model also splits OpenSky sorties unless --sortie-gap
 * says otherwise. */
static double g_model_max_gap, g_sortie_gap;
/* --operator, checked once the tables and claims are loaded */
static const char *g_operator;

static int cli_input_option(const char *cmd, cli_load *load, int opt, const char *arg)
{
    sm_table_options *t = &load->options.table;
    switch (opt) {
    case 0x107: {
        const char *const *names = sm_claims_profiles();
        const char *best = NULL;
        for (size_t i = 0; names[i] != NULL; i++) {
            if (strcmp(arg, names[i]) == 0) {
                t->profile = arg;
                return 1;
            }
            if (best == NULL && (strncmp(arg, names[i], 2) == 0 || strstr(names[i], arg) != NULL))
                best = names[i];
        }
        if (best != NULL)
            cli_usage_error(cmd,
                            "--profile: \"%s\" is not a profile (did you mean \"%s\"?); expected "
                            "acled, airwars, ucdp, opensky, map or none",
                            arg, best);
        else
            cli_usage_error(cmd,
                            "--profile: \"%s\" is not a profile; expected acled, airwars, ucdp, "
                            "opensky, map or none",
                            arg);
        return -1;
    }
    case 0x108: t->tz = arg; return 1;
    case 0x109:
        if (strchr(arg, '=') == NULL) {
            cli_usage_error(cmd, "--map: \"%s\" is not PROP=COLUMN (e.g. id=event_id)", arg);
            return -1;
        }
        if (g_map_len + 2 > g_map_cap) {
            size_t cap = g_map_cap ? 2 * g_map_cap : 8;
            const char **m = realloc(g_map, cap * sizeof(*m));
            if (m == NULL) {
                cli_usage_error(cmd, "out of memory");
                return -1;
            }
            g_map = m;
            g_map_cap = cap;
        }
        g_map[g_map_len++] = arg;
        g_map[g_map_len] = NULL;
        t->map = g_map;
        return 1;
    case 0x10a: t->time_format = arg; return 1;
    case 0x10b: t->aircraft_type = arg; return 1;
    case 0x10c: t->types_file = arg; return 1;
    case 0x10d:
        return cli_parse_double(cmd, "--far-km", arg, 1, SM_MAX_DISTANCE_KM, &load->options.far_km)
                   ? 1
                   : -1;
    case 0x10e:
        if (!parse_duration(arg, &g_sortie_gap)) {
            cli_usage_error(cmd,
                            "--sortie-gap: \"%s\" is not a duration up to a year (e.g. 6h, "
                            "90min, 1d)",
                            arg);
            return -1;
        }
        return 1;
    default: return 0;
    }
}

int cli_load_option(const char *cmd, cli_load *load, int opt, const char *arg)
{
    switch (opt) {
    case 0x101: load->aircraft_table = arg; return 1;
    case 0x102: load->weapons_table = arg; return 1;
    case 0x103:
        return cli_parse_double(cmd, "--speed", arg, 1, SM_MAX_SPEED_KMH,
                                &load->options.fallback_speed_kmh)
                   ? 1
                   : -1;
    case 0x104: load->options.no_position_check = true; return 1;
    case 0x105: load->options.basemap_dir = arg; return 1;
    case 0x106: load->operators_table = arg; return 1;
    default: return cli_input_option(cmd, load, opt, arg);
    }
}

/* "6h", "90min", "90m", "1.5" (hours), "1d" -> minutes. */
static bool parse_duration(const char *arg, double *minutes)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || errno != 0 || !(v > 0) || !isfinite(v))
        return false;
    while (isspace((unsigned char)*end))
        end++;
    double m;
    if (*end == '\0' || strcmp(end, "h") == 0)
        m = v * 60;
    else if (strcmp(end, "min") == 0 || strcmp(end, "m") == 0)
        m = v;
    else if (strcmp(end, "d") == 0)
        m = v * 1440;
    else
        return false;
    if (!(m <= SM_MAX_TIME_UNCERTAINTY_MIN))
        return false;
    *minutes = m;
    return true;
}

int cli_model_option(const char *cmd, sm_check_options *o, int opt, const char *arg)
{
    double v;
    switch (opt) {
    case 0x181:
        o->pairing = SM_PAIRS_OPERATOR;
        o->operator_name = arg;
        g_operator = arg;
        return 1;
    case 0x182: o->pairing = SM_PAIRS_ALL; return 1;
    case 0x183: o->list_all = true; return 1;
    case 0x184:
        if (parse_duration(arg, &g_model_max_gap))
            o->max_gap_minutes = g_model_max_gap;
        else {
            cli_usage_error(cmd,
                            "--max-gap: \"%s\" is not a duration up to a year (e.g. 6h, "
                            "90min, 1d)",
                            arg);
            return -1;
        }
        return 1;
    case 0x185:
        return cli_parse_double(cmd, "--marginal", arg, 0.01, 1, &o->marginal_fraction) ? 1 : -1;
    case 0x186:
        if (!cli_parse_double(cmd, "--threads", arg, 1, 16, &v))
            return -1;
        o->threads = (int)v;
        return 1;
    default: return 0;
    }
}

/* Progress lines on stderr, only when it is a terminal (SPEC §7). */
static void load_progress(void *user, const char *stage, size_t done, double fraction)
{
    const char *cmd = user;
    if (fraction >= 0)
        fprintf(stderr, "\r%s %s: reading %s: %zu features (%.0f%%)   ", sm_cli_prog, cmd, stage,
                done, 100 * fraction);
    else
        fprintf(stderr, "\r%s %s: reading %s: %zu features   ", sm_cli_prog, cmd, stage, done);
    fflush(stderr);
}

void cli_check_progress(void *user, size_t done, double fraction)
{
    fprintf(stderr, "\r%s %s: %zu strikes checked (%.0f%%)   ", sm_cli_prog, (const char *)user,
            done, 100 * fraction);
    fflush(stderr);
}

bool cli_show_progress(void)
{
    return isatty(STDERR_FILENO) != 0;
}

sm_status cli_load_tables(const char *cmd, sm_ctx *ctx, cli_load *load)
{
    sm_status st = SM_OK;
    if (load->aircraft_table != NULL)
        st = sm_tables_load_aircraft(ctx, load->aircraft_table);
    if (load->weapons_table != NULL) {
        sm_status s = sm_tables_load_weapons(ctx, load->weapons_table);
        if (st == SM_OK)
            st = s;
    }
    if (load->operators_table != NULL) {
        sm_status s = sm_tables_load_operators(ctx, load->operators_table);
        if (st == SM_OK)
            st = s;
    }
    if (st == SM_OK)
        st = sm_tables_load_defaults(ctx);
    if (st != SM_OK) {
        cli_print_diags(ctx);
        fprintf(stderr, "%s %s: %s\n", sm_cli_prog, cmd, sm_status_str(st));
    }
    load->options.table.max_gap_minutes = g_sortie_gap > 0 ? g_sortie_gap : g_model_max_gap;
    return st;
}

/* --operator NAME must name an operator or group of the operators table
 * (through its aliases) or the operator of a claim: anything else would
 * pair nothing and say nothing (issue 10), so it is an error with a
 * did-you-mean. */
static bool operator_known(const char *cmd, sm_ctx *ctx, const sm_claims *claims)
{
    if (g_operator == NULL || sm_tables_find_operator(ctx, g_operator) != NULL)
        return true;
    for (size_t i = 0; i < sm_claims_aircraft_count(claims); i++) {
        const char *op = sm_claims_aircraft(claims, i)->operator_name;
        if (op != NULL && strcasecmp(op, g_operator) == 0)
            return true;
    }
    for (size_t i = 0; i < sm_claims_launcher_count(claims); i++) {
        const char *op = sm_claims_launcher(claims, i)->operator_name;
        if (op != NULL && strcasecmp(op, g_operator) == 0)
            return true;
    }
    const char *sug[3];
    size_t n = sm_tables_suggest_operator(ctx, g_operator, sug, 3);
    fprintf(stderr,
            "%s %s: --operator: \"%s\" is neither an operator or group of the operators "
            "table nor the operator of a claim",
            sm_cli_prog, cmd, g_operator);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "%s\"%s\"", i == 0 ? " (did you mean " : (i + 1 == n ? " or " : ", "),
                sug[i]);
    fprintf(stderr, "%s\n", n > 0 ? "?)" : "");
    return false;
}

/* Before reading claims: progress on a terminal, the tables. */
static bool load_begin(const char *cmd, sm_ctx *ctx, cli_load *load)
{
    if (cli_show_progress()) {
        load->options.progress = load_progress;
        load->options.progress_user = (void *)(uintptr_t)cmd;
    }
    return cli_load_tables(cmd, ctx, load) == SM_OK;
}

/* After: the diagnostics, the status (a failure with no diagnostic is
 * still named), and --operator checked against the claims. */
static bool load_end(const char *cmd, sm_ctx *ctx, cli_load *load, sm_status st,
                     const sm_claims *claims)
{
    if (load->options.progress != NULL)
        fputs("\r\033[K", stderr);
    cli_print_diags(ctx);
    if (st != SM_OK)
        fprintf(stderr, "%s %s: %s\n", sm_cli_prog, cmd, sm_status_str(st));
    return st == SM_OK && operator_known(cmd, ctx, claims);
}

sm_claims *cli_load_claims(const char *cmd, sm_ctx *ctx, cli_load *load, char **paths, int n_paths)
{
    if (!load_begin(cmd, ctx, load))
        return NULL;
    sm_claims *claims = NULL;
    sm_status st =
        sm_claims_load(ctx, (const char *const *)paths, (size_t)n_paths, &load->options, &claims);
    if (!load_end(cmd, ctx, load, st, claims)) {
        sm_claims_free(claims);
        return NULL;
    }
    return claims;
}

sm_claims_stream *cli_open_stream(const char *cmd, sm_ctx *ctx, cli_load *load, char **paths,
                                  int n_paths)
{
    if (!load_begin(cmd, ctx, load))
        return NULL;
    sm_claims_stream *s = NULL;
    sm_status st =
        sm_claims_stream_open(ctx, (const char *const *)paths, (size_t)n_paths, &load->options, &s);
    if (!load_end(cmd, ctx, load, st, sm_claims_stream_claims(s))) {
        sm_claims_stream_free(s);
        return NULL;
    }
    /* what the second pass finds is printed after it */
    sm_ctx_diag_clear(ctx);
    return s;
}

int cli_other_option(const char *cmd, cli_load *load, int opt, const char *arg, const char *help)
{
    int r = cli_load_option(cmd, load, opt, arg);
    if (r == 0)
        fputs(help, stderr);
    return r > 0 ? 0 : -1;
}

/* ---- outputs that would replace an input -------------------------------- */

static bool same_file(const char *a, const struct stat *sa, const char *b)
{
    struct stat sb;
    (void)a;
    return b != NULL && stat(b, &sb) == 0 && sa->st_dev == sb.st_dev && sa->st_ino == sb.st_ino;
}

/* The input that path names, or NULL. */
static const char *clash(const char *path, const cli_inputs *in, const char **what)
{
    struct stat so;
    if (stat(path, &so) != 0 || !S_ISREG(so.st_mode))
        return NULL; /* a new file, or a device: replaces nothing read */
    for (int i = 0; i < in->n_claims; i++)
        if (same_file(path, &so, in->claims[i])) {
            *what = "the claims file";
            return in->claims[i];
        }
    const char *aircraft = in->load ? in->load->aircraft_table : in->aircraft_table;
    const char *weapons = in->load ? in->load->weapons_table : in->weapons_table;
    if (same_file(path, &so, aircraft)) {
        *what = "the --aircraft table";
        return aircraft;
    }
    if (same_file(path, &so, weapons)) {
        *what = "the --weapons table";
        return weapons;
    }
    const char *operators = in->load ? in->load->operators_table : NULL;
    if (same_file(path, &so, operators)) {
        *what = "the --operators table";
        return operators;
    }
    if (same_file(path, &so, in->style)) {
        *what = "the --style file";
        return in->style;
    }
    return NULL;
}

bool cli_check_output(const char *cmd, const char *out, const char *const *sides,
                      const cli_inputs *in)
{
    if (out == NULL)
        return true;
    if (out[0] == '\0') {
        cli_usage_error(cmd, "-o: the output file name is empty");
        return false;
    }
    if (strcmp(out, "-") == 0 || strcmp(out, "/dev/stdout") == 0)
        return true;
    const char *what = NULL, *input = clash(out, in, &what);
    if (input != NULL) {
        cli_usage_error(cmd, "-o %s: is %s %s; an output never replaces an input", out, what,
                        input);
        return false;
    }
    for (size_t i = 0; sides != NULL && sides[i] != NULL; i++) {
        const char *suffix = sides[i];
        const char *slash = strrchr(out, '/');
        const char *dot = strrchr(slash ? slash + 1 : out, '.');
        size_t keep = strlen(out);
        if (suffix[0] == '+')
            suffix++;
        else if (dot != NULL)
            keep = (size_t)(dot - out);
        size_t n = keep + strlen(suffix) + 1;
        char *side = malloc(n);
        if (side == NULL) {
            cli_usage_error(cmd, "out of memory");
            return false;
        }
        snprintf(side, n, "%.*s%s", (int)keep, out, suffix);
        input = clash(side, in, &what);
        if (input != NULL) {
            cli_usage_error(cmd,
                            "-o %s: its side file %s is %s %s; an output never replaces "
                            "an input",
                            out, side, what, input);
            free(side);
            return false;
        }
        free(side);
    }
    return true;
}

bool cli_stdout_ok(const char *cmd)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return true;
    fprintf(stderr, "%s %s: standard output: cannot be written: %s\n", sm_cli_prog, cmd,
            errno ? strerror(errno) : "a write failed");
    return false;
}
