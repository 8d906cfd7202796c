/*
 * dns.h - the library's only c-ares user.  Every name the tools resolve
 * goes through here, with the servers the user named (or resolv.conf),
 * never through the system's getaddrinfo.
 */
#ifndef CD_DNS_H
#define CD_DNS_H

#include "net.h"

struct cd_dns;

/*
 * servers: a normalised list from cd_dnsservers_parse(), or NULL for
 * /etc/resolv.conf.  With explicit servers /etc/hosts is not read, so a
 * test lab's answers are the only ones.
 */
cd_rc cd_dns_new(const char *servers, int timeout_ms, struct cd_dns **out,
    struct cd_err *err);

/*
 * A channel for raw queries: every answer comes back as it is (SERVFAIL
 * and REFUSED too, which c-ares would otherwise hide by trying the next
 * server), with EDNS0 and a 4096-byte buffer as the CA's resolver uses.
 */
cd_rc cd_dns_new_raw(const char *servers, int timeout_ms,
    struct cd_dns **out, struct cd_err *err);

/*
 * A channel to one authoritative server address (port 53), as a
 * resolver asks it: no recursion, EDNS0 or not, one try of timeout_ms.
 */
cd_rc cd_dns_new_direct(const char *address, bool edns, int timeout_ms,
    struct cd_dns **out, struct cd_err *err);

/* The outcome of one raw query. */
struct cd_dns_reply {
	int status;		/* c-ares status */
	unsigned char *abuf;	/* the response, or NULL if none came */
	size_t len;
	bool timed_out;		/* no answer (c-ares timeout or deadline) */
	bool net_error;		/* the server could not be reached */
};

/*
 * Send the n queries (type, class IN) at once and wait for all of them
 * or the deadline.  out[i] is the reply for names[i]; clear each with
 * cd_dns_reply_clear().
 */
cd_rc cd_dns_query_many(struct cd_dns *d, const char *const *names,
    size_t n, int type, int64_t deadline, struct cd_dns_reply *out,
    struct cd_err *err);
/* The same with a type per name. */
cd_rc cd_dns_query_types(struct cd_dns *d, const char *const *names,
    const int *types, size_t n, int64_t deadline, struct cd_dns_reply *out,
    struct cd_err *err);
void cd_dns_reply_clear(struct cd_dns_reply *r);
void cd_dns_free(struct cd_dns *d);

/*
 * A and AAAA addresses of name (A-label form), port filled in, family 0,
 * 4 or 6.  CD_E_DNS when the answer says the name has no address
 * (NXDOMAIN, no data, SERVFAIL, REFUSED), CD_E_DNS_UNREACHABLE when no
 * server answered, CD_E_TIMEOUT at the deadline.
 */
cd_rc cd_dns_addrs(struct cd_dns *d, const char *name, int family,
    uint16_t port, int64_t deadline, struct cd_addrs *out,
    struct cd_err *err);

/*
 * For an error from cd_dns_addrs(): the DNS outcome in the CA's words
 * ("NXDOMAIN", "SERVFAIL", "REFUSED", "query timed out"), or NULL when
 * the answer simply had no address; *why gets the CA's explanation
 * suffix (" - check that a DNS record exists for this domain") or "".
 */
const char *cd_dns_failure_words(const struct cd_err *e, const char **why);

#endif
