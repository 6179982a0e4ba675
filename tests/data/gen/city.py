#!/usr/bin/env python3
"""city.py N OUT: N strikes in a 40 km box round Gaza City, all attributed to
one operator (Israel) that has four aircraft in the claim set, as a newsroom
would load an incident table of a city at war (issue 13). Deterministic: the
same N gives the same file.

What it holds, so that tests can count on it:
- aircraft a-1 .. a-3 (F-16I, F-15I, F-16I) with tracks over the box on 10
  October only (a fix every 30 minutes from 06:00 to 12:00); a-4, a Hermes
  450 drone (176 km/h), claimed 120 km away (over the Negev) every 6 hours of
  10 and 11 October, so that strikes timed just after those hours are
  implausible for it. As in real incident tables, positions are known for
  few of the strikes: most pairs are undecided (unknown);
- strikes on land (east of the coast), timed over 10 to 19 October 2023;
  every 20th known only to its day, every 50th with no time at all;
- strike s-0007 has its longitude and latitude exchanged (a likely swap:
  it lies at sea, north of Egypt);
- sources: one URL each, every 10th a Wikipedia URL with parentheses.
"""
import json
import random
import sys

n = int(sys.argv[1])
out = sys.argv[2]
rnd = random.Random(13)
LON0, LAT0 = 34.25, 31.22  # south-west corner of the box
DLON, DLAT = 0.42, 0.36  # 40 km by 40 km


def on_land(lon, lat):
    # the Gaza coast, from Rafah (34.22, 31.31) to the north (34.50, 31.60),
    # with 2 km to spare: points east of it are on land
    t = (lat - 31.31) / (31.60 - 31.31)
    coast = 34.22 + t * (34.50 - 34.22)
    return lon > coast + 0.03


def iso(day, minutes):
    h, m = divmod(int(minutes), 60)
    return "2023-10-%02dT%02d:%02d:00+03:00" % (day, h, m)


feats = []
for i, (typ, lon, lat) in enumerate(
    [("F-16I", 34.40, 31.40), ("F-15I", 34.50, 31.45), ("F-16I", 34.45, 31.30)], start=1
):
    coords, times = [], []
    for day in (10,):
        for k in range(12, 25):
            coords.append([round(lon + 0.15 * rnd.uniform(-1, 1), 4),
                           round(lat + 0.12 * rnd.uniform(-1, 1), 4)])
            times.append(iso(day, k * 30))
    feats.append({"type": "Feature",
                  "geometry": {"type": "LineString", "coordinates": coords},
                  "properties": {"kind": "aircraft", "id": "a-%d" % i,
                                 "label": "%s #%d" % (typ, i), "type": typ,
                                 "operator": "Israel", "claimed_by": "Flight tracker",
                                 "times": times,
                                 "source": "https://example.org/tracks/a-%d" % i}})
coords, times = [], []
for day in (10, 11):
    for h in range(0, 24, 6):
        coords.append([34.95, 30.6])
        times.append(iso(day, h * 60))
feats.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords},
              "properties": {"kind": "aircraft", "id": "a-4", "label": "Hermes 450 over the Negev",
                             "type": "Hermes 450", "operator": "Israel",
                             "claimed_by": "Flight tracker", "times": times,
                             "source": "https://example.org/tracks/a-4"}})
monitors = ["Airwars", "Local monitor", "UN OCHA", "Civil defence"]
for i in range(1, n + 1):
    while True:
        lon = LON0 + DLON * rnd.random()
        lat = LAT0 + DLAT * rnd.random()
        if on_land(lon, lat):
            break
    day = 10 + (i - 1) % 10
    minutes = rnd.randrange(0, 24 * 60)
    if i % 7 == 0:  # just after a fix of the drone: implausible for it
        minutes = (minutes // 360) * 360 + 5
    p = {"kind": "strike", "id": "s-%04d" % i, "label": "Strike %d" % i,
         "claimed_by": monitors[i % len(monitors)], "attributed_to": "Israel",
         "source": "https://example.org/incidents/%d" % i}
    if i % 10 == 0:
        p["source"] = "https://en.wikipedia.org/wiki/Spike_(missile)"
    if i % 50 == 0:
        pass  # no time at all
    elif i % 20 == 0:
        p["time_start"] = iso(day, 0)
        p["time_end"] = iso(day, 23 * 60 + 59)
    else:
        p["time"] = iso(day, minutes)
        p["time_uncertainty_min"] = 10
    if i == 7:  # longitude and latitude exchanged
        lon, lat = lat, lon
    feats.append({"type": "Feature",
                  "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                  "properties": p})
with open(out, "w") as f:
    json.dump({"type": "FeatureCollection", "features": feats}, f, ensure_ascii=False)
    f.write("\n")
