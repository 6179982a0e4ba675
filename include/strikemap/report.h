/*
 * strikemap/report.h: reports a newsroom can publish (SPEC §5): the map,
 * the verdict table, each claim with its source, and the method, as a
 * multi-page PDF (cairo, fonts embedded, the map as vectors) or as one
 * self-contained HTML file (the map as inline SVG, clickable; a sortable
 * verdict table; no external requests; readable without JavaScript).
 */
#ifndef STRIKEMAP_REPORT_H
#define STRIKEMAP_REPORT_H

#include "map.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sm_paper {
    SM_PAPER_A4 = 0,    /* 210 x 297 mm */
    SM_PAPER_LETTER = 1 /* 8.5 x 11 in */
} sm_paper;

/* "a4" or "letter" (any case); false when neither. */
bool sm_paper_parse(const char *name, sm_paper *out);

/* Zero-initialise, then set what you need. */
typedef struct sm_report_options {
    const char *title;    /* NULL: the map's default title */
    const char *subtitle; /* NULL: claims, time span and verdicts */
    sm_paper paper;       /* PDF page size */
    /* Options of the map (its title and subtitle are the report's; its size
     * is set by the page). */
    sm_map_options map;
    /* Which pairs, when no check is passed (zero: the attributed pairs). */
    sm_check_options check;
} sm_report_options;

/* Write the report for claims (and check, or the pairs options->check asks
 * for when check is NULL) to path: ".pdf" or ".html" (".htm"). Written to a
 * temporary file beside path and renamed, so an existing report is replaced
 * whole or not at all. The same input gives the same bytes (set
 * SOURCE_DATE_EPOCH to date a PDF). Errors are diagnostics on ctx. */
sm_status sm_report_write(sm_ctx *ctx, const sm_claims *claims, const sm_check *check,
                          const sm_report_options *options, const char *path);

#ifdef __cplusplus
}
#endif
#endif
