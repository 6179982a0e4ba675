/*
 * claims/import.c: `strikemap import`: a published table read through its
 * profile (profiles.c), validated as any claim file is, and its claims
 * written as a claim file (GeoJSON or GeoPackage) through a temporary
 * renamed over the target (SPEC §6: nothing written on error).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gdal_utils.h>

#include "claims/profiles.h"

/* ---- import ----------------------------------------------------------------- */

/* Writes mem's claims layer to out_path (GeoJSON or GeoPackage by its
 * extension) through a temporary renamed over it. */
static sm_status write_claims(sm_ctx *ctx, GDALDatasetH mem, const char *out_path)
{
    size_t n = strlen(out_path);
    bool gpkg = n >= 5 && sm__str_ieq(out_path + n - 5, ".gpkg");
    bool json = (n >= 8 && sm__str_ieq(out_path + n - 8, ".geojson")) ||
                (n >= 5 && sm__str_ieq(out_path + n - 5, ".json")) || sm__path_is_stdout(out_path);
    if (!gpkg && !json) {
        sm__diag(ctx, SM_SEV_ERROR, out_path, -1, NULL, NULL,
                 "is neither .geojson nor .gpkg; expected a claim file name ending in one of them "
                 "(or - for GeoJSON on standard output)");
        return SM_ERR_USAGE;
    }
    sm__out o;
    sm_status st = sm__out_open(ctx, &o, out_path, gpkg ? ".gpkg" : ".geojson");
    if (st != SM_OK)
        return st;
    if (!o.direct) {
        fclose(o.f); /* GDAL creates the file itself */
        o.f = NULL;
        unlink(o.tmp);
    }
    char *argv[] = {"-f", gpkg ? "GPKG" : "GeoJSON", "-nln", "claims", "-unsetFid", NULL};
    sm__gdal_driver(argv[1]); /* registered for GDALVectorTranslate */
    GDALVectorTranslateOptions *vo = GDALVectorTranslateOptionsNew(argv, NULL);
    int usage = 0;
    sm__cpl_capture_begin();
    GDALDatasetH dst = vo != NULL ? GDALVectorTranslate(o.direct ? "/vsistdout/" : o.tmp, NULL, 1,
                                                        &mem, vo, &usage)
                                  : NULL;
    if (dst != NULL)
        GDALClose(dst);
    const char *msg = sm__cpl_capture_end();
    GDALVectorTranslateOptionsFree(vo);
    if (dst == NULL || msg != NULL) {
        sm__diag(ctx, SM_SEV_ERROR, out_path, -1, NULL, NULL, "cannot be written%s%s",
                 msg ? ": " : "", msg ? msg : "");
        st = SM_ERR_IO;
    }
    st = sm__out_close(ctx, &o, st);
    if (st == SM_OK)
        st = sm__out_commit(ctx, &o);
    sm__out_abort(&o);
    return st;
}

sm_status sm_claims_import(sm_ctx *ctx, const char *path, const sm_load_options *options,
                           const char *out_path, size_t *n_written)
{
    static const sm_load_options defaults;
    if (options == NULL)
        options = &defaults;
    if (n_written != NULL)
        *n_written = 0;
    if (path == NULL || out_path == NULL)
        return SM_ERR_USAGE;
    sm_claims *claims = sm_claims_new();
    if (claims == NULL)
        return sm__nomem(ctx, path, -1, NULL, NULL);
    GDALDatasetH mem = NULL;
    sm_status st = sm__claims_add_source(ctx, claims, path, options, &mem);
    sm_status fin = sm_claims_finish(ctx, claims, options);
    if (st == SM_OK)
        st = fin;
    if (st == SM_OK && mem == NULL) {
        sm__diag(ctx, SM_SEV_ERROR, path, -1, NULL, NULL,
                 "is a claim file already (no profile applies); expected a published table "
                 "(--profile acled, airwars, ucdp, opensky, or --map)");
        st = SM_ERR_USAGE;
    }
    size_t n = sm_claims_strike_count(claims) + sm_claims_aircraft_count(claims);
    struct stat si, so;
    if (st == SM_OK && !sm_claims_path_is_stdin(path) && stat(path, &si) == 0 &&
        stat(out_path, &so) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino) {
        sm__diag(ctx, SM_SEV_ERROR, out_path, -1, NULL, "-o",
                 "is the table %s; an output never replaces an input", path);
        st = SM_ERR_USAGE;
    }
    if (st == SM_OK)
        st = write_claims(ctx, mem, out_path);
    if (st == SM_OK && n_written != NULL)
        *n_written = n;
    if (mem != NULL)
        GDALClose(mem);
    sm_claims_free(claims);
    return st;
}
