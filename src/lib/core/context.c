/*
 * context.c: the context object, its diagnostics list, status strings, and
 * the small containers (arena, vector) the other files share.
 */
#define _GNU_SOURCE /* dladdr: where the library itself was loaded from */
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cairo.h>
#include <gdal.h>
#include <pango/pango.h>
#include <proj.h>

#include "core/internal.h"

const char *sm_version(void)
{
    return SM_VERSION_STRING;
}

static char *g_libraries;
static pthread_once_t g_libraries_once = PTHREAD_ONCE_INIT;

static void libraries_init(void)
{
    PJ_INFO pj = proj_info();
    g_libraries =
        sm__strfmt("GDAL %s, PROJ %s, cairo %s, Pango %s", GDALVersionInfo("RELEASE_NAME"),
                   pj.version, cairo_version_string(), pango_version_string());
}

const char *sm_version_libraries(void)
{
    pthread_once(&g_libraries_once, libraries_init);
    return g_libraries != NULL ? g_libraries : "(out of memory)";
}

const char *sm_status_str(sm_status status)
{
    switch (status) {
    case SM_OK: return "success";
    case SM_ERR_NOMEM: return "out of memory";
    case SM_ERR_IO: return "a file could not be opened, read or written";
    case SM_ERR_FORMAT: return "not a readable vector source";
    case SM_ERR_INVALID: return "invalid input";
    case SM_ERR_USAGE: return "invalid argument";
    case SM_ERR_PROJ: return "coordinate operation failed";
    case SM_ERR_RENDER: return "drawing failed";
    }
    return "unknown status";
}

/* ---- arena ------------------------------------------------------------- */

struct sm__arena_block {
    sm__arena_block *next;
    size_t used, size;
    max_align_t data[];
};

void *sm__arena_alloc(sm__arena *arena, size_t size)
{
    size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    sm__arena_block *b = arena->head;
    if (b == NULL || b->size - b->used < size) {
        size_t cap = size > 60000 ? size : 60000;
        b = malloc(sizeof(*b) + cap);
        if (b == NULL)
            return NULL;
        b->size = cap;
        b->used = 0;
        b->next = arena->head;
        arena->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *sm__arena_strdup(sm__arena *arena, const char *s)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = sm__arena_alloc(arena, n);
    if (p != NULL)
        memcpy(p, s, n);
    return p;
}

void sm__arena_free(sm__arena *arena)
{
    sm__arena_block *b = arena->head;
    while (b != NULL) {
        sm__arena_block *next = b->next;
        free(b);
        b = next;
    }
    arena->head = NULL;
}

void sm__arena_reset(sm__arena *arena)
{
    /* Keep the oldest block (the usual size) for reuse, free the rest. */
    sm__arena_block *b = arena->head, *keep = NULL;
    while (b != NULL) {
        sm__arena_block *next = b->next;
        if (next == NULL)
            keep = b;
        else
            free(b);
        b = next;
    }
    if (keep != NULL)
        keep->used = 0;
    arena->head = keep;
}

/* ---- vector ------------------------------------------------------------ */

void sm__vec_init(sm__vec *v, size_t elem)
{
    v->data = NULL;
    v->len = v->cap = 0;
    v->elem = elem;
}

bool sm__vec_reserve(sm__vec *v, size_t cap)
{
    if (cap <= v->cap)
        return true;
    void *p = realloc(v->data, cap * v->elem);
    if (p == NULL)
        return false;
    v->data = p;
    v->cap = cap;
    return true;
}

void *sm__vec_push(sm__vec *v)
{
    if (v->len == v->cap && !sm__vec_reserve(v, v->cap ? v->cap * 2 : 16))
        return NULL;
    void *slot = (char *)v->data + v->len * v->elem;
    memset(slot, 0, v->elem);
    v->len++;
    return slot;
}

void sm__vec_free(sm__vec *v)
{
    free(v->data);
    v->data = NULL;
    v->len = v->cap = 0;
}

/* ---- strings ----------------------------------------------------------- */

size_t sm__utf8_invalid_at(const char *s)
{
    /* RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF. */
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (p[i]) {
        unsigned c = p[i];
        size_t len;
        unsigned lo = 0x80, hi = 0xBF;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else {
            return i;
        }
        if (p[i + 1] < lo || p[i + 1] > hi)
            return i;
        for (size_t k = 2; k < len; k++)
            if (p[i + k] < 0x80 || p[i + k] > 0xBF)
                return i;
        i += len;
    }
    return (size_t)-1;
}

bool sm__str_ieq(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return false;
    while (*a && *b) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
        a++;
        b++;
    }
    return *a == *b;
}

const char **sm__split_list(sm__arena *arena, const char *text)
{
    size_t n = 1;
    for (const char *p = text; p && *p; p++)
        n += (*p == ';');
    const char **items = sm__arena_alloc(arena, (n + 1) * sizeof(*items));
    if (items == NULL)
        return NULL;
    size_t k = 0;
    const char *p = text ? text : "";
    while (*p) {
        const char *end = strchr(p, ';');
        if (end == NULL)
            end = p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (b > a) {
            char *s = sm__arena_alloc(arena, (size_t)(b - a) + 1);
            if (s == NULL)
                return NULL;
            memcpy(s, a, (size_t)(b - a));
            s[b - a] = '\0';
            items[k++] = s;
        }
        p = *end ? end + 1 : end;
    }
    items[k] = NULL;
    return items;
}

unsigned sm__edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 255;
    unsigned row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned diag = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned up = row[j];
            unsigned cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            unsigned best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb] > 255 ? 255 : row[lb];
}

/* ---- context ----------------------------------------------------------- */

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* share/strikemap beside the installed library (LIBDIR/../share, or
 * LIBDIR/../../share for a multiarch LIBDIR such as lib/x86_64-linux-gnu),
 * found from where this library (or the program it is linked into) was
 * loaded from, so that an installed copy finds its own data wherever the
 * prefix is; NULL when there is none. */
static char *installed_home(bool *nomem)
{
    Dl_info info; /* any object of this library names its file */
    if (dladdr(&g_libraries_once, &info) == 0 || info.dli_fname == NULL)
        return NULL;
    char *self = realpath(info.dli_fname, NULL);
    if (self == NULL) {
        *nomem = errno == ENOMEM;
        return NULL;
    }
    char *found = NULL;
    char *slash = strrchr(self, '/');
    for (int up = 1; slash != NULL && up <= 2 && found == NULL && !*nomem; up++) {
        *slash = '\0'; /* self is now the folder; go up once more below */
        char *cand = sm__strfmt("%s/../share/strikemap/data", self);
        if (cand == NULL) {
            *nomem = true;
        } else if (is_dir(cand)) {
            found = realpath(cand, NULL); /* ".../share/strikemap/data" */
            *nomem = found == NULL && errno == ENOMEM;
            if (found != NULL)
                *strrchr(found, '/') = '\0';
        }
        free(cand);
        slash = strrchr(self, '/');
    }
    free(self);
    return found;
}

/* The data folder (sm_ctx_home): STRIKEMAP_HOME, else the installed
 * share/strikemap beside this library, else the source tree it was built
 * from (a build not installed), else the configured install folder. NULL
 * when out of memory (never a different folder). */
static char *find_home(void)
{
    const char *env = getenv("STRIKEMAP_HOME");
    if (env != NULL && *env != '\0')
        return strdup(env);
    bool nomem = false;
    char *installed = installed_home(&nomem);
    if (installed != NULL || nomem)
        return installed;
    if (is_dir(SM_SOURCE_DIR "/data"))
        return strdup(SM_SOURCE_DIR);
    return strdup(SM_INSTALL_DATADIR);
}

sm_ctx *sm_ctx_new(void)
{
    sm_ctx *ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL)
        return NULL;
    sm__vec_init(&ctx->diags, sizeof(sm_diag));
    sm__vec_init(&ctx->aircraft.rows, sizeof(sm_aircraft_type));
    sm__vec_init(&ctx->weapons.rows, sizeof(sm_weapon));
    sm__vec_init(&ctx->operators.rows, sizeof(sm_operator));
    ctx->home = find_home();
    if (ctx->home == NULL) {
        free(ctx);
        return NULL;
    }
    sm__gdal_init();
    return ctx;
}

void sm_ctx_free(sm_ctx *ctx)
{
    if (ctx == NULL)
        return;
    sm__vec_free(&ctx->diags);
    sm__arena_free(&ctx->diag_arena);
    sm__vec_free(&ctx->aircraft.rows);
    sm__arena_free(&ctx->aircraft.arena);
    sm__vec_free(&ctx->weapons.rows);
    sm__arena_free(&ctx->weapons.arena);
    sm__vec_free(&ctx->operators.rows);
    sm__arena_free(&ctx->operators.arena);
    free(ctx->home);
    free(ctx);
}

const char *sm_ctx_home(const sm_ctx *ctx)
{
    return ctx->home;
}

char *sm__vstrfmt(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s != NULL)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *sm__strfmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = sm__vstrfmt(fmt, ap);
    va_end(ap);
    return s;
}

/* A copy of s in the arena with every byte that is not well-formed UTF-8
 * replaced by U+FFFD: a diagnostic quotes what it was given (a GDAL message
 * about a broken file, a path), and its text must stay valid UTF-8 for
 * every output that carries it. */
static char *dup_utf8(sm__arena *arena, const char *s)
{
    if (s == NULL)
        return NULL;
    size_t bad = 0, n = strlen(s);
    for (const char *p = s; *p;) {
        size_t at = sm__utf8_invalid_at(p);
        if (at == (size_t)-1)
            break;
        bad++;
        p += at + 1;
    }
    if (bad == 0)
        return sm__arena_strdup(arena, s);
    char *out = sm__arena_alloc(arena, n + 2 * bad + 1);
    if (out == NULL)
        return NULL;
    char *o = out;
    for (const char *p = s; *p;) {
        size_t at = sm__utf8_invalid_at(p);
        size_t keep = at == (size_t)-1 ? strlen(p) : at;
        memcpy(o, p, keep);
        o += keep;
        p += keep;
        if (at != (size_t)-1) {
            memcpy(o, "\xef\xbf\xbd", 3);
            o += 3;
            p++;
        }
    }
    *o = '\0';
    return out;
}

/* s with the value of every libpq "password=" keyword written as ***: a
 * PG: connection string is named in diagnostics (as the file, or quoted
 * in a message), and a password must not reach a terminal or a log. A
 * quoted value ends at its closing quote, another at a blank. s itself
 * when it holds none; NULL when out of memory. */
static char *scrub_secrets(sm__arena *arena, char *s)
{
    static const char key[] = "password=";
    const size_t klen = sizeof(key) - 1;
    if (s == NULL || strcasestr(s, key) == NULL)
        return s;
    size_t n = strlen(s), hits = 0;
    for (const char *p = s; (p = strcasestr(p, key)) != NULL; p += klen)
        hits++;
    char *out = sm__arena_alloc(arena, n + 3 * hits + 1), *o = out;
    if (out == NULL)
        return NULL;
    for (const char *p = s; *p != '\0';) {
        const char *k = strcasestr(p, key);
        if (k == NULL) {
            memcpy(o, p, strlen(p) + 1); /* the rest fits: sized above */
            return out;
        }
        k += klen;
        memcpy(o, p, (size_t)(k - p));
        o += k - p;
        memcpy(o, "***", 3);
        o += 3;
        if (*k == '\'') { /* 'quoted', with \' and \\ inside */
            for (k++; *k != '\0' && *k != '\''; k++)
                if (*k == '\\' && k[1] != '\0')
                    k++;
            if (*k == '\'')
                k++;
        } else {
            while (*k != '\0' && !isspace((unsigned char)*k))
                k++;
        }
        p = k;
    }
    *o = '\0';
    return out;
}

void sm__vdiag(sm_ctx *ctx, sm_severity severity, const char *file, long feature, const char *id,
               const char *field, const char *fmt, va_list ap)
{
    if (severity == SM_SEV_ERROR)
        ctx->errors++;
    else
        ctx->warnings++;
    if (ctx->diags.len >= SM_DIAG_KEEP) {
        ctx->dropped++;
        return;
    }
    /* The message at whatever length it has (a quoted value can be long). */
    char *msg = sm__vstrfmt(fmt, ap);
    sm_diag *d = msg != NULL ? sm__vec_push(&ctx->diags) : NULL;
    if (d == NULL) {
        free(msg);
        ctx->dropped++;
        return;
    }
    d->severity = severity;
    d->feature = feature;
    d->file = scrub_secrets(&ctx->diag_arena, dup_utf8(&ctx->diag_arena, file));
    d->id = dup_utf8(&ctx->diag_arena, id);
    d->field = dup_utf8(&ctx->diag_arena, field);
    d->message = scrub_secrets(&ctx->diag_arena, dup_utf8(&ctx->diag_arena, msg));
    free(msg);
    if (d->message == NULL || (file && !d->file) || (id && !d->id) || (field && !d->field)) {
        ctx->diags.len--;
        ctx->dropped++;
    }
}

sm_status sm__nomem(sm_ctx *ctx, const char *file, long feature, const char *id, const char *field)
{
    sm__diag(ctx, SM_SEV_ERROR, file, feature, id, field, "out of memory; nothing was written");
    return SM_ERR_NOMEM;
}

void sm__diag(sm_ctx *ctx, sm_severity severity, const char *file, long feature, const char *id,
              const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sm__vdiag(ctx, severity, file, feature, id, field, fmt, ap);
    va_end(ap);
}

size_t sm_ctx_diag_count(const sm_ctx *ctx)
{
    return ctx->diags.len;
}

const sm_diag *sm_ctx_diag(const sm_ctx *ctx, size_t index)
{
    if (index >= ctx->diags.len)
        return NULL;
    return (const sm_diag *)ctx->diags.data + index;
}

size_t sm_ctx_diag_dropped(const sm_ctx *ctx)
{
    return ctx->dropped;
}

size_t sm_ctx_error_count(const sm_ctx *ctx)
{
    return ctx->errors;
}

size_t sm_ctx_warning_count(const sm_ctx *ctx)
{
    return ctx->warnings;
}

void sm_ctx_diag_clear(sm_ctx *ctx)
{
    ctx->diags.len = 0;
    sm__arena_free(&ctx->diag_arena);
    ctx->dropped = ctx->errors = ctx->warnings = 0;
}

size_t sm_diag_format(const sm_diag *d, char *buf, size_t size)
{
    /* Each part is written straight into buf (snprintf never writes past
     * size); the return value is the whole line's length, as snprintf's. */
    size_t n = 0;
#define SM__PUT(...)                                                                               \
    do {                                                                                           \
        int k = snprintf(n < size ? buf + n : NULL, n < size ? size - n : 0, __VA_ARGS__);         \
        if (k > 0)                                                                                 \
            n += (size_t)k;                                                                        \
    } while (0)
    if (size > 0)
        buf[0] = '\0';
    if (d->file != NULL)
        SM__PUT("%s: ", d->file);
    if (d->feature >= 0) {
        if (d->id != NULL)
            SM__PUT("feature %ld (id \"%s\"): ", d->feature, d->id);
        else
            SM__PUT("feature %ld (no id): ", d->feature);
    }
    if (d->field != NULL)
        SM__PUT("field \"%s\": ", d->field);
    SM__PUT("%s", d->message ? d->message : "");
#undef SM__PUT
    return n;
}

char *sm_diag_format_new(const sm_diag *d)
{
    size_t n = sm_diag_format(d, NULL, 0);
    char *s = malloc(n + 1);
    if (s != NULL)
        sm_diag_format(d, s, n + 1);
    return s;
}

void sm_string_free(char *s)
{
    free(s);
}
