/*
 * test_stream.c: claims read as a stream (sm_claims_stream_*) hand over
 * exactly the strikes sm_claims_load holds, record for record (every
 * field, ring, attribution and warning), in the same order, for batches of
 * 1, 7 and 5000 strikes; the held claims, extent and time span are the
 * same; the stream fails where sm_claims_load fails (duplicate ids in
 * different batches); tables read through a profile are held and handed
 * over the same way. The oracle is the in-memory loader, whose records
 * the other tests check against hand-worked values.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strikemap/strikemap.h"
#include "../test.h"

static char g_dir[] = "/tmp/sm-test-stream-XXXXXX";

static char *path_in(const char *name)
{
    size_t n = strlen(g_dir) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", g_dir, name);
    return p;
}

/* Append printf output to a growing string (capacity doubled: under ASan
 * every realloc copies). */
#include <stdarg.h>
static size_t g_cap_of(const char *buf, size_t len)
{
    (void)buf;
    size_t cap = 256;
    while (cap <= len)
        cap *= 2;
    return cap;
}
static void cat(char **buf, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void cat(char **buf, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    size_t need = *len + (size_t)n + 1;
    if (*buf == NULL || g_cap_of(*buf, *len) < need) {
        size_t cap = g_cap_of(NULL, need);
        *buf = realloc(*buf, cap);
    }
    va_start(ap, fmt);
    vsnprintf(*buf + *len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    *len += (size_t)n;
}

#define S(x) ((x) != NULL ? (x) : "(null)")

/* Everything a strike's record holds, as text (%a: exact doubles). */
static void describe(char **buf, size_t *len, const sm_strike *s)
{
    const sm_claim_info *i = &s->info;
    cat(buf, len, "%s|%s|%s|%s|%s|%s|%ld|%a|%a|", S(i->id), S(i->label), S(i->claimed_by),
        S(i->source), S(i->notes), S(i->file), i->feature, s->lon, s->lat);
    cat(buf, len, "%d %a %a %d %d %a|%a|", s->when.known, s->when.start, s->when.end,
        s->when.offset_min, s->when.offset_given, s->when.uncertainty_min,
        s->location_uncertainty_km);
    for (size_t k = 0; s->attributed_to && s->attributed_to[k]; k++)
        cat(buf, len, "to=%s;", s->attributed_to[k]);
    cat(buf, len, "|%s|%s|%d|%d|%d|%zu|", S(s->weapon), s->weapon_ref ? s->weapon_ref->name : "-",
        (int)s->grading, s->geo_precision, s->position_unchecked, s->n_rings);
    size_t np = 0;
    for (size_t r = 0; r < s->n_rings; r++) {
        cat(buf, len, "ring %zu;", s->ring_sizes[r]);
        np += s->ring_sizes[r];
    }
    for (size_t v = 0; v < np; v++)
        cat(buf, len, "%a,%a;", s->ring_lonlat[2 * v], s->ring_lonlat[2 * v + 1]);
    for (size_t w = 0; i->warnings && i->warnings[w]; w++)
        cat(buf, len, "|warn=%s", i->warnings[w]);
    cat(buf, len, "\n");
}

static void describe_fixed(char **buf, size_t *len, const sm_claims *c)
{
    for (size_t i = 0; i < sm_claims_aircraft_count(c); i++) {
        const sm_aircraft *a = sm_claims_aircraft(c, i);
        cat(buf, len, "aircraft %s %s %ld %zu", a->info.id, S(a->type), a->base_index, a->n_fixes);
        for (size_t w = 0; a->info.warnings && a->info.warnings[w]; w++)
            cat(buf, len, "|warn=%s", a->info.warnings[w]);
        cat(buf, len, "\n");
    }
    for (size_t i = 0; i < sm_claims_base_count(c); i++)
        cat(buf, len, "base %s %a %a\n", sm_claims_base(c, i)->info.id, sm_claims_base(c, i)->lon,
            sm_claims_base(c, i)->lat);
    for (size_t i = 0; i < sm_claims_launcher_count(c); i++)
        cat(buf, len, "launcher %s\n", sm_claims_launcher(c, i)->info.id);
    double w, s, e, n, t0, t1;
    if (sm_claims_extent(c, &w, &s, &e, &n))
        cat(buf, len, "extent %a %a %a %a\n", w, s, e, n);
    if (sm_claims_time_span(c, &t0, &t1))
        cat(buf, len, "span %a %a\n", t0, t1);
}

typedef struct collected {
    char *text;
    size_t len;
    size_t batches, max_batch;
    char *fixed;
    size_t fixed_len;
} collected;

static sm_status on_batch(void *user, const sm_claims *c)
{
    collected *k = user;
    size_t n = sm_claims_strike_count(c);
    k->batches++;
    if (n > k->max_batch)
        k->max_batch = n;
    for (size_t i = 0; i < n; i++)
        describe(&k->text, &k->len, sm_claims_strike(c, i));
    if (k->fixed == NULL)
        describe_fixed(&k->fixed, &k->fixed_len, c);
    return SM_OK;
}

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The diagnostics as sorted lines (the stream gives some later). */
static char *diag_text(sm_ctx *ctx)
{
    size_t n = sm_ctx_diag_count(ctx);
    char **lines = calloc(n + 1, sizeof(*lines));
    for (size_t i = 0; i < n; i++) {
        char buf[4096];
        sm_diag_format(sm_ctx_diag(ctx, i), buf, sizeof(buf));
        lines[i] = strdup(buf);
    }
    qsort(lines, n, sizeof(*lines), cmp_lines);
    char *out = NULL;
    size_t len = 0;
    cat(&out, &len, "%s", "");
    for (size_t i = 0; i < n; i++) {
        cat(&out, &len, "%s\n", lines[i]);
        free(lines[i]);
    }
    free(lines);
    return out;
}

/* Compare one input read both ways at one batch size. */
static void same(const char *what, const char *const *paths, size_t n_paths, size_t batch,
                 const sm_load_options *opt, sm_status want)
{
    sm_ctx *a = sm_ctx_new(), *b = sm_ctx_new();
    sm_claims *claims = NULL;
    sm_status sa = sm_claims_load(a, paths, n_paths, opt, &claims);
    collected mem = {0}, str = {0};
    if (claims != NULL) {
        for (size_t i = 0; i < sm_claims_strike_count(claims); i++)
            describe(&mem.text, &mem.len, sm_claims_strike(claims, i));
        describe_fixed(&mem.fixed, &mem.fixed_len, claims);
    }
    sm_claims_stream *s = NULL;
    sm_status sb = sm_claims_stream_open(b, paths, n_paths, opt, &s);
    if (sb == SM_OK) {
        CHECK(sm_claims_stream_strike_count(s) ==
              (claims ? sm_claims_strike_count(claims) : sm_claims_stream_strike_count(s)));
        sb = sm_claims_stream_run(s, batch, on_batch, &str);
        CHECK(sm_claims_stream_run(s, batch, on_batch, &str) == SM_ERR_USAGE); /* once */
    }
    if (sa != want || sb != want)
        fprintf(stderr, "%s, batch %zu: load %d, stream %d, expected %d\n", what, batch, (int)sa,
                (int)sb, (int)want);
    CHECK(sa == want);
    CHECK(sb == want);
    if (want == SM_OK && sa == SM_OK && sb == SM_OK) {
        CHECK(str.max_batch <= batch);
        if (str.text == NULL || mem.text == NULL || strcmp(str.text, mem.text) != 0) {
            fprintf(stderr,
                    "%s, batch %zu: the streamed strikes differ from the loaded ones "
                    "(/tmp/sm-stream-{mem,str}.txt)\n",
                    what, batch);
            FILE *f = fopen("/tmp/sm-stream-mem.txt", "w");
            fputs(mem.text ? mem.text : "", f);
            fclose(f);
            f = fopen("/tmp/sm-stream-str.txt", "w");
            fputs(str.text ? str.text : "", f);
            fclose(f);
            CHECK(!"same strikes");
        }
        if (mem.fixed != NULL && str.fixed != NULL)
            CHECK_STR(str.fixed, mem.fixed);
    }
    /* the same errors and warnings, the stream giving some later */
    CHECK(sm_ctx_error_count(b) == sm_ctx_error_count(a));
    CHECK(sm_ctx_warning_count(b) == sm_ctx_warning_count(a));
    char *da = diag_text(a), *db = diag_text(b);
    if (sm_ctx_diag_dropped(a) == 0 && strcmp(da, db) != 0) {
        fprintf(stderr, "%s, batch %zu: other diagnostics (%zu and %zu, %zu/%zu errors)\n", what,
                batch, sm_ctx_diag_count(a), sm_ctx_diag_count(b), sm_ctx_error_count(a),
                sm_ctx_error_count(b));
        FILE *f = fopen("/tmp/sm-stream-diag-a.txt", "w");
        fputs(da, f);
        fclose(f);
        f = fopen("/tmp/sm-stream-diag-b.txt", "w");
        fputs(db, f);
        fclose(f);
        CHECK(!"same diagnostics");
    }
    free(da);
    free(db);
    free(mem.text);
    free(mem.fixed);
    free(str.text);
    free(str.fixed);
    sm_claims_stream_free(s);
    sm_claims_free(claims);
    sm_ctx_free(a);
    sm_ctx_free(b);
}

static void all_batches(const char *what, const char *const *paths, size_t n_paths,
                        const sm_load_options *opt, sm_status want)
{
    static const size_t sizes[] = {1, 7, 5000};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        same(what, paths, n_paths, sizes[i], opt, want);
}

/* 6,000 strikes (more than the stream's first-reading batch of 4,096) of
 * every shape a table has, then the aircraft and base they name, last. */
static char *write_big(const char *name, bool duplicate)
{
    char *p = path_in(name);
    FILE *f = fopen(p, "w");
    fprintf(f, "{\"type\":\"FeatureCollection\",\"features\":[\n");
    for (int i = 0; i < 6000; i++) {
        double lon = 36.9 + (i % 100) * 0.004, lat = 36.1 + (i / 100) * 0.003;
        const char *to = i % 5 == 0   ? "\"a1\""
                         : i % 5 == 1 ? "\"Russia\""
                         : i % 5 == 2 ? "\"s7\"" /* a strike: a warning */
                                      : "\"Nobody Known\"";
        if (i == 4321 || (duplicate && i == 5999)) {
            fprintf(f,
                    "{\"type\":\"Feature\",\"properties\":{\"kind\":\"strike\",\"id\":%d},"
                    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[%g,%g]}},\n",
                    duplicate ? 17 : 4321, lon, lat);
            continue;
        }
        if (i % 500 == 100) { /* at sea off Latakia: twelve of them, more than are named */
            lon = 35.2 + i * 1e-5;
            lat = 35.0;
        }
        if (i == 200) { /* in Germany: far from every other claim */
            lon = 10.0;
            lat = 50.0;
        }
        fprintf(f,
                "{\"type\":\"Feature\",\"properties\":{\"kind\":\"strike\",\"id\":\"s%d\","
                "\"label\":\"ضربة %d\",\"time\":\"2016-02-%02dT%02d:%02d:00%s\","
                "\"attributed_to\":%s,\"location_uncertainty_km\":%d,\"grading\":\"%s\"%s},"
                "\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]}},\n",
                i, i, 1 + i % 28, i % 24, i % 60, i % 3 == 0 ? "-05:00" : "", to, i % 4,
                i % 2 ? "fair" : "weak", i % 97 == 0 ? ",\"position_checked\":false" : "", lon,
                lat);
    }
    fprintf(f, "{\"type\":\"Feature\",\"properties\":{\"kind\":\"strike\",\"id\":\"area\","
               "\"time\":\"2016-02-15T10:00:00Z\"},\"geometry\":{\"type\":\"Polygon\","
               "\"coordinates\":[[[37.1,36.2],[37.2,36.2],[37.2,36.3],[37.1,36.2]]]}},\n");
    fprintf(f, "{\"type\":\"Feature\",\"properties\":{\"kind\":\"aircraft\",\"id\":\"a1\","
               "\"type\":\"Su-24M\",\"operator\":\"Russia\",\"base\":\"hmeimim\","
               "\"time\":\"2016-02-15T10:00:00+03:00\"},"
               "\"geometry\":{\"type\":\"Point\",\"coordinates\":[37.0,36.2]}},\n");
    fprintf(f, "{\"type\":\"Feature\",\"properties\":{\"kind\":\"base\",\"id\":\"hmeimim\","
               "\"operator\":\"Russia\"},"
               "\"geometry\":{\"type\":\"Point\",\"coordinates\":[35.948,35.401]}}\n]}\n");
    fclose(f);
    return p;
}

int main(void)
{
    if (mkdtemp(g_dir) == NULL)
        return 2;
    sm_load_options opt = {0};
    const char *home = getenv("STRIKEMAP_HOME");
    char example[1024];
    snprintf(example, sizeof(example), "%s/examples/aleppo-2016.geojson",
             home ? home : SM_TEST_SOURCE_DIR);

    const char *one[] = {example};
    all_batches("the example", one, 1, &opt, SM_OK);

    char *big = write_big("big.geojson", false);
    const char *two[] = {big, example};
    all_batches("6,000 strikes and the example", two, 2, &opt, SM_OK);
    sm_load_options quick = {0};
    quick.no_position_check = true;
    all_batches("6,000 strikes, no position check", two, 2, &quick, SM_OK);

    /* the same id in the first and the last batch: both ways an error */
    char *dup = write_big("dup.geojson", true);
    const char *d[] = {dup};
    same("a duplicate id 6,000 strikes apart", d, 1, 1000, &opt, SM_ERR_INVALID);
    /* a strike's id equal to an aircraft's in another file */
    const char *d2[] = {example, example};
    same("a file given twice", d2, 2, 3, &opt, SM_ERR_INVALID);

    /* a published table through its profile: held, handed over alike */
    char acled[1024];
    snprintf(acled, sizeof(acled), "%s/profiles/acled.csv", SM_TEST_DATA);
    const char *t[] = {big, acled};
    all_batches("a claim file, then an ACLED table", t, 2, &opt, SM_OK);

    unlink(big);
    unlink(dup);
    rmdir(g_dir);
    free(big);
    free(dup);
    return sm_test_report("test_stream");
}
