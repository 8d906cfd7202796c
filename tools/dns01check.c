/*
 * dns01check - would the CA's dns-01, dns-account-01 or dns-persist-01
 * validation find the TXT record it wants (_acme-challenge.NAME,
 * _validation-persist.NAME), and does every authoritative server serve
 * it?  Installed also as check_dns01, the Nagios plugin.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The library's options but two, whose values are narrower here. */
enum { O_METHOD = CLI_TOOL_BASE, O_EXPECT };

static const struct cli_opt opts[] = {
	{"method", 0, CLI_STRING, "METHOD",
	    "dns-01 dns-account-01 dns-persist-01",
	    "dns-01 (default), dns-account-01 or dns-persist-01: the "
	    "challenge the CA will run", O_METHOD},
	{"key-authorization", 0, CLI_STRING, "KEYAUTH", NULL, "the TXT value "
	    "must be base64url(SHA-256(KEYAUTH)), as the CA computes it",
	    CLI_LIB(CD_OPT_KEY_AUTHORIZATION)},
	{"expect", 0, CLI_STRING, "VALUE", NULL, "the TXT value itself, when "
	    "the digest is already known", O_EXPECT},
	{"ca", 0, CLI_STRING, "ISSUER", NULL, "dns-persist-01: the CA's "
	    "issuer domain name (default letsencrypt.org)", CLI_LIB(CD_OPT_CA)},
	{"account-uri", 0, CLI_STRING, "URI", NULL, "dns-account-01: the "
	    "account whose label prefixes the challenge name; dns-persist-01: "
	    "must equal the record's accounturi exactly",
	    CLI_LIB(CD_OPT_ACCOUNT_URI)},
	CLI_OPT_HOST("DOMAIN", "the DOMAIN to check, as Monitoring "
	    "Plugins name it"),
	CLI_OPT_SNI_IGNORED,
	CLI_CAVIEW_OPTS,
	{NULL, 0, CLI_NONE, NULL, NULL, NULL, 0}
};

static const char synopsis[] =
    "dns01check [OPTIONS] DOMAIN... [--key-authorization=KEYAUTH]\n"
    "       dns01check --method=dns-persist-01 [--account-uri=URI] "
    "DOMAIN...\n"
    "       dns01check [OPTIONS] -f FILE";

static const char about[] =
    "Look up the TXT record at _acme-challenge.DOMAIN (or, for "
    "dns-persist-01,\n_validation-persist.DOMAIN) the way an ACME CA "
    "validates it (through a\nvalidating resolver that follows CNAMEs), "
    "say what it would conclude, in its own\nwords, and ask every "
    "authoritative server whether it serves the value.";

/* A value the library refuses is a usage error naming the option. */
static void
check(struct cli *c, const char *opt, cd_rc (*fn)(const char *,
    struct cd_err *), const char *arg)
{
	struct cd_err e;

	memset(&e, 0, sizeof(e));
	if (fn(arg, &e) != CD_OK)
		cli_usage_error(c, "--%s: %s", opt, e.msg);
}

static bool
handle(struct cli *c, int id, const char *arg)
{
	switch (id) {
	case O_METHOD:
		if (strcmp(arg, "dns-01") != 0 &&
		    strcmp(arg, "dns-account-01") != 0 &&
		    strcmp(arg, "dns-persist-01") != 0)
			cli_usage_error(c, "--method '%s': want dns-01, "
			    "dns-account-01 or dns-persist-01", arg);
		cli_set(c, CD_OPT_METHOD, arg);
		return true;
	case O_EXPECT:
		check(c, "expect", cd_acme_txt_value_check, arg);
		cli_set(c, CD_OPT_EXPECT, arg);
		return true;
	}
	return false;
}

int
main(int argc, char **argv)
{
	struct cli c;
	const char *method;
	bool persist, keyauth, expect;
	int code;

	cli_init(&c, argv[0], "dns01check", synopsis, about, opts);
	cli_set(&c, CD_OPT_METHOD, "dns-01");
	cli_parse(&c, argc, argv, handle);
	method = cli_get(&c, CD_OPT_METHOD);
	keyauth = cli_get(&c, CD_OPT_KEY_AUTHORIZATION) != NULL;
	expect = cli_get(&c, CD_OPT_EXPECT) != NULL;
	if (keyauth && expect)
		cli_usage_error(&c, "--key-authorization and --expect: give "
		    "one");
	if (strcmp(method, "dns-account-01") == 0 &&
	    cli_get(&c, CD_OPT_ACCOUNT_URI) == NULL)
		cli_usage_error(&c, "--method=dns-account-01 needs "
		    "--account-uri");
	persist = strcmp(method, "dns-persist-01") == 0;
	if (persist && (keyauth || expect))
		cli_usage_error(&c, "--method=dns-persist-01 has no "
		    "per-order value: give --account-uri (and --ca), not "
		    "--key-authorization or --expect");

	cli_check_domains(&c);
	code = cli_run(&c, cd_dns01check_run);
	cli_free(&c);
	return code;
}
