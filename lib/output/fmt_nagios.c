/*
 * fmt_nagios.c - Monitoring Plugins output:
 *
 *   SERVICE STATUS - summary | perfdata
 *   long text, one line each
 *
 * Thresholds in perfdata use the range grammar ("21:" = alert below 21),
 * not a bare number, which would mean "alert above".  Nothing a peer
 * controls may break the format: '|' and line breaks are replaced, and
 * the first line is at most NAGIOS_LINE_MAX bytes, the summary cut short
 * (never the perfdata), so that a 9,000-byte CAA value cannot push the
 * perfdata past what Nagios reads of a line.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "escape.h"
#include "jsonutil.h"
#include "report.h"

/* The first line's budget; Nagios reads 8 KiB of plugin output. */
#define NAGIOS_LINE_MAX 4096

/*
 * Plugin text: one line (line breaks and other controls become spaces),
 * no '|' (it starts perfdata), invalid UTF-8 escaped.
 */
static void
put_plain(FILE *fp, const char *s)
{
	char *c = strdup(s), *e = NULL, *p;

	for (p = c; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
		else if (*p == '|')
			*p = '/';
	if (c != NULL)
		e = cd_escape_display(c, strlen(c));
	fputs(e ? e : "(out of memory)", fp);
	free(e);
	free(c);
}

/* A label needs quotes when it has spaces or '='; quotes are dropped. */
static void
put_label(FILE *fp, const char *prefix, const char *label)
{
	char buf[512], *e;
	const char *p;
	bool quote;

	snprintf(buf, sizeof(buf), "%s%s%s", prefix ? prefix : "",
	    prefix ? " " : "", label);
	/* The prefix is a target: C1 and bidirectional controls escaped. */
	if ((e = cd_escape_display(buf, strlen(buf))) == NULL)
		return;
	quote = strpbrk(e, " =\t") != NULL;
	if (quote)
		fputc('\'', fp);
	for (p = e; *p; p++)
		if (*p != '\'' && *p != '=' && *p != '|' &&
		    (unsigned char)*p >= 0x20)
			fputc(*p, fp);
	if (quote)
		fputc('\'', fp);
	free(e);
}

/* v with at most prec decimals and no trailing zeros: 60, 6.42, 0.012. */
static char *
num(double v, int prec, char *buf, size_t len)
{
	char *e;

	snprintf(buf, len, "%.*f", prec, v);
	if (strchr(buf, '.') == NULL)
		return buf;
	for (e = buf + strlen(buf) - 1; *e == '0'; e--)
		*e = '\0';
	if (*e == '.')
		*e = '\0';
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, len, "0");
	return buf;
}

static void
put_perf(FILE *fp, const struct cd_report *r, const char *prefix)
{
	const struct cd_perf *p;
	char w[64], c[64], v[64];
	size_t i;

	for (i = 0; i < r->nperf; i++) {
		p = &r->perf[i];
		fputc(' ', fp);
		put_label(fp, prefix, p->label);
		fprintf(fp, "=%s%s", num(p->value, strcmp(p->uom, "s") == 0 ?
		    3 : 2, v, sizeof(v)), p->uom);
		if (!p->thresholds && !p->has_min)
			continue;
		if (p->thresholds)
			fprintf(fp, ";%s;%s", cd_range_fmt(&p->warn, w,
			    sizeof(w)), cd_range_fmt(&p->crit, c, sizeof(c)));
		else
			fputs(";;", fp);
		if (p->has_min)
			fprintf(fp, ";%g", p->min);
	}
}

/*
 * Where to cut s (len bytes of escaped text) to keep at most max bytes:
 * never inside a UTF-8 sequence, nor inside a \xHH escape.
 */
static size_t
cut_at(const char *s, size_t len, size_t max)
{
	size_t n = len < max ? len : max, i;

	if (n == len)
		return n;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	/* A backslash in the last three bytes starts an escape we would
	 * split ("\x", "\xH"). */
	for (i = n >= 3 ? n - 3 : 0; i < n; i++)
		if (s[i] == '\\') {
			n = i;
			break;
		}
	return n;
}

/*
 * The first line, from its text and its perfdata (" | ..." or ""):
 * the text cut with "..." when the whole would pass NAGIOS_LINE_MAX,
 * keeping "SERVICE STATUS - " (the first pre bytes) in any case.  When
 * the perfdata alone leaves no room (a batch of thousands of targets),
 * cutting the text would only lose the counts: it stays whole.
 */
static void
put_first_line(FILE *fp, const char *text, size_t tlen, size_t pre,
    const char *perf, size_t plen)
{
	size_t room, n;

	if (tlen + plen <= NAGIOS_LINE_MAX || pre + 3 + plen >= NAGIOS_LINE_MAX) {
		fwrite(text, 1, tlen, fp);
	} else {
		room = NAGIOS_LINE_MAX > plen + 3 ? NAGIOS_LINE_MAX - plen - 3 :
		    0;
		if (room < pre)
			room = pre;
		n = cut_at(text, tlen, room);
		fwrite(text, 1, n, fp);
		fputs("...", fp);
	}
	fwrite(perf, 1, plen, fp);
	fputc('\n', fp);
}

/* Problems that raised the status, for the summary's "(+N more)". */
static size_t
n_alerts(const struct cd_report *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nprobs; i++)
		if (r->probs[i].pub.severity != CD_ST_OK &&
		    !r->probs[i].pub.ignored)
			n++;
	return n;
}

static void
put_problems(FILE *fp, const struct cd_report *r)
{
	size_t i;

	for (i = 0; i < r->nprobs; i++) {
		fprintf(fp, "%s: %s%s: ",
		    cd_status_name(r->probs[i].pub.severity),
		    cd_problem_name(r->probs[i].pub.code),
		    r->probs[i].pub.ignored ? " (ignored)" : "");
		put_plain(fp, r->probs[i].message);
		fputc('\n', fp);
	}
	for (i = 0; i < r->nnotes; i++) {
		put_plain(fp, r->notes[i]);
		fputc('\n', fp);
	}
}

/* The target, and the address when the report covers one of several. */
static const char *
name_of(const struct cd_report *r, char *buf, size_t len)
{
	if (r->address == NULL)
		return r->target;
	snprintf(buf, len, "%s [%s]", r->target, r->address);
	return buf;
}

/* certcheck --protocols: the versions in the long text too. */
static void
put_protocols(FILE *fp, const struct cd_report *r)
{
	json_t *o = cd_json_getk(r->detail, CD_K_PROTOCOLS), *v;
	const char *k;
	int n = 0;

	if (!json_is_object(o))
		return;
	fputs("protocols accepted:", fp);
	json_object_foreach(o, k, v)
		if (json_is_true(v))
			fprintf(fp, "%s %s", n++ ? "," : "", k);
	if (n == 0)
		fputs(" none", fp);
	json_object_foreach(o, k, v)
		if (json_is_null(v))
			fprintf(fp, " (%s: cannot tell)", k);
	fputc('\n', fp);
}

/*
 * The first line is built in memory first, to be measured: its text
 * and its perfdata in two streams.
 */
static bool
open_line(FILE **t, char **text, size_t *tlen, FILE **p, char **perf,
    size_t *plen)
{
	if ((*t = open_memstream(text, tlen)) == NULL)
		return false;
	if ((*p = open_memstream(perf, plen)) == NULL) {
		fclose(*t);
		free(*text);
		*text = NULL;
		return false;
	}
	return true;
}

static void
one(const struct cd_report *r, FILE *fp)
{
	size_t more = n_alerts(r), tlen = 0, plen = 0, pre;
	char nb[512], *text = NULL, *perf = NULL;
	FILE *t, *p;

	if (!open_line(&t, &text, &tlen, &p, &perf, &plen))
		return;
	fprintf(t, "%s %s - ", r->service,
	    cd_status_name(cd_report_status(r)));
	fflush(t);
	pre = tlen;
	put_plain(t, name_of(r, nb, sizeof(nb)));
	fputs(": ", t);
	put_plain(t, cd_report_summary(r));
	if (more > 1)
		fprintf(t, " (+%zu more)", more - 1);
	if (r->nperf > 0)
		fputs(" |", p);
	put_perf(p, r, NULL);
	fclose(t);
	fclose(p);
	if (text != NULL && perf != NULL)
		put_first_line(fp, text, tlen, pre, perf, plen);
	free(text);
	free(perf);
	put_problems(fp, r);
	put_protocols(fp, r);
}

/*
 * ntargets targets gave n reports (more under --all-addresses): the
 * summary counts reports, and says how many targets they came from.
 */
static void
many(const struct cd_report *const *r, size_t n, size_t ntargets, FILE *fp)
{
	size_t cnt[4] = {0}, i, nperf = 0, tlen = 0, plen = 0, pre;
	char nb[512], *text = NULL, *perf = NULL;
	cd_status st;
	FILE *t, *p;

	if (!open_line(&t, &text, &tlen, &p, &perf, &plen))
		return;
	for (i = 0; i < n; i++)
		cnt[cd_report_status(r[i])]++;
	fprintf(t, "%s %s - ", r[0]->service,
	    cd_status_name(cd_reports_worst(r, n)));
	fflush(t);
	pre = tlen;
	if (ntargets == n) {
		fprintf(t, "%zu targets", n);
	} else if (ntargets == 1) {
		put_plain(t, r[0]->target);
		fprintf(t, ": %zu addresses", n);
	} else
		fprintf(t, "%zu targets, %zu reports", ntargets, n);
	fprintf(t, ": %zu critical, %zu warning, %zu unknown, %zu ok",
	    cnt[CD_ST_CRITICAL], cnt[CD_ST_WARNING], cnt[CD_ST_UNKNOWN],
	    cnt[CD_ST_OK]);
	for (i = 0; i < n; i++)
		nperf += r[i]->nperf;
	if (nperf > 0)
		fputs(" |", p);
	for (i = 0; i < n; i++)
		put_perf(p, r[i], name_of(r[i], nb, sizeof(nb)));
	fclose(t);
	fclose(p);
	if (text != NULL && perf != NULL)
		put_first_line(fp, text, tlen, pre, perf, plen);
	free(text);
	free(perf);
	for (i = 0; i < n; i++) {
		st = cd_report_status(r[i]);
		fprintf(fp, "%s - ", cd_status_name(st));
		put_plain(fp, name_of(r[i], nb, sizeof(nb)));
		fputs(": ", fp);
		put_plain(fp, cd_report_summary(r[i]));
		fputc('\n', fp);
	}
}

cd_rc
cd_fmt_nagios(const struct cd_report *const *r, size_t n, FILE *fp,
    struct cd_err *err)
{
	const struct cd_report **all = NULL, *p;
	size_t i, m = 0;

	if (n == 0)
		return cd_err_set(err, CD_E_USAGE, "no report to format");
	for (i = 0; i < n; i++)
		for (p = r[i]; p != NULL; p = p->next)
			m++;
	/* Reports linked per address are lines of their own. */
	if (m > n) {
		if ((all = calloc(m, sizeof(*all))) == NULL)
			return cd_err_set(err, CD_E_NOMEM, "out of memory");
		for (i = 0, m = 0; i < n; i++)
			for (p = r[i]; p != NULL; p = p->next)
				all[m++] = p;
		many(all, m, n, fp);
		free(all);
	} else if (n == 1)
		one(r[0], fp);
	else
		many(r, n, n, fp);
	if (fflush(fp) != 0 || ferror(fp))
		return cd_err_set(err, CD_E_IO, "cannot write the output");
	return CD_OK;
}
