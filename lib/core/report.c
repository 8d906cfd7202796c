/* report.c - the report tree and its derived status. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "report.h"

cd_rc
cd_report_new(const char *service, const char *target,
    struct cd_report **out, struct cd_err *err)
{
	struct cd_report *r;

	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->target = strdup(target)) == NULL ||
	    (r->detail = json_object()) == NULL ||
	    (r->cache = calloc(1, sizeof(*r->cache))) == NULL) {
		cd_report_free(r);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	r->service = service;
	*out = r;
	return CD_OK;
}

/* The checks by their Prometheus check label, and their services. */
static const struct {
	const char *check, *service;
} checks[] = {
	{"cert", "CERT"}, {"caa", "CAA"}, {"http01", "HTTP01"},
	{"dns01", "DNS01"}, {"tlsalpn01", "TLSALPN01"},
};

cd_rc
cd_report_timeout_new(const char *check, const char *target, double seconds,
    struct cd_report **out, struct cd_err *err)
{
	size_t i;
	cd_rc rc;

	*out = NULL;
	for (i = 0; i < CD_ARRAY_LEN(checks); i++)
		if (strcmp(checks[i].check, check) == 0)
			break;
	if (i == CD_ARRAY_LEN(checks))
		return cd_err_set(err, CD_E_USAGE, "unknown check '%s': want "
		    "cert, caa, http01, dns01 or tlsalpn01", check);
	if ((rc = cd_report_new(checks[i].service, target, out, err)) !=
	    CD_OK)
		return rc;
	cd_report_add(*out, CD_P_TIMEOUT, "a server that accepts but does "
	    "not answer, or a deadline too short for the check",
	    "no answer within %.3g s", seconds);
	(*out)->timed = true;
	(*out)->seconds = seconds;
	if ((*out)->oom) {
		cd_report_free(*out);
		*out = NULL;
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	return CD_OK;
}

void
cd_report_free(struct cd_report *r)
{
	struct cd_report *next;
	size_t i;

	if (r == NULL)
		return;
	next = r->next;
	for (i = 0; i < r->nprobs; i++) {
		free(r->probs[i].message);
		free(r->probs[i].hint);
	}
	free(r->probs);
	for (i = 0; i < r->nperf; i++)
		free(r->perf[i].label);
	free(r->perf);
	free(r->ok_summary);
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	free(r->target);
	free(r->address);
	json_decref(r->detail);
	if (r->cache != NULL)
		json_decref(atomic_load(&r->cache->tree));
	free(r->cache);
	free(r);
	cd_report_free(next);
}

static void
add_v(struct cd_report *r, enum cd_prob code, cd_status sev,
    const char *hint, const char *fmt, va_list ap)
{
	struct cd_prob_item *n, *it;
	char *msg = NULL;

	if (vasprintf(&msg, fmt, ap) < 0) {
		r->oom = true;
		return;
	}
	if ((n = realloc(r->probs, (r->nprobs + 1) * sizeof(*n))) == NULL) {
		free(msg);
		r->oom = true;
		return;
	}
	r->probs = n;
	/* The array moved: re-point every public view at its strings. */
	it = &r->probs[r->nprobs++];
	it->message = msg;
	it->hint = hint ? strdup(hint) : NULL;
	it->pub.code = code;
	it->pub.severity = sev;
	cd_policy_apply(r->policy, &it->pub);
	for (size_t i = 0; i < r->nprobs; i++) {
		r->probs[i].pub.message = r->probs[i].message;
		r->probs[i].pub.hint = r->probs[i].hint;
	}
}

void
cd_report_add(struct cd_report *r, enum cd_prob code, const char *hint,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_v(r, code, cd_problem_default_sev(code), hint, fmt, ap);
	va_end(ap);
}

void
cd_report_add_sev(struct cd_report *r, enum cd_prob code, cd_status sev,
    const char *hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_v(r, code, sev, hint, fmt, ap);
	va_end(ap);
}

bool
cd_report_has(const struct cd_report *r, enum cd_prob code)
{
	size_t i;

	for (i = 0; i < r->nprobs; i++)
		if (r->probs[i].pub.code == code)
			return true;
	return false;
}

void
cd_report_note(struct cd_report *r, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL, **n;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s == NULL || (n = realloc(r->notes, (r->nnotes + 1) *
	    sizeof(*n))) == NULL) {
		free(s);
		r->oom = true;
		return;
	}
	r->notes = n;
	r->notes[r->nnotes++] = s;
}

void
cd_report_ok_summary(struct cd_report *r, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		s = NULL;
		r->oom = true;
	}
	va_end(ap);
	free(r->ok_summary);
	r->ok_summary = s;
}

cd_status
cd_report_status(const struct cd_report *r)
{
	cd_status st = CD_ST_OK;
	size_t i;

	for (i = 0; i < r->nprobs; i++)
		if (!r->probs[i].pub.ignored)
			st = cd_status_worst(st, r->probs[i].pub.severity);
	return st;
}

const char *
cd_report_summary(const struct cd_report *r)
{
	cd_status worst = cd_report_status(r);
	size_t i;

	if (worst != CD_ST_OK)
		for (i = 0; i < r->nprobs; i++)
			if (r->probs[i].pub.severity == worst &&
			    !r->probs[i].pub.ignored)
				return r->probs[i].message;
	return r->ok_summary ? r->ok_summary : "no problem found";
}

void
cd_report_compact(struct cd_report *r)
{
	json_t *empty;
	size_t i;

	for (; r != NULL; r = r->next) {
		for (i = 0; i < r->nprobs; i++) {
			free(r->probs[i].hint);
			r->probs[i].hint = NULL;
			r->probs[i].pub.hint = NULL;
		}
		for (i = 0; i < r->nnotes; i++)
			free(r->notes[i]);
		free(r->notes);
		r->notes = NULL;
		r->nnotes = 0;
		/* The getters' tree holds the detail too: built again if
		 * asked, from what is left. */
		json_decref(atomic_exchange(&r->cache->tree, NULL));
		/* On failure the detail stays: only the saving is lost. */
		if ((empty = json_object()) != NULL) {
			json_decref(r->detail);
			r->detail = empty;
		}
	}
}

const char *
cd_report_target(const struct cd_report *r)
{
	return r->target;
}

const char *
cd_report_service(const struct cd_report *r)
{
	return r->service;
}

size_t
cd_report_nproblems(const struct cd_report *r)
{
	return r->nprobs;
}

const struct cd_problem *
cd_report_problem(const struct cd_report *r, size_t i)
{
	return i < r->nprobs ? &r->probs[i].pub : NULL;
}

const struct cd_report *
cd_report_next(const struct cd_report *r)
{
	return r->next;
}

cd_status
cd_reports_worst(const struct cd_report *const *r, size_t n)
{
	const struct cd_report *p;
	cd_status st = CD_ST_OK;
	size_t i;

	for (i = 0; i < n; i++)
		for (p = r[i]; p != NULL; p = p->next)
			st = cd_status_worst(st, cd_report_status(p));
	return st;
}

void
cd_report_perf(struct cd_report *r, const char *label, double value,
    const char *uom, const struct cd_range *warn,
    const struct cd_range *crit, const double *min)
{
	struct cd_perf *n, *p;

	if ((n = realloc(r->perf, (r->nperf + 1) * sizeof(*n))) == NULL) {
		r->oom = true;
		return;
	}
	r->perf = n;
	p = &r->perf[r->nperf];
	memset(p, 0, sizeof(*p));
	if ((p->label = strdup(label)) == NULL) {
		r->oom = true;
		return;
	}
	r->nperf++;
	p->value = value;
	p->uom = uom ? uom : "";
	if (warn && crit) {
		p->thresholds = true;
		p->warn = *warn;
		p->crit = *crit;
	}
	if (min) {
		p->has_min = true;
		p->min = *min;
	}
}
