/*
 * viewlookup.h - one name and type as the CA's view of DNS answers it
 * (lib/dns/caview.c), or, with --dns-server alone, as that resolver does:
 * the parsed message with its DNSSEC state and Extended DNS Error, for
 * the checks that read records the CA or a DANE client reads (TXT for
 * the DNS challenges, TLSA).
 */
#ifndef CD_VIEWLOOKUP_H
#define CD_VIEWLOOKUP_H

#include "caview.h"
#include "ctx.h"
#include "dnsmsg.h"

struct cd_view_answer {
	bool answered;		/* a message came back */
	bool timed_out;		/* the deadline passed first */
	bool parsed;		/* m holds it */
	int rcode;		/* -1 without a parsed message */
	struct cd_dnsmsg m;
	/*
	 * The validator's verdict; a stub resolver's AD bit gives
	 * CD_DNSSEC_SECURE, its absence CD_DNSSEC_UNCHECKED.
	 */
	enum cd_dnssec dnssec;
	char *why_bogus;	/* the validator's reason, or NULL */
	int ede;		/* Extended DNS Error code, or -1 */
	char *ede_text;
};

/*
 * Ask for name/type before deadline.  A failure to ask at all (no view,
 * no resolver) is an error; anything the DNS answered, SERVFAIL and
 * timeouts included, is CD_OK with out saying it.  Clear out either way.
 */
cd_rc cd_view_lookup(const struct cd_ctx *ctx, const char *name, int type,
    int64_t deadline, struct cd_view_answer *out, struct cd_err *err);
void cd_view_answer_clear(struct cd_view_answer *a);

#endif
