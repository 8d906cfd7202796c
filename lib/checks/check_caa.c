/*
 * check_caa.c - caacheck for one identifier: query CAA at every level of
 * the name in parallel (FQDN down to the TLD, as Boulder does), turn each
 * answer into what the CA makes of it, evaluate, and explain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bg.h"
#include "buf.h"
#include "caa_report.h"
#include "caview.h"
#include "ctx.h"
#include "dns.h"
#include "dnsmsg.h"
#include "err.h"
#include "jsonutil.h"
#include "nsprobe.h"
#include "report.h"
#include "timeutil.h"

struct caarun {
	const struct cd_ctx *ctx;
	struct cd_report *r;
	char *ace;		/* name without "*.", A-label */
	bool wildcard;
	char *ident;		/* as the CA writes it: "*.x" or "x" */
	char **names;		/* the levels queried */
	size_t n;
	struct cd_caa_level *lv;
	struct cd_caa_request req;
	struct cd_caa_result res;
	double dns_time;
	int64_t deadline;
	enum cd_caview_mode mode;
	size_t ca_answered;	/* levels the CA's resolver resolved */
	bool root_ok;		/* and the root answered it */
	struct cd_caa_level *stub;	/* the user's resolver, or NULL */
	bool stub_ok;		/* it answered */
};

static void
level_free(struct cd_caa_level *l)
{
	size_t i;

	for (i = 0; i < l->nrrs; i++)
		cd_caa_rr_clear(&l->rrs[i]);
	free(l->rrs);
	for (i = 0; i < l->ncnames; i++)
		free(l->cnames[i]);
	free(l->cnames);
	free(l->name);
	free(l->rcode);
	free(l->error);
	free(l->why_bogus);
}

static void
caarun_free(struct caarun *x)
{
	size_t i;

	for (i = 0; x->lv && i < x->n; i++)
		level_free(&x->lv[i]);
	free(x->lv);
	for (i = 0; x->stub && i < x->n; i++)
		level_free(&x->stub[i]);
	free(x->stub);
	for (i = 0; x->names && i < x->n; i++)
		free(x->names[i]);
	free(x->names);
	free(x->ace);
	free(x->ident);
	cd_caa_result_clear(&x->res);
}

/* The suffixes of ace, the name itself first, the TLD last. */
static cd_rc
make_levels(struct caarun *x, struct cd_err *e)
{
	const char *p = x->ace;
	size_t n = 1, i;

	for (i = 0; x->ace[i]; i++)
		n += x->ace[i] == '.';
	if ((x->names = calloc(n, sizeof(char *))) == NULL ||
	    (x->lv = calloc(n, sizeof(*x->lv))) == NULL)
		return cd_err_set(e, CD_E_NOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		if ((x->names[i] = strdup(p)) == NULL)
			return cd_err_set(e, CD_E_NOMEM, "out of memory");
		x->n++;
		if ((p = strchr(p, '.')) != NULL)
			p++;
	}
	return CD_OK;
}

/*
 * What the CA makes of one level's answer (abuf NULL: none came).  An
 * Extended DNS Error changes the CA's wording: the CA's view passes the
 * one Unbound would attach (ede >= 0), the stub view the one its server
 * sent.
 */
static cd_rc
judge_level(struct cd_caa_level *l, const char *name,
    const unsigned char *abuf, size_t len, bool timed_out, int ede,
    const char *ede_text)
{
	struct cd_dnsmsg m;
	struct cd_err e;
	char rbuf[16];
	size_t i;

	l->ede = -1;
	if (abuf == NULL) {
		l->kind = CD_CAA_LVL_ERROR;
		l->error = cd_dns_problem("CAA", name, timed_out, true, 0, -1,
		    NULL);
		return l->error ? CD_OK : CD_E_NOMEM;
	}
	if (cd_dnsmsg_parse(abuf, len, &m, &e) != CD_OK) {
		l->kind = CD_CAA_LVL_ERROR;
		if (asprintf(&l->error, "malformed response looking up CAA "
		    "for %s", name) < 0)
			l->error = NULL;
		return l->error ? CD_OK : CD_E_NOMEM;
	}
	l->ad = m.ad;
	if (ede < 0 && m.ede >= 0) {
		ede = m.ede;
		ede_text = m.ede_text;
	}
	l->rcode = strdup(cd_dns_rcode_name(m.rcode, rbuf, sizeof(rbuf)));
	if (m.tc) {
		l->kind = CD_CAA_LVL_ERROR;
		if (asprintf(&l->error, "response was truncated looking up "
		    "CAA for %s", name) < 0)
			l->error = NULL;
	} else if (m.rcode == 0) {
		l->kind = m.ncaa ? CD_CAA_LVL_RECORDS : CD_CAA_LVL_EMPTY;
	} else if (m.rcode == 3 && strchr(name, '.') != NULL) {
		/* NXDOMAIN below a TLD reads as empty: climb on. */
		l->kind = CD_CAA_LVL_EMPTY;
	} else {
		l->kind = CD_CAA_LVL_ERROR;
		l->ede = ede;
		l->error = cd_dns_problem("CAA", name, false, false,
		    (int)m.rcode, ede, ede_text);
	}
	/* Ownership of the records and aliases moves to the level. */
	l->rrs = m.caa;
	l->nrrs = m.ncaa;
	m.caa = NULL;
	m.ncaa = 0;
	if (m.ncname > 0 && (l->cnames = calloc(m.ncname,
	    sizeof(char *))) != NULL)
		for (i = 0; i < m.ncname; i++) {
			l->cnames[l->ncnames++] = m.cname_to[i];
			m.cname_to[i] = NULL;
		}
	cd_dnsmsg_clear(&m);
	return l->rcode ? CD_OK : CD_E_NOMEM;
}

/* The stub view: c-ares and the servers of --dns-server or resolv.conf. */
static cd_rc
query_stub(struct caarun *x, struct cd_caa_level *lv, struct cd_err *e)
{
	const struct cd_opts *o = &x->ctx->o;
	struct cd_dns *dns = NULL;
	struct cd_dns_reply *rep = NULL;
	int64_t start = cd_now_ms();
	size_t i, answered = 0;
	cd_rc rc;

	if ((rc = cd_dns_new_raw(o->dns_servers, o->timeout_ms, &dns,
	    e)) != CD_OK)
		return rc;
	if ((rep = calloc(x->n, sizeof(*rep))) == NULL) {
		cd_dns_free(dns);
		return cd_err_set(e, CD_E_NOMEM, "out of memory");
	}
	rc = cd_dns_query_many(dns, (const char *const *)x->names, x->n,
	    CD_DNS_T_CAA, x->deadline, rep, e);
	if (lv == x->lv)
		x->dns_time = (double)(cd_now_ms() - start) / 1000.0;
	for (i = 0; rc == CD_OK && i < x->n; i++) {
		answered += rep[i].abuf != NULL;
		lv[i].dnssec = cd_dnssec_name(CD_DNSSEC_UNCHECKED);
		if (judge_level(&lv[i], x->names[i], rep[i].abuf, rep[i].len,
		    rep[i].timed_out, -1, NULL) != CD_OK ||
		    (lv[i].name = strdup(x->names[i])) == NULL)
			rc = cd_err_set(e, CD_E_NOMEM, "out of memory");
		if (rc == CD_OK && lv[i].ad)
			lv[i].dnssec = cd_dnssec_name(CD_DNSSEC_SECURE);
	}
	for (i = 0; i < x->n; i++)
		cd_dns_reply_clear(&rep[i]);
	free(rep);
	cd_dns_free(dns);
	if (rc == CD_OK && answered == 0)
		rc = cd_err_set(e, CD_E_DNS_UNREACHABLE, "no DNS server "
		    "answered any CAA query for %s", x->ace);
	return rc;
}

/*
 * The CA's view: every level through the CA-style validating resolver,
 * and the root beside them, to tell a zone whose servers fail (the CA
 * refuses) from a host that reaches no DNS server at all.
 */
static cd_rc
query_ca(struct caarun *x, struct cd_err *e)
{
	struct cd_caview *v = NULL;
	struct cd_caview_answer *a = NULL;
	const char **names = NULL;
	int *types = NULL;
	int64_t start = cd_now_ms();
	size_t i, answered = 0;
	cd_rc rc;

	if ((rc = cd_ctx_caview(x->ctx, true, &v, e)) != CD_OK)
		return rc;
	if ((a = calloc(x->n + 1, sizeof(*a))) == NULL ||
	    (names = calloc(x->n + 1, sizeof(*names))) == NULL ||
	    (types = calloc(x->n + 1, sizeof(*types))) == NULL) {
		rc = cd_err_set(e, CD_E_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < x->n; i++) {
		names[i] = x->names[i];
		types[i] = CD_DNS_T_CAA;
	}
	names[x->n] = ".";
	types[x->n] = CD_DNS_T_NS;
	rc = cd_caview_query_types(v, names, types, 0, x->n + 1, x->deadline,
	    a, e);
	x->dns_time = (double)(cd_now_ms() - start) / 1000.0;
	for (i = 0; rc == CD_OK && i < x->n; i++) {
		/* A resolver that gave up (SERVFAIL) did answer. */
		answered += a[i].answered && (a[i].rcode != 2 ||
		    a[i].dnssec == CD_DNSSEC_BOGUS);
		x->lv[i].dnssec = cd_dnssec_name(a[i].dnssec);
		if (judge_level(&x->lv[i], x->names[i], a[i].pkt, a[i].len,
		    a[i].timed_out, a[i].ede, a[i].ede_text) != CD_OK ||
		    (x->lv[i].name = strdup(x->names[i])) == NULL ||
		    (a[i].why_bogus && (x->lv[i].why_bogus =
		    strdup(a[i].why_bogus)) == NULL))
			rc = cd_err_set(e, CD_E_NOMEM, "out of memory");
	}
	x->ca_answered = answered;
	x->root_ok = a[x->n].answered && a[x->n].rcode == 0;
out:
	for (i = 0; a && i <= x->n; i++)
		cd_caview_answer_clear(&a[i]);
	free(a);
	free(names);
	free(types);
	return rc;
}

static json_t *
records_json(const struct cd_caa_level *l)
{
	json_t *a = json_array(), *o;
	size_t i;

	for (i = 0; a && i < l->nrrs; i++) {
		if ((o = json_object()) == NULL)
			continue;
		cd_json_setk(o, CD_K_FLAGS, json_integer(l->rrs[i].flags));
		cd_json_setk(o, CD_K_TAG, cd_json_str(l->rrs[i].tag));
		cd_json_setk(o, CD_K_VALUE, cd_json_str(l->rrs[i].value));
		cd_json_setk(o, CD_K_CRITICAL,
		    json_boolean((l->rrs[i].flags & 128) != 0));
		cd_json_push(a, o);
	}
	return a;
}

/*
 * The user's own resolver, beside the CA's: a short deadline of its
 * own, since a resolver that does not answer only loses the comparison.
 */
struct stubjob {
	struct caarun y;	/* a copy: the CA's view writes the original */
	bool ok;
};

static void *
stub_main(void *arg)
{
	struct stubjob *j = arg;
	struct cd_err e;

	j->ok = query_stub(&j->y, j->y.stub, &e) == CD_OK;
	return NULL;
}

/*
 * A level's answer in a few words, to compare and to show: records in a
 * fixed order, since resolvers may return a set in any order.
 */
static char *
level_words(const struct cd_caa_level *l)
{
	char **v, *s;
	size_t i;

	if (l->kind == CD_CAA_LVL_ERROR)
		return strdup(l->rcode ? l->rcode : "no answer");
	if (l->kind == CD_CAA_LVL_EMPTY)
		return strdup("no CAA records");
	if ((v = calloc(l->nrrs, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < l->nrrs; i++)
		v[i] = cd_caa_rr_text(&l->rrs[i]);
	s = cd_join_sorted(v, l->nrrs);
	for (i = 0; i < l->nrrs; i++)
		free(v[i]);
	free(v);
	return s;
}

/*
 * resolver_disagrees for the first level where the two views differ,
 * and the user's view beside the CA's in that level's detail.
 */
static void
compare_views(struct caarun *x, json_t *levels)
{
	char *ca, *mine;
	bool said = false;
	size_t i;

	for (i = 0; i < x->n; i++) {
		ca = level_words(&x->lv[i]);
		mine = level_words(&x->stub[i]);
		if (ca && mine && strcmp(ca, mine) != 0) {
			cd_json_setk(json_array_get(levels, i),
			    CD_K_YOUR_RESOLVER, cd_json_str(mine));
			if (!said)
				cd_report_add(x->r, CD_P_RESOLVER_DISAGREES,
				    x->lv[i].why_bogus ? "your resolver does "
				    "not validate DNSSEC (or was told to "
				    "trust this zone): the CA does, and "
				    "refuses" : "split-horizon DNS, a stale "
				    "cache or a forwarder: the CA sees what "
				    "the Internet's authoritative servers "
				    "say", "your resolver (%s) says %s CAA: "
				    "%s; the CA's resolver says: %s",
				    x->ctx->o.dns_servers ? x->ctx->o.dns_servers :
				    "/etc/resolv.conf", x->names[i], mine, ca);
			said = true;
		}
		free(ca);
		free(mine);
	}
}

static json_t *
ede_json(int code)
{
	json_t *o = json_object();
	char buf[48];

	cd_json_setk(o, CD_K_CODE, json_integer(code));
	cd_json_setk(o, CD_K_SUMMARY, cd_json_str(cd_ede_summary(code, buf,
	    sizeof(buf))));
	return o;
}

static void
add_detail(struct caarun *x)
{
	json_t *d = x->r->detail, *levels = json_array(), *cn = json_array();
	const struct cd_caa_level *rel = NULL, *l;
	static const char *const kinds[] = {"empty", "records", "error"};
	static const char *const verdicts[] = {"allowed", "refused",
	    "refused"};
	json_t *o;
	size_t i;

	if (x->res.found >= 0)
		rel = &x->lv[x->res.found];
	else if (x->res.error_level >= 0)
		rel = &x->lv[x->res.error_level];
	for (i = 0; rel && i < rel->ncnames; i++)
		cd_json_push(cn, cd_json_str(rel->cnames[i]));
	for (i = 0; levels && i < x->n; i++) {
		l = &x->lv[i];
		if ((o = json_object()) == NULL)
			continue;
		cd_json_setk(o, CD_K_NAME, cd_json_str(l->name));
		cd_json_setk(o, CD_K_RCODE, cd_json_str(l->rcode));
		cd_json_setk(o, CD_K_RESULT, cd_json_str(kinds[l->kind]));
		cd_json_setk(o, CD_K_RECORDS,
		    json_integer((json_int_t)l->nrrs));
		if (l->error)
			cd_json_setk(o, CD_K_ERROR, cd_json_str(l->error));
		cd_json_setk(o, CD_K_DNSSEC, cd_json_str(l->dnssec));
		if (l->why_bogus)
			cd_json_setk(o, CD_K_WHY_BOGUS,
			    cd_json_str(l->why_bogus));
		if (l->ede >= 0)
			cd_json_setk(o, CD_K_EDE, ede_json(l->ede));
		cd_json_push(levels, o);
	}
	cd_json_setk(d, CD_K_CA, cd_json_str(x->req.issuer));
	cd_json_setk(d, CD_K_IDENTIFIER, cd_json_str(x->ident));
	cd_json_set_unicode(d, CD_K_IDENTIFIER_UNICODE, x->ident);
	cd_json_setk(d, CD_K_WILDCARD, json_boolean(x->wildcard));
	cd_json_setk(d, CD_K_METHOD, cd_json_str(x->req.method));
	cd_json_setk(d, CD_K_ACCOUNT_URI, cd_json_str(x->req.account_uri));
	cd_json_setk(d, CD_K_RELEVANT_NAME, x->res.found >= 0 ?
	    cd_json_str(x->lv[x->res.found].name) : json_null());
	if (x->res.found >= 0)
		cd_json_set_unicode(d, CD_K_RELEVANT_NAME_UNICODE,
		    x->lv[x->res.found].name);
	cd_json_setk(d, CD_K_CNAME_CHAIN, cn);
	cd_json_setk(d, CD_K_RECORDS, x->res.found >= 0 ?
	    records_json(&x->lv[x->res.found]) : json_array());
	cd_json_setk(d, CD_K_VERDICT, cd_json_str(verdicts[x->res.verdict]));
	cd_json_setk(d, CD_K_REASON, cd_json_str(x->res.reason));
	cd_json_setk(d, CD_K_LEVELS, levels);
	cd_json_setk(d, CD_K_DNS_TIME, json_real(x->dns_time));
}

cd_rc
cd_caacheck_run(const struct cd_ctx *ctx, const char *domain,
    struct cd_report **out, struct cd_err *err)
{
	struct caarun x;
	struct cd_err e;
	struct cd_nsprobe_job *job = NULL;
	struct cd_nsprobe *probe = NULL;
	struct stubjob sj;
	struct cd_bg stub_bg = {0};
	size_t before;
	ssize_t el;
	double zero = 0, nrec;
	cd_rc rc;

	memset(&x, 0, sizeof(x));
	memset(&e, 0, sizeof(e));
	x.ctx = ctx;
	if ((rc = cd_report_new("CAA", domain, &x.r, err)) != CD_OK)
		return rc;
	x.r->policy = &ctx->policy;
	if (cd_ip_identifier_parse(domain, &x.ace, &e) == CD_OK) {
		/* Boulder checks CAA for DNS identifiers only. */
		cd_report_add(x.r, CD_P_CHECK_ERROR, NULL, "%s is an IP "
		    "address: the CA checks no CAA for it", domain);
		rc = CD_OK;
		goto done;
	}
	if ((rc = cd_domain_parse(domain, true, &x.ace, &x.wildcard,
	    &e)) != CD_OK) {
		cd_report_add(x.r, CD_P_CHECK_ERROR, NULL, "%s", e.msg);
		goto done;
	}
	if (asprintf(&x.ident, "%s%s", x.wildcard ? "*." : "", x.ace) < 0) {
		x.ident = NULL;
		rc = CD_E_NOMEM;
		goto done;
	}
	x.req.identifier = x.ident;
	x.req.issuer = ctx->o.ca;
	x.req.account_uri = ctx->o.account_uri;
	x.req.method = ctx->o.method;
	if ((rc = make_levels(&x, &e)) != CD_OK)
		goto done;
	x.deadline = cd_deadline_in(ctx->o.timeout_ms);
	x.mode = cd_caview_mode_of(ctx);
	/* The servers are asked while the CA's resolver works. */
	if (x.mode == CD_CAVIEW_RECURSIVE) {
		job = cd_nsprobe_start(ctx, x.ace, CD_DNS_T_CAA, x.deadline);
		if ((x.stub = calloc(x.n, sizeof(*x.stub))) != NULL) {
			sj.y = x;
			sj.y.deadline = cd_deadline_in(2000) < x.deadline ?
			    cd_deadline_in(2000) : x.deadline;
			cd_bg_run(&stub_bg, stub_main, &sj);
		}
	}
	rc = x.mode == CD_CAVIEW_RECURSIVE ? query_ca(&x, &e) :
	    query_stub(&x, x.lv, &e);
	cd_bg_wait(&stub_bg);
	x.stub_ok = stub_bg.ran && sj.ok;
	probe = cd_nsprobe_join(job);
	job = NULL;
	if (rc == CD_OK && x.mode == CD_CAVIEW_RECURSIVE &&
	    x.ca_answered == 0 && !x.root_ok)
		rc = cd_err_set(&e, CD_E_DNS_UNREACHABLE, "the CA's view of "
		    "DNS could not be made: no root or authoritative server "
		    "answered for %s", x.ace);
	if (rc != CD_OK) {
		if (x.mode == CD_CAVIEW_RECURSIVE && rc == CD_E_DNS_UNREACHABLE)
			cd_report_add(x.r, CD_P_CA_VIEW_UNAVAILABLE, "this host "
			    "must reach the Internet's DNS servers on port 53 "
			    "(UDP and TCP); behind a firewall, use --no-ca-view "
			    "(blind to DNSSEC and nameserver faults) or "
			    "--dns-server", "%s", e.msg);
		else
			cd_report_add(x.r, rc == CD_E_DNS_UNREACHABLE ?
			    CD_P_DNS_UNREACHABLE : CD_P_CHECK_ERROR, "check "
			    "--dns-server or /etc/resolv.conf", "%s", e.msg);
		if (rc != CD_E_NOMEM)
			rc = CD_OK;
		cd_json_setk(x.r->detail, CD_K_VERDICT, cd_json_str("unknown"));
		cd_caview_describe(x.r, ctx);
		goto done;
	}
	if ((rc = cd_caa_evaluate(&x.req, x.lv, x.n, &x.res, &e)) != CD_OK)
		goto done;
	add_detail(&x);
	cd_caa_explain(x.r, x.lv, &x.req, &x.res);
	if (x.res.error_level >= 0 && x.lv[x.res.error_level].why_bogus)
		cd_caview_bogus(x.r, "CAA", x.lv[x.res.error_level].name,
		    x.lv[x.res.error_level].ede,
		    x.lv[x.res.error_level].why_bogus);
	cd_caa_rfc_notes(x.r, x.lv, &x.res);
	if (x.res.found >= 0)
		cd_caa_lint(x.r, &x.lv[x.res.found], &x.req);
	/*
	 * A parent level in a zone of its own decided with an error: its
	 * servers are the ones to explain, not those of the name's zone.
	 */
	if (probe != NULL && x.res.error_level > 0 &&
	    !cd_nsprobe_covers(probe, x.lv[x.res.error_level].name)) {
		cd_nsprobe_free(probe);
		probe = NULL;
		cd_nsprobe_run(ctx, x.lv[x.res.error_level].name, CD_DNS_T_CAA,
		    x.deadline, &probe, NULL);
	}
	if (probe != NULL) {
		before = x.r->nprobs;
		cd_nsprobe_report(probe, x.res.verdict == CD_CAA_DNS_REFUSED,
		    false, x.r);
		/*
		 * The zone's own servers are fine, yet the CA's lookup failed
		 * (not DNSSEC): the resolver asked the parent's servers first,
		 * before it knew of the delegation.  Ask them the same.
		 */
		el = x.res.error_level;
		if (x.r->nprobs == before && el >= 0 &&
		    x.lv[el].why_bogus == NULL && strchr(x.lv[el].name, '.')) {
			cd_nsprobe_free(probe);
			probe = NULL;
			cd_nsprobe_run_in(ctx, strchr(x.lv[el].name, '.') + 1,
			    x.lv[el].name, CD_DNS_T_CAA, x.deadline, &probe,
			    NULL);
			if (probe != NULL)
				cd_nsprobe_report(probe, true, false, x.r);
		}
	}
	if (x.stub_ok)
		compare_views(&x, cd_json_getk(x.r->detail, CD_K_LEVELS));
	nrec = x.res.found >= 0 ? (double)x.lv[x.res.found].nrrs : 0;
	cd_report_perf(x.r, "records", nrec, "", NULL, NULL, &zero);
	cd_report_perf(x.r, "dns_time", x.dns_time, "s", NULL, NULL, &zero);
	/* After the verdict: the first problem is the one that decides. */
	cd_caview_describe(x.r, ctx);
done:
	cd_nsprobe_free(cd_nsprobe_join(job));
	cd_nsprobe_free(probe);
	caarun_free(&x);
	if (rc == CD_E_NOMEM || x.r->oom) {
		cd_report_free(x.r);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	*out = x.r;
	return CD_OK;
}
