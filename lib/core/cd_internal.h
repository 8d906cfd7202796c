/*
 * cd_internal.h - macros shared by the library's own files.  Never
 * installed.
 */
#ifndef CD_INTERNAL_H
#define CD_INTERNAL_H

#include "certdiag.h"

#define CD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define CD_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define CD_UNUSED __attribute__((unused))
#else
#define CD_PRINTF(f, a)
#define CD_UNUSED
#endif

/* The longest a network wait sleeps before it looks at cd_cancelled(). */
#define CD_CANCEL_POLL_MS 100

/* Static in a normal build, visible to unit tests in the internal one. */
#ifdef CD_UNIT_TEST
#define CD_TESTABLE
#else
#define CD_TESTABLE static
#endif

#endif /* CD_INTERNAL_H */
