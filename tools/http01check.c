/*
 * http01check - is http://NAME/.well-known/acme-challenge/TOKEN reachable
 * from outside, judged the way Let's Encrypt's validator judges it?
 * Installed also as check_http01, the Nagios plugin.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_opt opts[] = {
	{"token", 0, CLI_STRING, "TOKEN", NULL, "token to request (default: a "
	    "random one; a 404 then still proves the path works)",
	    CLI_LIB(CD_OPT_TOKEN)},
	{"expect", 0, CLI_STRING, "KEYAUTH", NULL, "critical unless the body, "
	    "trimmed as the CA trims it, equals KEYAUTH",
	    CLI_LIB(CD_OPT_EXPECT)},
	{"webroot", 0, CLI_DIR, "DIR", NULL, "self-test: write a token file "
	    "under DIR/.well-known/acme-challenge/, fetch it, remove it",
	    CLI_LIB(CD_OPT_WEBROOT)},
	{"http-port", 'p', CLI_NUMBER, "PORT", NULL, "the port that stands "
	    "for 80 (test labs only)", CLI_LIB(CD_OPT_HTTP_PORT)},
	{"https-port", 0, CLI_NUMBER, "PORT", NULL, "the port that stands for "
	    "443 when judging redirects", CLI_LIB(CD_OPT_HTTPS_PORT)},
	{"allow-reserved", 0, CLI_NONE, NULL, NULL, "lab mode: keep loopback "
	    "and private addresses (the CA would not)",
	    CLI_LIB(CD_OPT_ALLOW_RESERVED)},
	{"all-addresses", 0, CLI_NONE, NULL, NULL, "also fetch from every "
	    "A/AAAA address and report differences",
	    CLI_LIB(CD_OPT_ALL_ADDRESSES)},
	{"proxy", 0, CLI_STRING, "URL", NULL, "fetch through this HTTP "
	    "CONNECT proxy, http://[USER:PASS@]HOST:PORT (to the addresses "
	    "the CA would use)", CLI_LIB(CD_OPT_PROXY)},
	CLI_OPT_HOST("DOMAIN", "the DOMAIN or IP to check, as Monitoring "
	    "Plugins name it"),
	CLI_OPT_SNI_IGNORED,
	CLI_CAVIEW_OPTS,
	{NULL, 0, CLI_NONE, NULL, NULL, NULL, 0}
};

static const char synopsis[] =
    "http01check [OPTIONS] DOMAIN|IP...\n"
    "       http01check [OPTIONS] -f FILE";

static const char about[] =
    "Fetch http://DOMAIN/.well-known/acme-challenge/TOKEN the way an ACME "
    "CA's validator\ndoes (IPv6 first, its redirect rules, a 128-byte "
    "body) and say what it would\nconclude, in its own words.";

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

	cli_init(&c, argv[0], "http01check", synopsis, about, opts);
	cli_parse(&c, argc, argv, handle);
	if (cli_get(&c, CD_OPT_WEBROOT) != NULL &&
	    cli_get(&c, CD_OPT_EXPECT) != NULL)
		cli_usage_error(&c, "--webroot and --expect do not go together");
	c.ip_identifiers = true;
	cli_check_domains(&c);
	code = cli_run(&c, cd_http01check_run);
	cli_free(&c);
	return code;
}
