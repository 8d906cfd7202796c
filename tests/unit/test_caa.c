/*
 * test_caa.c - CAA rules against Boulder's own test tables
 * (Boulder va/caa_test.go, copied as data): the value parser, record matching,
 * and every TestCAAChecking row over a mock DNS.
 */
#include <stdlib.h>
#include <string.h>

#include "caa.h"
#include "dnsmsg.h"
#include "tap.h"

/* The level structs own their strings; the mock lends static ones. */
static char *
mut(const char *s)
{
	return (char *)(uintptr_t)s;
}

/* ---- parser ---------------------------------------------------------- */

struct parse_case {
	const char *value;
	bool ok;
	const char *issuer;
	int nparams;
	const char *tag0, *val0, *tag1, *val1;
	const char *err;	/* substring of the error */
};

static const struct parse_case parse_cases[] = {
	{"", true, "", 0, NULL, NULL, NULL, NULL, NULL},
	{";", true, "", 0, NULL, NULL, NULL, NULL, NULL},
	{" ; ", true, "", 0, NULL, NULL, NULL, NULL, NULL},
	{"letsencrypt.org", true, "letsencrypt.org", 0, NULL, NULL, NULL,
	    NULL, NULL},
	{"letsencrypt.org;", true, "letsencrypt.org", 0, NULL, NULL, NULL,
	    NULL, NULL},
	{"letsencrypt.org;   ", true, "letsencrypt.org", 0, NULL, NULL, NULL,
	    NULL, NULL},
	{"  letsencrypt.org  ;foo=bar;baz=bar", true, "letsencrypt.org", 2,
	    "foo", "bar", "baz", "bar", NULL},
	{"\tletsencrypt.org\t;foo=bar;baz=bar", true, "letsencrypt.org", 2,
	    "foo", "bar", "baz", "bar", NULL},
	{"letsencrypt.org; foo=; baz =\tbar", true, "letsencrypt.org", 2,
	    "foo", "", "baz", "bar", NULL},
	{"letsencrypt.org; foo=\t; baz =\t\tbar\t", true, "letsencrypt.org", 2,
	    "foo", "", "baz", "bar", NULL},
	{"letsencrypt.org; foo=b1,b2,b3\t; baz =\t\ta=b\t", true,
	    "letsencrypt.org", 2, "foo", "b1,b2,b3", "baz", "a=b", NULL},
	{"letsencrypt.org; foo=a; foo=b", true, "letsencrypt.org", 2, "foo",
	    "a", "foo", "b", NULL},
	{"letsencrypt.org; baz = a = b", false, NULL, 0, NULL, NULL, NULL,
	    NULL, "value contains disallowed character"},
	/* The reasons in Boulder's words, the text quoted as Go's %q. */
	{"letsencrypt.org; baz=a=\tb", false, NULL, 0, NULL, NULL, NULL, NULL,
	    "value contains disallowed character: \"a=\\tb\""},
	{"letsencrypt.org; baz = a;b", false, NULL, 0, NULL, NULL, NULL, NULL,
	    "parameter not formatted as tag=value: \"b\""},
	{"letsencrypt.org; 1=2; baz=a-b", true, "letsencrypt.org", 2, "1",
	    "2", "baz", "a-b", NULL},
	{"letsencrypt.org; a_b=123", false, NULL, 0, NULL, NULL, NULL, NULL,
	    "tag contains disallowed character: \"a_b\""},
	{"letsencrypt.org; a-b=c", false, NULL, 0, NULL, NULL, NULL, NULL,
	    "tag contains disallowed character"},
	{"letsencrypt.org; ab=1 2 3", false, NULL, 0, NULL, NULL, NULL, NULL,
	    "value contains disallowed character"},
	{"letsencrypt.org; foo=a\xe2\x98\x95" "b", false, NULL, 0, NULL, NULL,
	    NULL, NULL, "value contains disallowed character: \"a\xe2\x98\x95"
	    "b\""},
	{"letsencrypt.org; foo=a\"\x1b[31m", false, NULL, 0, NULL, NULL,
	    NULL, NULL, "value contains disallowed character: "
	    "\"a\\\"\\x1b[31m\""},
	{"letsencrypt.org; foo=b1,b2,b3 baz=a", false, NULL, 0, NULL, NULL,
	    NULL, NULL, "value contains disallowed character"},
	{"letsencrypt.org; ;", false, NULL, 0, NULL, NULL, NULL, NULL,
	    "parameter not formatted as tag=value: \" \""},
};

static void
test_parser(void)
{
	const struct parse_case *c;
	struct cd_caa_param *ps;
	struct cd_err e;
	char *dom;
	size_t i, np;
	cd_rc rc;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		c = &parse_cases[i];
		dom = NULL;
		ps = NULL;
		np = 0;
		memset(&e, 0, sizeof(e));
		rc = cd_caa_parse_value(c->value, strlen(c->value), &dom, &ps,
		    &np, &e);
		tap_ok((rc == CD_OK) == c->ok, "parse \"%s\": %s", c->value,
		    c->ok ? "ok" : "error");
		if (c->ok && rc == CD_OK) {
			tap_is_str(dom, c->issuer, "issuer of \"%s\"", c->value);
			tap_is_int((long)np, c->nparams, "params of \"%s\"",
			    c->value);
			if (c->nparams >= 1 && np >= 1) {
				tap_is_str(ps[0].tag, c->tag0, "tag 0");
				tap_is_str(ps[0].value, c->val0, "value 0");
			}
			if (c->nparams >= 2 && np >= 2) {
				tap_is_str(ps[1].tag, c->tag1, "tag 1");
				tap_is_str(ps[1].value, c->val1, "value 1");
			}
		} else if (!c->ok && rc != CD_OK) {
			tap_ok(strstr(e.msg, c->err) != NULL, "reason for "
			    "\"%s\": %s", c->value, e.msg);
		}
		cd_caa_params_free(ps, np);
		free(dom);
	}
}

/* ---- record matching -------------------------------------------------- */

struct match_case {
	const char *value;
	const char *account;
	const char *method;
	bool match;
};

#define ACCT "https://letsencrypt.org/acct/reg/123"

static const struct match_case match_cases[] = {
	{"letsencrypt.org", NULL, "http-01", true},
	{"letsencrypt.org; validationmethods=http-01", NULL, "http-01", true},
	{"letsencrypt.org; validationmethods=", NULL, "http-01", false},
	{"letsencrypt.org; validationmethods=,", NULL, "http-01", false},
	{"letsencrypt.org; validationmethods=,http-01", NULL, "http-01",
	    false},
	{"letsencrypt.org; validationmethods=http-01,", NULL, "http-01", true},
	{"letsencrypt.org; validationmethods=tls-sni-01", NULL, "http-01",
	    false},
	{"letsencrypt.org; validationmethods=dns-01", NULL, "http-01", false},
	{"letsencrypt.org; validationmethods=http-01,dns-01", NULL, "dns-01",
	    true},
	{"letsencrypt.org; validationmethods=http-01,dns-01", NULL,
	    "tls-alpn-01", false},
	{"letsencrypt.org; validationmethods=http-01; validationmethods=http-01",
	    NULL, "http-01", false},
	{"letsencrypt.org; accounturi=" ACCT, ACCT, "http-01", true},
	{"letsencrypt.org; accounturi=" ACCT "; validationmethods=http-01",
	    ACCT, "http-01", true},
	{"letsencrypt.org; accounturi=https://letsencrypt.org/acct/reg/321",
	    ACCT, "http-01", false},
	{"letsencrypt.org; accounturi=", ACCT, "http-01", false},
	{"letsencrypt.org; accounturi=" ACCT "; accounturi=" ACCT, ACCT,
	    "http-01", false},
	{"letsencrypt.org; accounturi=" ACCT, NULL, "http-01", false},
	{"letsencrypt.org; AccountURI=https://x/1", ACCT, "http-01", true},
	{"letsencrypt.org; foo=bar; baz=bar", NULL, "http-01", true},
	{"LetsEncrypt.org", NULL, "http-01", false},
	{"letsencrypt.org.", NULL, "http-01", false},
	{"ca.com", NULL, "http-01", false},
	{";", NULL, "http-01", false},
	{"", NULL, "http-01", false},
};

static void
test_match(void)
{
	struct cd_caa_request req = {"example.com", "letsencrypt.org", NULL,
	    NULL};
	struct cd_caa_rr rr;
	char why[256];
	size_t i;
	bool m;

	for (i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		memset(&rr, 0, sizeof(rr));
		rr.tag = (char *)"issue";
		rr.value = mut(match_cases[i].value);
		rr.value_len = strlen(rr.value);
		req.account_uri = match_cases[i].account;
		req.method = match_cases[i].method;
		m = cd_caa_record_matches(&rr, &req, why, sizeof(why));
		tap_ok(m == match_cases[i].match, "\"%s\" account %s method "
		    "%s: %s (%s)", match_cases[i].value,
		    match_cases[i].account ? "123" : "-",
		    match_cases[i].method, match_cases[i].match ? "match" :
		    "no match", why);
	}
}

/* ---- flags -------------------------------------------------------------- */

static void
test_flags(void)
{
	static const struct {
		const char *tag;
		unsigned flags;
		bool crit;
	} c[] = {
		{"issue", 0, false}, {"issue", 128, false},
		{"issuewild", 128, false}, {"iodef", 128, false},
		{"issuemail", 128, false}, {"issuevmc", 128, false},
		{"foo", 2, false}, {"foo", 0x7e, false}, {"foo", 0, false},
		{"foo", 128, true}, {"foo", 1, true}, {"foo", 9, true},
		{"IODEF", 1, false},
	};
	struct cd_caa_rr rr;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(&rr, 0, sizeof(rr));
		rr.tag = mut(c[i].tag);
		rr.flags = c[i].flags;
		tap_ok(cd_caa_critical_unknown(&rr) == c[i].crit, "tag %s flags "
		    "%u: %scritical-unknown", c[i].tag, c[i].flags,
		    c[i].crit ? "" : "not ");
	}
}

/* ---- Boulder's TestCAAChecking over its mock DNS ------------------------ */

struct mock_rr {
	unsigned flags;
	const char *tag;
	const char *value;
};

struct mock {
	const char *name;
	const char *error;	/* non-NULL: the lookup fails */
	struct mock_rr rr[3];
};

#define BACCT "https://letsencrypt.org/acct/reg/"
static const struct mock dns[] = {
	{"caa-timeout.com", "query timed out looking up CAA for "
	    "caa-timeout.com", {{0}}},
	{"reserved.com", NULL, {{0, "issue", "ca.com"}}},
	{"mixedcase.com", NULL, {{0, "iSsUe", "ca.com"}}},
	{"critical.com", NULL, {{1, "issue", "ca.com"}}},
	{"present.com", NULL, {{0, "issue", "letsencrypt.org"}}},
	{"present.servfail.com", NULL, {{0, "issue", "letsencrypt.org"}}},
	{"gonetld", "NXDOMAIN looking up CAA for gonetld", {{0}}},
	{"servfail.com", "SERVFAIL looking up CAA for servfail.com", {{0}}},
	{"servfail.present.com", "SERVFAIL looking up CAA for "
	    "servfail.present.com", {{0}}},
	{"multi-crit-present.com", NULL, {{1, "issue", "ca.com"},
	    {1, "issue", "letsencrypt.org"}}},
	{"unknown-critical.com", NULL, {{128, "foo", "bar"}}},
	{"unknown-critical2.com", NULL, {{1, "foo", "bar"}}},
	{"unknown-noncritical.com", NULL, {{0x7e, "foo", "bar"}}},
	{"present-with-parameter.com", NULL, {{0, "issue",
	    "  letsencrypt.org  ;foo=bar;baz=bar"}}},
	{"present-with-invalid-tag.com", NULL, {{0, "issue",
	    "letsencrypt.org; a_b=123"}}},
	{"present-with-invalid-value.com", NULL, {{0, "issue",
	    "letsencrypt.org; ab=1 2 3"}}},
	{"present-dns-only.com", NULL, {{0, "issue",
	    "letsencrypt.org; validationmethods=dns-01"}}},
	{"present-http-only.com", NULL, {{0, "issue",
	    "letsencrypt.org; validationmethods=http-01"}}},
	{"present-http-or-dns.com", NULL, {{0, "issue",
	    "letsencrypt.org; validationmethods=http-01,dns-01"}}},
	{"present-dns-only-correct-accounturi.com", NULL, {{0, "issue",
	    "letsencrypt.org; accounturi=" BACCT "123; "
	    "validationmethods=dns-01"}}},
	{"present-http-only-correct-accounturi.com", NULL, {{0, "issue",
	    "letsencrypt.org; accounturi=" BACCT "123; "
	    "validationmethods=http-01"}}},
	{"present-http-only-incorrect-accounturi.com", NULL, {{0, "issue",
	    "letsencrypt.org; accounturi=" BACCT "321; "
	    "validationmethods=http-01"}}},
	{"present-correct-accounturi.com", NULL, {{0, "issue",
	    "letsencrypt.org; accounturi=" BACCT "123"}}},
	{"present-incorrect-accounturi.com", NULL, {{0, "issue",
	    "letsencrypt.org; accounturi=" BACCT "321"}}},
	{"present-multiple-accounturi.com", NULL, {{0, "issue",
	    "letsencrypt.org; accounturi=" BACCT "321"}, {0, "issue",
	    "letsencrypt.org; accounturi=" BACCT "123"}}},
	{"unsatisfiable.com", NULL, {{0, "issue", ";"}}},
	{"unsatisfiable-wildcard.com", NULL, {{0, "issuewild", ";"}}},
	{"unsatisfiable-wildcard-override.com", NULL, {{0, "issue",
	    "letsencrypt.org"}, {0, "issuewild", "ca.com"}}},
	{"satisfiable-wildcard-override.com", NULL, {{0, "issue", "ca.com"},
	    {0, "issuewild", "letsencrypt.org"}}},
	{"satisfiable-multi-wildcard.com", NULL, {{0, "issuewild", "ca.com"},
	    {0, "issuewild", "letsencrypt.org"}}},
	{"satisfiable-wildcard.com", NULL, {{0, "issuewild",
	    "letsencrypt.org"}}},
};

static const struct mock *
lookup(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(dns) / sizeof(dns[0]); i++)
		if (strcmp(dns[i].name, name) == 0)
			return &dns[i];
	return NULL;
}

/* Build the levels of name from the mock: NOERROR/empty when unlisted. */
static size_t
levels_for(const char *name, struct cd_caa_level *lv, struct cd_caa_rr *store)
{
	const struct mock *m;
	const char *p = name;
	size_t n = 0, k, used = 0;

	while (p != NULL) {
		memset(&lv[n], 0, sizeof(lv[n]));
		lv[n].name = mut(p);
		if ((m = lookup(p)) != NULL && m->error) {
			lv[n].kind = CD_CAA_LVL_ERROR;
			lv[n].error = mut(m->error);
		} else if (m != NULL) {
			lv[n].kind = CD_CAA_LVL_RECORDS;
			lv[n].rrs = &store[used];
			for (k = 0; k < 3 && m->rr[k].tag; k++) {
				store[used].flags = m->rr[k].flags;
				store[used].tag = mut(m->rr[k].tag);
				store[used].value = mut(m->rr[k].value);
				store[used].value_len = strlen(m->rr[k].value);
				used++;
				lv[n].nrrs++;
			}
		}
		n++;
		if ((p = strchr(p, '.')) != NULL)
			p++;
	}
	return n;
}

struct check_case {
	const char *name;
	const char *found;	/* NULL: none */
	enum cd_caa_verdict verdict;
	const char *method;
};

static const struct check_case checks[] = {
	{"reserved.com", "reserved.com", CD_CAA_REFUSED, NULL},
	{"mixedcase.com", "mixedcase.com", CD_CAA_REFUSED, NULL},
	{"critical.com", "critical.com", CD_CAA_REFUSED, NULL},
	{"nx.critical.com", "critical.com", CD_CAA_REFUSED, NULL},
	{"absent.com", NULL, CD_CAA_ALLOWED, NULL},
	{"example.co.uk", NULL, CD_CAA_ALLOWED, NULL},
	{"present.com", "present.com", CD_CAA_ALLOWED, NULL},
	{"child.present.com", "present.com", CD_CAA_ALLOWED, NULL},
	{"not.here.but.still.present.com", "present.com", CD_CAA_ALLOWED,
	    NULL},
	{"present.servfail.com", "present.servfail.com", CD_CAA_ALLOWED, NULL},
	{"servfail.present.com", NULL, CD_CAA_DNS_REFUSED, NULL},
	{"multi-crit-present.com", "multi-crit-present.com", CD_CAA_ALLOWED,
	    NULL},
	{"unknown-critical.com", "unknown-critical.com", CD_CAA_REFUSED, NULL},
	{"unknown-critical2.com", "unknown-critical2.com", CD_CAA_REFUSED,
	    NULL},
	{"unknown-noncritical.com", "unknown-noncritical.com", CD_CAA_ALLOWED,
	    NULL},
	{"*.unknown-noncritical.com", "unknown-noncritical.com",
	    CD_CAA_ALLOWED, NULL},
	{"present-with-parameter.com", "present-with-parameter.com",
	    CD_CAA_ALLOWED, NULL},
	{"present-with-invalid-tag.com", "present-with-invalid-tag.com",
	    CD_CAA_REFUSED, NULL},
	{"present-with-invalid-value.com", "present-with-invalid-value.com",
	    CD_CAA_REFUSED, NULL},
	{"present-dns-only.com", "present-dns-only.com", CD_CAA_REFUSED, NULL},
	{"present-http-only.com", "present-http-only.com", CD_CAA_ALLOWED,
	    NULL},
	{"present-http-or-dns.com", "present-http-or-dns.com", CD_CAA_ALLOWED,
	    NULL},
	{"present-correct-accounturi.com", "present-correct-accounturi.com",
	    CD_CAA_ALLOWED, NULL},
	{"present-http-only-correct-accounturi.com",
	    "present-http-only-correct-accounturi.com", CD_CAA_ALLOWED, NULL},
	{"present-dns-only-correct-accounturi.com",
	    "present-dns-only-correct-accounturi.com", CD_CAA_REFUSED, NULL},
	{"present-http-only-incorrect-accounturi.com",
	    "present-http-only-incorrect-accounturi.com", CD_CAA_REFUSED, NULL},
	{"present-incorrect-accounturi.com",
	    "present-incorrect-accounturi.com", CD_CAA_REFUSED, NULL},
	{"present-multiple-accounturi.com", "present-multiple-accounturi.com",
	    CD_CAA_ALLOWED, NULL},
	{"unsatisfiable.com", "unsatisfiable.com", CD_CAA_REFUSED, NULL},
	{"*.unsatisfiable.com", "unsatisfiable.com", CD_CAA_REFUSED, NULL},
	{"*.unsatisfiable-wildcard.com", "unsatisfiable-wildcard.com",
	    CD_CAA_REFUSED, NULL},
	{"*.unsatisfiable-wildcard-override.com",
	    "unsatisfiable-wildcard-override.com", CD_CAA_REFUSED, NULL},
	{"*.satisfiable-wildcard.com", "satisfiable-wildcard.com",
	    CD_CAA_ALLOWED, NULL},
	{"*.satisfiable-multi-wildcard.com", "satisfiable-multi-wildcard.com",
	    CD_CAA_ALLOWED, NULL},
	{"*.satisfiable-wildcard-override.com",
	    "satisfiable-wildcard-override.com", CD_CAA_ALLOWED, NULL},
	{"satisfiable-wildcard-override.com",
	    "satisfiable-wildcard-override.com", CD_CAA_REFUSED, NULL},
	{"present-dns-only.com", "present-dns-only.com", CD_CAA_ALLOWED,
	    "dns-01"},
	{"caa-timeout.com", NULL, CD_CAA_DNS_REFUSED, NULL},
	{"example.gonetld", NULL, CD_CAA_DNS_REFUSED, NULL},
	{"servfail.com", NULL, CD_CAA_DNS_REFUSED, NULL},
};

static void
test_checking(void)
{
	struct cd_caa_level lv[16];
	struct cd_caa_rr store[48];
	struct cd_caa_request req;
	struct cd_caa_result res;
	const struct check_case *c;
	const char *base;
	size_t i, n;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		c = &checks[i];
		base = strncmp(c->name, "*.", 2) == 0 ? c->name + 2 : c->name;
		n = levels_for(base, lv, store);
		req.identifier = c->name;
		req.issuer = "letsencrypt.org";
		req.account_uri = BACCT "123";
		req.method = c->method ? c->method : "http-01";
		if (cd_caa_evaluate(&req, lv, n, &res, NULL) != CD_OK) {
			tap_ok(false, "%s: evaluate failed", c->name);
			continue;
		}
		tap_is_int(res.verdict, c->verdict, "%s (%s): verdict",
		    c->name, req.method);
		tap_is_str(res.found >= 0 ? lv[res.found].name : NULL,
		    c->found, "%s: relevant name", c->name);
		if (c->verdict == CD_CAA_REFUSED && res.reason)
			tap_ok(strstr(res.reason, "prevents issuance") != NULL,
			    "%s: reason \"%s\"", c->name, res.reason);
		if (c->verdict == CD_CAA_DNS_REFUSED && res.reason)
			tap_ok(strncmp(res.reason, "While processing CAA for ",
			    25) == 0 && strstr(res.reason, "DNS problem: "),
			    "%s: reason \"%s\"", c->name, res.reason);
		cd_caa_result_clear(&res);
	}
}

/* ---- raw answers -------------------------------------------------------- */

static void
test_dnsmsg(void)
{
	/* example.com CAA: 0 issue "" (empty value) and 128 issuewild ";". */
	static const unsigned char msg[] = {
		0x12, 0x34, 0x84, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00,
		0x00, 0x00,
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
		0x01, 0x01, 0x00, 0x01,
		0xc0, 0x0c, 0x01, 0x01, 0x00, 0x01, 0, 0, 0, 60, 0x00, 0x07,
		0, 5, 'i', 's', 's', 'u', 'e',
		0xc0, 0x0c, 0x01, 0x01, 0x00, 0x01, 0, 0, 0, 60, 0x00, 0x0c,
		128, 9, 'i', 's', 's', 'u', 'e', 'w', 'i', 'l', 'd', ';',
	};
	struct cd_dnsmsg m;
	size_t cut, bad;
	cd_rc rc;

	rc = cd_dnsmsg_parse(msg, sizeof(msg), &m, NULL);
	tap_is_int(rc, CD_OK, "raw answer parses");
	tap_is_int((long)m.ncaa, 2, "two CAA records");
	if (m.ncaa == 2) {
		tap_is_str(m.caa[0].tag, "issue", "record 0 tag");
		tap_is_int((long)m.caa[0].value_len, 0, "record 0 empty value");
		tap_is_int(m.caa[1].flags, 128, "record 1 flags");
		tap_is_str(m.caa[1].value, ";", "record 1 value");
	}
	tap_is_int(m.rcode, 0, "rcode NOERROR");
	cd_dnsmsg_clear(&m);
	/* Every truncation of it is refused, never read past. */
	for (cut = 0, bad = 0; cut < sizeof(msg); cut++) {
		if (cd_dnsmsg_parse(msg, cut, &m, NULL) == CD_OK) {
			cd_dnsmsg_clear(&m);
			bad++;
		}
	}
	tap_is_int((long)bad, 0, "every truncated copy is rejected");
}

int
main(void)
{
	test_parser();
	test_match();
	test_flags();
	test_checking();
	test_dnsmsg();
	return tap_done();
}
