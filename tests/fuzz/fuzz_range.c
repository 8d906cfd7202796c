/*
 * fuzz_range.c - the Monitoring Plugins range grammar (lib/core/threshold.c):
 * cd_range_parse() under every flag combination, then cd_range_fmt() and
 * cd_range_alerts() on what it accepted.
 *
 * Invariants: a parsed range holds finite numbers within +-1e9, never
 * start > end when both are given as "START:END", and a percentage only
 * when CD_RANGE_ALLOW_PCT was given (0..100, a lower bound).  The
 * formatted range is a terminated string that parses again (flags 0: it
 * is the plain grammar, as in perfdata) to the same range, up to the
 * two decimals cd_range_fmt() keeps, and formatting that is a fixed
 * point.  The bounds are inside the range, "@" inverts the verdict.
 */
#include <math.h>
#include <stdio.h>

#include "certdiag.h"
#include "fuzz.h"

/* Half a unit of the second decimal, plus rounding noise. */
#define FMT_EPS 0.0051

static bool
same_range(const struct cd_range *a, const struct cd_range *b, double eps)
{
	if (a->start_inf != b->start_inf || a->end_inf != b->end_inf ||
	    a->inside != b->inside || a->percent != b->percent)
		return false;
	if (!a->start_inf && fabs(a->start - b->start) > eps)
		return false;
	if (!a->end_inf && fabs(a->end - b->end) > eps)
		return false;
	return true;
}

/* Format r, check the buffer, parse it back with flags 0 into *back. */
static void
fmt_and_parse(const struct cd_range *r, struct cd_range *back)
{
	char buf[96], tiny[4];

	memset(buf, 0x55, sizeof(buf));
	FUZZ_ASSERT(cd_range_fmt(r, buf, sizeof(buf)) == buf);
	FUZZ_ASSERT(fuzz_terminated(buf, sizeof(buf)) && buf[0] != '\0');
	/* A short buffer truncates, terminated. */
	FUZZ_ASSERT(cd_range_fmt(r, tiny, sizeof(tiny)) == tiny);
	FUZZ_ASSERT(fuzz_terminated(tiny, sizeof(tiny)));
	FUZZ_ASSERT(strncmp(tiny, buf, strlen(tiny)) == 0);
	FUZZ_ASSERT(cd_range_parse(buf, 0, back, NULL) == CD_OK);
}

static void
check_alerts(const struct cd_range *r, double v)
{
	struct cd_range inv = *r;

	inv.inside = !r->inside;
	FUZZ_ASSERT(cd_range_alerts(r, v) != cd_range_alerts(&inv, v));
}

static void
check_range(const char *s, const struct cd_range *r, unsigned flags)
{
	struct cd_range back, again;
	char buf[96];

	if (r->percent) {
		FUZZ_ASSERT((flags & CD_RANGE_ALLOW_PCT) != 0);
		FUZZ_ASSERT(r->start >= 0 && r->start <= 100);
		FUZZ_ASSERT(r->end_inf && !r->start_inf && !r->inside);
		/* No grammar for it in the output: just a sound string. */
		cd_range_fmt(r, buf, sizeof(buf));
		FUZZ_ASSERT(fuzz_terminated(buf, sizeof(buf)));
		return;
	}
	if (strchr(s, ':') != NULL && !r->start_inf && !r->end_inf)
		FUZZ_ASSERT(r->start <= r->end);
	FUZZ_ASSERT(r->start_inf || (isfinite(r->start) &&
	    fabs(r->start) <= 1e9));
	FUZZ_ASSERT(r->end_inf || (isfinite(r->end) && fabs(r->end) <= 1e9));
	/* Round trip through the rendered form. */
	fmt_and_parse(r, &back);
	FUZZ_ASSERT(same_range(r, &back, FMT_EPS));
	fmt_and_parse(&back, &again);
	FUZZ_ASSERT(same_range(&back, &again, 0));
	/* Inclusive bounds: alerting only outside (or only inside). */
	if (r->start_inf || r->end_inf || r->start <= r->end) {
		if (!r->start_inf)
			FUZZ_ASSERT(cd_range_alerts(r, r->start) == r->inside);
		if (!r->end_inf)
			FUZZ_ASSERT(cd_range_alerts(r, r->end) == r->inside);
	}
	if (!r->start_inf) {
		check_alerts(r, r->start);
		check_alerts(r, r->start - 1);
	}
	if (!r->end_inf) {
		check_alerts(r, r->end);
		check_alerts(r, r->end + 1);
	}
	check_alerts(r, 0);
	check_alerts(r, -HUGE_VAL);
	check_alerts(r, HUGE_VAL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cd_range r, unset;
	struct cd_err err;
	unsigned flags;
	char *s;
	cd_rc rc;

	if ((s = fuzz_cstr(data, size)) == NULL)
		return 0;
	for (flags = 0; flags <= (CD_RANGE_BARE_IS_MIN | CD_RANGE_ALLOW_PCT);
	    flags++) {
		memset(&r, 0xa5, sizeof(r));
		unset = r;
		memset(&err, 0, sizeof(err));
		rc = cd_range_parse(s, flags, &r, &err);
		if (flags == 0)
			FUZZ_VERDICT(rc == CD_OK);
		if (rc != CD_OK) {
			FUZZ_ASSERT(rc == CD_E_PARSE && err.rc == rc);
			FUZZ_ASSERT(err.msg[0] != '\0');
			FUZZ_ASSERT(fuzz_terminated(err.msg, sizeof(err.msg)));
			FUZZ_ASSERT(memcmp(&r, &unset, sizeof(r)) == 0);
			continue;
		}
		check_range(s, &r, flags);
	}
	free(s);
	return 0;
}
