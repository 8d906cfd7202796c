/* dns.c - c-ares channels driven by poll() under a deadline. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netdb.h>

#include <ares.h>

#include "dns.h"
#include "err.h"
#include "timeutil.h"

struct cd_dns {
	ares_channel ch;
	bool explicit_servers;	/* --dns-server: never /etc/hosts */
	int mode;		/* enum dns_mode */
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

/* How a channel asks: raw answers always; EDNS and recursion by mode. */
enum dns_mode {
	DNS_RESOLVER,		/* EDNS, recursion desired */
	DNS_DIRECT,		/* EDNS, no recursion: an authoritative server */
	DNS_DIRECT_PLAIN	/* no EDNS, no recursion */
};

static cd_rc
dns_new(const char *servers, int timeout_ms, enum dns_mode mode,
    struct cd_dns **out, struct cd_err *err)
{
	struct ares_options opt;
	struct cd_dns *d;
	int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS, r;
	char lookups[] = "b";

	memset(&opt, 0, sizeof(opt));
	opt.flags = ARES_FLAG_NOCHECKRESP;
	if (mode != DNS_DIRECT_PLAIN) {
		opt.flags |= ARES_FLAG_EDNS;
		opt.ednspsz = 4096;
		mask |= ARES_OPT_EDNSPSZ;
	}
	if (mode != DNS_RESOLVER)
		opt.flags |= ARES_FLAG_NORECURSE;
	/* Several tries fit in the deadline; the deadline still rules. */
	opt.timeout = timeout_ms / 4;
	if (opt.timeout < 250)
		opt.timeout = 250;
	if (opt.timeout > 2000)
		opt.timeout = 2000;
	opt.tries = mode == DNS_RESOLVER ? 3 : 1;
	if (mode != DNS_RESOLVER)
		opt.timeout = timeout_ms;
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
	d->explicit_servers = servers != NULL;
	d->mode = (int)mode;
	*out = d;
	return CD_OK;
}

cd_rc
cd_dns_new(const char *servers, int timeout_ms, struct cd_dns **out,
    struct cd_err *err)
{
	/* Raw as well: c-ares would turn SERVFAIL into "no server". */
	return dns_new(servers, timeout_ms, DNS_RESOLVER, out, err);
}

cd_rc
cd_dns_new_raw(const char *servers, int timeout_ms, struct cd_dns **out,
    struct cd_err *err)
{
	return dns_new(servers, timeout_ms, DNS_RESOLVER, out, err);
}

cd_rc
cd_dns_new_direct(const char *address, bool edns, int timeout_ms,
    struct cd_dns **out, struct cd_err *err)
{
	char server[64];

	snprintf(server, sizeof(server), strchr(address, ':') ? "[%s]:53" :
	    "%s:53", address);
	return dns_new(server, timeout_ms, edns ? DNS_DIRECT :
	    DNS_DIRECT_PLAIN, out, err);
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
		if (cd_cancelled()) {
			ares_cancel(d->ch);
			return CD_E_CANCELLED;
		}
		if (left > CD_CANCEL_POLL_MS)
			left = CD_CANCEL_POLL_MS;
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

static cd_rc query_types(struct cd_dns *d, const char *const *names,
    const int *types, size_t n, int64_t deadline, struct cd_dns_reply *out,
    struct cd_err *err);

/* /etc/hosts, through c-ares, for resolv.conf mode only. */
static void
from_hosts_file(struct cd_dns *d, const char *name, int fam, uint16_t port,
    struct cd_addrs *out)
{
	struct hostent *h = NULL;
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;
	char **a;

	if (ares_gethostbyname_file(d->ch, name, fam, &h) != ARES_SUCCESS ||
	    h == NULL)
		return;
	for (a = h->h_addr_list; *a != NULL; a++) {
		if (fam == AF_INET) {
			memset(&s4, 0, sizeof(s4));
			s4.sin_family = AF_INET;
			s4.sin_port = htons(port);
			memcpy(&s4.sin_addr, *a, sizeof(s4.sin_addr));
			cd_addrs_add(out, (struct sockaddr *)&s4, sizeof(s4));
		} else {
			memset(&s6, 0, sizeof(s6));
			s6.sin6_family = AF_INET6;
			s6.sin6_port = htons(port);
			memcpy(&s6.sin6_addr, *a, sizeof(s6.sin6_addr));
			cd_addrs_add(out, (struct sockaddr *)&s6, sizeof(s6));
		}
	}
	ares_free_hostent(h);
}

/*
 * One family's answer to addresses (c-ares parses them, following the
 * CNAMEs in the answer); the outcome as a c-ares status, with the rcode
 * read from the header so SERVFAIL and REFUSED stay visible.
 */
static int
family_answer(const struct cd_dns_reply *rep, int fam, uint16_t port,
    struct cd_addrs *out)
{
	struct ares_addrttl a4[64];
	struct ares_addr6ttl a6[64];
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;
	int n = 64, i, r;
	unsigned rcode;

	if (rep->abuf == NULL)
		return rep->timed_out ? ARES_ETIMEOUT : ARES_ECONNREFUSED;
	if (rep->len < 12)
		return ARES_EBADRESP;
	rcode = rep->abuf[3] & 0x0f;
	if (rcode == 3)
		return ARES_ENOTFOUND;
	if (rcode == 2)
		return ARES_ESERVFAIL;
	if (rcode == 5)
		return ARES_EREFUSED;
	if (rcode != 0)
		return ARES_EBADRESP;
	r = fam == AF_INET ? ares_parse_a_reply(rep->abuf, (int)rep->len,
	    NULL, a4, &n) : ares_parse_aaaa_reply(rep->abuf, (int)rep->len,
	    NULL, a6, &n);
	if (r != ARES_SUCCESS)
		return r == ARES_ENODATA ? ARES_ENODATA : ARES_EBADRESP;
	for (i = 0; i < n; i++) {
		if (fam == AF_INET) {
			memset(&s4, 0, sizeof(s4));
			s4.sin_family = AF_INET;
			s4.sin_port = htons(port);
			s4.sin_addr = a4[i].ipaddr;
			cd_addrs_add(out, (struct sockaddr *)&s4, sizeof(s4));
		} else {
			memset(&s6, 0, sizeof(s6));
			s6.sin6_family = AF_INET6;
			s6.sin6_port = htons(port);
			memcpy(&s6.sin6_addr, &a6[i].ip6addr, sizeof(s6.sin6_addr));
			cd_addrs_add(out, (struct sockaddr *)&s6, sizeof(s6));
		}
	}
	return n > 0 ? ARES_SUCCESS : ARES_ENODATA;
}

/* The more telling of two failures: an answer beats silence. */
static int
worse(int a, int b)
{
	static const int order[] = {ARES_ENOTFOUND, ARES_ESERVFAIL,
	    ARES_EREFUSED, ARES_EBADRESP, ARES_ENODATA, ARES_ETIMEOUT,
	    ARES_ECONNREFUSED};
	size_t i;

	for (i = 0; i < CD_ARRAY_LEN(order); i++)
		if (a == order[i] || b == order[i])
			return a == order[i] ? a : b;
	return a;
}

cd_rc
cd_dns_addrs(struct cd_dns *d, const char *name, int family, uint16_t port,
    int64_t deadline, struct cd_addrs *out, struct cd_err *err)
{
	struct cd_dns_reply rep[2];
	const char *names[2] = {name, name};
	int types[2], fams[2], st = ARES_ENODATA, r;
	size_t n = 0, i;
	cd_rc rc;

	memset(out, 0, sizeof(*out));
	/* IPv6 first, as current clients and the CA try it. */
	if (family != 4) {
		types[n] = 28;
		fams[n++] = AF_INET6;
	}
	if (family != 6) {
		types[n] = 1;
		fams[n++] = AF_INET;
	}
	if (!d->explicit_servers) {
		for (i = 0; i < n; i++)
			from_hosts_file(d, name, fams[i], port, out);
		if (out->n > 0)
			return CD_OK;
	}
	if ((rc = query_types(d, names, types, n, deadline, rep, err)) != CD_OK)
		return rc;
	for (i = 0; i < n; i++) {
		r = family_answer(&rep[i], fams[i], port, out);
		st = i == 0 ? r : worse(st, r);
		cd_dns_reply_clear(&rep[i]);
	}
	if (out->n > 0)
		return CD_OK;
	switch (st) {
	case ARES_ENOTFOUND:
		return cd_err_lib(err, CD_E_DNS, "c-ares", st,
		    "%s: no such name (NXDOMAIN)", name);
	case ARES_ESERVFAIL:
		return cd_err_lib(err, CD_E_DNS, "c-ares", st,
		    "%s: SERVFAIL from the DNS server", name);
	case ARES_EREFUSED:
		return cd_err_lib(err, CD_E_DNS, "c-ares", st,
		    "%s: the DNS server REFUSED the query", name);
	case ARES_ETIMEOUT:
	case ARES_ECONNREFUSED:
		return cd_err_lib(err, CD_E_DNS_UNREACHABLE, "c-ares", st,
		    "%s: no DNS server answered", name);
	case ARES_ENODATA:
		return cd_err_lib(err, CD_E_DNS, "c-ares", st, "%s: no %s "
		    "record", name, family == 4 ? "A" : family == 6 ? "AAAA" :
		    "A or AAAA");
	default:
		return cd_err_lib(err, CD_E_DNS, "c-ares", st,
		    "%s: malformed DNS answer", name);
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

static cd_rc
query_types(struct cd_dns *d, const char *const *names, const int *types,
    size_t n, int64_t deadline, struct cd_dns_reply *out, struct cd_err *err)
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
		unsigned char *q = NULL;
		int qlen = 0;

		qs[i].st = &st;
		qs[i].index = i;
		/*
		 * Built here rather than by ares_query: a query to a
		 * resolver carries the AD bit, so that a validating one says
		 * whether it validated (RFC 6840 5.7), as the CA's queries
		 * do; one to an authoritative server asks no recursion.
		 */
		if (ares_create_query(names[i], 1 /* IN */, types[i], 0,
		    d->mode == DNS_RESOLVER, &q, &qlen, d->mode ==
		    DNS_DIRECT_PLAIN ? 0 : 4096) != ARES_SUCCESS || qlen < 12) {
			if (q != NULL)
				ares_free_string(q);
			ares_query(d->ch, names[i], 1, types[i], query_cb,
			    &qs[i]);
			continue;
		}
		if (d->mode == DNS_RESOLVER)
			q[3] |= 0x20;
		ares_send(d->ch, q, qlen, query_cb, &qs[i]);
		ares_free_string(q);
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
		return cd_err_set(err, rc, rc == CD_E_CANCELLED ? "cancelled" :
		    "resolver failure");
	return CD_OK;
}

const char *
cd_dns_failure_words(const struct cd_err *e, const char **why)
{
	*why = "";
	if (e->lib == NULL || strcmp(e->lib, "c-ares") != 0)
		return NULL;
	switch (e->lib_code) {
	case ARES_ENOTFOUND:
		*why = " - check that a DNS record exists for this domain";
		return "NXDOMAIN";
	case ARES_ESERVFAIL:
		*why = " - the domain's nameservers may be malfunctioning";
		return "SERVFAIL";
	case ARES_EREFUSED:
		return "REFUSED";
	case ARES_ETIMEOUT:
		return "query timed out";
	default:
		return NULL;
	}
}

cd_rc
cd_dns_query_types(struct cd_dns *d, const char *const *names,
    const int *types, size_t n, int64_t deadline, struct cd_dns_reply *out,
    struct cd_err *err)
{
	return query_types(d, names, types, n, deadline, out, err);
}

cd_rc
cd_dns_query_many(struct cd_dns *d, const char *const *names, size_t n,
    int type, int64_t deadline, struct cd_dns_reply *out, struct cd_err *err)
{
	int *types;
	size_t i;
	cd_rc rc;

	if (n == 0)
		return CD_OK;
	if ((types = calloc(n, sizeof(*types))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	for (i = 0; i < n; i++)
		types[i] = type;
	rc = query_types(d, names, types, n, deadline, out, err);
	free(types);
	return rc;
}
