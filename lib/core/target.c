/*
 * target.c - what the user names on the command line: check targets
 * ("host", "host:port", "[v6]:port", "https://host/...") and the
 * --dns-server list.  Pure parsing, no I/O.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"

void
cd_target_free(struct cd_target *t)
{
	if (t == NULL)
		return;
	free(t->input);
	free(t->host);
	free(t);
}

static bool
parse_port(const char *s, size_t len, uint16_t *out)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0 || len > 5)
		return false;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return false;
	*out = (uint16_t)v;
	return true;
}

static bool
is_ip(const char *s, int *family)
{
	unsigned char b[16];

	if (inet_pton(AF_INET, s, b) == 1) {
		*family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, b) == 1) {
		*family = AF_INET6;
		return true;
	}
	return false;
}

/* Characters no host name or address can hold (UTF-8 passes for IDN). */
static bool
host_chars_ok(const char *h, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)h[i];

		if (c <= 0x20 || c == 0x7f || strchr("/\\@?#[]<>\"'`,;", c))
			return false;
	}
	return true;
}

/*
 * Split s into host and port.  Accepts "[v6]", "[v6]:p", a bare IPv6
 * address, "host" and "host:p".
 */
static cd_rc
split_hostport(const char *s, const char **h, size_t *hlen, const char **p,
    size_t *plen, struct cd_err *err)
{
	const char *c;

	*p = NULL;
	*plen = 0;
	if (*s == '[') {
		if ((c = strchr(s, ']')) == NULL)
			return cd_err_set(err, CD_E_PARSE,
			    "'%s': missing ']' after IPv6 address", s);
		*h = s + 1;
		*hlen = (size_t)(c - s - 1);
		if (c[1] == ':') {
			*p = c + 2;
			*plen = strlen(*p);
			if (*plen == 0)
				return cd_err_set(err, CD_E_PARSE,
				    "'%s': empty port", s);
		} else if (c[1] != '\0')
			return cd_err_set(err, CD_E_PARSE,
			    "'%s': unexpected text after ']'", s);
		return CD_OK;
	}
	c = strchr(s, ':');
	if (c != NULL && strchr(c + 1, ':') != NULL) {
		/* Two colons: a bare IPv6 address, no port possible. */
		*h = s;
		*hlen = strlen(s);
		return CD_OK;
	}
	*h = s;
	*hlen = c ? (size_t)(c - s) : strlen(s);
	if (c != NULL) {
		*p = c + 1;
		*plen = strlen(*p);
		if (*plen == 0)
			return cd_err_set(err, CD_E_PARSE, "'%s': empty port",
			    s);
	}
	return CD_OK;
}

cd_rc
cd_target_parse(const char *s, uint16_t default_port, struct cd_target **out,
    struct cd_err *err)
{
	struct cd_target *t = NULL;
	const char *h, *p, *rest = s, *slash;
	char *hp = NULL;
	size_t hlen, plen;
	int fam;
	cd_rc rc;

	if (s == NULL || *s == '\0')
		return cd_err_set(err, CD_E_PARSE, "empty target");
	if (strncasecmp(s, "https://", 8) == 0) {
		rest = s + 8;
	} else if (strstr(s, "://") != NULL) {
		return cd_err_set(err, CD_E_PARSE,
		    "'%s': only https:// URLs can be checked", s);
	}
	/* A URL's path, query or fragment is not part of the address. */
	slash = rest + strcspn(rest, "/?#");
	if (slash != rest + strlen(rest) && rest == s)
		return cd_err_set(err, CD_E_PARSE,
		    "'%s': a path needs an https:// URL", s);
	if ((hp = strndup(rest, (size_t)(slash - rest))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	if ((rc = split_hostport(hp, &h, &hlen, &p, &plen, err)) != CD_OK)
		goto out;
	rc = CD_E_NOMEM;
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->input = strdup(s)) == NULL ||
	    (t->host = strndup(h, hlen)) == NULL) {
		cd_err_set(err, rc, "out of memory");
		goto out;
	}
	rc = CD_E_PARSE;
	if (hlen == 0 || hlen > 1024 || !host_chars_ok(h, hlen)) {
		cd_err_set(err, rc, "'%s': bad host name", s);
		goto out;
	}
	t->host_is_ip = is_ip(t->host, &fam);
	if (*hp == '[' && (!t->host_is_ip || fam != AF_INET6)) {
		cd_err_set(err, rc, "'%s': not an IPv6 address in []", s);
		goto out;
	}
	if (!t->host_is_ip && strchr(t->host, ':') != NULL) {
		cd_err_set(err, rc, "'%s': bad IPv6 address", s);
		goto out;
	}
	t->port = default_port;
	if (p != NULL) {
		if (!parse_port(p, plen, &t->port)) {
			cd_err_set(err, rc, "'%s': port must be 1..65535", s);
			goto out;
		}
		t->port_given = true;
	}
	*out = t;
	t = NULL;
	rc = CD_OK;
out:
	cd_target_free(t);
	free(hp);
	return rc;
}

cd_rc
cd_dnsservers_parse(const char *s, char **csv, struct cd_err *err)
{
	struct cd_buf b;
	const char *item, *h, *p;
	char *copy = NULL, *save = NULL, *tok, *host = NULL;
	size_t hlen, plen;
	uint16_t port;
	int fam, n = 0;
	cd_rc rc;

	cd_buf_init(&b, 4096);
	if (s == NULL || *s == '\0')
		return cd_err_set(err, CD_E_PARSE, "empty DNS server list");
	if ((copy = strdup(s)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		item = tok;
		rc = split_hostport(item, &h, &hlen, &p, &plen, err);
		if (rc != CD_OK)
			goto out;
		free(host);
		if ((host = strndup(h, hlen)) == NULL) {
			rc = cd_err_set(err, CD_E_NOMEM, "out of memory");
			goto out;
		}
		port = 53;
		if (!is_ip(host, &fam) || (p && !parse_port(p, plen, &port))) {
			rc = cd_err_set(err, CD_E_PARSE,
			    "DNS server '%s': want ADDR[:PORT] with an IP "
			    "address (IPv6 as [::1]:53)", item);
			goto out;
		}
		if ((rc = cd_buf_addf(&b, fam == AF_INET6 ? "%s[%s]:%u" :
		    "%s%s:%u", n++ ? "," : "", host, port)) != CD_OK) {
			cd_err_set(err, rc, "DNS server list too long");
			goto out;
		}
	}
	if (n == 0) {
		rc = cd_err_set(err, CD_E_PARSE, "empty DNS server list");
		goto out;
	}
	*csv = cd_buf_take(&b);
	rc = CD_OK;
out:
	cd_buf_free(&b);
	free(host);
	free(copy);
	return rc;
}
