/*
 * test_time.c: ISO 8601 parsing and formatting. Expected instants were
 * computed with GNU date (`date -u -d '2016-02-10T13:55:00+03:00' +%s`), an
 * independent implementation.
 */
#include <math.h>
#include <string.h>
#include <time.h>

#include "strikemap/strikemap.h"
#include "../test.h"

typedef struct tcase {
    const char *text;
    bool ok;
    double start, end; /* POSIX seconds */
    int offset_min;
    bool offset_given;
} tcase;

static const tcase g_cases[] = {
    {"2016-02-10T13:55:00+03:00", true, 1455101700, 1455101700, 180, true},
    {"2016-02-10T10:55:00Z", true, 1455101700, 1455101700, 0, true},
    {"2016-02-10T10:55Z", true, 1455101700, 1455101700, 0, true},
    {"2016-02-10 10:55:00", true, 1455101700, 1455101700, 0, false},
    {"2016-02-10T07:55:00-0300", true, 1455101700, 1455101700, -180, true},
    {"2016-02-10T13:55:00+03", true, 1455101700, 1455101700, 180, true},
    {"2016-02-10T10:55:00.5Z", true, 1455101700.5, 1455101700.5, 0, true},
    {"2016-02-29T00:00:00Z", true, 1456704000, 1456704000, 0, true}, /* leap day */
    {"2016-02-15", true, 1455494400, 1455580800, 0, false},          /* a whole day */
    {"1969-12-31T23:59:59Z", true, -1, -1, 0, true},
    {"2016-02-30T00:00:00Z", false, 0, 0, 0, false},
    {"2015-02-29T00:00:00Z", false, 0, 0, 0, false},
    {"2016-13-01T00:00:00Z", false, 0, 0, 0, false},
    {"2016-02-10T24:00:00Z", false, 0, 0, 0, false},
    {"2016-02-10T13:61:00Z", false, 0, 0, 0, false},
    {"15/02/2016 09:00", false, 0, 0, 0, false},
    {"2016-02-10T13:55:00+03:00 junk", false, 0, 0, 0, false},
    {"2016-02-10T13:55:00+25:00", false, 0, 0, 0, false},
    {"", false, 0, 0, 0, false},
};

static int gmtime_year(double t)
{
    time_t tt = (time_t)floor(t);
    struct tm tm;
    return gmtime_r(&tt, &tm) != NULL ? tm.tm_year + 1900 : 0;
}

int main(void)
{
    for (size_t i = 0; i < sizeof(g_cases) / sizeof(g_cases[0]); i++) {
        const tcase *c = &g_cases[i];
        sm_when w;
        bool ok = sm_time_parse(c->text, &w);
        if (ok != c->ok) {
            fprintf(stderr, "case \"%s\": parse %s, expected %s\n", c->text,
                    ok ? "succeeded" : "failed", c->ok ? "success" : "failure");
            sm_test_failures++;
            continue;
        }
        sm_test_checks++;
        if (!ok)
            continue;
        CHECK_NEAR(w.start, c->start, 1e-6, "s");
        CHECK_NEAR(w.end, c->end, 1e-6, "s");
        CHECK(w.offset_min == c->offset_min);
        CHECK(w.offset_given == c->offset_given);
    }
    char buf[40];
    CHECK_STR(sm_time_format(1455101700, 180, buf, sizeof(buf)), "2016-02-10T13:55:00+03:00");
    CHECK_STR(sm_time_format(1455101700, 0, buf, sizeof(buf)), "2016-02-10T10:55:00Z");
    CHECK_STR(sm_time_format(1455101700, -330, buf, sizeof(buf)), "2016-02-10T05:25:00-05:30");
    /* round trip */
    sm_when w;
    CHECK(sm_time_parse(sm_time_format(1455101700, 120, buf, sizeof(buf)), &w));
    CHECK_NEAR(w.start, 1455101700, 0, "s");
    /* sm_model_year (arithmetic) against the C library's gmtime_r: year
     * ends, leap days, before 1970, before year 1, and a spread of
     * instants over +-31,000 years (a step that is not a divisor of a
     * day, so the times of day vary) */
    static const double edges[] = {0,
                                   -1,
                                   -0.5,
                                   86399.999,
                                   951782400,
                                   951868799.9,
                                   1456790399.5,
                                   1483228799.999,
                                   1483228800,
                                   -2208988800,
                                   -62135596800.,
                                   -62135596801.,
                                   253402300799,
                                   4102444800};
    size_t bad = 0;
    for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
        bad += sm_model_year(edges[i]) != gmtime_year(edges[i]);
    for (double t = -1e12; t < 1e12; t += 9876543.21)
        bad += sm_model_year(t) != gmtime_year(t);
    CHECK(bad == 0);
    CHECK(sm_model_year((double)NAN) == 0);
    return sm_test_report("test_time");
}
