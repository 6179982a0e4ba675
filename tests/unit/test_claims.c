/*
 * test_claims.c: the loader's typed model and its diagnostics, on the
 * bundled example and on small files written here; the tables' lookups
 * through aliases and their suggestions.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strikemap/strikemap.h"
#include "../test.h"

static char g_dir[] = "/tmp/sm-test-claims-XXXXXX";

static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof(path), "%s/%s", g_dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static const sm_strike *strike_by_id(const sm_claims *c, const char *id)
{
    for (size_t i = 0; i < sm_claims_strike_count(c); i++)
        if (strcmp(sm_claims_strike(c, i)->info.id, id) == 0)
            return sm_claims_strike(c, i);
    return NULL;
}

static const sm_aircraft *aircraft_by_id(const sm_claims *c, const char *id)
{
    for (size_t i = 0; i < sm_claims_aircraft_count(c); i++)
        if (strcmp(sm_claims_aircraft(c, i)->info.id, id) == 0)
            return sm_claims_aircraft(c, i);
    return NULL;
}

static void test_example(sm_ctx *ctx)
{
    const char *paths[] = {SM_TEST_SOURCE_DIR "/examples/aleppo-2016.geojson"};
    sm_claims *c = NULL;
    CHECK(sm_claims_load(ctx, paths, 1, NULL, &c) == SM_OK);
    CHECK(sm_ctx_error_count(ctx) == 0);
    CHECK(sm_ctx_warning_count(ctx) == 0);
    if (c == NULL)
        return;
    CHECK(sm_claims_strike_count(c) == 7);
    CHECK(sm_claims_aircraft_count(c) == 5);
    CHECK(sm_claims_base_count(c) == 3);
    const sm_strike *s = strike_by_id(c, "s-aleppo-a10");
    CHECK(s != NULL);
    if (s) {
        /* 2016-02-10T12:55:00+02:00 = 10:55Z = 1455101700 (GNU date) */
        CHECK_NEAR(s->when.start, 1455101700, 0, "s");
        CHECK_NEAR(s->when.end, 1455101700 + 65 * 60, 0, "s");
        CHECK(s->when.offset_min == 120);
        CHECK_NEAR(s->location_uncertainty_km, 10, 0, "km");
        CHECK(s->grading == SM_GRADING_CONTESTED);
        CHECK(s->attributed_to && s->attributed_to[0] && s->attributed_to[1] &&
              !s->attributed_to[2]);
        if (s->attributed_to)
            CHECK_STR(s->attributed_to[1], "a-a10-2");
        CHECK_NEAR(s->lon, 37.1627, 0, "deg");
        CHECK_NEAR(s->lat, 36.1993, 0, "deg");
        CHECK(strstr(s->info.label, "\xd8\xad\xd9\x84\xd8\xa8") != NULL); /* حلب */
        CHECK(s->info.feature == 5);
        CHECK(strstr(s->info.file, "aleppo-2016.geojson") != NULL);
    }
    const sm_aircraft *a = aircraft_by_id(c, "a-a10-1");
    CHECK(a != NULL);
    if (a) {
        CHECK(a->type_ref != NULL && strcmp(a->type_ref->type, "A-10C") == 0);
        CHECK(a->base_index >= 0);
        if (a->base_index >= 0)
            CHECK_STR(sm_claims_base(c, (size_t)a->base_index)->info.id, "b-incirlik");
        CHECK(a->n_fixes == 1 && !a->is_track);
        CHECK_NEAR(a->location_uncertainty_km, 15, 0, "km");
    }
    double w, so, e, n, t0, t1;
    CHECK(sm_claims_extent(c, &w, &so, &e, &n));
    CHECK_NEAR(w, 35.42583, 1e-9, "deg");
    CHECK_NEAR(e, 50.0, 1e-9, "deg"); /* the Caspian launcher claim */
    CHECK(sm_claims_time_span(c, &t0, &t1));
    CHECK(t0 < t1);
    sm_claims_free(c);
}

/* Names through aliases, any case, any script; suggestions for typos. */
static void test_tables(sm_ctx *ctx)
{
    const sm_aircraft_type *t =
        sm_tables_find_aircraft(ctx, "\xd0\xa1\xd1\x83-24\xd0\x9c"); /* Су-24М */
    CHECK(t != NULL && strcmp(t->type, "Su-24M") == 0);
    t = sm_tables_find_aircraft(ctx, "warthog");
    CHECK(t != NULL && strcmp(t->type, "A-10C") == 0);
    CHECK(sm_tables_find_aircraft(ctx, "Su-24X") == NULL);
    const char *sug[3];
    size_t k = sm_tables_suggest_aircraft(ctx, "Su-24X", sug, 3);
    CHECK(k >= 1 && strcmp(sug[0], "Su-24M") == 0);
    const sm_weapon *wp = sm_tables_find_weapon(ctx, "kab-500kr");
    CHECK(wp != NULL && wp->guided);
    /* every row has a source */
    for (size_t i = 0; i < sm_tables_aircraft_count(ctx); i++)
        CHECK(sm_tables_aircraft(ctx, i)->source && *sm_tables_aircraft(ctx, i)->source);
    for (size_t i = 0; i < sm_tables_weapon_count(ctx); i++)
        CHECK(sm_tables_weapon(ctx, i)->source && *sm_tables_weapon(ctx, i)->source);
    /* the default weapons of every type are in the weapons table */
    for (size_t i = 0; i < sm_tables_aircraft_count(ctx); i++) {
        const sm_aircraft_type *at = sm_tables_aircraft(ctx, i);
        for (size_t j = 0; at->default_weapons[j]; j++)
            if (sm_tables_find_weapon(ctx, at->default_weapons[j]) == NULL) {
                fprintf(stderr, "%s: default weapon %s unknown\n", at->type,
                        at->default_weapons[j]);
                sm_test_failures++;
            }
    }
}

/* All errors of a file in one run, each naming file, feature, id, field. */
static void test_errors(sm_ctx *ctx)
{
    sm_ctx_diag_clear(ctx);
    const char *p = write_file(
        "errors.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[36,35]},"
        "\"properties\":{\"kind\":\"strike\",\"id\":\"s-1\",\"time\":\"yesterday\"}},"
        "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[36,95]},"
        "\"properties\":{\"kind\":\"strike\",\"id\":\"s-2\"}},"
        "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[36,35]},"
        "\"properties\":{\"kind\":\"aircraft\",\"id\":\"a-1\",\"type\":\"Su-24M\","
        "\"weapon\":\"nuke\"}}]}");
    sm_claims *c = NULL;
    const char *paths[] = {p};
    CHECK(sm_claims_load(ctx, paths, 1, NULL, &c) == SM_ERR_INVALID);
    CHECK(c == NULL);
    CHECK(sm_ctx_error_count(ctx) == 3);
    char line[1024];
    bool time_err = false, geom_err = false, weapon_err = false;
    for (size_t i = 0; i < sm_ctx_diag_count(ctx); i++) {
        const sm_diag *d = sm_ctx_diag(ctx, i);
        if (d->severity != SM_SEV_ERROR)
            continue;
        sm_diag_format(d, line, sizeof(line));
        time_err |= strstr(line, "errors.geojson: feature 0 (id \"s-1\"): field \"time\": "
                                 "\"yesterday\" is not a time") != NULL;
        geom_err |= d->feature == 1 && strcmp(d->field, "geometry") == 0;
        weapon_err |=
            d->feature == 2 && strcmp(d->field, "weapon") == 0 && strcmp(d->id, "a-1") == 0;
    }
    CHECK(time_err);
    CHECK(geom_err);
    CHECK(weapon_err);
    sm_ctx_diag_clear(ctx);
    CHECK(sm_ctx_diag_count(ctx) == 0 && sm_ctx_error_count(ctx) == 0);
}

/* Claims across the antimeridian: the extent goes the short way round. */
static void test_antimeridian_extent(sm_ctx *ctx)
{
    const char *p = write_file(
        "fiji.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[179.5,-17]},"
        "\"properties\":{\"kind\":\"base\",\"id\":\"b-1\"}},"
        "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[-179.2,-16]},"
        "\"properties\":{\"kind\":\"base\",\"id\":\"b-2\"}}]}");
    sm_claims *c = NULL;
    const char *paths[] = {p};
    sm_load_options o = {0};
    o.no_position_check = true;
    CHECK(sm_claims_load(ctx, paths, 1, &o, &c) == SM_OK);
    double w, s, e, n;
    if (c && sm_claims_extent(c, &w, &s, &e, &n)) {
        CHECK_NEAR(w, 179.5, 1e-9, "deg");
        CHECK_NEAR(e, -179.2, 1e-9, "deg");
    }
    sm_claims_free(c);
}

int main(void)
{
    if (mkdtemp(g_dir) == NULL)
        return 1;
    sm_ctx *ctx = sm_ctx_new();
    test_example(ctx);
    test_tables(ctx);
    test_errors(ctx);
    test_antimeridian_extent(ctx);
    sm_ctx_free(ctx);
    /* freeing nothing is harmless */
    sm_ctx_free(NULL);
    sm_claims_free(NULL);
    sm_check_free(NULL);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", g_dir);
    if (system(cmd) != 0)
        return 1;
    return sm_test_report("test_claims");
}
