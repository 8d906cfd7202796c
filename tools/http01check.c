/*
 * http01check - is http://NAME/.well-known/acme-challenge/TOKEN reachable
 * from outside, judged the way Let's Encrypt's validator judges it?
 * Installed also as check_http01, the Nagios plugin.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	O_TOKEN = CLI_TOOL_BASE, O_EXPECT, O_WEBROOT, O_HTTP_PORT,
	O_HTTPS_PORT, O_ALLOW_RESERVED, O_ALL_ADDRESSES, O_PROXY
};

static const struct cli_opt opts[] = {
	{"token", 0, CLI_STRING, "TOKEN", "token to request (default: a "
	    "random one; a 404 then still proves the path works)", O_TOKEN},
	{"expect", 0, CLI_STRING, "KEYAUTH", "critical unless the body, "
	    "trimmed as the CA trims it, equals KEYAUTH", O_EXPECT},
	{"webroot", 0, CLI_FILE, "DIR", "self-test: write a token file under "
	    "DIR/.well-known/acme-challenge/, fetch it, remove it", O_WEBROOT},
	{"http-port", 'p', CLI_NUMBER, "PORT", "the port that stands for 80 "
	    "(test labs only)", O_HTTP_PORT},
	{"https-port", 0, CLI_NUMBER, "PORT", "the port that stands for 443 "
	    "when judging redirects", O_HTTPS_PORT},
	{"allow-reserved", 0, CLI_NONE, NULL, "lab mode: keep loopback and "
	    "private addresses (the CA would not)",
	    O_ALLOW_RESERVED},
	{"all-addresses", 0, CLI_NONE, NULL, "also fetch from every A/AAAA "
	    "address and report differences", O_ALL_ADDRESSES},
	{"proxy", 0, CLI_STRING, "URL", "fetch through this HTTP CONNECT "
	    "proxy, http://[USER:PASS@]HOST:PORT (to the addresses the CA "
	    "would use)", O_PROXY},
	CLI_OPT_HOST("DOMAIN", "the DOMAIN or IP to check, as Monitoring "
	    "Plugins name it"),
	CLI_OPT_SNI_IGNORED,
	CLI_CAVIEW_OPTS,
	{NULL, 0, CLI_NONE, NULL, NULL, 0}
};

static const char synopsis[] =
    "http01check [OPTIONS] DOMAIN|IP...\n"
    "       http01check [OPTIONS] -f FILE";

static const char about[] =
    "Fetch http://DOMAIN/.well-known/acme-challenge/TOKEN the way an ACME "
    "CA's validator\ndoes (IPv6 first, its redirect rules, a 128-byte "
    "body) and say what it would\nconclude, in its own words.";

static bool
port(const char *arg, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*arg < '0' || *arg > '9' || *end || v < 1 || v > 65535)
		return false;
	*out = (unsigned)v;
	return true;
}

static bool
handle(struct cli *c, int id, const char *arg)
{
	switch (id) {
	case O_TOKEN:
		if (*arg == '\0' || strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(arg) ||
		    strlen(arg) > 60)
			cli_usage_error(c, "--token '%s': want base64url "
			    "characters (A-Z a-z 0-9 - _), at most 60", arg);
		c->o.token = arg;
		return true;
	case O_EXPECT:
		c->o.expect = arg;
		return true;
	case O_WEBROOT:
		c->o.webroot = arg;
		return true;
	case O_HTTP_PORT:
		if (!port(arg, &c->o.http_port))
			cli_usage_error(c, "--http-port '%s': want 1..65535",
			    arg);
		return true;
	case O_HTTPS_PORT:
		if (!port(arg, &c->o.https_port))
			cli_usage_error(c, "--https-port '%s': want 1..65535",
			    arg);
		return true;
	case O_ALLOW_RESERVED:
		c->o.allow_reserved = true;
		return true;
	case O_ALL_ADDRESSES:
		c->o.all_addresses = true;
		return true;
	case O_PROXY:
		c->o.proxy = arg;
		return true;
	}
	return false;
}

int
main(int argc, char **argv)
{
	struct cli c;
	int code;

	cli_init(&c, argv[0], "http01check", synopsis, about, opts);
	cli_parse(&c, argc, argv, handle);
	if (c.o.webroot != NULL && c.o.expect != NULL)
		cli_usage_error(&c, "--webroot and --expect do not go together");
	c.ip_identifiers = true;
	cli_check_domains(&c);
	code = cli_run(&c, cd_http01check_run);
	cli_free(&c);
	return code;
}
