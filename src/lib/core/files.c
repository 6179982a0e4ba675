/*
 * files.c: files written whole. Every output (maps, verdict tables,
 * reports) goes to a fresh temporary name in the target's folder (the same
 * file system, so the rename is atomic) and is renamed over the target only
 * when complete, so an existing file is replaced whole or left untouched.
 *
 * What the target is:
 * - "-" and "/dev/stdout" are standard output: written straight to it, no
 *   temporary, no rename.
 * - A symlink is written through: the file it points to (followed hop by
 *   hop, up to SM__SYMLINK_HOPS, even when its end does not exist yet) is
 *   replaced, not the link. The folder is resolved with realpath, so the
 *   temporary sits beside the real target.
 * - An existing device or FIFO (/dev/null, a named pipe) is written straight
 *   to: a temporary renamed over a device would replace the device node.
 * - A folder is an error.
 * Paths have no length limit of ours; only the system's (PATH_MAX for one
 * call, NAME_MAX for one name: a temporary's name is shortened to fit).
 *
 * A map and its side files (.pgw, .aux.xml) are committed as one set
 * (sm__out_commit_set): the old files are kept under backup names (hard
 * links) until every new file is in place, and put back when any rename
 * fails. The commit holds an flock on the folder, so two runs writing the
 * same set cannot interleave their renames.
 *
 * Temporaries are listed in a registry that a signal handler empties
 * (signals.c).
 */
/* realpath() is XSI in glibc's headers */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "core/files_internal.h"

/* How many symlinks are followed from an output path to its file (the
 * kernel's own limit for one lookup is 40). */
#define SM__SYMLINK_HOPS 40
/* Longest name of one temporary (the common NAME_MAX). */
#define SM__TMP_NAME_MAX 255

/* ---- paths ---------------------------------------------------------------- */

bool sm__path_is_stdout(const char *path)
{
    return path != NULL && (strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0);
}

/* dir + "/" + name (dir "" means the current folder). */
static char *path_join(const char *dir, size_t dir_len, const char *name)
{
    size_t n = strlen(name);
    char *p = malloc(dir_len + n + 2);
    if (p == NULL)
        return NULL;
    size_t k = 0;
    if (dir_len > 0) {
        memcpy(p, dir, dir_len);
        k = dir_len;
        if (p[k - 1] != '/')
            p[k++] = '/';
    }
    memcpy(p + k, name, n + 1);
    return p;
}

static char *read_link(const char *path)
{
    for (size_t size = 256;; size *= 2) {
        char *buf = malloc(size);
        if (buf == NULL)
            return NULL;
        ssize_t n = readlink(path, buf, size);
        if (n < 0) {
            free(buf);
            return NULL;
        }
        if ((size_t)n < size) {
            buf[n] = '\0';
            return buf;
        }
        free(buf);
    }
}

/* Follow path's symlinks to the file they name (which may not exist yet),
 * then make its folder absolute. Sets *err (an errno) on failure. */
static char *resolve_target(const char *path, int *err)
{
    char *p = strdup(path);
    if (p == NULL) {
        *err = ENOMEM;
        return NULL;
    }
    for (int hop = 0;; hop++) {
        struct stat st;
        if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
            break;
        if (hop == SM__SYMLINK_HOPS) {
            free(p);
            *err = ELOOP;
            return NULL;
        }
        char *target = read_link(p);
        if (target == NULL) {
            *err = errno;
            free(p);
            return NULL;
        }
        char *next;
        if (target[0] == '/') {
            next = target;
        } else {
            const char *slash = strrchr(p, '/');
            next = path_join(p, slash ? (size_t)(slash - p) + 1 : 0, target);
            free(target);
        }
        free(p);
        if (next == NULL) {
            *err = ENOMEM;
            return NULL;
        }
        p = next;
    }
    const char *slash = strrchr(p, '/');
    const char *base = slash ? slash + 1 : p;
    if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        free(p);
        *err = EISDIR;
        return NULL;
    }
    char *dir =
        slash == NULL ? strdup(".") : (slash == p ? strdup("/") : strndup(p, (size_t)(slash - p)));
    if (dir == NULL) {
        free(p);
        *err = ENOMEM;
        return NULL;
    }
    char *real = realpath(dir, NULL);
    free(dir);
    if (real == NULL) {
        *err = errno;
        free(p);
        return NULL;
    }
    char *out = path_join(real, strlen(real), base);
    free(real);
    free(p);
    if (out == NULL)
        *err = ENOMEM;
    return out;
}

/* ---- one file --------------------------------------------------------------- */

static sm_status fail(sm_ctx *ctx, const char *path, int err)
{
    if (err == ENOMEM)
        return sm__nomem(ctx, path, -1, NULL, NULL);
    sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL, "cannot be written: %s", strerror(err));
    return err == ENOMEM ? SM_ERR_NOMEM : SM_ERR_IO;
}

static void out_free_paths(sm__out *o)
{
    if (o->reg >= 0) {
        if (sm__registry_remove(o->reg))
            free(o->tmp);
    } else {
        free(o->tmp);
    }
    o->reg = -1;
    o->tmp = NULL;
    free(o->final);
    o->final = NULL;
    free(o->shown);
    o->shown = NULL;
}

static sm_status open_direct(sm_ctx *ctx, sm__out *o, const char *path, int fd)
{
    o->direct = true;
    o->shown = strdup(fd == STDOUT_FILENO ? "standard output" : path);
    o->final = strdup(path);
    if (o->shown == NULL || o->final == NULL) {
        out_free_paths(o);
        return fail(ctx, path, ENOMEM);
    }
    int d = fd == STDOUT_FILENO ? dup(fd) : fd;
    if (d < 0 || (o->f = fdopen(d, "wb")) == NULL) {
        int err = errno;
        if (d >= 0)
            close(d);
        sm_status st = fail(ctx, o->shown, err);
        out_free_paths(o);
        return st;
    }
    return SM_OK;
}

sm_status sm__out_open(sm_ctx *ctx, sm__out *o, const char *path, const char *ext)
{
    memset(o, 0, sizeof(*o));
    o->reg = -1;
    if (path == NULL || path[0] == '\0') {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "-o", "the output file name is empty");
        return SM_ERR_USAGE;
    }
    if (sm__path_is_stdout(path))
        return open_direct(ctx, o, path, STDOUT_FILENO);
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL, "cannot be written: it is a folder");
            return SM_ERR_IO;
        }
        if (!S_ISREG(st.st_mode)) {
            /* a device or a FIFO: written to as it is */
            int fd = open(path, O_WRONLY | O_CLOEXEC);
            if (fd < 0)
                return fail(ctx, path, errno);
            return open_direct(ctx, o, path, fd);
        }
    }
    int err = 0;
    o->final = resolve_target(path, &err);
    o->shown = strdup(path);
    if (o->final == NULL || o->shown == NULL) {
        sm_status s = fail(ctx, path, o->final == NULL ? err : ENOMEM);
        out_free_paths(o);
        return s;
    }
    /* A fresh hidden name beside the target, ".NAME.PID-N.tmpEXT" (the
     * same file system, so rename is atomic), created exclusively with the
     * mode umask gives any file. NAME is shortened to keep the whole name
     * within SM__TMP_NAME_MAX. */
    const char *slash = strrchr(o->final, '/');
    size_t dir_len = (size_t)(slash - o->final) + 1;
    const char *base = slash + 1;
    if (ext == NULL)
        ext = "";
    static _Atomic unsigned counter;
    int fd = -1;
    err = EEXIST;
    for (int attempt = 0; attempt < 100 && fd < 0 && err == EEXIST; attempt++) {
        char tail[64];
        int tl = snprintf(tail, sizeof(tail), ".%ld-%u.tmp", (long)getpid(),
                          atomic_fetch_add(&counter, 1));
        size_t fixed = 1 + (size_t)tl + strlen(ext);
        if (fixed >= SM__TMP_NAME_MAX) {
            err = ENAMETOOLONG;
            break;
        }
        size_t bl = strlen(base);
        if (bl > SM__TMP_NAME_MAX - fixed)
            bl = SM__TMP_NAME_MAX - fixed;
        free(o->tmp);
        o->tmp = sm__strfmt("%.*s.%.*s%s%s", (int)dir_len, o->final, (int)bl, base, tail, ext);
        if (o->tmp == NULL) {
            err = ENOMEM;
            break;
        }
        fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        err = fd < 0 ? errno : 0;
    }
    if (fd < 0) {
        free(o->tmp);
        o->tmp = NULL;
        sm_status s = fail(ctx, path, err);
        out_free_paths(o);
        return s;
    }
    /* a replaced file keeps its permissions */
    struct stat old;
    if (stat(o->final, &old) == 0 && S_ISREG(old.st_mode))
        (void)fchmod(fd, old.st_mode & 07777);
    o->reg = sm__registry_add(o->tmp);
    if (o->reg < 0) {
        close(fd);
        unlink(o->tmp);
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL,
                 "cannot be written: more than %d output files open at once", SM__LIVE_TMP_MAX);
        out_free_paths(o);
        return SM_ERR_IO;
    }
    o->f = fdopen(fd, "wb");
    if (o->f == NULL) {
        err = errno;
        close(fd);
        unlink(o->tmp);
        sm_status s = fail(ctx, path, err);
        out_free_paths(o);
        return s;
    }
    return SM_OK;
}

sm_status sm__out_close(sm_ctx *ctx, sm__out *o, sm_status st)
{
    if (o->f != NULL) {
        /* ferror: an earlier write failed; flushing again names why */
        bool bad = ferror(o->f) != 0;
        errno = 0;
        if (fflush(o->f) != 0)
            bad = true;
        int err = errno;
        if (!o->direct && !bad && fsync(fileno(o->f)) != 0 && errno != EINVAL) {
            bad = true;
            err = errno;
        }
        if (fclose(o->f) != 0 && !bad) {
            bad = true;
            err = errno;
        }
        o->f = NULL;
        if (bad && err == 0) {
            /* a large write that bypassed the buffer failed earlier and
             * its errno is gone: name a full file system when it is one */
            struct statvfs sv;
            if (o->tmp != NULL && statvfs(o->tmp, &sv) == 0 && sv.f_bavail == 0)
                err = ENOSPC;
        }
        if (bad) {
            /* said even when the caller already failed: a full disk is
             * the reason to give, not what it broke upstream */
            sm__diag(ctx, SM_SEV_ERROR, o->shown ? o->shown : o->final, -1, NULL, NULL,
                     "cannot be written: %s", err ? strerror(err) : "a write failed");
            if (st == SM_OK || st == SM_ERR_RENDER)
                st = SM_ERR_IO;
        }
    }
    if (st != SM_OK && o->tmp != NULL)
        unlink(o->tmp);
    return st;
}

sm_status sm__out_commit(sm_ctx *ctx, sm__out *o)
{
    sm__out *one[1] = {o};
    return sm__out_commit_set(ctx, one, 1);
}

void sm__out_abort(sm__out *o)
{
    if (o->f != NULL)
        fclose(o->f);
    o->f = NULL;
    if (o->tmp != NULL)
        unlink(o->tmp);
    out_free_paths(o);
}

const char *sm__out_name(const sm__out *o)
{
    return o->shown != NULL ? o->shown : (o->final != NULL ? o->final : "");
}

/* ---- a set of files ------------------------------------------------------- */

/* For tests of the set's lock (tests/cli/test_outputs.sh): with
 * STRIKEMAP_TEST_COMMIT_PAUSE_MS set, a set's commit pauses that long
 * between its side files and its main file, the moment another run's
 * renames would mix with this one's without the lock. */
static void test_pause(void)
{
    const char *env = getenv("STRIKEMAP_TEST_COMMIT_PAUSE_MS");
    long ms = env != NULL ? strtol(env, NULL, 10) : 0;
    if (ms > 0 && ms <= 10000) {
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* A backup name for an old file, beside it: ".NAME.PID-N.old". */
static char *backup_name(const char *final)
{
    static _Atomic unsigned counter;
    const char *slash = strrchr(final, '/');
    size_t dir_len = slash ? (size_t)(slash - final) + 1 : 0;
    const char *base = final + dir_len;
    char tail[64];
    int tl =
        snprintf(tail, sizeof(tail), ".%ld-%u.old", (long)getpid(), atomic_fetch_add(&counter, 1));
    size_t bl = strlen(base);
    if (bl > SM__TMP_NAME_MAX - 1 - (size_t)tl)
        bl = SM__TMP_NAME_MAX - 1 - (size_t)tl;
    return sm__strfmt("%.*s.%.*s%s", (int)dir_len, final, (int)bl, base, tail);
}

/* Keep the old file at final under a backup name: a hard link (the old
 * file stays in place meanwhile), else a rename. *backup is NULL when
 * there was no old file. */
static int keep_old(const char *final, char **backup)
{
    *backup = NULL;
    struct stat st;
    if (lstat(final, &st) != 0)
        return errno == ENOENT ? 0 : errno;
    if (S_ISDIR(st.st_mode))
        return EISDIR;
    for (int attempt = 0; attempt < 100; attempt++) {
        char *b = backup_name(final);
        if (b == NULL)
            return ENOMEM;
        if (link(final, b) == 0 || (errno != EEXIST && rename(final, b) == 0)) {
            *backup = b;
            return 0;
        }
        int err = errno;
        free(b);
        if (err != EEXIST)
            return err;
    }
    return EEXIST;
}

/* One commit at a time in a folder, across processes: two runs that write
 * the same set cannot interleave their renames. The folder's descriptor,
 * locked, or -1 (no lock: the commit goes on without it). */
static int lock_folder(const char *final)
{
    const char *slash = strrchr(final, '/');
    char *dir = slash == final ? strdup("/") : strndup(final, (size_t)(slash - final));
    if (dir == NULL)
        return -1;
    int lock = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (lock >= 0 && flock(lock, LOCK_EX) != 0) {
        close(lock);
        lock = -1;
    }
    free(dir);
    return lock;
}

/* After the renames of a set: when they failed (!ok), the old files back
 * in place; the backups removed; the renamed temporaries forgotten. */
static void settle(sm_ctx *ctx, sm__out *const *files, size_t n, char **backup, const bool *placed,
                   bool ok)
{
    for (size_t i = 0; i < n; i++) {
        if (!ok && placed[i]) {
            if (backup[i] != NULL) {
                if (rename(backup[i], files[i]->final) == 0) {
                    free(backup[i]);
                    backup[i] = NULL;
                }
            } else {
                unlink(files[i]->final);
            }
        }
        if (!ok && backup[i] != NULL) {
            /* a backup that is a second link to the old file, or a
             * renamed old file that could not go back (kept, and said) */
            struct stat a, b;
            bool second_link = stat(backup[i], &b) == 0 && stat(files[i]->final, &a) == 0 &&
                               a.st_dev == b.st_dev && a.st_ino == b.st_ino;
            if (second_link) {
                unlink(backup[i]);
            } else if (lstat(files[i]->final, &a) == 0 || rename(backup[i], files[i]->final) != 0) {
                sm__diag(ctx, SM_SEV_ERROR, files[i]->final, -1, NULL, NULL,
                         "the previous file is kept as %s", backup[i]);
            }
        }
        if (ok && backup[i] != NULL)
            unlink(backup[i]);
        free(backup[i]);
        backup[i] = NULL;
        if (placed[i]) {
            /* renamed away: nothing left to remove */
            if (files[i]->reg >= 0 && sm__registry_remove(files[i]->reg))
                free(files[i]->tmp);
            files[i]->reg = -1;
            files[i]->tmp = NULL;
        }
    }
}

sm_status sm__out_commit_set(sm_ctx *ctx, sm__out *const *files, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (files[i]->tmp == NULL && !files[i]->direct) {
            for (size_t j = 0; j < n; j++)
                sm__out_abort(files[j]);
            return SM_ERR_IO;
        }
    }
    char **backup = calloc(n ? n : 1, sizeof(*backup));
    bool *placed = calloc(n ? n : 1, sizeof(*placed));
    if (backup == NULL || placed == NULL) {
        free(backup);
        free(placed);
        sm__nomem(ctx, sm__out_name(files[0]), -1, NULL, NULL);
        for (size_t j = 0; j < n; j++)
            sm__out_abort(files[j]);
        return SM_ERR_NOMEM;
    }
    sm__commit_begin();
    int lock = n > 1 ? lock_folder(files[0]->final) : -1;
    sm_status st = SM_OK;
    size_t bad = 0;
    int err = 0;
    const char *what = "cannot be replaced";
    /* 1. every old file kept aside, the main file's first: a target that
     * cannot be replaced (a folder, an immutable file) stops everything
     * before anything is touched */
    for (size_t i = 0; i < n && st == SM_OK; i++) {
        if (files[i]->direct)
            continue;
        err = keep_old(files[i]->final, &backup[i]);
        if (err != 0) {
            bad = i;
            st = SM_ERR_IO;
        }
    }
    /* 2. the side files, then the main file, renamed into place */
    for (size_t k = 0; k < n && st == SM_OK; k++) {
        size_t i = (k + 1) % n; /* 1, 2, ..., n-1, then 0 */
        if (files[i]->direct)
            continue;
        if (i == 0 && n > 1)
            test_pause();
        if (rename(files[i]->tmp, files[i]->final) != 0) {
            err = errno;
            bad = i;
            st = SM_ERR_IO;
            break;
        }
        placed[i] = true;
    }
    /* 3. on failure, the old set back in place */
    settle(ctx, files, n, backup, placed, st == SM_OK);
    if (st != SM_OK && err == ENOMEM) {
        st = sm__nomem(ctx, sm__out_name(files[bad]), -1, NULL, NULL);
    } else if (st != SM_OK) {
        sm__diag(ctx, SM_SEV_ERROR, sm__out_name(files[bad]), -1, NULL, NULL, "%s: %s", what,
                 strerror(err));
        if (n > 1)
            sm__diag(ctx, SM_SEV_ERROR, sm__out_name(files[0]), -1, NULL, NULL,
                     "nothing replaced: the previous files, if any, are unchanged");
    }
    if (lock >= 0)
        close(lock);
    for (size_t i = 0; i < n; i++) {
        if (files[i]->direct && st == SM_OK && files[i]->f != NULL)
            st = sm__out_close(ctx, files[i], SM_OK);
        sm__out_abort(files[i]);
    }
    free(backup);
    free(placed);
    sm__commit_end();
    return st;
}

/* ---- the public one-shot writer ------------------------------------------- */

sm_status sm_file_write(sm_ctx *ctx, const char *path, const void *data, size_t len)
{
    sm__out o;
    sm_status st = sm__out_open(ctx, &o, path, NULL);
    if (st != SM_OK)
        return st;
    if (len > 0 && fwrite(data, 1, len, o.f) != len) {
        sm__diag(ctx, SM_SEV_ERROR, sm__out_name(&o), -1, NULL, NULL, "cannot be written: %s",
                 strerror(errno));
        clearerr(o.f);
        st = SM_ERR_IO;
    }
    st = sm__out_close(ctx, &o, st);
    if (st == SM_OK)
        st = sm__out_commit(ctx, &o);
    sm__out_abort(&o);
    return st;
}

/* ---- an output that would replace an input ------------------------------- */

sm_status sm__out_refuse_inputs(sm_ctx *ctx, const char *path, const sm_claims *claims)
{
    struct stat so;
    if (path == NULL || claims == NULL || sm__path_is_stdout(path) || stat(path, &so) != 0 ||
        !S_ISREG(so.st_mode))
        return SM_OK; /* a new file or a device replaces nothing read */
    /* every source the set was read from (strikes read as a stream too) */
    for (size_t i = 0; i < sm_claims_file_count(claims); i++) {
        const char *file = sm_claims_file(claims, i);
        struct stat si;
        if (stat(file, &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino) {
            sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "-o",
                     "is the claims file %s; an output never replaces an input", file);
            return SM_ERR_USAGE;
        }
    }
    return SM_OK;
}

/* ---- scratch files ---------------------------------------------------------- */

const char *sm__scratch_dir(void)
{
    const char *d = getenv("TMPDIR");
    return d != NULL && d[0] != '\0' ? d : "/tmp";
}

FILE *sm__scratch_open(void)
{
    char *path = sm__strfmt("%s/strikemap-scratch-XXXXXX", sm__scratch_dir());
    if (path == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    int fd = mkstemp(path);
    FILE *f = NULL;
    if (fd >= 0) {
        unlink(path);
        f = fdopen(fd, "w+b");
        if (f == NULL) {
            int e = errno;
            close(fd);
            errno = e;
        }
    }
    free(path);
    return f;
}

size_t sm__run_size(const char *env, size_t dflt)
{
    const char *e = getenv(env);
    long v = e != NULL ? strtol(e, NULL, 10) : 0;
    return v >= 1 && v <= 100000000 ? (size_t)v : dflt;
}
