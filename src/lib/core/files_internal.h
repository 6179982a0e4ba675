/*
 * core/files_internal.h: what files.c and signals.c share, private to them:
 * the registry of live temporaries that the signal handler removes.
 */
#ifndef SM_FILES_INTERNAL_H
#define SM_FILES_INTERNAL_H

#include "core/internal.h"

/* Claim a slot for a temporary's path (kept, not copied); -1 when all
 * SM__LIVE_TMP_MAX are taken. */
int sm__registry_add(char *path);
/* Forget slot i; true when the path may be freed (no handler running). */
bool sm__registry_remove(int i);
/* Around a set's commit: a signal arriving meanwhile waits for the end. */
void sm__commit_begin(void);
void sm__commit_end(void);

#endif
