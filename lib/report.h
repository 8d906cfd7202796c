/*
 * report.h - the result of one check of one target: problems (findings),
 * perfdata metrics and a detail object (the tool's own JSON fields).
 * The status is derived from the problems, never stored.
 */
#ifndef CD_REPORT_H
#define CD_REPORT_H

#include <jansson.h>
#include <stdatomic.h>

#include "cd_internal.h"
#include "policy.h"

struct cd_perf {
	char *label;
	double value;
	const char *uom;	/* static: "", "s", "B" */
	bool thresholds;	/* warn/crit valid */
	struct cd_range warn;
	struct cd_range crit;
	bool has_min;
	double min;
};

struct cd_prob_item {
	char *message;
	char *hint;
	struct cd_problem pub;	/* points at the two strings above */
};

/* What a report keeps for its readers; see cache in struct cd_report. */
struct cd_report_cache {
	_Atomic(json_t *) tree;
};

struct cd_report {
	char *target;
	const char *service;	/* static: "CERT", "CAA", "HTTP01" */
	char *ok_summary;	/* the verdict when nothing is wrong */
	struct cd_prob_item *probs;
	size_t nprobs;
	struct cd_perf *perf;
	size_t nperf;
	json_t *detail;		/* owned; the tool's own fields */
	char **notes;		/* Nagios long-text lines beyond problems */
	size_t nnotes;
	bool oom;		/* an addition failed: the report is partial */
	char *address;		/* --all-addresses: the one this covers */
	struct cd_report *next;	/* owned: the target's next address */
	/* Wall time of the whole check of the target (cd_batch_run). */
	bool timed;
	double seconds;
	/* Borrowed from the context, used only while the check adds. */
	const struct cd_policy *policy;
	/*
	 * The JSON form, built by the first getter (report_get.c) and kept:
	 * several threads may read one finished report, so it is published
	 * once by compare-exchange.  A cell of its own, allocated with the
	 * report, because the getters take the report const.  Owned; the
	 * cell holds NULL until then.
	 */
	struct cd_report_cache *cache;
};

cd_rc cd_report_new(const char *service, const char *target,
    struct cd_report **out, struct cd_err *err);

/* Add a finding with the catalogue's default severity. */
void cd_report_add(struct cd_report *r, enum cd_prob code, const char *hint,
    const char *fmt, ...) CD_PRINTF(4, 5);

/* Add a finding with an explicit severity (thresholds decide some). */
void cd_report_add_sev(struct cd_report *r, enum cd_prob code,
    cd_status sev, const char *hint, const char *fmt, ...) CD_PRINTF(5, 6);

/* True when the report already holds a finding with this code. */
bool cd_report_has(const struct cd_report *r, enum cd_prob code);

void cd_report_ok_summary(struct cd_report *r, const char *fmt, ...)
    CD_PRINTF(2, 3);

/* A line of Nagios long text after the problems (text/JSON have detail). */
void cd_report_note(struct cd_report *r, const char *fmt, ...)
    CD_PRINTF(2, 3);

/* The verdict line: the worst problem's message, else the OK summary. */
const char *cd_report_summary(const struct cd_report *r);

/*
 * The report as the JSON formatter writes it (format_version, target,
 * status, problems, then the detail): a new reference, NULL on ENOMEM.
 */
json_t *cd_report_json(const struct cd_report *r);

void cd_report_perf(struct cd_report *r, const char *label, double value,
    const char *uom, const struct cd_range *warn,
    const struct cd_range *crit, const double *min);

#endif
