/*
 * x509.c - DER to struct cd_cert.  All decoding is GnuTLS's; this file
 * only collects the results and makes them safe to display.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>

#include "err.h"
#include "escape.h"
#include "x509.h"

/* A certificate with 10,000 SANs must not turn into 10,000 lines. */
#define SAN_KEEP 1000

void
cd_cert_free(struct cd_cert *c)
{
	size_t i;

	if (c == NULL)
		return;
	/* Shared (certcache.c): only the last holder frees it. */
	if (atomic_load(&c->refs) != 0 && atomic_fetch_sub(&c->refs, 1) != 1)
		return;
	if (c->crt)
		gnutls_x509_crt_deinit(c->crt);
	gnutls_free(c->raw_subject.data);
	gnutls_free(c->raw_issuer.data);
	free(c->subject);
	free(c->issuer);
	free(c->cn);
	free(c->serial);
	free(c->sha256);
	free(c->curve);
	free(c->sig_name);
	for (i = 0; i < c->nsan; i++)
		free(c->san[i]);
	free(c->san);
	free(c);
}

static char *
hex(const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s;
	size_t i;

	if ((s = malloc(n * 2 + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 0xf];
	}
	s[2 * n] = '\0';
	return s;
}

static char *
datum_escaped(const gnutls_datum_t *d)
{
	return cd_escape((const char *)d->data, d->size);
}

static cd_rc
get_names(struct cd_cert *c)
{
	gnutls_datum_t d = {0};
	char buf[1024];
	size_t len = sizeof(buf);

	if (gnutls_x509_crt_get_dn3(c->crt, &d, 0) < 0)
		return CD_E_PARSE;
	c->subject = datum_escaped(&d);
	gnutls_free(d.data);
	d.data = NULL;
	if (gnutls_x509_crt_get_issuer_dn3(c->crt, &d, 0) < 0)
		return CD_E_PARSE;
	c->issuer = datum_escaped(&d);
	gnutls_free(d.data);
	if (gnutls_x509_crt_get_dn_by_oid(c->crt, GNUTLS_OID_X520_COMMON_NAME,
	    0, 0, buf, &len) == 0)
		c->cn = cd_escape(buf, len);
	else if (c->subject)
		c->cn = strdup(c->subject);
	return (c->subject && c->issuer && c->cn) ? CD_OK : CD_E_NOMEM;
}

static cd_rc
add_san(struct cd_cert *c, char *s)
{
	char **n;

	if (s == NULL)
		return CD_E_NOMEM;
	c->nsan_total++;
	if (c->nsan >= SAN_KEEP) {
		free(s);
		return CD_OK;
	}
	if ((n = realloc(c->san, (c->nsan + 1) * sizeof(*n))) == NULL) {
		free(s);
		return CD_E_NOMEM;
	}
	c->san = n;
	c->san[c->nsan++] = s;
	return CD_OK;
}

static cd_rc
get_sans(struct cd_cert *c)
{
	char buf[1024], ip[INET6_ADDRSTRLEN];
	size_t len;
	unsigned i, crit;
	int type;
	cd_rc rc;

	for (i = 0;; i++) {
		len = sizeof(buf);
		type = gnutls_x509_crt_get_subject_alt_name(c->crt, i, buf,
		    &len, &crit);
		if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (type == GNUTLS_E_SHORT_MEMORY_BUFFER)
			continue;	/* absurdly long: skip it */
		if (type < 0)
			return CD_E_PARSE;
		rc = CD_OK;
		if (type == GNUTLS_SAN_DNSNAME)
			rc = add_san(c, cd_escape(buf, len));
		else if (type == GNUTLS_SAN_IPADDRESS &&
		    (len == 4 || len == 16) &&
		    inet_ntop(len == 4 ? AF_INET : AF_INET6, buf, ip,
		    sizeof(ip)) != NULL)
			rc = add_san(c, strdup(ip));
		if (rc != CD_OK)
			return rc;
	}
	return CD_OK;
}

static void
get_key(struct cd_cert *c)
{
	unsigned bits = 0;
	int algo = gnutls_x509_crt_get_pk_algorithm(c->crt, &bits);
	gnutls_ecc_curve_t curve;
	gnutls_pubkey_t pk = NULL;

	c->key_bits = bits;
	switch (algo) {
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS:
		snprintf(c->key_type, sizeof(c->key_type), "RSA");
		break;
	case GNUTLS_PK_DSA:
		snprintf(c->key_type, sizeof(c->key_type), "DSA");
		break;
	case GNUTLS_PK_ECDSA:
		snprintf(c->key_type, sizeof(c->key_type), "ECDSA");
		if (gnutls_pubkey_init(&pk) == 0 &&
		    gnutls_pubkey_import_x509(pk, c->crt, 0) == 0 &&
		    gnutls_pubkey_export_ecc_raw(pk, &curve, NULL, NULL) == 0)
			c->curve = strdup(gnutls_ecc_curve_get_name(curve));
		if (pk)
			gnutls_pubkey_deinit(pk);
		break;
	default:
		snprintf(c->key_type, sizeof(c->key_type), "%s",
		    gnutls_pk_algorithm_get_name(algo) ?
		    gnutls_pk_algorithm_get_name(algo) : "unknown");
		break;
	}
}

static void
get_signature(struct cd_cert *c)
{
	int sig = gnutls_x509_crt_get_signature_algorithm(c->crt);
	const char *name = gnutls_sign_get_name(sig);
	gnutls_digest_algorithm_t h = gnutls_sign_get_hash_algorithm(sig);

	c->sig_name = strdup(name ? name : "unknown");
	c->sig_weak = (h == GNUTLS_DIG_SHA1 || h == GNUTLS_DIG_MD5 ||
	    h == GNUTLS_DIG_MD2);
}

static void
get_flags(struct cd_cert *c)
{
	unsigned ca = 0;
	gnutls_x509_tlsfeatures_t f = NULL;
	unsigned i, feat;
	size_t len;

	len = sizeof(c->ski);
	if (gnutls_x509_crt_get_subject_key_id(c->crt, c->ski, &len,
	    NULL) >= 0)
		c->ski_len = len;
	len = sizeof(c->aki);
	if (gnutls_x509_crt_get_authority_key_id(c->crt, c->aki, &len,
	    NULL) >= 0)
		c->aki_len = len;
	if (gnutls_x509_crt_get_raw_dn(c->crt, &c->raw_subject) < 0)
		c->raw_subject.size = 0;
	if (gnutls_x509_crt_get_raw_issuer_dn(c->crt, &c->raw_issuer) < 0)
		c->raw_issuer.size = 0;
	c->is_ca = gnutls_x509_crt_get_basic_constraints(c->crt, NULL, &ca,
	    NULL) >= 0 && ca;
	c->self_issued = strcmp(c->subject, c->issuer) == 0;
	c->self_signed = c->self_issued && cd_cert_issued_by(c, c);
	/* RFC 7633: feature 5 is status_request ("must-staple"). */
	if (gnutls_x509_tlsfeatures_init(&f) == 0) {
		if (gnutls_x509_crt_get_tlsfeatures(c->crt, f, 0, NULL) == 0)
			for (i = 0; gnutls_x509_tlsfeatures_get(f, i,
			    &feat) == 0; i++)
				if (feat == 5)
					c->must_staple = true;
		gnutls_x509_tlsfeatures_deinit(f);
	}
}

/*
 * The fields of crt; der, when the caller has it, spares GnuTLS encoding
 * the certificate again only to hash it (a batch hashes every leaf).
 */
static cd_rc
from_crt(gnutls_x509_crt_t crt, const gnutls_datum_t *der,
    struct cd_cert **out, struct cd_err *err)
{
	struct cd_cert *c;
	unsigned char buf[64];
	size_t len;
	cd_rc rc;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		gnutls_x509_crt_deinit(crt);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	c->crt = crt;
	c->sig_memo = &c->sig_memo_store;
	if ((rc = get_names(c)) != CD_OK) {
		cd_cert_free(c);
		return cd_err_set(err, rc, "certificate: cannot read names");
	}
	len = sizeof(buf);
	if (gnutls_x509_crt_get_serial(crt, buf, &len) == 0)
		c->serial = hex(buf, len);
	len = sizeof(buf);
	if (der != NULL) {
		if (gnutls_hash_fast(GNUTLS_DIG_SHA256, der->data, der->size,
		    buf) == 0)
			c->sha256 = hex(buf, 32);
	} else if (gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256,
	    buf, &len) == 0)
		c->sha256 = hex(buf, len);
	c->not_before = gnutls_x509_crt_get_activation_time(crt);
	c->not_after = gnutls_x509_crt_get_expiration_time(crt);
	get_key(c);
	get_signature(c);
	get_flags(c);
	if ((rc = get_sans(c)) != CD_OK || c->serial == NULL ||
	    c->sha256 == NULL || c->sig_name == NULL) {
		cd_cert_free(c);
		return cd_err_set(err, rc ? rc : CD_E_NOMEM,
		    "certificate: cannot read its fields");
	}
	*out = c;
	return CD_OK;
}

cd_rc
cd_x509_from_der(const unsigned char *der, size_t len, struct cd_cert **out,
    struct cd_err *err)
{
	gnutls_x509_crt_t crt;
	gnutls_datum_t d;
	int r;

	d.data = (unsigned char *)(uintptr_t)der;
	d.size = (unsigned)len;
	if ((r = gnutls_x509_crt_init(&crt)) < 0)
		return cd_err_lib(err, CD_E_NOMEM, "gnutls", r, "gnutls: %s",
		    gnutls_strerror(r));
	if ((r = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER)) < 0) {
		gnutls_x509_crt_deinit(crt);
		return cd_err_lib(err, CD_E_PARSE, "gnutls", r,
		    "certificate: %s", gnutls_strerror(r));
	}
	return from_crt(crt, &d, out, err);
}

cd_rc
cd_x509_from_crt(gnutls_x509_crt_t crt, struct cd_cert **out,
    struct cd_err *err)
{
	return from_crt(crt, NULL, out, err);
}

/*
 * The issuer name of c as encoded equals issuer's subject as encoded:
 * the name half of gnutls_x509_crt_check_issuer(), whose other half,
 * the key identifiers, cd_cert_issued_by() compares from the fields
 * decoded once.  GnuTLS would read both extensions again at every
 * call, and chain layout, trust and revocation ask it of the same pair
 * several times per target.
 */
static bool
names_chain(const struct cd_cert *c, const struct cd_cert *issuer)
{
	if (c->raw_issuer.size == 0 || issuer->raw_subject.size == 0)
		return gnutls_x509_crt_check_issuer(c->crt, issuer->crt) != 0;
	return c->raw_issuer.size == issuer->raw_subject.size &&
	    memcmp(c->raw_issuer.data, issuer->raw_subject.data,
	    c->raw_issuer.size) == 0;
}

bool
cd_cert_issued_by(const struct cd_cert *c, const struct cd_cert *issuer)
{
	unsigned status = 0;
	gnutls_x509_crt_t ca = issuer->crt;
	bool ok;

	if (!names_chain(c, issuer))
		return false;
	/*
	 * Names and key identifiers chain (RFC 5280 4.2.1.1): enough to
	 * lay out a chain, and a verification less per link for every
	 * target of a batch.  A forged signature under matching names and
	 * identifiers is still caught by the trust verification.
	 */
	if (c->aki_len > 0 && issuer->ski_len > 0)
		return c->aki_len == issuer->ski_len &&
		    memcmp(c->aki, issuer->ski, c->aki_len) == 0;
	if (c->sig_memo != NULL && c->sig_memo->issuer == issuer)
		return c->sig_memo->ok;
	/*
	 * Names chain; now the signature.  Time, CA-flag and algorithm
	 * checks are off: those are reported as findings of their own.
	 * GnuTLS takes a certificate found in its CA list as trusted
	 * without a signature check; asked whether c signed itself, that
	 * would call every self-issued certificate self-signed, hence
	 * DO_NOT_ALLOW_SAME.
	 */
	ok = gnutls_x509_crt_verify(c->crt, &ca, 1,
	    GNUTLS_VERIFY_DO_NOT_ALLOW_SAME |
	    GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
	    GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
	    GNUTLS_VERIFY_DISABLE_CA_SIGN | GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 |
	    GNUTLS_VERIFY_ALLOW_BROKEN, &status) >= 0 &&
	    (status & GNUTLS_CERT_SIGNATURE_FAILURE) == 0 &&
	    (status & GNUTLS_CERT_SIGNER_NOT_FOUND) == 0;
	if (c->sig_memo != NULL) {
		c->sig_memo->issuer = issuer;
		c->sig_memo->ok = ok;
	}
	return ok;
}

bool
cd_cert_matches(const struct cd_cert *c, const char *name)
{
	unsigned char ip[16];

	if (inet_pton(AF_INET, name, ip) == 1)
		return gnutls_x509_crt_check_ip(c->crt, ip, 4, 0) != 0;
	if (inet_pton(AF_INET6, name, ip) == 1)
		return gnutls_x509_crt_check_ip(c->crt, ip, 16, 0) != 0;
	return gnutls_x509_crt_check_hostname2(c->crt, name, 0) != 0;
}
