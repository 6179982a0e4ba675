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
sm_status sm__report_finish(sm_ctx *ctx, sm__out *t, sm_status st);

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

/* ---- what both reports say about real sizes (report.c) ---- */

/* Above this many decided pairs the report's map leaves the reach rings
 * out (one ring per pair hides the claims) and says so under the map. */
#define SM__REPORT_MAX_RINGS 40
/* Above this many implausible and marginal pairs the key findings speak of
 * each aircraft or launcher rather than of each pair. */
#define SM__REPORT_MAX_FINDINGS 6

/* One row per strike: its listed pairs (r->pairs is in strike order), how
 * many are decided (not unknown), and a pair with the least and one with
 * the most plausible verdict (decided ones first: a strike with one
 * implausible and three unknown pairs is at worst and at best
 * implausible). */
typedef struct sm__strike_row {
    size_t first, n;        /* its listed pairs: r->pairs[first .. first + n) */
    size_t decided;         /* of those, not unknown */
    size_t worst, best;     /* index into r->pairs; SIZE_MAX when none is listed */
    size_t n_worst, n_best; /* pairs sharing that verdict */
} sm__strike_row;
/* malloc'd, one per strike (caller frees); NULL when out of memory (or
 * when there are no strikes: then *ok stays true). */
sm__strike_row *sm__strike_rows_new(const sm_report *r, bool *ok);

/* Whether a claim carries warnings (sm_claim_info.warnings). */
bool sm__flagged(const sm_claim_info *info);
/* Its warnings joined with "; " (malloc'd); NULL when out of memory. */
char *sm__warnings_text_new(const sm_claim_info *info);
/* The pair's warnings (sm_pair_warnings), malloc'd ("" when none). */
char *sm__pair_warnings_new(const sm_pair *p, const sm_claims *claims);
/* Pairs listed with a warning on either claim. */
size_t sm__flagged_pair_count(const sm_report *r, sm_verdict verdict);

/* A finding (sm__finding_text_new) with the warnings on its claims when
 * there are any: a finding never rests on a flagged claim without saying
 * so. malloc'd; NULL when out of memory. */
char *sm__finding_full_new(const sm_report *r, const sm_pair *p);
/* How many claims are flagged and how many plausible verdicts rest on one
 * ("" when none); what the findings say when no pair is implausible or
 * marginal. malloc'd; NULL when out of memory. */
char *sm__flagged_text_new(const sm_report *r);
char *sm__no_findings_text_new(const sm_report *r);

/* The implausible and marginal pairs grouped by the aircraft or launcher
 * said to have made the strikes, for reports with more findings than a page
 * holds: one sentence per group (how many strikes each way, one example,
 * how many rest on a flagged claim), most implausible first. */
typedef struct sm__finding_group {
    size_t example;        /* a pair of the group (an implausible one if any) */
    size_t n_impl, n_marg; /* its implausible and marginal pairs */
    size_t n_flagged;      /* of those, with a warning on either claim */
    sm_verdict verdict;    /* the worst */
    char *text;
} sm__finding_group;
/* malloc'd (*n groups; free with sm__finding_groups_free); NULL with *ok
 * false when out of memory. */
sm__finding_group *sm__finding_groups_new(const sm_report *r, size_t *n, bool *ok);
void sm__finding_groups_free(sm__finding_group *g, size_t n);

/* The undecided pairs counted by why (the engine's SM_MISSING_* record),
 * as one paragraph; malloc'd, NULL when out of memory. */
char *sm__unknown_text_new(const sm_report *r);

/* n bytes of a URL as plain ASCII for a PDF link: every byte outside
 * printable ASCII, and ' \ " < > space, percent-encoded (RFC 3987 3.1),
 * so cairo's attribute string needs no escape. malloc'd; NULL: no memory. */
char *sm__uri_ascii_new(const char *u, size_t n);

/* ---- reference figures (report_refs.c) ---- */

/* One figure of the tables that the listed pairs relied on, with the
 * sentence of the table's source that gives it. */
typedef struct sm__ref_row {
    const char *subject; /* aircraft type or weapon name (borrowed) */
    const char *figure;  /* "top speed", "cruise speed", "combat radius", "range", "mean speed" */
    double value;
    const char *unit; /* "km/h", "km" */
    bool estimate;    /* the source marks it an estimate */
    char *source;     /* what the reader needs of the source (see report_refs.c) */
} sm__ref_row;
/* The rows (malloc'd; *n set); NULL with *n 0 when there are none or when
 * out of memory (then *ok is false). */
sm__ref_row *sm__ref_rows_new(const sm_report *r, size_t *n, bool *ok);
void sm__ref_rows_free(sm__ref_row *rows, size_t n);

#endif
