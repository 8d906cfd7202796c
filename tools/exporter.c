/*
 * certdiag-exporter - the checks of certdiag as a Prometheus exporter in
 * blackbox_exporter's style: GET /probe?module=NAME&target=TARGET runs
 * the module's check and answers its metrics, /metrics has the
 * exporter's own.  Modules come from a YAML config, checked whole at
 * start.  SIGHUP reloads it (the old one kept when the new one is bad);
 * SIGTERM and SIGINT stop accepting, let the probes in flight finish
 * (within --shutdown-timeout) and exit 0.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exporter.h"

#define DEFAULT_LISTEN "127.0.0.1:9793"
#define DEFAULT_CONFIG CD_SYSCONFDIR "/certdiag-exporter.yml"

static const char *prog = "certdiag-exporter";

enum {
	O_LISTEN = 256, O_CONFIG, O_MAX_CONCURRENT, O_MAX_CONNECTIONS,
	O_TIMEOUT_OFFSET, O_SHUTDOWN_TIMEOUT, O_CHECK_CONFIG
};

static const struct option longopts[] = {
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"listen", required_argument, NULL, O_LISTEN},
	{"config", required_argument, NULL, O_CONFIG},
	{"max-concurrent", required_argument, NULL, O_MAX_CONCURRENT},
	{"max-connections", required_argument, NULL, O_MAX_CONNECTIONS},
	{"timeout-offset", required_argument, NULL, O_TIMEOUT_OFFSET},
	{"shutdown-timeout", required_argument, NULL, O_SHUTDOWN_TIMEOUT},
	{"check-config", no_argument, NULL, O_CHECK_CONFIG},
	{NULL, 0, NULL, 0}
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "Usage: certdiag-exporter [--listen=ADDR:PORT] [--config=FILE] "
	    "[OPTIONS]\n"
	    "\n"
	    "A Prometheus exporter in blackbox_exporter's style for the "
	    "checks of certdiag:\nGET /probe?module=NAME&target=TARGET runs "
	    "the module's check (certcheck,\ncaacheck, http01check, "
	    "dns01check or tlsalpn01check) and answers its metrics;\n"
	    "/metrics has the exporter's own.  Modules are defined in a YAML "
	    "config file.\n"
	    "\n"
	    "Options:\n"
	    "  --listen=ADDR:PORT        listen there: ADDR:PORT, "
	    "[V6ADDR]:PORT or :PORT\n"
	    "                            (every address); default "
	    DEFAULT_LISTEN "\n"
	    "  --config=FILE             the modules (YAML); default "
	    DEFAULT_CONFIG "\n"
	    "  --check-config            check the config file and exit "
	    "(0 when good, 3 not)\n"
	    "  --max-concurrent=N        run at most N probes at once; "
	    "more wait for a slot\n"
	    "                            within their deadline (default "
	    "64)\n"
	    "  --max-connections=N       accept at most N HTTP connections "
	    "at once, one thread\n"
	    "                            each (default 4 x --max-concurrent, "
	    "at least 1024)\n"
	    "  --timeout-offset=SECONDS  subtract from Prometheus's scrape "
	    "timeout for a\n"
	    "                            probe's deadline (default 0.5)\n"
	    "  --shutdown-timeout=SECONDS  on SIGTERM, wait at most this "
	    "long for the probes\n"
	    "                            in flight (default 30)\n"
	    "  -h, --help                show this help and exit\n"
	    "  -V, --version             show the version and exit\n"
	    "\n"
	    "SIGHUP reloads the config (a bad one is refused and the old one "
	    "kept).\nExit status: 0 after SIGTERM or SIGINT, 3 when the "
	    "config or an option is bad.\n");
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(CD_ST_UNKNOWN);
}

static double
number(const char *opt, const char *arg, double min, double max)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end != '\0' || !(v >= min && v <= max))
		die("--%s '%s': want a number from %g to %g", opt, arg, min,
		    max);
	return v;
}

/* Load path; on a fault say it and return NULL. */
static struct exp_config *
load(const char *path)
{
	struct exp_config *c;
	char *msg = NULL;

	if ((c = exp_config_load(path, &msg)) == NULL) {
		/* FILE:LINE: reason alone, as compilers say it: editors
		 * jump to it. */
		fprintf(stderr, "%s\n", msg ? msg : "out of memory");
		free(msg);
	}
	return c;
}

static void
say_modules(const char *what, const struct exp_config *c)
{
	size_t i;

	fprintf(stderr, "%s: %s (%zu module%s:", prog, what, c->nmods,
	    c->nmods == 1 ? "" : "s");
	for (i = 0; i < c->nmods; i++)
		fprintf(stderr, " %s", c->mods[i].name);
	fputs(")\n", stderr);
}

/* Wait until nothing is answered or checked, or until the time t. */
static bool
drain(struct exp_http *h, double until)
{
	unsigned running, waiting;
	struct timespec ts = {0, 20 * 1000 * 1000};

	for (;;) {
		exp_probe_counts(&running, &waiting);
		if (exp_http_busy(h) == 0 && running == 0)
			return true;
		if (exp_now() >= until)
			return false;
		nanosleep(&ts, NULL);
	}
}

int
main(int argc, char **argv)
{
	const char *listen = DEFAULT_LISTEN, *config = DEFAULT_CONFIG;
	double offset = 0.5, grace = 30;
	unsigned max = 64, conns = 0;
	bool check_only = false;
	struct exp_config *cfg;
	struct exp_http *h;
	struct cd_err e;
	sigset_t sigs;
	char *msg;
	int c, sig;

	/* Our name in the messages, not the path the shell ran. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1)
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("certdiag-exporter (certdiag) %s\n",
			    cd_version());
			return 0;
		case O_LISTEN:
			listen = optarg;
			break;
		case O_CONFIG:
			config = optarg;
			break;
		case O_MAX_CONCURRENT:
			max = (unsigned)number("max-concurrent", optarg, 1,
			    100000);
			break;
		case O_MAX_CONNECTIONS:
			conns = (unsigned)number("max-connections", optarg, 1,
			    100000);
			break;
		case O_TIMEOUT_OFFSET:
			offset = number("timeout-offset", optarg, 0, 3600);
			break;
		case O_SHUTDOWN_TIMEOUT:
			grace = number("shutdown-timeout", optarg, 0, 86400);
			break;
		case O_CHECK_CONFIG:
			check_only = true;
			break;
		case ':':
			die("%s needs a value (see --help)", argv[optind - 1]);
		default:
			die("unknown option '%s' (see --help)", argv[optind - 1]);
		}
	if (optind < argc)
		die("unexpected argument '%s' (see --help)", argv[optind]);
	if (conns == 0)
		conns = max * 4 < 1024 ? 1024 : max * 4;

	/* Signals go to the main thread's sigwait(), never to a handler. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&e, 0, sizeof(e));
	if (cd_global_init(&e) != CD_OK)
		die("%s", e.msg);
	if ((cfg = load(config)) == NULL)
		return CD_ST_UNKNOWN;
	if (check_only) {
		say_modules(config, cfg);
		exp_config_put(cfg);
		cd_global_cleanup();
		return 0;
	}
	exp_config_set(cfg);
	exp_metrics_reload(true);
	exp_probe_init(max);
	exp_metrics_set_max(max);
	if ((h = exp_http_start(listen, conns, offset, &msg)) == NULL)
		die("%s", msg);
	fprintf(stderr, "%s: listening on %s, at most %u probes at once\n",
	    prog, listen, max);
	say_modules(config, cfg);

	for (;;) {
		if (sigwait(&sigs, &sig) != 0)
			continue;
		if (sig != SIGHUP)
			break;
		if ((cfg = load(config)) == NULL) {
			exp_metrics_reload(false);
			fprintf(stderr, "%s: reload refused, the old config "
			    "stays\n", prog);
			continue;
		}
		exp_config_set(cfg);
		exp_metrics_reload(true);
		say_modules("reloaded", cfg);
	}

	fprintf(stderr, "%s: %s: stopping; waiting for the probes in "
	    "flight\n", prog, strsignal(sig));
	exp_http_quiesce(h);
	if (!drain(h, exp_now() + grace)) {
		fprintf(stderr, "%s: --shutdown-timeout reached; cancelling "
		    "the probes left\n", prog);
		cd_cancel();
		(void)drain(h, exp_now() + 3);
	}
	exp_http_stop(h);
	exp_config_set(NULL);
	fprintf(stderr, "%s: stopped\n", prog);
	return 0;
}
