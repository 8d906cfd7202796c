/*
 * test_dns01.c - the values the CA derives for dns-01 and
 * dns-account-01 (lib/checks/dns01_value.c), against vectors computed
 * independently (Python's hashlib and base64) and the example of the
 * dns-account-01 draft, and the CA's quoting of a rejected record.
 */
#include <stdlib.h>
#include <string.h>

#include "dns01.h"
#include "tap.h"

static void
test_digest(void)
{
	static const struct {
		const char *keyauth, *want;
	} c[] = {
		{"lab-token-1.lab-thumbprint-1",
		    "ii2H3Db2S9V3cJeHBMrqjDiHKhuOIuGTh52cPCoz8iI"},
		{"evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA."
		    "0sLJmkSTBNCSjxhwt1qXR7BovNQt8Zy2VOsk2h5KrhM",
		    "7LOLbP7FXkctRI5QahytOGmWo0mZgyM9-zO1OAri31M"},
	};
	size_t i;
	char *got;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		got = cd_dns01_digest(c[i].keyauth);
		tap_is_str(got, c[i].want, "digest of %s", c[i].keyauth);
		tap_is_int(got ? (long long)strlen(got) : 0, 43,
		    "43 characters, no padding");
		free(got);
	}
}

static void
test_challenge_name(void)
{
	char *got;

	got = cd_dns01_challenge_name("example.org", NULL);
	tap_is_str(got, "_acme-challenge.example.org", "dns-01 name");
	free(got);
	/* The dns-account-01 draft's own example. */
	got = cd_dns01_challenge_name("example.org",
	    "https://example.com/acme/acct/ExampleAccount");
	tap_is_str(got, "_ujmmovf2vn55tgye._acme-challenge.example.org",
	    "dns-account-01 name: base32 of 10 bytes of SHA-256, lower case");
	free(got);
}

static void
test_quote(void)
{
	char long_in[201], *got;

	got = cd_dns01_quote("abc");
	tap_is_str(got, "\"abc\"", "quote: plain");
	free(got);
	got = cd_dns01_quote("a\"b\\c");
	tap_is_str(got, "\"a\\\"b\\\\c\"", "quote: quote and backslash escaped");
	free(got);
	memset(long_in, 'x', 200);
	long_in[200] = '\0';
	got = cd_dns01_quote(long_in);
	tap_ok(got != NULL && strlen(got) == 100 + 2 + 3 &&
	    strcmp(got + 101, "...\"") == 0, "quote: cut at 100 bytes, "
	    "\"...\" inside the quotes");
	free(got);
}

int
main(void)
{
	tap_plan(9);
	test_digest();
	test_challenge_name();
	test_quote();
	return tap_done();
}
