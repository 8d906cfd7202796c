/*
 * test_problem.c - completeness of the problem catalogue: every enum
 * value has a row with a unique snake_case id and a summary, the codes
 * the command-line contract promises (listed in certdiag(7)) exist with
 * their default severities, and every id is documented in certdiag(7).
 */
#include <stdlib.h>
#include <string.h>

#include "certdiag.h"
#include "tap.h"

/* ^[a-z][a-z0-9_]*$ */
static bool
is_snake_case(const char *s)
{
	const char *p;

	if (s == NULL || *s < 'a' || *s > 'z')
		return false;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_'))
			return false;
	return true;
}

static void
test_every_value(void)
{
	const char *name, *other, *sum;
	int i, j, dup;

	for (i = 0; i < CD_P__LAST; i++) {
		name = cd_problem_name((enum cd_prob)i);
		if (!tap_ok(name != NULL, "code %d has a name", i))
			continue;
		tap_ok(is_snake_case(name), "code %d name \"%s\" is snake_case",
		    i, name);
		dup = -1;
		for (j = 0; j < i && dup < 0; j++) {
			other = cd_problem_name((enum cd_prob)j);
			if (other != NULL && strcmp(other, name) == 0)
				dup = j;
		}
		tap_ok(dup < 0, "name \"%s\" is unique (code %d)", name, i);
		sum = cd_problem_summary((enum cd_prob)i);
		tap_ok(sum != NULL && *sum != '\0', "\"%s\" has a summary",
		    name);
	}
	tap_ok(cd_problem_name(CD_P__LAST) == NULL,
	    "no name past the end of the catalogue");
	tap_ok(cd_problem_summary(CD_P__LAST) == NULL,
	    "no summary past the end of the catalogue");
}

/* The enum value with this name, or -1. */
static int
by_name(const char *name)
{
	const char *n;
	int i;

	for (i = 0; i < CD_P__LAST; i++)
		if ((n = cd_problem_name((enum cd_prob)i)) != NULL &&
		    strcmp(n, name) == 0)
			return i;
	return -1;
}

/* The problem codes the command-line contract promises, in its order. */
static const struct {
	const char *name;
	cd_status sev;
} contract[] = {
	{"cert_expired", CD_ST_CRITICAL},
	{"cert_not_yet_valid", CD_ST_CRITICAL},
	{"cert_expiring", CD_ST_WARNING},	/* or CRITICAL by -w/-c */
	{"hostname_mismatch", CD_ST_CRITICAL},
	{"san_missing", CD_ST_CRITICAL},
	{"chain_untrusted", CD_ST_CRITICAL},
	{"chain_incomplete", CD_ST_CRITICAL},
	{"chain_order", CD_ST_WARNING},
	{"chain_root_sent", CD_ST_OK},
	{"self_signed", CD_ST_CRITICAL},
	{"weak_signature", CD_ST_CRITICAL},
	{"weak_key", CD_ST_WARNING},
	{"key_mismatch", CD_ST_CRITICAL},
	{"tls_old_protocol", CD_ST_WARNING},
	{"ocsp_revoked", CD_ST_CRITICAL},
	{"dns_failed", CD_ST_CRITICAL},
	{"connect_failed", CD_ST_CRITICAL},
	{"timeout", CD_ST_CRITICAL},
	{"tls_handshake_failed", CD_ST_CRITICAL},
	{"caa_forbids_issuer", CD_ST_CRITICAL},
	{"caa_critical_unknown", CD_ST_CRITICAL},
	{"caa_dns_error", CD_ST_CRITICAL},
	{"caa_malformed_record", CD_ST_WARNING},
	{"http01_no_address", CD_ST_CRITICAL},
	{"http01_connect_timeout", CD_ST_CRITICAL},
	{"http01_connection_refused", CD_ST_CRITICAL},
	{"http01_bad_status", CD_ST_CRITICAL},
	{"http01_body_mismatch", CD_ST_CRITICAL},
	{"http01_body_too_large", CD_ST_CRITICAL},
	{"http01_bad_redirect", CD_ST_CRITICAL},
	{"http01_too_many_redirects", CD_ST_CRITICAL},
	{"http01_redirect_loop", CD_ST_CRITICAL},
	{"http01_unexpected_status", CD_ST_WARNING},
};

static void
test_contract(void)
{
	size_t i;
	int code;

	for (i = 0; i < sizeof(contract) / sizeof(contract[0]); i++) {
		code = by_name(contract[i].name);
		if (!tap_ok(code >= 0, "contract code %s exists",
		    contract[i].name))
			continue;
		tap_is_str(cd_status_name(cd_problem_default_sev(
		    (enum cd_prob)code)), cd_status_name(contract[i].sev),
		    "default severity of %s", contract[i].name);
	}
}

/*
 * The enum is append-only: the first ids keep their numbers (a renumbered
 * enum would break the ABI of every program built on certdiag.h).
 */
static void
test_stable_numbers(void)
{
	tap_is_int(by_name("cert_expired"), CD_P_CERT_EXPIRED,
	    "cert_expired is CD_P_CERT_EXPIRED");
	tap_is_int(CD_P_CERT_EXPIRED, 0, "CD_P_CERT_EXPIRED is 0");
	tap_is_int(by_name("chain_root_sent"), CD_P_CHAIN_ROOT_SENT,
	    "chain_root_sent is CD_P_CHAIN_ROOT_SENT");
	tap_is_int(by_name("http01_unexpected_status"),
	    CD_P_HTTP01_UNEXPECTED_STATUS,
	    "http01_unexpected_status is CD_P_HTTP01_UNEXPECTED_STATUS");
	tap_is_int(by_name("ocsp_staple_invalid"), CD_P_OCSP_STAPLE_INVALID,
	    "ocsp_staple_invalid is CD_P_OCSP_STAPLE_INVALID");
}

/* Codes beyond the contract are "documented in certdiag(7)". */
static void
test_documented(void)
{
	const char *top = getenv("top_srcdir");
	char path[4096], line[256], want[256];
	const char *name;
	FILE *fp;
	int i, found;

	snprintf(path, sizeof(path), "%s/doc/certdiag.7", top ? top : ".");
	if ((fp = fopen(path, "r")) == NULL) {
		tap_skip("every code is in certdiag(7)", "no doc/certdiag.7 "
		    "(set top_srcdir)");
		return;
	}
	for (i = 0; i < CD_P__LAST; i++) {
		if ((name = cd_problem_name((enum cd_prob)i)) == NULL)
			continue;
		snprintf(want, sizeof(want), ".It Li %s\n", name);
		found = 0;
		rewind(fp);
		while (!found && fgets(line, sizeof(line), fp) != NULL)
			found = strcmp(line, want) == 0;
		tap_ok(found, "%s is documented in certdiag(7)", name);
	}
	fclose(fp);
}

/* --ignore/--severity and --fingerprint values, as cd_ctx_new checks them. */
static void
test_operator_values(void)
{
	char fp[65];
	enum cd_prob code;

	memset(fp, 'a', 64);
	fp[64] = '\0';
	tap_ok(cd_problem_parse("validity_too_long", &code, NULL) == CD_OK &&
	    code == CD_P_VALIDITY_TOO_LONG, "cd_problem_parse finds a code");
	tap_ok(cd_problem_parse("Cert_Expiring", &code, NULL) == CD_E_USAGE,
	    "cd_problem_parse: ids are exact (lower case)");
	tap_ok(cd_policy_check("cert_expiring,weak_key", "chain_order:critical,"
	    "weak_key:ok", NULL) == CD_OK, "cd_policy_check: good lists");
	tap_ok(cd_policy_check(NULL, NULL, NULL) == CD_OK,
	    "cd_policy_check: no policy");
	tap_ok(cd_policy_check("nope", NULL, NULL) == CD_E_USAGE,
	    "cd_policy_check: unknown code");
	tap_ok(cd_policy_check("cert_expiring,", NULL, NULL) == CD_E_USAGE,
	    "cd_policy_check: empty item");
	tap_ok(cd_policy_check(NULL, "weak_key:unknown", NULL) == CD_E_USAGE,
	    "cd_policy_check: unknown level");
	tap_ok(cd_policy_check(NULL, "weak_key", NULL) == CD_E_USAGE,
	    "cd_policy_check: a level is required");
	tap_ok(cd_fingerprints_check(fp, NULL) == CD_OK,
	    "cd_fingerprints_check: 64 hex digits");
	tap_ok(cd_fingerprints_check("AA:BB", NULL) == CD_E_USAGE,
	    "cd_fingerprints_check: too short");
	fp[10] = 'x';
	tap_ok(cd_fingerprints_check(fp, NULL) == CD_E_USAGE,
	    "cd_fingerprints_check: not hex");
}

int
main(void)
{
	test_every_value();
	test_contract();
	test_stable_numbers();
	test_documented();
	test_operator_values();
	return tap_done();
}
