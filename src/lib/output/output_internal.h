/*
 * output/output_internal.h: the verdict writers' internals.
 */
#ifndef SM_OUTPUT_INTERNAL_H
#define SM_OUTPUT_INTERNAL_H

#include "core/internal.h"

#include "check/check_internal.h"

/* Writers: stream formats (text, JSON, CSV) can be formatted by worker
 * threads into their own buffers, then put in order. */
bool sm__writer_is_stream(const sm_writer *w);
bool sm__writer_format(const sm_writer *w, FILE *out, const sm_pair *p); /* false: no memory */
sm_status sm__writer_put(sm_writer *w, const char *text, size_t len, size_t rows);

#endif
