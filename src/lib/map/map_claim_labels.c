/*
 * map_claim_labels.c: the claims' labels (the "labels" part): one block
 * for the claims at each point, their languages (" / " in a label) on
 * lines of their own, a crowd cut to SM__MAP_BLOCK_LINES lines with
 * "+ N more claims here", a shorter fallback, and at most
 * SM__MAP_MAX_CLAIM_LABELS blocks, the claims in a drawn pair first (a
 * warning names what is left out).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/map_internal.h"

static int cmp_items(const void *a, const void *b)
{
    const sm__label_item *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    if (x->y != y->y)
        return x->y < y->y ? -1 : 1;
    if (x->x != y->x)
        return x->x < y->x ? -1 : 1;
    if (x->priority != y->priority)
        return x->priority - y->priority;
    return strcmp(x->label, y->label);
}

/* Append the lines of a claim's label (" / " separates languages) that
 * the block does not have yet. The cuts are at ASCII separators, so at
 * character boundaries. */
static void append_lines(sm__sbuf *buf, const char *label)
{
    const char *p = label;
    while (*p) {
        const char *sep = strstr(p, " / ");
        size_t len = sep ? (size_t)(sep - p) : strlen(p);
        bool have = false;
        const char *text = sm__sbuf_str(buf);
        for (const char *q = text; *q && !have;) {
            const char *e = strchr(q, '\n');
            size_t ql = e ? (size_t)(e - q) : strlen(q);
            have = ql == len && strncmp(q, p, ql) == 0;
            q = e ? e + 1 : q + ql;
        }
        if (!have && len > 0) {
            if (buf->len > 0)
                sm__sbuf_put(buf, "\n", 1);
            sm__sbuf_put(buf, p, len);
        }
        if (!sep)
            break;
        p = sep + 3;
    }
}

/* The end of the block of claims at item i's point (items sorted). */
static size_t block_end(const sm__label_item *it, size_t n, size_t i)
{
    size_t j = i + 1;
    while (j < n && it[j].kind == it[i].kind && fabs(it[j].x - it[i].x) < 1.0 &&
           fabs(it[j].y - it[i].y) < 1.0)
        j++;
    return j;
}

/* A block: its first item and its best (lowest) priority. */
typedef struct block_rank {
    size_t first;
    int prio;
} block_rank;

static int cmp_block_rank(const void *a, const void *b)
{
    const block_rank *x = a, *y = b;
    if (x->prio != y->prio)
        return x->prio - y->prio;
    return (x->first > y->first) - (x->first < y->first);
}

/* Which blocks are laid out when there are more than
 * SM__MAP_MAX_CLAIM_LABELS: the claims in a drawn pair first (priority),
 * then in reading order, not the top of the map first. chosen[i] for the
 * block starting at item i; NULL when all are. False when out of memory. */
static bool choose_blocks(const sm__label_item *it, size_t n, unsigned char **chosen)
{
    *chosen = NULL;
    size_t nb = 0;
    for (size_t i = 0; i < n; i = block_end(it, n, i))
        nb++;
    if (nb <= SM__MAP_MAX_CLAIM_LABELS)
        return true;
    block_rank *br = malloc(nb * sizeof(*br));
    unsigned char *ch = calloc(n + 1, 1);
    if (br == NULL || ch == NULL) {
        free(br);
        free(ch);
        return false;
    }
    size_t k = 0;
    for (size_t i = 0, j; i < n; i = j) {
        j = block_end(it, n, i);
        int prio = it[i].priority;
        for (size_t q = i; q < j; q++)
            prio = it[q].priority < prio ? it[q].priority : prio;
        br[k].first = i;
        br[k++].prio = prio;
    }
    qsort(br, nb, sizeof(*br), cmp_block_rank);
    for (size_t b = 0; b < SM__MAP_MAX_CLAIM_LABELS; b++)
        ch[br[b].first] = 1;
    free(br);
    *chosen = ch;
    return true;
}

/* The label blocks of the claims, one for the claims at each point.
 * Returns false when out of memory. */
static bool build_claim_labels(sm_map *m, sm__vec *items)
{
    sm__label_item *it = items->data;
    size_t n = items->len;
    if (n > 1)
        qsort(it, n, sizeof(*it), cmp_items);
    unsigned char *chosen;
    if (!choose_blocks(it, n, &chosen)) {
        sm__map_nomem(m, "claim labels");
        return false;
    }
    size_t made = 0, left_out = 0;
    sm__sbuf text = {0}, shorter = {0};
    for (size_t i = 0; i < n;) {
        size_t j = block_end(it, n, i);
        text.len = shorter.len = 0;
        if (text.s != NULL)
            text.s[0] = '\0';
        if (shorter.s != NULL)
            shorter.s[0] = '\0';
        int prio = it[i].priority;
        size_t lines = 0;
        for (size_t k = i; k < j; k++) {
            prio = it[k].priority < prio ? it[k].priority : prio;
            append_lines(&text, it[k].label);
        }
        for (const char *q = sm__sbuf_str(&text); *q; q++)
            lines += *q == '\n';
        /* Times once per block, after the names. */
        for (size_t k = i; k < j; k++)
            if (it[k].extra[0] && strstr(sm__sbuf_str(&text), it[k].extra) == NULL)
                sm__sbuf_printf(&text, "%s%s", text.len ? "\n" : "", it[k].extra);
        if (lines > SM__MAP_BLOCK_LINES && !text.failed) {
            /* Cut a crowd of claims at one point to its first lines (at a
             * line break, so at a character boundary). */
            char *q = text.s;
            for (int l = 0; l < SM__MAP_BLOCK_LINES - 1 && q; l++) {
                q = strchr(q, '\n');
                if (q)
                    q++;
            }
            if (q) {
                text.len = (size_t)(q - text.s);
                *q = '\0';
                sm__sbuf_printf(&text, "+ %zu more claims here", j - i > 1 ? j - i - 1 : 1);
            }
        }
        if (text.failed)
            break;
        if (text.len > 0 && (made >= SM__MAP_MAX_CLAIM_LABELS || (chosen != NULL && !chosen[i]))) {
            left_out++;
        } else if (text.len > 0) {
            sm__label *lb = sm__label_add(m, text.s, it[i].kind, prio, it[i].x, it[i].y, it[i].r);
            if (lb == NULL)
                break;
            lb->leader_ok = true;
            made++;
            /* The fallback: each claim's first language only, at most
             * three claims. */
            for (size_t k = i; k < j && k < i + 3; k++) {
                size_t len = strcspn(it[k].label, "\n");
                const char *sep = strstr(it[k].label, " / ");
                if (sep != NULL && (size_t)(sep - it[k].label) < len)
                    len = (size_t)(sep - it[k].label);
                if (shorter.len > 0)
                    sm__sbuf_put(&shorter, "\n", 1);
                sm__sbuf_put(&shorter, it[k].label, len);
            }
            if (j - i > 3)
                sm__sbuf_printf(&shorter, "\n+ %zu more", j - i - 3);
            if (shorter.failed)
                break;
            if (strcmp(sm__sbuf_str(&shorter), text.s) != 0) {
                lb->short_text = strdup(sm__sbuf_str(&shorter));
                if (lb->short_text == NULL) {
                    sm__map_nomem(m, "claim labels");
                    break;
                }
            }
        }
        i = j;
    }
    bool ok = !text.failed && !shorter.failed && m->status == SM_OK;
    free(chosen);
    sm__sbuf_free(&text);
    sm__sbuf_free(&shorter);
    if (!ok) {
        sm__map_nomem(m, "claim labels");
        return false;
    }
    if (left_out > 0)
        sm__diag(
            m->ctx, SM_SEV_WARNING, NULL, -1, NULL, "labels",
            "%zu claim labels left out: a map lays out at most %d (a smaller options.bbox shows "
            "fewer claims)",
            left_out, SM__MAP_MAX_CLAIM_LABELS);
    return true;
}

bool sm__claims_add_item(sm_map *m, double x, double y, double r, int kind, int prio,
                         const char *label, const char *extra)
{
    sm__label_item *li = sm__vec_push(&m->cl.items);
    if (li == NULL) {
        sm__map_nomem(m, "claim labels");
        return false;
    }
    li->x = x;
    li->y = y;
    li->r = r;
    li->kind = kind;
    li->priority = prio;
    li->label = label;
    /* a time written by format_when: always fits */
    snprintf(li->extra, sizeof(li->extra), "%s", extra ? extra : "");
    return true;
}

void sm__claim_labels_build(sm_map *m, int stage)
{
    if (stage != SM__STAGE_LABELS || m->status != SM_OK || !(m->show & SM_MAP_LABELS))
        return;
    build_claim_labels(m, &m->cl.items);
}
