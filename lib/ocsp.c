/* ocsp.c - stapled OCSP responses. */
#include <stdlib.h>

#include <gnutls/ocsp.h>

#include "jsonutil.h"
#include "ocsp.h"
#include "timeutil.h"

static const char *
status_name(unsigned st)
{
	switch (st) {
	case GNUTLS_OCSP_CERT_GOOD:
		return "good";
	case GNUTLS_OCSP_CERT_REVOKED:
		return "revoked";
	default:
		return "unknown";
	}
}

void
cd_ocsp_judge(const unsigned char *der, size_t len,
    const struct cd_cert *leaf, const struct cd_cert *issuer, time_t now,
    struct cd_report *r)
{
	gnutls_ocsp_resp_t resp = NULL;
	gnutls_datum_t d;
	json_t *o = json_object();
	unsigned st = 0, verify = 0;
	time_t this_upd, next_upd, rev_time;
	char when[40];

	if (o == NULL)
		return;
	cd_json_set(o, "stapled", json_boolean(len > 0));
	cd_json_set(r->detail, "ocsp", o);
	if (len == 0) {
		if (leaf->must_staple)
			cd_report_add(r, CD_P_OCSP_STAPLE_INVALID, "enable "
			    "OCSP stapling (nginx: ssl_stapling on) or get a "
			    "certificate without must-staple",
			    "certificate requires an OCSP staple "
			    "(must-staple) but none was sent");
		return;
	}
	d.data = (unsigned char *)(uintptr_t)der;
	d.size = (unsigned)len;
	if (gnutls_ocsp_resp_init(&resp) < 0)
		return;
	if (gnutls_ocsp_resp_import(resp, &d) < 0 ||
	    gnutls_ocsp_resp_get_single(resp, 0, NULL, NULL, NULL, NULL,
	    &st, &this_upd, &next_upd, &rev_time, NULL) < 0) {
		cd_report_add(r, CD_P_OCSP_STAPLE_INVALID, NULL,
		    "the stapled OCSP response cannot be decoded");
		goto out;
	}
	cd_json_set(o, "status", cd_json_str(status_name(st)));
	cd_json_set(o, "this_update", cd_json_time(this_upd));
	if (next_upd != (time_t)-1)
		cd_json_set(o, "next_update", cd_json_time(next_upd));
	if (gnutls_ocsp_resp_check_crt(resp, 0, leaf->crt) < 0) {
		cd_report_add(r, CD_P_OCSP_STAPLE_INVALID, NULL,
		    "the stapled OCSP response is for another certificate");
		goto out;
	}
	if (issuer != NULL &&
	    (gnutls_ocsp_resp_verify_direct(resp, issuer->crt, &verify,
	    0) < 0 || verify != 0))
		cd_json_set(o, "signature_valid", json_false());
	if (st == GNUTLS_OCSP_CERT_REVOKED) {
		cd_report_add(r, CD_P_OCSP_REVOKED, "replace the certificate "
		    "now (certbot renew --force-renewal)",
		    "the stapled OCSP response says the certificate was "
		    "revoked on %s", cd_time_human(rev_time, when,
		    sizeof(when)));
	} else if (next_upd != (time_t)-1 && next_upd < now) {
		cd_report_add(r, CD_P_OCSP_STAPLE_INVALID, "the server "
		    "staples an outdated response; restart or fix its OCSP "
		    "fetching", "the stapled OCSP response is stale (next "
		    "update was %s)", cd_time_human(next_upd, when,
		    sizeof(when)));
	}
out:
	gnutls_ocsp_resp_deinit(resp);
}
