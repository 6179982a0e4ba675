/*
 * report_html.h: what the HTML report's files share: escaping, sources as
 * links and claim anchors (report_html.c), the map with its overlay of hot
 * spots (report_html_map.c), and the page's style and script
 * (report_html_assets.c).
 */
#ifndef SM_REPORT_HTML_H
#define SM_REPORT_HTML_H

#include <stdio.h>

#include "report/report_internal.h"

/* Text escaped for HTML (n bytes, stopping early at a NUL). */
void sm__html_esc(FILE *f, const char *s);
void sm__html_esc_n(FILE *f, const char *s, size_t n);
/* A source as text with every URL in it a link, in a <p class="source">,
 * after "Source: " when label. */
void sm__html_source(FILE *f, const char *source, bool label);
/* The anchor of a claim: by kind ('s', 'a', 'b', 'l') and index, since ids
 * may hold anything. */
void sm__html_anchor(char *buf, size_t n, char kind, size_t index);

/* A claim with a hot spot on the map: kind ('s', 'a', 'b', 'l') and index. */
typedef struct sm__html_ref {
    char kind;
    size_t index;
} sm__html_ref;

/* Claims drawn at one spot of the map (within a marker of each other): one
 * hot spot for them all, whose list is written under the claims. */
typedef struct sm__html_spot {
    double x, y;     /* canvas position */
    size_t first, n; /* its claims: refs[first .. first + n) */
} sm__html_spot;

typedef struct sm__html_spots {
    sm__html_spot *spots;
    size_t n;
    sm__html_ref *refs;
} sm__html_spots;

/* The map (inline SVG, its root scaled with the page) and the overlay of
 * hot spots and pair lines; spots is filled for the list under the claims.
 * Returns SM_OK or the error (a diagnostic is on ctx). */
sm_status sm__html_map(const sm_report *r, FILE *f, sm__html_spots *spots);
void sm__html_spots_free(sm__html_spots *spots);
/* The lists of claims at a spot (for the page without JavaScript). */
void sm__html_spot_lists(const sm_report *r, FILE *f, const sm__html_spots *spots);

/* The style and the script, in pieces (a C compiler need not take a
 * string over 4,095 bytes), NULL-terminated. */
extern const char *const sm__html_css[];
extern const char *const sm__html_js[];
void sm__html_puts(FILE *f, const char *const *pieces);

#endif
