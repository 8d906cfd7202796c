/* trust.c - trust anchors and GnuTLS chain verification. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/crypto.h>

#include "err.h"
#include "trust.h"

/*
 * A fleet serves the same chain from many endpoints (one certificate on
 * every node behind a name, a wildcard on a thousand hosts).  Verifying
 * it again costs a signature check per link; the verdict is the same
 * until a validity boundary of the chain passes, so a batch remembers it.
 * Kept apart from struct cd_trust, which is shared read-only.
 */
#define MEMO_SLOTS 64
#define MEMO_MAX_AGE 300	/* seconds: anchors' own dates are not seen */

struct verdict {
	unsigned char key[32];	/* SHA-256 over the chain's fingerprints */
	unsigned status;
	time_t until;		/* the next notBefore/notAfter to pass */
	bool used;
};

struct verdict_memo {
	pthread_mutex_t mu;
	struct verdict slot[MEMO_SLOTS];
	size_t next;
};

struct cd_trust {
	gnutls_x509_trust_list_t tl;
	struct verdict_memo *memo;
};

void
cd_trust_free(struct cd_trust *t)
{
	if (t == NULL)
		return;
	if (t->tl)
		gnutls_x509_trust_list_deinit(t->tl, 1);
	if (t->memo != NULL)
		pthread_mutex_destroy(&t->memo->mu);
	free(t->memo);
	free(t);
}

cd_rc
cd_trust_new(const char *cafile, struct cd_trust **out, struct cd_err *err)
{
	struct cd_trust *t;
	int r;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	/* Without the memo every chain is simply verified each time. */
	if ((t->memo = calloc(1, sizeof(*t->memo))) != NULL &&
	    pthread_mutex_init(&t->memo->mu, NULL) != 0) {
		free(t->memo);
		t->memo = NULL;
	}
	if ((r = gnutls_x509_trust_list_init(&t->tl, 0)) < 0) {
		free(t->memo);
		free(t);
		return cd_err_lib(err, CD_E_NOMEM, "gnutls", r, "gnutls: %s",
		    gnutls_strerror(r));
	}
	if (cafile != NULL)
		r = gnutls_x509_trust_list_add_trust_file(t->tl, cafile, NULL,
		    GNUTLS_X509_FMT_PEM, 0, 0);
	else
		r = gnutls_x509_trust_list_add_system_trust(t->tl, 0, 0);
	if (r <= 0) {
		cd_trust_free(t);
		if (cafile != NULL)
			return cd_err_lib(err, CD_E_IO, "gnutls", r,
			    "%s: no CA certificate could be read%s%s", cafile,
			    r < 0 ? ": " : "", r < 0 ? gnutls_strerror(r) : "");
		return cd_err_lib(err, CD_E_IO, "gnutls", r,
		    "system trust store: no CA certificate could be read "
		    "(install ca-certificates, or use --cafile)");
	}
	*out = t;
	return CD_OK;
}

/* Each GnuTLS status bit as users read it, in the order of importance. */
static const struct {
	unsigned bit;
	const char *text;
} reason_tab[] = {
	{GNUTLS_CERT_SIGNER_NOT_FOUND, "issuer not found among the "
	    "certificates sent and the trusted roots"},
	{GNUTLS_CERT_SIGNER_NOT_CA, "issuer is not a CA certificate"},
	{GNUTLS_CERT_SIGNATURE_FAILURE, "signature does not verify"},
	{GNUTLS_CERT_EXPIRED, "a certificate in the chain has expired"},
	{GNUTLS_CERT_NOT_ACTIVATED, "a certificate in the chain is not yet "
	    "valid"},
	{GNUTLS_CERT_INSECURE_ALGORITHM, "insecure algorithm (weak "
	    "signature hash or key)"},
	{GNUTLS_CERT_REVOKED, "revoked"},
	{GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE, "issuer's name "
	    "constraints or path length forbid this certificate"},
	{GNUTLS_CERT_PURPOSE_MISMATCH, "not valid for TLS server "
	    "authentication (extended key usage)"},
	{GNUTLS_CERT_UNKNOWN_CRIT_EXTENSIONS, "unknown critical extension"},
	{GNUTLS_CERT_UNEXPECTED_OWNER, "unexpected owner"},
	{GNUTLS_CERT_MISMATCH, "certificate mismatch"},
	{GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED, "revocation data is old"},
	{GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE, "revocation data "
	    "issued in the future"},
	{GNUTLS_CERT_MISSING_OCSP_STATUS, "required OCSP status missing"},
	{GNUTLS_CERT_INVALID_OCSP_STATUS, "invalid OCSP status"},
};

void
cd_verify_clear(struct cd_verify *v)
{
	size_t i;

	for (i = 0; i < v->nreasons; i++)
		free(v->reasons[i]);
	free(v->reasons);
	memset(v, 0, sizeof(*v));
}

/* The memo key of a chain, and the moment its verdict may change. */
static bool
memo_key(struct cd_cert *const *certs, size_t n, time_t now,
    unsigned char key[32], time_t *until)
{
	gnutls_hash_hd_t h;
	size_t i;
	bool ok = true;

	*until = now + MEMO_MAX_AGE;
	if (gnutls_hash_init(&h, GNUTLS_DIG_SHA256) < 0)
		return false;
	for (i = 0; i < n; i++) {
		if (certs[i]->sha256 == NULL ||
		    gnutls_hash(h, certs[i]->sha256,
		    strlen(certs[i]->sha256) + 1) < 0)
			ok = false;
		if (certs[i]->not_before > now && certs[i]->not_before < *until)
			*until = certs[i]->not_before;
		if (certs[i]->not_after >= now && certs[i]->not_after < *until)
			*until = certs[i]->not_after;
	}
	gnutls_hash_deinit(h, key);
	return ok;
}

static bool
memo_get(struct verdict_memo *m, const unsigned char key[32], time_t now,
    unsigned *status)
{
	size_t i;
	bool hit = false;

	pthread_mutex_lock(&m->mu);
	for (i = 0; i < MEMO_SLOTS && !hit; i++)
		if (m->slot[i].used && now < m->slot[i].until &&
		    memcmp(m->slot[i].key, key, 32) == 0) {
			*status = m->slot[i].status;
			hit = true;
		}
	pthread_mutex_unlock(&m->mu);
	return hit;
}

static void
memo_put(struct verdict_memo *m, const unsigned char key[32], time_t until,
    unsigned status)
{
	struct verdict *v;

	pthread_mutex_lock(&m->mu);
	v = &m->slot[m->next];
	m->next = (m->next + 1) % MEMO_SLOTS;
	memcpy(v->key, key, 32);
	v->status = status;
	v->until = until;
	v->used = true;
	pthread_mutex_unlock(&m->mu);
}

cd_rc
cd_trust_verify(const struct cd_trust *t, struct cd_cert *const *certs,
    size_t n, struct cd_verify *out, struct cd_err *err)
{
	unsigned char key[32];
	time_t now = time(NULL), until = 0;
	bool keyed = false;
	gnutls_x509_crt_t *list;
	gnutls_typed_vdata_st vd;
	unsigned status = 0;
	size_t i;
	int r;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return cd_err_set(err, CD_E_INTERNAL, "no certificate to verify");
	if (t->memo != NULL)
		keyed = memo_key(certs, n, now, key, &until);
	if (!keyed || !memo_get(t->memo, key, now, &status)) {
		if ((list = calloc(n, sizeof(*list))) == NULL)
			return cd_err_set(err, CD_E_NOMEM, "out of memory");
		for (i = 0; i < n; i++)
			list[i] = certs[i]->crt;
		memset(&vd, 0, sizeof(vd));
		vd.type = GNUTLS_DT_KEY_PURPOSE_OID;
		vd.data = (unsigned char *)(uintptr_t)GNUTLS_KP_TLS_WWW_SERVER;
		r = gnutls_x509_trust_list_verify_crt2(t->tl, list,
		    (unsigned)n, &vd, 1, 0, &status, NULL);
		free(list);
		if (r < 0)
			return cd_err_lib(err, CD_E_TLS, "gnutls", r,
			    "verification: %s", gnutls_strerror(r));
		if (keyed)
			memo_put(t->memo, key, until, status);
	}
	out->status = status;
	out->trusted = status == 0;
	if ((out->reasons = calloc(CD_ARRAY_LEN(reason_tab) + 1,
	    sizeof(char *))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	for (i = 0; i < CD_ARRAY_LEN(reason_tab); i++)
		if ((status & reason_tab[i].bit) &&
		    (out->reasons[out->nreasons++] =
		    strdup(reason_tab[i].text)) == NULL) {
			cd_verify_clear(out);
			return cd_err_set(err, CD_E_NOMEM, "out of memory");
		}
	if (!out->trusted && out->nreasons == 0)
		out->reasons[out->nreasons++] = strdup("not trusted");
	return CD_OK;
}

bool
cd_trust_has_issuer(const struct cd_trust *t, const struct cd_cert *c)
{
	gnutls_x509_crt_t issuer = NULL;

	/* Borrowed: GnuTLS keeps ownership without GNUTLS_TL_GET_COPY. */
	return gnutls_x509_trust_list_get_issuer(t->tl, c->crt, &issuer,
	    0) == 0;
}

bool
cd_trust_is_anchor(const struct cd_trust *t, const struct cd_cert *c)
{
	unsigned status = 0;
	gnutls_x509_crt_t crt = c->crt;

	/* A self-signed anchor verifies as a chain of one. */
	return c->self_signed && gnutls_x509_trust_list_verify_crt(t->tl, &crt,
	    1, GNUTLS_VERIFY_DISABLE_TIME_CHECKS, &status, NULL) == 0 &&
	    status == 0;
}
