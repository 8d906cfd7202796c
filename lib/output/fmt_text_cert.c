/*
 * fmt_text_cert.c - certcheck's text layout: name, connection and trust
 * rows, the chain as a table with its notes; the fields it does not
 * place go to the generic renderer, so nothing in the JSON is lost.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fmt_text.h"
#include "jsonutil.h"
#include "timeutil.h"

/* certcheck: the rows below replace these fields; the rest is generic. */
static const enum cd_jkey cert_keys[] = {
	CD_K_HOST, CD_K_HOST_UNICODE, CD_K_PORT, CD_K_SNI, CD_K_SNI_UNICODE,
	CD_K_ADDRESS, CD_K_TLS, CD_K_HANDSHAKE_TIME, CD_K_HOSTNAME_MATCH,
	CD_K_VERIFY, CD_K_CHAIN, CD_K_EARLIEST_EXPIRY, CD_K_DAYS_LEFT,
	CD_K_CHAIN_DAYS_LEFT, CD_K_NAME, CD_K_NAME_UNICODE
};

/* Fields of a chain entry the table and its notes show. */
static const enum cd_jkey cert_cols[] = {
	CD_K_SUBJECT, CD_K_ISSUER, CD_K_NOT_AFTER, CD_K_DAYS_LEFT, CD_K_KEY,
	CD_K_SIGNATURE, CD_K_SAN, CD_K_SAN_UNICODE, CD_K_CA, CD_K_SELF_SIGNED,
	CD_K_SERIAL, CD_K_SHA256, CD_K_NOT_BEFORE, CD_K_SAN_TOTAL
};


/* "name  good.test, covered by the certificate" (and the SNI if other). */
static void
put_cert_name(FILE *fp, const json_t *d)
{
	const json_t *host = cd_json_getk(d, CD_K_HOST);
	const json_t *sni = cd_json_getk(d, CD_K_SNI);
	const json_t *m = cd_json_getk(d, CD_K_HOSTNAME_MATCH);
	const json_t *name = cd_json_getk(d, CD_K_NAME);

	if (host == NULL && !json_is_boolean(m))
		return;
	cd_text_row(fp, "name");
	/* Local files (--cert --name) have the name, not a host. */
	if (host != NULL)
		cd_text_name(fp, host, cd_json_getk(d, CD_K_HOST_UNICODE));
	else if (name != NULL)
		cd_text_name(fp, name, cd_json_getk(d, CD_K_NAME_UNICODE));
	else
		fputs("(none)", fp);
	if (json_is_boolean(m))
		fputs(json_is_true(m) ? ", covered by the certificate" :
		    ", NOT covered by the certificate", fp);
	fputc('\n', fp);
	if (json_is_string(sni) && json_is_string(host) &&
	    strcmp(json_string_value(sni), json_string_value(host)) != 0) {
		cd_text_row(fp, "sni");
		cd_text_name(fp, sni, cd_json_getk(d, CD_K_SNI_UNICODE));
		fputc('\n', fp);
	}
}

/* "connected  127.0.0.1 port 443, TLSv1.3, TLS_AES_256_GCM_SHA384". */
static void
put_cert_conn(FILE *fp, const json_t *d, unsigned flags)
{
	const json_t *tls = cd_json_getk(d, CD_K_TLS), *port, *ht;

	if (cd_json_getk(d, CD_K_ADDRESS) == NULL && tls == NULL)
		return;
	cd_text_row(fp, "connected");
	cd_text_safe(fp, cd_text_str(d, CD_K_ADDRESS));
	if ((port = cd_json_getk(d, CD_K_PORT)) != NULL &&
	    json_is_integer(port))
		fprintf(fp, " port %lld", (long long)json_integer_value(port));
	if (json_is_object(tls)) {
		fputs(", ", fp);
		cd_text_safe(fp, cd_text_str(tls, CD_K_VERSION));
		fputs(", ", fp);
		cd_text_safe(fp, cd_text_str(tls, CD_K_CIPHER));
	}
	ht = cd_json_getk(d, CD_K_HANDSHAKE_TIME);
	if ((flags & CD_FMT_VERBOSE) && json_is_number(ht))
		fprintf(fp, ", handshake %.3f s", json_number_value(ht));
	fputc('\n', fp);
}

/* "trust  trusted" or "trust  NOT trusted: reason; reason". */
static void
put_cert_trust(FILE *fp, const json_t *d)
{
	const json_t *v = cd_json_getk(d, CD_K_VERIFY), *e;
	const char *k;
	size_t i;
	json_t *x;

	if (!json_is_object(v))
		return;
	cd_text_row(fp, "trust");
	fputs(json_is_true(cd_json_getk(v, CD_K_TRUSTED)) ? "trusted" :
	    "NOT trusted", fp);
	json_array_foreach(cd_json_getk(v, CD_K_REASONS), i, e) {
		fputs(i ? "; " : ": ", fp);
		cd_text_scalar(fp, e);
	}
	fputc('\n', fp);
	/* Fields a later verify object may grow. */
	json_object_foreach((json_t *)(uintptr_t)v, k, x)
		if (!cd_jkey_is(k, CD_K_TRUSTED) &&
		    !cd_jkey_is(k, CD_K_REASONS)) {
			fprintf(fp, "  %*s  %s ", CD_TEXT_ROW_W, "", k);
			cd_text_value(fp, x, NULL, 2 + CD_TEXT_ROW_W, 0);
		}
}

/* "2027-01-22 13:00" from an RFC 3339 string (display only). */
static void
put_short_time(FILE *fp, const char *t)
{
	if (strlen(t) >= 16 && t[10] == 'T')
		fprintf(fp, "%.10s %.5s", t, t + 11);
	else
		cd_text_safe(fp, t);
}

static void
put_key(FILE *fp, const json_t *key, int width)
{
	char b[48];

	snprintf(b, sizeof(b), "%s %lld", cd_text_str(key, CD_K_TYPE),
	    (long long)json_integer_value(cd_json_getk(key, CD_K_BITS)));
	fprintf(fp, "%-*s", width, b);
}

/* Indented note lines under a chain cd_text_row: the issuer when the next cd_text_row
 * is not it, names, and with -v fingerprints; unknown fields too. */
static void
put_cert_notes(FILE *fp, const json_t *c, const json_t *next, size_t idx,
    unsigned flags)
{
	static const int in = 2 + CD_TEXT_ROW_W + 2 + 3;
	const char *iss = cd_text_str(c, CD_K_ISSUER), *k;
	const json_t *san = cd_json_getk(c, CD_K_SAN);
	json_t *v;

	if (next == NULL ? strcmp(iss, cd_text_str(c, CD_K_SUBJECT)) != 0 :
	    strcmp(iss, cd_text_str(next, CD_K_SUBJECT)) != 0) {
		fprintf(fp, "%*sissued by ", in, "");
		cd_text_safe(fp, iss);
		fputc('\n', fp);
	}
	/* The leaf's names have a cd_text_row of their own. */
	if (idx > 0 && json_array_size(san) > 0) {
		fprintf(fp, "%*ssan  ", in, "");
		cd_text_value(fp, san, cd_json_getk(c, CD_K_SAN_UNICODE),
		    in, 0);
	}
	if (flags & CD_FMT_VERBOSE) {
		fprintf(fp, "%*sserial %s, sha256 %s\n", in, "",
		    cd_text_str(c, CD_K_SERIAL), cd_text_str(c, CD_K_SHA256));
		fprintf(fp, "%*svalid from ", in, "");
		put_short_time(fp, cd_text_str(c, CD_K_NOT_BEFORE));
		fprintf(fp, ", ca %s, self-signed %s\n",
		    json_is_true(cd_json_getk(c, CD_K_CA)) ? "yes" : "no",
		    json_is_true(cd_json_getk(c, CD_K_SELF_SIGNED)) ?
		    "yes" : "no");
	}
	json_object_foreach((json_t *)(uintptr_t)c, k, v)
		if (!cd_jkey_in(k, cert_cols, CD_ARRAY_LEN(cert_cols))) {
			fprintf(fp, "%*s%s  ", in, "", k);
			cd_text_value(fp, v, NULL, in, flags);
		}
}

/*
 * The chain as served, one cd_text_row per certificate, expiry first because
 * that is what people look for:
 *   #  days left  expires (UTC)     key        signature     subject
 */
static void
put_cert_chain(FILE *fp, const json_t *d, unsigned flags)
{
	const json_t *ch = cd_json_getk(d, CD_K_CHAIN), *c, *san;
	size_t i, n;

	if (!json_is_array(ch))
		return;
	if ((n = json_array_size(ch)) == 0) {
		cd_text_row(fp, "chain");
		fputs("none\n", fp);
		return;
	}
	cd_text_row(fp, "chain");
	fputs("#  days left  expires (UTC)     key        signature     "
	    "subject\n", fp);
	for (i = 0; i < n; i++) {
		c = json_array_get(ch, i);
		fprintf(fp, "  %*s  %-2zu %9.1f  ", CD_TEXT_ROW_W, "", i,
		    json_number_value(cd_json_getk(c, CD_K_DAYS_LEFT)));
		put_short_time(fp, cd_text_str(c, CD_K_NOT_AFTER));
		fputs("  ", fp);
		put_key(fp, cd_json_getk(c, CD_K_KEY), 9);
		fputs("  ", fp);
		fprintf(fp, "%-12s  ", cd_text_str(c, CD_K_SIGNATURE));
		cd_text_safe(fp, cd_text_str(c, CD_K_SUBJECT));
		fputc('\n', fp);
		put_cert_notes(fp, c, json_array_get(ch, i + 1), i, flags);
	}
	c = json_array_get(ch, 0);
	san = cd_json_getk(c, CD_K_SAN);
	cd_text_row(fp, "san");
	cd_text_value(fp, san, cd_json_getk(c, CD_K_SAN_UNICODE),
	    2 + CD_TEXT_ROW_W, flags);
	if (json_is_integer(cd_json_getk(c, CD_K_SAN_TOTAL))) {
		fprintf(fp, "  %*s  (%lld names in all; the JSON has the "
		    "first ones too)\n", CD_TEXT_ROW_W, "", (long long)
		    json_integer_value(cd_json_getk(c, CD_K_SAN_TOTAL)));
	}
}

void
cd_text_cert(FILE *fp, const json_t *d, unsigned flags)
{
	json_t *rest;
	const char *k;
	json_t *v;

	put_cert_name(fp, d);
	put_cert_conn(fp, d, flags);
	put_cert_trust(fp, d);
	put_cert_chain(fp, d, flags);
	if ((rest = json_copy((json_t *)(uintptr_t)d)) == NULL)
		return;
	json_object_foreach((json_t *)(uintptr_t)d, k, v)
		if (cd_jkey_in(k, cert_keys, CD_ARRAY_LEN(cert_keys)))
			json_object_del(rest, k);
	cd_text_object_w(fp, rest, 2, flags, CD_TEXT_ROW_W);
	json_decref(rest);
}
