/*
 * protocols.h - which TLS versions a server accepts (--protocols): one
 * connection and one single-version handshake per version.
 */
#ifndef CD_PROTOCOLS_H
#define CD_PROTOCOLS_H

#include "net.h"
#include "tls.h"

enum cd_probe_result {
	CD_PROBE_REFUSED = 0,	/* the handshake failed: not accepted */
	CD_PROBE_ACCEPTED,
	CD_PROBE_UNKNOWN	/* no answer: connect failed or timed out */
};

struct cd_probe {
	enum cd_probe_result result;
	const char *step;	/* static: where an unknown one failed */
	struct cd_err err;	/* why refused or unknown */
};

/*
 * Run on each probe's connection before its handshake (a STARTTLS
 * preamble), or NULL.
 */
typedef cd_rc (*cd_probe_pre_fn)(void *arg, int fd, int64_t deadline,
    struct cd_err *err);

/*
 * Probe every version against a, sending sni, all before deadline: each
 * probe gets a fair share of the time still left, so a server that
 * swallows one kind of hello cannot starve the others.  known, if not
 * CD_TLS_NVERSIONS, was already seen accepted and is not probed again.
 * out[v] is written for every version.
 */
void cd_tls_probe_versions(const struct cd_addr *a, const char *sni,
    enum cd_tls_version known, int64_t deadline, cd_probe_pre_fn pre,
    void *pre_arg, struct cd_probe out[CD_TLS_NVERSIONS]);

/* The version of a cd_tls_info ("TLSv1.2"), or CD_TLS_NVERSIONS. */
enum cd_tls_version cd_tls_version_of(const char *name);

#endif
