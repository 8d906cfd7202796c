/*
 * fuzz_redirect.c - the validator's redirect policy (lib/http/redirect.c):
 * cd_redirect_check() with the input as the Location header, for the
 * statuses 301, 303 and 308, with and without the lab's allow_reserved,
 * on the real ports and on the lab's stand-ins.  As in lib/http/http.c, the
 * header goes in as raw (and once as NULL, which the contract allows),
 * and location is what libcurl makes of it for CURLINFO_REDIRECT_URL:
 * resolved against the URL fetched, or the header as sent when libcurl
 * cannot parse it.
 *
 * Invariants: 303 is never followed; a followed redirect has a URL, a
 * lower-case host and one of the two allowed ports, and no reason; a
 * refused one has a reason and neither URL nor host.  The URL it follows
 * is a fixed point: redirecting again to the same Location, or to that
 * URL, once it has been fetched is a loop.
 */
#include <stdio.h>

#include <curl/curl.h>

#include "fuzz.h"
#include "redirect.h"

#define FETCHED "http://example.com/.well-known/acme-challenge/token"

static const long statuses[] = {301, 303, 308};

/*
 * CURLINFO_REDIRECT_URL for a Location header raw received on base:
 * libcurl (lib/transfer.c, Curl_follow in its FOLLOW_FAKE mode) sets raw
 * on the handle of the URL fetched and reads the URL back, or keeps raw
 * as it is when it cannot parse it.  Caller frees; NULL on ENOMEM.
 */
static char *
redirect_url(const char *base, const char *raw)
{
	CURLU *u;
	char *got = NULL, *out = NULL;

	if ((u = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, raw, CURLU_NON_SUPPORT_SCHEME) ==
	    CURLUE_OK && curl_url_get(u, CURLUPART_URL, &got, 0) == CURLUE_OK)
		out = strdup(got);
	else
		out = strdup(raw);
	curl_free(got);
	curl_url_cleanup(u);
	return out;
}

static void
check_out(const struct cd_redirect_ctx *c, long status,
    const struct cd_redirect *r)
{
	const char *p;

	FUZZ_ASSERT(fuzz_terminated(r->why, sizeof(r->why)));
	if (!r->follow) {
		FUZZ_ASSERT(r->url == NULL && r->host == NULL);
		FUZZ_ASSERT(r->why[0] != '\0');
		FUZZ_ASSERT(!(r->too_many && r->loop));
		return;
	}
	FUZZ_ASSERT(status != 303);
	FUZZ_ASSERT(cd_redirect_status_followed(status));
	FUZZ_ASSERT(!r->too_many && !r->loop && r->why[0] == '\0');
	FUZZ_ASSERT(r->url != NULL && r->host != NULL && r->host[0] != '\0');
	FUZZ_ASSERT(r->port == c->http_port || r->port == c->https_port);
	for (p = r->host; *p; p++)
		FUZZ_ASSERT(!(*p >= 'A' && *p <= 'Z'));
	FUZZ_ASSERT(strncmp(r->url, r->https ? "https://" : "http://",
	    r->https ? 8 : 7) == 0);
}

/* Once out->url was fetched, coming back to it is a loop. */
static void
check_loop(const struct cd_redirect_ctx *c, long status, const char *loc,
    const char *raw, const struct cd_redirect *first)
{
	struct cd_redirect_ctx c2 = *c;
	struct cd_redirect r;
	char *const seen[1] = {first->url};
	char *again;

	c2.visited = seen;
	c2.nvisited = 1;
	c2.followed = 1;
	FUZZ_ASSERT(cd_redirect_check(&c2, status, loc, raw, &r, NULL) ==
	    CD_OK);
	check_out(&c2, status, &r);
	FUZZ_ASSERT(!r.follow && r.loop);
	cd_redirect_clear(&r);
	/* A server that sends the very URL back, from that URL. */
	if ((again = redirect_url(first->url, first->url)) == NULL)
		return;
	/*
	 * Only a URL that is followable as written can loop: libcurl's
	 * rewrite of the first one may not be (a backslash in userinfo is
	 * kept by libcurl, refused by the CA's URL parser).
	 */
	FUZZ_ASSERT(cd_redirect_check(c, status, again, first->url, &r,
	    NULL) == CD_OK);
	check_out(c, status, &r);
	if (r.follow) {
		cd_redirect_clear(&r);
		FUZZ_ASSERT(cd_redirect_check(&c2, status, again, first->url,
		    &r, NULL) == CD_OK);
		check_out(&c2, status, &r);
		FUZZ_ASSERT(!r.follow && r.loop);
	}
	cd_redirect_clear(&r);
	free(again);
}

static void
fuzz_one(const struct cd_redirect_ctx *c, long status, const char *loc,
    const char *raw)
{
	struct cd_redirect r;
	struct cd_err err;
	cd_rc rc;

	memset(&err, 0, sizeof(err));
	rc = cd_redirect_check(c, status, loc, raw, &r, &err);
	/* The CA's own ports, no lab mode: what the seed's name promises. */
	if (c->http_port == 80 && !c->allow_reserved && status == 301 &&
	    raw != NULL)
		FUZZ_VERDICT(rc == CD_OK && r.follow);
	if (rc != CD_OK) {
		/* Errors are for resources only. */
		FUZZ_ASSERT(rc == CD_E_NOMEM && err.rc == rc);
		FUZZ_ASSERT(r.url == NULL && r.host == NULL);
		return;
	}
	check_out(c, status, &r);
	if (r.follow)
		check_loop(c, status, loc, raw, &r);
	cd_redirect_clear(&r);
	FUZZ_ASSERT(r.url == NULL && r.host == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cd_redirect_ctx c;
	char *raw, *loc;
	size_t i;
	int reserved, lab;

	if ((raw = fuzz_cstr(data, size)) == NULL)
		return 0;
	if ((loc = redirect_url(FETCHED, raw)) == NULL) {
		free(raw);
		return 0;
	}
	for (lab = 0; lab <= 1; lab++)
		for (reserved = 0; reserved <= 1; reserved++)
			for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]);
			    i++) {
				memset(&c, 0, sizeof(c));
				c.http_port = lab ? 5002 : 80;
				c.https_port = lab ? 5001 : 443;
				c.allow_reserved = reserved != 0;
				fuzz_one(&c, statuses[i], loc, raw);
			}
	/* raw may be NULL. */
	memset(&c, 0, sizeof(c));
	c.http_port = 80;
	c.https_port = 443;
	fuzz_one(&c, 301, loc, NULL);
	free(loc);
	free(raw);
	return 0;
}
