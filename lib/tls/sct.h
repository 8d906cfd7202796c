/*
 * sct.h - Certificate Transparency: the SCTs embedded in the leaf,
 * counted, attributed to known logs and judged against the browsers'
 * policy.  Signatures are not verified.
 */
#ifndef CD_SCT_H
#define CD_SCT_H

#include "report.h"
#include "x509.h"

struct cd_ctlog {
	unsigned char id[32];	/* SHA-256 of the log's public key */
	char *description;
	char *operator;
};

struct cd_ctlogs {
	struct cd_ctlog *v;
	size_t n;
};

/* The list shipped with certdiag, installed under the data directory. */
const char *cd_ctlogs_default_path(void);

/*
 * Read a log list (a JSON array of {"log_id": base64, "description",
 * "operator"}) from path.  CD_E_IO when it cannot be read, CD_E_PARSE
 * when it is not such a list.  *out: free with cd_ctlogs_free().
 */
cd_rc cd_ctlogs_load(const char *path, struct cd_ctlogs **out,
    struct cd_err *err);
void cd_ctlogs_free(struct cd_ctlogs *l);

/*
 * Count the SCTs of leaf, attribute them to logs (which may be NULL),
 * add the "sct" detail to r and, under o's ct mode, sct_insufficient
 * when too few distinct logs vouch for the leaf's lifetime.
 */
void cd_sct_judge(const struct cd_opts *o, const struct cd_ctlogs *logs,
    const struct cd_cert *leaf, struct cd_report *r);

#endif
