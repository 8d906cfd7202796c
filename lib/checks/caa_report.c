/*
 * caa_report.c - a CAA verdict in words: Boulder's own reason, what to
 * change, and lints for records that will not do what their author
 * meant (case or trailing dot in the issuer, Boulder's stricter
 * parameter grammar, duplicate parameters).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "caa_report.h"
#include "jsonutil.h"

static void
refused(struct cd_report *r, const struct cd_caa_level *lv,
    const struct cd_caa_request *req, const struct cd_caa_result *res)
{
	const struct cd_caa_level *set = &lv[res->found];
	const char *tag = res->wildcard ? "issuewild" : "issue";
	char hint[768];

	if (res->critical_unknown) {
		cd_report_add(r, CD_P_CAA_CRITICAL_UNKNOWN, "remove the record "
		    "with the unknown tag, or clear its critical flag (flags "
		    "0)", "%s (a record with an unknown tag has the critical "
		    "flag set)", res->reason);
		return;
	}
	if (res->found > 0)
		snprintf(hint, sizeof(hint), "the records are on %s and apply "
		    "to %s too; if that parent is not yours (a dynamic-DNS "
		    "or hosting domain), add your own record on %s, which "
		    "takes precedence: %s. CAA 0 %s \"%s\"", set->name,
		    lv[0].name, lv[0].name, lv[0].name, tag, req->issuer);
	else
		snprintf(hint, sizeof(hint), "add a record allowing the CA: "
		    "%s. CAA 0 %s \"%s\" (if the zone is a dynamic-DNS or "
		    "hosting provider's, only the provider can change it: ask "
		    "them, or use a domain of your own)", set->name, tag,
		    req->issuer);
	cd_report_add(r, CD_P_CAA_FORBIDS_ISSUER, hint, "%s", res->reason);
}

void
cd_caa_explain(struct cd_report *r, const struct cd_caa_level *lv,
    const struct cd_caa_request *req, const struct cd_caa_result *res)
{
	switch (res->verdict) {
	case CD_CAA_REFUSED:
		refused(r, lv, req, res);
		break;
	case CD_CAA_DNS_REFUSED:
		cd_report_add(r, CD_P_CAA_DNS_ERROR, res->error_level >= 0 &&
		    lv[res->error_level].why_bogus ? "the CA refuses while a "
		    "CAA lookup fails: fix the zone's DNSSEC (dnssec_bogus "
		    "says what is wrong)" : "the CA refuses while a CAA "
		    "lookup fails: fix the name servers of that name (an "
		    "authoritative server must answer NOERROR with no records "
		    "for a type it does not have)", "%s", res->reason);
		break;
	case CD_CAA_ALLOWED:
		if (res->found < 0)
			cd_report_ok_summary(r, "%s may issue for %s: no CAA "
			    "records from %s up to %s", req->issuer,
			    req->identifier, lv[0].name,
			    lv[0].name[0] ? strrchr(lv[0].name, '.') ?
			    strrchr(lv[0].name, '.') + 1 : lv[0].name : "");
		else if (res->matched >= 0)
			cd_report_ok_summary(r, "%s may issue for %s: CAA "
			    "record for %s allows it (%s \"%s\")", req->issuer,
			    req->identifier, lv[res->found].name,
			    lv[res->found].rrs[res->matched].tag,
			    lv[res->found].rrs[res->matched].value);
		else
			cd_report_ok_summary(r, "%s may issue for %s: the CAA "
			    "records for %s have no %s record", req->issuer,
			    req->identifier, lv[res->found].name,
			    res->wildcard ? "issue or issuewild" : "issue");
		break;
	}
}

/* The parameters of a record, or NULL when it does not parse. */
static void
lint_params(struct cd_report *r, const struct cd_caa_rr *rr,
    const struct cd_caa_param *ps, size_t np)
{
	size_t i, acct = 0, meth = 0;
	const char *v;

	for (i = 0; i < np; i++) {
		if (strcmp(ps[i].tag, "accounturi") == 0)
			acct++;
		else if (strcmp(ps[i].tag, "validationmethods") == 0) {
			meth++;
			v = ps[i].value;
			if (*v == '\0' || *v == ',' || strstr(v, ",,"))
				cd_report_add(r, CD_P_CAA_MALFORMED_RECORD,
				    "remove the empty item", "%s \"%s\": an "
				    "empty item in validationmethods makes the "
				    "CA reject the record unless an earlier "
				    "item matches", rr->tag, rr->value);
		} else if (strcasecmp(ps[i].tag, "accounturi") == 0 ||
		    strcasecmp(ps[i].tag, "validationmethods") == 0) {
			cd_report_add(r, CD_P_CAA_MALFORMED_RECORD, "write the "
			    "parameter name in lower case", "%s \"%s\": "
			    "parameter '%s' is not recognised (the CA "
			    "matches parameter names case-sensitively), so "
			    "it restricts nothing", rr->tag, rr->value,
			    ps[i].tag);
		}
	}
	if (acct > 1 || meth > 1)
		cd_report_add(r, CD_P_CAA_MALFORMED_RECORD, "use separate "
		    "records for separate accounts or methods", "%s \"%s\": "
		    "a record with more than one %s parameter authorises "
		    "nobody", rr->tag, rr->value, acct > 1 ? "accounturi" :
		    "validationmethods");
}

static void
lint_issuer(struct cd_report *r, const struct cd_caa_rr *rr,
    const char *dom, const struct cd_caa_request *req)
{
	size_t n = strlen(dom);

	if (strcmp(dom, req->issuer) == 0)
		return;
	if (strcasecmp(dom, req->issuer) == 0 || (n > 1 && dom[n - 1] == '.' &&
	    strlen(req->issuer) == n - 1 && strncasecmp(dom, req->issuer,
	    n - 1) == 0))
		cd_report_add(r, CD_P_CAA_MALFORMED_RECORD, "write the issuer "
		    "exactly as the CA publishes it, e.g. \"letsencrypt.org\"",
		    "%s \"%s\": the CA compares the issuer domain exactly "
		    "(case-sensitive, no trailing dot), so \"%s\" does not "
		    "match \"%s\" (RFC 8659 leaves matching to the CA)",
		    rr->tag, rr->value, dom, req->issuer);
}

/* Edit distance of two short strings, capped at 9. */
static unsigned
distance(const char *a, const char *b)
{
	unsigned d[16][16], i, j, la = (unsigned)strlen(a),
	    lb = (unsigned)strlen(b), c;

	if (la > 15 || lb > 15)
		return 9;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			c = d[i - 1][j - 1] + ((a[i - 1] | 0x20) !=
			    (b[j - 1] | 0x20));
			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			d[i][j] = c;
		}
	return d[la][lb] > 9 ? 9 : d[la][lb];
}

/*
 * Unknown tags are legitimate (contactemail, contactphone, ...); only one
 * close to a tag that matters is worth a warning ("isue", "issuewlid").
 */
static bool
looks_like_typo(const char *tag)
{
	return distance(tag, "issue") <= 2 || distance(tag, "issuewild") <= 2 ||
	    distance(tag, "iodef") <= 1;
}

void
cd_caa_lint(struct cd_report *r, const struct cd_caa_level *set,
    const struct cd_caa_request *req)
{
	const struct cd_caa_rr *rr;
	struct cd_caa_param *ps;
	struct cd_err e;
	char *dom;
	size_t i, np;

	for (i = 0; i < set->nrrs; i++) {
		rr = &set->rrs[i];
		if (!cd_caa_tag_known(rr->tag)) {
			if (!cd_caa_critical_unknown(rr) && looks_like_typo(rr->tag))
				cd_report_add(r, CD_P_CAA_MALFORMED_RECORD,
				    "check the spelling: issue, issuewild, "
				    "iodef", "CAA tag '%s' is unknown and "
				    "ignored", rr->tag);
			continue;
		}
		if (!cd_caa_tag_is(rr->tag, "issue") &&
		    !cd_caa_tag_is(rr->tag, "issuewild"))
			continue;
		ps = NULL;
		np = 0;
		dom = NULL;
		if (strlen(rr->value) != rr->value_len ||
		    cd_caa_parse_value(rr->value, rr->value_len, &dom, &ps,
		    &np, &e) != CD_OK) {
			cd_report_add(r, CD_P_CAA_MALFORMED_RECORD, "fix the "
			    "value: parameters are tag=value pairs separated "
			    "by ';', tags letters and digits only, values "
			    "without spaces", "%s \"%s\" is malformed (%s): "
			    "the CA counts it as a restriction that "
			    "authorises no one", rr->tag, rr->value,
			    strlen(rr->value) != rr->value_len ?
			    "NUL byte" : e.msg);
			continue;
		}
		lint_issuer(r, rr, dom, req);
		lint_params(r, rr, ps, np);
		cd_caa_params_free(ps, np);
		free(dom);
	}
}

/* Does a parameter tag (between ';' and '=') hold a hyphen? */
static bool
hyphen_tag(const char *v)
{
	const char *p = strchr(v, ';'), *end;

	while (p != NULL) {
		p++;
		end = p + strcspn(p, ";=");
		if (*end == '=' && memchr(p, '-', (size_t)(end - p)) != NULL)
			return true;
		p = strchr(p, ';');
	}
	return false;
}

static void
note(json_t *notes, const char *text)
{
	cd_json_push(notes, cd_json_str(text));
}

void
cd_caa_rfc_notes(struct cd_report *r, const struct cd_caa_level *lv,
    const struct cd_caa_result *res)
{
	json_t *notes = json_array();
	const struct cd_caa_level *set = res->found >= 0 ? &lv[res->found] :
	    NULL;
	size_t i;

	if (notes == NULL)
		return;
	if (res->error_level >= 0 && strchr(lv[res->error_level].name, '.') ==
	    NULL && lv[res->error_level].rcode &&
	    strcmp(lv[res->error_level].rcode, "NXDOMAIN") == 0)
		note(notes, "NXDOMAIN normally means no records; Let's Encrypt "
		    "treats it as an error at a TLD (a TLD that was removed)");
	if (set != NULL && strchr(set->name, '.') == NULL)
		note(notes, "the records were found at the TLD: Let's Encrypt "
		    "queries up to and including the TLD, with no public-suffix "
		    "logic");
	for (i = 0; set != NULL && i < set->nrrs; i++) {
		if (res->critical_unknown &&
		    cd_caa_critical_unknown(&set->rrs[i]) &&
		    (set->rrs[i].flags & 128) == 0)
			note(notes, "RFC 8659 defines only flag 128 as critical; "
			    "Let's Encrypt also takes flag 1 as critical, as many "
			    "zones set it by mistake");
		if (hyphen_tag(set->rrs[i].value))
			note(notes, "RFC 8659 allows '-' inside a parameter "
			    "tag; Let's Encrypt rejects such a record as "
			    "malformed");
	}
	if (json_array_size(notes) > 0)
		cd_json_setk(r->detail, CD_K_RFC_NOTES, notes);
	else
		json_decref(notes);
}
