/*
 * exporter_probers.c - the exporter's probers, one per tool: the check
 * each runs, the options its tool takes (a module may set those and no
 * other, so a config cannot say what the command line would refuse), and
 * the tool's own rules on combinations of options.
 */
#include <string.h>

#include "exporter.h"

#define END CD_OPT__COUNT

/* What every tool takes (the shared options that reach the library). */
static const enum cd_opt shared[] = {
	CD_OPT_TIMEOUT, CD_OPT_IPV4, CD_OPT_IPV6, CD_OPT_DNS_SERVER,
	CD_OPT_IGNORE, CD_OPT_SEVERITY, CD_OPT_ROOT_HINTS,
	CD_OPT_TRUST_ANCHOR, CD_OPT_NO_CA_VIEW, END
};

/*
 * certcheck's, without --cert and what goes only with it (--key,
 * --name, --password-file): the exporter probes servers, the target is
 * never a file.
 */
static const enum cd_opt cert_opts[] = {
	CD_OPT_WARNING, CD_OPT_CRITICAL, CD_OPT_SNI, CD_OPT_CONNECT_TO,
	CD_OPT_CAFILE, CD_OPT_REQUIRE_SAN, CD_OPT_ALL_ADDRESSES,
	CD_OPT_PROTOCOLS, CD_OPT_STARTTLS, CD_OPT_CRL, CD_OPT_ALLOW_RESERVED,
	CD_OPT_ISSUER, CD_OPT_FINGERPRINT, CD_OPT_MAX_VALIDITY, CD_OPT_PROXY,
	CD_OPT_CLIENT_CERT, CD_OPT_CLIENT_KEY, CD_OPT_CT, CD_OPT_CT_LOGS,
	CD_OPT_DANE, END
};
static const enum cd_opt caa_opts[] = {
	CD_OPT_CA, CD_OPT_ACCOUNT_URI, CD_OPT_METHOD, END
};
static const enum cd_opt http01_opts[] = {
	CD_OPT_ALLOW_RESERVED, CD_OPT_ALL_ADDRESSES, CD_OPT_EXPECT,
	CD_OPT_HTTPS_PORT, CD_OPT_HTTP_PORT, CD_OPT_PROXY, CD_OPT_TOKEN,
	CD_OPT_WEBROOT, END
};
static const enum cd_opt dns01_opts[] = {
	CD_OPT_CA, CD_OPT_ACCOUNT_URI, CD_OPT_METHOD, CD_OPT_KEY_AUTHORIZATION,
	CD_OPT_EXPECT, END
};
static const enum cd_opt tlsalpn01_opts[] = {
	CD_OPT_ALLOW_RESERVED, CD_OPT_KEY_AUTHORIZATION, CD_OPT_PORT, END
};

static const struct {
	struct exp_prober p;
	const enum cd_opt *own;
} probers[] = {
	{{"cert", "certcheck", cd_certcheck_run}, cert_opts},
	{{"caa", "caacheck", cd_caacheck_run}, caa_opts},
	{{"http01", "http01check", cd_http01check_run}, http01_opts},
	{{"dns01", "dns01check", cd_dns01check_run}, dns01_opts},
	{{"tlsalpn01", "tlsalpn01check", cd_tlsalpn01check_run},
	    tlsalpn01_opts},
};

#define NPROBERS (sizeof(probers) / sizeof(probers[0]))

const struct exp_prober *
exp_prober_find(const char *name)
{
	size_t i;

	for (i = 0; i < NPROBERS; i++)
		if (strcmp(probers[i].p.name, name) == 0)
			return &probers[i].p;
	return NULL;
}

const char *
exp_prober_names(void)
{
	return "cert, caa, http01, dns01 or tlsalpn01";
}

static bool
listed(const enum cd_opt *l, enum cd_opt opt)
{
	for (; *l != END; l++)
		if (*l == opt)
			return true;
	return false;
}

bool
exp_prober_takes(const struct exp_prober *p, enum cd_opt opt)
{
	size_t i;

	if (listed(shared, opt))
		return true;
	for (i = 0; i < NPROBERS; i++)
		if (&probers[i].p == p)
			return listed(probers[i].own, opt);
	return false;
}

cd_rc
exp_prober_defaults(const struct exp_prober *p, struct cd_opts *o)
{
	/* dns01check's method unless told: the library's is caacheck's. */
	if (strcmp(p->name, "dns01") == 0)
		return cd_opts_set(o, CD_OPT_METHOD, "dns-01");
	return CD_OK;
}

static bool
has(const struct cd_opts *o, enum cd_opt opt)
{
	return cd_opts_get(o, opt) != NULL;
}

/* The tools' own words for what they refuse together. */
const char *
exp_prober_conflict(const struct exp_prober *p, const struct cd_opts *o,
    struct cd_err *e)
{
	const char *method = cd_opts_get(o, CD_OPT_METHOD);

	if (strcmp(p->name, "cert") == 0) {
		if (has(o, CD_OPT_CLIENT_KEY) && !has(o, CD_OPT_CLIENT_CERT))
			return "--client-key goes with --client-cert";
		if (has(o, CD_OPT_PROXY) && has(o, CD_OPT_ALL_ADDRESSES))
			return "--all-addresses cannot go with --proxy: the "
			    "proxy picks the address";
	} else if (strcmp(p->name, "http01") == 0) {
		if (has(o, CD_OPT_WEBROOT) && has(o, CD_OPT_EXPECT))
			return "--webroot and --expect do not go together";
	} else if (strcmp(p->name, "dns01") == 0) {
		if (strcmp(method, "dns-01") != 0 &&
		    strcmp(method, "dns-account-01") != 0 &&
		    strcmp(method, "dns-persist-01") != 0)
			return "--method: want dns-01, dns-account-01 or "
			    "dns-persist-01";
		if (has(o, CD_OPT_EXPECT) && cd_acme_txt_value_check(
		    cd_opts_get(o, CD_OPT_EXPECT), e) != CD_OK)
			return e->msg;
		if (has(o, CD_OPT_KEY_AUTHORIZATION) && has(o, CD_OPT_EXPECT))
			return "--key-authorization and --expect: give one";
		if (strcmp(method, "dns-account-01") == 0 &&
		    !has(o, CD_OPT_ACCOUNT_URI))
			return "--method=dns-account-01 needs --account-uri";
		if (strcmp(method, "dns-persist-01") == 0 &&
		    (has(o, CD_OPT_KEY_AUTHORIZATION) || has(o, CD_OPT_EXPECT)))
			return "--method=dns-persist-01 has no per-order "
			    "value: give --account-uri (and --ca), not "
			    "--key-authorization or --expect";
	}
	return NULL;
}
