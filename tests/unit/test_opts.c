/*
 * test_opts.c - the opaque options (lib/core/opts.c): every CD_OPT_ has its
 * long name both ways, values are taken as the command line writes them
 * and refused in the tools' words without changing anything, lists add
 * up, and the context keeps a copy that outlives the options.
 */
#include <stdio.h>
#include <string.h>

#include "ctx.h"
#include "opts.h"
#include "tap.h"

static void
test_names(void)
{
	char under[64];
	enum cd_opt got;
	size_t k;
	int i, bad = 0;

	for (i = 1; i < CD_OPT__COUNT; i++) {
		const char *n = cd_opt_name((enum cd_opt)i);

		if (n == NULL || cd_opt_lookup(n, &got) != CD_OK ||
		    got != (enum cd_opt)i) {
			tap_diag("option %d (%s) not found by its name", i,
			    n ? n : "no name");
			bad++;
			continue;
		}
		snprintf(under, sizeof(under), "%s", n);
		for (k = 0; under[k]; k++)
			if (under[k] == '-')
				under[k] = '_';
		if (cd_opt_lookup(under, &got) != CD_OK ||
		    got != (enum cd_opt)i) {
			tap_diag("%s not found as %s", n, under);
			bad++;
		}
	}
	tap_ok(bad == 0, "each of the %d options found by its long name, "
	    "with '-' or '_'", CD_OPT__COUNT - 1);
	tap_ok(cd_opt_lookup("connect_to", &got) == CD_OK &&
	    got == CD_OPT_CONNECT_TO, "connect_to is CD_OPT_CONNECT_TO");
	tap_ok(cd_opt_lookup("connect", &got) == CD_E_USAGE &&
	    cd_opt_lookup("connect-to-x", &got) == CD_E_USAGE &&
	    cd_opt_lookup("", &got) == CD_E_USAGE &&
	    cd_opt_lookup(NULL, &got) == CD_E_USAGE,
	    "a prefix, a longer name, empty and NULL are no option");
	tap_ok(cd_opt_name((enum cd_opt)0) == NULL &&
	    cd_opt_name(CD_OPT__COUNT) == NULL, "no name out of range");
	tap_ok(strcmp(cd_opt_name(CD_OPT_CAFILE), "cafile") == 0 &&
	    strcmp(cd_opt_name(CD_OPT_KEY_AUTHORIZATION),
	    "key-authorization") == 0, "names as the command line spells them");
}

static void
test_defaults(void)
{
	struct cd_opts *o = cd_opts_new();

	tap_ok(o != NULL, "cd_opts_new");
	if (o == NULL)
		return;
	tap_is_int(o->timeout_ms, 10000, "timeout 10 s by default");
	tap_ok(strcmp(o->ca, "letsencrypt.org") == 0 &&
	    strcmp(o->method, "http-01") == 0, "CA and method by default");
	tap_ok(o->warn_cap_days == 30 && o->crit_cap_days == 10,
	    "thresholds capped at 30 and 10 days by default");
	tap_ok(cd_opts_get(o, CD_OPT_CA) == NULL, "an option not set: NULL");
	tap_ok(strcmp(cd_opts_error(o), "") == 0, "no error yet");
	cd_opts_free(o);
	cd_opts_free(NULL);
}

/* One refused value: CD_E_USAGE, these words, nothing changed. */
static void
refused(struct cd_opts *o, enum cd_opt opt, const char *v, const char *want)
{
	const char *before = cd_opts_get(o, opt);
	char keep[256];

	snprintf(keep, sizeof(keep), "%s", before ? before : "(unset)");
	tap_ok(cd_opts_set(o, opt, v) == CD_E_USAGE &&
	    strcmp(cd_opts_error(o), want) == 0, "--%s %s%s%s: refused: %s",
	    cd_opt_name(opt), v ? "'" : "", v ? v : "(no value)", v ? "'" : "",
	    want);
	if (strcmp(cd_opts_error(o), want) != 0)
		tap_diag_str("said", cd_opts_error(o));
	before = cd_opts_get(o, opt);
	tap_ok(strcmp(before ? before : "(unset)", keep) == 0,
	    "--%s: the refused value changed nothing", cd_opt_name(opt));
}

static void
test_values(void)
{
	struct cd_opts *o = cd_opts_new();

	if (o == NULL)
		return;
	tap_ok(cd_opts_set(o, CD_OPT_TIMEOUT, "2.5") == CD_OK &&
	    o->timeout_ms == 2500 && strcmp(cd_opts_get(o, CD_OPT_TIMEOUT),
	    "2.5") == 0, "--timeout 2.5: 2500 ms, given back as written");
	refused(o, CD_OPT_TIMEOUT, "soon",
	    "--timeout 'soon': want a number of seconds above 0");
	tap_is_int(o->timeout_ms, 2500, "the timeout is still 2.5 s");
	refused(o, CD_OPT_TIMEOUT, NULL, "--timeout needs a value");
	refused(o, CD_OPT_CRL, "yes", "--crl takes no value");
	refused(o, CD_OPT_HTTP_PORT, "65536", "--http-port '65536': want "
	    "1..65535");
	refused(o, CD_OPT_PORT, "-1", "--port '-1': want 1..65535");
	refused(o, CD_OPT_SNI, "", "--sni: want a NAME (without one, the "
	    "target's host is sent)");
	refused(o, CD_OPT_MAX_VALIDITY, "0", "--max-validity '0': want a "
	    "number of days above 0");
	refused(o, CD_OPT_CT, "sometimes", "--ct 'sometimes': want auto, "
	    "required or off");
	refused(o, CD_OPT_METHOD, "http-02", "--method 'http-02': want "
	    "http-01, dns-01, tls-alpn-01, dns-account-01 or dns-persist-01");
	refused(o, CD_OPT_TOKEN, "a/b", "--token 'a/b': want base64url "
	    "characters (A-Z a-z 0-9 - _), at most 60");
	refused(o, CD_OPT_CLIENT_CERT, "/nonexistent/c.pem",
	    "--client-cert '/nonexistent/c.pem': No such file or directory");
	refused(o, CD_OPT_IGNORE, "no_such_code", "--ignore: unknown "
	    "problem code 'no_such_code'");
	refused((struct cd_opts *)o, (enum cd_opt)0, "x", "no option 0");
	tap_ok(cd_opts_set(NULL, CD_OPT_CRL, NULL) == CD_E_USAGE,
	    "no options: CD_E_USAGE");

	tap_ok(cd_opts_set(o, CD_OPT_WARNING, "20") == CD_OK &&
	    o->warn_cap_days == 0 && o->crit_cap_days == 10,
	    "-w 20: the operator's threshold, uncapped; -c keeps its cap");
	tap_ok(cd_opts_set(o, CD_OPT_CRL, NULL) == CD_OK && o->crl &&
	    strcmp(cd_opts_get(o, CD_OPT_CRL), "") == 0,
	    "a flag: set, given back as \"\"");
	tap_ok(cd_opts_set(o, CD_OPT_VERBOSE, NULL) == CD_OK &&
	    cd_opts_set(o, CD_OPT_VERBOSE, NULL) == CD_OK && o->verbose == 2,
	    "--verbose twice: level 2");
	tap_ok(cd_opts_set(o, CD_OPT_IPV6, NULL) == CD_OK && o->family == 6 &&
	    cd_opts_set(o, CD_OPT_IPV4, NULL) == CD_OK && o->family == 4,
	    "-6 then -4: the last wins");
	tap_ok(cd_opts_set(o, CD_OPT_DANE, NULL) == CD_OK &&
	    o->dane == CD_DANE_AUTO && cd_opts_set(o, CD_OPT_DANE,
	    "required") == CD_OK && o->dane == CD_DANE_REQUIRED,
	    "--dane alone is auto; --dane=required");
	tap_ok(cd_opts_set(o, CD_OPT_IGNORE, "chain_incomplete") == CD_OK &&
	    cd_opts_set(o, CD_OPT_IGNORE, "cert_expiring") == CD_OK &&
	    strcmp(o->ignore, "chain_incomplete,cert_expiring") == 0 &&
	    strcmp(cd_opts_get(o, CD_OPT_IGNORE),
	    "chain_incomplete,cert_expiring") == 0,
	    "--ignore twice: the lists add up");
	tap_ok(cd_opts_set(o, CD_OPT_CAFILE, "/a") == CD_OK &&
	    cd_opts_set(o, CD_OPT_CAFILE, "/b") == CD_OK &&
	    strcmp(o->cafile, "/b") == 0, "--cafile twice: the last wins");
	tap_ok(cd_opts_set(o, CD_OPT_CA, "example.org") == CD_OK &&
	    strcmp(o->ca, "example.org") == 0, "--ca example.org");
	refused(o, CD_OPT_CA, "not an issuer", "--ca: 'not an issuer' is not "
	    "an issuer domain name (the CA's, as in its CAA records: "
	    "letsencrypt.org)");
	cd_opts_free(o);
}

/* The context's copy lives on after the options are changed and freed. */
static void
test_copy(void)
{
	struct cd_opts *o = cd_opts_new();
	struct cd_ctx *ctx = NULL;
	struct cd_err e;
	cd_rc rc;

	if (o == NULL)
		return;
	cd_opts_set(o, CD_OPT_SNI, "first.example");
	cd_opts_set(o, CD_OPT_SEVERITY, "chain_incomplete:warning");
	cd_opts_set(o, CD_OPT_NO_CA_VIEW, NULL);
	rc = cd_ctx_new(o, &ctx, &e);
	tap_ok(rc == CD_OK, "cd_ctx_new");
	if (rc != CD_OK) {
		tap_diag_str("said", e.msg);
		cd_opts_free(o);
		return;
	}
	cd_opts_set(o, CD_OPT_SNI, "second.example");
	cd_opts_free(o);
	tap_ok(strcmp(ctx->o.sni, "first.example") == 0 &&
	    strcmp(ctx->o.severity, "chain_incomplete:warning") == 0 &&
	    ctx->o.no_ca_view, "the context keeps the values it was made "
	    "with after the options change and are freed");
	cd_ctx_free(ctx);
	tap_ok(cd_ctx_new(NULL, &ctx, &e) == CD_E_USAGE, "cd_ctx_new(NULL) "
	    "is CD_E_USAGE");
}

int
main(void)
{
	test_names();
	test_defaults();
	test_values();
	test_copy();
	return tap_done();
}
