/*
 * test_fmt_prom.c - the Prometheus formatter on reports built by hand:
 * golden output for two targets (each family's HELP and TYPE once, the
 * samples grouped under it), label values escaped as the exposition
 * format wants (backslash, double quote, line feed; bytes that are not
 * UTF-8 as \xHH), a target given twice written once, problems counted by
 * code and severity, reports linked per address labelled with it, and
 * the format's name and its refusal by cd_fmt_write_one, a batch
 * that outlives the reports added to it, and the report of a check out
 * of time (cd_report_timeout_new).
 */
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"
#include "report.h"
#include "tap.h"

static struct cd_report *
new_report(const char *service, const char *target)
{
	struct cd_report *r = NULL;

	if (cd_report_new(service, target, &r, NULL) != CD_OK) {
		printf("Bail out! cd_report_new failed\n");
		exit(1);
	}
	return r;
}

/* Everything cd_fmt_prometheus writes for n reports (caller frees). */
static char *
prom(struct cd_report *const *r, size_t n)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp;
	cd_rc rc;

	if ((fp = open_memstream(&out, &len)) == NULL)
		return NULL;
	rc = cd_fmt_prometheus((const struct cd_report *const *)r, n, fp,
	    NULL);
	fclose(fp);
	if (rc != CD_OK)
		tap_diag("cd_fmt_prometheus: %s", cd_strerror(rc));
	return out;
}

static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	for (; s != NULL && (s = strstr(s, needle)) != NULL; s++)
		n++;
	return n;
}

/* A served chain of one certificate, as certcheck's detail holds it. */
static void
add_chain(struct cd_report *r, const char *not_after, bool trusted)
{
	json_t *c = json_object(), *chain = json_array(), *ver = json_object();

	cd_json_set(c, "sha256", cd_json_str("ab01"));
	cd_json_set(c, "not_before", cd_json_str("2026-11-01T00:00:00Z"));
	cd_json_set(c, "not_after", cd_json_str(not_after));
	cd_json_push(chain, c);
	cd_json_set(r->detail, "chain", chain);
	cd_json_set(ver, "trusted", json_boolean(trusted));
	cd_json_set(r->detail, "verify", ver);
	cd_json_set(r->detail, "earliest_expiry", cd_json_str(not_after));
	cd_report_perf(r, "days_left", 1.5, "", NULL, NULL, NULL);
}

static void
test_golden(void)
{
	struct cd_report *r[2] = {new_report("CERT", "a.test:443"),
	    new_report("CERT", "b.test:443")};
	char *out;

	add_chain(r[0], "2027-01-01T00:00:00Z", true);
	r[0]->timed = true;
	r[0]->seconds = 0.0123456789;
	add_chain(r[1], "2026-12-01T00:00:00Z", false);
	cd_report_add(r[1], CD_P_CERT_EXPIRED, NULL, "one");
	cd_report_add(r[1], CD_P_CERT_EXPIRED, NULL, "two");
	out = prom(r, 2);
	tap_is_str(out,
	    "# HELP probe_success Displays whether or not the probe was a "
	    "success\n"
	    "# TYPE probe_success gauge\n"
	    "probe_success{target=\"a.test:443\",check=\"cert\"} 1\n"
	    "probe_success{target=\"b.test:443\",check=\"cert\"} 0\n"
	    "# HELP probe_duration_seconds Returns how long the probe took to "
	    "complete in seconds\n"
	    "# TYPE probe_duration_seconds gauge\n"
	    "probe_duration_seconds{target=\"a.test:443\",check=\"cert\"} "
	    "0.012346\n"
	    "# HELP certdiag_status Status of the check as its exit status: "
	    "0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN\n"
	    "# TYPE certdiag_status gauge\n"
	    "certdiag_status{target=\"a.test:443\",check=\"cert\"} 0\n"
	    "certdiag_status{target=\"b.test:443\",check=\"cert\"} 2\n"
	    "# HELP certdiag_problem Problems found, by code and severity "
	    "(ignored=\"true\": left out of the status): how many\n"
	    "# TYPE certdiag_problem gauge\n"
	    "certdiag_problem{target=\"b.test:443\",check=\"cert\","
	    "code=\"cert_expired\",severity=\"critical\"} 2\n"
	    "# HELP probe_ssl_earliest_cert_expiry Returns last SSL chain "
	    "expiry in unixtime\n"
	    "# TYPE probe_ssl_earliest_cert_expiry gauge\n"
	    "probe_ssl_earliest_cert_expiry{target=\"a.test:443\","
	    "check=\"cert\"} 1798761600\n"
	    "probe_ssl_earliest_cert_expiry{target=\"b.test:443\","
	    "check=\"cert\"} 1796083200\n"
	    "# HELP probe_ssl_last_chain_expiry_timestamp_seconds Returns last "
	    "SSL chain expiry in timestamp\n"
	    "# TYPE probe_ssl_last_chain_expiry_timestamp_seconds gauge\n"
	    "probe_ssl_last_chain_expiry_timestamp_seconds{target="
	    "\"a.test:443\",check=\"cert\"} 1798761600\n"
	    "# HELP certdiag_cert_not_after_seconds End of validity (notAfter) "
	    "of each certificate as served, position 0 the leaf, in Unix "
	    "time\n"
	    "# TYPE certdiag_cert_not_after_seconds gauge\n"
	    "certdiag_cert_not_after_seconds{target=\"a.test:443\","
	    "check=\"cert\",position=\"0\",sha256=\"ab01\"} 1798761600\n"
	    "certdiag_cert_not_after_seconds{target=\"b.test:443\","
	    "check=\"cert\",position=\"0\",sha256=\"ab01\"} 1796083200\n"
	    "# HELP certdiag_cert_not_before_seconds Start of validity "
	    "(notBefore) of each certificate as served, position 0 the leaf, "
	    "in Unix time\n"
	    "# TYPE certdiag_cert_not_before_seconds gauge\n"
	    "certdiag_cert_not_before_seconds{target=\"a.test:443\","
	    "check=\"cert\",position=\"0\",sha256=\"ab01\"} 1793491200\n"
	    "certdiag_cert_not_before_seconds{target=\"b.test:443\","
	    "check=\"cert\",position=\"0\",sha256=\"ab01\"} 1793491200\n"
	    "# HELP certdiag_cert_time_left_seconds Seconds until the leaf "
	    "certificate expires, when checked (negative once expired)\n"
	    "# TYPE certdiag_cert_time_left_seconds gauge\n"
	    "certdiag_cert_time_left_seconds{target=\"a.test:443\","
	    "check=\"cert\"} 129600\n"
	    "certdiag_cert_time_left_seconds{target=\"b.test:443\","
	    "check=\"cert\"} 129600\n"
	    "# HELP certdiag_cert_trusted 1 when the chain verifies against "
	    "the trust store\n"
	    "# TYPE certdiag_cert_trusted gauge\n"
	    "certdiag_cert_trusted{target=\"a.test:443\",check=\"cert\"} 1\n"
	    "certdiag_cert_trusted{target=\"b.test:443\",check=\"cert\"} 0\n",
	    "golden: two targets, each family once, problems counted");
	tap_is_int((long long)count(out, "# TYPE probe_success "), 1,
	    "golden: one TYPE line for probe_success");
	free(out);
	cd_report_free(r[0]);
	cd_report_free(r[1]);
}

static void
test_escape(void)
{
	struct cd_report *r[1] = {new_report("CAA", "q\"b\\n\nx\xff.test")};
	char *out;

	cd_json_set(r[0]->detail, "ca", cd_json_str("letsencrypt.org"));
	cd_json_set(r[0]->detail, "verdict", cd_json_str("allowed"));
	out = prom(r, 1);
	/* The invalid byte goes through the display escape first, so the
	 * line feed is \x0a there; a valid string keeps it as \n. */
	tap_ok(out != NULL && strstr(out, "probe_success{target=\"q\\\"b\\\\n"
	    "\\\\x0ax\\\\xff.test\",check=\"caa\"} 1\n") != NULL,
	    "escape: not UTF-8: quote, backslash, \\xHH escaped");
	tap_ok(strstr(out ? out : "", "certdiag_caa_verdict{target=") != NULL &&
	    strstr(out, ",ca=\"letsencrypt.org\",verdict=\"allowed\"} 1\n") !=
	    NULL, "escape: the CAA verdict's labels");
	free(out);
	cd_report_free(r[0]);
	r[0] = new_report("CAA", "a\"b\\c\nd.test");
	out = prom(r, 1);
	tap_ok(out != NULL && strstr(out, "probe_success{target=\"a\\\"b\\\\c"
	    "\\nd.test\",check=\"caa\"} 1\n") != NULL,
	    "escape: UTF-8: \\\" \\\\ \\n as the format writes them");
	tap_is_int((long long)count(out, "\n"), 6,
	    "escape: no raw line feed inside a sample (2 families, 3 lines "
	    "each)");
	free(out);
	cd_report_free(r[0]);
}

static void
test_duplicates_and_linked(void)
{
	struct cd_report *r[3] = {new_report("CERT", "d.test:443"),
	    new_report("CERT", "e.test:443"), new_report("CERT", "d.test:443")};
	struct cd_report *v6 = new_report("CERT", "e.test:443");
	char *out;

	r[1]->address = strdup("127.0.0.1");
	v6->address = strdup("::1");
	r[1]->next = v6;
	cd_report_add(v6, CD_P_CERT_EXPIRED, NULL, "expired");
	cd_report_add(r[2], CD_P_CERT_EXPIRED, NULL, "not written");
	out = prom(r, 3);
	tap_is_int((long long)count(out, "probe_success{target=\"d.test:443\""),
	    1, "a target given twice: written once");
	tap_is_int((long long)count(out, "certdiag_problem{"), 1,
	    "a target given twice: the first one's (no problem) kept, "
	    "the second's problem not written");
	tap_ok(out != NULL && strstr(out, "certdiag_status{target="
	    "\"e.test:443\",check=\"cert\",address=\"127.0.0.1\"} 0\n"
	    "certdiag_status{target=\"e.test:443\",check=\"cert\","
	    "address=\"::1\"} 2\n") != NULL,
	    "linked: a series per address, labelled");
	free(out);
	cd_report_free(r[0]);
	cd_report_free(r[1]);
	cd_report_free(r[2]);
}

static void
test_ignored(void)
{
	struct cd_report *r[1] = {new_report("CERT", "i.test:443")};
	char *out;

	cd_report_add(r[0], CD_P_CERT_EXPIRED, NULL, "expired");
	r[0]->probs[0].pub.ignored = true;
	out = prom(r, 1);
	tap_ok(out != NULL && strstr(out, "certdiag_problem{target="
	    "\"i.test:443\",check=\"cert\",code=\"cert_expired\","
	    "severity=\"critical\",ignored=\"true\"} 1\n") != NULL &&
	    strstr(out, "certdiag_status{target=\"i.test:443\","
	    "check=\"cert\"} 0\n") != NULL &&
	    strstr(out, "probe_success{target=\"i.test:443\","
	    "check=\"cert\"} 1\n") != NULL,
	    "ignored: listed with ignored=\"true\", out of the status");
	free(out);
	cd_report_free(r[0]);
}

static void
test_format(void)
{
	enum cd_format f = CD_FMT_TEXT;
	struct cd_err e;
	FILE *fp = fopen("/dev/null", "w");

	tap_is_int(cd_format_parse("prometheus", &f, NULL), CD_OK,
	    "format \"prometheus\"");
	tap_is_int(f, CD_FMT_PROMETHEUS, "format \"prometheus\" value");
	tap_is_int(cd_fmt_write_one(CD_FMT_PROMETHEUS, NULL, fp, 0, &e),
	    CD_E_USAGE, "write_one refuses the prometheus format");
	tap_is_int(cd_fmt_prometheus(NULL, 0, fp, &e), CD_E_USAGE,
	    "prometheus: zero reports is a usage error");
	if (fp != NULL)
		fclose(fp);
}

/* A batch keeps no reference to a report: it may be freed at once. */
static void
test_batch(void)
{
	struct cd_prom_batch *b = NULL;
	struct cd_report *r = new_report("DNS01", "x.test");
	char *out = NULL;
	size_t len = 0;
	FILE *fp;
	struct cd_err e;

	tap_is_int(cd_prom_batch_new(&b, &e), CD_OK, "batch: new");
	if ((fp = open_memstream(&out, &len)) == NULL || b == NULL) {
		printf("Bail out! no memory stream or batch\n");
		exit(1);
	}
	tap_is_int(cd_prom_batch_write(b, fp, &e), CD_E_USAGE,
	    "batch: nothing added is a usage error");
	cd_json_set(r->detail, "method", cd_json_str("dns-01"));
	cd_json_set(r->detail, "verdict", cd_json_str("valid"));
	tap_is_int(cd_prom_batch_add(b, r, &e), CD_OK, "batch: add");
	cd_report_free(r);
	tap_is_int(cd_prom_batch_write(b, fp, &e), CD_OK,
	    "batch: write after the report is gone");
	fclose(fp);
	tap_ok(out != NULL && strstr(out, "\ncertdiag_dns01_verdict{target="
	    "\"x.test\",check=\"dns01\",method=\"dns-01\",verdict="
	    "\"valid\"} 1\n") != NULL,
	    "batch: the report's samples, written from text alone");
	free(out);
	cd_prom_batch_free(b);
}

/*
 * cd_report_timeout_new: what an exporter answers for a probe out of
 * time, in the same families as a report of the check itself.
 */
static void
test_timeout(void)
{
	struct cd_report *r = NULL;
	struct cd_err e;
	char *out;

	tap_ok(cd_report_timeout_new("tlsalpn01", "a\"b.test", 1.5, &r,
	    &e) == CD_OK && r != NULL, "timeout report made");
	if (r == NULL)
		return;
	tap_ok(cd_report_status(r) == CD_ST_CRITICAL &&
	    cd_report_nproblems(r) == 1 &&
	    cd_report_problem(r, 0)->code == CD_P_TIMEOUT,
	    "timeout report: CRITICAL, problem timeout alone");
	out = prom(&r, 1);
	tap_ok(out != NULL && strstr(out,
	    "probe_success{target=\"a\\\"b.test\",check=\"tlsalpn01\"} 0\n")
	    != NULL, "timeout report: probe_success 0, the target escaped");
	tap_ok(out != NULL && strstr(out,
	    "probe_duration_seconds{target=\"a\\\"b.test\",check=\"tlsalpn01\"} 1.5\n")
	    != NULL, "timeout report: probe_duration_seconds the time given");
	tap_ok(out != NULL && strstr(out, "certdiag_status{target=\"a\\\"b.test\","
	    "check=\"tlsalpn01\"} 2\n") != NULL &&
	    strstr(out, ",code=\"timeout\",severity=\"critical\"} 1\n") != NULL,
	    "timeout report: status 2, problem timeout");
	tap_ok(out != NULL && count(out, "# HELP ") == count(out, "# TYPE "),
	    "timeout report: HELP and TYPE for each family");
	free(out);
	cd_report_free(r);
	r = NULL;
	tap_ok(cd_report_timeout_new("smtp", "a.test", 1, &r, &e) ==
	    CD_E_USAGE && r == NULL && strstr(e.msg, "unknown check 'smtp'")
	    != NULL, "timeout report: an unknown check refused");
}

int
main(void)
{
	test_golden();
	test_escape();
	test_duplicates_and_linked();
	test_ignored();
	test_format();
	test_batch();
	test_timeout();
	return tap_done();
}
