/*
 * cert_report.h - from certificates (served by a server, or read from a
 * file) to findings: expiry against the thresholds, names, chain
 * structure, trust, weak crypto.  Shared by the remote and the local
 * checks, so both judge a chain the same way.
 */
#ifndef CD_CERT_REPORT_H
#define CD_CERT_REPORT_H

#include "chain.h"
#include "report.h"

struct cd_cert_input {
	struct cd_cert *const *certs;	/* served order; borrowed */
	size_t n;			/* >= 1 */
	const char *name;	/* A-label or IP to match, or NULL */
	const char *source;	/* file path in local mode, NULL for a server */
	const struct cd_trust *trust;
	bool custom_trust;	/* --cafile */
	bool *trusted;		/* out, unless NULL: the chain verified */
	int64_t deadline;	/* monotonic ms for the chain analysis; 0: none */
	const struct cd_ctlogs *ctlogs;	/* CT log list, or NULL */
};

/* Add findings, detail fields and perfdata for in to r. */
cd_rc cd_cert_report(const struct cd_opts *o, const struct cd_cert_input *in,
    struct cd_report *r, struct cd_err *err);

/* The JSON object for one certificate (shared with other detail). */
json_t *cd_cert_json(const struct cd_cert *c, time_t now);

#endif
