/*
 * http01_judge.c - what the CA concludes from the final response, in its
 * own words, and what Let's Debug would recognise in it (router pages,
 * bot filters, firewalls, plain HTTP on an HTTPS port).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "escape.h"
#include "http01.h"
#include "jsonutil.h"

void
cd_h01_attempt_clear(struct cd_h01_attempt *a)
{
	size_t i;

	for (i = 0; i < a->nhops; i++) {
		free(a->hops[i].url);
		free(a->hops[i].location);
	}
	free(a->message);
	free(a->server);
	cd_http_resp_clear(&a->final);
	memset(a, 0, sizeof(*a));
}

bool
cd_h01_fail(struct cd_h01_attempt *a, enum cd_prob code, const char *fmt, ...)
{
	va_list ap;

	if (a->failed)
		return false;
	a->failed = true;
	a->code = code;
	va_start(ap, fmt);
	if (vasprintf(&a->message, fmt, ap) < 0)
		a->message = NULL;
	va_end(ap);
	return false;
}

/* Length of the UTF-8 white space ending at body[len-1], or 0 (Go's
 * unicode.IsSpace, which the CA trims with). */
static size_t
tail_space(const unsigned char *b, size_t len)
{
	static const unsigned char *const seqs[] = {
		(const unsigned char *)"\xc2\x85", (const unsigned char *)"\xc2\xa0",
		(const unsigned char *)"\xe1\x9a\x80",
		(const unsigned char *)"\xe2\x80\xa8",
		(const unsigned char *)"\xe2\x80\xa9",
		(const unsigned char *)"\xe2\x80\xaf",
		(const unsigned char *)"\xe2\x81\x9f",
		(const unsigned char *)"\xe3\x80\x80",
	};
	size_t i, n;

	if (len == 0)
		return 0;
	if (strchr(" \t\n\v\f\r", b[len - 1]) && b[len - 1] != 0)
		return 1;
	/* U+2000..U+200A: e2 80 80..8a */
	if (len >= 3 && b[len - 3] == 0xe2 && b[len - 2] == 0x80 &&
	    b[len - 1] >= 0x80 && b[len - 1] <= 0x8a)
		return 3;
	for (i = 0; i < CD_ARRAY_LEN(seqs); i++) {
		n = strlen((const char *)seqs[i]);
		if (len >= n && memcmp(b + len - n, seqs[i], n) == 0)
			return n;
	}
	return 0;
}

size_t
cd_h01_trim_len(const unsigned char *body, size_t len)
{
	size_t n;

	while ((n = tail_space(body, len)) > 0)
		len -= n;
	return len;
}

void
cd_h01_judge(struct cd_h01_attempt *a, const char *expect)
{
	const struct cd_http_resp *f = &a->final;
	const char *url = a->nhops ? a->hops[a->nhops - 1].url : "";
	size_t len;
	char *got;

	if (a->failed)
		return;
	if (expect == NULL) {
		if (f->status != 200 && f->status != 404)
			cd_h01_fail(a, CD_P_HTTP01_UNEXPECTED_STATUS,
			    "%s: Invalid response from %s: %ld", a->addr, url,
			    f->status);
		return;
	}
	if (f->status != 200) {
		cd_h01_fail(a, CD_P_HTTP01_BAD_STATUS, "%s: Invalid response "
		    "from %s: %ld", a->addr, url, f->status);
		return;
	}
	/* The CA's %q of the body (a []byte: the same as of a string). */
	if (f->body_len >= CD_H01_CA_BODY) {
		got = cd_go_quote((const char *)f->body, CD_H01_CA_BODY,
		    SIZE_MAX);
		cd_h01_fail(a, CD_P_HTTP01_BODY_TOO_LARGE, "%s: Invalid "
		    "response from %s: %s", a->addr, url, got ? got : "\"\"");
		free(got);
		return;
	}
	len = cd_h01_trim_len(f->body, f->body_len);
	if (len == strlen(expect) && memcmp(f->body, expect, len) == 0) {
		a->body_matches = true;
		return;
	}
	got = cd_go_quote((const char *)f->body, len, SIZE_MAX);
	cd_h01_fail(a, CD_P_HTTP01_BODY_MISMATCH, "%s: The key authorization "
	    "file from the server did not match this challenge. Expected "
	    "\"%s\" (got %s)", a->addr, expect, got ? got : "\"\"");
	free(got);
}

/* Let's Debug's signatures: what the thing answering really is. */
static const struct {
	bool in_server;		/* match the Server header, else the body */
	const char *needle;
	const char *what;
} sigs[] = {
	{true, "micro_httpd", "a router's admin page (port forwarding "
	    "to the wrong device?)"},
	{true, "cisco-IOS", "a Cisco router's web interface"},
	{true, "LANCOM", "a LANCOM router's web interface"},
	{true, "Mini web server 1.0 ZTE corp 2005.", "a ZTE modem's web "
	    "interface"},
	{false, "src=\"/aes.js\"", "nginx testcookie bot protection, which "
	    "the CA cannot pass"},
	{false, "src=\"/aes.min.js\"", "nginx testcookie bot protection, "
	    "which the CA cannot pass"},
	{false, "var a=toNumbers", "nginx testcookie bot protection, which "
	    "the CA cannot pass"},
	{false, "acme-protocol", "a firewall interstitial (Palo Alto) "
	    "blocking the challenge"},
	{false, "The plain HTTP request was sent to HTTPS port", "nginx "
	    "answering plain HTTP on its HTTPS port"},
	{false, "speaking plain HTTP to an SSL-enabled server port", "Apache "
	    "answering plain HTTP on its HTTPS port"},
};

/* What to do, for the failures whose cause is clear from the code. */
static const char *
hint(enum cd_prob code, bool expect)
{
	if (code == CD_P_HTTP01_CONNECT_TIMEOUT)
		return "open TCP port 80 to everyone in the firewall (and "
		    "forward it on the router to the web server): the CA "
		    "validates from several places and publishes no address "
		    "list";
	if (code == CD_P_HTTP01_CONNECTION_REFUSED)
		return "nothing listens on port 80 there: start the web "
		    "server on port 80, or forward port 80 to it";
	if (code == CD_P_PROXY_FAILED)
		return "check --proxy's host, port and credentials "
		    "(http://USER:PASSWORD@HOST:PORT), and that it allows "
		    "CONNECT to port 80 (squid SSL_ports, tinyproxy "
		    "ConnectPort)";
	if (code == CD_P_HTTP01_BAD_REDIRECT)
		return "redirect only to http:// or https:// on the standard "
		    "ports (no port in the Location), or leave "
		    "/.well-known/acme-challenge/ out of the redirect";
	return expect ? "serve the file the ACME client writes under "
	    "/.well-known/acme-challenge/ from port 80, without redirects "
	    "the CA will not follow" : "make /.well-known/acme-challenge/ on "
	    "port 80 reach the web server that serves it (a 404 for an "
	    "unknown token is fine)";
}

/*
 * What a body that is not the key authorization most likely is, when it
 * is a near miss: the common ways a hand-made or misplaced file goes
 * wrong.  NULL when it is none of them.
 */
static const char *
mismatch_hint(const struct cd_h01_attempt *a, const char *expect)
{
	const unsigned char *b = a->final.body;
	size_t len = cd_h01_trim_len(b, a->final.body_len);
	size_t elen = strlen(expect), tlen;
	const char *dot = strchr(expect, '.');

	if (len == elen + 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0 &&
	    memcmp(b + 3, expect, elen) == 0)
		return "the file starts with a UTF-8 byte-order mark (\\ufeff) "
		    "that the editor does not show: save it without one "
		    "(UTF-8 without BOM, or ASCII)";
	if (len > elen && memmem(b, len, expect, elen) != NULL)
		return "the key authorization is there, inside other text (a "
		    "page template, a content filter): serve the file "
		    "exactly as written, as text/plain";
	if (dot == NULL)
		return NULL;
	tlen = (size_t)(dot - expect);
	if (len == tlen && memcmp(b, expect, tlen) == 0)
		return "the file holds the token alone: it must hold the whole "
		    "key authorization, TOKEN.THUMBPRINT, as the ACME client "
		    "gives it";
	if (len > tlen && b[tlen] == '.' && memcmp(b, expect, tlen) == 0)
		return "the token is right but the thumbprint after the '.' is "
		    "another account's: the file was written for another ACME "
		    "account (a staging account, or another ACME client on "
		    "this host); let the client that asked write it";
	return NULL;
}

void
cd_h01_report(struct cd_report *r, const struct cd_h01_attempt *a,
    const char *expect)
{
	const struct cd_http_resp *f = &a->final;
	char body[sizeof(f->body) + 1];
	const char *fix;
	size_t i;

	memcpy(body, f->body, f->body_len);
	body[f->body_len] = '\0';
	for (i = 0; i < CD_ARRAY_LEN(sigs); i++) {
		if (sigs[i].in_server ? (a->server == NULL ||
		    strstr(a->server, sigs[i].needle) == NULL) :
		    strstr(body, sigs[i].needle) == NULL)
			continue;
		cd_report_add(r, CD_P_HTTP01_SUSPICIOUS, "make port 80 reach "
		    "the web server that serves the challenge directory",
		    "%s: the answer looks like %s", a->addr, sigs[i].what);
		break;
	}
	if (!a->failed)
		return;
	fix = a->code == CD_P_HTTP01_BODY_MISMATCH && expect != NULL ?
	    mismatch_hint(a, expect) : NULL;
	cd_report_add(r, a->code, fix ? fix : hint(a->code, expect != NULL),
	    "%s", a->message ? a->message : "http-01 fetch failed");
}

json_t *
cd_h01_attempt_json(const struct cd_h01_attempt *a)
{
	json_t *o = json_object(), *hops = json_array(), *h;
	size_t i;

	if (o == NULL || hops == NULL) {
		json_decref(o);
		json_decref(hops);
		return NULL;
	}
	for (i = 0; i < a->nhops; i++) {
		if ((h = json_object()) == NULL)
			continue;
		cd_json_setk(h, CD_K_URL, cd_json_str(a->hops[i].url));
		cd_json_setk(h, CD_K_ADDRESS, cd_json_str(a->hops[i].addr));
		cd_json_setk(h, CD_K_STATUS, a->hops[i].status ?
		    json_integer(a->hops[i].status) : json_null());
		cd_json_setk(h, CD_K_LOCATION,
		    cd_json_str(a->hops[i].location));
		cd_json_push(hops, h);
	}
	cd_json_setk(o, CD_K_ADDRESS, cd_json_str(a->addr));
	cd_json_setk(o, CD_K_HOPS, hops);
	cd_json_setk(o, CD_K_RESULT, cd_json_str(a->failed ?
	    cd_problem_name(a->code) : "ok"));
	if (a->failed)
		cd_json_setk(o, CD_K_ERROR, cd_json_str(a->message));
	if (a->server)
		cd_json_setk(o, CD_K_SERVER, cd_json_str(a->server));
	return o;
}
