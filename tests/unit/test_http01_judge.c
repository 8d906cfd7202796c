/*
 * test_http01_judge.c - the http-01 verdict on a final response
 * (lib/checks/http01_judge.c) against what Let's Encrypt's validator does
 * (Boulder va/http.go: a non-200 status, a body of 128 bytes or more,
 * the body trimmed on the right with Go's unicode.IsSpace and compared
 * with the key authorization, both quoted with Go's %q), written out
 * here as data, byte for byte, with Boulder's own test inputs
 * (va/http_test.go TestHTTPKeyAuthorizationFileMismatch and
 * TestLimitedReader) among them.  The trimming is not checked against
 * the implementation's own trim function: each row says what the CA
 * would see.  For the near misses people make (a byte-order mark, the
 * token alone, another account's thumbprint, the value inside a page),
 * the fix line says which.
 */
#include <stdlib.h>
#include <string.h>

#include "http01.h"
#include "tap.h"

#define KA "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI"
#define URL "http://example.com/.well-known/acme-challenge/LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0"
#define MISMATCH "127.0.0.1: The key authorization file from the server did " \
	"not match this challenge. Expected \"" KA "\" (got "

static const struct {
	const char *name;
	long status;
	const char *body;
	size_t len;		/* 0: strlen(body) */
	bool expect;		/* judge against KA (else: no value known) */
	enum cd_prob code;	/* CD_P__LAST: the CA accepts */
	const char *msg;	/* exact, or NULL */
} rows[] = {
	{"the key authorization", 200, KA, 0, true, CD_P__LAST, NULL},
	{"a trailing newline", 200, KA "\n", 0, true, CD_P__LAST, NULL},
	{"CR LF, tab, space, VT, FF", 200, KA "\r\n\t \v\f", 0, true,
	    CD_P__LAST, NULL},
	{"U+0085 NEL", 200, KA "\xc2\x85", 0, true, CD_P__LAST, NULL},
	{"U+00A0 no-break space", 200, KA "\xc2\xa0", 0, true, CD_P__LAST,
	    NULL},
	{"U+1680 ogham space", 200, KA "\xe1\x9a\x80", 0, true, CD_P__LAST,
	    NULL},
	{"U+2000 and U+200A", 200, KA "\xe2\x80\x80\xe2\x80\x8a", 0, true,
	    CD_P__LAST, NULL},
	{"U+2028, U+2029, U+202F, U+205F, U+3000", 200, KA "\xe2\x80\xa8"
	    "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\x9f\xe3\x80\x80", 0, true,
	    CD_P__LAST, NULL},
	{"a leading space is not trimmed", 200, " " KA, 0, true,
	    CD_P_HTTP01_BODY_MISMATCH, MISMATCH "\" " KA "\")"},
	{"U+FEFF (a BOM) is no space", 200, KA "\xef\xbb\xbf", 0, true,
	    CD_P_HTTP01_BODY_MISMATCH, MISMATCH "\"" KA "\\ufeff\")"},
	{"a byte-order mark before it, quoted as Go does", 200,
	    "\xef\xbb\xbf" KA "\r\n", 0, true, CD_P_HTTP01_BODY_MISMATCH,
	    MISMATCH "\"\\ufeff" KA "\")"},
	{"Boulder's mismatch: invalid UTF-8 quoted byte by byte", 200,
	    "\xef\xff" "AABBCC", 0, true, CD_P_HTTP01_BODY_MISMATCH,
	    MISMATCH "\"\\xef\\xffAABBCC\")"},
	{"a second line is kept, its newline escaped", 200, KA "\nmore\n", 0,
	    true, CD_P_HTTP01_BODY_MISMATCH, MISMATCH "\"" KA "\\nmore\")"},
	{"quotes and backslashes escaped", 200, "say \"hi\" \\o/", 0, true,
	    CD_P_HTTP01_BODY_MISMATCH, MISMATCH "\"say \\\"hi\\\" \\\\o/\")"},
	{"an empty body", 200, "", 0, true, CD_P_HTTP01_BODY_MISMATCH,
	    MISMATCH "\"\")"},
	{"404", 404, "not found", 0, true, CD_P_HTTP01_BAD_STATUS,
	    "127.0.0.1: Invalid response from " URL ": 404"},
	{"500", 500, KA, 0, true, CD_P_HTTP01_BAD_STATUS,
	    "127.0.0.1: Invalid response from " URL ": 500"},
	{"204 is not 200", 204, "", 0, true, CD_P_HTTP01_BAD_STATUS,
	    "127.0.0.1: Invalid response from " URL ": 204"},
	/* Boulder's server writes the key authorization of that token
	 * (token "." thumbprint) and "\n\r \t": 129 bytes. */
	{"Boulder's LimitedReader body: 128 bytes or more is too many", 200,
	    "012345\xff" "678901234567890123456789012345678901234567890123456789"
	    "01234567890123456789." "9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21"
	    "mqTI\n\r \t", 0, true,
	    CD_P_HTTP01_BODY_TOO_LARGE, NULL},
	{"127 bytes is judged", 200,
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "456789012345678901234567890123456789012345678901234567890123456",
	    0, true, CD_P_HTTP01_BODY_MISMATCH, NULL},
	{"no value known: 404 proves the path", 404, "", 0, false, CD_P__LAST,
	    NULL},
	{"no value known: any 200 body", 200, "whatever", 0, false,
	    CD_P__LAST, NULL},
	{"no value known: 403", 403, "", 0, false,
	    CD_P_HTTP01_UNEXPECTED_STATUS,
	    "127.0.0.1: Invalid response from " URL ": 403"},
};

/* The near misses people make, each with its own fix line. */
static const struct {
	const char *name, *body, *fix;
} near[] = {
	{"a byte-order mark before it (Notepad's UTF-8)",
	    "\xef\xbb\xbf" KA "\r\n", "byte-order mark"},
	{"the token alone", "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0\n",
	    "the token alone"},
	{"another account's thumbprint",
	    "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0."
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "another ACME account"},
	{"inside a page", "<p>" KA "</p>", "inside other text"},
	{"the key authorization, then more: inside other text, not another "
	    "account", KA "\nmore", "inside other text"},
	{"something else: the general fix", "hello",
	    "serve the file the ACME client writes"},
};

static void
near_row(size_t i)
{
	struct cd_h01_attempt a;
	struct cd_report *r = NULL;
	const struct cd_problem *p = NULL;

	memset(&a, 0, sizeof(a));
	strcpy(a.addr, "127.0.0.1");
	a.hops[0].url = strdup(URL);
	a.nhops = 1;
	a.final.status = 200;
	a.final.body_len = strlen(near[i].body);
	memcpy(a.final.body, near[i].body, a.final.body_len);
	cd_h01_judge(&a, KA);
	if (cd_report_new("HTTP01", "example.com", &r, NULL) == CD_OK) {
		cd_h01_report(r, &a, KA);
		if (cd_report_nproblems(r) > 0)
			p = cd_report_problem(r, 0);
	}
	tap_ok(p != NULL && p->code == CD_P_HTTP01_BODY_MISMATCH &&
	    p->hint != NULL && strstr(p->hint, near[i].fix) != NULL,
	    "%s: the fix says \"%s\" (%s)", near[i].name, near[i].fix,
	    p && p->hint ? p->hint : "no fix");
	cd_report_free(r);
	cd_h01_attempt_clear(&a);
}

static void
judge_row(size_t i)
{
	struct cd_h01_attempt a;
	size_t len = rows[i].len ? rows[i].len : strlen(rows[i].body);
	bool accepted;

	memset(&a, 0, sizeof(a));
	strcpy(a.addr, "127.0.0.1");
	a.hops[0].url = strdup(URL);
	a.nhops = 1;
	a.final.status = rows[i].status;
	memcpy(a.final.body, rows[i].body, len);
	a.final.body_len = len;
	cd_h01_judge(&a, rows[i].expect ? KA : NULL);
	accepted = !a.failed;
	tap_ok(rows[i].code == CD_P__LAST ? accepted : !accepted &&
	    a.code == rows[i].code, "%s: %s", rows[i].name,
	    accepted ? "accepted" : cd_problem_name(a.code));
	if (rows[i].msg != NULL)
		tap_is_str(a.message, rows[i].msg, "%s: the CA's words",
		    rows[i].name);
	if (rows[i].code == CD_P_HTTP01_BODY_TOO_LARGE)
		tap_ok(a.message != NULL && strncmp(a.message, "127.0.0.1: "
		    "Invalid response from " URL ": \"012345\\xff6789",
		    strlen("127.0.0.1: Invalid response from " URL ": "
		    "\"012345\\xff6789")) == 0 && strlen(a.message) <
		    strlen(URL) + 40 + 128 * 4, "%s: the first 128 bytes, "
		    "quoted", rows[i].name);
	cd_h01_attempt_clear(&a);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		judge_row(i);
	for (i = 0; i < sizeof(near) / sizeof(near[0]); i++)
		near_row(i);
	return tap_done();
}
