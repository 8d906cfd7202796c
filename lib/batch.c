/*
 * batch.c - many targets, jobs at a time.  Each target keeps its own
 * deadline inside its check, so one slow target never holds back the
 * others' results: workers hand each report to the calling thread as
 * soon as it is done, and the caller streams it out.  After cd_cancel()
 * no target starts; the batch ends with CD_E_CANCELLED.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "report.h"

struct done_item {
	size_t index;
	struct cd_report *report;
};

struct pool {
	const struct cd_ctx *ctx;
	cd_check_fn fn;
	const char *const *targets;
	size_t n;
	size_t next;		/* next target to start */
	struct done_item *done;	/* queue of finished reports */
	size_t ndone;
	cd_rc rc;		/* first resource failure */
	struct cd_err err;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* Seconds on the monotonic clock. */
static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * How long the whole check of the target took, in each report of its
 * list: the Prometheus format's probe_duration_seconds.
 */
static cd_rc
timed(cd_check_fn fn, const struct cd_ctx *ctx, const char *target,
    struct cd_report **out, struct cd_err *err)
{
	double t0 = now_s(), dt;
	struct cd_report *r;
	cd_rc rc;

	*out = NULL;
	rc = fn(ctx, target, out, err);
	dt = now_s() - t0;
	for (r = rc == CD_OK ? *out : NULL; r != NULL; r = r->next) {
		r->timed = true;
		r->seconds = dt;
	}
	return rc;
}

static void *
worker(void *arg)
{
	struct pool *p = arg;
	struct cd_report *rep;
	struct cd_err e;
	size_t i;
	cd_rc rc;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		if (p->rc == CD_OK && p->next < p->n && cd_cancelled())
			p->rc = cd_err_set(&p->err, CD_E_CANCELLED,
			    "cancelled");
		if (p->next >= p->n || p->rc != CD_OK) {
			pthread_cond_signal(&p->cv);
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		i = p->next++;
		pthread_mutex_unlock(&p->mu);
		rep = NULL;
		memset(&e, 0, sizeof(e));
		rc = timed(p->fn, p->ctx, p->targets[i], &rep, &e);
		pthread_mutex_lock(&p->mu);
		if (rc != CD_OK) {
			if (p->rc == CD_OK) {
				p->rc = rc;
				p->err = e;
			}
		} else {
			p->done[p->ndone].index = i;
			p->done[p->ndone++].report = rep;
		}
		pthread_cond_signal(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
}

static cd_rc
run_serial(const struct cd_ctx *ctx, cd_check_fn fn,
    const char *const *targets, size_t n, cd_batch_cb cb, void *arg,
    struct cd_err *err)
{
	struct cd_report *rep;
	size_t i;
	cd_rc rc;

	for (i = 0; i < n; i++) {
		if (cd_cancelled())
			return cd_err_set(err, CD_E_CANCELLED, "cancelled");
		if ((rc = timed(fn, ctx, targets[i], &rep, err)) != CD_OK)
			return rc;
		cb(arg, i, rep);
	}
	return CD_OK;
}

cd_rc
cd_batch_run(const struct cd_ctx *ctx, cd_check_fn fn,
    const char *const *targets, size_t n, unsigned jobs, cd_batch_cb cb,
    void *arg, struct cd_err *err)
{
	struct pool p;
	pthread_t *th = NULL;
	size_t started = 0, delivered = 0, i, k;
	struct done_item it;

	if (jobs <= 1 || n <= 1)
		return run_serial(ctx, fn, targets, n, cb, arg, err);
	if (jobs > n)
		jobs = (unsigned)n;
	memset(&p, 0, sizeof(p));
	p.ctx = ctx;
	p.fn = fn;
	p.targets = targets;
	p.n = n;
	if ((p.done = calloc(n, sizeof(*p.done))) == NULL ||
	    (th = calloc(jobs, sizeof(*th))) == NULL) {
		free(p.done);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	for (i = 0; i < jobs; i++)
		if (pthread_create(&th[i], NULL, worker, &p) == 0)
			started++;
	if (started == 0) {
		p.rc = cd_err_set(&p.err, CD_E_INTERNAL, "cannot start a "
		    "worker thread");
	}
	/* Deliver in completion order, from this thread. */
	pthread_mutex_lock(&p.mu);
	while (started > 0 && p.rc == CD_OK && delivered < n) {
		while (p.ndone == 0 && p.rc == CD_OK)
			pthread_cond_wait(&p.cv, &p.mu);
		while (p.ndone > 0) {
			it = p.done[0];
			memmove(p.done, p.done + 1,
			    --p.ndone * sizeof(*p.done));
			pthread_mutex_unlock(&p.mu);
			cb(arg, it.index, it.report);
			delivered++;
			pthread_mutex_lock(&p.mu);
		}
	}
	pthread_mutex_unlock(&p.mu);
	for (k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	/* After a failure, reports still queued are dropped. */
	for (k = 0; k < p.ndone; k++)
		cd_report_free(p.done[k].report);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	free(p.done);
	free(th);
	if (p.rc != CD_OK && err != NULL)
		*err = p.err;
	return p.rc;
}
