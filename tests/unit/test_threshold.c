/*
 * test_threshold.c - the Monitoring Plugins range grammar: what parses
 * (with and without CD_RANGE_BARE_IS_MIN and CD_RANGE_ALLOW_PCT), which
 * values alert at every boundary, and how ranges are written back into
 * perfdata.
 */
#include <string.h>

#include "certdiag.h"
#include "tap.h"

#define BARE CD_RANGE_BARE_IS_MIN
#define PCT CD_RANGE_ALLOW_PCT
#define INF_START 0x1
#define INF_END 0x2
#define INSIDE 0x4
#define PERCENT 0x8

/* A parse that succeeds: the expected fields (flags bits above). */
struct parse_ok {
	const char *in;
	unsigned flags;
	double start, end;
	unsigned bits;
};

static const struct parse_ok parse_ok_cases[] = {
	{"10", 0, 0, 10, 0},
	{"0", 0, 0, 0, 0},
	{"10:", 0, 10, 0, INF_END},
	{"~:10", 0, 0, 10, INF_START},
	{"~:", 0, 0, 0, INF_START | INF_END},
	{"10:20", 0, 10, 20, 0},
	{"10:10", 0, 10, 10, 0},
	{"@10:20", 0, 10, 20, INSIDE},
	{"@10", 0, 0, 10, INSIDE},
	{"@~:10", 0, 0, 10, INSIDE | INF_START},
	{"@10:", 0, 10, 0, INSIDE | INF_END},
	{"-5:5", 0, -5, 5, 0},
	{"-10:-5", 0, -10, -5, 0},
	{"15.5:", 0, 15.5, 0, INF_END},
	{"0.5", 0, 0, 0.5, 0},
	{".5", 0, 0, 0.5, 0},
	{"+5", 0, 0, 5, 0},
	{"6.4166:", 0, 6.4166, 0, INF_END},
	/* The days-left reading: a bare N is N: ("fewer than N days"). */
	{"21", BARE, 21, 0, INF_END},
	{"0", BARE, 0, 0, INF_END},
	{"7.5", BARE, 7.5, 0, INF_END},
	{"21:", BARE, 21, 0, INF_END},
	{"10:20", BARE, 10, 20, 0},
	{"~:10", BARE, 0, 10, INF_START},
	/* Percentages, when allowed: a lower bound like N:. */
	{"30%", PCT, 30, 0, PERCENT | INF_END},
	{"0%", PCT, 0, 0, PERCENT | INF_END},
	{"100%", PCT, 100, 0, PERCENT | INF_END},
	{"12.5%", PCT, 12.5, 0, PERCENT | INF_END},
	{"30%", PCT | BARE, 30, 0, PERCENT | INF_END},
	{"30", PCT | BARE, 30, 0, INF_END},
	{"30", PCT, 0, 30, 0},
};

static const char *const bits_name[] = {"start_inf", "end_inf", "inside",
	"percent"};

static void
test_parse_ok(void)
{
	const struct parse_ok *c;
	struct cd_range r;
	struct cd_err e;
	bool got[4];
	size_t i, k;

	for (i = 0; i < sizeof(parse_ok_cases) / sizeof(*c); i++) {
		c = &parse_ok_cases[i];
		memset(&r, 0xa5, sizeof(r));
		if (!tap_is_int(cd_range_parse(c->in, c->flags, &r, &e),
		    CD_OK, "parse \"%s\" (flags %u)", c->in, c->flags)) {
			tap_diag("error: %s", e.msg);
			continue;
		}
		if (!(c->bits & INF_START))
			tap_is_double(r.start, c->start, 1e-9,
			    "\"%s\" (flags %u): start", c->in, c->flags);
		if (!(c->bits & INF_END))
			tap_is_double(r.end, c->end, 1e-9,
			    "\"%s\" (flags %u): end", c->in, c->flags);
		got[0] = r.start_inf;
		got[1] = r.end_inf;
		got[2] = r.inside;
		got[3] = r.percent;
		for (k = 0; k < 4; k++)
			tap_is_int(got[k], (c->bits >> k) & 1,
			    "\"%s\" (flags %u): %s", c->in, c->flags,
			    bits_name[k]);
	}
}

/* Inputs that must be refused: CD_E_PARSE, a message, *out untouched. */
static const struct {
	const char *in;
	unsigned flags;
} parse_bad_cases[] = {
	{"", 0}, {"", BARE | PCT},
	{"abc", 0}, {"10abc", 0}, {"abc:10", 0}, {"10:abc", 0},
	{"1:2:3", 0}, {"10:20:", 0},
	{"20:10", 0}, {"@20:10", 0}, {"0.2:0.1", 0}, {"-5:-10", 0},
	{"nan", 0}, {"NaN", 0}, {"inf", 0}, {"-inf", 0}, {"infinity", 0},
	{"nan:", 0}, {"~:inf", 0},
	{"0x10", 0}, {"0x10:", 0}, {"1e3", 0},
	{"1.2.3", 0}, {"-", 0}, {".", 0}, {"+-5", 0}, {"--5", 0},
	{" 10", 0}, {"10 ", 0}, {"10: 20", 0},
	{"@", 0}, {"~", 0}, {":", 0}, {"~:~", 0}, {"10:~", 0}, {"@@10", 0},
	{"%", PCT}, {"101%", PCT}, {"100.5%", PCT}, {"-1%", PCT},
	{"@30%", PCT}, {"30%%", PCT}, {"%30", PCT}, {"30%:", PCT},
	{"~:30%", PCT}, {"10:30%", PCT}, {"abc%", PCT},
	{"30%", 0}, {"30%", BARE},
	{"abc", BARE}, {"20:10", BARE},
	/* Longer than any number a threshold needs. */
	{"1234567890123456789012345678901234567890123456789012345678901234"
	    "5", 0},
};

static void
test_parse_bad(void)
{
	struct cd_range r, before;
	struct cd_err e;
	size_t i;
	const char *in;
	unsigned fl;

	for (i = 0; i < sizeof(parse_bad_cases) / sizeof(*parse_bad_cases);
	    i++) {
		in = parse_bad_cases[i].in;
		fl = parse_bad_cases[i].flags;
		memset(&r, 0x5a, sizeof(r));
		before = r;
		memset(&e, 0, sizeof(e));
		tap_is_int(cd_range_parse(in, fl, &r, &e), CD_E_PARSE,
		    "\"%s\" (flags %u) is refused", in, fl);
		tap_ok(e.rc == CD_E_PARSE && e.msg[0] != '\0',
		    "\"%s\" (flags %u): error says why (%s)", in, fl, e.msg);
		tap_ok(memcmp(&r, &before, sizeof(r)) == 0,
		    "\"%s\" (flags %u): *out untouched", in, fl);
	}
	tap_is_int(cd_range_parse("abc", 0, &r, NULL), CD_E_PARSE,
	    "a NULL err is allowed");
}

/* Does value v alert under the range in, parsed with flags? */
static const struct {
	const char *in;
	unsigned flags;
	double v;
	bool alert;
} alert_cases[] = {
	/* "10": outside 0..10. */
	{"10", 0, -0.01, true}, {"10", 0, 0, false}, {"10", 0, 5, false},
	{"10", 0, 10, false}, {"10", 0, 10.01, true}, {"10", 0, 1e9, true},
	/* "10:": below 10. */
	{"10:", 0, 9.99, true}, {"10:", 0, 10, false},
	{"10:", 0, 10.01, false}, {"10:", 0, 1e9, false},
	{"10:", 0, -1, true},
	/* "~:10": above 10. */
	{"~:10", 0, -1e9, false}, {"~:10", 0, 10, false},
	{"~:10", 0, 10.01, true},
	/* "10:20": outside, both ends included in the range. */
	{"10:20", 0, 9.99, true}, {"10:20", 0, 10, false},
	{"10:20", 0, 15, false}, {"10:20", 0, 20, false},
	{"10:20", 0, 20.01, true},
	/* "@10:20": inside, inclusive. */
	{"@10:20", 0, 9.99, false}, {"@10:20", 0, 10, true},
	{"@10:20", 0, 15, true}, {"@10:20", 0, 20, true},
	{"@10:20", 0, 20.01, false},
	{"@10", 0, -0.01, false}, {"@10", 0, 0, true}, {"@10", 0, 10, true},
	{"@10", 0, 10.01, false},
	{"@~:10", 0, -1e9, true}, {"@~:10", 0, 10, true},
	{"@~:10", 0, 10.01, false},
	{"@10:", 0, 9.99, false}, {"@10:", 0, 10, true},
	/* "0": anything but zero. */
	{"0", 0, -0.01, true}, {"0", 0, 0, false}, {"0", 0, 0.01, true},
	{"~:", 0, -1e9, false}, {"~:", 0, 1e9, false},
	{"-5:5", 0, -5.01, true}, {"-5:5", 0, -5, false},
	{"-5:5", 0, 5, false}, {"-5:5", 0, 5.01, true},
	{"15.5:", 0, 15.49, true}, {"15.5:", 0, 15.5, false},
	/* Days left with a bare N: fewer than N alerts, N itself not. */
	{"21", BARE, 20.99, true}, {"21", BARE, 21, false},
	{"21", BARE, 21.01, false}, {"21", BARE, 3650, false},
	{"21", BARE, 0, true}, {"21", BARE, -5, true},
	{"7", BARE, 6.99, true}, {"7", BARE, 7, false},
	{"0", BARE, -0.01, true}, {"0", BARE, 0, false},
};

static void
test_alerts(void)
{
	struct cd_range r;
	size_t i;

	for (i = 0; i < sizeof(alert_cases) / sizeof(*alert_cases); i++) {
		if (cd_range_parse(alert_cases[i].in, alert_cases[i].flags, &r,
		    NULL) != CD_OK) {
			tap_ok(false, "\"%s\" parses", alert_cases[i].in);
			continue;
		}
		tap_is_int(cd_range_alerts(&r, alert_cases[i].v),
		    alert_cases[i].alert, "\"%s\"%s at %g: %s",
		    alert_cases[i].in,
		    alert_cases[i].flags & BARE ? " (bare is min)" : "",
		    alert_cases[i].v, alert_cases[i].alert ? "alert" :
		    "no alert");
	}
}

/* parse(in, flags) then fmt gives want. */
static const struct {
	const char *in;
	unsigned flags;
	const char *want;
} fmt_cases[] = {
	{"21:", 0, "21:"},
	{"21", BARE, "21:"},
	{"21", BARE | PCT, "21:"},
	{"21", 0, "21"},
	{"0:21", 0, "21"},
	{"0", 0, "0"},
	{"0:", 0, "0:"},
	{"~:10", 0, "~:10"},
	{"~:", 0, "~:"},
	{"@10:20", 0, "@10:20"},
	{"@~:10", 0, "@~:10"},
	{"@10:", 0, "@10:"},
	{"@10", 0, "@10"},
	{"10:20", 0, "10:20"},
	{"10:10", 0, "10:10"},
	{"-5:5", 0, "-5:5"},
	{"-10:-5", 0, "-10:-5"},
	{"15.5:", 0, "15.5:"},
	{"15.50:", 0, "15.5:"},
	{"6.4166:", 0, "6.42:"},
	{"6.4166", BARE, "6.42:"},
	{"27", BARE, "27:"},
	{"9", BARE, "9:"},
	{"100:", 0, "100:"},
	{"1000", 0, "1000"},
	{"0.1:0.25", 0, "0.1:0.25"},
	{"+5:", 0, "5:"},
	{"-0:", 0, "0:"},
	{"-0.001:", 0, "0:"},
};

static void
test_fmt(void)
{
	struct cd_range r, back;
	char buf[64], again[64];
	size_t i;

	for (i = 0; i < sizeof(fmt_cases) / sizeof(*fmt_cases); i++) {
		if (cd_range_parse(fmt_cases[i].in, fmt_cases[i].flags, &r,
		    NULL) != CD_OK) {
			tap_ok(false, "\"%s\" parses", fmt_cases[i].in);
			continue;
		}
		tap_is_str(cd_range_fmt(&r, buf, sizeof(buf)),
		    fmt_cases[i].want, "fmt of \"%s\"%s", fmt_cases[i].in,
		    fmt_cases[i].flags & BARE ? " (bare is min)" : "");
		/* What is written reads back as the same range. */
		if (!tap_is_int(cd_range_parse(buf, 0, &back, NULL), CD_OK,
		    "\"%s\" reads back", buf))
			continue;
		tap_ok(back.start_inf == r.start_inf &&
		    back.end_inf == r.end_inf && back.inside == r.inside &&
		    strcmp(cd_range_fmt(&back, again, sizeof(again)), buf) == 0,
		    "\"%s\" reads back as the same range", buf);
	}
}

/* A range built by hand, as the certcheck code does from days. */
static void
test_fmt_struct(void)
{
	struct cd_range r = {0};
	char buf[64], small[8];

	r.start = 6.4166;
	r.end_inf = true;
	tap_is_str(cd_range_fmt(&r, buf, sizeof(buf)), "6.42:",
	    "6.4166 days is written 6.42:");
	r.start = 59.999;
	tap_is_str(cd_range_fmt(&r, buf, sizeof(buf)), "60:",
	    "59.999 rounds to 60:");
	tap_ok(cd_range_fmt(&r, buf, sizeof(buf)) == buf,
	    "cd_range_fmt returns buf");

	/* A short buffer is cut and terminated, never overrun. */
	memset(small, 'X', sizeof(small));
	r.start = 10;
	r.end = 20;
	r.end_inf = false;
	r.inside = true;
	cd_range_fmt(&r, small, 4);
	tap_is_str(small, "@10", "a 4-byte buffer holds \"@10\"");
	tap_ok(small[4] == 'X' && small[7] == 'X',
	    "nothing written past the given length");
}

/*
 * A number the parser accepts must be written back as that number (or be
 * refused at parse time): perfdata must not silently show another value.
 * The parser draws the line at a billion: the largest number it takes
 * round-trips, one more is refused, and so is a 61-digit one.
 */
static void
test_fmt_huge(void)
{
	struct cd_range r, back;
	char buf[128];

	tap_is_int(cd_range_parse("1000000000000000000000000000000000000000"
	    "000000000000000000000:", 0, &r, NULL), CD_E_PARSE,
	    "a 61-digit threshold is refused");
	tap_is_int(cd_range_parse("1000000001:", 0, &r, NULL), CD_E_PARSE,
	    "1000000001 (past a billion) is refused");
	if (!tap_is_int(cd_range_parse("1000000000:", 0, &r, NULL), CD_OK,
	    "1000000000 (a billion) is a threshold"))
		return;
	cd_range_fmt(&r, buf, sizeof(buf));
	tap_ok(cd_range_parse(buf, 0, &back, NULL) == CD_OK &&
	    back.start == 1e9 && r.start == 1e9, "a billion is written back "
	    "unchanged (got \"%s\")", buf);
}

int
main(void)
{
	test_parse_ok();
	test_parse_bad();
	test_alerts();
	test_fmt();
	test_fmt_struct();
	test_fmt_huge();
	return tap_done();
}
