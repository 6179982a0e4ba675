/*
 * gdal.c: GDAL's process-wide setup and the capture of its error messages,
 * so that what OGR says about a broken file reaches the user as a
 * diagnostic instead of being printed by GDAL itself.
 */
#include <pthread.h>
#include <string.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#include "internal.h"

static pthread_once_t g_gdal_once = PTHREAD_ONCE_INIT;

static void gdal_init_once(void)
{
    GDALAllRegister();
}

void sm__gdal_init(void)
{
    pthread_once(&g_gdal_once, gdal_init_once);
}

static _Thread_local char g_last_msg[1024];
static _Thread_local bool g_have_msg;

static void CPL_STDCALL capture_handler(CPLErr cls, CPLErrorNum num, const char *msg)
{
    (void)num;
    /* Keep the first failure: later ones are usually consequences of it. */
    if (cls >= CE_Failure && !g_have_msg && msg != NULL) {
        strncpy(g_last_msg, msg, sizeof(g_last_msg) - 1);
        g_last_msg[sizeof(g_last_msg) - 1] = '\0';
        g_have_msg = true;
    }
}

void sm__cpl_capture_begin(void)
{
    g_have_msg = false;
    g_last_msg[0] = '\0';
    CPLPushErrorHandler(capture_handler);
}

const char *sm__cpl_capture_end(void)
{
    CPLPopErrorHandler();
    return g_have_msg ? g_last_msg : NULL;
}
