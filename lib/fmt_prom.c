/*
 * fmt_prom.c - Prometheus text exposition (format 0.0.4), for
 * node_exporter's textfile collector.
 *
 * The format wants every sample of a metric family in one group under
 * its # HELP and # TYPE, so the output is written family by family over
 * all the reports (like nagios, it needs them all), and a family no
 * report has a value for is left out.  Names are blackbox_exporter's
 * where it has one with the same meaning (same HELP text too),
 * certdiag_* otherwise.  Every sample carries target="..." and
 * check="cert|caa|http01|dns01|tlsalpn01": the outputs of several tools
 * may sit in one textfile directory, and node_exporter refuses the
 * whole scrape when two files give the same series.  For the same
 * reason a target given twice is written once.
 *
 * probe_success is 1 unless the status is CRITICAL or UNKNOWN: as with
 * blackbox_exporter, a certificate that is only close to its end
 * (WARNING) still probes successfully; an expired or untrusted one does
 * not.  Ignored problems (--ignore) stay listed with ignored="true", as
 * the other formats keep them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "escape.h"
#include "report.h"

cd_rc cd_fmt_prometheus(const struct cd_report *const *r, size_t n,
    FILE *fp, struct cd_err *err);

/*
 * One family's samples for one report: the label sets written so far,
 * since a report may hold two findings with the same labels (two
 * problems of one code) and a series may appear only once.
 */
struct out {
	FILE *fp;
	const char *name;
	const char *base;	/* target="...",check="..."[,address="..."] */
	char **seen;
	size_t nseen;
	bool oom;
};

/*
 * A label value as the exposition format writes it: backslash, double
 * quote and line feed escaped.  The format wants UTF-8: text that is
 * not (a file name, a peer's bytes) goes through the display escape
 * first, which spells the bad bytes \xHH.
 */
static void
put_value(FILE *fp, const char *s)
{
	char *e = NULL;
	const char *p;

	if (!cd_utf8_valid(s, strlen(s)))
		s = e = cd_escape_display(s, strlen(s));
	for (p = s ? s : "(out of memory)"; *p; p++)
		if (*p == '\\')
			fputs("\\\\", fp);
		else if (*p == '"')
			fputs("\\\"", fp);
		else if (*p == '\n')
			fputs("\\n", fp);
		else
			fputc(*p, fp);
	free(e);
}

/* ,key="value" for each non-NULL pair (keys are ours, values anyone's). */
static char *
labels(const char *const *kv, size_t n)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *m;

	if ((m = open_memstream(&buf, &len)) == NULL)
		return NULL;
	for (i = 0; i + 1 < n; i += 2) {
		if (kv[i + 1] == NULL)
			continue;
		fprintf(m, ",%s=\"", kv[i]);
		put_value(m, kv[i + 1]);
		fputc('"', m);
	}
	if (fclose(m) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* name{base,extra} value, once per label set. */
static void
sample_kv(struct out *o, const char *const *kv, size_t n, double v)
{
	char *l = labels(kv, n), **s;
	size_t i;

	if (l == NULL) {
		o->oom = true;
		return;
	}
	for (i = 0; i < o->nseen; i++)
		if (strcmp(o->seen[i], l) == 0) {
			free(l);
			return;
		}
	if ((s = realloc(o->seen, (o->nseen + 1) * sizeof(*s))) == NULL) {
		free(l);
		o->oom = true;
		return;
	}
	o->seen = s;
	o->seen[o->nseen++] = l;
	/* 15 digits: the decimal a value was made from, no float noise. */
	fprintf(o->fp, "%s{%s%s} %.15g\n", o->name, o->base, l, v);
}

static void
sample(struct out *o, double v)
{
	sample_kv(o, NULL, 0, v);
}

/* "2027-02-05T01:07:19Z" (how reports keep times) as Unix time. */
static bool
unix_time(const json_t *j, double *out)
{
	const char *s = json_string_value(j), *end;
	struct tm tm;

	if (s == NULL)
		return false;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0')
		return false;
	*out = (double)timegm(&tm);
	return true;
}

static const char *
detail_str(const struct cd_report *r, const char *key)
{
	return json_string_value(json_object_get(r->detail, key));
}

/* ------------------------------------------------------------------ */
/* Every tool.                                                          */

static void
f_success(struct out *o, const struct cd_report *r)
{
	cd_status st = cd_report_status(r);

	sample(o, st == CD_ST_OK || st == CD_ST_WARNING);
}

static void
f_duration(struct out *o, const struct cd_report *r)
{
	/* Microseconds are all the clock's reading is worth. */
	if (r->timed)
		sample(o, round(r->seconds * 1e6) / 1e6);
}

static void
f_status(struct out *o, const struct cd_report *r)
{
	sample(o, cd_report_status(r));
}

/* Lower case, as Prometheus labels usually are: "critical". */
static const char *
severity(cd_status st)
{
	static const char *const names[] = {"ok", "warning", "critical",
	    "unknown"};

	return (unsigned)st < CD_ARRAY_LEN(names) ? names[st] : "unknown";
}

/* Problems by code, severity and ignored: how many of each. */
static void
f_problem(struct out *o, const struct cd_report *r)
{
	const struct cd_problem *p, *q;
	size_t i, j, cnt;

	for (i = 0; i < r->nprobs; i++) {
		p = &r->probs[i].pub;
		cnt = 0;
		for (j = 0; j < r->nprobs; j++) {
			q = &r->probs[j].pub;
			if (q->code == p->code && q->severity == p->severity &&
			    q->ignored == p->ignored)
				cnt++;
		}
		{
			const char *kv[] = {"code", cd_problem_name(p->code),
			    "severity", severity(p->severity),
			    "ignored", p->ignored ? "true" : NULL};

			sample_kv(o, kv, CD_ARRAY_LEN(kv), (double)cnt);
		}
	}
}

/* ------------------------------------------------------------------ */
/* certcheck.                                                          */

static json_t *
chain(const struct cd_report *r)
{
	json_t *c = json_object_get(r->detail, "chain");

	return json_is_array(c) && json_array_size(c) > 0 ? c : NULL;
}

/* blackbox_exporter: the earliest notAfter of the certificates served. */
static void
f_earliest(struct out *o, const struct cd_report *r)
{
	json_t *c = chain(r), *v;
	double t, min = 0;
	bool any = false;
	size_t i;

	json_array_foreach(c, i, v)
		if (unix_time(json_object_get(v, "not_after"), &t) &&
		    (!any || t < min)) {
			min = t;
			any = true;
		}
	if (any)
		sample(o, min);
}

/*
 * blackbox_exporter: the earliest notAfter along the verified chain,
 * only when there is one (Go has no verified chain otherwise).  The
 * report's earliest_expiry is that along the path from the leaf to the
 * trust anchor, not counting extra certificates the server sent.
 */
static void
f_chain_expiry(struct out *o, const struct cd_report *r)
{
	json_t *ver = json_object_get(r->detail, "verify");
	double t;

	if (json_is_true(json_object_get(ver, "trusted")) &&
	    unix_time(json_object_get(r->detail, "earliest_expiry"), &t))
		sample(o, t);
}

/* "TLSv1.3" -> "TLS 1.3", as Go's crypto/tls names it for blackbox. */
static void
f_tls_version(struct out *o, const struct cd_report *r)
{
	const char *v = json_string_value(json_object_get(
	    json_object_get(r->detail, "tls"), "version"));
	char buf[32];

	if (v == NULL)
		return;
	if (strncmp(v, "TLSv1.", 6) == 0 && v[6] >= '0' && v[6] <= '3' &&
	    v[7] == '\0')
		snprintf(buf, sizeof(buf), "TLS 1.%c", v[6]);
	else
		snprintf(buf, sizeof(buf), "unknown");
	{
		const char *kv[] = {"version", buf};

		sample_kv(o, kv, CD_ARRAY_LEN(kv), 1);
	}
}

static void
cert_times(struct out *o, const struct cd_report *r, const char *key)
{
	json_t *c = chain(r), *v;
	char pos[24];
	double t;
	size_t i;

	json_array_foreach(c, i, v) {
		const char *kv[] = {"position", pos, "sha256",
		    json_string_value(json_object_get(v, "sha256"))};

		snprintf(pos, sizeof(pos), "%zu", i);
		if (unix_time(json_object_get(v, key), &t))
			sample_kv(o, kv, CD_ARRAY_LEN(kv), t);
	}
}

static void
f_not_after(struct out *o, const struct cd_report *r)
{
	cert_times(o, r, "not_after");
}

static void
f_not_before(struct out *o, const struct cd_report *r)
{
	cert_times(o, r, "not_before");
}

/*
 * The days left that the thresholds judged (the perfdata's, not the
 * JSON's rounded figure), in seconds: promtool wants base units.
 */
static void
perf_days(struct out *o, const struct cd_report *r, const char *label)
{
	size_t i;

	if (chain(r) == NULL)
		return;
	for (i = 0; i < r->nperf; i++)
		if (strcmp(r->perf[i].label, label) == 0) {
			sample(o, round(r->perf[i].value * 86400.0));
			return;
		}
}

static void
f_time_left(struct out *o, const struct cd_report *r)
{
	perf_days(o, r, "days_left");
}

static void
f_chain_time_left(struct out *o, const struct cd_report *r)
{
	perf_days(o, r, "chain_days_left");
}

static void
f_trusted(struct out *o, const struct cd_report *r)
{
	json_t *t = json_object_get(json_object_get(r->detail, "verify"),
	    "trusted");

	if (json_is_boolean(t))
		sample(o, json_is_true(t));
}

static void
f_hostname_match(struct out *o, const struct cd_report *r)
{
	json_t *t = json_object_get(r->detail, "hostname_match");

	if (json_is_boolean(t))
		sample(o, json_is_true(t));
}

/* ------------------------------------------------------------------ */
/* caacheck, dns01check: the verdict; http01check, tlsalpn01check: how */
/* each address the CA would try fared.                                */

static void
f_caa_verdict(struct out *o, const struct cd_report *r)
{
	const char *kv[] = {"ca", detail_str(r, "ca"),
	    "verdict", detail_str(r, "verdict")};

	if (strcmp(r->service, "CAA") == 0 && kv[3] != NULL)
		sample_kv(o, kv, CD_ARRAY_LEN(kv), 1);
}

static void
f_dns01_verdict(struct out *o, const struct cd_report *r)
{
	const char *kv[] = {"method", detail_str(r, "method"),
	    "verdict", detail_str(r, "verdict")};

	if (strcmp(r->service, "DNS01") == 0 && kv[3] != NULL)
		sample_kv(o, kv, CD_ARRAY_LEN(kv), 1);
}

static void
attempts(struct out *o, const struct cd_report *r, const char *service)
{
	json_t *a = json_object_get(r->detail, "attempts"), *v;
	size_t i;

	if (strcmp(r->service, service) != 0)
		return;
	json_array_foreach(a, i, v) {
		const char *kv[] = {
		    "ip", json_string_value(json_object_get(v, "address")),
		    "result", json_string_value(json_object_get(v, "result"))};

		if (kv[1] != NULL && kv[3] != NULL)
			sample_kv(o, kv, CD_ARRAY_LEN(kv), 1);
	}
}

static void
f_http01_attempt(struct out *o, const struct cd_report *r)
{
	attempts(o, r, "HTTP01");
}

static void
f_tlsalpn01_attempt(struct out *o, const struct cd_report *r)
{
	attempts(o, r, "TLSALPN01");
}

/* The HTTP status that ended each address's fetch (after redirects). */
static void
f_http01_status(struct out *o, const struct cd_report *r)
{
	json_t *a = json_object_get(r->detail, "attempts"), *v, *hops, *st;
	size_t i;

	if (strcmp(r->service, "HTTP01") != 0)
		return;
	json_array_foreach(a, i, v) {
		const char *kv[] = {"ip",
		    json_string_value(json_object_get(v, "address"))};

		hops = json_object_get(v, "hops");
		st = json_object_get(json_array_get(hops,
		    json_array_size(hops) - 1), "status");
		if (kv[1] != NULL && json_is_integer(st))
			sample_kv(o, kv, CD_ARRAY_LEN(kv),
			    (double)json_integer_value(st));
	}
}

/* ------------------------------------------------------------------ */

static const struct family {
	const char *name;
	const char *help;
	void (*fn)(struct out *o, const struct cd_report *r);
} families[] = {
	{"probe_success", "Displays whether or not the probe was a success",
	    f_success},
	{"probe_duration_seconds", "Returns how long the probe took to "
	    "complete in seconds", f_duration},
	{"certdiag_status", "Status of the check as its exit status: 0 OK, "
	    "1 WARNING, 2 CRITICAL, 3 UNKNOWN", f_status},
	{"certdiag_problem", "Problems found, by code and severity "
	    "(ignored=\"true\": left out of the status): how many",
	    f_problem},
	{"probe_ssl_earliest_cert_expiry", "Returns last SSL chain expiry "
	    "in unixtime", f_earliest},
	{"probe_ssl_last_chain_expiry_timestamp_seconds", "Returns last SSL "
	    "chain expiry in timestamp", f_chain_expiry},
	{"probe_tls_version_info", "Returns the TLS version used or NaN when "
	    "unknown", f_tls_version},
	{"certdiag_cert_not_after_seconds", "End of validity (notAfter) of "
	    "each certificate as served, position 0 the leaf, in Unix time",
	    f_not_after},
	{"certdiag_cert_not_before_seconds", "Start of validity (notBefore) "
	    "of each certificate as served, position 0 the leaf, in Unix "
	    "time", f_not_before},
	{"certdiag_cert_time_left_seconds", "Seconds until the leaf "
	    "certificate expires, when checked (negative once expired)",
	    f_time_left},
	{"certdiag_chain_time_left_seconds", "Seconds until the first "
	    "certificate of the leaf's chain expires, when checked (negative "
	    "once expired)", f_chain_time_left},
	{"certdiag_cert_trusted", "1 when the chain verifies against the "
	    "trust store", f_trusted},
	{"certdiag_hostname_match", "1 when the leaf certificate covers the "
	    "name checked", f_hostname_match},
	{"certdiag_caa_verdict", "Whether CAA lets the CA issue: "
	    "allowed, refused or unknown (always 1)", f_caa_verdict},
	{"certdiag_dns01_verdict", "What the CA's DNS validation would "
	    "conclude: valid, invalid or unknown (always 1)",
	    f_dns01_verdict},
	{"certdiag_http01_attempt", "How the CA's fetch of the challenge "
	    "from each address would end (always 1)", f_http01_attempt},
	{"certdiag_http01_status_code", "HTTP status that ended the fetch "
	    "from each address, after redirects", f_http01_status},
	{"certdiag_tlsalpn01_attempt", "How the CA's tls-alpn-01 handshake "
	    "with each address would end (always 1)", f_tlsalpn01_attempt},
};

/* "CERT" -> "cert": the check label. */
static void
lower(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	buf[i] = '\0';
}

static char *
base_labels(const struct cd_report *r)
{
	char check[16], *l, *out;
	const char *kv[] = {"target", r->target, "check", check,
	    "address", r->address};

	lower(r->service, check, sizeof(check));
	if ((l = labels(kv, CD_ARRAY_LEN(kv))) == NULL)
		return NULL;
	/* labels() puts a comma before each pair: not before the first. */
	out = strdup(l + 1);
	free(l);
	return out;
}

/* A report and where it came in the input. */
struct ranked {
	const struct cd_report *r;
	size_t i;
};

/* By target, then address, then input order: duplicates next to each
 * other, the first given first. */
static int
cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	int d = strcmp(x->r->target, y->r->target);

	if (d == 0)
		d = strcmp(x->r->address ? x->r->address : "",
		    y->r->address ? y->r->address : "");
	if (d == 0)
		d = x->i < y->i ? -1 : x->i > y->i;
	return d;
}

/* The reports whose series an earlier one already wrote. */
static bool *
duplicates(const struct cd_report **all, size_t m)
{
	struct ranked *s = calloc(m, sizeof(*s));
	bool *dup = calloc(m, sizeof(*dup));
	size_t i;

	if (s == NULL || dup == NULL) {
		free(s);
		free(dup);
		return NULL;
	}
	for (i = 0; i < m; i++) {
		s[i].r = all[i];
		s[i].i = i;
	}
	qsort(s, m, sizeof(*s), cmp_ranked);
	for (i = 1; i < m; i++)
		if (strcmp(s[i - 1].r->target, s[i].r->target) == 0 &&
		    strcmp(s[i - 1].r->address ? s[i - 1].r->address : "",
		    s[i].r->address ? s[i].r->address : "") == 0)
			dup[s[i].i] = true;
	free(s);
	return dup;
}

static cd_rc
write_all(const struct cd_report **all, size_t m, FILE *fp)
{
	char **base = calloc(m, sizeof(*base)), *buf = NULL;
	bool *dup = duplicates(all, m);
	cd_rc rc = CD_OK;
	size_t f, i, k, len = 0;
	struct out o;

	if (base == NULL || dup == NULL)
		rc = CD_E_NOMEM;
	for (i = 0; rc == CD_OK && i < m; i++)
		if ((base[i] = base_labels(all[i])) == NULL)
			rc = CD_E_NOMEM;
	for (f = 0; rc == CD_OK && f < CD_ARRAY_LEN(families); f++) {
		memset(&o, 0, sizeof(o));
		o.name = families[f].name;
		if ((o.fp = open_memstream(&buf, &len)) == NULL) {
			rc = CD_E_NOMEM;
			break;
		}
		for (i = 0; i < m; i++) {
			if (dup[i])
				continue;
			o.base = base[i];
			families[f].fn(&o, all[i]);
			for (k = 0; k < o.nseen; k++)
				free(o.seen[k]);
			free(o.seen);
			o.seen = NULL;
			o.nseen = 0;
		}
		if (fclose(o.fp) != 0 || o.oom)
			rc = CD_E_NOMEM;
		else if (len > 0)
			fprintf(fp, "# HELP %s %s\n# TYPE %s gauge\n%s",
			    families[f].name, families[f].help,
			    families[f].name, buf);
		free(buf);
		buf = NULL;
	}
	for (i = 0; base != NULL && i < m; i++)
		free(base[i]);
	free(base);
	free(dup);
	return rc;
}

cd_rc
cd_fmt_prometheus(const struct cd_report *const *r, size_t n, FILE *fp,
    struct cd_err *err)
{
	const struct cd_report **all, *p;
	size_t i, m = 0;
	cd_rc rc;

	for (i = 0; i < n; i++)
		for (p = r[i]; p != NULL; p = p->next)
			m++;
	if (m == 0)
		return cd_err_set(err, CD_E_USAGE, "no report to format");
	if ((all = calloc(m, sizeof(*all))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	/* --all-addresses: each address's report is a series of its own. */
	for (i = 0, m = 0; i < n; i++)
		for (p = r[i]; p != NULL; p = p->next)
			all[m++] = p;
	rc = write_all(all, m, fp);
	free(all);
	if (rc != CD_OK)
		return cd_err_set(err, rc, "out of memory");
	if (fflush(fp) != 0 || ferror(fp))
		return cd_err_set(err, CD_E_IO, "cannot write the output");
	return CD_OK;
}
