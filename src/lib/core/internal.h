/*
 * core/internal.h: what every module of the library may use and nobody
 * outside sees: the context's layout, diagnostics, an arena, vectors, text
 * and number formatting, files written whole, GDAL error capture. Core
 * includes no other module's header (docs/architecture.md).
 */
#ifndef SM_INTERNAL_H
#define SM_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include "strikemap/strikemap.h"

#define SM__ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SM__PI           3.14159265358979323846

/* Arena: many small allocations freed together. Blocks are never moved, so
 * pointers into it stay valid. */
typedef struct sm__arena_block sm__arena_block;
typedef struct sm__arena {
    sm__arena_block *head;
} sm__arena;
void *sm__arena_alloc(sm__arena *arena, size_t size);
char *sm__arena_strdup(sm__arena *arena, const char *s);
void sm__arena_free(sm__arena *arena);
/* Empty the arena for reuse (keeps one block); pointers into it die. */
void sm__arena_reset(sm__arena *arena);

/* Growable array of fixed-size elements. */
typedef struct sm__vec {
    void *data;
    size_t len, cap, elem;
} sm__vec;
void sm__vec_init(sm__vec *v, size_t elem);
void *sm__vec_push(sm__vec *v); /* zeroed new slot, or NULL when out of memory */
bool sm__vec_reserve(sm__vec *v, size_t cap);
void sm__vec_free(sm__vec *v);

typedef struct sm__table {
    sm__arena arena;
    sm__vec rows; /* sm_aircraft_type or sm_weapon */
    bool loaded;
} sm__table;

struct sm_ctx {
    sm__vec diags; /* sm_diag, at most SM_DIAG_KEEP */
    sm__arena diag_arena;
    size_t dropped, errors, warnings;
    sm__table aircraft;
    sm__table weapons;
    sm__table operators;
    char *home;
};

/* Add a diagnostic; any of file, id, field may be NULL, feature may be -1.
 * Every diagnostic passes through here (one breakpoint catches them all). */
void sm__diag(sm_ctx *ctx, sm_severity severity, const char *file, long feature, const char *id,
              const char *field, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void sm__vdiag(sm_ctx *ctx, sm_severity severity, const char *file, long feature, const char *id,
               const char *field, const char *fmt, va_list ap)
    __attribute__((format(printf, 7, 0)));

/* Out of memory: one diagnostic ("out of memory") naming what was being
 * done, and SM_ERR_NOMEM to return. Every allocation failure goes here. */
sm_status sm__nomem(sm_ctx *ctx, const char *file, long feature, const char *id, const char *field);

/* String helpers. */
/* printf into a new malloc'd string of the length it needs; NULL when out
 * of memory. */
char *sm__strfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *sm__vstrfmt(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Byte offset of the first byte that is not well-formed UTF-8 (RFC 3629),
 * or (size_t)-1 when the whole string is valid. */
size_t sm__utf8_invalid_at(const char *s);
bool sm__str_ieq(const char *a, const char *b);
/* Split "a;b;c" at ';' into a NULL-terminated array in the arena, trimming
 * blanks and dropping empty items. */
const char **sm__split_list(sm__arena *arena, const char *text);
/* Damerau-free Levenshtein distance, case-insensitive, capped at 255. */
unsigned sm__edit_distance(const char *a, const char *b);

/* "1,098.5" style numbers for people (decimals after the point). */
char *sm__fmt_num(double v, int decimals, char *buf, size_t size);
/* A count and its noun for people, the one formatter of every count a
 * report shows: "no strikes", "1 strike", "2 strikes", "200,000 strikes"
 * (thousands separated; `zero` instead of "0 <many>" when not NULL).
 * Returns buf (at least SM__FMT_COUNT_MAX + the nouns' lengths). */
char *sm__fmt_count(size_t n, const char *one, const char *many, const char *zero, char *buf,
                    size_t size);
#define SM__FMT_COUNT_MAX 32
/* The noun alone: one when n == 1, else many. */
const char *sm__plural(size_t n, const char *one, const char *many);
/* |v| fixed-point, as "%.*f" (decimals 0 to 9); buf >= 40 bytes. */
size_t sm__fmt_fixed(double v, int decimals, char *buf);
/* A date-time in OGR's own text ("2016/02/10 12:55:00+02", as ogr2ogr
 * writes typed dates to CSV and KML) into *when; false when it is not
 * exactly that (time.c). */
bool sm__time_parse_ogr(const char *text, sm_when *when);
/* A proleptic Gregorian date exists (years 1 to 9999); its midnight as
 * seconds since 1970-01-01 (time.c). */
bool sm__civil_valid(int year, int month, int day);
double sm__civil_seconds(int year, int month, int day);

/* Capture GDAL/CPL errors while a call runs, so they become diagnostics. */
void sm__gdal_init(void);
/* GDAL's drivers are registered as they are needed (gdal.c): open a
 * dataset with GDALOpenEx's arguments after registering the driver(s) its
 * name or the list asks for (all of them when that is not enough); a
 * driver by short name; or every driver (what GDALAllRegister does).
 * The handles are GDALDatasetH and GDALDriverH. */
void *sm__gdal_open(const char *path, unsigned flags, const char *const *drivers,
                    const char *const *options);
void *sm__gdal_driver(const char *name);
void sm__gdal_register_all(void);
/* A new vector dataset by driver (GDALCreate with no raster bands); like
 * sm__gdal_open, without SpatiaLite unless the user asks for it. */
void *sm__gdal_create(void *driver, const char *path);
void sm__cpl_capture_begin(void);
/* Returns the last CPL error message captured (static per thread) or NULL. */
const char *sm__cpl_capture_end(void);

/* ---- job "outputs": files written whole (files.c) ---------------------
 * An output with paths of any length: a fresh exclusive temporary beside
 * the target (symlinks followed to it), or standard output ("-",
 * "/dev/stdout") or an existing device/FIFO written straight to (direct).
 * Open, write to f, close (an error so far removes the temporary), then
 * commit (rename over the target) or abort. Errors are diagnostics naming
 * the target. Live temporaries are removed on SIGINT/SIGTERM/SIGHUP once
 * sm_files_handle_signals has run; at most SM__LIVE_TMP_MAX at once. */
#define SM__LIVE_TMP_MAX 256
typedef struct sm__out {
    char *final; /* the file replaced (symlinks resolved, folder absolute) */
    char *tmp;   /* the temporary; NULL when direct or done */
    char *shown; /* the path as given, for messages */
    FILE *f;
    int reg;     /* slot in the registry of live temporaries; -1: none */
    bool direct; /* written straight to stdout or a device: no rename */
} sm__out;
sm_status sm__out_open(sm_ctx *ctx, sm__out *o, const char *path, const char *ext);
sm_status sm__out_close(sm_ctx *ctx, sm__out *o, sm_status st);
sm_status sm__out_commit(sm_ctx *ctx, sm__out *o);
/* Commit closed files as one set: files[0] is the main file (renamed last),
 * the others its side files; all are replaced or, on any failure, none
 * (the old ones put back). Every file is released (aborted) after. */
sm_status sm__out_commit_set(sm_ctx *ctx, sm__out *const *files, size_t n);
void sm__out_abort(sm__out *o);             /* removes the temporary; safe after commit */
const char *sm__out_name(const sm__out *o); /* the path as given */
bool sm__path_is_stdout(const char *path);  /* "-" or "/dev/stdout" */
/* Scratch files (files.c): an unnamed file in TMPDIR (else /tmp), made,
 * opened "w+b" and unlinked at once, so that nothing is left whatever ends
 * the run; NULL with errno set. sm__scratch_dir names the folder for
 * messages. Streamed strikes (claims/stream.c) and a map's strike markers
 * (map/map_smarks.c) wait there between passes. */
FILE *sm__scratch_open(void);
const char *sm__scratch_dir(void);
/* A run's size for data spilled to scratch files: the environment's
 * variable env when it holds 1 to 100,000,000 (tests make runs small, so
 * that a small input takes the path a large one takes), else dflt. */
size_t sm__run_size(const char *env, size_t dflt);
/* SM_ERR_USAGE, with a diagnostic naming both, when path is one of the
 * files the claims were read from (same device and inode). */
sm_status sm__out_refuse_inputs(sm_ctx *ctx, const char *path, const sm_claims *claims);
/* Fixed-point text of |v| for the outputs (verdict_text.c): any finite v,
 * decimals clamped to 0..9; at most SM__FMT_FIXED_MAX - 1 characters. */
#define SM__FMT_FIXED_MAX 40
/* ---- end of job "outputs" ---- */

/* ---- job "map and report robustness": a growing string (map.c) --------
 * Text of any length for labels, furniture and reports, built piece by
 * piece. After a failed allocation the builder stays failed (every later
 * call does nothing and returns false), so a caller checks once, at the
 * end. */
typedef struct sm__sbuf {
    char *s; /* NUL-terminated once anything is added; NULL while empty */
    size_t len, cap;
    bool failed;
} sm__sbuf;
bool sm__sbuf_put(sm__sbuf *b, const char *text, size_t n); /* n bytes of text */
bool sm__sbuf_printf(sm__sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *sm__sbuf_str(const sm__sbuf *b); /* "" while empty */
void sm__sbuf_free(sm__sbuf *b);
/* ---- end of job "map and report robustness" ---- */

#endif
