/*
 * caa.h - CAA as Let's Encrypt's CA (Boulder) decides it: the value
 * parser, the per-record match (issuer, accounturi, validationmethods),
 * the relevant-set selection over the levels of a name, and the verdict.
 * Pure: the DNS answers come in as data, so every rule is unit-tested
 * without a server.
 */
#ifndef CD_CAA_H
#define CD_CAA_H

#include <sys/types.h>

#include "cd_internal.h"
#include "dnsmsg.h"	/* struct cd_caa_rr, as an answer carries it */

/* What one level's CAA query returned, in the CA's terms. */
enum cd_caa_level_kind {
	CD_CAA_LVL_EMPTY = 0,	/* NOERROR without CAA, or NXDOMAIN below a TLD */
	CD_CAA_LVL_RECORDS,
	CD_CAA_LVL_ERROR	/* decides the outcome if nothing below had records */
};

struct cd_caa_level {
	char *name;		/* the name queried, A-label form */
	enum cd_caa_level_kind kind;
	struct cd_caa_rr *rrs;
	size_t nrrs;
	char **cnames;		/* aliases followed in the answer, in order */
	size_t ncnames;
	char *rcode;		/* "NOERROR", "NXDOMAIN", "SERVFAIL", ... */
	char *error;		/* Boulder's detail after "DNS problem: " */
	bool truncated_udp;	/* the UDP answer was truncated (TCP used) */
	const char *dnssec;	/* "secure", "bogus", ... (static) */
	char *why_bogus;	/* the validator's reason, or NULL */
	int ede;		/* Extended DNS Error code, or -1 */
	bool ad;		/* stub view: the server set the AD bit */
};

struct cd_caa_param {
	char *tag;
	char *value;
};

/*
 * Boulder's value parser: split on ';', part 0 trimmed is the issuer
 * domain, then tag=value pairs split on the first '='; tags letters and
 * digits only; values %x21-7E except ';'.  On CD_E_PARSE err->msg is
 * Boulder's reason ("tag contains disallowed character: ...").
 * Caller frees with cd_caa_params_free().
 */
cd_rc cd_caa_parse_value(const char *value, size_t len, char **issuer,
    struct cd_caa_param **params, size_t *nparams, struct cd_err *err);
void cd_caa_params_free(struct cd_caa_param *p, size_t n);

/* What the request is: the CA, the account, the challenge type. */
struct cd_caa_request {
	const char *identifier;	/* as requested, maybe "*.example.com" */
	const char *issuer;	/* "letsencrypt.org" */
	const char *account_uri; /* or NULL: unknown */
	const char *method;	/* "http-01", "dns-01", "tls-alpn-01" */
};

enum cd_caa_verdict {
	CD_CAA_ALLOWED = 0,
	CD_CAA_REFUSED,		/* by the records */
	CD_CAA_DNS_REFUSED	/* a DNS failure that makes the CA refuse */
};

struct cd_caa_result {
	enum cd_caa_verdict verdict;
	bool wildcard;
	ssize_t found;		/* level index of the relevant set, or -1 */
	ssize_t error_level;	/* level whose error decided, or -1 */
	bool critical_unknown;	/* refused for an unknown critical tag */
	ssize_t matched;	/* record index that authorises, or -1 */
	char *reason;		/* Boulder's wording, e.g. "While processing
				 * CAA for x: CAA record for y prevents
				 * issuance" */
};

/*
 * The levels are the name's suffixes from the full name down to the TLD,
 * in that order (levels[0] is the name itself).
 */
cd_rc cd_caa_evaluate(const struct cd_caa_request *req,
    const struct cd_caa_level *levels, size_t nlevels,
    struct cd_caa_result *out, struct cd_err *err);
void cd_caa_result_clear(struct cd_caa_result *r);

/* Does this one record authorise req?  why (may be NULL) says why not. */
bool cd_caa_record_matches(const struct cd_caa_rr *rr,
    const struct cd_caa_request *req, char *why, size_t whylen);

/* Tag classes, case-insensitive as Boulder compares them. */
bool cd_caa_tag_is(const char *tag, const char *want);
bool cd_caa_tag_known(const char *tag);
/* An unknown tag with flag 128 or 1 (Boulder's alias) set. */
bool cd_caa_critical_unknown(const struct cd_caa_rr *rr);

#endif
