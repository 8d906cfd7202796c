/* caa_report.h - turning a CAA evaluation into findings and a verdict. */
#ifndef CD_CAA_REPORT_H
#define CD_CAA_REPORT_H

#include "caa.h"
#include "report.h"

/* The verdict's finding (or OK summary) with a hint on what to change. */
void cd_caa_explain(struct cd_report *r, const struct cd_caa_level *lv,
    const struct cd_caa_request *req, const struct cd_caa_result *res);

/* caa_malformed_record warnings for the relevant set. */
void cd_caa_lint(struct cd_report *r, const struct cd_caa_level *set,
    const struct cd_caa_request *req);

/*
 * "rfc_notes": where the verdict rests on a rule Let's Encrypt reads
 * differently from RFC 8659 (flag 1, TLD queries, NXDOMAIN at a TLD,
 * hyphens in tags).
 */
void cd_caa_rfc_notes(struct cd_report *r, const struct cd_caa_level *lv,
    const struct cd_caa_result *res);

#endif
