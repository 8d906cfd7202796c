/*
 * tlsalpn.h - tls-alpn-01 (RFC 8737): the challenge certificate judged
 * the way Let's Encrypt's validator judges it, as a pure function of
 * the DER the server sent, so tests can feed it any certificate.
 */
#ifndef CD_TLSALPN_H
#define CD_TLSALPN_H

#include <stdbool.h>
#include <stddef.h>

#define CD_TLSALPN_PROTO "acme-tls/1"
#define CD_TLSALPN_OID "1.3.6.1.5.5.7.1.31"	/* id-pe-acmeIdentifier */

/* What the judge found in the certificate, for the report. */
struct cd_tlsalpn_cert {
	bool self_signed;	/* issuer == subject and its key verifies it */
	bool has_acme_ext;
	bool acme_critical;
	char acme_value[65];	/* the 32 bytes in hex, "" when malformed */
};

/*
 * Judge der for name (lower-case A-label, or an IP identifier in its
 * canonical text) in the CA's order: self-signed, no extension twice
 * with subjectAltName and acmeIdentifier present, exactly one dNSName
 * equal to name (for an IP: one iPAddress and no dNSName) and encoded
 * as the CA encodes it,
 * acmeIdentifier critical holding SHA-256(keyauth).  keyauth NULL: every
 * check but the digest.  True when the CA would accept it; otherwise
 * reason gets the CA's sentence ("Received certificate which is not
 * self-signed.").  facts (may be NULL) is filled either way.
 */
bool cd_tlsalpn_judge(const unsigned char *der, size_t len, const char *name,
    const char *keyauth, char *reason, size_t rlen,
    struct cd_tlsalpn_cert *facts);

/* SHA-256 of keyauth in lower-case hex (65 bytes with the NUL). */
void cd_tlsalpn_digest_hex(const char *keyauth, char out[65]);

#endif
