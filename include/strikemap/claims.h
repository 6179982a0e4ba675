/*
 * strikemap/claims.h: reference tables (aircraft types, weapons) and claim
 * sets (strikes, aircraft fixes and tracks, bases) loaded through GDAL/OGR.
 *
 * Records are exposed as read-only structs owned by the object they come
 * from; their pointers are borrowed and stay valid until that object is freed.
 */
#ifndef STRIKEMAP_CLAIMS_H
#define STRIKEMAP_CLAIMS_H

#include <stdint.h>
#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Physical bounds (SPEC §6). A number outside them, in a claim, a table or
 * an option, is an error naming the field:
 *  - a speed above 30,000 km/h (well above any aircraft or missile; the
 *    International Space Station flies at about 27,600 km/h);
 *  - a range, radius or location uncertainty beyond 20,004 km, half the
 *    WGS84 meridian (20,003.93 km), the farthest two points can lie apart;
 *  - a time uncertainty beyond a year (366 days, 527,040 minutes). */
#define SM_MAX_SPEED_KMH            30000.0
#define SM_MAX_DISTANCE_KM          20004.0
#define SM_MAX_TIME_UNCERTAINTY_MIN 527040.0

/* ------------------------------------------------------------------------ */
/* Reference tables                                                          */

typedef struct sm_aircraft_type {
    const char *type;                   /* canonical name, e.g. "Su-24M" */
    const char *const *aliases;         /* NULL-terminated */
    double max_speed_kmh;               /* > 0 */
    double cruise_speed_kmh;            /* NAN when the table has none */
    double combat_radius_km;            /* NAN when the table has none */
    const char *const *operators;       /* NULL-terminated */
    const char *const *default_weapons; /* NULL-terminated, names as in the weapons table */
    const char *source;
} sm_aircraft_type;

/* How a weapon is launched (bits of sm_weapon.launch). */
#define SM_LAUNCH_AIR    1u
#define SM_LAUNCH_SHIP   2u
#define SM_LAUNCH_GROUND 4u

typedef struct sm_weapon {
    const char *name;
    const char *const *aliases; /* NULL-terminated */
    double range_km;            /* its own range from release or launch, >= 0 */
    double speed_kmh;           /* its mean speed over that range, > 0 */
    bool guided;
    unsigned launch;              /* SM_LAUNCH_* bits */
    const char *const *carriers;  /* NULL-terminated: aircraft or launcher types */
    const char *const *operators; /* NULL-terminated; empty: fielded by anyone */
    int in_service;               /* year of first operational use; 0 unknown */
    const char *source;
} sm_weapon;

/* A row of the operators table: a country or force (members empty), or one
 * set of a group's members with the dates they took part. Rows of a group
 * share its name and merge. */
typedef struct sm_operator {
    const char *name;           /* canonical, e.g. "Israel", "US-led coalition" */
    const char *const *aliases; /* NULL-terminated: other names (ACLED, Airwars, scripts) */
    const char *const *members; /* NULL-terminated operator names; empty: not a group */
    double from;                /* start of the first day, seconds (UTC); NAN: open */
    double to;                  /* end of the last day (exclusive), seconds; NAN: open */
    const char *source;
} sm_operator;

/* Replace the aircraft (or weapons) table with the CSV at path (columns of
 * data/aircraft.csv, read through OGR's CSV driver). On error the previous
 * table stays and diagnostics say why. */
sm_status sm_tables_load_aircraft(sm_ctx *ctx, const char *path);
sm_status sm_tables_load_weapons(sm_ctx *ctx, const char *path);
/* The operators table (columns of data/operators.csv: name, aliases,
 * members, from, to, source). */
sm_status sm_tables_load_operators(sm_ctx *ctx, const char *path);
/* Load the bundled tables from sm_ctx_home() unless tables are loaded. */
sm_status sm_tables_load_defaults(sm_ctx *ctx);

/* Case-insensitive lookup through names and aliases; NULL when unknown.
 * Borrowed. Loads the default tables first if none are loaded. */
const sm_aircraft_type *sm_tables_find_aircraft(sm_ctx *ctx, const char *name);
const sm_weapon *sm_tables_find_weapon(sm_ctx *ctx, const char *name);
size_t sm_tables_aircraft_count(sm_ctx *ctx);
const sm_aircraft_type *sm_tables_aircraft(sm_ctx *ctx, size_t index);
size_t sm_tables_weapon_count(sm_ctx *ctx);
const sm_weapon *sm_tables_weapon(sm_ctx *ctx, size_t index);
size_t sm_tables_operator_count(sm_ctx *ctx);
const sm_operator *sm_tables_operator(sm_ctx *ctx, size_t index);
/* The first row of the operator or group that name (or one of its aliases)
 * names; NULL when unknown. Borrowed. */
const sm_operator *sm_tables_find_operator(sm_ctx *ctx, const char *name);
/* Whether name (an operator or a group, through aliases) stands for the
 * operator operator_name at instant t (seconds; NAN: at any time): the same
 * operator, or a member of the group on that date (nested groups too).
 * Names the table does not know match only themselves, case-insensitively. */
bool sm_tables_operator_includes(sm_ctx *ctx, const char *name, const char *operator_name,
                                 double t);

/* Up to max known names (types, or weapons) closest to an unknown one, for
 * "did you mean" messages, written to out[] (borrowed strings); returns how
 * many were written. */
size_t sm_tables_suggest_aircraft(sm_ctx *ctx, const char *name, const char **out, size_t max);
size_t sm_tables_suggest_weapon(sm_ctx *ctx, const char *name, const char **out, size_t max);
/* The same for operators and groups (names, not aliases, are returned). */
size_t sm_tables_suggest_operator(sm_ctx *ctx, const char *name, const char **out, size_t max);

/* ------------------------------------------------------------------------ */
/* Claims                                                                    */

typedef enum sm_kind {
    SM_KIND_STRIKE = 1,
    SM_KIND_AIRCRAFT = 2,
    SM_KIND_BASE = 3,
    SM_KIND_LAUNCHER = 4 /* a ship or ground launcher that fired a missile */
} sm_kind;

/* When something happened, as claimed: an instant (start == end) or a window
 * [start, end], plus or minus uncertainty_min. */
typedef struct sm_when {
    bool known;             /* false: no time given; the other fields are 0 */
    double start;           /* seconds since 1970-01-01T00:00:00Z */
    double end;             /* >= start */
    int offset_min;         /* UTC offset the claim was written in (display only) */
    bool offset_given;      /* false when the text had no offset (read as UTC) */
    double uncertainty_min; /* >= 0 */
} sm_when;

typedef enum sm_grading {
    SM_GRADING_NONE = 0,
    SM_GRADING_CONFIRMED,
    SM_GRADING_FAIR,
    SM_GRADING_WEAK,
    SM_GRADING_CONTESTED,
    SM_GRADING_DISCOUNTED
} sm_grading;

/* Properties every claim has. */
typedef struct sm_claim_info {
    const char *id;         /* unique in the claim set */
    const char *label;      /* may be NULL */
    const char *claimed_by; /* may be NULL */
    const char *source;     /* may be NULL */
    const char *notes;      /* may be NULL */
    const char *file;       /* the file it came from */
    long feature;           /* its index in that file, from 0 */
    /* The warnings about this claim ("field: message", such as a time
     * without offset, likely swapped coordinates, an attribution to nothing
     * known), NULL-terminated; NULL when none. Every output carries them
     * with the claim (the verdicts' `warnings`), not only stderr. */
    const char *const *warnings;
} sm_claim_info;

typedef struct sm_strike {
    sm_claim_info info;
    double lon, lat; /* the point; for an area target, a point on it (degrees) */
    /* Area target: the polygon's rings as lon,lat pairs (degrees), ring i
     * holding ring_sizes[i] vertices, the first ring the outer one. The
     * nearest point of the polygon counts for distances. n_rings == 0 for a
     * Point strike. */
    size_t n_rings;
    const size_t *ring_sizes;
    const double *ring_lonlat;
    sm_when when;
    double location_uncertainty_km;
    const char *const *attributed_to; /* NULL-terminated; aircraft ids or operator names */
    const char *weapon;               /* as written; NULL when none */
    const sm_weapon *weapon_ref;      /* resolved; NULL when none */
    sm_grading grading;
    int geo_precision; /* 0 when not given, else 1..3 */
    /* position_checked: false in the claim: the at-sea / far-away check
     * (a genuine naval strike, a strike far from the rest) skips it. */
    bool position_unchecked;
} sm_strike;

/* One claimed position: a Point aircraft has one, a track one per vertex. */
typedef struct sm_fix {
    double lon, lat; /* degrees */
    sm_when when;
} sm_fix;

typedef struct sm_aircraft {
    sm_claim_info info;
    const char *type;                 /* as written */
    const sm_aircraft_type *type_ref; /* NULL when the table does not know it */
    const char *operator_name;        /* NULL when not given */
    const char *base;                 /* base id as written; NULL when none */
    long base_index;                  /* index into the claim set's bases, or -1 */
    const char *weapon;               /* as written; NULL when none */
    const sm_weapon *weapon_ref;
    bool refuelled;
    double location_uncertainty_km;
    double time_uncertainty_min;
    bool is_track; /* LineString with times */
    size_t n_fixes;
    const sm_fix *fixes; /* in time order */
} sm_aircraft;

typedef struct sm_base {
    sm_claim_info info;
    double lon, lat;
    const char *operator_name;
} sm_base;

/* A ship or ground launcher claimed to have fired a missile (the Caspian
 * Flotilla's Kalibr, a Tochka battery). Strikes attributed to it are
 * checked against the weapon alone. */
typedef struct sm_launcher {
    sm_claim_info info;
    double lon, lat; /* where it stood (degrees) */
    sm_when when;    /* launch time; when.known false when not claimed */
    double location_uncertainty_km;
    const char *weapon;          /* as written; never NULL */
    const sm_weapon *weapon_ref; /* resolved; never NULL */
    const char *operator_name;   /* NULL when not given */
} sm_launcher;

typedef struct sm_claims sm_claims;

/* Published tables read as they are (SPEC §7): a profile turns each row of
 * an ACLED export, an Airwars incident table, a UCDP GED file or OpenSky
 * state vectors into a claim; a row without coordinates or with a value
 * that cannot be read is left out with a warning naming file, row and
 * field, and counted. Zero-initialised: profile detected from the header
 * where its columns are unmistakable. */
typedef struct sm_table_options {
    /* "acled", "airwars", "ucdp", "opensky"; "map" (columns named by
     * map[]); "none" (a claim file, never a profile); NULL: detected. An
     * unknown name is an error with a did-you-mean. */
    const char *profile;
    /* The tz database zone (e.g. "Asia/Gaza") that the table's local days
     * and times are in; NULL: the zone of the country each row lies in
     * (the basemap's countries and the tz database's zone.tab). */
    const char *tz;
    /* "PROP=COLUMN" pairs, NULL-terminated (profile "map", implied when
     * given): the claim property each column holds (SPEC §2), plus lon and
     * lat. Rows are strikes unless kind is mapped. */
    const char *const *map;
    /* strptime(3) format of the mapped time columns (e.g. "%d/%m/%Y %H:%M",
     * local times in tz; %z for an offset); NULL: ISO 8601 or OGR's text. */
    const char *time_format;
    /* OpenSky: a gap longer than this (minutes) between two fixes of one
     * aircraft starts a new sortie; 0: 360 (6 h). */
    double max_gap_minutes;
    /* OpenSky: the aircraft type of every track, or a CSV of icao24,type
     * rows; an aircraft in neither has no type (give fallback_speed_kmh). */
    const char *aircraft_type;
    const char *types_file;
} sm_table_options;

/* Options for loading; zero-initialise, then set what you need. */
typedef struct sm_load_options {
    /* Speed (km/h) to assume for aircraft types the table does not know;
     * 0 makes an unknown type an error. */
    double fallback_speed_kmh;
    /* Skip the check for strikes at sea or far from the others (it needs the
     * land polygons of the basemap). */
    bool no_position_check;
    /* Folder with land.shp for the position check; NULL: the bundled basemap. */
    const char *basemap_dir;
    /* Called now and then from the loading thread: what is being done,
     * features read so far, and the fraction done (negative when the
     * source cannot tell its size). NULL: none. */
    void (*progress)(void *user, const char *stage, size_t done, double fraction);
    void *progress_user;
    /* How published tables are read (profiles, column maps). */
    sm_table_options table;
    /* A strike farther than this (km) from every other claim is flagged
     * as far (and maybe swapped); 0: 1000. Fit it to the theatre: a set
     * spanning the Black Sea and the Middle East needs more. A claim's own
     * position_checked: false skips the check for it alone. */
    double far_km;
} sm_load_options;

/* An empty claim set. */
sm_claims *sm_claims_new(void);
void sm_claims_free(sm_claims *claims);

/* Standard input ("-" or "/vsistdin/" as a claims path) is read whole
 * into memory, at most this many bytes (1 GiB; more is an error: give a
 * file instead), and its format told from its first bytes (GeoJSON,
 * GeoJSONSeq, GeoPackage, KML, else CSV). A terminal is refused, not
 * waited on. It can be read once per claim set. */
#define SM_STDIN_MAX_BYTES ((size_t)1 << 30)
/* Whether path names standard input ("-", "/vsistdin/"). */
bool sm_claims_path_is_stdin(const char *path);

/* Read every feature of every layer of an OGR source (a path, "-" for
 * standard input, or anything GDALOpenEx takes: a GeoPackage, "PG:..."
 * connection string, ...) into the set. All problems are collected as diagnostics; the call returns
 * SM_ERR_IO or SM_ERR_FORMAT when the source cannot be read at all, and
 * SM_ERR_INVALID when any feature broke a rule, in which case the
 * offending features are not added. */
sm_status sm_claims_add_file(sm_ctx *ctx, sm_claims *claims, const char *path,
                             const sm_load_options *options);

/* Cross-feature checks, run once every file is added: duplicate ids, bases
 * that name no base feature, attributions to nothing known (a warning), and
 * strikes that look like swapped coordinates (a warning). Resolves the
 * base_index fields. Returns SM_ERR_INVALID when any error was found. */
sm_status sm_claims_finish(sm_ctx *ctx, sm_claims *claims, const sm_load_options *options);

/* Convenience: sm_claims_new, sm_claims_add_file for each path (all of them,
 * even after an error), sm_claims_finish. *out is NULL unless SM_OK. */
sm_status sm_claims_load(sm_ctx *ctx, const char *const *paths, size_t n_paths,
                         const sm_load_options *options, sm_claims **out);

/* Claims as a stream (SPEC §8): for inputs too large to hold. Aircraft,
 * bases and launchers are held; strikes are read from OGR in batches,
 * handed to the caller and forgotten, so that memory does not grow with
 * the strikes.
 *
 *     sm_claims_stream *s;
 *     sm_claims_stream_open(ctx, paths, n, &options, &s); // first reading
 *     sm_claims_stream_run(s, 4096, on_batch, user);       // second
 *     sm_claims_stream_free(s);
 *
 * sm_claims_stream_open reads every file once, with every error and
 * warning sm_claims_load gives (it fails where sm_claims_load fails),
 * keeping of each strike only a 64-bit hash of its id (8 bytes; for
 * duplicate ids) and, unless no_position_check, its position (17 bytes),
 * both freed before it returns; each strike's record goes to a temporary
 * file in TMPDIR (else /tmp), unlinked as soon as it is made, so that it
 * is gone however the run ends (about the size of the records; a folder
 * that cannot hold it is an error, SM_ERR_IO, naming it). sm_claims_stream_run reads the records
 * back and calls on_batch with the set holding the aircraft, bases and launchers and that batch's
 * strikes (at most batch, in input order, with the same records and warnings sm_claims_load gives
 * them); the set and its strikes are valid until on_batch returns. A duplicate strike id is found
 * in this second pass: the run then stops handing over batches and returns SM_ERR_INVALID (a caller
 * writing a file must discard it). A batch returning other than SM_OK stops the run with that
 * status. sm_claims_extent and sm_claims_time_span of the set cover every strike from the first
 * pass on. Standard input and tables read through a profile stream as any file does. One run a
 * stream. */
typedef struct sm_claims_stream sm_claims_stream;
typedef sm_status (*sm_strike_batch_fn)(void *user, const sm_claims *claims);
sm_status sm_claims_stream_open(sm_ctx *ctx, const char *const *paths, size_t n_paths,
                                const sm_load_options *options, sm_claims_stream **out);
/* The set: aircraft, bases, launchers; during on_batch, the batch's strikes. */
const sm_claims *sm_claims_stream_claims(const sm_claims_stream *stream);
/* Strikes in the files (known from sm_claims_stream_open on). */
size_t sm_claims_stream_strike_count(const sm_claims_stream *stream);
sm_status sm_claims_stream_run(sm_claims_stream *stream, size_t batch, sm_strike_batch_fn on_batch,
                               void *user);
void sm_claims_stream_free(sm_claims_stream *stream);

/* Read one source through its profile (options->table) and write the
 * claims it holds as a claim file, GeoJSON or GeoPackage by out_path's
 * extension (.geojson, .json, .gpkg), through a temporary file renamed
 * over out_path (nothing is written on error). The claims are validated
 * as sm_claims_load would; *n_written (may be NULL) gets their count. */
sm_status sm_claims_import(sm_ctx *ctx, const char *path, const sm_load_options *options,
                           const char *out_path, size_t *n_written);

/* The profiles that sm_table_options.profile names, NULL-terminated. */
const char *const *sm_claims_profiles(void);

size_t sm_claims_strike_count(const sm_claims *claims);
size_t sm_claims_aircraft_count(const sm_claims *claims);
size_t sm_claims_base_count(const sm_claims *claims);
size_t sm_claims_launcher_count(const sm_claims *claims);
/* The sources the set was read from, as named (each once a reading). */
size_t sm_claims_file_count(const sm_claims *claims);
const char *sm_claims_file(const sm_claims *claims, size_t index);
const sm_launcher *sm_claims_launcher(const sm_claims *claims, size_t index);
const sm_strike *sm_claims_strike(const sm_claims *claims, size_t index);
const sm_aircraft *sm_claims_aircraft(const sm_claims *claims, size_t index);
const sm_base *sm_claims_base(const sm_claims *claims, size_t index);

/* Extent of every coordinate in the set (degrees, lon before lat). When the
 * claims straddle the antimeridian, west > east. Returns false when empty. */
bool sm_claims_extent(const sm_claims *claims, double *west, double *south, double *east,
                      double *north);
/* Earliest and latest instant of any claim with a time; false when none. */
bool sm_claims_time_span(const sm_claims *claims, double *first, double *last);

/* Parse an ISO 8601 date-time ("2016-02-10T13:55:00+03:00", "...Z",
 * "2016-02-10 13:55", "2016-02-10" for a whole day). On success fills *when
 * (instant, or a day-long window for a date alone) and returns true; sets
 * when->offset_given false when the text had no offset. */
bool sm_time_parse(const char *text, sm_when *when);
/* Format an instant as ISO 8601 in the given UTC offset, e.g.
 * "2016-02-10T13:55:00+03:00" (offset 0 prints "Z"). Returns buf. */
char *sm_time_format(double t, int offset_min, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
