/*
 * domain.c - a domain name as an ACME identifier: "example.com",
 * "*.example.com", Unicode or A-label, any case, trailing dot allowed.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "idn.h"

cd_rc
cd_domain_parse(const char *in, bool allow_wildcard, char **ace,
    bool *wildcard, struct cd_err *err)
{
	const char *p = in;
	char *a = NULL, *l;
	size_t n;
	cd_rc rc;

	*wildcard = false;
	if (in == NULL || *in == '\0')
		return cd_err_set(err, CD_E_PARSE, "empty domain name");
	if (strncmp(p, "*.", 2) == 0) {
		if (!allow_wildcard)
			return cd_err_set(err, CD_E_PARSE, "'%s': a wildcard is "
			    "not allowed here", in);
		*wildcard = true;
		p += 2;
	}
	/* One trailing dot is the root; anything else empty is an error. */
	if (*p == '\0' || *p == '.' || strstr(p, "..") != NULL ||
	    strpbrk(p, "*/:@ \t\\[]") != NULL)
		return cd_err_set(err, CD_E_PARSE, "'%s' is not a domain name",
		    in);
	if ((rc = cd_idn_to_ascii(p, &a, err)) != CD_OK)
		return rc;
	n = strlen(a);
	if (n == 0 || n > 253 || a[0] == '.' || a[n - 1] == '.' ||
	    strstr(a, "..") != NULL) {
		free(a);
		return cd_err_set(err, CD_E_PARSE, "'%s' is not a domain name",
		    in);
	}
	for (l = a; *l; l++)
		if (!((*l >= 'a' && *l <= 'z') || (*l >= '0' && *l <= '9') ||
		    *l == '-' || *l == '.' || *l == '_')) {
			free(a);
			return cd_err_set(err, CD_E_PARSE, "'%s' is not a domain "
			    "name", in);
		}
	*ace = a;
	return CD_OK;
}

cd_rc
cd_ip_identifier_parse(const char *in, char **canon, struct cd_err *err)
{
	unsigned char b[16];
	char lit[64], out[INET6_ADDRSTRLEN];
	size_t n = in ? strlen(in) : 0;
	int fam = AF_INET;

	/* "[::1]" as in a URL is the same address as "::1". */
	if (n >= 2 && in[0] == '[' && in[n - 1] == ']' && n - 2 < sizeof(lit)) {
		memcpy(lit, in + 1, n - 2);
		lit[n - 2] = '\0';
		fam = AF_INET6;
	} else if (n < sizeof(lit)) {
		memcpy(lit, in, n + 1);
		if (strchr(lit, ':') != NULL)
			fam = AF_INET6;
	} else {
		lit[0] = '\0';
	}
	if (inet_pton(fam, lit, b) != 1 || inet_ntop(fam, b, out,
	    sizeof(out)) == NULL)
		return cd_err_set(err, CD_E_PARSE, "'%s' is not an IP address",
		    in ? in : "");
	/* RFC 8738: the textual form of RFC 1123 or RFC 5952, as inet_ntop. */
	if ((*canon = strdup(out)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	return CD_OK;
}
