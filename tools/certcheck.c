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

enum {
	O_WARN = CLI_TOOL_BASE, O_CRIT, O_SNI, O_CONNECT_TO, O_CAFILE,
	O_REQUIRE_SAN, O_CERT, O_KEY, O_NAME, O_ALL_ADDRESSES, O_PROTOCOLS,
	O_STARTTLS,
	O_CRL, O_ALLOW_RESERVED, O_PORT, O_ISSUER, O_FINGERPRINT, O_MAX_VALIDITY,
	O_PROXY, O_CLIENT_CERT, O_CLIENT_KEY, O_PASSWORD_FILE, O_CT, O_CT_LOGS,
	O_DANE
};

static const struct cli_opt opts[] = {
	{"warning", 'w', CLI_STRING, "DAYS", "warn when fewer than DAYS "
	    "days (or N% of the lifetime) are left; default 30%, at most 30 "
	    "days", O_WARN},
	{"critical", 'c', CLI_STRING, "DAYS", "critical when fewer than "
	    "DAYS days (or N%) are left; default 10%, at most 10 days",
	    O_CRIT},
	CLI_OPT_HOST("HOST", "the server to check, as Monitoring Plugins "
	    "name it: the same as a TARGET"),
	{"port", 'p', CLI_NUMBER, "PORT", "with -H: the port (default 443, "
	    "or the --starttls protocol's)", O_PORT},
	{"sni", 0, CLI_STRING, "NAME", "server name to send and to verify "
	    "(default: the target's host; --sni alone is accepted: SNI is "
	    "always sent)", O_SNI},
	{"connect-to", 'I', CLI_STRING, "ADDR", "connect to this address "
	    "instead of resolving the host", O_CONNECT_TO},
	{"cafile", 0, CLI_FILE, "FILE", "trust these anchors instead of the "
	    "system store", O_CAFILE},
	{"require-san", 0, CLI_STRING, "NAME,...", "critical unless the "
	    "certificate covers all these names", O_REQUIRE_SAN},
	{"all-addresses", 0, CLI_NONE, NULL, "check every A/AAAA address of "
	    "the host, each reported on its own", O_ALL_ADDRESSES},
	{"protocols", 0, CLI_NONE, NULL, "also probe which TLS versions the "
	    "server accepts; TLS 1.0/1.1 is a warning", O_PROTOCOLS},
	{"starttls", 0, CLI_STRING, "PROTO", "speak PROTO before TLS: smtp, "
	    "imap, pop3, ftp, xmpp, ldap or postgres (its port by default)",
	    O_STARTTLS},
	{"cert", 0, CLI_FILE, "FILE", "inspect this local certificate file "
	    "(PEM, DER, PKCS#12), or every one under a directory, instead of "
	    "a server; may repeat", O_CERT},
	{"password-file", 0, CLI_FILE, "FILE", "with --cert: the password "
	    "of PKCS#12 files, the first line of FILE", O_PASSWORD_FILE},
	{"key", 0, CLI_FILE, "FILE", "with --cert: check that this private "
	    "key belongs to the certificate", O_KEY},
	{"name", 0, CLI_STRING, "NAME", "with --cert: the name the "
	    "certificate must cover", O_NAME},
	{"crl", 0, CLI_NONE, NULL, "also fetch the leaf's CRL (its HTTP "
	    "distribution point) and check that the certificate is not "
	    "revoked", O_CRL},
	{"allow-reserved", 0, CLI_NONE, NULL, "with --crl and the system "
	    "trust store: fetch from reserved/internal addresses too",
	    O_ALLOW_RESERVED},
	{"issuer", 0, CLI_STRING, "PATTERN", "critical unless the leaf's "
	    "issuer or an intermediate's subject contains PATTERN (any case)",
	    O_ISSUER},
	{"fingerprint", 0, CLI_STRING, "SHA256,...", "critical unless the "
	    "leaf's SHA-256 fingerprint is one of these (hex, colons "
	    "allowed)", O_FINGERPRINT},
	{"max-validity", 0, CLI_STRING, "DAYS", "warn when the leaf's "
	    "lifetime exceeds DAYS days", O_MAX_VALIDITY},
	{"proxy", 0, CLI_STRING, "URL", "reach the server through this HTTP "
	    "CONNECT proxy, http://[USER:PASS@]HOST:PORT (it resolves the "
	    "server's name)", O_PROXY},
	{"client-cert", 0, CLI_FILE, "FILE", "present this client "
	    "certificate (PEM) to a server that asks for one", O_CLIENT_CERT},
	{"client-key", 0, CLI_FILE, "FILE", "the private key of "
	    "--client-cert (PEM; default: in the --client-cert file)",
	    O_CLIENT_KEY},
	{"ct", 0, CLI_STRING, "MODE", "Certificate Transparency: auto "
	    "(default) warns when a leaf with SCTs has too few logs for its "
	    "lifetime, required also when it has none, off never", O_CT},
	{"ct-logs", 0, CLI_FILE, "FILE", "attribute SCTs with this CT log "
	    "list (JSON) instead of the shipped one", O_CT_LOGS},
	{"dane", 0, CLI_OPTIONAL, "auto|required", "match the chain against "
	    "the DNSSEC-signed TLSA records of _PORT._tcp.HOST (auto, the "
	    "default: when published; required: critical without them)",
	    O_DANE},
	CLI_CAVIEW_OPTS,
	{NULL, 0, CLI_NONE, NULL, NULL, 0}
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

static bool
threshold(struct cli *c, const char *arg, struct cd_range *out)
{
	struct cd_err e;

	if (cd_range_parse(arg, CD_RANGE_BARE_IS_MIN | CD_RANGE_ALLOW_PCT, out,
	    &e) != CD_OK)
		cli_usage_error(c, "threshold %s", e.msg);
	return true;
}

static bool
max_validity(struct cli *c, const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v <= 0 ||
	    v > 100000)
		cli_usage_error(c, "--max-validity '%s': want a number of "
		    "days above 0", arg);
	c->o.max_validity = v;
	return true;
}

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

/* Never on the command line, where ps shows it: from a file. */
static char *password;

static void
password_file(struct cli *c, const char *path)
{
	FILE *fp = fopen(path, "r");
	size_t cap = 0;
	ssize_t len;

	if (fp == NULL)
		cli_usage_error(c, "--password-file '%s': %s", path,
		    strerror(errno));
	free(password);
	password = NULL;
	len = getline(&password, &cap, fp);
	fclose(fp);
	if (len < 0) {
		free(password);
		if ((password = strdup("")) == NULL)
			cli_usage_error(c, "out of memory");
	}
	password[strcspn(password, "\r\n")] = '\0';
	c->o.pkcs12_password = password;
}

static bool
handle(struct cli *c, int id, const char *arg)
{
	struct cd_err e;
	unsigned long v;
	char *end;

	switch (id) {
	case O_WARN:
		c->o.warn_cap_days = 0;
		return threshold(c, arg, &c->o.warn);
	case O_CRIT:
		c->o.crit_cap_days = 0;
		return threshold(c, arg, &c->o.crit);
	case O_SNI:
		if (*arg == '\0')
			cli_usage_error(c, "--sni: want a NAME (without one, "
			    "the target's host is sent)");
		c->o.sni = arg;
		return true;
	case O_PORT:
		v = strtoul(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end || v < 1 || v > 65535)
			cli_usage_error(c, "-p '%s': want 1..65535", arg);
		c->port = (unsigned)v;
		return true;
	case O_CONNECT_TO:
		c->o.connect_to = arg;
		return true;
	case O_CAFILE:
		c->o.cafile = arg;
		return true;
	case O_REQUIRE_SAN:
		c->o.require_san = arg;
		return true;
	case O_CERT:
		c->o.cert_file = arg;
		cert_paths(c, arg);
		return true;
	case O_PASSWORD_FILE:
		password_file(c, arg);
		return true;
	case O_KEY:
		c->o.key_file = arg;
		return true;
	case O_NAME:
		c->o.name = arg;
		return true;
	case O_ALL_ADDRESSES:
		c->o.all_addresses = true;
		return true;
	case O_PROTOCOLS:
		c->o.protocols = true;
		return true;
	case O_STARTTLS:
		if (cd_starttls_parse(arg, &c->o.starttls, &e) != CD_OK)
			cli_usage_error(c, "%s", e.msg);
		return true;
	case O_CRL:
		c->o.crl = true;
		return true;
	case O_ALLOW_RESERVED:
		c->o.allow_reserved = true;
		return true;
	case O_ISSUER:
		if (*arg == '\0')
			cli_usage_error(c, "--issuer: want a pattern");
		c->o.issuer = arg;
		return true;
	case O_FINGERPRINT:
		if (cd_fingerprints_check(arg, &e) != CD_OK)
			cli_usage_error(c, "--fingerprint: %s", e.msg);
		c->o.fingerprints = arg;
		return true;
	case O_MAX_VALIDITY:
		return max_validity(c, arg);
	case O_PROXY:
		c->o.proxy = arg;
		return true;
	case O_CLIENT_CERT:
	case O_CLIENT_KEY:
		if (access(arg, R_OK) != 0)
			cli_usage_error(c, "--client-%s '%s': %s", id ==
			    O_CLIENT_CERT ? "cert" : "key", arg, strerror(errno));
		*(id == O_CLIENT_CERT ? &c->o.client_cert : &c->o.client_key) =
		    arg;
		return true;
	case O_CT:
		if (strcmp(arg, "auto") == 0)
			c->o.ct = CD_CT_AUTO;
		else if (strcmp(arg, "required") == 0)
			c->o.ct = CD_CT_REQUIRED;
		else if (strcmp(arg, "off") == 0)
			c->o.ct = CD_CT_OFF;
		else
			cli_usage_error(c, "--ct '%s': want auto, required or "
			    "off", arg);
		return true;
	case O_CT_LOGS:
		c->o.ct_logs = arg;
		return true;
	case O_DANE:
		if (cd_dane_parse(arg ? arg : "auto", &c->o.dane, &e) != CD_OK)
			cli_usage_error(c, "--dane: %s", e.msg);
		return true;
	}
	return false;
}


int
main(int argc, char **argv)
{
	struct cli c;
	struct cd_target *t;
	struct cd_err e;
	char *ace = NULL;
	bool wild;
	size_t i;
	int code;

	cli_init(&c, argv[0], "certcheck", synopsis, about, opts);
	cli_parse(&c, argc, argv, handle);
	if (c.o.client_key != NULL && c.o.client_cert == NULL)
		cli_usage_error(&c, "--client-key goes with --client-cert");
	if (c.o.client_cert != NULL && c.o.cert_file != NULL)
		cli_usage_error(&c, "--client-cert is presented to a server: "
		    "not with --cert");
	if (c.o.cert_file != NULL) {
		if (c.o.all_addresses || c.o.protocols)
			cli_usage_error(&c, "--all-addresses and --protocols "
			    "check a server: not with --cert");
		if (c.ntargets > ncert_targets)
			cli_usage_error(&c, "--cert checks a file: give no "
			    "TARGET with it");
		if (c.o.starttls != CD_STARTTLS_NONE)
			cli_usage_error(&c, "--starttls goes with a TARGET, "
			    "not with --cert");
		if (c.o.dane != CD_DANE_OFF)
			cli_usage_error(&c, "--dane checks a server: not "
			    "with --cert");
		if (c.o.proxy != NULL)
			cli_usage_error(&c, "--proxy goes with a TARGET, not "
			    "with --cert");
		if (c.o.key_file != NULL && c.ntargets > 1)
			cli_usage_error(&c, "--key belongs to one certificate: "
			    "give one --cert file with it");
		if (ncert_opts > 1 || c.ntargets > 1)
			c.batch = true;
		code = cli_run(&c, cd_certcheck_file_run);
		cli_free(&c);
		free(password);
		return code;
	}
	if (c.o.key_file != NULL || c.o.name != NULL ||
	    c.o.pkcs12_password != NULL)
		cli_usage_error(&c, "--key, --name and --password-file go "
		    "with --cert");
	if (c.ntargets == 0)
		cli_usage_error(&c, "no TARGET given");
	/* The proxy resolves the name and picks the address it connects to. */
	if (c.o.proxy != NULL && c.o.all_addresses)
		cli_usage_error(&c, "--all-addresses cannot go with --proxy: "
		    "the proxy picks the address");
	/*
	 * Refuse a malformed target before any network traffic; in a batch
	 * it is that target's check_error alone, and the others run.
	 */
	for (i = 0; !c.batch && i < c.ntargets; i++) {
		if (cd_target_parse(c.targets[i],
		    cd_starttls_port(c.o.starttls), &t, &e) != CD_OK)
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
