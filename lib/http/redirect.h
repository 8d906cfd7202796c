/*
 * redirect.h - the CA validator's redirect policy, one hop at a time.
 */
#ifndef CD_REDIRECT_H
#define CD_REDIRECT_H

#include "cd_internal.h"

struct cd_redirect_ctx {
	unsigned http_port;	/* 80, or the lab's stand-in */
	unsigned https_port;	/* 443, or the lab's stand-in */
	bool allow_reserved;	/* lab mode: reserved addresses kept */
	unsigned followed;	/* redirects followed so far */
	char *const *visited;	/* URLs fetched so far (normalised) */
	size_t nvisited;
};

struct cd_redirect {
	bool follow;		/* the CA follows it to url */
	bool too_many;
	bool loop;
	char *url;		/* normalised, with the port to use */
	char *host;		/* lower case; "[v6]" for an IPv6 literal */
	unsigned port;
	bool https;
	char why[512];		/* the CA's words when !follow */
};

/* True for the statuses the CA follows (301, 302, 307, 308). */
bool cd_redirect_status_followed(long status);

/*
 * Judge a redirect with this status to location (absolute, as libcurl
 * resolved it); raw is the Location header as sent (or NULL), which
 * libcurl's normalising would otherwise hide ("http:///x").  CD_OK with
 * out->follow or out->why; errors only for resources.
 */
cd_rc cd_redirect_check(const struct cd_redirect_ctx *c, long status,
    const char *location, const char *raw, struct cd_redirect *out,
    struct cd_err *err);
void cd_redirect_clear(struct cd_redirect *r);

#endif
