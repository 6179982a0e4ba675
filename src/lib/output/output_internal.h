/*
 * output/output_internal.h: the verdict writers' internals (module output/:
 * it may call every module below it, core/ to check/, and is called by
 * none). A format is one row of the table in formats.c; each names the
 * writer that serves it, a small function table as GDAL's drivers are:
 * open, add (one pair), format (one pair's row of a stream format, on the
 * engine's worker threads), finish (the summary and the end of the file)
 * and abort. stream.c writes text, JSON and CSV; ogr.c writes every format
 * GDAL's vector drivers write (GeoJSON, GeoPackage, KML, KMZ), and pg.c
 * PostGIS with ogr.c's layer and rows, in one transaction. The fields
 * every format carries are one list (fields.c).
 */
#ifndef SM_OUTPUT_INTERNAL_H
#define SM_OUTPUT_INTERNAL_H

#include <stdatomic.h>

#include "core/internal.h"

#include "check/check_internal.h"

typedef struct sm__writer_ops sm__writer_ops;

/* formats.c: one row per sm_format. */
typedef struct sm__format_info {
    const char *name;
    const char *driver;  /* the OGR driver that writes it; NULL: stream.c writes it */
    const char *exts[3]; /* the file extensions that name it */
    bool seekable;       /* the driver needs a real file (not standard output) */
    bool database;       /* the path is a connection string: no file, no temporary (pg.c) */
    const sm__writer_ops *ops;
} sm__format_info;
const sm__format_info *sm__format_info_get(sm_format format); /* NULL out of range */
/* The extension of the last path component ("." included), or NULL. */
const char *sm__path_ext(const char *path);
/* The path is a PostGIS connection string ("PG:..."). */
bool sm__path_is_pg(const char *path);

/* The layer name in every format that has layers. */
#define SM__LAYER_NAME "verdicts"

struct sm_writer {
    sm_ctx *ctx;
    const sm_claims *claims;
    sm_format format;
    const sm__format_info *fi;
    const char *path;
    sm__out t;    /* the file being written, when path is set */
    bool to_file; /* t is open */
    FILE *out;    /* stream formats: where rows go */
    size_t count;
    int w_strike, w_aircraft; /* text column widths */
    void *ds, *layer;         /* ogr.c: GDALDatasetH and OGRLayerH */
    sm_status st;             /* the first failure of a sink call (sm_check_write) */
    /* A row could not get the memory for its text (rows are formatted by
     * worker threads, which cannot add diagnostics): the writer fails at
     * its next add or at close, with SM_ERR_NOMEM. */
    atomic_bool nomem;
};

struct sm__writer_ops {
    sm_status (*open)(sm_writer *w);
    sm_status (*add)(sm_writer *w, const sm_pair *pair);
    /* stream formats: one pair's row into out, from any thread; false when
     * out of memory. NULL: pairs go to add. */
    bool (*format)(const sm_writer *w, FILE *out, const sm_pair *pair);
    /* stream formats: rows formatted ahead, in order */
    sm_status (*put)(sm_writer *w, const char *text, size_t len, size_t rows);
    sm_status (*finish)(sm_writer *w, const sm_check_summary *summary);
    void (*abort)(sm_writer *w);
};
extern const sm__writer_ops sm__text_writer, sm__json_writer, sm__csv_writer, sm__ogr_writer,
    sm__pg_writer;

/* ogr.c, for pg.c: the layer named name in w->ds with every field, its
 * options GDAL's (may be NULL); and one pair as a feature of it. */
sm_status sm__ogr_layer_create(sm_writer *w, const char *name, char **options);
sm_status sm__ogr_add(sm_writer *w, const sm_pair *pair);

void sm__writer_mark_nomem(const sm_writer *w);

/* fields.c: the fields every verdict format carries, in order. */
/* F_TIME: an instant, ISO 8601 with the claim's UTC offset in text formats,
 * a DateTime (with that offset) in OGR's. */
typedef enum fkind { F_STR, F_NUM, F_INT, F_BOOL, F_TIME } fkind;

typedef struct field {
    const char *name;
    fkind kind;
    int decimals; /* for F_NUM: km to the metre, minutes to the second or so */
} field;

enum {
    X_STRIKE,
    X_STRIKE_LABEL,
    X_STRIKE_CLAIMED_BY,
    X_STRIKE_TIME_START,
    X_STRIKE_TIME_END,
    X_STRIKE_LON,
    X_STRIKE_LAT,
    X_AIRCRAFT,
    X_AIRCRAFT_KIND,
    X_AIRCRAFT_TYPE,
    X_AIRCRAFT_OPERATOR,
    X_AIRCRAFT_CLAIMED_BY,
    X_VERDICT,
    X_DECIDED_BY,
    X_DISTANCE,
    X_AVAILABLE,
    X_REQUIRED,
    X_CRUISE_SPEED,
    X_MAX_SPEED,
    X_REACH,
    X_WEAPON,
    X_WEAPON_BASIS,
    X_WEAPON_ASSUMED,
    X_WEAPON_RANGE,
    X_WEAPON_SPEED,
    X_WEAPON_FLAGS,
    X_WEAPON_NOT_CARRIED,
    X_LOC_UNC,
    X_BASE,
    X_BASE_DISTANCE,
    X_ROUTE,
    X_COMBAT_RADIUS,
    X_MARGIN,
    X_TIME_MARGIN,
    X_SORTIE_MARGIN,
    X_LAUNCHER_MARGIN,
    X_CLOSEST,
    X_FIX_INDEX,
    X_FIX_LON,
    X_FIX_LAT,
    X_FIX_TIME_START,
    X_FIX_TIME_END,
    X_MISSING,
    X_WARNINGS,
    X_REASONS,
    X_COUNT
};

extern const field sm__fields[X_COUNT];

typedef struct value {
    bool null;
    double num; /* F_TIME: seconds since 1970 (UTC) */
    const char *str;
    int offset_min; /* F_TIME: the claim's UTC offset */
} value;

typedef struct row {
    value v[X_COUNT];
    char times[4][40];            /* ISO 8601 instants */
    char missing[160], flags[96]; /* fixed lists of fixed words */
    char reasons[4096];           /* most reasons fit here */
    char *reasons_heap;           /* longer ones (long ids, names): free_row frees it */
    char *warnings;               /* the claims' warnings, or NULL: free_row frees it */
    bool nomem;                   /* reasons_heap could not be allocated */
} row;

/* Fill a row with a pair's fields (pointers borrow from the pair, the
 * claims and the row); r->nomem when its text could not get memory. */
void sm__fill_row(row *r, const sm_pair *p, const sm_claims *claims);
void sm__free_row(row *r);
/* ogr.c: read a file an OGR driver wrote back: it opens and holds count
 * features (a driver that lost a write without saying so, a full disk, is
 * caught), and is flushed to the disk. Errors name shown. */
sm_status sm__ogr_verify(sm_ctx *ctx, const char *shown, const char *file, const char *driver,
                         size_t count);

/* kml.c: KML and KMZ beyond the fields: the layer's name, description,
 * begin and end fields (after the X_COUNT of fields.c), and each feature's
 * style and values for them; false when out of memory (the feature is an
 * OGRFeatureH, the layer an OGRLayerH). */
bool sm__kml_fields(void *layer);
bool sm__kml_feature(void *feature, const sm_pair *p, const sm_claims *claims, const row *r);
/* A number as JSON and CSV carry it: the shortest fixed-point form, null
 * for a number that is not finite. */
void sm__num_out(FILE *out, double v, int decimals);
void sm__json_str(FILE *out, const char *s);
void sm__csv_str(FILE *out, const char *s);

#endif
