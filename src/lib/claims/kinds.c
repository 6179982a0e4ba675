/*
 * claims/kinds.c: one feature into the claim set: its kind, then a strike,
 * an aircraft (a fix or a track), a base or a launcher, each with the rules
 * of SPEC §2; a feature with an error is reported and not kept.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "claims/load.h"

/* Default location uncertainty for ACLED's geo_precision codes: 1, the
 * place itself (the extent of a town); 2, "near" a place or a part of a
 * district; 3, only the wider region (ACLED codebook 2019, §"Geo-precision").
 * The radii are strikemap's reading of those classes, documented in the
 * README. */
static const double g_geo_precision_km[4] = {0, 2.0, 25.0, 100.0};

static void read_strike(reader *r, OGRGeometryH g)
{
    sm_strike s;
    memset(&s, 0, sizeof(s));
    sm__read_common(r, &s.info);
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    sm__arena *a = r->keep;
    if (t == wkbPoint) {
        sm__read_point(r, g, &s.lon, &s.lat);
    } else if (t == wkbPolygon || t == wkbMultiPolygon) {
        /* Rings of every part; the outer ring of the first part comes first. */
        size_t n_rings = 0, n_pts = 0;
        int parts = t == wkbPolygon ? 1 : OGR_G_GetGeometryCount(g);
        for (int p = 0; p < parts; p++) {
            OGRGeometryH poly = t == wkbPolygon ? g : OGR_G_GetGeometryRef(g, p);
            for (int k = 0; k < OGR_G_GetGeometryCount(poly); k++) {
                n_rings++;
                n_pts += (size_t)OGR_G_GetPointCount(OGR_G_GetGeometryRef(poly, k));
            }
        }
        size_t *sizes = sm__arena_alloc(a, n_rings * sizeof(*sizes) + 1);
        double *xy = sm__arena_alloc(a, n_pts * 2 * sizeof(*xy) + 1);
        if (sizes == NULL || xy == NULL) {
            sm__foom(r, "geometry");
            return;
        }
        size_t ri = 0, pi = 0;
        for (int p = 0; p < parts; p++) {
            OGRGeometryH poly = t == wkbPolygon ? g : OGR_G_GetGeometryRef(g, p);
            for (int k = 0; k < OGR_G_GetGeometryCount(poly); k++) {
                OGRGeometryH ring = OGR_G_GetGeometryRef(poly, k);
                int np = OGR_G_GetPointCount(ring);
                sizes[ri++] = (size_t)np;
                for (int v = 0; v < np; v++) {
                    xy[2 * pi] = OGR_G_GetX(ring, v);
                    xy[2 * pi + 1] = OGR_G_GetY(ring, v);
                    sm__check_lonlat(r, xy[2 * pi], xy[2 * pi + 1], (int)pi);
                    pi++;
                }
            }
        }
        s.n_rings = n_rings;
        s.ring_sizes = sizes;
        s.ring_lonlat = xy;
        /* A representative point on the target for labels and markers. */
        OGRGeometryH pt = OGR_G_PointOnSurface(g);
        if (pt != NULL) {
            s.lon = OGR_G_GetX(pt, 0);
            s.lat = OGR_G_GetY(pt, 0);
            OGR_G_DestroyGeometry(pt);
        } else if (n_pts > 0) {
            s.lon = xy[0];
            s.lat = xy[1];
        }
    } else {
        sm__ferr(r, "geometry", "is a %s; expected a Point (or a Polygon for an area target)",
                 sm__geom_name(t));
    }
    sm__read_when(r, &s.when);
    sm__number(r, P_LOC_UNC, &s.location_uncertainty_km, SM_MAX_DISTANCE_KM,
               "km, 0 to 20004 (half the meridian)");
    s.attributed_to = (const char *const *)sm__list(r, P_ATTRIBUTED_TO);
    s.weapon_ref = sm__read_weapon(r, &s.weapon);
    const char *grading = sm__text(r, P_GRADING);
    if (grading != NULL) {
        static const char *names[] = {"confirmed", "fair", "weak", "contested", "discounted"};
        for (size_t i = 0; i < SM__ARRAY_LEN(names); i++)
            if (sm__str_ieq(grading, names[i]))
                s.grading = (sm_grading)(SM_GRADING_CONFIRMED + i);
        if (s.grading == SM_GRADING_NONE)
            sm__ferr(r, "grading",
                     "\"%s\" is not an Airwars grading; expected confirmed, fair, weak, contested "
                     "or discounted",
                     grading);
    }
    if (sm__has(r, P_POSITION_CHECKED))
        s.position_unchecked = !sm__boolean(r, P_POSITION_CHECKED);
    double gp;
    if (sm__number(r, P_GEO_PRECISION, &gp, 3, "1, 2 or 3")) {
        if (gp != 1 && gp != 2 && gp != 3) {
            sm__ferr(r, "geo_precision",
                     "%g is not an ACLED geo-precision code; expected 1, 2 or 3", gp);
        } else {
            s.geo_precision = (int)gp;
            if (!sm__has(r, P_LOC_UNC))
                s.location_uncertainty_km = g_geo_precision_km[s.geo_precision];
        }
    }
    sm__keep_warnings(r, &s.info);
    if (!r->bad) {
        sm_strike *slot = sm__vec_push(&r->claims->strikes);
        if (slot == NULL)
            sm__foom(r, NULL);
        else
            *slot = s;
    }
}

/* A strike read into a stream: its batch handed on when full. */
static void read_strike_streamed(reader *r, OGRGeometryH g)
{
    read_strike(r, g);
    if (r->claims->stream != NULL && !sm__stream_flush(r->claims))
        r->stop = true;
}

static const sm_aircraft_type *read_type(reader *r, const char **name)
{
    *name = sm__dup_text(r, P_TYPE);
    if (*name == NULL) {
        if (r->opt->fallback_speed_kmh <= 0)
            sm__ferr(r, "type",
                     "missing; expected an aircraft type from the aircraft table (or "
                     "give --speed)");
        return NULL;
    }
    const sm_aircraft_type *t = sm_tables_find_aircraft(r->ctx, *name);
    if (t == NULL && r->opt->fallback_speed_kmh > 0)
        sm__fwarn_n(r, r->fallback_used++ < SM_REPEAT_WARNINGS, "type",
                    "\"%s\" is not in the aircraft table; the --speed given (%g km/h) stands for "
                    "it, with no combat radius and no default weapons",
                    *name, r->opt->fallback_speed_kmh);
    if (t == NULL && r->opt->fallback_speed_kmh <= 0) {
        const char *sug[3];
        size_t n = sm_tables_suggest_aircraft(r->ctx, *name, sug, 3);
        sm__ferr(r, "type",
                 "\"%s\" is not in the aircraft table%s; add it with --aircraft FILE or give "
                 "--speed KMH",
                 *name, sm__did_you_mean(&r->scratch, sug, n));
    }
    return t;
}

static void read_aircraft(reader *r, OGRGeometryH g)
{
    sm_aircraft a;
    memset(&a, 0, sizeof(a));
    sm__read_common(r, &a.info);
    sm__arena *arena = r->keep;
    a.type_ref = read_type(r, &a.type);
    a.operator_name = sm__dup_text(r, P_OPERATOR);
    a.base = sm__dup_text(r, P_BASE);
    a.base_index = -1;
    a.weapon_ref = sm__read_weapon(r, &a.weapon);
    a.refuelled = sm__boolean(r, P_REFUELLED);
    sm__number(r, P_LOC_UNC, &a.location_uncertainty_km, SM_MAX_DISTANCE_KM,
               "km, 0 to 20004 (half the meridian)");
    sm__number(r, P_TIME_UNC, &a.time_uncertainty_min, SM_MAX_TIME_UNCERTAINTY_MIN,
               "minutes, 0 to 527040 (a year)");

    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPoint) {
        sm_fix *fix = sm__arena_alloc(arena, sizeof(*fix));
        if (fix == NULL) {
            sm__foom(r, "geometry");
            return;
        }
        sm__read_point(r, g, &fix->lon, &fix->lat);
        sm__read_when(r, &fix->when);
        if (fix->when.uncertainty_min == 0)
            fix->when.uncertainty_min = a.time_uncertainty_min;
        if (sm__has(r, P_TIMES))
            sm__fwarn(r, "times",
                      "ignored: an aircraft Point has one fix; use \"time\" (\"times\" "
                      "goes with a LineString track)");
        a.n_fixes = 1;
        a.fixes = fix;
    } else if (t == wkbLineString) {
        int n = OGR_G_GetPointCount(g);
        sm_fix *fixes = sm__arena_alloc(arena, (size_t)(n > 0 ? n : 1) * sizeof(*fixes));
        if (fixes == NULL) {
            sm__foom(r, "geometry");
            return;
        }
        for (int v = 0; v < n; v++) {
            fixes[v].lon = OGR_G_GetX(g, v);
            fixes[v].lat = OGR_G_GetY(g, v);
            sm__check_lonlat(r, fixes[v].lon, fixes[v].lat, v);
        }
        if (n < 2)
            sm__ferr(r, "geometry", "a track has %d vertex; expected at least 2", n);
        if (sm__text(r, P_TIME) || sm__text(r, P_TIME_START))
            sm__fwarn(r, "time", "ignored on a track: each vertex gets its time from \"times\"");
        const char **times = sm__list(r, P_TIMES);
        size_t nt = 0;
        while (times && times[nt])
            nt++;
        if (times == NULL || nt == 0) {
            sm__ferr(r, "times",
                     "missing; a LineString track needs one ISO 8601 time per vertex "
                     "(%d)",
                     n);
        } else if (nt != (size_t)n) {
            sm__ferr(r, "times", "has %zu times for %d vertices; expected one time per vertex", nt,
                     n);
        } else {
            for (int v = 0; v < n; v++) {
                char field[32]; /* "times[" + an int + "]": 18 bytes at most */
                snprintf(field, sizeof(field), "times[%d]", v);
                if (!sm__parse_time_value(r, field, times[v], &fixes[v].when))
                    continue;
                fixes[v].when.uncertainty_min = a.time_uncertainty_min;
                if (v > 0 && fixes[v - 1].when.known && fixes[v].when.start < fixes[v - 1].when.end)
                    sm__ferr(r, field,
                             "\"%s\" is earlier than the time before it (\"%s\"); "
                             "expected times in order along the track",
                             times[v], times[v - 1]);
            }
        }
        a.is_track = true;
        a.n_fixes = (size_t)n;
        a.fixes = fixes;
    } else {
        sm__ferr(r, "geometry", "is a %s; expected a Point (one fix) or a LineString (a track)",
                 sm__geom_name(t));
    }
    sm__keep_warnings(r, &a.info);
    if (!r->bad) {
        sm_aircraft *slot = sm__vec_push(&r->claims->aircraft);
        if (slot == NULL)
            sm__foom(r, NULL);
        else
            *slot = a;
    }
}

static void read_base(reader *r, OGRGeometryH g)
{
    sm_base b;
    memset(&b, 0, sizeof(b));
    sm__read_common(r, &b.info);
    b.operator_name = sm__dup_text(r, P_OPERATOR);
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPoint)
        sm__read_point(r, g, &b.lon, &b.lat);
    else
        sm__ferr(r, "geometry", "is a %s; expected a Point", sm__geom_name(t));
    sm__keep_warnings(r, &b.info);
    if (!r->bad) {
        sm_base *slot = sm__vec_push(&r->claims->bases);
        if (slot == NULL)
            sm__foom(r, NULL);
        else
            *slot = b;
    }
}

/* A ship or ground launcher claimed to have fired a missile (SPEC §2):
 * weapon required, launch time and operator optional. */
static void read_launcher(reader *r, OGRGeometryH g)
{
    sm_launcher l;
    memset(&l, 0, sizeof(l));
    sm__read_common(r, &l.info);
    l.operator_name = sm__dup_text(r, P_OPERATOR);
    l.weapon_ref = sm__read_weapon(r, &l.weapon);
    if (l.weapon == NULL && !r->bad)
        sm__ferr(r, "weapon",
                 "missing; a launcher claim needs the weapon it fired (a weapon of "
                 "the weapons table)");
    else if (l.weapon_ref != NULL && !(l.weapon_ref->launch & (SM_LAUNCH_SHIP | SM_LAUNCH_GROUND)))
        sm__fwarn(r, "weapon",
                  "\"%s\" is launched from the air by the weapons table, not from a "
                  "ship or the ground; it is checked as claimed",
                  l.weapon);
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPoint)
        sm__read_point(r, g, &l.lon, &l.lat);
    else
        sm__ferr(r, "geometry", "is a %s; expected a Point (where the launcher stood)",
                 sm__geom_name(t));
    sm__read_when(r, &l.when);
    sm__number(r, P_LOC_UNC, &l.location_uncertainty_km, SM_MAX_DISTANCE_KM,
               "km, 0 to 20004 (half the meridian)");
    sm__keep_warnings(r, &l.info);
    if (!r->bad) {
        sm_launcher *slot = sm__vec_push(&r->claims->launchers);
        if (slot == NULL)
            sm__foom(r, NULL);
        else
            *slot = l;
    }
}

/* A CSV row whose lon/lat columns did not make a point: say which value. */
static bool explain_missing_xy(reader *r)
{
    static const char *const names[] = {"lon", "longitude", "lng",      "long",
                                        "x",   "lat",       "latitude", "y"};
    OGRFeatureDefnH defn = OGR_F_GetDefnRef(r->f);
    bool said = false;
    for (size_t k = 0; k < SM__ARRAY_LEN(names); k++) {
        int i = OGR_FD_GetFieldIndex(defn, names[k]);
        if (i < 0)
            continue;
        const char *v = OGR_F_IsFieldSetAndNotNull(r->f, i) ? sm__field_text(r, i, names[k]) : "";
        if (v == NULL)
            return true; /* out of memory, said */
        char *end;
        double d = strtod(v, &end);
        if (*v == '\0' || *end != '\0' || !isfinite(d)) {
            if (*v == '\0')
                sm__ferr(r, names[k], "empty or not a finite number; expected %s in degrees",
                         k < 5 ? "a longitude" : "a latitude");
            else
                sm__ferr(r, names[k], "\"%s\" is not a finite number; expected %s in degrees", v,
                         k < 5 ? "a longitude" : "a latitude");
            said = true;
        }
    }
    return said;
}

/* Every text field of the feature must be UTF-8: the outputs (JSON, HTML,
 * the map's text) are, and a wrong byte would make them invalid. */
static void check_utf8(reader *r)
{
    for (int i = 0; i < r->n_fields; i++) {
        OGRFieldType t = r->ftype[i];
        if ((t != OFTString && t != OFTStringList) || !sm__field_present(r, i))
            continue;
        char **items = NULL;
        const char *one[2] = {NULL, NULL};
        if (t == OFTStringList) {
            items = OGR_F_GetFieldAsStringList(r->f, i);
        } else {
            one[0] = OGR_F_GetRawFieldRef(r->f, i)->String;
            items = (char **)(uintptr_t)one;
        }
        for (size_t k = 0; items != NULL && items[k] != NULL; k++) {
            size_t at = sm__utf8_invalid_at(items[k]);
            if (at != (size_t)-1) {
                sm__ferr(r, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(OGR_F_GetDefnRef(r->f), i)),
                         "byte %zu (0x%02X) is not valid UTF-8; expected text in UTF-8", at,
                         (unsigned)(unsigned char)items[k][at]);
                break;
            }
        }
    }
}

void sm__read_feature(reader *r)
{
    r->bad = false;
    sm__arena_reset(&r->scratch);
    r->fw.len = 0;
    r->keep = &r->claims->arena;
    /* Messages name the feature by its id only when that is valid text. */
    r->id = sm__text(r, P_ID);
    if (r->id != NULL && sm__utf8_invalid_at(r->id) != (size_t)-1)
        r->id = NULL;
    check_utf8(r);
    if (r->bad)
        return;
    const char *kind_text = sm__text(r, P_KIND);
    sm_kind kind = 0;
    if (r->id == NULL)
        sm__ferr(r, "id", "missing; every claim needs an id, unique in the claim set");
    if (kind_text == NULL) {
        sm__ferr(r, "kind", "missing; expected strike, aircraft, base or launcher");
    } else if (sm__str_ieq(kind_text, "strike")) {
        kind = SM_KIND_STRIKE;
    } else if (sm__str_ieq(kind_text, "aircraft")) {
        kind = SM_KIND_AIRCRAFT;
    } else if (sm__str_ieq(kind_text, "base")) {
        kind = SM_KIND_BASE;
    } else if (sm__str_ieq(kind_text, "launcher")) {
        kind = SM_KIND_LAUNCHER;
    } else {
        sm__ferr(r, "kind", "\"%s\" is not a kind; expected strike, aircraft, base or launcher",
                 kind_text);
    }
    if (kind == 0)
        return;
    if (kind == SM_KIND_STRIKE && r->claims->stream != NULL)
        r->keep = &r->claims->strike_arena;
    /* A property that does not apply to this kind is a warning, not an
     * error: the claim is still readable. */
    for (int p = 0; p < P_COUNT; p++)
        if (!(sm__props[p].kinds & (1u << kind)) && sm__text(r, (prop)p) != NULL)
            sm__fwarn_n(r, r->not_used++ < SM_REPEAT_WARNINGS, sm__props[p].name,
                        "not used for a %s; ignored", kind_text);
    bool owned;
    OGRGeometryH g = sm__feature_geometry(r, &owned);
    if (g == NULL) {
        if (!r->bad && !explain_missing_xy(r))
            sm__ferr(r, "geometry",
                     "missing, empty, or with coordinates that are not finite numbers; expected a "
                     "%s with longitude, latitude in degrees",
                     kind == SM_KIND_AIRCRAFT ? "Point or a LineString" : "Point");
        return;
    }
    switch (kind) {
    case SM_KIND_STRIKE: read_strike_streamed(r, g); break;
    case SM_KIND_AIRCRAFT: read_aircraft(r, g); break;
    case SM_KIND_BASE: read_base(r, g); break;
    case SM_KIND_LAUNCHER: read_launcher(r, g); break;
    }
    if (owned)
        OGR_G_DestroyGeometry(g);
}
