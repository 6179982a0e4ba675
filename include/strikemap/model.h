/*
 * strikemap/model.h: the rules of the plausibility model (SPEC §3), each
 * owned by one function here. The check engine, the reach area, the map's
 * rings and the reasons text all read these functions or the records the
 * engine made with them; none re-derives a rule.
 *
 * The time test, for a fix a distance d (km) from the strike with dt
 * minutes available, an aircraft flying at speed v and a weapon of range R
 * flying at a mean speed w:
 *
 *     t(v) = (d - R') / v + R' / w    when w >= v (launched at the edge of
 *                                      its range, R' = min(d, R))
 *     t(v) = d / v                     when w < v (a weapon slower than its
 *                                      carrier gains nothing: fly all the way)
 *
 * The pair fails the time test when t(max speed) > dt, and is marginal when
 * only a speed above the type's cruise speed makes it (t(cruise) > dt).
 * Worked example: an aircraft of 1,900 km/h top and 1,000 km/h cruise
 * speed, 400 km from the strike 15 minutes before it, with a missile of
 * 110 km range at a mean 3,600 km/h:
 *     t(1900) = 290/1900 h + 110/3600 h = 9.16 + 1.83 = 11.0 min <= 15: possible;
 *     t(1000) = 290/1000 h + 110/3600 h = 17.4 + 1.83 = 19.2 min > 15: only
 *     above cruise speed, so marginal; the speed that makes t(v) = 15 min is
 *     290 km / (15 - 1.83) min = 1,321 km/h.
 */
#ifndef STRIKEMAP_MODEL_H
#define STRIKEMAP_MODEL_H

#include "claims.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Minutes to put a strike d km away from a fix: t(v) above. Speeds in
 * km/h; weapon_speed_kmh NAN or 0 with weapon_range_km 0 means no weapon.
 * INFINITY when speed_kmh is not positive and d exceeds the weapon alone. */
double sm_model_time_needed_min(double distance_km, double speed_kmh, double weapon_range_km,
                                double weapon_speed_kmh);

/* The farthest a strike can lie from a fix (km) with minutes available at
 * speed_kmh: the inverse of sm_model_time_needed_min. With a weapon faster
 * than the aircraft it is speed x (minutes - R / w) + R once the time covers
 * the weapon's flight, else w x minutes; otherwise speed x minutes. */
double sm_model_reach_km(double speed_kmh, double minutes, double weapon_range_km,
                         double weapon_speed_kmh);

/* The least speed (km/h) at which sm_model_time_needed_min <= minutes: 0
 * when the weapon alone covers the distance in time, INFINITY when nothing
 * does (no time at all). */
double sm_model_required_speed_kmh(double distance_km, double minutes, double weapon_range_km,
                                   double weapon_speed_kmh);

/* Why a weapon was assumed for a pair. */
typedef enum sm_weapon_basis {
    SM_WEAPON_NONE = 0,     /* none known: the aircraft must fly over the target */
    SM_WEAPON_STRIKE = 1,   /* the strike claim names it */
    SM_WEAPON_AIRCRAFT = 2, /* the aircraft claim names it */
    SM_WEAPON_DEFAULT = 3,  /* the type's longest-range default that fits (see below) */
    SM_WEAPON_LAUNCHER = 4  /* the launcher claim's weapon */
} sm_weapon_basis;

/* "none", "strike", "aircraft", "default", "launcher"; static storage. */
const char *sm_weapon_basis_str(sm_weapon_basis basis);

/* Flags on a claimed weapon that does not fit the aircraft (it is used all
 * the same: the claim is tested as made, and the flag says so). */
#define SM_WEAPON_NOT_CARRIED    1u /* its carriers leave out the aircraft's type */
#define SM_WEAPON_NOT_FIELDED    2u /* its operators leave out the aircraft's operator */
#define SM_WEAPON_NOT_IN_SERVICE 4u /* first used after the strike's year */
#define SM_WEAPON_NOT_AIR        8u /* not air-launched (or, for a launcher, air-launched only) */

/* The weapon a pair assumes: the strike's weapon, else the aircraft's, else
 * the longest-range default weapon of the aircraft's type that is
 * air-launched, fielded by the aircraft's operator (any of the defaults
 * when the aircraft has none) and in service in the year of year_time
 * (seconds; NAN: any year). *basis says which; *flags (may be NULL) gets
 * SM_WEAPON_* for a claimed weapon that does not fit. NULL when none. */
const sm_weapon *sm_model_weapon(sm_ctx *ctx, const sm_strike *strike, const sm_aircraft *aircraft,
                                 double year_time, sm_weapon_basis *basis, unsigned *flags);

/* The calendar year (UTC) of an instant in seconds; 0 for NAN. */
int sm_model_year(double t);

#ifdef __cplusplus
}
#endif
#endif
