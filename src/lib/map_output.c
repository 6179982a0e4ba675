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

#include "map_internal.h"

/* ---- temporary files -------------------------------------------------------- */

typedef struct tmpfile_t {
    char final[4096];
    char tmp[4200];
    FILE *f;
} tmpfile_t;

static sm_status tmp_open(sm_ctx *ctx, tmpfile_t *t, const char *path)
{
    memset(t, 0, sizeof(*t));
    if (strlen(path) >= sizeof(t->final)) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "-o", "path too long");
        return SM_ERR_USAGE;
    }
    snprintf(t->final, sizeof(t->final), "%s", path);
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        snprintf(t->tmp, sizeof(t->tmp), ".%s.XXXXXX", path);
    else
        snprintf(t->tmp, sizeof(t->tmp), "%.*s/.%s.XXXXXX", (int)(slash - path), path,
                 slash + 1);
    /* A fresh name beside the target (same file system, so rename is
     * atomic), created exclusively with the mode umask gives any file. */
    static unsigned counter;
    size_t base_len = strlen(t->tmp) - 6;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(t->tmp + base_len, sizeof(t->tmp) - base_len, "%ld-%u.tmp", (long)getpid(),
                 counter++);
        fd = open(t->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "-o", "cannot write here: %s",
                 strerror(errno));
        t->tmp[0] = '\0';
        return SM_ERR_IO;
    }
    t->f = fdopen(fd, "wb");
    if (t->f == NULL) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "-o", "cannot write here: %s",
                 strerror(errno));
        close(fd);
        unlink(t->tmp);
        t->tmp[0] = '\0';
        return SM_ERR_IO;
    }
    return SM_OK;
}

/* Flush and close; on any error so far remove the temporary. */
static sm_status tmp_close(sm_ctx *ctx, tmpfile_t *t, sm_status st)
{
    if (t->f != NULL) {
        bool bad = fflush(t->f) != 0 || ferror(t->f);
        int err = errno;
        if (fclose(t->f) != 0 && !bad) {
            bad = true;
            err = errno;
        }
        t->f = NULL;
        if (bad && st == SM_OK) {
            sm__diag(ctx, SM_SEV_ERROR, t->final, -1, NULL, "-o", "write failed: %s",
                     strerror(err));
            st = SM_ERR_IO;
        }
    }
    if (st != SM_OK && t->tmp[0]) {
        unlink(t->tmp);
        t->tmp[0] = '\0';
    }
    return st;
}

static sm_status tmp_commit(sm_ctx *ctx, tmpfile_t *t)
{
    if (!t->tmp[0])
        return SM_ERR_IO;
    if (rename(t->tmp, t->final) != 0) {
        sm__diag(ctx, SM_SEV_ERROR, t->final, -1, NULL, "-o", "cannot replace: %s",
                 strerror(errno));
        unlink(t->tmp);
        t->tmp[0] = '\0';
        return SM_ERR_IO;
    }
    t->tmp[0] = '\0';
    return SM_OK;
}

static void tmp_abort(tmpfile_t *t)
{
    if (t->f != NULL)
        fclose(t->f);
    t->f = NULL;
    if (t->tmp[0])
        unlink(t->tmp);
    t->tmp[0] = '\0';
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

static sm_status write_png(sm_map *m, cairo_surface_t *s, FILE *f, const char *path)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    bool alpha = cairo_image_surface_get_format(s) == CAIRO_FORMAT_ARGB32;
    const unsigned char *data = cairo_image_surface_get_data(s);
    png_err err = {""};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &err, png_error_fn,
                                              png_warn_fn);
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
        sm__diag(m->ctx, SM_SEV_ERROR, path, -1, NULL, "-o", "PNG: %s", err.msg);
        return SM_ERR_IO;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 1);
    /* Sub filtering: the map's long runs of one colour become zeros that
     * zlib's fastest level compresses well, at a fraction of the cost of
     * libpng's adaptive choice among all five filters. */
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_uint_32 ppm = (png_uint_32)floor(m->opt.dpi / 0.0254 + 0.5);
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) {
        convert_row((const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride), row, w,
                    alpha);
        png_write_row(png, row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    return SM_OK;
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
    bool opaque = m->style.paper.a >= 1;
    cairo_surface_t *s = cairo_image_surface_create(
        opaque ? CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_ARGB32, v->width_px, v->height_px);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "--size",
                 "cannot make a %dx%d image (out of memory?)", v->width_px, v->height_px);
        return SM_ERR_NOMEM;
    }
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, v->dev, v->dev);
    m->own_image = s;
    sm_status st = sm_map_draw(m, cr);
    m->own_image = NULL;
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (st != SM_OK) {
        cairo_surface_destroy(s);
        return st;
    }
    sm__map_progress(m, "writing PNG", 0.85);

    /* The side files first, so that the PNG, once renamed into place, is
     * never without its georeferencing. */
    char side[4200];
    tmpfile_t t_png, t_pgw, t_aux;
    memset(&t_pgw, 0, sizeof(t_pgw));
    memset(&t_aux, 0, sizeof(t_aux));
    st = tmp_open(ctx, &t_png, path);
    if (st == SM_OK)
        st = tmp_close(ctx, &t_png, write_png(m, s, t_png.f, path));
    cairo_surface_destroy(s);
    double gt[6];
    sm_map_geotransform(m, gt);
    if (st == SM_OK) {
        /* World file: OUT.pgw beside OUT.png (ESRI's rule: first and last
         * letters of the extension, then "w"). */
        const char *dot = strrchr(path, '.');
        snprintf(side, sizeof(side), "%.*s.%cgw", (int)(dot - path), path, dot[1]);
        st = tmp_open(ctx, &t_pgw, side);
        if (st == SM_OK) {
            /* the centre of the top-left pixel */
            fprintf(t_pgw.f, "%.17g\n%.17g\n%.17g\n%.17g\n%.17g\n%.17g\n", gt[1], gt[4], gt[2],
                    gt[5], gt[0] + gt[1] / 2, gt[3] + gt[5] / 2);
            st = tmp_close(ctx, &t_pgw, SM_OK);
        }
    }
    if (st == SM_OK) {
        snprintf(side, sizeof(side), "%s.aux.xml", path);
        st = tmp_open(ctx, &t_aux, side);
        if (st == SM_OK) {
            FILE *f = t_aux.f;
            fprintf(f, "<PAMDataset>\n  <SRS dataAxisToSRSAxisMapping=\"%s\">",
                    axis_mapping(sm_map_crs_wkt(m)));
            xml_escape(f, sm_map_crs_wkt(m));
            fprintf(f, "</SRS>\n  <GeoTransform>%.17g, %.17g, %.17g, %.17g, %.17g, "
                       "%.17g</GeoTransform>\n</PAMDataset>\n",
                    gt[0], gt[1], gt[2], gt[3], gt[4], gt[5]);
            st = tmp_close(ctx, &t_aux, SM_OK);
        }
    }
    if (st == SM_OK)
        st = tmp_commit(ctx, &t_aux);
    if (st == SM_OK)
        st = tmp_commit(ctx, &t_pgw);
    if (st == SM_OK)
        st = tmp_commit(ctx, &t_png);
    tmp_abort(&t_png);
    tmp_abort(&t_pgw);
    tmp_abort(&t_aux);
    return st;
}

/* ---- SVG and PDF ------------------------------------------------------------------ */

static cairo_status_t write_stream(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
                                                : CAIRO_STATUS_WRITE_ERROR;
}

static sm_status render_vector(sm_map *m, const char *path, bool pdf)
{
    sm_ctx *ctx = m->ctx;
    tmpfile_t t;
    sm_status st = tmp_open(ctx, &t, path);
    if (st != SM_OK)
        return st;
    cairo_surface_t *s;
    if (pdf) {
        s = cairo_pdf_surface_create_for_stream(write_stream, t.f, m->view.W, m->view.H);
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
        /* An empty date makes cairo leave it out rather than write "now". */
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
        char creator[64];
        snprintf(creator, sizeof(creator), "strikemap %s", sm_version());
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, creator);
        if (m->furn.title != NULL)
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
                                           pango_layout_get_text(m->furn.title));
    } else {
        s = cairo_svg_surface_create_for_stream(write_stream, t.f, m->view.W, m->view.H);
    }
    cairo_t *cr = cairo_create(s);
    st = sm_map_draw(m, cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_status_t cs = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st == SM_OK && cs != CAIRO_STATUS_SUCCESS) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "-o", "%s: %s", pdf ? "PDF" : "SVG",
                 cs == CAIRO_STATUS_WRITE_ERROR ? strerror(errno) : cairo_status_to_string(cs));
        st = cs == CAIRO_STATUS_WRITE_ERROR ? SM_ERR_IO : SM_ERR_RENDER;
    }
    st = tmp_close(ctx, &t, st);
    if (st == SM_OK)
        st = tmp_commit(ctx, &t);
    tmp_abort(&t);
    return st;
}

sm_status sm_map_write(sm_map *m, const char *path)
{
    if (m == NULL || path == NULL || !path[0])
        return SM_ERR_USAGE;
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot == NULL || (slash != NULL && dot < slash)) {
        sm__diag(m->ctx, SM_SEV_ERROR, path, -1, NULL, "-o",
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
        sm__diag(m->ctx, SM_SEV_ERROR, path, -1, NULL, "-o",
                 "\"%s\" is not a map format: use .png, .svg or .pdf", dot);
        return SM_ERR_USAGE;
    }
    if (st == SM_OK)
        sm__map_progress(m, "done", 1.0);
    return st;
}
