/*
 * reserved.c - the IANA IPv4 and IPv6 Special-Purpose Address Registries,
 * as Let's Encrypt's CA embeds them: answers in these blocks are dropped
 * before an http-01 fetch, and redirects to them are refused.  Multicast
 * (224.0.0.0/4, ff00::/8) is not in the registries, so not here either.
 * Rows are the registries' CSV as Boulder reads them (iana/ip.go: the RFC
 * column with runs of white space made one space, a row per prefix), most
 * specific prefix first, as the CA sorts them: the name printed is that of
 * the smallest block holding the address.
 */
#include <arpa/inet.h>
#include <string.h>

#include "reserved.h"

struct block {
	int family;
	const char *prefix;
	unsigned bits;
	const char *name;	/* "RFC column: name", as the CA prints */
};

static const struct block blocks[] = {
	{AF_INET6, "::1", 128, "[RFC4291]: Loopback Address"},
	{AF_INET6, "::", 128, "[RFC4291]: Unspecified Address"},
	{AF_INET6, "2001:1::1", 128, "[RFC7723]: Port Control Protocol "
	    "Anycast"},
	{AF_INET6, "2001:1::2", 128, "[RFC8155]: Traversal Using Relays "
	    "around NAT Anycast"},
	{AF_INET6, "2001:1::3", 128, "[RFC9665]: DNS-SD Service Registration "
	    "Protocol Anycast"},
	{AF_INET6, "::ffff:0:0", 96, "[RFC4291]: IPv4-mapped Address"},
	{AF_INET6, "64:ff9b::", 96, "[RFC6052]: IPv4-IPv6 Translat."},
	{AF_INET6, "100::", 64, "[RFC6666]: Discard-Only Address Block"},
	{AF_INET6, "100:0:0:1::", 64, "[RFC9780]: Dummy IPv6 Prefix"},
	{AF_INET6, "64:ff9b:1::", 48, "[RFC8215]: IPv4-IPv6 Translat."},
	{AF_INET6, "2001:2::", 48, "[RFC5180][RFC Errata 1752]: Benchmarking"},
	{AF_INET6, "2001:4:112::", 48, "[RFC7535]: AS112-v6"},
	{AF_INET6, "2620:4f:8000::", 48, "[RFC7534]: Direct Delegation AS112 "
	    "Service"},
	{AF_INET, "0.0.0.0", 32, "[RFC1122], Section 3.2.1.3: \"This host on "
	    "this network\""},
	{AF_INET, "192.0.0.8", 32, "[RFC7600]: IPv4 dummy address"},
	{AF_INET, "192.0.0.9", 32, "[RFC7723]: Port Control Protocol Anycast"},
	{AF_INET, "192.0.0.10", 32, "[RFC8155]: Traversal Using Relays around "
	    "NAT Anycast"},
	{AF_INET, "192.0.0.170", 32, "[RFC8880][RFC7050], Section 2.2: "
	    "NAT64/DNS64 Discovery"},
	{AF_INET, "192.0.0.171", 32, "[RFC8880][RFC7050], Section 2.2: "
	    "NAT64/DNS64 Discovery"},
	{AF_INET, "192.88.99.2", 32, "[RFC6751]: 6a44-relay anycast address"},
	{AF_INET, "255.255.255.255", 32, "[RFC8190] [RFC919], Section 7: "
	    "Limited Broadcast"},
	{AF_INET6, "2001::", 32, "[RFC4380] [RFC8190]: TEREDO"},
	{AF_INET6, "2001:3::", 32, "[RFC7450]: AMT"},
	{AF_INET6, "2001:db8::", 32, "[RFC3849]: Documentation"},
	{AF_INET, "192.0.0.0", 29, "[RFC7335]: IPv4 Service Continuity "
	    "Prefix"},
	{AF_INET6, "2001:10::", 28, "[RFC4843]: Deprecated (previously "
	    "ORCHID)"},
	{AF_INET6, "2001:20::", 28, "[RFC7343]: ORCHIDv2"},
	{AF_INET6, "2001:30::", 28, "[RFC9374]: Drone Remote ID Protocol "
	    "Entity Tags (DETs) Prefix"},
	{AF_INET, "192.0.0.0", 24, "[RFC6890], Section 2.1: IETF Protocol "
	    "Assignments"},
	{AF_INET, "192.0.2.0", 24, "[RFC5737]: Documentation (TEST-NET-1)"},
	{AF_INET, "192.31.196.0", 24, "[RFC7535]: AS112-v4"},
	{AF_INET, "192.52.193.0", 24, "[RFC7450]: AMT"},
	{AF_INET, "192.88.99.0", 24, "[RFC7526]: Deprecated (6to4 Relay "
	    "Anycast)"},
	{AF_INET, "192.175.48.0", 24, "[RFC7534]: Direct Delegation AS112 "
	    "Service"},
	{AF_INET, "198.51.100.0", 24, "[RFC5737]: Documentation (TEST-NET-2)"},
	{AF_INET, "203.0.113.0", 24, "[RFC5737]: Documentation (TEST-NET-3)"},
	{AF_INET6, "2001::", 23, "[RFC2928]: IETF Protocol Assignments"},
	{AF_INET6, "3fff::", 20, "[RFC9637]: Documentation"},
	{AF_INET, "169.254.0.0", 16, "[RFC3927]: Link Local"},
	{AF_INET, "192.168.0.0", 16, "[RFC1918]: Private-Use"},
	{AF_INET6, "2002::", 16, "[RFC3056]: 6to4"},
	{AF_INET6, "5f00::", 16, "[RFC9602]: Segment Routing (SRv6) SIDs"},
	{AF_INET, "198.18.0.0", 15, "[RFC2544]: Benchmarking"},
	{AF_INET, "172.16.0.0", 12, "[RFC1918]: Private-Use"},
	{AF_INET, "100.64.0.0", 10, "[RFC6598]: Shared Address Space"},
	{AF_INET6, "fe80::", 10, "[RFC4291]: Link-Local Unicast"},
	{AF_INET, "0.0.0.0", 8, "[RFC791], Section 3.2: \"This network\""},
	{AF_INET, "10.0.0.0", 8, "[RFC1918]: Private-Use"},
	{AF_INET, "127.0.0.0", 8, "[RFC1122], Section 3.2.1.3: Loopback"},
	{AF_INET6, "fc00::", 7, "[RFC4193] [RFC8190]: Unique-Local"},
	{AF_INET, "240.0.0.0", 4, "[RFC1112], Section 4: Reserved"},
};

static bool
in_block(const unsigned char *a, const unsigned char *p, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;

	if (memcmp(a, p, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[full] ^ p[full]) & (0xff00 >> rest) & 0xff) == 0;
}

const char *
cd_ip_reserved(const char *ip)
{
	unsigned char a[16], p[16];
	int fam;
	size_t i;

	if (inet_pton(AF_INET, ip, a) == 1)
		fam = AF_INET;
	else if (inet_pton(AF_INET6, ip, a) == 1)
		fam = AF_INET6;
	else
		return NULL;
	for (i = 0; i < CD_ARRAY_LEN(blocks); i++) {
		if (blocks[i].family != fam ||
		    inet_pton(fam, blocks[i].prefix, p) != 1)
			continue;
		if (in_block(a, p, blocks[i].bits))
			return blocks[i].name;
	}
	return NULL;
}
