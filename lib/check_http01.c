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

#include "caview.h"
#include "ctx.h"
#include "dns.h"
#include "dnsmsg.h"
#include "err.h"
#include "http01.h"
#include "jsonutil.h"
#include "nsprobe.h"
#include "redirect.h"
#include "reserved.h"
#include "stubview.h"
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
	int unreachable;	/* families no DNS server answered for */
	json_t *dropped;
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

/* The CA's sentence (bdns) for a failed A or AAAA lookup. */
static void
dns_words(const struct cd_err *e, const char *type, const char *name,
    char *out, size_t len)
{
	const char *why = "";
	const char *what = cd_dns_failure_words(e, &why);

	if (e->rc == CD_E_DNS_UNREACHABLE && what == NULL)
		what = "query timed out";
	if (what != NULL)
		snprintf(out, len, "DNS problem: %s looking up %s for %s%s",
		    what, type, name, why);
	else
		snprintf(out, len, "no valid %s records found for %s", type,
		    name);
}

/*
 * Keep the usable addresses of one family's answer; dns_msg gets the
 * CA's sentence when none is left.
 */
static void
keep_usable(struct h01 *x, int fam, struct cd_addrs *got_in, char *first,
    char *dns_msg, size_t len)
{
	struct cd_addrs got = *got_in;
	const char *why;
	json_t *o;
	size_t i;

	for (i = 0; i < got.n; i++) {
		why = cd_ip_reserved(got.a[i].text);
		if (why != NULL && (o = json_object()) != NULL) {
			cd_json_set(o, "address", cd_json_str(got.a[i].text));
			cd_json_set(o, "reason", cd_json_str(why));
			cd_json_set(o, "kept", json_boolean(
			    x->ctx->o.allow_reserved));
			cd_json_push(x->dropped, o);
		}
		if (why != NULL && !x->ctx->o.allow_reserved)
			continue;
		if (first[0] == '\0')
			snprintf(first, 46, "%s", got.a[i].text);
		cd_addrs_add(&x->all, (struct sockaddr *)&got.a[i].ss,
		    got.a[i].len);
	}
	if (first[0] == '\0')
		snprintf(dns_msg, len, "no valid %s records found for %s",
		    fam == 6 ? "AAAA" : "A", x->ace);
	cd_addrs_clear(&got);
	memset(got_in, 0, sizeof(*got_in));
}

/*
 * Resolve one family; keep the usable addresses.  dns_msg gets the CA's
 * sentence for this family when there is none.
 */
static void
resolve_family(struct h01 *x, struct cd_dns *dns, int fam, char *first,
    char *dns_msg, size_t len)
{
	struct cd_addrs got = {0};
	struct cd_err e;

	if (cd_dns_addrs(dns, x->ace, fam, 80, x->deadline, &got, &e) != CD_OK) {
		dns_words(&e, fam == 6 ? "AAAA" : "A", x->ace, dns_msg, len);
		if (e.rc == CD_E_DNS_UNREACHABLE)
			x->unreachable++;
		return;
	}
	keep_usable(x, fam, &got, first, dns_msg, len);
}

/* One family's answer of the CA's view as addresses on port 80. */
static void
ca_addrs(const struct cd_caview_answer *a, int fam, struct cd_addrs *out)
{
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;
	size_t i;

	for (i = 0; i < a->naddr; i++) {
		if (fam == 6) {
			memset(&s6, 0, sizeof(s6));
			s6.sin6_family = AF_INET6;
			s6.sin6_port = htons(80);
			memcpy(&s6.sin6_addr, a->addr[i], 16);
			cd_addrs_add(out, (struct sockaddr *)&s6, sizeof(s6));
		} else {
			memset(&s4, 0, sizeof(s4));
			s4.sin_family = AF_INET;
			s4.sin_port = htons(80);
			memcpy(&s4.sin_addr, a->addr[i], 4);
			cd_addrs_add(out, (struct sockaddr *)&s4, sizeof(s4));
		}
	}
}

/*
 * resolver_disagrees when the user's resolver gives other addresses
 * than the CA's view (an internal address from split-horizon DNS is the
 * classic), or answers where the CA's lookup fails.
 */
static void
compare_views(struct h01 *x, const struct cd_caview_answer *a,
    char *const *mine)
{
	char *ca, rb[16];
	size_t k;

	for (k = 0; k < 2; k++) {
		if (mine[k] == NULL || !a[k].answered ||
		    (x->ctx->o.family != 0 && x->ctx->o.family != (k ? 4 : 6)))
			continue;
		ca = a[k].rcode == 0 ? cd_addr_list(a[k].addr, a[k].naddr,
		    k ? 4 : 6) : strdup(cd_dns_rcode_name((unsigned)a[k].rcode,
		    rb, sizeof(rb)));
		if (ca != NULL && strcmp(ca, mine[k]) != 0) {
			cd_report_add(x->r, CD_P_RESOLVER_DISAGREES,
			    a[k].dnssec == CD_DNSSEC_BOGUS ? "your resolver "
			    "does not validate DNSSEC: the CA does, and "
			    "refuses" : "split-horizon DNS, a stale cache or a "
			    "forwarder: the CA connects to what the Internet's "
			    "authoritative servers say", "your resolver (%s) "
			    "says %s %s: %s; the CA's resolver says: %s",
			    x->ctx->o.dns_servers ? x->ctx->o.dns_servers :
			    "/etc/resolv.conf", x->ace, k ? "A" : "AAAA",
			    *mine[k] ? mine[k] : "no addresses", *ca ? ca :
			    "no addresses");
			cd_json_set(json_object_get(json_object_get(
			    x->r->detail, "dns"), k ? "A" : "AAAA"),
			    "your_resolver", cd_json_str(mine[k]));
			free(ca);
			return;
		}
		free(ca);
	}
}

/* "dns": per family, what the CA's resolver made of the lookup. */
static void
dnssec_json(struct h01 *x, const struct cd_caview_answer *a)
{
	json_t *d = json_object(), *o;
	char buf[48];
	size_t k;

	for (k = 0; k < 2; k++) {
		if ((o = json_object()) == NULL)
			continue;
		cd_json_set(o, "rcode", a[k].answered ? cd_json_str(
		    cd_dns_rcode_name((unsigned)a[k].rcode, buf,
		    sizeof(buf))) : json_null());
		cd_json_set(o, "addresses", json_integer((json_int_t)
		    a[k].naddr));
		cd_json_set(o, "dnssec", cd_json_str(cd_dnssec_name(
		    a[k].dnssec)));
		if (a[k].why_bogus)
			cd_json_set(o, "why_bogus", cd_json_str(a[k].why_bogus));
		if (a[k].ede >= 0 && a[k].rcode != 0) {
			json_t *e = json_object();

			cd_json_set(e, "code", json_integer(a[k].ede));
			cd_json_set(e, "summary", cd_json_str(cd_ede_summary(
			    a[k].ede, buf, sizeof(buf))));
			cd_json_set(o, "ede", e);
		}
		cd_json_set(d, k == 0 ? "AAAA" : "A", o);
	}
	cd_json_set(x->r->detail, "dns", d);
}

/*
 * A and AAAA as the CA's resolver answers them, both at once.  A lookup
 * that fails there is the CA's DNS error; a validation failure also
 * says which zone and why.
 */
static bool
resolve_ca(struct h01 *x)
{
	const struct cd_opts *o = &x->ctx->o;
	/* The root beside: did the CA's view reach anything at all? */
	const char *names[3] = {x->ace, x->ace, "."};
	static const int types[3] = {CD_DNS_T_AAAA, CD_DNS_T_A, CD_DNS_T_NS};
	struct cd_caview_answer a[3];
	struct cd_caview *v = NULL;
	struct cd_addrs got = {0};
	char msg[2][768] = {"", ""}, *p;
	size_t k, answered = 0, failed = 0;
	struct cd_nsprobe_job *job;
	struct cd_nsprobe *probe;
	struct cd_stubview *stub;
	char *mine[2] = {NULL, NULL};
	struct cd_err e;
	int fam;

	memset(a, 0, sizeof(a));
	if (cd_ctx_caview(x->ctx, true, &v, &e) != CD_OK) {
		cd_report_add(x->r, CD_P_CHECK_ERROR, NULL, "%s", e.msg);
		return false;
	}
	/* The name's servers and the user's resolver are asked while the
	 * CA's resolver works. */
	job = cd_nsprobe_start(x->ctx, x->ace, o->family == 4 ? CD_DNS_T_A :
	    CD_DNS_T_AAAA, x->deadline);
	stub = cd_stubview_start(x->ctx, x->ace, cd_deadline_in(2000) <
	    x->deadline ? cd_deadline_in(2000) : x->deadline);
	if (cd_caview_query_types(v, names, types, 0, 3, x->deadline, a,
	    &e) != CD_OK) {
		cd_report_add(x->r, CD_P_CHECK_ERROR, NULL, "%s", e.msg);
		cd_nsprobe_free(cd_nsprobe_join(job));
		cd_stubview_join(stub, &mine[0], &mine[1]);
		free(mine[0]);
		free(mine[1]);
		return false;
	}
	for (k = 0; k < 2; k++) {
		fam = k == 0 ? 6 : 4;
		if (o->family != 0 && o->family != fam)
			continue;
		answered += a[k].answered && a[k].rcode != 2;
		if (a[k].answered && a[k].rcode == 0) {
			ca_addrs(&a[k], fam, &got);
			keep_usable(x, fam, &got, fam == 6 ? x->v6 : x->v4,
			    msg[k], sizeof(msg[k]));
			continue;
		}
		failed++;
		p = cd_dns_problem(fam == 6 ? "AAAA" : "A", x->ace,
		    a[k].timed_out, !a[k].answered, a[k].rcode, a[k].ede,
		    a[k].ede_text);
		snprintf(msg[k], sizeof(msg[k]), "DNS problem: %s", p ? p : "");
		free(p);
	}
	if (!x->v6[0] && !x->v4[0]) {
		if (answered == 0 && !(a[2].answered && a[2].rcode == 0))
			cd_report_add(x->r, CD_P_CA_VIEW_UNAVAILABLE, "this host "
			    "must reach the Internet's DNS servers on port 53 "
			    "(UDP and TCP); behind a firewall, use --no-ca-view "
			    "or --dns-server", "%s: the CA's view of DNS could "
			    "not be made: no root or authoritative server "
			    "answered", x->ace);
		else
			cd_report_add(x->r, failed ? CD_P_HTTP01_DNS_ERROR :
			    CD_P_HTTP01_NO_ADDRESS, failed ? "the CA cannot "
			    "look up the name: fix its DNS (the problems "
			    "below say what)" : "publish an A or AAAA record "
			    "with the server's public address", "%s%s%s",
			    msg[1], msg[1][0] && msg[0][0] ? "; " : "", msg[0]);
	}
	for (k = 0; k < 2; k++) {
		if (a[k].dnssec == CD_DNSSEC_BOGUS)
			cd_caview_bogus(x->r, k == 0 ? "AAAA" : "A", x->ace,
			    a[k].ede, a[k].why_bogus);
		if (a[k].dnssec == CD_DNSSEC_BOGUS)
			break;
	}
	dnssec_json(x, a);
	cd_stubview_join(stub, &mine[0], &mine[1]);
	compare_views(x, a, mine);
	free(mine[0]);
	free(mine[1]);
	if ((probe = cd_nsprobe_join(job)) != NULL)
		cd_nsprobe_report(probe, !x->v6[0] && !x->v4[0] && failed > 0,
		    x->r);
	cd_nsprobe_free(probe);
	for (k = 0; k < 3; k++)
		cd_caview_answer_clear(&a[k]);
	return x->v6[0] || x->v4[0];
}

static bool
resolve(struct h01 *x)
{
	const struct cd_opts *o = &x->ctx->o;
	struct cd_dns *dns = NULL;
	struct cd_err e;
	char m6[256] = "", m4[256] = "";

	if (cd_caview_mode_of(x->ctx) == CD_CAVIEW_RECURSIVE)
		return resolve_ca(x);

	if (cd_dns_new(o->dns_servers, o->timeout_ms, &dns, &e) != CD_OK) {
		cd_report_add(x->r, CD_P_CHECK_ERROR, NULL, "%s", e.msg);
		return false;
	}
	if (o->family != 4)
		resolve_family(x, dns, 6, x->v6, m6, sizeof(m6));
	if (o->family != 6)
		resolve_family(x, dns, 4, x->v4, m4, sizeof(m4));
	cd_dns_free(dns);
	if (x->v6[0] || x->v4[0])
		return true;
	/* Nobody answered at all: we cannot tell what the CA would see. */
	if (x->unreachable == (o->family ? 1 : 2)) {
		cd_report_add(x->r, CD_P_DNS_UNREACHABLE, "check --dns-server "
		    "or /etc/resolv.conf", "%s: no DNS server answered", x->ace);
		return false;
	}
	cd_report_add(x->r, CD_P_HTTP01_NO_ADDRESS, "publish an A or AAAA "
	    "record with the server's public address", "%s%s%s", m4,
	    m4[0] && m6[0] ? "; " : "", m6);
	return false;
}

/* A redirect target's first usable address in the CA's view. */
static bool
redirect_addr_ca(struct h01 *x, const char *host, char *out)
{
	const char *names[2] = {host, host};
	static const int types[2] = {CD_DNS_T_AAAA, CD_DNS_T_A};
	struct cd_caview_answer a[2];
	struct cd_caview *v = NULL;
	struct cd_addrs got = {0};
	size_t k, i;

	out[0] = '\0';
	memset(a, 0, sizeof(a));
	if (cd_ctx_caview(x->ctx, true, &v, NULL) != CD_OK)
		return false;
	if (cd_caview_query_types(v, names, types, 0, 2, x->deadline, a,
	    NULL) == CD_OK)
		for (k = 0; k < 2 && out[0] == '\0'; k++) {
			if (!a[k].answered || a[k].rcode != 0)
				continue;
			ca_addrs(&a[k], k == 0 ? 6 : 4, &got);
			for (i = 0; i < got.n && out[0] == '\0'; i++)
				if (x->ctx->o.allow_reserved ||
				    cd_ip_reserved(got.a[i].text) == NULL)
					snprintf(out, 46, "%s", got.a[i].text);
			cd_addrs_clear(&got);
		}
	for (k = 0; k < 2; k++)
		cd_caview_answer_clear(&a[k]);
	return out[0] != '\0';
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
		return redirect_addr_ca(x, host, out);
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
	};
	size_t i;

	for (i = 0; i < CD_ARRAY_LEN(map); i++)
		if (map[i].f == f->fail) {
			a->dial_error = f->fail == CD_HTTP_CONNECT_TIMEOUT ||
			    f->fail == CD_HTTP_REFUSED ||
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
		cd_json_set(x->r->detail, "body_matches",
		    json_boolean(last->body_matches));
	if (x->ctx->o.all_addresses && x->all.n > 0 &&
	    (all = calloc(x->all.n, sizeof(*all))) != NULL) {
		json_t *every = json_array();

		for (i = 0; i < x->all.n; i++) {
			fetch(x, x->all.a[i].text, &all[i]);
			cd_json_push(every, cd_h01_attempt_json(&all[i]));
		}
		discrepancies(x, all, x->all.n);
		cd_json_set(x->r->detail, "every_address", every);
		for (i = 0; i < x->all.n; i++)
			cd_h01_attempt_clear(&all[i]);
		free(all);
	}
	cd_json_set(x->r->detail, "attempts", arr);
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

	if (cd_domain_parse(domain, true, &x->ace, &wild, &e) != CD_OK) {
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
	if (asprintf(&x->url0, "http://%s%s/.well-known/acme-challenge/%s",
	    x->ace, port, x->token) < 0) {
		x->url0 = NULL;
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	if (o->expect != NULL && (x->expect = strdup(o->expect)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	cd_json_set(x->r->detail, "identifier", cd_json_str(x->ace));
	cd_json_set_unicode(x->r->detail, "identifier", x->ace);
	cd_json_set(x->r->detail, "url", cd_json_str(x->url0));
	cd_json_set(x->r->detail, "token", cd_json_str(x->token));
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
	x.dropped = json_array();
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
	if (ctx->o.allow_reserved)
		cd_json_set(x.r->detail, "lab_mode", json_true());
	if (json_array_size(x.dropped) > 0)
		cd_json_set(x.r->detail, "reserved_addresses", x.dropped);
	else
		json_decref(x.dropped);
	x.dropped = NULL;
	rc = x.r->oom ? cd_err_set(err, CD_E_NOMEM, "out of memory") : CD_OK;
	if (rc == CD_OK) {
		*out = x.r;
		x.r = NULL;
	}
fail:
	cd_report_free(x.r);
	json_decref(x.dropped);
	cd_addrs_clear(&x.all);
	free(x.ace);
	free(x.url0);
	free(x.expect);
	return rc;
}
