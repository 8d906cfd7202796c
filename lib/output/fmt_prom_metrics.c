/*
 * fmt_prom_metrics.c - what the Prometheus format says of a report: the
 * metric families, their HELP, and how each reads its values from the
 * report (status, problems, perfdata, the tool's detail fields).
 * fmt_prom.c writes them.
 *
 * Names are blackbox_exporter's where it has one with the same meaning,
 * with its HELP text; certdiag_* otherwise.  probe_success is 1 unless
 * the status is CRITICAL or UNKNOWN: as with blackbox_exporter, a
 * certificate that is only close to its end (WARNING) still probes
 * successfully; an expired or untrusted one does not.  Ignored problems
 * (--ignore) stay listed with ignored="true", as the other formats keep
 * them.  promtool wants base units: time left is in seconds, not days.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fmt_prom.h"
#include "jsonutil.h"

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
detail_str(const struct cd_report *r, enum cd_jkey k)
{
	return cd_json_strk(r->detail, k);
}

/* ------------------------------------------------------------------ */
/* Every tool.                                                          */

static void
f_success(struct cd_prom_out *o, const struct cd_report *r)
{
	cd_status st = cd_report_status(r);

	cd_prom_sample(o, st == CD_ST_OK || st == CD_ST_WARNING);
}

static void
f_duration(struct cd_prom_out *o, const struct cd_report *r)
{
	/* Microseconds are all the clock's reading is worth. */
	if (r->timed)
		cd_prom_sample(o, round(r->seconds * 1e6) / 1e6);
}

static void
f_status(struct cd_prom_out *o, const struct cd_report *r)
{
	cd_prom_sample(o, cd_report_status(r));
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
f_problem(struct cd_prom_out *o, const struct cd_report *r)
{
	const char *kv[] = {"code", NULL, "severity", NULL, "ignored", NULL};
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
		kv[1] = cd_problem_name(p->code);
		kv[3] = severity(p->severity);
		kv[5] = p->ignored ? "true" : NULL;
		/* the later ones of a code are the same series: written once */
		cd_prom_sample_kv(o, kv, CD_ARRAY_LEN(kv), (double)cnt);
	}
}

/* ------------------------------------------------------------------ */
/* certcheck.                                                          */

static json_t *
chain(const struct cd_report *r)
{
	json_t *c = cd_json_getk(r->detail, CD_K_CHAIN);

	return json_is_array(c) && json_array_size(c) > 0 ? c : NULL;
}

/* blackbox_exporter: the earliest notAfter of the certificates served. */
static void
f_earliest(struct cd_prom_out *o, const struct cd_report *r)
{
	json_t *c = chain(r), *v;
	double t, min = 0;
	bool any = false;
	size_t i;

	json_array_foreach(c, i, v)
		if (unix_time(cd_json_getk(v, CD_K_NOT_AFTER), &t) &&
		    (!any || t < min)) {
			min = t;
			any = true;
		}
	if (any)
		cd_prom_sample(o, min);
}

/*
 * blackbox_exporter: the earliest notAfter along the verified chain,
 * only when there is one (Go has no verified chain otherwise).  The
 * report's earliest_expiry is that along the path from the leaf to the
 * trust anchor, not counting extra certificates the server sent.
 */
static void
f_chain_expiry(struct cd_prom_out *o, const struct cd_report *r)
{
	json_t *ver = cd_json_getk(r->detail, CD_K_VERIFY);
	double t;

	if (json_is_true(cd_json_getk(ver, CD_K_TRUSTED)) &&
	    unix_time(cd_json_getk(r->detail, CD_K_EARLIEST_EXPIRY), &t))
		cd_prom_sample(o, t);
}

/* "TLSv1.3" -> "TLS 1.3", as Go's crypto/tls names it for blackbox. */
static void
f_tls_version(struct cd_prom_out *o, const struct cd_report *r)
{
	const char *v = cd_json_strk(
	    cd_json_getk(r->detail, CD_K_TLS), CD_K_VERSION);
	char buf[32];
	const char *kv[] = {"version", buf};

	if (v == NULL)
		return;
	if (strncmp(v, "TLSv1.", 6) == 0 && v[6] >= '0' && v[6] <= '3' &&
	    v[7] == '\0')
		snprintf(buf, sizeof(buf), "TLS 1.%c", v[6]);
	else
		snprintf(buf, sizeof(buf), "unknown");
	cd_prom_sample_kv(o, kv, CD_ARRAY_LEN(kv), 1);
}

static void
cert_times(struct cd_prom_out *o, const struct cd_report *r, enum cd_jkey k)
{
	json_t *c = chain(r), *v;
	char pos[24];
	double t;
	size_t i;

	json_array_foreach(c, i, v) {
		const char *kv[] = {"position", pos, "sha256",
		    cd_json_strk(v, CD_K_SHA256)};

		snprintf(pos, sizeof(pos), "%zu", i);
		if (unix_time(cd_json_getk(v, k), &t))
			cd_prom_sample_kv(o, kv, CD_ARRAY_LEN(kv), t);
	}
}

static void
f_not_after(struct cd_prom_out *o, const struct cd_report *r)
{
	cert_times(o, r, CD_K_NOT_AFTER);
}

static void
f_not_before(struct cd_prom_out *o, const struct cd_report *r)
{
	cert_times(o, r, CD_K_NOT_BEFORE);
}

/*
 * The days left that the thresholds judged (the perfdata's, not the
 * JSON's rounded figure), in seconds: promtool wants base units.
 */
static void
perf_days(struct cd_prom_out *o, const struct cd_report *r, const char *label)
{
	size_t i;

	if (chain(r) == NULL)
		return;
	for (i = 0; i < r->nperf; i++)
		if (strcmp(r->perf[i].label, label) == 0) {
			cd_prom_sample(o, round(r->perf[i].value * 86400.0));
			return;
		}
}

static void
f_time_left(struct cd_prom_out *o, const struct cd_report *r)
{
	perf_days(o, r, "days_left");
}

static void
f_chain_time_left(struct cd_prom_out *o, const struct cd_report *r)
{
	perf_days(o, r, "chain_days_left");
}

static void
f_trusted(struct cd_prom_out *o, const struct cd_report *r)
{
	json_t *t = cd_json_getk(cd_json_getk(r->detail, CD_K_VERIFY),
	    CD_K_TRUSTED);

	if (json_is_boolean(t))
		cd_prom_sample(o, json_is_true(t));
}

static void
f_hostname_match(struct cd_prom_out *o, const struct cd_report *r)
{
	json_t *t = cd_json_getk(r->detail, CD_K_HOSTNAME_MATCH);

	if (json_is_boolean(t))
		cd_prom_sample(o, json_is_true(t));
}

/* ------------------------------------------------------------------ */
/* caacheck, dns01check: the verdict; http01check, tlsalpn01check: how */
/* each address the CA would try fared.                                */

static void
f_caa_verdict(struct cd_prom_out *o, const struct cd_report *r)
{
	const char *kv[] = {"ca", detail_str(r, CD_K_CA),
	    "verdict", detail_str(r, CD_K_VERDICT)};

	if (strcmp(r->service, "CAA") == 0 && kv[3] != NULL)
		cd_prom_sample_kv(o, kv, CD_ARRAY_LEN(kv), 1);
}

static void
f_dns01_verdict(struct cd_prom_out *o, const struct cd_report *r)
{
	const char *kv[] = {"method", detail_str(r, CD_K_METHOD),
	    "verdict", detail_str(r, CD_K_VERDICT)};

	if (strcmp(r->service, "DNS01") == 0 && kv[3] != NULL)
		cd_prom_sample_kv(o, kv, CD_ARRAY_LEN(kv), 1);
}

static void
attempts(struct cd_prom_out *o, const struct cd_report *r, const char *service)
{
	json_t *a = cd_json_getk(r->detail, CD_K_ATTEMPTS), *v;
	size_t i;

	if (strcmp(r->service, service) != 0)
		return;
	json_array_foreach(a, i, v) {
		const char *kv[] = {
		    "ip", cd_json_strk(v, CD_K_ADDRESS),
		    "result", cd_json_strk(v, CD_K_RESULT)};

		if (kv[1] != NULL && kv[3] != NULL)
			cd_prom_sample_kv(o, kv, CD_ARRAY_LEN(kv), 1);
	}
}

static void
f_http01_attempt(struct cd_prom_out *o, const struct cd_report *r)
{
	attempts(o, r, "HTTP01");
}

static void
f_tlsalpn01_attempt(struct cd_prom_out *o, const struct cd_report *r)
{
	attempts(o, r, "TLSALPN01");
}

/* The HTTP status that ended each address's fetch (after redirects). */
static void
f_http01_status(struct cd_prom_out *o, const struct cd_report *r)
{
	json_t *a = cd_json_getk(r->detail, CD_K_ATTEMPTS), *v, *hops, *st;
	size_t i;

	if (strcmp(r->service, "HTTP01") != 0)
		return;
	json_array_foreach(a, i, v) {
		const char *kv[] = {"ip",
		    cd_json_strk(v, CD_K_ADDRESS)};

		hops = cd_json_getk(v, CD_K_HOPS);
		st = cd_json_getk(json_array_get(hops,
		    json_array_size(hops) - 1), CD_K_STATUS);
		if (kv[1] != NULL && json_is_integer(st))
			cd_prom_sample_kv(o, kv, CD_ARRAY_LEN(kv),
			    (double)json_integer_value(st));
	}
}

/* ------------------------------------------------------------------ */

const struct cd_prom_family cd_prom_families[] = {
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

const size_t cd_prom_nfamilies = CD_ARRAY_LEN(cd_prom_families);
