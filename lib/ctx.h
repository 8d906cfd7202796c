/* ctx.h - the shared, read-only state of a run. */
#ifndef CD_CTX_H
#define CD_CTX_H

#include "trust.h"

struct cd_ctx {
	struct cd_opts o;	/* copied; o.dns_servers is dns_csv */
	struct cd_trust *trust;
	char *dns_csv;		/* normalised --dns-server list or NULL */
};

#endif
