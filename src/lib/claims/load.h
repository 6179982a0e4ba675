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

/* The claim set (claims.h). */
struct sm_claims {
    sm__arena arena;
    sm__vec strikes;   /* sm_strike */
    sm__vec aircraft;  /* sm_aircraft */
    sm__vec bases;     /* sm_base */
    sm__vec launchers; /* sm_launcher */
    bool finished;
    bool stdin_read; /* standard input can be read once */
};

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
    OGRCoordinateTransformationH ct;
    /* the feature being read */
    OGRFeatureH f;
    long feature;
    const char *id;       /* in scratch */
    sm__arena scratch;    /* this feature's text; emptied before the next */
    sm__vec fw;           /* const char *: this feature's warnings, in scratch */
    bool use_fid;         /* features numbered by their FID (a profile's rows) */
    bool csv;             /* read by OGR's CSV driver (points from lon/lat columns) */
    bool bad;             /* this feature had an error */
    bool failed;          /* some feature or layer of this file had an error */
    bool nomem;           /* an allocation failed (reported once) */
    size_t no_offset;     /* times without an offset in this file */
    size_t not_used;      /* properties set on a kind they do not apply to */
    size_t fallback_used; /* aircraft of types the table lacks, given --speed */
} reader;

/* Warnings that can repeat for every feature of a large file are given for
 * the first few features, then counted in one summary line. */
#define SM_REPEAT_WARNINGS 10

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

/* positions.c: warnings for strikes at sea or far from the rest. */
sm_status sm__check_positions(sm_ctx *ctx, sm_claims *claims, const sm_load_options *opt);

/* load.c: sm_claims_add_file; with mem_out, a table read through a
 * profile also hands back its normalised in-memory dataset (the caller
 * closes it; NULL when no profile applied). */
sm_status sm__claims_add_source(sm_ctx *ctx, sm_claims *claims, const char *path,
                                const sm_load_options *options, GDALDatasetH *mem_out);

/* kinds.c: one feature into the claim set (or errors). */
void sm__read_feature(reader *r);

#endif
