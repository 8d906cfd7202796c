/*
 * tlsalpn_judge.c - the tls-alpn-01 challenge certificate, checked in the
 * order and with the sentences of Let's Encrypt's validator, so that a
 * user sees the CA's own words before the CA says them.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "escape.h"
#include "tlsalpn.h"

#define OID_SAN "2.5.29.17"
#define MAX_EXTS 64
#define MAX_NAMES 32
#define NAME_LEN 256

/* Length of the DER element at p (header included), or 0 if malformed. */
static size_t
der_elem(const unsigned char *p, size_t len)
{
	size_t n, hdr, i, k;

	if (len < 2)
		return 0;
	if (p[1] < 0x80) {
		hdr = 2;
		n = p[1];
	} else {
		k = p[1] & 0x7f;
		if (k == 0 || k > 4 || len < 2 + k)
			return 0;
		for (n = 0, i = 0; i < k; i++)
			n = (n << 8) | p[2 + i];
		hdr = 2 + k;
	}
	return n > len - hdr ? 0 : hdr + n;
}

/* Write a DER length at out; returns the bytes written (n < 65536). */
static size_t
der_len(unsigned char *out, size_t n)
{
	if (n < 0x80) {
		out[0] = (unsigned char)n;
		return 1;
	}
	if (n < 0x100) {
		out[0] = 0x81;
		out[1] = (unsigned char)n;
		return 2;
	}
	out[0] = 0x82;
	out[1] = (unsigned char)(n >> 8);
	out[2] = (unsigned char)n;
	return 3;
}

/*
 * SEQUENCE { [2] name } for a name, SEQUENCE { [7] address } for an IP
 * identifier (4 or 16 bytes): the only SAN extension value the CA
 * accepts.
 */
static size_t
expected_san(const char *name, unsigned char *out, size_t cap)
{
	unsigned char inner[8], ip[16];
	size_t nl = strlen(name), il, ol, i = 0;
	unsigned char tag = 0x82;

	if (inet_pton(AF_INET, name, ip) == 1 ||
	    inet_pton(AF_INET6, name, ip) == 1) {
		tag = 0x87;
		nl = strchr(name, ':') ? 16 : 4;
		name = (const char *)ip;
	}

	il = der_len(inner, nl);
	if (nl + 16 > cap)
		return 0;
	out[i++] = 0x30;
	i += der_len(out + i, 1 + il + nl);
	out[i++] = tag;
	memcpy(out + i, inner, il);
	i += il;
	memcpy(out + i, name, nl);
	ol = i + nl;
	return ol;
}

/* Go's %q of s into out, cut to cap: the CA's quoting of what a peer chose. */
static void
go_quote(const char *s, char *out, size_t cap)
{
	char *q = cd_go_quote(s, strlen(s), SIZE_MAX);

	snprintf(out, cap, "%s", q ? q : "\"\"");
	free(q);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
add_name(char **names, size_t *n, const char *s, size_t len)
{
	size_t i;
	char *c;

	if (*n >= MAX_NAMES || len == 0 || (c = strndup(s, len)) == NULL)
		return;
	for (i = 0; c[i]; i++)
		if (c[i] >= 'A' && c[i] <= 'Z')
			c[i] = (char)(c[i] - 'A' + 'a');
	for (i = 0; i < *n; i++)
		if (strcmp(names[i], c) == 0) {
			free(c);
			return;
		}
	names[(*n)++] = c;
}

/*
 * The names the CA lists when the SAN is wrong (Boulder certAltNames):
 * subject CN, DNS names, e-mail addresses, IP addresses and URIs, lower
 * case, each once, sorted, joined by ", ".  Also counts the dNSName and
 * iPAddress entries and keeps the first dNSName.
 */
static void
alt_names(gnutls_x509_crt_t crt, char *joined, size_t cap, size_t *ndns,
    size_t *nip, char *dns0, unsigned char ip0[16], size_t *ip0len)
{
	char *names[MAX_NAMES], buf[NAME_LEN], ip[64];
	size_t n = 0, i, sz;
	unsigned type, seq;
	int r;

	*ndns = *nip = *ip0len = 0;
	dns0[0] = '\0';
	sz = sizeof(buf);
	if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0,
	    0, buf, &sz) == 0)
		add_name(names, &n, buf, sz);
	for (seq = 0;; seq++) {
		sz = sizeof(buf) - 1;
		r = gnutls_x509_crt_get_subject_alt_name2(crt, seq, buf, &sz,
		    &type, NULL);
		if (r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (r == GNUTLS_E_SHORT_MEMORY_BUFFER)
			continue;
		if (r < 0)
			break;
		buf[sz] = '\0';
		if (type == GNUTLS_SAN_DNSNAME) {
			if ((*ndns)++ == 0)
				snprintf(dns0, NAME_LEN, "%.*s", (int)sz, buf);
			add_name(names, &n, buf, sz);
		} else if (type == GNUTLS_SAN_IPADDRESS) {
			if ((*nip)++ == 0 && (sz == 4 || sz == 16)) {
				memcpy(ip0, buf, sz);
				*ip0len = sz;
			}
			if (inet_ntop(sz == 16 ? AF_INET6 : AF_INET, buf, ip,
			    sizeof(ip)) != NULL && (sz == 4 || sz == 16))
				add_name(names, &n, ip, strlen(ip));
		} else if (type == GNUTLS_SAN_RFC822NAME ||
		    type == GNUTLS_SAN_URI)
			add_name(names, &n, buf, sz);
	}
	qsort(names, n, sizeof(*names), cmp_str);
	joined[0] = '\0';
	for (i = 0; i < n; i++) {
		snprintf(joined + strlen(joined), cap - strlen(joined), "%s%s",
		    i ? ", " : "", names[i]);
		free(names[i]);
	}
}

/*
 * Go's net.IP.Equal: an IPv4 address equals its IPv4-mapped IPv6 form
 * (the SAN bytes are compared exactly afterwards).
 */
static bool
same_ip(const unsigned char *a, size_t al, const unsigned char *b, size_t bl)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff};

	if (al == bl)
		return al > 0 && memcmp(a, b, al) == 0;
	if (al == 16 && bl == 4)
		return memcmp(a, mapped, 12) == 0 && memcmp(a + 12, b, 4) == 0;
	if (al == 4 && bl == 16)
		return memcmp(b, mapped, 12) == 0 && memcmp(b + 12, a, 4) == 0;
	return false;
}

/* The signature over the TBSCertificate verifies with the cert's key. */
static bool
signed_by_itself(gnutls_x509_crt_t crt, const unsigned char *der, size_t len)
{
	gnutls_pubkey_t pub = NULL;
	gnutls_datum_t tbs, sig = {NULL, 0};
	unsigned char *sb = NULL;
	size_t hdr, tl, ssz = 0;
	int algo;
	bool ok = false;

	/* Certificate ::= SEQUENCE { tbsCertificate, ... } */
	if (der_elem(der, len) == 0 || der[0] != 0x30)
		return false;
	hdr = der[1] < 0x80 ? 2 : 2 + (der[1] & 0x7f);
	if ((tl = der_elem(der + hdr, len - hdr)) == 0)
		return false;
	tbs.data = (unsigned char *)(uintptr_t)(der + hdr);
	tbs.size = (unsigned)tl;
	algo = gnutls_x509_crt_get_signature_algorithm(crt);
	if (gnutls_x509_crt_get_signature(crt, NULL, &ssz) !=
	    GNUTLS_E_SHORT_MEMORY_BUFFER || (sb = malloc(ssz)) == NULL ||
	    gnutls_x509_crt_get_signature(crt, (char *)sb, &ssz) < 0)
		goto out;
	sig.data = sb;
	sig.size = (unsigned)ssz;
	/* No SHA-1: the CA's signature check refuses it too. */
	if (algo > 0 && gnutls_pubkey_init(&pub) == 0 &&
	    gnutls_pubkey_import_x509(pub, crt, 0) == 0)
		ok = gnutls_pubkey_verify_data2(pub, (gnutls_sign_algorithm_t)
		    algo, 0, &tbs, &sig) >= 0;
out:
	if (pub)
		gnutls_pubkey_deinit(pub);
	free(sb);
	return ok;
}

static bool
self_signed(gnutls_x509_crt_t crt, const unsigned char *der, size_t len)
{
	gnutls_datum_t s = {NULL, 0}, i = {NULL, 0};
	bool same = false;

	/* Both are copies the caller frees. */
	if (gnutls_x509_crt_get_raw_dn(crt, &s) >= 0 &&
	    gnutls_x509_crt_get_raw_issuer_dn(crt, &i) >= 0)
		same = s.size == i.size && memcmp(s.data, i.data, s.size) == 0;
	gnutls_free(s.data);
	gnutls_free(i.data);
	return same && signed_by_itself(crt, der, len);
}

static void
to_hex(const unsigned char *b, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = '\0';
}

void
cd_tlsalpn_digest_hex(const char *keyauth, char out[65])
{
	unsigned char h[32];

	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, keyauth, strlen(keyauth),
	    h) < 0) {
		out[0] = '\0';
		return;
	}
	to_hex(h, 32, out);
}

bool
cd_tlsalpn_judge(const unsigned char *der, size_t len, const char *name,
    const char *keyauth, char *reason, size_t rlen,
    struct cd_tlsalpn_cert *facts)
{
	struct cd_tlsalpn_cert f;
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t d = {(unsigned char *)(uintptr_t)der, (unsigned)len};
	gnutls_datum_t v = {NULL, 0};
	char oids[MAX_EXTS][64], why[160], q[1200], joined[1024];
	char dns0[NAME_LEN], want[65];
	unsigned char san[300], ip0[16], ipw[16];
	size_t ip0len, iplen = 0;
	unsigned crit[MAX_EXTS];
	size_t n = 0, i, j, sz, ndns, nip, sl;
	int acme = -1, sanix = -1, r;
	bool ok = false;

	memset(&f, 0, sizeof(f));
	reason[0] = '\0';
	if (gnutls_x509_crt_init(&crt) < 0)
		goto out;
	if ((r = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER)) < 0) {
		snprintf(reason, rlen, "Received certificate that cannot be "
		    "parsed (%s).", gnutls_strerror(r));
		goto out;
	}
	for (n = 0; n < MAX_EXTS; n++) {
		sz = sizeof(oids[n]);
		r = gnutls_x509_crt_get_extension_info(crt, (unsigned)n,
		    oids[n], &sz, &crit[n]);
		if (r < 0)
			break;
		if (strcmp(oids[n], CD_TLSALPN_OID) == 0 && acme < 0)
			acme = (int)n;
		if (strcmp(oids[n], OID_SAN) == 0 && sanix < 0)
			sanix = (int)n;
	}
	f.self_signed = self_signed(crt, der, len);
	if (acme >= 0) {
		f.has_acme_ext = true;
		f.acme_critical = crit[acme] != 0;
		if (gnutls_x509_crt_get_extension_data2(crt, (unsigned)acme,
		    &v) == 0 && v.size == 34 && v.data[0] == 0x04 &&
		    v.data[1] == 0x20)
			to_hex(v.data + 2, 32, f.acme_value);
	}

	if (!f.self_signed) {
		snprintf(reason, rlen, "Received certificate which is not "
		    "self-signed.");
		goto out;
	}
	why[0] = '\0';
	for (i = 0; i < n && !why[0]; i++)
		for (j = 0; j < i; j++)
			if (strcmp(oids[i], oids[j]) == 0) {
				snprintf(why, sizeof(why), "Extension OID %s "
				    "seen twice", oids[i]);
				break;
			}
	if (!why[0] && acme < 0)
		snprintf(why, sizeof(why), "Required extension OID %s is not "
		    "present", CD_TLSALPN_OID);
	if (!why[0] && sanix < 0)
		snprintf(why, sizeof(why), "Required extension OID %s is not "
		    "present", OID_SAN);
	if (why[0]) {
		go_quote(why, q, sizeof(q));
		snprintf(reason, rlen, "Received certificate with unexpected "
		    "extensions: %s", q);
		goto out;
	}

	alt_names(crt, joined, sizeof(joined), &ndns, &nip, dns0, ip0,
	    &ip0len);
	if (inet_pton(AF_INET, name, ipw) == 1)
		iplen = 4;
	else if (inet_pton(AF_INET6, name, ipw) == 1)
		iplen = 16;
	if (iplen ? nip != 1 || ndns != 0 : ndns != 1 || nip != 0)
		snprintf(why, sizeof(why), "wrong number of identifiers");
	else if (iplen ? !same_ip(ip0, ip0len, ipw, iplen) :
	    strcasecmp(dns0, name) != 0)
		snprintf(why, sizeof(why), "identifier does not match expected "
		    "identifier");
	else {
		gnutls_free(v.data);
		v.data = NULL;
		sl = expected_san(name, san, sizeof(san));
		if (gnutls_x509_crt_get_extension_data2(crt, (unsigned)sanix,
		    &v) < 0 || sl == 0 || v.size != sl ||
		    memcmp(v.data, san, sl) != 0)
			snprintf(why, sizeof(why), "SAN extension does not "
			    "match expected bytes");
	}
	if (why[0]) {
		char qn[1100], qw[200];

		go_quote(joined, qn, sizeof(qn));
		go_quote(why, qw, sizeof(qw));
		snprintf(reason, rlen, "Received certificate with unexpected "
		    "identifiers (%s): %s", qn, qw);
		goto out;
	}

	if (!f.acme_critical) {
		snprintf(reason, rlen, "Received certificate with "
		    "acmeValidationV1 extension that is not Critical.");
		goto out;
	}
	if (!f.acme_value[0]) {
		snprintf(reason, rlen, "Received certificate with malformed "
		    "acmeValidationV1 extension value.");
		goto out;
	}
	if (keyauth != NULL) {
		cd_tlsalpn_digest_hex(keyauth, want);
		if (strcmp(want, f.acme_value) != 0) {
			snprintf(reason, rlen, "Received certificate with "
			    "acmeValidationV1 extension value %s but expected "
			    "%s.", f.acme_value, want);
			goto out;
		}
	}
	ok = true;
out:
	gnutls_free(v.data);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (facts)
		*facts = f;
	return ok;
}
