/*
 * main.c: the strikemap command line: global options and dispatch to one
 * file per command.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

const char *sm_cli_prog = "strikemap";

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command g_commands[] = {
    {"validate", cmd_validate, "lint claim files: counts, time span, extent, errors, warnings"},
    {"import", cmd_import, "a published table (ACLED, Airwars, UCDP, OpenSky) as a claim file"},
    {"check", cmd_check, "could each claimed aircraft have made each strike? (verdicts)"},
    {"reach", cmd_reach, "the area an aircraft type can reach from a point, as GeoJSON"},
    {"render", cmd_render, "draw the claims and verdicts on a map (PNG, SVG, PDF)"},
    {"report", cmd_report, "a publishable report: map, verdicts, claims, method (PDF, HTML)"},
};

static void usage(FILE *out)
{
    fprintf(out, "Usage: strikemap <command> [options] CLAIMS...\n"
                 "       strikemap --help | --version\n"
                 "\n"
                 "Check airstrike claims against geodesy: could the claimed aircraft have been\n"
                 "there, and draw the evidence on a map.\n"
                 "\n"
                 "Commands:\n");
    for (size_t i = 0; i < sizeof(g_commands) / sizeof(g_commands[0]); i++)
        fprintf(out, "  %-10s %s\n", g_commands[i].name, g_commands[i].summary);
    fprintf(out, "\n'strikemap <command> --help' describes a command's options.\n"
                 "Exit status: 0 ran, 1 --fail-on matched, 2 bad input or usage.\n");
}

/* The end of a command: standard output flushed (a failure to write it
 * is an error, not a silent loss), then the process ends without the
 * exit handlers of the libraries. GDAL loads some 140 shared libraries;
 * their destructors only free what the process is giving back, and
 * running them touches 3.4 MB of their code: the render of a hundred
 * thousand strikes reached its peak memory there, after its work. Every
 * command has committed its outputs and closed its datasets before it
 * returns. Builds whose checks run at exit (LeakSanitizer, the fault
 * walk's report) keep the handlers: SM_CLI_EXIT_HANDLERS. */
static int finish(int rc)
{
    errno = 0;
    /* (a command that met the error has said so, and exits 2 already) */
    if ((fflush(stdout) != 0 || ferror(stdout)) && rc != SM_EXIT_BAD) {
        fprintf(stderr, "strikemap: standard output: cannot be written: %s\n",
                errno != 0 ? strerror(errno) : "write error");
        rc = SM_EXIT_BAD;
    }
    fflush(stderr);
#ifndef SM_CLI_EXIT_HANDLERS
    _exit(rc);
#endif
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return SM_EXIT_BAD;
    }
    const char *cmd = argv[1];
    /* an interrupted run leaves no temporary file behind */
    sm_files_handle_signals();
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return finish(SM_EXIT_OK);
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("strikemap %s (%s)\n", sm_version(), sm_version_libraries());
        sm_ctx *ctx = sm_ctx_new();
        if (ctx != NULL)
            printf("data: %s\n", sm_ctx_home(ctx));
        sm_ctx_free(ctx);
        return finish(SM_EXIT_OK);
    }
    for (size_t i = 0; i < sizeof(g_commands) / sizeof(g_commands[0]); i++)
        if (strcmp(cmd, g_commands[i].name) == 0)
            return finish(g_commands[i].run(argc - 1, argv + 1));
    fprintf(stderr, "strikemap: '%s' is not a command\n\n", cmd);
    usage(stderr);
    return SM_EXIT_BAD;
}
