/*
 * gdal.c: GDAL's process-wide setup and the capture of its error messages,
 * so that what OGR says about a broken file reaches the user as a
 * diagnostic instead of being printed by GDAL itself.
 *
 * The library never prints (STYLE.md): at first use it installs a GDAL error
 * handler that keeps the first failure message of the current capture and
 * prints nothing. Without it, GDAL's default handler writes "ERROR 1: ..."
 * lines to stderr from calls made outside a capture (a GeoPackage's SQLite
 * layer, a driver's destructor). A host program that wants GDAL's messages
 * for its own calls pushes its own handler (CPLPushErrorHandler), which
 * takes precedence on its thread.
 *
 * Drivers are registered as a run needs them, not all at once: a process
 * that has registered all of GDAL's 200-odd drivers holds about 8 MB more
 * than one that has registered the two or three it reads (their code and
 * tables touched), which is a sixth of what a map of a hundred thousand
 * strikes needs. sm__gdal_open registers the driver a file's name points
 * to (or the ones the caller names) and, when that driver does not open
 * it, every driver and tries again; so a file opens exactly as it would
 * with every driver registered, only cheaper when its name says what it
 * is. The single-driver registration functions are looked up by name
 * (dlsym): a GDAL built without one simply falls back to all.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#include "core/internal.h"

static pthread_once_t g_gdal_once = PTHREAD_ONCE_INIT;

/* The first failure since the capture began, at whatever length GDAL gave
 * it (a message can quote a long path or a line of the file): one per
 * thread, freed with the thread (a key's destructor) or by the next
 * capture. */
static pthread_key_t g_msg_key;

static void set_msg(char *msg)
{
    free(pthread_getspecific(g_msg_key));
    pthread_setspecific(g_msg_key, msg);
}

static void CPL_STDCALL capture_handler(CPLErr cls, CPLErrorNum num, const char *msg)
{
    (void)num;
    /* Keep the first failure: later ones are usually consequences of it.
     * Out of memory here: the caller still sees that GDAL failed, by its
     * return value, and gives its own message. */
    if (cls >= CE_Failure && msg != NULL && pthread_getspecific(g_msg_key) == NULL)
        set_msg(strdup(msg));
}

static void CPL_STDCALL quiet_handler(CPLErr cls, CPLErrorNum num, const char *msg)
{
    (void)cls;
    (void)num;
    (void)msg;
}

static void gdal_init_once(void)
{
    pthread_key_create(&g_msg_key, free);
    CPLSetErrorHandler(quiet_handler);
}

/* ---- drivers, as they are needed ----------------------------------------------- */

/* A driver's short name and the function that registers it alone: the
 * ones strikemap reads and writes most, each seen to work alone (not
 * PostgreSQL, whose ExecuteSQL fails without the others registered). */
typedef struct driver_fn {
    const char *name;
    const char *fn;
} driver_fn;

static const driver_fn g_driver_fns[] = {
    {"ESRI Shapefile", "RegisterOGRShape"},
    {"GPKG", "RegisterOGRGeoPackage"},
    {"GeoJSON", "RegisterOGRGeoJSON"},
    {"GeoJSONSeq", "RegisterOGRGeoJSONSeq"},
    {"CSV", "RegisterOGRCSV"},
    {"Memory", "RegisterOGRMEM"},
    {"FlatGeobuf", "RegisterOGRFlatGeobuf"},
};

/* File name endings that name one driver unambiguously (a .kml, which
 * LIBKML and KML both read, is left to every driver). */
typedef struct ext_driver {
    const char *ext;
    const char *name;
} ext_driver;

static const ext_driver g_ext_drivers[] = {
    {".shp", "ESRI Shapefile"},
    {".gpkg", "GPKG"},
    {".geojson", "GeoJSON"},
    {".geojsons", "GeoJSONSeq"},
    {".geojsonl", "GeoJSONSeq"},
    {".geojsonseq", "GeoJSONSeq"},
    {".csv", "CSV"},
    {".fgb", "FlatGeobuf"},
};

static pthread_mutex_t g_reg_mu = PTHREAD_MUTEX_INITIALIZER;
static bool g_all; /* every driver registered (under g_reg_mu) */

void sm__gdal_register_all(void)
{
    sm__gdal_init();
    pthread_mutex_lock(&g_reg_mu);
    if (!g_all) {
        GDALAllRegister();
        g_all = true;
    }
    pthread_mutex_unlock(&g_reg_mu);
}

/* Register one driver by its short name; false when it cannot be done
 * alone (unknown here, or this GDAL has no such function). */
static bool register_one(const char *name)
{
    const char *fn_name = NULL;
    for (size_t i = 0; i < sizeof(g_driver_fns) / sizeof(g_driver_fns[0]); i++)
        if (strcmp(g_driver_fns[i].name, name) == 0)
            fn_name = g_driver_fns[i].fn;
    if (fn_name == NULL)
        return false;
    pthread_mutex_lock(&g_reg_mu);
    bool ok = g_all || GDALGetDriverByName(name) != NULL;
    if (!ok) {
        /* the process's global scope, where GDAL is when linked */
        void *self = dlopen(NULL, RTLD_LAZY);
        void *sym = self != NULL ? dlsym(self, fn_name) : NULL;
        if (sym != NULL) {
            void (*fn)(void);
            memcpy(&fn, &sym, sizeof(fn));
            fn();
            ok = GDALGetDriverByName(name) != NULL;
        }
        if (self != NULL)
            dlclose(self);
    }
    pthread_mutex_unlock(&g_reg_mu);
    return ok;
}

/* Register what opening path needs: the drivers named, else the one its
 * name ends in, else all. False when every driver is registered (a retry
 * would change nothing). */
static bool register_for(const char *path, const char *const *drivers)
{
    sm__gdal_init();
    pthread_mutex_lock(&g_reg_mu);
    bool all = g_all;
    pthread_mutex_unlock(&g_reg_mu);
    if (all)
        return false;
    bool lean = true;
    if (drivers != NULL && drivers[0] != NULL) {
        for (size_t i = 0; drivers[i] != NULL && lean; i++)
            lean = register_one(drivers[i]);
    } else {
        const char *name = NULL;
        size_t n = path != NULL ? strlen(path) : 0;
        for (size_t i = 0; i < sizeof(g_ext_drivers) / sizeof(g_ext_drivers[0]); i++) {
            size_t e = strlen(g_ext_drivers[i].ext);
            if (n > e && strcasecmp(path + n - e, g_ext_drivers[i].ext) == 0)
                name = g_ext_drivers[i].name;
        }
        lean = name != NULL && register_one(name);
    }
    if (!lean)
        sm__gdal_register_all();
    return lean;
}

/* ---- SpatiaLite, left out ---------------------------------------------------------- */

/* GDAL's SQLite and GeoPackage drivers load SpatiaLite into every
 * connection they open. It adds SQL functions strikemap never calls (it
 * reads and writes GeoPackages through GDAL's own code), and loading it
 * touches 1.6 MB of its code and libxml2's: a thirtieth of a map's
 * memory. So strikemap's own opens and creates go without it, on their
 * thread only (a thread-local setting), and only when the user has not
 * set SPATIALITE_LOAD: a host program's own opens are untouched. Returns
 * whether it set it. */
static bool spatialite_off(void)
{
    if (CPLGetConfigOption("SPATIALITE_LOAD", NULL) != NULL)
        return false;
    CPLSetThreadLocalConfigOption("SPATIALITE_LOAD", "NO");
    return true;
}

static void spatialite_restore(bool off)
{
    if (off)
        CPLSetThreadLocalConfigOption("SPATIALITE_LOAD", NULL);
}

void *sm__gdal_open(const char *path, unsigned flags, const char *const *drivers,
                    const char *const *options)
{
    bool lean = register_for(path, drivers);
    bool off = spatialite_off();
    GDALDatasetH ds = GDALOpenEx(path, flags, drivers, options, NULL);
    if (ds == NULL && lean) {
        /* Not the driver its name said: every driver, as GDAL would, and
         * the message of that attempt rather than the first. */
        sm__gdal_register_all();
        set_msg(NULL);
        ds = GDALOpenEx(path, flags, drivers, options, NULL);
    }
    spatialite_restore(off);
    return ds;
}

void *sm__gdal_create(void *driver, const char *path)
{
    bool off = spatialite_off();
    GDALDatasetH ds = GDALCreate(driver, path, 0, 0, 0, GDT_Unknown, NULL);
    spatialite_restore(off);
    return ds;
}

void *sm__gdal_driver(const char *name)
{
    sm__gdal_init();
    if (!register_one(name))
        sm__gdal_register_all();
    GDALDriverH drv = GDALGetDriverByName(name);
    if (drv == NULL) {
        sm__gdal_register_all();
        drv = GDALGetDriverByName(name);
    }
    return drv;
}

void sm__gdal_init(void)
{
    pthread_once(&g_gdal_once, gdal_init_once);
}

void sm__cpl_capture_begin(void)
{
    sm__gdal_init();
    set_msg(NULL);
    CPLPushErrorHandler(capture_handler);
}

const char *sm__cpl_capture_end(void)
{
    CPLPopErrorHandler();
    return pthread_getspecific(g_msg_key);
}
