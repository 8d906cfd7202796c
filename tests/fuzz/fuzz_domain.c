/*
 * fuzz_domain.c - domain names as ACME identifiers (lib/core/domain.c) and
 * the IDNA conversions under them (lib/core/idn.c, libidn2): cd_domain_parse()
 * with and without wildcards, cd_idn_to_ascii() and cd_idn_to_unicode()
 * on the input as a C string.
 *
 * Invariants: a parsed name is 1..253 bytes of lower-case letters,
 * digits, '-', '_' and '.', with no empty label; the wildcard flag is set
 * only when allowed and the input began with "*."; and it is canonical:
 * parsing it again gives it back.  cd_idn_to_ascii() gives lower-case
 * ASCII (an IP literal passes unchanged), cd_idn_to_unicode() well-formed
 * UTF-8.  On failure nothing is
 * written to the out-parameters.
 */
#include <arpa/inet.h>
#include <stdio.h>

#include "certdiag.h"
#include "fuzz.h"
#include "idn.h"

/* Well-formed UTF-8 (any code point, controls included). */
static bool
utf8_wellformed(const unsigned char *s)
{
	unsigned cp;
	int n, i;

	while (*s) {
		if (*s < 0x80)
			n = 0, cp = *s;
		else if (*s >= 0xc2 && *s <= 0xdf)
			n = 1, cp = *s & 0x1f;
		else if (*s >= 0xe0 && *s <= 0xef)
			n = 2, cp = *s & 0x0f;
		else if (*s >= 0xf0 && *s <= 0xf4)
			n = 3, cp = *s & 0x07;
		else
			return false;
		for (i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		s += n + 1;
	}
	return true;
}

static void
check_name(const char *a)
{
	const char *p;
	size_t n = strlen(a);

	FUZZ_ASSERT(n >= 1 && n <= 253);
	FUZZ_ASSERT(a[0] != '.' && strstr(a, "..") == NULL);
	for (p = a; *p; p++)
		FUZZ_ASSERT((*p >= 'a' && *p <= 'z') || (*p >= '0' &&
		    *p <= '9') || *p == '-' || *p == '.' || *p == '_');
}

static void
fuzz_parse(const char *s, bool allow_wild)
{
	static char unset[1];
	char *ace = unset, *again = NULL;
	bool wild = true, wild2 = true;
	struct cd_err err;
	cd_rc rc;

	memset(&err, 0, sizeof(err));
	rc = cd_domain_parse(s, allow_wild, &ace, &wild, &err);
	if (allow_wild)
		FUZZ_VERDICT(rc == CD_OK);
	if (rc != CD_OK) {
		FUZZ_ASSERT(rc == CD_E_PARSE || rc == CD_E_NOMEM);
		FUZZ_ASSERT(err.rc == rc && err.msg[0] != '\0');
		FUZZ_ASSERT(fuzz_terminated(err.msg, sizeof(err.msg)));
		FUZZ_ASSERT(ace == unset);
		return;
	}
	FUZZ_ASSERT(ace != NULL && ace != unset);
	FUZZ_ASSERT(!wild || (allow_wild && strncmp(s, "*.", 2) == 0));
	FUZZ_ASSERT(wild == (allow_wild && strncmp(s, "*.", 2) == 0));
	check_name(ace);
	/* The canonical form is a fixed point. */
	FUZZ_ASSERT(cd_domain_parse(ace, false, &again, &wild2, NULL) == CD_OK);
	FUZZ_ASSERT(!wild2 && strcmp(again, ace) == 0);
	free(again);
	free(ace);
}

static bool
ip_literal(const char *s)
{
	unsigned char b[16];

	return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

static void
fuzz_idn(const char *s)
{
	static char unset[1];
	char *out = unset;
	const char *p;

	if (cd_idn_to_ascii(s, &out, NULL) == CD_OK) {
		FUZZ_ASSERT(out != NULL && out != unset);
		if (ip_literal(s))
			FUZZ_ASSERT(strcmp(out, s) == 0);
		else
			for (p = out; *p; p++)
				FUZZ_ASSERT((unsigned char)*p < 0x80 &&
				    !(*p >= 'A' && *p <= 'Z'));
		free(out);
	} else
		FUZZ_ASSERT(out == unset);
	out = unset;
	if (cd_idn_to_unicode(s, &out, NULL) == CD_OK) {
		FUZZ_ASSERT(out != NULL && out != unset);
		FUZZ_ASSERT(utf8_wellformed((const unsigned char *)out));
		free(out);
	} else
		FUZZ_ASSERT(out == unset);
	(void)cd_idn_is_idn(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if ((s = fuzz_cstr(data, size)) == NULL)
		return 0;
	fuzz_parse(s, false);
	fuzz_parse(s, true);
	fuzz_idn(s);
	free(s);
	return 0;
}
