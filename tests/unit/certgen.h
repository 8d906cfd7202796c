/*
 * certgen.h - certificates made in-process with GnuTLS for the unit
 * tests of the chain and certificate judges: roots, intermediates and
 * leaves with the names, dates, keys and digests a case asks for, so no
 * certificate file is checked in.  Header-only: each test program is one
 * translation unit.
 */
#ifndef CD_TEST_CERTGEN_H
#define CD_TEST_CERTGEN_H

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "x509.h"

#define TG_DAY 86400

/* What one certificate should be. */
struct tg_spec {
	const char *cn;		/* subject CN */
	const char *san[6];	/* DNS names, or IP literals; NULL-ended */
	time_t not_before;
	time_t not_after;
	bool ca;		/* basicConstraints CA:TRUE, keyCertSign */
	bool no_key_ids;	/* neither SKI nor AKI (look-alike chains) */
	gnutls_digest_algorithm_t dig;	/* 0: SHA-256 */
	bool has_pathlen;	/* a CA's pathLenConstraint, pathlen */
	int pathlen;
	const char *nc_permit;	/* a CA's permitted DNS subtree, or NULL */
	unsigned key_usage;	/* 0: the usual for a CA or a leaf */
	const char *eku;	/* a leaf's purpose OID; NULL: TLS server */
};

/* A fresh key: ECDSA P-256 unless bits asks for RSA of that size. */
static inline gnutls_x509_privkey_t
tg_key(unsigned rsa_bits)
{
	gnutls_x509_privkey_t k = NULL;

	if (gnutls_x509_privkey_init(&k) < 0)
		return NULL;
	if ((rsa_bits ? gnutls_x509_privkey_generate(k, GNUTLS_PK_RSA,
	    rsa_bits, 0) : gnutls_x509_privkey_generate(k, GNUTLS_PK_ECDSA,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0)) < 0) {
		gnutls_x509_privkey_deinit(k);
		return NULL;
	}
	return k;
}

/*
 * The certificate of sp for key, signed by issuer (with issuer_key), or
 * self-signed when issuer is NULL.  NULL when GnuTLS refuses.
 */
static inline struct cd_cert *
tg_cert(const struct tg_spec *sp, gnutls_x509_privkey_t key,
    const struct cd_cert *issuer, gnutls_x509_privkey_t issuer_key)
{
	static unsigned serial_no = 1;
	gnutls_x509_crt_t crt = NULL;
	struct cd_cert *c = NULL;
	unsigned char serial[4], id[64], ip[16];
	size_t idlen = sizeof(id), i;
	gnutls_datum_t der = {NULL, 0};
	int r = 0;

	serial_no++;
	serial[0] = 0x10;
	serial[1] = (unsigned char)(serial_no >> 16);
	serial[2] = (unsigned char)(serial_no >> 8);
	serial[3] = (unsigned char)serial_no;
	if (gnutls_x509_crt_init(&crt) < 0)
		return NULL;
	r |= gnutls_x509_crt_set_version(crt, 3);
	r |= gnutls_x509_crt_set_serial(crt, serial, sizeof(serial));
	r |= gnutls_x509_crt_set_activation_time(crt, sp->not_before);
	r |= gnutls_x509_crt_set_expiration_time(crt, sp->not_after);
	r |= gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0,
	    sp->cn, (unsigned)strlen(sp->cn));
	r |= gnutls_x509_crt_set_key(crt, key);
	r |= gnutls_x509_crt_set_basic_constraints(crt, sp->ca,
	    sp->has_pathlen ? sp->pathlen : -1);
	if (sp->key_usage)
		r |= gnutls_x509_crt_set_key_usage(crt, sp->key_usage);
	else if (sp->ca)
		r |= gnutls_x509_crt_set_key_usage(crt,
		    GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN |
		    GNUTLS_KEY_DIGITAL_SIGNATURE);
	if (!sp->ca)
		r |= gnutls_x509_crt_set_key_purpose_oid(crt,
		    sp->eku ? sp->eku : GNUTLS_KP_TLS_WWW_SERVER, 0);
	if (sp->nc_permit != NULL) {
		gnutls_x509_name_constraints_t nc = NULL;
		gnutls_datum_t name = {(unsigned char *)(uintptr_t)sp->nc_permit,
		    (unsigned)strlen(sp->nc_permit)};

		if (gnutls_x509_name_constraints_init(&nc) < 0 ||
		    gnutls_x509_name_constraints_add_permitted(nc,
		    GNUTLS_SAN_DNSNAME, &name) < 0 ||
		    gnutls_x509_crt_set_name_constraints(crt, nc, 1) < 0)
			r |= -1;
		if (nc != NULL)
			gnutls_x509_name_constraints_deinit(nc);
	}
	for (i = 0; i < 6 && sp->san[i] != NULL; i++) {
		unsigned how = i == 0 ? GNUTLS_FSAN_SET : GNUTLS_FSAN_APPEND;

		if (inet_pton(AF_INET, sp->san[i], ip) == 1)
			r |= gnutls_x509_crt_set_subject_alt_name(crt,
			    GNUTLS_SAN_IPADDRESS, ip, 4, how);
		else if (inet_pton(AF_INET6, sp->san[i], ip) == 1)
			r |= gnutls_x509_crt_set_subject_alt_name(crt,
			    GNUTLS_SAN_IPADDRESS, ip, 16, how);
		else
			r |= gnutls_x509_crt_set_subject_alt_name(crt,
			    GNUTLS_SAN_DNSNAME, sp->san[i],
			    (unsigned)strlen(sp->san[i]), how);
	}
	if (!sp->no_key_ids) {
		if (gnutls_x509_crt_get_key_id(crt, 0, id, &idlen) < 0)
			r |= -1;
		else
			r |= gnutls_x509_crt_set_subject_key_id(crt, id, idlen);
	}
	if (r < 0)
		goto out;
	/*
	 * GnuTLS copies the issuer's SKI into the AKI by itself; a look-
	 * alike chain must carry neither, so the judge has only names and
	 * signatures to go by.
	 */
	if (issuer != NULL && !sp->no_key_ids) {
		idlen = sizeof(id);
		if (gnutls_x509_crt_get_subject_key_id(issuer->crt, id, &idlen,
		    NULL) >= 0 && gnutls_x509_crt_set_authority_key_id(crt, id,
		    idlen) < 0)
			goto out;
	}
	if (gnutls_x509_crt_sign2(crt, issuer ? issuer->crt : crt,
	    issuer ? issuer_key : key, sp->dig ? sp->dig : GNUTLS_DIG_SHA256,
	    0) < 0)
		goto out;
	/*
	 * Through DER, as a server's certificates arrive: GnuTLS keeps the
	 * raw names (which its trust list looks issuers up by) only for a
	 * certificate it imported.
	 */
	if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) < 0)
		goto out;
	if (cd_x509_from_der(der.data, der.size, &c, NULL) != CD_OK)
		c = NULL;
	gnutls_free(der.data);
out:
	gnutls_x509_crt_deinit(crt);
	return c;
}

/* Write c as PEM to path (a --cafile); false on failure. */
static inline bool
tg_write_pem(const struct cd_cert *c, const char *path)
{
	unsigned char buf[8192];
	size_t len = sizeof(buf);
	FILE *fp;
	bool ok;

	if (gnutls_x509_crt_export(c->crt, GNUTLS_X509_FMT_PEM, buf, &len) < 0 ||
	    (fp = fopen(path, "w")) == NULL)
		return false;
	ok = fwrite(buf, 1, len, fp) == len;
	return fclose(fp) == 0 && ok;
}

#endif /* CD_TEST_CERTGEN_H */
