/*
 * test_output_numbers.c: every number the verdict writers put out is finite
 * and well formed, whatever its size (SPEC §6; issue 9, item 2).
 *
 * Regression: sm__fmt_fixed returned snprintf's would-be length, and
 * num_out (output.c) read and wrote past its 64-byte buffer: a
 * location_uncertainty_km or table value of 1e300 put NULs and raw stack
 * bytes into reach_km, margin_km and weapon_range_km of `check --format
 * json|csv`, exit 0. Here a pair carrying such numbers goes through the
 * public writers (text, JSON, CSV, GeoJSON), and each number is read back:
 * valid JSON number syntax, no NUL, and the value within half a unit of its
 * last decimal (fixed point below 1e15), or equal to 17 significant digits
 * (exponent form from 1e15 on). NaN and infinity are written as null.
 * And a writer never replaces the claims file it reads (item 3).
 */
#include <float.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ogr_api.h>

#include "strikemap/strikemap.h"
#include "../test.h"

static sm_ctx *g_ctx;
static char g_dir[] = "/tmp/sm-test-numbers-XXXXXX";

static sm_claims *load(void)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/claims.geojson", g_dir);
    FILE *f = fopen(path, "w");
    fputs("{\"type\":\"FeatureCollection\",\"features\":["
          "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[36,36]},"
          "\"properties\":{\"kind\":\"strike\",\"id\":\"s1\",\"time\":\"2016-02-10T12:00:00Z\","
          "\"attributed_to\":\"a1\"}},"
          "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[37,37]},"
          "\"properties\":{\"kind\":\"aircraft\",\"id\":\"a1\",\"type\":\"TestJet\","
          "\"time\":\"2016-02-10T11:00:00Z\"}}]}\n",
          f);
    fclose(f);
    sm_load_options opt = {0};
    opt.no_position_check = true;
    sm_claims *c = NULL;
    const char *paths[] = {path};
    CHECK(sm_claims_load(g_ctx, paths, 1, &opt, &c) == SM_OK);
    sm_ctx_diag_clear(g_ctx);
    return c;
}

/* Every numeric field of the pair set to v. */
static sm_pair pair_of(double v)
{
    sm_pair p;
    memset(&p, 0, sizeof(p));
    p.strike = 0;
    p.aircraft = 0;
    p.fix = 0;
    p.n_binding = 1;
    p.verdict = SM_VERDICT_IMPLAUSIBLE;
    p.distance_km = v;
    p.available_minutes = v;
    p.required_speed_kmh = v;
    p.max_speed_kmh = v;
    p.reach_km = v;
    p.weapon = "Bomb";
    p.weapon_range_km = v;
    p.location_uncertainty_km = v;
    p.base_distance_km = v;
    p.combat_radius_km = v;
    p.margin_km = v;
    p.closest_approach_km = v;
    p.gap_minutes = (double)NAN;
    return p;
}

/* The fields filled with v and their decimals, as output.c writes them. */
static const struct {
    const char *name;
    int decimals;
} g_num_fields[] = {
    {"distance_km", 3},
    {"available_minutes", 2},
    {"required_speed_kmh", 1},
    {"max_speed_kmh", 1},
    {"reach_km", 3},
    {"weapon_range_km", 3},
    {"location_uncertainty_km", 3},
    {"combat_radius_km", 3},
    {"margin_km", 3},
    {"closest_approach_km", 3},
};

static regex_t g_json_number;

/* The text of a number as written should read back as v. */
static void check_number(const char *where, const char *field, const char *text, size_t len,
                         double v, int decimals)
{
    char *tok = strndup(text, len);
    sm_test_checks++;
    if (!isfinite(v)) {
        if (strcmp(tok, "null") != 0 && strcmp(tok, "") != 0) {
            sm_test_failures++;
            fprintf(stderr, "%s %s: %g written as '%s', expected null\n", where, field, v, tok);
        }
        free(tok);
        return;
    }
    if (regexec(&g_json_number, tok, 0, NULL, 0) != 0) {
        sm_test_failures++;
        fprintf(stderr, "%s %s: %.17g written as '%s', not a JSON number\n", where, field, v, tok);
        free(tok);
        return;
    }
    double got = strtod(tok, NULL);
    double tol = fabs(v) >= 1e15 ? fabs(v) * 2 * DBL_EPSILON : 0.5 * pow(10, -decimals) * 1.000001;
    if (!(fabs(got - v) <= tol)) {
        sm_test_failures++;
        fprintf(stderr, "%s %s: %.17g written as '%s' (reads %.17g; tolerance %g)\n", where, field,
                v, tok, got, tol);
    }
    free(tok);
}

/* Write the pair in a stream format; returns the text (caller frees). */
static char *write_stream(const sm_claims *c, sm_format format, const sm_pair *p, size_t *len)
{
    char *buf = NULL;
    *len = 0;
    FILE *mem = open_memstream(&buf, len);
    sm_writer *w = NULL;
    CHECK(sm_writer_open(g_ctx, c, format, NULL, mem, &w) == SM_OK);
    if (w != NULL) {
        CHECK(sm_writer_add(w, p) == SM_OK);
        CHECK(sm_writer_close(w, NULL) == SM_OK);
    }
    fclose(mem);
    return buf;
}

static void check_json(const sm_claims *c, double v)
{
    sm_pair p = pair_of(v);
    size_t len;
    char *buf = write_stream(c, SM_FORMAT_JSON, &p, &len);
    CHECK(buf != NULL && strlen(buf) == len); /* no NUL inside */
    for (size_t i = 0; buf && i < sizeof(g_num_fields) / sizeof(g_num_fields[0]); i++) {
        char key[64];
        snprintf(key, sizeof(key), "\"%s\": ", g_num_fields[i].name);
        const char *at = strstr(buf, key);
        CHECK(at != NULL);
        if (at == NULL)
            continue;
        at += strlen(key);
        size_t n = strcspn(at, ",}");
        check_number("json", g_num_fields[i].name, at, n, v, g_num_fields[i].decimals);
    }
    free(buf);
}

/* Split a CSV line into fields (quotes handled); returns the count. */
static size_t csv_fields(const char *line, char **out, size_t max)
{
    size_t n = 0;
    const char *p = line;
    while (n < max) {
        char *f = malloc(strlen(p) + 1);
        size_t k = 0;
        if (*p == '"') {
            p++;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"')
                    p++;
                f[k++] = *p++;
            }
            if (*p == '"')
                p++;
        } else {
            while (*p && *p != ',' && *p != '\n')
                f[k++] = *p++;
        }
        f[k] = '\0';
        out[n++] = f;
        if (*p != ',')
            break;
        p++;
    }
    return n;
}

static void check_csv(const sm_claims *c, double v)
{
    sm_pair p = pair_of(v);
    size_t len;
    char *buf = write_stream(c, SM_FORMAT_CSV, &p, &len);
    CHECK(buf != NULL && strlen(buf) == len);
    if (buf == NULL)
        return;
    char *row = strchr(buf, '\n');
    CHECK(row != NULL);
    if (row == NULL) {
        free(buf);
        return;
    }
    *row++ = '\0';
    char *head[64], *vals[64];
    size_t nh = csv_fields(buf, head, 64), nv = csv_fields(row, vals, 64);
    CHECK(nh == nv);
    for (size_t i = 0; i < sizeof(g_num_fields) / sizeof(g_num_fields[0]); i++) {
        size_t k = 0;
        while (k < nh && strcmp(head[k], g_num_fields[i].name) != 0)
            k++;
        CHECK(k < nh && k < nv);
        if (k < nh && k < nv)
            check_number("csv", g_num_fields[i].name, vals[k], strlen(vals[k]), v,
                         g_num_fields[i].decimals);
    }
    for (size_t i = 0; i < nh; i++)
        free(head[i]);
    for (size_t i = 0; i < nv; i++)
        free(vals[i]);
    free(buf);
}

static void check_text_and_reasons(const sm_claims *c, double v)
{
    sm_pair p = pair_of(v);
    size_t len;
    char *buf = write_stream(c, SM_FORMAT_TEXT, &p, &len);
    CHECK(buf != NULL && strlen(buf) == len);
    free(buf);
    char small[64];
    size_t need = sm_pair_reasons(&p, c, small, sizeof(small));
    CHECK(strlen(small) < sizeof(small));
    char *full = malloc(need + 1);
    sm_pair_reasons(&p, c, full, need + 1);
    CHECK(strlen(full) == need);
    free(full);
}

static void check_geojson(const sm_claims *c, double v)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/pairs.geojson", g_dir);
    sm_pair p = pair_of(v);
    sm_writer *w = NULL;
    CHECK(sm_writer_open(g_ctx, c, SM_FORMAT_GEOJSON, path, NULL, &w) == SM_OK);
    if (w == NULL)
        return;
    CHECK(sm_writer_add(w, &p) == SM_OK);
    CHECK(sm_writer_close(w, NULL) == SM_OK);
    OGRDataSourceH ds = OGROpen(path, 0, NULL);
    CHECK(ds != NULL);
    if (ds == NULL)
        return;
    OGRLayerH l = OGR_DS_GetLayer(ds, 0);
    OGRFeatureH f = OGR_L_GetNextFeature(l);
    CHECK(f != NULL);
    for (size_t i = 0; f && i < sizeof(g_num_fields) / sizeof(g_num_fields[0]); i++) {
        int k = OGR_F_GetFieldIndex(f, g_num_fields[i].name);
        CHECK(k >= 0);
        if (k < 0)
            continue;
        sm_test_checks++;
        if (!isfinite(v)) {
            if (!OGR_F_IsFieldNull(f, k)) {
                sm_test_failures++;
                fprintf(stderr, "geojson %s: %g not null\n", g_num_fields[i].name, v);
            }
            continue;
        }
        double got = OGR_F_GetFieldAsDouble(f, k);
        double tol = fabs(v) >= 1e15 ? fabs(v) * 2 * DBL_EPSILON
                                     : 0.5 * pow(10, -g_num_fields[i].decimals) * 1.000001;
        if (!(fabs(got - v) <= tol)) {
            sm_test_failures++;
            fprintf(stderr, "geojson %s: %.17g read back as %.17g\n", g_num_fields[i].name, v, got);
        }
    }
    OGR_F_Destroy(f);
    OGR_DS_Destroy(ds);
    unlink(path);
}

/* Issue 9, item 3, through the API: a writer whose path is the claims
 * file (here through "/./") is refused before anything is written. */
static void check_refuses_input(const sm_claims *c)
{
    char path[256], before[4096], after[4096];
    snprintf(path, sizeof(path), "%s/./claims.geojson", g_dir);
    FILE *f = fopen(path, "rb");
    size_t n0 = f ? fread(before, 1, sizeof(before), f) : 0;
    if (f)
        fclose(f);
    sm_writer *w = NULL;
    CHECK(sm_writer_open(g_ctx, c, SM_FORMAT_JSON, path, NULL, &w) == SM_ERR_USAGE);
    CHECK(w == NULL);
    CHECK(sm_ctx_diag_count(g_ctx) == 1);
    f = fopen(path, "rb");
    size_t n1 = f ? fread(after, 1, sizeof(after), f) : 0;
    if (f)
        fclose(f);
    CHECK(n0 > 0 && n0 == n1 && memcmp(before, after, n0) == 0);
    sm_ctx_diag_clear(g_ctx);
}

int main(void)
{
    if (mkdtemp(g_dir) == NULL)
        return 1;
    CHECK(regcomp(&g_json_number, "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?$",
                  REG_EXTENDED | REG_NOSUB) == 0);
    g_ctx = sm_ctx_new();
    CHECK(sm_tables_load_aircraft(g_ctx, SM_TEST_DATA "/tables/aircraft.csv") == SM_OK);
    CHECK(sm_tables_load_weapons(g_ctx, SM_TEST_DATA "/tables/weapons.csv") == SM_OK);
    sm_claims *c = load();
    /* small, exact, ties, the edge of the fixed-point path, past 2^63
     * when scaled, the 1e35 and 1e300, the largest double, a
     * denormal, a value that rounds to zero, and the non-finite */
    static const double values[] = {0,
                                    1.5,
                                    -2.25,
                                    12.0005,
                                    999999999999999.9,
                                    1e15,
                                    9.3e15,
                                    1e19,
                                    1e35,
                                    1e300,
                                    -1e300,
                                    DBL_MAX,
                                    -DBL_MAX,
                                    5e-324,
                                    -0.0004,
                                    (double)NAN,
                                    (double)INFINITY,
                                    -(double)INFINITY};
    for (size_t i = 0; c != NULL && i < sizeof(values) / sizeof(values[0]); i++) {
        check_json(c, values[i]);
        check_csv(c, values[i]);
        check_text_and_reasons(c, values[i]);
        check_geojson(c, values[i]);
    }
    if (c != NULL)
        check_refuses_input(c);
    sm_claims_free(c);
    sm_ctx_free(g_ctx);
    regfree(&g_json_number);
    char path[256];
    snprintf(path, sizeof(path), "%s/claims.geojson", g_dir);
    unlink(path);
    CHECK(rmdir(g_dir) == 0); /* nothing else left behind */
    printf("test_output_numbers: %d checks, %d failures\n", sm_test_checks, sm_test_failures);
    return sm_test_failures != 0;
}
