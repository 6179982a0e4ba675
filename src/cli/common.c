/*
 * common.c: what several commands do alike: print diagnostics, read the
 * options that load claims, parse numbers.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_print_diags(sm_ctx *ctx)
{
    char line[2048];
    for (size_t i = 0; i < sm_ctx_diag_count(ctx); i++) {
        const sm_diag *d = sm_ctx_diag(ctx, i);
        sm_diag_format(d, line, sizeof(line));
        fprintf(stderr, "%s: %s: %s\n", sm_cli_prog,
                d->severity == SM_SEV_ERROR ? "error" : "warning", line);
    }
    if (sm_ctx_diag_dropped(ctx) > 0)
        fprintf(stderr, "%s: ... and %zu more messages not shown\n", sm_cli_prog,
                sm_ctx_diag_dropped(ctx));
    sm_ctx_diag_clear(ctx);
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

bool cli_parse_double(const char *cmd, const char *opt, const char *arg, double min,
                      double max, double *out)
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

int cli_load_option(const char *cmd, cli_load *load, int opt, const char *arg)
{
    switch (opt) {
    case 0x101: load->aircraft_table = arg; return 1;
    case 0x102: load->weapons_table = arg; return 1;
    case 0x103:
        return cli_parse_double(cmd, "--speed", arg, 1, 50000, &load->options.fallback_speed_kmh)
                   ? 1
                   : -1;
    case 0x104: load->options.no_position_check = true; return 1;
    case 0x105: load->options.basemap_dir = arg; return 1;
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
    fprintf(stderr, "\r%s %s: %zu strikes checked (%.0f%%)   ", sm_cli_prog,
            (const char *)user, done, 100 * fraction);
    fflush(stderr);
}

bool cli_show_progress(void)
{
    return isatty(STDERR_FILENO) != 0;
}

sm_claims *cli_load_claims(const char *cmd, sm_ctx *ctx, cli_load *load, char **paths,
                           int n_paths)
{
    if (cli_show_progress()) {
        load->options.progress = load_progress;
        load->options.progress_user = (void *)(uintptr_t)cmd;
    }
    sm_status st = SM_OK;
    if (load->aircraft_table != NULL)
        st = sm_tables_load_aircraft(ctx, load->aircraft_table);
    if (load->weapons_table != NULL) {
        sm_status s = sm_tables_load_weapons(ctx, load->weapons_table);
        if (st == SM_OK)
            st = s;
    }
    if (st == SM_OK)
        st = sm_tables_load_defaults(ctx);
    if (st != SM_OK) {
        cli_print_diags(ctx);
        return NULL;
    }
    sm_claims *claims = NULL;
    st = sm_claims_load(ctx, (const char *const *)paths, (size_t)n_paths, &load->options,
                        &claims);
    if (load->options.progress != NULL)
        fputs("\r\033[K", stderr);
    cli_print_diags(ctx);
    return st == SM_OK ? claims : NULL;
}

int cli_other_option(const char *cmd, cli_load *load, int opt, const char *arg,
                     const char *help)
{
    int r = cli_load_option(cmd, load, opt, arg);
    if (r == 0)
        fputs(help, stderr);
    return r > 0 ? 0 : -1;
}
