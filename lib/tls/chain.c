/*
 * chain.c - rebuild the issuance path from what the server sent, the way
 * a client does, and note where the server's list departs from it.
 */
#include <string.h>

#include "chain.h"
#include "timeutil.h"

static bool
on_path(const struct cd_chain_facts *f, size_t idx)
{
	size_t i;

	for (i = 0; i < f->npath; i++)
		if (f->path[i] == idx)
			return true;
	return false;
}

/*
 * The served certificate (other than those on the path) that issued c;
 * each candidate counts against the tries and the deadline.
 */
static bool
find_issuer(struct cd_cert *const *certs, size_t n, struct cd_chain_facts *f,
    const struct cd_cert *c, int64_t deadline, size_t *idx)
{
	size_t i;

	for (i = 0; i < n && !f->cut; i++) {
		if (on_path(f, i))
			continue;
		if (f->tries >= CD_CHAIN_MAX_TRIES ||
		    (deadline > 0 && cd_now_ms() >= deadline)) {
			f->cut = true;
			f->late = f->tries < CD_CHAIN_MAX_TRIES;
			break;
		}
		f->tries++;
		if (cd_cert_issued_by(c, certs[i])) {
			*idx = i;
			return true;
		}
	}
	return false;
}

void
cd_chain_analyze(struct cd_cert *const *certs, size_t n,
    const struct cd_trust *trust, int64_t deadline,
    struct cd_chain_facts *out)
{
	const struct cd_cert *top;
	size_t i, next;

	memset(out, 0, sizeof(*out));
	if (n > CD_CHAIN_MAX)
		n = CD_CHAIN_MAX;
	out->path[out->npath++] = 0;
	while (out->npath < n) {
		top = certs[out->path[out->npath - 1]];
		if (top->self_signed)
			break;
		if (!find_issuer(certs, n, out, top, deadline, &next))
			break;
		out->path[out->npath++] = next;
	}
	out->top = out->path[out->npath - 1];
	top = certs[out->top];
	out->ordered = true;
	for (i = 0; i < out->npath; i++)
		if (out->path[i] != i)
			out->ordered = false;
	for (i = 0; i < n; i++)
		if (!on_path(out, i))
			out->extra[out->nextra++] = i;
	out->root_sent = out->npath > 1 && top->self_signed;
	if (!out->cut && !top->self_signed &&
	    (trust == NULL || !cd_trust_has_issuer(trust, top))) {
		out->issuer_missing = true;
		out->incomplete = !top->is_ca;
	}
}
