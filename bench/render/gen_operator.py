#!/usr/bin/env python3
"""Seeded workload for the operator render benchmark (bench/render/operator.sh).

Strikes attributed to an operator, not to an aircraft: each strike is paired
with every aircraft of that operator, so a map of N strikes against A
aircraft holds N x A pairs, of which those with a fix within the maximum gap
are decided. Writes, into the folder given (default: bench/render/data-op):

  strikes.csv   N strike claims around Syria over 30 days (lon, lat, id, time,
                grading, attributed_to "Russia"): 70 % in 40 clusters
                (towns and front lines), 30 % spread out
  tracks.csv    200 aircraft tracks of 60 fixes a minute apart (WKT
                LINESTRING, id, type Su-24M or Su-34, operator Russia, times
                separated by ';'), their starts spread over the 30 days

Only the standard library; the same arguments give the same bytes.

  gen_operator.py [OUT_DIR] [--strikes N] [--tracks N] [--fixes N] [--seed S]
"""
import argparse
import math
import os
import random
import time

EXTENT = (36.3, 32.3, 42.3, 37.0)  # west, south, east, north (degrees): inland
DAYS = 30


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?",
                    default=os.path.join(os.path.dirname(__file__), "data-op"))
    ap.add_argument("--strikes", type=int, default=200000)
    ap.add_argument("--tracks", type=int, default=200)
    ap.add_argument("--fixes", type=int, default=60)
    ap.add_argument("--seed", type=int, default=20151001)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    w, s, e, n = EXTENT
    gradings = ["confirmed", "fair", "weak", "contested", "discounted", ""]
    t0 = 1443657600  # 2015-10-01T00:00:00Z

    clusters = [(rnd.uniform(w + 0.3, e - 0.3), rnd.uniform(s + 0.3, n - 0.3),
                 rnd.uniform(0.04, 0.25)) for _ in range(40)]
    with open(os.path.join(a.out, "strikes.csv"), "w", newline="\n") as f:
        f.write("lon,lat,kind,id,time,grading,attributed_to\n")
        for i in range(a.strikes):
            if rnd.random() < 0.7:
                cx, cy, sd = clusters[rnd.randrange(len(clusters))]
                lon = min(max(rnd.gauss(cx, sd), w), e)
                lat = min(max(rnd.gauss(cy, sd * 0.8), s), n)
            else:
                lon, lat = rnd.uniform(w, e), rnd.uniform(s, n)
            t = t0 + rnd.randrange(DAYS * 86400)
            f.write("%.5f,%.5f,strike,s%06d,%s,%s,Russia\n"
                    % (lon, lat, i + 1, iso(t), rnd.choice(gradings)))

    types = ["Su-24M", "Su-34"]
    with open(os.path.join(a.out, "tracks.csv"), "w", newline="\n") as f:
        f.write("WKT,kind,id,type,operator,times\n")
        for k in range(a.tracks):
            lon, lat = rnd.uniform(w + 1, e - 1), rnd.uniform(s + 0.8, n - 0.8)
            head = rnd.uniform(0, 2 * math.pi)
            # starts spread evenly over the days, a little jitter
            t = t0 + int((k + rnd.random()) * (DAYS * 86400 - 3600) / a.tracks)
            pts, times = [], []
            for j in range(a.fixes):
                pts.append("%.5f %.5f" % (lon, lat))
                times.append(iso(t + 60 * j))
                head += rnd.gauss(0, 0.25)
                step = 0.09  # about 10 km a minute
                lon += step * math.sin(head) / math.cos(math.radians(lat))
                lat += step * math.cos(head)
                if not (w + 0.2 < lon < e - 0.2 and s + 0.2 < lat < n - 0.2):
                    head += math.pi
                    lon = min(max(lon, w + 0.2), e - 0.2)
                    lat = min(max(lat, s + 0.2), n - 0.2)
            f.write('"LINESTRING (%s)",aircraft,r%03d,%s,Russia,%s\n'
                    % (", ".join(pts), k + 1, types[k % 2], ";".join(times)))


if __name__ == "__main__":
    main()
