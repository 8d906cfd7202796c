/*
 * proxy.h - --proxy: an HTTP CONNECT tunnel to the server, for the
 * checks that speak TLS on their own socket (certcheck).  http01check
 * hands the same URL to libcurl instead.
 */
#ifndef CD_PROXY_H
#define CD_PROXY_H

#include <stdint.h>

#include "cd_internal.h"
#include "net.h"

/* The CONNECT answer's head (status line and headers) is read up to this. */
#define CD_PROXY_MAX_HEAD 8192

struct cd_proxy {
	char *host;		/* name or IP literal, no brackets */
	uint16_t port;		/* 1080 when the URL has none, as curl */
	char *auth;		/* "user:password" decoded, or NULL */
	char *shown;		/* "http://host:port", never the password */
};

/*
 * "http://[user:password@]host[:port][/]" into *out (caller frees with
 * cd_proxy_free()).  CD_E_USAGE saying why for anything else: another
 * scheme, a path, a query.  libcurl's URL parser does the work.
 */
cd_rc cd_proxy_parse(const char *url, struct cd_proxy **out,
    struct cd_err *err);
void cd_proxy_free(struct cd_proxy *p);

/*
 * One proxy answer head, complete (ending in an empty line): its status
 * into *status and its reason phrase, display-safe and cut to rlen, into
 * reason.  CD_E_PARSE when it is not an HTTP/1.x status line.
 */
cd_rc cd_proxy_head_parse(const char *head, size_t len, int *status,
    char *reason, size_t rlen, struct cd_err *err);

/* How a tunnel attempt ended. */
enum cd_proxy_fail {
	CD_PROXY_OK = 0,
	CD_PROXY_UNREACHABLE,	/* no TCP connection to the proxy */
	CD_PROXY_TIMEOUT,	/* no (complete) answer before the deadline */
	CD_PROXY_REFUSED,	/* a 4xx (407, 403...) or another non-2xx */
	CD_PROXY_NO_ROUTE,	/* 5xx: the proxy could not reach the server */
	CD_PROXY_BAD_ANSWER	/* not HTTP, too long, or closed early */
};

/*
 * Connect to the proxy p (addr: its address, port included) and ask it
 * for a tunnel to host:port, all before deadline.  On CD_OK *fd is the
 * tunnel, a non-blocking socket positioned just after the answer's head.
 * Otherwise *fail says which way it failed (err has the words, proxy
 * and server named) and no socket is left open.
 */
cd_rc cd_proxy_tunnel(const struct cd_proxy *p, const struct cd_addr *addr,
    const char *host, uint16_t port, int64_t deadline, int *fd,
    enum cd_proxy_fail *fail, struct cd_err *err);

/*
 * The same on fd, already connected to the proxy (a --protocols probe
 * connects on its own); fd is left open either way.
 */
cd_rc cd_proxy_connect_on(int fd, const struct cd_proxy *p,
    const char *host, uint16_t port, int64_t deadline,
    enum cd_proxy_fail *fail, struct cd_err *err);

#endif
