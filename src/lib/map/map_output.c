/*
 * map_output.c: map files. Owns PNG encoding (through libpng at zlib level
 * 1: cairo's own PNG writer uses zlib's default level, four times slower on
 * a 4000 x 3000 map for files about a third smaller), the world file and
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
#include <pthread.h>
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
#include <png.h>

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

/* ---- PNG ---------------------------------------------------------------------- */

typedef struct png_err {
    char msg[256];
} png_err;

static void png_error_fn(png_structp png, png_const_charp msg)
{
    png_err *e = png_get_error_ptr(png);
    snprintf(e->msg, sizeof(e->msg), "%s", msg);
    png_longjmp(png, 1);
}

static void png_warn_fn(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/* cairo's ARGB32/RGB24 (native-endian words, premultiplied) to RGB(A)
 * bytes. */
static void convert_row(const uint32_t *src, unsigned char *dst, int w, bool alpha)
{
    for (int x = 0; x < w; x++) {
        uint32_t p = src[x];
        unsigned a = p >> 24, r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
        if (!alpha) {
            dst[0] = (unsigned char)r;
            dst[1] = (unsigned char)g;
            dst[2] = (unsigned char)b;
            dst += 3;
            continue;
        }
        if (a != 0 && a != 255) {
            r = (r * 255 + a / 2) / a;
            g = (g * 255 + a / 2) / a;
            b = (b * 255 + a / 2) / a;
        }
        dst[0] = (unsigned char)r;
        dst[1] = (unsigned char)g;
        dst[2] = (unsigned char)b;
        dst[3] = (unsigned char)a;
        dst += 4;
    }
}

/* ---- the image, band by band --------------------------------------------------- *
 *
 * A 4000 x 3000 map is 48 MB of pixels. It is drawn instead in bands of
 * BAND_ROWS rows into two band images in turn: a worker thread draws band
 * k while the calling thread compresses band k - 1, so drawing and zlib
 * overlap on two cores and the memory is that of two bands (4 MB). Every
 * band draws the whole map under a clip; paths are cut to the band first
 * (sm__paths_to_cairo), markers and labels outside it are skipped. */

#define BAND_ROWS 128
#define SLOTS     2

typedef struct band_pipe {
    sm_map *m;
    int width, height, n_bands;
    bool alpha;
    cairo_surface_t *slot[SLOTS];
    int ready[SLOTS]; /* band held by each slot, -1 none */
    int consumed;     /* bands written */
    bool stop;        /* the writer gave up */
    cairo_status_t failed;
    bool threaded;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} band_pipe;

static cairo_status_t draw_band(band_pipe *p, int k)
{
    cairo_surface_t *s = p->slot[k % SLOTS];
    const sm__view *v = &p->m->view;
    int rows = p->height - k * BAND_ROWS < BAND_ROWS ? p->height - k * BAND_ROWS : BAND_ROWS;
    cairo_t *cr = cairo_create(s);
    cairo_rectangle(cr, 0, 0, p->width, rows);
    cairo_clip(cr);
    cairo_translate(cr, 0, -(double)k * BAND_ROWS);
    cairo_scale(cr, v->dev, v->dev);
    p->m->raster.own_image = s;
    cairo_status_t cs = sm__map_draw(p->m, cr, true, NULL);
    p->m->raster.own_image = NULL;
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return cs;
}

static void *band_worker(void *arg)
{
    band_pipe *p = arg;
    for (int k = 0; k < p->n_bands; k++) {
        pthread_mutex_lock(&p->mu);
        while (!p->stop && k - p->consumed >= SLOTS)
            pthread_cond_wait(&p->cv, &p->mu);
        bool stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop)
            break;
        cairo_status_t cs = draw_band(p, k);
        pthread_mutex_lock(&p->mu);
        if (cs != CAIRO_STATUS_SUCCESS)
            p->failed = cs;
        p->ready[k % SLOTS] = k;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (cs != CAIRO_STATUS_SUCCESS)
            break;
    }
    return NULL;
}

/* Band k, once drawn; NULL when drawing failed. */
static cairo_surface_t *band_get(band_pipe *p, int k)
{
    if (!p->threaded) {
        cairo_status_t cs = draw_band(p, k);
        if (cs != CAIRO_STATUS_SUCCESS)
            p->failed = cs;
        return cs == CAIRO_STATUS_SUCCESS ? p->slot[k % SLOTS] : NULL;
    }
    pthread_mutex_lock(&p->mu);
    while (p->ready[k % SLOTS] != k && p->failed == CAIRO_STATUS_SUCCESS)
        pthread_cond_wait(&p->cv, &p->mu);
    bool ok = p->ready[k % SLOTS] == k;
    pthread_mutex_unlock(&p->mu);
    return ok ? p->slot[k % SLOTS] : NULL;
}

static void band_done(band_pipe *p, int k)
{
    pthread_mutex_lock(&p->mu);
    p->consumed = k + 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

static void band_stop(band_pipe *p)
{
    if (p->threaded) {
        pthread_mutex_lock(&p->mu);
        p->stop = true;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->thread, NULL);
        p->threaded = false;
    }
}

static sm_status write_png(sm_map *m, band_pipe *bp, FILE *f, const char *path)
{
    int w = bp->width, h = bp->height;
    png_err err = {""};
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, &err, png_error_fn, png_warn_fn);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    unsigned char *row = malloc((size_t)w * 4);
    if (png == NULL || info == NULL || row == NULL) {
        png_destroy_write_struct(&png, &info);
        free(row);
        return SM_ERR_NOMEM;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        sm__diag(m->ctx, SM_SEV_ERROR, path, -1, NULL, "path", "PNG: %s", err.msg);
        return SM_ERR_IO;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 bp->alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 1);
    /* No filtering: on a map (large areas of one colour) zlib's fastest
     * level then gives the smallest file too, and libpng's adaptive choice
     * among the five filters would double the time. */
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_uint_32 ppm = (png_uint_32)floor(m->opt.dpi / 0.0254 + 0.5);
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    sm_status st = SM_OK;
    for (int k = 0; k < bp->n_bands; k++) {
        cairo_surface_t *s = band_get(bp, k);
        if (s == NULL) {
            sm__diag(m->ctx, SM_SEV_ERROR, path, -1, NULL, NULL, "cairo: %s",
                     cairo_status_to_string(bp->failed));
            st = SM_ERR_RENDER;
            break;
        }
        const unsigned char *data = cairo_image_surface_get_data(s);
        int stride = cairo_image_surface_get_stride(s);
        int rows = h - k * BAND_ROWS < BAND_ROWS ? h - k * BAND_ROWS : BAND_ROWS;
        for (int y = 0; y < rows; y++) {
            convert_row((const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride), row, w,
                        bp->alpha);
            png_write_row(png, row);
        }
        band_done(bp, k);
        sm__map_progress(m, "writing PNG", 0.7 + 0.3 * (k + 1) / bp->n_bands);
    }
    if (st == SM_OK)
        png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    return st;
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
    const sm__view *v = &m->view;
    band_pipe bp;
    memset(&bp, 0, sizeof(bp));
    bp.m = m;
    bp.width = v->width_px;
    bp.height = v->height_px;
    bp.n_bands = (v->height_px + BAND_ROWS - 1) / BAND_ROWS;
    bp.alpha = m->style.paper.a < 1;
    int rows = v->height_px < BAND_ROWS ? v->height_px : BAND_ROWS;
    bool ok = true;
    for (int i = 0; i < SLOTS; i++) {
        bp.slot[i] = cairo_image_surface_create(bp.alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24,
                                                v->width_px, rows);
        bp.ready[i] = -1;
        ok = ok && cairo_surface_status(bp.slot[i]) == CAIRO_STATUS_SUCCESS;
    }
    if (!ok) {
        for (int i = 0; i < SLOTS; i++)
            cairo_surface_destroy(bp.slot[i]);
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "options.width_px",
                 "cannot make a %d-pixel-wide image (out of memory?)", v->width_px);
        return SM_ERR_NOMEM;
    }
    pthread_mutex_init(&bp.mu, NULL);
    pthread_cond_init(&bp.cv, NULL);
    sm__map_progress(m, "drawing", 0.7);

    sm__out t_png, t_pgw, t_aux;
    memset(&t_png, 0, sizeof(t_png));
    memset(&t_pgw, 0, sizeof(t_pgw));
    memset(&t_aux, 0, sizeof(t_aux));
    t_png.reg = t_pgw.reg = t_aux.reg = -1;
    sm_status st = sm__out_open(ctx, &t_png, path, NULL);
    if (st == SM_OK) {
        bp.threaded = pthread_create(&bp.thread, NULL, band_worker, &bp) == 0;
        st = write_png(m, &bp, t_png.f, path);
        band_stop(&bp);
        st = sm__out_close(ctx, &t_png, st);
    } else {
        sm__out_abort(&t_png);
    }
    for (int i = 0; i < SLOTS; i++)
        cairo_surface_destroy(bp.slot[i]);
    pthread_mutex_destroy(&bp.mu);
    pthread_cond_destroy(&bp.cv);

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
    if (cs == CAIRO_STATUS_NO_MEMORY || svg.failed || svg_out.failed) {
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
