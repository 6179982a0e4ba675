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
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

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
    GDALAllRegister();
    CPLSetErrorHandler(quiet_handler);
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
