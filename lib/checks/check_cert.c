/*
 * check_cert.c - certcheck for one remote target: resolve, connect,
 * handshake, judge.  This layer alone decides which operational failure
 * becomes which finding (a refused connection is connect_failed and
 * CRITICAL; a silent DNS server is dns_unreachable and UNKNOWN).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cert_report.h"
#include "certcache.h"
#include "crl.h"
#include "ctx.h"
#include "dane.h"
#include "dns.h"
#include "err.h"
#include "idn.h"
#include "jsonutil.h"
#include "ocsp.h"
#include "protocols.h"
#include "proxy.h"
#include "starttls.h"
#include "timeutil.h"
#include "tls.h"

struct run {
	const struct cd_ctx *ctx;
	struct cd_report *r;
	struct cd_target *t;
	char *host;		/* A-label or IP */
	char *sni;		/* A-label, or NULL for an IP target */
	int64_t deadline;
	int budget_ms;		/* --all-addresses: this address's share */
	struct cd_addrs addrs;	/* the proxy's with --proxy */
	struct cd_addr *used;
	struct cd_proxy *proxy;	/* --proxy, or NULL */
	char *via_host;		/* what CONNECT names: the host, or
				 * --connect-to's */
	uint16_t via_port;
	enum cd_proxy_fail pfail;
	int fd;
	struct cd_tls_info ti;
	struct cd_cert **certs;
	size_t ncerts;
};

/* An operational failure of the check, as a finding. */
static void
failure(struct run *x, const struct cd_err *e, const char *step)
{
	double secs = (x->budget_ms ? x->budget_ms : x->ctx->o.timeout_ms) /
	    1000.0;

	switch (e->rc) {
	case CD_E_DNS:
		cd_report_add(x->r, CD_P_DNS_FAILED, "check the name's A/AAAA "
		    "records at its DNS provider", "%s", e->msg);
		break;
	case CD_E_DNS_UNREACHABLE:
		cd_report_add(x->r, CD_P_DNS_UNREACHABLE, "check "
		    "--dns-server or /etc/resolv.conf", "%s", e->msg);
		break;
	case CD_E_CONNECT:
		cd_report_add(x->r, CD_P_CONNECT_FAILED, "is the server "
		    "running and listening on this port, and does the "
		    "firewall let it through?", "%s", e->msg);
		break;
	case CD_E_TIMEOUT:
		cd_report_add(x->r, CD_P_TIMEOUT, "a firewall dropping "
		    "packets, or a server that accepts but does not answer; "
		    "raise -t if it is only slow",
		    "timeout after %g s during %s: %s", secs, step, e->msg);
		break;
	case CD_E_TLS:
		cd_report_add(x->r, CD_P_TLS_HANDSHAKE_FAILED, "is this a TLS "
		    "port (STARTTLS services need --starttls)?", "%s", e->msg);
		break;
	case CD_OK:
	case CD_E_NOMEM:
	case CD_E_USAGE:
	case CD_E_PARSE:
	case CD_E_HTTP:
	case CD_E_IO:
	case CD_E_INTERNAL:
	case CD_E_CANCELLED:
	case CD_E__LAST:
		cd_report_add(x->r, CD_P_CHECK_ERROR, NULL, "%s: %s", step,
		    e->msg[0] ? e->msg : cd_strerror(e->rc));
		break;
	}
}

static cd_rc
prepare(struct run *x, const char *target, struct cd_err *e)
{
	const struct cd_opts *o = &x->ctx->o;
	cd_rc rc;

	if ((rc = cd_target_parse(target, cd_starttls_port(o->starttls), &x->t,
	    e)) != CD_OK)
		return rc;
	if ((rc = cd_idn_to_ascii(x->t->host, &x->host, e)) != CD_OK)
		return rc;
	if (o->sni != NULL)
		rc = cd_idn_to_ascii(o->sni, &x->sni, e);
	else if (!x->t->host_is_ip && (x->sni = strdup(x->host)) == NULL)
		rc = cd_err_set(e, CD_E_NOMEM, "out of memory");
	if (rc != CD_OK)
		return rc;
	cd_json_setk(x->r->detail, CD_K_HOST, cd_json_str(x->host));
	cd_json_set_unicode(x->r->detail, CD_K_HOST_UNICODE, x->host);
	cd_json_setk(x->r->detail, CD_K_PORT, json_integer(x->t->port));
	cd_json_setk(x->r->detail, CD_K_SNI, cd_json_str(x->sni));
	cd_json_set_unicode(x->r->detail, CD_K_SNI_UNICODE, x->sni);
	if (o->starttls != CD_STARTTLS_NONE)
		cd_json_setk(x->r->detail, CD_K_STARTTLS,
		    cd_json_str(cd_starttls_name(o->starttls)));
	if (o->proxy != NULL) {
		if ((rc = cd_proxy_parse(o->proxy, &x->proxy, e)) != CD_OK)
			return rc;
		cd_json_setk(x->r->detail, CD_K_PROXY,
		    cd_json_str(x->proxy->shown));
	}
	return CD_OK;
}

/* Fill x->addrs from --connect-to, an IP target, or DNS. */
static cd_rc
resolve(struct run *x, struct cd_err *e)
{
	const struct cd_opts *o = &x->ctx->o;
	struct cd_target *ct = NULL;
	struct cd_dns *dns = NULL;
	struct cd_addr a;
	const char *name = x->host;
	char *ace = NULL;
	uint16_t port = x->t->port;
	cd_rc rc;

	if (o->connect_to != NULL) {
		if ((rc = cd_target_parse(o->connect_to, port, &ct, e)) != CD_OK)
			return rc;
		port = ct->port;
		if ((rc = cd_idn_to_ascii(ct->host, &ace, e)) != CD_OK)
			goto out;
		name = ace;
	}
	/*
	 * Through a proxy the proxy resolves the server's name, as it does
	 * for a browser behind it; ours resolves the proxy's only.
	 */
	if (x->proxy != NULL) {
		x->via_port = port;
		if ((x->via_host = strdup(name)) == NULL) {
			rc = cd_err_set(e, CD_E_NOMEM, "out of memory");
			goto out;
		}
		name = x->proxy->host;
		port = x->proxy->port;
	}
	if (cd_addr_from_ip(name, port, &a)) {
		rc = cd_addrs_add(&x->addrs, (struct sockaddr *)&a.ss, a.len);
		cd_addrs_filter(&x->addrs, o->family);
		if (rc == CD_OK && x->addrs.n == 0)
			rc = cd_err_set(e, CD_E_CONNECT, "%s is not an IPv%d "
			    "address", name, o->family);
		goto out;
	}
	if ((rc = cd_dns_new(o->dns_servers, o->timeout_ms, &dns, e)) != CD_OK)
		goto out;
	rc = cd_dns_addrs(dns, name, o->family, port, x->deadline, &x->addrs,
	    e);
out:
	cd_dns_free(dns);
	cd_target_free(ct);
	free(ace);
	return rc;
}

/* The first address that accepts, as a client would. */
static cd_rc
connect_any(struct run *x, struct cd_err *e)
{
	size_t i;
	cd_rc rc = CD_E_CONNECT;

	for (i = 0; i < x->addrs.n; i++) {
		if (x->proxy != NULL) {
			rc = cd_proxy_tunnel(x->proxy, &x->addrs.a[i],
			    x->via_host, x->via_port, x->deadline, &x->fd,
			    &x->pfail, e);
			if (rc == CD_OK) {
				x->used = &x->addrs.a[i];
				return CD_OK;
			}
			if (x->pfail != CD_PROXY_UNREACHABLE)
				break;
			continue;
		}
		rc = cd_net_connect(&x->addrs.a[i], x->deadline, &x->fd, e);
		if (rc == CD_OK) {
			x->used = &x->addrs.a[i];
			cd_json_setk(x->r->detail, CD_K_ADDRESS,
			    cd_json_str(x->used->text));
			return CD_OK;
		}
		if (rc != CD_E_CONNECT)
			break;
	}
	return rc;
}

/*
 * The server as messages name it: its address, or through a proxy the
 * name the proxy was asked for (the proxy's address would mislead).
 */
static char *
where(const struct run *x, char *buf, size_t len)
{
	if (x->proxy == NULL)
		return cd_addr_fmt(x->used, buf, len);
	snprintf(buf, len, strchr(x->via_host, ':') ? "[%s]:%u via %s" :
	    "%s:%u via %s", x->via_host, x->via_port, x->proxy->shown);
	return buf;
}

/*
 * A tunnel that could not be made.  The proxy's own failures are
 * proxy_failed (UNKNOWN: the server was not checked); a proxy that
 * could not reach the server, or a stall, is the server's finding, as
 * without a proxy.
 */
static void
proxy_failure(struct run *x, const struct cd_err *e)
{
	const char *hint;

	switch (x->pfail) {
	case CD_PROXY_NO_ROUTE:
		cd_report_add(x->r, CD_P_CONNECT_FAILED, "the proxy could not "
		    "connect to the server: is it running and listening on "
		    "this port, and may the proxy reach it?", "%s", e->msg);
		return;
	case CD_PROXY_TIMEOUT:
		failure(x, e, "CONNECT through the proxy");
		return;
	case CD_PROXY_REFUSED:
		/* tinyproxy answers 401 where RFC 9110 says 407. */
		hint = strstr(e->msg, "answered 407") ||
		    strstr(e->msg, "answered 401") ? "the proxy wants "
		    "credentials: --proxy=http://USER:PASSWORD@HOST:PORT" :
		    "the proxy's rules refuse this server or port (squid "
		    "SSL_ports, tinyproxy ConnectPort)";
		break;
	case CD_PROXY_UNREACHABLE:
		hint = "is the proxy running, and are --proxy's host and port "
		    "right?";
		break;
	case CD_PROXY_OK:
	case CD_PROXY_BAD_ANSWER:
	default:
		hint = "is --proxy an HTTP proxy (not SOCKS, not a TLS port)?";
		break;
	}
	cd_report_add(x->r, CD_P_PROXY_FAILED, hint, "%s", e->msg);
}

/*
 * --starttls: the plaintext preamble before the handshake.  A refusal
 * and a peer that does not speak the protocol are findings of their own;
 * a stall is a timeout naming the step.
 */
static cd_rc
starttls(struct run *x, struct cd_err *e)
{
	const char *proto = cd_starttls_name(x->ctx->o.starttls);
	char step[32], at[320], hint[160];
	struct cd_err t;
	bool refused;
	cd_rc rc;

	if (proto == NULL)
		return CD_OK;
	rc = cd_starttls(x->fd, x->ctx->o.starttls, x->sni ? x->sni : x->host,
	    x->deadline, &refused, e);
	if (rc == CD_OK)
		return CD_OK;
	where(x, at, sizeof(at));
	if (rc != CD_E_TLS) {
		snprintf(step, sizeof(step), "STARTTLS (%s)", proto);
		cd_err_set(&t, rc, "%s: %s", at, e->msg);
		failure(x, &t, step);
	} else if (refused) {
		cd_report_add(x->r, CD_P_STARTTLS_REFUSED, "the server's "
		    "answer says why; to offer STARTTLS it needs TLS enabled, "
		    "with a certificate and key",
		    "%s (%s): %s", at, proto, e->msg);
	} else {
		snprintf(hint, sizeof(hint), "is this the %s port of the "
		    "server, and is %s the protocol it speaks there?", proto,
		    proto);
		cd_report_add(x->r, CD_P_STARTTLS_FAILED, hint, "%s (%s): %s",
		    at, proto, e->msg);
	}
	return rc;
}

static cd_rc
decode(struct run *x, struct cd_err *e)
{
	size_t i;
	cd_rc rc;

	if ((x->certs = calloc(x->ti.ncerts, sizeof(*x->certs))) == NULL)
		return cd_err_set(e, CD_E_NOMEM, "out of memory");
	for (i = 0; i < x->ti.ncerts; i++) {
		/* A leaf is new; what follows it comes again (certcache.c). */
		rc = cd_certcache_decode(i > 0 ? x->ctx->certcache : NULL,
		    x->ti.certs[i].data, x->ti.certs[i].len, &x->certs[i], e);
		if (rc != CD_OK)
			return rc;
		x->ncerts++;
	}
	return CD_OK;
}

static void
add_tls_detail(struct run *x)
{
	json_t *tls = json_object();

	if (tls == NULL)
		return;
	cd_json_setk(tls, CD_K_VERSION, cd_json_str(x->ti.version));
	cd_json_setk(tls, CD_K_CIPHER, cd_json_str(x->ti.cipher));
	cd_json_setk(x->r->detail, CD_K_TLS, tls);
	cd_json_setk(x->r->detail, CD_K_HANDSHAKE_TIME,
	    json_real(x->ti.handshake_s));
}

static cd_rc
judge(struct run *x, struct cd_err *e)
{
	struct cd_cert_input in;
	const struct cd_cert *issuer = NULL;
	double zero = 0;
	bool trusted = false;
	cd_rc rc;

	memset(&in, 0, sizeof(in));
	in.certs = x->certs;
	in.n = x->ncerts;
	in.name = x->sni ? x->sni : x->host;
	in.custom_trust = x->ctx->o.cafile != NULL;
	in.trusted = &trusted;
	in.deadline = x->deadline;
	in.ctlogs = x->ctx->ctlogs;
	if ((rc = cd_ctx_trust(x->ctx, &in.trust, e)) != CD_OK ||
	    (rc = cd_cert_report(&x->ctx->o, &in, x->r, e)) != CD_OK)
		return rc;
	if (x->ncerts > 1 && cd_cert_issued_by(x->certs[0], x->certs[1]))
		issuer = x->certs[1];
	cd_ocsp_judge(x->ti.ocsp.data, x->ti.ocsp.len, x->certs[0], issuer,
	    x->ctx->o.now ? x->ctx->o.now : time(NULL), x->r);
	if (x->ctx->o.crl)
		cd_crl_judge(x->ctx, x->certs[0], issuer, trusted, x->deadline,
		    x->ctx->o.now ? x->ctx->o.now : time(NULL), x->r);
	if (x->ctx->o.dane != CD_DANE_OFF && !x->t->host_is_ip)
		cd_dane_judge(x->ctx, x->host, x->t->port, &x->ti, x->deadline,
		    x->r);
	else if (x->ctx->o.dane != CD_DANE_OFF)
		cd_report_note(x->r, "DANE: an IP address has no TLSA "
		    "records");
	cd_report_perf(x->r, "handshake_time", x->ti.handshake_s, "s", NULL,
	    NULL, &zero);
	if (x->ctx->o.starttls != CD_STARTTLS_NONE && x->r->ok_summary)
		cd_report_ok_summary(x->r, "%s (STARTTLS %s)",
		    x->r->ok_summary, cd_starttls_name(x->ctx->o.starttls));
	return x->r->oom ? cd_err_set(e, CD_E_NOMEM, "out of memory") : CD_OK;
}

/*
 * Each --protocols probe makes the same tunnel (its connection is to
 * the proxy) and speaks the same STARTTLS preamble first.
 */
static cd_rc
probe_pre(void *arg, int fd, int64_t deadline, struct cd_err *e)
{
	const struct run *x = arg;
	enum cd_proxy_fail f;
	bool refused;
	cd_rc rc;

	if (x->proxy != NULL && (rc = cd_proxy_connect_on(fd, x->proxy,
	    x->via_host, x->via_port, deadline, &f, e)) != CD_OK)
		return rc;
	if (x->ctx->o.starttls == CD_STARTTLS_NONE)
		return CD_OK;
	return cd_starttls(fd, x->ctx->o.starttls, x->sni ? x->sni : x->host,
	    deadline, &refused, e);
}

/*
 * --protocols: which versions the server at x->used accepts, after the
 * check's own handshake (whose version is known, not probed again).
 */
static void
protocols(struct run *x)
{
	struct cd_probe p[CD_TLS_NVERSIONS];
	enum cd_tls_version v;
	json_t *o = json_object();
	char accepted[2][32] = {"", ""};	/* 1.0/1.1, then 1.2/1.3 */
	const char *old = accepted[0], *modern = accepted[1];
	char at[320];

	where(x, at, sizeof(at));
	cd_tls_probe_versions(x->used, x->sni, cd_tls_version_of(
	    x->ti.version), x->deadline, x->ctx->o.starttls ==
	    CD_STARTTLS_NONE && x->proxy == NULL ? NULL : probe_pre, x, p);
	for (v = CD_TLS_1_0; v < CD_TLS_NVERSIONS; v++) {
		const char *name = cd_tls_version_name(v);
		char *list = accepted[v < CD_TLS_1_2 ? 0 : 1];

		cd_json_set(o, name, p[v].result == CD_PROBE_UNKNOWN ?
		    json_null() : json_boolean(p[v].result ==
		    CD_PROBE_ACCEPTED));
		if (p[v].result == CD_PROBE_ACCEPTED)
			snprintf(list + strlen(list), sizeof(accepted[0]) -
			    strlen(list), "%s%s", *list ? ", " : "", name);
		if (p[v].result == CD_PROBE_UNKNOWN)
			cd_report_add(x->r, CD_P_TLS_PROBE_FAILED, "run again, "
			    "or with a longer -t; a firewall or connection "
			    "limit may be in the way", "cannot tell whether "
			    "%s accepts %s: %s failed: %s", x->proxy ? at :
			    x->used->text, name, p[v].step, p[v].err.msg);
	}
	cd_json_setk(x->r->detail, CD_K_PROTOCOLS, o);
	if (*old)
		cd_report_add(x->r, CD_P_TLS_OLD_PROTOCOL, "allow only TLS "
		    "1.2 and 1.3 (nginx: ssl_protocols TLSv1.2 TLSv1.3; "
		    "Apache: SSLProtocol -all +TLSv1.2 +TLSv1.3)", "the server "
		    "accepts %s, deprecated by RFC 8996%s%s%s", old,
		    *modern ? " (besides " : "", modern, *modern ? ")" : "");
	if (p[CD_TLS_1_2].result == CD_PROBE_REFUSED &&
	    p[CD_TLS_1_3].result == CD_PROBE_REFUSED)
		cd_report_add(x->r, CD_P_TLS_NO_MODERN_PROTOCOL, "enable TLS "
		    "1.2 and 1.3 (and update the TLS library if it has "
		    "neither)", "the server accepts neither TLSv1.2 nor "
		    "TLSv1.3: current browsers and clients refuse to connect");
}

/* The server's refusal, as the words for a finding. */
static void
refusal_text(const struct cd_tls_info *ti, char *buf, size_t len)
{
	if (ti->client_alert >= 0)
		snprintf(buf, len, " (alert '%s')",
		    cd_tls_alert_name(ti->client_alert));
	else if (ti->client_http)
		snprintf(buf, len, " (HTTP 400: %s)", ti->client_sent ?
		    "The SSL certificate error" : "No required SSL certificate "
		    "was sent");
	else
		snprintf(buf, len, " (it closed the connection)");
}

/*
 * A server that demands a client certificate still shows its chain,
 * which is checked; only a certificate given and refused is a failure.
 * Many servers ask without insisting (gnutls-serv, nginx's "optional"):
 * only a refusal counts.
 */
static void
client_cert(struct run *x)
{
	const struct cd_tls_info *ti = &x->ti;
	const char *given = x->ctx->o.client_cert;
	bool refused = ti->client_alert >= 0 || ti->client_closed ||
	    ti->client_http;
	json_t *o;
	char how[96];

	if (!refused && given == NULL)
		return;
	if ((o = json_object()) != NULL) {
		cd_json_setk(o, CD_K_REQUESTED,
		    json_boolean(ti->client_requested));
		cd_json_setk(o, CD_K_SENT, json_boolean(ti->client_sent));
		cd_json_setk(o, CD_K_REFUSED, json_boolean(refused));
		cd_json_setk(x->r->detail, CD_K_CLIENT_CERT, o);
	}
	if (!refused)
		return;
	refusal_text(ti, how, sizeof(how));
	if (!ti->client_sent)
		cd_report_add(x->r, CD_P_CLIENT_CERT_REQUIRED, "give "
		    "--client-cert and --client-key to be served; the chain "
		    "was checked all the same", "the server demands a client "
		    "certificate and refused the connection without one%s",
		    how);
	else
		cd_report_add(x->r, CD_P_TLS_HANDSHAKE_FAILED, "is the client "
		    "certificate issued by a CA the server trusts for clients "
		    "(nginx: ssl_client_certificate), current, and made for "
		    "client authentication?", "the server refused the client "
		    "certificate %s%s", given, how);
}

/* Connect to one of x->addrs, fetch the chain and judge it. */
static cd_rc
check_server(struct run *x, struct cd_err *e)
{
	/*
	 * nginx refuses a missing certificate in HTTP, not in TLS: asked on
	 * the HTTPS port only, where a request is what the server expects.
	 */
	struct cd_tls_client client = {x->ctx->o.client_cert,
	    x->ctx->o.client_key, x->ctx->o.starttls == CD_STARTTLS_NONE &&
	    x->t->port == 443 ? (x->sni ? x->sni : x->host) : NULL};
	cd_rc rc;

	if ((rc = connect_any(x, e)) != CD_OK) {
		if (x->proxy != NULL && rc != CD_E_NOMEM)
			proxy_failure(x, e);
		else
			failure(x, e, "connect");
	} else if ((rc = starttls(x, e)) != CD_OK) {
		/* starttls() made the finding */
	} else if ((rc = cd_tls_fetch_client(x->fd, x->sni, &client,
	    x->deadline, &x->ti, e)) != CD_OK) {
		failure(x, e, "the TLS handshake");
	} else {
		add_tls_detail(x);
		client_cert(x);
		if ((rc = decode(x, e)) != CD_OK)
			failure(x, e, "decoding the certificates");
		else if ((rc = judge(x, e)) != CD_OK)
			failure(x, e, "judging the chain");
		else if (x->ctx->o.protocols)
			protocols(x);
	}
	return rc;
}

/* What one address's check holds; the target's own fields stay. */
static void
server_free(struct run *x)
{
	size_t i;

	for (i = 0; i < x->ncerts; i++)
		cd_cert_free(x->certs[i]);
	free(x->certs);
	x->certs = NULL;
	x->ncerts = 0;
	cd_tls_info_clear(&x->ti);
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
}

static void
run_free(struct run *x)
{
	server_free(x);
	cd_addrs_clear(&x->addrs);
	cd_target_free(x->t);
	cd_proxy_free(x->proxy);
	free(x->via_host);
	free(x->host);
	free(x->sni);
}

/* --all-addresses: an address and the leaf it served (NULL if none). */
struct leaf_seen {
	struct cd_report *r;
	const char *addr;
	char *sha256;
	time_t not_before;
};

static size_t
count_same(const struct leaf_seen *s, size_t n, const char *sha)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (s[i].sha256 != NULL && strcmp(s[i].sha256, sha) == 0)
			c++;
	return c;
}

/*
 * The certificate the name should serve: the one most addresses serve;
 * on a tie (two addresses, two certificates) the one issued last, since
 * the server left behind is the one that missed the renewal.
 */
static const struct leaf_seen *
reference(const struct leaf_seen *s, size_t n)
{
	const struct leaf_seen *ref = NULL;
	size_t i, c, best = 0;

	for (i = 0; i < n; i++) {
		if (s[i].sha256 == NULL)
			continue;
		c = count_same(s, n, s[i].sha256);
		if (ref == NULL || c > best || (c == best &&
		    s[i].not_before > ref->not_before)) {
			ref = &s[i];
			best = c;
		}
	}
	return ref;
}

/* Flag every address whose leaf is not the reference, naming the others. */
static void
compare_leaves(struct leaf_seen *s, size_t n)
{
	const struct leaf_seen *ref = reference(s, n);
	char others[512];
	size_t i, j;

	for (i = 0; ref != NULL && i < n; i++) {
		if (s[i].sha256 == NULL || strcmp(s[i].sha256,
		    ref->sha256) == 0)
			continue;
		others[0] = '\0';
		for (j = 0; j < n; j++)
			if (s[j].sha256 != NULL &&
			    strcmp(s[j].sha256, s[i].sha256) != 0)
				snprintf(others + strlen(others),
				    sizeof(others) - strlen(others),
				    "%s%s (SHA-256 %.16s...)", others[0] ?
				    ", " : "", s[j].addr, s[j].sha256);
		cd_report_add(s[i].r, CD_P_ADDRESS_CERT_DIFFERS, "every "
		    "address of the name must serve the same certificate: a "
		    "forgotten old server (often behind a stale AAAA record) "
		    "never gets the renewed one; deploy it there or remove "
		    "the record", "%s serves another certificate (SHA-256 "
		    "%.16s...) than %s", s[i].addr, s[i].sha256, others);
	}
}

/*
 * --all-addresses: the whole check once per address, each with its own
 * report linked from x->r (which covers the first), and each with a fair
 * share of the target's time left, so one silent address cannot starve
 * the others.
 */
static cd_rc
each_address(struct run *x, struct cd_err *e)
{
	struct leaf_seen *seen = NULL;
	struct cd_report **tail = &x->r->next;
	struct run y;
	json_t *target = json_copy(x->r->detail);	/* host, port, sni */
	size_t i, n = x->addrs.n;
	int64_t now;
	cd_rc rc = CD_OK, worst = CD_OK;

	if (target == NULL || (seen = calloc(n, sizeof(*seen))) == NULL) {
		json_decref(target);
		return cd_err_set(e, CD_E_NOMEM, "out of memory");
	}
	for (i = 0; i < n && worst == CD_OK; i++) {
		y = *x;
		y.addrs.a = &x->addrs.a[i];
		y.addrs.n = 1;
		if (i > 0) {
			y.r = NULL;
			if (cd_report_new(x->r->service, x->r->target, &y.r,
			    e) != CD_OK || json_object_update(y.r->detail,
			    target) != 0) {
				cd_report_free(y.r);
				worst = CD_E_NOMEM;
				break;
			}
			y.r->policy = x->r->policy;
			*tail = y.r;
			tail = &y.r->next;
		}
		if ((y.r->address = strdup(y.addrs.a->text)) == NULL)
			y.r->oom = true;
		cd_json_setk(y.r->detail, CD_K_ADDRESS,
		    cd_json_str(y.addrs.a->text));
		now = cd_now_ms();
		y.deadline = now + (x->deadline > now ?
		    (x->deadline - now) / (int64_t)(n - i) : 0);
		y.budget_ms = (int)(y.deadline - now);
		if ((rc = check_server(&y, e)) == CD_E_NOMEM)
			worst = rc;
		seen[i].r = y.r;
		seen[i].addr = y.addrs.a->text;
		if (y.ncerts > 0 && (seen[i].sha256 =
		    strdup(y.certs[0]->sha256)) == NULL)
			worst = CD_E_NOMEM;
		if (y.ncerts > 0)
			seen[i].not_before = y.certs[0]->not_before;
		server_free(&y);
	}
	if (worst == CD_OK)
		compare_leaves(seen, n);
	for (i = 0; i < n; i++)
		free(seen[i].sha256);
	free(seen);
	json_decref(target);
	return worst;
}

cd_rc
cd_certcheck_run(const struct cd_ctx *ctx, const char *target,
    struct cd_report **out, struct cd_err *err)
{
	struct run x;
	struct cd_report *p;
	struct cd_err e;
	bool oom = false;
	cd_rc rc;

	memset(&x, 0, sizeof(x));
	memset(&e, 0, sizeof(e));
	x.ctx = ctx;
	x.fd = -1;
	x.deadline = cd_deadline_in(ctx->o.timeout_ms);
	if ((rc = cd_report_new("CERT", target, &x.r, err)) != CD_OK)
		return rc;
	x.r->policy = &ctx->policy;
	if ((rc = prepare(&x, target, &e)) != CD_OK) {
		failure(&x, &e, "reading the target");
	} else if ((rc = resolve(&x, &e)) != CD_OK) {
		failure(&x, &e, "name resolution");
	} else if (ctx->o.all_addresses) {
		rc = each_address(&x, &e);
	} else {
		rc = check_server(&x, &e);
	}
	run_free(&x);
	for (p = x.r; p != NULL && !oom; p = p->next)
		oom = p->oom;
	if (rc == CD_E_NOMEM || oom) {
		cd_report_free(x.r);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	*out = x.r;
	return CD_OK;
}
