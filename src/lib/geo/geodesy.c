/*
 * geodesy.c: distances and positions on the WGS84 ellipsoid, through PROJ's
 * geodesic routines (Karney's algorithms, geodesic.h). No spherical
 * shortcut stands behind any number a user sees; sm__ecef_km only serves as
 * a conservative bound for skipping work. Module geo/: may call core/ only.
 */
#include <math.h>
#include <pthread.h>

#include <geodesic.h>

#include "geo/geo.h"

#define SM_WGS84_A 6378137.0
#define SM_WGS84_F (1.0 / 298.257223563)

static struct geod_geodesic g_wgs84;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void init_wgs84(void)
{
    geod_init(&g_wgs84, SM_WGS84_A, SM_WGS84_F);
}

const struct geod_geodesic *sm__wgs84(void)
{
    pthread_once(&g_once, init_wgs84);
    return &g_wgs84;
}

double sm__geod_distance_km(double lon1, double lat1, double lon2, double lat2)
{
    double s12;
    geod_inverse(sm__wgs84(), lat1, lon1, lat2, lon2, &s12, NULL, NULL);
    return s12 / 1000.0;
}

void sm__geod_direct(double lon1, double lat1, double azi_deg, double dist_km, double *lon2,
                     double *lat2)
{
    geod_direct(sm__wgs84(), lat1, lon1, azi_deg, dist_km * 1000.0, lat2, lon2, NULL);
}

void sm__ecef_km(double lon, double lat, double xyz[3])
{
    const double a = SM_WGS84_A / 1000.0, f = SM_WGS84_F, e2 = f * (2 - f);
    double phi = lat * SM__PI / 180.0, lam = lon * SM__PI / 180.0;
    double s = sin(phi), c = cos(phi);
    double n = a / sqrt(1 - e2 * s * s);
    xyz[0] = n * c * cos(lam);
    xyz[1] = n * c * sin(lam);
    xyz[2] = n * (1 - e2) * s;
}

double sm_geodesic_inverse(double lon1, double lat1, double lon2, double lat2, double *azimuth_deg)
{
    double s12, azi1, azi2;
    geod_inverse(sm__wgs84(), lat1, lon1, lat2, lon2, &s12, &azi1, &azi2);
    if (azimuth_deg != NULL)
        *azimuth_deg = azi1;
    return s12 / 1000.0;
}

void sm_geodesic_circle(double lon, double lat, double radius_km, size_t n, double *out)
{
    double prev = lon;
    for (size_t i = 0; i < n; i++) {
        double az = 360.0 * (double)i / (double)n, plon, plat;
        sm__geod_direct(lon, lat, az, radius_km, &plon, &plat);
        while (plon - prev > 180)
            plon -= 360;
        while (plon - prev < -180)
            plon += 360;
        prev = plon;
        out[2 * i] = plon;
        out[2 * i + 1] = plat;
    }
}
