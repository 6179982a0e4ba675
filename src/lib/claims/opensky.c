/*
 * claims/opensky.c: OpenSky Network state vectors (SPEC §7: time, icao24,
 * lat, lon, callsign, ...) into aircraft tracks. The rows of one aircraft
 * (icao24) are put in time order and cut into sorties wherever two fixes
 * are more than max_gap_minutes apart (default 6 h); each sortie becomes
 * one track (a LineString with its times) or, with a single fix, a Point.
 * The type comes from --type, or from an icao24,type table.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "claims/profiles.h"

typedef struct fix_row {
    const char *icao; /* lower case, in the fixes arena */
    const char *callsign;
    double t, lon, lat;
    long row;
} fix_row;

typedef struct sky {
    int time, icao, callsign;
    sm__vec fixes; /* fix_row */
    sm__arena arena;
    size_t repeated; /* fixes at a time the aircraft already had */
    /* --types table: icao24 and type, sorted by icao24 */
    char **type_icao, **type_name;
    size_t n_types;
    sm__arena type_arena;
} sky;

static void sky_row(sm__ptable *t, void *user)
{
    sky *s = user;
    const char *icao = sm__pval(t, s->icao);
    t->row_id = icao;
    if (icao == NULL) {
        sm__pdrop(t, "icao24", "empty; expected the aircraft's ICAO 24-bit address");
        return;
    }
    static const char *const lons[] = {"lon", "longitude", NULL};
    static const char *const lats[] = {"lat", "latitude", NULL};
    fix_row f;
    if (!sm__ppoint(t, lons, lats, &f.lon, &f.lat))
        return;
    const char *ts = sm__pval(t, s->time);
    /* OpenSky's time: seconds since 1970 (UTC) */
    if (ts == NULL || !sm__pnumber(ts, 0, 253402300799.0, &f.t)) {
        sm__pdrop(t, "time", "\"%s\" is not a time; expected seconds since 1970-01-01Z",
                  ts ? ts : "");
        return;
    }
    const char *cs = sm__pval(t, s->callsign);
    char *low = sm__arena_strdup(&s->arena, icao);
    f.callsign = cs != NULL ? sm__arena_strdup(&s->arena, cs) : NULL;
    fix_row *slot =
        low != NULL && (cs == NULL || f.callsign != NULL) ? sm__vec_push(&s->fixes) : NULL;
    if (slot == NULL) {
        t->nomem = true;
        return;
    }
    for (char *c = low; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    f.icao = low;
    f.row = t->row;
    *slot = f;
}

static int cmp_fix(const void *a, const void *b)
{
    const fix_row *x = a, *y = b;
    int c = strcmp(x->icao, y->icao);
    if (c != 0)
        return c;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The --types table (columns icao24 and type or typecode), through OGR. */
static bool load_types(sm__ptable *t, sky *s, const char *path)
{
    sm__cpl_capture_begin();
    GDALDatasetH ds = sm__gdal_open(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL);
    const char *msg = sm__cpl_capture_end();
    OGRLayerH l = ds != NULL ? GDALDatasetGetLayer(ds, 0) : NULL;
    OGRFeatureDefnH d = l != NULL ? OGR_L_GetLayerDefn(l) : NULL;
    int ci = d != NULL ? OGR_FD_GetFieldIndex(d, "icao24") : -1;
    int ct = d != NULL ? OGR_FD_GetFieldIndex(d, "type") : -1;
    if (ct < 0 && d != NULL)
        ct = OGR_FD_GetFieldIndex(d, "typecode");
    if (ci < 0 || ct < 0) {
        sm__diag(t->ctx, SM_SEV_ERROR, path, -1, NULL,
                 ds == NULL ? NULL : (ci < 0 ? "icao24" : "type"),
                 "%s; expected a table (--types) with columns icao24 and type",
                 ds == NULL ? (msg != NULL ? msg : "cannot be read") : "missing");
        if (ds != NULL)
            GDALClose(ds);
        t->failed = true;
        return false;
    }
    sm__vec icao;
    sm__vec_init(&icao, sizeof(char *));
    OGRFeatureH f;
    bool ok = true;
    while (ok && (f = OGR_L_GetNextFeature(l)) != NULL) {
        const char *a = OGR_F_GetFieldAsString(f, ci), *b = OGR_F_GetFieldAsString(f, ct);
        if (*a && *b) {
            size_t na = strlen(a), nb = strlen(b);
            char *ia = sm__arena_alloc(&s->type_arena, na + 1 + nb + 1);
            char **pa = ia != NULL ? sm__vec_push(&icao) : NULL;
            ok = pa != NULL;
            if (ok) {
                for (size_t k = 0; k <= na; k++)
                    ia[k] = (char)tolower((unsigned char)a[k]);
                memcpy(ia + na + 1, b, nb + 1);
                *pa = ia; /* "icao\0type" */
            }
        }
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    if (!ok) {
        sm__vec_free(&icao);
        t->nomem = true;
        return false;
    }
    qsort(icao.data, icao.len, sizeof(char *), cmp_str);
    s->type_icao = icao.data;
    s->n_types = icao.len;
    return true;
}

static const char *type_of(const sky *s, const sm__ptable *t, const char *icao)
{
    if (s->n_types > 0) {
        char *const *hit = bsearch(&icao, s->type_icao, s->n_types, sizeof(char *), cmp_str);
        if (hit != NULL)
            return *hit + strlen(*hit) + 1;
    }
    return t->opt->table.aircraft_type;
}

/* One sortie, fixes [a, b), as an aircraft claim. */
static bool emit_sortie(sm__ptable *t, const sky *s, const fix_row *a, size_t n, int sortie)
{
    sm__arena_reset(&t->scratch);
    sm__pclaim c;
    sm__pclaim_init(&c);
    char *id = sm__strfmt("%s-%d", a->icao, sortie);
    double *xy = malloc(2 * n * sizeof(*xy));
    sm__sbuf times = {0};
    bool ok = id != NULL && xy != NULL;
    for (size_t k = 0; ok && k < n; k++) {
        char buf[48];
        xy[2 * k] = a[k].lon;
        xy[2 * k + 1] = a[k].lat;
        sm_time_format(a[k].t, 0, buf, sizeof(buf));
        if (k > 0)
            sm__sbuf_put(&times, ";", 1);
        sm__sbuf_put(&times, buf, strlen(buf));
    }
    ok = ok && !times.failed;
    if (ok) {
        c.kind = "aircraft";
        c.id = id;
        for (size_t k = 0; k < n && c.label == NULL; k++)
            c.label = a[k].callsign;
        if (c.label == NULL)
            c.label = a->icao;
        c.claimed_by = "OpenSky Network";
        c.source = "OpenSky Network state vectors";
        c.type = type_of(s, t, a->icao);
        if (n == 1) {
            c.lon = a->lon;
            c.lat = a->lat;
            c.t0 = c.t1 = a->t;
            c.instant = true;
        } else {
            c.track_xy = xy;
            c.n_track = n;
            c.times = sm__sbuf_str(&times);
        }
        ok = sm__pemit(t, &c, a->row);
    } else {
        t->nomem = true;
    }
    free(id);
    free(xy);
    sm__sbuf_free(&times);
    return ok;
}

bool sm__profile_opensky(sm__ptable *t)
{
    const char *tc[] = {"time", NULL}, *ic[] = {"icao24", NULL}, *cc[] = {"callsign", NULL};
    sky s;
    memset(&s, 0, sizeof(s));
    s.time = sm__pcol(t, tc);
    s.icao = sm__pcol(t, ic);
    s.callsign = sm__pcol(t, cc);
    sm__vec_init(&s.fixes, sizeof(fix_row));
    bool ok = true;
    if (t->opt->table.types_file != NULL)
        ok = load_types(t, &s, t->opt->table.types_file);
    if (ok)
        ok = sm__peach(t, sky_row, &s);
    double gap_s = (t->opt->table.max_gap_minutes > 0 ? t->opt->table.max_gap_minutes : 360) * 60;
    fix_row *f = s.fixes.data;
    if (ok && s.fixes.len > 0)
        qsort(f, s.fixes.len, sizeof(*f), cmp_fix);
    /* fixes at a time the aircraft already had are left out (counted) */
    size_t n = 0;
    for (size_t i = 0; ok && i < s.fixes.len; i++) {
        if (n > 0 && strcmp(f[n - 1].icao, f[i].icao) == 0 && f[n - 1].t == f[i].t)
            s.repeated++;
        else
            f[n++] = f[i];
    }
    int sortie = 0;
    for (size_t i = 0, start = 0; ok && i < n; i++) {
        bool last = i + 1 == n || strcmp(f[i + 1].icao, f[i].icao) != 0;
        bool cut = last || f[i + 1].t - f[i].t > gap_s;
        if (!cut)
            continue;
        sortie = start > 0 && strcmp(f[start - 1].icao, f[start].icao) == 0 ? sortie + 1 : 1;
        t->row = f[start].row;
        ok = emit_sortie(t, &s, f + start, i + 1 - start, sortie);
        start = i + 1;
    }
    t->skipped = s.repeated;
    t->skipped_why = "repeat a time their aircraft already has and were left out";
    sm__vec_free(&s.fixes);
    sm__arena_free(&s.arena);
    free(s.type_icao);
    sm__arena_free(&s.type_arena);
    return ok;
}
