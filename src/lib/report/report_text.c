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
