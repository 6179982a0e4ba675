/*
 * writer.c: the public verdict writer (strikemap/output.h). It checks the
 * format and path, opens the file written whole (files.c: a temporary
 * beside the target, renamed when complete), and passes each call on to
 * the format's writer (formats.c names it: stream.c or ogr.c).
 * sm_check_write drives the check engine with a sink (check_internal.h),
 * so rows of the stream formats are formatted on the engine's workers.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/output_internal.h"

void sm__writer_mark_nomem(const sm_writer *w)
{
    atomic_store(&((sm_writer *)(uintptr_t)w)->nomem, true);
}

/* The format and path agree, and the path is not an input. */
static sm_status check_target(sm_ctx *ctx, const sm_claims *claims, sm_format format,
                              const char *path)
{
    const sm__format_info *fi = sm__format_info_get(format);
    if (fi == NULL) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "format", "%d is not a verdict format",
                 (int)format);
        return SM_ERR_USAGE;
    }
    if (fi->driver != NULL && path == NULL) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "path",
                 "the %s format needs an output path (not a stream)", fi->name);
        return SM_ERR_USAGE;
    }
    if (path != NULL && fi->seekable && sm__path_is_stdout(path)) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "path",
                 "the %s format cannot be written to standard output: give a file name", fi->name);
        return SM_ERR_USAGE;
    }
    /* a file is not named as another format (an extension no writer
     * knows is the caller's choice; the CLI refuses it) */
    sm_format named = format;
    int known = path != NULL ? sm_format_from_path(path, &named) : 0;
    bool to_db = known > 0 && sm__format_info_get(named)->database;
    if (path != NULL && fi->database && !to_db) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "format",
                 "the %s format writes to a database: give a \"PG:\" connection string", fi->name);
        return SM_ERR_USAGE;
    }
    if (to_db && !fi->database) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "format",
                 "is a database connection, not a %s file", fi->name);
        return SM_ERR_USAGE;
    }
    if (known > 0 && named != format) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, "format", "a \"%s\" file is %s, not %s",
                 sm__path_ext(path), sm_format_name(named), fi->name);
        return SM_ERR_USAGE;
    }
    return sm__out_refuse_inputs(ctx, path, claims);
}

sm_status sm_writer_open(sm_ctx *ctx, const sm_claims *claims, sm_format format, const char *path,
                         FILE *stream, sm_writer **out)
{
    if (out == NULL || ctx == NULL || claims == NULL)
        return SM_ERR_USAGE;
    *out = NULL;
    sm_status st = check_target(ctx, claims, format, path);
    if (st != SM_OK)
        return st;
    const sm__format_info *fi = sm__format_info_get(format);
    if (path == NULL && stream == NULL) {
        sm__diag(ctx, SM_SEV_ERROR, NULL, -1, NULL, "stream", "neither a path nor a stream given");
        return SM_ERR_USAGE;
    }
    sm_writer *w = calloc(1, sizeof(*w));
    if (w == NULL)
        return sm__nomem(ctx, path, -1, NULL, NULL);
    w->ctx = ctx;
    w->claims = claims;
    w->format = format;
    w->fi = fi;
    w->path = path;
    w->out = path == NULL ? stream : NULL;
    if (path != NULL && !fi->database) {
        bool ogr = fi->driver != NULL;
        /* GDAL picks a driver's behaviour by the name's extension */
        st = sm__out_open(ctx, &w->t, path, ogr ? fi->exts[0] : NULL);
        if (st != SM_OK) {
            free(w);
            return st;
        }
        w->to_file = true;
        if (ogr && !w->t.direct) {
            /* OGR creates the file itself (the temporary's name stays
             * registered, so a signal still removes it) */
            fclose(w->t.f); /* empty: nothing to lose */
            w->t.f = NULL;
            unlink(w->t.tmp);
        } else if (!ogr) {
            w->out = w->t.f;
        }
    }
    st = fi->ops->open(w);
    if (st != SM_OK) {
        sm_writer_abort(w);
        return st;
    }
    *out = w;
    return SM_OK;
}

sm_status sm_writer_add(sm_writer *w, const sm_pair *p)
{
    if (w == NULL || p == NULL)
        return SM_ERR_USAGE;
    sm_status st = w->fi->ops->add(w, p);
    if (st == SM_OK && atomic_load(&w->nomem))
        st = sm__nomem(w->ctx, w->path, -1, NULL, "reasons");
    return st;
}

/* ---- the writer as the engine's sink ------------------------------------- */

static bool sink_format(void *user, FILE *out, const sm_pair *p)
{
    const sm_writer *w = user;
    return w->fi->ops->format(w, out, p);
}

static bool sink_put(void *user, const char *text, size_t len, size_t rows)
{
    sm_writer *w = user;
    w->st = w->fi->ops->put(w, text, len, rows);
    return w->st == SM_OK;
}

static bool sink_add(void *user, const sm_pair *p)
{
    sm_writer *w = user;
    w->st = sm_writer_add(w, p);
    return w->st == SM_OK;
}

sm_status sm_check_write(sm_ctx *ctx, const sm_claims *claims, const sm_check_options *options,
                         sm_writer *writer, sm_check_summary *summary)
{
    if (writer == NULL) {
        if (summary != NULL)
            memset(summary, 0, sizeof(*summary));
        return SM_ERR_USAGE;
    }
    bool stream = writer->fi->ops->format != NULL && writer->out != NULL;
    sm__pair_sink sink = {stream ? sink_format : NULL, stream ? sink_put : NULL, sink_add, writer};
    writer->st = SM_OK;
    sm_status st = sm__check_run(ctx, claims, options, &sink, summary);
    return st != SM_OK ? st : writer->st;
}

/* Strikes a batch of a claim stream holds: a few MB of records, and
 * enough for the engine's threads to share. */
#define SM_STREAM_BATCH 16384

static sm_status check_batch(void *user, const sm_claims *batch)
{
    return sm__check_stream_batch(user, batch);
}

sm_status sm_check_write_stream(sm_ctx *ctx, sm_claims_stream *stream,
                                const sm_check_options *options, sm_writer *writer,
                                sm_check_summary *summary)
{
    if (summary != NULL)
        memset(summary, 0, sizeof(*summary));
    if (ctx == NULL || stream == NULL)
        return SM_ERR_USAGE;
    sm__pair_sink sink = {NULL, NULL, sink_add, writer};
    if (writer != NULL) {
        bool rows = writer->fi->ops->format != NULL && writer->out != NULL;
        sink.format = rows ? sink_format : NULL;
        sink.put = rows ? sink_put : NULL;
        writer->st = SM_OK;
    }
    sm__check_stream *cs = NULL;
    sm_status st = sm__check_stream_new(ctx, sm_claims_stream_claims(stream), options,
                                        writer != NULL ? &sink : NULL, &cs);
    if (st == SM_OK)
        st = sm_claims_stream_run(stream, SM_STREAM_BATCH, check_batch, cs);
    sm_check_summary sum;
    sm_status fs = cs != NULL ? sm__check_stream_finish(cs, &sum) : SM_OK;
    sm__check_stream_free(cs);
    if (st == SM_OK)
        st = fs;
    if (st == SM_OK && writer != NULL)
        st = writer->st;
    if (st == SM_OK && summary != NULL)
        *summary = sum;
    return st;
}

/* ---- the end ---------------------------------------------------------------- */

sm_status sm_writer_close(sm_writer *w, const sm_check_summary *summary)
{
    if (w == NULL)
        return SM_OK;
    sm_status st = SM_OK;
    if (atomic_load(&w->nomem))
        st = sm__nomem(w->ctx, w->path, -1, NULL, "reasons");
    if (st == SM_OK)
        st = w->fi->ops->finish(w, summary);
    else
        w->fi->ops->abort(w);
    if (w->out != NULL) {
        if (st == SM_OK && !w->to_file && (fflush(w->out) != 0 || ferror(w->out))) {
            sm__diag(w->ctx, SM_SEV_ERROR, "standard output", -1, NULL, NULL,
                     "cannot be written: %s", strerror(errno));
            st = SM_ERR_IO;
        }
        w->out = NULL;
    }
    if (w->to_file) {
        st = sm__out_close(w->ctx, &w->t, st);
        if (st == SM_OK)
            st = sm__out_commit(w->ctx, &w->t);
        else if (!w->t.direct)
            sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, NULL,
                     "writing failed; the previous file, if any, is unchanged");
        sm__out_abort(&w->t);
    }
    free(w);
    return st;
}

void sm_writer_abort(sm_writer *w)
{
    if (w == NULL)
        return;
    w->fi->ops->abort(w);
    if (w->to_file)
        sm__out_abort(&w->t);
    free(w);
}
