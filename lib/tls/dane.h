/*
 * dane.h - certcheck --dane: the TLSA records of _PORT._tcp.HOST, asked
 * through the validating view so that their DNSSEC status is known, and
 * matched against the chain the server sent by libgnutls-dane (given
 * the records, so it does no DNS of its own).
 */
#ifndef CD_DANE_H
#define CD_DANE_H

#include <stdint.h>

#include "tls.h"

struct cd_ctx;
struct cd_report;

/*
 * Judge the chain of ti (leaf first) for host (A-label) and port: the
 * "dane" detail and dane_mismatch, dane_unsigned, dane_no_records or a
 * DNS finding.  Failures become findings; r->oom on no memory.
 */
void cd_dane_judge(const struct cd_ctx *ctx, const char *host,
    uint16_t port, const struct cd_tls_info *ti, int64_t deadline,
    struct cd_report *r);

#endif
