/*
 * nsprobe_int.h - what the probe of a zone's servers found, shared by
 * the probe (nsprobe.c) and its findings (nsprobe_report.c).
 */
#ifndef CD_NSPROBE_INT_H
#define CD_NSPROBE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "nsprobe.h"

/* Enough for any real zone; a zone with more is probed in part. */
#define CD_NSPROBE_MAX 16

struct cd_ns_server {
	char *ns;		/* the nameserver's host name */
	char addr[46];
	bool answered;		/* anything at all came back */
	int soa_rcode;		/* the zone's SOA query; -1: no reply */
	bool soa_aa;
	bool edns_ok;		/* an OPT record came back to an EDNS query */
	bool edns_formerr;	/* FORMERR with EDNS, an answer without */
	bool case_ok;		/* the question was echoed as asked */
	int q_rcode;		/* the probed name and type; -1: no reply */
	bool q_aa;
	bool q_soa;		/* the negative answer names its zone */
	unsigned q_n;		/* records in the answer */
	char *q_set;		/* the answer, canonical, for comparison */
	char **q_txt;		/* TXT values of the answer (TXT probes) */
	size_t q_ntxt;
};

struct cd_nsprobe {
	char *name;
	int qtype;
	char *zone;		/* NULL: not found */
	char *why;		/* why not */
	char **noaddr;		/* nameservers without an address */
	size_t nnoaddr;
	struct cd_ns_server s[CD_NSPROBE_MAX];
	size_t n;
};

#endif
