/*
 * map_style.c: the map's look: built-in colours, widths, sizes and fonts,
 * and the --style file (key = value lines) that overrides them. The keys
 * are documented in docs/render.md; this table is their single source.
 *
 * Verdict colours are the Okabe-Ito palette (Okabe & Ito, "Color Universal
 * Design", 2008), which stays distinguishable with the common colour-vision
 * deficiencies; verdict lines and rings also differ in dash pattern, so the
 * verdict does not rest on colour alone.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "map/map_internal.h"

/* The built-in texts (a loaded style points into the map's arena). */
#define DEFAULT_FONT        "Noto Sans,Noto Naskh Arabic,DejaVu Sans"
#define DEFAULT_ATTRIBUTION "Basemap: Natural Earth (public domain); places: GeoNames (CC BY 4.0)"

static sm__rgba hex(unsigned v)
{
    sm__rgba c = {((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0, 1.0};
    return c;
}

static sm__rgba hexa(unsigned v, double a)
{
    sm__rgba c = hex(v);
    c.a = a;
    return c;
}

void sm__style_defaults(sm__style *s)
{
    memset(s, 0, sizeof(*s));
    s->font = DEFAULT_FONT;
    s->attribution = DEFAULT_ATTRIBUTION;
    s->attribution_default = true;
    s->title_pt = 14;
    s->subtitle_pt = 8;
    s->label_pt = 6.8;
    s->place_pt = 6.2;
    s->place_major_pt = 7.2;
    s->country_pt = 8;
    s->legend_pt = 6.3;
    s->small_pt = 5.4;
    s->graticule_pt = 5.8;

    s->paper = hex(0xffffff);
    s->ocean = hex(0xd5e5ef);
    s->land = hex(0xeeebe4);
    s->land_focus = hex(0xfbfaf6);
    s->border = hex(0x8e8a82);
    s->coast = hex(0x7d9aae);
    s->graticule = hexa(0x6f8192, 0.45);
    s->frame = hex(0x3a3a3a);
    s->text = hex(0x1a1a1a);
    s->muted = hex(0x5c5c5c);
    s->halo = hexa(0xffffff, 0.88);
    s->place_dot = hex(0x4a4a4a);
    s->place_text = hex(0x3c3c3c);
    s->country_text = hex(0x958d80);

    /* Strikes: one hue (magenta-red, apart from every verdict colour), from
     * dark for a confirmed strike to pale for a contested one, grey when
     * discounted. */
    s->strike[SM_GRADING_NONE] = hex(0xc2185b);
    s->strike[SM_GRADING_CONFIRMED] = hex(0x7a0a3e);
    s->strike[SM_GRADING_FAIR] = hex(0xc2185b);
    s->strike[SM_GRADING_WEAK] = hex(0xe45f92);
    s->strike[SM_GRADING_CONTESTED] = hex(0xf3a6c4);
    s->strike[SM_GRADING_DISCOUNTED] = hex(0xbdbdbd);
    s->strike_label = hex(0x6e0c37);
    s->aircraft = hex(0x1f3a5f);
    s->aircraft_label = hex(0x1f3a5f);
    s->track = hex(0x1f3a5f);
    s->base = hex(0x2e2e2e);
    s->base_label = hex(0x1a1a1a);

    s->verdict[SM_VERDICT_UNKNOWN] = hex(0x8c8c8c);
    s->verdict[SM_VERDICT_PLAUSIBLE] = hex(0x0072b2);
    s->verdict[SM_VERDICT_MARGINAL] = hex(0xe69f00);
    s->verdict[SM_VERDICT_IMPLAUSIBLE] = hex(0xd55e00);
    s->radius = hex(0x555555);
    s->uncertainty = hexa(0x555555, 0.85);
    s->inset_land = hex(0xc8c2b6);
    s->inset_ocean = hex(0xeaf1f6);
    s->inset_box = hex(0xd7301f);
    s->box = (sm__rgba){1, 1, 1, 0.92};
    s->box_edge = (sm__rgba){0.45, 0.45, 0.45, 1};
    s->scale_box = (sm__rgba){1, 1, 1, 0.8};
    s->furniture_light = (sm__rgba){1, 1, 1, 1};
    s->inset_edge = (sm__rgba){0.35, 0.35, 0.35, 1};
    s->marker_edge = (sm__rgba){1, 1, 1, 1};
    s->marker_shadow = (sm__rgba){0.15, 0.15, 0.15, 0.5};

    s->border_w = 0.55;
    s->coast_w = 0.45;
    s->graticule_w = 0.3;
    s->frame_w = 0.7;
    s->track_w = 1.2;
    s->verdict_w = 1.3;
    s->ring_w = 1.0;
    s->radius_w = 0.7;
    s->uncertainty_w = 0.5;
    s->halo_w = 2.4;
    s->strike_size = 6.5;
    s->fix_size = 10;
    s->base_size = 6;
    s->place_size = 2.6;
    s->ring_fill_alpha = 0.09;
}

bool sm__style_theme(sm__style *s, const char *theme)
{
    if (theme == NULL || strcmp(theme, "light") == 0)
        return true;
    if (strcmp(theme, "dark") == 0) {
        /* a night map: dark land and sea, light text on dark halos */
        s->paper = hex(0x1d2125);
        s->ocean = hex(0x1a2a37);
        s->land = hex(0x2c3034);
        s->land_focus = hex(0x373c41);
        s->border = hex(0x6f757b);
        s->coast = hex(0x4d6e86);
        s->graticule = hexa(0x9fb3c4, 0.3);
        s->frame = hex(0xa7adb3);
        s->text = hex(0xeeeeee);
        s->muted = hex(0xb4b9be);
        s->halo = hexa(0x1d2125, 0.85);
        s->place_dot = hex(0xc9c9c9);
        s->place_text = hex(0xd6d6d6);
        s->country_text = hex(0x8f969d);
        s->strike_label = hex(0xf48fb1);
        s->aircraft = hex(0x9ecbff);
        s->aircraft_label = hex(0x9ecbff);
        s->track = hex(0x9ecbff);
        s->base = hex(0xd9d9d9);
        s->base_label = hex(0xeeeeee);
        s->verdict[SM_VERDICT_PLAUSIBLE] = hex(0x56b4e9);
        s->radius = hex(0xb0b0b0);
        s->uncertainty = hexa(0xb0b0b0, 0.85);
        s->inset_land = hex(0x5a5f64);
        s->inset_ocean = hex(0x22313d);
        s->inset_box = hex(0xff6f5e);
        s->box = hexa(0x1d2125, 0.92);
        s->box_edge = hex(0x6f757b);
        s->scale_box = hexa(0x1d2125, 0.8);
        s->furniture_light = hex(0x1d2125);
        s->inset_edge = hex(0x8f969d);
        s->marker_edge = hex(0x1d2125);
        s->marker_shadow = hexa(0xffffff, 0.35);
        return true;
    }
    if (strcmp(theme, "print") == 0) {
        /* for paper: black text, light fills, opaque boxes with black edges */
        s->ocean = hex(0xe8f0f5);
        s->land = hex(0xf3f1ec);
        s->land_focus = hex(0xffffff);
        s->border = hex(0x666666);
        s->coast = hex(0x5a7d94);
        s->graticule = hexa(0x000000, 0.25);
        s->frame = hex(0x000000);
        s->text = hex(0x000000);
        s->muted = hex(0x333333);
        s->place_text = hex(0x222222);
        s->box = hex(0xffffff);
        s->box_edge = hex(0x000000);
        s->scale_box = hex(0xffffff);
        s->inset_edge = hex(0x000000);
        s->border_w = 0.6;
        s->frame_w = 0.8;
        return true;
    }
    return false;
}

void sm__set_rgba(cairo_t *cr, sm__rgba c)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

typedef enum { K_COLOUR, K_NUM, K_FONT, K_TEXT } key_type;

typedef struct style_key {
    const char *key;
    key_type type;
    size_t off;
} style_key;

#define C(k, f)                                                                                    \
    {                                                                                              \
        k, K_COLOUR, offsetof(sm__style, f)                                                        \
    }
#define N(k, f)                                                                                    \
    {                                                                                              \
        k, K_NUM, offsetof(sm__style, f)                                                           \
    }

/* docs/render.md lists these keys; keep the two in step. */
static const style_key g_keys[] = {
    {"font", K_FONT, offsetof(sm__style, font)},
    {"attribution", K_TEXT, offsetof(sm__style, attribution)},
    N("size.title", title_pt),
    N("size.subtitle", subtitle_pt),
    N("size.label", label_pt),
    N("size.place", place_pt),
    N("size.place.major", place_major_pt),
    N("size.country", country_pt),
    N("size.legend", legend_pt),
    N("size.small", small_pt),
    N("size.graticule", graticule_pt),
    N("size.strike", strike_size),
    N("size.fix", fix_size),
    N("size.base", base_size),
    N("size.place.dot", place_size),
    C("colour.paper", paper),
    C("colour.ocean", ocean),
    C("colour.land", land),
    C("colour.land.focus", land_focus),
    C("colour.border", border),
    C("colour.coast", coast),
    C("colour.graticule", graticule),
    C("colour.frame", frame),
    C("colour.text", text),
    C("colour.muted", muted),
    C("colour.halo", halo),
    C("colour.place", place_dot),
    C("colour.place.label", place_text),
    C("colour.country.label", country_text),
    C("colour.strike", strike[SM_GRADING_NONE]),
    C("colour.strike.confirmed", strike[SM_GRADING_CONFIRMED]),
    C("colour.strike.fair", strike[SM_GRADING_FAIR]),
    C("colour.strike.weak", strike[SM_GRADING_WEAK]),
    C("colour.strike.contested", strike[SM_GRADING_CONTESTED]),
    C("colour.strike.discounted", strike[SM_GRADING_DISCOUNTED]),
    C("colour.strike.label", strike_label),
    C("colour.aircraft", aircraft),
    C("colour.aircraft.label", aircraft_label),
    C("colour.track", track),
    C("colour.base", base),
    C("colour.base.label", base_label),
    C("colour.verdict.unknown", verdict[SM_VERDICT_UNKNOWN]),
    C("colour.verdict.plausible", verdict[SM_VERDICT_PLAUSIBLE]),
    C("colour.verdict.marginal", verdict[SM_VERDICT_MARGINAL]),
    C("colour.verdict.implausible", verdict[SM_VERDICT_IMPLAUSIBLE]),
    C("colour.radius", radius),
    C("colour.uncertainty", uncertainty),
    C("colour.inset.land", inset_land),
    C("colour.inset.ocean", inset_ocean),
    C("colour.inset.box", inset_box),
    C("colour.box", box),
    C("colour.box.edge", box_edge),
    C("colour.scale.box", scale_box),
    C("colour.furniture.light", furniture_light),
    C("colour.inset.edge", inset_edge),
    C("colour.marker.edge", marker_edge),
    C("colour.marker.shadow", marker_shadow),
    N("width.border", border_w),
    N("width.coast", coast_w),
    N("width.graticule", graticule_w),
    N("width.frame", frame_w),
    N("width.track", track_w),
    N("width.verdict", verdict_w),
    N("width.ring", ring_w),
    N("width.radius", radius_w),
    N("width.uncertainty", uncertainty_w),
    N("width.halo", halo_w),
    N("alpha.ring", ring_fill_alpha),
};

#undef C
#undef N

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "#rgb", "#rrggbb", "#rrggbbaa" or "none". */
/* CSS colour names (CSS Color Module Level 4, the common ones), any case. */
static const struct {
    const char *name;
    unsigned rgb;
} g_css[] = {
    {"black", 0x000000},         {"white", 0xffffff},        {"red", 0xff0000},
    {"green", 0x008000},         {"blue", 0x0000ff},         {"yellow", 0xffff00},
    {"orange", 0xffa500},        {"purple", 0x800080},       {"gray", 0x808080},
    {"grey", 0x808080},          {"silver", 0xc0c0c0},       {"maroon", 0x800000},
    {"navy", 0x000080},          {"teal", 0x008080},         {"olive", 0x808000},
    {"lime", 0x00ff00},          {"aqua", 0x00ffff},         {"cyan", 0x00ffff},
    {"fuchsia", 0xff00ff},       {"magenta", 0xff00ff},      {"brown", 0xa52a2a},
    {"pink", 0xffc0cb},          {"gold", 0xffd700},         {"darkgray", 0xa9a9a9},
    {"darkgrey", 0xa9a9a9},      {"lightgray", 0xd3d3d3},    {"lightgrey", 0xd3d3d3},
    {"dimgray", 0x696969},       {"dimgrey", 0x696969},      {"gainsboro", 0xdcdcdc},
    {"whitesmoke", 0xf5f5f5},    {"darkred", 0x8b0000},      {"darkblue", 0x00008b},
    {"darkgreen", 0x006400},     {"darkorange", 0xff8c00},   {"steelblue", 0x4682b4},
    {"slategray", 0x708090},     {"slategrey", 0x708090},    {"lightslategray", 0x778899},
    {"darkslategray", 0x2f4f4f}, {"midnightblue", 0x191970}, {"royalblue", 0x4169e1},
    {"skyblue", 0x87ceeb},       {"lightblue", 0xadd8e6},    {"dodgerblue", 0x1e90ff},
    {"seagreen", 0x2e8b57},      {"forestgreen", 0x228b22},  {"firebrick", 0xb22222},
    {"crimson", 0xdc143c},       {"tomato", 0xff6347},       {"coral", 0xff7f50},
    {"salmon", 0xfa8072},        {"chocolate", 0xd2691e},    {"sienna", 0xa0522d},
    {"tan", 0xd2b48c},           {"wheat", 0xf5deb3},        {"beige", 0xf5f5dc},
    {"ivory", 0xfffff0},         {"khaki", 0xf0e68c},        {"linen", 0xfaf0e6},
    {"indigo", 0x4b0082},        {"violet", 0xee82ee},       {"orchid", 0xda70d6},
    {"plum", 0xdda0dd},          {"lavender", 0xe6e6fa},     {"turquoise", 0x40e0d0},
    {"goldenrod", 0xdaa520},     {"snow", 0xfffafa},         {"honeydew", 0xf0fff0},
};

static bool parse_colour(const char *v, sm__rgba *out)
{
    if (strcmp(v, "none") == 0 || strcasecmp(v, "transparent") == 0) {
        out->r = out->g = out->b = out->a = 0;
        return true;
    }
    for (size_t i = 0; i < SM__ARRAY_LEN(g_css); i++)
        if (strcasecmp(v, g_css[i].name) == 0) {
            *out = hex(g_css[i].rgb);
            return true;
        }
    if (v[0] != '#')
        return false;
    size_t n = strlen(v + 1);
    int d[8];
    if (n != 3 && n != 6 && n != 8)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((d[i] = hexval((unsigned char)v[1 + i])) < 0)
            return false;
    if (n == 3) {
        out->r = d[0] * 17 / 255.0;
        out->g = d[1] * 17 / 255.0;
        out->b = d[2] * 17 / 255.0;
        out->a = 1;
        return true;
    }
    out->r = (d[0] * 16 + d[1]) / 255.0;
    out->g = (d[2] * 16 + d[3]) / 255.0;
    out->b = (d[4] * 16 + d[5]) / 255.0;
    out->a = n == 8 ? (d[6] * 16 + d[7]) / 255.0 : 1.0;
    return true;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* "color" is accepted for "colour" in keys. */
static const style_key *find_key(const char *key)
{
    bool us = strncmp(key, "color.", 6) == 0;
    for (size_t i = 0; i < SM__ARRAY_LEN(g_keys); i++) {
        const char *k = g_keys[i].key;
        if (us ? strncmp(k, "colour.", 7) == 0 && strcmp(k + 7, key + 6) == 0 : strcmp(k, key) == 0)
            return &g_keys[i];
    }
    return NULL;
}

/* A line quoted in a message: its first characters (whole UTF-8
 * sequences), so that a megabyte line does not become a megabyte message. */
#define QUOTE_CHARS 60

static int quote_len(const char *t)
{
    size_t n = 0, chars = 0;
    while (t[n] != '\0' && chars < QUOTE_CHARS) {
        n++;
        while (((unsigned char)t[n] & 0xC0) == 0x80)
            n++;
        chars++;
    }
    return (int)n;
}

/* Open path for reading, refusing anything but a regular file: a FIFO
 * would block (opened without O_NONBLOCK, until a writer comes), a device
 * such as /dev/zero never ends. */
static FILE *open_regular(sm_ctx *ctx, const char *path, sm_status *st)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "options.style_path",
                 "cannot open the style file: %s", strerror(errno));
        *st = SM_ERR_IO;
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "options.style_path",
                 "expected a regular file (not a FIFO, device or folder)");
        close(fd);
        *st = SM_ERR_INVALID;
        return NULL;
    }
    if (sb.st_size > SM__STYLE_MAX_BYTES) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "options.style_path",
                 "%lld bytes: a style file may have at most %d bytes", (long long)sb.st_size,
                 SM__STYLE_MAX_BYTES);
        close(fd);
        *st = SM_ERR_INVALID;
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "r");
    if (f == NULL) {
        *st = errno == ENOMEM ? sm__nomem(ctx, path, -1, NULL, "options.style_path") : SM_ERR_IO;
        if (*st == SM_ERR_IO)
            sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "options.style_path",
                     "cannot open the style file: %s", strerror(errno));
        close(fd);
    }
    return f;
}

/* Set one key's value (a line of the style file); errors name the line. */
static sm_status set_value(sm_ctx *ctx, sm__style *s, const style_key *k, const char *key,
                           const char *val, const char *path, long line, sm__arena *arena)
{
    char *base = (char *)s + k->off;
    switch (k->type) {
    case K_COLOUR:
        if (!parse_colour(val, (sm__rgba *)(void *)base)) {
            sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, key,
                     "line %ld: \"%.*s%s\" is not a colour (#rgb, #rrggbb, #rrggbbaa, a CSS "
                     "colour name such as steelblue, or none)",
                     line, quote_len(val), val, val[quote_len(val)] ? "\xe2\x80\xa6" : "");
            return SM_ERR_INVALID;
        }
        break;
    case K_NUM: {
        char *end;
        errno = 0;
        double d = strtod(val, &end);
        if (end == val || *end != '\0' || errno != 0 || !(d >= 0) || d > 1000) {
            sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, key,
                     "line %ld: \"%.*s%s\" is not a number from 0 to 1000", line, quote_len(val),
                     val, val[quote_len(val)] ? "\xe2\x80\xa6" : "");
            return SM_ERR_INVALID;
        } else {
            *(double *)(void *)base = d;
        }
        break;
    }
    case K_FONT:
    case K_TEXT: {
        char *copy = sm__arena_strdup(arena, val);
        if (copy == NULL) {
            return sm__nomem(ctx, path, -1, NULL, key);
        }
        *(const char **)(void *)base = copy;
        if (k->off == offsetof(sm__style, attribution))
            s->attribution_default = false;
        break;
    }
    }
    return SM_OK;
}

sm_status sm__style_load(sm_ctx *ctx, sm__style *s, const char *path, sm__arena *arena)
{
    sm_status st = SM_OK;
    FILE *f = open_regular(ctx, path, &st);
    if (f == NULL)
        return st;
    char *buf = NULL;
    size_t cap = 0, total = 0;
    ssize_t got;
    long line = 0;
    while ((got = getline(&buf, &cap, f)) >= 0) {
        line++;
        total += (size_t)got;
        /* The file may have grown since fstat. */
        if (total > SM__STYLE_MAX_BYTES) {
            sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "options.style_path",
                     "line %ld: a style file may have at most %d bytes", line, SM__STYLE_MAX_BYTES);
            st = SM_ERR_INVALID;
            break;
        }
        if (strlen(buf) != (size_t)got) {
            sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "options.style_path",
                     "line %ld: a NUL byte; expected text lines \"key = value\"", line);
            st = SM_ERR_INVALID;
            continue;
        }
        char *t = trim(buf);
        if (*t == '\0' || *t == '#')
            continue;
        char *eq = strchr(t, '=');
        if (eq == NULL) {
            if (sm__utf8_invalid_at(t) != (size_t)-1)
                sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "options.style_path",
                         "line %ld: not valid UTF-8; expected \"key = value\"", line);
            else
                sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL,
                         "line %ld: expected \"key = value\", found \"%.*s%s\"", line, quote_len(t),
                         t, t[quote_len(t)] ? "\xe2\x80\xa6" : "");
            st = SM_ERR_INVALID;
            continue;
        }
        *eq = '\0';
        char *key = trim(t), *val = trim(eq + 1);
        if (sm__utf8_invalid_at(key) != (size_t)-1) {
            sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "options.style_path",
                     "line %ld: the key is not valid UTF-8", line);
            st = SM_ERR_INVALID;
            continue;
        }
        /* A comment starts at a '#' after a blank; a value may itself start
         * with '#' (a colour). */
        for (char *h = val + 1; *val != '\0' && *h != '\0'; h++)
            if (*h == '#' && isspace((unsigned char)h[-1])) {
                *h = '\0';
                val = trim(val);
                break;
            }
        const style_key *k = find_key(key);
        if (k == NULL) {
            sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, key,
                     "line %ld: no such style key (see docs/render.md for the list)", line);
            st = SM_ERR_INVALID;
            continue;
        }
        if (sm__utf8_invalid_at(val) != (size_t)-1) {
            sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, key,
                     "line %ld: the value is not valid UTF-8 (byte %zu of it)", line,
                     sm__utf8_invalid_at(val) + 1);
            st = SM_ERR_INVALID;
            continue;
        }
        sm_status vs = set_value(ctx, s, k, key, val, path, line, arena);
        if (vs != SM_OK)
            st = vs;
        if (st == SM_ERR_NOMEM)
            break;
    }
    if (got < 0 && !feof(f) && st == SM_OK) {
        if (errno == ENOMEM) {
            st = sm__nomem(ctx, path, -1, NULL, "options.style_path");
        } else {
            sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "options.style_path", "read error: %s",
                     strerror(errno));
            st = SM_ERR_IO;
        }
    }
    free(buf);
    fclose(f);
    if (s->ring_fill_alpha > 1)
        s->ring_fill_alpha = 1;
    return st;
}
