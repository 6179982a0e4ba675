/*
 * stream.c: the verdict formats written as a stream of rows, by this code:
 * an aligned text table, JSON and CSV. Rows can be formatted on the
 * engine's worker threads (format), then put in order (put); the summary
 * closes the text and JSON (finish).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/output_internal.h"

/* ---- text --------------------------------------------------------------- */

static sm_status text_open(sm_writer *w)
{
    const sm_claims *claims = w->claims;
    w->w_strike = 6;
    w->w_aircraft = 8;
    for (size_t i = 0; i < sm_claims_strike_count(claims); i++) {
        int n = (int)strlen(sm_claims_strike(claims, i)->info.id);
        w->w_strike = n > w->w_strike ? (n > 40 ? 40 : n) : w->w_strike;
    }
    for (size_t i = 0; i < sm_claims_aircraft_count(claims); i++) {
        const sm_aircraft *a = sm_claims_aircraft(claims, i);
        const char *t = sm__type_name(a, "?");
        int n = (int)(strlen(a->info.id) + strlen(t) + 3);
        w->w_aircraft = n > w->w_aircraft ? (n > 48 ? 48 : n) : w->w_aircraft;
    }
    for (size_t i = 0; i < sm_claims_launcher_count(claims); i++) {
        int n = (int)(strlen(sm_claims_launcher(claims, i)->info.id) + 11);
        w->w_aircraft = n > w->w_aircraft ? (n > 48 ? 48 : n) : w->w_aircraft;
    }
    fprintf(w->out, "%-*s  %-*s  %-11s  %10s  %9s  %-19s  %s\n", w->w_strike, "STRIKE",
            w->w_aircraft, "AIRCRAFT", "VERDICT", "DIST km", "TIME min", "SPEED NEED/MAX km/h",
            "REASON");
    return SM_OK;
}

static bool text_format(const sm_writer *w, FILE *out, const sm_pair *p)
{
    sm__party a;
    sm__pair_party(p, w->claims, &a);
    char dist[32], tmin[32], sp[64], n1[32], n2[32];
    sm__fmt_num(p->distance_km, 1, dist, sizeof(dist));
    sm__fmt_num(p->available_minutes, 1, tmin, sizeof(tmin));
    if (isfinite(p->required_speed_kmh) && isfinite(p->max_speed_kmh))
        snprintf(sp, sizeof(sp), "%s / %s", sm__fmt_num(p->required_speed_kmh, 0, n1, sizeof(n1)),
                 sm__fmt_num(p->max_speed_kmh, 0, n2, sizeof(n2)));
    else
        snprintf(sp, sizeof(sp), "-");
    /* the reason names weapons, of any length */
    size_t rn = sm__pair_short_reason(p, w->claims, NULL, 0) + 1;
    char *reason = malloc(rn);
    if (reason == NULL) {
        sm__writer_mark_nomem(w);
        return false;
    }
    sm__pair_short_reason(p, w->claims, reason, rn);
    /* "ID (TYPE)" of any length, padded to the column */
    int ac_len = (int)(strlen(a.info->id) + strlen(a.type) + 3);
    fprintf(out, "%-*s  %s (%s)%*s  %-11s  %10s  %9s  %-19s  %s\n", w->w_strike,
            sm_claims_strike(w->claims, p->strike)->info.id, a.info->id, a.type,
            ac_len < w->w_aircraft ? w->w_aircraft - ac_len : 0, "", sm_verdict_str(p->verdict),
            dist, tmin, sp, reason);
    free(reason);
    return true;
}

static sm_status text_finish(sm_writer *w, const sm_check_summary *s)
{
    if (w->count == 0)
        fputs("(no pairs to list)\n", w->out);
    if (s == NULL)
        return SM_OK;
    FILE *out = w->out;
    fprintf(out, "\n%zu strikes, %zu aircraft", s->strikes, s->aircraft);
    if (s->launchers)
        fprintf(out, ", %zu launchers", s->launchers);
    fprintf(out,
            ": %zu pairs considered: %zu plausible, %zu marginal, "
            "%zu implausible, %zu unknown.\n",
            s->pairs, s->by_verdict[SM_VERDICT_PLAUSIBLE], s->by_verdict[SM_VERDICT_MARGINAL],
            s->by_verdict[SM_VERDICT_IMPLAUSIBLE], s->by_verdict[SM_VERDICT_UNKNOWN]);
    if (s->unlisted_unknown || s->unlisted_implausible)
        fprintf(out,
                "Not listed (past the first %d of their kinds): %zu unknown pairs, with no "
                "claimed position near the strike time, and %zu ruled out by distance alone "
                "(--list-all lists them).\n",
                SM_CHECK_LIST_SHORT, s->unlisted_unknown, s->unlisted_implausible);
    if (s->strikes_unattributed)
        fprintf(out,
                "%zu strikes are attributed to nothing in the claim set (nothing to check; "
                "try --operator NAME or --all-pairs).\n",
                s->strikes_unattributed);
    return SM_OK;
}

/* ---- JSON and CSV: the fields of fields.c ------------------------------- */

static sm_status json_open(sm_writer *w)
{
    fputs("{\n  \"pairs\": [", w->out);
    return SM_OK;
}

/* JSON rows start with a comma; whoever writes the first row drops it
 * (stream_put). */
static bool json_format(const sm_writer *w, FILE *out, const sm_pair *p)
{
    row r;
    sm__fill_row(&r, p, w->claims);
    if (r.nomem)
        sm__writer_mark_nomem(w);
    fputs(",\n    {", out);
    for (int i = 0; i < X_COUNT; i++) {
        fprintf(out, "%s\"%s\": ", i ? ", " : "", sm__fields[i].name);
        const value *v = &r.v[i];
        if (v->null)
            fputs("null", out);
        else if (sm__fields[i].kind == F_STR || sm__fields[i].kind == F_TIME)
            sm__json_str(out, v->str);
        else if (sm__fields[i].kind == F_BOOL)
            fputs(v->num != 0 ? "true" : "false", out);
        else
            sm__num_out(out, v->num, sm__fields[i].decimals);
    }
    fputs("}", out);
    sm__free_row(&r);
    return !r.nomem;
}

static sm_status json_finish(sm_writer *w, const sm_check_summary *s)
{
    fputs(w->count ? "\n  ],\n" : "],\n", w->out);
    if (s == NULL) {
        fputs("  \"summary\": null\n}\n", w->out);
        return SM_OK;
    }
    fprintf(w->out,
            "  \"summary\": {\"strikes\": %zu, \"aircraft\": %zu, \"pairs\": %zu, \"listed\": "
            "%zu, \"plausible\": %zu, \"marginal\": %zu, \"implausible\": %zu, \"unknown\": %zu, "
            "\"unlisted_unknown\": %zu, \"unlisted_implausible\": %zu, "
            "\"strikes_unattributed\": %zu, \"launchers\": %zu}\n",
            s->strikes, s->aircraft, s->pairs, s->listed, s->by_verdict[SM_VERDICT_PLAUSIBLE],
            s->by_verdict[SM_VERDICT_MARGINAL], s->by_verdict[SM_VERDICT_IMPLAUSIBLE],
            s->by_verdict[SM_VERDICT_UNKNOWN], s->unlisted_unknown, s->unlisted_implausible,
            s->strikes_unattributed, s->launchers);
    fputs("}\n", w->out);
    return SM_OK;
}

static sm_status csv_open(sm_writer *w)
{
    for (int i = 0; i < X_COUNT; i++)
        fprintf(w->out, "%s%s", sm__fields[i].name, i + 1 < X_COUNT ? "," : "\n");
    return SM_OK;
}

static bool csv_format(const sm_writer *w, FILE *out, const sm_pair *p)
{
    row r;
    sm__fill_row(&r, p, w->claims);
    if (r.nomem)
        sm__writer_mark_nomem(w);
    for (int i = 0; i < X_COUNT; i++) {
        const value *v = &r.v[i];
        if (!v->null) {
            if (sm__fields[i].kind == F_STR || sm__fields[i].kind == F_TIME)
                sm__csv_str(out, v->str);
            else if (sm__fields[i].kind == F_BOOL)
                fputs(v->num != 0 ? "true" : "false", out);
            else
                sm__num_out(out, v->num, sm__fields[i].decimals);
        }
        fputc(i + 1 < X_COUNT ? ',' : '\n', out);
    }
    sm__free_row(&r);
    return !r.nomem;
}

static sm_status no_finish(sm_writer *w, const sm_check_summary *s)
{
    (void)w;
    (void)s;
    return SM_OK;
}

/* ---- rows in order -------------------------------------------------------- */

static sm_status stream_put(sm_writer *w, const char *text, size_t len, size_t rows)
{
    if (atomic_load(&w->nomem))
        return sm__nomem(w->ctx, w->path, -1, NULL, "reasons");
    if (rows == 0)
        return SM_OK;
    if (w->format == SM_FORMAT_JSON && w->count == 0 && len > 0 && text[0] == ',') {
        text++;
        len--;
    }
    if (fwrite(text, 1, len, w->out) != len) {
        sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, NULL, "cannot be written: %s",
                 strerror(errno));
        return SM_ERR_IO;
    }
    w->count += rows;
    return SM_OK;
}

/* One pair, formatted here and put in order. */
static sm_status stream_add(sm_writer *w, const sm_pair *p)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (mem == NULL)
        return sm__nomem(w->ctx, w->path, -1, NULL, NULL);
    w->fi->ops->format(w, mem, p);
    if (fclose(mem) != 0) {
        free(buf);
        return sm__nomem(w->ctx, w->path, -1, NULL, NULL);
    }
    sm_status st = stream_put(w, buf, len, 1);
    free(buf);
    return st;
}

static void stream_abort(sm_writer *w)
{
    (void)w;
}

const sm__writer_ops sm__text_writer = {text_open,  stream_add,  text_format,
                                        stream_put, text_finish, stream_abort};
const sm__writer_ops sm__json_writer = {json_open,  stream_add,  json_format,
                                        stream_put, json_finish, stream_abort};
const sm__writer_ops sm__csv_writer = {csv_open,   stream_add, csv_format,
                                       stream_put, no_finish,  stream_abort};
