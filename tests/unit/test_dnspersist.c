/*
 * test_dnspersist.c - the dns-persist-01 record (lib/checks/dnspersist.c)
 * against the cases of Let's Encrypt's own tests of its validator
 * (Boulder va/dns_persist_test.go and core/util_test.go), copied here as
 * data: the record, and the issuer, account, policy, persistUntil or
 * error text the CA gets from it; then whole TXT sets and the CA's
 * problem for each.
 */
#include <stdlib.h>
#include <string.h>

#include "dnspersist.h"
#include "tap.h"

#define ACCT "http://letsencrypt.org:4000/acme/reg/1"

static void
test_parse(void)
{
	static const struct {
		const char *name, *record, *issuer, *account, *policy;
		long long until;	/* 0: absent */
		const char *err;	/* NULL: well-formed */
	} c[] = {
		{"valid", "letsencrypt.org;accounturi=" ACCT, "letsencrypt.org",
		    ACCT, NULL, 0, NULL},
		{"upper case and trailing dot", "LETSENCRYPT.ORG.;accounturi="
		    ACCT, "letsencrypt.org", ACCT, NULL, 0, NULL},
		{"another issuer is parsed", "other.example;accounturi=" ACCT,
		    "other.example", ACCT, NULL, 0, NULL},
		{"missing issuer", ";accounturi=" ACCT, NULL, NULL, NULL, 0,
		    "empty issuer-domain-name"},
		{"heavy whitespace", "   letsencrypt.org   ;   accounturi   =   "
		    ACCT "   ;   policy   =   wildcard   ;   persistUntil   =   "
		    "4102444800   ", "letsencrypt.org", ACCT, "wildcard",
		    4102444800LL, NULL},
		{"unknown tags ignored", "letsencrypt.org;accounturi=" ACCT
		    ";bad tag=value;\nweird=\\x01337", "letsencrypt.org", ACCT,
		    NULL, 0, NULL},
		{"duplicate unknown tag ignored", "letsencrypt.org;accounturi="
		    ACCT ";foo=bar;foo=baz", "letsencrypt.org", ACCT, NULL, 0,
		    NULL},
		{"missing equals", "letsencrypt.org;accounturi=" ACCT
		    ";invalidparam", "letsencrypt.org", NULL, NULL, 0,
		    "malformed parameter \"invalidparam\" should be tag=value "
		    "pair"},
		{"empty tag", "letsencrypt.org;accounturi=" ACCT ";=abc",
		    "letsencrypt.org", NULL, NULL, 0,
		    "malformed parameter \"=abc\", empty tag"},
		{"empty accounturi", "letsencrypt.org;accounturi=",
		    "letsencrypt.org", NULL, NULL, 0,
		    "empty value provided for mandatory accounturi"},
		{"missing accounturi", "letsencrypt.org;policy=wildcard",
		    "letsencrypt.org", NULL, NULL, 0,
		    "missing mandatory accounturi parameter"},
		{"space in a value", "letsencrypt.org;accounturi=" ACCT
		    ";policy=wild card", "letsencrypt.org", NULL, NULL, 0,
		    "malformed value \"wild card\" for tag \"policy\""},
		{"non-numeric persistUntil", "letsencrypt.org;accounturi=" ACCT
		    ";persistUntil=not-a-unix-timestamp", "letsencrypt.org",
		    NULL, NULL, 0, "malformed persistUntil timestamp "
		    "\"not-a-unix-timestamp\""},
		{"trailing semicolon", "letsencrypt.org;accounturi=" ACCT ";",
		    "letsencrypt.org", NULL, NULL, 0,
		    "empty parameter or trailing semicolon provided"},
		{"duplicate tag, case-insensitive", "letsencrypt.org;ACCOUNTURI="
		    ACCT ";accounturi=other", "letsencrypt.org", NULL, NULL, 0,
		    "duplicate parameter \"accounturi\""},
		{"empty persistUntil", "letsencrypt.org;accounturi=" ACCT
		    ";persistUntil=", "letsencrypt.org", NULL, NULL, 0,
		    "malformed persistUntil timestamp \"\""},
		{"policy tag in mixed case", "letsencrypt.org;accounturi=" ACCT
		    ";pOlIcY=wildcard", "letsencrypt.org", ACCT, "wildcard", 0,
		    NULL},
		{"another issuer's duplicate", "other.example;accounturi=" ACCT
		    ";accounturi=other", "other.example", NULL, NULL, 0,
		    "duplicate parameter \"accounturi\""},
		{"issuer alone", "letsencrypt.org", "letsencrypt.org", NULL,
		    NULL, 0, "missing mandatory accounturi parameter"},
		{"persistUntil parsed", "letsencrypt.org;accounturi=" ACCT
		    ";persistUntil=1721952000", "letsencrypt.org", ACCT, NULL,
		    1721952000LL, NULL},
		/* Beyond Boulder's table: what Go's parsers do. */
		{"a signed persistUntil (strconv.ParseInt)",
		    "letsencrypt.org;accounturi=a;persistUntil=+5",
		    "letsencrypt.org", "a", NULL, 5, NULL},
		{"persistUntil past int64", "letsencrypt.org;accounturi=a;"
		    "persistUntil=9223372036854775808", "letsencrypt.org", NULL,
		    NULL, 0, "malformed persistUntil timestamp "
		    "\"9223372036854775808\""},
		{"IDN issuer", "B\xc3\x9c" "CHER.example;accounturi=a",
		    "xn--bcher-kva.example", "a", NULL, 0, NULL},
		{"underscore in the issuer: no issuer",
		    "ca_.example;accounturi=a", NULL, NULL, NULL, 0,
		    "malformed issuer-domain-name \"ca_.example\""},
		{"an unknown tag's value is still checked",
		    "letsencrypt.org;accounturi=a;x=\xc3\xa9", "letsencrypt.org",
		    NULL, NULL, 0, "malformed value \"\xc3\xa9\" for tag \"x\""},
	};
	struct cd_dnspersist p;
	bool ok, oom;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		oom = false;
		ok = cd_dnspersist_parse(c[i].record, &p, &oom);
		tap_ok(!oom && ok == (c[i].err == NULL) &&
		    (c[i].err == NULL || (p.why && strcmp(p.why, c[i].err) ==
		    0)), "parse, %s: %s", c[i].name, p.why ? p.why : "ok");
		tap_is_str(p.issuer, c[i].issuer, "parse, %s: issuer",
		    c[i].name);
		tap_ok((c[i].account == NULL ? p.account_uri == NULL :
		    p.account_uri && strcmp(p.account_uri, c[i].account) == 0) &&
		    (c[i].policy == NULL || (p.policy &&
		    strcmp(p.policy, c[i].policy) == 0)) &&
		    (c[i].until == 0 || (p.has_until && p.until == c[i].until)),
		    "parse, %s: account, policy, persistUntil", c[i].name);
		cd_dnspersist_clear(&p);
	}
}

static void
test_issuer(void)
{
	char *long_name, *got;

	got = cd_dnspersist_issuer("CA.EXAMPLE.");
	tap_is_str(got, "ca.example", "issuer: lower case, no trailing dot");
	free(got);
	long_name = malloc(300);
	memset(long_name, 'a', 63);
	long_name[63] = '.';
	memset(long_name + 64, 'b', 63);
	long_name[127] = '.';
	memset(long_name + 128, 'c', 63);
	long_name[191] = '.';
	memset(long_name + 192, 'd', 63);
	long_name[255] = '\0';
	got = cd_dnspersist_issuer(long_name);
	tap_ok(got == NULL, "issuer: 255 octets is too long");
	free(got);
	free(long_name);
	got = cd_dnspersist_issuer("-ca.example");
	tap_ok(got == NULL, "issuer: a leading hyphen is refused");
	free(got);
}

static void
test_check(void)
{
	static const struct {
		const char *name, *account, *policy;
		bool wildcard;
		long long until;	/* relative to now; 0: absent */
		bool has_until;
		enum cd_dnspersist_refusal want;
		const char *msg;	/* prefix */
	} c[] = {
		{"valid", ACCT, NULL, false, 0, false, CD_DNSPERSIST_OK, NULL},
		{"valid wildcard", ACCT, "wildcard", true, 0, false,
		    CD_DNSPERSIST_OK, NULL},
		{"wildcard policy in any case", ACCT, "wIlDcArD", true, 0, false,
		    CD_DNSPERSIST_OK, NULL},
		{"another policy is absent for a plain name", ACCT,
		    "notwildcard", false, 0, false, CD_DNSPERSIST_OK, NULL},
		{"persistUntil an hour away", ACCT, NULL, false, 3600, true,
		    CD_DNSPERSIST_OK, NULL},
		{"another account", "http://other/acme/reg/999", NULL, false, 0,
		    false, CD_DNSPERSIST_ACCOUNT, "accounturi mismatch: "
		    "expected \"" ACCT "\", got \"http://other/acme/reg/999\""},
		{"wildcard without policy", ACCT, NULL, true, 0, false,
		    CD_DNSPERSIST_POLICY, "policy mismatch: expected "
		    "\"wildcard\", got \"\""},
		{"wildcard with another policy", ACCT, "notwildcard", true, 0,
		    false, CD_DNSPERSIST_POLICY, "policy mismatch: expected "
		    "\"wildcard\", got \"notwildcard\""},
		{"persistUntil an hour ago", ACCT, NULL, false, -3600, true,
		    CD_DNSPERSIST_EXPIRED, "validation time "},
	};
	const long long now = 1770000000LL;
	struct cd_dnspersist p;
	char *msg;
	size_t i;
	enum cd_dnspersist_refusal r;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(&p, 0, sizeof(p));
		p.account_uri = (char *)(uintptr_t)c[i].account;
		p.policy = (char *)(uintptr_t)c[i].policy;
		p.has_until = c[i].has_until;
		p.until = now + c[i].until;
		r = cd_dnspersist_check(&p, ACCT, c[i].wildcard, now, &msg);
		tap_ok(r == c[i].want && (c[i].msg == NULL ? msg == NULL :
		    msg && strncmp(msg, c[i].msg, strlen(c[i].msg)) == 0),
		    "check, %s: %s", c[i].name, msg ? msg : "ok");
		free(msg);
	}
	memset(&p, 0, sizeof(p));
	p.account_uri = (char *)(uintptr_t)ACCT;
	p.has_until = true;
	p.until = -1;
	r = cd_dnspersist_check(&p, ACCT, false, now, &msg);
	tap_is_str(msg, "validation time 2026-02-02T02:40:00Z is after "
	    "persistUntil 1969-12-31T23:59:59Z", "check: a negative "
	    "persistUntil, both times as Go's RFC 3339");
	free(msg);
	r = cd_dnspersist_check(&p, NULL, false, now, &msg);
	tap_ok(r == CD_DNSPERSIST_EXPIRED, "check without an account: the "
	    "other rules still apply");
	free(msg);
	/* time.Unix(-62135596800) is Go's zero time: "no persistUntil". */
	p.until = -62135596800LL;
	r = cd_dnspersist_check(&p, ACCT, false, now, &msg);
	tap_ok(r == CD_DNSPERSIST_OK && msg == NULL, "check: persistUntil at "
	    "Go's zero time reads as absent");
	free(msg);
}

static void
test_judge(void)
{
	static const struct {
		const char *name;
		const char *txt[3];
		bool wildcard;
		enum cd_dnspersist_verdict want;
		const char *msg;	/* substring */
	} c[] = {
		{"no TXT", {NULL}, false, CD_DNSPERSIST_NO_TXT,
		    "No TXT record found for DNS-PERSIST-01 challenge"},
		{"malformed then valid", {"letsencrypt.org;accounturi=" ACCT
		    ";accounturi=other", "letsencrypt.org;accounturi=" ACCT},
		    false, CD_DNSPERSIST_VALID, NULL},
		{"refused then valid", {"letsencrypt.org;accounturi="
		    "http://letsencrypt.org:4000/acme/reg/999",
		    "letsencrypt.org;accounturi=" ACCT}, false,
		    CD_DNSPERSIST_VALID, NULL},
		{"valid wildcard", {"letsencrypt.org;accounturi=" ACCT
		    ";policy=wildcard"}, true, CD_DNSPERSIST_VALID, NULL},
		{"only malformed", {"letsencrypt.org;accounturi=" ACCT
		    ";accounturi=other"}, false, CD_DNSPERSIST_MALFORMED,
		    "Parsing DNS-PERSIST-01 challenge TXT record with "
		    "issuer-domain-name \"letsencrypt.org\": duplicate "
		    "parameter \"accounturi\""},
		{"only refused", {"letsencrypt.org;accounturi="
		    "http://letsencrypt.org:4000/acme/reg/999"}, false,
		    CD_DNSPERSIST_UNAUTHORIZED, "Checking DNS-PERSIST-01 "
		    "challenge TXT record with issuer-domain-name "
		    "\"letsencrypt.org\": accounturi mismatch"},
		{"missing accounturi", {"letsencrypt.org;policy=wildcard"},
		    false, CD_DNSPERSIST_MALFORMED,
		    "missing mandatory accounturi parameter"},
		{"persistUntil=0", {"letsencrypt.org;accounturi=" ACCT
		    ";persistUntil=0"}, false, CD_DNSPERSIST_UNAUTHORIZED,
		    "validation time"},
		{"another issuer only", {"other.example;accounturi=" ACCT},
		    false, CD_DNSPERSIST_NONE_VALID,
		    "No valid TXT record found for DNS-PERSIST-01 challenge"},
		{"malformed wins over refused", {"letsencrypt.org;accounturi="
		    "x", "letsencrypt.org;accounturi=" ACCT ";"}, false,
		    CD_DNSPERSIST_MALFORMED, "trailing semicolon"},
		{"two refusals joined", {"letsencrypt.org;accounturi=x",
		    "letsencrypt.org;accounturi=y"}, false,
		    CD_DNSPERSIST_UNAUTHORIZED, "got \"x\"; Checking "
		    "DNS-PERSIST-01 challenge TXT record with issuer-domain-name "
		    "\"letsencrypt.org\": accounturi mismatch: expected \"" ACCT
		    "\", got \"y\""},
		{"another issuer's malformed record is skipped",
		    {"other.example;accounturi=" ACCT ";"}, false,
		    CD_DNSPERSIST_NONE_VALID, "No valid TXT record"},
		{"joined strings of one record (Boulder's multi-string test)",
		    {"letsencrypt.org;accounturi=http://letsencrypt.org:4000"
		    "/acme/reg/1"}, false, CD_DNSPERSIST_VALID, NULL},
	};
	struct cd_dnspersist_result res;
	size_t i, n;
	bool ok;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		for (n = 0; n < 3 && c[i].txt[n]; n++)
			;
		ok = cd_dnspersist_judge((char *const *)(uintptr_t)c[i].txt, n,
		    "letsencrypt.org", ACCT, c[i].wildcard, 1770000000LL, &res);
		tap_ok(ok && res.verdict == c[i].want && (c[i].msg == NULL ?
		    res.message == NULL : res.message &&
		    strstr(res.message, c[i].msg) != NULL), "judge, %s: %s",
		    c[i].name, res.message ? res.message : "valid");
		cd_dnspersist_result_clear(&res);
	}
}

static void
test_rfc3339(void)
{
	char b[40];

	cd_dnspersist_rfc3339(0, b);
	tap_is_str(b, "1970-01-01T00:00:00Z", "rfc3339: the epoch");
	cd_dnspersist_rfc3339(4102444800LL, b);
	tap_is_str(b, "2100-01-01T00:00:00Z", "rfc3339: 2100");
	cd_dnspersist_rfc3339(951782400LL, b);
	tap_is_str(b, "2000-02-29T00:00:00Z", "rfc3339: a leap day");
	cd_dnspersist_rfc3339(-62135596801LL, b);
	tap_is_str(b, "0000-12-31T23:59:59Z", "rfc3339: year 0, as Go");
	cd_dnspersist_rfc3339(-62167219201LL, b);
	tap_is_str(b, "-0001-12-31T23:59:59Z", "rfc3339: year -1, as Go");
}

int
main(void)
{
	test_parse();
	test_issuer();
	test_check();
	test_judge();
	test_rfc3339();
	return tap_done();
}
