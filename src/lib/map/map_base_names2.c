/*
 * map_base_names2.c: the "base-names-2" part: a base's name in its second
 * script. A claim's label gives its languages separated by " / " ("Hmeimim
 * AB / قاعدة حميميم / Хмеймим"); this part writes the second of them (the
 * first that is not Latin script, else the second) as a label of its own
 * beside the base, in the base-label colour, so that a map with --no-labels
 * can carry the names in Arabic or Cyrillic alone. A base whose label has
 * one language gets none.
 */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "map/map_base_names2.h"
#include "map/map_internal.h"

/* Does the text hold a letter outside ASCII (Arabic, Cyrillic, ...)? */
static bool non_latin(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return true;
    return false;
}

/* The second name of a label: the first part after " / " in another script
 * than Latin, else the second part; *n its length (0: none). The cut is at
 * an ASCII separator, so at a character boundary. */
static const char *second_name(const char *label, size_t *n)
{
    const char *first = NULL;
    size_t first_n = 0;
    const char *p = strstr(label, " / ");
    while (p != NULL) {
        p += 3;
        const char *e = strstr(p, " / ");
        size_t len = e != NULL ? (size_t)(e - p) : strlen(p);
        if (len > 0 && first == NULL) {
            first = p;
            first_n = len;
        }
        if (len > 0 && non_latin(p, len)) {
            *n = len;
            return p;
        }
        p = e;
    }
    *n = first_n;
    return first;
}

void sm__base_names2_build(sm_map *m, int stage)
{
    if (stage != SM__STAGE_LABELS || !sm__map_shows(m, SM__PART_BASE_NAMES_2))
        return;
    for (size_t i = 0; i < sm_claims_base_count(m->claims) && m->status == SM_OK; i++) {
        const sm_base *b = sm_claims_base(m->claims, i);
        size_t n = 0;
        const char *name = b->info.label != NULL ? second_name(b->info.label, &n) : NULL;
        double q[2] = {b->lon, b->lat};
        sm__to_canvas(m, q, 1);
        if (name == NULL || n == 0 || n > INT_MAX || q[0] == HUGE_VAL ||
            !sm__in_panel(m, q[0], q[1], 0))
            continue;
        char *text = sm__map_strfmt(m, "%.*s", (int)n, name);
        /* after the claims' own labels (20-60), beside the base marker */
        sm__label *lb = text != NULL ? sm__label_add(m, text, SM__LABEL_BASE, 70, q[0], q[1],
                                                     m->style.base_size / 2 * 1.15)
                                     : NULL;
        if (lb != NULL)
            lb->leader_ok = true;
    }
}
