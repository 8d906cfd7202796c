/*
 * test_fmt.c - golden output of the three formatters (nagios, json,
 * text) on reports built by hand through the internal report API, and
 * the guarantees that no string from a peer can break them: no '|' or
 * line break inside Nagios plugin text, always valid JSON on one line,
 * no escape sequence reaching a terminal.
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "jsonutil.h"
#include "report.h"
#include "tap.h"

/* ---- helpers --------------------------------------------------------- */

static struct cd_report *
new_report(const char *target)
{
	struct cd_report *r = NULL;

	if (cd_report_new("CERT", target, &r, NULL) != CD_OK) {
		printf("Bail out! cd_report_new failed\n");
		exit(1);
	}
	return r;
}

/* days_left=value;27:;9:;0, the thresholds certcheck writes. */
static void
add_days(struct cd_report *r, const char *label, double days)
{
	struct cd_range w, c;
	double zero = 0;

	cd_range_parse("27:", 0, &w, NULL);
	cd_range_parse("9:", 0, &c, NULL);
	cd_report_perf(r, label, days, "", &w, &c, &zero);
}

/* Everything the Nagios formatter writes for n reports (caller frees). */
static char *
nagios(struct cd_report *const *r, size_t n)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp;
	cd_rc rc;

	if ((fp = open_memstream(&out, &len)) == NULL)
		return NULL;
	rc = cd_fmt_nagios((const struct cd_report *const *)r, n, fp, NULL);
	fclose(fp);
	if (rc != CD_OK)
		tap_diag("cd_fmt_nagios: %s", cd_strerror(rc));
	return out;
}

/* Everything cd_fmt_write_one writes (caller frees). */
static char *
one(enum cd_format fmt, const struct cd_report *r, unsigned flags)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp;
	cd_rc rc;

	if ((fp = open_memstream(&out, &len)) == NULL)
		return NULL;
	rc = cd_fmt_write_one(fmt, r, fp, flags, NULL);
	fclose(fp);
	if (rc != CD_OK)
		tap_diag("cd_fmt_write_one: %s", cd_strerror(rc));
	return out;
}

static size_t
count_char(const char *s, char c)
{
	size_t n = 0;

	for (; s && *s; s++)
		if (*s == c)
			n++;
	return n;
}

/* The first line of s, in a static buffer. */
static const char *
first_line(const char *s)
{
	static char line[1024];
	size_t n;

	if (s == NULL)
		return "";
	n = strcspn(s, "\n");
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, s, n);
	line[n] = '\0';
	return line;
}

/* ---- nagios ---------------------------------------------------------- */

static void
test_nagios_ok(void)
{
	struct cd_report *r = new_report("good.test:443");
	char *out;

	cd_report_ok_summary(r, "certificate valid for %d days, chain "
	    "trusted", 59);
	add_days(r, "days_left", 59.99);
	out = nagios(&r, 1);
	tap_is_str(out, "CERT OK - good.test:443: certificate valid for 59 "
	    "days, chain trusted | days_left=59.99;27:;9:;0\n",
	    "nagios: OK report with perfdata, exactly");
	free(out);

	/* An informational finding keeps OK and adds a long-text line. */
	cd_report_add(r, CD_P_CHAIN_ROOT_SENT, NULL, "the server sends the "
	    "root CN=Test Root");
	add_days(r, "chain_days_left", 6.4166);
	out = nagios(&r, 1);
	tap_is_str(out, "CERT OK - good.test:443: certificate valid for 59 "
	    "days, chain trusted | days_left=59.99;27:;9:;0 "
	    "chain_days_left=6.42;27:;9:;0\n"
	    "OK: chain_root_sent: the server sends the root CN=Test Root\n",
	    "nagios: OK with an informational problem, exactly");
	cd_report_free(r);
	free(out);

	/* No summary set, no perfdata. */
	r = new_report("plain.test:443");
	out = nagios(&r, 1);
	tap_ok(out != NULL && strncmp(out, "CERT OK - plain.test:443: ",
	    26) == 0 && count_char(out, '\n') == 1,
	    "nagios: OK report without summary or perfdata is one line");
	cd_report_free(r);
	free(out);
}

static void
test_nagios_critical(void)
{
	struct cd_report *r = new_report("bad.test:443");
	char *out;

	cd_report_add(r, CD_P_CHAIN_ORDER, "list the leaf first",
	    "the certificates are not in leaf-to-root order");
	cd_report_add(r, CD_P_CERT_EXPIRED, "renew it",
	    "leaf CN=bad.test expired %d days ago", 3);
	add_days(r, "days_left", -3);
	out = nagios(&r, 1);
	tap_ok(out != NULL && strstr(first_line(out), "CERT CRITICAL - ") ==
	    first_line(out), "nagios: first line starts \"CERT CRITICAL - \"");
	tap_ok(strstr(first_line(out), "(+1 more)") != NULL,
	    "nagios: first line says (+1 more)");
	tap_is_str(out, "CERT CRITICAL - bad.test:443: leaf CN=bad.test "
	    "expired 3 days ago (+1 more) | days_left=-3;27:;9:;0\n"
	    "WARNING: chain_order: the certificates are not in leaf-to-root "
	    "order\n"
	    "CRITICAL: cert_expired: leaf CN=bad.test expired 3 days ago\n",
	    "nagios: CRITICAL report, the worst problem as summary, exactly");
	free(out);
	cd_report_free(r);

	/* Two criticals and an informational one: +1, not +2. */
	r = new_report("bad.test:443");
	cd_report_add(r, CD_P_CERT_EXPIRED, NULL, "expired");
	cd_report_add(r, CD_P_CHAIN_ROOT_SENT, NULL, "root sent");
	cd_report_add(r, CD_P_HOSTNAME_MISMATCH, NULL, "mismatch");
	out = nagios(&r, 1);
	tap_is_str(first_line(out), "CERT CRITICAL - bad.test:443: expired "
	    "(+1 more)", "nagios: an OK-severity problem is not counted");
	tap_is_int((long long)count_char(out, '\n'), 4,
	    "nagios: one long-text line per problem");
	free(out);
	cd_report_free(r);

	r = new_report("odd.test:443");
	cd_report_add(r, CD_P_CHECK_ERROR, NULL, "tls: out of memory");
	out = nagios(&r, 1);
	tap_is_str(out, "CERT UNKNOWN - odd.test:443: tls: out of memory\n"
	    "UNKNOWN: check_error: tls: out of memory\n",
	    "nagios: UNKNOWN report, exactly");
	free(out);
	cd_report_free(r);
}

static void
test_nagios_hostile(void)
{
	struct cd_report *r = new_report("evil.test:443");
	char *out;
	const char *bar;

	cd_report_add(r, CD_P_HOSTNAME_MISMATCH, NULL,
	    "leaf covers CN=a|b\nCRITICAL: injected\r| x=1");
	add_days(r, "days_left", 30);
	out = nagios(&r, 1);
	tap_is_int((long long)count_char(out, '\n'), 2,
	    "nagios: a newline in a message adds no line");
	tap_is_int((long long)count_char(first_line(out), '|'), 1,
	    "nagios: a '|' in a message does not start perfdata early");
	bar = strchr(first_line(out), '|');
	tap_ok(bar != NULL && strcmp(bar, "| days_left=30;27:;9:;0") == 0,
	    "nagios: the only '|' starts the real perfdata");
	tap_is_str(out, "CERT CRITICAL - evil.test:443: leaf covers CN=a/b "
	    "CRITICAL: injected / x=1 | days_left=30;27:;9:;0\n"
	    "CRITICAL: hostname_mismatch: leaf covers CN=a/b CRITICAL: "
	    "injected / x=1\n", "nagios: '|' and line breaks replaced, "
	    "exactly");
	free(out);
	cd_report_free(r);

	/* Labels: quotes and '=' are dropped, a space means quoting. */
	r = new_report("x.test:443");
	cd_report_perf(r, "it's a=b", 1, "s", NULL, NULL, NULL);
	out = nagios(&r, 1);
	tap_is_str(first_line(out), "CERT OK - x.test:443: no problem found "
	    "| 'its ab'=1s", "nagios: a label with a quote, '=' and a "
	    "space");
	free(out);
	cd_report_free(r);
}

/* Every backslash of s starts a whole \xHH escape. */
static bool
escapes_whole(const char *s)
{
	for (; (s = strchr(s, '\\')) != NULL; s += 4)
		if (s[1] != 'x' || !s[2] || !s[3] || !strchr("0123456789abcdef",
		    s[2]) || !strchr("0123456789abcdef", s[3]))
			return false;
	return true;
}

/*
 * A peer's long text (a 9,000-byte CAA value) must not push perfdata
 * past what Nagios reads: the first line stays within 4,096 bytes, the
 * summary is cut with "...", the perfdata is whole, and the cut never
 * splits a UTF-8 sequence or a \xHH escape, wherever it falls.
 */
static void
test_nagios_long(void)
{
	const char *perf = " | days_left=30;27:;9:;0";
	struct cd_report *r;
	char *msg, *out, *line;
	size_t pad, n, bad = 0;

	for (pad = 3920; pad < 4050; pad++) {
		/* pad ASCII bytes, then invalid bytes (\xff each), then
		 * two-byte letters: the cut moves across all three. */
		if ((msg = malloc(9100)) == NULL)
			break;
		memset(msg, 'a', pad);
		for (n = pad; n < pad + 30; n++)
			msg[n] = (char)0xff;
		for (; n < 9000; n += 2)
			memcpy(msg + n, "\xc3\xa9", 2);
		msg[n] = '\0';
		r = new_report("long.test");
		cd_report_add(r, CD_P_CAA_FORBIDS_ISSUER, NULL, "%s", msg);
		add_days(r, "days_left", 30);
		out = nagios(&r, 1);
		line = out ? strndup(out, strcspn(out, "\n")) : NULL;
		n = line ? strlen(line) : 0;
		if (line == NULL || n > 4096 || n < 4000 ||
		    strcmp(line + n - strlen(perf), perf) != 0 ||
		    strstr(line, "... | days_left") == NULL ||
		    !cd_utf8_valid(line, n) || !escapes_whole(line)) {
			if (bad++ == 0)
				tap_diag("pad %zu: %zu bytes, ends \"%s\"", pad,
				    n, line && n > 60 ? line + n - 60 : "");
		}
		free(line);
		free(out);
		free(msg);
		cd_report_free(r);
	}
	tap_is_int((long long)bad, 0, "nagios: a 9,000-byte message: first "
	    "line at most 4,096 bytes, cut with \"...\" before the whole "
	    "perfdata, no UTF-8 sequence or escape split (130 cut points)");

	/* Under the limit nothing changes. */
	r = new_report("short.test");
	cd_report_add(r, CD_P_CAA_FORBIDS_ISSUER, NULL, "short");
	add_days(r, "days_left", 30);
	out = nagios(&r, 1);
	tap_ok(out != NULL && strstr(out, "...") == NULL,
	    "nagios: a short summary is not cut");
	free(out);
	cd_report_free(r);
}

static void
test_nagios_many(void)
{
	struct cd_report *r[3];
	char *out;

	r[0] = new_report("good.test:443");
	cd_report_ok_summary(r[0], "valid for 59 days");
	add_days(r[0], "days_left", 59.99);
	r[1] = new_report("bad.test:443");
	cd_report_add(r[1], CD_P_CERT_EXPIRED, NULL, "expired 3 days ago");
	add_days(r[1], "days_left", -3);
	r[2] = new_report("warn.test:8443");
	cd_report_add_sev(r[2], CD_P_CERT_EXPIRING, CD_ST_WARNING, NULL,
	    "expires in 20.5 days");
	add_days(r[2], "days_left", 20.5);
	out = nagios(r, 3);
	tap_ok(strncmp(first_line(out), "CERT CRITICAL - 3 targets: ", 27) ==
	    0, "nagios: several targets, the worst status first");
	tap_ok(strstr(first_line(out), "'good.test:443 days_left'=59.99") !=
	    NULL, "nagios: per-target labels with a space are quoted");
	tap_is_str(out, "CERT CRITICAL - 3 targets: 1 critical, 1 warning, "
	    "0 unknown, 1 ok | 'good.test:443 days_left'=59.99;27:;9:;0 "
	    "'bad.test:443 days_left'=-3;27:;9:;0 "
	    "'warn.test:8443 days_left'=20.5;27:;9:;0\n"
	    "OK - good.test:443: valid for 59 days\n"
	    "CRITICAL - bad.test:443: expired 3 days ago\n"
	    "WARNING - warn.test:8443: expires in 20.5 days\n",
	    "nagios: three targets, exactly");
	free(out);

	/* UNKNOWN outranks WARNING across targets. */
	cd_report_free(r[1]);
	r[1] = new_report("dns.test:443");
	cd_report_add(r[1], CD_P_DNS_UNREACHABLE, NULL, "no DNS server "
	    "answered");
	out = nagios(&r[1], 2);
	tap_is_str(first_line(out), "CERT UNKNOWN - 2 targets: 0 critical, "
	    "1 warning, 1 unknown, 0 ok | 'warn.test:8443 days_left'="
	    "20.5;27:;9:;0", "nagios: UNKNOWN and WARNING give UNKNOWN");
	free(out);
	cd_report_free(r[0]);
	cd_report_free(r[1]);
	cd_report_free(r[2]);
}

static void
test_nagios_usage(void)
{
	struct cd_err e;
	FILE *fp = fopen("/dev/null", "w");

	tap_is_int(cd_fmt_nagios(NULL, 0, fp, &e), CD_E_USAGE,
	    "nagios: zero reports is a usage error");
	tap_is_int(cd_fmt_write_one(CD_FMT_NAGIOS, NULL, fp, 0, &e),
	    CD_E_USAGE, "write_one refuses the nagios format");
	tap_ok(e.msg[0] != '\0', "and says why (%s)", e.msg);
	if (fp != NULL)
		fclose(fp);
}

/* ---- json ------------------------------------------------------------ */

/* The keys of o in order, comma-separated, in buf. */
static const char *
keys_of(json_t *o, char *buf, size_t len)
{
	void *it;
	size_t n = 0;

	buf[0] = '\0';
	for (it = json_object_iter(o); it != NULL;
	    it = json_object_iter_next(o, it))
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
		    n ? "," : "", json_object_iter_key(it));
	return buf;
}

static void
test_json(void)
{
	struct cd_report *r = new_report("bad.test:443");
	json_t *j, *p0;
	json_error_t je;
	char *out, keys[256];

	cd_report_add(r, CD_P_CERT_EXPIRED, "renew it",
	    "leaf CN=bad.test expired 3 days ago");
	cd_report_add(r, CD_P_CHAIN_ORDER, NULL, "wrong\norder");
	cd_json_set(r->detail, "host", cd_json_str("bad.test"));
	cd_json_set(r->detail, "port", json_integer(443));
	out = one(CD_FMT_JSON, r, 0);
	tap_ok(out != NULL && count_char(out, '\n') == 1 &&
	    out[strlen(out) - 1] == '\n', "json: exactly one line");
	tap_is_str(out, "{\"format_version\":1,\"target\":\"bad.test:443\",\"status\":\"CRITICAL\","
	    "\"problems\":[{\"severity\":\"CRITICAL\",\"code\":"
	    "\"cert_expired\",\"message\":\"leaf CN=bad.test expired 3 days "
	    "ago\",\"hint\":\"renew it\"},{\"severity\":\"WARNING\",\"code\":"
	    "\"chain_order\",\"message\":\"wrong\\norder\"}],\"host\":"
	    "\"bad.test\",\"port\":443}\n", "json: golden line");
	j = out ? json_loads(out, 0, &je) : NULL;
	if (!tap_ok(json_is_object(j), "json: parses back")) {
		tap_diag("jansson: %s", je.text);
	} else {
		tap_is_str(keys_of(j, keys, sizeof(keys)),
		    "format_version,target,status,problems,host,port",
		    "json: format_version, target, status, problems first, then the details");
		tap_is_str(json_string_value(json_object_get(j, "status")),
		    "CRITICAL", "json: status");
		p0 = json_array_get(json_object_get(j, "problems"), 0);
		tap_is_str(p0 ? keys_of(p0, keys, sizeof(keys)) : NULL,
		    "severity,code,message,hint",
		    "json: problem keys severity, code, message in order");
		tap_is_str(json_string_value(json_object_get(p0, "code")),
		    "cert_expired", "json: problems[0].code");
		tap_is_str(json_string_value(json_object_get(p0, "severity")),
		    "CRITICAL", "json: problems[0].severity");
		tap_is_int((long long)json_array_size(json_object_get(j,
		    "problems")), 2, "json: both problems");
	}
	json_decref(j);
	free(out);
	cd_report_free(r);

	r = new_report("good.test:443");
	out = one(CD_FMT_JSON, r, 0);
	tap_is_str(out, "{\"format_version\":1,\"target\":\"good.test:443\",\"status\":\"OK\","
	    "\"problems\":[]}\n", "json: OK report without details");
	free(out);
	cd_report_free(r);
}

/* Bytes from a peer that jansson refuses still give valid JSON. */
static void
test_json_invalid_utf8(void)
{
	struct cd_report *r = new_report("bad\xff.test:443");
	json_t *j, *p0;
	json_error_t je;
	char *out;

	cd_report_add(r, CD_P_HOSTNAME_MISMATCH, NULL,
	    "leaf covers CN=\xc0\xaf\xff only");
	tap_ok(cd_json_set(r->detail, "subject", cd_json_str("CN=\xfe\xed")),
	    "json: a detail string of invalid UTF-8 can be set");
	cd_json_set(r->detail, "esc", cd_json_str("\x1b[31m"));
	out = one(CD_FMT_JSON, r, 0);
	tap_ok(out != NULL && cd_utf8_valid(out, strlen(out)),
	    "json: the output is valid UTF-8");
	j = out ? json_loads(out, 0, &je) : NULL;
	if (!tap_ok(json_is_object(j), "json: invalid UTF-8 input still "
	    "gives JSON that parses")) {
		tap_diag("jansson: %s", je.text);
		tap_diag("%s", out ? out : "(no output)");
	} else {
		p0 = json_array_get(json_object_get(j, "problems"), 0);
		tap_is_str(json_string_value(json_object_get(p0, "message")),
		    "leaf covers CN=\\xc0\\xaf\\xff only",
		    "json: the message in its escaped form");
		tap_is_str(json_string_value(json_object_get(j, "target")),
		    "bad\\xff.test:443",
		    "json: the target in its escaped form");
		tap_is_str(json_string_value(json_object_get(j, "subject")),
		    "CN=\\xfe\\xed", "json: the detail in its escaped form");
		tap_is_str(json_string_value(json_object_get(j, "esc")),
		    "\x1b[31m", "json: a valid control string round-trips");
	}
	tap_ok(out != NULL && strchr(out, '\x1b') == NULL,
	    "json: no raw ESC in the output");
	json_decref(j);
	free(out);
	cd_report_free(r);
}

/* ---- text ------------------------------------------------------------ */

static void
test_text(void)
{
	struct cd_report *r = new_report("good.test:443");
	json_t *tls;
	char *out;

	cd_report_ok_summary(r, "valid for 59 days");
	cd_json_set(r->detail, "host", cd_json_str("good.test"));
	cd_json_set(r->detail, "address", cd_json_str("127.0.0.1"));
	tls = json_object();
	cd_json_set(tls, "version", cd_json_str("TLS1.3"));
	cd_json_set(tls, "cipher", cd_json_str("AES-256-GCM"));
	cd_json_set(r->detail, "tls", tls);
	out = one(CD_FMT_TEXT, r, 0);
	tap_is_str(out, "good.test:443  OK  valid for 59 days\n"
	    "  address  127.0.0.1\n"
	    "  tls      version TLS1.3, cipher AES-256-GCM\n\n",
	    "text: golden OK block (host only with -v)");
	tap_ok(out != NULL && strchr(out, '\x1b') == NULL,
	    "text: no ESC without colour");
	free(out);
	out = one(CD_FMT_TEXT, r, CD_FMT_VERBOSE);
	tap_ok(out != NULL && strstr(out, "  host     good.test\n") != NULL,
	    "text: -v shows the host");
	free(out);
	out = one(CD_FMT_TEXT, r, CD_FMT_COLOR);
	tap_ok(out != NULL && strncmp(out, "good.test:443  \x1b[32mOK\x1b[0m"
	    "  valid", 29) == 0, "text: colour around the status");
	free(out);
	cd_report_free(r);

	r = new_report("bad.test:443");
	cd_report_add(r, CD_P_CERT_EXPIRED, "renew it", "leaf expired");
	cd_report_add(r, CD_P_CHAIN_ORDER, NULL, "wrong order");
	out = one(CD_FMT_TEXT, r, 0);
	tap_ok(out != NULL && strncmp(out, "bad.test:443", 12) == 0,
	    "text: the first line starts with the target");
	tap_ok(strstr(first_line(out), "CRITICAL") != NULL,
	    "text: the first line has the status word");
	tap_is_str(out, "bad.test:443  CRITICAL  leaf expired\n"
	    "  CRITICAL  cert_expired: leaf expired\n"
	    "            fix: renew it\n"
	    "  WARNING   chain_order: wrong order\n\n",
	    "text: golden CRITICAL block");
	free(out);
	out = one(CD_FMT_TEXT, r, CD_FMT_COLOR);
	tap_ok(out != NULL && strchr(out, '\x1b') != NULL,
	    "text: ESC with CD_FMT_COLOR");
	tap_ok(out != NULL && strstr(first_line(out), "CRITICAL") != NULL,
	    "text: the status word with colour too");
	free(out);
	cd_report_free(r);
}

/* A certificate object as cert_report.c makes it (the fields text reads). */
static json_t *
cert(const char *subject, const char *issuer, double days, const char *san,
    const char *san_unicode)
{
	json_t *c = json_object(), *k = json_object(), *a = json_array();

	cd_json_set(c, "subject", cd_json_str(subject));
	cd_json_set(c, "issuer", cd_json_str(issuer));
	cd_json_set(c, "serial", cd_json_str("01"));
	cd_json_set(c, "sha256", cd_json_str("ab"));
	cd_json_set(c, "not_before", cd_json_str("2026-01-01T00:00:00Z"));
	cd_json_set(c, "not_after", cd_json_str("2027-01-22T13:06:15Z"));
	cd_json_set(c, "days_left", json_real(days));
	cd_json_set(k, "type", cd_json_str("ECDSA"));
	cd_json_set(k, "bits", json_integer(256));
	cd_json_set(c, "key", k);
	cd_json_set(c, "signature", cd_json_str("ECDSA-SHA256"));
	if (san != NULL)
		cd_json_push(a, cd_json_str(san));
	cd_json_set(c, "san", a);
	if (san_unicode != NULL) {
		a = json_array();
		cd_json_push(a, cd_json_str(san_unicode));
		cd_json_set(c, "san_unicode", a);
	}
	cd_json_set(c, "ca", json_boolean(san == NULL));
	cd_json_set(c, "self_signed", json_false());
	return c;
}

/*
 * certcheck's text: name, connection, trust, the chain as a table with
 * days left, both forms of an IDN, and a field text has never heard of
 * still shown (other branches add detail fields).
 */
static void
test_text_cert(void)
{
	struct cd_report *r = new_report("\xed\x85\x8c.test:443");
	json_t *tls = json_object(), *v = json_object(), *ch = json_array();
	char *out;

	cd_report_ok_summary(r, "valid for 60.0 more days");
	cd_json_set(r->detail, "host", cd_json_str("xn--9t4b11yi5a.test"));
	cd_json_set(r->detail, "host_unicode",
	    cd_json_str("\xed\x85\x8c\xec\x8a\xa4\xed\x8a\xb8.test"));
	cd_json_set(r->detail, "port", json_integer(443));
	cd_json_set(r->detail, "sni", cd_json_str("xn--9t4b11yi5a.test"));
	cd_json_set(r->detail, "address", cd_json_str("127.0.0.1"));
	cd_json_set(tls, "version", cd_json_str("TLSv1.3"));
	cd_json_set(tls, "cipher", cd_json_str("TLS_AES_256_GCM_SHA384"));
	cd_json_set(r->detail, "tls", tls);
	cd_json_set(r->detail, "hostname_match", json_true());
	cd_json_push(ch, cert("CN=leaf", "CN=int", 60, "xn--9t4b11yi5a.test",
	    "\xed\x85\x8c\xec\x8a\xa4\xed\x8a\xb8.test"));
	cd_json_push(ch, cert("CN=int", "CN=root", 1825, NULL, NULL));
	cd_json_set(r->detail, "chain", ch);
	cd_json_set(v, "trusted", json_true());
	cd_json_set(v, "reasons", json_array());
	cd_json_set(r->detail, "verify", v);
	cd_json_set(r->detail, "days_left", json_real(60));
	cd_json_set(r->detail, "future_field", cd_json_str("shown"));
	out = one(CD_FMT_TEXT, r, 0);
	tap_is_str(out, "\xed\x85\x8c.test:443  OK  valid for 60.0 more days\n"
	    "  name       \xed\x85\x8c\xec\x8a\xa4\xed\x8a\xb8.test "
	    "(xn--9t4b11yi5a.test), covered by the certificate\n"
	    "  connected  127.0.0.1 port 443, TLSv1.3, TLS_AES_256_GCM_SHA384\n"
	    "  trust      trusted\n"
	    "  chain      #  days left  expires (UTC)     key        "
	    "signature     subject\n"
	    "             0       60.0  2027-01-22 13:06  ECDSA 256  "
	    "ECDSA-SHA256  CN=leaf\n"
	    "             1     1825.0  2027-01-22 13:06  ECDSA 256  "
	    "ECDSA-SHA256  CN=int\n"
	    "                issued by CN=root\n"
	    "  san        \xed\x85\x8c\xec\x8a\xa4\xed\x8a\xb8.test "
	    "(xn--9t4b11yi5a.test)\n"
	    "  future_field  shown\n\n",
	    "text: certcheck golden block (table, both IDN forms, an "
	    "unknown field)");
	free(out);
	out = one(CD_FMT_TEXT, r, CD_FMT_VERBOSE);
	tap_ok(out != NULL && strstr(out, "serial 01, sha256 ab\n") != NULL,
	    "text -v: fingerprints under each chain row");
	free(out);
	cd_report_free(r);
}

/* Nothing a peer sends reaches the terminal as a control sequence. */
static void
test_text_hostile(void)
{
	struct cd_report *r = new_report("evil.test:443");
	const unsigned char *p;
	char *out;
	bool c0 = false;

	cd_json_set(r->detail, "subject", cd_json_str("CN=\x1b[31mred"));
	cd_json_set(r->detail, "issuer", cd_json_str("CN=\xc2\x9b" "31m"));
	cd_report_add(r, CD_P_HOSTNAME_MISMATCH, NULL,
	    "leaf covers \x1b]0;title\x07 only");
	out = one(CD_FMT_TEXT, r, 0);
	tap_ok(out != NULL && strchr(out, '\x1b') == NULL,
	    "text: no raw ESC from a detail or message without colour");
	tap_ok(out != NULL && strstr(out, "CN=\\x1b[31mred") != NULL,
	    "text: the detail's ESC is shown as \\x1b");
	tap_ok(out != NULL && strstr(out, "\\x1b]0;title\\x07") != NULL,
	    "text: the message's ESC and BEL are shown escaped");
	tap_ok(out != NULL && strstr(out, "\xc2\x9b") == NULL,
	    "text: no C1 CSI (U+009B) from a detail");
	for (p = (const unsigned char *)out; p && *p; p++)
		if (*p < 0x20 && *p != '\n')
			c0 = true;
	tap_ok(!c0, "text: no control byte but newline");
	free(out);
	cd_report_free(r);

	/*
	 * Problem messages are built from peer data (CAA values are
	 * "as received; may hold any byte but NUL").  A lone 0x9b is the
	 * 8-bit CSI of terminals not in UTF-8 mode.
	 */
	r = new_report("caa.test");
	cd_report_add(r, CD_P_CAA_MALFORMED_RECORD, NULL,
	    "issue \"ca.test; x=\x9b" "31m\xff\" is malformed");
	out = one(CD_FMT_TEXT, r, 0);
	tap_ok(out != NULL && strchr(out, '\x9b') == NULL,
	    "text: no raw 8-bit CSI (0x9b) from a problem message");
	tap_ok(out != NULL && cd_utf8_valid(out, strlen(out)),
	    "text: output is valid UTF-8 whatever the message holds");
	free(out);
	cd_report_free(r);
}

static void
test_format_parse(void)
{
	static const struct {
		const char *in;
		cd_rc rc;
		enum cd_format fmt;
	} c[] = {
		{"text", CD_OK, CD_FMT_TEXT},
		{"json", CD_OK, CD_FMT_JSON},
		{"nagios", CD_OK, CD_FMT_NAGIOS},
		{"JSON", CD_E_USAGE, CD_FMT_TEXT},
		{"", CD_E_USAGE, CD_FMT_TEXT},
		{"xml", CD_E_USAGE, CD_FMT_TEXT},
		{"json ", CD_E_USAGE, CD_FMT_TEXT},
	};
	enum cd_format f;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(*c); i++) {
		f = CD_FMT_TEXT;
		if (tap_is_int(cd_format_parse(c[i].in, &f, NULL), c[i].rc,
		    "format \"%s\"", c[i].in) && c[i].rc == CD_OK)
			tap_is_int(f, c[i].fmt, "format \"%s\" value",
			    c[i].in);
	}
}

/* --all-addresses: reports linked per address, each written on its own. */
static void
test_linked(void)
{
	struct cd_report *r = new_report("dual.test:4441");
	struct cd_report *v6 = new_report("dual.test:4441");
	const struct cd_report *cr = r;
	char *out;

	r->address = strdup("127.0.0.1");
	v6->address = strdup("::1");
	r->next = v6;
	add_days(r, "days_left", 60);
	add_days(v6, "days_left", -10);
	cd_report_ok_summary(r, "dual.test valid for 60.0 more days");
	cd_report_add(v6, CD_P_CERT_EXPIRED, NULL, "leaf expired");
	cd_report_add(v6, CD_P_ADDRESS_CERT_DIFFERS, NULL, "::1 differs");
	tap_ok(cd_report_next(r) == v6 && cd_report_next(v6) == NULL,
	    "linked: cd_report_next walks the list");
	tap_is_int(cd_report_status(r), CD_ST_OK, "linked: the first is OK");
	tap_is_int(cd_reports_worst(&cr, 1), CD_ST_CRITICAL,
	    "linked: cd_reports_worst counts the linked ones");
	out = nagios(&r, 1);
	tap_is_str(out, "CERT CRITICAL - dual.test:4441: 2 addresses: "
	    "1 critical, 0 warning, 0 unknown, 1 ok | "
	    "'dual.test:4441 [127.0.0.1] days_left'=60;27:;9:;0 "
	    "'dual.test:4441 [::1] days_left'=-10;27:;9:;0\n"
	    "OK - dual.test:4441 [127.0.0.1]: dual.test valid for 60.0 more "
	    "days\n"
	    "CRITICAL - dual.test:4441 [::1]: leaf expired\n",
	    "linked: nagios golden, a line per address");
	free(out);
	out = one(CD_FMT_JSON, r, 0);
	tap_is_int((long long)count_char(out, '\n'), 2,
	    "linked: json writes one line per address");
	free(out);
	out = one(CD_FMT_TEXT, r, 0);
	tap_ok(out != NULL && strstr(out, "dual.test:4441 [127.0.0.1]  OK  ")
	    == out && strstr(out, "\ndual.test:4441 [::1]  CRITICAL  ") !=
	    NULL, "linked: text writes a block per address, named");
	free(out);
	cd_report_free(r);	/* frees v6 too (ASan/valgrind would say) */
}

int
main(void)
{
	test_nagios_ok();
	test_nagios_critical();
	test_nagios_hostile();
	test_nagios_long();
	test_nagios_many();
	test_nagios_usage();
	test_json();
	test_json_invalid_utf8();
	test_text();
	test_text_cert();
	test_text_hostile();
	test_format_parse();
	test_linked();
	return tap_done();
}
