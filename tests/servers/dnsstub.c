/*
 * dnsstub - a DNS front for the test lab that misbehaves on request.
 *
 * It does only what no real server can be made to do: for the names given
 * with --rule it never answers, answers SERVFAIL/REFUSED/NOTIMP/FORMERR,
 * sends garbage, or truncates over UDP (answering over TCP); every other
 * query is relayed to the real authoritative server (--upstream, knot in
 * the lab) and its answer relayed back unchanged.
 *
 *   dnsstub --port 53 --upstream 127.0.0.1:5300 \
 *       --rule caa-timeout.test=timeout --rule sf.test=servfail ...
 *
 * Listens on 127.0.0.1 (UDP and TCP).  Test use only; libc only.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define MAX_RULES 64

struct rule {
	char name[256];
	char action[16];
};

static struct rule rules[MAX_RULES];
static int nrules;
static struct sockaddr_in upstream;
static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* The query name as "a.b.c" (lower case); 0 on success. */
static int
qname(const unsigned char *q, size_t len, char *out, size_t outlen)
{
	size_t pos = 12, o = 0, l;

	while (pos < len && q[pos] != 0) {
		l = q[pos++];
		if (l > 63 || pos + l > len || o + l + 2 > outlen)
			return -1;
		if (o)
			out[o++] = '.';
		while (l--)
			out[o++] = (char)tolower(q[pos++]);
	}
	out[o] = '\0';
	return pos < len ? 0 : -1;
}

static const char *
action_for(const unsigned char *q, size_t len)
{
	char name[256];
	int i;

	if (len < 12 || qname(q, len, name, sizeof(name)) != 0)
		return "formerr";
	for (i = 0; i < nrules; i++)
		if (strcasecmp(rules[i].name, name) == 0)
			return rules[i].action;
	return "forward";
}

/* An answer header for query q with rcode and flags, no records. */
static size_t
header_only(const unsigned char *q, size_t len, unsigned char *out,
    int rcode, int tc)
{
	size_t end = 12;

	/* Keep the question section: up to the name's end plus 4. */
	while (end < len && q[end] != 0)
		end += q[end] + 1;
	end = end + 5 <= len ? end + 5 : len;
	memcpy(out, q, end);
	out[2] = (unsigned char)(0x80 | (q[2] & 0x79) | (tc ? 0x02 : 0));
	out[3] = (unsigned char)(0x80 | rcode);
	out[6] = out[7] = out[8] = out[9] = out[10] = out[11] = 0;
	return end;
}

static ssize_t
forward(const unsigned char *q, size_t len, unsigned char *out, size_t outlen)
{
	struct timeval tv = {2, 0};
	ssize_t n;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (sendto(s, q, len, 0, (struct sockaddr *)&upstream,
	    sizeof(upstream)) < 0) {
		close(s);
		return -1;
	}
	n = recv(s, out, outlen, 0);
	close(s);
	return n;
}

/* The reply to q (over tcp or not); -1 means stay silent. */
static ssize_t
reply(const unsigned char *q, size_t len, int tcp, unsigned char *out,
    size_t outlen)
{
	const char *a = action_for(q, len);
	size_t i;

	if (len < 12)
		return -1;
	if (strcmp(a, "timeout") == 0)
		return -1;
	if (strcmp(a, "servfail") == 0)
		return (ssize_t)header_only(q, len, out, 2, 0);
	if (strcmp(a, "nxdomain") == 0)
		return (ssize_t)header_only(q, len, out, 3, 0);
	if (strcmp(a, "notimp") == 0)
		return (ssize_t)header_only(q, len, out, 4, 0);
	if (strcmp(a, "refused") == 0)
		return (ssize_t)header_only(q, len, out, 5, 0);
	if (strcmp(a, "formerr") == 0)
		return (ssize_t)header_only(q, len, out, 1, 0);
	if (strcmp(a, "garbage") == 0) {
		/* The right ID, then nonsense counts and bytes. */
		out[0] = q[0];
		out[1] = q[1];
		for (i = 2; i < 64; i++)
			out[i] = (unsigned char)(0xa5 ^ (i * 37));
		out[2] |= 0x80;
		return 64;
	}
	if (strcmp(a, "truncate") == 0 && !tcp)
		return (ssize_t)header_only(q, len, out, 0, 1);
	if (strcmp(a, "truncate-always") == 0)
		return (ssize_t)header_only(q, len, out, 0, 1);
	return forward(q, len, out, outlen);
}

static void
serve_tcp(int c)
{
	unsigned char q[65536], out[65536 + 2];
	unsigned char lenbuf[2];
	struct timeval tv = {3, 0};
	size_t want, got = 0;
	ssize_t n;

	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (recv(c, lenbuf, 2, MSG_WAITALL) != 2)
		return;
	want = (size_t)lenbuf[0] << 8 | lenbuf[1];
	while (got < want) {
		if ((n = recv(c, q + got, want - got, 0)) <= 0)
			return;
		got += (size_t)n;
	}
	if ((n = reply(q, want, 1, out + 2, sizeof(out) - 2)) < 0) {
		sleep(5);	/* "timeout" over TCP: hold, then close */
		return;
	}
	out[0] = (unsigned char)(n >> 8);
	out[1] = (unsigned char)n;
	if (write(c, out, (size_t)n + 2) < 0)
		return;
}

static int
listen_on(int type, int port)
{
	struct sockaddr_in a;
	int s = socket(AF_INET, type, 0), one = 1;

	if (s < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    (type == SOCK_STREAM && listen(s, 16) < 0)) {
		close(s);
		return -1;
	}
	return s;
}

static int
parse_args(int argc, char **argv, int *port)
{
	char *eq, *colon;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
			*port = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--upstream") == 0 && i + 1 < argc) {
			colon = strchr(argv[++i], ':');
			if (colon == NULL)
				return -1;
			*colon = '\0';
			upstream.sin_family = AF_INET;
			upstream.sin_port = htons((uint16_t)atoi(colon + 1));
			if (inet_pton(AF_INET, argv[i], &upstream.sin_addr) != 1)
				return -1;
		} else if (strcmp(argv[i], "--rule") == 0 && i + 1 < argc &&
		    nrules < MAX_RULES && (eq = strchr(argv[++i], '=')) != NULL) {
			*eq = '\0';
			snprintf(rules[nrules].name, sizeof(rules[0].name), "%s",
			    argv[i]);
			snprintf(rules[nrules].action, sizeof(rules[0].action),
			    "%s", eq + 1);
			nrules++;
		} else {
			return -1;
		}
	}
	return *port > 0 && upstream.sin_port != 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	unsigned char q[4096], out[65536];
	struct sockaddr_storage from;
	struct pollfd p[2];
	socklen_t fl;
	ssize_t n, r;
	int port = 0, u, t, c;

	if (parse_args(argc, argv, &port) != 0) {
		fprintf(stderr, "usage: dnsstub --port N --upstream IP:PORT "
		    "[--rule NAME=timeout|servfail|nxdomain|notimp|refused|"
		    "formerr|garbage|truncate|truncate-always]...\n");
		return 2;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	signal(SIGPIPE, SIG_IGN);
	if ((u = listen_on(SOCK_DGRAM, port)) < 0 ||
	    (t = listen_on(SOCK_STREAM, port)) < 0) {
		fprintf(stderr, "dnsstub: cannot bind port %d: %s\n", port,
		    strerror(errno));
		return 1;
	}
	p[0].fd = u;
	p[1].fd = t;
	p[0].events = p[1].events = POLLIN;
	while (!stop) {
		if (poll(p, 2, 500) <= 0)
			continue;
		if (p[0].revents & POLLIN) {
			fl = sizeof(from);
			n = recvfrom(u, q, sizeof(q), 0, (struct sockaddr *)&from,
			    &fl);
			if (n > 0 && (r = reply(q, (size_t)n, 0, out,
			    sizeof(out))) >= 0)
				sendto(u, out, (size_t)r, 0,
				    (struct sockaddr *)&from, fl);
		}
		if (p[1].revents & POLLIN && (c = accept(t, NULL, NULL)) >= 0) {
			serve_tcp(c);
			close(c);
		}
	}
	return 0;
}
