/*
 * trust.h - the trust store (system or --cafile), loaded once per run and
 * shared read-only by every check, and chain verification against it.
 */
#ifndef CD_TRUST_H
#define CD_TRUST_H

#include "x509.h"

struct cd_trust;

/* cafile NULL: the system store.  CD_E_IO when it cannot be loaded. */
cd_rc cd_trust_new(const char *cafile, struct cd_trust **out,
    struct cd_err *err);
void cd_trust_free(struct cd_trust *t);

struct cd_verify {
	bool trusted;
	unsigned status;	/* GnuTLS's gnutls_certificate_status_t bits */
	char **reasons;		/* one phrase per status bit, owned */
	size_t nreasons;
};

/*
 * Verify certs (served order, certs[0] the leaf) for TLS server use.
 * GnuTLS sorts the list itself, as clients do.
 */
cd_rc cd_trust_verify(const struct cd_trust *t, struct cd_cert *const *certs,
    size_t n, struct cd_verify *out, struct cd_err *err);
void cd_verify_clear(struct cd_verify *v);

/* True when the store holds a certificate that issued c. */
bool cd_trust_has_issuer(const struct cd_trust *t, const struct cd_cert *c);

/* True when c itself is in the store (a trust anchor as sent). */
bool cd_trust_is_anchor(const struct cd_trust *t, const struct cd_cert *c);

#endif
