/*
 * claims/claims_internal.h: what the claims module (loading, tables,
 * operators, position checks) offers the modules above it.
 */
#ifndef SM_CLAIMS_INTERNAL_H
#define SM_CLAIMS_INTERNAL_H

#include "core/internal.h"

#include "geo/geo.h"

/* A warning kept with a claim's record after loading (claims.c): field and
 * message as "field: message"; false when out of memory. */
bool sm__claim_add_warning(sm_claims *c, const sm_claim_info *info, const char *field,
                           const char *message);

/* Reference tables (tables.c): name or one of the aliases, case-
 * insensitively; the known names (of rows of row_size bytes, name and
 * aliases at those offsets) closest to name, for "did you mean". */
bool sm__name_matches(const char *name, const char *canonical, const char *const *aliases);
size_t sm__tables_suggest(const char *name, const void *rows, size_t n_rows, size_t row_size,
                          size_t name_off, size_t aliases_off, const char **out, size_t max);

/* Operators (operators.c). The canonical name of an operator or group named
 * through any alias, or name itself when the table does not know it. */
const char *sm__operator_canonical(sm_ctx *ctx, const char *name);
/* The operators (canonical names, borrowed) that name stands for at instant
 * t (seconds; NAN: at any time): a group's members active then, through
 * nested groups; a country or force, itself. Replaces out's contents. */
sm_status sm__operator_expand(sm_ctx *ctx, const char *name, double t, sm__vec *out);

/* Streams read more than once (stream.c; the map reads its strikes in
 * several passes). sm__claims_stream_keep, before the run, keeps the
 * spool and notes where each batch's final records are: there, or, for a
 * batch the run added warnings to, in a second unlinked file in TMPDIR.
 * After a run that returned SM_OK, sm__claims_stream_replay hands the
 * run's batches (its batch size) to fn again, with no check and no
 * diagnostic. SM_ERR_USAGE without keep or a good run. */
void sm__claims_stream_keep(sm_claims_stream *stream);
sm_status sm__claims_stream_replay(sm_claims_stream *stream, size_t batch, sm_strike_batch_fn fn,
                                   void *user);

#endif
