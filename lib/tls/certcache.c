/*
 * certcache.c - the issuers a run meets again and again.  A fleet of
 * distinct certificates from one CA sends the same intermediate with
 * every leaf; decoding it (an ASN.1 parse, names, extensions) costs as
 * much as decoding the leaf.  The certificates after the leaf are decoded
 * once per context and shared, read-only and counted, between the
 * checks that meet them.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>

#include "certcache.h"
#include "err.h"

#define CACHE_SLOTS 32

struct slot {
	unsigned char key[32];	/* SHA-256 of the DER */
	struct cd_cert *c;	/* one reference held by the cache */
};

struct cd_certcache {
	pthread_mutex_t mu;
	struct slot slot[CACHE_SLOTS];
	size_t next;
};

cd_rc
cd_certcache_new(struct cd_certcache **out, struct cd_err *err)
{
	struct cd_certcache *cc = calloc(1, sizeof(*cc));

	if (cc == NULL || pthread_mutex_init(&cc->mu, NULL) != 0) {
		free(cc);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	*out = cc;
	return CD_OK;
}

void
cd_certcache_free(struct cd_certcache *cc)
{
	size_t i;

	if (cc == NULL)
		return;
	for (i = 0; i < CACHE_SLOTS; i++)
		cd_cert_free(cc->slot[i].c);
	pthread_mutex_destroy(&cc->mu);
	free(cc);
}

cd_rc
cd_certcache_decode(struct cd_certcache *cc, const unsigned char *der,
    size_t len, struct cd_cert **out, struct cd_err *err)
{
	unsigned char key[32];
	struct cd_cert *c = NULL, *old = NULL;
	struct slot *s;
	size_t i;
	cd_rc rc;

	if (cc == NULL || gnutls_hash_fast(GNUTLS_DIG_SHA256, der, len,
	    key) != 0)
		return cd_x509_from_der(der, len, out, err);
	pthread_mutex_lock(&cc->mu);
	for (i = 0; i < CACHE_SLOTS && c == NULL; i++)
		if (cc->slot[i].c != NULL &&
		    memcmp(cc->slot[i].key, key, sizeof(key)) == 0) {
			c = cc->slot[i].c;
			atomic_fetch_add(&c->refs, 1);
		}
	pthread_mutex_unlock(&cc->mu);
	if (c != NULL) {
		*out = c;
		return CD_OK;
	}
	if ((rc = cd_x509_from_der(der, len, &c, err)) != CD_OK)
		return rc;
	/*
	 * Shared between threads: no memo of issued_by answers, which
	 * would be written by several at once.
	 */
	c->sig_memo = NULL;
	atomic_store(&c->refs, 2);	/* the caller's and the cache's */
	pthread_mutex_lock(&cc->mu);
	s = &cc->slot[cc->next];
	cc->next = (cc->next + 1) % CACHE_SLOTS;
	old = s->c;
	memcpy(s->key, key, sizeof(key));
	s->c = c;
	pthread_mutex_unlock(&cc->mu);
	cd_cert_free(old);
	*out = c;
	return CD_OK;
}
