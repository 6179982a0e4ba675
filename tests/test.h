/*
 * test.h: the tests' tiny assertion helper. Every comparison of numbers
 * states its tolerance and unit; a failure prints the file, line, both values
 * and goes on, so that one run shows every failure.
 */
#ifndef SM_TEST_H
#define SM_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int sm_test_failures;
static int sm_test_checks;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        sm_test_checks++;                                                                          \
        if (!(cond)) {                                                                             \
            sm_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

/* |got - want| <= tol, in the unit named for the message. */
#define CHECK_NEAR(got, want, tol, unit)                                                           \
    do {                                                                                           \
        double g_ = (got), w_ = (want), t_ = (tol);                                                \
        sm_test_checks++;                                                                          \
        if (!(fabs(g_ - w_) <= t_)) {                                                              \
            sm_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: %s = %.9g %s, expected %.9g +- %g %s\n", __FILE__, __LINE__,   \
                    #got, g_, unit, w_, t_, unit);                                                 \
        }                                                                                          \
    } while (0)

#define CHECK_STR(got, want)                                                                       \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        sm_test_checks++;                                                                          \
        if (g_ == NULL || w_ == NULL ? g_ != w_ : strcmp(g_, w_) != 0) {                           \
            sm_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: %s = \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #got,     \
                    g_ ? g_ : "(null)", w_ ? w_ : "(null)");                                       \
        }                                                                                          \
    } while (0)

static inline int sm_test_report(const char *name)
{
    fprintf(stderr, "%s: %d checks, %d failed\n", name, sm_test_checks, sm_test_failures);
    return sm_test_failures ? 1 : 0;
}

#endif
