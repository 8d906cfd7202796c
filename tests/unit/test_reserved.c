/*
 * test_reserved.c - the IANA special-purpose address blocks the CA will
 * not connect to (lib/core/reserved.c), against the cases of Let's Encrypt's
 * own test of its table (Boulder iana/ip_test.go TestIsReservedAddr),
 * copied here as data: the address and a part of the name the CA gives
 * its block, or "" for an address the CA will use.  Zones ("%eth0") are
 * left out: an address with a zone never reaches the check here.
 */
#include <string.h>

#include "reserved.h"
#include "tap.h"

static const struct {
	const char *ip, *want;
} rows[] = {
	{"127.0.0.1", "Loopback"},
	{"128.0.0.1", ""},
	{"192.168.254.254", "Private-Use"},
	{"192.169.255.255", ""},
	{"::", "Unspecified Address"},
	{"::1", "Loopback Address"},
	{"::2", ""},
	{"fe80::1", "Link-Local Unicast"},
	{"febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "Link-Local Unicast"},
	{"fec0::1", ""},
	{"192.0.0.170", "NAT64/DNS64 Discovery"},
	{"192.0.0.171", "NAT64/DNS64 Discovery"},
	{"2001:1::1", "Port Control Protocol Anycast"},
	{"2002::", "6to4"},
	{"2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "6to4"},
	{"0100::", "Discard-Only Address Block"},
	{"0100::0000:ffff:ffff:ffff:ffff", "Discard-Only Address Block"},
	{"0100::0002:0000:0000:0000:0000", ""},
	/*
	 * Beyond Boulder's table: the blocks labs and homes use most, and
	 * public addresses next to reserved ones (no test talks to them).
	 */
	{"10.1.2.3", "[RFC1918]: Private-Use"},
	{"172.16.0.1", "Private-Use"},
	{"172.32.0.1", ""},
	{"100.64.0.1", "Shared Address Space"},
	{"169.254.1.1", "Link Local"},
	{"fd00::1", "Unique-Local"},
	{"192.0.3.1", ""},
	{"2a01:4f8::1", ""},
	{"not an address", ""},
};

int
main(void)
{
	const char *got;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		got = cd_ip_reserved(rows[i].ip);
		if (rows[i].want[0] == '\0')
			tap_ok(got == NULL, "%s: usable (%s)", rows[i].ip,
			    got ? got : "not reserved");
		else
			tap_ok(got != NULL && strstr(got, rows[i].want) != NULL,
			    "%s: %s (%s)", rows[i].ip, rows[i].want,
			    got ? got : "not reserved");
	}
	return tap_done();
}
