/*
 * ca_addrs.h - the addresses the CA would connect to for a name (http-01
 * and tls-alpn-01): A and AAAA as the CA's view resolves them (or the
 * stub view when --dns-server stands in or --no-ca-view), reserved
 * addresses dropped as the CA drops them (unless --allow-reserved), and
 * beside them what explains a failure: DNSSEC, the zone's servers, the
 * user's own resolver.
 */
#ifndef CD_CA_ADDRS_H
#define CD_CA_ADDRS_H

#include <stdbool.h>
#include <stdint.h>

#include "net.h"
#include "report.h"

struct cd_ca_addrs {
	char v6[46], v4[46];	/* the first usable address of each family */
	struct cd_addrs all;	/* every usable address, with the port */
	json_t *dropped;	/* reserved addresses seen (owned), or NULL */
	bool recursive;		/* made with the CA's view (not the stub) */
};

/* The calling tool's own problem codes for a failure, and their fixes. */
struct cd_ca_addrs_how {
	enum cd_prob dns_error;		/* a lookup failed in the CA's view */
	enum cd_prob stub_dns_error;	/* the same in the stub view */
	enum cd_prob none;		/* answers, but no usable address */
	const char *hint_dns, *hint_none;
};

/*
 * Resolve name (A-label) for a connection to port.  A failure is
 * reported first, with the tool's code (how) and the CA's sentences,
 * then what the CA's view explains (ca_view_unavailable,
 * dns_unreachable, dnssec_bogus, ns_*, resolver_disagrees), and the
 * "dns", "reserved_addresses" and "lab_mode" detail.  Clear out
 * afterwards.
 */
void cd_ca_addrs_resolve(const struct cd_ctx *ctx, const char *name,
    uint16_t port, int64_t deadline, const struct cd_ca_addrs_how *how,
    struct cd_report *r, struct cd_ca_addrs *out);
void cd_ca_addrs_clear(struct cd_ca_addrs *a);

/*
 * A redirect target's first usable address (IPv6 first) in the CA's
 * view, into out (46 bytes); false when it has none.
 */
bool cd_ca_addrs_first(const struct cd_ctx *ctx, const char *host,
    int64_t deadline, char *out);

#endif
