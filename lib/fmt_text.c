/*
 * fmt_text.c - reports for people: the verdict first, then each problem
 * with what to do, then the details, aligned.  certcheck's connection,
 * trust and chain get rows of their own (the chain as a table); every
 * other field, including ones this file has never heard of, is shown by
 * the generic renderer, so nothing in the JSON is lost.  A name with a
 * "_unicode" sibling is shown in both forms.  Every string that came
 * from a peer passes through put_safe(), so a certificate cannot send
 * escape sequences to the user's terminal.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"

#include "jsonutil.h"
#include "report.h"
#include "timeutil.h"

cd_rc cd_fmt_text(const struct cd_report *r, FILE *fp, unsigned flags);

/* Arrays longer than this are cut in text (JSON has them all). */
#define TEXT_LIST_MAX 20

static const char *
color_of(cd_status st)
{
	switch (st) {
	case CD_ST_OK:
		return "\033[32m";
	case CD_ST_WARNING:
		return "\033[33m";
	case CD_ST_CRITICAL:
		return "\033[1;31m";
	case CD_ST_UNKNOWN:
		return "\033[35m";
	}
	return "";
}

/*
 * Print s with control characters (C0, DEL, C1) and invalid UTF-8 as
 * \xHH: nothing a peer sent reaches the terminal raw.
 */
static void
put_safe(FILE *fp, const char *s)
{
	char *e = cd_escape_display(s, strlen(s));

	fputs(e ? e : "(out of memory)", fp);
	free(e);
}

static void
put_status(FILE *fp, cd_status st, unsigned flags, int width)
{
	if (flags & CD_FMT_COLOR)
		fprintf(fp, "%s%-*s\033[0m", color_of(st), width,
		    cd_status_name(st));
	else
		fprintf(fp, "%-*s", width, cd_status_name(st));
}

static bool
is_scalar(const json_t *v)
{
	return !json_is_object(v) &&
	    !(json_is_array(v) && json_array_size(v) > 0);
}

static void
put_scalar(FILE *fp, const json_t *v)
{
	if (json_is_string(v))
		put_safe(fp, json_string_value(v));
	else if (json_is_true(v))
		fputs("yes", fp);
	else if (json_is_false(v))
		fputs("no", fp);
	else if (json_is_null(v))
		fputs("-", fp);
	else if (json_is_integer(v))
		fprintf(fp, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		fprintf(fp, json_real_value(v) < 1 && json_real_value(v) > -1 ?
		    "%.3f" : "%.2f", json_real_value(v));
	else if (json_is_array(v))
		fputs("none", fp);
}

/* "테스트.한국 (xn--9t4b11yi5a.xn--3e0b707e)": Unicode first, as typed. */
static void
put_name(FILE *fp, const json_t *ace, const json_t *uni)
{
	if (json_is_string(uni) && json_is_string(ace) &&
	    strcmp(json_string_value(uni), json_string_value(ace)) != 0) {
		put_safe(fp, json_string_value(uni));
		fputs(" (", fp);
		put_safe(fp, json_string_value(ace));
		fputc(')', fp);
	} else {
		put_scalar(fp, ace);
	}
}

/* The "_unicode" sibling of key in o, or NULL. */
static const json_t *
unicode_of(const json_t *o, const char *key)
{
	char k[64];

	if ((size_t)snprintf(k, sizeof(k), "%s_unicode", key) >= sizeof(k))
		return NULL;
	return json_object_get(o, k);
}

static bool
is_unicode_key(const json_t *o, const char *key)
{
	size_t n = strlen(key);
	char base[64];

	if (n <= 8 || strcmp(key + n - 8, "_unicode") != 0 ||
	    n - 8 >= sizeof(base))
		return false;
	memcpy(base, key, n - 8);
	base[n - 8] = '\0';
	return json_object_get(o, base) != NULL;
}

static bool
all_scalars(const json_t *o)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)(uintptr_t)o, k, v)
		if (!is_scalar(v))
			return false;
	return true;
}

/* An object of scalars on one line: "type RSA, bits 2048". */
static bool
put_inline_object(FILE *fp, const json_t *o)
{
	const char *k;
	json_t *v;
	int i = 0;

	json_object_foreach((json_t *)(uintptr_t)o, k, v)
		if (!is_scalar(v))
			return false;
	json_object_foreach((json_t *)(uintptr_t)o, k, v) {
		fprintf(fp, "%s%s ", i++ ? ", " : "", k);
		put_scalar(fp, v);
	}
	return true;
}

/*
 * Detail that only -v shows: fingerprints and repeats of what the
 * verdict and the chain already say.  JSON always has everything.
 */
static const char *const verbose_only[] = {
	"serial", "sha256", "not_before", "self_signed", "host",
	"port", "handshake_time", "earliest_expiry", "days_left",
	"chain_days_left", "san_total", "reason", NULL
};

static bool
shown(const char *key, int depth, unsigned flags)
{
	size_t i;

	if (flags & CD_FMT_VERBOSE)
		return true;
	/* A certificate's own days_left stays; the top-level copy goes. */
	if (depth > 0 && strcmp(key, "days_left") == 0)
		return true;
	/* A certificate's CA flag is detail; caacheck's "ca" is the CA. */
	if (strcmp(key, "ca") == 0)
		return depth == 0;
	for (i = 0; verbose_only[i]; i++)
		if (strcmp(key, verbose_only[i]) == 0)
			return false;
	return true;
}

static const char *
str_of(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static void put_object_w(FILE *fp, const json_t *o, int indent,
    unsigned flags, int min_width);

/*
 * caacheck's record set as zone-file lines (0 issue "letsencrypt.org")
 * and its lookups one per line, names aligned; false when v is not of
 * that shape, and the generic form is used.
 */
static bool
put_caa_rows(FILE *fp, const char *key, const json_t *v, int col)
{
	const json_t *e;
	size_t i;
	int w = 0, len;

	if (!json_is_array(v) || json_array_size(v) == 0)
		return false;
	json_array_foreach((json_t *)(uintptr_t)v, i, e)
		if (!json_is_object(e) || (strcmp(key, "records") == 0 ?
		    json_object_size(e) != 4 || !json_is_string(
		    json_object_get(e, "tag")) : !json_is_string(
		    json_object_get(e, "name")) || !json_is_string(
		    json_object_get(e, "result"))))
			return false;
	if (strcmp(key, "records") == 0) {
		json_array_foreach((json_t *)(uintptr_t)v, i, e) {
			fprintf(fp, "%*s%lld ", i ? col : 0, "", (long long)
			    json_integer_value(json_object_get(e, "flags")));
			put_safe(fp, str_of(e, "tag"));
			fputs(" \"", fp);
			put_safe(fp, str_of(e, "value"));
			fputs("\"\n", fp);
		}
		return true;
	}
	if (strcmp(key, "levels") != 0)
		return false;
	json_array_foreach((json_t *)(uintptr_t)v, i, e)
		if ((len = (int)strlen(str_of(e, "name"))) > w)
			w = len;
	/*
	 * Per name: what the CA's view saw (rcode, result, DNSSEC) and,
	 * when it differs, what the user's resolver saw.
	 */
	json_array_foreach((json_t *)(uintptr_t)v, i, e) {
		const char *sec = str_of(e, "dnssec");
		const json_t *ede = json_object_get(e, "ede");

		fprintf(fp, "%*s%-*s  %-8s  ", i ? col : 0, "", w,
		    str_of(e, "name"), json_is_string(json_object_get(e,
		    "rcode")) ? str_of(e, "rcode") : "no reply");
		put_safe(fp, str_of(e, "result"));
		if (json_integer_value(json_object_get(e, "records")) > 0 &&
		    strcmp(str_of(e, "result"), "records") == 0)
			fprintf(fp, " (%lld)", (long long)json_integer_value(
			    json_object_get(e, "records")));
		if (*sec && strcmp(sec, "unchecked") != 0) {
			fputs(", ", fp);
			put_safe(fp, sec);
		}
		if (json_is_object(ede)) {
			fputs(" (", fp);
			put_safe(fp, str_of(ede, "summary"));
			fputc(')', fp);
		}
		if (json_is_string(json_object_get(e, "your_resolver"))) {
			fputs("; your resolver: ", fp);
			put_safe(fp, str_of(e, "your_resolver"));
		}
		fputc('\n', fp);
	}
	return true;
}

static void
put_object(FILE *fp, const json_t *o, int indent, unsigned flags)
{
	put_object_w(fp, o, indent, flags, 0);
}

static void
put_value(FILE *fp, const json_t *v, const json_t *uni, int indent,
    unsigned flags)
{
	size_t i, n;
	json_t *e;

	if (is_scalar(v)) {
		put_name(fp, v, uni);
		fputc('\n', fp);
	} else if (json_is_object(v)) {
		if (json_object_size(v) == 0 || put_inline_object(fp, v)) {
			fputc('\n', fp);
			return;
		}
		fputc('\n', fp);
		put_object(fp, v, indent + 2, flags);
	} else if ((n = json_array_size(v)) == 0) {
		fputs("none\n", fp);
	} else if (is_scalar(json_array_get(v, 0))) {
		json_array_foreach((json_t *)(uintptr_t)v, i, e) {
			if (i == TEXT_LIST_MAX) {
				fprintf(fp, " ... (%zu more)", n - i);
				break;
			}
			if (i)
				fputs(", ", fp);
			put_name(fp, e, json_array_get(uni, i));
		}
		fputc('\n', fp);
	} else {
		fprintf(fp, "%zu\n", n);
		json_array_foreach((json_t *)(uintptr_t)v, i, e) {
			fprintf(fp, "%*s[%zu]", indent + 2, "", i);
			/* A row of scalars (a DNS level, a record) fits a line. */
			if (json_is_object(e) && all_scalars(e)) {
				fputc(' ', fp);
				put_inline_object(fp, e);
				fputc('\n', fp);
				continue;
			}
			fputc('\n', fp);
			if (json_is_object(e))
				put_object(fp, e, indent + 4, flags);
		}
	}
}

static void
put_object_w(FILE *fp, const json_t *o, int indent, unsigned flags,
    int min_width)
{
	const char *k;
	json_t *v;
	int w = 0, len, depth = indent > 2;

	json_object_foreach((json_t *)(uintptr_t)o, k, v)
		if (shown(k, depth, flags) && !is_unicode_key(o, k) &&
		    (len = (int)strlen(k)) > w)
			w = len;
	if (w < min_width)
		w = min_width;
	json_object_foreach((json_t *)(uintptr_t)o, k, v) {
		if (!shown(k, depth, flags) || is_unicode_key(o, k))
			continue;
		fprintf(fp, "%*s%-*s  ", indent, "", w, k);
		if (!put_caa_rows(fp, k, v, indent + w + 2))
			put_value(fp, v, unicode_of(o, k), indent, flags);
	}
}

/* certcheck: the rows below replace these fields; the rest is generic. */
static const char *const cert_keys[] = {
	"host", "host_unicode", "port", "sni", "sni_unicode", "address",
	"tls", "handshake_time", "hostname_match", "verify", "chain",
	"earliest_expiry", "days_left", "chain_days_left", "name",
	"name_unicode", NULL
};

/* Fields of a chain entry the table and its notes show. */
static const char *const cert_cols[] = {
	"subject", "issuer", "not_after", "days_left", "key", "signature",
	"san", "san_unicode", "ca", "self_signed", "serial", "sha256",
	"not_before", "san_total", NULL
};

#define ROW_W 9	/* width of the certcheck row labels */

static bool
in_list(const char *const *l, const char *k)
{
	for (; *l; l++)
		if (strcmp(*l, k) == 0)
			return true;
	return false;
}


static void
row(FILE *fp, const char *label)
{
	fprintf(fp, "  %-*s  ", ROW_W, label);
}

/* "name  good.test, covered by the certificate" (and the SNI if other). */
static void
put_cert_name(FILE *fp, const json_t *d)
{
	const json_t *host = json_object_get(d, "host");
	const json_t *sni = json_object_get(d, "sni");
	const json_t *m = json_object_get(d, "hostname_match");
	const json_t *name = json_object_get(d, "name");

	if (host == NULL && !json_is_boolean(m))
		return;
	row(fp, "name");
	/* Local files (--cert --name) have the name, not a host. */
	if (host != NULL)
		put_name(fp, host, json_object_get(d, "host_unicode"));
	else if (name != NULL)
		put_name(fp, name, json_object_get(d, "name_unicode"));
	else
		fputs("(none)", fp);
	if (json_is_boolean(m))
		fputs(json_is_true(m) ? ", covered by the certificate" :
		    ", NOT covered by the certificate", fp);
	fputc('\n', fp);
	if (json_is_string(sni) && json_is_string(host) &&
	    strcmp(json_string_value(sni), json_string_value(host)) != 0) {
		row(fp, "sni");
		put_name(fp, sni, json_object_get(d, "sni_unicode"));
		fputc('\n', fp);
	}
}

/* "connected  127.0.0.1 port 443, TLSv1.3, TLS_AES_256_GCM_SHA384". */
static void
put_cert_conn(FILE *fp, const json_t *d, unsigned flags)
{
	const json_t *tls = json_object_get(d, "tls"), *port, *ht;

	if (json_object_get(d, "address") == NULL && tls == NULL)
		return;
	row(fp, "connected");
	put_safe(fp, str_of(d, "address"));
	if ((port = json_object_get(d, "port")) != NULL &&
	    json_is_integer(port))
		fprintf(fp, " port %lld", (long long)json_integer_value(port));
	if (json_is_object(tls)) {
		fputs(", ", fp);
		put_safe(fp, str_of(tls, "version"));
		fputs(", ", fp);
		put_safe(fp, str_of(tls, "cipher"));
	}
	ht = json_object_get(d, "handshake_time");
	if ((flags & CD_FMT_VERBOSE) && json_is_number(ht))
		fprintf(fp, ", handshake %.3f s", json_number_value(ht));
	fputc('\n', fp);
}

/* "trust  trusted" or "trust  NOT trusted: reason; reason". */
static void
put_cert_trust(FILE *fp, const json_t *d)
{
	const json_t *v = json_object_get(d, "verify"), *e;
	const char *k;
	size_t i;
	json_t *x;

	if (!json_is_object(v))
		return;
	row(fp, "trust");
	fputs(json_is_true(json_object_get(v, "trusted")) ? "trusted" :
	    "NOT trusted", fp);
	json_array_foreach(json_object_get(v, "reasons"), i, e) {
		fputs(i ? "; " : ": ", fp);
		put_scalar(fp, e);
	}
	fputc('\n', fp);
	/* Fields a later verify object may grow. */
	json_object_foreach((json_t *)(uintptr_t)v, k, x)
		if (strcmp(k, "trusted") != 0 && strcmp(k, "reasons") != 0) {
			fprintf(fp, "  %*s  %s ", ROW_W, "", k);
			put_value(fp, x, NULL, 2 + ROW_W, 0);
		}
}

/* "2027-01-22 13:00" from an RFC 3339 string (display only). */
static void
put_short_time(FILE *fp, const char *t)
{
	if (strlen(t) >= 16 && t[10] == 'T')
		fprintf(fp, "%.10s %.5s", t, t + 11);
	else
		put_safe(fp, t);
}

static void
put_key(FILE *fp, const json_t *key, int width)
{
	char b[48];

	snprintf(b, sizeof(b), "%s %lld", str_of(key, "type"),
	    (long long)json_integer_value(json_object_get(key, "bits")));
	fprintf(fp, "%-*s", width, b);
}

/* Indented note lines under a chain row: the issuer when the next row
 * is not it, names, and with -v fingerprints; unknown fields too. */
static void
put_cert_notes(FILE *fp, const json_t *c, const json_t *next, size_t idx,
    unsigned flags)
{
	static const int in = 2 + ROW_W + 2 + 3;
	const char *iss = str_of(c, "issuer"), *k;
	const json_t *san = json_object_get(c, "san");
	json_t *v;

	if (next == NULL ? strcmp(iss, str_of(c, "subject")) != 0 :
	    strcmp(iss, str_of(next, "subject")) != 0) {
		fprintf(fp, "%*sissued by ", in, "");
		put_safe(fp, iss);
		fputc('\n', fp);
	}
	/* The leaf's names have a row of their own. */
	if (idx > 0 && json_array_size(san) > 0) {
		fprintf(fp, "%*ssan  ", in, "");
		put_value(fp, san, json_object_get(c, "san_unicode"), in, 0);
	}
	if (flags & CD_FMT_VERBOSE) {
		fprintf(fp, "%*sserial %s, sha256 %s\n", in, "",
		    str_of(c, "serial"), str_of(c, "sha256"));
		fprintf(fp, "%*svalid from ", in, "");
		put_short_time(fp, str_of(c, "not_before"));
		fprintf(fp, ", ca %s, self-signed %s\n",
		    json_is_true(json_object_get(c, "ca")) ? "yes" : "no",
		    json_is_true(json_object_get(c, "self_signed")) ?
		    "yes" : "no");
	}
	json_object_foreach((json_t *)(uintptr_t)c, k, v)
		if (!in_list(cert_cols, k)) {
			fprintf(fp, "%*s%s  ", in, "", k);
			put_value(fp, v, NULL, in, flags);
		}
}

/*
 * The chain as served, one row per certificate, expiry first because
 * that is what people look for:
 *   #  days left  expires (UTC)     key        signature     subject
 */
static void
put_cert_chain(FILE *fp, const json_t *d, unsigned flags)
{
	const json_t *ch = json_object_get(d, "chain"), *c, *san;
	size_t i, n;

	if (!json_is_array(ch))
		return;
	if ((n = json_array_size(ch)) == 0) {
		row(fp, "chain");
		fputs("none\n", fp);
		return;
	}
	row(fp, "chain");
	fputs("#  days left  expires (UTC)     key        signature     "
	    "subject\n", fp);
	for (i = 0; i < n; i++) {
		c = json_array_get(ch, i);
		fprintf(fp, "  %*s  %-2zu %9.1f  ", ROW_W, "", i,
		    json_number_value(json_object_get(c, "days_left")));
		put_short_time(fp, str_of(c, "not_after"));
		fputs("  ", fp);
		put_key(fp, json_object_get(c, "key"), 9);
		fputs("  ", fp);
		fprintf(fp, "%-12s  ", str_of(c, "signature"));
		put_safe(fp, str_of(c, "subject"));
		fputc('\n', fp);
		put_cert_notes(fp, c, json_array_get(ch, i + 1), i, flags);
	}
	c = json_array_get(ch, 0);
	san = json_object_get(c, "san");
	row(fp, "san");
	put_value(fp, san, json_object_get(c, "san_unicode"), 2 + ROW_W,
	    flags);
	if (json_is_integer(json_object_get(c, "san_total"))) {
		fprintf(fp, "  %*s  (%lld names in all; the JSON has the "
		    "first ones too)\n", ROW_W, "", (long long)
		    json_integer_value(json_object_get(c, "san_total")));
	}
}

static void
put_cert(FILE *fp, const json_t *d, unsigned flags)
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
		if (in_list(cert_keys, k))
			json_object_del(rest, k);
	put_object_w(fp, rest, 2, flags, ROW_W);
	json_decref(rest);
}

/* http01check: these rows replace the fields; the rest is generic. */
static const char *const h01_keys[] = {
	"identifier", "identifier_unicode", "url", "token", "attempts", NULL
};
static const char *const h01_attempt_keys[] = {
	"address", "hops", "result", "error", "server", NULL
};

static bool
is_problem_message(const struct cd_report *r, const char *m)
{
	size_t i;

	for (i = 0; i < r->nprobs; i++)
		if (strcmp(r->probs[i].pub.message, m) == 0)
			return true;
	return false;
}

/*
 * One line per address tried, then one per hop:
 *   127.0.0.2: http01_bad_redirect
 *     301  http://blog.example/.well-known/... -> https://...:8443/...
 */
static void
put_h01_attempt(FILE *fp, const struct cd_report *r, const json_t *a,
    unsigned flags)
{
	static const int in = 2 + ROW_W + 2 + 2;
	const json_t *h, *st;
	const char *k, *err = str_of(a, "error");
	json_t *v;
	size_t i;

	put_safe(fp, str_of(a, "address"));
	fputs(": ", fp);
	put_safe(fp, str_of(a, "result"));
	if (json_is_string(json_object_get(a, "server"))) {
		fputs(", server ", fp);
		put_safe(fp, str_of(a, "server"));
	}
	fputc('\n', fp);
	json_array_foreach(json_object_get(a, "hops"), i, h) {
		st = json_object_get(h, "status");
		if (json_is_integer(st))
			fprintf(fp, "%*s%3lld  ", in, "",
			    (long long)json_integer_value(st));
		else
			fprintf(fp, "%*s  -  ", in, "");
		put_safe(fp, str_of(h, "url"));
		if (json_is_string(json_object_get(h, "location"))) {
			fputs(" -> ", fp);
			put_safe(fp, str_of(h, "location"));
		}
		fputc('\n', fp);
	}
	/* The problems above already say it, unless addresses differ. */
	if (*err && !is_problem_message(r, err)) {
		fprintf(fp, "%*s", in, "");
		put_safe(fp, err);
		fputc('\n', fp);
	}
	json_object_foreach((json_t *)(uintptr_t)a, k, v)
		if (!in_list(h01_attempt_keys, k)) {
			fprintf(fp, "%*s%s  ", in, "", k);
			put_value(fp, v, NULL, in, flags);
		}
}

static void
put_h01(FILE *fp, const struct cd_report *r, unsigned flags)
{
	const json_t *d = r->detail, *a;
	json_t *rest, *v;
	const char *k;
	size_t i;

	if (json_object_get(d, "identifier") != NULL) {
		row(fp, "name");
		put_name(fp, json_object_get(d, "identifier"),
		    json_object_get(d, "identifier_unicode"));
		fputc('\n', fp);
	}
	if (json_object_get(d, "url") != NULL) {
		row(fp, "url");
		put_safe(fp, str_of(d, "url"));
		fputc('\n', fp);
	}
	json_array_foreach(json_object_get(d, "attempts"), i, a) {
		row(fp, i ? "" : "fetched");
		put_h01_attempt(fp, r, a, flags);
	}
	if ((rest = json_copy((json_t *)(uintptr_t)d)) == NULL)
		return;
	json_object_foreach((json_t *)(uintptr_t)d, k, v)
		if (in_list(h01_keys, k) && (strcmp(k, "token") != 0 ||
		    !(flags & CD_FMT_VERBOSE)))
			json_object_del(rest, k);
	put_object_w(fp, rest, 2, flags, ROW_W);
	json_decref(rest);
}

/*
 * dns01check: the servers' answers are in the nameserver rows already;
 * their per-server copy is JSON's shape, shown in text only with -v.
 */
static void
put_dns01(FILE *fp, const json_t *d, unsigned flags)
{
	json_t *rest;

	if ((rest = json_copy((json_t *)(uintptr_t)d)) == NULL)
		return;
	if (!(flags & CD_FMT_VERBOSE) && json_object_get(d, "nameservers"))
		json_object_del(rest, "servers");
	put_object(fp, rest, 2, flags);
	json_decref(rest);
}

cd_rc
cd_fmt_text(const struct cd_report *r, FILE *fp, unsigned flags)
{
	cd_status st = cd_report_status(r);
	const char *summary = cd_report_summary(r);
	const struct cd_problem *p;
	size_t i;

	put_safe(fp, r->target);
	if (r->address != NULL)
		fprintf(fp, " [%s]", r->address);
	fputs("  ", fp);
	put_status(fp, st, flags, 0);
	fputs("  ", fp);
	put_safe(fp, summary);
	fputc('\n', fp);
	for (i = 0; i < r->nprobs; i++) {
		p = &r->probs[i].pub;
		fputs("  ", fp);
		put_status(fp, p->severity, flags, 8);
		fprintf(fp, "  %s%s: ", cd_problem_name(p->code),
		    p->ignored ? " (ignored)" : "");
		put_safe(fp, p->message);
		fputc('\n', fp);
		if (p->hint) {
			fputs("            fix: ", fp);
			put_safe(fp, p->hint);
			fputc('\n', fp);
		}
	}
	if (strcmp(r->service, "CERT") == 0 &&
	    json_object_get(r->detail, "chain") != NULL)
		put_cert(fp, r->detail, flags);
	else if (strcmp(r->service, "HTTP01") == 0 &&
	    json_is_array(json_object_get(r->detail, "attempts")))
		put_h01(fp, r, flags);
	else if (strcmp(r->service, "DNS01") == 0)
		put_dns01(fp, r->detail, flags);
	else
		put_object(fp, r->detail, 2, flags);
	fputc('\n', fp);
	return ferror(fp) ? CD_E_IO : CD_OK;
}
