/*
 * starttls.c - --starttls: names and ports of the protocols, and the
 * socket side of the conversations starttls_conv.c holds.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "err.h"
#include "net.h"
#include "starttls.h"
#include "starttls_conv.h"

static const struct {
	enum cd_starttls p;
	const char *name;
	uint16_t port;
} protos[] = {
	{CD_STARTTLS_SMTP, "smtp", 25},
	{CD_STARTTLS_IMAP, "imap", 143},
	{CD_STARTTLS_POP3, "pop3", 110},
	{CD_STARTTLS_FTP, "ftp", 21},
	{CD_STARTTLS_XMPP, "xmpp", 5222},
	{CD_STARTTLS_LDAP, "ldap", 389},
	{CD_STARTTLS_POSTGRES, "postgres", 5432},
};

cd_rc
cd_starttls_parse(const char *s, enum cd_starttls *out, struct cd_err *err)
{
	size_t i;

	for (i = 0; i < CD_ARRAY_LEN(protos); i++)
		if (s != NULL && strcmp(s, protos[i].name) == 0) {
			*out = protos[i].p;
			return CD_OK;
		}
	return cd_err_set(err, CD_E_USAGE, "'%s': --starttls takes smtp, "
	    "imap, pop3, ftp, xmpp, ldap or postgres", s ? s : "");
}

const char *
cd_starttls_name(enum cd_starttls p)
{
	size_t i;

	for (i = 0; i < CD_ARRAY_LEN(protos); i++)
		if (protos[i].p == p)
			return protos[i].name;
	return NULL;
}

uint16_t
cd_starttls_port(enum cd_starttls p)
{
	size_t i;

	for (i = 0; i < CD_ARRAY_LEN(protos); i++)
		if (protos[i].p == p)
			return protos[i].port;
	return 443;
}

/*
 * What EHLO says about us: our address as a literal, which RFC 5321
 * 4.1.4 asks of a client without a name of its own, and which is true.
 */
static void
helo_literal(int fd, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char a[INET6_ADDRSTRLEN];

	snprintf(buf, len, "[127.0.0.1]");
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0)
		return;
	if (ss.ss_family == AF_INET &&
	    inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, a,
	    sizeof(a)) != NULL)
		snprintf(buf, len, "[%s]", a);
	else if (ss.ss_family == AF_INET6 &&
	    inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, a,
	    sizeof(a)) != NULL)
		snprintf(buf, len, "[IPv6:%s]", a);
}

/* Write all of s->out before the deadline. */
static cd_rc
put(int fd, struct cd_stls *s, int64_t deadline, struct cd_err *err)
{
	size_t off = 0;
	ssize_t n;
	cd_rc rc;

	while (off < s->outlen) {
		n = send(fd, s->out + off, s->outlen - off, MSG_NOSIGNAL);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if ((rc = cd_net_wait(fd, true, deadline, err)) != CD_OK)
				return cd_err_set(err, rc, "could not send "
				    "while waiting for %s", s->waiting);
			continue;
		}
		return cd_err_set(err, CD_E_TLS, "the server closed the "
		    "connection (%s) before %s", strerror(errno), s->waiting);
	}
	cd_stls_sent(s);
	return CD_OK;
}

/* One read into the conversation's buffer. */
static cd_rc
get(int fd, struct cd_stls *s, int64_t deadline, struct cd_err *err)
{
	unsigned char *p;
	size_t room = cd_stls_room(s, &p);
	ssize_t n;
	cd_rc rc;

	if ((rc = cd_net_wait(fd, false, deadline, err)) != CD_OK)
		return cd_err_set(err, rc, rc == CD_E_TIMEOUT ? "no answer, "
		    "still waiting for %s" : "poll failed waiting for %s",
		    s->waiting);
	n = recv(fd, p, room, 0);
	if (n > 0)
		cd_stls_fed(s, (size_t)n);
	else if (n == 0)
		cd_stls_eof(s);
	else if (errno != EAGAIN && errno != EINTR)
		return cd_err_set(err, CD_E_TLS, "reading %s: %s", s->waiting,
		    strerror(errno));
	return CD_OK;
}

cd_rc
cd_starttls(int fd, enum cd_starttls proto, const char *domain,
    int64_t deadline, bool *refused, struct cd_err *err)
{
	struct cd_stls *s;
	char helo[64];
	unsigned char extra;
	cd_rc rc = CD_OK;

	*refused = false;
	if ((s = malloc(sizeof(*s))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	helo_literal(fd, helo, sizeof(helo));
	cd_stls_init(s, proto, helo, domain);
	while (rc == CD_OK) {
		switch (cd_stls_next(s)) {
		case CD_STLS_SEND:
			rc = put(fd, s, deadline, err);
			break;
		case CD_STLS_RECV:
			rc = get(fd, s, deadline, err);
			break;
		case CD_STLS_READY:
			/* Bytes already waiting were sent before our hello. */
			if (recv(fd, &extra, 1, MSG_PEEK | MSG_DONTWAIT) > 0)
				rc = cd_err_set(err, CD_E_TLS, "the server "
				    "sent more data after agreeing to "
				    "STARTTLS, before the TLS handshake");
			goto out;
		case CD_STLS_REFUSED:
			*refused = true;
			rc = cd_err_set(err, CD_E_TLS, "%s", s->msg);
			break;
		case CD_STLS_FAILED:
			rc = cd_err_set(err, CD_E_TLS, "%s", s->msg);
			break;
		}
	}
out:
	free(s);
	return rc;
}
