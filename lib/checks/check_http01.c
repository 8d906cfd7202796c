/*
 * check_http01.c - http01check for one name: resolve A and AAAA, drop
 * reserved addresses, fetch from the first AAAA and fall back to the first
 * A only when the TCP connect fails, follow redirects only as the CA
 * does, and judge the final answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>

#include "ca_addrs.h"
#include "caview.h"
#include "ctx.h"
#include "dns.h"
#include "err.h"
#include "http01.h"
#include "jsonutil.h"
#include "proxy.h"
#include "redirect.h"
#include "reserved.h"
#include "timeutil.h"
#include "webroot.h"

#define USER_AGENT "Mozilla/5.0 (compatible; certdiag http01check; " \
	"like Let's Encrypt validation server)"
/* The CA gives each TCP connect 10 s. */
#define CONNECT_MS 10000
/* How much of a redirect target the report quotes (the CA quotes all). */
#define URL_SHOW 1024

struct h01 {
	const struct cd_ctx *ctx;
	struct cd_report *r;
	char *ace;
	char *url0;
	char token[64];
	char *expect;		/* key authorization, or NULL */
	int64_t deadline;
	char v6[46], v4[46];	/* the first usable address of each family */
	struct cd_addrs all;	/* every usable address */
};

/* A random base64url token, as an ACME CA makes them (128+ bits). */
static cd_rc
random_token(char *out, size_t len)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789-_";
	unsigned char raw[43];
	size_t i;

	/* 43 characters of 6 bits: 258 bits of entropy. */
	if (len < 44 || gnutls_rnd(GNUTLS_RND_NONCE, raw, sizeof(raw)) < 0)
		return CD_E_INTERNAL;
	for (i = 0; i < 43; i++)
		out[i] = b64[raw[i] & 63];
	out[43] = '\0';
	return CD_OK;
}

/*
 * The addresses to fetch from, as the CA finds them (ca_addrs.c); a
 * failure is this tool's own problem, in the CA's words.
 */
static bool
resolve(struct h01 *x)
{
	/* The stub view keeps the wording its users know: no address. */
	static const struct cd_ca_addrs_how how = {
		CD_P_HTTP01_DNS_ERROR, CD_P_HTTP01_NO_ADDRESS,
		CD_P_HTTP01_NO_ADDRESS, "the CA cannot look up the name: fix "
		"its DNS (the problems below say what)", "publish an A or "
		"AAAA record with the server's public address"
	};
	struct cd_ca_addrs a;

	cd_ca_addrs_resolve(x->ctx, x->ace, 80, x->deadline, &how, x->r, &a);
	memcpy(x->v6, a.v6, sizeof(x->v6));
	memcpy(x->v4, a.v4, sizeof(x->v4));
	x->all = a.all;
	memset(&a.all, 0, sizeof(a.all));
	cd_ca_addrs_clear(&a);
	return x->v6[0] || x->v4[0];
}

/* The address for a redirect target: IPv6 first, as the CA does. */
static bool
redirect_addr(struct h01 *x, const char *host, char *out)
{
	struct cd_dns *dns = NULL;
	struct cd_addrs got = {0};
	size_t i;
	int fam;

	if (host[0] == '[') {
		snprintf(out, 46, "%.*s", (int)strlen(host) - 2, host + 1);
		return true;
	}
	if (cd_ip_reserved(host) || strspn(host, "0123456789.") ==
	    strlen(host)) {
		snprintf(out, 46, "%s", host);
		return true;
	}
	if (cd_caview_mode_of(x->ctx) == CD_CAVIEW_RECURSIVE)
		return cd_ca_addrs_first(x->ctx, host, x->deadline, out);
	if (cd_dns_new(x->ctx->o.dns_servers, x->ctx->o.timeout_ms, &dns,
	    NULL) != CD_OK)
		return false;
	out[0] = '\0';
	for (fam = 6; fam >= 4 && out[0] == '\0'; fam -= 2) {
		if (cd_dns_addrs(dns, host, fam, 80, x->deadline, &got,
		    NULL) != CD_OK)
			continue;
		for (i = 0; i < got.n && out[0] == '\0'; i++)
			if (x->ctx->o.allow_reserved ||
			    cd_ip_reserved(got.a[i].text) == NULL)
				snprintf(out, 46, "%s", got.a[i].text);
		cd_addrs_clear(&got);
	}
	cd_dns_free(dns);
	return out[0] != '\0';
}

static bool
hop_failed(struct cd_h01_attempt *a, const struct cd_http_resp *f,
    const char *url)
{
	static const struct {
		enum cd_http_fail f;
		enum cd_prob code;
		const char *text;
	} map[] = {
		{CD_HTTP_CONNECT_TIMEOUT, CD_P_HTTP01_CONNECT_TIMEOUT,
		    "Timeout during connect (likely firewall problem)"},
		{CD_HTTP_TIMEOUT, CD_P_HTTP01_TIMEOUT, "Timeout after connect "
		    "(your server may be slow or overloaded)"},
		{CD_HTTP_REFUSED, CD_P_HTTP01_CONNECTION_REFUSED,
		    "Connection refused"},
		{CD_HTTP_UNREACHABLE, CD_P_HTTP01_CONNECTION_FAILED,
		    "Network unreachable"},
		{CD_HTTP_RESET, CD_P_HTTP01_CONNECTION_FAILED,
		    "Connection reset by peer"},
		{CD_HTTP_NOT_TLS, CD_P_HTTP01_TLS_ERROR, "Server only speaks "
		    "HTTP, not TLS"},
		{CD_HTTP_TLS_OLD, CD_P_HTTP01_TLS_ERROR, "validation attempt "
		    "was redirected to an HTTPS server that doesn't support "
		    "TLSv1.2 or better. See https://community.letsencrypt.org/"
		    "t/rejecting-sha-1-csrs-and-validation-using-tls-1-0-1-1-"
		    "urls/175144"},
		{CD_HTTP_TLS, CD_P_HTTP01_TLS_ERROR, NULL},
		{CD_HTTP_PROTOCOL, CD_P_HTTP01_CONNECTION_FAILED, NULL},
		{CD_HTTP_CONNECT_OTHER, CD_P_HTTP01_CONNECTION_FAILED,
		    "Error getting validation data"},
		{CD_HTTP_OTHER, CD_P_HTTP01_CONNECTION_FAILED,
		    "Error getting validation data"},
		{CD_HTTP_PROXY, CD_P_PROXY_FAILED, NULL},
		{CD_HTTP_PROXY_NO_ROUTE, CD_P_HTTP01_CONNECTION_FAILED, NULL},
	};
	size_t i;

	for (i = 0; i < CD_ARRAY_LEN(map); i++)
		if (map[i].f == f->fail) {
			a->dial_error = f->fail == CD_HTTP_CONNECT_TIMEOUT ||
			    f->fail == CD_HTTP_REFUSED ||
			    f->fail == CD_HTTP_PROXY_NO_ROUTE ||
			    f->fail == CD_HTTP_UNREACHABLE ||
			    f->fail == CD_HTTP_CONNECT_OTHER;
			return cd_h01_fail(a, map[i].code, "%s: Fetching %s: %s",
			    a->addr, url, map[i].text ? map[i].text :
			    f->detail);
		}
	return true;
}

/* Follow the chain from addr; the attempt holds the outcome. */
static void
fetch(struct h01 *x, const char *addr, struct cd_h01_attempt *a)
{
	struct cd_redirect_ctx rc = {0};
	struct cd_redirect rd;
	struct cd_http_req req = {0};
	struct cd_h01_hop *h;
	char *visited[CD_H01_MAX_HOPS], hopaddr[46];

	snprintf(a->addr, sizeof(a->addr), "%s", addr);
	snprintf(hopaddr, sizeof(hopaddr), "%s", addr);
	rc.http_port = x->ctx->o.http_port;
	rc.https_port = x->ctx->o.https_port;
	rc.allow_reserved = x->ctx->o.allow_reserved;
	rc.visited = visited;
	req.url = x->url0;
	for (;;) {
		h = &a->hops[a->nhops++];
		if ((h->url = strdup(req.url)) == NULL)
			return (void)cd_h01_fail(a, CD_P_CHECK_ERROR, "oom");
		snprintf(h->addr, sizeof(h->addr), "%s", hopaddr);
		visited[rc.nvisited++] = h->url;
		req.addr = hopaddr;
		req.deadline = x->deadline;
		req.connect_timeout_ms = CONNECT_MS;
		req.body_cap = sizeof(a->final.body);
		req.user_agent = USER_AGENT;
		req.proxy = x->ctx->o.proxy;
		cd_http_resp_clear(&a->final);
		if (cd_http_get(&req, &a->final, NULL) != CD_OK)
			return (void)cd_h01_fail(a, CD_P_CHECK_ERROR,
			    "%s: cannot fetch %s", a->addr, h->url);
		a->seconds += a->final.seconds;
		if (!hop_failed(a, &a->final, h->url))
			return;
		h->status = a->final.status;
		/* A hostile Location can be 100 kB: report only its start. */
		if (a->final.location)
			h->location = strndup(a->final.location, URL_SHOW);
		if (!cd_redirect_status_followed(h->status) && h->status != 303)
			break;
		if (cd_redirect_check(&rc, h->status, a->final.location,
		    a->final.location_raw, &rd, NULL) != CD_OK || !rd.follow) {
			/* The CA names the URL it was sent to, not the hop. */
			cd_h01_fail(a, rd.loop ? CD_P_HTTP01_REDIRECT_LOOP :
			    rd.too_many ? CD_P_HTTP01_TOO_MANY_REDIRECTS :
			    CD_P_HTTP01_BAD_REDIRECT, "%s: Fetching %.*s%s: %s",
			    a->addr, URL_SHOW, a->final.location ?
			    a->final.location : h->url, a->final.location &&
			    strlen(a->final.location) > URL_SHOW ? "..." : "",
			    rd.why);
			cd_redirect_clear(&rd);
			return;
		}
		rc.followed++;
		if (!redirect_addr(x, rd.host, hopaddr)) {
			cd_h01_fail(a, CD_P_HTTP01_DNS_ERROR, "%s: Fetching %s: "
			    "DNS problem: no valid A or AAAA records found for "
			    "%s", a->addr, rd.url, rd.host);
			cd_redirect_clear(&rd);
			return;
		}
		free(h->location);
		h->location = rd.url;
		rd.url = NULL;
		req.url = h->location;
		cd_redirect_clear(&rd);
		if (a->nhops == CD_H01_MAX_HOPS)
			return (void)cd_h01_fail(a, CD_P_HTTP01_TOO_MANY_REDIRECTS,
			    "%s: Fetching %s: Too many redirects", a->addr,
			    req.url);
	}
	a->status = a->final.status;
	if (a->final.server)
		a->server = strdup(a->final.server);
	cd_h01_judge(a, x->expect);
}

/* --all-addresses: how the addresses' answers differ. */
static void
discrepancies(struct h01 *x, struct cd_h01_attempt *as, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++) {
		if (as[i].status == as[0].status && as[i].nhops == as[0].nhops &&
		    as[i].failed == as[0].failed)
			continue;
		cd_report_add(x->r, CD_P_HTTP01_ADDRESS_DISCREPANCY, "every "
		    "address of the name must serve the same site: the CA "
		    "picks one, and its other perspectives may pick another",
		    "%s answers %ld after %zu hop(s)%s, but %s answers %ld "
		    "after %zu hop(s)%s", as[0].addr, as[0].status,
		    as[0].nhops, as[0].failed ? " (failing)" : "", as[i].addr,
		    as[i].status, as[i].nhops, as[i].failed ? " (failing)" : "");
		return;
	}
}

static void
run_fetches(struct h01 *x)
{
	struct cd_h01_attempt as[2], *all = NULL, *last = NULL;
	json_t *arr = json_array();
	size_t n = 0, i;
	double zero;

	memset(as, 0, sizeof(as));
	/* The CA: first AAAA; the first A only if that connect failed. */
	if (x->v6[0]) {
		fetch(x, x->v6, &as[n]);
		last = &as[n++];
	}
	if (x->v4[0] && (last == NULL || last->dial_error)) {
		fetch(x, x->v4, &as[n]);
		last = &as[n++];
	}
	for (i = 0; i < n; i++)
		cd_json_push(arr, cd_h01_attempt_json(&as[i]));
	cd_h01_report(x->r, last, x->expect);
	if (x->expect)
		cd_json_setk(x->r->detail, CD_K_BODY_MATCHES,
		    json_boolean(last->body_matches));
	if (x->ctx->o.all_addresses && x->all.n > 0 &&
	    (all = calloc(x->all.n, sizeof(*all))) != NULL) {
		json_t *every = json_array();

		for (i = 0; i < x->all.n; i++) {
			fetch(x, x->all.a[i].text, &all[i]);
			cd_json_push(every, cd_h01_attempt_json(&all[i]));
		}
		discrepancies(x, all, x->all.n);
		cd_json_setk(x->r->detail, CD_K_EVERY_ADDRESS, every);
		for (i = 0; i < x->all.n; i++)
			cd_h01_attempt_clear(&all[i]);
		free(all);
	}
	cd_json_setk(x->r->detail, CD_K_ATTEMPTS, arr);
	zero = 0;
	cd_report_perf(x->r, "time", last->seconds, "s", NULL, NULL, &zero);
	cd_report_perf(x->r, "redirects", (double)(last->nhops ?
	    last->nhops - 1 : 0), "", NULL, NULL, &zero);
	if (!last->failed)
		cd_report_ok_summary(x->r, "%s answered %ld for %s%s",
		    last->addr, last->status, last->hops[last->nhops - 1].url,
		    last->body_matches ? " with the expected content" :
		    x->expect ? "" : " (reachable)");
	for (i = 0; i < n; i++)
		cd_h01_attempt_clear(&as[i]);
}

static cd_rc
prepare(struct h01 *x, const char *domain, struct cd_err *err)
{
	const struct cd_opts *o = &x->ctx->o;
	struct cd_err e;
	bool wild = false;
	char port[8] = "";
	bool v6 = false;

	/* RFC 8738: an IP identifier is fetched at the address itself. */
	if (cd_ip_identifier_parse(domain, &x->ace, &e) == CD_OK)
		v6 = strchr(x->ace, ':') != NULL;
	else if (cd_domain_parse(domain, true, &x->ace, &wild, &e) != CD_OK) {
		cd_report_add(x->r, CD_P_CHECK_ERROR, NULL, "%s", e.msg);
		return CD_E_PARSE;
	}
	if (wild) {
		cd_report_add(x->r, CD_P_HTTP01_WILDCARD, "request the "
		    "wildcard with the dns-01 challenge (certbot --preferred-"
		    "challenges dns, or a DNS plugin)", "%s: http-01 cannot "
		    "validate a wildcard name; only dns-01 can", domain);
		return CD_E_PARSE;
	}
	if (o->token != NULL)
		snprintf(x->token, sizeof(x->token), "%s", o->token);
	else if (random_token(x->token, sizeof(x->token)) != CD_OK)
		return cd_err_set(err, CD_E_INTERNAL, "no random token");
	if (o->http_port != 80)
		snprintf(port, sizeof(port), ":%u", o->http_port);
	if (asprintf(&x->url0, "http://%s%s%s%s/.well-known/acme-challenge/%s",
	    v6 ? "[" : "", x->ace, v6 ? "]" : "", port, x->token) < 0) {
		x->url0 = NULL;
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	if (o->expect != NULL && (x->expect = strdup(o->expect)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	cd_json_setk(x->r->detail, CD_K_IDENTIFIER, cd_json_str(x->ace));
	cd_json_set_unicode(x->r->detail, CD_K_IDENTIFIER_UNICODE, x->ace);
	cd_json_setk(x->r->detail, CD_K_URL, cd_json_str(x->url0));
	cd_json_setk(x->r->detail, CD_K_TOKEN, cd_json_str(x->token));
	if (o->proxy != NULL) {
		struct cd_proxy *p = NULL;

		if (cd_proxy_parse(o->proxy, &p, err) != CD_OK)
			return CD_E_USAGE;
		cd_json_setk(x->r->detail, CD_K_PROXY, cd_json_str(p->shown));
		cd_proxy_free(p);
	}
	return CD_OK;
}

cd_rc
cd_http01check_run(const struct cd_ctx *ctx, const char *domain,
    struct cd_report **out, struct cd_err *err)
{
	struct h01 x;
	struct cd_webroot *w = NULL;
	cd_rc rc;

	memset(&x, 0, sizeof(x));
	x.ctx = ctx;
	x.deadline = cd_deadline_in(ctx->o.timeout_ms);
	if ((rc = cd_report_new("HTTP01", domain, &x.r, err)) != CD_OK)
		return rc;
	x.r->policy = &ctx->policy;
	rc = prepare(&x, domain, err);
	if (rc == CD_OK && ctx->o.webroot != NULL) {
		/* The self-test: what the ACME client would write. */
		if (x.expect == NULL && asprintf(&x.expect, "%s.certdiag-self-"
		    "test", x.token) < 0)
			x.expect = NULL;
		if (x.expect == NULL)
			rc = cd_err_set(err, CD_E_NOMEM, "out of memory");
		else
			rc = cd_webroot_put(ctx->o.webroot, x.token, x.expect,
			    &w, err);
		if (rc != CD_OK)
			goto fail;
	}
	if (rc == CD_OK && resolve(&x))
		run_fetches(&x);
	cd_webroot_remove(w);
	if (rc == CD_OK)
		cd_caview_describe(x.r, ctx);
	rc = x.r->oom ? cd_err_set(err, CD_E_NOMEM, "out of memory") : CD_OK;
	if (rc == CD_OK) {
		*out = x.r;
		x.r = NULL;
	}
fail:
	cd_report_free(x.r);
	cd_addrs_clear(&x.all);
	free(x.ace);
	free(x.url0);
	free(x.expect);
	return rc;
}
