/*
 * redirect.c - would Let's Encrypt's validator follow this redirect?
 * Boulder's policy, with its own messages: only 301/302/307/308, at most
 * eleven redirects, http or https, ports 80 and 443 only (or the lab's
 * stand-ins), a host that ends in an IANA-registered TLD (libpsl and
 * Debian's public suffix list; in lab mode too), no reserved address
 * (lab mode keeps them), no scope zone, no
 * "example.com.well-known" (the missing slash), no path over 2000 bytes,
 * no URL seen before.  URLs are parsed by libcurl, not by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>

#include <curl/curl.h>
#include <idn2.h>
#include <libpsl.h>

#include "curl_dl.h"
#include "err.h"
#include "idn.h"
#include "redirect.h"
#include "reserved.h"

/* Boulder follows eleven redirects and refuses the twelfth. */
#define MAX_REDIRECTS 11
#define MAX_PATH 2000

void
cd_redirect_clear(struct cd_redirect *r)
{
	free(r->url);
	free(r->host);
	memset(r, 0, sizeof(*r));
}

bool
cd_redirect_status_followed(long status)
{
	return status == 301 || status == 302 || status == 307 ||
	    status == 308;
}

static bool
iana_tld(const char *host)
{
	const psl_ctx_t *psl = psl_builtin();
	const char *dot = strrchr(host, '.');
	const char *tld = dot ? dot + 1 : host;

	if (psl == NULL || *tld == '\0')
		return false;
	return psl_is_public_suffix2(psl, tld,
	    PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE) != 0;
}

static bool
visited(const struct cd_redirect_ctx *c, const char *url)
{
	size_t i;

	for (i = 0; i < c->nvisited; i++)
		if (strcmp(c->visited[i], url) == 0)
			return true;
	return false;
}

/* Host checks; why is filled on refusal. */
static bool
host_ok(const struct cd_redirect_ctx *c, const char *host, char *why,
    size_t len)
{
	const char *res;
	char inner[64];
	unsigned char v4[4];
	size_t n = strlen(host);

	if (n == 0) {
		snprintf(why, len, "Invalid empty host in redirect target");
		return false;
	}
	if (host[0] == '[') {
		if (strchr(host, '%') != NULL) {
			snprintf(why, len, "Invalid host in redirect target: "
			    "contains scope zone");
			return false;
		}
		snprintf(inner, sizeof(inner), "%.*s", (int)(n - 2), host + 1);
		if ((res = cd_ip_reserved(inner)) != NULL && !c->allow_reserved) {
			snprintf(why, len, "Invalid host in redirect target: IP "
			    "address is in a reserved address block: %s", res);
			return false;
		}
		return true;
	}
	if (n >= 11 && strcmp(host + n - 11, ".well-known") == 0) {
		snprintf(why, len, "Invalid host in redirect target \"%s\". "
		    "Check webserver config for missing '/' in redirect "
		    "target.", host);
		return false;
	}
	if ((res = cd_ip_reserved(host)) != NULL) {
		if (c->allow_reserved)
			return true;
		snprintf(why, len, "Invalid host in redirect target: IP "
		    "address is in a reserved address block: %s", res);
		return false;
	}
	/*
	 * Lab mode keeps reserved addresses only: a name outside the IANA
	 * TLDs is refused there too, or a lab run would pass a redirect
	 * the CA refuses.
	 */
	if (inet_pton(AF_INET, host, v4) != 1 && !iana_tld(host)) {
		snprintf(why, len, "Invalid host in redirect target, must end "
		    "in IANA registered TLD");
		return false;
	}
	return true;
}

/*
 * The host exactly as the Location header wrote it (no userinfo, no
 * port), into out; false for a relative reference or an IPv6 literal.
 * libcurl rewrites numeric hosts ("16843009", "0x7f.1", "127.1") into
 * dotted quads; the CA's Go url.Parse keeps them as names.
 */
static bool
raw_host(const char *raw, char *out, size_t len)
{
	const char *a, *end, *at, *colon;
	size_t n;

	if (raw == NULL)
		return false;
	if (raw[0] == '/' && raw[1] == '/') {
		a = raw + 2;
	} else {
		for (a = raw; (*a >= 'a' && *a <= 'z') || (*a >= 'A' &&
		    *a <= 'Z') || (*a >= '0' && *a <= '9') || *a == '+' ||
		    *a == '-' || *a == '.'; a++)
			;
		if (a == raw || strncmp(a, "://", 3) != 0)
			return false;
		a += 3;
	}
	end = a + strcspn(a, "/?#\\");
	for (at = a; at < end; at++)
		if (*at == '@')
			a = at + 1;
	if (a < end && *a == '[')
		return false;
	colon = memchr(a, ':', (size_t)(end - a));
	n = (size_t)((colon ? colon : end) - a);
	if (n == 0 || n >= len)
		return false;
	memcpy(out, a, n);
	out[n] = '\0';
	return true;
}

static cd_rc
parts(CURLU *u, char **scheme, char **host, char **port, char **path,
    char **query)
{
	*scheme = *host = *port = *path = *query = NULL;
	if (curl_url_get(u, CURLUPART_SCHEME, scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, host, 0) != CURLUE_OK)
		return CD_E_PARSE;
	curl_url_get(u, CURLUPART_PORT, port, 0);
	curl_url_get(u, CURLUPART_PATH, path, 0);
	curl_url_get(u, CURLUPART_QUERY, query, 0);
	return CD_OK;
}

/*
 * A host with non-ASCII bytes (written so, or percent-encoded, which
 * libcurl decodes) into its A-label form in *ace.  libcurl would convert
 * it on its own when fetching, after the address pin was set under the
 * Unicode form, and resolve the xn-- name with the system resolver; so
 * the name is judged, resolved, pinned and fetched as A-labels only.
 * false (why filled) when it is no valid IDNA2008 name.
 */
static bool
to_alabel(const char *host, char **ace, char *why, size_t len)
{
	struct cd_err e;
	const char *p;

	*ace = NULL;
	for (p = host; *p && (unsigned char)*p < 0x80; p++)
		;
	if (*p == '\0')
		return true;
	memset(&e, 0, sizeof(e));
	if (cd_idn_to_ascii(host, ace, &e) == CD_OK)
		return true;
	/* libidn2's reason only: the name itself may hold a bidi override. */
	snprintf(why, len, "Invalid host in redirect target: not a valid "
	    "internationalised domain name (%s)", e.lib != NULL &&
	    strcmp(e.lib, "libidn2") == 0 ? idn2_strerror(e.lib_code) :
	    cd_strerror(e.rc));
	return false;
}

static bool
judge(const struct cd_redirect_ctx *c, CURLU *u, const char *raw,
    struct cd_redirect *out)
{
	char *scheme, *chost, *port, *path, *query, *p, num[8], *zone = NULL;
	char as_sent[256], *ace = NULL;
	const char *host;
	unsigned char v4[4];
	unsigned want;
	bool ok = false;

	if (parts(u, &scheme, &chost, &port, &path, &query) != CD_OK) {
		snprintf(out->why, sizeof(out->why), "Invalid empty host in "
		    "redirect target");
		goto out;
	}
	for (p = chost; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	if (!to_alabel(chost, &ace, out->why, sizeof(out->why)))
		goto out;
	host = ace != NULL ? ace : chost;
	/* libcurl keeps an IPv6 scope zone apart from the host. */
	if (curl_url_get(u, CURLUPART_ZONEID, &zone, 0) == CURLUE_OK) {
		snprintf(out->why, sizeof(out->why), "Invalid host in redirect "
		    "target: contains scope zone");
		goto out;
	}
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
		snprintf(out->why, sizeof(out->why), "Invalid protocol scheme "
		    "in redirect target. Only \"http\" and \"https\" protocol "
		    "schemes are supported, not \"%s\"", scheme);
		goto out;
	}
	out->https = strcmp(scheme, "https") == 0;
	want = out->https ? c->https_port : c->http_port;
	if (port != NULL) {
		out->port = (unsigned)atoi(port);
		if (out->port != c->http_port && out->port != c->https_port) {
			snprintf(out->why, sizeof(out->why), "Invalid port in "
			    "redirect target. Only ports %u and %u are "
			    "supported, not %s", c->http_port, c->https_port,
			    port);
			goto out;
		}
	} else {
		out->port = want;
		snprintf(num, sizeof(num), "%u", want);
		curl_url_set(u, CURLUPART_PORT, want == (out->https ? 443u : 80u) ?
		    NULL : num, 0);
	}
	curl_url_set(u, CURLUPART_HOST, host, 0);
	/* A number libcurl made into an address is a name to the CA. */
	if (inet_pton(AF_INET, host, v4) == 1 &&
	    raw_host(raw, as_sent, sizeof(as_sent)) &&
	    strcasecmp(as_sent, host) != 0) {
		snprintf(out->why, sizeof(out->why), "Invalid host in redirect "
		    "target, must end in IANA registered TLD");
		goto out;
	}
	if (!host_ok(c, host, out->why, sizeof(out->why)))
		goto out;
	if ((path ? strlen(path) : 0) + (query ? strlen(query) + 1 : 0) >
	    MAX_PATH) {
		snprintf(out->why, sizeof(out->why), "Redirect target too long");
		goto out;
	}
	out->host = strdup(host);
	ok = out->host != NULL;
out:
	free(ace);
	curl_free(zone);
	curl_free(scheme);
	curl_free(chost);
	curl_free(port);
	curl_free(path);
	curl_free(query);
	return ok;
}

cd_rc
cd_redirect_check(const struct cd_redirect_ctx *c, long status,
    const char *location, const char *raw, struct cd_redirect *out,
    struct cd_err *err)
{
	CURLU *u = NULL;
	char *url = NULL;
	const char *p;
	cd_rc rc = CD_OK;

	memset(out, 0, sizeof(*out));
	if (status == 303) {
		snprintf(out->why, sizeof(out->why), "received disallowed "
		    "redirect status code");
		return CD_OK;
	}
	if (c->followed >= MAX_REDIRECTS) {
		out->too_many = true;
		snprintf(out->why, sizeof(out->why), "Too many redirects");
		return CD_OK;
	}
	/* libcurl reads "http:///x" as host "x": the CA sees no host. */
	if (raw != NULL && (p = strstr(raw, "://")) != NULL &&
	    (p[3] == '/' || p[3] == '\0' || p[3] == '?' || p[3] == '#')) {
		snprintf(out->why, sizeof(out->why), "Invalid empty host in "
		    "redirect target");
		return CD_OK;
	}
	if ((rc = cd_curl_ready(err)) != CD_OK)
		return rc;
	if ((u = curl_url()) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	if (location == NULL || curl_url_set(u, CURLUPART_URL, location,
	    CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
		snprintf(out->why, sizeof(out->why), "Invalid redirect target "
		    "\"%s\"", location ? location : "");
		goto out;
	}
	if (!judge(c, u, raw, out))
		goto out;
	if (curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK) {
		rc = cd_err_set(err, CD_E_NOMEM, "out of memory");
		goto out;
	}
	if (visited(c, url)) {
		out->loop = true;
		snprintf(out->why, sizeof(out->why), "Redirect loop detected");
		goto out;
	}
	if ((out->url = strdup(url)) == NULL)
		rc = cd_err_set(err, CD_E_NOMEM, "out of memory");
	else
		out->follow = true;
out:
	curl_free(url);
	curl_url_cleanup(u);
	if (!out->follow) {
		free(out->host);
		out->host = NULL;
	}
	return rc;
}
