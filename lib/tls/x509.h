/*
 * x509.h - one certificate, decoded by GnuTLS into the facts we report.
 * Every string here is display-safe (escaped) UTF-8.
 */
#ifndef CD_X509_H
#define CD_X509_H

#include <gnutls/x509.h>
#include <stdatomic.h>

#include "cd_internal.h"

struct cd_cert {
	gnutls_x509_crt_t crt;	/* owned */
	char *subject;		/* RFC 4514 */
	char *issuer;
	char *cn;		/* subject CN, or the subject when none */
	char *serial;		/* hex, colon-free, lower case */
	char *sha256;		/* hex fingerprint of the DER */
	time_t not_before;
	time_t not_after;
	char key_type[16];	/* "RSA", "ECDSA", "Ed25519", ... */
	unsigned key_bits;
	char *curve;		/* EC curve name or NULL */
	char *sig_name;		/* "RSA-SHA256", ... */
	bool sig_weak;		/* SHA-1 or MD5 */
	char **san;		/* dNSName and iPAddress entries */
	size_t nsan;
	size_t nsan_total;	/* before the display cap */
	bool is_ca;
	bool self_issued;	/* subject == issuer */
	bool self_signed;	/* ... and its own key verifies it */
	bool must_staple;	/* TLS feature extension status_request */
	/* As GnuTLS reads them (its MAX_KEY_ID_SIZE); 0: absent. */
	unsigned char ski[128];	/* subject key identifier, ski_len bytes */
	size_t ski_len;
	unsigned char aki[128];	/* authority key identifier */
	size_t aki_len;
	/*
	 * The subject's and the issuer's names as encoded (DER), which is
	 * how GnuTLS compares them to chain certificates.
	 */
	gnutls_datum_t raw_subject, raw_issuer;
	/*
	 * cd_cert_issued_by's last answer: chain analysis and the OCSP
	 * issuer lookup ask the same question of the same pair, and each
	 * answer costs a signature verification.  Reached through a
	 * pointer (to sig_memo_store) so that a const certificate can
	 * still remember it.
	 */
	struct cd_sig_memo {
		const struct cd_cert *issuer;
		bool ok;
	} *sig_memo, sig_memo_store;
	/*
	 * 0: owned by one holder.  Otherwise shared (certcache.c), read-
	 * only: the holders left; cd_cert_free() frees it at the last.
	 */
	atomic_uint refs;
};

/* Decode DER.  CD_E_PARSE when GnuTLS cannot read it. */
cd_rc cd_x509_from_der(const unsigned char *der, size_t len,
    struct cd_cert **out, struct cd_err *err);

/* Take ownership of an imported certificate. */
cd_rc cd_x509_from_crt(gnutls_x509_crt_t crt, struct cd_cert **out,
    struct cd_err *err);

void cd_cert_free(struct cd_cert *c);

/*
 * True when issuer issued c: names chain and, where both carry them, key
 * identifiers match; otherwise issuer's key must verify c's signature.
 */
bool cd_cert_issued_by(const struct cd_cert *c, const struct cd_cert *issuer);

/* True when c covers name (DNS name or IP literal), as browsers match. */
bool cd_cert_matches(const struct cd_cert *c, const char *name);

#endif
