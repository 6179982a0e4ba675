#!/usr/bin/env python3
"""A seeded random claim set for test_bounds.sh: tracks (some with a base,
some refuelled, some of a type the table does not know: run with --speed),
Point aircraft (some without a time), bases, a launcher, and strikes (points and small areas, with
and without times, windows and uncertainties) attributed to ids, operators
and a group, all within a few hundred km, so that every tier of every test
(plausible, marginal, implausible; time and sortie) occurs and many pairs lie
near the bounds' edges.

usage: gen_bounds.py SEED N_STRIKES N_AIRCRAFT OUT.geojson"""
import datetime, json, math, random, sys

seed, ns, na, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rnd = random.Random(seed)
T0 = 1455494400  # 2016-02-15T00:00:00Z
DAY = 86400


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


feats = []
bases = [("hmeimim", 35.948, 35.401, "Russia"), ("shayrat", 36.939, 34.494, "Syria"),
         ("incirlik", 35.425, 37.002, "United States")]
for bid, lon, lat, op in bases:
    feats.append({"kind": "base", "id": bid, "operator": op}, )
    feats[-1] = ({"kind": "base", "id": bid, "operator": op}, {"type": "Point", "coordinates": [lon, lat]})
types = [("Su-24M", "Russia"), ("Su-34", "Russia"), ("Su-25", "Russia"), ("Su-30SM", "Russia"),
         ("MiG-23", "Syria"), ("F-16C", "United States"), ("Mystery-9", "Russia")]
for i in range(na):
    t, op = rnd.choice(types)
    p = {"kind": "aircraft", "id": "a%d" % i, "type": t, "operator": op}
    lon, lat = 35.5 + rnd.random() * 4, 33.5 + rnd.random() * 3
    if rnd.random() < 0.5:
        p["base"] = [b[0] for b in bases if b[3] == op][0] if op != "Russia" or rnd.random() < 0.8 else "hmeimim"
    if rnd.random() < 0.1:
        p["refuelled"] = True
    if rnd.random() < 0.3:
        p["location_uncertainty_km"] = round(rnd.random() * 20, 3)
    start = T0 + rnd.random() * DAY
    if rnd.random() < 0.25:  # a Point aircraft, a few without a time
        if rnd.random() > 0.2:
            p["time"] = iso(int(start))
        g = {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
    else:
        nf = rnd.randint(2, 30)
        step = 60 * rnd.randint(1, 20)
        coords, times = [], []
        h = rnd.random() * 2 * math.pi
        for k in range(nf):
            coords.append([round(lon, 6), round(lat, 6)])
            times.append(iso(int(start + k * step)))
            h += (rnd.random() - 0.5) * 0.8
            km = step / 60 * (5 + rnd.random() * 15)
            lat += km * math.cos(h) / 111.0
            lon += km * math.sin(h) / (111.0 * math.cos(math.radians(lat)))
        p["times"] = times
        g = {"type": "LineString", "coordinates": coords}
    feats.append((p, g))
feats.append(({"kind": "launcher", "id": "l0", "operator": "Russia", "weapon": "Kalibr",
               "time": iso(T0 + DAY // 3)}, {"type": "Point", "coordinates": [49.5, 42.0]}))
for j in range(ns):
    p = {"kind": "strike", "id": "s%d" % j}
    lon, lat = 35.5 + rnd.random() * 4, 33.5 + rnd.random() * 3
    r = rnd.random()
    if r < 0.05:
        pass  # no time
    elif r < 0.1:
        p["time"] = "2016-02-15Z"  # a date alone
    else:
        t = int(T0 + rnd.random() * DAY)
        if rnd.random() < 0.2:
            p["time_start"], p["time_end"] = iso(t), iso(t + rnd.randint(60, 7200))
        else:
            p["time"] = iso(t)
        if rnd.random() < 0.2:
            p["time_uncertainty_min"] = rnd.randint(1, 60)
    if rnd.random() < 0.3:
        p["location_uncertainty_km"] = round(rnd.random() * 10, 3)
    a = rnd.random()
    if a < 0.5:
        p["attributed_to"] = "Russia"
    elif a < 0.7:
        p["attributed_to"] = ["a%d" % rnd.randrange(na), "a%d" % rnd.randrange(na)]
    elif a < 0.8:
        p["attributed_to"] = ["Syria", "l0"]
    elif a < 0.9:
        p["attributed_to"] = "United States"
    if rnd.random() < 0.2:
        p["weapon"] = rnd.choice(["FAB-500", "Kh-29L", "KAB-500Kr", "Kh-59M"])
    if rnd.random() < 0.05:  # a small area target
        d = 0.01 + rnd.random() * 0.05
        ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d],
                [lon - d, lat - d]]
        g = {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}
    else:
        g = {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
    feats.append((p, g))
with open(out, "w") as f:
    f.write('{"type": "FeatureCollection", "features": [\n')
    f.write(",\n".join(json.dumps({"type": "Feature", "properties": p, "geometry": g}) for p, g in feats))
    f.write("\n]}\n")
