/*
 * distance.c: exact geodesic distances of a pair (PROJ's geod_inverse,
 * Karney's algorithms) from a fix, a track or a base to a strike point or
 * area, and the conservative bounds (straight chords through the Earth,
 * which never exceed the geodesic) that let the engine skip them.
 */
#include <math.h>
#include <stdlib.h>

#include <geodesic.h>

#include "check/engine.h"

double sm__chord_km(const double a[3], const double b[3])
{
    double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
    return sqrt(dx * dx + dy * dy + dz * dz);
}

/* Distance (km) from (lon, lat) to the geodesic segment A-B of length
 * len_km, given the exact distances dA, dB to its ends. The foot of the
 * perpendicular is first placed by the plane triangle (dA, dB, len), then
 * refined: at each step the geodesic inverse from the current point gives
 * the distance and the angle to the line, and the foot moves by d cos(angle)
 * along it, the move that is exact in the tangent plane. Converges to well
 * under a millimetre in two or three steps. */
static double segment_distance(double lon, double lat, const sm_fix *a, const sm_fix *b,
                               double len_km, double dA, double dB, size_t *n_exact)
{
    double best = fmin(dA, dB);
    if (len_km <= 1e-9)
        return best;
    double x = (len_km * len_km + dA * dA - dB * dB) / (2 * len_km);
    if (x <= 0 || x >= len_km)
        return best; /* the nearest point is an end */
    struct geod_geodesicline line;
    geod_inverseline(&line, sm__wgs84(), a->lat, a->lon, b->lat, b->lon,
                     GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_AZIMUTH | GEOD_DISTANCE_IN);
    (*n_exact)++;
    double L = line.s13;
    double xm = x * 1000.0;
    for (int iter = 0; iter < 6; iter++) {
        double plat, plon, pazi, s12, azi1, azi2;
        geod_position(&line, xm, &plat, &plon, &pazi);
        geod_inverse(sm__wgs84(), plat, plon, lat, lon, &s12, &azi1, &azi2);
        (*n_exact)++;
        best = fmin(best, s12 / 1000.0);
        double step = s12 * cos((azi1 - pazi) * SM__PI / 180.0);
        double next = fmin(fmax(xm + step, 0.0), L);
        if (fabs(next - xm) < 1e-4)
            break;
        xm = next;
    }
    return best;
}

/* Longitude x moved by whole turns to within 180 degrees of ref. */
static double near_lon(double x, double ref)
{
    while (x - ref > 180)
        x -= 360;
    while (x - ref < -180)
        x += 360;
    return x;
}

/* Crossing-number test of a point against a polygon's rings in lon/lat
 * (small area targets; even-odd over all rings handles holes), with the
 * rings' longitudes taken within 180 degrees of the point's, so that a
 * target across the antimeridian is tested whole. */
static bool in_rings(const sm_strike *s, double lon, double lat)
{
    bool inside = false;
    const double *p = s->ring_lonlat;
    for (size_t r = 0; r < s->n_rings; r++) {
        size_t n = s->ring_sizes[r];
        for (size_t i = 0, j = n ? n - 1 : 0; i < n; j = i++) {
            double xi = near_lon(p[2 * i], lon), yi = p[2 * i + 1];
            double xj = near_lon(p[2 * j], lon), yj = p[2 * j + 1];
            if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
                inside = !inside;
        }
        p += 2 * n;
    }
    return inside;
}

/* Distance from a point to the strike: to its point, or to the nearest point
 * of its area (0 inside). */
double sm__strike_distance(const sm_strike *s, double lon, double lat, size_t *n_exact)
{
    if (s->n_rings == 0) {
        (*n_exact)++;
        return sm__geod_distance_km(lon, lat, s->lon, s->lat);
    }
    if (in_rings(s, lon, lat))
        return 0;
    double best = (double)INFINITY;
    const double *p = s->ring_lonlat;
    sm_fix v0 = {0}, v1 = {0};
    for (size_t r = 0; r < s->n_rings; r++) {
        size_t n = s->ring_sizes[r];
        for (size_t i = 0; i + 1 < n; i++) {
            v0.lon = p[2 * i];
            v0.lat = p[2 * i + 1];
            v1.lon = p[2 * i + 2];
            v1.lat = p[2 * i + 3];
            double d0 = sm__geod_distance_km(lon, lat, v0.lon, v0.lat);
            double d1 = sm__geod_distance_km(lon, lat, v1.lon, v1.lat);
            double len = sm__geod_distance_km(v0.lon, v0.lat, v1.lon, v1.lat);
            *n_exact += 3;
            best = fmin(best, segment_distance(lon, lat, &v0, &v1, len, d0, d1, n_exact));
        }
        p += 2 * n;
    }
    return best;
}

/* A lower bound (km) of the geodesic distance from s to any point of the
 * geodesic segment a-b of length len_km: every point of that segment lies
 * within its sagitta, len^2 / 8 R_min, of the straight chord a-b (a
 * geodesic's curvature in space never exceeds 1 / R_min, R_min = b^2 / a
 * the ellipsoid's least radius of curvature), and a geodesic is never
 * shorter than the chord. */
static double segment_bound(const double a[3], const double b[3], const double s[3], double len_km)
{
    double ab[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    double as[3] = {s[0] - a[0], s[1] - a[1], s[2] - a[2]};
    double ab2 = ab[0] * ab[0] + ab[1] * ab[1] + ab[2] * ab[2];
    double t = ab2 > 0 ? (as[0] * ab[0] + as[1] * ab[1] + as[2] * ab[2]) / ab2 : 0;
    t = t < 0 ? 0 : (t > 1 ? 1 : t);
    double q[3] = {a[0] + t * ab[0] - s[0], a[1] + t * ab[1] - s[1], a[2] + t * ab[2] - s[2]};
    const double r_min = 6335.439; /* km, b^2 / a on WGS84 */
    return sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]) - len_km * len_km / (8 * r_min) - 1e-6;
}

/* The foot of the perpendicular from the strike on the segment leaving
 * vertex (vlon, vlat) at azimuth azi_seg (degrees), len_km long, given the
 * exact distance d and azimuth azi_s from the vertex to the strike. When
 * the strike lies ahead (angle under 90 degrees), the foot is placed by the
 * tangent-plane step d cos(angle), then moved by the same step from there
 * until it stops; the distance reported is the exact geodesic one from the
 * strike to that point of the segment. Returns INFINITY when the nearest
 * point of the segment is the vertex itself. */
static double foot_distance(double vlon, double vlat, double azi_seg, double len_km, double d,
                            double azi_s, double slon, double slat, size_t *n_exact)
{
    double c = cos((azi_s - azi_seg) * SM__PI / 180.0);
    if (c <= 0 || len_km <= 0)
        return (double)INFINITY;
    struct geod_geodesicline line;
    geod_lineinit(&line, sm__wgs84(), vlat, vlon, azi_seg,
                  GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_AZIMUTH | GEOD_DISTANCE_IN);
    /* first guess: the foot on a sphere of mean radius, tan(x/R) = tan(d/R)
     * cos(angle); the iteration below makes it right on the ellipsoid */
    const double R = 6371008.8;
    double dm = d * 1000.0;
    double x0 = dm < R * 1.5 ? R * atan(tan(dm / R) * c) : dm * c;
    double L = len_km * 1000.0, x = fmin(x0, L), best = (double)INFINITY;
    for (int iter = 0; iter < 6; iter++) {
        double plat, plon, pazi, s12, azi1, azi2;
        geod_position(&line, x, &plat, &plon, &pazi);
        geod_inverse(sm__wgs84(), plat, plon, slat, slon, &s12, &azi1, &azi2);
        (*n_exact)++;
        best = fmin(best, s12 / 1000.0);
        double step = s12 * cos((azi1 - pazi) * SM__PI / 180.0);
        double next = fmin(fmax(x + step, 0.0), L);
        /* The distance is stationary at the foot: a point |dx| from it is
         * farther by about dx^2 / 2d. Stop when that is under 0.1 mm. */
        double dx = next - x;
        if (dx * dx <= 2e-4 * fmax(s12, 1.0) || fabs(dx) < 1e-3)
            break;
        x = next;
    }
    return best;
}

/* Closest approach of the aircraft's whole track (geodesics between fixes)
 * to the strike. best: an exact distance already known (a binding fix).
 * The vertex with the smallest chord is solved exactly, then the feet on
 * its two segments; any other segment whose chord bound (cA + cB - L) / 2
 * (triangle inequality; chords never exceed geodesics) is under the best
 * so far is solved too, so the result is exact however the track winds. */
double sm__closest_approach(const engine *e, const sm_aircraft *a, const prep *p,
                            const sm_strike *s, const double sxyz[3], double best,
                            const known_fix *known, size_t n_known, size_t *n_exact)
{
    if (s->n_rings > 0) {
        for (size_t k = 0; k < a->n_fixes; k++)
            best = fmin(best, sm__strike_distance(s, a->fixes[k].lon, a->fixes[k].lat, n_exact));
        return best;
    }
    size_t n = a->n_fixes;
    const double(*xyz)[3] = (const double(*)[3])e->xyz + p->xyz_off;
    const double *seg = e->seg_km + p->xyz_off;
    const double *anext = e->azi_next + p->xyz_off, *aprev = e->azi_prev + p->xyz_off;
    const block *blk = e->blk + p->blk_off;
    /* The lower bound of a run of segments is recomputed in the second pass
     * rather than stored: no allocation, so no failure can cut the search. */
    /* the vertex with the smallest chord, among runs that can beat best */
    size_t kmin = 0;
    double c2min = (double)INFINITY;
    for (size_t j = 0; j < p->n_blk; j++) {
        if (sm__chord_km(blk[j].c, sxyz) - blk[j].r >= best)
            continue;
        size_t k1 = (j + 1) * SM_BLOCK < n - 1 ? (j + 1) * SM_BLOCK : n - 1;
        for (size_t k = j * SM_BLOCK; k <= k1; k++) {
            double dx = xyz[k][0] - sxyz[0], dy = xyz[k][1] - sxyz[1], dz = xyz[k][2] - sxyz[2];
            double c2 = dx * dx + dy * dy + dz * dz;
            if (c2 < c2min) {
                c2min = c2;
                kmin = k;
            }
        }
    }
    size_t reuse = n_known;
    for (size_t i = 0; i < n_known; i++)
        if (known[i].fix == kmin)
            reuse = i;
    if (reuse < n_known || sqrt(c2min) < best) {
        double s12, azi1, azi2;
        if (reuse < n_known) {
            /* a binding fix: its distance and azimuth are known already */
            s12 = known[reuse].d_km * 1000.0;
            azi1 = known[reuse].azi;
        } else {
            geod_inverse(sm__wgs84(), a->fixes[kmin].lat, a->fixes[kmin].lon, s->lat, s->lon, &s12,
                         &azi1, &azi2);
            (*n_exact)++;
        }
        double d = s12 / 1000.0;
        best = fmin(best, d);
        if (kmin + 1 < n)
            best = fmin(best, foot_distance(a->fixes[kmin].lon, a->fixes[kmin].lat, anext[kmin],
                                            seg[kmin], d, azi1, s->lon, s->lat, n_exact));
        if (kmin > 0)
            best = fmin(best, foot_distance(a->fixes[kmin].lon, a->fixes[kmin].lat, aprev[kmin],
                                            seg[kmin - 1], d, azi1, s->lon, s->lat, n_exact));
    }
    /* any other segment that could still come nearer is solved exactly */
    for (size_t j = 0; j < p->n_blk; j++) {
        if (sm__chord_km(blk[j].c, sxyz) - blk[j].r >= best)
            continue;
        size_t k1 = (j + 1) * SM_BLOCK < n - 1 ? (j + 1) * SM_BLOCK : n - 1;
        for (size_t k = j * SM_BLOCK; k < k1; k++) {
            if (k == kmin || k + 1 == kmin)
                continue;
            if (segment_bound(xyz[k], xyz[k + 1], sxyz, seg[k]) >= best)
                continue;
            double dA = sm__geod_distance_km(a->fixes[k].lon, a->fixes[k].lat, s->lon, s->lat);
            double dB =
                sm__geod_distance_km(a->fixes[k + 1].lon, a->fixes[k + 1].lat, s->lon, s->lat);
            *n_exact += 2;
            best = fmin(best, segment_distance(s->lon, s->lat, &a->fixes[k], &a->fixes[k + 1],
                                               seg[k], dA, dB, n_exact));
        }
    }
    return best;
}
