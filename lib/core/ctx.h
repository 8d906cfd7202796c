/* ctx.h - the shared, read-only state of a run. */
#ifndef CD_CTX_H
#define CD_CTX_H

#include <pthread.h>

#include "opts.h"
#include "policy.h"

/* The parts of a context that higher layers make and own (ctx.c). */
struct cd_trust;
struct cd_ctlogs;
struct cd_caview;
struct cd_certcache;

struct cd_ctx {
	struct cd_opts o;	/* copied; o.dns_servers is dns_csv */
	char *dns_csv;		/* normalised --dns-server list or NULL */
	/* The trust store is loaded on first use: caacheck and http01check
	 * never pay for it. */
	pthread_mutex_t mu;
	bool mu_ready;
	struct cd_trust *trust;
	bool trust_tried;
	struct cd_err trust_err;
	/* The CA's view, made on first use and shared by every check: one
	 * validating resolver, one without validation (nsprobe.c). */
	struct cd_caview *caview[2];
	/* --root-hints without --trust-anchor, and that root is unsigned:
	 * the Internet's root key cannot apply, validation is off. */
	bool root_unsigned;
	struct cd_policy policy;	/* o.ignore and o.severity */
	struct cd_ctlogs *ctlogs;	/* o.ct_logs or the shipped list */
	/* Issuer certificates decoded once (certcache.c); NULL: none. */
	struct cd_certcache *certcache;
};

/*
 * The run's CA-style resolver (validate) or its non-validating twin,
 * made on first use; borrowed, thread-safe, freed with the context.
 */
cd_rc cd_ctx_caview(const struct cd_ctx *ctx, bool validate,
    struct cd_caview **out, struct cd_err *err);

/* The trust store (loaded once, thread-safe); CD_E_IO when unreadable. */
cd_rc cd_ctx_trust(const struct cd_ctx *ctx, const struct cd_trust **out,
    struct cd_err *err);

#endif
