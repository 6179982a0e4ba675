/*
 * report_internal.h: what report.c, report_pdf.c and report_html.c share.
 */
#ifndef SM_REPORT_INTERNAL_H
#define SM_REPORT_INTERNAL_H

#include "internal.h"
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
void sm__strike_facts(const sm_strike *s, char *facts, size_t size);
void sm__aircraft_facts(const sm_aircraft *a, char *facts, size_t size);
void sm__base_facts(const sm_base *b, char *facts, size_t size);
void sm__report_title(const sm_report *r, char *buf, size_t size);
void sm__report_subtitle(const sm_report *r, char *buf, size_t size);
void sm__report_summary(const sm_report *r, char *buf, size_t size);
void sm__finding_text(const sm_report *r, const sm_pair *p, char *buf, size_t size);
size_t sm__method_paragraphs(const sm_report *r, char out[][900], size_t max);
void sm__report_references(const sm_report *r, const sm_aircraft_type **types, size_t *n_types,
                           const sm_weapon **weapons, size_t *n_weapons);

#endif
