/*
 * pin.c - certcheck's expectations of the leaf (--issuer, --fingerprint,
 * --max-validity): which CA, which exact certificate, how long a
 * lifetime.  A pin is compared as 64 lower-case hex digits, so that the
 * forms tools print (openssl's "AB:CD:...", sha256sum's "abcd...") all
 * match.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "opts.h"
#include "pin.h"
#include "timeutil.h"

/* One list item (len bytes at s) to 64 lower-case hex digits in out. */
static bool
normalise(const char *s, size_t len, char out[65])
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == ':')
			continue;
		if (!isxdigit((unsigned char)s[i]) || n == 64)
			return false;
		out[n++] = (char)tolower((unsigned char)s[i]);
	}
	out[n] = '\0';
	return n == 64;
}

cd_rc
cd_fingerprints_check(const char *list, struct cd_err *err)
{
	const char *p = list, *comma;
	char fp[65];
	size_t len;

	if (list == NULL)
		return CD_OK;
	for (;;) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (!normalise(p, len, fp))
			return cd_err_set(err, CD_E_USAGE, "'%.*s' is not a "
			    "SHA-256 fingerprint (64 hex digits, colons "
			    "allowed)", (int)(len > 100 ? 100 : len), p);
		if (comma == NULL)
			return CD_OK;
		p = comma + 1;
	}
}

/* True when the leaf's fingerprint (hex, any case) is one of list's. */
static bool
pinned(const char *list, const char *sha256)
{
	const char *p = list, *comma;
	char fp[65], have[65];
	size_t len;

	if (!normalise(sha256, strlen(sha256), have))
		return false;
	for (;;) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (normalise(p, len, fp) && strcmp(fp, have) == 0)
			return true;
		if (comma == NULL)
			return false;
		p = comma + 1;
	}
}

void
cd_pin_judge(const struct cd_opts *o, struct cd_cert *const *certs,
    const size_t *path, size_t npath, struct cd_report *r)
{
	const struct cd_cert *leaf = certs[0];
	double life = cd_days_between(leaf->not_before, leaf->not_after);
	char a[32], b[32];
	bool match;
	size_t k;

	if (o->issuer != NULL) {
		match = strcasestr(leaf->issuer, o->issuer) != NULL;
		for (k = 1; k < npath && !match; k++)
			match = strcasestr(certs[path[k]]->subject,
			    o->issuer) != NULL;
		if (!match)
			cd_report_add(r, CD_P_ISSUER_MISMATCH, "the "
			    "certificate comes from another CA than expected: "
			    "check who issued it (a renewal through another "
			    "ACME CA? an intercepting proxy?), or correct "
			    "--issuer", "leaf certificate %s is issued by %s; "
			    "neither it nor an intermediate matches '%s'",
			    leaf->cn, leaf->issuer, o->issuer);
	}
	if (o->fingerprints != NULL && !pinned(o->fingerprints, leaf->sha256))
		cd_report_add(r, CD_P_FINGERPRINT_MISMATCH, "the server "
		    "sends another certificate than the pinned one: after a "
		    "planned renewal, pin the new fingerprint (add it before "
		    "the switch); otherwise find out who replaced it",
		    "leaf certificate %s has SHA-256 fingerprint %s, which "
		    "is not pinned", leaf->cn, leaf->sha256);
	if (o->max_validity > 0 && life > o->max_validity)
		cd_report_add(r, CD_P_VALIDITY_TOO_LONG, "ask the CA for a "
		    "shorter lifetime (ACME: the profile or notAfter of the "
		    "order); browsers accept less and less (200 days from "
		    "March 2026, 100 from 2027, 47 from 2029)",
		    "leaf certificate %s is valid for %s days, more than "
		    "the %s allowed (--max-validity)", leaf->cn,
		    cd_days_str(life, a, sizeof(a)),
		    cd_days_str(o->max_validity, b, sizeof(b)));
}
