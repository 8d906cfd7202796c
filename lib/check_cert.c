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
#include "ctx.h"
#include "dns.h"
#include "err.h"
#include "idn.h"
#include "jsonutil.h"
#include "ocsp.h"
#include "timeutil.h"
#include "tls.h"

struct run {
	const struct cd_ctx *ctx;
	struct cd_report *r;
	struct cd_target *t;
	char *host;		/* A-label or IP */
	char *sni;		/* A-label, or NULL for an IP target */
	int64_t deadline;
	struct cd_addrs addrs;
	struct cd_addr *used;
	int fd;
	struct cd_tls_info ti;
	struct cd_cert **certs;
	size_t ncerts;
};

/* An operational failure of the check, as a finding. */
static void
failure(struct run *x, const struct cd_err *e, const char *step)
{
	double secs = x->ctx->o.timeout_ms / 1000.0;

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

	if ((rc = cd_target_parse(target, 443, &x->t, e)) != CD_OK)
		return rc;
	if ((rc = cd_idn_to_ascii(x->t->host, &x->host, e)) != CD_OK)
		return rc;
	if (o->sni != NULL)
		rc = cd_idn_to_ascii(o->sni, &x->sni, e);
	else if (!x->t->host_is_ip && (x->sni = strdup(x->host)) == NULL)
		rc = cd_err_set(e, CD_E_NOMEM, "out of memory");
	if (rc != CD_OK)
		return rc;
	cd_json_set(x->r->detail, "host", cd_json_str(x->host));
	cd_json_set_unicode(x->r->detail, "host", x->host);
	cd_json_set(x->r->detail, "port", json_integer(x->t->port));
	cd_json_set(x->r->detail, "sni", cd_json_str(x->sni));
	cd_json_set_unicode(x->r->detail, "sni", x->sni);
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
		rc = cd_net_connect(&x->addrs.a[i], x->deadline, &x->fd, e);
		if (rc == CD_OK) {
			x->used = &x->addrs.a[i];
			cd_json_set(x->r->detail, "address",
			    cd_json_str(x->used->text));
			return CD_OK;
		}
		if (rc != CD_E_CONNECT)
			break;
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
		rc = cd_x509_from_der(x->ti.certs[i].data, x->ti.certs[i].len,
		    &x->certs[i], e);
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
	cd_json_set(tls, "version", cd_json_str(x->ti.version));
	cd_json_set(tls, "cipher", cd_json_str(x->ti.cipher));
	cd_json_set(x->r->detail, "tls", tls);
	cd_json_set(x->r->detail, "handshake_time",
	    json_real(x->ti.handshake_s));
}

static cd_rc
judge(struct run *x, struct cd_err *e)
{
	struct cd_cert_input in;
	const struct cd_cert *issuer = NULL;
	double zero = 0;
	cd_rc rc;

	memset(&in, 0, sizeof(in));
	in.certs = x->certs;
	in.n = x->ncerts;
	in.name = x->sni ? x->sni : x->host;
	in.custom_trust = x->ctx->o.cafile != NULL;
	if ((rc = cd_ctx_trust(x->ctx, &in.trust, e)) != CD_OK ||
	    (rc = cd_cert_report(&x->ctx->o, &in, x->r, e)) != CD_OK)
		return rc;
	if (x->ncerts > 1 && cd_cert_issued_by(x->certs[0], x->certs[1]))
		issuer = x->certs[1];
	cd_ocsp_judge(x->ti.ocsp.data, x->ti.ocsp.len, x->certs[0], issuer,
	    x->ctx->o.now ? x->ctx->o.now : time(NULL), x->r);
	cd_report_perf(x->r, "handshake_time", x->ti.handshake_s, "s", NULL,
	    NULL, &zero);
	return x->r->oom ? cd_err_set(e, CD_E_NOMEM, "out of memory") : CD_OK;
}

static void
run_free(struct run *x)
{
	size_t i;

	for (i = 0; i < x->ncerts; i++)
		cd_cert_free(x->certs[i]);
	free(x->certs);
	cd_tls_info_clear(&x->ti);
	if (x->fd >= 0)
		close(x->fd);
	cd_addrs_clear(&x->addrs);
	cd_target_free(x->t);
	free(x->host);
	free(x->sni);
}

cd_rc
cd_certcheck_run(const struct cd_ctx *ctx, const char *target,
    struct cd_report **out, struct cd_err *err)
{
	struct run x;
	struct cd_err e;
	cd_rc rc;

	memset(&x, 0, sizeof(x));
	memset(&e, 0, sizeof(e));
	x.ctx = ctx;
	x.fd = -1;
	x.deadline = cd_deadline_in(ctx->o.timeout_ms);
	if ((rc = cd_report_new("CERT", target, &x.r, err)) != CD_OK)
		return rc;
	if ((rc = prepare(&x, target, &e)) != CD_OK) {
		failure(&x, &e, "reading the target");
	} else if ((rc = resolve(&x, &e)) != CD_OK) {
		failure(&x, &e, "name resolution");
	} else if ((rc = connect_any(&x, &e)) != CD_OK) {
		failure(&x, &e, "connect");
	} else if ((rc = cd_tls_fetch(x.fd, x.sni, x.deadline, &x.ti,
	    &e)) != CD_OK) {
		failure(&x, &e, "the TLS handshake");
	} else {
		add_tls_detail(&x);
		if ((rc = decode(&x, &e)) != CD_OK)
			failure(&x, &e, "decoding the certificates");
		else if ((rc = judge(&x, &e)) != CD_OK)
			failure(&x, &e, "judging the chain");
	}
	run_free(&x);
	if (rc == CD_E_NOMEM || x.r->oom) {
		cd_report_free(x.r);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	*out = x.r;
	return CD_OK;
}
