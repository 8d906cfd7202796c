/*
 * crl.c - revocation by CRL, the way left once a CA stops running OCSP
 * (Let's Encrypt did in 2025): the first http(s) CRL distribution point
 * of the leaf is fetched with our own resolver and a capped body inside
 * the target's deadline, parsed and verified by GnuTLS against the
 * issuer the server sent, and the leaf's serial is looked up in it.
 *
 * The URL is written by whoever made the certificate: a peer's
 * self-signed certificate may name http://169.254.169.254/ or any port
 * of the local network, and the report (address, size, refused or
 * timeout) would tell what answers there.  So a distribution point is
 * followed only for a chain that verified, and, with the system trust
 * store, never to a reserved address (unless --allow-reserved); a
 * private PKI (--cafile) lives on internal addresses by nature.
 *
 * With --proxy the CRL comes through the proxy as the server's chain
 * does, and a host name goes to the proxy to resolve: a host that needs
 * a proxy to reach the outside often has no DNS for it either.  Only an
 * address literal is then ours to judge reserved or not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/x509.h>

#include "buf.h"
#include "crl.h"
#include "dns.h"
#include "err.h"
#include "http.h"
#include "jsonutil.h"
#include "ocsp.h"
#include "reserved.h"
#include "timeutil.h"

#define CRL_USER_AGENT "certdiag/" CD_VERSION_STR " (certcheck --crl)"

/*
 * GnuTLS imports a CRL in one call that cannot be stopped (libtasn1
 * builds a node per field: about 45 ns a byte here, 0.36 s for 8 MB
 * with 260,000 entries).  Before it starts, the time left must cover
 * the import at a rate twice as slow; a bigger CRL is a timeout at once.
 */
#define CRL_IMPORT_NS_PER_BYTE 100
/* Serials looked up between two looks at the clock. */
#define CRL_LOOKUP_CHUNK 4096

/* A fetched CRL and where it came from. */
struct fetch {
	char *url;		/* the distribution point used */
	struct cd_buf body;
	json_t *o;		/* the "crl" detail (borrowed from r) */
};

/*
 * The first http:// or https:// distribution point into f->url.  false
 * (and the finding made) when there is none.
 */
static bool
dist_point(const struct cd_cert *leaf, struct fetch *f, struct cd_report *r)
{
	char buf[1024];
	size_t len;
	unsigned i, flags, other = 0;
	int type;

	for (i = 0;; i++) {
		len = sizeof(buf) - 1;
		type = gnutls_x509_crt_get_crl_dist_points(leaf->crt, i, buf,
		    &len, &flags, NULL);
		if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (type == GNUTLS_E_SHORT_MEMORY_BUFFER) {
			other++;	/* no sane URL is that long */
			continue;
		}
		if (type < 0)
			break;
		buf[len] = '\0';
		if (type == GNUTLS_SAN_URI && strlen(buf) == len &&
		    (strncasecmp(buf, "http://", 7) == 0 ||
		    strncasecmp(buf, "https://", 8) == 0)) {
			if ((f->url = strdup(buf)) == NULL)
				r->oom = true;
			return f->url != NULL;
		}
		other++;
	}
	cd_report_add(r, CD_P_CRL_NO_DISTRIBUTION_POINT, "revocation can "
	    "only be learnt from OCSP for this certificate", other ?
	    "the certificate's CRL distribution points are not http:// "
	    "URLs: no CRL checked" : "the certificate names no CRL "
	    "distribution point: no CRL checked");
	return false;
}

static const char *
fail_words(enum cd_http_fail f)
{
	switch (f) {
	case CD_HTTP_OK:
		return "no answer";
	case CD_HTTP_CONNECT_TIMEOUT:
		return "timeout during connect";
	case CD_HTTP_TIMEOUT:
		return "timeout while reading the CRL";
	case CD_HTTP_REFUSED:
		return "connection refused";
	case CD_HTTP_UNREACHABLE:
		return "network unreachable";
	case CD_HTTP_CONNECT_OTHER:
		return "connect failed";
	case CD_HTTP_RESET:
		return "connection reset";
	case CD_HTTP_TLS:
	case CD_HTTP_TLS_OLD:
	case CD_HTTP_NOT_TLS:
		return "TLS failure";
	case CD_HTTP_PROTOCOL:
		return "not an HTTP/1.x answer";
	case CD_HTTP_OTHER:
		return "fetch failed";
	case CD_HTTP_PROXY:
		return "the proxy failed";
	case CD_HTTP_PROXY_NO_ROUTE:
		return "the proxy could not connect";
	}
	return "fetch failed";
}

static void
unavailable(struct cd_report *r, const char *url, const char *why)
{
	cd_report_add(r, CD_P_CRL_UNAVAILABLE, "revocation could not be "
	    "checked; retry, or raise -t if the CA's server is only slow",
	    "CRL %s could not be fetched: %s", url, why);
}

static void
skipped(struct cd_report *r, const char *url, const char *why)
{
	cd_report_add(r, CD_P_CRL_SKIPPED, "revocation was not checked by "
	    "CRL", "CRL %s not fetched: %s", url, why);
}

/*
 * With the system trust store, keep only public addresses (unless
 * --allow-reserved); false (finding made) when none is left.
 */
static bool
public_only(const struct cd_ctx *ctx, struct fetch *f, struct cd_addrs *a,
    struct cd_report *r)
{
	struct cd_addrs keep = {NULL, 0};
	const char *why = NULL, *first = NULL;
	char msg[512];
	size_t i;

	if (ctx->o.cafile != NULL || ctx->o.allow_reserved)
		return true;
	for (i = 0; i < a->n; i++) {
		const char *res = cd_ip_reserved(a->a[i].text);

		if (res == NULL) {
			if (cd_addrs_add(&keep, (struct sockaddr *)&a->a[i].ss,
			    a->a[i].len) != CD_OK)
				r->oom = true;
		} else if (why == NULL) {
			why = res;
			first = a->a[i].text;
		}
	}
	if (why != NULL) {
		cd_json_setk(f->o, CD_K_SKIPPED,
		    cd_json_str("reserved_address"));
		cd_json_setk(f->o, CD_K_RESERVED_ADDRESS, cd_json_str(first));
	}
	if (keep.n == 0 && why != NULL) {
		snprintf(msg, sizeof(msg), "its host's address %s is in a "
		    "reserved address block (%s); with the system trust store "
		    "certcheck fetches no internal address (--allow-reserved "
		    "allows it; a private PKI passes its roots with --cafile)",
		    first, why);
		skipped(r, f->url, msg);
		cd_addrs_clear(&keep);
		return false;
	}
	cd_addrs_clear(a);
	*a = keep;
	return true;
}

/* The addresses of the URL's host, from our resolver. */
static cd_rc
addresses(const struct cd_ctx *ctx, const char *url, int64_t deadline,
    struct cd_addrs *out, struct cd_err *e)
{
	struct cd_dns *dns = NULL;
	struct cd_addr a;
	char *host = NULL;
	uint16_t port = 0;
	cd_rc rc;

	if ((rc = cd_http_url_host(url, &host, &port, e)) != CD_OK)
		return rc;
	if (cd_addr_from_ip(host, port, &a)) {
		rc = cd_addrs_add(out, (struct sockaddr *)&a.ss, a.len);
		goto out;
	}
	if ((rc = cd_dns_new(ctx->o.dns_servers, ctx->o.timeout_ms, &dns,
	    e)) != CD_OK)
		goto out;
	rc = cd_dns_addrs(dns, host, ctx->o.family, port, deadline, out, e);
out:
	cd_addrs_filter(out, ctx->o.family);
	if (rc == CD_OK && out->n == 0)
		rc = cd_err_set(e, CD_E_DNS, "%s: no IPv%d address", host,
		    ctx->o.family);
	cd_dns_free(dns);
	free(host);
	return rc;
}

/* Is the URL's host a name that --proxy resolves (not an address)? */
static bool
proxy_resolves(const struct cd_ctx *ctx, const char *url)
{
	struct cd_addr a;
	struct cd_err e;
	char *host = NULL;
	uint16_t port = 0;
	bool name;

	/* A URL that does not parse is addresses()'s to report. */
	if (ctx->o.proxy == NULL ||
	    cd_http_url_host(url, &host, &port, &e) != CD_OK)
		return false;
	name = !cd_addr_from_ip(host, port, &a);
	free(host);
	return name;
}

/* GET the CRL into f->body; false (finding made) when it did not come. */
static bool
fetch(const struct cd_ctx *ctx, struct fetch *f, int64_t deadline,
    struct cd_report *r)
{
	struct cd_addrs addrs = {NULL, 0};
	struct cd_http_req req;
	struct cd_http_resp resp;
	struct cd_err e;
	char why[320];
	size_t i, n;
	bool ok = false, by_name = proxy_resolves(ctx, f->url);

	memset(&resp, 0, sizeof(resp));
	memset(&e, 0, sizeof(e));
	if (by_name) {
		n = 1;	/* one CONNECT by name: the proxy picks the address */
	} else {
		if (addresses(ctx, f->url, deadline, &addrs, &e) != CD_OK) {
			unavailable(r, f->url, e.msg);
			goto out;
		}
		if (!public_only(ctx, f, &addrs, r))
			goto out;
		n = addrs.n;
	}
	memset(&req, 0, sizeof(req));
	req.url = f->url;
	req.deadline = deadline;
	req.connect_timeout_ms = ctx->o.timeout_ms;
	req.user_agent = CRL_USER_AGENT;
	req.big = &f->body;
	req.proxy = ctx->o.proxy;
	/* Like a client: the next address only when one does not connect. */
	for (i = 0; i < n; i++) {
		cd_http_resp_clear(&resp);
		cd_buf_free(&f->body);
		req.addr = by_name ? NULL : addrs.a[i].text;
		if (cd_http_get(&req, &resp, &e) != CD_OK) {
			unavailable(r, f->url, e.msg);
			goto out;
		}
		if (resp.fail != CD_HTTP_REFUSED &&
		    resp.fail != CD_HTTP_UNREACHABLE &&
		    resp.fail != CD_HTTP_CONNECT_OTHER)
			break;
	}
	if (req.addr != NULL)
		cd_json_setk(f->o, CD_K_ADDRESS, cd_json_str(req.addr));
	cd_json_setk(f->o, CD_K_FETCH_TIME, json_real(resp.seconds));
	if (resp.truncated) {
		cd_report_add(r, CD_P_CRL_TOO_LARGE, "a CA's CRL is rarely "
		    "this big: is the URL right?", "CRL %s is larger than "
		    "%u MiB; certcheck stopped reading it", f->url,
		    CD_CRL_MAX >> 20);
	} else if (resp.fail != CD_HTTP_OK) {
		snprintf(why, sizeof(why), "%s (%s)", fail_words(resp.fail),
		    resp.detail);
		unavailable(r, f->url, why);
	} else if (resp.status != 200) {
		cd_json_setk(f->o, CD_K_HTTP_STATUS, json_integer(resp.status));
		cd_report_add(r, CD_P_CRL_UNAVAILABLE, "revocation could not "
		    "be checked; the CA's CRL server may be down",
		    "CRL %s could not be fetched: HTTP status %ld", f->url,
		    resp.status);
	} else {
		cd_json_setk(f->o, CD_K_SIZE, json_integer((json_int_t)
		    f->body.len));
		ok = true;
	}
out:
	cd_http_resp_clear(&resp);
	cd_addrs_clear(&addrs);
	return ok;
}

static void
invalid(struct cd_report *r, const char *url, const char *why)
{
	cd_report_add(r, CD_P_CRL_INVALID, "the CA publishes a broken CRL, "
	    "or the distribution point serves someone else's: revocation "
	    "cannot be learnt from it", "CRL %s cannot be used: %s", url, why);
}

/*
 * Does the deadline leave no time for step (on len bytes: the import)?
 * Then the finding says so, and "timeout" in the detail names the step.
 */
static bool
late(struct fetch *f, int64_t deadline, size_t len, const char *step,
    struct cd_report *r)
{
	int64_t left = deadline - cd_now_ms();
	int64_t need = (int64_t)(len / (1000000 / CRL_IMPORT_NS_PER_BYTE));
	char why[160];

	if (left > need)
		return false;
	cd_json_setk(f->o, CD_K_TIMEOUT, cd_json_str(step));
	if (len > 0)
		snprintf(why, sizeof(why), "timeout: reading its %zu bytes "
		    "would take longer than the %lld ms left (raise -t)", len,
		    (long long)(left > 0 ? left : 0));
	else
		snprintf(why, sizeof(why), "timeout before the %s step "
		    "(raise -t)", step);
	unavailable(r, f->url, why);
	return true;
}

/* Import DER, else PEM. */
static bool
import(gnutls_x509_crl_t crl, const struct cd_buf *b)
{
	gnutls_datum_t d;

	d.data = (unsigned char *)b->data;
	d.size = (unsigned)b->len;
	return b->len > 0 && (gnutls_x509_crl_import(crl, &d,
	    GNUTLS_X509_FMT_DER) >= 0 || gnutls_x509_crl_import(crl, &d,
	    GNUTLS_X509_FMT_PEM) >= 0);
}

/*
 * Signature and issuer against the served issuer; false (finding made)
 * when the CRL is not the issuer's.  GnuTLS's own clock-based flags (and
 * the INVALID it adds to them) are left out: the dates are judged
 * against our "now", and every real fault has a flag of its own.
 */
static bool
verify(gnutls_x509_crl_t crl, const struct cd_cert *leaf,
    const struct cd_cert *issuer, struct fetch *f, struct cd_report *r)
{
	gnutls_datum_t a = {NULL, 0}, b = {NULL, 0};
	gnutls_x509_crt_t ca;
	unsigned v = 0;
	bool same;

	if (gnutls_x509_crl_get_raw_issuer_dn(crl, &a) < 0 ||
	    gnutls_x509_crt_get_raw_issuer_dn(leaf->crt, &b) < 0) {
		same = false;
	} else {
		same = a.size == b.size && memcmp(a.data, b.data, a.size) == 0;
	}
	gnutls_free(a.data);
	gnutls_free(b.data);
	if (!same) {
		cd_json_setk(f->o, CD_K_SIGNATURE, cd_json_str("wrong_issuer"));
		invalid(r, f->url, "it is issued by another CA than the "
		    "certificate's");
		return false;
	}
	if (issuer == NULL) {
		cd_json_setk(f->o, CD_K_SIGNATURE, cd_json_str("unchecked"));
		return true;
	}
	ca = issuer->crt;
	if (gnutls_x509_crl_verify(crl, &ca, 1, 0, &v) < 0 ||
	    (v & ~(unsigned)(GNUTLS_CERT_INVALID |
	    GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED |
	    GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE)) != 0) {
		cd_json_setk(f->o, CD_K_SIGNATURE, cd_json_str("invalid"));
		invalid(r, f->url, "its signature does not verify with the "
		    "issuer's key");
		return false;
	}
	cd_json_setk(f->o, CD_K_SIGNATURE, cd_json_str("valid"));
	return true;
}

/* A serial without leading zero bytes (DER pads positive integers). */
static void
strip(const unsigned char **p, size_t *len)
{
	while (*len > 1 && (*p)[0] == 0) {
		(*p)++;
		(*len)--;
	}
}

/*
 * Is leaf's serial listed?  *when gets the revocation date.  *late is
 * set when the deadline passed before the end of the list.
 */
static bool
listed(gnutls_x509_crl_t crl, const struct cd_cert *leaf, int64_t deadline,
    time_t *when, bool *late)
{
	gnutls_x509_crl_iter_t it = NULL;
	/* RFC 5280 allows 20 octets; room for sloppy CAs, so that one long
	 * serial cannot end the walk before the leaf's entry. */
	unsigned char mine[64], s[256];
	const unsigned char *pm = mine, *ps;
	size_t mlen = sizeof(mine), slen;
	bool hit = false;
	unsigned n = 0;

	*late = false;
	if (gnutls_x509_crt_get_serial(leaf->crt, mine, &mlen) < 0)
		return false;
	strip(&pm, &mlen);
	for (;; n++) {
		if (n % CRL_LOOKUP_CHUNK == 0 && n > 0 &&
		    cd_now_ms() >= deadline) {
			*late = true;
			break;
		}
		slen = sizeof(s);
		if (gnutls_x509_crl_iter_crt_serial(crl, &it, s, &slen,
		    when) < 0)
			break;
		ps = s;
		strip(&ps, &slen);
		if (slen == mlen && memcmp(ps, pm, mlen) == 0) {
			hit = true;
			break;
		}
	}
	gnutls_x509_crl_iter_deinit(it);
	return hit;
}

/* Dates, then the lookup; false when the deadline cut it short. */
static bool
judge_crl(gnutls_x509_crl_t crl, const struct cd_cert *leaf, time_t now,
    int64_t deadline, struct fetch *f, struct cd_report *r)
{
	time_t this_upd = gnutls_x509_crl_get_this_update(crl);
	time_t next_upd = gnutls_x509_crl_get_next_update(crl);
	time_t when = -1;
	bool cut;
	int n = gnutls_x509_crl_get_crt_count(crl);
	char a[40], b[40];

	cd_json_setk(f->o, CD_K_THIS_UPDATE, cd_json_time(this_upd));
	cd_json_setk(f->o, CD_K_NEXT_UPDATE, next_upd == (time_t)-1 ?
	    json_null() : cd_json_time(next_upd));
	cd_json_setk(f->o, CD_K_ENTRIES, json_integer(n < 0 ? 0 : n));
	if (next_upd != (time_t)-1 && next_upd < now)
		cd_report_add(r, CD_P_CRL_STALE, "the CA has stopped "
		    "updating this CRL, or the URL serves an old copy",
		    "CRL %s is stale: issued %s, next update was due %s",
		    f->url, cd_time_human(this_upd, a, sizeof(a)),
		    cd_time_human(next_upd, b, sizeof(b)));
	else if (this_upd != (time_t)-1 && this_upd > now + 300)
		invalid(r, f->url, "its thisUpdate lies in the future");
	if (listed(crl, leaf, deadline, &when, &cut)) {
		cd_json_setk(f->o, CD_K_REVOKED, json_true());
		cd_json_setk(f->o, CD_K_REVOCATION_TIME, cd_json_time(when));
		cd_report_add(r, CD_P_CRL_REVOKED, "replace the certificate "
		    "now (certbot renew --force-renewal) and find out why it "
		    "was revoked", "the CA's CRL lists the certificate "
		    "(serial %s) as revoked on %s", leaf->serial,
		    cd_time_human(when, a, sizeof(a)));
	} else if (cut) {
		cd_json_setk(f->o, CD_K_TIMEOUT, cd_json_str("lookup"));
		unavailable(r, f->url, "timeout during the lookup step, "
		    "before the end of its entries (raise -t)");
		return false;
	} else {
		cd_json_setk(f->o, CD_K_REVOKED, json_false());
	}
	return true;
}

static const char *
str(const json_t *o, enum cd_jkey k)
{
	const char *s = cd_json_strk(o, k);

	return s ? s : "-";
}

void
cd_crl_judge(const struct cd_ctx *ctx, const struct cd_cert *leaf,
    const struct cd_cert *issuer, bool trusted, int64_t deadline,
    time_t now, struct cd_report *r)
{
	struct fetch f;
	gnutls_x509_crl_t crl = NULL;

	memset(&f, 0, sizeof(f));
	cd_buf_init(&f.body, CD_CRL_MAX);
	if ((f.o = json_object()) == NULL ||
	    !cd_json_setk(r->detail, CD_K_CRL, f.o)) {
		r->oom = true;
		return;
	}
	if (!dist_point(leaf, &f, r))
		goto out;
	cd_json_setk(f.o, CD_K_URL, cd_json_str(f.url));
	if (!trusted) {
		cd_json_setk(f.o, CD_K_SKIPPED, cd_json_str("untrusted_chain"));
		skipped(r, f.url, "the chain did not verify, and certcheck "
		    "follows a CRL distribution point only for a certificate "
		    "whose chain verified (an untrusted certificate can name "
		    "any address)");
		goto out;
	}
	if (!fetch(ctx, &f, deadline, r))
		goto out;
	/* Each step that cannot be stopped starts only if it can end in time. */
	if (late(&f, deadline, f.body.len, "import", r))
		goto out;
	if (gnutls_x509_crl_init(&crl) < 0) {
		r->oom = true;
		goto out;
	}
	if (!import(crl, &f.body)) {
		invalid(r, f.url, "it is not a CRL (neither DER nor PEM)");
		goto out;
	}
	if (late(&f, deadline, 0, "signature", r))
		goto out;
	if (verify(crl, leaf, issuer, &f, r) &&
	    !late(&f, deadline, 0, "lookup", r) &&
	    judge_crl(crl, leaf, now, deadline, &f, r)) {
		cd_report_note(r, "CRL %s: %s, %d entries, this update %s, "
		    "next update %s", f.url, json_is_true(cd_json_getk(f.o,
		    CD_K_REVOKED)) ? "revoked" : "not revoked",
		    (int)json_integer_value(cd_json_getk(f.o, CD_K_ENTRIES)),
		    str(f.o, CD_K_THIS_UPDATE), str(f.o, CD_K_NEXT_UPDATE));
	}
out:
	if (crl != NULL)
		gnutls_x509_crl_deinit(crl);
	cd_buf_free(&f.body);
	free(f.url);
}
