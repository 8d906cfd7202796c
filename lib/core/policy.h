/*
 * policy.h - the operator's verdict policy (--ignore, --severity): which
 * problem codes leave the verdict and which change severity.  Applied
 * as each problem is added, so every format and the exit status agree.
 */
#ifndef CD_POLICY_H
#define CD_POLICY_H

#include "cd_internal.h"

#define CD_SEV_DEFAULT (-1)

struct cd_policy {
	bool ignored[CD_P__LAST];
	int sev[CD_P__LAST];	/* a cd_status, or CD_SEV_DEFAULT */
};

/* Parse the two lists of cd_opts (either may be NULL); CD_E_USAGE. */
cd_rc cd_policy_parse(const char *ignore, const char *severity,
    struct cd_policy *out, struct cd_err *err);

/* Set p's ignored, severity and severity_default under pol (or none). */
void cd_policy_apply(const struct cd_policy *pol, struct cd_problem *p);

#endif
