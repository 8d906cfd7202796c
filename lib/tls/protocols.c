/*
 * protocols.c - probing the TLS versions a server accepts.  A refused
 * handshake means "not accepted"; a connection that cannot be made or a
 * server that does not answer in time means "cannot tell", never "not
 * accepted", so a firewall hiccup never passes for a clean server.
 */
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "protocols.h"
#include "timeutil.h"

enum cd_tls_version
cd_tls_version_of(const char *name)
{
	enum cd_tls_version v;

	for (v = CD_TLS_1_0; v < CD_TLS_NVERSIONS; v++)
		if (strcmp(name, cd_tls_version_name(v)) == 0)
			return v;
	return CD_TLS_NVERSIONS;
}

static void
probe_one(const struct cd_addr *a, const char *sni, enum cd_tls_version v,
    int64_t deadline, cd_probe_pre_fn pre, void *pre_arg,
    struct cd_probe *p)
{
	int fd = -1;
	cd_rc rc;

	p->step = "connect";
	if ((rc = cd_net_connect(a, deadline, &fd, &p->err)) != CD_OK)
		goto out;
	p->step = "the STARTTLS preamble";
	if (pre != NULL && (rc = pre(pre_arg, fd, deadline, &p->err)) != CD_OK)
		goto out;
	p->step = "the TLS handshake";
	rc = cd_tls_try_version(fd, sni, v, deadline, &p->err);
out:
	if (rc == CD_OK)
		p->result = CD_PROBE_ACCEPTED;
	else if (rc == CD_E_TLS && strcmp(p->step, "the TLS handshake") == 0)
		p->result = CD_PROBE_REFUSED;
	else
		p->result = CD_PROBE_UNKNOWN;
	if (fd >= 0)
		close(fd);
}

void
cd_tls_probe_versions(const struct cd_addr *a, const char *sni,
    enum cd_tls_version known, int64_t deadline, cd_probe_pre_fn pre,
    void *pre_arg, struct cd_probe out[CD_TLS_NVERSIONS])
{
	enum cd_tls_version v;
	int64_t now, share;
	int left = 0;

	memset(out, 0, CD_TLS_NVERSIONS * sizeof(*out));
	for (v = CD_TLS_1_0; v < CD_TLS_NVERSIONS; v++)
		if (v != known)
			left++;
	for (v = CD_TLS_1_0; v < CD_TLS_NVERSIONS; v++) {
		if (v == known) {
			out[v].result = CD_PROBE_ACCEPTED;
			continue;
		}
		/* What an earlier probe did not use passes to the later. */
		now = cd_now_ms();
		share = deadline > now ? (deadline - now) / left : 0;
		probe_one(a, sni, v, now + share, pre, pre_arg, &out[v]);
		left--;
	}
}
