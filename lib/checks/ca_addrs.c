/*
 * ca_addrs.c - a name's addresses as the CA would connect to them: the
 * CA's view (or the stub view standing in), reserved addresses dropped,
 * and what explains a failure beside it.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ca_addrs.h"
#include "caview.h"
#include "ctx.h"
#include "dns.h"
#include "dnsmsg.h"
#include "jsonutil.h"
#include "nsprobe.h"
#include "reserved.h"
#include "stubview.h"
#include "timeutil.h"

struct job {
	const struct cd_ctx *ctx;
	struct cd_report *r;
	const char *ace;
	uint16_t port;
	int64_t deadline;
	int unreachable;	/* families no DNS server answered for */
	bool stub_failed;	/* a stub lookup failed (not just empty) */
	const struct cd_ca_addrs_how *how;
	struct cd_ca_addrs *out;
};

/*
 * The failure, in the tool's code and the CA's sentences for both
 * families, A first, as Boulder joins them.
 */
static void
set_failure(struct job *x, bool dns_error, const char *m4, const char *m6)
{
	const struct cd_ca_addrs_how *h = x->how;
	const char *sep = m4[0] && m6[0] ? "; " : "";

	if (dns_error)
		cd_report_add(x->r, x->out->recursive ? h->dns_error :
		    h->stub_dns_error, h->hint_dns, "%s%s%s", m4, sep, m6);
	else
		cd_report_add(x->r, h->none, h->hint_none, "%s%s%s", m4, sep,
		    m6);
}

/* The CA's sentence (bdns) for a failed A or AAAA lookup. */
static void
dns_words(const struct cd_err *e, const char *type, const char *name,
    char *out, size_t len)
{
	const char *why = "";
	const char *what = cd_dns_failure_words(e, &why);

	if (e->rc == CD_E_DNS_UNREACHABLE && what == NULL)
		what = "query timed out";
	if (what != NULL)
		snprintf(out, len, "DNS problem: %s looking up %s for %s%s",
		    what, type, name, why);
	else
		snprintf(out, len, "no valid %s records found for %s", type,
		    name);
}

/*
 * Keep the usable addresses of one family's answer; dns_msg gets the
 * CA's sentence when none is left.
 */
static void
keep_usable(struct job *x, int fam, struct cd_addrs *got_in, char *first,
    char *dns_msg, size_t len)
{
	struct cd_addrs got = *got_in;
	const char *why;
	json_t *o;
	size_t i;

	for (i = 0; i < got.n; i++) {
		why = cd_ip_reserved(got.a[i].text);
		if (why != NULL && (o = json_object()) != NULL) {
			cd_json_setk(o, CD_K_ADDRESS,
			    cd_json_str(got.a[i].text));
			cd_json_setk(o, CD_K_REASON, cd_json_str(why));
			cd_json_setk(o, CD_K_KEPT, json_boolean(
			    x->ctx->o.allow_reserved));
			cd_json_push(x->out->dropped, o);
		}
		if (why != NULL && !x->ctx->o.allow_reserved)
			continue;
		if (first[0] == '\0')
			snprintf(first, 46, "%s", got.a[i].text);
		cd_addrs_add(&x->out->all, (struct sockaddr *)&got.a[i].ss,
		    got.a[i].len);
	}
	if (first[0] == '\0')
		snprintf(dns_msg, len, "no valid %s records found for %s",
		    fam == 6 ? "AAAA" : "A", x->ace);
	cd_addrs_clear(&got);
	memset(got_in, 0, sizeof(*got_in));
}

/*
 * Resolve one family; keep the usable addresses.  dns_msg gets the CA's
 * sentence for this family when there is none.
 */
static void
resolve_family(struct job *x, struct cd_dns *dns, int fam, char *first,
    char *dns_msg, size_t len)
{
	struct cd_addrs got = {0};
	struct cd_err e;

	if (cd_dns_addrs(dns, x->ace, fam, x->port, x->deadline, &got, &e) != CD_OK) {
		dns_words(&e, fam == 6 ? "AAAA" : "A", x->ace, dns_msg, len);
		if (e.rc == CD_E_DNS_UNREACHABLE)
			x->unreachable++;
		if (strncmp(dns_msg, "DNS problem: ", 13) == 0)
			x->stub_failed = true;
		return;
	}
	keep_usable(x, fam, &got, first, dns_msg, len);
}

/* One family's answer of the CA's view as addresses on port 80. */
static void
ca_addrs(const struct cd_caview_answer *a, int fam, uint16_t port,
    struct cd_addrs *out)
{
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;
	size_t i;

	for (i = 0; i < a->naddr; i++) {
		if (fam == 6) {
			memset(&s6, 0, sizeof(s6));
			s6.sin6_family = AF_INET6;
			s6.sin6_port = htons(port);
			memcpy(&s6.sin6_addr, a->addr[i], 16);
			cd_addrs_add(out, (struct sockaddr *)&s6, sizeof(s6));
		} else {
			memset(&s4, 0, sizeof(s4));
			s4.sin_family = AF_INET;
			s4.sin_port = htons(port);
			memcpy(&s4.sin_addr, a->addr[i], 4);
			cd_addrs_add(out, (struct sockaddr *)&s4, sizeof(s4));
		}
	}
}

/*
 * resolver_disagrees when the user's resolver gives other addresses
 * than the CA's view (an internal address from split-horizon DNS is the
 * classic), or answers where the CA's lookup fails.
 */
static void
compare_views(struct job *x, const struct cd_caview_answer *a,
    char *const *mine)
{
	char *ca, rb[16];
	size_t k;

	for (k = 0; k < 2; k++) {
		if (mine[k] == NULL || !a[k].answered ||
		    (x->ctx->o.family != 0 && x->ctx->o.family != (k ? 4 : 6)))
			continue;
		ca = a[k].rcode == 0 ? cd_addr_list(a[k].addr, a[k].naddr,
		    k ? 4 : 6) : strdup(cd_dns_rcode_name((unsigned)a[k].rcode,
		    rb, sizeof(rb)));
		if (ca != NULL && strcmp(ca, mine[k]) != 0) {
			cd_report_add(x->r, CD_P_RESOLVER_DISAGREES,
			    a[k].dnssec == CD_DNSSEC_BOGUS ? "your resolver "
			    "does not validate DNSSEC: the CA does, and "
			    "refuses" : "split-horizon DNS, a stale cache or a "
			    "forwarder: the CA connects to what the Internet's "
			    "authoritative servers say", "your resolver (%s) "
			    "says %s %s: %s; the CA's resolver says: %s",
			    x->ctx->o.dns_servers ? x->ctx->o.dns_servers :
			    "/etc/resolv.conf", x->ace, k ? "A" : "AAAA",
			    *mine[k] ? mine[k] : "no addresses", *ca ? ca :
			    "no addresses");
			cd_json_setk(json_object_get(cd_json_getk(
			    x->r->detail, CD_K_DNS), k ? "A" : "AAAA"),
			    CD_K_YOUR_RESOLVER, cd_json_str(mine[k]));
			free(ca);
			return;
		}
		free(ca);
	}
}

/* "dns": per family, what the CA's resolver made of the lookup. */
static void
dnssec_json(struct job *x, const struct cd_caview_answer *a)
{
	json_t *d = json_object(), *o;
	char buf[48];
	size_t k;

	for (k = 0; k < 2; k++) {
		if ((o = json_object()) == NULL)
			continue;
		cd_json_setk(o, CD_K_RCODE, a[k].answered ? cd_json_str(
		    cd_dns_rcode_name((unsigned)a[k].rcode, buf,
		    sizeof(buf))) : json_null());
		cd_json_setk(o, CD_K_ADDRESSES, json_integer((json_int_t)
		    a[k].naddr));
		cd_json_setk(o, CD_K_DNSSEC, cd_json_str(cd_dnssec_name(
		    a[k].dnssec)));
		if (a[k].why_bogus)
			cd_json_setk(o, CD_K_WHY_BOGUS,
			    cd_json_str(a[k].why_bogus));
		if (a[k].ede >= 0 && a[k].rcode != 0) {
			json_t *e = json_object();

			cd_json_setk(e, CD_K_CODE, json_integer(a[k].ede));
			cd_json_setk(e, CD_K_SUMMARY, cd_json_str(
			    cd_ede_summary(a[k].ede, buf, sizeof(buf))));
			cd_json_setk(o, CD_K_EDE, e);
		}
		cd_json_set(d, k == 0 ? "AAAA" : "A", o);
	}
	cd_json_setk(x->r->detail, CD_K_DNS, d);
}

/*
 * A and AAAA as the CA's resolver answers them, both at once.  A lookup
 * that fails there is the CA's DNS error; a validation failure also
 * says which zone and why.
 */
static bool
resolve_ca(struct job *x)
{
	const struct cd_opts *o = &x->ctx->o;
	/* The root beside: did the CA's view reach anything at all? */
	const char *names[3] = {x->ace, x->ace, "."};
	static const int types[3] = {CD_DNS_T_AAAA, CD_DNS_T_A, CD_DNS_T_NS};
	struct cd_caview_answer a[3];
	struct cd_caview *v = NULL;
	struct cd_addrs got = {0};
	char msg[2][768] = {"", ""}, *p;
	size_t k, answered = 0, failed = 0;
	struct cd_nsprobe_job *job;
	struct cd_nsprobe *probe;
	struct cd_stubview *stub;
	char *mine[2] = {NULL, NULL};
	struct cd_err e;
	int fam;

	memset(a, 0, sizeof(a));
	x->out->recursive = true;
	if (cd_ctx_caview(x->ctx, true, &v, &e) != CD_OK) {
		cd_report_add(x->r, CD_P_CHECK_ERROR, NULL, "%s", e.msg);
		return false;
	}
	/* The name's servers and the user's resolver are asked while the
	 * CA's resolver works. */
	job = cd_nsprobe_start(x->ctx, x->ace, o->family == 4 ? CD_DNS_T_A :
	    CD_DNS_T_AAAA, x->deadline);
	stub = cd_stubview_start(x->ctx, x->ace, cd_deadline_in(2000) <
	    x->deadline ? cd_deadline_in(2000) : x->deadline);
	if (cd_caview_query_types(v, names, types, 0, 3, x->deadline, a,
	    &e) != CD_OK) {
		cd_report_add(x->r, CD_P_CHECK_ERROR, NULL, "%s", e.msg);
		cd_nsprobe_free(cd_nsprobe_join(job));
		cd_stubview_join(stub, &mine[0], &mine[1]);
		free(mine[0]);
		free(mine[1]);
		return false;
	}
	for (k = 0; k < 2; k++) {
		fam = k == 0 ? 6 : 4;
		if (o->family != 0 && o->family != fam)
			continue;
		answered += a[k].answered && a[k].rcode != 2;
		if (a[k].answered && a[k].rcode == 0) {
			ca_addrs(&a[k], fam, x->port, &got);
			keep_usable(x, fam, &got, fam == 6 ? x->out->v6 : x->out->v4,
			    msg[k], sizeof(msg[k]));
			continue;
		}
		failed++;
		p = cd_dns_problem(fam == 6 ? "AAAA" : "A", x->ace,
		    a[k].timed_out, !a[k].answered, a[k].rcode, a[k].ede,
		    a[k].ede_text);
		snprintf(msg[k], sizeof(msg[k]), "DNS problem: %s", p ? p : "");
		free(p);
	}
	if (!x->out->v6[0] && !x->out->v4[0]) {
		if (answered == 0 && !(a[2].answered && a[2].rcode == 0))
			cd_report_add(x->r, CD_P_CA_VIEW_UNAVAILABLE, "this host "
			    "must reach the Internet's DNS servers on port 53 "
			    "(UDP and TCP); behind a firewall, use --no-ca-view "
			    "or --dns-server", "%s: the CA's view of DNS could "
			    "not be made: no root or authoritative server "
			    "answered", x->ace);
		else
			set_failure(x, failed > 0, msg[1], msg[0]);
	}
	for (k = 0; k < 2; k++) {
		if (a[k].dnssec == CD_DNSSEC_BOGUS)
			cd_caview_bogus(x->r, k == 0 ? "AAAA" : "A", x->ace,
			    a[k].ede, a[k].why_bogus);
		if (a[k].dnssec == CD_DNSSEC_BOGUS)
			break;
	}
	dnssec_json(x, a);
	cd_stubview_join(stub, &mine[0], &mine[1]);
	compare_views(x, a, mine);
	free(mine[0]);
	free(mine[1]);
	if ((probe = cd_nsprobe_join(job)) != NULL)
		cd_nsprobe_report(probe, !x->out->v6[0] && !x->out->v4[0] &&
		    failed > 0, false, x->r);
	cd_nsprobe_free(probe);
	for (k = 0; k < 3; k++)
		cd_caview_answer_clear(&a[k]);
	return x->out->v6[0] || x->out->v4[0];
}

/*
 * An IP identifier (RFC 8738): the CA connects to the address itself,
 * and its policy refuses a reserved one before any validation.
 */
static void
literal(struct job *x, const char *ip)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	const char *why = cd_ip_reserved(ip);
	bool v6 = strchr(ip, ':') != NULL;
	socklen_t len;
	json_t *o;

	if (why != NULL && (o = json_object()) != NULL) {
		cd_json_setk(o, CD_K_ADDRESS, cd_json_str(ip));
		cd_json_setk(o, CD_K_REASON, cd_json_str(why));
		cd_json_setk(o, CD_K_KEPT,
		    json_boolean(x->ctx->o.allow_reserved));
		cd_json_push(x->out->dropped, o);
	}
	if (why != NULL && !x->ctx->o.allow_reserved) {
		cd_report_add(x->r, x->how->none, "the CA issues for public "
		    "addresses only", "Cannot issue for \"%s\": IP address is "
		    "in a reserved address block: %s", ip, why);
		return;
	}
	memset(&ss, 0, sizeof(ss));
	if (v6) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(x->port);
		inet_pton(AF_INET6, ip, &s6->sin6_addr);
		len = sizeof(*s6);
		snprintf(x->out->v6, sizeof(x->out->v6), "%s", ip);
	} else {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(x->port);
		inet_pton(AF_INET, ip, &s4->sin_addr);
		len = sizeof(*s4);
		snprintf(x->out->v4, sizeof(x->out->v4), "%s", ip);
	}
	if (cd_addrs_add(&x->out->all, (struct sockaddr *)&ss, len) != CD_OK)
		x->r->oom = true;
}

static bool
resolve(struct job *x)
{
	const struct cd_opts *o = &x->ctx->o;
	struct cd_dns *dns = NULL;
	struct cd_err e;
	char m6[256] = "", m4[256] = "";

	if (cd_caview_mode_of(x->ctx) == CD_CAVIEW_RECURSIVE)
		return resolve_ca(x);

	if (cd_dns_new(o->dns_servers, o->timeout_ms, &dns, &e) != CD_OK) {
		cd_report_add(x->r, CD_P_CHECK_ERROR, NULL, "%s", e.msg);
		return false;
	}
	if (o->family != 4)
		resolve_family(x, dns, 6, x->out->v6, m6, sizeof(m6));
	if (o->family != 6)
		resolve_family(x, dns, 4, x->out->v4, m4, sizeof(m4));
	cd_dns_free(dns);
	if (x->out->v6[0] || x->out->v4[0])
		return true;
	/* Nobody answered at all: we cannot tell what the CA would see. */
	if (x->unreachable == (o->family ? 1 : 2)) {
		cd_report_add(x->r, CD_P_DNS_UNREACHABLE, "check --dns-server "
		    "or /etc/resolv.conf", "%s: no DNS server answered", x->ace);
		return false;
	}
	set_failure(x, x->stub_failed, m4, m6);
	return false;
}


bool
cd_ca_addrs_first(const struct cd_ctx *ctx, const char *host,
    int64_t deadline, char *out)
{
	const char *names[2] = {host, host};
	static const int types[2] = {CD_DNS_T_AAAA, CD_DNS_T_A};
	struct cd_caview_answer a[2];
	struct cd_caview *v = NULL;
	struct cd_addrs got = {0};
	size_t k, i;

	out[0] = '\0';
	memset(a, 0, sizeof(a));
	if (cd_ctx_caview(ctx, true, &v, NULL) != CD_OK)
		return false;
	if (cd_caview_query_types(v, names, types, 0, 2, deadline, a,
	    NULL) == CD_OK)
		for (k = 0; k < 2 && out[0] == '\0'; k++) {
			if (!a[k].answered || a[k].rcode != 0)
				continue;
			ca_addrs(&a[k], k == 0 ? 6 : 4, 80, &got);
			for (i = 0; i < got.n && out[0] == '\0'; i++)
				if (ctx->o.allow_reserved ||
				    cd_ip_reserved(got.a[i].text) == NULL)
					snprintf(out, 46, "%s", got.a[i].text);
			cd_addrs_clear(&got);
		}
	for (k = 0; k < 2; k++)
		cd_caview_answer_clear(&a[k]);
	return out[0] != '\0';
}

void
cd_ca_addrs_resolve(const struct cd_ctx *ctx, const char *name,
    uint16_t port, int64_t deadline, const struct cd_ca_addrs_how *how,
    struct cd_report *r, struct cd_ca_addrs *out)
{
	struct job x;
	struct cd_err e;
	char *ip;

	memset(out, 0, sizeof(*out));
	out->dropped = json_array();
	memset(&x, 0, sizeof(x));
	x.ctx = ctx;
	x.r = r;
	x.ace = name;
	x.port = port;
	x.deadline = deadline;
	x.how = how;
	x.out = out;
	if (cd_ip_identifier_parse(name, &ip, &e) == CD_OK) {
		cd_json_setk(r->detail, CD_K_IP_IDENTIFIER, json_true());
		literal(&x, ip);
		free(ip);
	} else {
		resolve(&x);
	}
	if (ctx->o.allow_reserved)
		cd_json_setk(r->detail, CD_K_LAB_MODE, json_true());
	if (json_array_size(out->dropped) > 0)
		cd_json_setk(r->detail, CD_K_RESERVED_ADDRESSES,
		    json_incref(out->dropped));
}

void
cd_ca_addrs_clear(struct cd_ca_addrs *a)
{
	cd_addrs_clear(&a->all);
	json_decref(a->dropped);
	memset(a, 0, sizeof(*a));
}
