/*
 * cert_report.c - judge a chain: every finding names the certificate it
 * is about and says what to do, in the words of someone running nginx or
 * Apache with certbot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert_report.h"
#include "err.h"
#include "idn.h"
#include "jsonutil.h"
#include "opts.h"
#include "pin.h"
#include "sct.h"
#include "timeutil.h"

/* Everything the judging steps share. */
struct judge {
	const struct cd_opts *o;
	const struct cd_cert_input *in;
	struct cd_report *r;
	struct cd_chain_facts f;
	struct cd_verify v;
	time_t now;
	struct cd_range warn;	/* in days, percentages resolved */
	struct cd_range crit;
	char warn_rule[128];	/* what warn means, for the message */
	char crit_rule[128];
	double lifetime;	/* leaf, days */
};

static const char *
role(const struct judge *j, size_t idx)
{
	const struct cd_cert *c = j->in->certs[idx];

	if (idx == 0)
		return "leaf certificate";
	if (c->self_signed)
		return "root certificate";
	return "intermediate certificate";
}

json_t *
cd_cert_json(const struct cd_cert *c, time_t now)
{
	json_t *o = json_object(), *key = json_object(), *san = json_array();
	json_t *usan = NULL, *u;
	size_t i;

	if (o == NULL || key == NULL || san == NULL) {
		json_decref(o);
		json_decref(key);
		json_decref(san);
		return NULL;
	}
	cd_json_setk(key, CD_K_TYPE, cd_json_str(c->key_type));
	cd_json_setk(key, CD_K_BITS, json_integer(c->key_bits));
	if (c->curve)
		cd_json_setk(key, CD_K_CURVE, cd_json_str(c->curve));
	/*
	 * san_unicode runs parallel to san (same length and order), and
	 * only when a name is an IDN: certificates carry A-labels.
	 */
	for (i = 0; i < c->nsan; i++)
		if (usan == NULL && cd_idn_is_idn(c->san[i]))
			usan = json_array();
	for (i = 0; i < c->nsan; i++) {
		cd_json_push(san, cd_json_str(c->san[i]));
		if (usan != NULL) {
			u = cd_json_unicode(c->san[i]);
			cd_json_push(usan, u ? u : cd_json_str(c->san[i]));
		}
	}
	cd_json_setk(o, CD_K_SUBJECT, cd_json_str(c->subject));
	cd_json_setk(o, CD_K_ISSUER, cd_json_str(c->issuer));
	cd_json_setk(o, CD_K_SERIAL, cd_json_str(c->serial));
	cd_json_setk(o, CD_K_SHA256, cd_json_str(c->sha256));
	cd_json_setk(o, CD_K_NOT_BEFORE, cd_json_time(c->not_before));
	cd_json_setk(o, CD_K_NOT_AFTER, cd_json_time(c->not_after));
	cd_json_setk(o, CD_K_DAYS_LEFT,
	    cd_json_days(cd_days_between(now, c->not_after)));
	cd_json_setk(o, CD_K_KEY, key);
	cd_json_setk(o, CD_K_SIGNATURE, cd_json_str(c->sig_name));
	cd_json_setk(o, CD_K_SAN, san);
	if (usan != NULL)
		cd_json_setk(o, CD_K_SAN_UNICODE, usan);
	if (c->nsan_total > c->nsan)
		cd_json_setk(o, CD_K_SAN_TOTAL, json_integer(c->nsan_total));
	cd_json_setk(o, CD_K_CA, json_boolean(c->is_ca));
	cd_json_setk(o, CD_K_SELF_SIGNED, json_boolean(c->self_signed));
	if (c->must_staple)
		cd_json_setk(o, CD_K_MUST_STAPLE, json_true());
	return o;
}

/*
 * A percentage threshold becomes days of the leaf's lifetime, at most
 * cap days (0: no cap); rule says in words which limit applies, so the
 * operator reads why a 90-day and a 397-day certificate differ.
 */
static struct cd_range
in_days(const struct cd_range *r, double cap, double lifetime, char *rule,
    size_t len)
{
	struct cd_range d = *r;
	char a[32], b[32], g[64];

	if (r->percent) {
		d.percent = false;
		d.start = lifetime * r->start / 100.0;
		d.end_inf = true;
		if (cap > 0 && d.start > cap) {
			d.start = cap;
			snprintf(rule, len, "less than %s days left",
			    cd_days_str(cap, a, sizeof(a)));
		} else if (d.start == (double)(long long)d.start) {
			snprintf(rule, len, "less than %s%% of its %s-day "
			    "lifetime left", cd_days_str(r->start, a, sizeof(a)),
			    cd_days_str(lifetime, b, sizeof(b)));
		} else {
			snprintf(rule, len, "less than %s%% of its %s-day "
			    "lifetime (%s days) left",
			    cd_days_str(r->start, a, sizeof(a)),
			    cd_days_str(lifetime, b, sizeof(b)),
			    cd_days_str(d.start, g, sizeof(g)));
		}
	} else if (!r->inside && !r->start_inf && r->end_inf) {
		snprintf(rule, len, "less than %s days left",
		    cd_range_fmt(&(struct cd_range){.end = r->start}, g,
		    sizeof(g)));
	} else {
		snprintf(rule, len, "days left %s the range %s",
		    r->inside ? "inside" : "outside",
		    cd_range_fmt(r, g, sizeof(g)));
	}
	return d;
}

/* When certbot renews: a third of the lifetime left, half under 10 days. */
static double
renewal_point(double lifetime)
{
	return lifetime < 10 ? lifetime / 2 : lifetime / 3;
}

static void
judge_expiring(struct judge *j, size_t idx, double days)
{
	const struct cd_cert *c = j->in->certs[idx];
	char when[40], hint[512];
	double renew = renewal_point(j->lifetime);
	const char *rule;
	cd_status sev;

	if (cd_range_alerts(&j->crit, days)) {
		sev = CD_ST_CRITICAL;
		rule = j->crit_rule;
	} else if (cd_range_alerts(&j->warn, days)) {
		sev = CD_ST_WARNING;
		rule = j->warn_rule;
	} else {
		return;
	}
	cd_time_human(c->not_after, when, sizeof(when));
	if (idx != 0)
		snprintf(hint, sizeof(hint), "the CA's newer intermediate "
		    "comes with a renewal: renew the leaf and serve the chain "
		    "it comes with (fullchain.pem)");
	else if (j->lifetime > 100)
		/* Long-lived certificates are mostly bought and installed
		 * by hand; ACME clients would have renewed long ago. */
		snprintf(hint, sizeof(hint), "order the replacement from the "
		    "CA now and install it with its chain before %s (an ACME "
		    "client, if one manages it, renews when a third of the "
		    "%.0f days is left: check it ran)", when, j->lifetime);
	else if (days < renew)
		snprintf(hint, sizeof(hint), "ACME clients renew when %.0f "
		    "of its %.0f days are left (certbot: a third of the "
		    "lifetime), so automatic renewal has failed: run "
		    "'certbot renew --dry-run' and check the certbot timer "
		    "or cron job, then reload the web server",
		    renew, j->lifetime);
	else
		snprintf(hint, sizeof(hint), "renewal is not due yet (ACME "
		    "clients renew at %.0f days left); make sure it is "
		    "automated", renew);
	cd_report_add_sev(j->r, CD_P_CERT_EXPIRING, sev, hint,
	    "%s %s expires in %.1f days (%s): %s", role(j, idx), c->cn, days,
	    when, rule);
}

static void
judge_times(struct judge *j)
{
	const struct cd_cert *c, *leaf = j->in->certs[0];
	char when[40], lwhen[40];
	size_t k, idx;
	double days;

	for (k = 0; k < j->f.npath; k++) {
		idx = j->f.path[k];
		c = j->in->certs[idx];
		days = cd_days_between(j->now, c->not_after);
		cd_time_human(c->not_after, when, sizeof(when));
		if (j->now > c->not_after) {
			cd_report_add(j->r, CD_P_CERT_EXPIRED, idx == 0 ?
			    "renew it ('certbot renew') and reload the web "
			    "server so it serves the new certificate" :
			    "serve the current chain from your CA "
			    "(fullchain.pem of a fresh renewal)",
			    "%s %s expired %.1f days ago (%s)", role(j, idx),
			    c->cn, -days, when);
			continue;
		}
		if (j->now < c->not_before) {
			cd_time_human(c->not_before, when, sizeof(when));
			cd_report_add(j->r, CD_P_CERT_NOT_YET_VALID,
			    "check the clock of the machine that issued or "
			    "checks it (NTP); clients reject it until then",
			    "%s %s is not valid before %s", role(j, idx),
			    c->cn, when);
			continue;
		}
		/*
		 * The thresholds judge the leaf and what expires before it
		 * (the perfdata's days_left and chain_days_left).  An
		 * intermediate that outlives the leaf adds nothing under
		 * "fewer than N days", and under a range with an upper end
		 * ("~:10", "10:20") it would raise nonsense alerts.
		 */
		if (idx == 0 || c->not_after < leaf->not_after)
			judge_expiring(j, idx, days);
		if (idx != 0 && !c->self_signed &&
		    c->not_after < leaf->not_after) {
			cd_time_human(leaf->not_after, lwhen, sizeof(lwhen));
			cd_report_add(j->r, CD_P_INTERMEDIATE_EXPIRES_FIRST,
			    "the chain breaks when the intermediate expires; "
			    "serve the intermediate your CA issues now",
			    "%s %s expires %s, before the leaf (%s)",
			    role(j, idx), c->cn, when, lwhen);
		}
	}
}

static void
san_list(const struct cd_cert *c, char *buf, size_t len)
{
	size_t i, used = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < c->nsan && used < len; i++) {
		n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
		    c->san[i]);
		if (n < 0 || (size_t)n >= len - used) {
			snprintf(buf + used, len - used, " ...");
			break;
		}
		used += (size_t)n;
	}
	if (c->nsan == 0)
		snprintf(buf, len, "none");
}

static void
judge_names(struct judge *j)
{
	const struct cd_cert *leaf = j->in->certs[0];
	char sans[512], *list = NULL, *save = NULL, *tok, *ace;
	bool match;

	san_list(leaf, sans, sizeof(sans));
	if (j->in->name != NULL) {
		match = cd_cert_matches(leaf, j->in->name);
		cd_json_setk(j->r->detail, CD_K_HOSTNAME_MATCH,
		    json_boolean(match));
		if (!match)
			cd_report_add(j->r, CD_P_HOSTNAME_MISMATCH,
			    "get a certificate that includes this name "
			    "(certbot -d NAME), or check that the server "
			    "block for this name (SNI) has the right "
			    "certificate",
			    "certificate does not cover %s (subject %s; "
			    "names: %s)", j->in->name, leaf->cn, sans);
	} else {
		cd_json_setk(j->r->detail, CD_K_HOSTNAME_MATCH, json_null());
	}
	if (j->o->require_san == NULL ||
	    (list = strdup(j->o->require_san)) == NULL)
		return;
	for (tok = strtok_r(list, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		ace = NULL;
		if (cd_idn_to_ascii(tok, &ace, NULL) != CD_OK)
			ace = strdup(tok);
		if (ace && !cd_cert_matches(leaf, ace))
			cd_report_add(j->r, CD_P_SAN_MISSING,
			    "add the name to the certificate (certbot "
			    "--expand -d ...)", "certificate does not cover "
			    "required name %s (names: %s)", tok, sans);
		free(ace);
	}
	free(list);
}

static void
judge_structure(struct judge *j)
{
	const struct cd_cert *leaf = j->in->certs[0];
	const struct cd_cert *top = j->in->certs[j->f.top];
	const char *who = j->in->source ? j->in->source : "the server";
	size_t k;

	if (leaf->self_signed && !j->v.trusted) {
		cd_report_add(j->r, CD_P_SELF_SIGNED, "replace it with a "
		    "certificate from a CA (e.g. Let's Encrypt via certbot), "
		    "or pass --cafile if this is your own private CA",
		    "leaf certificate %s is self-signed", leaf->cn);
	} else if (j->f.incomplete) {
		cd_report_add(j->r, CD_P_CHAIN_INCOMPLETE,
		    j->in->source ? "use the full chain: certbot's "
		    "fullchain.pem holds the leaf and the intermediate, "
		    "cert.pem only the leaf" : "serve the full chain: nginx "
		    "ssl_certificate (Apache SSLCertificateFile) must name "
		    "fullchain.pem, not cert.pem (a private CA that issues "
		    "directly? pass its root with --cafile)",
		    "%s %s only the certificate for %s; the intermediate "
		    "that issued it (%s) is missing, so clients that do not "
		    "fetch it themselves fail (fullchain.pem, not cert.pem)",
		    who, j->in->source ? "holds" : "sends", top->cn,
		    top->issuer);
	} else if (j->f.issuer_missing && !j->v.trusted) {
		cd_report_add(j->r, CD_P_CHAIN_UNTRUSTED, j->in->custom_trust ?
		    "check that --cafile holds the root of this chain" :
		    "a private CA? pass its root with --cafile; otherwise "
		    "serve the chain your CA provides",
		    "chain ends at %s, whose issuer %s is not a trusted "
		    "root", top->cn, top->issuer);
	}
	if (j->f.cut)
		return;
	if (!j->f.ordered)
		cd_report_add(j->r, CD_P_CHAIN_ORDER, "list the certificates "
		    "leaf first, then each issuer in turn (certbot's "
		    "fullchain.pem is already in order)",
		    "%s certificates are not in leaf-to-root order",
		    j->in->source ? "the file's" : "the served");
	for (k = 0; k < j->f.nextra; k++)
		cd_report_add(j->r, CD_P_CHAIN_EXTRA_CERT, "remove it from "
		    "the chain file", "certificate #%zu (%s) is not part of "
		    "the chain of %s", j->f.extra[k], 
		    j->in->certs[j->f.extra[k]]->cn, leaf->cn);
	if (j->f.root_sent)
		cd_report_add(j->r, CD_P_CHAIN_ROOT_SENT, "harmless; clients "
		    "use their own copy of the root, so it can be left out",
		    "%s also %s the root %s", who,
		    j->in->source ? "holds" : "sends", top->cn);
}

static void
judge_crypto(struct judge *j)
{
	const struct cd_cert *c;
	size_t k, idx;
	bool weak;

	for (k = 0; k < j->f.npath; k++) {
		idx = j->f.path[k];
		c = j->in->certs[idx];
		if (c->sig_weak && !c->self_signed)
			cd_report_add(j->r, CD_P_WEAK_SIGNATURE, "reissue it "
			    "with a SHA-256 signature; clients reject SHA-1",
			    "%s %s is signed with %s", role(j, idx), c->cn,
			    c->sig_name);
		weak = false;
		if (strcmp(c->key_type, "RSA") == 0 ||
		    strcmp(c->key_type, "DSA") == 0)
			weak = c->key_bits < 2048;
		else if (strcmp(c->key_type, "ECDSA") == 0)
			weak = c->key_bits < 256;
		if (weak)
			cd_report_add(j->r, CD_P_WEAK_KEY, "use an RSA key of "
			    "2048 bits or more, or ECDSA P-256 (certbot "
			    "--key-type ecdsa)", "%s %s has a %u-bit %s key",
			    role(j, idx), c->cn, c->key_bits, c->key_type);
	}
}

/* Raise chain_untrusted when no finding so far explains the failure. */
static void
judge_trust(struct judge *j)
{
	unsigned left = j->v.status & ~(unsigned)GNUTLS_CERT_INVALID;
	char reasons[512];
	size_t i, used = 0;

	if (j->v.trusted || cd_report_has(j->r, CD_P_CHAIN_UNTRUSTED))
		return;
	if (cd_report_has(j->r, CD_P_CERT_EXPIRED))
		left &= ~(unsigned)GNUTLS_CERT_EXPIRED;
	if (cd_report_has(j->r, CD_P_CERT_NOT_YET_VALID))
		left &= ~(unsigned)GNUTLS_CERT_NOT_ACTIVATED;
	if (cd_report_has(j->r, CD_P_WEAK_SIGNATURE) ||
	    cd_report_has(j->r, CD_P_WEAK_KEY))
		left &= ~(unsigned)GNUTLS_CERT_INSECURE_ALGORITHM;
	if (cd_report_has(j->r, CD_P_CHAIN_INCOMPLETE) ||
	    cd_report_has(j->r, CD_P_SELF_SIGNED))
		left &= ~(unsigned)GNUTLS_CERT_SIGNER_NOT_FOUND;
	if (left == 0)
		return;
	reasons[0] = '\0';
	for (i = 0; i < j->v.nreasons && used < sizeof(reasons); i++)
		used += (size_t)snprintf(reasons + used, sizeof(reasons) - used,
		    "%s%s", i ? "; " : "", j->v.reasons[i]);
	cd_report_add(j->r, CD_P_CHAIN_UNTRUSTED, j->in->custom_trust ?
	    "check the chain against the CA in --cafile" :
	    "serve the chain your CA provides (fullchain.pem)",
	    "chain is not trusted: %s", reasons);
}

/*
 * The path could not be laid out in full (a hostile list of look-alike
 * certificates): said, and the structure findings that depend on a full
 * path are left out rather than guessed.
 */
static void
judge_cut(struct judge *j)
{
	if (!j->f.cut)
		return;
	cd_json_setk(j->r->detail, CD_K_CHAIN_ANALYSIS_CUT,
	    json_integer((json_int_t)j->f.tries));
	if (j->f.late)
		cd_report_add(j->r, CD_P_TIMEOUT, "raise -t if the chain is "
		    "genuine", "timeout during the chain analysis: %zu of the "
		    "%zu served certificates placed after %zu issuer checks",
		    j->f.npath, j->in->n, j->f.tries);
	else
		cd_report_add(j->r, CD_P_CHECK_ERROR, "serve only the leaf and "
		    "its intermediates (fullchain.pem)", "chain analysis "
		    "stopped after %zu issuer checks: the %zu served "
		    "certificates share names and carry no key identifiers, "
		    "so each check costs a signature verification", j->f.tries,
		    j->in->n);
}

static void
add_detail(struct judge *j)
{
	json_t *chain = json_array(), *ver = json_object(), *rs = json_array();
	time_t earliest = j->in->certs[0]->not_after;
	double leaf_days, chain_days;
	size_t i;

	for (i = 0; i < j->in->n; i++)
		cd_json_push(chain, cd_cert_json(j->in->certs[i], j->now));
	for (i = 0; i < j->f.npath; i++)
		if (j->in->certs[j->f.path[i]]->not_after < earliest)
			earliest = j->in->certs[j->f.path[i]]->not_after;
	for (i = 0; i < j->v.nreasons; i++)
		cd_json_push(rs, cd_json_str(j->v.reasons[i]));
	cd_json_setk(ver, CD_K_TRUSTED, json_boolean(j->v.trusted));
	cd_json_setk(ver, CD_K_REASONS, rs);
	cd_json_setk(j->r->detail, CD_K_CHAIN, chain);
	cd_json_setk(j->r->detail, CD_K_VERIFY, ver);
	cd_json_setk(j->r->detail, CD_K_EARLIEST_EXPIRY,
	    cd_json_time(earliest));
	leaf_days = cd_days_between(j->now, j->in->certs[0]->not_after);
	chain_days = cd_days_between(j->now, earliest);
	cd_json_setk(j->r->detail, CD_K_DAYS_LEFT, cd_json_days(leaf_days));
	cd_json_setk(j->r->detail, CD_K_CHAIN_DAYS_LEFT,
	    cd_json_days(chain_days));
	/* No min: an expired certificate has days left below 0. */
	cd_report_perf(j->r, "days_left", leaf_days, "", &j->warn, &j->crit,
	    NULL);
	cd_report_perf(j->r, "chain_days_left", chain_days, "", &j->warn,
	    &j->crit, NULL);
}

cd_rc
cd_cert_report(const struct cd_opts *o, const struct cd_cert_input *in,
    struct cd_report *r, struct cd_err *err)
{
	struct judge j;
	const struct cd_cert *leaf = in->certs[0];
	char when[40];
	cd_rc rc;

	memset(&j, 0, sizeof(j));
	j.o = o;
	j.in = in;
	j.r = r;
	j.now = o->now ? o->now : time(NULL);
	j.lifetime = cd_days_between(leaf->not_before, leaf->not_after);
	j.warn = in_days(&o->warn, o->warn_cap_days, j.lifetime, j.warn_rule,
	    sizeof(j.warn_rule));
	j.crit = in_days(&o->crit, o->crit_cap_days, j.lifetime, j.crit_rule,
	    sizeof(j.crit_rule));
	cd_chain_analyze(in->certs, in->n, in->trust, in->deadline, &j.f);
	judge_cut(&j);
	if ((rc = cd_trust_verify(in->trust, in->certs, in->n, &j.v,
	    err)) != CD_OK)
		return rc;
	judge_times(&j);
	judge_names(&j);
	judge_structure(&j);
	judge_crypto(&j);
	cd_pin_judge(o, in->certs, j.f.path, j.f.npath, r);
	cd_sct_judge(o, in->ctlogs, leaf, r);
	judge_trust(&j);
	add_detail(&j);
	/* Seen when --ignore or --severity took every alert away. */
	if (j.now > leaf->not_after)
		cd_report_ok_summary(r, "%s expired %.1f days ago (%s)",
		    leaf->cn, -cd_days_between(j.now, leaf->not_after),
		    cd_time_human(leaf->not_after, when, sizeof(when)));
	else
		cd_report_ok_summary(r, "%s valid for %.1f more days "
		    "(until %s)%s", leaf->cn,
		    cd_days_between(j.now, leaf->not_after),
		    cd_time_human(leaf->not_after, when, sizeof(when)),
		    j.v.trusted ? ", chain trusted" : "");
	if (in->trusted != NULL)
		*in->trusted = j.v.trusted;
	cd_verify_clear(&j.v);
	return r->oom ? cd_err_set(err, CD_E_NOMEM, "out of memory") : CD_OK;
}
