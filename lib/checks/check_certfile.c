/*
 * check_certfile.c - certcheck on local files: the PEM bundle a server
 * would serve (e.g. /etc/letsencrypt/live/NAME/fullchain.pem), the
 * private key that goes with it, and the name it must cover.  Judged
 * exactly like a served chain.
 */
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/pkcs12.h>
#include <sys/stat.h>

#include "cert_report.h"
#include "crl.h"
#include "ctx.h"
#include "err.h"
#include "idn.h"
#include "jsonutil.h"
#include "timeutil.h"

static bool
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* list[0..cnt) into cd_certs, which own them from here, even on error. */
static cd_rc
take_certs(gnutls_x509_crt_t *list, unsigned cnt, struct cd_cert ***out,
    size_t *n, struct cd_err *err)
{
	struct cd_cert **certs;
	unsigned i;
	cd_rc rc;

	if ((certs = calloc(cnt, sizeof(*certs))) == NULL) {
		for (i = 0; i < cnt; i++)
			gnutls_x509_crt_deinit(list[i]);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	for (i = 0; i < cnt; i++) {
		if ((rc = cd_x509_from_crt(list[i], &certs[*n], err)) != CD_OK) {
			while (++i < cnt)
				gnutls_x509_crt_deinit(list[i]);
			while (*n > 0)
				cd_cert_free(certs[--*n]);
			free(certs);
			return rc;
		}
		(*n)++;
	}
	*out = certs;
	return CD_OK;
}

/*
 * PKCS#12 (.p12/.pfx): the key's certificate and its chain, then the
 * other certificates it holds, as a server would be configured from it.
 */
static cd_rc
load_pkcs12(const char *path, const gnutls_datum_t *d, const char *pass,
    struct cd_cert ***out, size_t *n, struct cd_err *err)
{
	gnutls_pkcs12_t p12 = NULL;
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t *chain = NULL, *extra = NULL, *all = NULL;
	unsigned nchain = 0, nextra = 0, i;
	int r;
	cd_rc rc;

	if ((r = gnutls_pkcs12_init(&p12)) < 0)
		return cd_err_lib(err, CD_E_NOMEM, "gnutls", r, "%s",
		    gnutls_strerror(r));
	if ((r = gnutls_pkcs12_import(p12, d, GNUTLS_X509_FMT_DER, 0)) < 0 &&
	    (r = gnutls_pkcs12_import(p12, d, GNUTLS_X509_FMT_PEM, 0)) < 0) {
		rc = cd_err_lib(err, CD_E_PARSE, "gnutls", r, "%s: no PEM, DER "
		    "or PKCS#12 certificate could be read", path);
		goto out;
	}
	if ((r = gnutls_pkcs12_verify_mac(p12, pass ? pass : "")) < 0 &&
	    r != GNUTLS_E_UNKNOWN_HASH_ALGORITHM) {
		rc = cd_err_lib(err, CD_E_PARSE, "gnutls", r, "%s: PKCS#12: %s "
		    "(%s)", path, pass ? "wrong password (--password-file)" :
		    "encrypted: give its password with --password-file",
		    gnutls_strerror(r));
		goto out;
	}
	if ((r = gnutls_pkcs12_simple_parse(p12, pass ? pass : "", &key,
	    &chain, &nchain, &extra, &nextra, NULL, 0)) < 0 || nchain == 0) {
		rc = cd_err_lib(err, CD_E_PARSE, "gnutls", r, "%s: PKCS#12: no "
		    "certificate with its key could be read%s%s", path,
		    r < 0 ? ": " : "", r < 0 ? gnutls_strerror(r) : "");
		goto out;
	}
	if ((all = calloc(nchain + nextra, sizeof(*all))) == NULL) {
		rc = cd_err_set(err, CD_E_NOMEM, "out of memory");
		goto out;
	}
	memcpy(all, chain, nchain * sizeof(*all));
	if (nextra)
		memcpy(all + nchain, extra, nextra * sizeof(*all));
	rc = take_certs(all, nchain + nextra, out, n, err);
	nchain = nextra = 0;	/* owned by the cd_certs now */
out:
	for (i = 0; i < nchain; i++)
		gnutls_x509_crt_deinit(chain[i]);
	for (i = 0; i < nextra; i++)
		gnutls_x509_crt_deinit(extra[i]);
	gnutls_free(chain);
	gnutls_free(extra);
	free(all);
	if (key)
		gnutls_x509_privkey_deinit(key);
	gnutls_pkcs12_deinit(p12);
	return rc;
}

/* PEM, DER or PKCS#12, told apart by their contents, not their names. */
static cd_rc
load_certs(const char *path, const char *pass, struct cd_cert ***out,
    size_t *n, struct cd_err *err)
{
	gnutls_datum_t d = {0};
	gnutls_x509_crt_t *list = NULL;
	unsigned cnt = 0;
	int r;
	bool pem;
	cd_rc rc;

	if ((r = gnutls_load_file(path, &d)) < 0)
		return cd_err_lib(err, CD_E_IO, "gnutls", r, "%s: cannot "
		    "read the file%s", path, is_dir(path) ? " (a directory "
		    "with no certificate file)" : "");
	pem = memmem(d.data, d.size, "-----BEGIN", 10) != NULL;
	r = gnutls_x509_crt_list_import2(&list, &cnt, &d, pem ?
	    GNUTLS_X509_FMT_PEM : GNUTLS_X509_FMT_DER, 0);
	if (r >= 0 && cnt > 0) {
		rc = take_certs(list, cnt, out, n, err);
		gnutls_free(list);
	} else if (pem) {
		rc = cd_err_lib(err, CD_E_PARSE, "gnutls", r, "%s: no PEM "
		    "certificate could be read%s%s", path, r < 0 ? ": " : "",
		    r < 0 ? gnutls_strerror(r) : "");
	} else {
		rc = load_pkcs12(path, &d, pass, out, n, err);
	}
	gnutls_free(d.data);
	return rc;
}

/* Does the private key in path belong to leaf? */
static cd_rc
key_matches(const char *path, const struct cd_cert *leaf, bool *match,
    struct cd_err *err)
{
	gnutls_datum_t d = {0};
	gnutls_x509_privkey_t key = NULL;
	unsigned char a[64], b[64];
	size_t alen = sizeof(a), blen = sizeof(b);
	int r;
	cd_rc rc = CD_OK;

	if ((r = gnutls_load_file(path, &d)) < 0)
		return cd_err_lib(err, CD_E_IO, "gnutls", r, "%s: cannot "
		    "read the file", path);
	if ((r = gnutls_x509_privkey_init(&key)) < 0 ||
	    (r = gnutls_x509_privkey_import2(key, &d, GNUTLS_X509_FMT_PEM,
	    NULL, GNUTLS_PKCS_PLAIN)) < 0) {
		rc = cd_err_lib(err, CD_E_PARSE, "gnutls", r, "%s: not a PEM "
		    "private key (%s)", path, gnutls_strerror(r));
		goto out;
	}
	/* Both sides hash the SubjectPublicKeyInfo the same way. */
	if ((r = gnutls_x509_privkey_get_key_id(key, GNUTLS_KEYID_USE_SHA256,
	    a, &alen)) < 0 ||
	    (r = gnutls_x509_crt_get_key_id(leaf->crt, GNUTLS_KEYID_USE_SHA256,
	    b, &blen)) < 0) {
		rc = cd_err_lib(err, CD_E_PARSE, "gnutls", r, "%s: %s", path,
		    gnutls_strerror(r));
		goto out;
	}
	*match = alen == blen && memcmp(a, b, alen) == 0;
out:
	if (key)
		gnutls_x509_privkey_deinit(key);
	gnutls_free(d.data);
	return rc;
}

static cd_rc
check_file(const struct cd_ctx *ctx, const char *path, struct cd_report **out,
    struct cd_err *err)
{
	const struct cd_opts *o = &ctx->o;
	struct cd_report *r = NULL;
	struct cd_cert **certs = NULL;
	struct cd_cert_input in;
	char *name = NULL;
	size_t n = 0, i;
	bool match = true, trusted = false;
	cd_rc rc;

	if ((rc = load_certs(path, o->pkcs12_password, &certs, &n,
	    err)) != CD_OK)
		return rc;
	if (o->name != NULL &&
	    (rc = cd_idn_to_ascii(o->name, &name, err)) != CD_OK)
		goto out;
	if (o->key_file != NULL &&
	    (rc = key_matches(o->key_file, certs[0], &match, err)) != CD_OK)
		goto out;
	if ((rc = cd_report_new("CERT", path, &r, err)) != CD_OK)
		goto out;
	r->policy = &ctx->policy;
	cd_json_setk(r->detail, CD_K_FILE, cd_json_str(path));
	if (name != NULL) {
		cd_json_setk(r->detail, CD_K_NAME, cd_json_str(name));
		cd_json_set_unicode(r->detail, CD_K_NAME_UNICODE, name);
	}
	memset(&in, 0, sizeof(in));
	in.certs = certs;
	in.n = n;
	in.name = name;
	in.source = path;
	in.custom_trust = o->cafile != NULL;
	in.trusted = &trusted;
	in.deadline = cd_deadline_in(o->timeout_ms);
	in.ctlogs = ctx->ctlogs;
	if ((rc = cd_ctx_trust(ctx, &in.trust, err)) != CD_OK ||
	    (rc = cd_cert_report(o, &in, r, err)) != CD_OK)
		goto out;
	if (o->key_file != NULL) {
		cd_json_setk(r->detail, CD_K_KEY_MATCH, json_boolean(match));
		if (!match)
			cd_report_add(r, CD_P_KEY_MISMATCH, "point the server "
			    "at the key that was generated with this "
			    "certificate (certbot: privkey.pem in the same "
			    "live/ directory)", "%s does not belong to the "
			    "certificate %s", o->key_file, certs[0]->cn);
	}
	/* A revoked certificate is worth knowing about before deploying. */
	if (o->crl)
		cd_crl_judge(ctx, certs[0], n > 1 && cd_cert_issued_by(certs[0],
		    certs[1]) ? certs[1] : NULL, trusted,
		    cd_deadline_in(o->timeout_ms),
		    o->now ? o->now : time(NULL), r);
	*out = r;
	r = NULL;
	rc = CD_OK;
out:
	cd_report_free(r);
	for (i = 0; i < n; i++)
		cd_cert_free(certs[i]);
	free(certs);
	free(name);
	return rc;
}

cd_rc
cd_certcheck_file(const struct cd_ctx *ctx, struct cd_report **out,
    struct cd_err *err)
{
	if (ctx->o.cert_file == NULL)
		return cd_err_set(err, CD_E_USAGE, "no certificate file");
	return check_file(ctx, ctx->o.cert_file, out, err);
}

cd_rc
cd_certcheck_file_run(const struct cd_ctx *ctx, const char *path,
    struct cd_report **out, struct cd_err *err)
{
	struct cd_report *r = NULL;
	struct cd_err e;
	cd_rc rc;

	memset(&e, 0, sizeof(e));
	if ((rc = check_file(ctx, path, out, &e)) == CD_OK ||
	    rc == CD_E_NOMEM) {
		if (rc != CD_OK && err != NULL)
			*err = e;
		return rc;
	}
	/* One unusable file of many is that file's result alone. */
	if ((rc = cd_report_new("CERT", path, &r, err)) != CD_OK)
		return rc;
	r->policy = &ctx->policy;
	cd_json_setk(r->detail, CD_K_FILE, cd_json_str(path));
	cd_report_add(r, CD_P_CHECK_ERROR, "is it a certificate file (PEM, "
	    "DER or PKCS#12), readable by this user?", "%s", e.msg);
	if (r->oom) {
		cd_report_free(r);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	*out = r;
	return CD_OK;
}
