/*
 * test_trust.c - cd_trust_verify() says what GnuTLS says of the whole
 * chain, also when it takes its short cuts: a chain it has seen (the
 * memo) and a new leaf under an issuer whose chain it has verified (the
 * leaf alone under that issuer).  The short cut must not pass what the
 * whole chain fails: a root's path length that counts the leaf's level,
 * an intermediate's name constraints, an issuer without keyCertSign, a
 * leaf signed by another key under the issuer's key identifier, a leaf's
 * dates or purpose.  Each case is verified after a good leaf has primed
 * the issuer's verdict, and compared with GnuTLS's own verification of
 * the whole chain against the same store.  And cd_trust_has_issuer(),
 * remembered per certificate, answers as GnuTLS's lookup does.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certgen.h"
#include "tap.h"
#include "trust.h"

static char dir[] = "/tmp/test_trust.XXXXXX";
static char store[64];
static time_t now;

/* GnuTLS's verdict on the whole chain, as cd_trust_verify asks it. */
static unsigned
whole(struct cd_cert *const *certs, size_t n)
{
	gnutls_x509_trust_list_t tl;
	gnutls_x509_crt_t list[4];
	gnutls_typed_vdata_st vd;
	unsigned status = ~0u;
	size_t i;

	if (gnutls_x509_trust_list_init(&tl, 0) < 0)
		return status;
	if (gnutls_x509_trust_list_add_trust_file(tl, store, NULL,
	    GNUTLS_X509_FMT_PEM, 0, 0) > 0) {
		for (i = 0; i < n; i++)
			list[i] = certs[i]->crt;
		memset(&vd, 0, sizeof(vd));
		vd.type = GNUTLS_DT_KEY_PURPOSE_OID;
		vd.data = (unsigned char *)(uintptr_t)GNUTLS_KP_TLS_WWW_SERVER;
		if (gnutls_x509_trust_list_verify_crt2(tl, list, (unsigned)n,
		    &vd, 1, 0, &status, NULL) < 0)
			status = ~0u;
	}
	gnutls_x509_trust_list_deinit(tl, 1);
	return status;
}

/* cd_trust_verify's status twice (the second from the memo), or ~0. */
static void
same(const struct cd_trust *t, struct cd_cert *const *certs, size_t n,
    bool want_trusted, const char *what)
{
	struct cd_verify v;
	struct cd_err e;
	unsigned want = whole(certs, n), got[2] = {~0u, ~0u};
	int i;

	for (i = 0; i < 2; i++) {
		if (cd_trust_verify(t, certs, n, &v, &e) == CD_OK)
			got[i] = v.status;
		cd_verify_clear(&v);
	}
	tap_ok((want == 0) == want_trusted, "%s: GnuTLS says %s (status "
	    "0x%x)", what, want_trusted ? "trusted" : "not trusted", want);
	tap_ok(got[0] == want && got[1] == want, "%s: cd_trust_verify says "
	    "the same, twice (0x%x, 0x%x)", what, got[0], got[1]);
}

/* A leaf for name under issuer, with the spec's other fields as given. */
static struct cd_cert *
leaf(const char *name, time_t from, time_t to, const char *eku,
    const struct cd_cert *issuer, gnutls_x509_privkey_t issuer_key)
{
	struct tg_spec sp = {0};
	gnutls_x509_privkey_t k = tg_key(0);
	struct cd_cert *c;

	sp.cn = name;
	sp.san[0] = name;
	sp.not_before = from;
	sp.not_after = to;
	sp.eku = eku;
	c = tg_cert(&sp, k, issuer, issuer_key);
	gnutls_x509_privkey_deinit(k);
	return c;
}

static struct cd_cert *
ca(const char *name, const struct tg_spec *extra,
    gnutls_x509_privkey_t key, const struct cd_cert *issuer,
    gnutls_x509_privkey_t issuer_key)
{
	struct tg_spec sp = {0};

	if (extra != NULL)
		sp = *extra;
	sp.cn = name;
	sp.ca = true;
	sp.not_before = now - 365 * TG_DAY;
	sp.not_after = now + 3650 * TG_DAY;
	return tg_cert(&sp, key, issuer, issuer_key);
}

int
main(void)
{
	gnutls_x509_privkey_t kr = NULL, kr2 = NULL, ki = NULL, ki2 = NULL,
	    ki3 = NULL, ki4 = NULL, kx = NULL;
	struct cd_cert *root = NULL, *root2 = NULL, *in = NULL, *in2 = NULL,
	    *in3 = NULL, *in4 = NULL, *c[8] = {0};
	struct cd_trust *t = NULL;
	struct cd_err e;
	struct tg_spec sp;
	char path[64];
	FILE *out, *fp;
	int ch;
	size_t i;

	gnutls_global_init();
	now = time(NULL);
	if (mkdtemp(dir) == NULL)
		return tap_ok(0, "a temporary directory"), tap_done();
	snprintf(store, sizeof(store), "%s/store.pem", dir);
	kr = tg_key(0), kr2 = tg_key(0), ki = tg_key(0), ki2 = tg_key(0);
	ki3 = tg_key(0), ki4 = tg_key(0), kx = tg_key(0);

	root = ca("test root", NULL, kr, NULL, NULL);
	/* A root whose path length leaves no room for an intermediate. */
	memset(&sp, 0, sizeof(sp));
	sp.has_pathlen = true;
	sp.pathlen = 0;
	root2 = ca("test root pathlen 0", &sp, kr2, NULL, NULL);
	in = ca("test int", NULL, ki, root, kr);
	in2 = ca("test int under pathlen 0", NULL, ki2, root2, kr2);
	memset(&sp, 0, sizeof(sp));
	sp.nc_permit = "good.test";
	in3 = ca("test int for good.test", &sp, ki3, root, kr);
	memset(&sp, 0, sizeof(sp));
	sp.key_usage = GNUTLS_KEY_DIGITAL_SIGNATURE;
	in4 = ca("test int without keyCertSign", &sp, ki4, root, kr);
	tap_ok(root && root2 && in && in2 && in3 && in4, "CA certificates "
	    "made");
	/* The store: both roots, one PEM file. */
	out = fopen(store, "w");
	for (i = 0; i < 2 && out != NULL; i++) {
		snprintf(path, sizeof(path), "%s/r%zu.pem", dir, i);
		if (!tg_write_pem(i ? root2 : root, path) ||
		    (fp = fopen(path, "r")) == NULL)
			continue;
		while ((ch = fgetc(fp)) != EOF)
			fputc(ch, out);
		fclose(fp);
		unlink(path);
	}
	if (out != NULL)
		fclose(out);
	tap_ok(cd_trust_new(store, &t, &e) == CD_OK, "the store loads");
	if (t == NULL)
		goto out;

	c[0] = leaf("a.test", now - TG_DAY, now + 60 * TG_DAY, NULL, in, ki);
	c[1] = in;
	same(t, c, 2, true, "a leaf under the intermediate");
	cd_cert_free(c[0]);
	c[0] = leaf("b.test", now - TG_DAY, now + 60 * TG_DAY, NULL, in, ki);
	same(t, c, 2, true, "another leaf under the same intermediate");
	cd_cert_free(c[0]);
	c[0] = leaf("old.test", now - 90 * TG_DAY, now - TG_DAY, NULL, in, ki);
	same(t, c, 2, false, "an expired leaf under a verified intermediate");
	cd_cert_free(c[0]);
	c[0] = leaf("soon.test", now + TG_DAY, now + 90 * TG_DAY, NULL, in,
	    ki);
	same(t, c, 2, false, "a leaf not yet valid under a verified "
	    "intermediate");
	cd_cert_free(c[0]);
	c[0] = leaf("code.test", now - TG_DAY, now + 60 * TG_DAY,
	    GNUTLS_KP_CODE_SIGNING, in, ki);
	same(t, c, 2, false, "a code-signing leaf under a verified "
	    "intermediate");
	cd_cert_free(c[0]);
	/* The intermediate's key identifier, another key's signature. */
	c[0] = leaf("forged.test", now - TG_DAY, now + 60 * TG_DAY, NULL, in,
	    kx);
	same(t, c, 2, false, "a leaf signed by another key under the "
	    "intermediate's identifier");
	cd_cert_free(c[0]);
	/* The intermediate and the root sent along: the same verdicts. */
	c[0] = leaf("c.test", now - TG_DAY, now + 60 * TG_DAY, NULL, in, ki);
	c[2] = root;
	same(t, c, 3, true, "a leaf, the intermediate and the root");
	cd_cert_free(c[0]);
	c[2] = NULL;

	c[1] = in2;
	c[0] = leaf("d.test", now - TG_DAY, now + 60 * TG_DAY, NULL, in2, ki2);
	same(t, c, 2, false, "a leaf under an intermediate its root's path "
	    "length forbids");
	cd_cert_free(c[0]);
	c[0] = leaf("e.test", now - TG_DAY, now + 60 * TG_DAY, NULL, in2, ki2);
	same(t, c, 2, false, "and another after it");
	cd_cert_free(c[0]);
	/* The intermediate alone verifies: it is the leaf's level that
	 * the root's path length forbids. */
	c[0] = in2;
	same(t, c, 1, true, "that intermediate alone");

	c[1] = in3;
	c[0] = leaf("www.good.test", now - TG_DAY, now + 60 * TG_DAY, NULL,
	    in3, ki3);
	same(t, c, 2, true, "a name inside the intermediate's constraints");
	cd_cert_free(c[0]);
	c[0] = leaf("www.evil.test", now - TG_DAY, now + 60 * TG_DAY, NULL,
	    in3, ki3);
	same(t, c, 2, false, "a name outside them, after one inside");
	cd_cert_free(c[0]);

	c[1] = in4;
	c[0] = leaf("f.test", now - TG_DAY, now + 60 * TG_DAY, NULL, in4, ki4);
	same(t, c, 2, false, "a leaf under an intermediate without "
	    "keyCertSign");
	cd_cert_free(c[0]);
	c[0] = NULL;

	/*
	 * Whether the store holds an issuer, remembered per certificate:
	 * each answer twice, interleaved, as GnuTLS gives it.
	 */
	c[0] = leaf("g.test", now - TG_DAY, now + 60 * TG_DAY, NULL, in, ki);
	c[1] = ca("stray root", NULL, kx, NULL, NULL);
	if (tap_ok(c[0] != NULL && c[1] != NULL, "a leaf under the "
	    "intermediate, a root outside the store")) {
		bool got[6] = {cd_trust_has_issuer(t, in),
		    cd_trust_has_issuer(t, c[0]), cd_trust_has_issuer(t, c[1]),
		    cd_trust_has_issuer(t, in), cd_trust_has_issuer(t, c[0]),
		    cd_trust_has_issuer(t, c[1])};

		tap_ok(got[0] && got[3], "the intermediate's issuer is in "
		    "the store, asked twice");
		tap_ok(!got[1] && !got[4], "the leaf's issuer is not (an "
		    "intermediate), asked twice");
		tap_ok(!got[2] && !got[5], "nor the stray root's, asked twice");
	}
	cd_cert_free(c[0]);
	cd_cert_free(c[1]);
	c[0] = c[1] = NULL;
out:
	cd_trust_free(t);
	cd_cert_free(root);
	cd_cert_free(root2);
	cd_cert_free(in);
	cd_cert_free(in2);
	cd_cert_free(in3);
	cd_cert_free(in4);
	gnutls_x509_privkey_deinit(kr);
	gnutls_x509_privkey_deinit(kr2);
	gnutls_x509_privkey_deinit(ki);
	gnutls_x509_privkey_deinit(ki2);
	gnutls_x509_privkey_deinit(ki3);
	gnutls_x509_privkey_deinit(ki4);
	gnutls_x509_privkey_deinit(kx);
	unlink(store);
	rmdir(dir);
	gnutls_global_deinit();
	return tap_done();
}
