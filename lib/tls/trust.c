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
 * The chains of issuers (verify_split()) have slots of their own, so
 * that a fleet of distinct leaves does not push its one issuer out.
 * Kept apart from struct cd_trust, which is shared read-only.
 */
#define MEMO_SLOTS 64
#define MEMO_MAX_AGE 300	/* seconds: anchors' own dates are not seen */

struct verdict {
	unsigned char key[32];	/* SHA-256 over the chain's fingerprints */
	unsigned status;
	time_t until;		/* the next notBefore/notAfter to pass */
	bool split;		/* as an issuer's chain: splittable() */
	bool used;
};

struct verdict_ring {
	struct verdict slot[MEMO_SLOTS];
	size_t next;
};

/*
 * Whether the store holds an issuer of a certificate, by its SHA-256:
 * asked of the top of every chain, which in a fleet is the same
 * intermediate every time, and GnuTLS's lookup reads its key identifier
 * again each time.  The store does not change, so neither does the
 * answer.
 */
struct anchor_ring {
	struct {
		char sha256[65];
		bool has;
	} slot[MEMO_SLOTS];
	size_t next;
};

struct verdict_memo {
	pthread_mutex_t mu;
	struct verdict_ring chains, issuers;
	struct anchor_ring anchors;
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
memo_get(struct verdict_memo *m, bool issuer, const unsigned char key[32],
    time_t now, unsigned *status, bool *split)
{
	struct verdict_ring *g = issuer ? &m->issuers : &m->chains;
	size_t i;
	bool hit = false;

	pthread_mutex_lock(&m->mu);
	for (i = 0; i < MEMO_SLOTS && !hit; i++)
		if (g->slot[i].used && now < g->slot[i].until &&
		    memcmp(g->slot[i].key, key, 32) == 0) {
			*status = g->slot[i].status;
			*split = g->slot[i].split;
			hit = true;
		}
	pthread_mutex_unlock(&m->mu);
	return hit;
}

static void
memo_put(struct verdict_memo *m, bool issuer, const unsigned char key[32],
    time_t until, unsigned status, bool split)
{
	struct verdict_ring *g = issuer ? &m->issuers : &m->chains;
	struct verdict *v;

	pthread_mutex_lock(&m->mu);
	v = &g->slot[g->next];
	g->next = (g->next + 1) % MEMO_SLOTS;
	memcpy(v->key, key, 32);
	v->status = status;
	v->split = split;
	v->until = until;
	v->used = true;
	pthread_mutex_unlock(&m->mu);
}

/* GnuTLS's verification of list against tl, for TLS server use. */
static int
verify_list(gnutls_x509_trust_list_t tl, struct cd_cert *const *certs,
    size_t n, unsigned *status)
{
	gnutls_x509_crt_t *list;
	gnutls_typed_vdata_st vd;
	size_t i;
	int r;

	if ((list = calloc(n, sizeof(*list))) == NULL)
		return GNUTLS_E_MEMORY_ERROR;
	for (i = 0; i < n; i++)
		list[i] = certs[i]->crt;
	memset(&vd, 0, sizeof(vd));
	vd.type = GNUTLS_DT_KEY_PURPOSE_OID;
	vd.data = (unsigned char *)(uintptr_t)GNUTLS_KP_TLS_WWW_SERVER;
	r = gnutls_x509_trust_list_verify_crt2(tl, list, (unsigned)n, &vd, 1,
	    0, status, NULL);
	free(list);
	return r;
}

/*
 * No constraint of c on what lies below it: name constraints, and (with
 * pathlen) a path length.
 */
static bool
unconstrained(gnutls_x509_crt_t c, bool pathlen_counts)
{
	gnutls_x509_name_constraints_t nc;
	unsigned ca = 0;
	int pathlen = -1;
	bool none;

	if (pathlen_counts && gnutls_x509_crt_get_basic_constraints(c, NULL,
	    &ca, &pathlen) >= 0 && ca && pathlen >= 0)
		return false;
	if (gnutls_x509_name_constraints_init(&nc) < 0)
		return false;
	none = gnutls_x509_crt_get_name_constraints(c, nc, 0, NULL) ==
	    GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE;
	gnutls_x509_name_constraints_deinit(nc);
	return none;
}

/*
 * Whether a leaf issued by certs[1] may be judged apart from certs[1]'s
 * chain: certs[1] may issue, no certificate above the leaf constrains
 * names, and none above certs[1] limits the path length (which the
 * leaf's level would count): then "certs[1..n) verify as a chain" and
 * "the leaf verifies under certs[1]" together say what verifying the
 * whole chain says.
 */
static bool
splittable(const struct cd_trust *t, struct cd_cert *const *certs, size_t n)
{
	gnutls_x509_crt_t anchor = NULL;
	unsigned usage = 0;
	size_t i;

	if (!certs[1]->is_ca)
		return false;
	if (gnutls_x509_crt_get_key_usage(certs[1]->crt, &usage, NULL) >= 0 &&
	    !(usage & GNUTLS_KEY_KEY_CERT_SIGN))
		return false;
	for (i = 1; i < n; i++)
		if (!unconstrained(certs[i]->crt, i > 1))
			return false;
	/* The anchor above the list, if it is not in the list itself. */
	if (gnutls_x509_trust_list_get_issuer(t->tl, certs[n - 1]->crt, &anchor,
	    0) == 0 && !unconstrained(anchor, true))
		return false;
	return true;
}

/*
 * A fleet of distinct certificates from one CA: each leaf is new, its
 * issuer's chain is not.  That chain's verdict is remembered like any
 * chain's; the leaf alone is verified under its issuer, one signature
 * instead of one per link.  Only a pass is taken this way: anything else
 * is verified whole, so that the reasons given are GnuTLS's own.
 */
static bool
verify_split(const struct cd_trust *t, struct cd_cert *const *certs,
    size_t n, time_t now, unsigned *status)
{
	gnutls_x509_trust_list_t issuer;
	gnutls_x509_crt_t ca;
	unsigned char key[32];
	unsigned upper = 1, leaf = 1;
	bool split = false;
	time_t until;
	int r;

	if (t->memo == NULL || n < 2 || !cd_cert_issued_by(certs[0], certs[1])
	    || !memo_key(certs + 1, n - 1, now, key, &until))
		return false;
	/* What the issuer's chain is, learnt once for every leaf under it. */
	if (!memo_get(t->memo, true, key, now, &upper, &split)) {
		split = splittable(t, certs, n);
		if (verify_list(t->tl, certs + 1, n - 1, &upper) < 0)
			return false;
		memo_put(t->memo, true, key, until, upper, split);
	}
	if (upper != 0 || !split ||
	    gnutls_x509_trust_list_init(&issuer, 0) < 0)
		return false;
	/* Borrowed: deinit with 0 leaves certs[1] to its owner. */
	ca = certs[1]->crt;
	r = gnutls_x509_trust_list_add_cas(issuer, &ca, 1, 0);
	if (r == 1)
		r = verify_list(issuer, certs, 1, &leaf);
	gnutls_x509_trust_list_deinit(issuer, 0);
	if (r < 0 || leaf != 0)
		return false;
	*status = 0;
	return true;
}

cd_rc
cd_trust_verify(const struct cd_trust *t, struct cd_cert *const *certs,
    size_t n, struct cd_verify *out, struct cd_err *err)
{
	unsigned char key[32];
	time_t now = time(NULL), until = 0;
	bool keyed = false, split;
	unsigned status = 0;
	size_t i;
	int r;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return cd_err_set(err, CD_E_INTERNAL, "no certificate to verify");
	if (t->memo != NULL)
		keyed = memo_key(certs, n, now, key, &until);
	if (!keyed || !memo_get(t->memo, false, key, now, &status, &split)) {
		if (!verify_split(t, certs, n, now, &status) &&
		    (r = verify_list(t->tl, certs, n, &status)) < 0)
			return cd_err_lib(err, CD_E_TLS, "gnutls", r,
			    "verification: %s", gnutls_strerror(r));
		if (keyed)
			memo_put(t->memo, false, key, until, status, false);
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
	struct anchor_ring *g;
	gnutls_x509_crt_t issuer = NULL;
	size_t i;
	bool has, keyed = t->memo != NULL && c->sha256 != NULL &&
	    c->sha256[0] != '\0' &&
	    strlen(c->sha256) < sizeof(g->slot[0].sha256);

	if (keyed) {
		g = &t->memo->anchors;
		pthread_mutex_lock(&t->memo->mu);
		for (i = 0; i < MEMO_SLOTS; i++)
			if (strcmp(g->slot[i].sha256, c->sha256) == 0) {
				has = g->slot[i].has;
				pthread_mutex_unlock(&t->memo->mu);
				return has;
			}
		pthread_mutex_unlock(&t->memo->mu);
	}
	/* Borrowed: GnuTLS keeps ownership without GNUTLS_TL_GET_COPY. */
	has = gnutls_x509_trust_list_get_issuer(t->tl, c->crt, &issuer, 0) ==
	    0;
	if (keyed) {
		pthread_mutex_lock(&t->memo->mu);
		strcpy(g->slot[g->next].sha256, c->sha256);
		g->slot[g->next].has = has;
		g->next = (g->next + 1) % MEMO_SLOTS;
		pthread_mutex_unlock(&t->memo->mu);
	}
	return has;
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
