/* dnsmsg.c - the answer section of a DNS response, bounds-checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ares.h>

#include "dnsmsg.h"
#include "err.h"

#define HDR_LEN 12
/* More records than this in one answer is an attack, not a zone. */
#define MAX_RRS 4096

void
cd_caa_rr_clear(struct cd_caa_rr *rr)
{
	free(rr->tag);
	free(rr->value);
	memset(rr, 0, sizeof(*rr));
}

char *
cd_caa_rr_text(const struct cd_caa_rr *rr)
{
	char *s;

	if (asprintf(&s, "%u %s \"%s\"", rr->flags, rr->tag, rr->value) < 0)
		return NULL;
	return s;
}

void
cd_dnsmsg_clear(struct cd_dnsmsg *m)
{
	size_t i;

	for (i = 0; i < m->ncaa; i++)
		cd_caa_rr_clear(&m->caa[i]);
	free(m->caa);
	for (i = 0; i < m->ncname; i++) {
		free(m->cname_from[i]);
		free(m->cname_to[i]);
	}
	free(m->cname_from);
	free(m->cname_to);
	for (i = 0; i < m->ntxt; i++)
		free(m->txt[i]);
	free(m->txt);
	for (i = 0; i < m->ntlsa; i++)
		free(m->tlsa[i].data);
	free(m->tlsa);
	for (i = 0; i < m->nns; i++)
		free(m->ns[i]);
	free(m->ns);
	for (i = 0; i < m->nauth_ns; i++)
		free(m->auth_ns[i]);
	free(m->auth_ns);
	free(m->qname);
	free(m->ede_text);
	memset(m, 0, sizeof(*m));
	m->ede = -1;
}

const char *
cd_dns_rcode_name(unsigned rcode, char *buf, size_t len)
{
	static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL",
	    "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET",
	    "NOTAUTH", "NOTZONE"};

	if (rcode < CD_ARRAY_LEN(names))
		return names[rcode];
	snprintf(buf, len, "RCODE%u", rcode);
	return buf;
}

static unsigned
get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* Decompress the name at *pos; advance *pos past it. */
static cd_rc
name_at(const unsigned char *abuf, size_t len, size_t *pos, char **out,
    struct cd_err *err)
{
	long enclen = 0;
	int r;

	if (*pos >= len)
		return cd_err_set(err, CD_E_PARSE, "DNS answer: name past "
		    "the end");
	r = ares_expand_name(abuf + *pos, abuf, (int)len, out, &enclen);
	if (r != ARES_SUCCESS || enclen <= 0 || (size_t)enclen > len - *pos)
		return cd_err_set(err, CD_E_PARSE, "DNS answer: bad name "
		    "(%s)", ares_strerror(r));
	*pos += (size_t)enclen;
	return CD_OK;
}

/* CAA RDATA: flags, tag length, tag, value (RFC 8659 section 4.1). */
static cd_rc
caa_rdata(const unsigned char *rd, size_t rdlen, struct cd_caa_rr *rr,
    struct cd_err *err)
{
	size_t taglen;

	if (rdlen < 2 || (taglen = rd[1]) == 0 || 2 + taglen > rdlen)
		return cd_err_set(err, CD_E_PARSE, "CAA record: bad tag "
		    "length");
	rr->flags = rd[0];
	rr->tag = strndup((const char *)rd + 2, taglen);
	rr->value_len = rdlen - 2 - taglen;
	rr->value = malloc(rr->value_len + 1);
	if (rr->tag == NULL || rr->value == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	memcpy(rr->value, rd + 2 + taglen, rr->value_len);
	rr->value[rr->value_len] = '\0';
	return CD_OK;
}

static cd_rc
add_cname(struct cd_dnsmsg *m, char *from, char *to)
{
	char **a, **b;

	if ((a = realloc(m->cname_from, (m->ncname + 1) * sizeof(*a))) != NULL)
		m->cname_from = a;
	if ((b = realloc(m->cname_to, (m->ncname + 1) * sizeof(*b))) != NULL)
		m->cname_to = b;
	if (a == NULL || b == NULL) {
		free(from);
		free(to);
		return CD_E_NOMEM;
	}
	m->cname_from[m->ncname] = from;
	m->cname_to[m->ncname++] = to;
	return CD_OK;
}

static cd_rc
add_caa(struct cd_dnsmsg *m, const unsigned char *rd, size_t rdlen,
    struct cd_err *err)
{
	struct cd_caa_rr *n;

	if ((n = realloc(m->caa, (m->ncaa + 1) * sizeof(*n))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	m->caa = n;
	memset(&m->caa[m->ncaa], 0, sizeof(*n));
	m->ncaa++;
	return caa_rdata(rd, rdlen, &m->caa[m->ncaa - 1], err);
}

/*
 * TXT RDATA: one or more length-prefixed character-strings, joined
 * into one value (a NUL inside cuts the C string; the CA would not
 * match such a value either).
 */
static cd_rc
add_txt(struct cd_dnsmsg *m, const unsigned char *rd, size_t rdlen,
    struct cd_err *err)
{
	char **a, *v;
	size_t pos = 0, out = 0, l;

	if ((v = malloc(rdlen + 1)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	while (pos < rdlen) {
		l = rd[pos++];
		if (l > rdlen - pos) {
			free(v);
			return cd_err_set(err, CD_E_PARSE, "TXT record: "
			    "character-string past the end");
		}
		memcpy(v + out, rd + pos, l);
		out += l;
		pos += l;
	}
	v[out] = '\0';
	if ((a = realloc(m->txt, (m->ntxt + 1) * sizeof(*a))) == NULL) {
		free(v);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	m->txt = a;
	m->txt[m->ntxt++] = v;
	return CD_OK;
}

/* TLSA RDATA: three octets, then the association data. */
static cd_rc
add_tlsa(struct cd_dnsmsg *m, const unsigned char *rd, size_t rdlen,
    struct cd_err *err)
{
	struct cd_tlsa_rr *a;
	unsigned char *d;

	if (rdlen < 3)
		return cd_err_set(err, CD_E_PARSE, "TLSA record: shorter "
		    "than its three fields");
	if ((d = malloc(rdlen - 3 + 1)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	memcpy(d, rd + 3, rdlen - 3);
	if ((a = realloc(m->tlsa, (m->ntlsa + 1) * sizeof(*a))) == NULL) {
		free(d);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	m->tlsa = a;
	a[m->ntlsa].usage = rd[0];
	a[m->ntlsa].selector = rd[1];
	a[m->ntlsa].mtype = rd[2];
	a[m->ntlsa].data = d;
	a[m->ntlsa].len = rdlen - 3;
	m->ntlsa++;
	return CD_OK;
}

static cd_rc
add_name(char ***list, size_t *n, const char *target)
{
	char **a;

	if ((a = realloc(*list, (*n + 1) * sizeof(*a))) == NULL)
		return CD_E_NOMEM;
	*list = a;
	if ((a[*n] = strdup(target)) == NULL)
		return CD_E_NOMEM;
	(*n)++;
	return CD_OK;
}

/*
 * The OPT record's options: the first Extended DNS Error (2-byte info
 * code, then UTF-8 text the server chose) is kept.
 */
static cd_rc
opt_rdata(const unsigned char *rd, size_t rdlen, struct cd_dnsmsg *m)
{
	size_t pos = 0, olen;
	unsigned code;

	m->edns = true;
	while (rdlen - pos >= 4) {
		code = get16(rd + pos);
		olen = get16(rd + pos + 2);
		pos += 4;
		if (olen > rdlen - pos)
			break;
		if (code == CD_EDNS_EDE && olen >= 2 && m->ede < 0) {
			m->ede = (int)get16(rd + pos);
			if (olen > 2 && (m->ede_text = strndup((const char *)rd +
			    pos + 2, olen - 2)) == NULL)
				return CD_E_NOMEM;
		}
		pos += olen;
	}
	return CD_OK;
}

/* One authority or additional record at *pos: only SOA and OPT matter. */
static cd_rc
other_rr(const unsigned char *abuf, size_t len, size_t *pos,
    struct cd_dnsmsg *m, bool authority, struct cd_err *err)
{
	char *owner = NULL, *target = NULL;
	unsigned type;
	size_t rdlen, tpos;
	cd_rc rc;

	if ((rc = name_at(abuf, len, pos, &owner, err)) != CD_OK)
		return rc;
	ares_free_string(owner);
	if (len - *pos < 10)
		return cd_err_set(err, CD_E_PARSE, "DNS answer: record "
		    "header past the end");
	type = get16(abuf + *pos);
	rdlen = get16(abuf + *pos + 8);
	*pos += 10;
	if (rdlen > len - *pos)
		return cd_err_set(err, CD_E_PARSE, "DNS answer: record data "
		    "past the end");
	if (authority && type == CD_DNS_T_SOA)
		m->soa_in_authority = true;
	if (authority && type == CD_DNS_T_NS) {
		tpos = *pos;
		if ((rc = name_at(abuf, *pos + rdlen, &tpos, &target, err)) !=
		    CD_OK)
			return rc;
		rc = add_name(&m->auth_ns, &m->nauth_ns, target);
		ares_free_string(target);
		if (rc != CD_OK)
			return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	if (!authority && type == CD_DNS_T_OPT &&
	    opt_rdata(abuf + *pos, rdlen, m) != CD_OK)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	*pos += rdlen;
	return CD_OK;
}

/* One answer record at *pos. */
static cd_rc
answer_rr(const unsigned char *abuf, size_t len, size_t *pos,
    struct cd_dnsmsg *m, struct cd_err *err)
{
	char *owner = NULL, *target = NULL;
	unsigned type, cls;
	size_t rdlen, rdpos;
	cd_rc rc;

	if ((rc = name_at(abuf, len, pos, &owner, err)) != CD_OK)
		return rc;
	if (len - *pos < 10) {
		ares_free_string(owner);
		return cd_err_set(err, CD_E_PARSE, "DNS answer: record "
		    "header past the end");
	}
	type = get16(abuf + *pos);
	cls = get16(abuf + *pos + 2);
	rdlen = get16(abuf + *pos + 8);
	rdpos = *pos + 10;
	if (rdlen > len - rdpos) {
		ares_free_string(owner);
		return cd_err_set(err, CD_E_PARSE, "DNS answer: record data "
		    "past the end");
	}
	*pos = rdpos + rdlen;
	rc = CD_OK;
	if (cls == 1 && type == CD_DNS_T_CAA) {
		rc = add_caa(m, abuf + rdpos, rdlen, err);
	} else if (cls == 1 && type == CD_DNS_T_TXT) {
		rc = add_txt(m, abuf + rdpos, rdlen, err);
	} else if (cls == 1 && type == CD_DNS_T_TLSA) {
		rc = add_tlsa(m, abuf + rdpos, rdlen, err);
	} else if (cls == 1 && type == CD_DNS_T_NS) {
		size_t tpos = rdpos;

		if ((rc = name_at(abuf, rdpos + rdlen, &tpos, &target,
		    err)) == CD_OK) {
			if (add_name(&m->ns, &m->nns, target) != CD_OK)
				rc = cd_err_set(err, CD_E_NOMEM, "out of memory");
			ares_free_string(target);
		}
	} else if (cls == 1 && type == CD_DNS_T_CNAME) {
		size_t tpos = rdpos;

		if ((rc = name_at(abuf, rdpos + rdlen, &tpos, &target,
		    err)) == CD_OK) {
			char *f = strdup(owner), *t = strdup(target);

			ares_free_string(target);
			if (f == NULL || t == NULL) {
				free(f);
				free(t);
				rc = cd_err_set(err, CD_E_NOMEM, "out of memory");
			} else if ((rc = add_cname(m, f, t)) != CD_OK) {
				cd_err_set(err, rc, "out of memory");
			}
		}
	}
	ares_free_string(owner);
	return rc;
}

cd_rc
cd_dnsmsg_parse(const unsigned char *abuf, size_t len, struct cd_dnsmsg *out,
    struct cd_err *err)
{
	char *qname = NULL;
	unsigned qd, an, ns, ar, i;
	size_t pos = HDR_LEN;
	cd_rc rc;

	memset(out, 0, sizeof(*out));
	out->ede = -1;
	if (len < HDR_LEN || len > 65535)
		return cd_err_set(err, CD_E_PARSE, "DNS answer: %zu bytes is "
		    "not a DNS message", len);
	out->rcode = abuf[3] & 0x0f;
	out->tc = (abuf[2] & 0x02) != 0;
	out->aa = (abuf[2] & 0x04) != 0;
	out->ad = (abuf[3] & 0x20) != 0;
	qd = get16(abuf + 4);
	an = get16(abuf + 6);
	ns = get16(abuf + 8);
	ar = get16(abuf + 10);
	out->nanswer = an;
	if (an > MAX_RRS || ns > MAX_RRS || ar > MAX_RRS)
		return cd_err_set(err, CD_E_PARSE, "DNS answer: %u records",
		    an + ns + ar);
	for (i = 0; i < qd; i++) {
		if ((rc = name_at(abuf, len, &pos, &qname, err)) != CD_OK)
			goto fail;
		if (out->qname == NULL && (out->qname = strdup(qname)) ==
		    NULL) {
			ares_free_string(qname);
			rc = cd_err_set(err, CD_E_NOMEM, "out of memory");
			goto fail;
		}
		ares_free_string(qname);
		if (len - pos < 4) {
			rc = cd_err_set(err, CD_E_PARSE, "DNS answer: question "
			    "past the end");
			goto fail;
		}
		pos += 4;
	}
	for (i = 0; i < an; i++)
		if ((rc = answer_rr(abuf, len, &pos, out, err)) != CD_OK)
			goto fail;
	/*
	 * A message cut short after the answer still says what it says:
	 * the authority and additional sections only add to it.
	 */
	for (i = 0; i < ns + ar && pos < len; i++)
		if ((rc = other_rr(abuf, len, &pos, out, i < ns, err)) != CD_OK) {
			if (rc == CD_E_NOMEM)
				goto fail;
			break;
		}
	return CD_OK;
fail:
	cd_dnsmsg_clear(out);
	return rc;
}
