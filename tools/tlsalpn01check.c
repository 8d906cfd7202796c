/*
 * tlsalpn01check - would the CA's tls-alpn-01 validation (RFC 8737)
 * succeed: does NAME:443 negotiate ALPN acme-tls/1 and serve the
 * challenge certificate the CA expects?  Installed also as
 * check_tlsalpn01, the Nagios plugin.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { O_KEY_AUTHORIZATION = CLI_TOOL_BASE, O_PORT, O_ALLOW_RESERVED };

static const struct cli_opt opts[] = {
	{"key-authorization", 0, CLI_STRING, "KEYAUTH", "judge the challenge "
	    "certificate as the CA does against this key authorization "
	    "(TOKEN.THUMBPRINT); critical unless it would pass",
	    O_KEY_AUTHORIZATION},
	{"port", 'p', CLI_NUMBER, "PORT", "the port that stands for 443 "
	    "(test labs only; the CA always uses 443)", O_PORT},
	{"allow-reserved", 0, CLI_NONE, NULL, "lab mode: keep loopback and "
	    "private addresses (the CA would not)", O_ALLOW_RESERVED},
	CLI_OPT_HOST("DOMAIN", "the DOMAIN or IP to check, as Monitoring "
	    "Plugins name it"),
	CLI_OPT_SNI_IGNORED,
	CLI_CAVIEW_OPTS,
	{NULL, 0, CLI_NONE, NULL, NULL, 0}
};

static const char synopsis[] =
    "tlsalpn01check [OPTIONS] DOMAIN|IP... [--key-authorization=KEYAUTH]\n"
    "       tlsalpn01check [OPTIONS] -f FILE";

static const char about[] =
    "Connect to DOMAIN:443 the way an ACME CA validates tls-alpn-01 (IPv6 "
    "first, TLS 1.2+,\nALPN acme-tls/1, SNI = DOMAIN, no verification) and "
    "say what it would conclude,\nin its own words.";

static bool
handle(struct cli *c, int id, const char *arg)
{
	struct cd_err e;
	char *end;
	unsigned long v;

	switch (id) {
	case O_KEY_AUTHORIZATION:
		memset(&e, 0, sizeof(e));
		if (cd_acme_keyauth_check(arg, &e) != CD_OK)
			cli_usage_error(c, "--key-authorization: %s", e.msg);
		c->o.key_authorization = arg;
		return true;
	case O_PORT:
		v = strtoul(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end || v < 1 || v > 65535)
			cli_usage_error(c, "--port '%s': want 1..65535", arg);
		c->o.tls_port = (unsigned)v;
		return true;
	case O_ALLOW_RESERVED:
		c->o.allow_reserved = true;
		return true;
	}
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
