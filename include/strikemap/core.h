/*
 * strikemap/core.h: status codes, the context and its diagnostics.
 *
 * Every public name starts with sm_ (functions, types) or SM_ (constants).
 * Conventions used throughout the API:
 *  - coordinates are longitude before latitude, in degrees, on WGS84;
 *  - distances are in kilometres, speeds in km/h, durations in minutes,
 *    instants in seconds since 1970-01-01T00:00:00Z (UTC, leap seconds
 *    ignored as in POSIX time);
 *  - calls that can fail return an sm_status; the context keeps the details
 *    (file, feature, id, field, what was expected) as a list of diagnostics;
 *  - every _new has a _free, and _free(NULL) is a harmless no-op;
 *  - a pointer returned by a function whose name does not say "new" is
 *    borrowed: it stays valid as long as the object it came from, and the
 *    caller must not free it.
 *
 * A context is not thread-safe: use one per thread.
 */
#ifndef STRIKEMAP_CORE_H
#define STRIKEMAP_CORE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SM_VERSION_MAJOR 0
#define SM_VERSION_MINOR 1
#define SM_VERSION_PATCH 0

/* Status codes. Grouped by decade; a code never changes meaning. */
typedef enum sm_status {
    SM_OK = 0,
    SM_ERR_NOMEM = 1,    /* out of memory */
    SM_ERR_IO = 10,      /* a file could not be opened, read or written */
    SM_ERR_FORMAT = 11,  /* a source is not a readable vector source */
    SM_ERR_INVALID = 20, /* claims or tables broke a rule; see diagnostics */
    SM_ERR_USAGE = 30,   /* an argument to a call was out of its range */
    SM_ERR_PROJ = 40,    /* PROJ could not build or run an operation */
    SM_ERR_RENDER = 50   /* cairo or Pango reported an error */
} sm_status;

/* A short English description of a status; never NULL, static storage. */
const char *sm_status_str(sm_status status);

/* The library version as "MAJOR.MINOR.PATCH"; static storage. */
const char *sm_version(void);

/* The versions of the libraries it runs with, as "GDAL 3.6.2, PROJ 9.1.1,
 * cairo 1.16.0, Pango 1.50.12"; static storage. */
const char *sm_version_libraries(void);

typedef enum sm_severity { SM_SEV_WARNING = 1, SM_SEV_ERROR = 2 } sm_severity;

/* One diagnostic. Any pointer may be NULL when it does not apply; feature is
 * -1 when the message is not about one feature. Features are numbered from 0
 * in the order the source gives them (for GeoJSON, the index in the
 * "features" array). */
typedef struct sm_diag {
    sm_severity severity;
    const char *file;
    long feature;
    const char *id;
    const char *field;
    const char *message;
} sm_diag;

typedef struct sm_ctx sm_ctx;

/* A new context with the default reference tables not yet loaded (they are
 * loaded on first need, see sm_tables_load_defaults). NULL when out of
 * memory. */
sm_ctx *sm_ctx_new(void);
void sm_ctx_free(sm_ctx *ctx);

/* Folder holding the bundled data ("data/aircraft.csv", "data/weapons.csv",
 * "shapefiles/"): the environment variable STRIKEMAP_HOME when set, else the
 * installed share/strikemap beside the library (PREFIX/share/strikemap for
 * PREFIX/lib), else the source tree the library was built from when it
 * still exists (a build that was not installed), else the configured
 * install folder. Borrowed. */
const char *sm_ctx_home(const sm_ctx *ctx);

/* Diagnostics collected so far, oldest first. At most SM_DIAG_KEEP are kept;
 * sm_ctx_diag_dropped() counts those beyond. Borrowed; valid until the next
 * call that adds or clears diagnostics. */
#define SM_DIAG_KEEP 2000
size_t sm_ctx_diag_count(const sm_ctx *ctx);
const sm_diag *sm_ctx_diag(const sm_ctx *ctx, size_t index);
size_t sm_ctx_diag_dropped(const sm_ctx *ctx);
size_t sm_ctx_error_count(const sm_ctx *ctx);   /* including dropped ones */
size_t sm_ctx_warning_count(const sm_ctx *ctx); /* including dropped ones */
void sm_ctx_diag_clear(sm_ctx *ctx);

/* Formats a diagnostic as one line,
 *   file: feature 3 (id "s-1"): field "time": message
 * into buf (always NUL-terminated when size > 0). Returns the length the
 * full line needs, like snprintf. */
size_t sm_diag_format(const sm_diag *diag, char *buf, size_t size);

/* The same line in a new string of whatever length it needs (free it with
 * sm_string_free); NULL when out of memory. */
char *sm_diag_format_new(const sm_diag *diag);

/* Frees a string the library returned as new; NULL is a no-op. */
void sm_string_free(char *s);

#ifdef __cplusplus
}
#endif
#endif
