/*
 * claims/load.h: what the files of the claims module that read claim files
 * share (claims.c, fields.c, kinds.c, load.c, profiles.c): the claim set's
 * layout, the property table, and the reader of one file. Not for the
 * modules above (they use claims_internal.h).
 */
#ifndef SM_CLAIMS_LOAD_H
#define SM_CLAIMS_LOAD_H

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "claims/claims_internal.h"

/* An extent in longitude both ways round (claims.c), so that a set across
 * the antimeridian gets its narrow extent. */
typedef struct sm__lon_range {
    double min180, max180, min360, max360, south, north;
    bool any;
} sm__lon_range;
void sm__lon_range_add(sm__lon_range *e, double lon, double lat);

/* The claim set (claims.h). */
struct sm_claims {
    sm__arena arena;
    sm__vec strikes;   /* sm_strike */
    sm__vec aircraft;  /* sm_aircraft */
    sm__vec bases;     /* sm_base */
    sm__vec launchers; /* sm_launcher */
    sm__vec files;     /* const char *: each source read, as named, in arena */
    bool finished;
    bool stdin_read; /* standard input can be read once */
    /* Streaming (stream.c): when stream is set, the strikes read go to
     * strikes with their text in strike_arena, and every stream->batch of
     * them are handed to stream (sm__stream_flush) and forgotten. */
    sm__arena strike_arena;
    struct sm_claims_stream *stream;
    /* every strike the stream has read: their extent and time span */
    sm__lon_range streamed_extent;
    bool streamed_span;
    double streamed_first, streamed_last;
};

/* stream.c: the strikes read so far, once a batch is full, surveyed and
 * written to the stream's temporary file, then emptied; false stops the
 * reading (the stream keeps its status). */
bool sm__stream_flush(sm_claims *claims);
/* spool.c: a strike's record onto the stream's temporary file (false:
 * a write failed, errno ENOMEM when out of memory), and back (1; 0 at the end; -1 unreadable; -2
 * out of memory), its texts in the set's strike arena. */
bool sm__spool_write(FILE *f, const sm_claims *c, const sm_strike *s);
int sm__spool_read(FILE *f, sm_claims *c, sm_strike *s);

/* The properties of SPEC §2 and the kinds each applies to. */
enum {
    K_S = 1 << SM_KIND_STRIKE,
    K_A = 1 << SM_KIND_AIRCRAFT,
    K_B = 1 << SM_KIND_BASE,
    K_L = 1 << SM_KIND_LAUNCHER,
    K_ALL = K_S | K_A | K_B | K_L
};

typedef enum prop {
    P_KIND,
    P_ID,
    P_LABEL,
    P_CLAIMED_BY,
    P_SOURCE,
    P_NOTES,
    P_TIME,
    P_TIME_START,
    P_TIME_END,
    P_TIME_UNC,
    P_LOC_UNC,
    P_ATTRIBUTED_TO,
    P_WEAPON,
    P_TYPE,
    P_OPERATOR,
    P_BASE,
    P_TIMES,
    P_REFUELLED,
    P_GRADING,
    P_GEO_PRECISION,
    P_POSITION_CHECKED,
    P_COUNT
} prop;

/* The name of each property and the kinds (K_* bits) it applies to. */
typedef struct sm__prop_def {
    const char *name;
    unsigned kinds;
} sm__prop_def;
extern const sm__prop_def sm__props[P_COUNT];

typedef struct reader {
    sm_ctx *ctx;
    sm_claims *claims;
    const sm_load_options *opt;
    const char *file; /* as the user named it, in the claims arena */
    int idx[P_COUNT]; /* field index of each property in the current layer, or -1 */
    /* The current layer's field types, one a field (prepare_layer): a
     * feature's fields are read without its definition, which OGR's
     * thread reading ahead writes to (the definition's reference count
     * shares a cache line with its fields: two threads on it slowed both). */
    OGRFieldType *ftype;
    int n_fields;
    OGRCoordinateTransformationH ct;
    /* the feature being read */
    OGRFeatureH f;
    OGRGeometryH geom; /* its geometry (borrowed from f), or NULL */
    long feature;
    const char *id;          /* in scratch */
    sm__arena *keep;         /* where the feature's kept text goes: the set's
                                arena, or its strike arena for a strike */
    sm__arena scratch;       /* this feature's text; emptied before the next */
    sm__vec fw;              /* const char *: this feature's warnings, in scratch */
    bool use_fid;            /* features numbered by their FID (a profile's rows) */
    bool csv;                /* read by OGR's CSV driver (points from lon/lat columns) */
    bool xy_ignored;         /* its lon/lat fields ignored (load.c's prepare_layer) */
    const char *xy_names[3]; /* their names, NULL-terminated (the layer's) */
    bool bad;                /* this feature had an error */
    bool failed;             /* some feature or layer of this file had an error */
    bool nomem;              /* an allocation failed (reported once) */
    bool stop;               /* a stream's consumer asked to stop */
    size_t no_offset;        /* times without an offset in this file */
    size_t not_used;         /* properties set on a kind they do not apply to */
    size_t fallback_used;    /* aircraft of types the table lacks, given --speed */
} reader;

/* Warnings that can repeat for every feature of a large file are given for
 * the first few features, then counted in one summary line. */
#define SM_REPEAT_WARNINGS 10

/* Field i of the current feature is set and not null (OGR's raw field,
 * not the feature's definition). */
bool sm__field_present(const reader *r, int i);

/* fields.c: the reader's view of the current feature. Errors and warnings
 * name the file, feature, id and field; an error marks the feature bad (it
 * is not kept). */
void sm__ferr(reader *r, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sm__foom(reader *r, const char *field);
/* A warning kept with the claim, shown on stderr when show. */
void sm__fwarn_n(reader *r, bool show, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define sm__fwarn(r, ...) sm__fwarn_n((r), true, __VA_ARGS__)
void sm__keep_warnings(reader *r, sm_claim_info *info);
bool sm__has(reader *r, prop p);
const char *sm__field_text(reader *r, int i, const char *field);
const char *sm__text(reader *r, prop p);
char *sm__dup_text(reader *r, prop p);
const char **sm__list(reader *r, prop p);
bool sm__number(reader *r, prop p, double *out, double max, const char *expect);
bool sm__boolean(reader *r, prop p);
bool sm__parse_time_value(reader *r, const char *field, const char *s, sm_when *w);
bool sm__check_lonlat(reader *r, double lon, double lat, int vertex);
const char *sm__geom_name(OGRwkbGeometryType t);
OGRGeometryH sm__feature_geometry(reader *r, bool *owned);
bool sm__read_point(reader *r, OGRGeometryH g, double *lon, double *lat);
void sm__read_common(reader *r, sm_claim_info *info);
const char *sm__did_you_mean(sm__arena *arena, const char *const *sug, size_t n);
const sm_weapon *sm__read_weapon(reader *r, const char **name);
bool sm__read_when(reader *r, sm_when *w);

/* claims.c: the checks across claims, shared with the stream.
 * Every claim's id and where it was seen, sorted by id. */
typedef struct sm__id_ref {
    const sm_claim_info *info;
    sm_kind kind;
    size_t index;
} sm__id_ref;
typedef struct sm__ids {
    sm__id_ref *refs; /* malloc'd */
    size_t n;
} sm__ids;
/* The set's ids (its strikes' too when with_strikes), sorted; each
 * duplicate reported as an error (*bad set). */
sm_status sm__claims_ids(sm_ctx *ctx, const sm_claims *c, bool with_strikes, sm__ids *out,
                         bool *bad);
int sm__ids_find(const sm__ids *ids, const char *id);
const char *sm__kind_name(sm_kind k);
void sm__duplicate_id(sm_ctx *ctx, const sm_claim_info *first, const sm_claim_info *again);
/* Each aircraft's base resolved; true when one names no base (errors).
 * is_strike (may be NULL) tells a streamed strike's id from no id. */
bool sm__claims_bases(sm_ctx *ctx, sm_claims *c, const sm__ids *ids,
                      bool (*is_strike)(void *, const char *), void *user);
/* Warnings for a strike's attributions to nothing checkable; is_strike
 * (may be NULL) says whether a name not in ids is a strike's id. */
sm_status sm__strike_attributions(sm_ctx *ctx, sm_claims *c, const sm__ids *ids, const sm_strike *s,
                                  bool (*is_strike)(void *, const char *), void *user);

/* positions.c: warnings for strikes at sea or far from the rest. */
sm_status sm__check_positions(sm_ctx *ctx, sm_claims *claims, const sm_load_options *opt);
/* Its parts, for a stream: the points every strike is judged against
 * (n_points at most: strikes, then the fixes and bases of
 * sm__positions_add_fixed); a strike's judgement, 0 when it is fine, 1
 * with *msg (malloc'd) when flagged, -1 when out of memory; whether the
 * flagged'th flagged strike of a file is named on stderr; the file's
 * summary line. */
typedef struct sm__positions sm__positions;
sm_status sm__positions_open(sm_ctx *ctx, const sm_load_options *opt, size_t n_points,
                             sm__positions **out);
void sm__positions_add(sm__positions *p, double lon, double lat);
void sm__positions_add_fixed(sm__positions *p, const sm_claims *claims);
int sm__positions_judge(sm__positions *p, double lon, double lat, char **msg, bool *swapped);
bool sm__positions_named(size_t flagged);
void sm__positions_summarise(sm_ctx *ctx, const char *file, size_t flagged, size_t swapped);
void sm__positions_close(sm__positions *p);

/* load.c: sm_claims_add_file; with mem_out, a table read through a
 * profile also hands back its normalised in-memory dataset (the caller
 * closes it; NULL when no profile applied). */
sm_status sm__claims_add_source(sm_ctx *ctx, sm_claims *claims, const char *path,
                                const sm_load_options *options, GDALDatasetH *mem_out);

/* kinds.c: one feature into the claim set (or errors). */
void sm__read_feature(reader *r);

/* A layer read ahead on a second thread (prefetch.c). Start: NULL when no
 * thread can be had (read the layer yourself). Next: the next feature,
 * borrowed until the next call or stop (the thread that made it destroys
 * it), and its geometry in *geom (OGR_F_GetGeometryRef's); NULL at the
 * end, *msg then what OGR said if it failed. Stop: the layer is the
 * caller's again (stop(NULL) does nothing). */
typedef struct sm__prefetch sm__prefetch;
sm__prefetch *sm__prefetch_start(OGRLayerH layer);
OGRFeatureH sm__prefetch_next(sm__prefetch *p, OGRGeometryH *geom, const char **msg);
void sm__prefetch_stop(sm__prefetch *p);

#endif
