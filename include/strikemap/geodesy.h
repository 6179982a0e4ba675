/*
 * strikemap/geodesy.h: geodesics on the WGS84 ellipsoid (PROJ's geodesic
 * routines, Karney's algorithms) and the area an aircraft can reach, by
 * the model of check (strikemap/model.h). Longitude before latitude
 * everywhere, in degrees; distances in km.
 */
#ifndef STRIKEMAP_GEODESY_H
#define STRIKEMAP_GEODESY_H

#include <stddef.h>
#include "core.h"
#include "claims.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Geodesic distance (km) and forward azimuth at the first point (degrees
 * clockwise from north) between two points on WGS84; azimuth_deg may be
 * NULL. */
double sm_geodesic_inverse(double lon1, double lat1, double lon2, double lat2, double *azimuth_deg);

/* The ring of a geodesic circle: n points (lon, lat) written into out
 * (2 n doubles, the caller's), from azimuth 0 clockwise, longitudes
 * unwrapped so that consecutive points differ by less than 180 degrees. */
void sm_geodesic_circle(double lon, double lat, double radius_km, size_t n, double *out);

/* The area within radius_km of (lon, lat) (degrees): a geodesic circle, as
 * a GeoJSON FeatureCollection holding one Feature whose geometry is a
 * Polygon, or a MultiPolygon when it crosses the antimeridian, containing a
 * pole where it does; its properties are properties_json (a JSON object;
 * NULL: {}). Vertices every azimuth_step_deg degrees of azimuth (0: 1
 * degree). The returned string is the caller's: free it with
 * sm_string_free. NULL on error (a diagnostic says why). */
char *sm_reach_geojson(sm_ctx *ctx, double lon, double lat, double radius_km,
                       double azimuth_step_deg, const char *properties_json);

/* The reach of an aircraft type from a point, by the model of check
 * (strikemap/model.h): the same weapon rule, the same time test (weapon
 * flight included, at top and at cruise speed), the same sortie test. */
typedef struct sm_reach_options {
    size_t size;               /* sizeof(sm_reach_options), the layout version:
                                  set by sm_reach_options_init */
    const char *type;          /* aircraft type, through aliases; borrowed */
    double fallback_speed_kmh; /* top speed when the table does not know the type; 0: none */
    double lon, lat;           /* where from (degrees) */
    double minutes;            /* time available; NAN: none (the sortie alone) */
    const char *weapon;        /* NULL: the model's default; "none": no weapon; borrowed */
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

/* Set size and the defaults (no fallback speed, minutes NAN, the model's
 * weapon, any operator, any date, no base); lon, lat and type are the
 * caller's to set. NULL: nothing. */
void sm_reach_options_init(sm_reach_options *options);

/* Fill *out (its pointers borrow from the context's tables). An options.size
 * other than sizeof(sm_reach_options) is refused with SM_ERR_USAGE and a
 * diagnostic naming options.size. */
sm_status sm_reach_compute(sm_ctx *ctx, const sm_reach_options *options, sm_reach_result *out);

/* The area as GeoJSON: a FeatureCollection with one feature per tier
 * ("top", "cruise"; "sortie" without minutes), each a geodesic area split
 * at the antimeridian and closed over a pole; with a base, each tier cut to
 * the points whose route base -> start -> release point -> base stays within
 * twice the combat radius (radius_km is then the farthest point). Vertices
 * every azimuth_step_deg degrees (0: 1). Free with sm_string_free. NULL on
 * error. */
char *sm_reach_area_geojson(sm_ctx *ctx, const sm_reach_options *options, double azimuth_step_deg);

#ifdef __cplusplus
}
#endif
#endif
