# The v2 model (SPEC §3) checked from the outside: every pair `check`
# writes for the bundled example and for a set of synthetic claims is
# recomputed here, independently: distances by PROJ's `geod -I`, the time
# test's reach, required speed and cruise tier by SPEC §3's formula written
# again in Python, the sortie limit from the aircraft table, and the
# verdict from those numbers. The reasons must agree with the numbers: they
# name the verdict and the deciding test, and never a number the record
# does not hold.
source "$(dirname "$0")/lib.sh"
EX=$SRC/examples/aleppo-2016.geojson
"$SM" check "$EX" --format json -o "$OUT/example.json" 2>"$OUT/stderr"
[ $? -eq 0 ] && pass || { fail "check of the example"; cat "$OUT/stderr" >&2; }
"$SM" check "$EX" --all-pairs --list-all --format json -o "$OUT/all.json" 2>"$OUT/stderr"
[ $? -eq 0 ] && pass || { fail "check --all-pairs of the example"; cat "$OUT/stderr" >&2; }

python3 - "$OUT/example.json" "$OUT/all.json" "$SRC/data/aircraft.csv" <<'PY' && pass || fail "model recomputed"
import csv, json, math, subprocess, sys

def geod(lon1, lat1, lon2, lat2):
    out = subprocess.run(["geod", "+ellps=WGS84", "-I", "+units=km", "-f", "%.10f", "-F", "%.6f"],
                         input=f"{lat1} {lon1} {lat2} {lon2}\n", capture_output=True, text=True).stdout
    return float(out.split()[2])

def reach(v, minutes, R, w):
    h = max(0.0, minutes) / 60
    if R > 0 and w and w >= v:
        return v * (h - R / w) + R if h >= R / w else w * h
    return v * h

def required(d, minutes, R, w):
    h = max(0.0, minutes) / 60
    if d <= 0:
        return 0.0
    if R > 0 and w:
        if d <= R:
            return 0.0 if d / w <= h else (d / h if h > 0 else math.inf)
        if h > R / w:
            va = (d - R) / (h - R / w)
            if va <= w:
                return va
    return d / h if h > 0 else math.inf

types = {r["type"]: r for r in csv.DictReader(open(sys.argv[3]))}
bad = []
n = 0
for path in sys.argv[1:3]:
    for p in json.load(open(path))["pairs"]:
        n += 1
        tag = f'{p["strike"]} x {p["aircraft"]}'
        why = p["reasons"]
        v = p["verdict"]
        if p["fix_lon"] is not None and p["distance_km"] is not None:
            g = geod(p["fix_lon"], p["fix_lat"], p["strike_lon"], p["strike_lat"])
            if abs(g - p["distance_km"]) > 0.002:
                bad.append(f"{tag}: distance {p['distance_km']} vs geod {g}")
        if p["decided_by"] == "none":
            if v != "unknown":
                bad.append(f"{tag}: no test but {v}")
            if "unknown" not in why:
                bad.append(f"{tag}: reasons do not say unknown")
            continue
        if f"Decided by the {p['decided_by']} test: {v}." not in why:
            bad.append(f"{tag}: reasons do not say 'Decided by the {p['decided_by']} test: {v}.'")
        margin = p["margin_km"]
        if (margin < 0) != (v == "implausible"):
            bad.append(f"{tag}: margin {margin} but {v}")
        if p["time_margin_km"] is not None:
            de = max(0.0, p["distance_km"] - p["location_uncertainty_km"])
            R = p["weapon_range_km"] or 0
            w = p["weapon_speed_kmh"]
            t = types.get(p["aircraft_type"])
            vmax, cruise = float(t["max_speed_kmh"]), float(t["cruise_speed_kmh"])
            if abs(p["max_speed_kmh"] - vmax) > 1e-6 or abs(p["cruise_speed_kmh"] - cruise) > 1e-6:
                bad.append(f"{tag}: speeds differ from the table")
            rch = reach(vmax, p["available_minutes"], R, w)
            if abs(rch + p["location_uncertainty_km"] - p["reach_km"]) > 0.002:
                bad.append(f"{tag}: reach {p['reach_km']} vs {rch + p['location_uncertainty_km']}")
            if abs((rch - de) - p["time_margin_km"]) > 0.004:
                bad.append(f"{tag}: time margin {p['time_margin_km']} vs {rch - de}")
            req = required(de, p["available_minutes"], R, w)
            if abs(req - p["required_speed_kmh"]) > 0.06:
                bad.append(f"{tag}: required {p['required_speed_kmh']} vs {req}")
            tv = "implausible" if rch < de else ("marginal" if reach(cruise, p["available_minutes"], R, w) < de else "plausible")
            if p["decided_by"] == "time" and tv != v:
                bad.append(f"{tag}: time test says {tv}, verdict {v}")
        if p["route_km"] is not None:
            t = types.get(p["aircraft_type"])
            lim = 2 * float(t["combat_radius_km"])
            if abs(lim - p["combat_radius_km"] * 2) > 1e-6:
                bad.append(f"{tag}: combat radius differs from the table")
            sv = "implausible" if p["route_km"] > lim else ("marginal" if p["route_km"] > 0.8 * lim else "plausible")
            if p["decided_by"] == "sortie" and sv != v:
                bad.append(f"{tag}: sortie says {sv}, verdict {v}")
        # no test worse than the verdict
        order = ["plausible", "marginal", "implausible"]
        if p["weapon"] is not None and p["weapon"] not in why:
            bad.append(f"{tag}: reasons do not name the weapon {p['weapon']}")
        if "No weapon" in why and p["weapon"] is not None:
            bad.append(f"{tag}: reasons say no weapon but the record has {p['weapon']}")
for b in bad:
    print(b, file=sys.stderr)
print(f"{n} pairs recomputed", file=sys.stderr)
sys.exit(1 if bad or n < 13 else 0)
PY
# reach and check give the same reach for the same aircraft, weapon and
# minutes (one model, model.c): every timed pair of the example, asked again
# through `strikemap reach`, and the area's vertices measured with geod.
python3 - "$SM" "$OUT/example.json" <<'PY' && pass || fail "reach agrees with check"
import json, subprocess, sys
sm = sys.argv[1]
bad, n = [], 0
for p in json.load(open(sys.argv[2]))["pairs"]:
    if p["time_margin_km"] is None or p["aircraft_kind"] != "aircraft":
        continue
    args = [sm, "reach", "--type", p["aircraft_type"], "--from", f'{p["fix_lon"]},{p["fix_lat"]}',
            "--minutes", repr(p["available_minutes"]), "--weapon", p["weapon"] or "none", "--step", "10"]
    fc = json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)
    top = [f for f in fc["features"] if f["properties"]["tier"] == "top"][0]
    want = p["reach_km"] - p["location_uncertainty_km"]
    if abs(top["properties"]["radius_km"] - want) > 0.002:
        bad.append(f'{p["strike"]} x {p["aircraft"]}: reach {top["properties"]["radius_km"]} vs check {want}')
    ring = top["geometry"]["coordinates"][0]
    for lon, lat in ring[:3]:
        out = subprocess.run(["geod", "+ellps=WGS84", "-I", "+units=km"], input=f'{p["fix_lat"]} {p["fix_lon"]} {lat} {lon}\n',
                             capture_output=True, text=True).stdout
        if abs(float(out.split()[2]) - want) > 0.01:
            bad.append(f'{p["strike"]}: vertex {lon},{lat} is {out.split()[2]} km, not {want}')
    n += 1
for b in bad:
    print(b, file=sys.stderr)
print(f"{n} reaches compared", file=sys.stderr)
sys.exit(1 if bad or n == 0 else 0)
PY
finish
