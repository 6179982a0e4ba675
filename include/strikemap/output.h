/*
 * strikemap/output.h: the verdict outputs of a check (SPEC §3): the
 * formats, and writers that take pairs as they come and write them whole
 * (a temporary beside the target, renamed when complete).
 *
 * Every format carries the same fields per pair (the numbers of sm_pair,
 * the claims' warnings, the reasons); the strike's claimed window is two
 * fields, strike_time_start and strike_time_end (equal for a time without a
 * window), and the fix's fix_time_start and fix_time_end: ISO 8601 text in
 * the claim's offset in JSON, CSV and KML, DateTime in GeoJSON (with the
 * offset) and GeoPackage (UTC). One layer, "verdicts", in every format that
 * has layers. KML and KMZ add each line's name ("STRIKE <- AIRCRAFT:
 * verdict"), its reasons as the description, a line style coloured by
 * verdict and a TimeSpan from the earlier to the later claimed time.
 */
#ifndef STRIKEMAP_OUTPUT_H
#define STRIKEMAP_OUTPUT_H

#include <stdio.h>
#include "core.h"
#include "claims.h"
#include "check.h"
#include "geodesy.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sm_format {
    SM_FORMAT_TEXT = 0, /* an aligned table */
    SM_FORMAT_JSON = 1, /* {"summary": {...}, "pairs": [...]} */
    SM_FORMAT_CSV = 2,
    SM_FORMAT_GEOJSON = 3, /* a LineString from each fix to its strike */
    SM_FORMAT_GPKG = 4,
    SM_FORMAT_KML = 5, /* Google Earth: GDAL's LIBKML driver */
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
/* *out is the caller's until sm_writer_close or sm_writer_abort frees it;
 * claims, path and stream are borrowed and must outlive it. */
sm_status sm_writer_open(sm_ctx *ctx, const sm_claims *claims, sm_format format, const char *path,
                         FILE *stream, sm_writer **out);
sm_status sm_writer_add(sm_writer *writer, const sm_pair *pair);
/* Evaluate the pairs the options ask for and write each listed one; text,
 * JSON and CSV rows are formatted by the worker threads. Then close the
 * writer with sm_writer_close(writer, summary). */
sm_status sm_check_write(sm_ctx *ctx, const sm_claims *claims, const sm_check_options *options,
                         sm_writer *writer, sm_check_summary *summary);
/* The same over a claim stream (sm_claims_stream_open; this runs it): the
 * strikes are checked batch by batch as the stream reads them, so memory
 * does not grow with the strikes, and the writer gets the same rows, in
 * the same order, as sm_check_write on the claims loaded whole. Open the
 * writer on sm_claims_stream_claims(stream). writer NULL: the summary
 * only (what `check --count` prints). A duplicate strike id, found as the
 * stream reads, returns SM_ERR_INVALID: abort the writer then. The text
 * format sizes its columns from every strike id at open: use the claims
 * loaded whole for it. */
sm_status sm_check_write_stream(sm_ctx *ctx, sm_claims_stream *stream,
                                const sm_check_options *options, sm_writer *writer,
                                sm_check_summary *summary);
/* Writes the summary (where the format has a place for it) and commits.
 * Frees the writer, whatever it returns (writer is invalid after); NULL: a
 * no-op. summary is borrowed for the call. */
sm_status sm_writer_close(sm_writer *writer, const sm_check_summary *summary);
/* Removes the temporary and frees the writer (invalid after); NULL: a
 * no-op. */
void sm_writer_abort(sm_writer *writer);

/* Write the reach area (strikemap/geodesy.h's sm_reach_area_geojson) to
 * path: GeoJSON for ".geojson", ".json" and "-" (standard output), KML for
 * ".kml" and KMZ for ".kmz" (GDAL's LIBKML driver: one layer, "reach", a
 * named and styled polygon per tier, for Google Earth). Written whole, like
 * every file here. Another extension is SM_ERR_USAGE. */
sm_status sm_reach_write(sm_ctx *ctx, const sm_reach_options *options, double azimuth_step_deg,
                         const char *path);

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
