/*
 * signals.c: the registry of live temporaries (files.c's) and the
 * SIGINT/SIGTERM/SIGHUP handler (sm_files_handle_signals) that empties it
 * with unlink, the one async-signal-safe call it needs, before the
 * signal's default action ends the process. A signal that arrives during a
 * set's commit waits for the commit to end.
 */
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>
#include <limits.h>

#include "core/files_internal.h"

/* Slots are claimed with a compare-and-swap; the handler reads them with
 * no lock. A path's memory is freed only when no handler has started (a
 * handler ends the process, so a path it might still read is left). */
static _Atomic(char *) g_live[SM__LIVE_TMP_MAX];
static atomic_int g_in_handler;
static atomic_int g_committing;
static volatile sig_atomic_t g_pending;

int sm__registry_add(char *path)
{
    for (int i = 0; i < SM__LIVE_TMP_MAX; i++) {
        char *expected = NULL;
        if (atomic_compare_exchange_strong(&g_live[i], &expected, path))
            return i;
    }
    return -1;
}

/* Forget slot i; true when path may be freed. */
bool sm__registry_remove(int i)
{
    if (i >= 0 && i < SM__LIVE_TMP_MAX)
        atomic_store(&g_live[i], NULL);
    return atomic_load(&g_in_handler) == 0;
}

/* What SQLite (under GDAL's GeoPackage driver) keeps beside a database
 * during a transaction. */
static const char *const g_sqlite_sides[] = {"-journal", "-wal", "-shm"};

static void unlink_live(void)
{
    for (int i = 0; i < SM__LIVE_TMP_MAX; i++) {
        char *p = atomic_load(&g_live[i]);
        if (p == NULL)
            continue;
        unlink(p);
        /* strlen, memcpy and unlink are async-signal-safe; a name longer
         * than PATH_MAX could not have been created */
        char side[PATH_MAX + 16];
        size_t n = strlen(p);
        for (size_t k = 0; k < SM__ARRAY_LEN(g_sqlite_sides) && n < PATH_MAX; k++) {
            size_t m = strlen(g_sqlite_sides[k]); /* copied with its NUL */
            memcpy(side, p, n);
            memcpy(side + n, g_sqlite_sides[k], m);
            side[n + m] = '\0';
            unlink(side);
        }
    }
}

static void on_signal(int sig)
{
    if (atomic_load(&g_committing) > 0) {
        /* a set is being renamed into place: let it finish (its end
         * raises the signal again) */
        g_pending = sig;
        return;
    }
    atomic_store(&g_in_handler, 1);
    unlink_live();
    signal(sig, SIG_DFL);
    raise(sig); /* delivered when the handler returns */
}

static const int g_signals[] = {SIGINT, SIGTERM, SIGHUP};

sm_status sm_files_handle_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < SM__ARRAY_LEN(g_signals); i++)
        sigaddset(&sa.sa_mask, g_signals[i]);
    for (size_t i = 0; i < SM__ARRAY_LEN(g_signals); i++) {
        struct sigaction old;
        if (sigaction(g_signals[i], NULL, &old) != 0)
            return SM_ERR_IO;
        if (old.sa_handler == SIG_IGN)
            continue; /* nohup and the like: stay ignored */
        if (sigaction(g_signals[i], &sa, NULL) != 0)
            return SM_ERR_IO;
    }
    return SM_OK;
}

void sm__commit_begin(void)
{
    atomic_fetch_add(&g_committing, 1);
}

void sm__commit_end(void)
{
    if (atomic_fetch_sub(&g_committing, 1) == 1 && g_pending != 0) {
        int sig = g_pending;
        g_pending = 0;
        atomic_store(&g_in_handler, 1);
        unlink_live();
        signal(sig, SIG_DFL);
        raise(sig);
    }
}
