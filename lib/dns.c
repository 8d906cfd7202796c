/* dns.c - c-ares channels driven by poll() under a deadline. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ares.h>

#include "dns.h"
#include "err.h"
#include "timeutil.h"

struct cd_dns {
	ares_channel ch;
};

void
cd_dns_free(struct cd_dns *d)
{
	if (d == NULL)
		return;
	if (d->ch)
		ares_destroy(d->ch);
	free(d);
}

static cd_rc
dns_new(const char *servers, int timeout_ms, bool raw, struct cd_dns **out,
    struct cd_err *err)
{
	struct ares_options opt;
	struct cd_dns *d;
	int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES, r;
	char lookups[] = "b";

	memset(&opt, 0, sizeof(opt));
	if (raw) {
		opt.flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_EDNS;
		opt.ednspsz = 4096;
		mask |= ARES_OPT_FLAGS | ARES_OPT_EDNSPSZ;
	}
	/* Several tries fit in the deadline; the deadline still rules. */
	opt.timeout = timeout_ms / 4;
	if (opt.timeout < 250)
		opt.timeout = 250;
	if (opt.timeout > 2000)
		opt.timeout = 2000;
	opt.tries = 3;
	if (servers != NULL) {
		opt.lookups = lookups;
		mask |= ARES_OPT_LOOKUPS;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	if ((r = ares_init_options(&d->ch, &opt, mask)) != ARES_SUCCESS) {
		d->ch = NULL;
		cd_dns_free(d);
		return cd_err_lib(err, CD_E_DNS_UNREACHABLE, "c-ares", r,
		    "resolver: %s", ares_strerror(r));
	}
	if (servers != NULL &&
	    (r = ares_set_servers_ports_csv(d->ch, servers)) != ARES_SUCCESS) {
		cd_dns_free(d);
		return cd_err_lib(err, CD_E_USAGE, "c-ares", r,
		    "DNS servers '%s': %s", servers, ares_strerror(r));
	}
	*out = d;
	return CD_OK;
}

cd_rc
cd_dns_new(const char *servers, int timeout_ms, struct cd_dns **out,
    struct cd_err *err)
{
	return dns_new(servers, timeout_ms, false, out, err);
}

cd_rc
cd_dns_new_raw(const char *servers, int timeout_ms, struct cd_dns **out,
    struct cd_err *err)
{
	return dns_new(servers, timeout_ms, true, out, err);
}

/*
 * c-ares's ARES_GETSOCK_WRITABLE shifts a signed 1 by up to 31 places,
 * which is undefined behaviour: the same tests on unsigned bits.
 */
static bool
sock_readable(int bits, int i)
{
	return ((unsigned)bits & (1u << i)) != 0;
}

static bool
sock_writable(int bits, int i)
{
	return ((unsigned)bits & (1u << (i + ARES_GETSOCK_MAXNUM))) != 0;
}

/*
 * Run the channel until *done or the deadline.  At the deadline every
 * query is cancelled, so its callback runs (with ARES_ECANCELLED) before
 * we return.
 */
static cd_rc
dns_run(struct cd_dns *d, const bool *done, int64_t deadline)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	struct pollfd pfd[ARES_GETSOCK_MAXNUM];
	struct timeval maxtv, tv, *tvp;
	int bits, i, n, left, ms;

	while (!*done) {
		if ((left = cd_deadline_left_ms(deadline)) == 0) {
			ares_cancel(d->ch);
			return CD_E_TIMEOUT;
		}
		bits = ares_getsock(d->ch, socks, ARES_GETSOCK_MAXNUM);
		for (i = n = 0; i < ARES_GETSOCK_MAXNUM; i++) {
			if (!sock_readable(bits, i) && !sock_writable(bits, i))
				continue;
			pfd[n].fd = socks[i];
			pfd[n].events = (sock_readable(bits, i) ? POLLIN : 0) |
			    (sock_writable(bits, i) ? POLLOUT : 0);
			pfd[n++].revents = 0;
		}
		maxtv.tv_sec = left / 1000;
		maxtv.tv_usec = (left % 1000) * 1000;
		tvp = ares_timeout(d->ch, &maxtv, &tv);
		ms = (int)(tvp->tv_sec * 1000 + (tvp->tv_usec + 999) / 1000);
		if (poll(pfd, (nfds_t)n, ms) < 0 && errno != EINTR)
			return CD_E_INTERNAL;
		if (n == 0) {
			ares_process_fd(d->ch, ARES_SOCKET_BAD,
			    ARES_SOCKET_BAD);
			continue;
		}
		for (i = 0; i < n; i++)
			ares_process_fd(d->ch,
			    pfd[i].revents & (POLLIN | POLLERR | POLLHUP) ?
			    pfd[i].fd : ARES_SOCKET_BAD,
			    pfd[i].revents & POLLOUT ? pfd[i].fd :
			    ARES_SOCKET_BAD);
	}
	return CD_OK;
}

struct gai_state {
	bool done;
	int status;
	struct cd_addrs *out;
	bool oom;
};

static void
gai_cb(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
	struct gai_state *st = arg;
	struct ares_addrinfo_node *n;

	(void)timeouts;
	st->done = true;
	st->status = status;
	if (status == ARES_SUCCESS && res != NULL)
		for (n = res->nodes; n != NULL; n = n->ai_next)
			if (cd_addrs_add(st->out, n->ai_addr,
			    n->ai_addrlen) == CD_E_NOMEM)
				st->oom = true;
	if (res)
		ares_freeaddrinfo(res);
}

cd_rc
cd_dns_addrs(struct cd_dns *d, const char *name, int family, uint16_t port,
    int64_t deadline, struct cd_addrs *out, struct cd_err *err)
{
	struct ares_addrinfo_hints hints;
	struct gai_state st;
	char service[8];
	cd_rc rc;

	memset(&hints, 0, sizeof(hints));
	memset(&st, 0, sizeof(st));
	memset(out, 0, sizeof(*out));
	st.out = out;
	hints.ai_family = family == 4 ? AF_INET : family == 6 ? AF_INET6 :
	    AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = ARES_AI_NUMERICSERV;
	snprintf(service, sizeof(service), "%u", port);
	ares_getaddrinfo(d->ch, name, service, &hints, gai_cb, &st);
	rc = dns_run(d, &st.done, deadline);
	if (st.oom) {
		cd_addrs_clear(out);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	if (rc == CD_E_TIMEOUT || st.status == ARES_ECANCELLED) {
		cd_addrs_clear(out);
		return cd_err_set(err, CD_E_DNS_UNREACHABLE, "%s: no answer "
		    "from the DNS server before the deadline", name);
	}
	if (rc != CD_OK) {
		cd_addrs_clear(out);
		return cd_err_set(err, rc, "%s: resolver failure", name);
	}
	switch (st.status) {
	case ARES_SUCCESS:
		if (out->n > 0)
			return CD_OK;
		return cd_err_set(err, CD_E_DNS, "%s: no %s record", name,
		    family == 4 ? "A" : family == 6 ? "AAAA" : "A or AAAA");
	case ARES_ENOTFOUND:
		return cd_err_lib(err, CD_E_DNS, "c-ares", st.status,
		    "%s: no such name (NXDOMAIN)", name);
	case ARES_ENODATA:
		return cd_err_lib(err, CD_E_DNS, "c-ares", st.status,
		    "%s: no %s record", name, family == 4 ? "A" :
		    family == 6 ? "AAAA" : "A or AAAA");
	case ARES_ESERVFAIL:
		return cd_err_lib(err, CD_E_DNS, "c-ares", st.status,
		    "%s: SERVFAIL from the DNS server", name);
	case ARES_EREFUSED:
		return cd_err_lib(err, CD_E_DNS, "c-ares", st.status,
		    "%s: the DNS server REFUSED the query", name);
	case ARES_ETIMEOUT:
	case ARES_ECONNREFUSED:
		return cd_err_lib(err, CD_E_DNS_UNREACHABLE, "c-ares",
		    st.status, "%s: no DNS server answered (%s)", name,
		    ares_strerror(st.status));
	default:
		return cd_err_lib(err, CD_E_DNS, "c-ares", st.status,
		    "%s: %s", name, ares_strerror(st.status));
	}
}

void
cd_dns_reply_clear(struct cd_dns_reply *r)
{
	free(r->abuf);
	memset(r, 0, sizeof(*r));
}

struct many_state {
	struct cd_dns_reply *out;
	size_t pending;
	bool done;
	bool oom;
};

struct one_query {
	struct many_state *st;
	size_t index;
};

static void
query_cb(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct one_query *q = arg;
	struct cd_dns_reply *r = &q->st->out[q->index];

	(void)timeouts;
	r->status = status;
	if (abuf != NULL && alen > 0) {
		if ((r->abuf = malloc((size_t)alen)) == NULL)
			q->st->oom = true;
		else {
			memcpy(r->abuf, abuf, (size_t)alen);
			r->len = (size_t)alen;
		}
	}
	r->timed_out = status == ARES_ETIMEOUT || status == ARES_ECANCELLED;
	r->net_error = abuf == NULL && !r->timed_out &&
	    status != ARES_SUCCESS;
	if (--q->st->pending == 0)
		q->st->done = true;
}

cd_rc
cd_dns_query_many(struct cd_dns *d, const char *const *names, size_t n,
    int type, int64_t deadline, struct cd_dns_reply *out, struct cd_err *err)
{
	struct many_state st;
	struct one_query *qs;
	size_t i;
	cd_rc rc;

	memset(out, 0, n * sizeof(*out));
	if (n == 0)
		return CD_OK;
	if ((qs = calloc(n, sizeof(*qs))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	memset(&st, 0, sizeof(st));
	st.out = out;
	st.pending = n;
	for (i = 0; i < n; i++) {
		qs[i].st = &st;
		qs[i].index = i;
		ares_query(d->ch, names[i], 1 /* IN */, type, query_cb, &qs[i]);
	}
	/* A deadline cancels what is left; their callbacks still run. */
	rc = dns_run(d, &st.done, deadline);
	free(qs);
	if (st.oom) {
		for (i = 0; i < n; i++)
			cd_dns_reply_clear(&out[i]);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	if (rc != CD_OK && rc != CD_E_TIMEOUT)
		return cd_err_set(err, rc, "resolver failure");
	return CD_OK;
}
