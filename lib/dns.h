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

#endif
