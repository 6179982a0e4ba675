/*
 * fuzz_tables.c: libFuzzer target over the reference tables and the
 * formatting of check's numbers. The bytes become an aircraft table, or a
 * weapons table when the first line names a range column (as
 * data/weapons.csv's does), loaded with sm_tables_load_aircraft/_weapons;
 * when it loads, the bundled example (examples/aleppo-2016.geojson) is
 * loaded against it and every pair written as JSON and CSV into memory, and
 * the text checked (fuzz_common.h): a table value of 1e300 must not write
 * stack bytes into reach_km (issue 9, item 2).
 *
 * Needs STRIKEMAP_HOME (or the source tree the library was built from) for
 * the other table and the example.
 */
#include "fuzz_common.h"

static bool is_weapons(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t n = nl != NULL ? (size_t)(nl - data) : size;
    return memmem(data, n, "range", 5) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write("table.csv", data, size);
    sm_ctx *ctx = sm_ctx_new();
    if (ctx == NULL)
        return 0;
    sm_status st = sm_tables_load_defaults(ctx);
    if (st != SM_OK) {
        fprintf(stderr, "fuzz_tables: the bundled tables do not load (%s); set STRIKEMAP_HOME\n",
                sm_status_str(st));
        abort();
    }
    st = is_weapons(data, size) ? sm_tables_load_weapons(ctx, path)
                                : sm_tables_load_aircraft(ctx, path);
    if (st == SM_OK) {
        char example[4200];
        snprintf(example, sizeof(example), "%s/examples/aleppo-2016.geojson", sm_ctx_home(ctx));
        const char *paths[] = {example};
        sm_load_options lo;
        memset(&lo, 0, sizeof(lo));
        lo.no_position_check = true; /* the tables do not move a claim */
        lo.fallback_speed_kmh = 800; /* a fuzzed table may drop a type the example needs */
        sm_claims *claims = NULL;
        if (sm_claims_load(ctx, paths, 1, &lo, &claims) == SM_OK) {
            fz_check_all(ctx, claims);
            sm_claims_free(claims);
        }
    }
    sm_ctx_free(ctx);
    return 0;
}
