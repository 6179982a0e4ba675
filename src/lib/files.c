/*
 * files.c: files written whole. Every output (maps, verdict tables,
 * reports) goes to a fresh temporary name in the target's folder (the same
 * file system, so the rename is atomic) and is renamed over the target only
 * when complete, so an existing file is replaced whole or left untouched.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

sm_status sm__tmp_open_ext(sm_ctx *ctx, sm__tmpfile *t, const char *path, const char *ext)
{
    memset(t, 0, sizeof(*t));
    if (strlen(path) >= sizeof(t->final)) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL, "path too long to write");
        return SM_ERR_USAGE;
    }
    snprintf(t->final, sizeof(t->final), "%s", path);
    /* A fresh hidden name beside the target, ".NAME.PID-N.tmp" (the same
     * file system, so rename is atomic), created exclusively with the mode
     * umask gives any file. */
    const char *slash = strrchr(path, '/');
    int dir_len = slash == NULL ? 0 : (int)(slash - path) + 1;
    static _Atomic unsigned counter;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(t->tmp, sizeof(t->tmp), "%.*s.%s.%ld-%u.tmp%s", dir_len, path, path + dir_len,
                 (long)getpid(), counter++, ext ? ext : "");
        fd = open(t->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL, "cannot be written: %s", strerror(errno));
        t->tmp[0] = '\0';
        return SM_ERR_IO;
    }
    t->f = fdopen(fd, "wb");
    if (t->f == NULL) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL, "cannot be written: %s", strerror(errno));
        close(fd);
        unlink(t->tmp);
        t->tmp[0] = '\0';
        return SM_ERR_IO;
    }
    return SM_OK;
}

/* Flush and close; on any error so far remove the temporary. */
sm_status sm__tmp_close(sm_ctx *ctx, sm__tmpfile *t, sm_status st)
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
            sm__diag(ctx, SM_SEV_ERROR, t->final, -1, NULL, NULL, "cannot be written: %s",
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

sm_status sm__tmp_commit(sm_ctx *ctx, sm__tmpfile *t)
{
    if (!t->tmp[0])
        return SM_ERR_IO;
    if (rename(t->tmp, t->final) != 0) {
        sm__diag(ctx, SM_SEV_ERROR, t->final, -1, NULL, NULL, "cannot be replaced: %s",
                 strerror(errno));
        unlink(t->tmp);
        t->tmp[0] = '\0';
        return SM_ERR_IO;
    }
    t->tmp[0] = '\0';
    return SM_OK;
}

void sm__tmp_abort(sm__tmpfile *t)
{
    if (t->f != NULL)
        fclose(t->f);
    t->f = NULL;
    if (t->tmp[0])
        unlink(t->tmp);
    t->tmp[0] = '\0';
}


sm_status sm__tmp_open(sm_ctx *ctx, sm__tmpfile *t, const char *path)
{
    return sm__tmp_open_ext(ctx, t, path, NULL);
}
