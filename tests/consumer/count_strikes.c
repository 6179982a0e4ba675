/*
 * count_strikes.c: another C program using libstrikemap through its public
 * header and pkg-config only: load claim files, count strikes, check them,
 * and draw the map into a cairo surface of its own.
 */
#include <stdio.h>
#include <string.h>

#include <strikemap/strikemap.h>

int main(int argc, char **argv)
{
    sm_ctx *ctx = sm_ctx_new();
    sm_claims *claims = NULL;
    sm_status st =
        sm_claims_load(ctx, (const char *const *)argv + 1, (size_t)argc - 1, NULL, &claims);
    if (st != SM_OK) {
        char line[1024];
        for (size_t i = 0; i < sm_ctx_diag_count(ctx); i++) {
            sm_diag_format(sm_ctx_diag(ctx, i), line, sizeof(line));
            fprintf(stderr, "%s\n", line);
        }
        fprintf(stderr, "load failed: %s\n", sm_status_str(st));
        sm_ctx_free(ctx);
        return 2;
    }
    printf("%zu strikes\n", sm_claims_strike_count(claims));
    sm_check_options co;
    sm_check_options_init(&co);
    sm_check *check = NULL;
    if (sm_check_run(ctx, claims, &co, &check) == SM_OK)
        printf("%zu pairs\n", sm_check_pair_count(check));
    /* options of another layout (a program built against another version
     * of the header) are refused, with a diagnostic naming options.size */
    sm_check_options old = co;
    old.size = sizeof(old) - sizeof(void *);
    sm_check *none = NULL;
    sm_status os = sm_check_run(ctx, claims, &old, &none);
    const sm_diag *d = sm_ctx_diag_count(ctx) ? sm_ctx_diag(ctx, sm_ctx_diag_count(ctx) - 1) : NULL;
    printf("old options: %s, %s, %zu pairs\n", sm_status_str(os),
           d != NULL && d->field != NULL ? d->field : "?", sm_check_pair_count(none));
    /* the model's reach, as `strikemap reach` gives it: a Su-24M with
     * OFAB-250-270 bombs (10 km at 800 km/h, slower than the jet, so it
     * flies all the way): 1,700 km/h for 6 min = 170 km */
    sm_reach_options ro;
    sm_reach_options_init(&ro);
    ro.type = "Su-24M";
    ro.lon = 37.05;
    ro.lat = 35.01;
    ro.minutes = 6;
    ro.weapon = "OFAB-250-270";
    sm_reach_result rr;
    if (sm_reach_compute(ctx, &ro, &rr) == SM_OK)
        printf("reach %.3f km\n", rr.top_km);
    /* the map, into this program's own 600 x 450 image */
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 600, 450);
    cairo_t *cr = cairo_create(img);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    sm_status ms = sm_map_render_cairo(ctx, claims, check, NULL, cr, 600, 450);
    /* options of another layout (zeroed, as before they had a size) are refused */
    sm_map_options old_size;
    memset(&old_size, 0, sizeof(old_size));
    if (sm_map_render_cairo(ctx, claims, check, &old_size, cr, 600, 450) == SM_ERR_USAGE)
        printf("old map options refused\n");
    cairo_destroy(cr);
    cairo_surface_flush(img);
    size_t inked = 0;
    const unsigned char *px = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    for (int y = 0; y < 450; y++)
        for (int x = 0; x < 600; x++) {
            const unsigned char *p = px + y * stride + 4 * x;
            inked += p[0] < 200 || p[1] < 200 || p[2] < 200;
        }
    printf("map %s, %zu pixels inked\n", ms == SM_OK ? "drawn" : "failed", inked);
    cairo_surface_destroy(img);
    sm_check_free(check);
    sm_claims_free(claims);
    sm_ctx_free(ctx);
    return 0;
}
