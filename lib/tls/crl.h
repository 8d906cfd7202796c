/*
 * crl.h - certcheck --crl: the leaf's CRL, fetched from its first HTTP
 * distribution point within the target's deadline, verified against the
 * issuer, and the leaf's serial looked up in it.
 */
#ifndef CD_CRL_H
#define CD_CRL_H

#include "ctx.h"
#include "report.h"
#include "x509.h"

/* The most certcheck reads of a CRL; a bigger one is crl_too_large. */
#define CD_CRL_MAX (10u * 1024 * 1024)

/*
 * Judge leaf's revocation by CRL (issuer may be NULL: the signature is
 * then not checked) before deadline (monotonic ms), at now; findings and
 * the "crl" detail go to r.  Resolution uses ctx's DNS servers and family.
 * Nothing is fetched unless trusted (the chain verified); with the system
 * trust store and without allow_reserved, no reserved address either
 * (crl_skipped says why).
 */
void cd_crl_judge(const struct cd_ctx *ctx, const struct cd_cert *leaf,
    const struct cd_cert *issuer, bool trusted, int64_t deadline,
    time_t now, struct cd_report *r);

#endif
