/*
 * test_cert_report.c - cd_cert_report() on chains made here with GnuTLS,
 * against the rules written down outside the code:
 *
 *   expiry    the default thresholds, the smaller of 30% of the leaf's
 *             lifetime and 30 days (warning) and of 10% and 10 days
 *             (critical), for 6-, 45-, 90-, 397- and 825-day
 *             certificates; a -w/-c the user gives has no cap
 *   names     RFC 6125 6.4: DNS-ID case-insensitive, a wildcard covers
 *             exactly one leftmost label, IP-IDs compare as addresses,
 *             the CN is not looked at when the certificate has SANs
 *   chain     RFC 8446 4.4.2: leaf first, each next one certifying the
 *             one before, the root may be left out
 *   crypto    CA/Browser Forum Baseline Requirements 6.1.5 and 7.1.3:
 *             RSA keys of 2048 bits or more, no SHA-1 signatures
 *
 * Each case names the problem codes it expects, and words of the
 * message where the message is what tells the operator what to do.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certgen.h"
#include "cert_report.h"
#include "opts.h"
#include "tap.h"

#define H 3600

static struct {
	time_t now;
	gnutls_x509_privkey_t kr, ki, kl, ku;
	struct cd_cert *root, *inter, *other;
	struct cd_trust *trust;	/* holds root */
	struct cd_trust *alien;	/* holds only other */
	struct cd_trust *self;	/* holds other: its own anchor */
} fx;

static bool
fixtures(const char *dir)
{
	time_t now = fx.now;
	char path[256];
	struct tg_spec sr = {.cn = "Test Root", .ca = true,
	    .not_before = now - 400 * TG_DAY, .not_after = now + 3000 * TG_DAY};
	struct tg_spec si = {.cn = "Test Intermediate", .ca = true,
	    .not_before = now - 100 * TG_DAY, .not_after = now + 1500 * TG_DAY};
	struct tg_spec so = {.cn = "other.test", .san = {"other.test"},
	    .not_before = now - 10 * TG_DAY, .not_after = now + 80 * TG_DAY};

	if ((fx.kr = tg_key(0)) == NULL || (fx.ki = tg_key(0)) == NULL ||
	    (fx.kl = tg_key(0)) == NULL || (fx.ku = tg_key(0)) == NULL)
		return false;
	fx.root = tg_cert(&sr, fx.kr, NULL, NULL);
	fx.inter = fx.root ? tg_cert(&si, fx.ki, fx.root, fx.kr) : NULL;
	fx.other = tg_cert(&so, fx.ku, NULL, NULL);
	if (fx.inter == NULL || fx.other == NULL)
		return false;
	snprintf(path, sizeof(path), "%s/root.pem", dir);
	if (!tg_write_pem(fx.root, path) ||
	    cd_trust_new(path, &fx.trust, NULL) != CD_OK)
		return false;
	unlink(path);
	snprintf(path, sizeof(path), "%s/other.pem", dir);
	if (!tg_write_pem(fx.other, path) ||
	    cd_trust_new(path, &fx.alien, NULL) != CD_OK ||
	    cd_trust_new(path, &fx.self, NULL) != CD_OK)
		return false;
	unlink(path);
	return true;
}

/* A leaf for example.test by the intermediate. */
static struct cd_cert *
leaf(time_t not_before, time_t not_after)
{
	struct tg_spec sp = {.cn = "example.test", .san = {"example.test"},
	    .not_before = not_before, .not_after = not_after};

	return tg_cert(&sp, fx.kl, fx.inter, fx.ki);
}

/*
 * The report on certs as a server sent them, for name, under o (NULL:
 * the defaults) and trust t.
 */
static struct cd_report *
judge(struct cd_cert *const *certs, size_t n, const char *name,
    const char *source, const struct cd_trust *t, const struct cd_opts *o)
{
	struct cd_opts *def = NULL;
	struct cd_report *r = NULL;
	struct cd_cert_input in = {.certs = certs, .n = n, .name = name,
	    .source = source, .trust = t};
	struct cd_err e;

	if (o == NULL) {
		if ((def = cd_opts_new()) == NULL)
			return NULL;
		def->now = fx.now;
		o = def;
	}
	if (cd_report_new("CERT", name ? name : "file", &r, &e) != CD_OK ||
	    cd_cert_report(o, &in, r, &e) != CD_OK) {
		tap_diag("cd_cert_report: %s", e.msg);
		cd_report_free(r);
		r = NULL;
	}
	cd_opts_free(def);
	return r;
}

/* The first problem with this code, or NULL. */
static const struct cd_problem *
find(const struct cd_report *r, enum cd_prob code)
{
	size_t i;

	for (i = 0; r != NULL && i < cd_report_nproblems(r); i++)
		if (cd_report_problem(r, i)->code == code)
			return cd_report_problem(r, i);
	return NULL;
}

static void
show(const struct cd_report *r)
{
	size_t i;

	for (i = 0; r != NULL && i < cd_report_nproblems(r); i++)
		tap_diag("%s (%s): %s",
		    cd_problem_name(cd_report_problem(r, i)->code),
		    cd_status_name(cd_report_problem(r, i)->severity),
		    cd_report_problem(r, i)->message);
}

/* A problem with code exists and its message holds words (or NULL). */
static bool
has(const struct cd_report *r, enum cd_prob code, const char *words,
    const char *what)
{
	const struct cd_problem *p = find(r, code);
	bool ok = p != NULL && (words == NULL ||
	    strstr(p->message, words) != NULL);

	if (!tap_ok(ok, "%s: %s%s%s%s", what, cd_problem_name(code),
	    words ? " \"" : "", words ? words : "", words ? "\"" : "")) {
		if (words != NULL)
			tap_diag_str("words", words);
		show(r);
	}
	return ok;
}

static bool
lacks(const struct cd_report *r, enum cd_prob code, const char *what)
{
	if (!tap_ok(r != NULL && find(r, code) == NULL, "%s: no %s", what,
	    cd_problem_name(code))) {
		show(r);
		return false;
	}
	return true;
}

/* ---------------------------------------------------------------- */
/* Expiry                                                             */

enum level { NONE, WARN, CRIT };

struct expiry_case {
	int lifetime;		/* days */
	long left;		/* seconds */
	enum level want;
	const char *rule;	/* words of the message's rule, or NULL */
	const char *w, *c;	/* -w, -c as the user gives them, or NULL */
};

static const struct expiry_case expiry[] = {
	/* 6 days: 30% is 1.8 days, 10% is 0.6 days (under both caps). */
	{6, 2 * TG_DAY, NONE, NULL, NULL, NULL},
	{6, 1.8 * TG_DAY + H, NONE, NULL, NULL, NULL},
	{6, 1.8 * TG_DAY - H, WARN, "less than 30% of its 6-day lifetime "
	    "(1.8 days) left", NULL, NULL},
	{6, 0.6 * TG_DAY + H, WARN, "(1.8 days)", NULL, NULL},
	{6, 0.6 * TG_DAY - H, CRIT, "less than 10% of its 6-day lifetime "
	    "(0.6 days) left", NULL, NULL},
	/* 45 days: 13.5 and 4.5 days. */
	{45, 13.5 * TG_DAY + H, NONE, NULL, NULL, NULL},
	{45, 13.5 * TG_DAY - H, WARN, "less than 30% of its 45-day lifetime "
	    "(13.5 days) left", NULL, NULL},
	{45, 4.5 * TG_DAY + H, WARN, "(13.5 days)", NULL, NULL},
	{45, 4.5 * TG_DAY - H, CRIT, "less than 10% of its 45-day lifetime "
	    "(4.5 days) left", NULL, NULL},
	/* 90 days: 27 and 9 days, whole days. */
	{90, 27 * TG_DAY + H, NONE, NULL, NULL, NULL},
	{90, 27 * TG_DAY - H, WARN, "less than 30% of its 90-day lifetime "
	    "left", NULL, NULL},
	{90, 9 * TG_DAY + H, WARN, "less than 30% of its 90-day", NULL, NULL},
	{90, 9 * TG_DAY - H, CRIT, "less than 10% of its 90-day lifetime "
	    "left", NULL, NULL},
	/* 397 days: 30% is 119.1 days, capped at 30; 10% at 10. */
	{397, 100 * TG_DAY, NONE, NULL, NULL, NULL},
	{397, 30 * TG_DAY + H, NONE, NULL, NULL, NULL},
	{397, 30 * TG_DAY - H, WARN, "less than 30 days left", NULL, NULL},
	{397, 10 * TG_DAY + H, WARN, "less than 30 days left", NULL, NULL},
	{397, 10 * TG_DAY - H, CRIT, "less than 10 days left", NULL, NULL},
	/* 825 days: 247.5 and 82.5 days, capped at 30 and 10. */
	{825, 200 * TG_DAY, NONE, NULL, NULL, NULL},
	{825, 30 * TG_DAY + H, NONE, NULL, NULL, NULL},
	{825, 30 * TG_DAY - H, WARN, "less than 30 days left", NULL, NULL},
	{825, 10 * TG_DAY - H, CRIT, "less than 10 days left", NULL, NULL},
	/* Days the user gives: fewer than N days, whatever the lifetime. */
	{90, 20 * TG_DAY + H, NONE, NULL, "20", "5"},
	{90, 20 * TG_DAY - H, WARN, "less than 20 days left", "20", "5"},
	{90, 5 * TG_DAY - H, CRIT, "less than 5 days left", "20", "5"},
	{6, 3 * TG_DAY, WARN, "less than 4 days left", "4", "1"},
	/* A percentage the user gives has no cap. */
	{397, 199 * TG_DAY, NONE, NULL, "50%", NULL},
	{397, 190 * TG_DAY, WARN, "less than 50% of its 397-day lifetime "
	    "(198.5 days) left", "50%", NULL},
	{825, 50 * TG_DAY, CRIT, "less than 10% of its 825-day lifetime "
	    "(82.5 days) left", NULL, "10%"},
};

static void
test_expiry(void)
{
	static const char *lv[] = {"OK", "WARNING", "CRITICAL"};
	size_t i;

	for (i = 0; i < sizeof(expiry) / sizeof(expiry[0]); i++) {
		const struct expiry_case *x = &expiry[i];
		time_t na = fx.now + x->left;
		struct cd_cert *l = leaf(na - (time_t)x->lifetime * TG_DAY, na);
		struct cd_cert *chain[] = {l, fx.inter};
		struct cd_opts *o = cd_opts_new();
		struct cd_report *r = NULL;
		const struct cd_problem *p;
		char what[160];

		snprintf(what, sizeof(what), "%d-day certificate, %.3f days "
		    "left%s%s%s%s", x->lifetime, x->left / (double)TG_DAY,
		    x->w ? ", -w " : "", x->w ? x->w : "",
		    x->c ? ", -c " : "", x->c ? x->c : "");
		if (o != NULL && l != NULL &&
		    (x->w == NULL || cd_opts_set(o, CD_OPT_WARNING, x->w) ==
		    CD_OK) &&
		    (x->c == NULL || cd_opts_set(o, CD_OPT_CRITICAL, x->c) ==
		    CD_OK)) {
			o->now = fx.now;
			r = judge(chain, 2, "example.test", NULL, fx.trust, o);
		}
		p = find(r, CD_P_CERT_EXPIRING);
		if (!tap_is_str(r == NULL ? "(no report)" : p == NULL ? "OK" :
		    cd_status_name(p->severity), lv[x->want], "%s: %s", what,
		    lv[x->want]))
			show(r);
		if (x->rule != NULL)
			has(r, CD_P_CERT_EXPIRING, x->rule, what);
		if (p != NULL && x->want != NONE)
			tap_ok(strncmp(p->message, "leaf certificate "
			    "example.test expires in ", 40) == 0, "%s: the "
			    "message names the leaf", what);
		cd_report_free(r);
		cd_opts_free(o);
		cd_cert_free(l);
	}
}

static void
test_validity(void)
{
	time_t now = fx.now;
	struct tg_spec si = {.cn = "Short Intermediate", .ca = true,
	    .not_before = now - 100 * TG_DAY, .not_after = now + 20 * TG_DAY};
	struct tg_spec sl = {.cn = "example.test", .san = {"example.test"},
	    .not_before = now - 30 * TG_DAY, .not_after = now + 60 * TG_DAY};
	struct cd_cert *l, *si_c = NULL, *sl_c = NULL;
	struct cd_report *r;

	/* Expired two days ago: expired, not "expiring". */
	l = leaf(now - 92 * TG_DAY, now - 2 * TG_DAY);
	r = judge((struct cd_cert *[]){l, fx.inter}, 2, "example.test", NULL,
	    fx.trust, NULL);
	has(r, CD_P_CERT_EXPIRED, "leaf certificate example.test expired "
	    "2.0 days ago", "expired leaf");
	lacks(r, CD_P_CERT_EXPIRING, "expired leaf");
	lacks(r, CD_P_CHAIN_UNTRUSTED, "expired leaf (the expiry explains "
	    "the failed verification)");
	tap_is_str(cd_status_name(cd_report_status(r)), "CRITICAL",
	    "expired leaf: CRITICAL");
	cd_report_free(r);
	cd_cert_free(l);

	/* Valid from tomorrow. */
	l = leaf(now + TG_DAY, now + 91 * TG_DAY);
	r = judge((struct cd_cert *[]){l, fx.inter}, 2, "example.test", NULL,
	    fx.trust, NULL);
	has(r, CD_P_CERT_NOT_YET_VALID, "leaf certificate example.test is "
	    "not valid before", "leaf valid from tomorrow");
	lacks(r, CD_P_CHAIN_UNTRUSTED, "leaf valid from tomorrow");
	cd_report_free(r);
	cd_cert_free(l);
	/* ... or from a minute from now: no grace (RFC 5280 4.1.2.5). */
	l = leaf(now + 60, now + 90 * TG_DAY);
	r = judge((struct cd_cert *[]){l, fx.inter}, 2, "example.test", NULL,
	    fx.trust, NULL);
	has(r, CD_P_CERT_NOT_YET_VALID, NULL, "leaf valid in a minute");
	cd_report_free(r);
	cd_cert_free(l);
	/* ... and valid since a minute ago: fine. */
	l = leaf(now - 60, now + 90 * TG_DAY);
	r = judge((struct cd_cert *[]){l, fx.inter}, 2, "example.test", NULL,
	    fx.trust, NULL);
	lacks(r, CD_P_CERT_NOT_YET_VALID, "leaf valid since a minute ago");
	cd_report_free(r);
	cd_cert_free(l);

	/*
	 * An intermediate that expires before the leaf: the chain breaks
	 * then, and the leaf's thresholds apply to it (20 days < 27).
	 */
	si_c = tg_cert(&si, fx.ki, fx.root, fx.kr);
	sl_c = si_c ? tg_cert(&sl, fx.kl, si_c, fx.ki) : NULL;
	r = sl_c ? judge((struct cd_cert *[]){sl_c, si_c}, 2, "example.test",
	    NULL, fx.trust, NULL) : NULL;
	has(r, CD_P_INTERMEDIATE_EXPIRES_FIRST, "intermediate certificate "
	    "Short Intermediate expires", "intermediate expiring first");
	has(r, CD_P_CERT_EXPIRING, "intermediate certificate Short "
	    "Intermediate expires in 20.0 days", "intermediate expiring first");
	cd_report_free(r);

	/* Those dates under an intermediate that outlives the leaf. */
	l = leaf(sl.not_before, sl.not_after);
	r = l ? judge((struct cd_cert *[]){l, fx.inter}, 2, "example.test",
	    NULL, fx.trust, NULL) : NULL;
	lacks(r, CD_P_INTERMEDIATE_EXPIRES_FIRST, "intermediate outliving "
	    "the leaf");
	lacks(r, CD_P_CERT_EXPIRING, "intermediate outliving the leaf, leaf "
	    "60 of 90 days left");
	tap_is_str(cd_status_name(cd_report_status(r)), "OK",
	    "intermediate outliving the leaf: OK");
	cd_report_free(r);
	cd_cert_free(l);
	cd_cert_free(sl_c);
	cd_cert_free(si_c);
}

/* ---------------------------------------------------------------- */
/* Names                                                              */

static const struct {
	const char *name;
	bool covered;
	const char *why;
} names[] = {
	{"example.test", true, "a DNS-ID"},
	{"EXAMPLE.Test", true, "DNS-IDs compare case-insensitively"},
	{"www.example.test", false, "a name the certificate does not list"},
	{"a.wild.test", true, "*.wild.test covers one label"},
	{"wild.test", false, "*.wild.test does not cover wild.test"},
	{"a.b.wild.test", false, "*.wild.test covers one label only"},
	{"127.0.0.1", true, "an IP-ID"},
	{"127.0.0.2", false, "another address"},
	{"::1", true, "an IPv6 IP-ID"},
	{"0:0:0:0:0:0:0:1", true, "IPv6 IP-IDs compare as addresses"},
	{"xn--bcher-kva.test", true, "an IDN's A-label"},
	{"cn-only.test", false, "the CN is not looked at next to SANs"},
};

static void
test_names(void)
{
	time_t now = fx.now;
	struct tg_spec sp = {.cn = "cn-only.test", .san = {"example.test",
	    "*.wild.test", "127.0.0.1", "::1", "xn--bcher-kva.test"},
	    .not_before = now - 10 * TG_DAY, .not_after = now + 80 * TG_DAY};
	struct cd_cert *l = tg_cert(&sp, fx.kl, fx.inter, fx.ki);
	struct cd_cert *chain[] = {l, fx.inter};
	struct cd_opts *o = cd_opts_new();
	struct cd_report *r;
	char what[128];
	double v;
	size_t i, n;

	if (!tap_ok(l != NULL && o != NULL, "a leaf with DNS, wildcard, IP "
	    "and IDN names"))
		goto out;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(what, sizeof(what), "%s (%s)", names[i].name,
		    names[i].why);
		r = judge(chain, 2, names[i].name, NULL, fx.trust, NULL);
		if (names[i].covered)
			lacks(r, CD_P_HOSTNAME_MISMATCH, what);
		else
			has(r, CD_P_HOSTNAME_MISMATCH, "does not cover", what);
		tap_ok(r != NULL && cd_report_get_number(r, "hostname_match",
		    &v) == 0 && v == names[i].covered, "%s: hostname_match %s",
		    what, names[i].covered ? "true" : "false");
		cd_report_free(r);
	}
	/* The mismatch says which names the certificate does hold. */
	r = judge(chain, 2, "www.example.test", NULL, fx.trust, NULL);
	has(r, CD_P_HOSTNAME_MISMATCH, "certificate does not cover "
	    "www.example.test (subject cn-only.test; names: example.test, "
	    "*.wild.test, 127.0.0.1, ::1, xn--bcher-kva.test)", "the names");
	cd_report_free(r);
	/* No name to match (a file): no verdict either way. */
	r = judge(chain, 2, NULL, "leaf.pem", fx.trust, NULL);
	lacks(r, CD_P_HOSTNAME_MISMATCH, "no name given");
	tap_ok(r != NULL && cd_report_get_number(r, "hostname_match", &v) ==
	    -1 && cd_report_get_count(r, "hostname_match") == 0,
	    "no name given: hostname_match is null");
	cd_report_free(r);

	/* --require-san: one finding per name not covered, U-labels too. */
	o->now = fx.now;
	tap_ok(cd_opts_set(o, CD_OPT_REQUIRE_SAN, "example.test,b\xc3\xbc"
	    "cher.test,x.wild.test,missing.test,127.0.0.1") == CD_OK,
	    "--require-san with a U-label");
	r = judge(chain, 2, "example.test", NULL, fx.trust, o);
	for (i = 0, n = 0; r != NULL && i < cd_report_nproblems(r); i++)
		n += cd_report_problem(r, i)->code == CD_P_SAN_MISSING;
	tap_is_int((long long)n, 1, "--require-san: one name missing");
	has(r, CD_P_SAN_MISSING, "does not cover required name missing.test",
	    "--require-san");
	cd_report_free(r);
out:
	cd_opts_free(o);
	cd_cert_free(l);
}

/* ---------------------------------------------------------------- */
/* Chain structure and trust                                          */

static void
test_structure(void)
{
	struct cd_cert *l = leaf(fx.now - 10 * TG_DAY, fx.now + 80 * TG_DAY);
	struct cd_report *r;
	const enum cd_prob chain_codes[] = {CD_P_CHAIN_INCOMPLETE,
	    CD_P_CHAIN_UNTRUSTED, CD_P_CHAIN_ORDER, CD_P_CHAIN_ROOT_SENT,
	    CD_P_CHAIN_EXTRA_CERT, CD_P_SELF_SIGNED};
	size_t i;
	double v;

	if (!tap_ok(l != NULL, "a leaf"))
		return;
	r = judge((struct cd_cert *[]){l, fx.inter}, 2, "example.test", NULL,
	    fx.trust, NULL);
	for (i = 0; i < sizeof(chain_codes) / sizeof(chain_codes[0]); i++)
		lacks(r, chain_codes[i], "leaf, intermediate");
	tap_is_str(cd_status_name(cd_report_status(r)), "OK",
	    "leaf, intermediate: OK");
	tap_ok(r != NULL && cd_report_get_number(r, "verify.trusted", &v) ==
	    0 && v == 1, "leaf, intermediate: verify.trusted");
	tap_ok(r != NULL && strstr(cd_report_summary(r), "chain trusted"),
	    "leaf, intermediate: the summary says the chain is trusted");
	cd_report_free(r);

	/* The cert.pem mistake, served and in a file. */
	r = judge((struct cd_cert *[]){l}, 1, "example.test", NULL, fx.trust,
	    NULL);
	has(r, CD_P_CHAIN_INCOMPLETE, "the server sends only the certificate "
	    "for example.test; the intermediate that issued it (CN=Test "
	    "Intermediate) is missing", "leaf alone");
	lacks(r, CD_P_CHAIN_UNTRUSTED, "leaf alone (incomplete says it)");
	tap_is_str(cd_status_name(cd_report_status(r)), "CRITICAL",
	    "leaf alone: CRITICAL");
	cd_report_free(r);
	r = judge((struct cd_cert *[]){l}, 1, NULL, "/etc/ssl/cert.pem",
	    fx.trust, NULL);
	has(r, CD_P_CHAIN_INCOMPLETE, "/etc/ssl/cert.pem holds only the "
	    "certificate for example.test", "a file with the leaf alone");
	cd_report_free(r);

	/* Complete, but ending at a root the store does not hold. */
	r = judge((struct cd_cert *[]){l, fx.inter}, 2, "example.test", NULL,
	    fx.alien, NULL);
	has(r, CD_P_CHAIN_UNTRUSTED, "chain ends at Test Intermediate, whose "
	    "issuer CN=Test Root is not a trusted root", "unknown root");
	lacks(r, CD_P_CHAIN_INCOMPLETE, "unknown root (the top is a CA)");
	cd_report_free(r);

	/* Out of order, root sent. */
	r = judge((struct cd_cert *[]){l, fx.root, fx.inter}, 3,
	    "example.test", NULL, fx.trust, NULL);
	has(r, CD_P_CHAIN_ORDER, "the served certificates are not in "
	    "leaf-to-root order", "leaf, root, intermediate");
	has(r, CD_P_CHAIN_ROOT_SENT, "the server also sends the root Test "
	    "Root", "leaf, root, intermediate");
	cd_report_free(r);

	/* In order with the root: only the root is worth a note. */
	r = judge((struct cd_cert *[]){l, fx.inter, fx.root}, 3,
	    "example.test", NULL, fx.trust, NULL);
	lacks(r, CD_P_CHAIN_ORDER, "leaf, intermediate, root");
	has(r, CD_P_CHAIN_ROOT_SENT, NULL, "leaf, intermediate, root");
	tap_is_str(cd_status_name(cd_report_status(r)), "OK",
	    "leaf, intermediate, root: OK (sending the root is harmless)");
	cd_report_free(r);

	/* A certificate that belongs to no chain of this leaf. */
	r = judge((struct cd_cert *[]){l, fx.inter, fx.other}, 3,
	    "example.test", NULL, fx.trust, NULL);
	has(r, CD_P_CHAIN_EXTRA_CERT, "certificate #2 (other.test) is not "
	    "part of the chain of example.test", "an unrelated certificate");
	lacks(r, CD_P_CHAIN_ORDER, "an unrelated certificate at the end");
	cd_report_free(r);

	/* Self-signed: a finding unless the store trusts it as it is. */
	r = judge((struct cd_cert *[]){fx.other}, 1, "other.test", NULL,
	    fx.trust, NULL);
	has(r, CD_P_SELF_SIGNED, "leaf certificate other.test is "
	    "self-signed", "self-signed leaf");
	lacks(r, CD_P_CHAIN_UNTRUSTED, "self-signed leaf");
	lacks(r, CD_P_CHAIN_INCOMPLETE, "self-signed leaf");
	cd_report_free(r);
	r = judge((struct cd_cert *[]){fx.other}, 1, "other.test", NULL,
	    fx.self, NULL);
	lacks(r, CD_P_SELF_SIGNED, "self-signed leaf in --cafile");
	tap_is_str(cd_status_name(cd_report_status(r)), "OK",
	    "self-signed leaf in --cafile: OK");
	cd_report_free(r);
	cd_cert_free(l);
}

/* ---------------------------------------------------------------- */
/* Keys and signatures                                                */

static void
test_crypto(void)
{
	time_t now = fx.now;
	struct tg_spec sp = {.cn = "example.test", .san = {"example.test"},
	    .not_before = now - 10 * TG_DAY, .not_after = now + 80 * TG_DAY};
	gnutls_x509_privkey_t k1024 = tg_key(1024), k2048 = tg_key(2048);
	struct cd_cert *l;
	struct cd_report *r;

	l = k1024 ? tg_cert(&sp, k1024, fx.inter, fx.ki) : NULL;
	r = l ? judge((struct cd_cert *[]){l, fx.inter}, 2, "example.test",
	    NULL, fx.trust, NULL) : NULL;
	has(r, CD_P_WEAK_KEY, "leaf certificate example.test has a 1024-bit "
	    "RSA key", "RSA-1024 leaf");
	cd_report_free(r);
	cd_cert_free(l);

	l = k2048 ? tg_cert(&sp, k2048, fx.inter, fx.ki) : NULL;
	r = l ? judge((struct cd_cert *[]){l, fx.inter}, 2, "example.test",
	    NULL, fx.trust, NULL) : NULL;
	lacks(r, CD_P_WEAK_KEY, "RSA-2048 leaf");
	lacks(r, CD_P_WEAK_SIGNATURE, "RSA-2048 leaf, SHA-256");
	tap_is_str(r ? cd_status_name(cd_report_status(r)) : NULL, "OK",
	    "RSA-2048 leaf: OK");
	cd_report_free(r);
	cd_cert_free(l);

	l = leaf(now - 10 * TG_DAY, now + 80 * TG_DAY);
	r = l ? judge((struct cd_cert *[]){l, fx.inter}, 2, "example.test",
	    NULL, fx.trust, NULL) : NULL;
	lacks(r, CD_P_WEAK_KEY, "ECDSA P-256 leaf");
	cd_report_free(r);
	cd_cert_free(l);

	sp.dig = GNUTLS_DIG_SHA1;
	l = tg_cert(&sp, fx.kl, fx.inter, fx.ki);
	if (l == NULL) {
		tap_skip("SHA-1 signed leaf: weak_signature",
		    "GnuTLS here refuses to sign with SHA-1");
	} else {
		r = judge((struct cd_cert *[]){l, fx.inter}, 2,
		    "example.test", NULL, fx.trust, NULL);
		has(r, CD_P_WEAK_SIGNATURE, "leaf certificate example.test "
		    "is signed with ECDSA-SHA1", "SHA-1 signed leaf");
		cd_report_free(r);
		cd_cert_free(l);
	}
	gnutls_x509_privkey_deinit(k1024);
	gnutls_x509_privkey_deinit(k2048);
}

int
main(void)
{
	char dir[] = "/tmp/test_cert_report.XXXXXX";

	if (cd_global_init(NULL) != CD_OK || mkdtemp(dir) == NULL)
		return 1;
	fx.now = time(NULL);
	if (!tap_ok(fixtures(dir), "a root, an intermediate, a self-signed "
	    "leaf"))
		goto out;
	test_expiry();
	test_validity();
	test_names();
	test_structure();
	test_crypto();
out:
	rmdir(dir);
	cd_trust_free(fx.trust);
	cd_trust_free(fx.alien);
	cd_trust_free(fx.self);
	cd_cert_free(fx.root);
	cd_cert_free(fx.inter);
	cd_cert_free(fx.other);
	gnutls_x509_privkey_deinit(fx.kr);
	gnutls_x509_privkey_deinit(fx.ki);
	gnutls_x509_privkey_deinit(fx.kl);
	gnutls_x509_privkey_deinit(fx.ku);
	cd_global_cleanup();
	return tap_done();
}
