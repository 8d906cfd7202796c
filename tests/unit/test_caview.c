/*
 * test_caview.c - the pure parts of the CA's view: Boulder's wording for
 * a failed lookup (with and without an Extended DNS Error), the EDE that
 * Unbound's validator attaches to each of its reasons, and the file and
 * line of libunbound's parse errors as an editor counts them.
 */
#include <stdlib.h>
#include <string.h>

#include "caview.h"
#include "tap.h"

static void
test_dns_problem(void)
{
	static const struct {
		const char *type, *name;
		bool timed_out, no_answer;
		int rcode, ede;
		const char *text, *want;
	} c[] = {
		{"CAA", "example.com", false, false, 2, -1, NULL,
		    "SERVFAIL looking up CAA for example.com - the domain's "
		    "nameservers may be malfunctioning"},
		{"CAA", "com", false, false, 3, -1, NULL, "NXDOMAIN looking up "
		    "CAA for com - check that a DNS record exists for this "
		    "domain"},
		{"CAA", "x.com", false, false, 5, -1, NULL, "REFUSED looking up "
		    "CAA for x.com"},
		{"A", "x.com", true, true, 0, -1, NULL, "query timed out looking "
		    "up A for x.com"},
		{"AAAA", "x.com", false, true, 0, -1, NULL, "networking error "
		    "looking up AAAA for x.com"},
		{"CAA", "example.com", false, false, 2, 7, "validation failure "
		    "<example.com. CAA IN>: signature expired", "looking up CAA "
		    "for example.com: DNSSEC: Signature Expired: validation "
		    "failure <example.com. CAA IN>: signature expired"},
		{"TXT", "x.com", false, false, 2, 22, NULL, "looking up TXT for "
		    "x.com: No Reachable Authority"},
		{"CAA", "x.com", false, false, 2, 99, "", "looking up CAA for "
		    "x.com: Unknown Extended DNS Error code 99"},
		/* An EDE with NOERROR is not an error for Boulder. */
		{"CAA", "x.com", false, false, 0, 7, "t", "server failure at "
		    "resolver looking up CAA for x.com"},
	};
	size_t i;
	char *got;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		got = cd_dns_problem(c[i].type, c[i].name, c[i].timed_out,
		    c[i].no_answer, c[i].rcode, c[i].ede, c[i].text);
		tap_is_str(got, c[i].want, "dns_problem %zu: %s", i, c[i].want);
		free(got);
	}
}

static void
test_ede_from_reason(void)
{
	static const struct {
		const char *why;
		int want;
	} c[] = {
		{"validation failure <x. CAA IN>: signature expired from "
		    "192.0.2.1 for key x. while building chain of trust", 7},
		{"validation failure <x. A IN>: signature before inception "
		    "date from 192.0.2.1", 8},
		{"validation failure <x. CAA IN>: No DNSKEY record from "
		    "192.0.2.1 for key x.", 9},
		{"no keys have a DS with algorithm ECDSAP256SHA256", 9},
		{"validation failure <x. CAA IN>: no signatures from 192.0.2.1",
		    10},
		{"no NSEC records from 192.0.2.1", 12},
		{"zone has no known algorithms", 1},
		{"something else entirely", 6},
		{NULL, 6},
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		tap_is_int(cd_ede_from_reason(c[i].why), c[i].want,
		    "ede_from_reason: %s", c[i].why ? c[i].why : "(null)");
}

static void
test_where(void)
{
	static const struct {
		const char *msg, *file;
		size_t nl;
		bool ends_nl;
		const char *want;
	} c[] = {
		{"parse error in a.ta:2:12 : Syntax error, could not parse "
		    "the RR's type", "a.ta", 2, true, "a.ta line 1: Syntax "
		    "error, could not parse the RR's type"},
		{"parse error in b.ta:3:7 : bad TTL", "b.ta", 2, false,
		    "b.ta line 3: bad TTL"},
		{"parse error in b.ta:4:7 : bad TTL", "b.ta", 4, true,
		    "b.ta line 3: bad TTL"},
		{"reading root hints h 3:11: Syntax error", "h", 2, true,
		    "h line 2: Syntax error"},
		{"error reading trust-anchor-file: c.ta", "c.ta", 1, true,
		    "error reading trust-anchor-file: c.ta"},
		{"something about d.ta:x:1", "d.ta", 1, true,
		    "something about d.ta:x:1"},
		{"no file here", NULL, 0, true, "no file here"},
	};
	char out[256];
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		cd_caview_where(c[i].msg, c[i].file, c[i].nl, c[i].ends_nl, out,
		    sizeof(out));
		tap_is_str(out, c[i].want, "where: %s", c[i].msg);
	}
}

int
main(void)
{
	tap_plan(25);
	test_dns_problem();
	test_ede_from_reason();
	test_where();
	return tap_done();
}
