/*
 * pg.c: verdicts written to PostGIS (SPEC §7). The output path is a "PG:"
 * connection string (libpq's keywords, as GDAL's PostgreSQL driver takes
 * it); the table is the layer name of every format ("verdicts"), or the
 * one its "tables=" keyword names; ogr.c makes the layer and its rows.
 *
 * A database has no temporary to rename: the table is replaced inside one
 * transaction instead (PostgreSQL's DDL is transactional). The old table is
 * dropped, the new one created and filled, and all of it committed at the
 * end, or rolled back on any failure, so a write that fails (no right to
 * replace the table, a dropped connection, a signal: the server rolls back
 * the transaction of a client that is gone) leaves the old table as it was
 * (SPEC §6). GDAL's driver does not always return a failure (a DROP the
 * server refuses inside a transaction returns OGRERR_NONE, and the COMMIT
 * of a transaction an error aborted is a rollback that the server reports
 * as done): every call runs inside a capture of GDAL's errors, any failure
 * fails the write, and the table is counted again after the commit.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gdal.h>
#include <ogr_api.h>

#include "output/output_internal.h"

/* A connection string without its "tables=" keyword (*conn), and that
 * keyword's value (*tables, NULL when none). GDAL's driver reads the
 * keyword the same way: at the start or after a space, its value up to the
 * next space. False when out of memory. */
static bool split_tables(const char *path, char **conn, char **tables)
{
    *tables = NULL;
    *conn = strdup(path);
    if (*conn == NULL)
        return false;
    char *k = *conn;
    while ((k = strstr(k, "tables=")) != NULL && k != *conn + 3 && !isspace((unsigned char)k[-1]))
        k += 7;
    if (k == NULL)
        return true;
    char *end = k + 7;
    while (*end != '\0' && !isspace((unsigned char)*end))
        end++;
    *tables = strndup(k + 7, (size_t)(end - k - 7));
    if (*tables == NULL) {
        free(*conn);
        *conn = NULL;
        return false;
    }
    memmove(k, end, strlen(end) + 1);
    return true;
}

/* name is one of the comma-separated list (any case). */
static bool in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; *p != '\0';) {
        size_t len = strcspn(p, ",");
        if (len == n && strncasecmp(p, name, n) == 0)
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

/* The claims file (a connection string) that the table name of conn is
 * part of, or NULL: named in its "tables=", or, when it has none, every
 * table of the database was read (exists: the table is there). *nomem on
 * failure. */
static const char *input_table(const sm_claims *claims, const char *conn, const char *name,
                               bool exists, bool *nomem)
{
    /* every source the set was read from (strikes read as a stream too) */
    for (size_t i = 0; i < sm_claims_file_count(claims); i++) {
        const char *file = sm_claims_file(claims, i);
        if (!sm__path_is_pg(file))
            continue;
        char *c = NULL, *t = NULL;
        if (!split_tables(file, &c, &t)) {
            *nomem = true;
            return NULL;
        }
        bool same = strcmp(c, conn) == 0 && (t == NULL ? exists : in_list(t, name));
        free(c);
        free(t);
        if (same)
            return file;
    }
    return NULL;
}

/* GDAL's message on one line (libpq's come on several, indented) and
 * without libpq's "ERROR:  "; NULL when none or out of memory. */
static char *one_line(const char *msg)
{
    if (msg == NULL)
        return NULL;
    if (strncmp(msg, "ERROR:  ", 8) == 0)
        msg += 8;
    char *s = strdup(msg), *o = s;
    if (s == NULL)
        return NULL;
    for (const char *p = s; *p != '\0'; p++)
        if (!isspace((unsigned char)*p))
            *o++ = *p;
        else if (o > s && o[-1] != ' ')
            *o++ = ' ';
    while (o > s && o[-1] == ' ')
        o--;
    *o = '\0';
    return s;
}

/* "cannot be written" with GDAL's message (which can quote a whole SQL
 * statement: then its first 300 bytes, cut at a character's start), and
 * that the table is unchanged. */
static void pg_fail(sm_writer *w, const char *msg, const char *what)
{
    char *line = one_line(msg);
    size_t n = line != NULL ? strlen(line) : 0, keep = n > 300 ? 300 : n;
    while (keep < n && keep > 0 && ((unsigned char)line[keep] & 0xC0) == 0x80)
        keep--;
    sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, NULL, "%s%s%.*s%s%s", what, n > 0 ? ": " : "",
             (int)keep, n > 0 ? line : "", keep < n ? " [...]" : "",
             "; the table, if any, is unchanged");
    free(line);
}

/* Opens the database and begins the transaction; drops the old table in
 * it and creates the new one. */
static sm_status pg_open(sm_writer *w)
{
    char *conn = NULL, *table = NULL;
    if (!split_tables(w->path, &conn, &table))
        return sm__nomem(w->ctx, w->path, -1, NULL, NULL);
    sm_status st = SM_OK;
    if (table != NULL && (table[0] == '\0' || strchr(table, ',') != NULL)) {
        sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, "tables",
                 "names %s; expected the one table to write the verdicts to",
                 table[0] == '\0' ? "no table" : "several tables");
        st = SM_ERR_USAGE;
    }
    const char *name = table != NULL ? table : SM__LAYER_NAME;
    const char *drivers[] = {"PostgreSQL", NULL};
    const char *msg = NULL;
    int old = -1;
    if (st == SM_OK) {
        sm__cpl_capture_begin();
        w->ds = sm__gdal_open(conn, GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, NULL);
        for (int i = 0; w->ds != NULL && i < GDALDatasetGetLayerCount(w->ds) && old < 0; i++)
            if (strcmp(OGR_L_GetName(GDALDatasetGetLayer(w->ds, i)), name) == 0)
                old = i;
        msg = sm__cpl_capture_end();
        if (w->ds == NULL) {
            pg_fail(w, msg, "cannot be opened");
            st = SM_ERR_IO;
        }
    }
    if (st == SM_OK) {
        /* without PostGIS GDAL would write the lines as bytea, with no SRID */
        sm__cpl_capture_begin();
        OGRLayerH r = GDALDatasetExecuteSQL(w->ds, "SELECT postgis_lib_version()", NULL, NULL);
        if (r != NULL)
            GDALDatasetReleaseResultSet(w->ds, r);
        msg = sm__cpl_capture_end();
        if (r == NULL || msg != NULL) {
            sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, NULL,
                     "cannot be written: the database has no PostGIS (CREATE EXTENSION postgis)");
            st = SM_ERR_IO;
        }
    }
    bool nomem = false;
    const char *input = st == SM_OK ? input_table(w->claims, conn, name, old >= 0, &nomem) : NULL;
    if (nomem)
        st = sm__nomem(w->ctx, w->path, -1, NULL, NULL);
    else if (input != NULL) {
        sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, "-o",
                 "table \"%s\" is read as claims from %s; an output never replaces an input", name,
                 input);
        st = SM_ERR_USAGE;
    }
    if (st == SM_OK) {
        sm__cpl_capture_begin();
        bool ok = GDALDatasetStartTransaction(w->ds, FALSE) == OGRERR_NONE;
        if (ok && old >= 0)
            ok = GDALDatasetDeleteLayer(w->ds, old) == OGRERR_NONE;
        msg = sm__cpl_capture_end();
        if (!ok || msg != NULL) {
            pg_fail(w, msg, "cannot be written");
            st = SM_ERR_IO;
        }
    }
    /* the table is named exactly as given (GDAL would fold "Verdicts" to
     * "verdicts" and "my-verdicts" to "my_verdicts", which the next run
     * would not find to replace) */
    const char *opts[] = {"LAUNDER=NO", NULL};
    if (st == SM_OK)
        st = sm__ogr_layer_create(w, name, (char **)(uintptr_t)opts);
    free(conn);
    free(table);
    return st; /* on failure sm_writer_open calls pg_abort */
}

static sm_status pg_add(sm_writer *w, const sm_pair *p)
{
    sm__cpl_capture_begin();
    sm_status st = sm__ogr_add(w, p);
    const char *msg = sm__cpl_capture_end();
    if (msg != NULL && (st == SM_OK || st == SM_ERR_IO)) {
        pg_fail(w, msg, "cannot be written"); /* why, and what became of the table */
        st = SM_ERR_IO;
    }
    return st;
}

/* Commits, then counts the table's rows. */
static sm_status pg_finish(sm_writer *w, const sm_check_summary *summary)
{
    (void)summary;
    sm__cpl_capture_begin();
    bool ok = GDALDatasetCommitTransaction(w->ds) == OGRERR_NONE;
    const char *msg = sm__cpl_capture_end();
    sm_status st = SM_OK;
    if (!ok || msg != NULL) {
        /* an error aborted the transaction: the server rolled it back */
        pg_fail(w, msg, "cannot be written");
        st = SM_ERR_IO;
    } else {
        sm__cpl_capture_begin();
        GIntBig n = OGR_L_GetFeatureCount(w->layer, TRUE);
        msg = sm__cpl_capture_end();
        if (n != (GIntBig)w->count) {
            int len = msg != NULL ? (int)strcspn(msg, "\n") : 0;
            sm__diag(w->ctx, SM_SEV_ERROR, w->path, -1, NULL, NULL,
                     "cannot be written: read back, the table holds %lld of %zu rows%s%.*s",
                     n < 0 ? 0LL : (long long)n, w->count, len > 0 ? ": " : "", len,
                     len > 0 ? msg : "");
            st = SM_ERR_IO;
        }
    }
    sm__cpl_capture_begin();
    GDALClose(w->ds);
    sm__cpl_capture_end();
    w->ds = NULL;
    return st;
}

static void pg_abort(sm_writer *w)
{
    if (w->ds == NULL)
        return;
    sm__cpl_capture_begin();
    /* no transaction yet (an input named) is no harm: GDAL says so */
    GDALDatasetRollbackTransaction(w->ds);
    GDALClose(w->ds);
    sm__cpl_capture_end();
    w->ds = NULL;
}

const sm__writer_ops sm__pg_writer = {pg_open, pg_add, NULL, NULL, pg_finish, pg_abort};
