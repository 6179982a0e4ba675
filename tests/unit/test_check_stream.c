/*
 * test_check_stream.c: the check engine fed strikes in batches (the stream
 * entry of check/check_internal.h, reached through the one exported test
 * hook, sm_testhook_check_stream) gives exactly what one run on all the
 * strikes gives: the same rows, byte for byte, and the same summary, with
 * batches of 1, 7 and 1000 strikes, in every pairing mode, listed short or
 * all, and counting only. The claims: the example (examples/aleppo-2016)
 * and a generated set large enough that the listing's cut (1,000 rows of
 * the shortened classes) falls inside a batch (tests/cli/gen_bounds.py).
 * The rows are the sink's: every field of each pair, numbers to 17
 * digits, and the strike's id read through the batch the pair indexes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/check_internal.h"
#include "claims/load.h"
#include "../test.h"

/* The sink: rows appended to one text, the strike named through the batch
 * the engine is fed (strike indexes are the batch's). */
typedef struct out {
    const sm_claims *claims; /* the current batch */
    size_t base;             /* its first strike's index in the whole set */
    char *text;
    size_t len, cap;
    size_t rows;
} out;

static bool row(const out *o, FILE *f, const sm_pair *p)
{
    const sm_strike *s = sm_claims_strike(o->claims, p->strike);
    fprintf(f, "%zu %s %zu %d %d %ld %d", o->base + p->strike, s->info.id, p->aircraft,
            (int)p->by_kind, (int)p->verdict, p->fix, p->n_binding);
    const double v[] = {
        p->distance_km,      p->available_minutes,   p->required_speed_kmh, p->max_speed_kmh,
        p->reach_km,         p->weapon_range_km,     p->base_distance_km,   p->combat_radius_km,
        p->margin_km,        p->closest_approach_km, p->gap_minutes,        p->cruise_speed_kmh,
        p->weapon_speed_kmh, p->time_margin_km,      p->cruise_reach_km,    p->route_km,
        p->sortie_margin_km, p->launcher_margin_km};
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        fprintf(f, " %.17g", v[i]);
    fprintf(f, " %u %d %s %u %d\n", p->missing, (int)p->decided_by, p->weapon ? p->weapon : "-",
            p->weapon_flags, p->route_fixes);
    return true;
}

static bool append(out *o, const char *text, size_t len)
{
    if (o->len + len + 1 > o->cap) {
        size_t cap = (o->len + len + 1) * 2;
        char *n = realloc(o->text, cap);
        if (n == NULL)
            return false;
        o->text = n;
        o->cap = cap;
    }
    memcpy(o->text + o->len, text, len);
    o->len += len;
    o->text[o->len] = 0;
    return true;
}

static bool s_format(void *user, FILE *f, const sm_pair *p)
{
    return row(user, f, p);
}

static bool s_put(void *user, const char *text, size_t len, size_t rows)
{
    out *o = user;
    o->rows += rows;
    return append(o, text, len);
}

static bool s_add(void *user, const sm_pair *p)
{
    out *o = user;
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (f == NULL)
        return false;
    row(o, f, p);
    fclose(f);
    o->rows++;
    bool ok = append(o, buf, n);
    free(buf);
    return ok;
}

static bool same_summary(const sm_check_summary *a, const sm_check_summary *b)
{
    bool same = a->strikes == b->strikes && a->aircraft == b->aircraft && a->pairs == b->pairs &&
                a->listed == b->listed && a->unlisted_unknown == b->unlisted_unknown &&
                a->unlisted_implausible == b->unlisted_implausible &&
                a->strikes_unattributed == b->strikes_unattributed && a->launchers == b->launchers;
    for (int v = 0; v < 4; v++)
        same = same && a->by_verdict[v] == b->by_verdict[v];
    return same;
}

/* The claims with only strikes [from, from + n) of all: the same aircraft,
 * bases and launchers (the vectors' storage shared, never freed here). */
static struct sm_claims slice(const sm_claims *all, size_t from, size_t n)
{
    struct sm_claims b = *all;
    b.strikes.data = (sm_strike *)all->strikes.data + from;
    b.strikes.len = b.strikes.cap = n;
    return b;
}

/* One run, then batches of each size: rows and summaries compared. */
static void compare(sm_ctx *ctx, const sm_claims *all, const sm_check_options *opt, bool count,
                    const char *what)
{
    const sm__check_stream_api *api = sm_testhook_check_stream();
    size_t ns = sm_claims_strike_count(all);
    out one = {all, 0, NULL, 0, 0, 0};
    sm__pair_sink sink1 = {s_format, s_put, s_add, &one};
    sm_check_summary sum1;
    CHECK(api->run(ctx, all, opt, count ? NULL : &sink1, &sum1) == SM_OK);
    CHECK(sum1.strikes == ns);
    CHECK(count || sum1.listed == one.rows);
    if (count) {
        /* the summary alone (where the bounds settle pairs without their
         * numbers) is the listing's, every class counted alike */
        out listing = {all, 0, NULL, 0, 0, 0};
        sm__pair_sink lsink = {s_format, s_put, s_add, &listing};
        sm_check_summary lsum;
        CHECK(api->run(ctx, all, opt, &lsink, &lsum) == SM_OK);
        if (!same_summary(&sum1, &lsum))
            fprintf(stderr,
                    "%s: count only %zu listed, %zu + %zu unlisted; listing %zu, %zu + %zu\n", what,
                    sum1.listed, sum1.unlisted_unknown, sum1.unlisted_implausible, lsum.listed,
                    lsum.unlisted_unknown, lsum.unlisted_implausible);
        CHECK(same_summary(&sum1, &lsum));
        free(listing.text);
    }
    const size_t sizes[] = {1, 7, 1000};
    for (size_t k = 0; k < 3; k++) {
        out o = {NULL, 0, NULL, 0, 0, 0};
        sm__pair_sink sink = {s_format, s_put, s_add, &o};
        sm__check_stream *st = NULL;
        CHECK(api->stream_new(ctx, all, opt, count ? NULL : &sink, &st) == SM_OK);
        for (size_t from = 0; from < ns && st != NULL; from += sizes[k]) {
            size_t n = from + sizes[k] < ns ? sizes[k] : ns - from;
            struct sm_claims b = slice(all, from, n);
            o.claims = &b;
            o.base = from;
            CHECK(api->stream_batch(st, &b) == SM_OK);
        }
        sm_check_summary sum;
        CHECK(api->stream_finish(st, &sum) == SM_OK);
        api->stream_free(st);
        if (!same_summary(&sum, &sum1) || o.len != one.len ||
            (o.len > 0 && memcmp(o.text, one.text, o.len) != 0)) {
            fprintf(stderr, "%s, batches of %zu: %zu bytes (%zu listed) against %zu (%zu)\n", what,
                    sizes[k], o.len, sum.listed, one.len, sum1.listed);
            CHECK(!"batches give what one run gives");
        } else {
            CHECK(true);
        }
        free(o.text);
    }
    free(one.text);
}

static void all_modes(sm_ctx *ctx, const sm_claims *c, const char *name)
{
    static const struct {
        sm_pairing pairing;
        const char *op;
        bool list_all, count;
    } modes[] = {
        {SM_PAIRS_ATTRIBUTED, NULL, false, false},  {SM_PAIRS_ATTRIBUTED, NULL, true, false},
        {SM_PAIRS_ATTRIBUTED, NULL, false, true},   {SM_PAIRS_OPERATOR, "Russia", false, false},
        {SM_PAIRS_OPERATOR, "Russia", false, true}, {SM_PAIRS_ALL, NULL, false, false},
        {SM_PAIRS_ALL, NULL, true, false},          {SM_PAIRS_ALL, NULL, false, true},
    };
    for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
        sm_check_options opt;
        sm_check_options_init(&opt);
        opt.pairing = modes[m].pairing;
        opt.operator_name = modes[m].op;
        opt.list_all = modes[m].list_all;
        opt.fallback_speed_kmh = 800;
        char what[128];
        snprintf(what, sizeof(what), "%s, mode %zu", name, m);
        compare(ctx, c, &opt, modes[m].count, what);
    }
}

int main(void)
{
    sm_ctx *ctx = sm_ctx_new();
    CHECK(ctx != NULL);
    const char *example = SM_TEST_SOURCE_DIR "/examples/aleppo-2016.geojson";
    sm_claims *c = NULL;
    CHECK(sm_claims_load(ctx, &example, 1, NULL, &c) == SM_OK);
    if (c != NULL)
        all_modes(ctx, c, "example");
    sm_claims_free(c);
    /* a generated set: 600 strikes against 50 aircraft */
    char dir[] = "/tmp/sm-stream-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256], cmd[512];
    snprintf(path, sizeof(path), "%s/gen.geojson", dir);
    snprintf(cmd, sizeof(cmd), "python3 '%s/tests/cli/gen_bounds.py' 3 600 50 '%s'",
             SM_TEST_SOURCE_DIR, path);
    CHECK(system(cmd) == 0);
    sm_load_options lo;
    memset(&lo, 0, sizeof(lo));
    lo.fallback_speed_kmh = 800;
    lo.no_position_check = true;
    const char *p = path;
    c = NULL;
    CHECK(sm_claims_load(ctx, &p, 1, &lo, &c) == SM_OK);
    if (c != NULL)
        all_modes(ctx, c, "generated");
    sm_claims_free(c);
    remove(path);
    rmdir(dir);
    sm_ctx_free(ctx);
    return sm_test_report("test_check_stream");
}
