/*
 * caacheck - would the CA be allowed to issue for these names?  CAA as
 * Let's Encrypt decides it.  Installed also as check_caa, the Nagios
 * plugin.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_opt opts[] = {
	{"ca", 0, CLI_STRING, "ISSUER", NULL, "issuer domain of the CA "
	    "(default letsencrypt.org)", CLI_LIB(CD_OPT_CA)},
	{"account-uri", 0, CLI_STRING, "URI", NULL, "ACME account URI, "
	    "checked against accounturi (RFC 8657)",
	    CLI_LIB(CD_OPT_ACCOUNT_URI)},
	{"method", 0, CLI_STRING, "METHOD", "http-01 dns-01 tls-alpn-01 "
	    "dns-account-01 dns-persist-01", "http-01 (default), dns-01, "
	    "tls-alpn-01, dns-account-01 or dns-persist-01, checked against "
	    "validationmethods", CLI_LIB(CD_OPT_METHOD)},
	CLI_OPT_HOST("DOMAIN", "the DOMAIN to check, as Monitoring "
	    "Plugins name it"),
	CLI_OPT_SNI_IGNORED,
	CLI_CAVIEW_OPTS,
	{NULL, 0, CLI_NONE, NULL, NULL, NULL, 0}
};

static const char synopsis[] =
    "caacheck [OPTIONS] DOMAIN...\n"
    "       caacheck [OPTIONS] -f FILE";

static const char about[] =
    "Predict whether the CA's CAA check lets it issue for each DOMAIN "
    "('*.example.com'\nchecks wildcard issuance), following Let's "
    "Encrypt's own rules: tree climbing\nto the TLD, issue vs issuewild, "
    "the critical flag, accounturi and\nvalidationmethods, and DNS "
    "failures that make the CA refuse.";

/* Every option is the library's (CLI_LIB): nothing of its own. */
static bool
handle(struct cli *c, int id, const char *arg)
{
	(void)c;
	(void)id;
	(void)arg;
	return false;
}

int
main(int argc, char **argv)
{
	struct cli c;
	int code;

	cli_init(&c, argv[0], "caacheck", synopsis, about, opts);
	cli_parse(&c, argc, argv, handle);
	cli_check_domains(&c);
	code = cli_run(&c, cd_caacheck_run);
	cli_free(&c);
	return code;
}
