/*
 * fmt_prom.h - the two halves of the Prometheus format: fmt_prom.c
 * writes the families over every report (grouping, labels, escaping),
 * fmt_prom_metrics.c says what each family reads from a report.
 */
#ifndef CD_FMT_PROM_H
#define CD_FMT_PROM_H

#include <stdio.h>

#include "report.h"

/*
 * One family's samples for one report: the label sets written so far,
 * since a report may hold two findings with the same labels (two
 * problems of one code) and a series may appear only once.
 */
struct cd_prom_out {
	FILE *fp;
	const char *name;
	const char *base;	/* target="...",check="..."[,address="..."] */
	char **seen;
	size_t nseen;
	bool oom;
};

/*
 * One sample of o's family for o's report: name{base,kv...} v, kv being
 * n/2 label pairs (a NULL value leaves its pair out), once per label
 * set.
 */
void cd_prom_sample_kv(struct cd_prom_out *o, const char *const *kv, size_t n,
    double v);
void cd_prom_sample(struct cd_prom_out *o, double v);

struct cd_prom_family {
	const char *name;
	const char *help;
	/* Write the report's samples, if it has any for this family. */
	void (*fn)(struct cd_prom_out *o, const struct cd_report *r);
};

extern const struct cd_prom_family cd_prom_families[];
extern const size_t cd_prom_nfamilies;

#endif
