/*
 * imgdiff.c: compare two PNG images of the same size for the map tests.
 * Prints the mean absolute difference per channel (0-255) and the share of
 * pixels whose largest channel difference exceeds a threshold; writes a
 * diff image (differences amplified, red where over the threshold) when a
 * third path is given. Exit 0 when compared, 2 when the images cannot be
 * read or differ in size.
 *
 *   imgdiff A.png B.png [DIFF.png] [THRESHOLD]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cairo.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: imgdiff A.png B.png [DIFF.png] [THRESHOLD]\n");
        return 2;
    }
    int threshold = argc > 4 ? atoi(argv[4]) : 64;
    cairo_surface_t *a = cairo_image_surface_create_from_png(argv[1]);
    cairo_surface_t *b = cairo_image_surface_create_from_png(argv[2]);
    if (cairo_surface_status(a) || cairo_surface_status(b)) {
        fprintf(stderr, "imgdiff: cannot read %s\n", cairo_surface_status(a) ? argv[1] : argv[2]);
        return 2;
    }
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    if (w != cairo_image_surface_get_width(b) || h != cairo_image_surface_get_height(b)) {
        fprintf(stderr, "imgdiff: sizes differ: %dx%d and %dx%d\n", w, h,
                cairo_image_surface_get_width(b), cairo_image_surface_get_height(b));
        return 2;
    }
    cairo_surface_t *d = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_surface_flush(a);
    cairo_surface_flush(b);
    const unsigned char *pa = cairo_image_surface_get_data(a),
                        *pb = cairo_image_surface_get_data(b);
    unsigned char *pd = cairo_image_surface_get_data(d);
    int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b),
        sd = cairo_image_surface_get_stride(d);
    double sum = 0;
    long over = 0;
    for (int y = 0; y < h; y++) {
        const uint32_t *ra = (const uint32_t *)(const void *)(pa + (size_t)y * sa);
        const uint32_t *rb = (const uint32_t *)(const void *)(pb + (size_t)y * sb);
        uint32_t *rd = (uint32_t *)(void *)(pd + (size_t)y * sd);
        for (int x = 0; x < w; x++) {
            int mx = 0;
            for (int s = 0; s < 24; s += 8) {
                int da = (int)((ra[x] >> s) & 255) - (int)((rb[x] >> s) & 255);
                if (da < 0)
                    da = -da;
                sum += da;
                if (da > mx)
                    mx = da;
            }
            if (mx > threshold)
                over++;
            unsigned g = (unsigned)(255 - (mx * 4 > 255 ? 255 : mx * 4));
            rd[x] = mx > threshold ? 0xffff0000u : (0xff000000u | g << 16 | g << 8 | g);
        }
    }
    cairo_surface_mark_dirty(d);
    if (argc > 3)
        cairo_surface_write_to_png(d, argv[3]);
    printf("mean=%.4f over=%.6f\n", sum / (3.0 * w * h), (double)over / ((double)w * h));
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
    cairo_surface_destroy(d);
    return 0;
}
