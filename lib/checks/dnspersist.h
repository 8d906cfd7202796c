/*
 * dnspersist.h - dns-persist-01 (draft-ietf-acme-dns-persist): the TXT
 * record at _validation-persist.NAME that authorizes one ACME account
 * for good, parsed and judged as Let's Encrypt's validator does
 * (Boulder va/dns_persist.go), as pure functions of the record text so
 * the unit tests and the fuzzer can feed it anything.
 */
#ifndef CD_DNSPERSIST_H
#define CD_DNSPERSIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cd_internal.h"

#define CD_DNSPERSIST_PREFIX "_validation-persist"

/*
 * A renewal starts within a certificate's lifetime: a record that stops
 * authorizing the account before then fails a renewal to come.  Let's
 * Encrypt's default profile issues for 90 days.
 */
#define CD_DNSPERSIST_RENEWAL_DAYS 90

/* One record, parsed. */
struct cd_dnspersist {
	char *issuer;		/* normalised; NULL when the name is malformed */
	char *why;		/* why the record is malformed; NULL when not */
	char *account_uri;	/* NULL when malformed */
	char *policy;		/* as written; NULL when absent */
	bool has_until;
	int64_t until;		/* persistUntil, Unix seconds */
};

/*
 * The issuer-domain-name as the CA normalises it: lower case, NFC, the
 * A-label form, no trailing dot, at most 253 octets; letters, digits
 * and hyphens only (Go's IDNA lookup profile with STD3 rules).  NULL
 * when it is not one (or ENOMEM).
 */
char *cd_dnspersist_issuer(const char *name);

/*
 * Parse record (the TXT record's strings joined).  False when it is
 * malformed: p->why says why in the CA's words, and p->issuer is set
 * when the issuer part itself was fine.  *oom on ENOMEM.  Free with
 * cd_dnspersist_clear() either way.
 */
bool cd_dnspersist_parse(const char *record, struct cd_dnspersist *p,
    bool *oom);
void cd_dnspersist_clear(struct cd_dnspersist *p);

enum cd_dnspersist_refusal {
	CD_DNSPERSIST_OK,
	CD_DNSPERSIST_ACCOUNT,	/* accounturi is another account's */
	CD_DNSPERSIST_POLICY,	/* a wildcard without policy=wildcard */
	CD_DNSPERSIST_EXPIRED,	/* persistUntil is in the past */
};

/*
 * Would the well-formed record p authorize account (NULL: any account,
 * the check skipped) for a name (wildcard or not) at time now?  With a
 * refusal, *msg (caller frees) is the CA's reason ("accounturi
 * mismatch: expected ..., got ...").
 */
enum cd_dnspersist_refusal cd_dnspersist_check(const struct cd_dnspersist *p,
    const char *account, bool wildcard, int64_t now, char **msg);

enum cd_dnspersist_verdict {
	CD_DNSPERSIST_VALID,
	CD_DNSPERSIST_NO_TXT,		/* no TXT record at all */
	CD_DNSPERSIST_MALFORMED,	/* a record for this CA is malformed */
	CD_DNSPERSIST_UNAUTHORIZED,	/* records for this CA refuse */
	CD_DNSPERSIST_NONE_VALID,	/* no record for this CA */
};

/* The CA's conclusion on a whole TXT set. */
struct cd_dnspersist_result {
	enum cd_dnspersist_verdict verdict;
	enum cd_dnspersist_refusal first;	/* the first refusal's kind */
	char *message;		/* the CA's problem detail; NULL when valid */
	size_t records;		/* records naming this CA, well-formed or not */
	/* Valid: the latest time any passing record stops authorizing. */
	bool forever;		/* a passing record has no persistUntil */
	int64_t until;
};

/*
 * Judge txt[0..n) the way the CA walks it: skip records for other
 * issuers (and those whose issuer cannot be read), collect syntax
 * errors of records for issuer and refusals of well-formed ones, accept
 * at the first record that passes; with none, malformed wins over
 * unauthorized.  issuer must be normalised.  False on ENOMEM.
 */
bool cd_dnspersist_judge(char *const *txt, size_t n, const char *issuer,
    const char *account, bool wildcard, int64_t now,
    struct cd_dnspersist_result *res);
void cd_dnspersist_result_clear(struct cd_dnspersist_result *res);

/* t as Go's time.RFC3339 prints it in UTC ("2026-02-18T00:00:00Z"). */
void cd_dnspersist_rfc3339(int64_t t, char out[40]);

#endif
