/* dns01_value.c - digests and names of the DNS challenges, as Boulder's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "dns01.h"
#include "escape.h"

/* The CA cuts a rejected record to this many bytes before quoting it. */
#define QUOTE_MAX 100

static bool
sha256(const char *s, unsigned char out[32])
{
	return gnutls_hash_fast(GNUTLS_DIG_SHA256, s, strlen(s), out) == 0;
}

char *
cd_dns01_digest(const char *keyauth)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char d[32];
	char *out;
	size_t i, o = 0;
	unsigned v;

	if (!sha256(keyauth, d) || (out = malloc(44)) == NULL)
		return NULL;
	/* 32 bytes: ten full groups of three, then two bytes left. */
	for (i = 0; i + 3 <= 32; i += 3) {
		v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 | d[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[v >> 6 & 63];
		out[o++] = b64[v & 63];
	}
	v = (unsigned)d[30] << 16 | (unsigned)d[31] << 8;
	out[o++] = b64[v >> 18 & 63];
	out[o++] = b64[v >> 12 & 63];
	out[o++] = b64[v >> 6 & 63];
	out[o] = '\0';
	return out;
}

char *
cd_dns01_challenge_name(const char *name, const char *account_uri)
{
	static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	unsigned char d[32];
	char label[17], *out;
	size_t i, bit;

	if (account_uri == NULL) {
		if (asprintf(&out, "_acme-challenge.%s", name) < 0)
			return NULL;
		return out;
	}
	if (!sha256(account_uri, d))
		return NULL;
	/* 80 bits are exactly 16 base32 digits: no padding to drop. */
	for (i = 0; i < 16; i++) {
		unsigned v = 0;

		for (bit = i * 5; bit < i * 5 + 5; bit++)
			v = v << 1 | (d[bit / 8] >> (7 - bit % 8) & 1);
		label[i] = b32[v];
	}
	label[16] = '\0';
	if (asprintf(&out, "_%s._acme-challenge.%s", label, name) < 0)
		return NULL;
	return out;
}

char *
cd_dns01_quote(const char *value)
{
	return cd_go_quote(value, strlen(value), QUOTE_MAX);
}
