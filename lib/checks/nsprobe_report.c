/*
 * nsprobe_report.c - what the direct questions to a zone's servers
 * showed, as findings a DNS operator can act on, each naming the zone,
 * the server and the address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsmsg.h"
#include "jsonutil.h"
#include "nsprobe_int.h"
#include "report.h"

static const char *
rcode(int rc, char *buf, size_t len)
{
	return rc < 0 ? "no reply" : cd_dns_rcode_name((unsigned)rc, buf, len);
}

static bool
lame(const struct cd_ns_server *s)
{
	if (!s->answered || s->edns_formerr)
		return false;
	if (s->soa_rcode < 0)
		return s->q_rcode == 2 || s->q_rcode == 5 || s->q_rcode == 9;
	return s->soa_rcode == 2 || s->soa_rcode == 5 || s->soa_rcode == 9 ||
	    (s->soa_rcode == 0 && !s->soa_aa);
}

static void
servers_json(const struct cd_nsprobe *p, struct cd_report *r)
{
	json_t *o = json_object(), *a = json_array(), *e;
	char b1[16], b2[16];
	size_t i;

	cd_json_setk(o, CD_K_ZONE,
	    p->zone ? cd_json_str(p->zone) : json_null());
	if (p->why)
		cd_json_setk(o, CD_K_ERROR, cd_json_str(p->why));
	for (i = 0; i < p->n; i++) {
		const struct cd_ns_server *s = &p->s[i];

		if ((e = json_object()) == NULL)
			continue;
		cd_json_setk(e, CD_K_NAME, cd_json_str(s->ns));
		cd_json_setk(e, CD_K_ADDRESS, cd_json_str(s->addr));
		cd_json_setk(e, CD_K_ANSWERED, json_boolean(s->answered));
		cd_json_setk(e, CD_K_RCODE, cd_json_str(rcode(s->soa_rcode, b1,
		    sizeof(b1))));
		cd_json_setk(e, CD_K_AA, json_boolean(s->soa_aa));
		cd_json_setk(e, CD_K_EDNS, json_boolean(s->edns_ok &&
		    !s->edns_formerr));
		cd_json_setk(e, CD_K_CASE_ECHOED, json_boolean(s->case_ok));
		cd_json_setk(e, CD_K_ANSWER_RCODE, cd_json_str(rcode(s->q_rcode,
		    b2, sizeof(b2))));
		cd_json_setk(e, CD_K_ANSWER, s->q_set ? cd_json_str(s->q_set) :
		    json_null());
		cd_json_push(a, e);
	}
	for (i = 0; i < p->nnoaddr; i++)
		if ((e = json_object()) != NULL) {
			cd_json_setk(e, CD_K_NAME, cd_json_str(p->noaddr[i]));
			cd_json_setk(e, CD_K_ADDRESS, json_null());
			cd_json_setk(e, CD_K_ANSWERED, json_false());
			cd_json_push(a, e);
		}
	cd_json_setk(o, CD_K_SERVERS, a);
	cd_json_setk(r->detail, CD_K_NAMESERVERS, o);
}

static void
inconsistent(const struct cd_nsprobe *p, struct cd_report *r,
    const char *type)
{
	const struct cd_ns_server *first = NULL, *s;
	size_t i;

	for (i = 0; i < p->n; i++) {
		s = &p->s[i];
		if (s->q_rcode < 0 || s->q_set == NULL || !s->q_aa)
			continue;
		if (first == NULL) {
			first = s;
		} else if (strcmp(first->q_set, s->q_set) != 0) {
			cd_report_add(r, CD_P_NS_INCONSISTENT, "the servers "
			    "serve different copies of the zone: fix zone "
			    "transfers (SOA serial, NOTIFY, the primary's ACL) "
			    "so that every server has the same data; the CA "
			    "asks servers at random, from several places",
			    "nameservers of %s disagree on %s %s: %s (%s) "
			    "answers %s, %s (%s) answers %s", p->zone, p->name,
			    type, first->ns, first->addr, first->q_set, s->ns,
			    s->addr, s->q_set);
			return;
		}
	}
}

void
cd_nsprobe_report(const struct cd_nsprobe *p, bool ca_failed,
    bool answers_judged, struct cd_report *r)
{
	const char *type = p->qtype == CD_DNS_T_CAA ? "CAA" :
	    p->qtype == CD_DNS_T_AAAA ? "AAAA" : p->qtype == CD_DNS_T_TXT ?
	    "TXT" : "A";
	size_t i, alive = 0, nlame = 0;
	cd_status all;
	char b[16];

	servers_json(p, r);
	if (p->zone == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		alive += p->s[i].answered;
		nlame += lame(&p->s[i]);
	}
	/*
	 * What the CA's resolver worked around is a warning whatever it
	 * is: the CA proceeds.  Only when its lookup failed do these
	 * explain a refusal.
	 */
	all = ca_failed ? CD_ST_CRITICAL : CD_ST_WARNING;
	for (i = 0; i < p->nnoaddr; i++)
		cd_report_add_sev(r, CD_P_NS_UNREACHABLE, alive ?
		    CD_ST_WARNING : all, "give the server an "
		    "address (A/AAAA records, and glue at the registrar when it "
		    "is inside the zone), or remove it from the NS records",
		    "nameserver %s of %s has no address the CA's resolver can "
		    "find", p->noaddr[i], p->zone);
	for (i = 0; i < p->n; i++) {
		const struct cd_ns_server *s = &p->s[i];

		if (!s->answered) {
			cd_report_add_sev(r, CD_P_NS_UNREACHABLE, alive ?
			    CD_ST_WARNING : all, "make the server "
			    "answer on port 53 (UDP and TCP), or remove it from "
			    "the zone's NS records and at the registrar; the "
			    "CA's resolver tries another server, and gives up "
			    "when none answers", "nameserver %s (%s) of %s does "
			    "not answer", s->ns, s->addr, p->zone);
			continue;
		}
		if (lame(s))
			cd_report_add_sev(r, CD_P_NS_LAME, nlame == alive ?
			    all : CD_ST_WARNING, "serve the zone on "
			    "that server, or remove the server from the NS "
			    "records (at the registrar too)", "nameserver %s "
			    "(%s) is listed for %s but answers %s", s->ns,
			    s->addr, p->zone, s->soa_rcode == 0 ? "without the "
			    "AA flag (not authoritative)" : rcode(s->soa_rcode >=
			    0 ? s->soa_rcode : s->q_rcode, b, sizeof(b)));
		else if (p->qtype == CD_DNS_T_CAA && s->soa_rcode == 0 &&
		    (s->q_rcode < 0 || s->q_rcode == 1 || s->q_rcode == 2 ||
		    s->q_rcode == 4 || s->q_rcode == 5))
			cd_report_add_sev(r, CD_P_NS_BAD_CAA_HANDLING, all,
			    "the server "
			    "(or a firewall or DDoS filter in front of it) must "
			    "answer CAA queries: NOERROR with no records when "
			    "there are none (RFC 8659 section 5); upgrade it or "
			    "ask the DNS host", "nameserver %s (%s) of %s %s%s%s "
			    "a CAA query for %s while it answers other types",
			    s->ns, s->addr, p->zone, s->q_rcode < 0 ?
			    "does not answer" : "answers ", s->q_rcode < 0 ? "" :
			    rcode(s->q_rcode, b, sizeof(b)), s->q_rcode < 0 ?
			    "" : " to", p->name);
		if (!lame(s) && s->q_aa && (s->q_rcode == 0 || s->q_rcode == 3) &&
		    s->q_n == 0 && !s->q_soa)
			cd_report_add(r, CD_P_NS_BAD_NEGATIVE, "negative answers "
			    "must carry the zone's SOA in the authority section "
			    "(RFC 2308); fix or replace the server software",
			    "nameserver %s (%s) of %s answers %s %s with %s but "
			    "no SOA: the CA's resolver (Unbound 1.18 and later) "
			    "treats that as SERVFAIL and refuses", s->ns, s->addr,
			    p->zone, p->name, type, s->q_rcode == 3 ? "NXDOMAIN" :
			    "no records");
		if (s->edns_formerr || (s->soa_rcode == 0 && !s->edns_ok))
			cd_report_add(r, CD_P_NS_EDNS_BROKEN, "the server must "
			    "answer EDNS(0) queries (RFC 6891): upgrade it, or "
			    "fix the firewall that drops or rejects OPT records",
			    "nameserver %s (%s) of %s %s", s->ns, s->addr,
			    p->zone, s->edns_formerr ? "answers FORMERR to "
			    "queries with EDNS(0)" : "does not handle EDNS(0): "
			    "FORMERR or no OPT record in its replies");
		if (!s->case_ok)
			cd_report_add(r, CD_P_NS_CASE_MANGLED, "the server must "
			    "echo the question exactly as asked, letter case "
			    "included: the CA's resolver randomises the case "
			    "(0x20) and distrusts answers that change it",
			    "nameserver %s (%s) of %s does not echo the query "
			    "name's letter case", s->ns, s->addr, p->zone);
	}
	if (!answers_judged)
		inconsistent(p, r, type);
}
