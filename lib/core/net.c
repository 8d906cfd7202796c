/* net.c - address lists and deadline-bound TCP connects. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "net.h"
#include "timeutil.h"

void
cd_addrs_clear(struct cd_addrs *l)
{
	free(l->a);
	l->a = NULL;
	l->n = 0;
}

cd_rc
cd_addrs_add(struct cd_addrs *l, const struct sockaddr *sa, socklen_t len)
{
	struct cd_addr *n, *a;
	const void *raw;

	if (len > sizeof(a->ss) ||
	    (sa->sa_family != AF_INET && sa->sa_family != AF_INET6))
		return CD_E_PARSE;
	if ((n = realloc(l->a, (l->n + 1) * sizeof(*n))) == NULL)
		return CD_E_NOMEM;
	l->a = n;
	a = &l->a[l->n++];
	memset(a, 0, sizeof(*a));
	memcpy(&a->ss, sa, len);
	a->len = len;
	a->family = sa->sa_family;
	raw = a->family == AF_INET ?
	    (const void *)&((const struct sockaddr_in *)sa)->sin_addr :
	    (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
	inet_ntop(a->family, raw, a->text, sizeof(a->text));
	return CD_OK;
}

void
cd_addrs_filter(struct cd_addrs *l, int family)
{
	size_t i, k = 0;
	int want = family == 4 ? AF_INET : AF_INET6;

	if (family == 0)
		return;
	for (i = 0; i < l->n; i++)
		if (l->a[i].family == want)
			l->a[k++] = l->a[i];
	l->n = k;
}

bool
cd_addr_from_ip(const char *ip, uint16_t port, struct cd_addr *out)
{
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;
	struct cd_addrs l = {0};
	bool ok = false;

	memset(&s4, 0, sizeof(s4));
	memset(&s6, 0, sizeof(s6));
	if (inet_pton(AF_INET, ip, &s4.sin_addr) == 1) {
		s4.sin_family = AF_INET;
		s4.sin_port = htons(port);
		ok = cd_addrs_add(&l, (struct sockaddr *)&s4,
		    sizeof(s4)) == CD_OK;
	} else if (inet_pton(AF_INET6, ip, &s6.sin6_addr) == 1) {
		s6.sin6_family = AF_INET6;
		s6.sin6_port = htons(port);
		ok = cd_addrs_add(&l, (struct sockaddr *)&s6,
		    sizeof(s6)) == CD_OK;
	}
	if (ok)
		*out = l.a[0];
	cd_addrs_clear(&l);
	return ok;
}

char *
cd_addr_fmt(const struct cd_addr *a, char *buf, size_t len)
{
	unsigned port = a->family == AF_INET ?
	    ntohs(((const struct sockaddr_in *)&a->ss)->sin_port) :
	    ntohs(((const struct sockaddr_in6 *)&a->ss)->sin6_port);

	snprintf(buf, len, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u",
	    a->text, port);
	return buf;
}

cd_rc
cd_net_wait(int fd, bool want_write, int64_t deadline, struct cd_err *err)
{
	struct pollfd p;
	int r, left;

	for (;;) {
		if ((left = cd_deadline_left_ms(deadline)) == 0)
			return cd_err_set(err, CD_E_TIMEOUT, "deadline passed");
		if (cd_cancelled())
			return cd_err_set(err, CD_E_CANCELLED, "cancelled");
		p.fd = fd;
		p.events = want_write ? POLLOUT : POLLIN;
		p.revents = 0;
		/* Short slices, so that cd_cancel() is seen soon. */
		r = poll(&p, 1, left > CD_CANCEL_POLL_MS ? CD_CANCEL_POLL_MS :
		    left);
		if (r > 0)
			return CD_OK;
		if (r < 0 && errno != EINTR)
			return cd_err_set(err, CD_E_INTERNAL, "poll: %s",
			    strerror(errno));
	}
}

cd_rc
cd_net_connect(const struct cd_addr *a, int64_t deadline, int *fd,
    struct cd_err *err)
{
	char where[64];
	int s, e = 0;
	socklen_t elen = sizeof(e);
	cd_rc rc;

	cd_addr_fmt(a, where, sizeof(where));
	s = socket(a->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return cd_err_set(err, CD_E_CONNECT, "%s: socket: %s", where,
		    strerror(errno));
	if (connect(s, (const struct sockaddr *)&a->ss, a->len) == 0)
		goto done;
	if (errno != EINPROGRESS) {
		e = errno;
		goto fail;
	}
	if ((rc = cd_net_wait(s, true, deadline, err)) != CD_OK) {
		close(s);
		return cd_err_set(err, rc, "%s: %s", where, rc == CD_E_TIMEOUT ?
		    "timeout during connect (likely firewall problem)" :
		    "poll failed");
	}
	if (getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &elen) < 0)
		e = errno;
	if (e != 0)
		goto fail;
done:
	*fd = s;
	return CD_OK;
fail:
	close(s);
	return cd_err_set(err, CD_E_CONNECT, "%s: %s", where,
	    e == ECONNREFUSED ? "connection refused" : strerror(e));
}
