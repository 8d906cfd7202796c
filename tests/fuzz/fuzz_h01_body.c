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
 * fails with a message that is valid UTF-8 whose every character is
 * printable as Go's strconv.IsPrint has it (letters, marks, numbers,
 * punctuation, symbols, the ASCII space): no control, no format
 * character such as a bidi override or a byte-order mark, no other
 * space, the body quoted with escapes as the CA's %q does.  The report
 * made of it (cd_h01_report, with the fix line for a near miss) holds
 * the same message.
 */
#include <stdio.h>
#include <unictype.h>
#include <unistr.h>

#include "fuzz.h"
#include "http01.h"

#define KA "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA." \
	"nP1qzpXGymHBrUEepNY9HCsQk7K8KhOypzEt62jcerQ"

static bool
printable(const char *s)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + strlen(s);
	ucs4_t r;
	int w;

	for (; p < end; p += w) {
		if ((w = u8_mbtoucr(&r, p, (size_t)(end - p))) <= 0)
			return false;
		if (r != ' ' && !uc_is_general_category(r, UC_CATEGORY_L) &&
		    !uc_is_general_category(r, UC_CATEGORY_M) &&
		    !uc_is_general_category(r, UC_CATEGORY_N) &&
		    !uc_is_general_category(r, UC_CATEGORY_P) &&
		    !uc_is_general_category(r, UC_CATEGORY_S))
			return false;
	}
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = {200, 200, 404, 500};
	struct cd_h01_attempt a;
	struct cd_report *r = NULL;
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
	if (cd_report_new("HTTP01", "example.test", &r, NULL) == CD_OK) {
		cd_h01_report(r, &a, expect);
		if (a.failed && a.message != NULL)
			FUZZ_ASSERT(cd_report_nproblems(r) >= 1 && strcmp(
			    cd_report_problem(r, cd_report_nproblems(r) - 1)->
			    message, a.message) == 0);
		cd_report_free(r);
	}
	cd_h01_attempt_clear(&a);
	return 0;
}
