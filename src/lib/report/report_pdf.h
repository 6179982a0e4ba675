/*
 * report_pdf.h: what the PDF report's two files share: the page cursor,
 * text laid out by Pango, and tables that flow over pages with their
 * header repeated (report_pdf.c); the sections (report_pdf_body.c).
 */
#ifndef SM_REPORT_PDF_H
#define SM_REPORT_PDF_H

#include <pango/pangocairo.h>

#include "report/report_internal.h"

typedef struct sm__rgb {
    double r, g, b;
} sm__rgb;

extern const sm__rgb SM__INK, SM__MUTED, SM__WARN, SM__LINK;
/* The map's verdict colours (Okabe-Ito), indexed by sm_verdict. */
extern const sm__rgb SM__VERDICT[4];

typedef struct sm__doc {
    const sm_report *r;
    cairo_t *cr;
    PangoContext *pc;
    double W, H, left, right, top, bottom, y;
    int page, pages; /* pages: total from the first pass, 0 during it */
    sm_status st;
    const sm__strike_row *rows; /* one per strike */
} sm__doc;

/* Text laid out at size points across width (0: no wrapping), words never
 * hyphenated; caller unrefs. */
PangoLayout *sm__pdf_lay(sm__doc *d, const char *text, double size, bool bold, double width);
double sm__pdf_height(PangoLayout *l);
void sm__pdf_show(sm__doc *d, PangoLayout *l, double x, double y, sm__rgb c);
/* A paragraph at the cursor across the text width. */
void sm__pdf_para(sm__doc *d, const char *text, double size, bool bold, sm__rgb c, double after);
void sm__pdf_heading(sm__doc *d, const char *text);
void sm__pdf_new_page(sm__doc *d);
void sm__pdf_ensure(sm__doc *d, double h);
/* Out of memory while laying out: the first failure is the one reported. */
void sm__pdf_nomem(sm__doc *d, const char *what);

/* A table: columns with widths in fractions of the text width. */
typedef struct sm__pdf_col {
    const char *title;
    double width;
    bool right;
} sm__pdf_col;

/* (fields in the order of the positional initialisers; a few cells a row) */
/* NOLINTNEXTLINE(clang-analyzer-optin.performance.Padding) */
typedef struct sm__pdf_cell {
    const char *text;
    sm__rgb color;
    bool bold;
    const char *uri; /* the whole cell links there (ASCII, sm__uri_ascii_new); NULL: none */
    const char *sub; /* a second, muted line (a label); NULL: none */
    bool one_line;   /* shortened in the middle with an ellipsis rather than wrapped */
} sm__pdf_cell;

typedef struct sm__pdf_table {
    const sm__pdf_col *cols;
    size_t n;
    double size; /* font size, points */
    int rows;    /* rows drawn so far (for the shading) */
} sm__pdf_table;

/* The header row at the cursor. */
void sm__pdf_table_head(sm__doc *d, sm__pdf_table *t);
/* A row at the cursor, on a new page (header repeated) when it does not
 * fit; note: a line across the whole row below its cells (a warning), in
 * note_color; NULL: none. */
void sm__pdf_table_row(sm__doc *d, sm__pdf_table *t, const sm__pdf_cell *cells, const char *note);

/* Sections (report_pdf_body.c). */
void sm__pdf_strikes(sm__doc *d);
void sm__pdf_pairs(sm__doc *d);
void sm__pdf_claims(sm__doc *d);
void sm__pdf_method(sm__doc *d);
/* A source: each URL in it a link, the rest as text, at x across w. */
void sm__pdf_source(sm__doc *d, const char *source, double x, double w);

#endif
