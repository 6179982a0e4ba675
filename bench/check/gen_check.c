/*
 * gen_check.c: the check benchmark's workload (SPEC §7), seeded so that
 * every run and every machine gets the same file: N strikes spread over 30
 * days and a region round Syria, against A aircraft, each one sortie of F
 * fixes a minute apart. Strikes go to a CSV file with lon/lat columns (the
 * form large incident tables such as ACLED's come in), the aircraft tracks
 * to GeoJSONSeq (one feature a line).
 *   gen_check SEED N_STRIKES N_AIRCRAFT FIXES STRIKES.csv AIRCRAFT.geojsons [dense]
 * dense: issue 12's dense case instead: every strike in one day
 * (2016-02-15) over a 6 x 5 degree box, attributed to "Russia", against
 * aircraft all of operator Russia, each one sortie of FIXES fixes a minute
 * apart starting anywhere in that day, so that a strike meets about half
 * of them within the 6 h gap.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t g_state;

static double uniform(void) /* xorshift64*, [0, 1) */
{
    g_state ^= g_state >> 12;
    g_state ^= g_state << 25;
    g_state ^= g_state >> 27;
    return (double)((g_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static void iso(double t, char *buf, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int main(int argc, char **argv)
{
    int dense = argc == 8 && strcmp(argv[7], "dense") == 0;
    if (argc != 7 && !dense) {
        fprintf(stderr, "usage: gen_check SEED N_STRIKES N_AIRCRAFT FIXES STRIKES.csv "
                        "AIRCRAFT.geojsons [dense]\n");
        return 2;
    }
    FILE *fs = fopen(argv[5], "w"), *fa = fopen(argv[6], "w");
    if (fs == NULL || fa == NULL) {
        perror("gen_check");
        return 2;
    }
    g_state = strtoull(argv[1], NULL, 10) * 0x9E3779B97F4A7C15ULL + 1;
    long ns = atol(argv[2]), na = atol(argv[3]), nf = atol(argv[4]);
    const double t0 = dense ? 1455494400 /* 2016-02-15 */ : 1454284800; /* 2016-02-01 */
    const double span = (dense ? 1 : 30) * 86400.0;
    const double w = 35.5, e = dense ? 41.5 : 42.5, s = 32.5, n = 37.5;
    static const char *types[] = {"Su-24M", "Su-34", "Su-25", "Su-30SM", "A-10C", "F-16C"};
    static const char *ops[] = {"Russia", "Russia", "Russia", "Russia", "United States",
                                "United States"};
    char tb[32];
    for (long i = 0; i < na; i++) {
        int k = (int)(uniform() * (dense ? 4 : 6)); /* dense: the Russian types */
        double lon = w + uniform() * (e - w), lat = s + uniform() * (n - s);
        double heading = uniform() * 2 * 3.14159265358979;
        double step = 8 + uniform() * 6; /* km a minute: 480 to 840 km/h */
        double start = t0 + uniform() * span;
        fprintf(fa, "{\"type\":\"Feature\",\"properties\":{\"kind\":\"aircraft\",\"id\":\"a%ld\","
                    "\"type\":\"%s\",\"operator\":\"%s\",\"times\":[",
                i, types[k], ops[k]);
        for (long f = 0; f < nf; f++) {
            iso(start + 60.0 * f, tb, sizeof tb);
            fprintf(fa, "%s\"%s\"", f ? "," : "", tb);
        }
        fprintf(fa, "]},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[");
        for (long f = 0; f < nf; f++) {
            fprintf(fa, "%s[%.5f,%.5f]", f ? "," : "", lon, lat);
            /* turn a little each minute; a degree of latitude is 111 km */
            heading += (uniform() - 0.5) * 0.3;
            lat += step * cos(heading) / 111.0;
            lon += step * sin(heading) / (111.0 * cos(lat * 3.14159265358979 / 180));
        }
        fprintf(fa, "]}}\n");
    }
    fprintf(fs, dense ? "kind,id,time,lon,lat,attributed_to\n" : "kind,id,time,lon,lat\n");
    for (long i = 0; i < ns; i++) {
        double lon = w + uniform() * (e - w), lat = s + uniform() * (n - s);
        iso(t0 + uniform() * span, tb, sizeof tb);
        fprintf(fs, "strike,s%ld,%s,%.5f,%.5f%s\n", i, tb, lon, lat, dense ? ",Russia" : "");
    }
    if (fclose(fs) != 0 || fclose(fa) != 0) {
        perror("gen_check");
        return 2;
    }
    return 0;
}
