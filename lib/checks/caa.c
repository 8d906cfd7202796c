/*
 * caa.c - CAA evaluation, following Boulder (Let's Encrypt's CA) where it
 * departs from RFC 8659: tags compared case-insensitively, the issuer
 * domain compared case-sensitively and exactly, Boulder's parameter
 * grammar (no hyphen in tags, no inner spaces in values), flag 1 taken as
 * an alias of the critical bit, and a malformed record that restricts
 * but authorises nobody.  Each rule with its Boulder source:
 * doc/internals/ca-rules.md, section 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "caa.h"
#include "err.h"
#include "escape.h"

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* s[0..len) without leading and trailing space/tab, as a new string. */
static char *
trim_dup(const char *s, size_t len)
{
	while (len > 0 && is_wsp(*s))
		s++, len--;
	while (len > 0 && is_wsp(s[len - 1]))
		len--;
	return strndup(s, len);
}

void
cd_caa_params_free(struct cd_caa_param *p, size_t n)
{
	size_t i;

	for (i = 0; p != NULL && i < n; i++) {
		free(p[i].tag);
		free(p[i].value);
	}
	free(p);
}

/* A refusal in Boulder's words, the offending text as its %q has it. */
static cd_rc
refuse(struct cd_err *err, const char *why, const char *s, size_t len)
{
	char *q = cd_go_quote(s, len, SIZE_MAX);
	cd_rc rc = cd_err_set(err, CD_E_PARSE, "%s: %s", why,
	    q ? q : "\"\"");

	free(q);
	return rc;
}

/* One "tag=value" piece; err names Boulder's reason. */
static cd_rc
parse_param(const char *piece, size_t len, struct cd_caa_param *out,
    struct cd_err *err)
{
	const char *eq = memchr(piece, '=', len);
	const unsigned char *p;

	if (eq == NULL)
		return refuse(err, "parameter not formatted as tag=value",
		    piece, len);
	if ((out->tag = trim_dup(piece, (size_t)(eq - piece))) == NULL ||
	    (out->value = trim_dup(eq + 1, len - (size_t)(eq - piece) - 1)) ==
	    NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	for (p = (const unsigned char *)out->tag; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z')))
			return refuse(err, "tag contains disallowed character",
			    out->tag, strlen(out->tag));
	for (p = (const unsigned char *)out->value; *p; p++)
		if (*p < 0x21 || *p == ';' || *p > 0x7e)
			return refuse(err, "value contains disallowed "
			    "character", out->value, strlen(out->value));
	return CD_OK;
}

cd_rc
cd_caa_parse_value(const char *value, size_t len, char **issuer,
    struct cd_caa_param **params, size_t *nparams, struct cd_err *err)
{
	struct cd_caa_param *ps = NULL;
	const char *semi, *piece, *end = value + len;
	size_t np = 0, cap = 0, plen;
	char *dom = NULL;
	cd_rc rc;

	semi = memchr(value, ';', len);
	if ((dom = trim_dup(value, semi ? (size_t)(semi - value) : len)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	/* "issuer;" and "issuer;  " have no parameters at all. */
	if (semi != NULL && memchr(semi + 1, ';', (size_t)(end - semi - 1)) ==
	    NULL) {
		for (piece = semi + 1; piece < end && is_wsp(*piece); piece++)
			;
		if (piece == end)
			semi = NULL;
	}
	while (semi != NULL) {
		piece = semi + 1;
		semi = memchr(piece, ';', (size_t)(end - piece));
		plen = semi ? (size_t)(semi - piece) : (size_t)(end - piece);
		if (np == cap) {
			struct cd_caa_param *n;

			cap = cap ? cap * 2 : 4;
			if ((n = realloc(ps, cap * sizeof(*n))) == NULL) {
				rc = cd_err_set(err, CD_E_NOMEM, "out of memory");
				goto fail;
			}
			ps = n;
		}
		memset(&ps[np], 0, sizeof(ps[np]));
		np++;
		if ((rc = parse_param(piece, plen, &ps[np - 1], err)) != CD_OK)
			goto fail;
	}
	*issuer = dom;
	*params = ps;
	*nparams = np;
	return CD_OK;
fail:
	cd_caa_params_free(ps, np);
	free(dom);
	return rc;
}

bool
cd_caa_tag_is(const char *tag, const char *want)
{
	return strcasecmp(tag, want) == 0;
}

bool
cd_caa_tag_known(const char *tag)
{
	static const char *const known[] = {"issue", "issuewild", "iodef",
	    "issuemail", "issuevmc", NULL};
	size_t i;

	for (i = 0; known[i]; i++)
		if (cd_caa_tag_is(tag, known[i]))
			return true;
	return false;
}

bool
cd_caa_critical_unknown(const struct cd_caa_rr *rr)
{
	return !cd_caa_tag_known(rr->tag) && (rr->flags & (128 | 1)) != 0;
}

/* The values of every parameter with this exact (case-sensitive) tag. */
static size_t
count_param(const struct cd_caa_param *ps, size_t n, const char *tag,
    const char **first)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (strcmp(ps[i].tag, tag) == 0 && c++ == 0)
			*first = ps[i].value;
	return c;
}

static bool
method_item_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
			return false;
	return true;
}

/* Boulder: the items in order; a bad item fails, a match succeeds. */
static bool
methods_match(const char *list, const char *method)
{
	const char *p = list, *c;
	size_t len;

	for (;;) {
		c = strchr(p, ',');
		len = c ? (size_t)(c - p) : strlen(p);
		if (!method_item_ok(p, len))
			return false;
		if (strlen(method) == len && strncmp(p, method, len) == 0)
			return true;
		if (c == NULL)
			return false;
		p = c + 1;
	}
}

bool
cd_caa_record_matches(const struct cd_caa_rr *rr,
    const struct cd_caa_request *req, char *why, size_t whylen)
{
	struct cd_caa_param *ps = NULL;
	struct cd_err e;
	const char *v = NULL;
	char *dom = NULL, tmp[8];
	size_t np = 0, n;
	bool ok = false;

	if (why == NULL) {
		why = tmp;
		whylen = sizeof(tmp);
	}
	if (strlen(rr->value) != rr->value_len) {
		snprintf(why, whylen, "the value holds a NUL byte");
		return false;
	}
	if (cd_caa_parse_value(rr->value, rr->value_len, &dom, &ps, &np,
	    &e) != CD_OK) {
		snprintf(why, whylen, "malformed: %s", e.msg);
		return false;
	}
	if (dom[0] == '\0') {
		snprintf(why, whylen, "an empty issuer authorises no CA");
	} else if (strcmp(dom, req->issuer) != 0) {
		snprintf(why, whylen, "names issuer \"%s\", not \"%s\"", dom,
		    req->issuer);
	} else if ((n = count_param(ps, np, "accounturi", &v)) > 1) {
		snprintf(why, whylen, "more than one accounturi parameter: "
		    "the CA treats the record as unsatisfiable");
	} else if (n == 1 && (req->account_uri == NULL ||
	    strcmp(v, req->account_uri) != 0)) {
		if (req->account_uri != NULL)
			snprintf(why, whylen, "only for account %s, not %s", v,
			    req->account_uri);
		else
			snprintf(why, whylen, "only for account %s (give "
			    "yours with --account-uri)", v);
	} else if ((n = count_param(ps, np, "validationmethods", &v)) > 1) {
		snprintf(why, whylen, "more than one validationmethods "
		    "parameter: the CA treats the record as unsatisfiable");
	} else if (n == 1 && !methods_match(v, req->method)) {
		snprintf(why, whylen, "validationmethods=%s does not allow %s",
		    v, req->method);
	} else {
		ok = true;
		snprintf(why, whylen, "authorises %s", req->issuer);
	}
	cd_caa_params_free(ps, np);
	free(dom);
	return ok;
}

void
cd_caa_result_clear(struct cd_caa_result *r)
{
	free(r->reason);
	memset(r, 0, sizeof(*r));
}

/* The records of the set that apply to this request (issue/issuewild). */
static bool
applies(const struct cd_caa_rr *rr, bool wildcard, bool has_wild)
{
	if (wildcard && has_wild)
		return cd_caa_tag_is(rr->tag, "issuewild");
	return cd_caa_tag_is(rr->tag, "issue");
}

static void
decide(const struct cd_caa_request *req, const struct cd_caa_level *set,
    struct cd_caa_result *out)
{
	bool has_wild = false, any = false;
	size_t i;

	for (i = 0; i < set->nrrs; i++) {
		if (cd_caa_critical_unknown(&set->rrs[i]))
			out->critical_unknown = true;
		if (cd_caa_tag_is(set->rrs[i].tag, "issuewild"))
			has_wild = true;
	}
	if (out->critical_unknown) {
		out->verdict = CD_CAA_REFUSED;
		return;
	}
	for (i = 0; i < set->nrrs; i++) {
		if (!applies(&set->rrs[i], out->wildcard, has_wild))
			continue;
		any = true;
		if (cd_caa_record_matches(&set->rrs[i], req, NULL, 0)) {
			out->matched = (ssize_t)i;
			out->verdict = CD_CAA_ALLOWED;
			return;
		}
	}
	/* No issue/issuewild record that applies: nothing restricts. */
	out->verdict = any ? CD_CAA_REFUSED : CD_CAA_ALLOWED;
}

cd_rc
cd_caa_evaluate(const struct cd_caa_request *req,
    const struct cd_caa_level *levels, size_t nlevels,
    struct cd_caa_result *out, struct cd_err *err)
{
	size_t i;
	int r = 0;

	memset(out, 0, sizeof(*out));
	out->found = out->error_level = out->matched = -1;
	out->wildcard = strncmp(req->identifier, "*.", 2) == 0;
	/* Closest level first: an error below any record set decides. */
	for (i = 0; i < nlevels; i++) {
		if (levels[i].kind == CD_CAA_LVL_ERROR) {
			out->error_level = (ssize_t)i;
			out->verdict = CD_CAA_DNS_REFUSED;
			r = asprintf(&out->reason, "While processing CAA for "
			    "%s: DNS problem: %s", req->identifier,
			    levels[i].error ? levels[i].error : "error");
			break;
		}
		if (levels[i].kind == CD_CAA_LVL_RECORDS) {
			out->found = (ssize_t)i;
			decide(req, &levels[i], out);
			if (out->verdict == CD_CAA_REFUSED)
				r = asprintf(&out->reason, "While processing "
				    "CAA for %s: CAA record for %s prevents "
				    "issuance", req->identifier,
				    levels[i].name);
			break;
		}
	}
	if (r < 0) {
		out->reason = NULL;
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	return CD_OK;
}

