/*
 * proxy.c - an HTTP CONNECT tunnel (RFC 9110 section 9.3.6) under a
 * deadline.  The proxy is not trusted: its answer is read a byte at a
 * time up to CD_PROXY_MAX_HEAD, so that a proxy that never ends its
 * headers cannot make us read without bound, and so that nothing past
 * the empty line is consumed (an SMTP greeting may follow the 200 in
 * the same segment, and belongs to the STARTTLS preamble).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>
#include <gnutls/gnutls.h>

#include "curl_dl.h"
#include "err.h"
#include "escape.h"
#include "net.h"
#include "proxy.h"
#include "timeutil.h"

/* curl's default proxy port, so that certcheck and libcurl agree. */
#define CD_PROXY_DEFAULT_PORT 1080

void
cd_proxy_free(struct cd_proxy *p)
{
	if (p == NULL)
		return;
	free(p->host);
	if (p->auth != NULL)
		explicit_bzero(p->auth, strlen(p->auth));
	free(p->auth);
	free(p->shown);
	free(p);
}

/* Part of u, or NULL when it is absent; *bad on any other failure. */
static char *
part(CURLU *u, CURLUPart what, unsigned flags, bool *bad)
{
	char *s = NULL;
	CURLUcode c = curl_url_get(u, what, &s, flags);

	if (c == CURLUE_OK)
		return s;
	if (c != CURLUE_NO_USER && c != CURLUE_NO_PASSWORD &&
	    c != CURLUE_NO_PORT && c != CURLUE_NO_QUERY &&
	    c != CURLUE_NO_FRAGMENT)
		*bad = true;
	return NULL;
}

static cd_rc
fill(CURLU *u, struct cd_proxy *p, struct cd_err *err)
{
	char *scheme = NULL, *host = NULL, *port = NULL, *user = NULL,
	    *pass = NULL, *path = NULL, *query = NULL, *frag = NULL, *end;
	bool bad = false;
	unsigned long n = CD_PROXY_DEFAULT_PORT;
	size_t len;
	cd_rc rc = CD_OK;

	scheme = part(u, CURLUPART_SCHEME, 0, &bad);
	host = part(u, CURLUPART_HOST, 0, &bad);
	port = part(u, CURLUPART_PORT, 0, &bad);
	user = part(u, CURLUPART_USER, CURLU_URLDECODE, &bad);
	pass = part(u, CURLUPART_PASSWORD, CURLU_URLDECODE, &bad);
	path = part(u, CURLUPART_PATH, 0, &bad);
	query = part(u, CURLUPART_QUERY, 0, &bad);
	frag = part(u, CURLUPART_FRAGMENT, 0, &bad);
	if (bad || scheme == NULL || host == NULL || *host == '\0') {
		rc = cd_err_set(err, CD_E_USAGE, "not a proxy URL: want "
		    "http://[USER:PASSWORD@]HOST:PORT");
		goto out;
	}
	if (strcmp(scheme, "http") != 0) {
		rc = cd_err_set(err, CD_E_USAGE, "%s proxies are not "
		    "supported: want http://HOST:PORT (an HTTP CONNECT proxy)",
		    scheme);
		goto out;
	}
	if ((path != NULL && strcmp(path, "/") != 0 && *path != '\0') ||
	    query != NULL || frag != NULL) {
		rc = cd_err_set(err, CD_E_USAGE, "a proxy URL has no path, "
		    "query or fragment");
		goto out;
	}
	/*
	 * A name the resolver can take: DNS's 253 octets, printable ASCII
	 * (a Unicode name in its xn-- form).  The error never quotes it: it
	 * may be anything.
	 */
	for (end = host; *end && *end > 0x20 && *end < 0x7f; end++)
		;
	if (*end != '\0' || strlen(host) > 253 + 2) {
		rc = cd_err_set(err, CD_E_USAGE, "the proxy's host is no host "
		    "name or address (ASCII, at most 253 characters; an "
		    "internationalised name in its xn-- form)");
		goto out;
	}
	if (port != NULL && ((n = strtoul(port, &end, 10)) == 0 || n > 65535 ||
	    *end != '\0')) {
		rc = cd_err_set(err, CD_E_USAGE, "port '%s': want 1..65535",
		    port);
		goto out;
	}
	len = strlen(host);
	p->host = host[0] == '[' && len > 2 ? strndup(host + 1, len - 2) :
	    strdup(host);
	p->port = (uint16_t)n;
	if (asprintf(&p->shown, "http://%s:%lu", host, n) < 0)
		p->shown = NULL;
	if (user != NULL && asprintf(&p->auth, "%s:%s", user, pass ? pass :
	    "") < 0)
		p->auth = NULL;
	if (p->host == NULL || p->shown == NULL ||
	    (user != NULL && p->auth == NULL))
		rc = cd_err_set(err, CD_E_NOMEM, "out of memory");
out:
	if (pass != NULL)
		explicit_bzero(pass, strlen(pass));
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(user);
	curl_free(pass);
	curl_free(path);
	curl_free(query);
	curl_free(frag);
	return rc;
}

cd_rc
cd_proxy_parse(const char *url, struct cd_proxy **out, struct cd_err *err)
{
	struct cd_proxy *p;
	CURLU *u;
	cd_rc rc;

	if ((rc = cd_curl_ready(err)) != CD_OK)
		return rc;
	if ((p = calloc(1, sizeof(*p))) == NULL || (u = curl_url()) == NULL) {
		free(p);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	/* No scheme guessing: "proxy:3128" must not become a path. */
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) !=
	    CURLUE_OK)
		rc = cd_err_set(err, CD_E_USAGE, "not a proxy URL: want "
		    "http://[USER:PASSWORD@]HOST:PORT");
	else
		rc = fill(u, p, err);
	curl_url_cleanup(u);
	if (rc != CD_OK) {
		cd_proxy_free(p);
		return rc;
	}
	*out = p;
	return CD_OK;
}

/*
 * Copy s into out[0..len), cut if need be before a character, never in
 * the middle of one: the reason is shown to people as UTF-8.
 */
static void
utf8_copy(char *out, size_t len, const char *s)
{
	size_t n = strlen(s), i, want;
	unsigned char c;

	if (n >= len) {
		n = len - 1;
		/* Back to the lead byte of the last character kept. */
		for (i = n; i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80;
		    i--)
			;
		if (i > 0) {
			c = (unsigned char)s[i - 1];
			want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
			if (n - (i - 1) < want)
				n = i - 1;
		}
	}
	memcpy(out, s, n);
	out[n] = '\0';
}

cd_rc
cd_proxy_head_parse(const char *head, size_t len, int *status,
    char *reason, size_t rlen, struct cd_err *err)
{
	const char *eol, *r;
	char *shown;
	size_t n;
	int st = 0, i;

	eol = memchr(head, '\n', len);
	n = eol ? (size_t)(eol - head) : len;
	if (n > 0 && head[n - 1] == '\r')
		n--;
	/* "HTTP/1.x SSS[ reason]": the status is three digits. */
	if (n < 12 || memcmp(head, "HTTP/1.", 7) != 0 || head[7] < '0' ||
	    head[7] > '9' || head[8] != ' ')
		return cd_err_set(err, CD_E_PARSE, "not an HTTP/1.x status "
		    "line");
	for (i = 9; i < 12; i++) {
		if (head[i] < '0' || head[i] > '9')
			return cd_err_set(err, CD_E_PARSE, "no status code in "
			    "the status line");
		st = st * 10 + (head[i] - '0');
	}
	if (n > 12 && head[12] != ' ')
		return cd_err_set(err, CD_E_PARSE, "no status code in the "
		    "status line");
	if (st < 100)
		return cd_err_set(err, CD_E_PARSE, "status %03d", st);
	r = n > 13 ? head + 13 : "";
	if ((shown = cd_escape(r, n > 13 ? n - 13 : 0)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	if (rlen > 0)
		utf8_copy(reason, rlen, shown);
	free(shown);
	*status = st;
	return CD_OK;
}

static cd_rc
send_all(int fd, const char *s, size_t len, int64_t deadline,
    struct cd_err *err)
{
	ssize_t w;
	cd_rc rc;

	while (len > 0) {
		w = send(fd, s, len, MSG_NOSIGNAL);
		if (w > 0) {
			s += w;
			len -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR)
			return cd_err_set(err, CD_E_IO, "send: %s",
			    strerror(errno));
		if ((rc = cd_net_wait(fd, true, deadline, err)) != CD_OK)
			return rc;
	}
	return CD_OK;
}

/* The CONNECT request; *out is the caller's to free (it may hold the
 * password). */
static cd_rc
request(const struct cd_proxy *p, const char *host, uint16_t port,
    char **out, struct cd_err *err)
{
	gnutls_datum_t in, b64 = {NULL, 0};
	bool v6 = strchr(host, ':') != NULL;
	int r;

	if (p->auth != NULL) {
		in.data = (unsigned char *)p->auth;
		in.size = (unsigned)strlen(p->auth);
		if ((r = gnutls_base64_encode2(&in, &b64)) < 0)
			return cd_err_lib(err, CD_E_NOMEM, "gnutls", r,
			    "base64: %s", gnutls_strerror(r));
	}
	r = asprintf(out, "CONNECT %s%s%s:%u HTTP/1.1\r\nHost: %s%s%s:%u\r\n"
	    "%s%.*s%s\r\n", v6 ? "[" : "", host, v6 ? "]" : "", port,
	    v6 ? "[" : "", host, v6 ? "]" : "", port,
	    b64.data ? "Proxy-Authorization: Basic " : "", (int)b64.size,
	    b64.data ? (const char *)b64.data : "", b64.data ? "\r\n" : "");
	if (b64.data != NULL) {
		explicit_bzero(b64.data, b64.size);
		gnutls_free(b64.data);
	}
	if (r < 0) {
		*out = NULL;
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	return CD_OK;
}

/*
 * Up to the empty line, a byte at a time (see the top of the file).  A
 * peer whose first bytes are not "HTTP/1." is not waited for.
 */
static cd_rc
read_head(int fd, char *buf, size_t cap, size_t *len, int64_t deadline,
    struct cd_err *err)
{
	size_t n = 0;
	ssize_t r;
	cd_rc rc;

	for (;;) {
		if (n >= 2 && buf[n - 1] == '\n' && (buf[n - 2] == '\n' ||
		    (n >= 3 && buf[n - 2] == '\r' && buf[n - 3] == '\n'))) {
			*len = n;
			return CD_OK;
		}
		if (n == cap)
			return cd_err_set(err, CD_E_PARSE, "the answer's head is "
			    "longer than %zu bytes", cap);
		if (memcmp(buf, "HTTP/1.", n < 7 ? n : 7) != 0)
			return cd_err_set(err, CD_E_PARSE, "the proxy's answer "
			    "is not HTTP (it begins with \\x%02x)",
			    (unsigned char)buf[0]);
		r = recv(fd, buf + n, 1, 0);
		if (r == 1) {
			n++;
			continue;
		}
		if (r == 0)
			return cd_err_set(err, CD_E_PARSE, "the proxy closed "
			    "the connection %s", n ? "in the middle of its "
			    "answer" : "without answering");
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return cd_err_set(err, CD_E_PARSE, "recv: %s",
			    strerror(errno));
		if ((rc = cd_net_wait(fd, false, deadline, err)) != CD_OK)
			return rc;
	}
}

cd_rc
cd_proxy_connect_on(int s, const struct cd_proxy *p, const char *host,
    uint16_t port, int64_t deadline, enum cd_proxy_fail *fail,
    struct cd_err *err)
{
	char *req = NULL, reason[128] = "", where[300];
	char *head = NULL;
	size_t hlen = 0;
	int status = 0;
	struct cd_err e = {0};
	cd_rc rc;

	snprintf(where, sizeof(where), strchr(host, ':') ? "proxy %s, "
	    "CONNECT [%s]:%u" : "proxy %s, CONNECT %s:%u", p->shown, host,
	    port);
	*fail = CD_PROXY_TIMEOUT;
	if ((rc = request(p, host, port, &req, err)) != CD_OK ||
	    (rc = send_all(s, req, strlen(req), deadline, &e)) != CD_OK) {
		if (rc != CD_E_TIMEOUT && rc != CD_E_NOMEM)
			*fail = CD_PROXY_BAD_ANSWER;
		if (rc != CD_E_NOMEM)
			rc = cd_err_set(err, rc, "%s: sending the request: %s",
			    where, e.msg);
		goto out;
	}
	if ((head = malloc(CD_PROXY_MAX_HEAD)) == NULL) {
		rc = cd_err_set(err, CD_E_NOMEM, "out of memory");
		goto out;
	}
	if ((rc = read_head(s, head, CD_PROXY_MAX_HEAD, &hlen, deadline,
	    &e)) != CD_OK) {
		if (rc != CD_E_TIMEOUT)
			*fail = CD_PROXY_BAD_ANSWER;
		rc = cd_err_set(err, rc, "%s: %s", where, rc == CD_E_TIMEOUT ?
		    "no complete answer before the deadline (from the proxy, "
		    "or from the server behind it)" : e.msg);
		goto out;
	}
	if ((rc = cd_proxy_head_parse(head, hlen, &status, reason,
	    sizeof(reason), &e)) != CD_OK) {
		*fail = CD_PROXY_BAD_ANSWER;
		rc = cd_err_set(err, rc, "%s: the proxy's answer is not "
		    "HTTP: %s", where, e.msg);
		goto out;
	}
	if (status < 200 || status > 299) {
		*fail = status >= 500 ? CD_PROXY_NO_ROUTE : CD_PROXY_REFUSED;
		rc = cd_err_set(err, status >= 500 ? CD_E_CONNECT : CD_E_HTTP,
		    "%s: the proxy answered %d%s%s%s", where, status,
		    *reason ? " (" : "", reason, *reason ? ")" : "");
		goto out;
	}
	*fail = CD_PROXY_OK;
out:
	if (req != NULL) {
		explicit_bzero(req, strlen(req));
		free(req);
	}
	free(head);
	return rc;
}

cd_rc
cd_proxy_tunnel(const struct cd_proxy *p, const struct cd_addr *addr,
    const char *host, uint16_t port, int64_t deadline, int *fd,
    enum cd_proxy_fail *fail, struct cd_err *err)
{
	struct cd_err e = {0};
	int s = -1;
	cd_rc rc;

	*fail = CD_PROXY_UNREACHABLE;
	if ((rc = cd_net_connect(addr, deadline, &s, &e)) != CD_OK) {
		if (rc == CD_E_TIMEOUT)
			*fail = CD_PROXY_TIMEOUT;
		return cd_err_set(err, rc == CD_E_TIMEOUT ? CD_E_TIMEOUT :
		    CD_E_CONNECT, "proxy %s: %s", p->shown, e.msg);
	}
	if ((rc = cd_proxy_connect_on(s, p, host, port, deadline, fail,
	    err)) != CD_OK) {
		close(s);
		return rc;
	}
	*fd = s;
	return CD_OK;
}
