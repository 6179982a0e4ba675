/*
 * text.c: text built for people and for files: growing strings of any
 * length (sm__sbuf) and numbers formatted without printf's cost or its
 * locale (sm__fmt_fixed, "1,098.5" by sm__fmt_num). Core: calls nothing
 * above core/.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

/* |v| with the given decimals (clamped to 0 to 9) into buf (at least
 * SM__FMT_FIXED_MAX bytes), as printf's "%.*f" would write it, but without
 * its cost: the bulk outputs print tens of millions of numbers. Returns the
 * length, always below SM__FMT_FIXED_MAX.
 * From 1e15 on (no decimals left to a double there) the number is written
 * in exponent form ("1.0000000000000001e+300", at most 23 characters)
 * rather than as up to 309 digits; a non-finite v writes "0" (the writers
 * never pass one: they write such a number as null). */
/* What sm__fmt_fixed writes if snprintf ever failed (it cannot for the
 * lengths above, but the bytes written must never be left undefined). */
static size_t fixed_failed(char *buf)
{
    buf[0] = '0';
    buf[1] = '\0';
    return 1;
}

size_t sm__fmt_fixed(double v, int decimals, char *buf)
{
    static const double pow10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    decimals = decimals < 0 ? 0 : (decimals > 9 ? 9 : decimals);
    double a = fabs(v);
    if (!isfinite(a))
        return fixed_failed(buf);
    int n_;
    if (!(a < 1e15)) {
        n_ = snprintf(buf, SM__FMT_FIXED_MAX, "%.17g", a);
        return n_ > 0 && n_ < SM__FMT_FIXED_MAX ? (size_t)n_ : fixed_failed(buf);
    }
    double scaled = a * pow10[decimals];
    /* Near a tie the product has rounded; the exact binary value decides,
     * as printf's would. From 2^53 on the product is no longer exact
     * (and from 2^64 it would overflow the integer). */
    if (!(scaled < 9007199254740992.0) || fabs(scaled - floor(scaled) - 0.5) < 1e-6) {
        n_ = snprintf(buf, SM__FMT_FIXED_MAX, "%.*f", decimals, a);
        return n_ > 0 && n_ < SM__FMT_FIXED_MAX ? (size_t)n_ : fixed_failed(buf);
    }
    unsigned long long n = (unsigned long long)scaled;
    if (scaled - (double)n > 0.5)
        n++;
    char digits[32];
    int k = 0;
    do {
        digits[k++] = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0 || k <= decimals);
    size_t len = 0;
    for (int i = k - 1; i >= 0; i--) {
        buf[len++] = digits[i];
        if (i == decimals && decimals > 0)
            buf[len++] = '.';
    }
    buf[len] = '\0';
    return len;
}

/* "1,098" style, with the given decimals; from 1e15 on "1e+300" style. */
char *sm__fmt_num(double v, int decimals, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    if (!isfinite(v)) {
        snprintf(buf, size, "%s", isnan(v) ? "-" : (v > 0 ? "inf" : "-inf"));
        return buf;
    }
    if (!(fabs(v) < 1e15)) {
        snprintf(buf, size, "%.6g", v);
        return buf;
    }
    char raw[SM__FMT_FIXED_MAX] = "";
    size_t raw_len = sm__fmt_fixed(v, decimals, raw);
    char *dot = memchr(raw, '.', raw_len);
    size_t int_len = dot ? (size_t)(dot - raw) : raw_len;
    /* sign, digits with a comma every three, the decimals */
    char out[2 * SM__FMT_FIXED_MAX];
    size_t k = 0;
    /* a value that rounds to zero prints without its sign */
    bool neg = v < 0 && strspn(raw, "0.") != raw_len;
    if (neg)
        out[k++] = '-';
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = raw[i];
    }
    if (dot)
        for (const char *p = dot; *p && k + 1 < sizeof(out); p++)
            out[k++] = *p;
    out[k] = '\0';
    snprintf(buf, size, "%s", out);
    return buf;
}

const char *sm__plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

char *sm__fmt_count(size_t n, const char *one, const char *many, const char *zero, char *buf,
                    size_t size)
{
    if (n == 0 && zero != NULL) {
        snprintf(buf, size, "%s", zero);
        return buf;
    }
    char num[SM__FMT_COUNT_MAX];
    snprintf(buf, size, "%s %s", sm__fmt_num((double)n, 0, num, sizeof(num)),
             sm__plural(n, one, many));
    return buf;
}

/* ---- growing strings ---- */

static bool sbuf_grow(sm__sbuf *b, size_t more)
{
    if (b->failed)
        return false;
    if (more > SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + more + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *s = realloc(b->s, cap);
    if (s == NULL) {
        b->failed = true;
        return false;
    }
    b->s = s;
    b->cap = cap;
    return true;
}

bool sm__sbuf_put(sm__sbuf *b, const char *text, size_t n)
{
    if (!sbuf_grow(b, n))
        return false;
    memcpy(b->s + b->len, text, n);
    b->len += n;
    b->s[b->len] = '\0';
    return true;
}

bool sm__sbuf_printf(sm__sbuf *b, const char *fmt, ...)
{
    if (b->failed)
        return false;
    va_list ap;
    va_start(ap, fmt);
    char *t = sm__vstrfmt(fmt, ap);
    va_end(ap);
    if (t == NULL) {
        b->failed = true;
        return false;
    }
    bool ok = sm__sbuf_put(b, t, strlen(t));
    free(t);
    return ok;
}

const char *sm__sbuf_str(const sm__sbuf *b)
{
    return b->s != NULL ? b->s : "";
}

void sm__sbuf_free(sm__sbuf *b)
{
    free(b->s);
    memset(b, 0, sizeof(*b));
}
