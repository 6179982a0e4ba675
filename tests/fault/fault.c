/*
 * fault.c: allocation-failure injection for libstrikemap (issue 9, "fail the
 * Nth allocation, as SQLite and curl do"). Compiled into the library only
 * with -DSM_FAULT_INJECTION=ON (tests/fault/fault.cmake), which also links
 * the library's own objects with -Wl,--wrap=malloc,... so that every
 * allocation strikemap's code makes comes here first. Allocations made
 * inside GDAL, PROJ, cairo, Pango or glibc are not wrapped and never fail.
 *
 * Environment:
 *   SM_FAIL_ALLOC=N         the Nth allocation (from 1) fails; 0 or unset:
 *                           none fails, allocations are only counted
 *   SM_FAIL_ALLOC_PERSIST=1 every allocation from the Nth on fails
 *   SM_FAIL_ALLOC_REPORT=1  at exit, print "sm-fault: A allocations, F failed"
 *                           to stderr (tests/fault/walk.sh reads it)
 *   SM_FAIL_ALLOC_TRACE=N   print a backtrace of the Nth allocation to stderr
 *                           (where a failing N is made)
 * The count is atomic: the check's worker threads allocate too (run with
 * one thread where a fixed order matters).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
ssize_t __real_getline(char **line, size_t *cap, FILE *f);
FILE *__real_open_memstream(char **buf, size_t *len);
char *__real_realpath(const char *path, char *resolved);

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
ssize_t __wrap_getline(char **line, size_t *cap, FILE *f);
FILE *__wrap_open_memstream(char **buf, size_t *len);
char *__wrap_realpath(const char *path, char *resolved);

/* ASan's symbolising stack printer, when the build has it */
void __sanitizer_print_stack_trace(void) __attribute__((weak));

static atomic_ulong g_count, g_failed;
static unsigned long g_fail_at, g_trace_at;
static bool g_persist, g_report;
static atomic_int g_init; /* 0 not yet, 1 in progress, 2 done */

static unsigned long env_ul(const char *name)
{
    const char *v = getenv(name);
    return v != NULL ? strtoul(v, NULL, 10) : 0;
}

static void report(void)
{
    char line[128];
    int n = snprintf(line, sizeof(line), "sm-fault: %lu allocations, %lu failed\n",
                     (unsigned long)atomic_load(&g_count), (unsigned long)atomic_load(&g_failed));
    if (n > 0 && write(2, line, (size_t)n) < 0)
        return;
}

static void init(void)
{
    int expect = 0;
    if (atomic_compare_exchange_strong(&g_init, &expect, 1)) {
        g_fail_at = env_ul("SM_FAIL_ALLOC");
        g_trace_at = env_ul("SM_FAIL_ALLOC_TRACE");
        g_persist = env_ul("SM_FAIL_ALLOC_PERSIST") != 0;
        g_report = env_ul("SM_FAIL_ALLOC_REPORT") != 0;
        if (g_report)
            atexit(report);
        atomic_store(&g_init, 2);
    }
    while (atomic_load(&g_init) != 2)
        ;
}

/* Counts one allocation; true when it must fail. */
static bool fail_now(void)
{
    if (atomic_load(&g_init) != 2)
        init();
    unsigned long n = atomic_fetch_add(&g_count, 1) + 1;
    if (n == g_trace_at) {
        fprintf(stderr, "sm-fault: allocation %lu made at:\n", n);
        if (__sanitizer_print_stack_trace != NULL) {
            __sanitizer_print_stack_trace();
        } else {
            void *frames[64];
            int k = backtrace(frames, 64);
            backtrace_symbols_fd(frames, k, 2);
        }
    }
    if (g_fail_at != 0 && (n == g_fail_at || (g_persist && n > g_fail_at))) {
        atomic_fetch_add(&g_failed, 1);
        errno = ENOMEM;
        return true;
    }
    return false;
}

void *__wrap_malloc(size_t size)
{
    return fail_now() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
    return fail_now() ? NULL : __real_realloc(p, size);
}

char *__wrap_strdup(const char *s)
{
    return fail_now() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return fail_now() ? NULL : __real_strndup(s, n);
}

ssize_t __wrap_getline(char **line, size_t *cap, FILE *f)
{
    return fail_now() ? -1 : __real_getline(line, cap, f);
}

FILE *__wrap_open_memstream(char **buf, size_t *len)
{
    return fail_now() ? NULL : __real_open_memstream(buf, len);
}

char *__wrap_realpath(const char *path, char *resolved)
{
    /* realpath allocates only when resolved is NULL */
    if (resolved == NULL && fail_now())
        return NULL;
    return __real_realpath(path, resolved);
}
