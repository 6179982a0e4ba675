/*
 * map_output.c: map files. Owns the PNG's files (the image itself is drawn
 * and compressed in map_png.c at zlib level 1: cairo's own PNG writer uses
 * zlib's default level, four times slower on a 4000 x 3000 map for files
 * about a third smaller), the world file and
 * the PAM .aux.xml that carry the georeferencing and the CRS, SVG and PDF
 * through cairo, and writing every file to a temporary name in the same
 * folder and renaming it, so that an existing file is replaced whole or
 * not at all.
 *
 * Same input, same bytes: no time stamps in the PNG; the PDF's creation
 * date is SOURCE_DATE_EPOCH when set and otherwise left out (cairo would
 * write the current time); cairo's SVG and PDF ids are per document.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <ogr_srs_api.h>

#include "map/map_internal.h"
#include "map/map_svg.h"

/* Creator, title and dates of a PDF: the date is SOURCE_DATE_EPOCH when
 * set, and otherwise left out (an empty date makes cairo omit it rather
 * than write "now"), so the same input gives the same bytes. */
void sm__pdf_metadata(cairo_surface_t *s, const char *title)
{
    char date[32] = "";
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde != NULL && *sde) {
        char *end;
        long long secs = strtoll(sde, &end, 10);
        time_t tt = (time_t)secs;
        struct tm tm;
        if (*end == '\0' && gmtime_r(&tt, &tm) != NULL)
            strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
    char creator[64];
    snprintf(creator, sizeof(creator), "strikemap %s", sm_version());
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, creator);
    if (title != NULL)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
}

static void xml_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* Which CRS axis the image's x and y are, as GDAL itself works it out for
 * a CRS read with the traditional GIS order (lon/lat, easting/northing):
 * "2,1" for a CRS whose first axis is latitude or northing. Asking OSR
 * rather than guessing from axis directions matters for polar CRSs, whose
 * axes both point "south" towards some meridian. */
static const char *axis_mapping(const char *wkt)
{
    static const char *const maps[2] = {"1,2", "2,1"};
    int swap = 0;
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    if (srs != NULL && OSRImportFromWkt(srs, (char **)(void *)&wkt) == OGRERR_NONE) {
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
        int n = 0;
        const int *map = OSRGetDataAxisToSRSAxisMapping(srs, &n);
        swap = n >= 2 && map[0] == 2 && map[1] == 1;
    }
    if (srs != NULL)
        OSRDestroySpatialReference(srs);
    return maps[swap];
}

static sm_status render_png(sm_map *m, const char *path)
{
    sm_ctx *ctx = m->ctx;
    sm__map_progress(m, "drawing", 0.7);
    sm__out t_png, t_pgw, t_aux;
    memset(&t_png, 0, sizeof(t_png));
    memset(&t_pgw, 0, sizeof(t_pgw));
    memset(&t_aux, 0, sizeof(t_aux));
    t_png.reg = t_pgw.reg = t_aux.reg = -1;
    sm_status st = sm__out_open(ctx, &t_png, path, NULL);
    if (st == SM_OK) {
        st = sm__png_write(m, t_png.f, path);
        st = sm__out_close(ctx, &t_png, st);
    } else {
        sm__out_abort(&t_png);
    }

    /* Written straight to standard output or a device, a PNG has no
     * place for side files. */
    bool sides = st == SM_OK && !t_png.direct;
    double gt[6];
    sm_map_geotransform(m, gt);
    if (sides) {
        /* World file: OUT.pgw beside OUT.png (ESRI's rule: first and last
         * letters of the extension, then "w"). */
        const char *dot = strrchr(path, '.');
        char *side = sm__strfmt("%.*s.%cgw", (int)(dot - path), path, dot[1]);
        st = side ? sm__out_open(ctx, &t_pgw, side, NULL) : SM_ERR_NOMEM;
        if (st == SM_OK) {
            /* the centre of the top-left pixel */
            fprintf(t_pgw.f, "%.17g\n%.17g\n%.17g\n%.17g\n%.17g\n%.17g\n", gt[1], gt[4], gt[2],
                    gt[5], gt[0] + gt[1] / 2, gt[3] + gt[5] / 2);
            st = sm__out_close(ctx, &t_pgw, SM_OK);
        } else if (side == NULL) {
            sm__nomem(ctx, path, -1, NULL, NULL);
        }
        free(side);
    }
    if (sides && st == SM_OK) {
        char *side = sm__strfmt("%s.aux.xml", path);
        st = side ? sm__out_open(ctx, &t_aux, side, NULL) : SM_ERR_NOMEM;
        if (st == SM_OK) {
            FILE *f = t_aux.f;
            fprintf(f, "<PAMDataset>\n  <SRS dataAxisToSRSAxisMapping=\"%s\">",
                    axis_mapping(sm_map_crs_wkt(m)));
            xml_escape(f, sm_map_crs_wkt(m));
            fprintf(f,
                    "</SRS>\n  <GeoTransform>%.17g, %.17g, %.17g, %.17g, %.17g, "
                    "%.17g</GeoTransform>\n</PAMDataset>\n",
                    gt[0], gt[1], gt[2], gt[3], gt[4], gt[5]);
            st = sm__out_close(ctx, &t_aux, SM_OK);
        } else if (side == NULL) {
            sm__nomem(ctx, path, -1, NULL, NULL);
        }
        free(side);
    }
    /* Every file is complete before any is renamed; then the three are
     * replaced as one set (files.c): all of them, or none. */
    if (st == SM_OK) {
        sm__out *set[3] = {&t_png, &t_pgw, &t_aux};
        st = sm__out_commit_set(ctx, set, sides ? 3 : 1);
    }
    sm__out_abort(&t_png);
    sm__out_abort(&t_pgw);
    sm__out_abort(&t_aux);
    return st;
}

/* ---- SVG and PDF ------------------------------------------------------------------ */

static cairo_status_t write_stream(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static cairo_status_t to_sbuf(void *closure, const unsigned char *data, unsigned int len)
{
    return sm__sbuf_put(closure, (const char *)data, len) ? CAIRO_STATUS_SUCCESS
                                                          : CAIRO_STATUS_NO_MEMORY;
}

/* Draw the map on a vector surface: a PDF straight to f; an SVG into
 * memory, its text and groups collected (map_svg.c), then to f. */
static sm_status draw_vector(sm_map *m, const char *path, bool pdf, FILE *f)
{
    sm_ctx *ctx = m->ctx;
    sm__sbuf svg_out = {0};
    sm__svg svg;
    sm__svg_init(&svg);
    cairo_surface_t *s;
    if (pdf) {
        s = cairo_pdf_surface_create_for_stream(write_stream, f, m->view.W, m->view.H);
        sm__pdf_metadata(s, m->furn.title != NULL ? pango_layout_get_text(m->furn.title) : NULL);
    } else {
        s = cairo_svg_surface_create_for_stream(to_sbuf, &svg_out, m->view.W, m->view.H);
    }
    cairo_t *cr = cairo_create(s);
    cairo_status_t cs = sm__map_draw(m, cr, false, pdf ? NULL : &svg);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(s);
    cairo_surface_destroy(s);
    sm_status st = SM_OK;
    if (m->cl.smarks.failed) {
        st = sm__smarks_status(m, path);
    } else if (cs == CAIRO_STATUS_NO_MEMORY || svg.failed || svg_out.failed) {
        st = sm__nomem(ctx, path, -1, NULL, "drawing the map");
    } else if (cs == CAIRO_STATUS_WRITE_ERROR && ferror(f)) {
        st = SM_ERR_IO; /* sm__out_close says why */
    } else if (cs != CAIRO_STATUS_SUCCESS) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "path", "%s: %s", pdf ? "PDF" : "SVG",
                 cairo_status_to_string(cs));
        st = cs == CAIRO_STATUS_WRITE_ERROR ? SM_ERR_IO : SM_ERR_RENDER;
    } else if (!pdf && !sm__svg_write(&svg, sm__sbuf_str(&svg_out), svg_out.len, f)) {
        st = sm__nomem(ctx, path, -1, NULL, "the SVG's text");
    }
    sm__svg_free(&svg);
    sm__sbuf_free(&svg_out);
    return st;
}

static sm_status render_vector(sm_map *m, const char *path, bool pdf)
{
    sm_ctx *ctx = m->ctx;
    sm__out t;
    sm_status st = sm__out_open(ctx, &t, path, NULL);
    if (st != SM_OK)
        return st;
    st = draw_vector(m, path, pdf, t.f);
    st = sm__out_close(ctx, &t, st);
    if (st == SM_OK)
        st = sm__out_commit(ctx, &t);
    sm__out_abort(&t);
    return st;
}

sm_status sm_map_write(sm_map *m, const char *path)
{
    if (m == NULL || path == NULL || !path[0])
        return SM_ERR_USAGE;
    sm_status refused = sm__out_refuse_inputs(m->ctx, path, m->claims);
    if (refused != SM_OK)
        return refused;
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot == NULL || (slash != NULL && dot < slash)) {
        sm__diag(m->ctx, SM_SEV_ERROR, path, -1, NULL, "path",
                 "the output's extension picks the format: .png, .svg or .pdf");
        return SM_ERR_USAGE;
    }
    sm_status st;
    if (strcasecmp(dot, ".png") == 0)
        st = render_png(m, path);
    else if (strcasecmp(dot, ".svg") == 0)
        st = render_vector(m, path, false);
    else if (strcasecmp(dot, ".pdf") == 0)
        st = render_vector(m, path, true);
    else {
        sm__diag(m->ctx, SM_SEV_ERROR, path, -1, NULL, "path",
                 "\"%s\" is not a map format: use .png, .svg or .pdf", dot);
        return SM_ERR_USAGE;
    }
    if (st == SM_OK)
        sm__map_progress(m, "done", 1.0);
    return st;
}
