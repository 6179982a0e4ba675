/*
 * kml.c: what Google Earth shows of a verdict beyond its fields (KML and
 * KMZ, through GDAL's LIBKML driver): each line's name ("STRIKE <- FIX:
 * verdict"), its reasons as the description, a line style coloured by
 * verdict (the map's colours, docs/render.md: plausible #0072b2, marginal
 * #e69f00, implausible #d55e00, unknown #8c8c8c; implausible drawn wider)
 * and a TimeSpan from the earlier to the later of the two claimed times, so
 * Google Earth's time slider shows each pair when it could have happened.
 * LIBKML writes the fields named name, description, begin and end as
 * those KML elements (its defaults; LIBKML_NAME_FIELD and the like).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ogr_api.h>

#include "output/output_internal.h"

enum { K_NAME, K_DESCRIPTION, K_BEGIN, K_END, K_COUNT };

static const struct {
    const char *name;
    OGRFieldType type;
} g_kml_fields[K_COUNT] = {
    [K_NAME] = {"name", OFTString},
    [K_DESCRIPTION] = {"description", OFTString},
    [K_BEGIN] = {"begin", OFTDateTime},
    [K_END] = {"end", OFTDateTime},
};

bool sm__kml_fields(void *layer)
{
    bool ok = true;
    for (int k = 0; k < K_COUNT && ok; k++) {
        OGRFieldDefnH fd = OGR_Fld_Create(g_kml_fields[k].name, g_kml_fields[k].type);
        ok = OGR_L_CreateField(layer, fd, TRUE) == OGRERR_NONE;
        OGR_Fld_Destroy(fd);
    }
    return ok;
}

/* An instant (UTC) into a DateTime field. */
static void set_utc(OGRFeatureH f, int i, double t)
{
    time_t s = (time_t)floor(t);
    struct tm tm;
    if (gmtime_r(&s, &tm) != NULL)
        OGR_F_SetFieldDateTimeEx(f, i, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                                 tm.tm_min, (float)tm.tm_sec, 100);
}

bool sm__kml_feature(void *feature, const sm_pair *p, const sm_claims *claims, const row *r)
{
    OGRFeatureH f = feature;
    int base = X_COUNT;
    static const char *const colours[] = {
        [SM_VERDICT_UNKNOWN] = "#8c8c8c",
        [SM_VERDICT_PLAUSIBLE] = "#0072b2",
        [SM_VERDICT_MARGINAL] = "#e69f00",
        [SM_VERDICT_IMPLAUSIBLE] = "#d55e00",
    };
    char style[64];
    snprintf(style, sizeof(style), "PEN(c:%s,w:%dpx)", colours[p->verdict & 3],
             p->verdict == SM_VERDICT_IMPLAUSIBLE ? 4 : 2);
    OGR_F_SetStyleString(f, style);
    const char *strike = r->v[X_STRIKE].str, *by = r->v[X_AIRCRAFT].str;
    const char *verdict = sm_verdict_str(p->verdict);
    size_t n = strlen(strike) + strlen(by) + strlen(verdict) + 16;
    char *name = malloc(n);
    if (name == NULL)
        return false;
    snprintf(name, n, "%s \xe2\x86\x90 %s: %s", strike, by, verdict); /* U+2190 left arrow */
    OGR_F_SetFieldString(f, base + K_NAME, name);
    free(name);
    OGR_F_SetFieldString(f, base + K_DESCRIPTION, r->v[X_REASONS].str);
    /* the span from the earlier claimed time to the later */
    const sm_when *ws = &sm_claims_strike(claims, p->strike)->when;
    sm__party a;
    sm__pair_party(p, claims, &a);
    const sm_when *wf = a.has_pos && a.when != NULL && a.when->known ? a.when : NULL;
    if (ws->known || wf != NULL) {
        double lo = ws->known ? ws->start : wf->start, hi = ws->known ? ws->end : wf->end;
        if (wf != NULL) {
            lo = fmin(lo, wf->start);
            hi = fmax(hi, wf->end);
        }
        set_utc(f, base + K_BEGIN, lo);
        set_utc(f, base + K_END, hi);
    }
    return true;
}
