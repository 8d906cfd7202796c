/*
 * test_report_get.c - cd_report_get_number/_string/_count: paths in the
 * JSON field names, on a report made by hand (every kind of value and
 * path, and the same values the JSON formatter writes) and on one made
 * by the real certcheck of a certificate file generated here; and
 * several threads reading one fresh report at once.
 */
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jsonutil.h"
#include "report.h"
#include "tap.h"

/* A report with a detail of every JSON type, as a check would fill it. */
static struct cd_report *
handmade(void)
{
	struct cd_report *r = NULL;
	json_t *d, *recs, *rec, *proto;

	if (cd_report_new("CAA", "example.test", &r, NULL) != CD_OK)
		return NULL;
	cd_report_add(r, CD_P_CAA_FORBIDS_ISSUER, "fix it", "forbidden by %s",
	    "example.test");
	d = r->detail;
	cd_json_set(d, "days_left", json_real(12.34));
	cd_json_set(d, "port", json_integer(443));
	cd_json_set(d, "wildcard", json_true());
	cd_json_set(d, "ip_identifier", json_false());
	cd_json_set(d, "relevant_name", json_null());
	cd_json_set(d, "verdict", json_string("forbidden"));
	recs = json_array();
	for (int i = 0; i < 3; i++) {
		rec = json_object();
		cd_json_set(rec, "flags", json_integer(i));
		cd_json_set(rec, "value", json_string(i == 2 ? "ca.example" :
		    "other.example"));
		cd_json_push(recs, rec);
	}
	cd_json_set(d, "records", recs);
	proto = json_object();
	cd_json_set(proto, "TLSv1.2", json_true());
	cd_json_set(proto, "TLSv1.0", json_false());
	cd_json_set(d, "protocols", proto);
	return r;
}

static void
test_paths(void)
{
	struct cd_report *r = handmade();
	double v = -99;

	tap_ok(r != NULL, "a report by hand");
	if (r == NULL)
		return;
	tap_ok(cd_report_get_number(r, "days_left", &v) == 0 && v == 12.34,
	    "a real: 0 and its value");
	tap_ok(cd_report_get_number(r, "port", &v) == 0 && v == 443,
	    "an integer: 0 and its value");
	tap_ok(cd_report_get_number(r, "format_version", &v) == 0 && v == 1,
	    "format_version, as the JSON form has it");
	tap_ok(cd_report_get_number(r, "wildcard", &v) == 0 && v == 1,
	    "true reads as 1");
	tap_ok(cd_report_get_number(r, "ip_identifier", &v) == 0 && v == 0,
	    "false reads as 0");
	v = -99;
	tap_ok(cd_report_get_number(r, "relevant_name", &v) == -1 &&
	    v == -99, "null is no number, *out untouched");
	tap_ok(cd_report_get_number(r, "verdict", &v) == -1,
	    "a string is no number");
	tap_ok(cd_report_get_number(r, "nonesuch", &v) == -1,
	    "an absent field: -1");
	tap_is_str(cd_report_get_string(r, "verdict"), "forbidden",
	    "a string member");
	tap_is_str(cd_report_get_string(r, "status"), "CRITICAL",
	    "status, derived from the problems");
	tap_is_str(cd_report_get_string(r, "target"), "example.test",
	    "target");
	tap_is_str(cd_report_get_string(r, "problems.0.code"), "caa_forbids_issuer",
	    "problems.0.code");
	tap_is_str(cd_report_get_string(r, "problems.0.hint"), "fix it",
	    "problems.0.hint");
	tap_is_str(cd_report_get_string(r, "records.2.value"), "ca.example",
	    "records.2.value");
	tap_ok(cd_report_get_number(r, "records.1.flags", &v) == 0 && v == 1,
	    "records.1.flags");
	tap_ok(cd_report_get_string(r, "relevant_name") == NULL,
	    "null is no string");
	tap_ok(cd_report_get_string(r, "port") == NULL,
	    "a number is no string");
	tap_ok(cd_report_get_string(r, "records.3.value") == NULL,
	    "an index past the end: NULL");
	tap_ok(cd_report_get_string(r, "records.x.value") == NULL &&
	    cd_report_get_string(r, "records.-1.value") == NULL &&
	    cd_report_get_string(r, "records.2 .value") == NULL,
	    "an index that is not plain digits: NULL");
	tap_ok(cd_report_get_string(r, "verdict.0") == NULL &&
	    cd_report_get_string(r, "verdict.") == NULL &&
	    cd_report_get_string(r, "records.") == NULL &&
	    cd_report_get_string(r, ".verdict") == NULL,
	    "a path past a leaf or with an empty step: NULL");
	tap_ok(cd_report_get_string(r, NULL) == NULL &&
	    cd_report_get_number(r, NULL, &v) == -1 &&
	    cd_report_get_count(r, NULL) == 0, "a NULL path: absent");
	tap_ok(cd_report_get_number(r, "protocols.TLSv1.2", &v) == 0 &&
	    v == 1 && cd_report_get_number(r, "protocols.TLSv1.0", &v) == 0 &&
	    v == 0, "a member name holding dots (protocols.TLSv1.2)");
	tap_ok(cd_report_get_number(r, "protocols.TLSv1.3", &v) == -1,
	    "an absent dotted name: -1");
	tap_is_int((long)cd_report_get_count(r, "records"), 3,
	    "count of an array");
	tap_is_int((long)cd_report_get_count(r, "problems"), 1,
	    "count of problems");
	tap_is_int((long)cd_report_get_count(r, "protocols"), 0,
	    "count of an object: 0");
	tap_is_int((long)cd_report_get_count(r, "verdict"), 0,
	    "count of a string: 0");
	tap_is_int((long)cd_report_get_count(r, "nonesuch"), 0,
	    "count of an absent field: 0");
	tap_ok(cd_report_get_string(r, "verdict") ==
	    cd_report_get_string(r, "verdict"),
	    "the tree is built once: the same pointer each time");
	cd_report_free(r);
}

/* Every leaf of the JSON line the formatter writes reads the same. */
static void
same_as(const struct cd_report *r, json_t *j, char *path, size_t len,
    int *bad)
{
	size_t n = strlen(path), i;
	const char *k;
	json_t *v;
	double got;

	if (json_is_object(j)) {
		json_object_foreach(j, k, v) {
			snprintf(path + n, len - n, "%s%s", n ? "." : "", k);
			same_as(r, v, path, len, bad);
		}
	} else if (json_is_array(j)) {
		if (cd_report_get_count(r, path) != json_array_size(j))
			(*bad)++;
		json_array_foreach(j, i, v) {
			snprintf(path + n, len - n, "%s%zu", n ? "." : "", i);
			same_as(r, v, path, len, bad);
		}
	} else if (json_is_string(j)) {
		const char *s = cd_report_get_string(r, path);

		if (s == NULL || strcmp(s, json_string_value(j)) != 0) {
			tap_diag("%s differs", path);
			(*bad)++;
		}
	} else if (json_is_number(j) || json_is_boolean(j)) {
		if (cd_report_get_number(r, path, &got) != 0 ||
		    (json_is_boolean(j) ? got != json_is_true(j) :
		    got != json_number_value(j))) {
			tap_diag("%s differs", path);
			(*bad)++;
		}
	}
	path[n] = '\0';
}

static void
check_same_as_json(const struct cd_report *r, const char *what)
{
	char *buf = NULL, path[512] = "";
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	json_t *j = NULL;
	int bad = 0;

	if (fp != NULL && cd_fmt_write_one(CD_FMT_JSON, r, fp, 0, NULL) ==
	    CD_OK && fclose(fp) == 0)
		j = json_loads(buf, 0, NULL);
	tap_ok(j != NULL, "%s: the JSON form parses", what);
	if (j != NULL)
		same_as(r, j, path, sizeof(path), &bad);
	tap_is_int(bad, 0, "%s: every field of the JSON line reads the same "
	    "through the getters", what);
	json_decref(j);
	free(buf);
}

/* A self-signed certificate for example.test, valid 30 days, in PEM. */
static bool
make_cert(const char *path)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t crt = NULL;
	unsigned char buf[8192], serial[] = {0x01, 0x23};
	size_t len = sizeof(buf);
	time_t now = time(NULL);
	FILE *fp = NULL;
	bool ok = false;

	if (gnutls_x509_privkey_init(&key) < 0 ||
	    gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0) < 0 ||
	    gnutls_x509_crt_init(&crt) < 0 ||
	    gnutls_x509_crt_set_version(crt, 3) < 0 ||
	    gnutls_x509_crt_set_serial(crt, serial, sizeof(serial)) < 0 ||
	    gnutls_x509_crt_set_activation_time(crt, now - 86400) < 0 ||
	    gnutls_x509_crt_set_expiration_time(crt, now + 30 * 86400) < 0 ||
	    gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME,
	    0, "example.test", 12) < 0 ||
	    gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME,
	    "example.test", 12, GNUTLS_FSAN_SET) < 0 ||
	    gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME,
	    "www.example.test", 16, GNUTLS_FSAN_APPEND) < 0 ||
	    gnutls_x509_crt_set_key(crt, key) < 0 ||
	    gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0) < 0 ||
	    gnutls_x509_crt_export(crt, GNUTLS_X509_FMT_PEM, buf, &len) < 0)
		goto out;
	if ((fp = fopen(path, "w")) == NULL)
		goto out;
	ok = fwrite(buf, 1, len, fp) == len;
	ok = fclose(fp) == 0 && ok;
out:
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(key);
	return ok;
}

struct reader {
	const struct cd_report *r;
	const char *subject;
	double days;
};

static void *
read_report(void *arg)
{
	struct reader *x = arg;

	x->subject = cd_report_get_string(x->r, "chain.0.subject");
	if (cd_report_get_number(x->r, "days_left", &x->days) != 0)
		x->days = -1;
	return NULL;
}

static void
test_certcheck(void)
{
	char dir[] = "/tmp/test_report_get.XXXXXX", pem[64];
	struct cd_opts *o = cd_opts_new();
	struct cd_ctx *ctx = NULL;
	struct cd_report *r = NULL;
	struct cd_err e;
	struct reader rd[4];
	pthread_t th[4];
	double v = 0;
	size_t i;
	bool same = true;

	if (mkdtemp(dir) == NULL) {
		tap_ok(0, "a temporary directory");
		cd_opts_free(o);
		return;
	}
	snprintf(pem, sizeof(pem), "%s/cert.pem", dir);
	tap_ok(make_cert(pem), "a certificate generated with GnuTLS");
	tap_ok(o != NULL && cd_opts_set(o, CD_OPT_CAFILE, pem) == CD_OK &&
	    cd_opts_set(o, CD_OPT_NAME, "example.test") == CD_OK &&
	    cd_ctx_new(o, &ctx, &e) == CD_OK, "a context");
	if (ctx == NULL || cd_certcheck_file_run(ctx, pem, &r, &e) != CD_OK) {
		tap_ok(0, "cd_certcheck_file_run: %s", e.msg);
		goto out;
	}
	v = -1;
	(void)cd_report_get_number(r, "days_left", &v);
	tap_ok(v > 29.9 && v <= 30, "certcheck: days_left (%g)", v);
	tap_is_str(cd_report_get_string(r, "chain.0.subject"),
	    "CN=example.test", "certcheck: chain.0.subject");
	tap_is_int((long)cd_report_get_count(r, "chain"), 1,
	    "certcheck: one certificate in the chain");
	tap_is_int((long)cd_report_get_count(r, "chain.0.san"), 2,
	    "certcheck: chain.0.san holds both names");
	tap_is_str(cd_report_get_string(r, "chain.0.san.1"),
	    "www.example.test", "certcheck: chain.0.san.1");
	tap_ok(cd_report_get_string(r, "chain.0.not_after") != NULL,
	    "certcheck: chain.0.not_after is a string");
	tap_ok(cd_report_get_number(r, "verify.trusted", &v) == 0 && v == 1,
	    "certcheck: verify.trusted reads 1 (the certificate is its own "
	    "anchor)");
	tap_ok(cd_report_get_number(r, "hostname_match", &v) == 0 && v == 1,
	    "certcheck: hostname_match reads 1");
	tap_ok(cd_report_get_number(r, "chain.0.key.bits", &v) == 0 &&
	    v == 256, "certcheck: chain.0.key.bits");
	tap_is_str(cd_report_get_string(r, "file"), pem, "certcheck: file");
	check_same_as_json(r, "certcheck");
	cd_report_free(r);
	r = NULL;

	/* A fresh report, read by four threads at once: one tree wins. */
	if (cd_certcheck_file_run(ctx, pem, &r, &e) != CD_OK) {
		tap_ok(0, "cd_certcheck_file_run again: %s", e.msg);
		goto out;
	}
	for (i = 0; i < 4; i++) {
		rd[i].r = r;
		pthread_create(&th[i], NULL, read_report, &rd[i]);
	}
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 4; i++)
		same = same && rd[i].subject != NULL &&
		    rd[i].subject == rd[0].subject && rd[i].days > 29.9;
	tap_ok(same, "four threads reading a fresh report see one tree");

	/* Compacting drops the detail, and the tree with it. */
	cd_report_compact(r);
	tap_ok(cd_report_get_string(r, "chain.0.subject") == NULL,
	    "after cd_report_compact: the detail is gone");
	tap_is_str(cd_report_get_string(r, "status"), "OK",
	    "after cd_report_compact: status still reads");
out:
	cd_report_free(r);
	cd_ctx_free(ctx);
	cd_opts_free(o);
	unlink(pem);
	rmdir(dir);
}

int
main(void)
{
	struct cd_report *r;

	if (cd_global_init(NULL) != CD_OK)
		return 1;
	test_paths();
	if ((r = handmade()) != NULL) {
		check_same_as_json(r, "by hand");
		cd_report_free(r);
	}
	test_certcheck();
	cd_global_cleanup();
	return tap_done();
}
