/*
 * exporter_metrics.c - the exporter's own metrics, for /metrics: probes
 * by module and result, their duration (a histogram), deadlines met
 * waiting or checking, probes in flight, the config, the build.  Names
 * follow blackbox_exporter's own where it has one
 * (blackbox_module_unknown_total, ..._config_last_reload_successful),
 * with the certdiag_exporter_ prefix.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exporter.h"

/* Upper bounds in seconds: a probe takes from a DNS answer to a deadline. */
static const double bounds[] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
};
#define NB (sizeof(bounds) / sizeof(bounds[0]))

struct per_module {
	char *name;
	unsigned long long success, failure, waiting, checking;
	unsigned long long buckets[NB], count;
	double sum;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct per_module *mods;
static size_t nmods;
static unsigned long long unknown_module;
static unsigned max_probes;
static bool reload_ok = true;
static double reload_time;

/* The module's counters, made on first use (under mu); NULL on ENOMEM. */
static struct per_module *
module(const char *name)
{
	struct per_module *m;
	size_t i;

	for (i = 0; i < nmods; i++)
		if (strcmp(mods[i].name, name) == 0)
			return &mods[i];
	if ((m = realloc(mods, (nmods + 1) * sizeof(*m))) == NULL)
		return NULL;
	mods = m;
	m = &mods[nmods];
	memset(m, 0, sizeof(*m));
	if ((m->name = strdup(name)) == NULL)
		return NULL;
	nmods++;
	return m;
}

void
exp_metrics_probe(const char *name, bool success, double seconds)
{
	struct per_module *m;
	size_t i;

	pthread_mutex_lock(&mu);
	if ((m = module(name)) != NULL) {
		if (success)
			m->success++;
		else
			m->failure++;
		for (i = 0; i < NB; i++)
			if (seconds <= bounds[i])
				m->buckets[i]++;
		m->count++;
		m->sum += seconds;
	}
	pthread_mutex_unlock(&mu);
}

void
exp_metrics_deadline(const char *name, bool waiting)
{
	struct per_module *m;

	pthread_mutex_lock(&mu);
	if ((m = module(name)) != NULL) {
		if (waiting)
			m->waiting++;
		else
			m->checking++;
	}
	pthread_mutex_unlock(&mu);
}

void
exp_metrics_unknown_module(void)
{
	pthread_mutex_lock(&mu);
	unknown_module++;
	pthread_mutex_unlock(&mu);
}

void
exp_metrics_reload(bool ok)
{
	pthread_mutex_lock(&mu);
	reload_ok = ok;
	if (ok)
		reload_time = (double)time(NULL);
	pthread_mutex_unlock(&mu);
}

void
exp_metrics_set_max(unsigned max)
{
	pthread_mutex_lock(&mu);
	max_probes = max;
	pthread_mutex_unlock(&mu);
}

void
exp_put_label(FILE *fp, const char *s)
{
	for (; *s; s++)
		if (*s == '\\')
			fputs("\\\\", fp);
		else if (*s == '"')
			fputs("\\\"", fp);
		else if (*s == '\n')
			fputs("\\n", fp);
		else
			fputc(*s, fp);
}

static void
family(FILE *fp, const char *name, const char *type, const char *help)
{
	fprintf(fp, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
sample(FILE *fp, const char *name, const char *module, const char *k,
    const char *v, unsigned long long n)
{
	fprintf(fp, "%s{module=\"", name);
	exp_put_label(fp, module);
	fputc('"', fp);
	if (k != NULL)
		fprintf(fp, ",%s=\"%s\"", k, v);
	fprintf(fp, "} %llu\n", n);
}

void
exp_metrics_write(FILE *fp, const struct exp_config *c)
{
	struct per_module *m;
	unsigned running, waiting;
	size_t i, j;

	pthread_mutex_lock(&mu);
	/* Every module of the config has its series from the start. */
	for (i = 0; c != NULL && i < c->nmods; i++)
		(void)module(c->mods[i].name);

	family(fp, "certdiag_exporter_build_info", "gauge", "A metric with a "
	    "constant '1' value labeled by the version of certdiag-exporter "
	    "and of the libcertdiag it runs on");
	fprintf(fp, "certdiag_exporter_build_info{version=\"%s\","
	    "libcertdiag=\"%s\"} 1\n", PACKAGE_VERSION, cd_version());

	family(fp, "certdiag_exporter_module_info", "gauge", "The modules of "
	    "the config in force, by name and prober (always 1)");
	for (i = 0; c != NULL && i < c->nmods; i++) {
		fputs("certdiag_exporter_module_info{module=\"", fp);
		exp_put_label(fp, c->mods[i].name);
		fprintf(fp, "\",prober=\"%s\"} 1\n", c->mods[i].prober->name);
	}
	family(fp, "certdiag_exporter_module_timeout_seconds", "gauge",
	    "Each module's deadline for a probe, in seconds");
	for (i = 0; c != NULL && i < c->nmods; i++) {
		fputs("certdiag_exporter_module_timeout_seconds{module=\"", fp);
		exp_put_label(fp, c->mods[i].name);
		fprintf(fp, "\"} %.15g\n", c->mods[i].timeout);
	}

	family(fp, "certdiag_exporter_config_last_reload_successful",
	    "gauge", "Certdiag exporter config loaded successfully");
	fprintf(fp, "certdiag_exporter_config_last_reload_successful %d\n",
	    reload_ok ? 1 : 0);
	family(fp, "certdiag_exporter_config_last_reload_success_timestamp_"
	    "seconds", "gauge", "Timestamp of the last successful "
	    "configuration reload");
	fprintf(fp, "certdiag_exporter_config_last_reload_success_timestamp_"
	    "seconds %.15g\n", reload_time);

	family(fp, "certdiag_exporter_module_unknown_total", "counter",
	    "Count of unknown modules requested by probes");
	fprintf(fp, "certdiag_exporter_module_unknown_total %llu\n",
	    unknown_module);

	family(fp, "certdiag_exporter_probes_total", "counter", "Probes "
	    "answered, by module and result (probe_success 1: success)");
	for (i = 0; i < nmods; i++) {
		sample(fp, "certdiag_exporter_probes_total", mods[i].name,
		    "result", "success", mods[i].success);
		sample(fp, "certdiag_exporter_probes_total", mods[i].name,
		    "result", "failure", mods[i].failure);
	}
	family(fp, "certdiag_exporter_probe_deadline_exceeded_total",
	    "counter", "Probes answered probe_success 0 at their deadline, "
	    "by module and where they were: waiting for a slot or checking");
	for (i = 0; i < nmods; i++) {
		sample(fp, "certdiag_exporter_probe_deadline_exceeded_total",
		    mods[i].name, "stage", "waiting", mods[i].waiting);
		sample(fp, "certdiag_exporter_probe_deadline_exceeded_total",
		    mods[i].name, "stage", "checking", mods[i].checking);
	}

	family(fp, "certdiag_exporter_probe_duration_seconds", "histogram",
	    "How long a probe took to answer, by module, in seconds");
	for (i = 0; i < nmods; i++) {
		m = &mods[i];
		for (j = 0; j < NB; j++) {
			fputs("certdiag_exporter_probe_duration_seconds_bucket"
			    "{module=\"", fp);
			exp_put_label(fp, m->name);
			fprintf(fp, "\",le=\"%g\"} %llu\n", bounds[j],
			    m->buckets[j]);
		}
		fputs("certdiag_exporter_probe_duration_seconds_bucket"
		    "{module=\"", fp);
		exp_put_label(fp, m->name);
		fprintf(fp, "\",le=\"+Inf\"} %llu\n", m->count);
		fputs("certdiag_exporter_probe_duration_seconds_sum"
		    "{module=\"", fp);
		exp_put_label(fp, m->name);
		fprintf(fp, "\"} %.9g\n", m->sum);
		sample(fp, "certdiag_exporter_probe_duration_seconds_count",
		    m->name, NULL, NULL, m->count);
	}

	exp_probe_counts(&running, &waiting);
	family(fp, "certdiag_exporter_probes_in_flight", "gauge", "Checks "
	    "running, those of probes answered at their deadline included");
	fprintf(fp, "certdiag_exporter_probes_in_flight %u\n", running);
	family(fp, "certdiag_exporter_probes_waiting", "gauge", "Probes "
	    "waiting for a slot (--max-concurrent)");
	fprintf(fp, "certdiag_exporter_probes_waiting %u\n", waiting);
	family(fp, "certdiag_exporter_max_concurrent_probes", "gauge",
	    "Probes checked at once at most (--max-concurrent)");
	fprintf(fp, "certdiag_exporter_max_concurrent_probes %u\n",
	    max_probes);
	pthread_mutex_unlock(&mu);
}
