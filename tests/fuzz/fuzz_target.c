/*
 * fuzz_target.c - what users type as check targets and --dns-server
 * lists (lib/core/target.c): cd_target_parse() and cd_dnsservers_parse() on
 * the input as a C string.
 *
 * Invariants: a parsed target has a non-empty host of at most 1024 bytes
 * with no byte the parser refuses, a port in 1..65535 (the default when
 * none was given), an IP flag that inet_pton agrees with, and it parses
 * again from "host:port" ("[v6]:port") to the same host and port.  A
 * normalised DNS server list parses again to itself.  On failure nothing
 * is written to the out-parameter and the message is a terminated string.
 */
#include <arpa/inet.h>
#include <stdio.h>

#include "certdiag.h"
#include "fuzz.h"

#define DEFAULT_PORT 443

static bool
host_bytes_ok(const char *h)
{
	const unsigned char *p;

	for (p = (const unsigned char *)h; *p; p++)
		if (*p <= 0x20 || *p == 0x7f ||
		    strchr("/\\@?#[]<>\"'`,;", *p) != NULL)
			return false;
	return true;
}

static bool
inet_any(const char *s, bool *v6)
{
	unsigned char b[16];

	*v6 = false;
	if (inet_pton(AF_INET, s, b) == 1)
		return true;
	*v6 = inet_pton(AF_INET6, s, b) == 1;
	return *v6;
}

/* "host:port" or "[v6]:port" parses back to the same host and port. */
static void
check_round_trip(const struct cd_target *t)
{
	struct cd_target *u = NULL;
	char *s = NULL;
	bool v6;
	int n;

	inet_any(t->host, &v6);
	n = asprintf(&s, v6 ? "[%s]:%u" : "%s:%u", t->host,
	    (unsigned)t->port);
	if (n < 0)
		return;
	FUZZ_ASSERT(cd_target_parse(s, DEFAULT_PORT, &u, NULL) == CD_OK);
	FUZZ_ASSERT(strcmp(u->host, t->host) == 0);
	FUZZ_ASSERT(u->port == t->port && u->port_given);
	FUZZ_ASSERT(u->host_is_ip == t->host_is_ip);
	cd_target_free(u);
	free(s);
}

static void
fuzz_target(const char *s)
{
	static struct cd_target unset_target;
	struct cd_target *t = &unset_target, *const unset = t;
	struct cd_err err;
	bool v6;
	size_t hlen;
	cd_rc rc;

	memset(&err, 0, sizeof(err));
	rc = cd_target_parse(s, DEFAULT_PORT, &t, &err);
	FUZZ_VERDICT(rc == CD_OK);
	if (rc != CD_OK) {
		FUZZ_ASSERT(rc == CD_E_PARSE || rc == CD_E_NOMEM);
		FUZZ_ASSERT(err.rc == rc && err.msg[0] != '\0');
		FUZZ_ASSERT(fuzz_terminated(err.msg, sizeof(err.msg)));
		FUZZ_ASSERT(t == unset);
		/* A NULL err is allowed and must give the same answer. */
		FUZZ_ASSERT(cd_target_parse(s, DEFAULT_PORT, &t, NULL) == rc);
		return;
	}
	FUZZ_ASSERT(t != NULL && t != unset);
	FUZZ_ASSERT(t->input != NULL && strcmp(t->input, s) == 0);
	FUZZ_ASSERT(t->host != NULL);
	hlen = strlen(t->host);
	FUZZ_ASSERT(hlen >= 1 && hlen <= 1024);
	FUZZ_ASSERT(host_bytes_ok(t->host));
	FUZZ_ASSERT(t->port >= 1);
	FUZZ_ASSERT(t->port_given || t->port == DEFAULT_PORT);
	FUZZ_ASSERT(t->host_is_ip == inet_any(t->host, &v6));
	/* A colon in the host is only ever an IPv6 address. */
	FUZZ_ASSERT(strchr(t->host, ':') == NULL || (t->host_is_ip && v6));
	check_round_trip(t);
	cd_target_free(t);
}

static void
fuzz_dnsservers(const char *s)
{
	static char unset_csv[1];
	char *csv = unset_csv, *const unset = csv, *again = NULL;
	struct cd_err err;
	cd_rc rc;

	memset(&err, 0, sizeof(err));
	rc = cd_dnsservers_parse(s, &csv, &err);
	if (rc != CD_OK) {
		FUZZ_ASSERT(rc == CD_E_PARSE || rc == CD_E_NOMEM);
		FUZZ_ASSERT(err.rc == rc && err.msg[0] != '\0');
		FUZZ_ASSERT(fuzz_terminated(err.msg, sizeof(err.msg)));
		FUZZ_ASSERT(csv == unset);
		return;
	}
	FUZZ_ASSERT(csv != NULL && csv != unset && csv[0] != '\0');
	/* The normalised list is a fixed point of the parser. */
	FUZZ_ASSERT(cd_dnsservers_parse(csv, &again, NULL) == CD_OK);
	FUZZ_ASSERT(strcmp(again, csv) == 0);
	free(again);
	free(csv);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if ((s = fuzz_cstr(data, size)) == NULL)
		return 0;
	fuzz_target(s);
	fuzz_dnsservers(s);
	free(s);
	return 0;
}
