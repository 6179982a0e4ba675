/*
 * strikemap/output.h: the verdict outputs of a check (SPEC §3): the
 * formats, and writers that take pairs as they come and write them whole
 * (a temporary beside the target, renamed when complete). One layer,
 * named "verdicts" (SM_OUTPUT_LAYER), in every format that has layers.
 */
#ifndef STRIKEMAP_OUTPUT_H
#define STRIKEMAP_OUTPUT_H

#include <stdio.h>
#include "core.h"
#include "claims.h"
#include "check.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sm_format {
    SM_FORMAT_TEXT = 0, /* an aligned table */
    SM_FORMAT_JSON = 1, /* {"summary": {...}, "pairs": [...]} */
    SM_FORMAT_CSV = 2,
    SM_FORMAT_GEOJSON = 3, /* a LineString from each fix to its strike */
    SM_FORMAT_GPKG = 4,
    SM_FORMAT_KML = 5, /* Google Earth: OGR's KML driver */
    SM_FORMAT_KMZ = 6, /* zipped KML: OGR's LIBKML driver; needs a file */
    SM_FORMAT_PG = 7   /* PostGIS: the path is a "PG:" connection string */
} sm_format;

/* Parse "text", "json", "csv", "geojson", "gpkg", "kml", "kmz", "pg"; false
 * when none. */
bool sm_format_parse(const char *name, sm_format *out);
/* The format's name ("geojson"); NULL for a value out of range. */
const char *sm_format_name(sm_format format);
/* The format a file name's extension names (".txt", ".json", ".csv",
 * ".geojson", ".gpkg", ".kml", ".kmz", any case; a "PG:" connection
 * string names SM_FORMAT_PG): 1 and *out set; 0 when
 * the name has no extension or is standard output ("-", "/dev/stdout");
 * -1 when no writer handles the extension (".shp", ".fgb"). */
int sm_format_from_path(const char *path, sm_format *out);

/* Writes pairs as they come. Text, JSON and CSV go to a stream (path NULL)
 * or a file; GeoJSON, GeoPackage, KML and KMZ need a path (GeoJSON and KML
 * may be "-", standard output). A path whose extension names another
 * format (".kml" for SM_FORMAT_JSON), or that is one of the files the
 * claims were read from, is SM_ERR_USAGE. A file is written to a
 * temporary name beside it and renamed by sm_writer_close, so an existing
 * file is never left half-written; sm_writer_abort removes the temporary.
 * SM_FORMAT_PG writes to a PostGIS database: the path is a "PG:" connection
 * string (libpq's keywords; "tables=NAME" names the table, else
 * "verdicts"), and the table is replaced in one transaction that
 * sm_writer_close commits and sm_writer_abort (or any failure) rolls back,
 * so an existing table is never left half-written either. */
typedef struct sm_writer sm_writer;
sm_status sm_writer_open(sm_ctx *ctx, const sm_claims *claims, sm_format format, const char *path,
                         FILE *stream, sm_writer **out);
sm_status sm_writer_add(sm_writer *writer, const sm_pair *pair);
/* Evaluate the pairs the options ask for and write each listed one; text,
 * JSON and CSV rows are formatted by the worker threads. Then close the
 * writer with sm_writer_close(writer, summary). */
sm_status sm_check_write(sm_ctx *ctx, const sm_claims *claims, const sm_check_options *options,
                         sm_writer *writer, sm_check_summary *summary);
/* Writes the summary (where the format has a place for it) and commits. */
sm_status sm_writer_close(sm_writer *writer, const sm_check_summary *summary);
void sm_writer_abort(sm_writer *writer);

/* Every file the library writes (verdicts, maps, reports) goes to a
 * temporary beside its target and is renamed into place when complete.
 * The path "-" or "/dev/stdout" writes to standard output (no temporary);
 * a symlink is written through (its target replaced, not the link); an
 * existing device or FIFO is written to as it is.
 * Install handlers for SIGINT, SIGTERM and SIGHUP (unless ignored) that
 * remove the temporaries being written, then end the process with the
 * signal's default action. A signal arriving while a map and its side
 * files are renamed into place waits for that to end. For programs that
 * do not handle these signals themselves; call once, early. */
sm_status sm_files_handle_signals(void);

/* Write len bytes of data to path as one file, in the same way (temporary,
 * then rename; "-" is standard output). */
sm_status sm_file_write(sm_ctx *ctx, const char *path, const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
