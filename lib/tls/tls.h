/*
 * tls.h - the library's only GnuTLS session user: one client handshake
 * on a connected socket, capturing what the server presented.  No
 * verification happens here; chains are judged afterwards from the
 * captured certificates.
 */
#ifndef CD_TLS_H
#define CD_TLS_H

#include <stdint.h>

#include "cd_internal.h"

struct cd_der {
	unsigned char *data;
	size_t len;
};

struct cd_tls_info {
	struct cd_der *certs;	/* as served, leaf first */
	size_t ncerts;
	char version[16];	/* "TLSv1.3" */
	char cipher[96];	/* IANA suite name */
	struct cd_der ocsp;	/* stapled response, len 0 if none */
	double handshake_s;
	char alpn[256];		/* the protocol ALPN settled on, or "" */
	int alert;		/* cd_tls_fetch_alpn: the fatal alert that
				 * ended a failed handshake, or -1 */
	/*
	 * cd_tls_fetch_alpn, kept after a failure too: the errno of the
	 * socket call that failed (ECONNRESET...) or 0, and the first
	 * bytes the server sent ("HTTP/" from a plain HTTP server), which
	 * the CA's messages tell apart and GnuTLS's errors do not.
	 */
	int sys_errno;
	unsigned char head[5];
	size_t nhead;
	/*
	 * cd_tls_fetch_client: the server asked for a client certificate
	 * (a CertificateRequest), one was sent, and the fatal alert with
	 * which the server then refused the connection (-1: none; the
	 * TLS 1.2 refusal ends the handshake, the TLS 1.3 one follows it).
	 * A refusal still leaves the chain the server sent in certs.
	 */
	bool client_requested;
	bool client_sent;
	int client_alert;
	bool client_closed;	/* refused by closing, without an alert */
	bool client_http;	/* refused in HTTP (nginx: 400) */
};

/*
 * The client certificate to present, PEM files (NULL fields: none), and
 * the Host to ask for when a server that asked for a certificate neither
 * got one nor refused in TLS: nginx completes the handshake and refuses
 * in HTTP (NULL: not HTTP, do not ask).
 */
struct cd_tls_client {
	const char *cert_file;
	const char *key_file;
	const char *http_host;
};

/*
 * Handshake on fd (connected, non-blocking) sending sni (NULL or an IP:
 * none) before deadline.  CD_E_TLS with GnuTLS's reason, CD_E_TIMEOUT.
 */
cd_rc cd_tls_fetch(int fd, const char *sni, int64_t deadline,
    struct cd_tls_info *out, struct cd_err *err);
void cd_tls_info_clear(struct cd_tls_info *ti);

/*
 * cd_tls_fetch presenting client (NULL: no certificate).  A server that
 * demands a client certificate and refuses the one sent, or the lack of
 * one, still gives CD_OK and its chain, with the refusal in
 * out->client_*; CD_E_IO / CD_E_PARSE when client's files are unusable.
 */
/* GnuTLS's name of a TLS alert ("Unknown certificate authority"). */
const char *cd_tls_alert_name(int alert);

cd_rc cd_tls_fetch_client(int fd, const char *sni,
    const struct cd_tls_client *client, int64_t deadline,
    struct cd_tls_info *out, struct cd_err *err);

/*
 * The tls-alpn-01 handshake as the CA makes it: TLS 1.2 or later only,
 * offering the single ALPN protocol alpn, SNI sni.  A server that
 * ignores ALPN still completes (out->alpn is then ""), as it does for
 * the CA, whose verdict comes after the handshake.
 */
cd_rc cd_tls_fetch_alpn(int fd, const char *sni, const char *alpn,
    int64_t deadline, struct cd_tls_info *out, struct cd_err *err);

/* The versions --protocols probes, oldest first. */
enum cd_tls_version {
	CD_TLS_1_0,
	CD_TLS_1_1,
	CD_TLS_1_2,
	CD_TLS_1_3,
	CD_TLS_NVERSIONS
};

/* "TLSv1.0" ... "TLSv1.3", the spelling of struct cd_tls_info's version. */
const char *cd_tls_version_name(enum cd_tls_version v);

/*
 * A handshake on fd offering version v only.  CD_OK when the server
 * completes it, CD_E_TLS when it refuses (alert, close, another
 * version), CD_E_TIMEOUT at the deadline.  Nothing is captured.
 */
cd_rc cd_tls_try_version(int fd, const char *sni, enum cd_tls_version v,
    int64_t deadline, struct cd_err *err);

#endif
