#!/usr/bin/env python3
"""Generate a claim set for the listing tests (SPEC §3, issue 10 item 4):
N strikes attributed to "Russia", M Russian Su-24M claimed at one timed fix
each, fixes 6 h apart, strikes spread evenly over the same span, all within
60 km of each other (so no pair is out of reach and no bound rules one
out). Prints, on stderr, the oracle: how many pairs have a binding fix,
|t_strike - t_fix| <= 6 h (SPEC §3's Delta t for two instants with no
uncertainty), counted here independently of strikemap.

usage: gen_strikes.py N M OUT.geojson"""
import json, sys

n, m, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
T0 = 1455000000  # 2016-02-09T06:40:00Z
step_fix = 6 * 3600
span = m * step_fix
fix_t = [T0 + i * step_fix for i in range(m)]
strike_t = [T0 + (j * span) // n + 1 for j in range(n)]  # never on a fix's instant + 6 h exactly


def iso(t):
    import datetime
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


with open(out, "w") as f:
    f.write('{"type": "FeatureCollection", "features": [\n')
    first = True
    for i in range(m):
        p = {"kind": "aircraft", "id": "a%d" % i, "type": "Su-24M", "operator": "Russia",
             "time": iso(fix_t[i])}
        g = {"type": "Point", "coordinates": [36.5 + 0.001 * i, 35.5]}
        f.write(("" if first else ",\n") + json.dumps({"type": "Feature", "properties": p, "geometry": g}))
        first = False
    for j in range(n):
        p = {"kind": "strike", "id": "s%d" % j, "attributed_to": "Russia", "time": iso(strike_t[j])}
        g = {"type": "Point", "coordinates": [36.6 + 0.3 * ((j * 7919) % 1000) / 1000.0, 35.6]}
        f.write(",\n" + json.dumps({"type": "Feature", "properties": p, "geometry": g}))
    f.write("\n]}\n")

# the oracle: binding pairs by a sweep over sorted times
import bisect
bind = 0
for t in strike_t:
    lo = bisect.bisect_left(fix_t, t - 6 * 3600)
    hi = bisect.bisect_right(fix_t, t + 6 * 3600)
    bind += hi - lo
print(bind, n * m - bind, file=sys.stderr)
