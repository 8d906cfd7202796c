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
 * A rule's name may be "*" (every name) and may end in "/TYPE" (CAA, A,
 * TXT, SOA, NS, AAAA, DNSKEY, DS or a number) to apply to that query type
 * only: "* /CAA=refused" (without the space) is a server that refuses CAA
 * queries and answers the rest.  Besides the fixed answers, a rule can
 * pass the upstream answer through a fault a broken authoritative server
 * shows: "nosoa" (a negative answer without the SOA), "noaa" (the AA flag
 * cleared), "lowercase" (the question echoed in lower case, not as
 * asked), "ednsformerr" (FORMERR whenever the query carries EDNS).
 *
 * Listens on 127.0.0.1 or --listen ADDR (UDP and TCP).  Test use only;
 * libc only.
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
	int type;		/* 0: every type */
	char action[16];
};

static struct rule rules[MAX_RULES];
static int nrules;
static struct sockaddr_in upstream;
static struct in_addr listen_addr;
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

/* Offset just past the question's name, or 0. */
static size_t
qname_end(const unsigned char *q, size_t len)
{
	size_t pos = 12;

	while (pos < len && q[pos] != 0) {
		if (q[pos] > 63)
			return 0;
		pos += (size_t)q[pos] + 1;
	}
	return pos + 5 <= len ? pos + 1 : 0;
}

static int
qtype(const unsigned char *q, size_t len)
{
	size_t e = qname_end(q, len);

	return e ? q[e] << 8 | q[e + 1] : -1;
}

static const char *
action_for(const unsigned char *q, size_t len)
{
	char name[256];
	int i, t = qtype(q, len);

	if (len < 12 || qname(q, len, name, sizeof(name)) != 0)
		return "formerr";
	for (i = 0; i < nrules; i++)
		if ((strcmp(rules[i].name, "*") == 0 ||
		    strcasecmp(rules[i].name, name) == 0) &&
		    (rules[i].type == 0 || rules[i].type == t))
			return rules[i].action;
	return "forward";
}

/* Offset past the resource record at pos, or 0. */
static size_t
skip_rr(const unsigned char *m, size_t len, size_t pos)
{
	while (pos < len && m[pos] != 0) {
		if ((m[pos] & 0xc0) == 0xc0) {
			pos++;
			break;
		}
		pos += (size_t)m[pos] + 1;
	}
	pos++;
	if (pos + 10 > len)
		return 0;
	pos += 10 + (size_t)(m[pos + 8] << 8 | m[pos + 9]);
	return pos <= len ? pos : 0;
}

/*
 * A negative upstream answer rewritten without its authority section
 * (the zone's SOA), the OPT record kept.
 */
static ssize_t
strip_authority(unsigned char *m, size_t len)
{
	size_t pos = qname_end(m, len), i, auth_start, auth_end, add_end;
	unsigned an = (unsigned)(m[6] << 8 | m[7]);
	unsigned ns = (unsigned)(m[8] << 8 | m[9]);
	unsigned ar = (unsigned)(m[10] << 8 | m[11]);

	if (pos == 0 || an != 0)
		return (ssize_t)len;
	pos += 4;
	auth_start = pos;
	for (i = 0; i < ns && pos; i++)
		pos = skip_rr(m, len, pos);
	auth_end = pos;
	for (i = 0; i < ar && pos; i++)
		pos = skip_rr(m, len, pos);
	add_end = pos;
	if (pos == 0)
		return (ssize_t)len;
	memmove(m + auth_start, m + auth_end, add_end - auth_end);
	m[8] = m[9] = 0;
	return (ssize_t)(auth_start + (add_end - auth_end));
}

/* Does the query carry an OPT record (EDNS)? */
static int
has_edns(const unsigned char *q, size_t len)
{
	return len >= 12 && (q[10] << 8 | q[11]) > 0;
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
	ssize_t n;

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
	if (strcmp(a, "ednsformerr") == 0 && has_edns(q, len))
		return (ssize_t)header_only(q, len, out, 1, 0);
	if ((n = forward(q, len, out, outlen)) < 12)
		return n;
	if (strcmp(a, "noaa") == 0)
		out[2] &= (unsigned char)~0x04;
	if (strcmp(a, "nosoa") == 0 && (out[3] & 0x0f) <= 3)
		n = strip_authority(out, (size_t)n);
	if (strcmp(a, "lowercase") == 0)
		for (i = 12; i < qname_end(out, (size_t)n); i++)
			out[i] = (unsigned char)tolower(out[i]);
	return n;
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
	a.sin_addr = listen_addr;
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    (type == SOCK_STREAM && listen(s, 16) < 0)) {
		close(s);
		return -1;
	}
	return s;
}

static int
rrtype(const char *s)
{
	static const struct {
		const char *name;
		int type;
	} t[] = {{"A", 1}, {"NS", 2}, {"SOA", 6}, {"TXT", 16}, {"AAAA", 28},
	    {"DS", 43}, {"DNSKEY", 48}, {"CAA", 257}};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcasecmp(s, t[i].name) == 0)
			return t[i].type;
	return atoi(s);
}

static int
parse_args(int argc, char **argv, int *port)
{
	char *eq, *colon, *slash;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
			*port = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
			if (inet_pton(AF_INET, argv[++i], &listen_addr) != 1)
				return -1;
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
			if ((slash = strchr(argv[i], '/')) != NULL) {
				*slash++ = '\0';
				rules[nrules].type = rrtype(slash);
				if (rules[nrules].type <= 0)
					return -1;
			}
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

	listen_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (parse_args(argc, argv, &port) != 0) {
		fprintf(stderr, "usage: dnsstub --port N --upstream IP:PORT "
		    "[--listen IP] [--rule NAME[/TYPE]=timeout|servfail|"
		    "nxdomain|notimp|refused|formerr|garbage|truncate|"
		    "truncate-always|nosoa|noaa|lowercase|ednsformerr]...\n");
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
