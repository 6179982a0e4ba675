/*
 * report_refs.c: the reference figures a report relied on, as a table a
 * reader can check: one row per figure (top speed, cruise speed, combat
 * radius of each aircraft type; range and mean speed of each weapon), its
 * value and unit, and what the reader needs of the table's `source`.
 *
 * The rule for the source cell. A table's `source` is prose written for
 * the people who keep the table (data/README.md): several sentences, each
 * giving one figure with its citation, and notes on how an estimate was
 * made. The report shows, for each figure, the first sentence of the
 * source that names it (a keyword of the figure: "cruise"; "radius";
 * "range"; "speed" or "Mach" without "cruise" for a top or mean speed),
 * else the source's first sentence; with pointers to the project's own
 * files left out ("(see data/README.md)" dropped from a sentence, a
 * sentence such as "The derivation is in data/README.md." never chosen), and the tables' marker
 * ESTIMATE written as the word "estimate" (the row says "estimate" beside the value too). Sentences
 * end at a full stop followed by a blank and a capital or digit, never inside brackets. Calls
 * nothing above report/.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

/* Case-insensitive search for an ASCII word. */
static const char *find_ci(const char *s, size_t n, const char *word)
{
    size_t m = strlen(word);
    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m && tolower((unsigned char)s[i + k]) == tolower((unsigned char)word[k]))
            k++;
        if (k == m)
            return s + i;
    }
    return NULL;
}

/* The end of the sentence starting at s (one past its full stop). */
static const char *sentence_end(const char *s)
{
    int depth = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '(' || *p == '[')
            depth++;
        else if ((*p == ')' || *p == ']') && depth > 0)
            depth--;
        else if (*p == '.' && depth == 0 &&
                 (p[1] == '\0' ||
                  (p[1] == ' ' && (isupper((unsigned char)p[2]) || isdigit((unsigned char)p[2])))))
            return p + 1;
    }
    return s + strlen(s);
}

/* A sentence that points at our own files ("The derivation is in
 * data/README.md."), beyond the "(see data/README.md)" that is dropped. */
static bool pointer_only(const char *s, size_t n)
{
    const char *see = find_ci(s, n, "(see data/README.md)");
    const char *any = find_ci(s, n, "README");
    return any != NULL && (see == NULL || find_ci(see + 20, n - (size_t)(see + 20 - s), "README"));
}

static bool wanted(const char *s, size_t n, const char *figure)
{
    if (pointer_only(s, n))
        return false;
    if (strcmp(figure, "cruise speed") == 0)
        return find_ci(s, n, "cruise") != NULL;
    if (strcmp(figure, "combat radius") == 0)
        return find_ci(s, n, "radius") != NULL;
    if (strcmp(figure, "range") == 0)
        return find_ci(s, n, "range") != NULL;
    /* top speed, mean speed */
    return (find_ci(s, n, "speed") != NULL || find_ci(s, n, "mach") != NULL) &&
           find_ci(s, n, "cruise") == NULL;
}

/* The sentence for a figure, cleaned (malloc'd); *estimate set. */
static char *source_for(const char *source, const char *figure, bool *estimate)
{
    const char *text = source ? source : "";
    const char *pick = NULL, *pick_end = NULL, *first = NULL, *first_end = NULL;
    for (const char *s = text; *s;) {
        while (*s == ' ')
            s++;
        const char *e = sentence_end(s);
        if (e == s)
            break;
        if (first == NULL && !pointer_only(s, (size_t)(e - s))) {
            first = s;
            first_end = e;
        }
        if (wanted(s, (size_t)(e - s), figure)) {
            pick = s;
            pick_end = e;
            break;
        }
        s = e;
    }
    if (pick == NULL) {
        pick = first ? first : text;
        pick_end = first ? first_end : text + strlen(text);
    }
    *estimate = find_ci(pick, (size_t)(pick_end - pick), "ESTIMATE") != NULL;
    sm__sbuf b = {0};
    for (const char *p = pick; p < pick_end;) {
        if (strncmp(p, " (see data/README.md)", 21) == 0) {
            p += 21;
            continue;
        }
        if (strncmp(p, "ESTIMATE", 8) == 0) {
            sm__sbuf_put(&b, p == pick ? "Estimate" : "estimate", 8);
            p += 8;
            continue;
        }
        sm__sbuf_put(&b, p, 1);
        p++;
    }
    sm__sbuf_put(&b, "", 0);
    if (b.failed) {
        sm__sbuf_free(&b);
        return NULL;
    }
    return b.s;
}

static bool add(sm__ref_row **rows, size_t *n, size_t *cap, const char *subject, const char *figure,
                double value, const char *unit, const char *source)
{
    if (!isfinite(value))
        return true; /* the table has no such figure */
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        sm__ref_row *p = realloc(*rows, c * sizeof(**rows));
        if (p == NULL)
            return false;
        *rows = p;
        *cap = c;
    }
    sm__ref_row *row = &(*rows)[*n];
    row->subject = subject;
    row->figure = figure;
    row->value = value;
    row->unit = unit;
    row->source = source_for(source, figure, &row->estimate);
    if (row->source == NULL)
        return false;
    (*n)++;
    return true;
}

sm__ref_row *sm__ref_rows_new(const sm_report *r, size_t *n, bool *ok)
{
    *n = 0;
    *ok = true;
    size_t nt = sm_tables_aircraft_count(r->ctx), nw = sm_tables_weapon_count(r->ctx);
    /* arrays of pointers: sizeof(*types) is a pointer's size, as meant */
    const sm_aircraft_type **types =
        calloc(nt + 1, sizeof(*types)); /* NOLINT(bugprone-sizeof-expression) */
    const sm_weapon **weapons =
        calloc(nw + 1, sizeof(*weapons)); /* NOLINT(bugprone-sizeof-expression) */
    sm__ref_row *rows = NULL;
    size_t cap = 0;
    bool good = types != NULL && weapons != NULL;
    if (good)
        sm__report_references(r, types, &nt, weapons, &nw);
    for (size_t i = 0; good && i < nt; i++) {
        const sm_aircraft_type *t = types[i];
        good =
            add(&rows, n, &cap, t->type, "top speed", t->max_speed_kmh, "km/h", t->source) &&
            add(&rows, n, &cap, t->type, "cruise speed", t->cruise_speed_kmh, "km/h", t->source) &&
            add(&rows, n, &cap, t->type, "combat radius", t->combat_radius_km, "km", t->source);
    }
    for (size_t i = 0; good && i < nw; i++) {
        const sm_weapon *w = weapons[i];
        good = add(&rows, n, &cap, w->name, "range", w->range_km, "km", w->source) &&
               add(&rows, n, &cap, w->name, "mean speed", w->speed_kmh, "km/h", w->source);
    }
    free(types);
    free(weapons);
    if (!good) {
        sm__ref_rows_free(rows, *n);
        *n = 0;
        *ok = false;
        return NULL;
    }
    return rows;
}

void sm__ref_rows_free(sm__ref_row *rows, size_t n)
{
    for (size_t i = 0; rows != NULL && i < n; i++)
        free(rows[i].source);
    free(rows);
}
