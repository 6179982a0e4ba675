/*
 * formats.c: the verdict formats, one row each; everything else about a
 * format (its name, extensions, whether it needs a real file, the writer
 * that serves it) is derived from this table. Adding a format is a row
 * here and, for one GDAL writes, nothing else (ogr.c serves every OGR
 * driver).
 */
#include <string.h>
#include <strings.h>

#include "output/output_internal.h"

static const sm__format_info g_formats[] = {
    [SM_FORMAT_TEXT] = {"text", NULL, {".txt", ".text", NULL}, false, false, &sm__text_writer},
    [SM_FORMAT_JSON] = {"json", NULL, {".json", NULL, NULL}, false, false, &sm__json_writer},
    [SM_FORMAT_CSV] = {"csv", NULL, {".csv", NULL, NULL}, false, false, &sm__csv_writer},
    [SM_FORMAT_GEOJSON] =
        {"geojson", "GeoJSON", {".geojson", NULL, NULL}, false, false, &sm__ogr_writer},
    [SM_FORMAT_GPKG] = {"gpkg", "GPKG", {".gpkg", NULL, NULL}, true, false, &sm__ogr_writer},
    [SM_FORMAT_KML] = {"kml", "LIBKML", {".kml", NULL, NULL}, false, false, &sm__ogr_writer},
    [SM_FORMAT_KMZ] = {"kmz", "LIBKML", {".kmz", NULL, NULL}, true, false, &sm__ogr_writer},
    [SM_FORMAT_PG] = {"pg", "PostgreSQL", {NULL, NULL, NULL}, true, true, &sm__pg_writer},
};

const sm__format_info *sm__format_info_get(sm_format format)
{
    return (size_t)format < SM__ARRAY_LEN(g_formats) ? &g_formats[format] : NULL;
}

bool sm_format_parse(const char *name, sm_format *out)
{
    for (size_t i = 0; i < SM__ARRAY_LEN(g_formats); i++)
        if (name != NULL && out != NULL && sm__str_ieq(name, g_formats[i].name)) {
            *out = (sm_format)i;
            return true;
        }
    return false;
}

const char *sm_format_name(sm_format format)
{
    return (size_t)format < SM__ARRAY_LEN(g_formats) ? g_formats[format].name : NULL;
}

bool sm__path_is_pg(const char *path)
{
    return path != NULL && strncasecmp(path, "PG:", 3) == 0;
}

const char *sm__path_ext(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot != NULL && dot != base ? dot : NULL;
}

int sm_format_from_path(const char *path, sm_format *out)
{
    if (path == NULL || out == NULL || sm__path_is_stdout(path))
        return 0;
    if (sm__path_is_pg(path)) {
        *out = SM_FORMAT_PG;
        return 1;
    }
    const char *ext = sm__path_ext(path);
    if (ext == NULL)
        return 0;
    for (size_t i = 0; i < SM__ARRAY_LEN(g_formats); i++)
        for (size_t k = 0; k < SM__ARRAY_LEN(g_formats[i].exts) && g_formats[i].exts[k]; k++)
            if (sm__str_ieq(ext, g_formats[i].exts[k])) {
                *out = (sm_format)i;
                return 1;
            }
    return -1;
}
