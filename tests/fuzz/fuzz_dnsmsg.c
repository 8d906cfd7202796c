/*
 * fuzz_dnsmsg.c - the DNS answer walker (lib/dns/dnsmsg.c): cd_dnsmsg_parse()
 * on raw bytes as a server could send them, then every CAA record it
 * returns through cd_caa_record_matches() and the whole set through
 * cd_caa_evaluate(), as caacheck would.
 *
 * Invariants: the walker reads only the len bytes it is given (answer,
 * authority and additional sections, OPT and its Extended DNS Error); on
 * success the RCODE fits its 4 bits, every CAA record has a tag and a
 * value that is terminated at value_len (which the message can hold),
 * every CNAME and NS has its names, an EDE only with an OPT; on failure the message is left cleared.  The verdict
 * names a record of the set when it says which one authorised, and a
 * refusal comes with a reason.
 */
#include <stdio.h>

#include "caa.h"
#include "dnsmsg.h"
#include "fuzz.h"

static const struct cd_caa_request requests[] = {
	{"example.com", "letsencrypt.org", NULL, "http-01"},
	{"*.example.com", "letsencrypt.org",
	    "https://letsencrypt.org/acct/reg/123", "dns-01"},
};

static void
check_records(const struct cd_dnsmsg *m, size_t len)
{
	char why[256], rcbuf[16];
	size_t i, j;

	FUZZ_ASSERT(m->rcode <= 15);
	FUZZ_ASSERT(cd_dns_rcode_name(m->rcode, rcbuf, sizeof(rcbuf)) !=
	    NULL);
	FUZZ_ASSERT(m->ncaa == 0 || m->caa != NULL);
	FUZZ_ASSERT(m->ncname == 0 ||
	    (m->cname_from != NULL && m->cname_to != NULL));
	for (i = 0; i < m->ncname; i++)
		FUZZ_ASSERT(m->cname_from[i] != NULL && m->cname_to[i] != NULL);
	/* NS targets of both sections, and at most one EDE per message. */
	FUZZ_ASSERT(m->nns == 0 || m->ns != NULL);
	FUZZ_ASSERT(m->nauth_ns == 0 || m->auth_ns != NULL);
	for (i = 0; i < m->nns; i++)
		FUZZ_ASSERT(m->ns[i] != NULL);
	for (i = 0; i < m->nauth_ns; i++)
		FUZZ_ASSERT(m->auth_ns[i] != NULL);
	FUZZ_ASSERT(m->ede >= -1 && m->ede <= 65535);
	FUZZ_ASSERT(m->ede_text == NULL || (m->ede >= 0 && m->edns));
	for (i = 0; i < m->ncaa; i++) {
		const struct cd_caa_rr *rr = &m->caa[i];

		FUZZ_ASSERT(rr->tag != NULL && rr->value != NULL);
		FUZZ_ASSERT(rr->flags <= 255 && strlen(rr->tag) <= 255);
		FUZZ_ASSERT(rr->value_len < len && rr->value[rr->value_len] ==
		    '\0');
		(void)cd_caa_critical_unknown(rr);
		(void)cd_caa_tag_known(rr->tag);
		for (j = 0; j < sizeof(requests) / sizeof(requests[0]); j++) {
			cd_caa_record_matches(rr, &requests[j], why,
			    sizeof(why));
			FUZZ_ASSERT(fuzz_terminated(why, sizeof(why)));
		}
	}
}

/* The records as the only level that has any, as caacheck sees them. */
static void
check_verdict(const struct cd_dnsmsg *m)
{
	struct cd_caa_level lv[2];
	struct cd_caa_result res;
	char n0[] = "www.example.com", n1[] = "example.com";
	size_t j;

	memset(lv, 0, sizeof(lv));
	lv[0].name = n0;
	lv[0].kind = CD_CAA_LVL_EMPTY;
	lv[1].name = n1;
	lv[1].kind = CD_CAA_LVL_RECORDS;
	lv[1].rrs = m->caa;
	lv[1].nrrs = m->ncaa;
	for (j = 0; j < sizeof(requests) / sizeof(requests[0]); j++) {
		if (cd_caa_evaluate(&requests[j], lv, 2, &res, NULL) != CD_OK)
			continue;
		FUZZ_ASSERT(res.found == 1 && res.error_level == -1);
		FUZZ_ASSERT(res.matched == -1 ||
		    (res.matched >= 0 && (size_t)res.matched < m->ncaa &&
		    res.verdict == CD_CAA_ALLOWED));
		FUZZ_ASSERT(res.verdict != CD_CAA_DNS_REFUSED);
		FUZZ_ASSERT(res.verdict != CD_CAA_REFUSED ||
		    res.reason != NULL);
		FUZZ_ASSERT(!res.critical_unknown ||
		    res.verdict == CD_CAA_REFUSED);
		cd_caa_result_clear(&res);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cd_dnsmsg m;
	struct cd_err err;
	unsigned char *buf;
	cd_rc rc;

	if ((buf = (unsigned char *)fuzz_bytes(data, size)) == NULL)
		return 0;
	memset(&err, 0, sizeof(err));
	rc = cd_dnsmsg_parse(buf, size, &m, &err);
	FUZZ_VERDICT(rc == CD_OK);
	if (rc != CD_OK) {
		FUZZ_ASSERT(rc == CD_E_PARSE || rc == CD_E_NOMEM);
		FUZZ_ASSERT(err.rc == rc && err.msg[0] != '\0');
		FUZZ_ASSERT(fuzz_terminated(err.msg, sizeof(err.msg)));
		FUZZ_ASSERT(m.ncaa == 0 && m.caa == NULL && m.ncname == 0 &&
		    m.cname_from == NULL && m.cname_to == NULL);
	} else {
		check_records(&m, size);
		if (m.ncaa > 0)
			check_verdict(&m);
	}
	cd_dnsmsg_clear(&m);
	free(buf);
	return 0;
}
