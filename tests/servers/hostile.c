/*
 * hostile: a TCP server that misbehaves on purpose, for certcheck's
 * integration tests.  Stock servers (gnutls-serv, nginx) always complete
 * or cleanly refuse a handshake; the failures a checker must survive
 * without hanging or crashing need a server that does something worse.
 *
 *   hostile --port N --mode stall     accept, read and discard, never write;
 *                                     also swallow UDP datagrams on the same
 *                                     port, so it doubles as a DNS server
 *                                     that never answers
 *   hostile --port N --mode garbage   send 4 KiB of bytes that are not TLS,
 *                                     then behave like stall
 *   hostile --port N --mode close     accept and close at once
 *   hostile --port N --mode blackhole listen with a backlog of 0, fill it
 *                                     with one connection of its own and
 *                                     never accept: the kernel drops every
 *                                     further SYN, so clients time out in
 *                                     connect (a firewall that drops, on
 *                                     ::1 too, where a route cannot)
 *   hostile --port N --mode midclose  wait for the ClientHello, answer with
 *                                     the first bytes of a ServerHello
 *                                     record and hang up mid-handshake
 *   hostile --port N --mode midstall  the same first bytes, then silence
 *                                     with the connection held open: the
 *                                     client waits for the rest of a record
 *   hostile --port N --mode helloclose
 *                                     read the ClientHello, then close
 *                                     cleanly (FIN, nothing unread, so no
 *                                     reset)
 *
 * HTTP modes (the response is sent at once, whatever the request):
 *   headers-stall   200 headers announcing a body, then nothing
 *   drip            200 headers, then the body one byte a second
 *   bigbody         200 with Content-Length 1 GiB, written as fast as the
 *                   client reads it
 *   longlocation    302 whose Location header is 100 kB long
 *   redirect        302 to a new path every time (/r1, /r2, ...): an
 *                   endless chain, never a loop
 *   badutf8         200 whose body is invalid UTF-8 with terminal escapes
 *
 * It listens on 127.0.0.1 and ::1 only (IPV6_V6ONLY, so both families get
 * their own socket), never on a routable address, and exits 0 on SIGTERM
 * or SIGINT.  Only libc; one poll() loop, no threads, no fork.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum mode {
	MODE_STALL, MODE_GARBAGE, MODE_CLOSE, MODE_BLACKHOLE, MODE_MIDCLOSE,
	MODE_HDRSTALL, MODE_DRIP, MODE_BIGBODY, MODE_LONGLOC, MODE_REDIRECT,
	MODE_BADUTF8, MODE_MIDSTALL, MODE_HELLOCLOSE
};

static const char *const mode_names[] = {
	"stall", "garbage", "close", "blackhole", "midclose", "headers-stall",
	"drip", "bigbody", "longlocation", "redirect", "badutf8", "midstall",
	"helloclose"
};

/* bigbody: what is left to send on each connection (by poll slot). */
#define BIG_BODY (1024LL * 1024 * 1024)

/* Listening sockets (TCP v4/v6, UDP v4/v6) plus held connections. */
#define MAX_FDS 128

static volatile sig_atomic_t stop;

/* listen(2) backlog: 0 in blackhole mode. */
static int listen_backlog = 64;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: hostile --port N --mode ");
	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		fprintf(f, "%s%s", i ? "|" : "", mode_names[i]);
	fprintf(f, "\n");
}

/* Parse a port in 1..65535; 0 on error. */
static unsigned short parse_port(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 || v > 65535)
		return 0;
	return (unsigned short)v;
}

static int parse_mode(const char *s, enum mode *m)
{
	size_t i;

	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++) {
		if (strcmp(s, mode_names[i]) == 0) {
			*m = (enum mode)i;
			return 0;
		}
	}
	return -1;
}

/* 127.0.0.1 or ::1 with PORT into *ss; returns the address length. */
static socklen_t loopback_addr(int family, unsigned short port,
    struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = in6addr_loopback;
		return sizeof(*sin6);
	}
}

/*
 * Open a socket of TYPE bound to loopback of FAMILY.  Returns the fd, or
 * -1 after printing why.
 */
static int open_loopback(int family, int type, unsigned short port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1;

	len = loopback_addr(family, port, &ss);

	fd = socket(family, type, 0);
	if (fd == -1) {
		perror("hostile: socket");
		return -1;
	}
	/* Tests restart servers on fixed ports; do not wait for TIME_WAIT. */
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* Keep ::1 from also claiming the IPv4 port we bind separately. */
	if (family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) == -1) {
		perror("hostile: IPV6_V6ONLY");
		close(fd);
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&ss, len) == -1) {
		fprintf(stderr, "hostile: bind %s port %u: %s\n",
		    family == AF_INET ? "127.0.0.1" : "::1", port,
		    strerror(errno));
		close(fd);
		return -1;
	}
	if (type == SOCK_STREAM && listen(fd, listen_backlog) == -1) {
		perror("hostile: listen");
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Blackhole mode: connect once to our own listener on FAMILY, so that its
 * accept queue (backlog 0) is full; the connection is kept, never
 * accepted.  Returns the client fd, or -1 after printing why.
 */
static int fill_queue(int family, unsigned short port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	len = loopback_addr(family, port, &ss);
	fd = socket(family, SOCK_STREAM, 0);
	if (fd == -1 || connect(fd, (struct sockaddr *)&ss, len) == -1) {
		perror("hostile: blackhole self-connect");
		if (fd != -1)
			close(fd);
		return -1;
	}
	return fd;
}

/* Write all of BUF, giving up quietly if the peer goes away. */
static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/*
 * 4 KiB of printable text: the first byte ('N') is not a TLS record type,
 * so a client fails at once instead of waiting for more of a "record".
 */
static void send_garbage(int fd)
{
	static const char line[] = "NOT TLS: certdiag hostile server garbage\n";
	char buf[4096];
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = line[i % (sizeof(line) - 1)];
	write_all(fd, buf, sizeof(buf));
}

static void write_str(int fd, const char *s)
{
	write_all(fd, s, strlen(s));
}

/* The HTTP modes' response head (and whole body where it is short). */
static void send_http(int fd, enum mode mode)
{
	static unsigned long hop;
	char head[256];
	char *loc;
	size_t n;

	switch (mode) {
	case MODE_HDRSTALL:
		write_str(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n"
		    "\r\n");
		break;
	case MODE_DRIP:
		write_str(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n"
		    "\r\n");
		break;
	case MODE_BIGBODY:
		n = (size_t)snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n"
		    "Content-Length: %lld\r\n\r\n", BIG_BODY);
		write_all(fd, head, n);
		break;
	case MODE_LONGLOC:
		/* 100 kB of path (under libcurl's 100 KiB limit on one header line). */
		n = 100 * 1000;
		if ((loc = malloc(n)) == NULL)
			return;
		memset(loc, 'a', n);
		write_str(fd, "HTTP/1.1 302 Found\r\nLocation: /");
		write_all(fd, loc, n);
		write_str(fd, "\r\nContent-Length: 0\r\n\r\n");
		free(loc);
		break;
	case MODE_REDIRECT:
		n = (size_t)snprintf(head, sizeof(head), "HTTP/1.1 302 Found\r\n"
		    "Location: /r%lu\r\nContent-Length: 0\r\n\r\n", ++hop);
		write_all(fd, head, n);
		break;
	case MODE_BADUTF8: {
		/* Overlong, lone continuation, surrogate, 0xff, CSI, OSC. */
		static const char body[] = "\xc0\xaf \x80 \xed\xa0\x80 "
		    "\xff\xfe \x1b[31mred\x1b[0m \x1b]0;pwned\x07 \x9b"
		    "2J end";
		n = (size_t)snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n"
		    "Content-Length: %zu\r\n\r\n", sizeof(body) - 1);
		write_all(fd, head, n);
		write_all(fd, body, sizeof(body) - 1);
		break;
	}
	case MODE_STALL:
	case MODE_GARBAGE:
	case MODE_CLOSE:
	case MODE_BLACKHOLE:
	case MODE_MIDCLOSE:
	case MODE_MIDSTALL:
	case MODE_HELLOCLOSE:
		break;
	}
}

/*
 * Accept one connection on LFD.  Returns the new fd if it must be held
 * open, -1 otherwise (closed, or accept failed).
 */
static int accept_one(int lfd, enum mode mode)
{
	int cfd = accept(lfd, NULL, NULL);

	if (cfd == -1)
		return -1;
	switch (mode) {
	case MODE_CLOSE:
		close(cfd);
		return -1;
	case MODE_GARBAGE:
		send_garbage(cfd);
		return cfd;
	case MODE_STALL:
	case MODE_MIDCLOSE:
	case MODE_MIDSTALL:
	case MODE_HELLOCLOSE:
		return cfd;
	case MODE_BLACKHOLE:
		break;
	case MODE_LONGLOC:
	case MODE_REDIRECT:
	case MODE_BADUTF8:
		/* Complete answers: keep reading until the client leaves. */
	case MODE_HDRSTALL:
	case MODE_DRIP:
	case MODE_BIGBODY:
		send_http(cfd, mode);
		return cfd;
	}
	close(cfd);
	return -1;
}

/*
 * bigbody: write the next 64 KiB (or what fits) of the body on a
 * non-blocking FD; 1 when done or the client has gone.
 */
static int send_more(int fd, long long *left)
{
	static char chunk[65536];
	size_t want;
	ssize_t n;

	if (chunk[0] == '\0')
		memset(chunk, 'A', sizeof(chunk));
	want = *left < (long long)sizeof(chunk) ? (size_t)*left : sizeof(chunk);
	n = write(fd, chunk, want);
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : 1;
	*left -= n;
	return *left <= 0;
}

/* Read and drop whatever is there; returns -1 when the peer is gone. */
static int drain(int fd, int is_stream)
{
	char buf[4096];
	ssize_t n = recv(fd, buf, sizeof(buf), 0);

	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return 0;
	/* A UDP socket stays open whatever a datagram did. */
	if (!is_stream)
		return 0;
	return n > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct pollfd fds[MAX_FDS];
	int nlisten = 0, nfds, i;
	unsigned short port = 0;
	enum mode mode = MODE_STALL;
	int have_mode = 0;
	struct sigaction sa;
	/* Which fds are listening TCP sockets vs UDP sockets. */
	int is_listener[MAX_FDS], is_udp[MAX_FDS];
	long long left[MAX_FDS];
	/* midstall: the partial record went out on this connection. */
	int sent[MAX_FDS];

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
			port = parse_port(argv[++i]);
			if (port == 0) {
				fprintf(stderr, "hostile: bad port: %s\n", argv[i]);
				return 2;
			}
		} else if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc) {
			if (parse_mode(argv[++i], &mode) == -1) {
				fprintf(stderr, "hostile: bad mode: %s\n", argv[i]);
				return 2;
			}
			have_mode = 1;
		} else if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (port == 0 || !have_mode) {
		usage(stderr);
		return 2;
	}

	/* No SA_RESTART: poll() must return EINTR so the loop sees `stop`. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* A client that resets while we send garbage must not kill us. */
	signal(SIGPIPE, SIG_IGN);

	memset(is_listener, 0, sizeof(is_listener));
	memset(is_udp, 0, sizeof(is_udp));
	memset(sent, 0, sizeof(sent));
	if (mode == MODE_BLACKHOLE)
		listen_backlog = 0;
	{
		static const int families[] = { AF_INET, AF_INET6 };
		size_t f;

		for (f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
			int fd = open_loopback(families[f], SOCK_STREAM, port);

			if (fd == -1)
				return 1;
			is_listener[nlisten] = 1;
			fds[nlisten].fd = fd;
			fds[nlisten++].events = POLLIN;
			if (mode == MODE_BLACKHOLE) {
				/* Never accept; the queue stays full. */
				fds[nlisten - 1].events = 0;
				if (fill_queue(families[f], port) == -1)
					return 1;
				continue;
			}
			if (mode != MODE_STALL)
				continue;
			fd = open_loopback(families[f], SOCK_DGRAM, port);
			if (fd == -1)
				return 1;
			is_udp[nlisten] = 1;
			fds[nlisten].fd = fd;
			fds[nlisten++].events = POLLIN;
		}
	}
	nfds = nlisten;

	while (!stop) {
		/* drip: one byte to every connection each second. */
		int wait_ms = mode == MODE_DRIP ? 1000 : -1, n;

		n = poll(fds, (nfds_t)nfds, wait_ms);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			perror("hostile: poll");
			return 1;
		}
		if (n == 0) {
			for (i = nlisten; i < nfds; i++)
				write_all(fds[i].fd, "A", 1);
			continue;
		}
		for (i = 0; i < nfds; i++) {
			int gone = 0;

			if (fds[i].revents == 0)
				continue;
			if (is_listener[i]) {
				int cfd = accept_one(fds[i].fd, mode);

				if (cfd == -1)
					continue;
				if (nfds == MAX_FDS) {
					/* Full: drop the newcomer, keep the rest. */
					close(cfd);
					continue;
				}
				fds[nfds].fd = cfd;
				fds[nfds].events = POLLIN;
				fds[nfds].revents = 0;
				is_listener[nfds] = 0;
				is_udp[nfds] = 0;
				sent[nfds] = 0;
				if (mode == MODE_BIGBODY) {
					/* Never block in write: poll says when. */
					(void)fcntl(cfd, F_SETFL, O_NONBLOCK);
					fds[nfds].events |= POLLOUT;
					left[nfds] = BIG_BODY;
				}
				nfds++;
				continue;
			}
			if (fds[i].revents & POLLOUT)
				gone = send_more(fds[i].fd, &left[i]);
			if (!gone && (mode == MODE_MIDCLOSE ||
			    mode == MODE_MIDSTALL) && !is_udp[i] && !sent[i] &&
			    (fds[i].revents & POLLIN)) {
				/*
				 * A handshake record announcing 64 bytes of
				 * ServerHello, 6 of them sent, then the hang-up
				 * (midclose) or nothing more (midstall).
				 */
				static const char part[] = "\x16\x03\x03\x00\x40"
				    "\x02\x00\x00\x3c\x03\x03";

				if (mode == MODE_MIDSTALL)
					gone = drain(fds[i].fd, 1) == -1;
				if (!gone)
					write_all(fds[i].fd, part, sizeof(part) - 1);
				sent[i] = 1;
				gone = gone || mode == MODE_MIDCLOSE;
				if (!gone)
					continue;
			}
			if (!gone && mode == MODE_HELLOCLOSE && !is_udp[i] &&
			    (fds[i].revents & POLLIN)) {
				/* Everything read first: close(2) then sends
				 * FIN, where unread data would make it RST. */
				(void)drain(fds[i].fd, 1);
				gone = 1;
			}
			if (!gone && (fds[i].revents & ~POLLOUT))
				gone = drain(fds[i].fd, !is_udp[i]) == -1;
			if (gone) {
				/* Peer closed: compact by moving the last fd here. */
				close(fds[i].fd);
				nfds--;
				fds[i] = fds[nfds];
				is_listener[i] = is_listener[nfds];
				is_udp[i] = is_udp[nfds];
				left[i] = left[nfds];
				sent[i] = sent[nfds];
				i--;
			}
		}
	}
	for (i = 0; i < nfds; i++)
		close(fds[i].fd);
	return 0;
}
