/*
 * certcache.h - issuer certificates decoded once per context and shared
 * by the checks that meet them (certcache.c).
 */
#ifndef CD_CERTCACHE_H
#define CD_CERTCACHE_H

#include "x509.h"

struct cd_certcache;

cd_rc cd_certcache_new(struct cd_certcache **out, struct cd_err *err);
void cd_certcache_free(struct cd_certcache *cc);

/*
 * cd_x509_from_der() through the cache (cc NULL: none): *out may be
 * shared with other threads; it is read-only, and cd_cert_free() drops
 * the caller's reference.
 */
cd_rc cd_certcache_decode(struct cd_certcache *cc, const unsigned char *der,
    size_t len, struct cd_cert **out, struct cd_err *err);

#endif
