/*
 * fuzz.h - shared by the libFuzzer targets in tests/fuzz/ and by the
 * replay driver (replay.c) that runs them over their seed corpora in
 * make check.  Header-only: each fuzz target is one translation unit plus
 * either libFuzzer's main() or replay.c's.
 */
#ifndef CD_FUZZ_H
#define CD_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The libFuzzer entry point; every fuzz_<name>.c defines it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * What the target's parser made of the input, for the replay: a seed
 * named bad-* must be rejected, one named good-* accepted.  Each target
 * with such seeds says it with FUZZ_VERDICT(accepted) on its main parse;
 * libFuzzer ignores it.  Weak, so the one variable is shared by the
 * target and replay.c, and defined even without replay.c.
 */
enum { FUZZ_UNJUDGED, FUZZ_ACCEPTED, FUZZ_REJECTED };
__attribute__((weak)) int fuzz_verdict;
#define FUZZ_VERDICT(accepted) \
	(fuzz_verdict = (accepted) ? FUZZ_ACCEPTED : FUZZ_REJECTED)

/*
 * A broken invariant is a library bug: stop right here so that libFuzzer
 * keeps the input and the replay test fails, with the line in the stack.
 */
#define FUZZ_ASSERT(cond)                                               \
	do {                                                            \
		if (!(cond))                                            \
			__builtin_trap();                               \
	} while (0)

/*
 * The input as a C string, cut at the first NUL, in a buffer of exactly
 * strlen + 1 bytes so that ASan sees any read past the terminator.  NULL
 * only on ENOMEM (the caller then returns).
 */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t n = nul != NULL ? (size_t)(nul - data) : size;
	char *s;

	if ((s = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

/*
 * The input as bytes in a buffer of exactly size bytes (at least one, so
 * that the pointer is never NULL): for parsers that take (ptr, len) and
 * must not read past len.
 */
static inline char *
fuzz_bytes(const uint8_t *data, size_t size)
{
	char *b;

	if ((b = malloc(size > 0 ? size : 1)) == NULL)
		return NULL;
	b[0] = '\0';
	if (size > 0)
		memcpy(b, data, size);
	return b;
}

/* True when s (NUL-terminated) fits in a buffer of len bytes. */
static inline bool
fuzz_terminated(const char *s, size_t len)
{
	return memchr(s, '\0', len) != NULL;
}

#endif /* CD_FUZZ_H */
