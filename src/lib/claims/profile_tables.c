/*
 * claims/profile_tables.c: the incident tables of SPEC §7, row by row into
 * strike claims: ACLED exports (codebook columns), Airwars incident tables,
 * UCDP GED events, and any other CSV whose columns --map names.
 *
 * Dates in these tables are local days. A day becomes the window from
 * local midnight to the next, in the zone of --tz or of the country the
 * event lies in (zones.c). ACLED's time_precision widens it: 2, "a
 * specific week", the seven days centred on event_date; 3, "only the
 * month", that calendar month. Location precision codes give a default
 * location uncertainty (documented in the README): ACLED's geo_precision
 * through the claim property (kinds.c); UCDP's where_prec here, as
 * g_where_prec_km says.
 */
#define _GNU_SOURCE /* strptime; tm_gmtoff */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "claims/profiles.h"

static const char *const g_lat_cols[] = {"latitude", "lat", NULL};
static const char *const g_lon_cols[] = {"longitude", "lon", "long", "lng", NULL};

/* The local window [l0, l1) of a day (days_before and days_after
 * around it) in UTC; false after dropping the row. */
static bool day_window(sm__ptable *t, const char *field, double lon, double lat, double l0,
                       double l1, sm__pclaim *c)
{
    const sm__zone *z = NULL;
    if (!sm__plocal_span(t, field, lon, lat, l0, l1, &c->t0, &c->t1, &z))
        return false;
    c->offset_min = sm__zone_offset_at(z, c->t0) / 60;
    c->offset_end_min = sm__zone_offset_at(z, c->t1) / 60;
    return true;
}

static const char *day_expect(void)
{
    return "a date such as 2020-08-14, 14 August 2020, 14/08/2020 (day first) or "
           "october-7-2023";
}

/* ---- ACLED ----------------------------------------------------------------- */

typedef struct acled_cols {
    int id, date, precision, sub, actor, geo, source, notes, location;
} acled_cols;

static void acled_row(sm__ptable *t, void *user)
{
    const acled_cols *k = user;
    t->row_id = sm__pval(t, k->id);
    const char *sub = sm__pval(t, k->sub);
    if (sub == NULL || !sm__str_ieq(sub, "Air/drone strike")) {
        t->skipped++;
        return;
    }
    if (t->row_id == NULL) {
        sm__pdrop(t, "event_id_cnty", "empty; expected the event's id");
        return;
    }
    sm__pclaim c;
    sm__pclaim_init(&c);
    if (!sm__ppoint(t, g_lon_cols, g_lat_cols, &c.lon, &c.lat))
        return;
    const char *date = sm__pval(t, k->date);
    int y, m, d;
    if (date == NULL || !sm__parse_day(date, &y, &m, &d)) {
        sm__pdrop(t, "event_date", "\"%s\" is not a date; expected %s", date ? date : "",
                  day_expect());
        return;
    }
    const char *tp = sm__pval(t, k->precision);
    double prec = 1;
    if (tp != NULL && (!sm__pnumber(tp, 1, 3, &prec) || prec != floor(prec))) {
        sm__pdrop(t, "time_precision", "\"%s\" is not 1, 2 or 3 (day, week, month)", tp);
        return;
    }
    double day = sm__civil_seconds(y, m, d), l0 = day, l1 = day + 86400;
    if (prec == 2) { /* the week: the seven days centred on the date */
        l0 = day - 3 * 86400.0;
        l1 = day + 4 * 86400.0;
    } else if (prec == 3) { /* the month */
        l0 = sm__civil_seconds(y, m, 1);
        l1 = m == 12 ? sm__civil_seconds(y + 1, 1, 1) : sm__civil_seconds(y, m + 1, 1);
    }
    if (!day_window(t, "event_date", c.lon, c.lat, l0, l1, &c))
        return;
    const char *geo = sm__pval(t, k->geo);
    double gp = 0;
    if (geo != NULL && (!sm__pnumber(geo, 1, 3, &gp) || gp != floor(gp))) {
        sm__pdrop(t, "geo_precision", "\"%s\" is not 1, 2 or 3", geo);
        return;
    }
    c.geo_precision = (int)gp;
    const char *actor = sm__pval(t, k->actor);
    c.attributed_to = actor != NULL ? sm__pactors(t, actor, false) : NULL;
    c.kind = "strike";
    c.id = t->row_id;
    c.label = sm__pval(t, k->location);
    c.claimed_by = "ACLED";
    c.source = sm__pval(t, k->source);
    c.notes = sm__pval(t, k->notes);
    if (!t->nomem)
        sm__pemit(t, &c, t->row);
}

bool sm__profile_acled(sm__ptable *t)
{
    const char *id[] = {"event_id_cnty", NULL}, *date[] = {"event_date", NULL},
               *prec[] = {"time_precision", NULL}, *sub[] = {"sub_event_type", NULL},
               *actor[] = {"actor1", NULL}, *geo[] = {"geo_precision", NULL},
               *source[] = {"source", NULL}, *notes[] = {"notes", NULL},
               *loc[] = {"location", NULL};
    acled_cols k = {sm__pcol(t, id),     sm__pcol(t, date),  sm__pcol(t, prec),
                    sm__pcol(t, sub),    sm__pcol(t, actor), sm__pcol(t, geo),
                    sm__pcol(t, source), sm__pcol(t, notes), sm__pcol(t, loc)};
    t->skipped_why = "are not air/drone strikes (sub_event_type) and were left out";
    return sm__peach(t, acled_row, &k);
}

/* ---- Airwars --------------------------------------------------------------- */

typedef struct airwars_cols {
    int id, date, grading, url, text, label;
    int bell[4];
    size_t n_bell;
} airwars_cols;

/* A time of day in text: "21:41", "9:05", "7 pm", "8:30 pm", "7 p.m.";
 * seconds after midnight, and where it ends. A bare number is no time. */
static bool clock_at(const char *s, double *sec, const char **end)
{
    const char *p = s;
    int h = 0, mi = 0, nd = 0;
    while (isdigit((unsigned char)*p) && nd < 3)
        h = h * 10 + (*p++ - '0'), nd++;
    if (nd == 0 || nd > 2)
        return false;
    bool colon = false;
    if (*p == ':' && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2])) {
        mi = (p[1] - '0') * 10 + (p[2] - '0');
        p += 3;
        colon = true;
    }
    const char *q = p;
    while (*q == ' ')
        q++;
    int ampm = 0;
    if ((q[0] == 'a' || q[0] == 'p' || q[0] == 'A' || q[0] == 'P') &&
        (q[1] == 'm' || q[1] == 'M' || (q[1] == '.' && (q[2] == 'm' || q[2] == 'M')))) {
        ampm = tolower((unsigned char)q[0]) == 'p' ? 2 : 1;
        p = q + (q[1] == '.' ? 3 : 2);
        if (*p == '.')
            p++;
    }
    if (!colon && ampm == 0)
        return false;
    if (ampm != 0 && (h < 1 || h > 12))
        return false;
    if (ampm != 0)
        h = h % 12 + (ampm == 2 ? 12 : 0);
    if (h > 23 || mi > 59 || isalnum((unsigned char)*p))
        return false;
    *sec = h * 3600.0 + mi * 60.0;
    *end = p;
    return true;
}

/* An hour in an assessment narrows the day: "between 7 pm and 8:30 pm"
 * gives that window, "at 21:41" that instant (seconds after local
 * midnight; h0 == h1 for an instant). False when the text gives neither,
 * or a window that crosses midnight. */
static bool hours_in(const char *text, double *h0, double *h1)
{
    for (const char *p = text; *p; p++) {
        if (strncasecmp(p, "between ", 8) != 0)
            continue;
        const char *e;
        if (!clock_at(p + 8, h0, &e))
            continue;
        while (*e == ' ')
            e++;
        if (strncasecmp(e, "and ", 4) == 0 && clock_at(e + 4, h1, &e))
            return *h1 >= *h0;
    }
    for (const char *p = text; *p; p++) {
        const char *e;
        if ((p == text || !isalnum((unsigned char)p[-1])) && strncasecmp(p, "at ", 3) == 0 &&
            clock_at(p + 3, h0, &e)) {
            *h1 = *h0;
            return true;
        }
    }
    return false;
}

static void airwars_row(sm__ptable *t, void *user)
{
    const airwars_cols *k = user;
    t->row_id = sm__pval(t, k->id);
    if (t->row_id == NULL) {
        sm__pdrop(t, "Incidence_id", "empty; expected the incident's id");
        return;
    }
    sm__pclaim c;
    sm__pclaim_init(&c);
    static const char *const lons[] = {"long", "lon", "longitude", "lng", NULL};
    if (!sm__ppoint(t, lons, g_lat_cols, &c.lon, &c.lat))
        return;
    const char *date = sm__pval(t, k->date);
    int y, m, d;
    if (date == NULL || !sm__parse_day(date, &y, &m, &d)) {
        sm__pdrop(t, "Incidence_date", "\"%s\" is not a date; expected %s", date ? date : "",
                  day_expect());
        return;
    }
    double day = sm__civil_seconds(y, m, d), l0 = day, l1 = day + 86400, h0, h1;
    const char *text = sm__pval(t, k->text);
    bool narrowed = text != NULL && hours_in(text, &h0, &h1);
    if (narrowed) {
        l0 = day + h0;
        l1 = day + h1;
    }
    if (!day_window(t, "Incidence_date", c.lon, c.lat, l0, l1, &c))
        return;
    c.instant = narrowed && h0 == h1;
    const char *grading = sm__pval(t, k->grading);
    if (grading != NULL) {
        static const char *const grades[] = {"confirmed", "fair", "weak", "contested",
                                             "discounted"};
        for (size_t i = 0; i < SM__ARRAY_LEN(grades) && c.grading == NULL; i++)
            if (strncasecmp(grading, grades[i], strlen(grades[i])) == 0)
                c.grading = grades[i];
        if (c.grading == NULL) {
            sm__pdrop(t, "grading",
                      "\"%s\" is not an Airwars grading; expected confirmed, fair, weak, "
                      "contested or discounted",
                      grading);
            return;
        }
    }
    sm__sbuf who = {0};
    for (size_t i = 0; i < k->n_bell; i++) {
        const char *b = sm__pval(t, k->bell[i]);
        if (b != NULL && who.len > 0)
            sm__sbuf_put(&who, ";", 1);
        if (b != NULL)
            sm__sbuf_put(&who, b, strlen(b));
    }
    if (who.failed)
        t->nomem = true;
    c.attributed_to = who.len > 0 ? sm__pactors(t, sm__sbuf_str(&who), true) : NULL;
    sm__sbuf_free(&who);
    c.kind = "strike";
    c.id = t->row_id;
    c.label = sm__pval(t, k->label);
    c.claimed_by = "Airwars";
    c.source = sm__pval(t, k->url);
    c.notes = text;
    if (!t->nomem)
        sm__pemit(t, &c, t->row);
}

bool sm__profile_airwars(sm__ptable *t)
{
    const char *id[] = {"Incidence_id", "incident_id", "incident_code", "code", "id", NULL},
               *date[] = {"Incidence_date", "incident_date", "date", NULL},
               *url[] = {"Incidence_url", "incident_url", "url", "link", NULL},
               *label[] = {"location", "Incidence_name", "incident_name", "name", NULL};
    airwars_cols k = {sm__pcol(t, id),
                      sm__pcol(t, date),
                      sm__pcol_part(t, "grading"),
                      sm__pcol(t, url),
                      sm__pcol_part(t, "assessment"),
                      sm__pcol(t, label),
                      {0},
                      0};
    if (k.text < 0)
        k.text = sm__pcol_part(t, "summary");
    for (int i = 0; i < OGR_FD_GetFieldCount(t->sdefn) && k.n_bell < 4; i++) {
        const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(t->sdefn, i));
        for (const char *p = name; *p; p++)
            if (strncasecmp(p, "belligerent", 11) == 0) {
                k.bell[k.n_bell++] = i;
                break;
            }
    }
    if (k.id < 0 || k.date < 0) {
        sm__diag(t->ctx, SM_SEV_ERROR, t->file, -1, NULL,
                 k.id < 0 ? "Incidence_id" : "Incidence_date",
                 "missing; the airwars profile expects Airwars' published columns "
                 "(Incidence_id, Incidence_date, lat, long, grading, belligerents, "
                 "Incidence_url)");
        return false;
    }
    return sm__peach(t, airwars_row, &k);
}

/* ---- UCDP GED ---------------------------------------------------------------- */

/* UCDP GED codebook, where_prec: 1 the exact location; 2 within 25 km of
 * it; 3 a second-order administrative division (a district); 4 a
 * first-order one (a province); 5 a part of a country larger than that, or
 * a linear feature; 6 the country only; 7 international waters or
 * airspace. 1 and 2 are the codebook's; 3 to 7 are ESTIMATES of the radius
 * of such areas in the theatres strikemap covers (a Syrian district spans
 * about 100 km, a governorate about 300 km). */
static const double g_where_prec_km[8] = {0, 2, 25, 50, 150, 300, 500, 500};

typedef struct ucdp_cols {
    int id, start, end, prec, side, label, source, notes;
} ucdp_cols;

static void ucdp_row(sm__ptable *t, void *user)
{
    const ucdp_cols *k = user;
    t->row_id = sm__pval(t, k->id);
    if (t->row_id == NULL) {
        sm__pdrop(t, "id", "empty; expected the event's id");
        return;
    }
    sm__pclaim c;
    sm__pclaim_init(&c);
    if (!sm__ppoint(t, g_lon_cols, g_lat_cols, &c.lon, &c.lat))
        return;
    const char *s0 = sm__pval(t, k->start), *s1 = sm__pval(t, k->end);
    int y0, m0, d0, y1, m1, d1;
    if (s0 == NULL || !sm__parse_day(s0, &y0, &m0, &d0)) {
        sm__pdrop(t, "date_start", "\"%s\" is not a date; expected %s", s0 ? s0 : "", day_expect());
        return;
    }
    if (s1 == NULL || !sm__parse_day(s1, &y1, &m1, &d1)) {
        sm__pdrop(t, "date_end", "\"%s\" is not a date; expected %s", s1 ? s1 : "", day_expect());
        return;
    }
    double l0 = sm__civil_seconds(y0, m0, d0), l1 = sm__civil_seconds(y1, m1, d1) + 86400;
    if (l1 <= l0) {
        sm__pdrop(t, "date_end", "\"%s\" is before date_start \"%s\"", s1, s0);
        return;
    }
    if (!day_window(t, "date_start", c.lon, c.lat, l0, l1, &c))
        return;
    const char *wp = sm__pval(t, k->prec);
    double prec = 0;
    if (wp != NULL && (!sm__pnumber(wp, 1, 7, &prec) || prec != floor(prec))) {
        sm__pdrop(t, "where_prec", "\"%s\" is not a UCDP where_prec code (1 to 7)", wp);
        return;
    }
    if (prec > 0)
        c.loc_unc_km = g_where_prec_km[(int)prec];
    const char *side = sm__pval(t, k->side);
    c.attributed_to = side != NULL ? sm__pactors(t, side, false) : NULL;
    c.kind = "strike";
    c.id = t->row_id;
    c.label = sm__pval(t, k->label);
    c.claimed_by = "UCDP GED";
    c.source = sm__pval(t, k->source);
    c.notes = sm__pval(t, k->notes);
    if (!t->nomem)
        sm__pemit(t, &c, t->row);
}

bool sm__profile_ucdp(sm__ptable *t)
{
    const char *id[] = {"id", NULL}, *s[] = {"date_start", NULL}, *e[] = {"date_end", NULL},
               *p[] = {"where_prec", NULL}, *side[] = {"side_a", NULL},
               *label[] = {"where_coordinates", "where_description", NULL},
               *src[] = {"source_article", NULL}, *notes[] = {"source_headline", NULL};
    ucdp_cols k = {sm__pcol(t, id),   sm__pcol(t, s),     sm__pcol(t, e),   sm__pcol(t, p),
                   sm__pcol(t, side), sm__pcol(t, label), sm__pcol(t, src), sm__pcol(t, notes)};
    return sm__peach(t, ucdp_row, &k);
}

/* ---- any CSV, by --map ---------------------------------------------------------- */

typedef struct map_cols {
    int col[P_COUNT];
    const char *lon_one[2], *lat_one[2]; /* a column --map names */
    const char *const *lon, *const *lat; /* those, or the usual names */
} map_cols;

/* A mapped time through --time-format into ISO 8601 text (in scratch):
 * with %z its offset, else local in --tz, else with no offset (read as UTC
 * with a warning). NULL after dropping the row. */
static const char *map_time(sm__ptable *t, prop p, const char *s, double lon, double lat)
{
    const char *fmt = t->opt->table.time_format;
    if (fmt == NULL)
        return s;
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    const char *end = strptime(s, fmt, &tm);
    int y = tm.tm_year + 1900, m = tm.tm_mon + 1;
    if (end == NULL || *end != '\0' || !sm__civil_valid(y, m, tm.tm_mday)) {
        sm__pdrop(t, sm__props[p].name, "\"%s\" does not read as --time-format \"%s\"", s, fmt);
        return NULL;
    }
    double local =
        sm__civil_seconds(y, m, tm.tm_mday) + tm.tm_hour * 3600.0 + tm.tm_min * 60.0 + tm.tm_sec;
    char buf[48];
    if (strstr(fmt, "%z") != NULL) {
        sm_time_format(local - (double)tm.tm_gmtoff, (int)(tm.tm_gmtoff / 60), buf, sizeof(buf));
    } else if (t->tz != NULL) {
        double u = sm__zone_to_utc(t->tz, local);
        sm_time_format(u, sm__zone_offset_at(t->tz, u) / 60, buf, sizeof(buf));
    } else {
        sm_time_format(local, 0, buf, sizeof(buf));
        buf[strlen(buf) - 1] = '\0'; /* no "Z": no offset was given */
    }
    (void)lon;
    (void)lat;
    char *r = sm__arena_strdup(&t->scratch, buf);
    if (r == NULL)
        t->nomem = true;
    return r;
}

static void map_row(sm__ptable *t, void *user)
{
    const map_cols *k = user;
    t->row_id = sm__pval(t, k->col[P_ID]);
    sm__pclaim c;
    sm__pclaim_init(&c);
    if (!sm__ppoint(t, k->lon, k->lat, &c.lon, &c.lat))
        return;
    size_t dropped = t->dropped;
    for (int p = 0; p < P_COUNT; p++) {
        const char *v = sm__pval(t, k->col[p]);
        if (v != NULL && (p == P_TIME || p == P_TIME_START || p == P_TIME_END))
            v = map_time(t, (prop)p, v, c.lon, c.lat);
        if (t->nomem || t->dropped != dropped)
            return;
        c.text[p] = v;
    }
    if (c.text[P_KIND] == NULL)
        c.text[P_KIND] = "strike";
    sm__pemit(t, &c, t->row);
}

bool sm__profile_map(sm__ptable *t)
{
    map_cols k;
    for (int p = 0; p < P_COUNT; p++) {
        const char *one[] = {sm__props[p].name, NULL};
        k.col[p] = sm__pcol(t, one);
    }
    k.lon_one[0] = k.lat_one[0] = k.lon_one[1] = k.lat_one[1] = NULL;
    bool ok = true;
    for (size_t i = 0; t->opt->table.map != NULL && t->opt->table.map[i] != NULL; i++) {
        const char *e = t->opt->table.map[i], *eq = strchr(e, '=');
        size_t n = eq != NULL ? (size_t)(eq - e) : 0;
        const char *col[] = {eq != NULL ? eq + 1 : "", NULL};
        int c = sm__pcol(t, col);
        int p = -1;
        for (int q = 0; q < P_COUNT && n > 0; q++)
            if (strlen(sm__props[q].name) == n && strncmp(e, sm__props[q].name, n) == 0)
                p = q;
        bool is_lon = n == 3 && strncmp(e, "lon", 3) == 0,
             is_lat = n == 3 && strncmp(e, "lat", 3) == 0;
        if (eq == NULL || (p < 0 && !is_lon && !is_lat)) {
            sm__diag(t->ctx, SM_SEV_ERROR, NULL, -1, NULL, "map",
                     "\"%s\" is not PROP=COLUMN with PROP a claim property (SPEC §2), lon or "
                     "lat",
                     e);
            ok = false;
        } else if (c < 0) {
            sm__diag(t->ctx, SM_SEV_ERROR, t->file, -1, NULL, "map",
                     "\"%s\": the table has no column \"%s\"", e, eq + 1);
            ok = false;
        } else if (is_lon) {
            k.lon_one[0] = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(t->sdefn, c));
        } else if (is_lat) {
            k.lat_one[0] = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(t->sdefn, c));
        } else {
            k.col[p] = c;
        }
    }
    if (!ok) {
        t->failed = true;
        return false;
    }
    static const char *const lons[] = {"lon", "longitude", "lng", "long", "x", NULL};
    static const char *const lats[] = {"lat", "latitude", "y", NULL};
    k.lon = k.lon_one[0] != NULL ? k.lon_one : lons;
    k.lat = k.lat_one[0] != NULL ? k.lat_one : lats;
    return sm__peach(t, map_row, &k);
}
