/*
 * test_caa_report.c - a judged CAA set in words (lib/checks/caa_report.c): the
 * verdict's problem code, Boulder's reason as the message and the record
 * the hint proposes; the lints for records that will not do what their
 * author meant; the notes where Let's Encrypt departs from RFC 8659.
 * The levels come in as data, judged by cd_caa_evaluate() as the check
 * does; the expectations are Boulder's wording and RFC 8659's rules.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "caa_report.h"
#include "tap.h"

/* The level structs own their strings; these lend static ones. */
static char *
mut(const char *s)
{
	return (char *)(uintptr_t)s;
}

struct rec {
	unsigned flags;
	const char *tag;
	const char *value;
	size_t len;		/* 0: strlen(value) */
};

struct lvl {
	const char *name;
	enum cd_caa_level_kind kind;
	struct rec rr[4];
	const char *rcode;
	const char *error;
	const char *why_bogus;
};

struct judged {
	struct cd_caa_level lv[4];
	struct cd_caa_rr rrs[4][4];
	size_t n;
	struct cd_caa_request req;
	struct cd_caa_result res;
	struct cd_report *r;
};

/* Judge the levels for identifier and render them as the check does. */
static bool
judge(struct judged *j, const char *identifier, const char *account,
    const struct lvl *levels)
{
	size_t i, k;
	struct cd_err e;

	memset(j, 0, sizeof(*j));
	j->req.identifier = identifier;
	j->req.issuer = "letsencrypt.org";
	j->req.account_uri = account;
	j->req.method = "http-01";
	for (i = 0; i < 4 && levels[i].name != NULL; i++) {
		struct cd_caa_level *lv = &j->lv[i];

		lv->name = mut(levels[i].name);
		lv->kind = levels[i].kind;
		lv->rcode = mut(levels[i].rcode ? levels[i].rcode : "NOERROR");
		lv->error = mut(levels[i].error);
		lv->why_bogus = mut(levels[i].why_bogus);
		lv->ede = -1;
		lv->rrs = j->rrs[i];
		for (k = 0; k < 4 && levels[i].rr[k].tag != NULL; k++) {
			const struct rec *rc = &levels[i].rr[k];

			j->rrs[i][k].flags = rc->flags;
			j->rrs[i][k].tag = mut(rc->tag);
			j->rrs[i][k].value = mut(rc->value);
			j->rrs[i][k].value_len = rc->len ? rc->len :
			    strlen(rc->value);
			lv->nrrs++;
		}
	}
	j->n = i;
	if (cd_caa_evaluate(&j->req, j->lv, j->n, &j->res, &e) != CD_OK ||
	    cd_report_new("CAA", identifier, &j->r, &e) != CD_OK)
		return false;
	cd_caa_explain(j->r, j->lv, &j->req, &j->res);
	cd_caa_rfc_notes(j->r, j->lv, &j->res);
	if (j->res.found >= 0)
		cd_caa_lint(j->r, &j->lv[j->res.found], &j->req);
	return true;
}

static void
done(struct judged *j)
{
	cd_caa_result_clear(&j->res);
	cd_report_free(j->r);
}

static void
show(const struct cd_report *r)
{
	size_t i;

	for (i = 0; r != NULL && i < cd_report_nproblems(r); i++)
		tap_diag("%s: %s | %s",
		    cd_problem_name(cd_report_problem(r, i)->code),
		    cd_report_problem(r, i)->message,
		    cd_report_problem(r, i)->hint ?
		    cd_report_problem(r, i)->hint : "");
}

static size_t
count(const struct cd_report *r, enum cd_prob code)
{
	size_t i, n = 0;

	for (i = 0; r != NULL && i < cd_report_nproblems(r); i++)
		n += cd_report_problem(r, i)->code == code;
	return n;
}

/* The only problem of the report, or NULL (with a failed test). */
static const struct cd_problem *
only(const struct cd_report *r, enum cd_prob code, const char *what)
{
	bool ok = r != NULL && cd_report_nproblems(r) == 1 &&
	    cd_report_problem(r, 0)->code == code;

	if (!tap_ok(ok, "%s: %s and nothing else", what,
	    cd_problem_name(code))) {
		show(r);
		return NULL;
	}
	return cd_report_problem(r, 0);
}

static void
contains(const char *s, const char *words, const char *what)
{
	if (!tap_ok(s != NULL && strstr(s, words) != NULL, "%s", what)) {
		tap_diag_str("text", s);
		tap_diag_str("words", words);
	}
}

/* ---------------------------------------------------------------- */
/* The verdict                                                        */

static void
test_verdicts(void)
{
	struct judged j;
	const struct cd_problem *p;

	/* No records anywhere: allowed, and the summary says how far. */
	judge(&j, "www.example.test", NULL, (const struct lvl[]){
	    {"www.example.test", CD_CAA_LVL_EMPTY, {{0}}, 0, 0, 0},
	    {"example.test", CD_CAA_LVL_EMPTY, {{0}}, 0, 0, 0},
	    {"test", CD_CAA_LVL_EMPTY, {{0}}, 0, 0, 0}, {NULL}});
	tap_is_int((long long)cd_report_nproblems(j.r), 0, "no CAA: no "
	    "problems");
	tap_is_str(cd_status_name(cd_report_status(j.r)), "OK", "no CAA: OK");
	tap_is_str(cd_report_summary(j.r), "letsencrypt.org may issue for "
	    "www.example.test: no CAA records from www.example.test up to "
	    "test", "no CAA: the summary");
	done(&j);

	/* A parent's record naming the CA: allowed by that record. */
	judge(&j, "www.example.test", NULL, (const struct lvl[]){
	    {"www.example.test", CD_CAA_LVL_EMPTY, {{0}}, 0, 0, 0},
	    {"example.test", CD_CAA_LVL_RECORDS, {{0, "issue",
	    "letsencrypt.org", 0}}, 0, 0, 0}, {NULL}});
	tap_is_str(cd_report_summary(j.r), "letsencrypt.org may issue for "
	    "www.example.test: CAA record for example.test allows it (issue "
	    "\"letsencrypt.org\")", "allowed by a parent: the summary names "
	    "the record");
	done(&j);

	/* Records, but none of issue/issuewild: nothing restricts. */
	judge(&j, "example.test", NULL, (const struct lvl[]){
	    {"example.test", CD_CAA_LVL_RECORDS, {{0, "iodef",
	    "mailto:caa@example.test", 0}}, 0, 0, 0}, {NULL}});
	tap_is_int((long long)cd_report_nproblems(j.r), 0, "iodef only: no "
	    "problems");
	tap_is_str(cd_report_summary(j.r), "letsencrypt.org may issue for "
	    "example.test: the CAA records for example.test have no issue "
	    "record", "iodef only: the summary");
	done(&j);

	/* Another CA on the name itself: refused, fix on that name. */
	judge(&j, "example.test", NULL, (const struct lvl[]){
	    {"example.test", CD_CAA_LVL_RECORDS, {{0, "issue", "ca.example",
	    0}}, 0, 0, 0}, {"test", CD_CAA_LVL_EMPTY, {{0}}, 0, 0, 0},
	    {NULL}});
	if ((p = only(j.r, CD_P_CAA_FORBIDS_ISSUER, "another CA")) != NULL) {
		tap_is_str(p->message, "While processing CAA for "
		    "example.test: CAA record for example.test prevents "
		    "issuance", "another CA: Boulder's reason");
		contains(p->hint, "example.test. CAA 0 issue "
		    "\"letsencrypt.org\"", "another CA: the hint gives the "
		    "record to add");
		tap_ok(strstr(p->hint, "apply to") == NULL, "another CA: the "
		    "hint speaks of no parent");
	}
	tap_is_str(cd_status_name(cd_report_status(j.r)), "CRITICAL",
	    "another CA: CRITICAL");
	done(&j);

	/* Inherited from the parent: add a record of one's own. */
	judge(&j, "host.dyn.example.test", NULL, (const struct lvl[]){
	    {"host.dyn.example.test", CD_CAA_LVL_EMPTY, {{0}}, 0, 0, 0},
	    {"dyn.example.test", CD_CAA_LVL_RECORDS, {{0, "issue",
	    "ca.example", 0}}, 0, 0, 0}, {NULL}});
	if ((p = only(j.r, CD_P_CAA_FORBIDS_ISSUER, "a parent's record")) !=
	    NULL) {
		contains(p->message, "CAA record for dyn.example.test prevents "
		    "issuance", "a parent's record: the reason names the "
		    "parent");
		contains(p->hint, "the records are on dyn.example.test and "
		    "apply to host.dyn.example.test too", "a parent's record: "
		    "the hint says where they are");
		contains(p->hint, "host.dyn.example.test. CAA 0 issue "
		    "\"letsencrypt.org\"", "a parent's record: the record of "
		    "one's own, on the name");
	}
	done(&j);

	/* A wildcard: issuewild decides (RFC 8659 4.3), and is proposed. */
	judge(&j, "*.example.test", NULL, (const struct lvl[]){
	    {"example.test", CD_CAA_LVL_RECORDS, {{0, "issue",
	    "letsencrypt.org", 0}, {0, "issuewild", ";", 0}}, 0, 0, 0},
	    {NULL}});
	if ((p = only(j.r, CD_P_CAA_FORBIDS_ISSUER, "issuewild \";\"")) !=
	    NULL)
		contains(p->hint, "example.test. CAA 0 issuewild "
		    "\"letsencrypt.org\"", "issuewild \";\": the hint proposes "
		    "issuewild");
	done(&j);
	judge(&j, "*.example.test", NULL, (const struct lvl[]){
	    {"example.test", CD_CAA_LVL_RECORDS, {{0, "issue",
	    "letsencrypt.org", 0}}, 0, 0, 0}, {NULL}});
	tap_is_int((long long)cd_report_nproblems(j.r), 0, "a wildcard under "
	    "issue alone: allowed (issue applies when no issuewild)");
	done(&j);
	judge(&j, "*.example.test", NULL, (const struct lvl[]){
	    {"example.test", CD_CAA_LVL_RECORDS, {{0, "iodef",
	    "mailto:caa@example.test", 0}}, 0, 0, 0}, {NULL}});
	tap_is_str(cd_report_summary(j.r), "letsencrypt.org may issue for "
	    "*.example.test: the CAA records for example.test have no issue "
	    "or issuewild record", "a wildcard, iodef only: the summary names "
	    "both tags");
	done(&j);

	/* An unknown tag with the critical flag (RFC 8659 4.1). */
	judge(&j, "example.test", NULL, (const struct lvl[]){
	    {"example.test", CD_CAA_LVL_RECORDS, {{0, "issue",
	    "letsencrypt.org", 0}, {128, "tbs", "unknown", 0}}, 0, 0, 0},
	    {NULL}});
	if ((p = only(j.r, CD_P_CAA_CRITICAL_UNKNOWN, "critical unknown "
	    "tag")) != NULL) {
		contains(p->message, "prevents issuance (a record with an "
		    "unknown tag has the critical flag set)", "critical "
		    "unknown tag: the message says why");
		contains(p->hint, "clear its critical flag", "critical unknown "
		    "tag: the hint");
	}
	done(&j);

	/* A lookup that fails below any records: the CA refuses. */
	judge(&j, "www.example.test", NULL, (const struct lvl[]){
	    {"www.example.test", CD_CAA_LVL_ERROR, {{0}}, "SERVFAIL",
	    "SERVFAIL looking up CAA for www.example.test", NULL},
	    {"example.test", CD_CAA_LVL_RECORDS, {{0, "issue",
	    "letsencrypt.org", 0}}, 0, 0, 0}, {NULL}});
	if ((p = only(j.r, CD_P_CAA_DNS_ERROR, "SERVFAIL")) != NULL) {
		tap_is_str(p->message, "While processing CAA for "
		    "www.example.test: DNS problem: SERVFAIL looking up CAA "
		    "for www.example.test", "SERVFAIL: Boulder's reason");
		contains(p->hint, "fix the name servers", "SERVFAIL: the hint "
		    "is about the name servers");
	}
	done(&j);
	judge(&j, "www.example.test", NULL, (const struct lvl[]){
	    {"www.example.test", CD_CAA_LVL_ERROR, {{0}}, "SERVFAIL",
	    "DNSSEC: Bogus", "signature expired"}, {NULL}});
	if ((p = only(j.r, CD_P_CAA_DNS_ERROR, "bogus DNSSEC")) != NULL)
		contains(p->hint, "fix the zone's DNSSEC", "bogus DNSSEC: the "
		    "hint is about DNSSEC");
	done(&j);
}

/* ---------------------------------------------------------------- */
/* Lints of the relevant set                                          */

static const struct {
	const char *what;
	struct rec rr;
	size_t want;		/* caa_malformed_record findings */
	const char *words;	/* of the first one */
} lints[] = {
	{"the issuer as published", {0, "issue", "letsencrypt.org", 0}, 0,
	    NULL},
	{"no issuer at all (forbids every CA)", {0, "issue", ";", 0}, 0,
	    NULL},
	{"parameters as Boulder reads them", {0, "issue", "letsencrypt.org; "
	    "validationmethods=http-01,dns-01", 0}, 0, NULL},
	{"the issuer in capitals", {0, "issue", "LetsEncrypt.org", 0}, 1,
	    "the CA compares the issuer domain exactly"},
	{"the issuer with a trailing dot", {0, "issue", "letsencrypt.org.", 0},
	    1, "does not match \"letsencrypt.org\""},
	{"a parameter name in capitals", {0, "issue", "letsencrypt.org; "
	    "AccountURI=https://acme.example/acct/1", 0}, 1,
	    "parameter 'AccountURI' is not recognised"},
	{"two accounturi parameters", {0, "issue", "letsencrypt.org; "
	    "accounturi=https://a.example/1; accounturi=https://a.example/2",
	    0}, 1, "more than one accounturi parameter authorises nobody"},
	{"two validationmethods parameters", {0, "issue", "letsencrypt.org; "
	    "validationmethods=http-01; validationmethods=dns-01", 0}, 1,
	    "more than one validationmethods parameter"},
	{"an empty validationmethods item", {0, "issue", "letsencrypt.org; "
	    "validationmethods=http-01,,dns-01", 0}, 1,
	    "an empty item in validationmethods"},
	{"a hyphen in a parameter tag", {0, "issue", "letsencrypt.org; "
	    "account-uri=x", 0}, 1, "is malformed"},
	{"a space inside a value", {0, "issue", "letsencrypt.org; "
	    "accounturi=a b", 0}, 1, "is malformed"},
	{"a NUL byte in the value", {0, "issue", "letsencrypt.org\0x", 17}, 1,
	    "is malformed (NUL byte)"},
	{"a misspelt issue tag", {0, "isue", "letsencrypt.org", 0}, 1,
	    "CAA tag 'isue' is unknown and ignored"},
	{"a misspelt issuewild tag", {0, "issuewlid", "letsencrypt.org", 0}, 1,
	    "CAA tag 'issuewlid' is unknown"},
	{"a misspelt tag with the critical flag (refused, not linted)",
	    {128, "isue", "letsencrypt.org", 0}, 0, NULL},
	{"an unknown tag far from any", {0, "contactemail",
	    "caa@example.test", 0}, 0, NULL},
	{"iodef", {0, "iodef", "mailto:caa@example.test", 0}, 0, NULL},
};

static void
test_lints(void)
{
	struct judged j;
	size_t i;

	for (i = 0; i < sizeof(lints) / sizeof(lints[0]); i++) {
		struct lvl l[2] = {{"example.test", CD_CAA_LVL_RECORDS,
		    {lints[i].rr}, 0, 0, 0}, {NULL}};

		if (!tap_ok(judge(&j, "example.test", NULL, l), "%s: judged",
		    lints[i].what))
			continue;
		if (!tap_is_int((long long)count(j.r,
		    CD_P_CAA_MALFORMED_RECORD), (long long)lints[i].want,
		    "%s: %zu caa_malformed_record", lints[i].what,
		    lints[i].want))
			show(j.r);
		if (lints[i].words != NULL) {
			size_t k;
			const char *msg = NULL;

			for (k = 0; k < cd_report_nproblems(j.r); k++)
				if (cd_report_problem(j.r, k)->code ==
				    CD_P_CAA_MALFORMED_RECORD) {
					msg = cd_report_problem(j.r, k)->message;
					break;
				}
			contains(msg, lints[i].words, lints[i].what);
		}
		done(&j);
	}

	/* Lints are of the relevant set only: a parent's are not read. */
	judge(&j, "www.example.test", NULL, (const struct lvl[]){
	    {"www.example.test", CD_CAA_LVL_RECORDS, {{0, "issue",
	    "letsencrypt.org", 0}}, 0, 0, 0},
	    {"example.test", CD_CAA_LVL_RECORDS, {{0, "isue", "x", 0}}, 0, 0,
	    0}, {NULL}});
	tap_is_int((long long)count(j.r, CD_P_CAA_MALFORMED_RECORD), 0,
	    "a parent's misspelt tag is not the relevant set's");
	done(&j);
}

/* ---------------------------------------------------------------- */
/* Where Let's Encrypt reads RFC 8659 its own way                     */

static size_t
notes_with(const struct cd_report *r, const char *words)
{
	const char *s;
	size_t i, n = 0;
	char path[32];

	for (i = 0; i < 8; i++) {
		snprintf(path, sizeof(path), "rfc_notes.%zu", i);
		if ((s = cd_report_get_string(r, path)) != NULL &&
		    strstr(s, words) != NULL)
			n++;
	}
	return n;
}

static void
test_rfc_notes(void)
{
	struct judged j;

	judge(&j, "example.test", NULL, (const struct lvl[]){
	    {"example.test", CD_CAA_LVL_EMPTY, {{0}}, 0, 0, 0},
	    {"test", CD_CAA_LVL_RECORDS, {{0, "issue", "ca.example", 0}}, 0, 0,
	    0}, {NULL}});
	tap_is_int((long long)notes_with(j.r, "found at the TLD"), 1,
	    "records at the TLD: noted (no public-suffix logic)");
	done(&j);

	judge(&j, "example.test", NULL, (const struct lvl[]){
	    {"example.test", CD_CAA_LVL_RECORDS, {{1, "tbs", "x", 0}}, 0, 0,
	    0}, {NULL}});
	tap_is_int((long long)count(j.r, CD_P_CAA_CRITICAL_UNKNOWN), 1,
	    "flag 1 on an unknown tag: refused as critical");
	tap_is_int((long long)notes_with(j.r, "RFC 8659 defines only flag "
	    "128 as critical"), 1, "flag 1: noted as Let's Encrypt's reading");
	done(&j);

	judge(&j, "example.test", NULL, (const struct lvl[]){
	    {"example.test", CD_CAA_LVL_RECORDS, {{128, "tbs", "x", 0}}, 0, 0,
	    0}, {NULL}});
	tap_is_int((long long)notes_with(j.r, "flag"), 0,
	    "flag 128: critical by the RFC too, no note");
	done(&j);

	judge(&j, "example.test", NULL, (const struct lvl[]){
	    {"example.test", CD_CAA_LVL_RECORDS, {{0, "issue",
	    "letsencrypt.org; account-uri=x", 0}}, 0, 0, 0}, {NULL}});
	tap_is_int((long long)notes_with(j.r, "RFC 8659 allows '-' inside a "
	    "parameter tag"), 1, "a hyphen in a parameter tag: noted");
	done(&j);

	judge(&j, "example.test", NULL, (const struct lvl[]){
	    {"example.test", CD_CAA_LVL_EMPTY, {{0}}, 0, 0, 0},
	    {"test", CD_CAA_LVL_ERROR, {{0}}, "NXDOMAIN", "NXDOMAIN looking "
	    "up CAA for test", NULL}, {NULL}});
	tap_is_int((long long)count(j.r, CD_P_CAA_DNS_ERROR), 1,
	    "NXDOMAIN at the TLD: a DNS error for the CA");
	tap_is_int((long long)notes_with(j.r, "treats it as an error at a "
	    "TLD"), 1, "NXDOMAIN at the TLD: noted");
	done(&j);

	judge(&j, "example.test", NULL, (const struct lvl[]){
	    {"example.test", CD_CAA_LVL_EMPTY, {{0}}, 0, 0, 0},
	    {"test", CD_CAA_LVL_ERROR, {{0}}, "SERVFAIL", "SERVFAIL looking "
	    "up CAA for test", NULL}, {NULL}});
	tap_is_int((long long)notes_with(j.r, "NXDOMAIN"), 0,
	    "SERVFAIL at the TLD: an error by the RFC too, no note");
	done(&j);

	judge(&j, "example.test", NULL, (const struct lvl[]){
	    {"example.test", CD_CAA_LVL_RECORDS, {{0, "issue",
	    "letsencrypt.org", 0}}, 0, 0, 0}, {NULL}});
	tap_is_int((long long)cd_report_get_count(j.r, "rfc_notes"), 0,
	    "a plain record: no rfc_notes");
	done(&j);
}

int
main(void)
{
	test_verdicts();
	test_lints();
	test_rfc_notes();
	return tap_done();
}
