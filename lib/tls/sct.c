/*
 * sct.c - Certificate Transparency for certcheck.  Browsers (Chrome's
 * and Apple's CT policies) accept a publicly trusted leaf only with
 * SCTs from enough distinct logs: two for a lifetime up to 180 days,
 * three beyond, and those logs run by at least two distinct operators
 * (the log list names each log's operator).  GnuTLS decodes the SCT list extension; the SCT
 * signatures are not verified, so this counts and attributes, it does
 * not prove that a log saw the certificate.
 */
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>
#include <jansson.h>

#include "opts.h"
#include "err.h"
#include "jsonutil.h"
#include "sct.h"
#include "timeutil.h"

#define SCT_OID "1.3.6.1.4.1.11129.2.4.2"
#define SCT_POLICY "2 SCTs for a lifetime up to 180 days, 3 beyond"
/* Enough logs run by one organisation are still one point of failure. */
#define SCT_OPERATORS 2
#define SCT_OPERATOR_RULE "Chrome's and Apple's CT policies want logs " \
	"of at least 2 distinct operators"
#define SCT_MAX 64	/* more than any CA embeds; a bound on the work */

#ifndef CD_PKGDATADIR
#define CD_PKGDATADIR "/usr/share/certdiag"
#endif

const char *
cd_ctlogs_default_path(void)
{
	return CD_PKGDATADIR "/ct-logs.json";
}

void
cd_ctlogs_free(struct cd_ctlogs *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].description);
		free(l->v[i].operator);
	}
	free(l->v);
	free(l);
}

/* A base64 log ID to its 32 bytes. */
static bool
decode_id(const char *b64, unsigned char out[32])
{
	gnutls_datum_t in, raw = {NULL, 0};
	bool ok;

	in.data = (unsigned char *)(uintptr_t)b64;
	in.size = (unsigned)strlen(b64);
	if (gnutls_base64_decode2(&in, &raw) < 0)
		return false;
	ok = raw.size == 32;
	if (ok)
		memcpy(out, raw.data, 32);
	gnutls_free(raw.data);
	return ok;
}

static char *
opt_strdup(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? strdup(s) : NULL;
}

cd_rc
cd_ctlogs_load(const char *path, struct cd_ctlogs **out, struct cd_err *err)
{
	struct cd_ctlogs *l = NULL;
	json_error_t je;
	json_t *root, *e;
	const char *id;
	size_t i;
	cd_rc rc = CD_OK;

	if ((root = json_load_file(path, 0, &je)) == NULL) {
		/* jansson says "unable to open" for a file it cannot read. */
		if (je.line <= 0)
			return cd_err_set(err, CD_E_IO, "%s: %s", path,
			    je.text);
		return cd_err_set(err, CD_E_PARSE, "%s:%d: %s", path,
		    je.line, je.text);
	}
	if (!json_is_array(root)) {
		rc = cd_err_set(err, CD_E_PARSE, "%s: not a JSON array of "
		    "logs", path);
		goto out;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (json_array_size(root) > 0 && (l->v = calloc(json_array_size(root),
	    sizeof(*l->v))) == NULL)) {
		rc = cd_err_set(err, CD_E_NOMEM, "out of memory");
		goto out;
	}
	json_array_foreach(root, i, e) {
		/* The log list's own format, not a report field. */
		id = json_string_value(json_object_get(e, "log_id"));
		if (id == NULL || !decode_id(id, l->v[l->n].id)) {
			rc = cd_err_set(err, CD_E_PARSE, "%s: log %zu: want "
			    "\"log_id\", the base64 of 32 bytes", path, i + 1);
			goto out;
		}
		l->v[l->n].description = opt_strdup(e, "description");
		l->v[l->n].operator = opt_strdup(e, "operator");
		l->n++;
	}
	*out = l;
	l = NULL;
out:
	cd_ctlogs_free(l);
	json_decref(root);
	return rc;
}

static const struct cd_ctlog *
find_log(const struct cd_ctlogs *logs, const unsigned char *id)
{
	size_t i;

	for (i = 0; logs != NULL && i < logs->n; i++)
		if (memcmp(logs->v[i].id, id, 32) == 0)
			return &logs->v[i];
	return NULL;
}

static json_t *
b64_json(const gnutls_datum_t *d)
{
	gnutls_datum_t b = {NULL, 0};
	json_t *v;

	if (gnutls_base64_encode2(d, &b) < 0)
		return NULL;
	v = json_stringn((const char *)b.data, b.size);
	gnutls_free(b.data);
	return v;
}

/* The distinct log IDs among the first n, each 32 bytes at ids. */
static size_t
distinct(const unsigned char (*ids)[32], size_t n)
{
	size_t i, k, count = 0;

	for (i = 0; i < n; i++) {
		for (k = 0; k < i && memcmp(ids[k], ids[i], 32) != 0; k++)
			;
		if (k == i)
			count++;
	}
	return count;
}

/*
 * The distinct operators among the first n SCTs: ops[i] is the operator
 * of the log of ids[i], NULL when the log list does not say.  Such a log
 * counts as an operator of its own: only logs known to share an
 * operator may be held against the certificate.
 */
static size_t
distinct_operators(const unsigned char (*ids)[32], const char *const *ops,
    size_t n)
{
	size_t i, k, count = 0;

	for (i = 0; i < n; i++) {
		for (k = 0; k < i; k++) {
			if (ops[i] != NULL && ops[k] != NULL ?
			    strcmp(ops[i], ops[k]) == 0 :
			    ops[i] == NULL && ops[k] == NULL &&
			    memcmp(ids[k], ids[i], 32) == 0)
				break;
		}
		if (k == i)
			count++;
	}
	return count;
}

void
cd_sct_judge(const struct cd_opts *o, const struct cd_ctlogs *logs,
    const struct cd_cert *leaf, struct cd_report *r)
{
	gnutls_datum_t ext = {NULL, 0}, id, sig;
	gnutls_x509_ct_scts_t scts = NULL;
	gnutls_sign_algorithm_t alg;
	unsigned char ids[SCT_MAX][32];
	const char *ops[SCT_MAX];
	const struct cd_ctlog *log;
	json_t *d = NULL, *arr = NULL, *e;
	double life = cd_days_between(leaf->not_before, leaf->not_after);
	size_t n = 0, nlogs, nops, unknown = 0, needed = life <= 180 ? 2 : 3;
	unsigned crit;
	time_t ts;
	int ret;

	if (o->ct == CD_CT_OFF)
		return;
	ret = gnutls_x509_crt_get_extension_by_oid2(leaf->crt, SCT_OID, 0,
	    &ext, &crit);
	if (ret >= 0) {
		if (gnutls_x509_ext_ct_scts_init(&scts) < 0)
			goto out;
		if (gnutls_x509_ext_ct_import_scts(&ext, scts, 0) < 0) {
			cd_report_note(r, "leaf certificate %s: its SCT list "
			    "extension cannot be decoded", leaf->cn);
			gnutls_x509_ext_ct_scts_deinit(scts);
			scts = NULL;
		}
	}
	if ((d = json_object()) == NULL || (arr = json_array()) == NULL)
		goto out;
	while (scts != NULL && n < SCT_MAX && gnutls_x509_ct_sct_get(scts,
	    (unsigned)n, &ts, &id, &alg, &sig) >= 0) {
		bool ok = id.size == 32;

		if (ok)
			memcpy(ids[n], id.data, 32);
		else
			memset(ids[n], 0, 32);
		log = ok ? find_log(logs, id.data) : NULL;
		ops[n] = log != NULL ? log->operator : NULL;
		if ((e = json_object()) != NULL) {
			cd_json_setk(e, CD_K_LOG_ID, b64_json(&id));
			cd_json_setk(e, CD_K_DESCRIPTION,
			    log && log->description ?
			    json_string(log->description) : json_null());
			cd_json_setk(e, CD_K_OPERATOR, ops[n] != NULL ?
			    json_string(ops[n]) : json_null());
			cd_json_setk(e, CD_K_TIMESTAMP, cd_json_time(ts));
			cd_json_push(arr, e);
		}
		if (log == NULL) {
			const char *s = cd_json_strk(e,
			    CD_K_LOG_ID);

			cd_report_note(r, "SCT from a log not in the CT log "
			    "list: %s", s ? s : "?");
			unknown++;
		}
		gnutls_free(id.data);
		gnutls_free(sig.data);
		n++;
	}
	nlogs = distinct((const unsigned char (*)[32])ids, n);
	nops = distinct_operators((const unsigned char (*)[32])ids, ops, n);
	cd_json_setk(d, CD_K_COUNT, json_integer((json_int_t)n));
	cd_json_setk(d, CD_K_DISTINCT_LOGS, json_integer((json_int_t)nlogs));
	cd_json_setk(d, CD_K_DISTINCT_OPERATORS,
	    json_integer((json_int_t)nops));
	cd_json_setk(d, CD_K_UNKNOWN_LOGS, json_integer((json_int_t)unknown));
	cd_json_setk(d, CD_K_LOGS, arr);
	arr = NULL;
	cd_json_setk(d, CD_K_NEEDED, json_integer((json_int_t)needed));
	cd_json_setk(d, CD_K_POLICY, json_string(SCT_POLICY));
	/* Nothing to show for a leaf without SCTs unless they are wanted. */
	if (n > 0 || o->ct == CD_CT_REQUIRED) {
		cd_json_setk(r->detail, CD_K_SCT, d);
		d = NULL;
	}
	/* A private CA's leaf carries none and needs none. */
	if (nlogs < needed && (n > 0 || o->ct == CD_CT_REQUIRED))
		cd_report_add(r, CD_P_SCT_INSUFFICIENT, n == 0 ?
		    "a publicly trusted CA embeds SCTs in every certificate: "
		    "reissue it, or leave out --ct=required for a private CA" :
		    "browsers refuse it: reissue the certificate (the CA "
		    "embeds SCTs from enough logs)",
		    "leaf certificate %s carries SCTs from %zu distinct "
		    "log%s; a lifetime of %.0f days needs %zu (%s)", leaf->cn,
		    nlogs, nlogs == 1 ? "" : "s", life, needed, SCT_POLICY);
	/* Said only once there are enough logs: one problem at a time. */
	else if (n > 0 && nops < SCT_OPERATORS)
		cd_report_add(r, CD_P_SCT_INSUFFICIENT,
		    "browsers refuse it: reissue the certificate (the CA "
		    "embeds SCTs from logs of distinct operators)",
		    "leaf certificate %s carries SCTs from %zu distinct "
		    "log%s, all operated by %s; %s", leaf->cn, nlogs,
		    nlogs == 1 ? "" : "s", ops[0] != NULL ? ops[0] : "one "
		    "operator", SCT_OPERATOR_RULE);
out:
	json_decref(arr);
	json_decref(d);
	if (scts != NULL)
		gnutls_x509_ext_ct_scts_deinit(scts);
	gnutls_free(ext.data);
}
