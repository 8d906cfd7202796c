/*
 * check_certfile.c - certcheck on local files: the PEM bundle a server
 * would serve (e.g. /etc/letsencrypt/live/NAME/fullchain.pem), the
 * private key that goes with it, and the name it must cover.  Judged
 * exactly like a served chain.
 */
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "cert_report.h"
#include "crl.h"
#include "ctx.h"
#include "err.h"
#include "idn.h"
#include "jsonutil.h"
#include "timeutil.h"

static cd_rc
load_certs(const char *path, struct cd_cert ***out, size_t *n,
    struct cd_err *err)
{
	gnutls_datum_t d = {0};
	gnutls_x509_crt_t *list = NULL;
	struct cd_cert **certs = NULL;
	unsigned cnt = 0, i;
	int r;
	cd_rc rc;

	if ((r = gnutls_load_file(path, &d)) < 0)
		return cd_err_lib(err, CD_E_IO, "gnutls", r, "%s: cannot "
		    "read the file", path);
	r = gnutls_x509_crt_list_import2(&list, &cnt, &d, GNUTLS_X509_FMT_PEM,
	    0);
	gnutls_free(d.data);
	if (r < 0 || cnt == 0)
		return cd_err_lib(err, CD_E_PARSE, "gnutls", r, "%s: no PEM "
		    "certificate could be read%s%s", path, r < 0 ? ": " : "",
		    r < 0 ? gnutls_strerror(r) : "");
	rc = CD_E_NOMEM;
	if ((certs = calloc(cnt, sizeof(*certs))) == NULL) {
		for (i = 0; i < cnt; i++)
			gnutls_x509_crt_deinit(list[i]);
		cd_err_set(err, rc, "out of memory");
		goto out;
	}
	for (i = 0; i < cnt; i++) {
		/* cd_x509_from_crt owns list[i] from here, even on error. */
		if ((rc = cd_x509_from_crt(list[i], &certs[*n], err)) != CD_OK) {
			while (++i < cnt)
				gnutls_x509_crt_deinit(list[i]);
			while (*n > 0)
				cd_cert_free(certs[--*n]);
			free(certs);
			goto out;
		}
		(*n)++;
	}
	*out = certs;
	rc = CD_OK;
out:
	gnutls_free(list);
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

cd_rc
cd_certcheck_file(const struct cd_ctx *ctx, struct cd_report **out,
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

	if (o->cert_file == NULL)
		return cd_err_set(err, CD_E_USAGE, "no certificate file");
	if ((rc = load_certs(o->cert_file, &certs, &n, err)) != CD_OK)
		return rc;
	if (o->name != NULL &&
	    (rc = cd_idn_to_ascii(o->name, &name, err)) != CD_OK)
		goto out;
	if (o->key_file != NULL &&
	    (rc = key_matches(o->key_file, certs[0], &match, err)) != CD_OK)
		goto out;
	if ((rc = cd_report_new("CERT", o->cert_file, &r, err)) != CD_OK)
		goto out;
	r->policy = &ctx->policy;
	cd_json_set(r->detail, "file", cd_json_str(o->cert_file));
	if (name != NULL) {
		cd_json_set(r->detail, "name", cd_json_str(name));
		cd_json_set_unicode(r->detail, "name", name);
	}
	memset(&in, 0, sizeof(in));
	in.certs = certs;
	in.n = n;
	in.name = name;
	in.source = o->cert_file;
	in.custom_trust = o->cafile != NULL;
	in.trusted = &trusted;
	in.deadline = cd_deadline_in(o->timeout_ms);
	if ((rc = cd_ctx_trust(ctx, &in.trust, err)) != CD_OK ||
	    (rc = cd_cert_report(o, &in, r, err)) != CD_OK)
		goto out;
	if (o->key_file != NULL) {
		cd_json_set(r->detail, "key_match", json_boolean(match));
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
