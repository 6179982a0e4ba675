/*
 * cli.h: what the command files of the strikemap tool share. The tool is a
 * thin client of the public API: nothing here reaches into the library's
 * internals.
 */
#ifndef SM_CLI_H
#define SM_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "strikemap/strikemap.h"

/* Exit statuses (SPEC §3): 0 ran, 1 --fail-on matched, 2 bad input or usage. */
enum { SM_EXIT_OK = 0, SM_EXIT_FAIL_ON = 1, SM_EXIT_BAD = 2 };

extern const char *sm_cli_prog;

/* A new context; NULL after saying "out of memory" on stderr. */
sm_ctx *cli_ctx_new(const char *cmd);
/* Print every diagnostic of ctx to stderr, then clear them. */
void cli_print_diags(sm_ctx *ctx);
/* "strikemap <cmd>: message" on stderr; returns SM_EXIT_BAD. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Options every command that reads claims takes. */
typedef struct cli_load {
    const char *aircraft_table;
    const char *weapons_table;
    const char *operators_table;
    sm_load_options options;
} cli_load;

#define CLI_LOAD_LONG_OPTIONS                                                                      \
    {"aircraft", required_argument, NULL, 0x101}, {"weapons", required_argument, NULL, 0x102},     \
        {"speed", required_argument, NULL, 0x103},                                                 \
        {"no-position-check", no_argument, NULL, 0x104},                                           \
        {"basemap", required_argument, NULL, 0x105},                                               \
        {"operators", required_argument, NULL, 0x106}, CLI_INPUT_LONG_OPTIONS
/* How published tables are read (SPEC §7; common.c, cli_load_option). */
#define CLI_INPUT_LONG_OPTIONS                                                                     \
    {"profile", required_argument, NULL, 0x107}, {"tz", required_argument, NULL, 0x108},           \
        {"map", required_argument, NULL, 0x109}, {"time-format", required_argument, NULL, 0x10a},  \
        {"type", required_argument, NULL, 0x10b}, {"types", required_argument, NULL, 0x10c},       \
        {"far-km", required_argument, NULL, 0x10d},                                                \
    {                                                                                              \
        "sortie-gap", required_argument, NULL, 0x10e                                               \
    }
#define CLI_LOAD_HELP                                                                              \
    "      --aircraft FILE     aircraft table (CSV, columns of data/aircraft.csv)\n"               \
    "      --weapons FILE      weapons table (CSV, columns of data/weapons.csv)\n"                 \
    "      --operators FILE    operators table (CSV, columns of data/operators.csv)\n"             \
    "      --speed KMH         max speed for aircraft types the table does not know\n"             \
    "      --basemap DIR       folder of basemap shapefiles (default: the bundled one)\n"          \
    "      --no-position-check skip the at-sea / far-away (swapped coordinates) check\n"           \
    "      --far-km KM         a strike farther than this from every other claim is\n"             \
    "                          flagged (default 1000; a claim's position_checked: false\n"         \
    "                          skips it alone)\n" CLI_INPUT_HELP
#define CLI_INPUT_HELP                                                                             \
    "Published tables (README, \"Your own data\"):\n"                                              \
    "      --profile NAME      acled, airwars, ucdp, opensky (default: told from the\n"            \
    "                          header where unmistakable), map, or none\n"                         \
    "      --tz ZONE           tz database zone of the table's local dates (default: the\n"        \
    "                          zone of the country each row lies in)\n"                            \
    "      --map PROP=COLUMN   the claim property a column holds (repeat; any CSV)\n"              \
    "      --time-format FMT   strptime format of mapped times (e.g. %d/%m/%Y %H:%M)\n"            \
    "      --type TYPE         OpenSky: the aircraft type of every track\n"                        \
    "      --types FILE        OpenSky: a CSV of icao24,type\n"                                    \
    "      --sortie-gap DURATION OpenSky: a gap this long starts a new sortie (default\n"          \
    "                          --max-gap, else 6h)\n"

/* The options of the model (SPEC §3), one table for every command that
 * checks pairs (check, render, report), so that each takes them all and
 * reads them alike. */
#define CLI_MODEL_LONG_OPTIONS                                                                     \
    {"operator", required_argument, NULL, 0x181}, {"all-pairs", no_argument, NULL, 0x182},         \
        {"list-all", no_argument, NULL, 0x183}, {"max-gap", required_argument, NULL, 0x184},       \
        {"marginal", required_argument, NULL, 0x185},                                              \
    {                                                                                              \
        "threads", required_argument, NULL, 0x186                                                  \
    }
#define CLI_MODEL_HELP                                                                             \
    "      --operator NAME     pair each strike with every aircraft and launcher of NAME,\n"       \
    "                          an operator or a group (data/operators.csv) on the strike's\n"      \
    "                          date\n"                                                             \
    "      --all-pairs         pair each strike with every aircraft and launcher\n"                \
    "      --list-all          with --operator or --all-pairs, list the pairs that are\n"          \
    "                          otherwise only counted\n"                                           \
    "      --max-gap DURATION  a fix whose time available exceeds this does not bind\n"            \
    "                          (default 6h; 90min, 1.5h, 1d)\n"                                    \
    "      --marginal FRACTION share of a limit above which a possible pair is marginal\n"         \
    "                          (sortie, launcher; default 0.8)\n"                                  \
    "      --threads N         worker threads (default: one per core, at most 16)\n"

/* Handles one of the CLI_MODEL options into o; returns 1 handled, 0 not
 * ours, -1 bad value (already reported). */
int cli_model_option(const char *cmd, sm_check_options *o, int opt, const char *arg);

/* Handles one of the CLI_LOAD options; returns 1 handled, 0 not ours,
 * -1 bad value (already reported). */
int cli_load_option(const char *cmd, cli_load *load, int opt, const char *arg);
/* The default: case of a command's option loop: a claim-loading option,
 * or else a usage error (help on stderr). Returns 0 handled, -1 to exit 2. */
int cli_other_option(const char *cmd, cli_load *load, int opt, const char *arg, const char *help);
/* Loads the tables and the claim files; prints diagnostics. Returns NULL on
 * error (exit 2). */
sm_claims *cli_load_claims(const char *cmd, sm_ctx *ctx, cli_load *load, char **paths, int n_paths);
/* The same, read as a stream (sm_claims_stream_open): the first reading's
 * diagnostics printed, then cleared. */
sm_claims_stream *cli_open_stream(const char *cmd, sm_ctx *ctx, cli_load *load, char **paths,
                                  int n_paths);

/* The files a command reads, for cli_check_output. */
typedef struct cli_inputs {
    char **claims; /* the claim files */
    int n_claims;
    const cli_load *load;                       /* its tables; may be NULL */
    const char *aircraft_table, *weapons_table; /* when load is NULL */
    const char *style;                          /* --style FILE or NULL */
} cli_inputs;

/* Before any work: an output path that is empty, or that names one of the
 * inputs (through ./, .., a symlink: the same device and inode), or whose
 * side files would (sides: suffixes replacing the extension, as ".pgw",
 * or added to the name, as "+.aux.xml"; NULL-terminated, may be NULL), is
 * a usage error naming both. Returns false after printing it. */
bool cli_check_output(const char *cmd, const char *out, const char *const *sides,
                      const cli_inputs *in);

/* Flush standard output; false (after saying why on stderr) when what was
 * printed could not be written (a full disk, a closed pipe). */
bool cli_stdout_ok(const char *cmd);

/* "W,S,E,N" in degrees into b; false when it is not four numbers. */
bool cli_parse_bbox(const char *arg, double b[4]);

/* Progress on stderr only when it is a terminal. */
bool cli_show_progress(void);
void cli_check_progress(void *user, size_t done, double fraction);

/* Parse a number with a unit name for messages; returns false (reported). */
bool cli_parse_double(const char *cmd, const char *opt, const char *arg, double min, double max,
                      double *out);

/* Loads the reference tables (--aircraft, --weapons, --operators, else the
 * bundled ones); prints diagnostics on error. */
sm_status cli_load_tables(const char *cmd, sm_ctx *ctx, cli_load *load);

int cmd_validate(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_reach(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
