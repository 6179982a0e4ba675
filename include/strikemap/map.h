/*
 * strikemap/map.h: maps of claims and verdicts (SPEC §4): the basemap
 * (countries, coastline, places) clipped to the extent, strikes, aircraft
 * fixes and tracks, bases, geodesic reach and combat-radius rings, a line
 * from each checked fix to its strike coloured by verdict, labels shaped by
 * Pango, and the furniture (title, legend, scale bar, north arrow,
 * graticule, inset locator, attribution). Output to PNG (with a world file
 * and the CRS in OUT.png.aux.xml), SVG or PDF, or into a caller's cairo_t.
 *
 * Units: the canvas is measured in points (1/72 inch); a PNG has
 * width_px x height_px pixels at dpi, so one point is dpi/72 pixels and the
 * canvas is width_px * 72 / dpi points wide. Every size in a style file is in
 * points. Coordinates are longitude before latitude, in degrees, on WGS84.
 *
 * Typical use:
 *
 *     sm_map_options o;
 *     sm_map_options_init(&o);           // size and defaults
 *     o.title = "Aleppo, February 2016";
 *     sm_status st = sm_map_render_file(ctx, claims, NULL, &o, "aleppo.png");
 *
 * or, to draw into a surface of your own (a report page, a widget):
 *
 *     sm_map *map;
 *     sm_map_new(ctx, claims, check, &o, &map);
 *     sm_map_draw(map, cr);              // fills (0,0)-(width,height) points
 *     sm_map_free(map);
 */
#ifndef STRIKEMAP_MAP_H
#define STRIKEMAP_MAP_H

#include <cairo.h>

#include "check.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parts of the map. Each can be left out with sm_map_options.hide; the CLI
 * spells them --no-<name> with the names of sm_map_part_name(). */
typedef enum sm_map_part {
    SM_MAP_COUNTRIES = 1u << 0,     /* "countries": country fills */
    SM_MAP_BORDERS = 1u << 1,       /* "borders": country borders */
    SM_MAP_COAST = 1u << 2,         /* "coast": coastline (outline of land.shp) */
    SM_MAP_PLACES = 1u << 3,        /* "places": populated places and their names */
    SM_MAP_STRIKES = 1u << 4,       /* "strikes": strike markers */
    SM_MAP_FIXES = 1u << 5,         /* "fixes": claimed aircraft positions */
    SM_MAP_TRACKS = 1u << 6,        /* "tracks": track lines, direction arrows, times */
    SM_MAP_BASES = 1u << 7,         /* "bases": air bases */
    SM_MAP_REACH = 1u << 8,         /* "reach": reach rings of checked pairs */
    SM_MAP_RADIUS = 1u << 9,        /* "radius": combat-radius rings around bases */
    SM_MAP_VERDICTS = 1u << 10,     /* "verdicts": fix-to-strike lines */
    SM_MAP_LABELS = 1u << 11,       /* "labels": names of strikes, aircraft, bases */
    SM_MAP_UNCERTAINTY = 1u << 12,  /* "uncertainty": location uncertainty circles */
    SM_MAP_CLUSTERS = 1u << 14,     /* "clusters": strikes that would overlap merged into one
                                       marker with their count (without: every strike its own
                                       marker, however many) */
    SM_MAP_TITLE = 1u << 16,        /* "title": title and subtitle */
    SM_MAP_LEGEND = 1u << 17,       /* "legend" */
    SM_MAP_SCALEBAR = 1u << 18,     /* "scalebar" */
    SM_MAP_NORTH = 1u << 19,        /* "north": north arrow */
    SM_MAP_GRATICULE = 1u << 20,    /* "graticule": meridians, parallels, degree labels */
    SM_MAP_INSET = 1u << 21,        /* "inset": locator globe */
    SM_MAP_ATTRIBUTION = 1u << 22,  /* "attribution": basemap and claim sources */
    SM_MAP_COUNTRY_NAMES = 1u << 23 /* "country-names": country names (with the fills) */
} sm_map_part;

/* The part called name ("countries", "scalebar", ...; see above) in *part.
 * False when there is none. */
bool sm_map_part_parse(const char *name, unsigned *part);
/* The name of the index-th part (from 0), NULL past the last; for listing
 * them (--help, getopt tables). Static storage. */
const char *sm_map_part_name(size_t index, unsigned *part);
/* Is the part drawn unless hidden? A few parts (a layer not every map
 * wants) are drawn only when sm_map_options.show names them. */
bool sm_map_part_is_default(unsigned part);
/* One line saying what the part draws (for --help); static storage, NULL
 * for no such part. */
const char *sm_map_part_about(unsigned part);

/* Called between the stages of a long render, from the calling thread:
 * stage is a short English phrase ("basemap", "labels", "writing PNG"),
 * fraction goes from 0 to 1 over the whole render. */
typedef void (*sm_map_progress_fn)(void *user, const char *stage, double fraction);

/* An extra geodesic circle to draw, such as the area an aircraft type can
 * reach from a point (strikemap reach -o map.png). */
typedef struct sm_map_area {
    double lon, lat; /* centre, degrees */
    double radius_km;
    const char *label; /* drawn by the ring; may be NULL */
} sm_map_area;

/* Options of a map, filled by the caller: call sm_map_options_init()
 * first (or initialise with SM_MAP_OPTIONS_INIT), then set what you need;
 * zero fields take the defaults. Strings are copied by sm_map_new. A NULL
 * options pointer means the defaults. Diagnostics about an option name its
 * field ("options.bbox"). */
typedef struct sm_map_options {
    /* sizeof(sm_map_options), the layout version (set by
     * sm_map_options_init): any other value is refused with SM_ERR_USAGE
     * and a diagnostic naming options.size (a program built against
     * another version of this header must be rebuilt). */
    size_t size;
    int width_px; /* PNG size; 0: 2000 x 1500 */
    int height_px;
    double dpi; /* pixels per inch of the PNG; 0: 200 */
    /* The area to show, lon/lat degrees: west, south, east, north. West >
     * east crosses the antimeridian (a box of at most 180 degrees of
     * longitude that way; a wider one is refused as west and east swapped).
     * Without it the map fits the claims drawn
     * (every position, and the reach rings that rule a claim out) with a
     * margin. The map is then widened in one direction to the aspect ratio
     * of the frame, never cut. */
    bool has_bbox;
    double bbox[4];
    double margin; /* fit margin, fraction of the extent per side; 0: 0.08 */
    /* Map CRS, anything PROJ understands ("EPSG:3857", a PROJ string, WKT).
     * NULL: an oblique stereographic projection on WGS84 centred on the
     * map (conformal; scale error under 0.2 % within 500 km of the centre). */
    const char *crs;
    const char *title;       /* NULL: a title from the claims; "": none */
    const char *subtitle;    /* NULL: claims, time span and verdicts; "": none */
    const char *basemap_dir; /* countries.shp, land.shp, places.shp; NULL: bundled */
    const char *style_path;  /* key = value file (docs/render.md); NULL: built in */
    unsigned hide;           /* SM_MAP_* parts to leave out */
    unsigned show;           /* parts drawn only when asked (!sm_map_part_is_default) */
    /* Pairs to draw when no check is passed: sm_check_run with these
     * (zero: the pairs each claimant attributes). */
    sm_check_options check;
    /* Extra circles, drawn like reach rings and fitted into the default
     * extent; copied by sm_map_new. */
    const sm_map_area *areas;
    size_t n_areas;
    sm_map_progress_fn progress;
    void *progress_user;
    /* Draw one strike: the one with this id, the aircraft of its pairs and
     * their bases (NULL or "": all claims); copied. */
    const char *strike_id;
    /* Draw the strikes this expression holds for, with the aircraft of
     * their pairs and their bases (NULL or "": all): conditions FIELD=VALUE,
     * FIELD!=VALUE or FIELD~TEXT (contains), any case, joined by " and ";
     * FIELD one of id, label, claimed_by, source, notes, grading, weapon,
     * attributed_to. E.g. "grading=confirmed and claimed_by~airwars".
     * The extent, title and subtitle follow what is drawn. Copied. */
    const char *where;
    /* "light" (NULL: the default), "dark" or "print": the colours of the
     * map and of every box of its furniture, before style_path's keys. */
    const char *theme;
} sm_map_options;

/* An initialiser for a sm_map_options of this header's layout, all
 * defaults. */
/* clang-format off */
#define SM_MAP_OPTIONS_INIT {.size = sizeof(sm_map_options)}
/* clang-format on */
/* Set size and the defaults (zero everywhere else). NULL: nothing. */
void sm_map_options_init(sm_map_options *options);

typedef struct sm_map sm_map;

/* Lay out a map: load the basemap for the extent, project everything,
 * place labels. claims is borrowed and must outlive the map; check may be
 * NULL (then the pairs of options->check are computed) and is borrowed too.
 * options may be NULL. Errors (a CRS PROJ does not understand, a bad bbox or
 * style file, an unreadable basemap) are diagnostics on ctx naming the
 * option or file; *out is NULL unless SM_OK. */
sm_status sm_map_new(sm_ctx *ctx, const sm_claims *claims, const sm_check *check,
                     const sm_map_options *options, sm_map **out);
/* The same over claims read as a stream (sm_claims_stream_open, not yet
 * run; SPEC §8): the map's memory does not grow with the strikes. The map
 * runs the stream itself, checking each batch (options->check), and reads
 * the strikes back from a temporary file in TMPDIR at each later pass
 * (about the size of the records). The same claims give the same map, to
 * the byte, as sm_map_new on them loaded whole. stream is borrowed and
 * must outlive the map; it is run by this call (once a stream). */
sm_status sm_map_new_stream(sm_ctx *ctx, sm_claims_stream *stream, const sm_map_options *options,
                            sm_map **out);
void sm_map_free(sm_map *map);

/* Canvas size in points. */
void sm_map_size(const sm_map *map, double *width_pt, double *height_pt);

/* Draw the map into cr, filling the rectangle (0,0)-(width_pt,height_pt) of
 * cr's user space (scale cr first to fit another size). cr's state is
 * saved and restored. On an image surface markers are stamped from
 * pre-rendered sprites; on any other surface everything is vector. */
sm_status sm_map_draw(sm_map *map, cairo_t *cr);

/* Write the map to path, by its extension: ".png" (also writes path's
 * world file, ".pgw", and "<path>.aux.xml" with the CRS, so GDAL and QGIS
 * place it), ".svg" or ".pdf". Each file is written to a temporary file in
 * the same folder and renamed, so an existing file is replaced whole or
 * left untouched. The same map gives the same bytes. */
sm_status sm_map_write(sm_map *map, const char *path);

/* Where a point falls on the canvas (points from the top-left corner).
 * False when the projection cannot place it; a point outside the frame
 * gives coordinates outside the frame. */
bool sm_map_lonlat_to_canvas(const sm_map *map, double lon, double lat, double *x, double *y);
/* The PNG's georeferencing in GDAL's order: x of the top-left corner,
 * pixel width, 0, y of the top-left corner, 0, -pixel height; in the units
 * of the map CRS. */
void sm_map_geotransform(const sm_map *map, double gt[6]);
/* The map CRS as WKT2; borrowed. */
const char *sm_map_crs_wkt(const sm_map *map);

/* Convenience: sm_map_new, sm_map_write, sm_map_free. */
sm_status sm_map_render_file(sm_ctx *ctx, const sm_claims *claims, const sm_check *check,
                             const sm_map_options *options, const char *path);
/* Convenience: sm_map_new_stream, sm_map_write, sm_map_free. */
sm_status sm_map_render_stream(sm_ctx *ctx, sm_claims_stream *stream, const sm_map_options *options,
                               const char *path);
/* Convenience: lay out a map for a canvas of width x height units of cr's
 * user space and draw it there; options' size and dpi are ignored.
 *
 * Units: the map takes cr's units as points (1/72 inch): text, symbols and
 * line widths have their sizes in points. On an image surface of 1200 x
 * 900 pixels with an identity matrix, a 1200 x 900 map has its 7-point
 * labels 7 pixels high (a 72 dpi page of 16.7 x 12.5 inches). For a map
 * that looks like sm_map_write's PNG at dpi D, scale cr by D / 72 first
 * and pass the size in points:
 *
 *     cairo_scale(cr, 200 / 72.0, 200 / 72.0);   // 200 dpi
 *     sm_map_render_cairo(ctx, claims, check, &o, cr, 1200 * 72 / 200.0,
 *                         900 * 72 / 200.0);
 */
sm_status sm_map_render_cairo(sm_ctx *ctx, const sm_claims *claims, const sm_check *check,
                              const sm_map_options *options, cairo_t *cr, double width,
                              double height);

#ifdef __cplusplus
}
#endif
#endif
