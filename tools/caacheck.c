/*
 * caacheck - would the CA be allowed to issue for these names?  CAA as
 * Let's Encrypt decides it.  Installed also as check_caa, the Nagios
 * plugin.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { O_CA = CLI_TOOL_BASE, O_ACCOUNT, O_METHOD };

static const struct cli_opt opts[] = {
	{"ca", 0, CLI_STRING, "ISSUER", "issuer domain of the CA (default "
	    "letsencrypt.org)", O_CA},
	{"account-uri", 0, CLI_STRING, "URI", "ACME account URI, checked "
	    "against accounturi (RFC 8657)", O_ACCOUNT},
	{"method", 0, CLI_STRING, "METHOD", "http-01 (default), dns-01 or "
	    "tls-alpn-01, checked against validationmethods", O_METHOD},
	CLI_OPT_HOST("DOMAIN", "the DOMAIN to check, as Monitoring "
	    "Plugins name it"),
	CLI_OPT_SNI_IGNORED,
	CLI_CAVIEW_OPTS,
	{NULL, 0, CLI_NONE, NULL, NULL, 0}
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

static bool
handle(struct cli *c, int id, const char *arg)
{
	static const char *const methods[] = {"http-01", "dns-01",
	    "tls-alpn-01", "dns-account-01", "dns-persist-01", NULL};
	size_t i;

	switch (id) {
	case O_CA:
		if (*arg == '\0' || strpbrk(arg, " \t;") != NULL)
			cli_usage_error(c, "--ca '%s': want an issuer domain "
			    "such as letsencrypt.org", arg);
		c->o.ca = arg;
		return true;
	case O_ACCOUNT:
		c->o.account_uri = arg;
		return true;
	case O_METHOD:
		for (i = 0; methods[i]; i++)
			if (strcmp(arg, methods[i]) == 0) {
				c->o.method = arg;
				return true;
			}
		cli_usage_error(c, "--method '%s': want http-01, dns-01 or "
		    "tls-alpn-01", arg);
	}
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
