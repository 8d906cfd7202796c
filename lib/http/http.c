/*
 * http.c - one hop with libcurl, the way an ACME CA's validator makes it:
 * no redirect following, no proxy, no keep-alive, no compression, TLS
 * not verified but at least 1.2, the body read up to a cap, and the
 * connection pinned (CURLOPT_RESOLVE) to the address our resolver chose.
 * With req.proxy (--proxy) the pin is CURLOPT_CONNECT_TO instead, which
 * libcurl puts in its CONNECT request: the proxy is asked for the
 * address the CA would use, and never resolves the name itself.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "curl_dl.h"
#include "err.h"
#include "http.h"
#include "timeutil.h"

void
cd_http_resp_clear(struct cd_http_resp *resp)
{
	free(resp->location);
	free(resp->location_raw);
	free(resp->server);
	memset(resp, 0, sizeof(*resp));
}

struct sink {
	struct cd_http_resp *r;
	size_t cap;
	struct cd_buf *big;
};

static size_t
body_cb(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n, room;

	/* cd_buf_add() refuses to pass the cap (and empties the buffer). */
	if (s->big != NULL) {
		if (cd_buf_add(s->big, p, len) == CD_OK)
			return len;
		s->r->truncated = true;
		return 0;
	}
	room = s->cap - s->r->body_len;
	memcpy(s->r->body + s->r->body_len, p, len < room ? len : room);
	s->r->body_len += len < room ? len : room;
	/* Past the cap the rest is never read. */
	if (len > room) {
		s->r->truncated = true;
		return 0;
	}
	return len;
}

static size_t
header_cb(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n, vlen;
	const char *v;

	if (len > 7 && strncasecmp(p, "server:", 7) == 0 &&
	    s->r->server == NULL) {
		for (v = p + 7, vlen = len - 7; vlen && (*v == ' ' ||
		    *v == '\t'); v++, vlen--)
			;
		while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n'))
			vlen--;
		s->r->server = strndup(v, vlen);
	} else if (len > 9 && strncasecmp(p, "location:", 9) == 0) {
		s->r->location_len = len - 9;
		for (v = p + 9, vlen = len - 9; vlen && (*v == ' ' ||
		    *v == '\t'); v++, vlen--)
			;
		while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n'))
			vlen--;
		free(s->r->location_raw);
		s->r->location_raw = strndup(v, vlen < 2048 ? vlen : 2048);
	}
	return len;
}

/*
 * libcurl converts a non-ASCII host to its A-label itself (under a UTF-8
 * locale), after the pin was set under the other form: the pin would
 * miss and libcurl would ask the system resolver.  Callers convert
 * hosts first; a URL that still has one is refused.
 */
static bool
ascii_host(const char *h)
{
	for (; *h; h++)
		if ((unsigned char)*h >= 0x80)
			return false;
	return true;
}

/* libcurl calls this at least once a second: a cancel ends the fetch. */
static int
xfer_cb(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	(void)arg, (void)dt, (void)dn, (void)ut, (void)un;
	return cd_cancelled() ? 1 : 0;
}

/*
 * "host:port:addr" for CURLOPT_RESOLVE, from the URL; with connect_to,
 * "host:port:addr:port" ([addr] for IPv6) for CURLOPT_CONNECT_TO.
 */
static cd_rc
pin(const char *url, const char *addr, bool connect_to, char *out,
    size_t len, struct cd_err *err)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL;
	unsigned char v4[4];
	cd_rc rc = CD_OK;

	if (u == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK)
		rc = cd_err_set(err, CD_E_PARSE, "%s: not a URL", url);
	else if (!ascii_host(host))
		rc = cd_err_set(err, CD_E_PARSE, "%s: the host is not in "
		    "A-label (xn--) form", url);
	else if (host[0] == '[' || inet_pton(AF_INET, host, v4) == 1)
		/*
		 * An address literal: curl connects to it and no resolve
		 * entry can name it ("[::1]:80:..." does not parse).
		 */
		out[0] = '\0';
	else if (addr == NULL)
		out[0] = '\0';	/* the proxy resolves the name */
	else if (connect_to)
		snprintf(out, len, strchr(addr, ':') ? "%s:%s:[%s]:%s" :
		    "%s:%s:%s:%s", host, port, addr, port);
	else
		snprintf(out, len, strchr(addr, ':') ? "%s:%s:[%s]" :
		    "%s:%s:%s", host, port, addr);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

cd_rc
cd_http_url_host(const char *url, char **host, uint16_t *port,
    struct cd_err *err)
{
	CURLU *u;
	char *h = NULL, *p = NULL, *scheme = NULL, *end;
	unsigned long n = 0;
	size_t len;
	cd_rc rc;

	if ((rc = cd_curl_ready(err)) != CD_OK)
		return rc;
	if ((u = curl_url()) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) ||
	    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK || (n = strtoul(p, &end, 10)) == 0 || n > 65535 ||
	    *end != '\0') {
		rc = cd_err_set(err, CD_E_PARSE, "%s: not an HTTP URL", url);
		goto out;
	}
	if (!ascii_host(h)) {
		rc = cd_err_set(err, CD_E_PARSE, "%s: the host is not in "
		    "A-label (xn--) form", url);
		goto out;
	}
	len = strlen(h);
	if (h[0] == '[' && len > 2)
		*host = strndup(h + 1, len - 2);
	else
		*host = strdup(h);
	if (*host == NULL)
		rc = cd_err_set(err, CD_E_NOMEM, "out of memory");
	*port = (uint16_t)n;
out:
	curl_free(scheme);
	curl_free(h);
	curl_free(p);
	curl_url_cleanup(u);
	return rc;
}

static void
classify(CURL *c, CURLcode cc, const char *ebuf, bool proxy,
    struct cd_http_resp *r)
{
	long os = 0;
	curl_off_t conn = 0;

	curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &os);
	curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &conn);
	snprintf(r->detail, sizeof(r->detail), "%s", ebuf[0] ? ebuf :
	    curl_easy_strerror(cc));
	/*
	 * Through a proxy a connect failure is the proxy's: the server's
	 * comes back as the proxy's 5xx answer to CONNECT.
	 */
	if (proxy && r->proxy_status != 0 && (r->proxy_status < 200 ||
	    r->proxy_status > 299))
		r->fail = r->proxy_status >= 500 ? CD_HTTP_PROXY_NO_ROUTE :
		    CD_HTTP_PROXY;
	else if (proxy && (cc == CURLE_COULDNT_CONNECT ||
	    cc == CURLE_COULDNT_RESOLVE_PROXY))
		r->fail = CD_HTTP_PROXY;
	if (r->fail == CD_HTTP_PROXY || r->fail == CD_HTTP_PROXY_NO_ROUTE) {
		snprintf(r->detail, sizeof(r->detail), "through the proxy: "
		    "%s", ebuf[0] ? ebuf : curl_easy_strerror(cc));
		return;
	}
	/* libcurl's enum is not ours to switch over exhaustively. */
	if (cc == CURLE_OPERATION_TIMEDOUT)
		r->fail = conn == 0 ? CD_HTTP_CONNECT_TIMEOUT : CD_HTTP_TIMEOUT;
	else if (cc == CURLE_COULDNT_CONNECT)
		r->fail = os == ECONNREFUSED ? CD_HTTP_REFUSED :
		    os == ENETUNREACH ? CD_HTTP_UNREACHABLE :
		    CD_HTTP_CONNECT_OTHER;
	else if (cc == CURLE_RECV_ERROR || cc == CURLE_SEND_ERROR)
		r->fail = os == ECONNRESET ? CD_HTTP_RESET : CD_HTTP_OTHER;
	else if (cc == CURLE_SSL_CONNECT_ERROR)
		r->fail = strstr(r->detail, "unexpected TLS packet") ||
		    strstr(r->detail, "packet length") ? CD_HTTP_NOT_TLS :
		    CD_HTTP_TLS;
	else if (cc == CURLE_WEIRD_SERVER_REPLY ||
	    cc == CURLE_UNSUPPORTED_PROTOCOL || cc == CURLE_HTTP2 ||
	    cc == CURLE_GOT_NOTHING)
		r->fail = os == ECONNRESET ? CD_HTTP_RESET : CD_HTTP_PROTOCOL;
	else
		r->fail = CD_HTTP_OTHER;
}

static cd_rc
setup(CURL *c, const struct cd_http_req *req, struct curl_slist **hdrs,
    struct curl_slist **res, struct sink *s, char *ebuf, bool old_tls,
    struct cd_err *err)
{
	char entry[600];
	int left = cd_deadline_left_ms(req->deadline);
	int conn = req->connect_timeout_ms < left ? req->connect_timeout_ms :
	    left;
	cd_rc rc;

	if ((rc = pin(req->url, req->addr, req->proxy != NULL, entry,
	    sizeof(entry), err)) != CD_OK)
		return rc;
	if ((entry[0] && (*res = curl_slist_append(NULL, entry)) == NULL) ||
	    (*hdrs = curl_slist_append(NULL, "Accept: */*")) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	curl_easy_setopt(c, CURLOPT_URL, req->url);
	curl_easy_setopt(c, req->proxy ? CURLOPT_CONNECT_TO : CURLOPT_RESOLVE,
	    *res);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, *hdrs);
	curl_easy_setopt(c, CURLOPT_USERAGENT, req->user_agent);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	/* Never the environment's proxy (http_proxy): only --proxy. */
	curl_easy_setopt(c, CURLOPT_PROXY, req->proxy ? req->proxy : "");
	curl_easy_setopt(c, CURLOPT_NOPROXY, req->proxy ? "" : "*");
	curl_easy_setopt(c, CURLOPT_HTTPPROXYTUNNEL, req->proxy ? 1L : 0L);
	curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(conn > 0 ? conn :
	    1));
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(left > 0 ? left : 1));
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(c, CURLOPT_SSLVERSION, old_tls ?
	    (long)(CURL_SSLVERSION_TLSv1_0 | CURL_SSLVERSION_MAX_TLSv1_1) :
	    (long)CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, body_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, xfer_cb);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	return CD_OK;
}

/* One attempt; old_tls asks whether the server would speak TLS < 1.2. */
static cd_rc
attempt(const struct cd_http_req *req, struct cd_http_resp *resp,
    bool old_tls, struct cd_err *err)
{
	CURL *c = curl_easy_init();
	struct curl_slist *hdrs = NULL, *res = NULL;
	struct sink s = {resp, req->body_cap, req->big};
	char ebuf[CURL_ERROR_SIZE] = "", *loc = NULL;
	int64_t start = cd_now_ms();
	CURLcode cc;
	cd_rc rc;

	if (c == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	if ((rc = setup(c, req, &hdrs, &res, &s, ebuf, old_tls, err)) != CD_OK)
		goto out;
	cc = curl_easy_perform(c);
	resp->seconds = (double)(cd_now_ms() - start) / 1000.0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	curl_easy_getinfo(c, CURLINFO_HTTP_CONNECTCODE, &resp->proxy_status);
	if (cc == CURLE_WRITE_ERROR && resp->truncated)
		cc = CURLE_OK;
	if (cc != CURLE_OK) {
		classify(c, cc, ebuf, req->proxy != NULL, resp);
	} else if (curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc) ==
	    CURLE_OK && loc != NULL && (resp->location = strdup(loc)) ==
	    NULL) {
		rc = cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
out:
	curl_slist_free_all(hdrs);
	curl_slist_free_all(res);
	curl_easy_cleanup(c);
	return rc;
}

cd_rc
cd_http_get(const struct cd_http_req *req, struct cd_http_resp *resp,
    struct cd_err *err)
{
	struct cd_http_resp probe;
	cd_rc rc;

	memset(resp, 0, sizeof(*resp));
	if ((rc = cd_curl_ready(err)) != CD_OK)
		return rc;
	if (req->big == NULL && (req->body_cap == 0 ||
	    req->body_cap > sizeof(resp->body)))
		return cd_err_set(err, CD_E_USAGE, "body cap out of range");
	if ((rc = attempt(req, resp, false, err)) != CD_OK)
		return rc;
	/* A TLS failure: would the server have spoken TLS 1.0 or 1.1? */
	if (resp->fail == CD_HTTP_TLS && strncasecmp(req->url, "https:", 6) ==
	    0 && cd_deadline_left_ms(req->deadline) > 0) {
		memset(&probe, 0, sizeof(probe));
		if (attempt(req, &probe, true, NULL) == CD_OK &&
		    probe.fail == CD_HTTP_OK)
			resp->fail = CD_HTTP_TLS_OLD;
		cd_http_resp_clear(&probe);
	}
	return CD_OK;
}
