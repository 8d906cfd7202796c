/*
 * cli_run.c - running a tool's check over its targets: the batch, where
 * the reports go (streamed, kept for nagios and --sort, or turned into
 * metrics as they come), the progress line on a terminal, and the exit
 * status.  Option parsing is cli.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/*
 * Where reports go.  Streaming (the default) writes each one as it is
 * done and frees it, so memory stays flat however many targets there
 * are; nagios output and --sort need them all, and keep them by index.
 * Prometheus output turns each report into its lines as it comes and
 * writes them at the end.
 */
struct sink {
	struct cli *c;
	struct cd_report **keep;
	struct cd_prom_batch *prom;	/* prometheus, not sorted */
	size_t done;
	size_t cnt[4];		/* by status, for the progress line */
	bool progress;
	cd_status worst;
	bool write_failed;
};

/*
 * The progress line: only when stderr is a terminal (a person is
 * watching) and there is more than one target.  It is erased before
 * anything is written to stdout, which may be the same terminal.
 */
static void
progress(const struct sink *s, bool draw)
{
	int w = snprintf(NULL, 0, "%zu", s->c->ntargets);

	if (!s->progress)
		return;
	fputs("\r\033[K", stderr);
	if (draw)
		fprintf(stderr, "[%*zu/%zu] %zu critical %zu warning "
		    "%zu unknown", w, s->done, s->c->ntargets,
		    s->cnt[CD_ST_CRITICAL], s->cnt[CD_ST_WARNING],
		    s->cnt[CD_ST_UNKNOWN]);
	fflush(stderr);
}

static void
on_report(void *arg, size_t index, struct cd_report *r)
{
	struct sink *s = arg;
	struct cd_err e;
	/* --all-addresses links one report per address after the first */
	cd_status st = cd_reports_worst((const struct cd_report *const *)&r, 1);

	s->worst = cd_status_worst(s->worst, st);
	s->done++;
	s->cnt[st]++;
	progress(s, false);
	cli_verbose_trace(s->c, s->done, r);
	if (s->keep != NULL) {
		/* several targets in nagios format: a line each, no detail */
		if (s->c->format == CD_FMT_NAGIOS && s->c->ntargets > 1)
			cd_report_compact(r);
		s->keep[index] = r;
		progress(s, true);
		return;
	}
	progress(s, false);
	if (s->prom != NULL) {
		if (cd_prom_batch_add(s->prom, r, &e) != CD_OK)
			s->write_failed = true;
	} else if (cd_fmt_write_one(s->c->format, r, stdout, s->c->fmt_flags,
	    &e) != CD_OK || !cli_verbose_extra(s->c, r)) {
		cli_write_failed();
		s->write_failed = true;
	}
	cd_report_free(r);
	progress(s, true);
}

/* --sort: the order of two kept reports, by their input indexes; ties
 * keep the input order (qsort alone is not stable). */
static const struct cli *sort_cli;
static struct cd_report *const *sort_keep;

static int
sort_cmp(const void *a, const void *b)
{
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	const struct cd_report *ra = sort_keep[ia], *rb = sort_keep[ib];
	cd_status sa = cd_reports_worst(&ra, 1), sb = cd_reports_worst(&rb, 1);
	int d = 0;

	if (sort_cli->sort == CLI_SORT_STATUS && sa != sb)
		return cd_status_worst(sa, sb) == sa ? -1 : 1;
	if (sort_cli->sort == CLI_SORT_NAME &&
	    (d = strcasecmp(cd_report_target(ra), cd_report_target(rb))) == 0)
		d = strcmp(cd_report_target(ra), cd_report_target(rb));
	if (d == 0)
		d = ia < ib ? -1 : ia > ib;
	return d;
}

/* Put the kept reports in --sort order and print them. */
static void
write_kept(struct sink *s)
{
	struct cli *c = s->c;
	struct cd_report **sorted;
	struct cd_err e;
	size_t *ord, i;

	ord = calloc(c->ntargets, sizeof(*ord));
	sorted = calloc(c->ntargets, sizeof(*sorted));
	if (ord == NULL || sorted == NULL) {
		free(ord);
		free(sorted);
		s->write_failed = true;
		return;
	}
	for (i = 0; i < c->ntargets; i++)
		ord[i] = i;
	sort_cli = c;
	sort_keep = s->keep;
	if (c->sort > CLI_SORT_INPUT)
		qsort(ord, c->ntargets, sizeof(*ord), sort_cmp);
	for (i = 0; i < c->ntargets; i++)
		sorted[i] = s->keep[ord[i]];
	if (c->format == CD_FMT_PROMETHEUS) {
		if (cd_fmt_prometheus((const struct cd_report *const *)sorted,
		    c->ntargets, stdout, &e) != CD_OK) {
			cli_write_failed();
			s->write_failed = true;
		}
	} else if (c->format == CD_FMT_NAGIOS) {
		if (cd_fmt_nagios((const struct cd_report *const *)sorted,
		    c->ntargets, stdout, &e) != CD_OK || (c->ntargets == 1 &&
		    !cli_verbose_extra(c, sorted[0]))) {
			cli_write_failed();
			s->write_failed = true;
		}
	} else {
		for (i = 0; i < c->ntargets; i++)
			if (cd_fmt_write_one(c->format, sorted[i], stdout,
			    c->fmt_flags, &e) != CD_OK ||
			    !cli_verbose_extra(c, sorted[i])) {
				cli_write_failed();
				s->write_failed = true;
			}
	}
	free(sorted);
	free(ord);
}

int
cli_run(struct cli *c, cd_check_fn check)
{
	struct cd_ctx *ctx = NULL;
	struct cd_err e;
	struct sink s;
	size_t i;
	int code;

	memset(&s, 0, sizeof(s));
	memset(&e, 0, sizeof(e));
	s.c = c;
	s.progress = c->ntargets > 1 && isatty(STDERR_FILENO);
	cli_signals_start();
	if (cd_global_init(&e) != CD_OK || cd_ctx_new(c->o, &ctx, &e) != CD_OK) {
		cli_fail(c, "%s", e.msg);
		return CD_ST_UNKNOWN;
	}
	if ((c->format == CD_FMT_NAGIOS || c->sort != CLI_SORT_NONE) &&
	    (s.keep = calloc(c->ntargets, sizeof(*s.keep))) == NULL) {
		cli_fail(c, "out of memory");
		cd_ctx_free(ctx);
		return CD_ST_UNKNOWN;
	}
	if (c->format == CD_FMT_PROMETHEUS && s.keep == NULL &&
	    cd_prom_batch_new(&s.prom, &e) != CD_OK) {
		cli_fail(c, "%s", e.msg);
		cd_ctx_free(ctx);
		return CD_ST_UNKNOWN;
	}
	progress(&s, true);
	code = cd_batch_run(ctx, check, (const char *const *)c->targets,
	    c->ntargets, c->jobs, on_report, &s, &e) == CD_OK ?
	    (int)s.worst : -1;
	progress(&s, false);
	if (code == -1)
		cli_fail(c, "%s", e.msg);
	else if (s.keep != NULL)
		write_kept(&s);
	else if (s.prom != NULL && !s.write_failed &&
	    cd_prom_batch_write(s.prom, stdout, &e) != CD_OK) {
		cli_write_failed();
		s.write_failed = true;
	}
	cd_prom_batch_free(s.prom);
	for (i = 0; s.keep != NULL && i < c->ntargets; i++)
		cd_report_free(s.keep[i]);
	free(s.keep);
	cd_ctx_free(ctx);
	cd_global_cleanup();
	if (s.write_failed) {
		cli_fail(c, "cannot write the output");
		return CD_ST_UNKNOWN;
	}
	return code == -1 ? CD_ST_UNKNOWN : code;
}
