/*
 * claims/zones.c: local days of published tables in their theatre's time
 * zone (SPEC §7). A zone is read from the system's tz database (TZif files,
 * RFC 8536, in $TZDIR or /usr/share/zoneinfo) rather than through TZ and
 * mktime, so that the library never changes the process's time zone. The
 * zone of a point is its country's (the basemap's countries.shp), named
 * through the tz database's own iso3166.tab and zone.tab; a country with
 * several zones takes the one whose principal place is nearest.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ogr_api.h>

#include "claims/profiles.h"

struct sm__zone {
    char *name;
    size_t n;           /* transitions */
    int64_t *at;        /* transition instants (seconds, UTC), ascending */
    unsigned char *idx; /* the local time type from each transition on */
    size_t n_types;
    int32_t *utoff; /* each type's UTC offset (seconds) */
};

static const char *tzdir(void)
{
    const char *d = getenv("TZDIR");
    return d != NULL && *d ? d : "/usr/share/zoneinfo";
}

/* The whole of a small file; NULL when it cannot be read, or out of
 * memory (*nomem). */
static unsigned char *slurp(const char *path, size_t *len, bool *nomem)
{
    *nomem = false;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    unsigned char *b = malloc(cap);
    while (b != NULL) {
        size_t k = fread(b + n, 1, cap - n, f);
        n += k;
        if (n < cap)
            break;
        if (cap >= ((size_t)1 << 24)) { /* no zone file is this big */
            free(b);
            b = NULL;
            break;
        }
        unsigned char *nb = realloc(b, cap * 2);
        if (nb == NULL) {
            free(b);
            b = NULL;
            *nomem = true;
            break;
        }
        b = nb;
        cap *= 2;
    }
    fclose(f);
    if (b == NULL && cap == 4096 && n == 0)
        *nomem = true; /* the first malloc */
    *len = n;
    return b;
}

static int64_t be(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | p[i];
    if (bytes == 4)
        return (int64_t)(int32_t)(uint32_t)v;
    return (int64_t)v;
}

/* RFC 8536 §3: header, then the version-1 data block (32-bit times); a
 * version 2+ file repeats header and data with 64-bit times, read here.
 * 1: read; 0: not a TZif file; -1: out of memory. */
static int parse_tzif(sm__zone *z, const unsigned char *b, size_t len)
{
    const unsigned char *p = b;
    int tsize = 4;
    for (int pass = 0; pass < 2; pass++) {
        if ((size_t)(p - b) + 44 > len || memcmp(p, "TZif", 4) != 0)
            return 0;
        size_t cnt[6];
        for (int i = 0; i < 6; i++)
            cnt[i] = (size_t)(uint32_t)be(p + 20 + 4 * i, 4);
        size_t isut = cnt[0], isstd = cnt[1], leap = cnt[2], timecnt = cnt[3], typecnt = cnt[4],
               charcnt = cnt[5];
        size_t block = timecnt * (size_t)tsize + timecnt + typecnt * 6 + charcnt +
                       leap * (size_t)(tsize + 4) + isstd + isut;
        if (typecnt == 0 || (size_t)(p - b) + 44 + block > len)
            return 0;
        if (pass == 0 && p[4] >= '2') {
            p += 44 + block;
            tsize = 8;
            continue;
        }
        const unsigned char *q = p + 44;
        z->at = malloc((timecnt ? timecnt : 1) * sizeof(*z->at));
        z->idx = malloc(timecnt ? timecnt : 1);
        z->utoff = malloc(typecnt * sizeof(*z->utoff));
        if (z->at == NULL || z->idx == NULL || z->utoff == NULL)
            return -1;
        for (size_t i = 0; i < timecnt; i++)
            z->at[i] = be(q + i * (size_t)tsize, tsize);
        q += timecnt * (size_t)tsize;
        for (size_t i = 0; i < timecnt; i++)
            z->idx[i] = q[i] < typecnt ? q[i] : 0;
        q += timecnt;
        for (size_t i = 0; i < typecnt; i++)
            z->utoff[i] = (int32_t)be(q + 6 * i, 4);
        z->n = timecnt;
        z->n_types = typecnt;
        return 1;
    }
    return 0;
}

void sm__zone_free(sm__zone *z)
{
    if (z == NULL)
        return;
    free(z->name);
    free(z->at);
    free(z->idx);
    free(z->utoff);
    free(z);
}

sm_status sm__zone_load(sm_ctx *ctx, const char *name, sm__zone **out)
{
    *out = NULL;
    /* a zone name, not a path: letters, digits, '_', '-', '+', '/' */
    bool ok = name != NULL && *name && name[0] != '/' && strstr(name, "..") == NULL;
    for (const char *c = name; ok && *c; c++)
        ok = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
             *c == '_' || *c == '-' || *c == '+' || *c == '/';
    char *path = ok ? sm__strfmt("%s/%s", tzdir(), name) : NULL;
    if (ok && path == NULL)
        return sm__nomem(ctx, NULL, -1, NULL, "tz");
    size_t len = 0;
    bool nomem = false;
    unsigned char *b = path != NULL ? slurp(path, &len, &nomem) : NULL;
    free(path);
    sm__zone *z = nomem ? NULL : calloc(1, sizeof(*z));
    if (z == NULL) {
        free(b);
        return sm__nomem(ctx, NULL, -1, NULL, "tz");
    }
    int parsed = b != NULL ? parse_tzif(z, b, len) : 0;
    free(b);
    if (parsed <= 0) {
        sm__zone_free(z);
        if (parsed < 0)
            return sm__nomem(ctx, NULL, -1, NULL, "tz");
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "tz",
                 "\"%s\" is not a zone of the tz database (in %s); expected a name such as "
                 "Asia/Gaza, Asia/Damascus or Europe/Kyiv",
                 name != NULL ? name : "", tzdir());
        return SM_ERR_USAGE;
    }
    z->name = sm__strfmt("%s", name);
    if (z->name == NULL) {
        sm__zone_free(z);
        return sm__nomem(ctx, NULL, -1, NULL, "tz");
    }
    *out = z;
    return SM_OK;
}

const char *sm__zone_name(const sm__zone *z)
{
    return z->name;
}

int sm__zone_offset_at(const sm__zone *z, double t)
{
    /* before the first transition: type 0 (RFC 8536 §3.2) */
    size_t lo = 0, hi = z->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((double)z->at[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? z->utoff[0] : z->utoff[z->idx[lo - 1]];
}

double sm__zone_to_utc(const sm__zone *z, double local)
{
    /* the offset at the instant the wall clock shows local; twice, so that
     * a time near a change settles on the offset in force then */
    double u = local - sm__zone_offset_at(z, local);
    return local - sm__zone_offset_at(z, u);
}

/* ---- the zone of a point --------------------------------------------------- */

/* How near (km) the principal place of a zone that is not its country's
 * main one must lie for a point to be read in that zone. */
#define SM_ZONE_NEAR_KM 150.0

typedef struct zone_row {
    char code[3];
    double lon, lat;
    char *zone;
    bool most; /* zone.tab says it covers "most of" its country */
} zone_row;

struct sm__zones {
    OGRDataSourceH countries;
    OGRLayerH layer;
    char **names; /* iso3166.tab: pairs of code, name; NULL-terminated */
    zone_row *rows;
    size_t n_rows;
    sm__zone **cache; /* loaded zones */
    size_t n_cache;
    char *country; /* the last country found */
};

/* zone.tab's ISO 6709 coordinates: +DDMM[SS] then +DDDMM[SS]. */
static bool iso6709(const char *s, double *lat, double *lon)
{
    double v[2];
    for (int k = 0; k < 2; k++) {
        if (*s != '+' && *s != '-')
            return false;
        int sign = *s == '-' ? -1 : 1, dd = k == 0 ? 2 : 3, n = 0;
        s++;
        while (s[n] >= '0' && s[n] <= '9')
            n++;
        if (n != dd + 2 && n != dd + 4)
            return false;
        double deg = 0, min = 0, sec = 0;
        for (int i = 0; i < dd; i++)
            deg = deg * 10 + (s[i] - '0');
        min = (s[dd] - '0') * 10 + (s[dd + 1] - '0');
        if (n == dd + 4)
            sec = (s[dd + 2] - '0') * 10 + (s[dd + 3] - '0');
        v[k] = sign * (deg + min / 60 + sec / 3600);
        s += n;
    }
    *lat = v[0];
    *lon = v[1];
    return true;
}

void sm__zones_free(sm__zones *zs)
{
    if (zs == NULL)
        return;
    if (zs->countries != NULL)
        OGR_DS_Destroy(zs->countries);
    for (size_t i = 0; zs->names != NULL && zs->names[i] != NULL; i++)
        free(zs->names[i]);
    free(zs->names);
    for (size_t i = 0; i < zs->n_rows; i++)
        free(zs->rows[i].zone);
    free(zs->rows);
    for (size_t i = 0; i < zs->n_cache; i++)
        sm__zone_free(zs->cache[i]);
    free(zs->cache);
    free(zs->country);
    free(zs);
}

/* The lines of a tz table file, split at tabs, comments left out; calls
 * row(zs, fields, n) for each. 1: read; 0: the file cannot be read; -1:
 * out of memory. */
static int read_tab(sm__zones *zs, const char *file, bool (*row)(sm__zones *, char **, int))
{
    char *path = sm__strfmt("%s/%s", tzdir(), file);
    size_t len = 0;
    bool nomem = path == NULL;
    unsigned char *b = path != NULL ? slurp(path, &len, &nomem) : NULL;
    free(path);
    if (b == NULL)
        return nomem ? -1 : 0;
    char *text = realloc(b, len + 1);
    if (text == NULL) {
        free(b);
        return -1;
    }
    text[len] = '\0';
    bool ok = true;
    for (char *line = text; ok && line != NULL && *line;) {
        char *next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        if (*line != '#') {
            char *f[4] = {NULL, NULL, NULL, NULL};
            int n = 0;
            for (char *c = line; n < 4 && c != NULL; n++) {
                f[n] = c;
                c = strchr(c, '\t');
                if (c != NULL)
                    *c++ = '\0';
            }
            ok = row(zs, f, n);
        }
        line = next;
    }
    free(text);
    return ok ? 1 : -1; /* a row fails only for memory */
}

static bool name_row(sm__zones *zs, char **f, int n)
{
    if (n < 2 || strlen(f[0]) != 2)
        return true;
    size_t k = 0;
    while (zs->names != NULL && zs->names[k] != NULL)
        k++;
    char **nn = realloc(zs->names, (k + 3) * sizeof(*nn));
    if (nn == NULL)
        return false;
    zs->names = nn;
    char *code = sm__strfmt("%s", f[0]), *name = sm__strfmt("%s", f[1]);
    if (code == NULL || name == NULL) {
        free(code);
        free(name);
        nn[k] = NULL;
        return false;
    }
    nn[k] = code;
    nn[k + 1] = name;
    nn[k + 2] = NULL;
    return true;
}

static bool zone_row_add(sm__zones *zs, char **f, int n)
{
    zone_row r;
    if (n < 3 || strlen(f[0]) != 2 || !iso6709(f[1], &r.lat, &r.lon))
        return true;
    zone_row *nr = realloc(zs->rows, (zs->n_rows + 1) * sizeof(*nr));
    if (nr == NULL)
        return false;
    zs->rows = nr;
    memcpy(r.code, f[0], 3);
    r.most = n >= 4 && f[3] != NULL && strncasecmp(f[3], "most of", 7) == 0;
    r.zone = sm__strfmt("%s", f[2]);
    if (r.zone == NULL)
        return false;
    zs->rows[zs->n_rows++] = r;
    return true;
}

sm_status sm__zones_open(sm_ctx *ctx, const char *basemap_dir, sm__zones **out)
{
    *out = NULL;
    sm__zones *zs = calloc(1, sizeof(*zs));
    char *path = basemap_dir != NULL ? sm__strfmt("%s/countries.shp", basemap_dir)
                                     : sm__strfmt("%s/shapefiles/countries.shp", sm_ctx_home(ctx));
    if (zs == NULL || path == NULL) {
        free(zs);
        free(path);
        return sm__nomem(ctx, NULL, -1, NULL, NULL);
    }
    sm__cpl_capture_begin();
    zs->countries =
        sm__gdal_open(path, GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, NULL, NULL);
    sm__cpl_capture_end();
    zs->layer = zs->countries != NULL ? OGR_DS_GetLayer(zs->countries, 0) : NULL;
    int tabs = read_tab(zs, "iso3166.tab", name_row);
    if (tabs > 0)
        tabs = read_tab(zs, "zone.tab", zone_row_add);
    if (tabs < 0) {
        free(path);
        sm__zones_free(zs);
        return sm__nomem(ctx, NULL, -1, NULL, "tz");
    }
    if (zs->layer == NULL || tabs == 0) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "tz",
                 "cannot tell the time zone of a place: %s cannot be read; give --tz ZONE",
                 zs->layer == NULL ? path : "the tz database's iso3166.tab and zone.tab");
        free(path);
        sm__zones_free(zs);
        return SM_ERR_IO;
    }
    free(path);
    *out = zs;
    return SM_OK;
}

/* The country (basemap name) that holds the point; NULL at sea (or out of
 * memory: *nomem). Borrowed until the next call. */
static const char *country_at(sm__zones *zs, double lon, double lat, bool *nomem)
{
    *nomem = false;
    OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
    if (pt == NULL) {
        *nomem = true;
        return NULL;
    }
    OGR_G_SetPoint_2D(pt, 0, lon, lat);
    OGR_L_SetSpatialFilter(zs->layer, pt);
    OGR_L_ResetReading(zs->layer);
    const char *found = NULL;
    OGRFeatureH f;
    bool break_out = false;
    while (found == NULL && !break_out && (f = OGR_L_GetNextFeature(zs->layer)) != NULL) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (g != NULL && OGR_G_Contains(g, pt)) {
            int i = OGR_F_GetFieldIndex(f, "name");
            if (i >= 0) {
                free(zs->country);
                zs->country = sm__strfmt("%s", OGR_F_GetFieldAsString(f, i));
                found = zs->country;
                *nomem = found == NULL;
                if (found == NULL)
                    break_out = true;
            }
        }
        OGR_F_Destroy(f);
    }
    OGR_L_SetSpatialFilter(zs->layer, NULL);
    OGR_G_DestroyGeometry(pt);
    return found;
}

sm_status sm__zones_at(sm_ctx *ctx, sm__zones *zs, double lon, double lat, const sm__zone **out)
{
    *out = NULL;
    bool nomem;
    const char *country = country_at(zs, lon, lat, &nomem);
    if (nomem)
        return sm__nomem(ctx, NULL, -1, NULL, "tz");
    if (country == NULL)
        return SM_OK;
    const char *code = NULL;
    for (size_t i = 0; zs->names != NULL && zs->names[i] != NULL; i += 2)
        if (sm__str_ieq(zs->names[i + 1], country))
            code = zs->names[i];
    if (code == NULL)
        return SM_OK;
    /* A country with several zones: the one zone.tab says covers "most
     * of" it (Europe/Kyiv for Ukraine), unless the principal place of
     * another lies within SM_ZONE_NEAR_KM (Europe/Simferopol for a strike
     * near Simferopol); without such a zone, the nearest principal place
     * (Russia's zones follow its regions, west to east). */
    const zone_row *best = NULL, *most = NULL;
    double bd = 0;
    for (size_t i = 0; i < zs->n_rows; i++) {
        if (strcmp(zs->rows[i].code, code) != 0)
            continue;
        if (zs->rows[i].most)
            most = &zs->rows[i];
        double dlat = zs->rows[i].lat - lat,
               dlon = (zs->rows[i].lon - lon) * cos(lat * SM__PI / 180);
        double d = sqrt(dlat * dlat + dlon * dlon) * 111.2; /* km, enough to rank and to
                                                              compare with 150 km */
        if (best == NULL || d < bd) {
            best = &zs->rows[i];
            bd = d;
        }
    }
    if (most != NULL && best != most && bd > SM_ZONE_NEAR_KM)
        best = most;
    if (best == NULL)
        return SM_OK;
    for (size_t i = 0; i < zs->n_cache; i++)
        if (strcmp(zs->cache[i]->name, best->zone) == 0) {
            *out = zs->cache[i];
            return SM_OK;
        }
    sm__zone *z = NULL;
    sm_status st = sm__zone_load(ctx, best->zone, &z);
    if (st != SM_OK)
        return st;
    sm__zone **nc = realloc(zs->cache, (zs->n_cache + 1) * sizeof(sm__zone *));
    if (nc == NULL) {
        sm__zone_free(z);
        return sm__nomem(ctx, NULL, -1, NULL, "tz");
    }
    zs->cache = nc;
    zs->cache[zs->n_cache++] = z;
    *out = z;
    return SM_OK;
}
