/*
 * test_chain.c - cd_chain_analyze() on chains made here with GnuTLS: the
 * issuance path as RFC 5280 6.1 builds it (the issuer's subject names
 * the certificate's issuer, the key identifiers agree, the signature
 * verifies), and where the served list departs from the order RFC 8446
 * 4.4.2 / RFC 5246 7.4.2 asks for (the sender's certificate first, each
 * next one certifying the one before; the root may be left out).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certgen.h"
#include "chain.h"
#include "tap.h"
#include "timeutil.h"

static struct {
	gnutls_x509_privkey_t kr, ki, kl, ku, ki2;
	struct cd_cert *root;	/* CN=Test Root, self-signed CA */
	struct cd_cert *inter;	/* CN=Test Intermediate, by root */
	struct cd_cert *leaf;	/* CN=example.test, by inter */
	struct cd_cert *other;	/* CN=other.test, self-signed leaf */
	struct cd_cert *twin;	/* CN=Test Intermediate, another key */
	struct cd_trust *trust;	/* holds root */
	struct cd_trust *alien;	/* holds only other */
} fx;

static bool
fixtures(const char *dir)
{
	time_t now = time(NULL);
	char path[256];
	struct tg_spec sr = {.cn = "Test Root", .ca = true,
	    .not_before = now - 400 * TG_DAY, .not_after = now + 3000 * TG_DAY};
	struct tg_spec si = {.cn = "Test Intermediate", .ca = true,
	    .not_before = now - 100 * TG_DAY, .not_after = now + 900 * TG_DAY};
	struct tg_spec sl = {.cn = "example.test", .san = {"example.test"},
	    .not_before = now - 10 * TG_DAY, .not_after = now + 80 * TG_DAY};
	struct tg_spec so = {.cn = "other.test", .san = {"other.test"},
	    .not_before = now - 10 * TG_DAY, .not_after = now + 80 * TG_DAY};

	if ((fx.kr = tg_key(0)) == NULL || (fx.ki = tg_key(0)) == NULL ||
	    (fx.kl = tg_key(0)) == NULL || (fx.ku = tg_key(0)) == NULL ||
	    (fx.ki2 = tg_key(0)) == NULL)
		return false;
	fx.root = tg_cert(&sr, fx.kr, NULL, NULL);
	fx.inter = fx.root ? tg_cert(&si, fx.ki, fx.root, fx.kr) : NULL;
	fx.leaf = fx.inter ? tg_cert(&sl, fx.kl, fx.inter, fx.ki) : NULL;
	fx.other = tg_cert(&so, fx.ku, NULL, NULL);
	fx.twin = fx.root ? tg_cert(&si, fx.ki2, fx.root, fx.kr) : NULL;
	if (!fx.leaf || !fx.other || !fx.twin)
		return false;
	snprintf(path, sizeof(path), "%s/root.pem", dir);
	if (!tg_write_pem(fx.root, path) ||
	    cd_trust_new(path, &fx.trust, NULL) != CD_OK)
		return false;
	unlink(path);
	snprintf(path, sizeof(path), "%s/other.pem", dir);
	if (!tg_write_pem(fx.other, path) ||
	    cd_trust_new(path, &fx.alien, NULL) != CD_OK)
		return false;
	unlink(path);
	return true;
}

/* The expected facts of one served list. */
struct want {
	const char *what;
	size_t path[4];
	size_t npath;
	size_t extra[4];
	size_t nextra;
	bool ordered, root_sent, issuer_missing, incomplete;
};

static void
expect(struct cd_cert *const *certs, size_t n, const struct cd_trust *t,
    const struct want *w)
{
	struct cd_chain_facts f;
	bool same;
	size_t i;

	cd_chain_analyze(certs, n, t, 0, &f);
	same = f.npath == w->npath;
	for (i = 0; same && i < w->npath; i++)
		same = f.path[i] == w->path[i];
	if (!tap_ok(same, "%s: the path", w->what)) {
		for (i = 0; i < f.npath; i++)
			tap_diag("path[%zu] = %zu", i, f.path[i]);
	}
	same = f.nextra == w->nextra;
	for (i = 0; same && i < w->nextra; i++)
		same = f.extra[i] == w->extra[i];
	tap_ok(same, "%s: the certificates off the path (%zu)", w->what,
	    f.nextra);
	tap_is_int(f.ordered, w->ordered, "%s: ordered", w->what);
	tap_is_int(f.root_sent, w->root_sent, "%s: root sent", w->what);
	tap_is_int(f.issuer_missing, w->issuer_missing, "%s: issuer missing",
	    w->what);
	tap_is_int(f.incomplete, w->incomplete, "%s: incomplete", w->what);
	tap_ok(!f.cut, "%s: not cut", w->what);
}

static void
test_table(void)
{
	struct cd_cert *lir[] = {fx.leaf, fx.inter, fx.root};
	struct cd_cert *li[] = {fx.leaf, fx.inter};
	struct cd_cert *l[] = {fx.leaf};
	struct cd_cert *lri[] = {fx.leaf, fx.root, fx.inter};
	struct cd_cert *liu[] = {fx.leaf, fx.inter, fx.other};
	struct cd_cert *lti[] = {fx.leaf, fx.twin, fx.inter};
	struct cd_cert *il[] = {fx.inter, fx.leaf};
	struct cd_cert *r[] = {fx.root};
	struct cd_cert *u[] = {fx.other};
	struct cd_cert *lil[] = {fx.leaf, fx.inter, fx.leaf};

	expect(lir, 3, NULL, &(struct want){"leaf, intermediate, root",
	    {0, 1, 2}, 3, {0}, 0, true, true, false, false});
	expect(li, 2, fx.trust, &(struct want){"leaf, intermediate; root "
	    "trusted", {0, 1}, 2, {0}, 0, true, false, false, false});
	/* The root may be left out, but then only a store can supply it. */
	expect(li, 2, NULL, &(struct want){"leaf, intermediate; no store",
	    {0, 1}, 2, {0}, 0, true, false, true, false});
	expect(li, 2, fx.alien, &(struct want){"leaf, intermediate; a store "
	    "without the root", {0, 1}, 2, {0}, 0, true, false, true, false});
	/* The cert.pem mistake: the top is no CA, its issuer is missing. */
	expect(l, 1, fx.trust, &(struct want){"leaf alone; root trusted",
	    {0}, 1, {0}, 0, true, false, true, true});
	expect(lri, 3, fx.trust, &(struct want){"leaf, root, intermediate",
	    {0, 2, 1}, 3, {0}, 0, false, true, false, false});
	expect(liu, 3, fx.trust, &(struct want){"leaf, intermediate, an "
	    "unrelated certificate", {0, 1}, 2, {2}, 1, true, false, false,
	    false});
	/* Same name as the issuer is not enough: the key must be its. */
	expect(lti, 3, fx.trust, &(struct want){"leaf, a look-alike of the "
	    "intermediate (same name, other key), the intermediate",
	    {0, 2}, 2, {1}, 1, false, false, false, false});
	/* The first certificate is the sender's, whatever it is. */
	expect(il, 2, NULL, &(struct want){"intermediate first, then the "
	    "leaf", {0}, 1, {1}, 1, true, false, true, false});
	/* A lone root is its own path; it was not sent "as well". */
	expect(r, 1, NULL, &(struct want){"a self-signed CA alone", {0}, 1,
	    {0}, 0, true, false, false, false});
	expect(u, 1, fx.trust, &(struct want){"a self-signed leaf alone",
	    {0}, 1, {0}, 0, true, false, false, false});
	/* A certificate never issues itself into the path twice. */
	expect(lil, 3, fx.trust, &(struct want){"leaf, intermediate, the "
	    "leaf again", {0, 1}, 2, {2}, 1, true, false, false, false});
}

/*
 * A hostile list: certificates whose names alternate between two (so
 * every other one is an issuer candidate by name) and carry no key
 * identifiers, so only a signature check tells an issuer, sent in the
 * order that costs most.  The analysis gives up after its budget
 * instead of trying every pair.
 */
static void
test_budget(void)
{
	enum { N = 40 };
	gnutls_x509_privkey_t k[N + 1];
	struct cd_cert *c[N + 1], *sent[N];
	struct cd_chain_facts f;
	time_t now = time(NULL);
	struct tg_spec sp = {.ca = true, .no_key_ids = true,
	    .not_before = now - TG_DAY, .not_after = now + 90 * TG_DAY};
	size_t i;
	bool made = true;

	memset(c, 0, sizeof(c));
	memset(k, 0, sizeof(k));
	for (i = 0; i <= N && made; i++)
		made = (k[i] = tg_key(0)) != NULL;
	/* c[i] is signed by c[i + 1]'s key; c[N] signs itself. */
	for (i = N + 1; i-- > 0 && made;) {
		sp.cn = i % 2 ? "Look Alike A" : "Look Alike B";
		made = (c[i] = i == N ? tg_cert(&sp, k[i], NULL, NULL) :
		    tg_cert(&sp, k[i], c[i + 1], k[i + 1])) != NULL;
	}
	if (!tap_ok(made, "%d look-alike certificates", N + 1))
		goto out;
	/* c[0], then its issuers farthest from it first (c[N] unsent). */
	sent[0] = c[0];
	for (i = 1; i < N; i++)
		sent[i] = c[N - i];
	cd_chain_analyze(sent, N, NULL, 0, &f);
	tap_ok(f.cut && !f.late, "look-alikes in the worst order: cut by the "
	    "budget, not the clock");
	tap_is_int((long long)f.tries, CD_CHAIN_MAX_TRIES,
	    "look-alikes: no more issuer candidates tried than the budget");
	tap_ok(!f.issuer_missing && !f.incomplete, "look-alikes: a cut "
	    "analysis claims no missing issuer");
	/* In order the same list needs one candidate per link. */
	for (i = 0; i < N; i++)
		sent[i] = c[i];
	cd_chain_analyze(sent, N, NULL, 0, &f);
	tap_ok(!f.cut && f.npath == N && f.ordered, "look-alikes in order: "
	    "the whole path, uncut (%zu tries)", f.tries);
	/* A deadline already past stops it at the first candidate. */
	cd_chain_analyze(sent, N, NULL, cd_now_ms() - 1, &f);
	tap_ok(f.cut && f.late && f.tries == 0, "a deadline in the past: "
	    "cut, late, nothing tried");
out:
	for (i = 0; i <= N; i++) {
		cd_cert_free(c[i]);
		gnutls_x509_privkey_deinit(k[i]);
	}
}

/*
 * A root cross-signed by another CA (same name, same key) served after
 * the root itself: the path ends at the self-signed root (RFC 5280 6.1:
 * a trust anchor ends the path), the cross-signed copy is extra.
 */
static void
test_cross_signed(void)
{
	time_t now = time(NULL);
	gnutls_x509_privkey_t ko = tg_key(0);
	struct tg_spec so = {.cn = "Other Root", .ca = true,
	    .not_before = now - TG_DAY, .not_after = now + 900 * TG_DAY};
	struct tg_spec sx = {.cn = "Test Root", .ca = true,
	    .not_before = now - TG_DAY, .not_after = now + 900 * TG_DAY};
	struct cd_cert *oroot = NULL, *cross = NULL;

	if (ko != NULL && (oroot = tg_cert(&so, ko, NULL, NULL)) != NULL)
		cross = tg_cert(&sx, fx.kr, oroot, ko);
	if (tap_ok(cross != NULL, "the root's key cross-signed by another "
	    "root")) {
		struct cd_cert *chain[] = {fx.leaf, fx.inter, fx.root, cross};

		expect(chain, 4, NULL, &(struct want){"leaf, intermediate, "
		    "root, the root cross-signed", {0, 1, 2}, 3, {3}, 1,
		    true, true, false, false});
	}
	cd_cert_free(cross);
	cd_cert_free(oroot);
	gnutls_x509_privkey_deinit(ko);
}

/*
 * Self-issued is not self-signed (RFC 5280 3.2, 6.1): a certificate whose
 * subject and issuer are one name but whose signature is another key's
 * (a CA's key rollover, here without key identifiers, so only the
 * signature can tell) is an intermediate, not a root sent along.
 */
static void
test_self_issued(void)
{
	time_t now = time(NULL);
	gnutls_x509_privkey_t knew = tg_key(0), kleaf = tg_key(0);
	struct tg_spec sn = {.cn = "Test Root", .ca = true, .no_key_ids = true,
	    .not_before = now - TG_DAY, .not_after = now + 900 * TG_DAY};
	struct tg_spec sl = {.cn = "rollover.test", .san = {"rollover.test"},
	    .no_key_ids = true, .not_before = now - TG_DAY,
	    .not_after = now + 80 * TG_DAY};
	struct cd_cert *nwo = NULL, *leaf = NULL;

	if (knew != NULL && kleaf != NULL &&
	    (nwo = tg_cert(&sn, knew, fx.root, fx.kr)) != NULL)
		leaf = tg_cert(&sl, kleaf, nwo, knew);
	if (tap_ok(leaf != NULL, "a new root key certified by the old one, "
	    "and a leaf under it")) {
		struct cd_cert *chain[] = {leaf, nwo};

		tap_ok(nwo->self_issued && !nwo->self_signed, "the rollover "
		    "certificate is self-issued but not self-signed");
		expect(chain, 2, fx.trust, &(struct want){"leaf, the rollover "
		    "certificate; the old root trusted", {0, 1}, 2, {0}, 0,
		    true, false, false, false});
	}
	/* ... while one signed with its own key is, key ids or not. */
	cd_cert_free(leaf);
	leaf = tg_cert(&sl, kleaf, NULL, NULL);
	tap_ok(leaf != NULL && leaf->self_signed, "a self-signed leaf "
	    "without key identifiers is self-signed");
	cd_cert_free(leaf);
	cd_cert_free(nwo);
	gnutls_x509_privkey_deinit(knew);
	gnutls_x509_privkey_deinit(kleaf);
}

/*
 * The intermediate's key under another name: the key identifiers agree
 * and the signature verifies, but the leaf's issuer names the
 * intermediate, not it, so it did not issue the leaf (RFC 5280 6.1.3
 * (a)(4): the issuer name must equal the issuer's subject, as encoded).
 */
static void
test_names_chain(void)
{
	time_t now = time(NULL);
	struct tg_spec sa = {.cn = "Test Intermediate Again", .ca = true,
	    .not_before = now - 100 * TG_DAY, .not_after = now + 900 * TG_DAY};
	struct cd_cert *alias = tg_cert(&sa, fx.ki, fx.root, fx.kr);

	if (!tap_ok(alias != NULL && alias->ski_len > 0 &&
	    alias->ski_len == fx.inter->ski_len &&
	    memcmp(alias->ski, fx.inter->ski, alias->ski_len) == 0,
	    "the intermediate's key under another name: the same key id"))
		goto out;
	tap_ok(cd_cert_issued_by(fx.leaf, fx.inter), "the leaf is issued by "
	    "the intermediate");
	tap_ok(!cd_cert_issued_by(fx.leaf, alias), "... not by the same key "
	    "under another name, though the key ids agree");
	tap_ok(!cd_cert_issued_by(fx.leaf, fx.root) &&
	    cd_cert_issued_by(alias, fx.root), "nor by the root, which "
	    "issued the alias");
out:
	cd_cert_free(alias);
}

int
main(void)
{
	char dir[] = "/tmp/test_chain.XXXXXX";

	if (cd_global_init(NULL) != CD_OK || mkdtemp(dir) == NULL)
		return 1;
	if (!tap_ok(fixtures(dir), "a root, an intermediate, leaves"))
		goto out;
	test_table();
	test_names_chain();
	test_self_issued();
	test_cross_signed();
	test_budget();
out:
	rmdir(dir);
	cd_trust_free(fx.trust);
	cd_trust_free(fx.alien);
	cd_cert_free(fx.root);
	cd_cert_free(fx.inter);
	cd_cert_free(fx.leaf);
	cd_cert_free(fx.other);
	cd_cert_free(fx.twin);
	gnutls_x509_privkey_deinit(fx.kr);
	gnutls_x509_privkey_deinit(fx.ki);
	gnutls_x509_privkey_deinit(fx.kl);
	gnutls_x509_privkey_deinit(fx.ku);
	gnutls_x509_privkey_deinit(fx.ki2);
	cd_global_cleanup();
	return tap_done();
}
