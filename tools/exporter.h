/*
 * exporter.h - certdiag-exporter: the checks of libcertdiag behind a
 * blackbox_exporter-style HTTP endpoint.  One file per concern: the
 * probers (which tool each is, which options it takes), the YAML config,
 * running one probe within its deadline, the exporter's own metrics, and
 * the HTTP server.
 */
#ifndef CD_EXPORTER_H
#define CD_EXPORTER_H

#include <stdbool.h>
#include <stdio.h>

#include "certdiag.h"

/* ------------------------------------------------------------------ */
/* Probers (exporter_probers.c): one per tool.                         */

struct exp_prober {
	const char *name;	/* "cert": the config's prober: */
	const char *tool;	/* "certcheck": whose options it takes */
	cd_check_fn run;
};

/* The prober called name, or NULL. */
const struct exp_prober *exp_prober_find(const char *name);

/* "cert, caa, http01, dns01 or tlsalpn01". */
const char *exp_prober_names(void);

/* Does the prober's tool take opt (as a module may set it)? */
bool exp_prober_takes(const struct exp_prober *p, enum cd_opt opt);

/* The tool's defaults before a module's options (dns01check: dns-01). */
cd_rc exp_prober_defaults(const struct exp_prober *p, struct cd_opts *o);

/*
 * What the tool refuses of a combination of options, in its words, or
 * NULL when it takes them (the words may be e's message).
 */
const char *exp_prober_conflict(const struct exp_prober *p,
    const struct cd_opts *o, struct cd_err *e);

/* ------------------------------------------------------------------ */
/* Config (exporter_config.c).                                          */

struct exp_module {
	char *name;
	const struct exp_prober *prober;
	struct cd_ctx *ctx;	/* made once, shared by every probe */
	double timeout;		/* seconds, the module's deadline */
};

struct exp_config {
	struct exp_module *mods;
	size_t nmods;
	unsigned refs;		/* under exp_config_lock() */
};

/*
 * Read and check the config at path: every module's options set through
 * the library and its context made.  On failure *msg (caller frees) is
 * "FILE:LINE: reason" and the return NULL.
 */
struct exp_config *exp_config_load(const char *path, char **msg);

/* The module called name, or NULL. */
const struct exp_module *exp_config_find(const struct exp_config *c,
    const char *name);

/*
 * The config in force: exp_config_get() takes a reference that
 * exp_config_put() gives back; exp_config_set() replaces it (SIGHUP),
 * the old one freed when its last probe has ended.
 */
struct exp_config *exp_config_get(void);
void exp_config_hold(struct exp_config *c);	/* one more reference */
void exp_config_put(struct exp_config *c);
void exp_config_set(struct exp_config *c);

/* ------------------------------------------------------------------ */
/* Probes (exporter_probe.c).                                           */

/* Allow max probes at once (before the first probe). */
void exp_probe_init(unsigned max);

/*
 * Run module m's check of target and write the metrics of the answer to
 * fp, probe_timeout_seconds timeout.  start is when the request came
 * (exp_now()); the answer is written by start + answer_by seconds at the
 * latest.  A probe that cannot get a slot, or whose check outlives that,
 * is answered probe_success 0 then; its check, if running, goes on in
 * the background within the module's own timeout and then frees its
 * slot.  cfg is held until the check ends.
 */
void exp_probe_run(struct exp_config *cfg, const struct exp_module *m,
    const char *target, double start, double timeout, double answer_by,
    FILE *fp);

/* Checks running (a probe past its deadline too), probes waiting. */
void exp_probe_counts(unsigned *running, unsigned *waiting);

/* Seconds on the monotonic clock. */
double exp_now(void);

/* ------------------------------------------------------------------ */
/* The exporter's own metrics (exporter_metrics.c).                    */

/* A probe answered: probe_success, and how long the answer took. */
void exp_metrics_probe(const char *module, bool success, double seconds);
/* A probe answered at its deadline, waiting for a slot or checking. */
void exp_metrics_deadline(const char *module, bool waiting);
void exp_metrics_unknown_module(void);
void exp_metrics_reload(bool ok);
void exp_metrics_set_max(unsigned max);
void exp_metrics_write(FILE *fp, const struct exp_config *c);

/* A label value as the exposition format wants it (\\, \", \n). */
void exp_put_label(FILE *fp, const char *s);

/* ------------------------------------------------------------------ */
/* HTTP (exporter_http.c).                                             */

struct exp_http;

/*
 * Listen on addr ("ADDR:PORT", "[V6]:PORT" or ":PORT") with at most
 * conns connections; NULL with *msg (caller frees) on failure.
 */
struct exp_http *exp_http_start(const char *addr, unsigned conns,
    double timeout_offset, char **msg);

/* Stop accepting connections; answer the ones already open. */
void exp_http_quiesce(struct exp_http *h);

/* Requests being answered. */
unsigned exp_http_busy(struct exp_http *h);

void exp_http_stop(struct exp_http *h);

#endif /* CD_EXPORTER_H */
