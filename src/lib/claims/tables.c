/*
 * tables.c: the reference tables of aircraft types and weapons (CSV, read
 * through OGR's CSV driver), their case-insensitive lookup through aliases,
 * and "did you mean" suggestions for unknown names.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gdal.h>
#include <ogr_api.h>

#include "claims/claims_internal.h"

typedef struct column {
    const char *name;
    bool required; /* the column must exist */
    bool nonempty; /* every row must fill it */
} column;

static const column g_aircraft_cols[] = {
    {"type", true, true},
    {"aliases", true, false},
    {"max_speed_kmh", true, true},
    {"cruise_speed_kmh", true, true},
    {"combat_radius_km", true, false},
    {"operators", true, false},
    {"default_weapons", true, false},
    {"source", true, true},
};

/* The columns of SPEC §2, in the order the row functions index them. */
enum {
    W_NAME,
    W_ALIASES,
    W_RANGE,
    W_SPEED,
    W_GUIDED,
    W_LAUNCH,
    W_CARRIERS,
    W_OPERATORS,
    W_IN_SERVICE,
    W_SOURCE
};
static const column g_weapon_cols[] = {
    [W_NAME] = {"name", true, true},
    [W_ALIASES] = {"aliases", true, false},
    [W_RANGE] = {"range_km", true, true},
    [W_SPEED] = {"speed_kmh", true, true},
    [W_GUIDED] = {"guided", true, false},
    [W_LAUNCH] = {"launch", true, true},
    [W_CARRIERS] = {"carriers", true, false},
    [W_OPERATORS] = {"operators", true, false},
    [W_IN_SERVICE] = {"in_service", true, false},
    [W_SOURCE] = {"source", true, true},
};

enum { O_NAME, O_ALIASES, O_MEMBERS, O_FROM, O_TO, O_SOURCE };
static const column g_operator_cols[] = {
    [O_NAME] = {"name", true, true},        [O_ALIASES] = {"aliases", true, false},
    [O_MEMBERS] = {"members", true, false}, [O_FROM] = {"from", true, false},
    [O_TO] = {"to", true, false},           [O_SOURCE] = {"source", true, true},
};

/* Parse a non-negative finite number; empty text gives (double)NAN and true. */
static bool parse_number(const char *text, double *out)
{
    while (*text == ' ')
        text++;
    if (*text == '\0') {
        *out = (double)NAN;
        return true;
    }
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    while (*end == ' ')
        end++;
    if (*end != '\0' || errno != 0 || !isfinite(v) || v < 0)
        return false;
    *out = v;
    return true;
}

static bool parse_bool(const char *text, bool *out)
{
    static const char *yes[] = {"true", "yes", "1", "y"};
    static const char *no[] = {"false", "no", "0", "n", ""};
    for (size_t i = 0; i < SM__ARRAY_LEN(yes); i++)
        if (sm__str_ieq(text, yes[i])) {
            *out = true;
            return true;
        }
    for (size_t i = 0; i < SM__ARRAY_LEN(no); i++)
        if (sm__str_ieq(text, no[i])) {
            *out = false;
            return true;
        }
    return false;
}

/* Adds one row; SM_ERR_INVALID after its diagnostics, SM_ERR_NOMEM. */
typedef sm_status (*row_fn)(sm_ctx *ctx, sm__table *table, const char *path, long row,
                            const char *const *values);

/* The most columns a table has (the weapons table's, with room to grow). */
#define SM__TABLE_MAX_COLS 16
_Static_assert(SM__ARRAY_LEN(g_aircraft_cols) <= SM__TABLE_MAX_COLS, "aircraft columns");
_Static_assert(SM__ARRAY_LEN(g_weapon_cols) <= SM__TABLE_MAX_COLS, "weapon columns");
_Static_assert(SM__ARRAY_LEN(g_operator_cols) <= SM__TABLE_MAX_COLS, "operator columns");

/* Reads a CSV table into a fresh sm__table; replaces *dst only on success. */
static sm_status load_table(sm_ctx *ctx, sm__table *dst, size_t row_size, const char *path,
                            const column *cols, size_t n_cols, row_fn fn)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || access(path, R_OK) != 0) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL, "cannot read the table: %s",
                 access(path, F_OK) != 0 ? "no such file" : "permission denied");
        return SM_ERR_IO;
    }
    if (!S_ISREG(sb.st_mode)) {
        /* A FIFO or a device would block the reader, or never end. */
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL,
                 "is not a regular file (a FIFO, socket, device or folder); expected a CSV "
                 "file");
        return SM_ERR_IO;
    }
    const char *drivers[] = {"CSV", NULL};
    const char *open_opts[] = {"AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=NO", NULL};
    sm__cpl_capture_begin();
    GDALDatasetH ds = sm__gdal_open(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, open_opts);
    const char *msg = sm__cpl_capture_end();
    if (ds == NULL) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL, "cannot open as a CSV table%s%s",
                 msg ? ": " : "", msg ? msg : "");
        return SM_ERR_IO;
    }
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    OGRFeatureDefnH defn = layer ? OGR_L_GetLayerDefn(layer) : NULL;
    int idx[SM__TABLE_MAX_COLS];
    bool bad = false;
    for (size_t c = 0; c < n_cols; c++) {
        idx[c] = defn ? OGR_FD_GetFieldIndex(defn, cols[c].name) : -1;
        if (idx[c] < 0 && cols[c].required) {
            sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, cols[c].name,
                     "the table has no such column (expected the columns of the bundled "
                     "table)");
            bad = true;
        }
    }
    if (bad) {
        GDALClose(ds);
        return SM_ERR_INVALID;
    }
    sm__table fresh;
    memset(&fresh, 0, sizeof(fresh));
    sm__vec_init(&fresh.rows, row_size);
    /* Each row's values are copied here: for a column typed by a .csvt
     * sidecar OGR formats the value into a buffer its next call reuses. */
    sm__arena scratch = {0};
    OGR_L_ResetReading(layer);
    OGRFeatureH f;
    long row = 0;
    sm_status st = SM_OK;
    for (f = OGR_L_GetNextFeature(layer); f != NULL; f = OGR_L_GetNextFeature(layer)) {
        const char *values[SM__TABLE_MAX_COLS];
        bool row_ok = true;
        sm__arena_reset(&scratch);
        for (size_t c = 0; c < n_cols && st == SM_OK; c++) {
            values[c] =
                sm__arena_strdup(&scratch, idx[c] >= 0 ? OGR_F_GetFieldAsString(f, idx[c]) : "");
            if (values[c] == NULL)
                st = sm__nomem(ctx, path, row, NULL, cols[c].name);
        }
        if (st != SM_OK) {
            OGR_F_Destroy(f);
            break;
        }
        const char *id =
            values[0][0] && sm__utf8_invalid_at(values[0]) == (size_t)-1 ? values[0] : NULL;
        for (size_t c = 0; c < n_cols; c++) {
            size_t at = sm__utf8_invalid_at(values[c]);
            if (at != (size_t)-1) {
                sm__diag(ctx, SM_SEV_ERROR, path, row, id, cols[c].name,
                         "byte %zu (0x%02X) is not valid UTF-8; expected text in UTF-8", at,
                         (unsigned)(unsigned char)values[c][at]);
                row_ok = false;
            } else if (cols[c].nonempty && values[c][0] == '\0') {
                sm__diag(ctx, SM_SEV_ERROR, path, row, id, cols[c].name,
                         "empty; every row needs a value here");
                row_ok = false;
            }
        }
        if (row_ok) {
            sm_status rs = fn(ctx, &fresh, path, row, values);
            if (rs == SM_ERR_NOMEM) {
                st = rs;
                OGR_F_Destroy(f);
                break;
            }
            row_ok = rs == SM_OK;
        }
        bad = bad || !row_ok;
        OGR_F_Destroy(f);
        row++;
    }
    sm__arena_free(&scratch);
    GDALClose(ds);
    if (st == SM_OK && bad)
        st = SM_ERR_INVALID;
    if (st != SM_OK) {
        sm__vec_free(&fresh.rows);
        sm__arena_free(&fresh.arena);
        return st;
    }
    sm__vec_free(&dst->rows);
    sm__arena_free(&dst->arena);
    *dst = fresh;
    dst->loaded = true;
    return SM_OK;
}

static sm_status aircraft_row(sm_ctx *ctx, sm__table *t, const char *path, long row,
                              const char *const *v)
{
    sm__arena *a = &t->arena;
    double max_speed = (double)NAN, cruise = (double)NAN, radius = (double)NAN;
    bool ok = true;
    if (!parse_number(v[2], &max_speed) || !(max_speed > 0) || max_speed > SM_MAX_SPEED_KMH) {
        sm__diag(ctx, SM_SEV_ERROR, path, row, v[0], "max_speed_kmh",
                 "\"%s\" is not a speed; expected a number of km/h above 0, at most 30000", v[2]);
        ok = false;
    }
    if (!parse_number(v[3], &cruise) || cruise > SM_MAX_SPEED_KMH) {
        sm__diag(ctx, SM_SEV_ERROR, path, row, v[0], "cruise_speed_kmh",
                 "\"%s\" is not a speed; expected a number of km/h from 0 to 30000, or "
                 "nothing",
                 v[3]);
        ok = false;
    }
    if (!parse_number(v[4], &radius) || radius > SM_MAX_DISTANCE_KM) {
        sm__diag(ctx, SM_SEV_ERROR, path, row, v[0], "combat_radius_km",
                 "\"%s\" is not a distance; expected a number of km from 0 to 20004, or "
                 "nothing",
                 v[4]);
        ok = false;
    }
    if (!ok)
        return SM_ERR_INVALID;
    sm_aircraft_type *r = sm__vec_push(&t->rows);
    if (r == NULL)
        return sm__nomem(ctx, path, row, v[0], NULL);
    r->type = sm__arena_strdup(a, v[0]);
    r->aliases = (const char *const *)sm__split_list(a, v[1]);
    r->max_speed_kmh = max_speed;
    r->cruise_speed_kmh = cruise;
    r->combat_radius_km = radius;
    r->operators = (const char *const *)sm__split_list(a, v[5]);
    r->default_weapons = (const char *const *)sm__split_list(a, v[6]);
    r->source = sm__arena_strdup(a, v[7]);
    if (r->type && r->aliases && r->operators && r->default_weapons && r->source)
        return SM_OK;
    t->rows.len--;
    return sm__nomem(ctx, path, row, v[0], NULL);
}

/* "air;ship" into SM_LAUNCH_* bits; 0 when a word is none of them. Read
 * in place (no allocation, so no failure to mistake for bad data). */
static unsigned parse_launch(const char *text)
{
    unsigned bits = 0;
    const char *p = text;
    while (*p) {
        const char *end = strchr(p, ';');
        if (end == NULL)
            end = p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        size_t n = (size_t)(b - a);
        if (n == 3 && strncasecmp(a, "air", 3) == 0)
            bits |= SM_LAUNCH_AIR;
        else if (n == 4 && strncasecmp(a, "ship", 4) == 0)
            bits |= SM_LAUNCH_SHIP;
        else if (n == 6 && strncasecmp(a, "ground", 6) == 0)
            bits |= SM_LAUNCH_GROUND;
        else if (n > 0)
            return 0;
        p = *end ? end + 1 : end;
    }
    return bits;
}

static sm_status weapon_row(sm_ctx *ctx, sm__table *t, const char *path, long row,
                            const char *const *v)
{
    sm__arena *a = &t->arena;
    double range = (double)NAN, speed = (double)NAN, year = (double)NAN;
    bool guided = false, ok = true;
    if (!parse_number(v[W_RANGE], &range) || isnan(range) || range > SM_MAX_DISTANCE_KM) {
        sm__diag(ctx, SM_SEV_ERROR, path, row, v[0], "range_km",
                 "\"%s\" is not a range; expected a number of km from 0 to 20004", v[W_RANGE]);
        ok = false;
    }
    if (!parse_number(v[W_SPEED], &speed) || speed <= 0 || speed > SM_MAX_SPEED_KMH) {
        sm__diag(ctx, SM_SEV_ERROR, path, row, v[0], "speed_kmh",
                 "\"%s\" is not a speed; expected the weapon's mean speed over its range, "
                 "a number of km/h above 0, at most 30000",
                 v[W_SPEED]);
        ok = false;
    }
    if (!parse_bool(v[W_GUIDED], &guided)) {
        sm__diag(ctx, SM_SEV_ERROR, path, row, v[0], "guided", "\"%s\" is not true or false",
                 v[W_GUIDED]);
        ok = false;
    }
    unsigned launch = parse_launch(v[W_LAUNCH]);
    if (launch == 0) {
        sm__diag(ctx, SM_SEV_ERROR, path, row, v[0], "launch",
                 "\"%s\" is not a launch; expected air, ship or ground, or a list of them "
                 "separated by ';'",
                 v[W_LAUNCH]);
        ok = false;
    }
    if (!parse_number(v[W_IN_SERVICE], &year) ||
        (!isnan(year) && (year != floor(year) || year < 1900 || year > 2100))) {
        sm__diag(ctx, SM_SEV_ERROR, path, row, v[0], "in_service",
                 "\"%s\" is not a year; expected the year of first operational use (1900 to "
                 "2100), or nothing",
                 v[W_IN_SERVICE]);
        ok = false;
    }
    if (!ok)
        return SM_ERR_INVALID;
    sm_weapon *r = sm__vec_push(&t->rows);
    if (r == NULL)
        return sm__nomem(ctx, path, row, v[0], NULL);
    r->name = sm__arena_strdup(a, v[W_NAME]);
    r->aliases = (const char *const *)sm__split_list(a, v[W_ALIASES]);
    r->range_km = range;
    r->speed_kmh = speed;
    r->guided = guided;
    r->launch = launch;
    r->carriers = (const char *const *)sm__split_list(a, v[W_CARRIERS]);
    r->operators = (const char *const *)sm__split_list(a, v[W_OPERATORS]);
    r->in_service = isnan(year) ? 0 : (int)year;
    r->source = sm__arena_strdup(a, v[W_SOURCE]);
    if (r->name && r->aliases && r->carriers && r->operators && r->source)
        return SM_OK;
    t->rows.len--;
    return sm__nomem(ctx, path, row, v[0], NULL);
}

/* ---- operators ------------------------------------------------------------ */

/* A date of the operators table ("2014-09-19"): the start of that UTC day
 * (inclusive dates: a "to" day counts whole, see member_active). */
static bool parse_day(const char *text, double *out)
{
    *out = (double)NAN;
    while (*text == ' ')
        text++;
    if (*text == '\0')
        return true;
    sm_when w;
    if (!sm_time_parse(text, &w) || w.end - w.start < 86399)
        return false; /* a date alone, not a time */
    *out = w.start;
    return true;
}

static sm_status operator_row(sm_ctx *ctx, sm__table *t, const char *path, long row,
                              const char *const *v)
{
    sm__arena *a = &t->arena;
    double from, to;
    bool ok = true;
    if (!parse_day(v[O_FROM], &from)) {
        sm__diag(ctx, SM_SEV_ERROR, path, row, v[0], "from",
                 "\"%s\" is not a date; expected YYYY-MM-DD or nothing", v[O_FROM]);
        ok = false;
    }
    if (!parse_day(v[O_TO], &to)) {
        sm__diag(ctx, SM_SEV_ERROR, path, row, v[0], "to",
                 "\"%s\" is not a date; expected YYYY-MM-DD or nothing", v[O_TO]);
        ok = false;
    } else if (!isnan(from) && !isnan(to) && to < from) {
        sm__diag(ctx, SM_SEV_ERROR, path, row, v[0], "to",
                 "\"%s\" is before \"from\" (%s); expected to >= from", v[O_TO], v[O_FROM]);
        ok = false;
    }
    if (!ok)
        return SM_ERR_INVALID;
    sm_operator *r = sm__vec_push(&t->rows);
    if (r == NULL)
        return sm__nomem(ctx, path, row, v[0], NULL);
    r->name = sm__arena_strdup(a, v[O_NAME]);
    r->aliases = (const char *const *)sm__split_list(a, v[O_ALIASES]);
    r->members = (const char *const *)sm__split_list(a, v[O_MEMBERS]);
    r->from = from;
    r->to = isnan(to) ? to : to + 86400.0; /* exclusive end of the inclusive day */
    r->source = sm__arena_strdup(a, v[O_SOURCE]);
    if (r->name && r->aliases && r->members && r->source)
        return SM_OK;
    t->rows.len--;
    return sm__nomem(ctx, path, row, v[0], NULL);
}

sm_status sm_tables_load_aircraft(sm_ctx *ctx, const char *path)
{
    return load_table(ctx, &ctx->aircraft, sizeof(sm_aircraft_type), path, g_aircraft_cols,
                      SM__ARRAY_LEN(g_aircraft_cols), aircraft_row);
}

sm_status sm_tables_load_weapons(sm_ctx *ctx, const char *path)
{
    return load_table(ctx, &ctx->weapons, sizeof(sm_weapon), path, g_weapon_cols,
                      SM__ARRAY_LEN(g_weapon_cols), weapon_row);
}

sm_status sm_tables_load_operators(sm_ctx *ctx, const char *path)
{
    return load_table(ctx, &ctx->operators, sizeof(sm_operator), path, g_operator_cols,
                      SM__ARRAY_LEN(g_operator_cols), operator_row);
}

sm_status sm_tables_load_defaults(sm_ctx *ctx)
{
    sm_status st = SM_OK;
    if (!ctx->aircraft.loaded) {
        char *path = sm__strfmt("%s/data/aircraft.csv", ctx->home);
        st = path != NULL ? sm_tables_load_aircraft(ctx, path)
                          : sm__nomem(ctx, ctx->home, -1, NULL, NULL);
        free(path);
    }
    if (!ctx->weapons.loaded) {
        char *path = sm__strfmt("%s/data/weapons.csv", ctx->home);
        sm_status st2 = path != NULL ? sm_tables_load_weapons(ctx, path)
                                     : sm__nomem(ctx, ctx->home, -1, NULL, NULL);
        free(path);
        if (st == SM_OK)
            st = st2;
    }
    if (!ctx->operators.loaded) {
        char *path = sm__strfmt("%s/data/operators.csv", ctx->home);
        sm_status st2 = path != NULL ? sm_tables_load_operators(ctx, path)
                                     : sm__nomem(ctx, ctx->home, -1, NULL, NULL);
        free(path);
        if (st == SM_OK)
            st = st2;
    }
    return st;
}

bool sm__name_matches(const char *name, const char *canonical, const char *const *aliases)
{
    if (sm__str_ieq(name, canonical))
        return true;
    for (size_t i = 0; aliases && aliases[i]; i++)
        if (sm__str_ieq(name, aliases[i]))
            return true;
    return false;
}

const sm_aircraft_type *sm_tables_find_aircraft(sm_ctx *ctx, const char *name)
{
    if (name == NULL)
        return NULL;
    if (!ctx->aircraft.loaded)
        sm_tables_load_defaults(ctx);
    const sm_aircraft_type *rows = ctx->aircraft.rows.data;
    for (size_t i = 0; i < ctx->aircraft.rows.len; i++)
        if (sm__name_matches(name, rows[i].type, rows[i].aliases))
            return &rows[i];
    return NULL;
}

const sm_weapon *sm_tables_find_weapon(sm_ctx *ctx, const char *name)
{
    if (name == NULL)
        return NULL;
    if (!ctx->weapons.loaded)
        sm_tables_load_defaults(ctx);
    const sm_weapon *rows = ctx->weapons.rows.data;
    for (size_t i = 0; i < ctx->weapons.rows.len; i++)
        if (sm__name_matches(name, rows[i].name, rows[i].aliases))
            return &rows[i];
    return NULL;
}

size_t sm_tables_aircraft_count(sm_ctx *ctx)
{
    if (!ctx->aircraft.loaded)
        sm_tables_load_defaults(ctx);
    return ctx->aircraft.rows.len;
}

const sm_aircraft_type *sm_tables_aircraft(sm_ctx *ctx, size_t index)
{
    if (index >= sm_tables_aircraft_count(ctx))
        return NULL;
    return (const sm_aircraft_type *)ctx->aircraft.rows.data + index;
}

size_t sm_tables_weapon_count(sm_ctx *ctx)
{
    if (!ctx->weapons.loaded)
        sm_tables_load_defaults(ctx);
    return ctx->weapons.rows.len;
}

const sm_weapon *sm_tables_weapon(sm_ctx *ctx, size_t index)
{
    if (index >= sm_tables_weapon_count(ctx))
        return NULL;
    return (const sm_weapon *)ctx->weapons.rows.data + index;
}

/* Suggest by edit distance over canonical names and aliases, canonical names
 * reported, best first, only those within a third of the name's length. */
typedef struct candidate {
    const char *name;
    unsigned dist;
} candidate;

static void consider(candidate *best, size_t max, size_t *n, const char *canonical, unsigned dist)
{
    for (size_t i = 0; i < *n; i++)
        if (best[i].name == canonical) {
            if (dist < best[i].dist)
                best[i].dist = dist;
            return;
        }
    size_t pos;
    if (*n < max) {
        pos = (*n)++;
    } else if (dist < best[max - 1].dist) {
        pos = max - 1;
    } else {
        return;
    }
    best[pos].name = canonical;
    best[pos].dist = dist;
    for (size_t i = pos; i > 0 && best[i].dist < best[i - 1].dist; i--) {
        candidate tmp = best[i];
        best[i] = best[i - 1];
        best[i - 1] = tmp;
    }
}

size_t sm__tables_suggest(const char *name, const void *rows, size_t n_rows, size_t row_size,
                          size_t name_off, size_t aliases_off, const char **out, size_t max)
{
    if (max == 0 || name == NULL)
        return 0;
    candidate best[8];
    if (max > 8)
        max = 8;
    size_t n = 0;
    unsigned limit = (unsigned)strlen(name) / 3 + 1;
    for (size_t i = 0; i < n_rows; i++) {
        const char *row = (const char *)rows + i * row_size;
        const char *canonical = *(const char *const *)(row + name_off);
        const char *const *aliases = *(const char *const *const *)(row + aliases_off);
        unsigned d = sm__edit_distance(name, canonical);
        for (size_t k = 0; aliases && aliases[k]; k++) {
            unsigned da = sm__edit_distance(name, aliases[k]);
            if (da < d)
                d = da;
        }
        if (d <= limit)
            consider(best, max, &n, canonical, d);
    }
    for (size_t i = 0; i < n; i++)
        out[i] = best[i].name;
    return n;
}

size_t sm_tables_suggest_aircraft(sm_ctx *ctx, const char *name, const char **out, size_t max)
{
    size_t n = sm_tables_aircraft_count(ctx);
    return sm__tables_suggest(name, ctx->aircraft.rows.data, n, sizeof(sm_aircraft_type),
                              offsetof(sm_aircraft_type, type), offsetof(sm_aircraft_type, aliases),
                              out, max);
}

size_t sm_tables_suggest_weapon(sm_ctx *ctx, const char *name, const char **out, size_t max)
{
    size_t n = sm_tables_weapon_count(ctx);
    return sm__tables_suggest(name, ctx->weapons.rows.data, n, sizeof(sm_weapon),
                              offsetof(sm_weapon, name), offsetof(sm_weapon, aliases), out, max);
}
