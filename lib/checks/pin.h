/* pin.h - certcheck's --issuer, --fingerprint and --max-validity. */
#ifndef CD_PIN_H
#define CD_PIN_H

#include "report.h"
#include "x509.h"

/*
 * Judge the leaf (certs[0]) and the issuers on its path (the served
 * indexes path[1..npath)) against o's issuer, fingerprints and
 * max_validity; problems go into r.
 */
void cd_pin_judge(const struct cd_opts *o, struct cd_cert *const *certs,
    const size_t *path, size_t npath, struct cd_report *r);

#endif
