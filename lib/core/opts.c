/*
 * opts.c - the options of a run behind an opaque handle: one table
 * names each option (its command-line spelling, how its value is read,
 * where it goes), so that the tools, the exporter's configuration and a
 * C caller set them the same way and are refused with the same words.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "opts.h"
#include "proxy.h"

struct optdef;
typedef cd_rc (*setter)(struct cd_opts *o, const struct optdef *d,
    const char *v, struct cd_err *e);

/* Where a value lands: a string field (NULL: none), a flag. */
struct optdef {
	const char *name;
	enum cd_opt opt;
	bool flag;		/* takes no value (CD_OPT_DANE: optional) */
	setter set;		/* NULL: the value as is */
	size_t str;		/* offsetof a const char * field, or 0 */
	size_t boolean;		/* offsetof a bool field, or 0 */
};

#define STR(f) offsetof(struct cd_opts, f), 0
#define FLAG(f) 0, offsetof(struct cd_opts, f)
#define NONE 0, 0

static cd_rc
set_timeout(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	char *end;
	double s;

	errno = 0;
	s = strtod(v, &end);
	if (errno || end == v || *end || !isfinite(s) || s <= 0 || s > 86400)
		return cd_err_set(e, CD_E_USAGE, "--%s '%s': want a number of "
		    "seconds above 0", d->name, v);
	o->timeout_ms = (int)(s * 1000.0 + 0.5);
	if (o->timeout_ms < 1)
		o->timeout_ms = 1;
	return CD_OK;
}

static cd_rc
set_family(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	(void)v;
	(void)e;
	o->family = d->opt == CD_OPT_IPV4 ? 4 : 6;
	return CD_OK;
}

static cd_rc
set_dns(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	char *csv = NULL;
	cd_rc rc;

	(void)o;
	(void)d;
	if ((rc = cd_dnsservers_parse(v, &csv, e)) != CD_OK)
		return rc == CD_E_PARSE ? (e->rc = CD_E_USAGE) : rc;
	free(csv);
	return CD_OK;
}

static cd_rc
set_verbose(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	(void)d;
	(void)v;
	(void)e;
	o->verbose++;
	return CD_OK;
}

/* A file the user named must be there now, not fail mid-run. */
static cd_rc
readable(const struct optdef *d, const char *v, const char *want,
    struct cd_err *e)
{
	if (*v == '\0' || access(v, R_OK) != 0)
		return cd_err_set(e, CD_E_USAGE, "--%s '%s': %s", d->name, v,
		    *v ? strerror(errno) : want);
	return CD_OK;
}

static cd_rc
set_file(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	(void)o;
	return readable(d, v, "want a file", e);
}

static cd_rc
set_anchor(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	(void)o;
	return strcmp(v, "none") == 0 ? CD_OK :
	    readable(d, v, "want a file or none", e);
}

static cd_rc
set_list(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	bool sev = d->opt == CD_OPT_SEVERITY;
	struct cd_err pe;

	(void)o;
	if (cd_policy_check(sev ? NULL : v, sev ? v : NULL, &pe) != CD_OK)
		return cd_err_set(e, CD_E_USAGE, "--%s: %s", d->name, pe.msg);
	return CD_OK;
}

static cd_rc
set_range(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	bool warn = d->opt == CD_OPT_WARNING;
	struct cd_range r;
	struct cd_err pe;

	if (cd_range_parse(v, CD_RANGE_BARE_IS_MIN | CD_RANGE_ALLOW_PCT, &r,
	    &pe) != CD_OK)
		return cd_err_set(e, CD_E_USAGE, "threshold %s", pe.msg);
	/* The operator's own threshold is taken as given: no cap. */
	*(warn ? &o->warn : &o->crit) = r;
	*(warn ? &o->warn_cap_days : &o->crit_cap_days) = 0;
	return CD_OK;
}

static cd_rc
set_nonempty(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	(void)o;
	if (*v != '\0')
		return CD_OK;
	if (d->opt == CD_OPT_SNI)
		return cd_err_set(e, CD_E_USAGE, "--sni: want a NAME (without "
		    "one, the target's host is sent)");
	return cd_err_set(e, CD_E_USAGE, "--%s: want a pattern", d->name);
}

static cd_rc
set_starttls(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	(void)d;
	return cd_starttls_parse(v, &o->starttls, e);
}

static cd_rc
set_fingerprint(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	struct cd_err pe;

	(void)o;
	if (cd_fingerprints_check(v, &pe) != CD_OK)
		return cd_err_set(e, CD_E_USAGE, "--%s: %s", d->name, pe.msg);
	return CD_OK;
}

static cd_rc
set_days(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	char *end;
	double n;

	errno = 0;
	n = strtod(v, &end);
	if (errno || end == v || *end || !isfinite(n) || n <= 0 ||
	    n > 100000)
		return cd_err_set(e, CD_E_USAGE, "--%s '%s': want a number of "
		    "days above 0", d->name, v);
	o->max_validity = n;
	return CD_OK;
}

static cd_rc
set_proxy(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	struct cd_proxy *p = NULL;
	struct cd_err pe;

	(void)o;
	(void)d;
	/* The message never quotes the URL: it may hold a password. */
	if (cd_proxy_parse(v, &p, &pe) != CD_OK)
		return cd_err_set(e, CD_E_USAGE, "proxy URL: %s", pe.msg);
	cd_proxy_free(p);
	return CD_OK;
}

/* Never on a command line, where ps shows it: the first line of a file. */
static cd_rc
set_password(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	FILE *fp = fopen(v, "r");
	char *line = NULL;
	size_t cap = 0;

	if (fp == NULL)
		return cd_err_set(e, CD_E_USAGE, "--%s '%s': %s", d->name, v,
		    strerror(errno));
	if (getline(&line, &cap, fp) < 0) {
		free(line);
		line = strdup("");
	}
	fclose(fp);
	if (line == NULL)
		return cd_err_set(e, CD_E_NOMEM, "out of memory");
	line[strcspn(line, "\r\n")] = '\0';
	free(o->pkcs12_password_owned);
	o->pkcs12_password = o->pkcs12_password_owned = line;
	return CD_OK;
}

static cd_rc
set_ct(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	if (strcmp(v, "auto") == 0)
		o->ct = CD_CT_AUTO;
	else if (strcmp(v, "required") == 0)
		o->ct = CD_CT_REQUIRED;
	else if (strcmp(v, "off") == 0)
		o->ct = CD_CT_OFF;
	else
		return cd_err_set(e, CD_E_USAGE, "--%s '%s': want auto, "
		    "required or off", d->name, v);
	return CD_OK;
}

static cd_rc
set_dane(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	struct cd_err pe;

	if (cd_dane_parse(v ? v : "auto", &o->dane, &pe) != CD_OK)
		return cd_err_set(e, CD_E_USAGE, "--%s: %s", d->name, pe.msg);
	return CD_OK;
}

/* The ACME values, checked as the CA will read them. */
static cd_rc
set_acme(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	cd_rc (*fn)(const char *, struct cd_err *) =
	    d->opt == CD_OPT_CA ? cd_acme_issuer_check :
	    d->opt == CD_OPT_ACCOUNT_URI ? cd_acme_account_uri_check :
	    cd_acme_keyauth_check;
	struct cd_err pe;

	(void)o;
	memset(&pe, 0, sizeof(pe));
	if (fn(v, &pe) != CD_OK)
		return cd_err_set(e, CD_E_USAGE, "--%s: %s", d->name, pe.msg);
	return CD_OK;
}

static cd_rc
set_method(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	static const char *const methods[] = {"http-01", "dns-01",
	    "tls-alpn-01", "dns-account-01", "dns-persist-01", NULL};
	size_t i;

	(void)o;
	for (i = 0; methods[i]; i++)
		if (strcmp(v, methods[i]) == 0)
			return CD_OK;
	return cd_err_set(e, CD_E_USAGE, "--%s '%s': want http-01, dns-01, "
	    "tls-alpn-01, dns-account-01 or dns-persist-01", d->name, v);
}

static cd_rc
set_token(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	size_t n = strlen(v);

	(void)o;
	if (n == 0 || n > 60 || strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_") != n)
		return cd_err_set(e, CD_E_USAGE, "--%s '%s': want base64url "
		    "characters (A-Z a-z 0-9 - _), at most 60", d->name, v);
	return CD_OK;
}

static cd_rc
set_port(struct cd_opts *o, const struct optdef *d, const char *v,
    struct cd_err *e)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (*v < '0' || *v > '9' || *end || errno || n < 1 || n > 65535)
		return cd_err_set(e, CD_E_USAGE, "--%s '%s': want 1..65535",
		    d->name, v);
	*(d->opt == CD_OPT_HTTP_PORT ? &o->http_port :
	    d->opt == CD_OPT_HTTPS_PORT ? &o->https_port : &o->tls_port) =
	    (unsigned)n;
	return CD_OK;
}

/* In enum order: defs[opt - 1] is opt's. */
static const struct optdef defs[] = {
	{"timeout", CD_OPT_TIMEOUT, false, set_timeout, NONE},
	{"ipv4", CD_OPT_IPV4, true, set_family, NONE},
	{"ipv6", CD_OPT_IPV6, true, set_family, NONE},
	{"dns-server", CD_OPT_DNS_SERVER, false, set_dns, STR(dns_servers)},
	{"verbose", CD_OPT_VERBOSE, true, set_verbose, NONE},
	{"ignore", CD_OPT_IGNORE, false, set_list, STR(ignore)},
	{"severity", CD_OPT_SEVERITY, false, set_list, STR(severity)},
	{"root-hints", CD_OPT_ROOT_HINTS, false, set_file, STR(root_hints)},
	{"trust-anchor", CD_OPT_TRUST_ANCHOR, false, set_anchor,
	    STR(trust_anchor)},
	{"no-ca-view", CD_OPT_NO_CA_VIEW, true, NULL, FLAG(no_ca_view)},
	{"warning", CD_OPT_WARNING, false, set_range, NONE},
	{"critical", CD_OPT_CRITICAL, false, set_range, NONE},
	{"sni", CD_OPT_SNI, false, set_nonempty, STR(sni)},
	{"connect-to", CD_OPT_CONNECT_TO, false, NULL, STR(connect_to)},
	{"cafile", CD_OPT_CAFILE, false, NULL, STR(cafile)},
	{"require-san", CD_OPT_REQUIRE_SAN, false, NULL, STR(require_san)},
	{"cert", CD_OPT_CERT, false, NULL, STR(cert_file)},
	{"key", CD_OPT_KEY, false, NULL, STR(key_file)},
	{"name", CD_OPT_NAME, false, NULL, STR(name)},
	{"all-addresses", CD_OPT_ALL_ADDRESSES, true, NULL,
	    FLAG(all_addresses)},
	{"protocols", CD_OPT_PROTOCOLS, true, NULL, FLAG(protocols)},
	{"starttls", CD_OPT_STARTTLS, false, set_starttls, NONE},
	{"crl", CD_OPT_CRL, true, NULL, FLAG(crl)},
	{"allow-reserved", CD_OPT_ALLOW_RESERVED, true, NULL,
	    FLAG(allow_reserved)},
	{"issuer", CD_OPT_ISSUER, false, set_nonempty, STR(issuer)},
	{"fingerprint", CD_OPT_FINGERPRINT, false, set_fingerprint,
	    STR(fingerprints)},
	{"max-validity", CD_OPT_MAX_VALIDITY, false, set_days, NONE},
	{"proxy", CD_OPT_PROXY, false, set_proxy, STR(proxy)},
	{"client-cert", CD_OPT_CLIENT_CERT, false, set_file,
	    STR(client_cert)},
	{"client-key", CD_OPT_CLIENT_KEY, false, set_file, STR(client_key)},
	{"password-file", CD_OPT_PASSWORD_FILE, false, set_password, NONE},
	{"ct", CD_OPT_CT, false, set_ct, NONE},
	{"ct-logs", CD_OPT_CT_LOGS, false, NULL, STR(ct_logs)},
	{"dane", CD_OPT_DANE, false, set_dane, NONE},
	{"ca", CD_OPT_CA, false, set_acme, STR(ca)},
	{"account-uri", CD_OPT_ACCOUNT_URI, false, set_acme,
	    STR(account_uri)},
	{"method", CD_OPT_METHOD, false, set_method, STR(method)},
	{"token", CD_OPT_TOKEN, false, set_token, STR(token)},
	{"expect", CD_OPT_EXPECT, false, NULL, STR(expect)},
	{"webroot", CD_OPT_WEBROOT, false, NULL, STR(webroot)},
	{"http-port", CD_OPT_HTTP_PORT, false, set_port, NONE},
	{"https-port", CD_OPT_HTTPS_PORT, false, set_port, NONE},
	{"key-authorization", CD_OPT_KEY_AUTHORIZATION, false, set_acme,
	    STR(key_authorization)},
	{"port", CD_OPT_PORT, false, set_port, NONE},
};

_Static_assert(sizeof(defs) / sizeof(defs[0]) == CD_OPT__COUNT - 1,
    "one definition per option, in enum order");

static const struct optdef *
def(enum cd_opt opt)
{
	if ((int)opt < 1 || opt >= CD_OPT__COUNT)
		return NULL;
	return &defs[opt - 1];
}

void
cd_opts_defaults(struct cd_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->timeout_ms = 10000;
	o->ca = "letsencrypt.org";
	o->method = "http-01";
	o->http_port = 80;
	o->https_port = 443;
	o->tls_port = 443;
	/*
	 * Past certbot's renewal point (a third of the lifetime left), but
	 * a 397-day certificate renewed by hand is not late at 119 days:
	 * 30 days is what such an operator expects.
	 */
	cd_range_parse("30%", CD_RANGE_ALLOW_PCT, &o->warn, NULL);
	cd_range_parse("10%", CD_RANGE_ALLOW_PCT, &o->crit, NULL);
	o->warn_cap_days = 30;
	o->crit_cap_days = 10;
}

struct cd_opts *
cd_opts_new(void)
{
	struct cd_opts *o = malloc(sizeof(*o));

	if (o != NULL)
		cd_opts_defaults(o);
	return o;
}

void
cd_opts_release(struct cd_opts *o)
{
	size_t i;

	for (i = 0; i < CD_OPT__COUNT; i++)
		free(o->raw[i]);
	free(o->pkcs12_password_owned);
}

void
cd_opts_free(struct cd_opts *o)
{
	if (o == NULL)
		return;
	cd_opts_release(o);
	free(o);
}

/* Point the string fields at the values o owns. */
static void
repoint(struct cd_opts *o)
{
	size_t i;

	for (i = 0; i < CD_OPT__COUNT - 1; i++)
		if (defs[i].str != 0 && o->raw[defs[i].opt] != NULL)
			*(const char **)(void *)((char *)o + defs[i].str) =
			    o->raw[defs[i].opt];
	o->pkcs12_password = o->pkcs12_password_owned;
}

cd_rc
cd_opts_copy(struct cd_opts *dst, const struct cd_opts *src,
    struct cd_err *err)
{
	size_t i;

	*dst = *src;
	memset(dst->raw, 0, sizeof(dst->raw));
	dst->pkcs12_password_owned = NULL;
	for (i = 0; i < CD_OPT__COUNT; i++)
		if (src->raw[i] != NULL &&
		    (dst->raw[i] = strdup(src->raw[i])) == NULL)
			goto nomem;
	if (src->pkcs12_password_owned != NULL &&
	    (dst->pkcs12_password_owned =
	    strdup(src->pkcs12_password_owned)) == NULL)
		goto nomem;
	repoint(dst);
	return CD_OK;
nomem:
	cd_opts_release(dst);
	memset(dst->raw, 0, sizeof(dst->raw));
	dst->pkcs12_password_owned = NULL;
	return cd_err_set(err, CD_E_NOMEM, "out of memory");
}

cd_rc
cd_opts_set(struct cd_opts *o, enum cd_opt opt, const char *value)
{
	const struct optdef *d = def(opt);
	bool list = opt == CD_OPT_IGNORE || opt == CD_OPT_SEVERITY;
	struct cd_err *e;
	char *raw = NULL;
	cd_rc rc;

	if (o == NULL)
		return CD_E_USAGE;
	e = &o->last;
	memset(e, 0, sizeof(*e));
	if (d == NULL)
		return cd_err_set(e, CD_E_USAGE, "no option %d", (int)opt);
	if (d->flag && value != NULL)
		return cd_err_set(e, CD_E_USAGE, "--%s takes no value",
		    d->name);
	if (!d->flag && value == NULL && opt != CD_OPT_DANE)
		return cd_err_set(e, CD_E_USAGE, "--%s needs a value",
		    d->name);
	if (d->set != NULL && (rc = d->set(o, d, value, e)) != CD_OK)
		return rc;
	/*
	 * --ignore and --severity add up: an Icinga service may pass one
	 * list from a template and one of its own.
	 */
	if (list && o->raw[opt] != NULL && value != NULL) {
		if (asprintf(&raw, "%s,%s", o->raw[opt], value) < 0)
			raw = NULL;
	} else
		raw = strdup(value != NULL ? value : "");
	if (raw == NULL)
		return cd_err_set(e, CD_E_NOMEM, "out of memory");
	free(o->raw[opt]);
	o->raw[opt] = raw;
	if (d->str != 0)
		*(const char **)(void *)((char *)o + d->str) = raw;
	if (d->boolean != 0)
		*(bool *)(void *)((char *)o + d->boolean) = true;
	return CD_OK;
}

const char *
cd_opts_error(const struct cd_opts *o)
{
	return o != NULL ? o->last.msg : "";
}

const char *
cd_opts_get(const struct cd_opts *o, enum cd_opt opt)
{
	if (o == NULL || def(opt) == NULL)
		return NULL;
	return o->raw[opt];
}

cd_rc
cd_opt_lookup(const char *name, enum cd_opt *out)
{
	size_t i, k;

	for (i = 0; name != NULL && i < CD_OPT__COUNT - 1; i++) {
		for (k = 0; defs[i].name[k] && name[k]; k++)
			if (name[k] != defs[i].name[k] &&
			    !(name[k] == '_' && defs[i].name[k] == '-'))
				break;
		if (defs[i].name[k] == '\0' && name[k] == '\0') {
			*out = defs[i].opt;
			return CD_OK;
		}
	}
	return CD_E_USAGE;
}

const char *
cd_opt_name(enum cd_opt opt)
{
	const struct optdef *d = def(opt);

	return d != NULL ? d->name : NULL;
}
