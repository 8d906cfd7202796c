/*
 * threshold.c - the Monitoring Plugins range grammar:
 *
 *   [@][START:][END]   START may be "~" (minus infinity), END may be empty
 *                      (infinity); alert when outside START..END, or
 *                      inside it with "@".  A bare "N" is "0:N".
 *
 * certcheck reads a bare "N" as "fewer than N days" (N:), the way users
 * mean it; CD_RANGE_BARE_IS_MIN asks for that.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

static bool
parse_num(const char *s, size_t len, double *out)
{
	char tmp[64], *end;
	double v;

	if (len == 0 || len >= sizeof(tmp))
		return false;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	/* strtod accepts "inf", "nan" and hex: none is a threshold. */
	if (strspn(tmp, "+-0123456789.") != len)
		return false;
	errno = 0;
	v = strtod(tmp, &end);
	/* Past a billion, no threshold means anything (and 2 decimals of
	 * perfdata could not round-trip it). */
	if (errno != 0 || *end != '\0' || end == tmp || !isfinite(v) ||
	    fabs(v) > 1e9)
		return false;
	*out = v;
	return true;
}

cd_rc
cd_range_parse(const char *s, unsigned flags, struct cd_range *out,
    struct cd_err *err)
{
	struct cd_range r = {0};
	const char *p = s, *colon;
	size_t len;

	if (s == NULL || *s == '\0')
		return cd_err_set(err, CD_E_PARSE, "empty threshold");
	if (*p == '@') {
		r.inside = true;
		p++;
	}
	len = strlen(p);
	if ((flags & CD_RANGE_ALLOW_PCT) && len > 1 && p[len - 1] == '%' &&
	    !r.inside) {
		if (!parse_num(p, len - 1, &r.start) || r.start < 0 ||
		    r.start > 100)
			return cd_err_set(err, CD_E_PARSE,
			    "'%s': a percentage must be 0..100%%", s);
		r.percent = true;
		r.end_inf = true;
		*out = r;
		return CD_OK;
	}
	if ((colon = strchr(p, ':')) == NULL) {
		if (!parse_num(p, len, &r.end))
			return cd_err_set(err, CD_E_PARSE,
			    "'%s' is not a number or range", s);
		if ((flags & CD_RANGE_BARE_IS_MIN) && !r.inside) {
			r.start = r.end;
			r.end = 0;
			r.end_inf = true;
		}
		*out = r;
		return CD_OK;
	}
	if (colon - p == 1 && *p == '~')
		r.start_inf = true;
	else if (!parse_num(p, (size_t)(colon - p), &r.start))
		return cd_err_set(err, CD_E_PARSE,
		    "'%s': bad range start", s);
	if (colon[1] == '\0')
		r.end_inf = true;
	else if (!parse_num(colon + 1, strlen(colon + 1), &r.end))
		return cd_err_set(err, CD_E_PARSE, "'%s': bad range end", s);
	if (!r.start_inf && !r.end_inf && r.start > r.end)
		return cd_err_set(err, CD_E_PARSE,
		    "'%s': range start is above its end", s);
	*out = r;
	return CD_OK;
}

bool
cd_range_alerts(const struct cd_range *r, double v)
{
	bool in;

	in = (r->start_inf || v >= r->start) && (r->end_inf || v <= r->end);
	return r->inside ? in : !in;
}

/* Shortest decimal form with at most two decimals: 27, 9, 15.5, 6.42. */
static void
fmt_num(double v, char *buf, size_t len)
{
	char *dot, *e;

	snprintf(buf, len, "%.2f", v);
	if ((dot = strchr(buf, '.')) == NULL)
		return;
	e = buf + strlen(buf) - 1;
	while (e > dot && *e == '0')
		*e-- = '\0';
	if (e == dot)
		*e = '\0';
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, len, "0");
}

char *
cd_range_fmt(const struct cd_range *r, char *buf, size_t len)
{
	char a[40], b[40];

	fmt_num(r->start, a, sizeof(a));
	fmt_num(r->end, b, sizeof(b));
	if (r->start_inf)
		snprintf(a, sizeof(a), "~");
	if (r->end_inf)
		snprintf(buf, len, "%s%s:", r->inside ? "@" : "", a);
	else if (!r->start_inf && r->start == 0)
		snprintf(buf, len, "%s%s", r->inside ? "@" : "", b);
	else
		snprintf(buf, len, "%s%s:%s", r->inside ? "@" : "", a, b);
	return buf;
}
