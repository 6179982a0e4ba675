/*
 * report_text.c: the report's texts in strings of the length they need
 * (report_internal.h), for claims whose names, claimants and sources may be
 * of any length, and where a URL in a source ends. Used by both formats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

/* ---- texts of any length (report_internal.h) ----------------------------- */

static size_t slen(const char *s)
{
    return s != NULL ? strlen(s) : 0;
}

/* Call a report.c helper that writes into (buf, size) with a buffer of
 * `size` bytes, which the caller has sized from the texts it copies. */
#define TEXT_NEW(size, call)                                                                       \
    do {                                                                                           \
        size_t size_ = (size);                                                                     \
        char *buf = malloc(size_);                                                                 \
        if (buf == NULL)                                                                           \
            return NULL;                                                                           \
        call;                                                                                      \
        return buf;                                                                                \
    } while (0)

/* Room for what the helpers add around the claim's texts (dates,
 * positions, numbers and fixed words, each at most a few hundred bytes). */
#define TEXT_ROOM 2048

char *sm__report_title_new(const sm_report *r)
{
    TEXT_NEW(slen(r->options.title) + TEXT_ROOM, sm__report_title(r, buf, size_));
}

char *sm__report_subtitle_new(const sm_report *r)
{
    TEXT_NEW(slen(r->options.subtitle) + TEXT_ROOM, sm__report_subtitle(r, buf, size_));
}

char *sm__strike_facts_new(const sm_strike *s)
{
    TEXT_NEW(
        slen(s->info.claimed_by) + slen(s->weapon) + sm__strike_attributed_len(s) + TEXT_ROOM,
        if (!sm__strike_facts(s, buf, size_)) {
            free(buf);
            return NULL;
        });
}

char *sm__aircraft_facts_new(const sm_aircraft *a)
{
    TEXT_NEW(slen(a->info.claimed_by) + slen(sm__type_name(a, "")) + slen(a->operator_name) +
                 slen(a->base) + slen(a->weapon) + TEXT_ROOM,
             sm__aircraft_facts(a, buf, size_));
}

char *sm__launcher_facts_new(const sm_launcher *l)
{
    TEXT_NEW(slen(l->info.claimed_by) + slen(l->weapon) + slen(l->operator_name) + TEXT_ROOM,
             sm__launcher_facts(l, buf, size_));
}

char *sm__base_facts_new(const sm_base *b)
{
    TEXT_NEW(slen(b->info.claimed_by) + slen(b->operator_name) + TEXT_ROOM,
             sm__base_facts(b, buf, size_));
}

char *sm__finding_text_new(const sm_report *r, const sm_pair *p)
{
    const sm_strike *s = sm_claims_strike(r->claims, p->strike);
    sm__party a;
    sm__pair_party(p, r->claims, &a);
    TEXT_NEW(
        slen(sm__claim_name(&s->info)) + slen(s->info.claimed_by) + slen(sm__claim_name(a.info)) +
            slen(a.info->claimed_by) + slen(a.type) + sm__pair_short_reason(p, r->claims, NULL, 0) +
            TEXT_ROOM,
        if (!sm__finding_text(r, p, buf, size_)) {
            free(buf);
            return NULL;
        });
}

char *sm__pair_reasons_new(const sm_pair *p, const sm_claims *claims)
{
    char probe[1];
    TEXT_NEW(sm_pair_reasons(p, claims, probe, sizeof(probe)) + 1,
             sm_pair_reasons(p, claims, buf, size_));
}

char *sm__pair_short_reason_new(const sm_pair *p, const sm_claims *claims)
{
    char probe[1];
    TEXT_NEW(sm__pair_short_reason(p, claims, probe, sizeof(probe)) + 1,
             sm__pair_short_reason(p, claims, buf, size_));
}

size_t sm__url_len(const char *u)
{
    size_t n = strcspn(u, " \t\n;,<>\"");
    for (;;) {
        if (n == 0)
            return 0;
        char c = u[n - 1];
        if (c == '.' || c == ']' || c == '\'' || c == '!' || c == '?' || c == ':') {
            n--;
            continue;
        }
        if (c == ')') {
            size_t open = 0, close = 0;
            for (size_t i = 0; i < n; i++) {
                open += u[i] == '(';
                close += u[i] == ')';
            }
            if (close > open) {
                n--;
                continue;
            }
        }
        return n;
    }
}

char *sm__finding_full_new(const sm_report *r, const sm_pair *p)
{
    char *f = sm__finding_text_new(r, p);
    char *w = sm__pair_warnings_new(p, r->claims);
    char *text = f && w ? (*w ? sm__strfmt("%s Caution, a claim behind it is flagged: %s.", f, w)
                              : sm__strfmt("%s", f))
                        : NULL;
    free(f);
    free(w);
    return text;
}

char *sm__flagged_text_new(const sm_report *r)
{
    size_t flagged = 0;
    for (size_t i = 0; i < sm_claims_strike_count(r->claims); i++)
        flagged += sm__flagged(&sm_claims_strike(r->claims, i)->info);
    for (size_t i = 0; i < sm_claims_aircraft_count(r->claims); i++)
        flagged += sm__flagged(&sm_claims_aircraft(r->claims, i)->info);
    if (flagged == 0)
        return sm__strfmt("%s", "");
    char a[96], b[96];
    size_t fp = sm__flagged_pair_count(r, SM_VERDICT_PLAUSIBLE);
    sm__fmt_count(flagged, "claim is", "claims are", NULL, a, sizeof(a));
    sm__fmt_count(fp, "plausible verdict rests", "plausible verdicts rest", NULL, b, sizeof(b));
    return sm__strfmt("%s flagged as a likely error or as missing what a check needs (likely "
                      "swapped coordinates, at sea, no time, an attribution to nothing known); "
                      "each is marked \xe2\x9a\xa0 with its warning beside it.%s%s%s",
                      a, fp ? " " : "", fp ? b : "", fp ? " on a flagged claim." : "");
}

char *sm__no_findings_text_new(const sm_report *r)
{
    const sm_check_summary *s = r->summary;
    size_t plausible = s->by_verdict[SM_VERDICT_PLAUSIBLE],
           unknown = s->by_verdict[SM_VERDICT_UNKNOWN];
    char a[96], b[96];
    if (plausible == 0)
        return sm__strfmt("%s", r->n_pairs == 0 && s->pairs == 0
                                    ? "No pairs to check: no strike names an aircraft or "
                                      "operator in the claims."
                                    : "No pair could be decided: every one lacks a time or a "
                                      "claimed position near the strike time (see the "
                                      "verdicts).");
    sm__fmt_count(plausible, "pair is", "pairs are", NULL, a, sizeof(a));
    sm__fmt_count(unknown, "pair", "pairs", NULL, b, sizeof(b));
    return sm__strfmt("No checked pair is implausible or marginal: %s plausible (physically "
                      "possible, which says nothing of whether it happened)%s%s%s.",
                      a, unknown ? "; " : "", unknown ? b : "",
                      unknown ? " could not be decided" : "");
}

/* ---- findings grouped by what is said to have struck ---- */

void sm__finding_groups_free(sm__finding_group *g, size_t n)
{
    for (size_t i = 0; g != NULL && i < n; i++)
        free(g[i].text);
    free(g);
}

/* One group's sentence: who, how many strikes each way, one example. */
static char *group_text(const sm_report *r, const sm__finding_group *g)
{
    const sm_pair *p = &r->pairs[g->example];
    sm__party a;
    sm__pair_party(p, r->claims, &a);
    char n1[64], n2[64], n3[96];
    char *why = sm__pair_short_reason_new(p, r->claims);
    if (why == NULL)
        return NULL;
    sm__fmt_count(g->n_impl, "strike", "strikes", NULL, n1, sizeof(n1));
    sm__fmt_count(g->n_marg, "strike", "strikes", NULL, n2, sizeof(n2));
    sm__fmt_count(g->n_flagged, "of them rests", "of them rest", NULL, n3, sizeof(n3));
    const sm_strike *s = sm_claims_strike(r->claims, p->strike);
    char *t = sm__strfmt(
        "%s (%s%s%s): implausible for %s, marginal for %s; for example %s (claimed by %s): "
        "%s.%s%s%s",
        sm__claim_name(a.info), a.type, a.info->claimed_by ? ", claimed by " : "",
        a.info->claimed_by ? a.info->claimed_by : "", g->n_impl ? n1 : "none",
        g->n_marg ? n2 : "none", sm__claim_name(&s->info),
        s->info.claimed_by ? s->info.claimed_by : "nobody named", why,
        g->n_flagged ? " Caution: " : "", g->n_flagged ? n3 : "",
        g->n_flagged ? " on a flagged claim." : "");
    free(why);
    return t;
}

sm__finding_group *sm__finding_groups_new(const sm_report *r, size_t *n, bool *ok)
{
    size_t na = sm_claims_aircraft_count(r->claims), nl = sm_claims_launcher_count(r->claims);
    sm__finding_group *g = calloc(na + nl + 1, sizeof(*g));
    *n = 0;
    *ok = g != NULL;
    if (g == NULL)
        return NULL;
    for (size_t i = 0; i < r->n_pairs; i++) {
        const sm_pair *p = &r->pairs[i];
        if (p->verdict != SM_VERDICT_IMPLAUSIBLE && p->verdict != SM_VERDICT_MARGINAL)
            continue;
        sm__finding_group *x = &g[(p->by_kind == SM_KIND_LAUNCHER ? na : 0) + p->aircraft];
        bool first = x->n_impl + x->n_marg == 0;
        if (first || (p->verdict == SM_VERDICT_IMPLAUSIBLE &&
                      r->pairs[x->example].verdict != SM_VERDICT_IMPLAUSIBLE))
            x->example = i;
        x->n_impl += p->verdict == SM_VERDICT_IMPLAUSIBLE;
        x->n_marg += p->verdict == SM_VERDICT_MARGINAL;
        sm__party a;
        sm__pair_party(p, r->claims, &a);
        x->n_flagged +=
            sm__flagged(&sm_claims_strike(r->claims, p->strike)->info) || sm__flagged(a.info);
    }
    /* keep the groups with findings, most implausible first */
    for (size_t i = 0; i < na + nl; i++)
        if (g[i].n_impl + g[i].n_marg > 0)
            g[(*n)++] = g[i];
    for (size_t i = 1; i < *n; i++)
        for (size_t k = i;
             k > 0 && (g[k].n_impl > g[k - 1].n_impl ||
                       (g[k].n_impl == g[k - 1].n_impl && g[k].n_marg > g[k - 1].n_marg));
             k--) {
            sm__finding_group t = g[k];
            g[k] = g[k - 1];
            g[k - 1] = t;
        }
    for (size_t i = 0; i < *n; i++) {
        g[i].verdict = g[i].n_impl ? SM_VERDICT_IMPLAUSIBLE : SM_VERDICT_MARGINAL;
        g[i].text = group_text(r, &g[i]);
        if (g[i].text == NULL) {
            sm__finding_groups_free(g, i);
            *n = 0;
            *ok = false;
            return NULL;
        }
    }
    return g;
}
