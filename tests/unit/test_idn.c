/*
 * test_idn.c - host names between what users type (U-labels, A-labels,
 * any case, a trailing dot) and the lower-case A-label form used on the
 * wire (libidn2, IDNA2008 with UTS#46 non-transitional processing), and
 * back to Unicode for display.  Also cd_domain_parse, the ACME
 * identifier built on it (lib/core/domain.c has no test file of its own).
 */
#include <stdlib.h>
#include <string.h>

#include "certdiag.h"
#include "idn.h"
#include "tap.h"

static const struct {
	const char *in;
	const char *want;	/* NULL: CD_E_PARSE */
} ascii_cases[] = {
	{"테스트.한국", "xn--9t4b11yi5a.xn--3e0b707e"},
	{"테스트.한국.", "xn--9t4b11yi5a.xn--3e0b707e"},
	{"xn--9t4b11yi5a.xn--3e0b707e", "xn--9t4b11yi5a.xn--3e0b707e"},
	{"XN--9T4B11YI5A.XN--3E0B707E", "xn--9t4b11yi5a.xn--3e0b707e"},
	{"www.테스트.한국", "www.xn--9t4b11yi5a.xn--3e0b707e"},
	{"Example.COM.", "example.com"},
	{"example.com", "example.com"},
	{"EXAMPLE.com", "example.com"},
	{"ä.com", "xn--4ca.com"},
	{"Ä.com", "xn--4ca.com"},
	{"xn--4ca.com", "xn--4ca.com"},
	/* Non-transitional: sharp s is kept, not mapped to "ss". */
	{"faß.de", "xn--fa-hia.de"},
	/* UTS#46 maps full-width letters. */
	{"ｅｘａｍｐｌｅ.com", "example.com"},
	{"under_score.example", "under_score.example"},
	{"127.0.0.1", "127.0.0.1"},
	{"::1", "::1"},
	{"2001:DB8::1", "2001:DB8::1"},
	{"a23456789012345678901234567890123456789012345678901234567890123"
	    ".com", "a23456789012345678901234567890123456789012345678901234"
	    "567890123.com"},
	{"xn--zz.test", NULL},
	{"xn--ca-xn--", NULL},
	{"xn--a.com", NULL},
	{"-abc.com", NULL},
	{"abc-.com", NULL},
	{"ab--c.com", NULL},
	{"\xe2\x98\x83.com", NULL},		/* U+2603 snowman */
	{"xn--n3h.com", NULL},			/* the same as an A-label */
	{"\xff.com", NULL},			/* not UTF-8 */
	{"a234567890123456789012345678901234567890123456789012345678901234"
	    ".com", NULL},			/* a 64-byte label */
};

static void
test_to_ascii(void)
{
	struct cd_err e;
	char *out;
	size_t i;
	cd_rc rc;

	for (i = 0; i < sizeof(ascii_cases) / sizeof(*ascii_cases); i++) {
		out = NULL;
		memset(&e, 0, sizeof(e));
		rc = cd_idn_to_ascii(ascii_cases[i].in, &out, &e);
		if (ascii_cases[i].want != NULL) {
			if (tap_is_int(rc, CD_OK, "to_ascii \"%s\"",
			    ascii_cases[i].in))
				tap_is_str(out, ascii_cases[i].want,
				    "to_ascii \"%s\" gives", ascii_cases[i].in);
			else
				tap_diag("error: %s", e.msg);
		} else {
			tap_is_int(rc, CD_E_PARSE, "to_ascii \"%s\" is refused",
			    ascii_cases[i].in);
			tap_ok(e.msg[0] != '\0' && out == NULL,
			    "to_ascii \"%s\": error says why (%s), no output",
			    ascii_cases[i].in, e.msg);
			tap_is_str(e.lib, "libidn2", "to_ascii \"%s\": the "
			    "library is named", ascii_cases[i].in);
		}
		free(out);
	}
}

static const struct {
	const char *in;
	const char *want;	/* NULL: CD_E_PARSE */
} unicode_cases[] = {
	{"xn--9t4b11yi5a.xn--3e0b707e", "테스트.한국"},
	{"www.xn--9t4b11yi5a.xn--3e0b707e", "www.테스트.한국"},
	{"xn--4ca.com", "ä.com"},
	{"xn--fa-hia.de", "faß.de"},
	{"example.com", "example.com"},
	{"127.0.0.1", "127.0.0.1"},
	{"xn--zz.test", NULL},
	/*
	 * Punycode that decodes to what IDNA2008 disallows is not shown in
	 * Unicode: U+202E (a bidi override, which would reverse the name on
	 * screen) and U+2603 (a symbol).
	 */
	{"xn--abc-4q0a.test", NULL},
	{"xn--n3h.com", NULL},
};

static void
test_to_unicode(void)
{
	struct cd_err e;
	char *out, *back;
	size_t i;
	cd_rc rc;

	for (i = 0; i < sizeof(unicode_cases) / sizeof(*unicode_cases); i++) {
		out = NULL;
		memset(&e, 0, sizeof(e));
		rc = cd_idn_to_unicode(unicode_cases[i].in, &out, &e);
		if (unicode_cases[i].want == NULL) {
			tap_is_int(rc, CD_E_PARSE, "to_unicode \"%s\" is "
			    "refused", unicode_cases[i].in);
			tap_ok(e.msg[0] != '\0', "to_unicode \"%s\": error "
			    "says why (%s)", unicode_cases[i].in, e.msg);
			free(out);
			continue;
		}
		if (!tap_is_int(rc, CD_OK, "to_unicode \"%s\"",
		    unicode_cases[i].in))
			continue;
		tap_is_str(out, unicode_cases[i].want, "to_unicode \"%s\" "
		    "gives", unicode_cases[i].in);
		/* And the way back gives the A-label form again. */
		back = NULL;
		if (tap_is_int(cd_idn_to_ascii(out, &back, NULL), CD_OK,
		    "\"%s\" goes back to ASCII", out))
			tap_is_str(back, unicode_cases[i].in,
			    "round trip of \"%s\"", unicode_cases[i].in);
		free(back);
		free(out);
	}
	/* A wildcard label stays as it is in front of the Unicode name. */
	out = NULL;
	if (tap_is_int(cd_idn_to_unicode("*.xn--9t4b11yi5a.test", &out, NULL),
	    CD_OK, "to_unicode \"*.xn--9t4b11yi5a.test\""))
		tap_is_str(out, "*.테스트.test",
		    "to_unicode keeps the wildcard label");
	free(out);
}

static const struct {
	const char *in;
	bool idn;
} is_idn_cases[] = {
	{"테스트.한국", true},
	{"xn--9t4b11yi5a.xn--3e0b707e", true},
	{"www.xn--9t4b11yi5a.com", true},
	{"example.xn--p1ai", true},
	{"ä.com", true},
	{"example.com", false},
	{"axn--b.com", false},
	{"a.bxn--c", false},
	{"127.0.0.1", false},
	{"::1", false},
	{"", false},
};

static void
test_is_idn(void)
{
	size_t i;

	for (i = 0; i < sizeof(is_idn_cases) / sizeof(*is_idn_cases); i++)
		tap_is_int(cd_idn_is_idn(is_idn_cases[i].in),
		    is_idn_cases[i].idn, "is_idn \"%s\" is %s",
		    is_idn_cases[i].in, is_idn_cases[i].idn ? "true" : "false");
}

static const struct {
	const char *in;
	bool allow_wild;
	const char *want;	/* NULL: CD_E_PARSE */
	bool wild;
} domain_cases[] = {
	{"example.com", false, "example.com", false},
	{"Example.COM.", false, "example.com", false},
	{"*.example.com", true, "example.com", true},
	{"*.테스트.한국", true, "xn--9t4b11yi5a.xn--3e0b707e", true},
	{"테스트.한국", true, "xn--9t4b11yi5a.xn--3e0b707e", false},
	{"_acme-challenge.example.com", false, "_acme-challenge.example.com",
	    false},
	{"*.example.com", false, NULL, false},
	{"", true, NULL, false},
	{".", true, NULL, false},
	{"*.", true, NULL, false},
	{"*", true, NULL, false},
	{"*.*.example.com", true, NULL, false},
	{"foo.*.example.com", true, NULL, false},
	{"a..b", true, NULL, false},
	{".example.com", true, NULL, false},
	{"example.com..", true, NULL, false},
	{"example.com:443", true, NULL, false},
	{"https://example.com", true, NULL, false},
	{"user@example.com", true, NULL, false},
	{"a b.com", true, NULL, false},
	{"[::1]", true, NULL, false},
	{"xn--zz.test", true, NULL, false},
	{"\xe2\x98\x83.com", true, NULL, false},
};

static void
test_domain(void)
{
	struct cd_err e;
	char *ace;
	size_t i;
	bool wild;
	cd_rc rc;

	for (i = 0; i < sizeof(domain_cases) / sizeof(*domain_cases); i++) {
		ace = NULL;
		wild = !domain_cases[i].wild;
		memset(&e, 0, sizeof(e));
		rc = cd_domain_parse(domain_cases[i].in,
		    domain_cases[i].allow_wild, &ace, &wild, &e);
		if (domain_cases[i].want == NULL) {
			tap_is_int(rc, CD_E_PARSE, "domain \"%s\"%s is refused",
			    domain_cases[i].in, domain_cases[i].allow_wild ?
			    "" : " (no wildcard)");
			if (rc == CD_OK)
				tap_diag("got \"%s\"", ace);
			else
				tap_ok(e.msg[0] != '\0', "domain \"%s\": error "
				    "says why (%s)", domain_cases[i].in, e.msg);
		} else if (tap_is_int(rc, CD_OK, "domain \"%s\" parses",
		    domain_cases[i].in)) {
			tap_is_str(ace, domain_cases[i].want, "domain \"%s\" "
			    "gives", domain_cases[i].in);
			tap_is_int(wild, domain_cases[i].wild, "domain \"%s\": "
			    "wildcard", domain_cases[i].in);
		}
		free(ace);
	}
}

int
main(void)
{
	test_to_ascii();
	test_to_unicode();
	test_is_idn();
	test_domain();
	return tap_done();
}
