/*
 * fuzz_h01_body.c - what http01check makes of a response body
 * (lib/checks/http01_judge.c): cd_h01_trim_len() (Go's unicode.IsSpace trimming,
 * as the CA trims) and cd_h01_judge() with the input as the body, the
 * first byte choosing the status and whether a key authorization is
 * expected.
 *
 * Invariants: trimming only shortens, and only removes white space (what
 * is left does not end in an ASCII space); a body equal to the key
 * authorization after trimming matches; any other body with status 200
 * fails with a message that holds no C0 control, no DEL and no NUL (the
 * body is quoted with escapes, as the CA's %q does).
 */
#include <stdio.h>

#include "fuzz.h"
#include "http01.h"

#define KA "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA." \
	"nP1qzpXGymHBrUEepNY9HCsQk7K8KhOypzEt62jcerQ"

static bool
printable(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = {200, 200, 404, 500};
	struct cd_h01_attempt a;
	const char *expect;
	size_t n, t;
	uint8_t sel;

	if (size == 0)
		return 0;
	sel = data[0];
	data++;
	size--;
	memset(&a, 0, sizeof(a));
	snprintf(a.addr, sizeof(a.addr), "127.0.0.1");
	a.final.status = statuses[sel & 3];
	expect = sel & 4 ? NULL : KA;
	n = size < sizeof(a.final.body) ? size : sizeof(a.final.body);
	memcpy(a.final.body, data, n);
	a.final.body_len = n;
	a.final.truncated = size > n;

	t = cd_h01_trim_len(a.final.body, n);
	FUZZ_ASSERT(t <= n);
	FUZZ_ASSERT(t == 0 || strchr(" \t\n\v\f\r", a.final.body[t - 1]) ==
	    NULL || a.final.body[t - 1] == '\0');

	cd_h01_judge(&a, expect);
	FUZZ_VERDICT(!a.failed);
	if (expect != NULL && a.final.status == 200 && n < CD_H01_CA_BODY &&
	    t == strlen(KA) && memcmp(a.final.body, KA, t) == 0)
		FUZZ_ASSERT(a.body_matches && !a.failed);
	if (expect != NULL && a.final.status == 200 && !a.body_matches)
		FUZZ_ASSERT(a.failed);
	if (a.failed && a.message != NULL)
		FUZZ_ASSERT(printable(a.message));
	cd_h01_attempt_clear(&a);
	return 0;
}
