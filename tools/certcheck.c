/*
 * certcheck - fetch and judge a server's TLS chain (or local PEM files):
 * expiry, names, trust, chain order.  Installed also as check_cert, the
 * Nagios plugin.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Every other option is the library's, set as written (CLI_LIB). */
enum { O_CERT = CLI_TOOL_BASE, O_PORT };

static const struct cli_opt opts[] = {
	{"warning", 'w', CLI_STRING, "DAYS", NULL, "warn when fewer than DAYS "
	    "days (or N% of the lifetime) are left; default 30%, at most 30 "
	    "days", CLI_LIB(CD_OPT_WARNING)},
	{"critical", 'c', CLI_STRING, "DAYS", NULL, "critical when fewer than "
	    "DAYS days (or N%) are left; default 10%, at most 10 days",
	    CLI_LIB(CD_OPT_CRITICAL)},
	CLI_OPT_HOST("HOST", "the server to check, as Monitoring Plugins "
	    "name it: the same as a TARGET"),
	{"port", 'p', CLI_NUMBER, "PORT", NULL, "with -H: the port (default "
	    "443, or the --starttls protocol's)", O_PORT},
	{"sni", 0, CLI_STRING, "NAME", NULL, "server name to send and to "
	    "verify (default: the target's host; --sni alone is accepted: SNI "
	    "is always sent)", CLI_LIB(CD_OPT_SNI)},
	{"connect-to", 'I', CLI_STRING, "ADDR", NULL, "connect to this "
	    "address instead of resolving the host",
	    CLI_LIB(CD_OPT_CONNECT_TO)},
	{"cafile", 0, CLI_FILE, "FILE", NULL, "trust these anchors instead of "
	    "the system store", CLI_LIB(CD_OPT_CAFILE)},
	{"require-san", 0, CLI_STRING, "NAME,...", NULL, "critical unless the "
	    "certificate covers all these names", CLI_LIB(CD_OPT_REQUIRE_SAN)},
	{"all-addresses", 0, CLI_NONE, NULL, NULL, "check every A/AAAA "
	    "address of the host, each reported on its own",
	    CLI_LIB(CD_OPT_ALL_ADDRESSES)},
	{"protocols", 0, CLI_NONE, NULL, NULL, "also probe which TLS versions "
	    "the server accepts; TLS 1.0/1.1 is a warning",
	    CLI_LIB(CD_OPT_PROTOCOLS)},
	{"starttls", 0, CLI_STRING, "PROTO",
	    "smtp imap pop3 ftp xmpp ldap postgres",
	    "speak PROTO before TLS: smtp, imap, pop3, ftp, xmpp, ldap or "
	    "postgres (its port by default)", CLI_LIB(CD_OPT_STARTTLS)},
	{"cert", 0, CLI_FILE, "FILE", NULL, "inspect this local certificate "
	    "file (PEM, DER, PKCS#12), or every one under a directory, "
	    "instead of a server; may repeat", O_CERT},
	{"password-file", 0, CLI_FILE, "FILE", NULL, "with --cert: the "
	    "password of PKCS#12 files, the first line of FILE",
	    CLI_LIB(CD_OPT_PASSWORD_FILE)},
	{"key", 0, CLI_FILE, "FILE", NULL, "with --cert: check that this "
	    "private key belongs to the certificate", CLI_LIB(CD_OPT_KEY)},
	{"name", 0, CLI_STRING, "NAME", NULL, "with --cert: the name the "
	    "certificate must cover", CLI_LIB(CD_OPT_NAME)},
	{"crl", 0, CLI_NONE, NULL, NULL, "also fetch the leaf's CRL (its HTTP "
	    "distribution point) and check that the certificate is not revoked",
	    CLI_LIB(CD_OPT_CRL)},
	{"allow-reserved", 0, CLI_NONE, NULL, NULL, "with --crl and the "
	    "system trust store: fetch from reserved/internal addresses too",
	    CLI_LIB(CD_OPT_ALLOW_RESERVED)},
	{"issuer", 0, CLI_STRING, "PATTERN", NULL, "critical unless the "
	    "leaf's issuer or an intermediate's subject contains PATTERN (any "
	    "case)", CLI_LIB(CD_OPT_ISSUER)},
	{"fingerprint", 0, CLI_STRING, "SHA256,...", NULL, "critical unless "
	    "the leaf's SHA-256 fingerprint is one of these (hex, colons "
	    "allowed)", CLI_LIB(CD_OPT_FINGERPRINT)},
	{"max-validity", 0, CLI_STRING, "DAYS", NULL, "warn when the leaf's "
	    "lifetime exceeds DAYS days", CLI_LIB(CD_OPT_MAX_VALIDITY)},
	{"proxy", 0, CLI_STRING, "URL", NULL, "reach the server through this "
	    "HTTP CONNECT proxy, http://[USER:PASS@]HOST:PORT (it resolves "
	    "the server's name)", CLI_LIB(CD_OPT_PROXY)},
	{"client-cert", 0, CLI_FILE, "FILE", NULL, "present this client "
	    "certificate (PEM) to a server that asks for one",
	    CLI_LIB(CD_OPT_CLIENT_CERT)},
	{"client-key", 0, CLI_FILE, "FILE", NULL, "the private key of "
	    "--client-cert (PEM; default: in the --client-cert file)",
	    CLI_LIB(CD_OPT_CLIENT_KEY)},
	{"ct", 0, CLI_STRING, "MODE", "auto required off", "Certificate "
	    "Transparency: auto (default) warns when a leaf with SCTs has too "
	    "few logs for its lifetime, required also when it has none, off "
	    "never", CLI_LIB(CD_OPT_CT)},
	{"ct-logs", 0, CLI_FILE, "FILE", NULL, "attribute SCTs with this CT "
	    "log list (JSON) instead of the shipped one",
	    CLI_LIB(CD_OPT_CT_LOGS)},
	{"dane", 0, CLI_OPTIONAL, "auto|required", "auto required", "match "
	    "the chain against the DNSSEC-signed TLSA records of "
	    "_PORT._tcp.HOST (auto, the default: when published; required: "
	    "critical without them)", CLI_LIB(CD_OPT_DANE)},
	CLI_CAVIEW_OPTS,
	{NULL, 0, CLI_NONE, NULL, NULL, NULL, 0}
};

static const char synopsis[] =
    "certcheck [OPTIONS] TARGET...\n"
    "       certcheck [OPTIONS] -f FILE\n"
    "       certcheck [OPTIONS] --cert FILE.pem [--key KEY.pem] "
    "[--name NAME]";

static const char about[] =
    "Fetch the TLS certificate chain a server sends and say what is wrong "
    "with it:\nexpiry (against ACME renewal times), names, trust, chain "
    "order and completeness.\nTARGET is host, host:port, [v6addr]:port or "
    "an https:// URL (port 443 by default;\nwith --starttls, the protocol's port: smtp 25, imap 143, pop3 110, ftp 21,\nxmpp 5222, ldap 389, postgres 5432).";

/* --cert, each file of a directory a target of its own. */
static size_t ncert_opts, ncert_targets;

static void
cert_paths(struct cli *c, const char *arg)
{
	struct cd_err e;
	char **v = NULL;
	size_t n = 0, i;

	if (cd_certfiles_list(arg, &v, &n, &e) != CD_OK)
		cli_usage_error(c, "--cert %s: %s", arg, e.msg);
	for (i = 0; i < n; i++) {
		cli_add_target(c, v[i]);
		ncert_targets++;
		free(v[i]);
	}
	free(v);
	ncert_opts++;
}

static bool
handle(struct cli *c, int id, const char *arg)
{
	unsigned long v;
	char *end;

	switch (id) {
	case O_PORT:
		v = strtoul(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end || v < 1 || v > 65535)
			cli_usage_error(c, "-p '%s': want 1..65535", arg);
		c->port = (unsigned)v;
		return true;
	case O_CERT:
		cli_set(c, CD_OPT_CERT, arg);
		cert_paths(c, arg);
		return true;
	}
	return false;
}


int
main(int argc, char **argv)
{
	struct cli c;
	struct cd_target *t;
	enum cd_starttls starttls = CD_STARTTLS_NONE;
	struct cd_err e;
	char *ace = NULL;
	bool wild;
	size_t i;
	int code;

	cli_init(&c, argv[0], "certcheck", synopsis, about, opts);
	cli_parse(&c, argc, argv, handle);
	if (cli_get(&c, CD_OPT_STARTTLS) != NULL)
		(void)cd_starttls_parse(cli_get(&c, CD_OPT_STARTTLS), &starttls,
		    &e);
	if (cli_get(&c, CD_OPT_CLIENT_KEY) != NULL && cli_get(&c, CD_OPT_CLIENT_CERT) == NULL)
		cli_usage_error(&c, "--client-key goes with --client-cert");
	if (cli_get(&c, CD_OPT_CLIENT_CERT) != NULL && cli_get(&c, CD_OPT_CERT) != NULL)
		cli_usage_error(&c, "--client-cert is presented to a server: "
		    "not with --cert");
	if (cli_get(&c, CD_OPT_CERT) != NULL) {
		if (cli_get(&c, CD_OPT_ALL_ADDRESSES) ||
		    cli_get(&c, CD_OPT_PROTOCOLS))
			cli_usage_error(&c, "--all-addresses and --protocols "
			    "check a server: not with --cert");
		if (c.ntargets > ncert_targets)
			cli_usage_error(&c, "--cert checks a file: give no "
			    "TARGET with it");
		if (starttls != CD_STARTTLS_NONE)
			cli_usage_error(&c, "--starttls goes with a TARGET, "
			    "not with --cert");
		if (cli_get(&c, CD_OPT_DANE) != NULL)
			cli_usage_error(&c, "--dane checks a server: not "
			    "with --cert");
		if (cli_get(&c, CD_OPT_PROXY) != NULL)
			cli_usage_error(&c, "--proxy goes with a TARGET, not "
			    "with --cert");
		if (cli_get(&c, CD_OPT_KEY) != NULL && c.ntargets > 1)
			cli_usage_error(&c, "--key belongs to one certificate: "
			    "give one --cert file with it");
		if (ncert_opts > 1 || c.ntargets > 1)
			c.batch = true;
		code = cli_run(&c, cd_certcheck_file_run);
		cli_free(&c);
		return code;
	}
	if (cli_get(&c, CD_OPT_KEY) != NULL || cli_get(&c, CD_OPT_NAME) !=
	    NULL || cli_get(&c, CD_OPT_PASSWORD_FILE) != NULL)
		cli_usage_error(&c, "--key, --name and --password-file go "
		    "with --cert");
	if (c.ntargets == 0)
		cli_usage_error(&c, "no TARGET given");
	/* The proxy resolves the name and picks the address it connects to. */
	if (cli_get(&c, CD_OPT_PROXY) != NULL &&
	    cli_get(&c, CD_OPT_ALL_ADDRESSES) != NULL)
		cli_usage_error(&c, "--all-addresses cannot go with --proxy: "
		    "the proxy picks the address");
	/*
	 * Refuse a malformed target before any network traffic; in a batch
	 * it is that target's check_error alone, and the others run.
	 */
	for (i = 0; !c.batch && i < c.ntargets; i++) {
		if (cd_target_parse(c.targets[i],
		    cd_starttls_port(starttls), &t, &e) != CD_OK)
			cli_usage_error(&c, "bad target %s", e.msg);
		/* An IDN libidn2 refuses (xn--zz, a disallowed code point). */
		if (!t->host_is_ip &&
		    cd_domain_parse(t->host, false, &ace, &wild, &e) != CD_OK) {
			cd_target_free(t);
			cli_usage_error(&c, "bad target %s", e.msg);
		}
		free(ace);
		ace = NULL;
		cd_target_free(t);
	}
	code = cli_run(&c, cd_certcheck_run);
	cli_free(&c);
	return code;
}
