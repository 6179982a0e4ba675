/*
 * strikemap/check.h: plausibility of strike/aircraft pairs (SPEC §3), the
 * verdict outputs, and the geodesic reach area of an aircraft type.
 *
 * The model: d is the geodesic distance on WGS84 (PROJ's geod_inverse) from
 * a claimed fix to the strike (to the nearest point of an area target);
 * the time available is the widest separation the two claimed times allow
 * plus both time uncertainties; reach is max speed x time available + weapon
 * range + both location uncertainties. From a known base the strike must lie
 * within combat radius + weapon range + the strike's location uncertainty,
 * unless air-to-air refuelling is claimed. A fix farther in time than the
 * maximum gap (default 6 h) from the strike does not bind.
 */
#ifndef STRIKEMAP_CHECK_H
#define STRIKEMAP_CHECK_H

#include <stdio.h>
#include "claims.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sm_verdict {
    SM_VERDICT_UNKNOWN = 0, /* a needed number is missing */
    SM_VERDICT_PLAUSIBLE = 1,
    SM_VERDICT_MARGINAL = 2,   /* possible, but needs > marginal fraction of a limit */
    SM_VERDICT_IMPLAUSIBLE = 3 /* a binding condition fails */
} sm_verdict;

/* "unknown", "plausible", "marginal", "implausible"; static storage. */
const char *sm_verdict_str(sm_verdict verdict);

/* The tests of SPEC §3; a pair's decided_by names the one that decided its
 * verdict (the failing or marginal one; for a plausible pair the one with
 * the least margin). */
typedef enum sm_test {
    SM_TEST_NONE = 0,    /* no test could be made: the verdict is unknown */
    SM_TEST_TIME = 1,    /* distance against speed x time, weapon flight included */
    SM_TEST_SORTIE = 2,  /* base -> fixes -> release point -> base within the combat radius */
    SM_TEST_LAUNCHER = 3 /* a launcher's weapon: range, and flight time against the time */
} sm_test;

/* "none", "time", "sortie", "launcher"; static storage. */
const char *sm_test_str(sm_test test);

typedef enum sm_pairing {
    SM_PAIRS_ATTRIBUTED = 0, /* each strike with what its claimant attributes it to */
    SM_PAIRS_OPERATOR = 1,   /* each strike with every aircraft of one operator */
    SM_PAIRS_ALL = 2         /* each strike with every aircraft */
} sm_pairing;

/* Zero-initialise, then set what you need; zero fields take the defaults. */
typedef struct sm_check_options {
    sm_pairing pairing;
    const char *operator_name; /* for SM_PAIRS_OPERATOR; matched case-insensitively */
    double marginal_fraction;  /* default 0.8 */
    double max_gap_minutes;    /* default 360 (6 h) */
    double fallback_speed_kmh; /* for types the table does not know; 0: none */
    /* With SM_PAIRS_OPERATOR and SM_PAIRS_ALL, pairs with no binding fix
     * (unknown) and pairs a conservative bound shows implausible are counted
     * in the summary, not listed; list_all lists them too, with their exact
     * numbers. Attributed pairs are always all listed. */
    bool list_all;
    int threads; /* worker threads; 0: one per core */
    /* Leave closest_approach_km NAN: for callers that do not report it (no
     * verdict depends on it, and it costs about a third of the work). */
    bool no_closest_approach;
    /* Called between blocks of strikes, from the calling thread: strikes
     * done and the fraction done. NULL: none. */
    void (*progress)(void *user, size_t strikes_done, double fraction);
    void *progress_user;
} sm_check_options;

/* One strike/aircraft pair and the numbers behind its verdict. Distances in
 * km, speeds in km/h, times in minutes; NAN where a number does not apply
 * or is unknown. Pointers are borrowed from the claims or the tables. */
typedef struct sm_pair {
    size_t strike;   /* index in the claim set's strikes */
    size_t aircraft; /* index in the claim set's aircraft */
    sm_verdict verdict;
    long fix;                  /* the binding fix (tightest), index into fixes; -1: none */
    int n_binding;             /* how many fixes bind (0 to 2, more inside a window) */
    double distance_km;        /* binding fix to strike */
    double available_minutes;  /* time available from that fix */
    double required_speed_kmh; /* speed needed to bring the strike within weapon range */
    double max_speed_kmh;
    double reach_km;
    const char *weapon;             /* the weapon assumed; NULL when none is known */
    bool weapon_assumed;            /* true: the type's longest default weapon, not claimed */
    bool weapon_not_carried;        /* the claimed weapon's carriers in the table leave out the
                                       aircraft's type (its range is used all the same) */
    double weapon_range_km;         /* 0 when no weapon is known */
    double location_uncertainty_km; /* strike's + aircraft's */
    double base_distance_km;        /* base to strike; NAN without a base */
    double combat_radius_km;        /* NAN without a base or a radius, or when refuelled */
    double margin_km;               /* smallest slack over all binding conditions; < 0 fails */
    double closest_approach_km;     /* of the whole track (or the fix) to the strike */
    double gap_minutes;             /* unknown verdicts: time to the nearest fix; else NAN */
    unsigned missing;               /* SM_MISSING_* bits for unknown verdicts */
    /* Model v2 (SPEC §3): what decided, and each test's record. */
    sm_kind by_kind;              /* SM_KIND_AIRCRAFT, or SM_KIND_LAUNCHER: then
                                     `aircraft` indexes the claim set's launchers */
    sm_test decided_by;           /* the test that decided the verdict */
    double cruise_speed_kmh;      /* the type's; NAN when the table has none */
    double weapon_speed_kmh;      /* mean speed of the weapon assumed; NAN without one */
    sm_weapon_basis weapon_basis; /* why that weapon */
    unsigned weapon_flags;        /* SM_WEAPON_NOT_* for a claimed weapon that does not fit */
    double time_margin_km;     /* time test: reach at top speed less the distance; NAN: not made */
    double cruise_reach_km;    /* time test: the same reach at cruise speed; NAN: not made */
    double route_km;           /* sortie test: the route; NAN: not made */
    double sortie_limit_km;    /* sortie test: twice the combat radius */
    double sortie_margin_km;   /* sortie test: limit less route; NAN: not made */
    int route_fixes;           /* sortie test: claimed fixes on the route */
    double launcher_margin_km; /* launcher test: the tighter of range and time; NAN: not made */
    double marginal_fraction;  /* the --marginal fraction the verdict used */
    double max_gap_minutes;    /* the --max-gap the verdict used */
} sm_pair;

#define SM_MISSING_STRIKE_TIME 1u /* the strike has no time */
#define SM_MISSING_FIX_TIME    2u /* the aircraft's fix has no time */
#define SM_MISSING_NEAR_FIX    4u /* no fix within the maximum gap */
#define SM_MISSING_MAX_SPEED   8u /* the type is not in the table and no fallback speed */
#define SM_MISSING_COARSE_TIME                                                                     \
    16u /* the strike's time is known only to a window                                             \
           wider than the maximum gap (a date alone) */

/* What a run found, counted over every pair considered. */
typedef struct sm_check_summary {
    size_t strikes;
    size_t aircraft;
    size_t pairs;                /* considered */
    size_t listed;               /* handed to the caller */
    size_t by_verdict[4];        /* indexed by sm_verdict, listed or not */
    size_t unlisted_unknown;     /* no fix within the gap, counted only */
    size_t unlisted_implausible; /* ruled out by the bound, counted only */
    size_t exact_distances;      /* geodesic inverse problems solved */
    size_t strikes_unattributed; /* attributed mode: strikes naming nothing to check */
    size_t launchers;            /* launcher claims in the set */
} sm_check_summary;

/* Called for each listed pair, in order of strike then aircraft index,
 * from the calling thread. Return false to stop. */
typedef bool (*sm_pair_fn)(void *user, const sm_pair *pair);

/* Evaluate the pairs the options ask for and hand each listed one to fn.
 * Memory stays bounded however many pairs there are. summary may be NULL. */
sm_status sm_check_each(sm_ctx *ctx, const sm_claims *claims, const sm_check_options *options,
                        sm_pair_fn fn, void *user, sm_check_summary *summary);

/* The same, keeping the listed pairs in an sm_check object. */
typedef struct sm_check sm_check;
sm_status sm_check_run(sm_ctx *ctx, const sm_claims *claims, const sm_check_options *options,
                       sm_check **out);
void sm_check_free(sm_check *check);
size_t sm_check_pair_count(const sm_check *check);
const sm_pair *sm_check_pair(const sm_check *check, size_t index);   /* borrowed */
const sm_check_summary *sm_check_summary_get(const sm_check *check); /* borrowed */

/* The reasons for a pair's verdict, as sentences a reader understands,
 * written into buf (always NUL-terminated when size > 0). Returns the length
 * the full text needs. */
size_t sm_pair_reasons(const sm_pair *pair, const sm_claims *claims, char *buf, size_t size);

/* The warnings about the pair's two claims (a time without offset, likely
 * swapped coordinates, an attribution to nothing known...), as
 * "strike ID: field: message; aircraft ID: ...", written into buf like
 * sm_pair_reasons; 0 when none. Every verdict format carries them. */
size_t sm_pair_warnings(const sm_pair *pair, const sm_claims *claims, char *buf, size_t size);

/* ---- output ---------------------------------------------------------- */

typedef enum sm_format {
    SM_FORMAT_TEXT = 0, /* an aligned table */
    SM_FORMAT_JSON = 1, /* {"summary": {...}, "pairs": [...]} */
    SM_FORMAT_CSV = 2,
    SM_FORMAT_GEOJSON = 3, /* a LineString from each fix to its strike */
    SM_FORMAT_GPKG = 4,
    SM_FORMAT_KML = 5, /* Google Earth: OGR's KML driver */
    SM_FORMAT_KMZ = 6  /* zipped KML: OGR's LIBKML driver; needs a file */
} sm_format;

/* Parse "text", "json", "csv", "geojson", "gpkg", "kml", "kmz"; false when
 * none. */
bool sm_format_parse(const char *name, sm_format *out);
/* The format's name ("geojson"); NULL for a value out of range. */
const char *sm_format_name(sm_format format);
/* The format a file name's extension names (".txt", ".json", ".csv",
 * ".geojson", ".gpkg", ".kml", ".kmz", any case): 1 and *out set; 0 when
 * the name has no extension or is standard output ("-", "/dev/stdout");
 * -1 when no writer handles the extension (".shp", ".fgb"). */
int sm_format_from_path(const char *path, sm_format *out);

/* Writes pairs as they come. Text, JSON and CSV go to a stream (path NULL)
 * or a file; GeoJSON, GeoPackage, KML and KMZ need a path (GeoJSON and KML
 * may be "-", standard output). A path whose extension names another
 * format (".kml" for SM_FORMAT_JSON), or that is one of the files the
 * claims were read from, is SM_ERR_USAGE. A file is written to a
 * temporary name beside it and renamed by sm_writer_close, so an existing
 * file is never left half-written; sm_writer_abort removes the temporary. */
typedef struct sm_writer sm_writer;
sm_status sm_writer_open(sm_ctx *ctx, const sm_claims *claims, sm_format format, const char *path,
                         FILE *stream, sm_writer **out);
sm_status sm_writer_add(sm_writer *writer, const sm_pair *pair);
/* Evaluate the pairs the options ask for and write each listed one; text,
 * JSON and CSV rows are formatted by the worker threads. Then close the
 * writer with sm_writer_close(writer, summary). */
sm_status sm_check_write(sm_ctx *ctx, const sm_claims *claims, const sm_check_options *options,
                         sm_writer *writer, sm_check_summary *summary);
/* Writes the summary (where the format has a place for it) and commits. */
sm_status sm_writer_close(sm_writer *writer, const sm_check_summary *summary);
void sm_writer_abort(sm_writer *writer);

/* Every file the library writes (verdicts, maps, reports) goes to a
 * temporary beside its target and is renamed into place when complete.
 * The path "-" or "/dev/stdout" writes to standard output (no temporary);
 * a symlink is written through (its target replaced, not the link); an
 * existing device or FIFO is written to as it is.
 * Install handlers for SIGINT, SIGTERM and SIGHUP (unless ignored) that
 * remove the temporaries being written, then end the process with the
 * signal's default action. A signal arriving while a map and its side
 * files are renamed into place waits for that to end. For programs that
 * do not handle these signals themselves; call once, early. */
sm_status sm_files_handle_signals(void);

/* Write len bytes of data to path as one file, in the same way (temporary,
 * then rename; "-" is standard output). */
sm_status sm_file_write(sm_ctx *ctx, const char *path, const void *data, size_t len);

/* ---- reach ------------------------------------------------------------- */

/* The area an aircraft can reach from (lon, lat): a geodesic circle of
 * radius radius_km, as a GeoJSON Feature with a Polygon, or a MultiPolygon
 * when it crosses the antimeridian, and containing a pole where it does.
 * Vertices every azimuth_step_deg degrees of azimuth (0: 1 degree).
 * The returned string is owned by the caller (free()). NULL on error. */
char *sm_reach_geojson(sm_ctx *ctx, double lon, double lat, double radius_km,
                       double azimuth_step_deg, const char *properties_json);

/* The reach of an aircraft type from a point, by the model of check
 * (strikemap/model.h): the same weapon rule, the same time test (weapon
 * flight included, at top and at cruise speed), the same sortie test. */
typedef struct sm_reach_options {
    size_t size;               /* sizeof(sm_reach_options): the layout version */
    const char *type;          /* aircraft type, through aliases */
    double fallback_speed_kmh; /* top speed when the table does not know the type; 0: none */
    double lon, lat;           /* where from (degrees) */
    double minutes;            /* time available; NAN: none (the sortie alone) */
    const char *weapon;        /* NULL: the model's default; "none": no weapon */
    const char *operator_name; /* for the default weapon (who fields it); NULL: anyone */
    double time;               /* instant for the default weapon's year (seconds); NAN: any */
    bool has_base;             /* cut the area to what a sortie from the base allows */
    double base_lon, base_lat; /* (degrees) */
} sm_reach_options;

typedef struct sm_reach_result {
    const sm_aircraft_type *type; /* NULL when the fallback speed stands in */
    const sm_weapon *weapon;      /* NULL: none */
    sm_weapon_basis basis;
    double max_speed_kmh, cruise_speed_kmh, combat_radius_km; /* NAN when unknown */
    double top_km;    /* time test reach at top speed (sm_model_reach_km); NAN without minutes */
    double cruise_km; /* the same at cruise speed; NAN without minutes or cruise speed */
    double sortie_km; /* combat radius + weapon range, out and back from the start; NAN */
} sm_reach_result;

sm_status sm_reach_compute(sm_ctx *ctx, const sm_reach_options *options, sm_reach_result *out);

/* The area as GeoJSON: a FeatureCollection with one feature per tier
 * ("top", "cruise"; "sortie" without minutes), each a geodesic area split
 * at the antimeridian and closed over a pole; with a base, each tier cut to
 * the points whose route base -> start -> release point -> base stays within
 * twice the combat radius (radius_km is then the farthest point). Vertices
 * every azimuth_step_deg degrees (0: 1). Free with sm_string_free. NULL on
 * error. */
char *sm_reach_area_geojson(sm_ctx *ctx, const sm_reach_options *options, double azimuth_step_deg);

/* The ring of a geodesic circle: n points (lon, lat) written into out
 * (2 n doubles), from azimuth 0 clockwise, longitudes unwrapped so that
 * consecutive points differ by less than 180 degrees. */
void sm_geodesic_circle(double lon, double lat, double radius_km, size_t n, double *out);

/* Geodesic distance (km) and forward azimuth (degrees) between two points
 * on WGS84; azimuth may be NULL. */
double sm_geodesic_inverse(double lon1, double lat1, double lon2, double lat2, double *azimuth_deg);

#ifdef __cplusplus
}
#endif
#endif
