/*
 * fuzz_caa_value.c - the CAA issue/issuewild value as Boulder parses it
 * (lib/checks/caa.c): cd_caa_parse_value() on the raw bytes, then
 * cd_caa_record_matches() with the input as the value of an "issue"
 * record, for several requests.
 *
 * Invariants: the parser reads only the len bytes it is given; on success
 * the issuer holds no ';', every tag is letters and digits, every value is
 * %x21-7E without ';'; for a value without NUL (both callers refuse one
 * with a NUL before they parse) the issuer is also trimmed and the value
 * rebuilt from the parts ("issuer;tag=value;...") parses to the same
 * parts.  On failure the out-parameters are untouched.  A record matches
 * only if its value has no NUL and parses with the requested issuer,
 * exactly; a record with an accounturi matches only that account; the
 * reason is a terminated string that fits its buffer.
 */
#include <stdio.h>

#include "caa.h"
#include "fuzz.h"

static bool
wsp(char c)
{
	return c == ' ' || c == '\t';
}

static void
check_parts(const char *issuer, const struct cd_caa_param *ps, size_t np)
{
	const unsigned char *p;
	size_t i;

	FUZZ_ASSERT(strchr(issuer, ';') == NULL);
	for (i = 0; i < np; i++) {
		FUZZ_ASSERT(ps[i].tag != NULL && ps[i].value != NULL);
		for (p = (const unsigned char *)ps[i].tag; *p; p++)
			FUZZ_ASSERT((*p >= '0' && *p <= '9') ||
			    (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'));
		for (p = (const unsigned char *)ps[i].value; *p; p++)
			FUZZ_ASSERT(*p >= 0x21 && *p <= 0x7e && *p != ';');
	}
}

/*
 * The issuer is trimmed, and "issuer;tag=value;..." from the parts parses
 * to the same parts.  Only for values without NUL: the parts are C
 * strings, so a NUL cuts them short, trimming included.
 */
static void
check_rebuilt(const char *issuer, const struct cd_caa_param *ps, size_t np)
{
	struct cd_caa_param *ps2 = NULL;
	char *v, *o, *dom2 = NULL;
	size_t i, len = strlen(issuer) + 1, np2 = 0;

	if ((i = strlen(issuer)) > 0)
		FUZZ_ASSERT(!wsp(issuer[0]) && !wsp(issuer[i - 1]));

	for (i = 0; i < np; i++)
		len += strlen(ps[i].tag) + strlen(ps[i].value) + 2;
	if ((v = malloc(len)) == NULL)
		return;
	o = v + sprintf(v, "%s", issuer);
	for (i = 0; i < np; i++)
		o += sprintf(o, ";%s=%s", ps[i].tag, ps[i].value);
	FUZZ_ASSERT(cd_caa_parse_value(v, strlen(v), &dom2, &ps2, &np2,
	    NULL) == CD_OK);
	FUZZ_ASSERT(strcmp(dom2, issuer) == 0 && np2 == np);
	for (i = 0; i < np; i++)
		FUZZ_ASSERT(strcmp(ps2[i].tag, ps[i].tag) == 0 &&
		    strcmp(ps2[i].value, ps[i].value) == 0);
	cd_caa_params_free(ps2, np2);
	free(dom2);
	free(v);
}

static void
fuzz_parse(const char *value, size_t len)
{
	static char unset_issuer[1];
	static struct cd_caa_param unset_params[1];
	char *issuer = unset_issuer;
	struct cd_caa_param *ps = unset_params;
	size_t np = 12345;
	struct cd_err err;
	cd_rc rc;

	memset(&err, 0, sizeof(err));
	rc = cd_caa_parse_value(value, len, &issuer, &ps, &np, &err);
	FUZZ_VERDICT(rc == CD_OK);
	if (rc != CD_OK) {
		FUZZ_ASSERT(rc == CD_E_PARSE || rc == CD_E_NOMEM);
		FUZZ_ASSERT(err.rc == rc && err.msg[0] != '\0');
		FUZZ_ASSERT(fuzz_terminated(err.msg, sizeof(err.msg)));
		FUZZ_ASSERT(issuer == unset_issuer && ps == unset_params &&
		    np == 12345);
		return;
	}
	FUZZ_ASSERT(issuer != NULL && issuer != unset_issuer);
	FUZZ_ASSERT(ps != unset_params && (np == 0 || ps != NULL));
	check_parts(issuer, ps, np);
	if (memchr(value, '\0', len) == NULL)
		check_rebuilt(issuer, ps, np);
	cd_caa_params_free(ps, np);
	free(issuer);
}

static const struct cd_caa_request requests[] = {
	{"example.com", "letsencrypt.org", NULL, "http-01"},
	{"*.example.com", "letsencrypt.org",
	    "https://letsencrypt.org/acct/reg/123", "dns-01"},
	{"example.com", "letsencrypt.org",
	    "https://letsencrypt.org/acct/reg/123", "tls-alpn-01"},
	{"example.com", "ca.com", NULL, "http-01"},
};

/* What a match promises, checked with the parser. */
static void
check_match(const struct cd_caa_rr *rr, const struct cd_caa_request *req)
{
	struct cd_caa_param *ps = NULL;
	char *dom = NULL;
	size_t i, np = 0;

	FUZZ_ASSERT(strlen(rr->value) == rr->value_len);
	FUZZ_ASSERT(cd_caa_parse_value(rr->value, rr->value_len, &dom, &ps,
	    &np, NULL) == CD_OK);
	FUZZ_ASSERT(strcmp(dom, req->issuer) == 0);
	for (i = 0; i < np; i++)
		if (strcmp(ps[i].tag, "accounturi") == 0)
			FUZZ_ASSERT(req->account_uri != NULL &&
			    strcmp(ps[i].value, req->account_uri) == 0);
	cd_caa_params_free(ps, np);
	free(dom);
}

static void
fuzz_matches(const char *value, size_t len)
{
	static const size_t whylens[] = {512, 16, 1};
	struct cd_caa_rr rr;
	char why[512], tag[] = "issue";
	size_t i, j;
	bool m;

	rr.flags = 0;
	rr.tag = tag;
	rr.value = malloc(len + 1);
	rr.value_len = len;
	if (rr.value == NULL)
		return;
	memcpy(rr.value, value, len);
	rr.value[len] = '\0';
	for (i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		m = cd_caa_record_matches(&rr, &requests[i], NULL, 0);
		if (m)
			check_match(&rr, &requests[i]);
		for (j = 0; j < sizeof(whylens) / sizeof(whylens[0]); j++) {
			memset(why, 0x55, sizeof(why));
			FUZZ_ASSERT(cd_caa_record_matches(&rr, &requests[i], why,
			    whylens[j]) == m);
			FUZZ_ASSERT(fuzz_terminated(why, whylens[j]));
			FUZZ_ASSERT(whylens[j] == sizeof(why) ||
			    (unsigned char)why[whylens[j]] == 0x55);
		}
	}
	free(rr.value);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *v;

	if ((v = fuzz_bytes(data, size)) == NULL)
		return 0;
	fuzz_parse(v, size);
	fuzz_matches(v, size);
	free(v);
	return 0;
}
