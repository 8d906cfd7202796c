/*
 * net.h - addresses and TCP connects with a deadline.
 */
#ifndef CD_NET_H
#define CD_NET_H

#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>

#include "cd_internal.h"

struct cd_addr {
	int family;			/* AF_INET or AF_INET6 */
	socklen_t len;
	struct sockaddr_storage ss;	/* port included */
	char text[46];			/* address without port */
};

struct cd_addrs {
	struct cd_addr *a;
	size_t n;
};

void cd_addrs_clear(struct cd_addrs *l);
/* Append a copy of sa; CD_E_NOMEM. */
cd_rc cd_addrs_add(struct cd_addrs *l, const struct sockaddr *sa,
    socklen_t len);
/* Keep only family 4 or 6 (0 keeps all). */
void cd_addrs_filter(struct cd_addrs *l, int family);

/* An IP literal (no brackets) with port into *out; false if not an IP. */
bool cd_addr_from_ip(const char *ip, uint16_t port, struct cd_addr *out);

/* "127.0.0.1:443" or "[::1]:443" into buf. */
char *cd_addr_fmt(const struct cd_addr *a, char *buf, size_t len);

/*
 * Non-blocking TCP connect to a before deadline (monotonic ms).  *fd is a
 * connected non-blocking socket on CD_OK.  CD_E_CONNECT when refused or
 * unreachable, CD_E_TIMEOUT at the deadline.
 */
cd_rc cd_net_connect(const struct cd_addr *a, int64_t deadline, int *fd,
    struct cd_err *err);

/* Wait until fd is readable (want_write false) or writable; CD_E_TIMEOUT. */
cd_rc cd_net_wait(int fd, bool want_write, int64_t deadline,
    struct cd_err *err);

#endif
