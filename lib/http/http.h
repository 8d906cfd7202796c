/*
 * http.h - the library's only libcurl user: one HTTP(S) request, one
 * hop, never following redirects itself, connected to the address our
 * own resolver chose, with a capped body and a deadline.
 */
#ifndef CD_HTTP_H
#define CD_HTTP_H

#include <stdint.h>

#include "buf.h"
#include "cd_internal.h"

struct cd_http_req {
	const char *url;	/* absolute http:// or https:// URL */
	const char *addr;	/* IP literal to connect to (no brackets);
				 * NULL only with proxy: the proxy is
				 * asked for the URL's name */
	int64_t deadline;	/* monotonic ms: the whole fetch */
	int connect_timeout_ms;	/* cap for the TCP connect alone */
	size_t body_cap;	/* bytes read at most; more sets truncated */
	const char *user_agent;
	struct cd_buf *big;	/* or NULL; when set the body goes here, up
				 * to its max (then truncated), not to
				 * resp->body, and body_cap is unused */
	const char *proxy;	/* an HTTP CONNECT proxy URL, or NULL: the
				 * tunnel is asked for addr, not the name
				 * (unless addr is NULL) */
};

/* How a hop ended when no HTTP response came. */
enum cd_http_fail {
	CD_HTTP_OK = 0,
	CD_HTTP_CONNECT_TIMEOUT,	/* TCP connect did not finish */
	CD_HTTP_TIMEOUT,		/* after connect: slow server */
	CD_HTTP_REFUSED,
	CD_HTTP_UNREACHABLE,		/* ENETUNREACH */
	CD_HTTP_CONNECT_OTHER,		/* another connect failure */
	CD_HTTP_RESET,
	CD_HTTP_TLS,			/* TLS failure on an https hop */
	CD_HTTP_TLS_OLD,		/* the server only speaks TLS < 1.2 */
	CD_HTTP_NOT_TLS,		/* plain HTTP answered a TLS hello */
	CD_HTTP_PROTOCOL,		/* not HTTP/1.x (garbage, HTTP/2) */
	CD_HTTP_OTHER,
	CD_HTTP_PROXY,			/* req.proxy unreachable, or it
					 * refused the tunnel (4xx) */
	CD_HTTP_PROXY_NO_ROUTE		/* req.proxy answered 5xx: it could
					 * not reach addr */
};

struct cd_http_resp {
	enum cd_http_fail fail;
	char detail[256];	/* libcurl's words when fail != OK */
	long status;
	long proxy_status;	/* the proxy's answer to CONNECT, or 0 */
	char *location;		/* absolute URL of Location:, or NULL */
	size_t location_len;	/* length of the raw header value */
	char *location_raw;	/* the header value as sent (first 2 kB) */
	char *server;		/* Server: header, or NULL */
	unsigned char body[512];
	size_t body_len;	/* <= body_cap */
	bool truncated;		/* more than body_cap bytes were sent */
	double seconds;
};

/* One request.  CD_OK whenever a result (even a failure) is in *resp. */
cd_rc cd_http_get(const struct cd_http_req *req, struct cd_http_resp *resp,
    struct cd_err *err);
void cd_http_resp_clear(struct cd_http_resp *resp);

/*
 * The host (*host: caller frees; IPv6 without brackets) and port of an
 * http:// or https:// URL.  CD_E_PARSE for anything else.
 */
cd_rc cd_http_url_host(const char *url, char **host, uint16_t *port,
    struct cd_err *err);

#endif
