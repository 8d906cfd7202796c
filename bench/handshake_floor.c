/*
 * handshake_floor: the least work a certificate checker must do per
 * endpoint, as a yardstick for bench/run.  For each target it connects,
 * makes a full TLS handshake with SNI (GnuTLS defaults, no session
 * resumption), retrieves the peer's certificate list and closes.  No
 * verification, no parsing, no output per target: what is left of a
 * checker's time above this is the checker's own.
 *
 *   handshake_floor [-j THREADS] [-c ADDR] [-t SECONDS] TARGET...
 *   handshake_floor [-j THREADS] [-c ADDR] [-t SECONDS] -f FILE
 *
 * TARGET is NAME:PORT; NAME is sent as SNI and the connection goes to
 * ADDR (default 127.0.0.1; IPv4 only, it is a loopback benchmark).
 * Every socket operation has a deadline of -t seconds (default 10).
 * Exit 0 when every handshake succeeded, 2 otherwise, 3 on bad usage;
 * a summary line goes to stderr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

struct target {
	char *name;
	unsigned short port;
};

static struct target *targets;
static size_t ntargets;
static atomic_size_t next_target;
static atomic_size_t failed;
static struct in_addr connect_addr;
static int timeout_s = 10;
static gnutls_certificate_credentials_t creds;

static void usage(void)
{
	fprintf(stderr, "usage: handshake_floor [-j THREADS] [-c ADDR] "
			"[-t SECONDS] (-f FILE | NAME:PORT...)\n");
	exit(3);
}

static int add_target(const char *spec)
{
	const char *colon = strrchr(spec, ':');
	char *end;
	long port;
	struct target *t;

	if (!colon || colon == spec)
		return -1;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno || *end || port < 1 || port > 65535)
		return -1;
	t = realloc(targets, (ntargets + 1) * sizeof *targets);
	if (!t)
		return -1;
	targets = t;
	t[ntargets].name = strndup(spec, (size_t)(colon - spec));
	if (!t[ntargets].name)
		return -1;
	t[ntargets].port = (unsigned short)port;
	ntargets++;
	return 0;
}

static int read_file(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char line[1024];
	int rc = 0;

	if (!f)
		return -1;
	while (rc == 0 && fgets(line, sizeof line, f)) {
		char *s = line, *e;

		while (*s == ' ' || *s == '\t')
			s++;
		e = s + strcspn(s, " \t\r\n");
		*e = '\0';
		if (*s == '\0' || *s == '#')
			continue;
		rc = add_target(s);
	}
	if (f != stdin)
		fclose(f);
	return rc;
}

/* One connection and handshake; 0 on success. */
static int handshake_one(const struct target *t)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(t->port),
				  .sin_addr = connect_addr };
	struct timeval tv = { .tv_sec = timeout_s };
	gnutls_session_t s = NULL;
	const gnutls_datum_t *certs;
	unsigned int ncerts = 0;
	int fd, rc = -1, r, one = 1;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* SO_SNDTIMEO also bounds a blocking connect() on Linux. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv))
		goto out;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa))
		goto out;
	if (gnutls_init(&s, GNUTLS_CLIENT) < 0)
		goto out;
	if (gnutls_set_default_priority(s) < 0 ||
	    gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, creds) < 0 ||
	    gnutls_server_name_set(s, GNUTLS_NAME_DNS, t->name,
				   strlen(t->name)) < 0)
		goto out;
	gnutls_transport_set_int(s, fd);
	do
		r = gnutls_handshake(s);
	while (r < 0 && !gnutls_error_is_fatal(r));
	if (r < 0)
		goto out;
	certs = gnutls_certificate_get_peers(s, &ncerts);
	if (!certs || ncerts == 0)
		goto out;
	gnutls_bye(s, GNUTLS_SHUT_WR);
	rc = 0;
out:
	if (s)
		gnutls_deinit(s);
	close(fd);
	return rc;
}

static void *worker(void *arg)
{
	size_t i;

	(void)arg;
	while ((i = atomic_fetch_add(&next_target, 1)) < ntargets)
		if (handshake_one(&targets[i]))
			atomic_fetch_add(&failed, 1);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *file = NULL, *addr = "127.0.0.1";
	long jobs = 1;
	pthread_t *th;
	struct timespec t0, t1;
	int opt, rc = 0;
	long i, started;

	while ((opt = getopt(argc, argv, "j:c:f:t:h")) != -1) {
		switch (opt) {
		case 'j':
			jobs = strtol(optarg, NULL, 10);
			break;
		case 'c':
			addr = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 't':
			timeout_s = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (jobs < 1 || jobs > 1024 || timeout_s < 1 ||
	    inet_pton(AF_INET, addr, &connect_addr) != 1)
		usage();
	if (file && read_file(file)) {
		fprintf(stderr, "handshake_floor: cannot read targets from %s\n", file);
		return 3;
	}
	for (; optind < argc; optind++)
		if (add_target(argv[optind])) {
			fprintf(stderr, "handshake_floor: bad target %s\n", argv[optind]);
			return 3;
		}
	if (ntargets == 0)
		usage();
	if (gnutls_global_init() < 0 ||
	    gnutls_certificate_allocate_credentials(&creds) < 0)
		return 3;
	if ((size_t)jobs > ntargets)
		jobs = (long)ntargets;
	th = calloc((size_t)jobs, sizeof *th);
	if (!th)
		return 3;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (started = 0; started < jobs; started++)
		if (pthread_create(&th[started], NULL, worker, NULL))
			break;
	if (started == 0)
		worker(NULL);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (failed)
		rc = 2;
	fprintf(stderr, "handshake_floor: %zu handshakes, %zu failed, %.3f s, %ld threads\n",
		ntargets, (size_t)failed,
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		started);
	free(th);
	for (size_t k = 0; k < ntargets; k++)
		free(targets[k].name);
	free(targets);
	gnutls_certificate_free_credentials(creds);
	gnutls_global_deinit();
	return rc;
}
