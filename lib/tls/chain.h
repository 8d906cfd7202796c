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
/*
 * Issuer candidates tried while laying out the path.  Certificates with
 * the same names and no key identifiers cost a signature check each: 64
 * of them sent in reverse order would take about 2,000 (1.5 s with
 * 16,384-bit keys).  A real chain in any order needs a few dozen.
 */
#define CD_CHAIN_MAX_TRIES 256

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
	size_t tries;		/* issuer candidates tried */
	bool cut;		/* stopped early: out of tries or time */
	bool late;		/* ... because the deadline passed */
};

/*
 * Analyse n served certificates (n >= 1).  trust may be NULL.  Stops
 * (out->cut) at deadline (monotonic ms; 0: none) or after
 * CD_CHAIN_MAX_TRIES issuer candidates.
 */
void cd_chain_analyze(struct cd_cert *const *certs, size_t n,
    const struct cd_trust *trust, int64_t deadline,
    struct cd_chain_facts *out);

#endif
