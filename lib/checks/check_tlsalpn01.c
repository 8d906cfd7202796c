/*
 * check_tlsalpn01.c - tlsalpn01check for one name: resolve A and AAAA as
 * the CA does, drop reserved addresses, connect to the first AAAA and
 * fall back to the first A after any failure to get a certificate
 * there, make the CA's handshake (TLS 1.2+, ALPN acme-tls/1, SNI = the
 * name, no verification) and judge what comes back.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "ca_addrs.h"
#include "caview.h"
#include "cert_report.h"
#include "ctx.h"
#include "err.h"
#include "jsonutil.h"
#include "net.h"
#include "timeutil.h"
#include "tls.h"
#include "tlsalpn.h"
#include "x509.h"

/* The CA gives each dial, TCP connect and handshake together, 10 s. */
#define DIAL_MS 10000

struct ta {
	const struct cd_ctx *ctx;
	struct cd_report *r;
	char *ace;		/* the identifier: a name or an IP address */
	char sni[80];		/* the name, or an address's reverse name */
	const char *keyauth;	/* or NULL */
	unsigned port;
	int64_t deadline;
	char v6[46], v4[46];	/* the first usable address of each family */
};

/* One connection and handshake; on failure, the CA's words for it. */
struct attempt {
	char addr[46];
	struct cd_tls_info ti;
	bool got_cert;		/* the handshake gave a certificate */
	enum cd_prob code;	/* the failure's code when !got_cert */
	char msg[512];		/* the CA's sentence when !got_cert */
	char detail[256];	/* what certdiag saw, for the hint */
	double seconds;
};

/* ------------------------------------------------------------------ */
/* Addresses, as the CA's resolver gives them.                          */

static bool
resolve(struct ta *x)
{
	static const struct cd_ca_addrs_how how = {
		CD_P_TLSALPN01_DNS_ERROR, CD_P_TLSALPN01_DNS_ERROR,
		CD_P_TLSALPN01_DNS_ERROR, "the CA cannot find an address to "
		"connect to: publish an A or AAAA record with the server's "
		"public address, and fix the DNS errors named here",
		"the CA cannot find an address to connect to: publish an A or "
		"AAAA record with the server's public address"
	};
	struct cd_ca_addrs a;

	cd_ca_addrs_resolve(x->ctx, x->ace, (uint16_t)x->port, x->deadline,
	    &how, x->r, &a);
	memcpy(x->v6, a.v6, sizeof(x->v6));
	memcpy(x->v4, a.v4, sizeof(x->v4));
	cd_ca_addrs_clear(&a);
	return x->v6[0] || x->v4[0];
}

/* ------------------------------------------------------------------ */
/* The connection.                                                      */

/* Go's text for a TLS alert, as the CA's message quotes it. */
static const char *
go_alert(int a)
{
	switch (a) {
	case 10: return "unexpected message";
	case 20: return "bad record MAC";
	case 22: return "record overflow";
	case 40: return "handshake failure";
	case 42: return "bad certificate";
	case 43: return "unsupported certificate";
	case 47: return "illegal parameter";
	case 48: return "unknown certificate authority";
	case 49: return "access denied";
	case 50: return "error decoding message";
	case 51: return "error decrypting message";
	case 70: return "protocol version not supported";
	case 71: return "insufficient security level";
	case 80: return "internal error";
	case 86: return "inappropriate fallback";
	case 90: return "user canceled";
	case 109: return "missing extension";
	case 110: return "unsupported extension";
	case 112: return "unrecognized name";
	case 116: return "certificate required";
	case 120: return "no application protocol";
	}
	return NULL;
}

static void
failed(struct attempt *at, enum cd_prob code, const char *text,
    const struct cd_err *e)
{
	at->code = code;
	snprintf(at->msg, sizeof(at->msg), "%s: %s", at->addr, text);
	snprintf(at->detail, sizeof(at->detail), "%s", e ? e->msg : "");
}

static void
attempt(struct ta *x, const char *addr, struct attempt *at)
{
	struct cd_addr a;
	struct cd_err e = {0};
	int64_t start = cd_now_ms(), dl = cd_deadline_in(DIAL_MS);
	char alert[96];
	const char *t;
	int fd = -1;
	cd_rc rc;

	memset(at, 0, sizeof(*at));
	snprintf(at->addr, sizeof(at->addr), "%s", addr);
	if (x->deadline < dl)
		dl = x->deadline;
	if (!cd_addr_from_ip(addr, (uint16_t)x->port, &a)) {
		failed(at, CD_P_TLSALPN01_CONNECT_FAILED, "Error getting "
		    "validation data", NULL);
		return;
	}
	rc = cd_net_connect(&a, dl, &fd, &e);
	if (rc == CD_E_TIMEOUT)
		failed(at, CD_P_TLSALPN01_TIMEOUT, "Timeout during connect "
		    "(likely firewall problem)", &e);
	else if (rc == CD_E_CANCELLED)
		failed(at, CD_P_CHECK_ERROR, "cancelled", &e);
	else if (rc != CD_OK)
		/* cd_net_connect says which errno in its message. */
		failed(at, CD_P_TLSALPN01_CONNECT_FAILED,
		    strstr(e.msg, "connection refused") ? "Connection refused" :
		    strstr(e.msg, "Network is unreachable") ? "Network "
		    "unreachable" : strstr(e.msg, "reset by peer") ?
		    "Connection reset by peer" : "Error getting validation "
		    "data", &e);
	if (rc != CD_OK)
		goto out;
	rc = cd_tls_fetch_alpn(fd, x->sni, CD_TLSALPN_PROTO, dl, &at->ti, &e);
	at->seconds = (double)(cd_now_ms() - start) / 1000.0;
	if (rc == CD_OK) {
		at->got_cert = true;
		goto out;
	}
	if (rc == CD_E_TIMEOUT)
		failed(at, CD_P_TLSALPN01_TIMEOUT, "Timeout after connect "
		    "(your server may be slow or overloaded)", &e);
	else if (at->ti.nhead == 5 && memcmp(at->ti.head, "HTTP/", 5) == 0)
		/* Go's first-record check: a plain HTTP server's answer. */
		failed(at, CD_P_TLSALPN01_CONNECT_FAILED, "Server only speaks "
		    "HTTP, not TLS", &e);
	else if (at->ti.alert >= 0) {
		t = go_alert(at->ti.alert);
		if (t != NULL)
			snprintf(alert, sizeof(alert), "remote error: tls: %s",
			    t);
		else
			snprintf(alert, sizeof(alert), "remote error: tls: "
			    "alert(%d)", at->ti.alert);
		/*
		 * A strict server refuses the handshake for want of ALPN;
		 * a Go server (Caddy, Traefik, lego, challtestsrv) answers
		 * acme-tls/1 with internal_error when it holds no challenge
		 * certificate for the name, as outside a challenge.  Either
		 * way it speaks TLS and does not answer acme-tls/1 now.
		 */
		failed(at, at->ti.alert == 120 || at->ti.alert == 80 ?
		    CD_P_TLSALPN01_NO_ALPN : CD_P_TLSALPN01_CONNECT_FAILED,
		    alert, &e);
	} else if (strstr(e.msg, "sent no certificate"))
		failed(at, CD_P_TLSALPN01_BAD_CERT, "No certs presented for "
		    "tls-alpn-01 challenge", &e);
	else if (rc == CD_E_CANCELLED)
		failed(at, CD_P_CHECK_ERROR, "cancelled", &e);
	else
		/* A clean EOF or a record GnuTLS refuses has no words of its
		 * own at the CA; a reset or a lost route has. */
		failed(at, CD_P_TLSALPN01_CONNECT_FAILED,
		    at->ti.sys_errno == ECONNRESET ? "Connection reset by peer" :
		    at->ti.sys_errno == ENETUNREACH ? "Network unreachable" :
		    "Error getting validation data", &e);
out:
	if (at->seconds == 0)
		at->seconds = (double)(cd_now_ms() - start) / 1000.0;
	if (fd >= 0)
		close(fd);
}

static json_t *
attempt_json(const struct attempt *at)
{
	json_t *o = json_object(), *t;

	cd_json_setk(o, CD_K_ADDRESS, cd_json_str(at->addr));
	cd_json_setk(o, CD_K_RESULT, cd_json_str(at->got_cert ? "ok" :
	    cd_problem_name(at->code)));
	if (!at->got_cert) {
		cd_json_setk(o, CD_K_MESSAGE, cd_json_str(at->msg));
		if (at->detail[0])
			cd_json_setk(o, CD_K_DETAIL, cd_json_str(at->detail));
		return o;
	}
	cd_json_setk(o, CD_K_ALPN, at->ti.alpn[0] ? cd_json_str(at->ti.alpn) :
	    json_null());
	t = json_object();
	cd_json_setk(t, CD_K_VERSION, cd_json_str(at->ti.version));
	cd_json_setk(t, CD_K_CIPHER, cd_json_str(at->ti.cipher));
	cd_json_setk(o, CD_K_TLS, t);
	cd_json_setk(o, CD_K_SECONDS, json_real(at->seconds));
	return o;
}

/* ------------------------------------------------------------------ */
/* The verdict.                                                         */

static void
cert_detail(struct ta *x, const struct attempt *at,
    const struct cd_tlsalpn_cert *f, bool valid, const char *reason)
{
	struct cd_cert *c = NULL;
	json_t *o = NULL, *ch = json_object(), *id = json_object();

	if (cd_x509_from_der(at->ti.certs[0].data, at->ti.certs[0].len, &c,
	    NULL) == CD_OK) {
		o = cd_cert_json(c, x->ctx->o.now ? x->ctx->o.now : time(NULL));
		cd_cert_free(c);
	}
	cd_json_setk(ch, CD_K_VALID, json_boolean(valid));
	if (!valid)
		cd_json_setk(ch, CD_K_REASON, cd_json_str(reason));
	cd_json_setk(ch, CD_K_SELF_SIGNED, json_boolean(f->self_signed));
	cd_json_setk(id, CD_K_PRESENT, json_boolean(f->has_acme_ext));
	cd_json_setk(id, CD_K_CRITICAL, json_boolean(f->acme_critical));
	cd_json_setk(id, CD_K_VALUE, f->acme_value[0] ?
	    cd_json_str(f->acme_value) : json_null());
	cd_json_setk(ch, CD_K_ACME_IDENTIFIER, id);
	cd_json_setk(x->r->detail, CD_K_CERTIFICATE, o ? o : json_null());
	cd_json_setk(x->r->detail, CD_K_CHALLENGE_CERTIFICATE, ch);
}

/*
 * Only tls-alpn-01 needs acme-tls/1: without a key authorization the
 * user may well validate otherwise, so it is a note then.
 */
static void
no_alpn(struct ta *x, const char *msg)
{
	cd_report_add_sev(x->r, CD_P_TLSALPN01_NO_ALPN, x->keyauth ?
	    CD_ST_CRITICAL : CD_ST_OK, "make the server answer ALPN "
	    "\"acme-tls/1\" with the challenge certificate while the ACME "
	    "client validates (Caddy and Traefik do it themselves; nginx and "
	    "Apache need the client's standalone mode or a stream proxy; a "
	    "proxy that terminates TLS in front of Caddy or Traefik must pass "
	    "acme-tls/1 through, e.g. nginx stream with ssl_preread); only "
	    "tls-alpn-01 needs this", "%s", msg);
}

static void
judge(struct ta *x, const struct attempt *at)
{
	struct cd_tlsalpn_cert f;
	char reason[1600];
	bool valid, alpn = strcmp(at->ti.alpn, CD_TLSALPN_PROTO) == 0;
	char hostport[64];

	/* Go's net.JoinHostPort: brackets around an IPv6 address. */
	snprintf(hostport, sizeof(hostport), strchr(at->addr, ':') ?
	    "[%s]:%u" : "%s:%u", at->addr, x->port);

	valid = cd_tlsalpn_judge(at->ti.certs[0].data, at->ti.certs[0].len,
	    x->ace, x->keyauth, reason, sizeof(reason), &f);
	cert_detail(x, at, &f, valid, reason);
	cd_json_setk(x->r->detail, CD_K_ALPN, alpn ? cd_json_str(at->ti.alpn) :
	    json_null());
	if (!alpn) {
		no_alpn(x, "Cannot negotiate ALPN protocol \"" CD_TLSALPN_PROTO
		    "\" for tls-alpn-01 challenge");
		return;
	}
	if (!valid && x->keyauth != NULL) {
		cd_report_add(x->r, CD_P_TLSALPN01_BAD_CERT, "serve, for "
		    "acme-tls/1, a self-signed certificate whose only name is "
		    "the identifier and whose critical acmeIdentifier holds "
		    "SHA-256 of this challenge's key authorization",
		    "Incorrect validation certificate for tls-alpn-01 "
		    "challenge. Requested %s from %s. %s", x->ace, hostport,
		    reason);
		return;
	}
	if (x->keyauth != NULL)
		cd_report_ok_summary(x->r, "%s serves the tls-alpn-01 "
		    "certificate the CA expects for %s", at->addr, x->ace);
	else if (valid)
		cd_report_ok_summary(x->r, "%s negotiates acme-tls/1 and serves "
		    "a challenge certificate for %s (digest %s)", at->addr,
		    x->ace, f.acme_value);
	else
		cd_report_ok_summary(x->r, "%s negotiates acme-tls/1 for %s; "
		    "its certificate is no valid challenge certificate (%s)",
		    at->addr, x->ace, reason);
}

/* The CA: the first AAAA, then the first A after any failure there. */
static void
connect_and_judge(struct ta *x)
{
	struct attempt as[2];
	struct attempt *last = NULL;
	json_t *arr = json_array();
	double zero = 0;
	size_t n = 0, i;

	memset(as, 0, sizeof(as));
	if (x->v6[0]) {
		attempt(x, x->v6, &as[n]);
		last = &as[n++];
	}
	if (x->v4[0] && (last == NULL || !last->got_cert)) {
		attempt(x, x->v4, &as[n]);
		last = &as[n++];
	}
	for (i = 0; i < n; i++)
		cd_json_push(arr, attempt_json(&as[i]));
	cd_json_setk(x->r->detail, CD_K_ATTEMPTS, arr);
	cd_json_setk(x->r->detail, CD_K_ADDRESS, cd_json_str(last->addr));
	cd_report_perf(x->r, "time", last->seconds, "s", NULL, NULL, &zero);
	if (last->got_cert)
		judge(x, last);
	else if (last->code == CD_P_TLSALPN01_NO_ALPN)
		no_alpn(x, last->msg);
	else if (n == 1 && last == &as[0] && x->v6[0] && !x->v4[0])
		cd_report_add(x->r, last->code, last->msg, "Unable to "
		    "contact \"%s\" at \"%s\", no IPv4 addresses to try as "
		    "fallback", x->ace, last->addr);
	else
		cd_report_add(x->r, last->code, "the server must accept TLS "
		    "connections on port 443 from the Internet on this address",
		    "%s", last->msg);
	for (i = 0; i < n; i++)
		cd_tls_info_clear(&as[i].ti);
}

/*
 * For an IP identifier the CA sends the address's reverse name as SNI
 * (RFC 8738 section 6; Go drops the trailing dot).
 */
static void
reverse_name(const char *ip, char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	size_t o = 0;
	int i;

	out[0] = '\0';
	if (inet_pton(AF_INET, ip, b) == 1) {
		snprintf(out, len, "%u.%u.%u.%u.in-addr.arpa", b[3], b[2], b[1],
		    b[0]);
		return;
	}
	if (inet_pton(AF_INET6, ip, b) != 1 || len < 16 * 4 + 9)
		return;
	for (i = 15; i >= 0; i--) {
		out[o++] = hex[b[i] & 15];
		out[o++] = '.';
		out[o++] = hex[b[i] >> 4];
		out[o++] = '.';
	}
	snprintf(out + o, len - o, "ip6.arpa");
}

cd_rc
cd_tlsalpn01check_run(const struct cd_ctx *ctx, const char *domain,
    struct cd_report **out, struct cd_err *err)
{
	struct ta x;
	struct cd_err e;
	char digest[65];
	bool wild = false;
	cd_rc rc;

	memset(&x, 0, sizeof(x));
	x.ctx = ctx;
	x.keyauth = ctx->o.key_authorization;
	x.port = ctx->o.tls_port ? ctx->o.tls_port : 443;
	x.deadline = cd_deadline_in(ctx->o.timeout_ms);
	if ((rc = cd_report_new("TLSALPN01", domain, &x.r, err)) != CD_OK)
		return rc;
	x.r->policy = &ctx->policy;
	if (cd_ip_identifier_parse(domain, &x.ace, &e) == CD_OK)
		reverse_name(x.ace, x.sni, sizeof(x.sni));
	else if (cd_domain_parse(domain, true, &x.ace, &wild, &e) != CD_OK)
		cd_report_add(x.r, CD_P_CHECK_ERROR, NULL, "%s", e.msg);
	else if (wild)
		/* RFC 8737 section 3: no wildcard through tls-alpn-01. */
		cd_report_add(x.r, CD_P_CHECK_ERROR, "request the wildcard "
		    "with the dns-01 challenge", "%s: tls-alpn-01 cannot "
		    "validate a wildcard name; only dns-01 can", domain);
	else
		snprintf(x.sni, sizeof(x.sni), "%s", x.ace);
	if (x.ace != NULL && !wild) {
		cd_json_setk(x.r->detail, CD_K_IDENTIFIER, cd_json_str(x.ace));
		if (strcmp(x.sni, x.ace) != 0)
			cd_json_setk(x.r->detail, CD_K_SNI, cd_json_str(x.sni));
		cd_json_set_unicode(x.r->detail, CD_K_IDENTIFIER_UNICODE,
		    x.ace);
		cd_json_setk(x.r->detail, CD_K_PORT, json_integer(x.port));
		if (x.keyauth != NULL) {
			cd_tlsalpn_digest_hex(x.keyauth, digest);
			cd_json_setk(x.r->detail, CD_K_EXPECTED_DIGEST,
			    cd_json_str(digest));
		}
		if (resolve(&x))
			connect_and_judge(&x);
		cd_caview_describe(x.r, ctx);
	}
	rc = x.r->oom ? cd_err_set(err, CD_E_NOMEM, "out of memory") : CD_OK;
	if (rc == CD_OK) {
		*out = x.r;
		x.r = NULL;
	}
	cd_report_free(x.r);
	free(x.ace);
	return rc;
}
