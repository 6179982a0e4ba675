/*
 * count_strikes.c: another C program using libstrikemap through its public
 * header and pkg-config only: load claim files, count strikes, check them.
 */
#include <stdio.h>
#include <strikemap/strikemap.h>

int main(int argc, char **argv)
{
    sm_ctx *ctx = sm_ctx_new();
    sm_claims *claims = NULL;
    sm_status st = sm_claims_load(ctx, (const char *const *)argv + 1, (size_t)argc - 1, NULL,
                                  &claims);
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
    sm_check *check = NULL;
    if (sm_check_run(ctx, claims, NULL, &check) == SM_OK)
        printf("%zu pairs\n", sm_check_pair_count(check));
    sm_check_free(check);
    sm_claims_free(claims);
    sm_ctx_free(ctx);
    return 0;
}
