/*
 * report_internal.h: what report.c, report_pdf.c and report_html.c share.
 */
#ifndef SM_REPORT_INTERNAL_H
#define SM_REPORT_INTERNAL_H

#include "map/map_internal.h"
#include "strikemap/report.h"

typedef struct sm_report {
    sm_ctx *ctx;
    const sm_claims *claims;
    const sm_check *check;
    const sm_check_summary *summary;
    const sm_pair *pairs; /* the listed pairs, in strike order */
    size_t n_pairs;
    sm_report_options options;
} sm_report;

sm_status sm__report_pdf(const sm_report *r, const char *path);
sm_status sm__report_html(const sm_report *r, const char *path);

/* Finish a report file: close, then rename into place or remove. */
sm_status sm__report_finish(sm_ctx *ctx, sm__tmpfile *t, sm_status st);

const char *sm__claim_name(const sm_claim_info *info);
void sm__when_text(const sm_when *w, char *buf, size_t size);
void sm__position_text(double lon, double lat, double unc_km, char *buf, size_t size);
const char *sm__grading_name(sm_grading g);
bool sm__strike_facts(const sm_strike *s, char *facts, size_t size); /* false: no memory */
void sm__aircraft_facts(const sm_aircraft *a, char *facts, size_t size);
void sm__base_facts(const sm_base *b, char *facts, size_t size);
void sm__launcher_facts(const sm_launcher *l, char *facts, size_t size);
/* Bytes the strike's attribution list takes in its facts. */
size_t sm__strike_attributed_len(const sm_strike *s);
void sm__report_title(const sm_report *r, char *buf, size_t size);
void sm__report_subtitle(const sm_report *r, char *buf, size_t size);
void sm__report_summary(const sm_report *r, char *buf, size_t size);
bool sm__finding_text(const sm_report *r, const sm_pair *p, char *buf,
                      size_t size); /* false: no memory */
size_t sm__method_paragraphs(const sm_report *r, char out[][900], size_t max);
void sm__report_references(const sm_report *r, const sm_aircraft_type **types, size_t *n_types,
                           const sm_weapon **weapons, size_t *n_weapons);

/* The texts above in strings of the length they need (report_html.c), for
 * claims whose names, claimants and sources may be of any length. Each
 * returns a malloc'd string (caller frees), or NULL when out of memory.
 * The fixed-size helpers above are given a buffer sized from the lengths
 * of the claim's own texts, so nothing is cut. */
char *sm__report_title_new(const sm_report *r);
char *sm__report_subtitle_new(const sm_report *r);
char *sm__strike_facts_new(const sm_strike *s);
char *sm__aircraft_facts_new(const sm_aircraft *a);
char *sm__base_facts_new(const sm_base *b);
char *sm__launcher_facts_new(const sm_launcher *l);
char *sm__finding_text_new(const sm_report *r, const sm_pair *p);
char *sm__pair_reasons_new(const sm_pair *p, const sm_claims *claims);
char *sm__pair_short_reason_new(const sm_pair *p, const sm_claims *claims);

/* The length of the URL at u, which ends at a blank, ';', ',', '<', '>'
 * or '"': without a full stop, comma or closing bracket after it that is
 * not its own (a ')' closes a '(' inside the URL, as in
 * https://en.wikipedia.org/wiki/Spike_(missile), and is kept). */
size_t sm__url_len(const char *u);

#endif
