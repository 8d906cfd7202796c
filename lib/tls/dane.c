/*
 * dane.c - DANE for certcheck (RFC 6698, RFC 7672 for SMTP).  Records
 * that are not DNSSEC-signed are worthless to a DANE client (it ignores
 * them), so the DNSSEC status of the answer decides before matching.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/dane.h>

#include "caview.h"
#include "ctx.h"
#include "dane.h"
#include "dns.h"
#include "dnsmsg.h"
#include "err.h"
#include "jsonutil.h"
#include "report.h"
#include "viewlookup.h"

cd_rc
cd_dane_parse(const char *s, enum cd_dane *out, struct cd_err *err)
{
	if (s != NULL && strcmp(s, "auto") == 0)
		*out = CD_DANE_AUTO;
	else if (s != NULL && strcmp(s, "required") == 0)
		*out = CD_DANE_REQUIRED;
	else
		return cd_err_set(err, CD_E_USAGE, "'%s': want auto or "
		    "required", s ? s : "");
	return CD_OK;
}

/* The TLSA answer and how it was validated. */
/* Lower-case hex, as zone files write TLSA data (GnuTLS's encoder). */
static char *
hex(const unsigned char *p, size_t n)
{
	gnutls_datum_t in = {(unsigned char *)(uintptr_t)p, (unsigned)n};
	gnutls_datum_t out = {NULL, 0};
	char *s;

	if (gnutls_hex_encode2(&in, &out) < 0)
		return NULL;
	s = strndup((const char *)out.data, out.size);
	gnutls_free(out.data);
	return s;
}

static json_t *
records_json(const struct cd_dnsmsg *m, bool *oom)
{
	json_t *arr = json_array(), *o;
	size_t i;
	char *h;

	if (arr == NULL) {
		*oom = true;
		return NULL;
	}
	for (i = 0; i < m->ntlsa; i++) {
		const struct cd_tlsa_rr *t = &m->tlsa[i];

		if ((o = json_object()) == NULL ||
		    (h = hex(t->data, t->len)) == NULL) {
			json_decref(o);
			*oom = true;
			break;
		}
		cd_json_setk(o, CD_K_USAGE, json_integer(t->usage));
		cd_json_setk(o, CD_K_SELECTOR, json_integer(t->selector));
		cd_json_setk(o, CD_K_MATCHING_TYPE, json_integer(t->mtype));
		cd_json_setk(o, CD_K_DATA, cd_json_str(h));
		free(h);
		json_array_append_new(arr, o);
	}
	return arr;
}

/*
 * Does one of the records match the chain?  1 yes, 0 no, negative: a
 * libgnutls-dane error (its text in *why).
 */
static int
match(const struct cd_dnsmsg *m, const struct cd_tls_info *ti,
    const char **why)
{
	dane_state_t s = NULL;
	dane_query_t q = NULL;
	gnutls_datum_t *chain = NULL;
	char **data = NULL;
	int *lens = NULL, ret;
	unsigned verify = 0;
	size_t i;

	*why = NULL;
	if ((chain = calloc(ti->ncerts, sizeof(*chain))) == NULL ||
	    (data = calloc(m->ntlsa + 1, sizeof(*data))) == NULL ||
	    (lens = calloc(m->ntlsa + 1, sizeof(*lens))) == NULL) {
		ret = DANE_E_MEMORY_ERROR;
		goto out;
	}
	for (i = 0; i < ti->ncerts; i++) {
		chain[i].data = ti->certs[i].data;
		chain[i].size = (unsigned)ti->certs[i].len;
	}
	/* libgnutls-dane reads the records as their wire RDATA. */
	for (i = 0; i < m->ntlsa; i++) {
		if ((data[i] = malloc(m->tlsa[i].len + 3)) == NULL) {
			ret = DANE_E_MEMORY_ERROR;
			goto out;
		}
		data[i][0] = (char)m->tlsa[i].usage;
		data[i][1] = (char)m->tlsa[i].selector;
		data[i][2] = (char)m->tlsa[i].mtype;
		memcpy(data[i] + 3, m->tlsa[i].data, m->tlsa[i].len);
		lens[i] = (int)(m->tlsa[i].len + 3);
	}
	/* The DNSSEC verdict is ours already: no resolver, no anchor. */
	if ((ret = dane_state_init(&s, DANE_F_IGNORE_DNSSEC |
	    DANE_F_IGNORE_LOCAL_RESOLVER)) < 0 ||
	    (ret = dane_raw_tlsa(s, &q, data, lens, 1, 0)) < 0 ||
	    (ret = dane_verify_crt_raw(s, chain, (unsigned)ti->ncerts,
	    GNUTLS_CRT_X509, q, 0, 0, &verify)) < 0)
		goto out;
	ret = verify == 0;
out:
	if (ret < 0)
		*why = dane_strerror(ret);
	if (q != NULL)
		dane_query_deinit(q);
	if (s != NULL)
		dane_state_deinit(s);
	for (i = 0; data != NULL && i < m->ntlsa; i++)
		free(data[i]);
	free(data);
	free(lens);
	free(chain);
	return ret;
}

#define HINT_PUBLISH "publish a TLSA record for the certificate the " \
	"server sends (3 1 1: the SHA-256 of its public key) in a " \
	"DNSSEC-signed zone"

static void
failed(const struct cd_ctx *ctx, const char *name,
    const struct cd_view_answer *a, struct cd_report *r)
{
	char *p;

	if (a->dnssec == CD_DNSSEC_BOGUS) {
		cd_caview_bogus(r, "TLSA", name, a->ede, a->why_bogus);
		return;
	}
	(void)ctx;
	p = cd_dns_problem("TLSA", name, a->timed_out, !a->answered,
	    a->rcode, a->ede, a->ede_text);
	cd_report_add(r, CD_P_DNS_FAILED, "make the zone's servers answer "
	    "TLSA queries", "DANE: %s", p ? p : "TLSA lookup failed");
	if (p == NULL)
		r->oom = true;
	free(p);
}

void
cd_dane_judge(const struct cd_ctx *ctx, const char *host, uint16_t port,
    const struct cd_tls_info *ti, int64_t deadline, struct cd_report *r)
{
	struct cd_view_answer a;
	struct cd_err e;
	json_t *d;
	char name[300];
	const char *why;
	int ok;

	memset(&a, 0, sizeof(a));
	memset(&e, 0, sizeof(e));
	if ((d = json_object()) == NULL) {
		r->oom = true;
		return;
	}
	cd_json_setk(r->detail, CD_K_DANE, d);
	snprintf(name, sizeof(name), "_%u._tcp.%s", (unsigned)port, host);
	cd_json_setk(d, CD_K_NAME, cd_json_str(name));
	if (cd_view_lookup(ctx, name, CD_DNS_T_TLSA, deadline, &a, &e) !=
	    CD_OK) {
		if (e.rc == CD_E_NOMEM)
			r->oom = true;
		else
			cd_report_add(r, CD_P_DNS_FAILED, NULL, "DANE: looking "
			    "up TLSA for %s: %s", name, e.msg);
		goto out;
	}
	/*
	 * With --dns-server its AD bit stands for the validation: a DANE
	 * client behind a validating resolver without it reads insecure.
	 */
	if (a.dnssec == CD_DNSSEC_UNCHECKED)
		a.dnssec = CD_DNSSEC_INSECURE;
	cd_json_setk(d, CD_K_DNSSEC, cd_json_str(cd_dnssec_name(a.dnssec)));
	if (a.dnssec == CD_DNSSEC_BOGUS || !a.parsed ||
	    (a.rcode != 0 && a.rcode != 3)) {
		failed(ctx, name, &a, r);
		goto out;
	}
	cd_json_setk(d, CD_K_RECORDS, records_json(&a.m, &r->oom));
	if (a.m.ntlsa == 0) {
		if (ctx->o.dane == CD_DANE_REQUIRED)
			cd_report_add(r, CD_P_DANE_NO_RECORDS, HINT_PUBLISH,
			    "DANE: no TLSA records at %s", name);
		else
			cd_report_note(r, "DANE: no TLSA records at %s", name);
		goto out;
	}
	if (a.dnssec != CD_DNSSEC_SECURE) {
		cd_report_add(r, CD_P_DANE_UNSIGNED, "sign the zone (and "
		    "publish its DS in the parent), or remove the records",
		    "DANE: the TLSA records at %s are not DNSSEC-signed "
		    "(%s); DANE clients ignore them", name,
		    cd_dnssec_name(a.dnssec));
		goto out;
	}
	ok = match(&a.m, ti, &why);
	cd_json_setk(d, CD_K_MATCHED, ok > 0 ? json_true() : json_false());
	if (ok > 0)
		cd_report_note(r, "DANE: a TLSA record at %s matches the "
		    "chain (DNSSEC secure)", name);
	else if (ok == 0)
		cd_report_add(r, CD_P_DANE_MISMATCH, HINT_PUBLISH
		    ", before the certificate changes",
		    "DANE: none of the %zu DNSSEC-signed TLSA records at %s "
		    "matches the chain the server sent; DANE clients refuse it",
		    a.m.ntlsa, name);
	else
		cd_report_add(r, CD_P_DANE_MISMATCH, HINT_PUBLISH,
		    "DANE: the TLSA records at %s could not be matched: %s",
		    name, why);
out:
	cd_view_answer_clear(&a);
}
