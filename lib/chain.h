/*
 * chain.h - the structure of a served chain: which certificate issued
 * which, whether they come in order, what is missing or extra.  Pure: no
 * I/O, no verdicts (cert_report.c turns these facts into problems).
 */
#ifndef CD_CHAIN_H
#define CD_CHAIN_H

#include "trust.h"

/* Longest chain we analyse; a hostile server may send more. */
#define CD_CHAIN_MAX 64

struct cd_chain_facts {
	size_t path[CD_CHAIN_MAX];	/* served indexes, leaf first */
	size_t npath;
	size_t extra[CD_CHAIN_MAX];	/* served but not on the path */
	size_t nextra;
	bool ordered;		/* served[0..npath) is the path */
	bool root_sent;		/* path ends in a self-signed CA, sent */
	bool issuer_missing;	/* the top's issuer is nowhere to be found */
	bool incomplete;	/* ... and the top is not a CA: a missing
				 * intermediate, the cert.pem mistake */
	size_t top;		/* served index of the top of the path */
};

/* Analyse n served certificates (n >= 1).  trust may be NULL. */
void cd_chain_analyze(struct cd_cert *const *certs, size_t n,
    const struct cd_trust *trust, struct cd_chain_facts *out);

#endif
