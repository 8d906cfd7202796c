/*
 * ocsp.c - stapled OCSP responses, decoded and verified by GnuTLS the
 * way a browser uses a staple: the single response for this leaf, signed
 * by its issuer or by a responder the issuer certified for OCSP signing,
 * inside its thisUpdate..nextUpdate window.  A response we cannot trust
 * is reported as unusable and its status is not believed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/ocsp.h>

#include "escape.h"
#include "jsonutil.h"
#include "ocsp.h"
#include "timeutil.h"

/* Clocks differ: a thisUpdate this far ahead of ours is still fine. */
#define OCSP_SKEW 300

/* RFC 5280 CRLReason names (OCSP and CRLs share them). */
const char *
cd_revocation_reason(unsigned reason)
{
	switch (reason) {
	case GNUTLS_X509_CRLREASON_UNSPECIFIED:
		return "unspecified";
	case GNUTLS_X509_CRLREASON_KEYCOMPROMISE:
		return "keyCompromise";
	case GNUTLS_X509_CRLREASON_CACOMPROMISE:
		return "cACompromise";
	case GNUTLS_X509_CRLREASON_AFFILIATIONCHANGED:
		return "affiliationChanged";
	case GNUTLS_X509_CRLREASON_SUPERSEDED:
		return "superseded";
	case GNUTLS_X509_CRLREASON_CESSATIONOFOPERATION:
		return "cessationOfOperation";
	case GNUTLS_X509_CRLREASON_CERTIFICATEHOLD:
		return "certificateHold";
	case GNUTLS_X509_CRLREASON_REMOVEFROMCRL:
		return "removeFromCRL";
	case GNUTLS_X509_CRLREASON_PRIVILEGEWITHDRAWN:
		return "privilegeWithdrawn";
	case GNUTLS_X509_CRLREASON_AACOMPROMISE:
		return "aACompromise";
	}
	return "unspecified";
}

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

/* The responder by name, else by key hash ("key:HEX"); NULL if neither. */
static char *
responder(gnutls_ocsp_resp_t resp)
{
	gnutls_datum_t d = {NULL, 0};
	char *s = NULL, *p;
	unsigned i;

	if (gnutls_ocsp_resp_get_responder2(resp, &d, 0) == 0) {
		s = cd_escape_display((const char *)d.data, d.size);
	} else if (gnutls_ocsp_resp_get_responder_raw_id(resp,
	    GNUTLS_OCSP_RESP_ID_KEY, &d) == 0 &&
	    (s = malloc(4 + 2 * d.size + 1)) != NULL) {
		p = s + sprintf(s, "key:");
		for (i = 0; i < d.size; i++)
			p += sprintf(p, "%02x", d.data[i]);
	}
	gnutls_free(d.data);
	return s;
}

/* Why GnuTLS would not accept the signature, in words; NULL if it does. */
static const char *
signature_problem(gnutls_ocsp_resp_t resp, const struct cd_cert *issuer,
    const char **kind)
{
	unsigned v = 0;

	if (gnutls_ocsp_resp_verify_direct(resp, issuer->crt, &v, 0) < 0) {
		*kind = "invalid";
		return "its signature cannot be checked";
	}
	if (v == 0) {
		*kind = "valid";
		return NULL;
	}
	*kind = "wrong_responder";
	if (v & GNUTLS_OCSP_VERIFY_SIGNATURE_FAILURE) {
		*kind = "invalid";
		return "it is not signed by the certificate's issuer";
	}
	if (v & GNUTLS_OCSP_VERIFY_SIGNER_KEYUSAGE_ERROR)
		return "its responder certificate lacks the OCSP-signing "
		    "extended key usage";
	if (v & (GNUTLS_OCSP_VERIFY_UNTRUSTED_SIGNER |
	    GNUTLS_OCSP_VERIFY_SIGNER_NOT_FOUND))
		return "it is signed by a responder the certificate's issuer "
		    "did not certify";
	if (v & (GNUTLS_OCSP_VERIFY_CERT_EXPIRED |
	    GNUTLS_OCSP_VERIFY_CERT_NOT_ACTIVATED))
		return "its responder certificate is outside its validity";
	*kind = "invalid";
	if (v & GNUTLS_OCSP_VERIFY_INSECURE_ALGORITHM)
		return "it is signed with an insecure algorithm";
	return "its signature does not verify";
}

/* The single response about leaf: its index, or -1. */
static int
find_single(gnutls_ocsp_resp_t resp, const struct cd_cert *leaf)
{
	int i;

	for (i = 0; i < 64; i++) {
		if (gnutls_ocsp_resp_get_single(resp, (unsigned)i, NULL, NULL,
		    NULL, NULL, NULL, NULL, NULL, NULL, NULL) < 0)
			break;
		if (gnutls_ocsp_resp_check_crt(resp, (unsigned)i,
		    leaf->crt) == 0)
			return i;
	}
	return -1;
}

static void
unusable(struct cd_report *r, const char *why)
{
	cd_report_add(r, CD_P_OCSP_STAPLE_INVALID, "browsers ignore or "
	    "reject such a staple; check the server's OCSP stapling "
	    "(responder URL, issuer certificate, cached response)",
	    "the stapled OCSP response cannot be used: %s", why);
}

/* Status and validity window of the single response idx. */
static void
judge_single(gnutls_ocsp_resp_t resp, int idx, bool trusted, time_t now,
    json_t *o, struct cd_report *r)
{
	unsigned st = 0, reason = 0;
	time_t this_upd = -1, next_upd = -1, rev = -1;
	char a[40], b[40];

	if (gnutls_ocsp_resp_get_single(resp, (unsigned)idx, NULL, NULL,
	    NULL, NULL, &st, &this_upd, &next_upd, &rev, &reason) < 0) {
		unusable(r, "it cannot be decoded");
		return;
	}
	cd_json_setk(o, CD_K_STATUS, cd_json_str(status_name(st)));
	cd_json_setk(o, CD_K_THIS_UPDATE, cd_json_time(this_upd));
	cd_json_setk(o, CD_K_NEXT_UPDATE, next_upd == (time_t)-1 ? json_null() :
	    cd_json_time(next_upd));
	if (st == GNUTLS_OCSP_CERT_REVOKED) {
		cd_json_setk(o, CD_K_REVOCATION_TIME, cd_json_time(rev));
		cd_json_setk(o, CD_K_REVOCATION_REASON,
		    cd_json_str(cd_revocation_reason(reason)));
	}
	/* A response that fails verification says nothing about the leaf. */
	if (!trusted)
		return;
	if (st == GNUTLS_OCSP_CERT_REVOKED)
		cd_report_add(r, CD_P_OCSP_REVOKED, "replace the certificate "
		    "now (certbot renew --force-renewal) and find out why it "
		    "was revoked", "the stapled OCSP response says the "
		    "certificate was revoked on %s (reason: %s)",
		    cd_time_human(rev, a, sizeof(a)),
		    cd_revocation_reason(reason));
	else if (st != GNUTLS_OCSP_CERT_GOOD)
		cd_report_add(r, CD_P_OCSP_UNKNOWN, "the responder does not "
		    "know this certificate: is the server stapling the "
		    "response of another CA or of an old certificate?",
		    "the stapled OCSP response says the certificate's status "
		    "is unknown");
	if (this_upd != (time_t)-1 && this_upd > now + OCSP_SKEW)
		unusable(r, "its thisUpdate lies in the future");
	else if (next_upd != (time_t)-1 && next_upd < now)
		cd_report_add(r, CD_P_OCSP_STALE, "the server keeps stapling "
		    "an outdated response; check that it can reach the "
		    "responder, or reload it", "the stapled OCSP response is "
		    "stale: produced %s, next update was due %s",
		    cd_time_human(this_upd, a, sizeof(a)),
		    cd_time_human(next_upd, b, sizeof(b)));
}

static const char *
field(const json_t *o, enum cd_jkey k)
{
	const char *s = cd_json_strk(o, k);

	return s ? s : "-";
}

/* The staple in one line of Nagios long text. */
static void
note(const json_t *o, struct cd_report *r)
{
	if (cd_json_getk(o, CD_K_STATUS) == NULL)
		return;
	cd_report_note(r, "OCSP staple: %s, signature %s, this update %s, "
	    "next update %s, responder %s", field(o, CD_K_STATUS),
	    field(o, CD_K_SIGNATURE), field(o, CD_K_THIS_UPDATE),
	    field(o, CD_K_NEXT_UPDATE), field(o, CD_K_RESPONDER));
}

void
cd_ocsp_judge(const unsigned char *der, size_t len,
    const struct cd_cert *leaf, const struct cd_cert *issuer, time_t now,
    struct cd_report *r)
{
	gnutls_ocsp_resp_t resp = NULL;
	gnutls_datum_t d;
	json_t *o = json_object();
	const char *why = NULL, *kind = "unchecked";
	char *who;
	int idx, rs;

	if (o == NULL || !cd_json_setk(r->detail, CD_K_OCSP, o)) {
		r->oom = true;
		return;
	}
	cd_json_setk(o, CD_K_STAPLED, json_boolean(len > 0));
	cd_json_setk(o, CD_K_MUST_STAPLE, json_boolean(leaf->must_staple));
	if (len == 0) {
		if (leaf->must_staple)
			cd_report_add(r, CD_P_OCSP_MUST_STAPLE_MISSING,
			    "enable OCSP stapling (nginx: ssl_stapling on; "
			    "Apache: SSLUseStapling on) or get a certificate "
			    "without must-staple", "the certificate requires "
			    "an OCSP staple (must-staple) but the server sent "
			    "none: Firefox refuses the connection");
		return;
	}
	d.data = (unsigned char *)(uintptr_t)der;
	d.size = (unsigned)len;
	if (gnutls_ocsp_resp_init(&resp) < 0) {
		r->oom = true;
		return;
	}
	if (gnutls_ocsp_resp_import(resp, &d) < 0) {
		unusable(r, "it cannot be decoded");
		goto out;
	}
	if ((rs = gnutls_ocsp_resp_get_status(resp)) !=
	    GNUTLS_OCSP_RESP_SUCCESSFUL) {
		cd_json_setk(o, CD_K_RESPONSE_STATUS, json_integer(rs));
		unusable(r, rs < 0 ? "it cannot be decoded" :
		    "the responder answered with an error instead of a status");
		goto out;
	}
	if ((who = responder(resp)) != NULL) {
		cd_json_setk(o, CD_K_RESPONDER, cd_json_str(who));
		free(who);
	}
	if ((idx = find_single(resp, leaf)) < 0) {
		cd_json_setk(o, CD_K_SIGNATURE, cd_json_str(kind));
		unusable(r, "it is about another certificate");
		goto out;
	}
	if (issuer != NULL)
		why = signature_problem(resp, issuer, &kind);
	cd_json_setk(o, CD_K_SIGNATURE, cd_json_str(kind));
	if (why != NULL)
		unusable(r, why);
	/*
	 * Without the issuer (chain_incomplete says so) the signature is
	 * unchecked; a server gains nothing by forging its own revocation,
	 * so the status is still reported then.
	 */
	judge_single(resp, idx, why == NULL, now, o, r);
	note(o, r);
out:
	gnutls_ocsp_resp_deinit(resp);
}
