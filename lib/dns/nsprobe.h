/*
 * nsprobe.h - why the CA's resolver fails (or struggles): the zone that
 * holds a name is found from the roots, and every address of every one
 * of its nameservers is asked directly, the way a resolver asks it.
 * Each fault an operator can fix becomes a finding: a server that does
 * not answer, that is lame, that refuses or drops CAA queries, that
 * leaves the SOA out of negative answers, that mishandles EDNS or the
 * letter case of the query name, or that disagrees with the others.
 */
#ifndef CD_NSPROBE_H
#define CD_NSPROBE_H

#include <stdbool.h>
#include <stdint.h>

#include "cd_internal.h"

struct cd_ctx;
struct cd_report;
struct cd_nsprobe;

/*
 * Probe the zone of name for qtype (CD_DNS_T_CAA, CD_DNS_T_A, ...) before
 * deadline.  Runs without a report so it can run beside the CA's view;
 * *out is NULL only on no memory.
 */
cd_rc cd_nsprobe_run(const struct cd_ctx *ctx, const char *name, int qtype,
    int64_t deadline, struct cd_nsprobe **out, struct cd_err *err);

/*
 * The same for the zone of zone_of, asking its servers about name (a
 * name below it): the servers a resolver asks before it knows of a
 * delegation further down.
 */
cd_rc cd_nsprobe_run_in(const struct cd_ctx *ctx, const char *zone_of,
    const char *name, int qtype, int64_t deadline, struct cd_nsprobe **out,
    struct cd_err *err);

/*
 * Its findings into r, and the "nameservers" detail.  ca_failed: the
 * CA's resolver failed the lookup, so the faults found are why the CA
 * refuses (CRITICAL); otherwise it worked around them (WARNING).
 * answers_judged: the caller has judged each server's answer itself
 * (dns01check's propagation), so servers that disagree are not said
 * again as ns_inconsistent.
 */
void cd_nsprobe_report(const struct cd_nsprobe *p, bool ca_failed,
    bool answers_judged, struct cd_report *r);

void cd_nsprobe_free(struct cd_nsprobe *p);

/* Is name in the zone the probe examined (false when none was found)? */
bool cd_nsprobe_covers(const struct cd_nsprobe *p, const char *name);

/*
 * Start cd_nsprobe_run in a thread; cd_nsprobe_join waits for it and
 * gives the result (NULL when it could not run).
 */
struct cd_nsprobe_job;
struct cd_nsprobe_job *cd_nsprobe_start(const struct cd_ctx *ctx,
    const char *name, int qtype, int64_t deadline);
struct cd_nsprobe *cd_nsprobe_join(struct cd_nsprobe_job *j);

#endif
