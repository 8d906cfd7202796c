/*
 * caview.h - DNS as the CA's resolver sees it.  Let's Encrypt's
 * validation authority asks its own Unbound, which iterates from the
 * root, validates DNSSEC, caches nothing and randomises the letter case
 * of query names; the answers (rcode, records, Extended DNS Error) are
 * what decide.  This module runs the same resolver, libunbound, set up
 * the same way, one context per check so nothing is cached between
 * checks either.
 */
#ifndef CD_CAVIEW_H
#define CD_CAVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cd_internal.h"

struct cd_ctx;
struct cd_caview;

/* How the CA's view of a run is made (--root-hints, --no-ca-view, ...). */
enum cd_caview_mode {
	CD_CAVIEW_RECURSIVE = 0,	/* libunbound from the roots */
	CD_CAVIEW_STUB,		/* --dns-server stands in for it */
	CD_CAVIEW_OFF		/* --no-ca-view */
};

enum cd_dnssec {
	CD_DNSSEC_UNCHECKED = 0,	/* no validation was done */
	CD_DNSSEC_SECURE,
	CD_DNSSEC_INSECURE,
	CD_DNSSEC_BOGUS,
	CD_DNSSEC_INDETERMINATE	/* the lookup failed before validation */
};

/* "secure", "insecure", ... as the JSON "dnssec" field writes it. */
const char *cd_dnssec_name(enum cd_dnssec s);

enum cd_caview_mode cd_caview_mode_of(const struct cd_ctx *ctx);

/* The root hints and trust anchor files a run uses (for the report). */
const char *cd_caview_hints_file(const struct cd_ctx *ctx);
const char *cd_caview_anchor_file(const struct cd_ctx *ctx);

/* One answer of the CA's view. */
struct cd_caview_answer {
	bool answered;		/* false: timed out or the resolver failed */
	bool timed_out;		/* the deadline passed first */
	int rcode;		/* as the CA's resolver would send it */
	unsigned char *pkt;	/* the answer message (owned), or NULL */
	size_t len;
	unsigned char (*addr)[16]; /* A or AAAA rdata, 4 or 16 bytes each */
	size_t naddr;
	enum cd_dnssec dnssec;
	char *why_bogus;	/* the validator's reason, or NULL */
	int ede;		/* Extended DNS Error code, or -1 */
	char *ede_text;		/* its extra text (the validator's reason) */
};

/*
 * A resolver set up as the CA's.  CD_E_USAGE for unreadable hints or
 * anchors, CD_E_INTERNAL for a libunbound failure.
 */
cd_rc cd_caview_new(const struct cd_ctx *ctx, struct cd_caview **out,
    struct cd_err *err);
/*
 * The same resolver without validation: to find the servers of a zone
 * whose DNSSEC is broken, and explain why.
 */
cd_rc cd_caview_new_plain(const struct cd_ctx *ctx, struct cd_caview **out,
    struct cd_err *err);
void cd_caview_free(struct cd_caview *v);

/*
 * Read --root-hints and --trust-anchor now (no traffic): CD_E_USAGE
 * naming the file and line libunbound could not parse.
 */
cd_rc cd_caview_check_files(const struct cd_ctx *ctx, struct cd_err *err);

/*
 * Pure part of the above: libunbound's "FILE:L:C: reason" (L counts the
 * newline that ends the line) as "FILE line N: reason"; nl newlines in
 * the file, ends_nl its last byte is one.  msg as is when it names no
 * line of file.
 */
void cd_caview_where(const char *msg, const char *file, size_t nl,
    bool ends_nl, char *out, size_t len);

/*
 * Resolve n names (type, class IN) at once; out[i] for names[i], each
 * cleared with cd_caview_answer_clear().  At the deadline the queries
 * still open are cancelled and read as timed out.
 */
cd_rc cd_caview_query_many(struct cd_caview *v, const char *const *names,
    size_t n, int type, int64_t deadline, struct cd_caview_answer *out,
    struct cd_err *err);
/* The same with a type per name (types NULL: type for all). */
cd_rc cd_caview_query_types(struct cd_caview *v, const char *const *names,
    const int *types, int type, size_t n, int64_t deadline,
    struct cd_caview_answer *out, struct cd_err *err);
void cd_caview_answer_clear(struct cd_caview_answer *a);

/*
 * The CA's sentence after "DNS problem: " for a lookup that failed
 * (Boulder bdns): "SERVFAIL looking up CAA for x - the domain's ...",
 * or with an Extended DNS Error "looking up CAA for x: DNSSEC: Signature
 * Expired: <text>".  no_answer: nothing came back (timed_out says
 * whether the deadline passed).  Caller frees; NULL on no memory.
 */
char *cd_dns_problem(const char *type, const char *name, bool timed_out,
    bool no_answer, int rcode, int ede, const char *ede_text);

/* Boulder's summary for an Extended DNS Error code ("DNSSEC: Bogus"). */
const char *cd_ede_summary(int code, char *buf, size_t len);

/*
 * The Extended DNS Error Unbound attaches for a validation failure,
 * from the reason it gives (libunbound reports the reason, not the
 * code): "signature expired" is 7, "no signatures" 10, and so on.
 */
int cd_ede_from_reason(const char *why_bogus);

/* ------------------------------------------------------------------ */
/* In reports (caview_report.c).                                        */

struct cd_report;

/*
 * The top-level "ca_view" object (mode, root hints, trust anchor) and,
 * when the CA's view is not made from the roots, the informational
 * problem that says what the prediction is then blind to.
 */
void cd_caview_describe(struct cd_report *r, const struct cd_ctx *ctx);

/*
 * dnssec_bogus for a lookup the validator rejected: the zone (taken
 * from the validator's reason), what is wrong in DNS terms, and the fix
 * a DNS operator can act on.
 */
void cd_caview_bogus(struct cd_report *r, const char *type,
    const char *name, int ede, const char *why_bogus);


#endif
