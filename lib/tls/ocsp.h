/*
 * ocsp.h - a stapled OCSP response, decoded and checked by GnuTLS.
 */
#ifndef CD_OCSP_H
#define CD_OCSP_H

#include "report.h"
#include "x509.h"

/*
 * Judge the staple der[0..len) for leaf (issued by issuer, may be NULL)
 * at now: add findings to r and r's "ocsp" detail.  len 0: no staple.
 */
void cd_ocsp_judge(const unsigned char *der, size_t len,
    const struct cd_cert *leaf, const struct cd_cert *issuer, time_t now,
    struct cd_report *r);

/* RFC 5280 name of a CRLReason code ("keyCompromise"); static. */
const char *cd_revocation_reason(unsigned reason);

#endif
