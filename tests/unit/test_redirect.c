/*
 * test_redirect.c - the validator's redirect policy (lib/http/redirect.c) on
 * the host as the Location header wrote it: libcurl turns a numeric host
 * such as "167772161" or "0xa000001" into a dotted quad, but the CA's Go
 * url.Parse keeps it as a name, which ends in no IANA TLD.
 */
#include <string.h>

#include <curl/curl.h>

#include "redirect.h"
#include "tap.h"

struct redirect_case {
	const char *raw;	/* the Location header */
	bool lab;		/* allow_reserved */
	bool follow;
	const char *why;	/* part of the reason, when refused */
};

static const struct redirect_case cases[] = {
	{"http://example.com/x", false, true, NULL},
	{"/relative", false, true, NULL},
	{"http://167772161/", false, false, "must end in IANA registered TLD"},
	{"http://0xa000001/", false, false, "must end in IANA registered TLD"},
	{"http://10.1/", false, false, "must end in IANA registered TLD"},
	{"http://user@167772161:80/x", false, false,
	    "must end in IANA registered TLD"},
	{"//167772161/x", false, false, "must end in IANA registered TLD"},
	/* A real dotted quad is an address: judged as one. */
	{"http://10.0.0.1/", false, false, "reserved address block"},
	/* The lab keeps reserved addresses, and nothing more. */
	{"http://127.0.0.1/", true, true, NULL},
	{"http://[::1]/", true, true, NULL},
	{"http://web.example.com/", true, true, NULL},
	{"http://167772161/", true, false, "must end in IANA registered TLD"},
	{"http://web.test/", true, false, "Invalid host in redirect target, "
	    "must end in IANA registered TLD"},
	{"http://localhost/", true, false, "must end in IANA registered TLD"},
	{"http://lab.invalid/x", true, false,
	    "must end in IANA registered TLD"},
};

/* Internationalised hosts: judged, resolved and fetched as A-labels. */
struct idn_case {
	const char *raw;
	const char *host;	/* out->host, or NULL when refused */
	const char *url;	/* out->url */
};

static const struct idn_case idn_cases[] = {
	{"http://\xc3\xab.example.com/x", "xn--cda.example.com",
	    "http://xn--cda.example.com/x"},
	{"http://B\xc3\xbc" "CHER.Example.COM/x", "xn--bcher-kva.example.com",
	    "http://xn--bcher-kva.example.com/x"},
	/* Percent-encoded UTF-8: libcurl decodes it, the CA's Go too. */
	{"http://%c3%ab.example.com/x", "xn--cda.example.com",
	    "http://xn--cda.example.com/x"},
	{"http://xn--cda.example.com/x", "xn--cda.example.com",
	    "http://xn--cda.example.com/x"},
	/* Not IDNA2008: a bidi override, a snowman, invalid UTF-8. */
	{"http://\xe2\x80\xae" "evil.example.com/x", NULL, NULL},
	{"http://\xe2\x98\x83.example.com/x", NULL, NULL},
	{"http://\xc3.example.com/x", NULL, NULL},
};

static char *
resolved(const char *base, const char *raw)
{
	char *loc = NULL;
	CURLU *u;

	/* What CURLINFO_REDIRECT_URL gives for this header. */
	if ((u = curl_url()) != NULL &&
	    curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, raw, 0) == CURLUE_OK)
		curl_url_get(u, CURLUPART_URL, &loc, 0);
	curl_url_cleanup(u);
	return loc;
}

static void
idn(const char *base, const struct idn_case *k, bool lab)
{
	struct cd_redirect_ctx c;
	struct cd_redirect r;
	char *loc = resolved(base, k->raw);

	memset(&c, 0, sizeof(c));
	c.http_port = 80;
	c.https_port = 443;
	c.allow_reserved = lab;
	if (cd_redirect_check(&c, 302, loc, k->raw, &r, NULL) != CD_OK)
		r.follow = false;
	if (k->host != NULL)
		tap_ok(r.follow && r.host != NULL && strcmp(r.host, k->host) ==
		    0 && r.url != NULL && strcmp(r.url, k->url) == 0,
		    "%s%s: followed as %s (%s)", k->raw, lab ? " (lab)" : "",
		    r.url ? r.url : "-", r.host ? r.host : "-");
	else
		tap_ok(!r.follow && strstr(r.why, "Invalid host in redirect "
		    "target") != NULL, "%s%s: refused: %s", k->raw,
		    lab ? " (lab)" : "", r.why);
	cd_redirect_clear(&r);
	curl_free(loc);
}

int
main(void)
{
	static const char base[] = "http://example.com/.well-known/acme-challenge/t";
	struct cd_redirect_ctx c;
	struct cd_redirect r;
	char *loc;
	size_t i;
	CURLU *u;

	tap_plan(2 * (int)(sizeof(cases) / sizeof(cases[0]) +
	    sizeof(idn_cases) / sizeof(idn_cases[0])));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&c, 0, sizeof(c));
		c.http_port = 80;
		c.https_port = 443;
		c.allow_reserved = cases[i].lab;
		/* What CURLINFO_REDIRECT_URL gives for this header. */
		loc = NULL;
		if ((u = curl_url()) != NULL &&
		    curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
		    curl_url_set(u, CURLUPART_URL, cases[i].raw, 0) == CURLUE_OK)
			curl_url_get(u, CURLUPART_URL, &loc, 0);
		curl_url_cleanup(u);
		tap_ok(cd_redirect_check(&c, 302, loc, cases[i].raw, &r, NULL) ==
		    CD_OK && r.follow == cases[i].follow, "%s%s: %s",
		    cases[i].raw, cases[i].lab ? " (lab)" : "",
		    cases[i].follow ? "followed" : "refused");
		tap_ok(cases[i].why == NULL ? r.why[0] == '\0' :
		    strstr(r.why, cases[i].why) != NULL, "%s: reason '%s'",
		    cases[i].raw, r.why);
		cd_redirect_clear(&r);
		curl_free(loc);
	}
	for (i = 0; i < sizeof(idn_cases) / sizeof(idn_cases[0]); i++) {
		idn(base, &idn_cases[i], false);
		idn(base, &idn_cases[i], true);
	}
	return tap_done();
}
