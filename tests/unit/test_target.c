/*
 * test_target.c - what users type as targets ("host", "host:port",
 * "[v6]:port", bare IPv6, https:// URLs) and as --dns-server lists, with
 * the forms that must be refused.
 */
#include <stdlib.h>
#include <string.h>

#include "certdiag.h"
#include "tap.h"

struct target_ok {
	const char *in;
	const char *host;
	uint16_t port;
	bool is_ip;
	bool port_given;
};

static const struct target_ok target_ok_cases[] = {
	{"example.com", "example.com", 443, false, false},
	{"example.com:8443", "example.com", 8443, false, true},
	{"example.com:443", "example.com", 443, false, true},
	{"example.com:1", "example.com", 1, false, true},
	{"example.com:65535", "example.com", 65535, false, true},
	{"example.com.", "example.com.", 443, false, false},
	{"Example.COM", "Example.COM", 443, false, false},
	{"localhost", "localhost", 443, false, false},
	{"테스트.한국", "테스트.한국", 443, false, false},
	{"xn--9t4b11yi5a.xn--3e0b707e:8443", "xn--9t4b11yi5a.xn--3e0b707e",
	    8443, false, true},
	{"[::1]:443", "::1", 443, true, true},
	{"[::1]:8443", "::1", 8443, true, true},
	{"::1", "::1", 443, true, false},
	{"[::1]", "::1", 443, true, false},
	{"2001:db8::1", "2001:db8::1", 443, true, false},
	{"[2001:db8::1]:993", "2001:db8::1", 993, true, true},
	{"::ffff:127.0.0.1", "::ffff:127.0.0.1", 443, true, false},
	{"127.0.0.1", "127.0.0.1", 443, true, false},
	{"127.0.0.1:99", "127.0.0.1", 99, true, true},
	{"https://example.com/path?q", "example.com", 443, false, false},
	{"https://example.com", "example.com", 443, false, false},
	{"https://example.com/", "example.com", 443, false, false},
	{"https://example.com?q=1", "example.com", 443, false, false},
	{"https://example.com#frag", "example.com", 443, false, false},
	{"https://example.com:8443/", "example.com", 8443, false, true},
	{"https://example.com:8443/a/b?c=d#e", "example.com", 8443, false,
	    true},
	{"HTTPS://x", "x", 443, false, false},
	{"Https://x:444", "x", 444, false, true},
	{"https://[::1]:8443/x", "::1", 8443, true, true},
	{"https://[::1]/", "::1", 443, true, false},
	{"https://127.0.0.1:8443/x", "127.0.0.1", 8443, true, true},
};

static void
test_target_ok(void)
{
	const struct target_ok *c;
	struct cd_target *t;
	struct cd_err e;
	size_t i;

	for (i = 0; i < sizeof(target_ok_cases) / sizeof(*c); i++) {
		c = &target_ok_cases[i];
		t = NULL;
		if (!tap_is_int(cd_target_parse(c->in, 443, &t, &e), CD_OK,
		    "\"%s\" parses", c->in)) {
			tap_diag("error: %s", e.msg);
			continue;
		}
		tap_is_str(t->host, c->host, "\"%s\": host", c->in);
		tap_is_int(t->port, c->port, "\"%s\": port", c->in);
		tap_is_int(t->host_is_ip, c->is_ip, "\"%s\": host_is_ip",
		    c->in);
		tap_is_int(t->port_given, c->port_given,
		    "\"%s\": port_given", c->in);
		tap_is_str(t->input, c->in, "\"%s\": input kept", c->in);
		cd_target_free(t);
	}
}

static void
test_default_port(void)
{
	struct cd_target *t = NULL;

	if (tap_is_int(cd_target_parse("example.com", 25, &t, NULL), CD_OK,
	    "parse with default port 25")) {
		tap_is_int(t->port, 25, "the default port is used");
		tap_ok(!t->port_given, "and not marked as given");
	}
	cd_target_free(t);
	t = NULL;
	if (tap_is_int(cd_target_parse("[::1]", 993, &t, NULL), CD_OK,
	    "parse [::1] with default port 993"))
		tap_is_int(t->port, 993, "[::1] takes the default port");
	cd_target_free(t);
	t = NULL;
	if (tap_is_int(cd_target_parse("example.com:8443", 25, &t, NULL),
	    CD_OK, "parse with a port and default 25"))
		tap_is_int(t->port, 8443, "a given port wins");
	cd_target_free(t);
	cd_target_free(NULL);
	tap_ok(true, "cd_target_free(NULL) is a no-op");
}

static const char *const target_bad_cases[] = {
	"",
	":443",
	"host:",
	"host:0",
	"host:00000",
	"host:65536",
	"host:99999",
	"host:123456",
	"host:12ab",
	"host:-1",
	"host:+443",
	"host: 443",
	"[::1",
	"[::1]x",
	"[::1]:",
	"[::1]:0",
	"[::1]:65536",
	"[]",
	"[]:443",
	"[example.com]:443",
	"[127.0.0.1]:443",
	"[::1]]:443",
	"ftp://x",
	"http://example.com",
	"https://",
	"https:///path",
	"https://:443/",
	"https://host:/",
	"https://host:0/",
	"https://user@host/",
	"https://[::1/",
	"a b",
	" example.com",
	"example.com ",
	"exa\tmple.com",
	"exa\x1bmple.com",
	"exa\x7fmple.com",
	"host/path",
	"host:443/path",
	"host?q",
	"host#frag",
	"1:2:3:zz",
	"::1::2",
	"example.com:443:1",
	"user@host",
	"host,other",
	"host;x",
	"back\\slash",
	"quo\"te",
	"<host>",
};

static void
test_target_bad(void)
{
	struct cd_target *t;
	struct cd_err e;
	size_t i;
	const char *in;

	for (i = 0; i < sizeof(target_bad_cases) / sizeof(*target_bad_cases);
	    i++) {
		in = target_bad_cases[i];
		t = (struct cd_target *)&e;	/* must stay as it is */
		memset(&e, 0, sizeof(e));
		if (!tap_is_int(cd_target_parse(in, 443, &t, &e), CD_E_PARSE,
		    "\"%s\" is refused", in)) {
			if (t != (struct cd_target *)&e)
				cd_target_free(t);
			continue;
		}
		tap_ok(e.rc == CD_E_PARSE && e.msg[0] != '\0',
		    "\"%s\": error says why (%s)", in, e.msg);
		tap_ok(t == (struct cd_target *)&e, "\"%s\": *out untouched",
		    in);
	}
	tap_is_int(cd_target_parse("host:0", 443, &t, NULL), CD_E_PARSE,
	    "a NULL err is allowed");
}

/* --dns-server lists and their normalised form for the resolver. */
static const struct {
	const char *in;
	const char *want;	/* NULL: refused */
} dns_cases[] = {
	{"127.0.0.1", "127.0.0.1:53"},
	{"127.0.0.1:5353", "127.0.0.1:5353"},
	{"127.0.0.1:5353,[::1]:53", "127.0.0.1:5353,[::1]:53"},
	{"::1", "[::1]:53"},
	{"[::1]", "[::1]:53"},
	{"[::1]:5353", "[::1]:5353"},
	{"2001:db8::53", "[2001:db8::53]:53"},
	{"127.0.0.1,127.0.0.2:54,::1", "127.0.0.1:53,127.0.0.2:54,[::1]:53"},
	{"", NULL},
	{",", NULL},
	{"example.com", NULL},
	{"example.com:53", NULL},
	{"127.0.0.1,example.com", NULL},
	{"1.2.3.4:0", NULL},
	{"1.2.3.4:65536", NULL},
	{"1.2.3.4:x", NULL},
	{"1.2.3.4:", NULL},
	{"[::1", NULL},
	{"[::1]:", NULL},
	{"[::1]:x", NULL},
	{"::1:53:zz", NULL},
	{"1.2.3", NULL},
	{"256.1.1.1", NULL},
	{" 127.0.0.1", NULL},
};

static void
test_dnsservers(void)
{
	struct cd_err e;
	char *csv;
	size_t i;
	cd_rc rc;

	for (i = 0; i < sizeof(dns_cases) / sizeof(*dns_cases); i++) {
		csv = NULL;
		memset(&e, 0, sizeof(e));
		rc = cd_dnsservers_parse(dns_cases[i].in, &csv, &e);
		if (dns_cases[i].want != NULL) {
			if (tap_is_int(rc, CD_OK, "dns \"%s\" parses",
			    dns_cases[i].in))
				tap_is_str(csv, dns_cases[i].want,
				    "dns \"%s\" normalised", dns_cases[i].in);
			else
				tap_diag("error: %s", e.msg);
		} else {
			tap_is_int(rc, CD_E_PARSE, "dns \"%s\" is refused",
			    dns_cases[i].in);
			tap_ok(e.msg[0] != '\0' && csv == NULL,
			    "dns \"%s\": error says why (%s), no list",
			    dns_cases[i].in, e.msg);
		}
		free(csv);
	}
}

int
main(void)
{
	test_target_ok();
	test_default_port();
	test_target_bad();
	test_dnsservers();
	return tap_done();
}
