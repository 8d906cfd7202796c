/*
 * fuzz_tlsalpn.c - the tls-alpn-01 challenge certificate as the CA judges
 * it (lib/checks/tlsalpn_judge.c): cd_tlsalpn_judge() with the input as the
 * DER of the leaf a server sent, for the name "a.example", once with a
 * key authorization and once without.  This drives GnuTLS's certificate
 * parser, the project's own DER walk for the self-signature, the
 * acmeIdentifier value decoder and the byte-exact SAN comparison.
 *
 * Invariants: the reason is a terminated string that fits its buffer,
 * empty exactly when the certificate is accepted, and holds no C0
 * control, DEL or NUL (a peer chooses the names it quotes); an accepted
 * certificate is self-signed with a critical acmeIdentifier whose value
 * is 64 hex digits, SHA-256 of the key authorization when one is given;
 * the two calls agree: accepted with the key authorization implies
 * accepted without it, and accepted without it with the expected digest
 * implies accepted with it.
 */
#include <stdio.h>

#include "fuzz.h"
#include "tlsalpn.h"

#define NAME "a.example"
#define KA "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA." \
	"nP1qzpXGymHBrUEepNY9HCsQk7K8KhOypzEt62jcerQ"

static bool
printable(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static bool
hex64(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return false;
	return s[64] == '\0';
}

/* One call; checks what holds whatever the key authorization. */
static bool
judge(const unsigned char *der, size_t len, const char *keyauth,
    struct cd_tlsalpn_cert *f)
{
	char reason[1600];
	bool ok;

	memset(reason, 'x', sizeof(reason));
	ok = cd_tlsalpn_judge(der, len, NAME, keyauth, reason, sizeof(reason),
	    f);
	FUZZ_ASSERT(fuzz_terminated(reason, sizeof(reason)));
	FUZZ_ASSERT(ok == (reason[0] == '\0'));
	FUZZ_ASSERT(printable(reason));
	FUZZ_ASSERT(fuzz_terminated(f->acme_value, sizeof(f->acme_value)));
	FUZZ_ASSERT(f->acme_value[0] == '\0' || hex64(f->acme_value));
	if (ok)
		FUZZ_ASSERT(f->self_signed && f->has_acme_ext &&
		    f->acme_critical && f->acme_value[0] != '\0');
	return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char want[65];
	struct cd_tlsalpn_cert with, without;
	unsigned char *der;
	bool ok_ka, ok_none;

	if (want[0] == '\0')
		cd_tlsalpn_digest_hex(KA, want);
	/* Exactly size bytes, so that ASan sees a read past the end. */
	if ((der = (unsigned char *)fuzz_bytes(data, size)) == NULL)
		return 0;
	ok_ka = judge(der, size, KA, &with);
	FUZZ_VERDICT(ok_ka);
	ok_none = judge(der, size, NULL, &without);
	if (ok_ka)
		FUZZ_ASSERT(strcmp(with.acme_value, want) == 0 && ok_none);
	if (ok_none && strcmp(without.acme_value, want) == 0)
		FUZZ_ASSERT(ok_ka);
	FUZZ_ASSERT(memcmp(&with, &without, sizeof(with)) == 0);
	free(der);
	return 0;
}
