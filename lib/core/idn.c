/* idn.c - U-label <-> A-label conversion with libidn2. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <idn2.h>

#include "err.h"
#include "idn.h"

static bool
is_ip_literal(const char *s)
{
	unsigned char b[16];

	return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

cd_rc
cd_idn_to_ascii(const char *name, char **out, struct cd_err *err)
{
	char *a = NULL, *p;
	size_t len = strlen(name);
	int r;

	if (is_ip_literal(name)) {
		if ((*out = strdup(name)) == NULL)
			return cd_err_set(err, CD_E_NOMEM, "out of memory");
		return CD_OK;
	}
	/* A trailing dot is the root; the name is the same without it. */
	if (len > 1 && name[len - 1] == '.')
		len--;
	if ((p = strndup(name, len)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	r = idn2_to_ascii_8z(p, &a, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
	if (r != IDN2_OK) {
		cd_err_lib(err, CD_E_PARSE, "libidn2", r, "%s: %s", p,
		    idn2_strerror(r));
		free(p);
		return CD_E_PARSE;
	}
	free(p);
	for (p = a; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	/* U+3002, U+FF0E and U+FF61 map to '.': the root dot may arrive so. */
	if ((len = strlen(a)) > 1 && a[len - 1] == '.')
		a[len - 1] = '\0';
	*out = a;
	return CD_OK;
}

cd_rc
cd_idn_to_unicode(const char *name, char **out, struct cd_err *err)
{
	const char *p = name;
	char *u = NULL, *back = NULL;
	bool wild = strncmp(name, "*.", 2) == 0;
	int r;

	if (wild)
		p += 2;
	r = idn2_to_unicode_8z8z(p, &u, 0);
	if (r != IDN2_OK)
		return cd_err_lib(err, CD_E_PARSE, "libidn2", r, "%s: %s",
		    name, idn2_strerror(r));
	/*
	 * libidn2 decodes Punycode without validating what comes out, so a
	 * label from a certificate or a DNS answer may decode to a code
	 * point IDNA2008 disallows (a bidi override that reverses the text
	 * on screen, a look-alike symbol).  Only a name that converts back
	 * to itself is shown in Unicode.
	 */
	r = idn2_to_ascii_8z(u, &back, IDN2_NONTRANSITIONAL);
	if (r != IDN2_OK || strcasecmp(back, p) != 0) {
		free(u);
		free(back);
		return cd_err_lib(err, CD_E_PARSE, "libidn2", r, "%s: not a "
		    "valid internationalised name%s%s", name,
		    r != IDN2_OK ? ": " : "", r != IDN2_OK ? idn2_strerror(r) :
		    "");
	}
	free(back);
	if (wild) {
		back = u;
		if (asprintf(&u, "*.%s", back) < 0) {
			free(back);
			return cd_err_set(err, CD_E_NOMEM, "out of memory");
		}
		free(back);
	}
	*out = u;
	return CD_OK;
}

bool
cd_idn_is_idn(const char *name)
{
	const char *p;

	for (p = name; *p; p++)
		if ((unsigned char)*p >= 0x80)
			return true;
	for (p = name; (p = strstr(p, "xn--")) != NULL; p += 4)
		if (p == name || p[-1] == '.')
			return true;
	return false;
}
