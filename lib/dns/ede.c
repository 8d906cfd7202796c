/*
 * ede.c - the CA's words for a failed DNS lookup: Boulder's bdns error
 * text, with and without an Extended DNS Error (RFC 8914), and the EDE
 * codes Unbound's validator attaches to its failure reasons.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caview.h"
#include "dnsmsg.h"

const char *
cd_ede_summary(int code, char *buf, size_t len)
{
	/* Boulder's table (bdns/problem.go), by RFC 8914 info code. */
	static const char *const s[] = {
		"Other", "DNSSEC: Unsupported DNSKEY Algorithm",
		"DNSSEC: Unsupported DS Digest Type", "Stale Answer",
		"Forged Answer", "DNSSEC: Indeterminate", "DNSSEC: Bogus",
		"DNSSEC: Signature Expired", "DNSSEC: Signature Not Yet Valid",
		"DNSSEC: DNSKEY Missing", "DNSSEC: RRSIGs Missing",
		"DNSSEC: No Zone Key Bit Set", "DNSSEC: NSEC Missing",
		"Cached Error", "Not Ready", "Blocked", "Censored", "Filtered",
		"Prohibited", "Stale NXDOMAIN Answer", "Not Authoritative",
		"Not Supported", "No Reachable Authority",
		"Network Error between Resolver and Authority", "Invalid Data",
	};

	if (code >= 0 && (size_t)code < CD_ARRAY_LEN(s))
		return s[code];
	snprintf(buf, len, "Unknown Extended DNS Error code %d", code);
	return buf;
}

int
cd_ede_from_reason(const char *why)
{
	/*
	 * The reasons Unbound's validator gives with each code it sets
	 * (validator/val_sigcrypt.c, val_utils.c, validator.c); the first
	 * match wins, anything else is plain "DNSSEC: Bogus".
	 */
	static const struct {
		const char *text;
		int code;
	} m[] = {
		{"signature expired", 7},
		{"signature before inception", 8},
		{"inception after expiration", 8},
		{"No DNSKEY record", 9},
		{"no DNSKEY rrset", 9},
		{"no keys have a DS", 9},
		{"signatures from unknown keys", 9},
		{"did not match DS RRset", 9},
		{"did not match anchor RRset", 9},
		{"no signatures", 10},
		{"no NSEC", 12},
		{"no known algorithms", 1},
		{"unsupported algorithm", 1},
		{"unsupported DS digest", 2},
		{"zone key bit", 11},
	};
	size_t i;

	if (why == NULL)
		return 6;
	for (i = 0; i < CD_ARRAY_LEN(m); i++)
		if (strstr(why, m[i].text) != NULL)
			return m[i].code;
	return 6;
}

char *
cd_dns_problem(const char *type, const char *name, bool timed_out,
    bool no_answer, int rcode, int ede, const char *ede_text)
{
	char rbuf[16], ebuf[48], *s = NULL;
	const char *detail, *extra = "";
	int r;

	if (no_answer) {
		detail = timed_out ? "query timed out" : "networking error";
	} else if (ede >= 0 && rcode != 0) {
		/* The EDE form replaces the rcode form entirely. */
		r = asprintf(&s, "looking up %s for %s: %s%s%s", type, name,
		    cd_ede_summary(ede, ebuf, sizeof(ebuf)),
		    ede_text && *ede_text ? ": " : "",
		    ede_text ? ede_text : "");
		return r < 0 ? NULL : s;
	} else if (rcode != 0) {
		detail = cd_dns_rcode_name((unsigned)rcode, rbuf, sizeof(rbuf));
		if (rcode == 2)
			extra = " - the domain's nameservers may be "
			    "malfunctioning";
		else if (rcode == 3)
			extra = " - check that a DNS record exists for this "
			    "domain";
	} else {
		detail = "server failure at resolver";
	}
	r = asprintf(&s, "%s looking up %s for %s%s", detail, type, name,
	    extra);
	return r < 0 ? NULL : s;
}
