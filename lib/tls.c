/* tls.c - client handshake with SNI under a deadline. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "chain.h"
#include "err.h"
#include "net.h"
#include "timeutil.h"
#include "tls.h"

/*
 * Accept everything a server may still run, old protocols included:
 * this is a diagnostic client, and a server that only speaks TLS 1.0
 * deserves a report, not a handshake failure.
 */
#define CD_TLS_PRIORITY "NORMAL:%COMPAT:+VERS-TLS1.1:+VERS-TLS1.0"

/* GnuTLS's own default for the key size it will verify. */
#define CD_TLS_MAX_BITS 16384
/* 1 MiB: room for a 10,000-name certificate plus its chain. */
#define CD_TLS_MAX_HANDSHAKE (1024 * 1024)

void
cd_tls_info_clear(struct cd_tls_info *ti)
{
	size_t i;

	for (i = 0; i < ti->ncerts; i++)
		free(ti->certs[i].data);
	free(ti->certs);
	free(ti->ocsp.data);
	memset(ti, 0, sizeof(*ti));
}

static bool
der_copy(struct cd_der *d, const gnutls_datum_t *src)
{
	if ((d->data = malloc(src->size ? src->size : 1)) == NULL)
		return false;
	memcpy(d->data, src->data, src->size);
	d->len = src->size;
	return true;
}

static cd_rc
capture(gnutls_session_t s, struct cd_tls_info *out, struct cd_err *err)
{
	const gnutls_datum_t *peers;
	gnutls_datum_t resp;
	unsigned n = 0, i;
	const char *v, *cs;

	v = gnutls_protocol_get_name(gnutls_protocol_get_version(s));
	if (v && strncmp(v, "TLS", 3) == 0)
		snprintf(out->version, sizeof(out->version), "TLSv%s", v + 3);
	else
		snprintf(out->version, sizeof(out->version), "%s",
		    v ? v : "unknown");
	cs = gnutls_ciphersuite_get(s);
	snprintf(out->cipher, sizeof(out->cipher), "%s", cs ? cs : "unknown");
	if ((peers = gnutls_certificate_get_peers(s, &n)) == NULL || n == 0)
		return cd_err_set(err, CD_E_TLS, "the server sent no "
		    "certificate");
	if ((out->certs = calloc(n, sizeof(*out->certs))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		if (!der_copy(&out->certs[i], &peers[i]))
			return cd_err_set(err, CD_E_NOMEM, "out of memory");
		out->ncerts++;
	}
	if (gnutls_ocsp_status_request_get(s, &resp) == 0 && resp.size > 0 &&
	    !der_copy(&out->ocsp, &resp))
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	return CD_OK;
}

static cd_rc
handshake(gnutls_session_t s, int fd, int64_t deadline, struct cd_err *err)
{
	int r;
	cd_rc rc;

	for (;;) {
		if (cd_deadline_left_ms(deadline) == 0)
			return cd_err_set(err, CD_E_TIMEOUT, "TLS handshake: "
			    "not finished before the deadline");
		r = gnutls_handshake(s);
		if (r == GNUTLS_E_SUCCESS)
			return CD_OK;
		if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED &&
		    gnutls_error_is_fatal(r))
			break;
		if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED)
			continue;	/* a warning alert: go on */
		rc = cd_net_wait(fd, gnutls_record_get_direction(s) == 1,
		    deadline, NULL);
		if (rc != CD_OK)
			return cd_err_set(err, CD_E_TIMEOUT, "TLS handshake: "
			    "no answer from the server before the deadline");
	}
	if (r == GNUTLS_E_FATAL_ALERT_RECEIVED)
		return cd_err_lib(err, CD_E_TLS, "gnutls", r, "TLS handshake: "
		    "the server sent alert '%s'",
		    gnutls_alert_get_name(gnutls_alert_get(s)));
	if (r == GNUTLS_E_UNEXPECTED_PACKET_LENGTH ||
	    r == GNUTLS_E_UNSUPPORTED_VERSION_PACKET)
		return cd_err_lib(err, CD_E_TLS, "gnutls", r, "TLS handshake: "
		    "the server does not speak TLS here (%s)",
		    gnutls_strerror(r));
	return cd_err_lib(err, CD_E_TLS, "gnutls", r, "TLS handshake: %s",
	    gnutls_strerror(r));
}

static bool
is_ip(const char *s)
{
	unsigned char b[16];

	return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

cd_rc
cd_tls_fetch(int fd, const char *sni, int64_t deadline,
    struct cd_tls_info *out, struct cd_err *err)
{
	gnutls_certificate_credentials_t cred = NULL;
	gnutls_session_t s = NULL;
	int64_t start = cd_now_ms();
	int r;
	cd_rc rc;

	memset(out, 0, sizeof(*out));
	rc = CD_E_NOMEM;
	if ((r = gnutls_certificate_allocate_credentials(&cred)) < 0 ||
	    (r = gnutls_init(&s, GNUTLS_CLIENT | GNUTLS_NONBLOCK)) < 0) {
		s = NULL;
		cd_err_lib(err, rc, "gnutls", r, "gnutls: %s",
		    gnutls_strerror(r));
		goto out;
	}
	rc = CD_E_TLS;
	/*
	 * A diagnostic must see what the server sends: GnuTLS keeps only
	 * the first 16 certificates of a chain and refuses a handshake
	 * message over 128 KiB (a certificate with thousands of names).
	 * The chain analysis stops at CD_CHAIN_MAX anyway.
	 */
	gnutls_certificate_set_verify_limits(cred, CD_TLS_MAX_BITS,
	    CD_CHAIN_MAX);
	gnutls_handshake_set_max_packet_length(s, CD_TLS_MAX_HANDSHAKE);
	if ((r = gnutls_priority_set_direct(s, CD_TLS_PRIORITY, NULL)) < 0 ||
	    (r = gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred)) < 0 ||
	    (r = gnutls_ocsp_status_request_enable_client(s, NULL, 0,
	    NULL)) < 0) {
		cd_err_lib(err, rc, "gnutls", r, "gnutls: %s",
		    gnutls_strerror(r));
		goto out;
	}
	if (sni != NULL && !is_ip(sni) &&
	    (r = gnutls_server_name_set(s, GNUTLS_NAME_DNS, sni,
	    strlen(sni))) < 0) {
		cd_err_lib(err, rc, "gnutls", r, "SNI '%s': %s", sni,
		    gnutls_strerror(r));
		goto out;
	}
	gnutls_transport_set_int(s, fd);
	if ((rc = handshake(s, fd, deadline, err)) != CD_OK)
		goto out;
	out->handshake_s = (double)(cd_now_ms() - start) / 1000.0;
	if ((rc = capture(s, out, err)) != CD_OK)
		goto out;
	/* Best effort close_notify; the socket is closed by the caller. */
	gnutls_bye(s, GNUTLS_SHUT_WR);
	rc = CD_OK;
out:
	if (rc != CD_OK)
		cd_tls_info_clear(out);
	if (s)
		gnutls_deinit(s);
	if (cred)
		gnutls_certificate_free_credentials(cred);
	return rc;
}
