/* viewlookup.c - one lookup through the CA's view or the stub resolver. */
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "err.h"
#include "viewlookup.h"

void
cd_view_answer_clear(struct cd_view_answer *a)
{
	free(a->why_bogus);
	free(a->ede_text);
	if (a->parsed)
		cd_dnsmsg_clear(&a->m);
	memset(a, 0, sizeof(*a));
	a->rcode = -1;
	a->ede = -1;
}

static char *
dup_or_null(const char *s, bool *oom)
{
	char *d = s ? strdup(s) : NULL;

	if (s != NULL && d == NULL)
		*oom = true;
	return d;
}

cd_rc
cd_view_lookup(const struct cd_ctx *ctx, const char *name, int type,
    int64_t deadline, struct cd_view_answer *out, struct cd_err *err)
{
	const char *names[1] = {name};
	struct cd_caview *v = NULL;
	struct cd_caview_answer a;
	struct cd_dns *d = NULL;
	struct cd_dns_reply rep;
	const unsigned char *pkt = NULL;
	bool stub = cd_caview_mode_of(ctx) != CD_CAVIEW_RECURSIVE, oom = false;
	size_t len = 0;
	cd_rc rc;

	memset(out, 0, sizeof(*out));
	memset(&a, 0, sizeof(a));
	memset(&rep, 0, sizeof(rep));
	out->rcode = -1;
	out->ede = -1;
	if (!stub) {
		if ((rc = cd_ctx_caview(ctx, true, &v, err)) != CD_OK ||
		    (rc = cd_caview_query_types(v, names, NULL, type, 1,
		    deadline, &a, err)) != CD_OK)
			goto out;
		out->answered = a.answered;
		out->timed_out = a.timed_out;
		out->dnssec = a.dnssec;
		out->ede = a.ede;
		out->why_bogus = dup_or_null(a.why_bogus, &oom);
		out->ede_text = dup_or_null(a.ede_text, &oom);
		pkt = a.pkt;
		len = a.len;
	} else {
		if ((rc = cd_dns_new_raw(ctx->o.dns_servers,
		    ctx->o.timeout_ms, &d, err)) != CD_OK ||
		    (rc = cd_dns_query_many(d, names, 1, type, deadline, &rep,
		    err)) != CD_OK)
			goto out;
		out->answered = rep.abuf != NULL;
		out->timed_out = rep.timed_out;
		out->dnssec = CD_DNSSEC_UNCHECKED;
		pkt = rep.abuf;
		len = rep.len;
	}
	if (pkt != NULL) {
		if ((rc = cd_dnsmsg_parse(pkt, len, &out->m, err)) ==
		    CD_E_NOMEM)
			goto out;
		out->parsed = rc == CD_OK;
		rc = CD_OK;
		if (out->parsed) {
			out->rcode = (int)out->m.rcode;
			if (stub && out->m.ad)
				out->dnssec = CD_DNSSEC_SECURE;
			/* The message's own EDE, when the validator gave none. */
			if (out->ede < 0 && out->m.ede >= 0) {
				out->ede = out->m.ede;
				free(out->ede_text);
				out->ede_text = dup_or_null(out->m.ede_text,
				    &oom);
			}
		}
	}
	if (oom)
		rc = cd_err_set(err, CD_E_NOMEM, "out of memory");
out:
	cd_caview_answer_clear(&a);
	cd_dns_reply_clear(&rep);
	cd_dns_free(d);
	return rc;
}
