/*
 * cancel.c - the process-wide cancel flag.  A C11 atomic int is
 * lock-free on every platform we build for, which is what makes setting
 * it from a signal handler safe.  What a cancelled run leaves behind is
 * removed by cd_cancel_cleanup() where it is tracked (webroot.c).
 */
#include <stdatomic.h>

#include "err.h"

static atomic_int cancelled;

void
cd_cancel(void)
{
	atomic_store(&cancelled, 1);
}

bool
cd_cancelled(void)
{
	return atomic_load(&cancelled) != 0;
}
