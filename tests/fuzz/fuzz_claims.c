/*
 * fuzz_claims.c: libFuzzer target over the public loading API. The bytes
 * become a claims file, loaded with sm_claims_load; when they load, every
 * pair is checked and written as JSON and CSV into memory, and the text is
 * checked (fuzz_common.h).
 *
 * The file's extension, which picks the OGR driver, is read from the content
 * rather than taken from a byte of it, so that the seed corpus (real claims
 * files) is used as it is: text starting with '{' or '[' is GeoJSON, or
 * GeoJSON text sequence (.geojsonl) when a second line also starts with '{';
 * anything else is CSV. A mutation that adds or removes a line of JSON moves
 * an input between drivers.
 */
#include "fuzz_common.h"

static const char *pick_name(const uint8_t *data, size_t size)
{
    size_t i = 0;
    while (i < size && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    if (i == size || (data[i] != '{' && data[i] != '['))
        return "in.csv";
    for (size_t k = i; k + 1 < size; k++)
        if (data[k] == '\n' && data[k + 1] == '{')
            return data[i] == '{' ? "in.geojsonl" : "in.geojson";
    return "in.geojson";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write(pick_name(data, size), data, size);
    sm_ctx *ctx = sm_ctx_new();
    if (ctx == NULL)
        return 0;
    /* the position check reads the basemap's land polygons for every input:
     * on for a quarter of the inputs (by size), so it is fuzzed too without
     * dividing the speed by ten */
    sm_load_options lo;
    memset(&lo, 0, sizeof(lo));
    lo.no_position_check = size % 4 != 0;
    lo.fallback_speed_kmh = size % 2 ? 800 : 0;
    sm_claims *claims = NULL;
    if (sm_claims_load(ctx, &path, 1, &lo, &claims) == SM_OK) {
        fz_check_all(ctx, claims);
        sm_claims_free(claims);
    } else if (claims != NULL) {
        fprintf(stderr, "fuzz: sm_claims_load failed but set *out\n");
        abort();
    }
    /* every diagnostic formats (file, feature, id and field may be NULL),
     * as valid UTF-8 (corpus/fuzz_claims/diag-invalid-utf8-header.csv: a CSV
     * column name with invalid UTF-8 was echoed as it was);
     * SM_FUZZ_CHECK_DIAG=0 turns the text check off */
    static int check_diag = -1;
    if (check_diag < 0)
        check_diag =
            getenv("SM_FUZZ_CHECK_DIAG") == NULL || atoi(getenv("SM_FUZZ_CHECK_DIAG")) != 0;
    for (size_t i = 0; i < sm_ctx_diag_count(ctx); i++) {
        char *line = sm_diag_format_new(sm_ctx_diag(ctx, i));
        if (line != NULL && check_diag)
            fz_check_text(line, strlen(line));
        sm_string_free(line);
    }
    sm_ctx_free(ctx);
    return 0;
}
