/*
 * dnspersist.c - the dns-persist-01 record (RFC 8659 issue-value syntax:
 * "issuer; accounturi=URI; policy=wildcard; persistUntil=SECONDS") read
 * and judged in the order and words of Let's Encrypt's validator.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <idn2.h>

#include "buf.h"
#include "escape.h"
#include "dnspersist.h"

/* time.Time{}.Unix(): Go's zero time, which the CA reads as "absent". */
#define GO_ZERO_TIME INT64_C(-62135596800)

/*
 * A TXT set fits in 64 KiB, and each record adds at most its own length
 * quoted (four bytes a byte) and a sentence: this is never reached by a
 * real answer.
 */
#define MESSAGE_MAX (1024 * 1024)

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* s[0..len) without the spaces and tabs around it, as a new string. */
static char *
trimmed(const char *s, size_t len)
{
	while (len > 0 && is_wsp(*s)) {
		s++;
		len--;
	}
	while (len > 0 && is_wsp(s[len - 1]))
		len--;
	return strndup(s, len);
}

static bool
ldh_only(const char *s)
{
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
		    *s == '-' || *s == '.'))
			return false;
	return true;
}

char *
cd_dnspersist_issuer(const char *name)
{
	char *low, *a = NULL, *p;
	bool ascii = true;
	size_t len;

	if ((low = strdup(name)) == NULL)
		return NULL;
	for (p = low; *p; p++) {
		*p = (char)tolower((unsigned char)*p);
		ascii = ascii && (unsigned char)*p < 0x80;
	}
	/*
	 * Go's STD3 rules refuse every ASCII character but letters, digits,
	 * hyphen and dot; libidn2 would silently drop them instead.
	 */
	if ((ascii && !ldh_only(low)) || idn2_to_ascii_8z(low, &a,
	    IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT) != IDN2_OK) {
		free(low);
		return NULL;
	}
	free(low);
	for (p = a; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	len = strlen(a);
	if (len > 0 && a[len - 1] == '.')
		a[--len] = '\0';
	if (len > 253 || !ldh_only(a)) {
		free(a);
		return NULL;
	}
	return a;
}

void
cd_dnspersist_clear(struct cd_dnspersist *p)
{
	free(p->issuer);
	free(p->why);
	free(p->account_uri);
	free(p->policy);
	memset(p, 0, sizeof(*p));
}

/* strconv.ParseInt(s, 10, 64): an optional sign, then digits only. */
static bool
parse_int64(const char *s, int64_t *out)
{
	const char *d = s + (*s == '+' || *s == '-');
	char *end;
	long long v;

	if (*d == '\0' || strspn(d, "0123456789") != strlen(d))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = (int64_t)v;
	return true;
}

/* Sets p->why to a message with one or two Go-quoted strings. */
static void
why(struct cd_dnspersist *p, bool *oom, const char *fmt, const char *a,
    const char *b)
{
	char *qa = a ? cd_go_quote(a, strlen(a), SIZE_MAX) : NULL;
	char *qb = b ? cd_go_quote(b, strlen(b), SIZE_MAX) : NULL;

	if ((a && !qa) || (b && !qb) || asprintf(&p->why, fmt, qa ? qa : "",
	    qb ? qb : "") < 0) {
		p->why = NULL;
		*oom = true;
	}
	free(qa);
	free(qb);
}

/* One "tag=value" parameter into p; false with p->why when malformed. */
static bool
param(struct cd_dnspersist *p, const char *raw, size_t len, bool seen[3],
    bool *oom)
{
	char *prm = trimmed(raw, len), *eq, *tag = NULL, *val = NULL;
	const unsigned char *c;
	bool ok = false;
	int k;

	if (prm == NULL)
		goto nomem;
	if (*prm == '\0') {
		why(p, oom, "empty parameter or trailing semicolon provided%s%s",
		    NULL, NULL);
		goto out;
	}
	if ((eq = strchr(prm, '=')) == NULL) {
		why(p, oom, "malformed parameter %s should be tag=value pair%s",
		    prm, NULL);
		goto out;
	}
	if ((tag = trimmed(prm, (size_t)(eq - prm))) == NULL ||
	    (val = trimmed(eq + 1, strlen(eq + 1))) == NULL)
		goto nomem;
	if (*tag == '\0') {
		why(p, oom, "malformed parameter %s, empty tag%s", prm, NULL);
		goto out;
	}
	for (c = (const unsigned char *)val; *c; c++)
		if (!((*c >= 0x21 && *c <= 0x3a) || (*c >= 0x3c && *c <= 0x7e))) {
			why(p, oom, "malformed value %s for tag %s", val, tag);
			goto out;
		}
	k = strcasecmp(tag, "accounturi") == 0 ? 0 :
	    strcasecmp(tag, "policy") == 0 ? 1 :
	    strcasecmp(tag, "persistuntil") == 0 ? 2 : -1;
	if (k < 0) {
		/* The draft: unknown tags MUST be ignored. */
		ok = true;
		goto out;
	}
	if (seen[k]) {
		why(p, oom, "duplicate parameter %s%s", tag, NULL);
		goto out;
	}
	seen[k] = true;
	if (k == 0) {
		if (*val == '\0') {
			why(p, oom, "empty value provided for mandatory "
			    "accounturi%s%s", NULL, NULL);
			goto out;
		}
		p->account_uri = val;
		val = NULL;
	} else if (k == 1) {
		p->policy = val;
		val = NULL;
	} else if (!parse_int64(val, &p->until)) {
		why(p, oom, "malformed persistUntil timestamp %s%s", val, NULL);
		goto out;
	} else {
		p->has_until = true;
	}
	ok = true;
	goto out;
nomem:
	*oom = true;
out:
	free(prm);
	free(tag);
	free(val);
	return ok;
}

bool
cd_dnspersist_parse(const char *record, struct cd_dnspersist *p, bool *oom)
{
	const char *semi = strchr(record, ';'), *s, *e;
	char *raw;
	bool seen[3] = {false, false, false};

	memset(p, 0, sizeof(*p));
	if ((raw = trimmed(record, semi ? (size_t)(semi - record) :
	    strlen(record))) == NULL)
		goto nomem;
	if (*raw == '\0') {
		free(raw);
		why(p, oom, "empty issuer-domain-name%s%s", NULL, NULL);
		return false;
	}
	p->issuer = cd_dnspersist_issuer(raw);
	if (p->issuer == NULL) {
		why(p, oom, "malformed issuer-domain-name %s%s", raw, NULL);
		free(raw);
		return false;
	}
	free(raw);
	for (s = semi; s != NULL; s = e) {
		s++;
		e = strchr(s, ';');
		if (!param(p, s, e ? (size_t)(e - s) : strlen(s), seen, oom))
			goto bad;
	}
	if (p->account_uri != NULL)
		return true;
	why(p, oom, "missing mandatory accounturi parameter%s%s", NULL, NULL);
bad:
	free(p->account_uri);
	free(p->policy);
	p->account_uri = p->policy = NULL;
	p->has_until = false;
	return false;
nomem:
	*oom = true;
	return false;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian, as Go). */
static void
civil(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468, era, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	yoe = z - era * 146097;
	yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
	doy = z - era * 146097 - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

void
cd_dnspersist_rfc3339(int64_t t, char out[40])
{
	int64_t days = t / 86400, secs = t % 86400, y;
	unsigned m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil(days, &y, &m, &d);
	/* Go pads the year to four digits after the sign. */
	snprintf(out, 40, "%s%04" PRId64 "-%02u-%02uT%02d:%02d:%02dZ",
	    y < 0 ? "-" : "", y < 0 ? -y : y, m, d, (int)(secs / 3600),
	    (int)(secs / 60 % 60), (int)(secs % 60));
}

enum cd_dnspersist_refusal
cd_dnspersist_check(const struct cd_dnspersist *p, const char *account,
    bool wildcard, int64_t now, char **msg)
{
	char *qa = NULL, *qb = NULL, a[40], b[40];
	enum cd_dnspersist_refusal r = CD_DNSPERSIST_OK;

	*msg = NULL;
	/* The draft: simple string comparison, no normalisation. */
	if (account != NULL && strcmp(p->account_uri, account) != 0) {
		r = CD_DNSPERSIST_ACCOUNT;
		if ((qa = cd_go_quote(account, strlen(account),
		    SIZE_MAX)) != NULL &&
		    (qb = cd_go_quote(p->account_uri,
		    strlen(p->account_uri), SIZE_MAX)) != NULL &&
		    asprintf(msg, "accounturi mismatch: expected %s, got %s",
		    qa, qb) < 0)
			*msg = NULL;
	} else if (wildcard && (p->policy == NULL ||
	    strcasecmp(p->policy, "wildcard") != 0)) {
		r = CD_DNSPERSIST_POLICY;
		if ((qb = cd_go_quote(p->policy ? p->policy : "",
		    p->policy ? strlen(p->policy) : 0, SIZE_MAX)) !=
		    NULL && asprintf(msg, "policy mismatch: expected "
		    "\"wildcard\", got %s", qb) < 0)
			*msg = NULL;
	} else if (p->has_until && p->until != GO_ZERO_TIME &&
	    now > p->until) {
		r = CD_DNSPERSIST_EXPIRED;
		cd_dnspersist_rfc3339(now, a);
		cd_dnspersist_rfc3339(p->until, b);
		if (asprintf(msg, "validation time %s is after persistUntil %s",
		    a, b) < 0)
			*msg = NULL;
	}
	free(qa);
	free(qb);
	return r;
}

void
cd_dnspersist_result_clear(struct cd_dnspersist_result *res)
{
	free(res->message);
	memset(res, 0, sizeof(*res));
}

/*
 * Appends "<lead> ... <quoted issuer>: <why>" to b, "; " between.
 * False on ENOMEM (or a message past the cap: the whole set is hostile).
 */
static bool
collect(struct cd_buf *b, const char *lead, const char *issuer,
    const char *why)
{
	char *q = cd_go_quote(issuer, strlen(issuer), SIZE_MAX);
	bool ok;

	ok = q != NULL && why != NULL &&
	    (b->len == 0 || cd_buf_add(b, "; ", 2) == CD_OK) &&
	    cd_buf_addf(b, "%s DNS-PERSIST-01 challenge TXT record with "
	    "issuer-domain-name %s: %s", lead, q, why) == CD_OK;
	free(q);
	return ok;
}

bool
cd_dnspersist_judge(char *const *txt, size_t n, const char *issuer,
    const char *account, bool wildcard, int64_t now,
    struct cd_dnspersist_result *res)
{
	struct cd_buf syntax, refused;
	struct cd_dnspersist p;
	enum cd_dnspersist_refusal r;
	bool oom = false, wf;
	char *msg;
	size_t i;

	memset(res, 0, sizeof(*res));
	cd_buf_init(&syntax, MESSAGE_MAX);
	cd_buf_init(&refused, MESSAGE_MAX);
	if (n == 0) {
		res->verdict = CD_DNSPERSIST_NO_TXT;
		res->message = strdup("No TXT record found for DNS-PERSIST-01 "
		    "challenge");
		return res->message != NULL;
	}
	res->verdict = CD_DNSPERSIST_NONE_VALID;
	for (i = 0; i < n; i++) {
		wf = cd_dnspersist_parse(txt[i], &p, &oom);
		if (p.issuer == NULL || strcmp(p.issuer, issuer) != 0) {
			cd_dnspersist_clear(&p);
			continue;
		}
		res->records++;
		if (!wf) {
			oom = oom || !collect(&syntax, "Parsing", p.issuer,
			    p.why);
			cd_dnspersist_clear(&p);
			continue;
		}
		r = cd_dnspersist_check(&p, account, wildcard, now, &msg);
		if (r == CD_DNSPERSIST_OK) {
			/*
			 * The CA stops at the first; the renewal warning
			 * wants the longest-lived of those that pass.
			 */
			if (res->verdict != CD_DNSPERSIST_VALID)
				res->until = p.until;
			res->verdict = CD_DNSPERSIST_VALID;
			if (!p.has_until || p.until == GO_ZERO_TIME)
				res->forever = true;
			else if (p.until > res->until)
				res->until = p.until;
		} else {
			if (refused.len == 0)
				res->first = r;
			oom = oom || !collect(&refused, "Checking", p.issuer,
			    msg);
		}
		free(msg);
		cd_dnspersist_clear(&p);
	}
	if (res->verdict != CD_DNSPERSIST_VALID) {
		if (syntax.len > 0) {
			res->verdict = CD_DNSPERSIST_MALFORMED;
			res->message = cd_buf_take(&syntax);
		} else if (refused.len > 0) {
			res->verdict = CD_DNSPERSIST_UNAUTHORIZED;
			res->message = cd_buf_take(&refused);
		} else {
			res->message = strdup("No valid TXT record found for "
			    "DNS-PERSIST-01 challenge");
		}
		oom = oom || res->message == NULL;
	}
	cd_buf_free(&syntax);
	cd_buf_free(&refused);
	return !oom;
}
