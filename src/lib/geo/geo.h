/*
 * geo/geo.h: geodesy on WGS84 (PROJ's geodesic routines) and the land
 * polygons, for the modules above geo/. Includes core only.
 */
#ifndef SM_GEO_H
#define SM_GEO_H

#include "core/internal.h"

struct geod_geodesic;
/* The WGS84 ellipsoid for PROJ's geod_* calls (initialised once). */
const struct geod_geodesic *sm__wgs84(void);

/* Geodesy (PROJ's geodesic routines on WGS84). */
double sm__geod_distance_km(double lon1, double lat1, double lon2, double lat2);
void sm__geod_direct(double lon1, double lat1, double azi_deg, double dist_km, double *lon2,
                     double *lat2);
/* Earth-centred Cartesian coordinates (km) of a point on the ellipsoid; the
 * chord between two such points never exceeds their geodesic distance, so
 * it is a cheap conservative lower bound. */
void sm__ecef_km(double lon, double lat, double xyz[3]);

/* Load land polygons (land.shp in dir) for at-sea tests. */
typedef struct sm__land sm__land;
/* *out is NULL (with a warning) when dir has no land polygons. */
sm_status sm__land_open(sm_ctx *ctx, const char *dir, sm__land **out);
bool sm__land_contains(sm__land *land, double lon, double lat);
void sm__land_close(sm__land *land);

#endif
