/*
 * exporter_probe.c - one probe: a slot among --max-concurrent, the
 * module's check run on a thread of its own, and the answer written
 * when the check ends or the deadline comes, whichever is first.
 *
 * The deadline may be shorter than the module's timeout (Prometheus's
 * scrape timeout), while a module's context, and so the library's own
 * deadline, is made once.  So the HTTP answer does not wait for the
 * check: at the deadline it says probe_success 0, and the check goes on
 * to its module's timeout, keeping its slot (the work is still being
 * done) and then freeing its report.  Prometheus, which has given up on
 * the scrape by then, never sees a hung connection.
 *
 * The check runs through cd_batch_run() with one target, as the tools
 * run it: the same report, its probe_duration_seconds included.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exporter.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slot_cv;
static unsigned max_slots = 64, running, waiting;

/* A check in progress, shared by the waiting answer and its thread. */
struct job {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned refs;
	bool done;
	cd_rc rc;
	struct cd_err err;
	struct cd_report *r;
	struct exp_config *cfg;
	const struct exp_module *m;
	char *target;
};

double
exp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct timespec
abs_time(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	return ts;
}

/* A condition variable that waits on the monotonic clock. */
static int
cond_init(pthread_cond_t *cv)
{
	pthread_condattr_t a;
	int rc;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	rc = pthread_cond_init(cv, &a);
	pthread_condattr_destroy(&a);
	return rc;
}

void
exp_probe_init(unsigned max)
{
	max_slots = max;
	cond_init(&slot_cv);
}

void
exp_probe_counts(unsigned *r, unsigned *w)
{
	pthread_mutex_lock(&mu);
	*r = running;
	*w = waiting;
	pthread_mutex_unlock(&mu);
}

/* A slot before the deadline: false when none came free in time. */
static bool
slot_take(double deadline)
{
	struct timespec ts = abs_time(deadline);
	bool got = true;

	pthread_mutex_lock(&mu);
	waiting++;
	while (running >= max_slots)
		if (pthread_cond_timedwait(&slot_cv, &mu, &ts) == ETIMEDOUT &&
		    running >= max_slots) {
			got = false;
			break;
		}
	waiting--;
	if (got)
		running++;
	pthread_mutex_unlock(&mu);
	return got;
}

static void
slot_give(void)
{
	pthread_mutex_lock(&mu);
	running--;
	pthread_cond_signal(&slot_cv);
	pthread_mutex_unlock(&mu);
}

static void
job_put(struct job *j)
{
	bool last;

	pthread_mutex_lock(&j->mu);
	last = --j->refs == 0;
	pthread_mutex_unlock(&j->mu);
	if (!last)
		return;
	cd_report_free(j->r);
	exp_config_put(j->cfg);
	free(j->target);
	pthread_cond_destroy(&j->cv);
	pthread_mutex_destroy(&j->mu);
	free(j);
}

static void
on_report(void *arg, size_t index, struct cd_report *r)
{
	struct job *j = arg;

	(void)index;
	j->r = r;
}

static void *
worker(void *arg)
{
	struct job *j = arg;
	const char *t = j->target;
	cd_rc rc;

	memset(&j->err, 0, sizeof(j->err));
	rc = cd_batch_run(j->m->ctx, j->m->prober->run, &t, 1, 1, on_report,
	    j, &j->err);
	slot_give();
	pthread_mutex_lock(&j->mu);
	j->rc = rc;
	j->done = true;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
	job_put(j);
	return NULL;
}

/* The check started on its thread; NULL when it could not be. */
static struct job *
job_start(struct exp_config *cfg, const struct exp_module *m,
    const char *target)
{
	pthread_attr_t a;
	pthread_t th;
	struct job *j;
	int rc;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	if ((j->target = strdup(target)) == NULL) {
		free(j);
		return NULL;
	}
	pthread_mutex_init(&j->mu, NULL);
	cond_init(&j->cv);
	j->refs = 2;
	j->m = m;
	j->cfg = cfg;
	exp_config_hold(cfg);
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&th, &a, worker, j);
	pthread_attr_destroy(&a);
	if (rc != 0) {
		j->refs = 1;
		job_put(j);
		return NULL;
	}
	return j;
}

static void
labels(FILE *fp, const char *target, const struct exp_module *m)
{
	fputs("{target=\"", fp);
	exp_put_label(fp, target);
	fprintf(fp, "\",check=\"%s\"", m->prober->name);
}

/*
 * No report by the deadline: the library's report of a check that ran
 * out of time (status CRITICAL, problem timeout), in the same families
 * as every other answer.
 */
static void
write_deadline(FILE *fp, const char *target, const struct exp_module *m,
    double seconds)
{
	struct cd_report *r;
	struct cd_err e;

	memset(&e, 0, sizeof(e));
	if (cd_report_timeout_new(m->prober->name, target, seconds, &r,
	    &e) != CD_OK)
		return;
	(void)cd_fmt_prometheus((const struct cd_report *const *)&r, 1, fp,
	    &e);
	cd_report_free(r);
}

void
exp_probe_run(struct exp_config *cfg, const struct exp_module *m,
    const char *target, double start, double timeout, double answer_by,
    FILE *fp)
{
	double deadline = start + answer_by;
	struct timespec ts = abs_time(deadline);
	const struct cd_report *r;
	struct cd_err e;
	struct job *j = NULL;
	bool success = false, done = false;

	if (!slot_take(deadline)) {
		exp_metrics_deadline(m->name, true);
		write_deadline(fp, target, m, exp_now() - start);
		goto out;
	}
	if ((j = job_start(cfg, m, target)) == NULL) {
		slot_give();
		write_deadline(fp, target, m, exp_now() - start);
		goto out;
	}
	pthread_mutex_lock(&j->mu);
	while (!j->done)
		if (pthread_cond_timedwait(&j->cv, &j->mu, &ts) == ETIMEDOUT)
			break;
	done = j->done;
	pthread_mutex_unlock(&j->mu);
	if (!done) {
		exp_metrics_deadline(m->name, false);
		write_deadline(fp, target, m, exp_now() - start);
		goto out;
	}
	if (j->rc != CD_OK || j->r == NULL) {
		write_deadline(fp, target, m, exp_now() - start);
		goto out;
	}
	r = j->r;
	memset(&e, 0, sizeof(e));
	(void)cd_fmt_prometheus(&r, 1, fp, &e);
	success = cd_reports_worst(&r, 1) <= CD_ST_WARNING;
out:
	/* blackbox_exporter's: the deadline this probe was given. */
	fputs("# HELP probe_timeout_seconds Returns how long the probe "
	    "timeout is in seconds\n# TYPE probe_timeout_seconds gauge\n"
	    "probe_timeout_seconds", fp);
	labels(fp, target, m);
	fprintf(fp, "} %.15g\n", timeout);
	exp_metrics_probe(m->name, success, exp_now() - start);
	if (j != NULL)
		job_put(j);
}
