/*
 * check_dns01.c - dns01check for one identifier: the TXT set at the
 * challenge name as the CA's resolver sees it (CNAMEs followed), the
 * CA's verdict in its words (dns-01, dns-account-01, dns-persist-01),
 * and every authoritative server of the zone that holds the final name
 * asked directly, since the CA's resolvers, from several places, each
 * pick one at random.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "caview.h"
#include "ctx.h"
#include "dns.h"
#include "dns01.h"
#include "escape.h"
#include "dnsmsg.h"
#include "dnspersist.h"
#include "err.h"
#include "jsonutil.h"
#include "nsprobe.h"
#include "nsprobe_int.h"
#include "report.h"
#include "viewlookup.h"
#include "timeutil.h"

struct dnsrun {
	const struct cd_ctx *ctx;
	struct cd_report *r;
	char *ace;
	bool wildcard;
	bool account;		/* dns-account-01 */
	bool persist;		/* dns-persist-01 */
	char *issuer;		/* dns-persist-01: the CA's, normalised */
	int64_t now;		/* dns-persist-01: the validation time */
	char *challenge;	/* the name the CA queries */
	char *expected;		/* the TXT value, or NULL */
	int64_t deadline;
	struct cd_view_answer a;	/* the CA's view of challenge TXT */
	double dns_time;
};

static void
dnsrun_free(struct dnsrun *x)
{
	free(x->ace);
	free(x->challenge);
	free(x->issuer);
	free(x->expected);
	cd_view_answer_clear(&x->a);
}

/* The name after the CNAME chain. */
static const char *
final_name(const struct dnsrun *x)
{
	return x->a.parsed && x->a.m.ncname > 0 ? x->a.m.cname_to[x->a.m.ncname - 1] :
	    x->challenge;
}

static bool
has_value(char *const *txt, size_t n, const char *want)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(txt[i], want) == 0)
			return true;
	return false;
}

/* The answer of the CA's view (or, without one, the stub resolver). */
static cd_rc
lookup(struct dnsrun *x, struct cd_err *e)
{
	int64_t start = cd_now_ms();
	cd_rc rc;

	rc = cd_view_lookup(x->ctx, x->challenge, CD_DNS_T_TXT, x->deadline,
	    &x->a, e);
	x->dns_time = (double)(cd_now_ms() - start) / 1000.0;
	return rc;
}

/* dns-account-01 adds the account to the CA's unauthorized errors. */
static void
add_unauthorized(struct dnsrun *x, enum cd_prob code, const char *hint,
    const char *msg)
{
	char *q;

	if (!x->account) {
		cd_report_add(x->r, code, hint, "%s", msg);
		return;
	}
	if ((q = cd_go_quote(x->ctx->o.account_uri,
	    strlen(x->ctx->o.account_uri), SIZE_MAX)) == NULL) {
		x->r->oom = true;
		return;
	}
	cd_report_add(x->r, code, hint, "%s (account: %s)", msg, q);
	free(q);
}

/* Is there anything to judge the TXT set against? */
static bool
judged(const struct dnsrun *x)
{
	return x->persist || x->expected != NULL;
}

/* Would this TXT set pass the challenge? */
static bool
passes(struct dnsrun *x, char *const *txt, size_t n)
{
	struct cd_dnspersist_result res;
	bool ok;

	if (!x->persist)
		return x->expected != NULL && has_value(txt, n, x->expected);
	if (!cd_dnspersist_judge(txt, n, x->issuer, x->ctx->o.account_uri,
	    x->wildcard, x->now, &res))
		x->r->oom = true;
	ok = res.verdict == CD_DNSPERSIST_VALID;
	cd_dnspersist_result_clear(&res);
	return ok;
}

#define HINT_PUBLISH "publish the TXT record (at the CNAME's target, if " \
	"the name is one) and let it reach every server"

/*
 * The CA's lookup failed.  NXDOMAIN is a failure to the CA too (only
 * CAA reads it as empty), but before the client publishes it is the
 * normal state, so it counts only when there is something to find.
 */
static bool
judge_error(struct dnsrun *x)
{
	bool nx = x->a.parsed && !x->a.m.tc && x->a.rcode == 3;
	enum cd_prob code = CD_P_DNS01_DNS_ERROR;
	const char *hint = "see the nameserver and DNSSEC findings: the CA's "
	    "resolver must get an answer";
	char *p;

	if (nx && !judged(x))
		return true;
	p = !x->a.parsed && x->a.answered ? NULL : cd_dns_problem("TXT",
	    x->challenge, x->a.timed_out, !x->a.answered, x->a.rcode, x->a.ede,
	    x->a.ede_text);
	if (p == NULL && x->a.answered && asprintf(&p, "malformed response "
	    "looking up TXT for %s", x->challenge) < 0)
		p = NULL;
	if (nx) {
		code = x->persist ? CD_P_DNSPERSIST_NO_RECORD :
		    CD_P_DNS01_NO_TXT;
		hint = HINT_PUBLISH;
	}
	cd_report_add(x->r, code, hint, "%sDNS problem: %s", x->persist ?
	    "Retrieving TXT records for DNS-PERSIST-01 challenge: " : "",
	    p ? p : "lookup failed");
	free(p);
	if (x->a.why_bogus)
		cd_caview_bogus(x->r, "TXT", x->challenge, x->a.ede,
		    x->a.why_bogus);
	return false;
}

/* dns-persist-01: the CA's walk over the set, then the renewal window. */
static bool
judge_persist(struct dnsrun *x)
{
	static const enum cd_prob refusal[] = {
		[CD_DNSPERSIST_OK] = CD_P_DNSPERSIST_ACCOUNT_MISMATCH,
		[CD_DNSPERSIST_ACCOUNT] = CD_P_DNSPERSIST_ACCOUNT_MISMATCH,
		[CD_DNSPERSIST_POLICY] = CD_P_DNSPERSIST_POLICY_MISMATCH,
		[CD_DNSPERSIST_EXPIRED] = CD_P_DNSPERSIST_EXPIRED,
	};
	struct cd_dnspersist_result res;
	const int64_t window = (int64_t)CD_DNSPERSIST_RENEWAL_DAYS * 86400;
	char when[40];
	bool ok = false;

	if (!cd_dnspersist_judge(x->a.m.txt, x->a.m.ntxt, x->issuer,
	    x->ctx->o.account_uri, x->wildcard, x->now, &res)) {
		x->r->oom = true;
		return false;
	}
	switch (res.verdict) {
	case CD_DNSPERSIST_VALID:
		ok = true;
		if (res.forever || res.until >= x->now + window)
			break;
		cd_dnspersist_rfc3339(res.until, when);
		cd_report_add_sev(x->r, CD_P_DNSPERSIST_EXPIRED, CD_ST_WARNING,
		    "set persistUntil later (or drop it) before then",
		    "the record authorizes the account only until %s "
		    "(persistUntil), %lld days from now: a certificate "
		    "issued now lives %d days, and its renewal will be "
		    "refused", when, (long long)((res.until - x->now) / 86400),
		    CD_DNSPERSIST_RENEWAL_DAYS);
		break;
	case CD_DNSPERSIST_NO_TXT:
	case CD_DNSPERSIST_NONE_VALID:
		cd_report_add(x->r, CD_P_DNSPERSIST_NO_RECORD, "publish "
		    "\"<CA>; accounturi=<your account URI>\" at the name "
		    "(with \"; policy=wildcard\" for wildcard names); the CA "
		    "reads only records naming its own issuer domain",
		    "%s", res.message);
		break;
	case CD_DNSPERSIST_MALFORMED:
		cd_report_add(x->r, CD_P_DNSPERSIST_MALFORMED, "write the "
		    "record as \"issuer; accounturi=URI[; policy=wildcard]"
		    "[; persistUntil=SECONDS]\": no empty or repeated "
		    "parameter, no trailing \";\"", "%s", res.message);
		break;
	case CD_DNSPERSIST_UNAUTHORIZED:
		cd_report_add(x->r, refusal[res.first],
		    res.first == CD_DNSPERSIST_ACCOUNT ? "the accounturi must "
		    "be the ACME account URI of the client that orders, "
		    "byte for byte" : res.first == CD_DNSPERSIST_POLICY ?
		    "add \"; policy=wildcard\" to the record to allow "
		    "wildcard names" : "set persistUntil to a later time, "
		    "or drop it", "%s", res.message);
		break;
	}
	cd_dnspersist_result_clear(&res);
	return ok;
}

/* The CA's verdict on its view; true when it would validate. */
static bool
judge(struct dnsrun *x)
{
	char *msg = NULL, *q, more[48] = "";

	if (!x->a.parsed || x->a.m.tc || x->a.rcode != 0)
		return judge_error(x);
	if (x->persist)
		return judge_persist(x);
	if (x->expected == NULL)
		return true;
	if (x->a.m.ntxt == 0) {
		if (asprintf(&msg, "No TXT record found at %s",
		    x->challenge) >= 0) {
			add_unauthorized(x, CD_P_DNS01_NO_TXT, HINT_PUBLISH,
			    msg);
			free(msg);
		}
		return false;
	}
	if (has_value(x->a.m.txt, x->a.m.ntxt, x->expected))
		return true;
	if (x->a.m.ntxt > 1)
		snprintf(more, sizeof(more), " (and %zu more)", x->a.m.ntxt - 1);
	if ((q = cd_dns01_quote(x->a.m.txt[0])) != NULL &&
	    asprintf(&msg, "Incorrect TXT record %s%s found at %s", q, more,
	    x->challenge) >= 0) {
		add_unauthorized(x, CD_P_DNS01_WRONG_TXT, "publish the digest "
		    "of this order's key authorization", msg);
		free(msg);
	}
	free(q);
	return false;
}

static const char *
rcode_name(int rcode, char *buf, size_t len)
{
	return rcode < 0 ? NULL : cd_dns_rcode_name((unsigned)rcode, buf, len);
}

static json_t *
strv_json(char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		cd_json_push(a, cd_json_str(v[i]));
	return a;
}

static json_t *
servers_json(const struct cd_nsprobe *p)
{
	json_t *a = json_array(), *o;
	char rb[16];
	size_t i;

	for (i = 0; p && i < p->n; i++) {
		const struct cd_ns_server *s = &p->s[i];

		if ((o = json_object()) == NULL)
			continue;
		cd_json_setk(o, CD_K_NAME, cd_json_str(s->ns));
		cd_json_setk(o, CD_K_ADDRESS, cd_json_str(s->addr));
		cd_json_setk(o, CD_K_RCODE, s->q_rcode < 0 ? json_null() :
		    cd_json_str(rcode_name(s->q_rcode, rb, sizeof(rb))));
		cd_json_setk(o, CD_K_TXT, strv_json(s->q_txt, s->q_ntxt));
		cd_json_setk(o, CD_K_AA, json_boolean(s->q_aa));
		cd_json_push(a, o);
	}
	return a;
}

/*
 * Propagation: with the value published somewhere (the CA's view or
 * any server), every server that answers without it fails the CA's
 * resolver whenever that resolver picks it.
 */
static void
propagation(struct dnsrun *x, const struct cd_nsprobe *p, bool ca_has)
{
	bool any = ca_has;
	size_t i;

	if (!judged(x) || p == NULL)
		return;
	for (i = 0; i < p->n && !any; i++)
		any = p->s[i].q_rcode >= 0 && passes(x, p->s[i].q_txt,
		    p->s[i].q_ntxt);
	if (!any)
		return;
	for (i = 0; i < p->n; i++) {
		const struct cd_ns_server *s = &p->s[i];

		if (s->q_rcode < 0 || passes(x, s->q_txt, s->q_ntxt))
			continue;
		cd_report_add(x->r, CD_P_DNS01_NOT_PROPAGATED, "wait until "
		    "every server of the zone serves the record (zone "
		    "transfer, NOTIFY, the provider's propagation) before "
		    "asking the CA to validate", "nameserver %s (%s) of %s "
		    "does not serve %s at %s: it answers %s", s->ns, s->addr,
		    p->zone ? p->zone : "?", x->persist ? "a dns-persist-01 "
		    "record that passes" : "the value", p->name,
		    s->q_set ? s->q_set : "nothing");
	}
}

/* dns-persist-01: each TXT record as the CA reads it. */
static json_t *
persist_json(struct dnsrun *x)
{
	json_t *a = json_array(), *o;
	struct cd_dnspersist p;
	char when[40];
	bool wf, oom = false;
	size_t i;

	for (i = 0; x->a.parsed && i < x->a.m.ntxt; i++) {
		if ((o = json_object()) == NULL)
			continue;
		wf = cd_dnspersist_parse(x->a.m.txt[i], &p, &oom);
		cd_json_setk(o, CD_K_TXT, cd_json_str(x->a.m.txt[i]));
		cd_json_setk(o, CD_K_ISSUER, p.issuer ? cd_json_str(p.issuer) :
		    json_null());
		cd_json_setk(o, CD_K_FOR_THIS_CA, json_boolean(p.issuer &&
		    strcmp(p.issuer, x->issuer) == 0));
		cd_json_setk(o, CD_K_ACCOUNTURI, p.account_uri ?
		    cd_json_str(p.account_uri) : json_null());
		cd_json_setk(o, CD_K_POLICY, p.policy ? cd_json_str(p.policy) :
		    json_null());
		if (p.has_until)
			cd_dnspersist_rfc3339(p.until, when);
		cd_json_setk(o, CD_K_PERSIST_UNTIL, p.has_until ?
		    cd_json_str(when) : json_null());
		cd_json_setk(o, CD_K_ERROR, wf ? json_null() :
		    cd_json_str(p.why ? p.why : "malformed"));
		cd_json_push(a, o);
		cd_dnspersist_clear(&p);
	}
	if (oom)
		x->r->oom = true;
	return a;
}

static void
add_detail(struct dnsrun *x, const struct cd_nsprobe *p, bool valid)
{
	json_t *d = x->r->detail, *cn = json_array();
	char rb[16];
	size_t i;

	for (i = 0; x->a.parsed && i < x->a.m.ncname; i++)
		cd_json_push(cn, cd_json_str(x->a.m.cname_to[i]));
	cd_json_setk(d, CD_K_METHOD, cd_json_str(x->persist ? "dns-persist-01" :
	    x->account ? "dns-account-01" : "dns-01"));
	cd_json_setk(d, CD_K_CHALLENGE_NAME, cd_json_str(x->challenge));
	cd_json_setk(d, CD_K_CNAME_CHAIN, cn);
	cd_json_setk(d, CD_K_RCODE, x->a.rcode < 0 ? json_null() :
	    cd_json_str(rcode_name(x->a.rcode, rb, sizeof(rb))));
	cd_json_setk(d, CD_K_DNSSEC, cd_json_str(cd_dnssec_name(x->a.dnssec)));
	cd_json_setk(d, CD_K_TXT,
	    x->a.parsed ? strv_json(x->a.m.txt, x->a.m.ntxt) :
	    json_array());
	cd_json_setk(d, CD_K_SERVERS, servers_json(p));
	cd_json_setk(d, CD_K_EXPECTED, x->expected ? cd_json_str(x->expected) :
	    json_null());
	if (x->persist) {
		cd_json_setk(d, CD_K_ISSUER, cd_json_str(x->issuer));
		cd_json_setk(d, CD_K_ACCOUNT_URI, x->ctx->o.account_uri ?
		    cd_json_str(x->ctx->o.account_uri) : json_null());
		cd_json_setk(d, CD_K_RECORDS, persist_json(x));
	}
	/* dns-persist-01 without the account: all but one rule checked. */
	/*
	 * A server without the value fails whichever perspective picks it:
	 * the verdict is the CA's over all of them, not this one lookup's.
	 */
	if (cd_report_has(x->r, CD_P_DNS01_NOT_PROPAGATED))
		valid = false;
	cd_json_setk(d, CD_K_VERDICT, cd_json_str(!judged(x) || (valid &&
	    x->persist && x->ctx->o.account_uri == NULL) ? "unchecked" :
	    valid ? "valid" : "invalid"));
	cd_json_setk(d, CD_K_DNS_TIME, json_real(x->dns_time));
}

static void
ok_summary(struct dnsrun *x)
{
	size_t n = x->a.parsed ? x->a.m.ntxt : 0;

	if (x->persist && x->ctx->o.account_uri == NULL)
		cd_report_ok_summary(x->r, "%s holds a dns-persist-01 record "
		    "for %s that the CA would accept for its account (give "
		    "--account-uri to check it is yours)", x->challenge,
		    x->issuer);
	else if (x->persist)
		cd_report_ok_summary(x->r, "the CA would find a dns-persist-01 "
		    "record for %s authorizing %s at %s", x->issuer,
		    x->ctx->o.account_uri, x->challenge);
	else if (x->expected)
		cd_report_ok_summary(x->r, "the CA would find the TXT value at "
		    "%s", x->challenge);
	else
		cd_report_ok_summary(x->r, "%s resolves cleanly (%zu TXT "
		    "record%s)", x->challenge, n, n == 1 ? "" : "s");
}

/* The options into the run: method, value, challenge name. */
static bool
setup(struct dnsrun *x, const char *domain)
{
	const struct cd_opts *o = &x->ctx->o;
	struct cd_err e;

	memset(&e, 0, sizeof(e));
	if (cd_ip_identifier_parse(domain, &x->ace, &e) == CD_OK) {
		cd_report_add(x->r, CD_P_CHECK_ERROR, "validate an IP address "
		    "with http-01 or tls-alpn-01", "%s is an IP address: the "
		    "DNS challenges validate domain names only", domain);
		return false;
	}
	if (cd_domain_parse(domain, true, &x->ace, &x->wildcard, &e) !=
	    CD_OK) {
		cd_report_add(x->r, CD_P_CHECK_ERROR, NULL, "%s", e.msg);
		return false;
	}
	x->account = o->method && strcmp(o->method, "dns-account-01") == 0;
	x->persist = o->method && strcmp(o->method, "dns-persist-01") == 0;
	if (o->method && !x->account && !x->persist &&
	    strcmp(o->method, "dns-01") != 0 &&
	    strcmp(o->method, "http-01") != 0) {
		cd_report_add(x->r, CD_P_CHECK_ERROR, NULL, "method %s is not "
		    "supported yet", o->method);
		return false;
	}
	if (x->account && (o->account_uri == NULL || *o->account_uri ==
	    '\0')) {
		cd_report_add(x->r, CD_P_CHECK_ERROR, NULL, "dns-account-01 "
		    "needs the account URI");
		return false;
	}
	if (x->persist) {
		x->now = (int64_t)time(NULL);
		if ((x->issuer = cd_dnspersist_issuer(o->ca ? o->ca :
		    "letsencrypt.org")) == NULL) {
			cd_report_add(x->r, CD_P_CHECK_ERROR, NULL, "--ca %s: "
			    "not an issuer domain name", o->ca);
			return false;
		}
		if (asprintf(&x->challenge, CD_DNSPERSIST_PREFIX ".%s",
		    x->ace) < 0) {
			x->challenge = NULL;
			x->r->oom = true;
		}
		return x->challenge != NULL;
	}
	x->challenge = cd_dns01_challenge_name(x->ace, x->account ?
	    o->account_uri : NULL);
	if (o->key_authorization != NULL)
		x->expected = cd_dns01_digest(o->key_authorization);
	else if (o->expect != NULL)
		x->expected = strdup(o->expect);
	if (x->challenge == NULL || ((o->key_authorization || o->expect) &&
	    x->expected == NULL))
		x->r->oom = true;
	return x->challenge != NULL;
}

cd_rc
cd_dns01check_run(const struct cd_ctx *ctx, const char *domain,
    struct cd_report **out, struct cd_err *err)
{
	struct dnsrun x;
	struct cd_err e;
	struct cd_nsprobe *probe = NULL;
	bool valid = false, ca_has;
	double zero = 0;
	cd_rc rc;

	memset(&x, 0, sizeof(x));
	memset(&e, 0, sizeof(e));
	x.ctx = ctx;
	x.a.rcode = -1;
	if ((rc = cd_report_new("DNS01", domain, &x.r, err)) != CD_OK)
		return rc;
	x.r->policy = &ctx->policy;
	if (!setup(&x, domain))
		goto done;
	x.deadline = cd_deadline_in(ctx->o.timeout_ms);
	if ((rc = lookup(&x, &e)) != CD_OK) {
		if (rc == CD_E_NOMEM)
			goto done;
		cd_report_add(x.r, rc == CD_E_DNS_UNREACHABLE ?
		    CD_P_DNS_UNREACHABLE : CD_P_CHECK_ERROR, "check "
		    "--dns-server, --root-hints or /etc/resolv.conf", "%s",
		    e.msg);
		cd_json_setk(x.r->detail, CD_K_VERDICT, cd_json_str("unknown"));
		cd_caview_describe(x.r, ctx);
		rc = CD_OK;
		goto done;
	}
	valid = judge(&x);
	ca_has = x.a.parsed && x.a.rcode == 0 && passes(&x, x.a.m.txt, x.a.m.ntxt);
	/* A delegation whose target does not exist: nothing to publish. */
	if (x.a.parsed && x.a.m.ncname > 0 && x.a.rcode == 3)
		cd_report_add(x.r, CD_P_DNS01_CNAME_DANGLING, "point the CNAME "
		    "at the name your DNS delegation service gave, or create "
		    "that name", "%s is a CNAME to %s, which does not exist "
		    "(NXDOMAIN)", x.challenge, final_name(&x));
	if (cd_caview_mode_of(ctx) == CD_CAVIEW_RECURSIVE) {
		cd_nsprobe_run(ctx, final_name(&x), CD_DNS_T_TXT, x.deadline,
		    &probe, NULL);
		propagation(&x, probe, ca_has);
	}
	add_detail(&x, probe, valid);
	if (probe != NULL)
		cd_nsprobe_report(probe, !valid && judged(&x),
		    cd_report_has(x.r, CD_P_DNS01_NOT_PROPAGATED), x.r);
	ok_summary(&x);
	cd_report_perf(x.r, "records", x.a.parsed ? (double)x.a.m.ntxt : 0, "",
	    NULL, NULL, &zero);
	cd_report_perf(x.r, "dns_time", x.dns_time, "s", NULL, NULL, &zero);
	cd_caview_describe(x.r, ctx);
done:
	cd_nsprobe_free(probe);
	dnsrun_free(&x);
	if (rc == CD_E_NOMEM || x.r->oom) {
		cd_report_free(x.r);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	*out = x.r;
	return CD_OK;
}
