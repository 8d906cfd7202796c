/*
 * starttls_ldap.c - LDAP's StartTLS (RFC 4511 4.14: ExtendedRequest
 * 1.3.6.1.4.1.1466.20037, ExtendedResponse resultCode 0), with a BER
 * reader for the one response.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "starttls_int.h"

/* The StartTLS ExtendedRequest, messageID 1 (RFC 4511 4.12, 4.14.1). */
static const unsigned char ldap_starttls[] = {
	0x30, 0x1d,			/* LDAPMessage */
	0x02, 0x01, 0x01,		/* messageID 1 */
	0x77, 0x18,			/* [APPLICATION 23] ExtendedRequest */
	0x80, 0x16,			/* [0] requestName */
	'1', '.', '3', '.', '6', '.', '1', '.', '4', '.', '1', '.',
	'1', '4', '6', '6', '.', '2', '0', '0', '3', '7'
};

/*
 * The identifier and definite length at p[0..n): 1 with *hdr (their
 * size) and *len, 0 when more bytes are needed, -1 when malformed (a
 * multi-byte tag, the indefinite form LDAP forbids, 16 MiB or more).
 */
static int
ber_head(const unsigned char *p, size_t n, unsigned *tag, size_t *hdr,
    size_t *len)
{
	size_t i, k;

	if (n < 2)
		return 0;
	if ((p[0] & 0x1f) == 0x1f)
		return -1;
	*tag = p[0];
	if (p[1] < 0x80) {
		*hdr = 2;
		*len = p[1];
		return 1;
	}
	k = p[1] & 0x7f;
	if (k == 0 || k > 3)
		return -1;
	if (n < 2 + k)
		return 0;
	for (*len = 0, i = 0; i < k; i++)
		*len = *len << 8 | p[2 + i];
	*hdr = 2 + k;
	return 1;
}

/* The next whole element of *p[0..*n): its tag and contents; advances. */
static bool
ber_next(const unsigned char **p, size_t *n, unsigned *tag,
    const unsigned char **val, size_t *vlen)
{
	size_t hdr, len;

	if (ber_head(*p, *n, tag, &hdr, &len) != 1 || len > *n - hdr)
		return false;
	*val = *p + hdr;
	*vlen = len;
	*p += hdr + len;
	*n -= hdr + len;
	return true;
}

/* A non-negative INTEGER or ENUMERATED of 1..4 bytes; -1 otherwise. */
static long
ber_uint(const unsigned char *v, size_t n)
{
	long x = 0;
	size_t i;

	if (n < 1 || n > 4 || (v[0] & 0x80))
		return -1;
	for (i = 0; i < n; i++)
		x = x << 8 | v[i];
	return x;
}

static const char *
ldap_result_name(long rc)
{
	switch (rc) {
	case 1: return "operationsError";
	case 2: return "protocolError";
	case 8: return "strongerAuthRequired";
	case 12: return "unavailableCriticalExtension";
	case 13: return "confidentialityRequired";
	case 50: return "insufficientAccessRights";
	case 51: return "busy";
	case 52: return "unavailable";
	case 53: return "unwillingToPerform";
	case 80: return "other";
	default: return "resultCode";
	}
}

/* The parsed message m[0..n): LDAPMessage contents. */
static enum cd_stls_act
ldap_message(struct cd_stls *s, const unsigned char *m, size_t n)
{
	const unsigned char *v, *op;
	size_t vlen, oplen;
	unsigned tag;
	long id, rc;
	char *q;

	if (!ber_next(&m, &n, &tag, &v, &vlen) || tag != 0x02 ||
	    (id = ber_uint(v, vlen)) < 0)
		return cd_stls_finish(s, CD_STLS_FAILED, "malformed LDAP message "
		    "(no messageID)");
	if (!ber_next(&m, &n, &tag, &op, &oplen))
		return cd_stls_finish(s, CD_STLS_FAILED, "malformed LDAP message");
	if (tag != 0x78)
		return cd_stls_finish(s, CD_STLS_FAILED, "LDAP operation 0x%02x in "
		    "answer to StartTLS, not an ExtendedResponse", tag);
	if (!ber_next(&op, &oplen, &tag, &v, &vlen) || tag != 0x0a ||
	    (rc = ber_uint(v, vlen)) < 0)
		return cd_stls_finish(s, CD_STLS_FAILED, "malformed LDAP "
		    "ExtendedResponse (no resultCode)");
	/* matchedDN, then diagnosticMessage: quote the latter. */
	s->replylen = 0;
	if (ber_next(&op, &oplen, &tag, &v, &vlen) && tag == 0x04 &&
	    ber_next(&op, &oplen, &tag, &v, &vlen) && tag == 0x04)
		cd_stls_quote(s, (const char *)v, vlen);
	if (id != 0 && id != 1)
		return cd_stls_finish(s, CD_STLS_FAILED, "an LDAP answer to message "
		    "%ld, not to our StartTLS request (1)", id);
	if (id == 1 && rc == 0)
		return cd_stls_ready(s);
	q = cd_stls_quoted(s);
	cd_stls_finish(s, CD_STLS_REFUSED, "%s: %s %ld (%s)%s%s%s",
	    id == 0 ? "notice of disconnection" : "StartTLS refused",
	    "resultCode", rc, ldap_result_name(rc), q && *q ? ": \"" : "",
	    q ? q : "", q && *q ? "\"" : "");
	free(q);
	return s->done;
}

enum cd_stls_act
cd_stls_ldap_step(struct cd_stls *s)
{
	unsigned tag;
	size_t hdr, len;
	int r = ber_head(s->in, s->inlen, &tag, &hdr, &len);
	enum cd_stls_act act;

	if (r == 0)
		return CD_STLS_RECV;
	if (r < 0 || tag != 0x30)
		return cd_stls_finish(s, CD_STLS_FAILED, "not an LDAP message (BER "
		    "identifier 0x%02x)", s->in[0]);
	if (len > sizeof(s->in) - hdr)
		return cd_stls_finish(s, CD_STLS_FAILED, "an LDAP answer of %zu bytes, "
		    "more than a StartTLS response takes", len);
	if (s->inlen < hdr + len)
		return CD_STLS_RECV;
	act = ldap_message(s, s->in + hdr, len);
	cd_stls_consume(s, hdr + len);
	return act;
}

void
cd_stls_ldap_start(struct cd_stls *s)
{
	s->state = LD_RESP;
	memcpy(s->out, ldap_starttls, sizeof(ldap_starttls));
	s->outlen = sizeof(ldap_starttls);
	s->waiting = "the StartTLS extended response";
}
