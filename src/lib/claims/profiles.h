/*
 * claims/profiles.h: published tables read through a profile (SPEC §7),
 * shared by profiles.c (the frame: detection, columns, dropped rows, the
 * normalised layer, import), profile_tables.c (ACLED, Airwars, UCDP, any
 * CSV by --map), opensky.c (state vectors into tracks) and zones.c (local
 * days in the tz database's zones). Private to the claims module.
 */
#ifndef SM_CLAIMS_PROFILES_H
#define SM_CLAIMS_PROFILES_H

#include "claims/load.h"

/* ---- time zones (zones.c) ---- */
typedef struct sm__zone sm__zone;
typedef struct sm__zones sm__zones;
/* A zone of the tz database by name ("Asia/Gaza"); an unknown name is an
 * error naming it (field "tz"). */
sm_status sm__zone_load(sm_ctx *ctx, const char *name, sm__zone **out);
void sm__zone_free(sm__zone *z);
const char *sm__zone_name(const sm__zone *z);
/* UTC offset (seconds) in force at instant t (seconds, UTC). */
int sm__zone_offset_at(const sm__zone *z, double t);
/* The instant (UTC) at which the zone's wall clock shows local (seconds
 * since 1970 as if the wall clock were UTC). */
double sm__zone_to_utc(const sm__zone *z, double local);
/* Countries (the basemap's countries.shp in basemap_dir, NULL: bundled)
 * and the tz database's tables, to find the zone of a point. */
sm_status sm__zones_open(sm_ctx *ctx, const char *basemap_dir, sm__zones **out);
void sm__zones_free(sm__zones *zs);
/* The zone of the country holding (lon, lat); *out NULL at sea or for a
 * country the tz database does not name. Borrowed from zs. */
sm_status sm__zones_at(sm_ctx *ctx, sm__zones *zs, double lon, double lat, const sm__zone **out);

/* ---- the frame (profiles.c) ---- */
typedef enum sm__profile {
    SM__PROFILE_NONE = 0,
    SM__PROFILE_ACLED,
    SM__PROFILE_AIRWARS,
    SM__PROFILE_UCDP,
    SM__PROFILE_OPENSKY,
    SM__PROFILE_MAP
} sm__profile;

/* The table being read and the normalised layer being written. */
typedef struct sm__ptable {
    sm_ctx *ctx;
    const char *file; /* as the user named it */
    const sm_load_options *opt;
    sm__profile profile;
    const char *profile_name;
    OGRLayerH src;
    OGRFeatureDefnH sdefn;
    GDALDatasetH mem; /* Memory driver: the claims, one layer "claims" */
    OGRLayerH out;
    /* the row being read */
    OGRFeatureH f;
    long row;
    const char *row_id; /* for messages; in scratch */
    sm__arena scratch;  /* this row's text */
    sm__zone *tz;       /* --tz, or NULL */
    sm__zones *zones;   /* opened when a row needs its country's zone */
    size_t dropped;     /* rows left out with a warning */
    size_t skipped;     /* rows that are not claims of this kind (counted) */
    const char *skipped_why;
    bool failed, nomem;
} sm__ptable;

/* The source column named by any of names (case-insensitive), or -1. */
int sm__pcol(sm__ptable *t, const char *const *names);
/* The first column whose name contains part (case-insensitive), or -1. */
int sm__pcol_part(sm__ptable *t, const char *part);
/* The row's value in column i, trimmed, in scratch; NULL when empty,
 * absent (i < 0) or out of memory (then t->nomem). */
const char *sm__pval(sm__ptable *t, int i);
/* Leave the row out: a warning naming file, row, id and field (the first
 * few on stderr, all counted). Returns false, for `return sm__pdrop(...)`. */
bool sm__pdrop(sm__ptable *t, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The row's point from the columns named lons and lats (each a list of
 * names; values in several columns of one list must agree); false after
 * dropping the row. */
bool sm__ppoint(sm__ptable *t, const char *const *lons, const char *const *lats, double *lon,
                double *lat);
/* A day of the table's calendar as a window [start, end) in UTC: the
 * local day (or days) in the zone of --tz or of the country at (lon,
 * lat); false after dropping the row. *zone_out gets the zone used. */
bool sm__plocal_span(sm__ptable *t, const char *field, double lon, double lat, double local0,
                     double local1, double *start, double *end, const sm__zone **zone_out);
/* A date in the layouts published tables use: 2020-08-14, 14 August 2020,
 * 14/08/2020 [00:00:00] (day first), october-7-2023, 2016-02-10
 * 00:00:00.000. False when it is none of them or no such day. */
bool sm__parse_day(const char *s, int *year, int *month, int *day);
/* A number in [lo, hi] from text; false when it is not one. */
bool sm__pnumber(const char *s, double lo, double hi, double *out);
/* Calls row(t, user) for every row of the source (t->f, t->row set,
 * scratch emptied); false when the source breaks or out of memory. */
bool sm__peach(sm__ptable *t, void (*row)(sm__ptable *t, void *user), void *user);

/* A normalised claim, written as a feature of the claims layer. */
typedef struct sm__pclaim {
    const char *kind, *id, *label, *claimed_by, *source, *notes;
    double t0, t1;       /* window [t0, t1] (UTC seconds); t1 < t0: no time */
    bool instant;        /* t0 alone, as "time" */
    int offset_min;      /* UTC offset t0 is written in (minutes) */
    int offset_end_min;  /* and t1 */
    double loc_unc_km;   /* < 0: none */
    double time_unc_min; /* < 0: none */
    int geo_precision;   /* 0: none */
    const char *attributed_to, *type, *operator_name, *grading;
    const char *times;      /* a track's times, ';'-separated */
    double lon, lat;        /* a Point, or */
    const double *track_xy; /* n_track lon,lat pairs: a LineString */
    size_t n_track;
    /* other properties as text, verbatim (a --map table); NULL: none */
    const char *text[P_COUNT];
} sm__pclaim;
void sm__pclaim_init(sm__pclaim *c);
/* Writes c into the claims layer with FID fid (its source row); false
 * after an error (t->failed or t->nomem set). */
bool sm__pemit(sm__ptable *t, const sm__pclaim *c, long fid);
/* An actor's name resolved to its operator's canonical name through
 * operators.csv (itself when unknown); a ';'-separated list of names
 * resolved item by item (splitting also at ',' when split_commas). In
 * scratch; NULL out of memory. */
const char *sm__pactors(sm__ptable *t, const char *names, bool split_commas);

/* ---- the profiles (profile_tables.c, opensky.c) ---- */
/* Each reads every row of t->src into t->out; false after a fatal error
 * (rows left out are not fatal). */
bool sm__profile_acled(sm__ptable *t);
bool sm__profile_airwars(sm__ptable *t);
bool sm__profile_ucdp(sm__ptable *t);
bool sm__profile_map(sm__ptable *t);
bool sm__profile_opensky(sm__ptable *t);

/* A table read through its profile (detected or given) into an in-memory
 * claims dataset, or *out NULL when src is a claim file (no profile).
 * Errors are diagnostics naming path. */
sm_status sm__profile_apply(sm_ctx *ctx, const char *path, GDALDatasetH src,
                            const sm_load_options *opt, GDALDatasetH *out);

#endif
