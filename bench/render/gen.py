#!/usr/bin/env python3
"""Seeded workload for the render benchmark (bench/render/run.sh).

Writes, into the folder given (default: bench/render/data):
  strikes.csv   100,000 strike claims around Syria (lon, lat, id, time, grading):
                70 % in 40 clusters (towns and front lines), 30 % spread out
  tracks.csv    100 aircraft tracks of 100 fixes a minute apart (WKT
                LINESTRING, id, type, times separated by ';')
Only the standard library; the same seed gives the same bytes.

  gen.py [OUT_DIR] [--strikes N] [--tracks N] [--fixes N] [--seed S]
"""
import argparse
import math
import os
import random

EXTENT = (35.5, 32.3, 42.3, 37.3)  # west, south, east, north (degrees)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?", default=os.path.join(os.path.dirname(__file__), "data"))
    ap.add_argument("--strikes", type=int, default=100000)
    ap.add_argument("--tracks", type=int, default=100)
    ap.add_argument("--fixes", type=int, default=100)
    ap.add_argument("--seed", type=int, default=20160210)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    w, s, e, n = EXTENT
    gradings = ["confirmed", "fair", "weak", "contested", "discounted", ""]
    t0 = 1454284800  # 2016-02-01T00:00:00Z

    def iso(t):
        import time
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))

    clusters = [(rnd.uniform(w + 0.3, e - 0.3), rnd.uniform(s + 0.3, n - 0.3),
                 rnd.uniform(0.04, 0.25)) for _ in range(40)]
    with open(os.path.join(a.out, "strikes.csv"), "w", newline="\n") as f:
        f.write("lon,lat,kind,id,time,grading\n")
        for i in range(a.strikes):
            if rnd.random() < 0.7:
                cx, cy, sd = clusters[rnd.randrange(len(clusters))]
                lon = min(max(rnd.gauss(cx, sd), w), e)
                lat = min(max(rnd.gauss(cy, sd * 0.8), s), n)
            else:
                lon, lat = rnd.uniform(w, e), rnd.uniform(s, n)
            t = t0 + rnd.randrange(29 * 86400)
            f.write("%.5f,%.5f,strike,s%06d,%s,%s\n" % (lon, lat, i + 1, iso(t),
                                                        rnd.choice(gradings)))

    with open(os.path.join(a.out, "tracks.csv"), "w", newline="\n") as f:
        f.write("WKT,kind,id,type,times\n")
        for k in range(a.tracks):
            lon, lat = rnd.uniform(w + 1, e - 1), rnd.uniform(s + 0.8, n - 0.8)
            head = rnd.uniform(0, 2 * math.pi)
            t = t0 + rnd.randrange(28 * 86400)
            pts, times = [], []
            for j in range(a.fixes):
                pts.append("%.5f %.5f" % (lon, lat))
                times.append(iso(t + 60 * j))
                head += rnd.gauss(0, 0.25)
                step = 0.06  # about 6 km a minute
                lon += step * math.sin(head) / math.cos(math.radians(lat))
                lat += step * math.cos(head)
                # turn back at the edge of the area
                if not (w + 0.2 < lon < e - 0.2 and s + 0.2 < lat < n - 0.2):
                    head += math.pi
                    lon = min(max(lon, w + 0.2), e - 0.2)
                    lat = min(max(lat, s + 0.2), n - 0.2)
            f.write('"LINESTRING (%s)",aircraft,a%03d,Su-24M,%s\n' % (", ".join(pts), k + 1,
                                                                      ";".join(times)))


if __name__ == "__main__":
    main()
