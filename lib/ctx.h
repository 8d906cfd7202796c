/* ctx.h - the shared, read-only state of a run. */
#ifndef CD_CTX_H
#define CD_CTX_H

#include <pthread.h>

#include "trust.h"

struct cd_ctx {
	struct cd_opts o;	/* copied; o.dns_servers is dns_csv */
	char *dns_csv;		/* normalised --dns-server list or NULL */
	/* The trust store is loaded on first use: caacheck and http01check
	 * never pay for it. */
	pthread_mutex_t mu;
	struct cd_trust *trust;
	bool trust_tried;
	struct cd_err trust_err;
};

/* The trust store (loaded once, thread-safe); CD_E_IO when unreadable. */
cd_rc cd_ctx_trust(const struct cd_ctx *ctx, const struct cd_trust **out,
    struct cd_err *err);

#endif
