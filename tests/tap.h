/*
 * tap.h - a header-only TAP (Test Anything Protocol) emitter for the unit
 * tests, read by automake's tap-driver.sh.
 *
 *   tap_ok(cond, fmt, ...)                   ok N - desc / not ok N - desc
 *   tap_is_int(got, want, fmt, ...)          integers, diagnostics on failure
 *   tap_is_str(got, want, fmt, ...)          strings, NULL-safe
 *   tap_is_double(got, want, eps, fmt, ...)  |got - want| <= eps
 *   tap_diag(fmt, ...)                       a "# " comment line
 *   tap_skip(desc, why)                      ok N - desc # SKIP why
 *   tap_plan(n) first, or nothing: tap_done() then prints "1..N" itself.
 *   return tap_done();                       0 when every test passed
 *
 * One test program is one translation unit, so the counters are file
 * statics.  Every line is flushed at once: a crash loses nothing before it.
 */
#ifndef CD_TAP_H
#define CD_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define TAP_PRINTF(f, a) __attribute__((format(printf, f, a)))

static struct {
	bool has_plan;
	int planned;
	int run;
	int failed;
} tap_state;

/*
 * Write s with control bytes as \xHH, so one result stays one line, and
 * (in a description) '#' as "\#", so no text reads as a TODO/SKIP directive.
 */
static inline void
tap_put_safe(const char *s, bool desc)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			printf("\\x%02x", *p);
		else if (*p == '#' && desc)
			fputs("\\#", stdout);
		else
			putchar(*p);
	}
}

static inline void tap_diag(const char *fmt, ...) TAP_PRINTF(1, 2);

static inline void
tap_diag(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fputs("# ", stdout);
	tap_put_safe(buf, false);
	putchar('\n');
	fflush(stdout);
}

static inline void
tap_plan(int n)
{
	tap_state.has_plan = true;
	tap_state.planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

static inline bool tap_vresult(bool ok, const char *fmt, va_list ap)
    TAP_PRINTF(2, 0);

static inline bool
tap_vresult(bool ok, const char *fmt, va_list ap)
{
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	tap_state.run++;
	if (!ok)
		tap_state.failed++;
	printf("%sok %d - ", ok ? "" : "not ", tap_state.run);
	tap_put_safe(buf, true);
	putchar('\n');
	fflush(stdout);
	return ok;
}

static inline bool tap_ok(bool cond, const char *fmt, ...) TAP_PRINTF(2, 3);

static inline bool
tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(cond, fmt, ap);
	va_end(ap);
	return cond;
}

static inline bool tap_is_int(long long got, long long want,
    const char *fmt, ...) TAP_PRINTF(3, 4);

static inline bool
tap_is_int(long long got, long long want, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(got == want, fmt, ap);
	va_end(ap);
	if (got != want) {
		tap_diag("     got: %lld", got);
		tap_diag("    want: %lld", want);
	}
	return got == want;
}

/* A string for a diagnostic: quoted, or (null). */
static inline void
tap_diag_str(const char *what, const char *s)
{
	printf("# %8s: ", what);
	if (s == NULL) {
		fputs("(null)", stdout);
	} else {
		putchar('"');
		tap_put_safe(s, false);
		putchar('"');
	}
	putchar('\n');
	fflush(stdout);
}

static inline bool tap_is_str(const char *got, const char *want,
    const char *fmt, ...) TAP_PRINTF(3, 4);

static inline bool
tap_is_str(const char *got, const char *want, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	ok = (got == NULL || want == NULL) ? got == want :
	    strcmp(got, want) == 0;
	va_start(ap, fmt);
	tap_vresult(ok, fmt, ap);
	va_end(ap);
	if (!ok) {
		tap_diag_str("got", got);
		tap_diag_str("want", want);
	}
	return ok;
}

static inline bool tap_is_double(double got, double want, double eps,
    const char *fmt, ...) TAP_PRINTF(4, 5);

static inline bool
tap_is_double(double got, double want, double eps, const char *fmt, ...)
{
	va_list ap;
	double d = got > want ? got - want : want - got;
	bool ok = d <= eps;	/* false for NaN */

	va_start(ap, fmt);
	tap_vresult(ok, fmt, ap);
	va_end(ap);
	if (!ok) {
		tap_diag("     got: %.17g", got);
		tap_diag("    want: %.17g (+/- %g)", want, eps);
	}
	return ok;
}

/* A test that cannot run here: "ok N - desc # SKIP why". */
static inline void
tap_skip(const char *desc, const char *why)
{
	tap_state.run++;
	printf("ok %d - ", tap_state.run);
	tap_put_safe(desc, true);
	fputs(" # SKIP ", stdout);
	tap_put_safe(why, false);
	putchar('\n');
	fflush(stdout);
}

/* Print the plan if none was given; the exit code for main(). */
static inline int
tap_done(void)
{
	if (!tap_state.has_plan)
		printf("1..%d\n", tap_state.run);
	else if (tap_state.planned != tap_state.run)
		printf("# planned %d tests but ran %d\n", tap_state.planned,
		    tap_state.run);
	if (tap_state.failed > 0)
		printf("# failed %d of %d tests\n", tap_state.failed,
		    tap_state.run);
	fflush(stdout);
	return tap_state.failed > 0 ||
	    (tap_state.has_plan && tap_state.planned != tap_state.run);
}

#endif /* CD_TAP_H */
