/*
 * nsprobe.c - find the zone of a name and the addresses of its servers
 * (through the CA-style resolver, without validation, so a zone with
 * broken DNSSEC can still be examined), then ask every address directly
 * with c-ares, as a resolver would, and record what each one does.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bg.h"
#include "buf.h"
#include "caview.h"
#include "ctx.h"
#include "dns.h"
#include "dnsmsg.h"
#include "err.h"
#include "nsprobe_int.h"
#include "timeutil.h"

#define MAX_SERVERS CD_NSPROBE_MAX
/* One try per server: a resolver moves on after about this long. */
#define PROBE_MS 2000

static void
strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
server_clear(struct cd_ns_server *s)
{
	free(s->ns);
	free(s->q_set);
	strv_free(s->q_txt, s->q_ntxt);
	s->ns = s->q_set = NULL;
	s->q_txt = NULL;
	s->q_ntxt = 0;
}

void
cd_nsprobe_free(struct cd_nsprobe *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		server_clear(&p->s[i]);
	strv_free(p->noaddr, p->nnoaddr);
	free(p->name);
	free(p->zone);
	free(p->why);
	free(p);
}

/*
 * The name with every other letter upper case: a server that answers
 * with another case is one the CA's 0x20 resolver distrusts.
 */
static void
mixcase(const char *in, char *out, size_t len)
{
	size_t i, letters = 0;

	for (i = 0; in[i] && i + 1 < len; i++) {
		out[i] = in[i];
		if (isalpha((unsigned char)in[i]))
			out[i] = (char)(letters++ % 2 ? tolower(
			    (unsigned char)in[i]) : toupper((unsigned char)in[i]));
	}
	out[i] = '\0';
}

static bool
parse(const unsigned char *buf, size_t len, struct cd_dnsmsg *m)
{
	return buf != NULL && cd_dnsmsg_parse(buf, len, m, NULL) == CD_OK;
}

/* NS names of the deepest level that has them, in the resolver's view. */
static cd_rc
zone_from_resolver(struct cd_nsprobe *p, struct cd_caview *v,
    char **levels, size_t n, int64_t deadline, size_t *iz, char ***ns,
    size_t *nns)
{
	struct cd_caview_answer *a;
	struct cd_dnsmsg m;
	size_t i, k;
	cd_rc rc = CD_OK;

	*iz = n;
	if ((a = calloc(n, sizeof(*a))) == NULL)
		return CD_E_NOMEM;
	if (cd_caview_query_many(v, (const char *const *)levels, n,
	    CD_DNS_T_NS, deadline, a, NULL) != CD_OK)
		goto out;
	for (i = 0; i < n && *iz == n; i++) {
		if (!a[i].answered || a[i].rcode != 0 ||
		    !parse(a[i].pkt, a[i].len, &m))
			continue;
		if (m.nns > 0 && m.ncname == 0) {
			*iz = i;
			*ns = m.ns;
			*nns = m.nns;
			m.ns = NULL;
			m.nns = 0;
		}
		cd_dnsmsg_clear(&m);
	}
out:
	for (k = 0; k < n; k++)
		cd_caview_answer_clear(&a[k]);
	free(a);
	(void)p;
	return rc;
}

/* Addresses of the nameservers, IPv6 and IPv4, at most MAX_SERVERS. */
static cd_rc
resolve_servers(struct cd_nsprobe *p, struct cd_caview *v, char **ns,
    size_t nns, int64_t deadline)
{
	struct cd_caview_answer *a;
	const char **names;
	int *types;
	size_t i, k, before;
	cd_rc rc = CD_E_NOMEM;

	names = calloc(2 * nns + 1, sizeof(*names));
	types = calloc(2 * nns + 1, sizeof(*types));
	a = calloc(2 * nns + 1, sizeof(*a));
	if (names == NULL || types == NULL || a == NULL)
		goto out;
	for (i = 0; i < nns; i++) {
		names[2 * i] = names[2 * i + 1] = ns[i];
		types[2 * i] = CD_DNS_T_AAAA;
		types[2 * i + 1] = CD_DNS_T_A;
	}
	rc = CD_OK;
	if (cd_caview_query_types(v, names, types, 0, 2 * nns, deadline, a,
	    NULL) != CD_OK)
		goto out;
	for (i = 0; i < nns; i++) {
		before = p->n;
		for (k = 2 * i; k < 2 * i + 2; k++) {
			size_t j;

			for (j = 0; j < a[k].naddr && p->n < MAX_SERVERS; j++) {
				struct cd_ns_server *s = &p->s[p->n];

				memset(s, 0, sizeof(*s));
				if (inet_ntop(types[k] == CD_DNS_T_A ? AF_INET :
				    AF_INET6, a[k].addr[j], s->addr,
				    sizeof(s->addr)) == NULL ||
				    (s->ns = strdup(ns[i])) == NULL)
					continue;
				s->soa_rcode = s->q_rcode = -1;
				p->n++;
			}
		}
		if (p->n == before) {
			char **nv = realloc(p->noaddr, (p->nnoaddr + 1) *
			    sizeof(*nv));

			if (nv == NULL || (nv[p->nnoaddr] = strdup(ns[i])) ==
			    NULL) {
				if (nv != NULL)
					p->noaddr = nv;
				rc = CD_E_NOMEM;
				goto out;
			}
			p->noaddr = nv;
			p->nnoaddr++;
		}
	}
out:
	for (k = 0; a && k < 2 * nns; k++)
		cd_caview_answer_clear(&a[k]);
	free(a);
	free(names);
	free(types);
	return rc;
}

/* Drop the server list (the zone changed, or the walk is over). */
static void
forget_servers(struct cd_nsprobe *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		server_clear(&p->s[i]);
	p->n = 0;
	strv_free(p->noaddr, p->nnoaddr);
	p->noaddr = NULL;
	p->nnoaddr = 0;
}

/*
 * Below the deepest zone the resolver could list, a delegation to
 * servers that all fail shows only in the parent's referral: ask the
 * parent's servers directly, one level at a time.
 */
static void
follow_referrals(struct cd_nsprobe *p, struct cd_caview *v, char **levels,
    size_t iz, char ***ns, size_t *nns, int64_t deadline)
{
	enum { STAY, DELEGATED, SAME_ZONE } step = DELEGATED;
	struct cd_dns_reply rep;
	struct cd_dnsmsg m;
	struct cd_dns *d;
	size_t k;
	int ty = CD_DNS_T_NS;

	while (iz > 0) {
		/* The servers are looked up again only for a new zone. */
		if (step == DELEGATED && resolve_servers(p, v, *ns, *nns,
		    deadline) != CD_OK)
			break;
		step = STAY;
		for (k = 0; k < p->n && step == STAY; k++) {
			if (cd_dns_new_direct(p->s[k].addr, true, PROBE_MS, &d,
			    NULL) != CD_OK)
				continue;
			memset(&rep, 0, sizeof(rep));
			if (cd_dns_query_types(d, (const char *const *)
			    &levels[iz - 1], &ty, 1, deadline, &rep, NULL) ==
			    CD_OK && parse(rep.abuf, rep.len, &m)) {
				if (!m.aa && m.nauth_ns > 0) {
					strv_free(*ns, *nns);
					*ns = m.auth_ns;
					*nns = m.nauth_ns;
					m.auth_ns = NULL;
					m.nauth_ns = 0;
					step = DELEGATED;
				} else if (m.aa) {
					step = SAME_ZONE;
				}
				cd_dnsmsg_clear(&m);
			}
			cd_dns_reply_clear(&rep);
			cd_dns_free(d);
		}
		if (step != SAME_ZONE)
			forget_servers(p);
		if (step == STAY)
			break;
		iz--;
		if (step == DELEGATED) {
			free(p->zone);
			p->zone = strdup(levels[iz]);
		}
	}
	forget_servers(p);
}

/* The answer as one comparable string: sorted records, or the rcode. */
static char *
answer_set(const struct cd_dnsmsg *m)
{
	char **v, *s = NULL;
	size_t i, n = m->ncaa ? m->ncaa : m->ntxt;

	if (m->rcode != 0 || n == 0) {
		if (asprintf(&s, "%s%s", m->rcode == 0 ? "" : "rcode ",
		    m->rcode == 0 ? (m->nanswer ? "records" : "no records") :
		    m->rcode == 3 ? "NXDOMAIN" : "error") < 0)
			return NULL;
		return s;
	}
	if ((v = calloc(n, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (m->ncaa)
			v[i] = cd_caa_rr_text(&m->caa[i]);
		else if (asprintf(&v[i], "\"%s\"", m->txt[i]) < 0)
			v[i] = NULL;
	s = cd_join_sorted(v, n);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return s;
}

struct probe_arg {
	struct cd_ns_server *s;
	const char *zone;
	const char *name;
	int qtype;
	int64_t deadline;
};

static void *
probe_one(void *arg)
{
	struct probe_arg *a = arg;
	struct cd_ns_server *s = a->s;
	struct cd_dns_reply rep[2], plain;
	struct cd_dnsmsg m;
	struct cd_dns *d = NULL;
	char z[256], n[256];
	const char *names[2] = {z, n};
	int types[2] = {CD_DNS_T_SOA, a->qtype};

	mixcase(a->zone, z, sizeof(z));
	mixcase(a->name, n, sizeof(n));
	s->case_ok = true;
	memset(rep, 0, sizeof(rep));
	if (cd_dns_new_direct(s->addr, true, PROBE_MS, &d, NULL) != CD_OK ||
	    cd_dns_query_types(d, names, types, 2, a->deadline, rep, NULL) !=
	    CD_OK)
		goto out;
	s->answered = rep[0].abuf != NULL || rep[1].abuf != NULL;
	if (parse(rep[0].abuf, rep[0].len, &m)) {
		s->soa_rcode = (int)m.rcode;
		s->soa_aa = m.aa;
		s->edns_ok = m.edns;
		s->case_ok = m.qname == NULL || strcmp(m.qname, z) == 0;
		cd_dnsmsg_clear(&m);
	}
	if (parse(rep[1].abuf, rep[1].len, &m)) {
		s->q_rcode = (int)m.rcode;
		s->q_aa = m.aa;
		s->q_soa = m.soa_in_authority;
		s->q_n = m.nanswer;
		s->q_set = answer_set(&m);
		s->q_txt = m.txt;
		s->q_ntxt = m.ntxt;
		m.txt = NULL;
		m.ntxt = 0;
		if (m.qname != NULL && strcmp(m.qname, n) != 0)
			s->case_ok = false;
		cd_dnsmsg_clear(&m);
	}
	/* FORMERR to EDNS: does the server answer without it? */
	if (s->soa_rcode == 1 || (s->answered && !s->edns_ok)) {
		cd_dns_free(d);
		d = NULL;
		memset(&plain, 0, sizeof(plain));
		if (cd_dns_new_direct(s->addr, false, PROBE_MS, &d, NULL) ==
		    CD_OK && cd_dns_query_types(d, names, types, 1,
		    a->deadline, &plain, NULL) == CD_OK &&
		    parse(plain.abuf, plain.len, &m)) {
			if (s->soa_rcode == 1 && m.rcode == 0) {
				s->edns_formerr = true;
				s->soa_rcode = 0;
				s->soa_aa = m.aa;
			}
			cd_dnsmsg_clear(&m);
		}
		cd_dns_reply_clear(&plain);
		/* Judge the probed type as a resolver falling back asks. */
		if ((s->edns_formerr || !s->edns_ok) && s->q_rcode == 1) {
			memset(&plain, 0, sizeof(plain));
			if (cd_dns_query_types(d, &names[1], &types[1], 1,
			    a->deadline, &plain, NULL) == CD_OK &&
			    parse(plain.abuf, plain.len, &m)) {
				s->q_rcode = (int)m.rcode;
				s->q_aa = m.aa;
				s->q_soa = m.soa_in_authority;
				s->q_n = m.nanswer;
				free(s->q_set);
				s->q_set = answer_set(&m);
				strv_free(s->q_txt, s->q_ntxt);
				s->q_txt = m.txt;
				s->q_ntxt = m.ntxt;
				m.txt = NULL;
				m.ntxt = 0;
				cd_dnsmsg_clear(&m);
			}
			cd_dns_reply_clear(&plain);
		}
	}
out:
	cd_dns_reply_clear(&rep[0]);
	cd_dns_reply_clear(&rep[1]);
	cd_dns_free(d);
	return NULL;
}

/* Every address at once: dead servers cost one timeout, not one each. */
static void
probe_all(struct cd_nsprobe *p, int64_t deadline)
{
	struct probe_arg args[MAX_SERVERS];
	struct cd_bg bg[MAX_SERVERS];
	size_t i;

	for (i = 0; i < p->n; i++) {
		args[i].s = &p->s[i];
		args[i].zone = p->zone;
		args[i].name = p->name;
		args[i].qtype = p->qtype;
		args[i].deadline = deadline;
		cd_bg_run(&bg[i], probe_one, &args[i]);
	}
	for (i = 0; i < p->n; i++)
		cd_bg_wait(&bg[i]);
}

cd_rc
cd_nsprobe_run(const struct cd_ctx *ctx, const char *name, int qtype,
    int64_t deadline, struct cd_nsprobe **out, struct cd_err *err)
{
	return cd_nsprobe_run_in(ctx, name, name, qtype, deadline, out, err);
}

cd_rc
cd_nsprobe_run_in(const struct cd_ctx *ctx, const char *zone_of,
    const char *name, int qtype, int64_t deadline, struct cd_nsprobe **out,
    struct cd_err *err)
{
	struct cd_nsprobe *p;
	struct cd_caview *v = NULL;
	char **levels = NULL, **ns = NULL;
	const char *dot;
	size_t n = 1, i, iz, nns = 0;
	int64_t sub;
	cd_rc rc = CD_OK;

	*out = NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->name = strdup(name)) == NULL) {
		cd_nsprobe_free(p);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	p->qtype = qtype;
	for (dot = zone_of; (dot = strchr(dot, '.')) != NULL; dot++)
		n++;
	if ((levels = calloc(n, sizeof(*levels))) == NULL) {
		rc = CD_E_NOMEM;
		goto out;
	}
	for (i = 0, dot = zone_of; i < n; i++) {
		if ((levels[i] = strdup(dot)) == NULL) {
			rc = CD_E_NOMEM;
			goto out;
		}
		if ((dot = strchr(dot, '.')) != NULL)
			dot++;
	}
	if (cd_ctx_caview(ctx, false, &v, err) != CD_OK) {
		p->why = strdup("the resolver could not be set up");
		goto out;
	}
	/*
	 * A level whose servers are all dead keeps the resolver busy to
	 * the end; the parent's referral names them sooner.
	 */
	sub = cd_now_ms() + (deadline - cd_now_ms()) / 2;
	if (sub > cd_now_ms() + 3000)
		sub = cd_now_ms() + 3000;
	if ((rc = zone_from_resolver(p, v, levels, n, sub, &iz, &ns,
	    &nns)) != CD_OK)
		goto out;
	if (iz == n) {
		p->why = strdup("no level of the name has NS records the "
		    "resolver could find");
		goto out;
	}
	if ((p->zone = strdup(levels[iz])) == NULL) {
		rc = CD_E_NOMEM;
		goto out;
	}
	follow_referrals(p, v, levels, iz, &ns, &nns, deadline);
	if (p->zone == NULL || (rc = resolve_servers(p, v, ns, nns,
	    deadline)) != CD_OK)
		goto out;
	probe_all(p, deadline);
out:
	strv_free(ns, nns);
	strv_free(levels, levels ? n : 0);
	if (rc == CD_E_NOMEM) {
		cd_nsprobe_free(p);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	*out = p;
	return CD_OK;
}

bool
cd_nsprobe_covers(const struct cd_nsprobe *p, const char *name)
{
	size_t n, z;

	if (p == NULL || p->zone == NULL)
		return false;
	n = strlen(name);
	z = strlen(p->zone);
	return n >= z && strcasecmp(name + n - z, p->zone) == 0 &&
	    (n == z || name[n - z - 1] == '.');
}

struct cd_nsprobe_job {
	struct cd_bg bg;
	const struct cd_ctx *ctx;
	char *name;
	int qtype;
	int64_t deadline;
	struct cd_nsprobe *result;
};

static void *
job_main(void *arg)
{
	struct cd_nsprobe_job *j = arg;

	cd_nsprobe_run(j->ctx, j->name, j->qtype, j->deadline, &j->result,
	    NULL);
	return NULL;
}

struct cd_nsprobe_job *
cd_nsprobe_start(const struct cd_ctx *ctx, const char *name, int qtype,
    int64_t deadline)
{
	struct cd_nsprobe_job *j;

	if ((j = calloc(1, sizeof(*j))) == NULL ||
	    (j->name = strdup(name)) == NULL) {
		free(j);
		return NULL;
	}
	j->ctx = ctx;
	j->qtype = qtype;
	j->deadline = deadline;
	cd_bg_run(&j->bg, job_main, j);
	return j;
}

struct cd_nsprobe *
cd_nsprobe_join(struct cd_nsprobe_job *j)
{
	struct cd_nsprobe *r;

	if (j == NULL)
		return NULL;
	cd_bg_wait(&j->bg);
	r = j->result;
	free(j->name);
	free(j);
	return r;
}
