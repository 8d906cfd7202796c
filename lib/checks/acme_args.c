/*
 * acme_args.c - what an ACME client's values look like (RFC 8555: a key
 * authorization is token "." base64url(JWK thumbprint); section 8.4: the
 * TXT value is base64url(SHA-256)), so a mistyped value is refused up
 * front instead of becoming a wrong verdict about the user's DNS.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dnspersist.h"
#include "err.h"

static size_t
b64url_span(const char *s)
{
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_");
}

cd_rc
cd_acme_keyauth_check(const char *s, struct cd_err *err)
{
	size_t tok = b64url_span(s);

	if (tok == 0 || s[tok] != '.' || b64url_span(s + tok + 1) == 0 ||
	    s[tok + 1 + b64url_span(s + tok + 1)] != '\0')
		return cd_err_set(err, CD_E_USAGE, "'%s' is not a key "
		    "authorization (TOKEN.THUMBPRINT, both base64url, as the "
		    "ACME client prints it)", s);
	return CD_OK;
}

cd_rc
cd_acme_txt_value_check(const char *s, struct cd_err *err)
{
	if (strlen(s) != 43 || b64url_span(s) != 43)
		return cd_err_set(err, CD_E_USAGE, "'%s' is not a dns-01 TXT "
		    "value (43 base64url characters: the SHA-256 of the key "
		    "authorization; give --key-authorization to have it "
		    "computed)", s);
	return CD_OK;
}

cd_rc
cd_acme_account_uri_check(const char *s, struct cd_err *err)
{
	const char *p = s;

	if (!isalpha((unsigned char)*p))
		goto bad;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	    *p == '.')
		p++;
	if (strncmp(p, "://", 3) != 0 || p[3] == '\0' || p[3] == '/')
		goto bad;
	for (p = s; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			goto bad;
	return CD_OK;
bad:
	return cd_err_set(err, CD_E_USAGE, "'%s' is not an ACME account URI "
	    "(an absolute URI such as https://acme-v02.api.letsencrypt.org/"
	    "acme/acct/123456789, no spaces)", s);
}

cd_rc
cd_acme_issuer_check(const char *s, struct cd_err *err)
{
	char *n = cd_dnspersist_issuer(s);

	if (n == NULL)
		return cd_err_set(err, CD_E_USAGE, "'%s' is not an issuer "
		    "domain name (the CA's, as in its CAA records: "
		    "letsencrypt.org)", s);
	free(n);
	return CD_OK;
}
