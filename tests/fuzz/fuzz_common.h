/*
 * fuzz_common.h: what the fuzz targets share: a private temporary folder
 * for the input file (the loaders take paths), and the checks every output
 * must pass whatever the input (SPEC §6: nothing lost, no memory misused,
 * every number written finite and well formed).
 *
 * Header-only so that each target is one translation unit that both
 * libFuzzer and the plain replay driver (replay.c) can link.
 */
#ifndef SM_FUZZ_COMMON_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem, open_memstream, mkdtemp, strncasecmp */
#endif
#define SM_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <strikemap/strikemap.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char g_fz_dir[4096];

static void fz_cleanup(void)
{
    if (g_fz_dir[0] == '\0')
        return;
    /* the targets write a handful of fixed names here; remove them all */
    static const char *const names[] = {"in.geojson", "in.csv",   "in.geojsonl",
                                        "table.csv",  "out.json", "out.csv"};
    char p[4200];
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(p, sizeof(p), "%s/%s", g_fz_dir, names[i]);
        unlink(p);
    }
    rmdir(g_fz_dir);
    g_fz_dir[0] = '\0';
}

/* The folder, made on first use and removed at exit. */
static const char *fz_dir(void)
{
    if (g_fz_dir[0] == '\0') {
        const char *t = getenv("TMPDIR");
        snprintf(g_fz_dir, sizeof(g_fz_dir), "%s/smfuzz.XXXXXX", t != NULL && *t ? t : "/tmp");
        if (mkdtemp(g_fz_dir) == NULL) {
            perror("fuzz: mkdtemp");
            abort();
        }
        atexit(fz_cleanup);
    }
    return g_fz_dir;
}

/* Writes data to DIR/name and returns the path (static storage). */
static const char *fz_write(const char *name, const uint8_t *data, size_t size)
{
    static char path[4200];
    snprintf(path, sizeof(path), "%s/%s", fz_dir(), name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || (size > 0 && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(path);
        abort();
    }
    return path;
}

/* A finding: print what is wrong and where, then abort so that libFuzzer
 * keeps the input. */
static void fz_fail(const char *what, const char *out, size_t len, size_t at)
{
    size_t from = at > 60 ? at - 60 : 0;
    fprintf(stderr, "fuzz: %s at byte %zu of %zu of the output:\n", what, at, len);
    for (size_t i = from; i < len && i < at + 60; i++)
        fputc(out[i] >= 0x20 && out[i] < 0x7f ? out[i] : '?', stderr);
    fputc('\n', stderr);
    abort();
}

/* Every output and diagnostic is text: no NUL, valid UTF-8 (invalid UTF-8
 * input is an error before anything is written). */
static void fz_check_text(const char *out, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)out[i];
        if (c == 0)
            fz_fail("NUL byte", out, len, i);
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > len)
            fz_fail("invalid UTF-8", out, len, i);
        for (size_t k = 1; k < n; k++)
            if (((unsigned char)out[i + k] >> 6) != 2)
                fz_fail("invalid UTF-8", out, len, i);
        i += n;
    }
}

static bool fz_is_nonfinite(const char *p, size_t n)
{
    static const char *const words[] = {"nan", "-nan", "inf", "-inf", "infinity", "-infinity"};
    for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
        if (n == strlen(words[k]) && strncasecmp(p, words[k], n) == 0)
            return true;
    return false;
}

/* JSON: no value that is a bare nan or inf (inside a string a quote is
 * escaped, so '": ' opens a value only after an unescaped quote). */
static void fz_check_json_numbers(const char *out, size_t len)
{
    for (size_t i = 1; i + 3 < len; i++) {
        if (out[i] != '"' || out[i - 1] == '\\' || out[i + 1] != ':' || out[i + 2] != ' ')
            continue;
        size_t v = i + 3, e = v;
        while (e < len && out[e] != ',' && out[e] != '}' && out[e] != ']' && out[e] != '\n')
            e++;
        if (fz_is_nonfinite(out + v, e - v))
            fz_fail("a JSON value that is not a finite number", out, len, v);
    }
}

/* CSV: no unquoted field that is nan or inf. */
static void fz_check_csv_numbers(const char *out, size_t len)
{
    size_t start = 0;
    bool quoted = false;
    for (size_t i = 0; i <= len; i++) {
        char c = i < len ? out[i] : '\n';
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == ',' || c == '\n' || c == '\r')) {
            if (fz_is_nonfinite(out + start, i - start))
                fz_fail("a CSV field that is not a finite number", out, len, start);
            start = i + 1;
        }
    }
}

/* Checks claims in one format into memory, then checks the text. */
static void fz_check_format(sm_ctx *ctx, const sm_claims *claims, sm_format format,
                            const sm_check_options *opts)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (mem == NULL)
        abort();
    sm_writer *w = NULL;
    if (sm_writer_open(ctx, claims, format, NULL, mem, &w) == SM_OK) {
        sm_check_summary sum;
        if (sm_check_write(ctx, claims, opts, w, &sum) == SM_OK)
            sm_writer_close(w, &sum);
        else
            sm_writer_abort(w);
    }
    fclose(mem);
    fz_check_text(buf, len);
    if (format == SM_FORMAT_JSON)
        fz_check_json_numbers(buf, len);
    else if (format == SM_FORMAT_CSV)
        fz_check_csv_numbers(buf, len);
    free(buf);
}

/* Check the claims in JSON and CSV, with the pairs attributed and then all. */
static void fz_check_all(sm_ctx *ctx, const sm_claims *claims)
{
    sm_check_options o;
    sm_check_options_init(&o);
    o.threads = 1;
    fz_check_format(ctx, claims, SM_FORMAT_JSON, &o);
    o.pairing = SM_PAIRS_ALL;
    o.list_all = true;
    fz_check_format(ctx, claims, SM_FORMAT_CSV, &o);
}

#endif
