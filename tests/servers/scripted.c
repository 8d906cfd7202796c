/*
 * scripted: a TCP peer that plays a script, for the STARTTLS tests
 * where no stock server can misbehave on demand (a 454 refusal, an
 * endless "250-" reply, a stall in the greeting, bytes injected after
 * "220 ready", garbage).  Real servers cover everything that works.
 *
 *   scripted --port N --script FILE
 *
 * FILE has one step per line, played for each connection:
 *
 *   send TEXT    write TEXT; \r \n \\ and \xHH are escapes
 *   line         read one line from the client (up to \n)
 *   recv N       read N bytes from the client
 *   flood TEXT   write TEXT again and again until the client goes away
 *   stall        read and discard until the client goes away
 *
 * After the last step the connection closes.  It listens on 127.0.0.1
 * only, one child process per connection, and exits on SIGTERM.  Only
 * libc.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_STEPS 64
#define MAX_TEXT 4096

struct step {
	char op[8];
	char text[MAX_TEXT];
	size_t len;
};

static struct step steps[MAX_STEPS];
static size_t nsteps;

/* Decode the escapes of TEXT into st->text. */
static void
unescape(const char *s, struct step *st)
{
	unsigned v;

	st->len = 0;
	while (*s && st->len < MAX_TEXT) {
		if (s[0] == '\\' && s[1] == 'r') {
			st->text[st->len++] = '\r';
			s += 2;
		} else if (s[0] == '\\' && s[1] == 'n') {
			st->text[st->len++] = '\n';
			s += 2;
		} else if (s[0] == '\\' && s[1] == '\\') {
			st->text[st->len++] = '\\';
			s += 2;
		} else if (s[0] == '\\' && s[1] == 'x' &&
		    sscanf(s + 2, "%2x", &v) == 1) {
			st->text[st->len++] = (char)v;
			s += 4;
		} else {
			st->text[st->len++] = *s++;
		}
	}
}

static int
load(const char *path)
{
	char buf[MAX_TEXT + 16], *sp, *nl;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return -1;
	while (fgets(buf, sizeof(buf), f) != NULL && nsteps < MAX_STEPS) {
		if ((nl = strchr(buf, '\n')) != NULL)
			*nl = '\0';
		if (buf[0] == '\0' || buf[0] == '#')
			continue;
		sp = strchr(buf, ' ');
		if (sp != NULL)
			*sp++ = '\0';
		if (strlen(buf) >= sizeof(steps[nsteps].op))
			continue;
		memcpy(steps[nsteps].op, buf, strlen(buf) + 1);
		unescape(sp ? sp : "", &steps[nsteps]);
		nsteps++;
	}
	fclose(f);
	return 0;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Play the script on one connection. */
static void
play(int fd)
{
	char c, buf[4096];
	size_t i, k;
	long n;

	for (i = 0; i < nsteps; i++) {
		const struct step *st = &steps[i];

		if (strcmp(st->op, "send") == 0) {
			if (write_all(fd, st->text, st->len) < 0)
				return;
		} else if (strcmp(st->op, "line") == 0) {
			do {
				if (recv(fd, &c, 1, 0) != 1)
					return;
			} while (c != '\n');
		} else if (strcmp(st->op, "recv") == 0) {
			n = strtol(st->text, NULL, 10);
			for (k = 0; (long)k < n; k++)
				if (recv(fd, &c, 1, 0) != 1)
					return;
		} else if (strcmp(st->op, "flood") == 0) {
			while (write_all(fd, st->text, st->len) == 0)
				;
			return;
		} else if (strcmp(st->op, "stall") == 0) {
			while (recv(fd, buf, sizeof(buf), 0) > 0)
				;
			return;
		}
	}
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sa;
	int lfd, fd, one = 1, port = 0, i;
	const char *script = NULL;
	pid_t pid;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--port") == 0)
			port = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--script") == 0)
			script = argv[i + 1];
	}
	if (port < 1 || port > 65535 || script == NULL || load(script) < 0) {
		fprintf(stderr, "usage: scripted --port N --script FILE\n");
		return 2;
	}
	signal(SIGCHLD, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(lfd, 16) < 0) {
		perror("scripted: listen");
		return 1;
	}
	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) < 0) {
			if (errno == EINTR)
				continue;
			perror("scripted: accept");
			return 1;
		}
		if ((pid = fork()) == 0) {
			close(lfd);
			play(fd);
			close(fd);
			_exit(0);
		}
		close(fd);
	}
}
