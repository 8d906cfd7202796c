/*
 * tlsalpn01check - would the CA's tls-alpn-01 validation (RFC 8737)
 * succeed: does NAME:443 negotiate ALPN acme-tls/1 and serve the
 * challenge certificate the CA expects?  Installed also as
 * check_tlsalpn01, the Nagios plugin.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_opt opts[] = {
	{"key-authorization", 0, CLI_STRING, "KEYAUTH", NULL, "judge the "
	    "challenge certificate as the CA does against this key "
	    "authorization (TOKEN.THUMBPRINT); critical unless it would pass",
	    CLI_LIB(CD_OPT_KEY_AUTHORIZATION)},
	{"port", 'p', CLI_NUMBER, "PORT", NULL, "the port that stands for 443 "
	    "(test labs only; the CA always uses 443)", CLI_LIB(CD_OPT_PORT)},
	{"allow-reserved", 0, CLI_NONE, NULL, NULL, "lab mode: keep loopback "
	    "and private addresses (the CA would not)",
	    CLI_LIB(CD_OPT_ALLOW_RESERVED)},
	CLI_OPT_HOST("DOMAIN", "the DOMAIN or IP to check, as Monitoring "
	    "Plugins name it"),
	CLI_OPT_SNI_IGNORED,
	CLI_CAVIEW_OPTS,
	{NULL, 0, CLI_NONE, NULL, NULL, NULL, 0}
};

static const char synopsis[] =
    "tlsalpn01check [OPTIONS] DOMAIN|IP... [--key-authorization=KEYAUTH]\n"
    "       tlsalpn01check [OPTIONS] -f FILE";

static const char about[] =
    "Connect to DOMAIN:443 the way an ACME CA validates tls-alpn-01 (IPv6 "
    "first, TLS 1.2+,\nALPN acme-tls/1, SNI = DOMAIN, no verification) and "
    "say what it would conclude,\nin its own words.";

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

	cli_init(&c, argv[0], "tlsalpn01check", synopsis, about, opts);
	cli_parse(&c, argc, argv, handle);
	c.ip_identifiers = true;
	cli_check_domains(&c);
	code = cli_run(&c, cd_tlsalpn01check_run);
	cli_free(&c);
	return code;
}
