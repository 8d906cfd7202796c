/*
 * fmt_text.c - reports for people: the verdict first, then each problem
 * with what to do, then the details, aligned.  A tool's layout gives
 * some fields rows of their own (fmt_text_cert.c, fmt_text_acme.c);
 * every other field, including ones this file has never heard of, is
 * shown by the generic renderer here, so nothing in the JSON is lost.  A name with a
 * "_unicode" sibling is shown in both forms.  Every string that came
 * from a peer passes through cd_text_safe(), so a certificate cannot send
 * escape sequences to the user's terminal.
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fmt_text.h"
#include "jsonutil.h"
#include "report.h"

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
void
cd_text_safe(FILE *fp, const char *s)
{
	char *e = cd_escape_display(s, strlen(s));

	fputs(e ? e : "(out of memory)", fp);
	free(e);
}

static void
cd_text_status(FILE *fp, cd_status st, unsigned flags, int width)
{
	if (flags & CD_FMT_COLOR)
		fprintf(fp, "%s%-*s\033[0m", color_of(st), width,
		    cd_status_name(st));
	else
		fprintf(fp, "%-*s", width, cd_status_name(st));
}

static bool
cd_text_is_scalar(const json_t *v)
{
	return !json_is_object(v) &&
	    !(json_is_array(v) && json_array_size(v) > 0);
}

void
cd_text_scalar(FILE *fp, const json_t *v)
{
	if (json_is_string(v))
		cd_text_safe(fp, json_string_value(v));
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
void
cd_text_name(FILE *fp, const json_t *ace, const json_t *uni)
{
	if (json_is_string(uni) && json_is_string(ace) &&
	    strcmp(json_string_value(uni), json_string_value(ace)) != 0) {
		cd_text_safe(fp, json_string_value(uni));
		fputs(" (", fp);
		cd_text_safe(fp, json_string_value(ace));
		fputc(')', fp);
	} else {
		cd_text_scalar(fp, ace);
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
		if (!cd_text_is_scalar(v))
			return false;
	return true;
}

/* An object of scalars on one line: "type RSA, bits 2048". */
static bool
cd_text_inline_object(FILE *fp, const json_t *o)
{
	const char *k;
	json_t *v;
	int i = 0;

	json_object_foreach((json_t *)(uintptr_t)o, k, v)
		if (!cd_text_is_scalar(v))
			return false;
	json_object_foreach((json_t *)(uintptr_t)o, k, v) {
		fprintf(fp, "%s%s ", i++ ? ", " : "", k);
		cd_text_scalar(fp, v);
	}
	return true;
}

/*
 * Detail that only -v shows: fingerprints and repeats of what the
 * verdict and the chain already say.  JSON always has everything.
 */
static const enum cd_jkey verbose_only[] = {
	CD_K_SERIAL, CD_K_SHA256, CD_K_NOT_BEFORE, CD_K_SELF_SIGNED, CD_K_HOST,
	CD_K_PORT, CD_K_HANDSHAKE_TIME, CD_K_EARLIEST_EXPIRY, CD_K_DAYS_LEFT,
	CD_K_CHAIN_DAYS_LEFT, CD_K_SAN_TOTAL, CD_K_REASON
};

static bool
shown(const char *key, int depth, unsigned flags)
{
	if (flags & CD_FMT_VERBOSE)
		return true;
	/* A certificate's own days_left stays; the top-level copy goes. */
	if (depth > 0 && cd_jkey_is(key, CD_K_DAYS_LEFT))
		return true;
	/* A certificate's CA flag is detail; caacheck's "ca" is the CA. */
	if (cd_jkey_is(key, CD_K_CA))
		return depth == 0;
	return !cd_jkey_in(key, verbose_only, CD_ARRAY_LEN(verbose_only));
}

const char *
cd_text_str(const json_t *o, enum cd_jkey k)
{
	const char *s = cd_json_strk(o, k);

	return s ? s : "";
}

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
		if (!json_is_object(e) || (cd_jkey_is(key, CD_K_RECORDS) ?
		    json_object_size(e) != 4 || !json_is_string(
		    cd_json_getk(e, CD_K_TAG)) : !json_is_string(
		    cd_json_getk(e, CD_K_NAME)) || !json_is_string(
		    cd_json_getk(e, CD_K_RESULT))))
			return false;
	if (cd_jkey_is(key, CD_K_RECORDS)) {
		json_array_foreach((json_t *)(uintptr_t)v, i, e) {
			fprintf(fp, "%*s%lld ", i ? col : 0, "", (long long)
			    json_integer_value(cd_json_getk(e, CD_K_FLAGS)));
			cd_text_safe(fp, cd_text_str(e, CD_K_TAG));
			fputs(" \"", fp);
			cd_text_safe(fp, cd_text_str(e, CD_K_VALUE));
			fputs("\"\n", fp);
		}
		return true;
	}
	if (!cd_jkey_is(key, CD_K_LEVELS))
		return false;
	json_array_foreach((json_t *)(uintptr_t)v, i, e)
		if ((len = (int)strlen(cd_text_str(e, CD_K_NAME))) > w)
			w = len;
	/*
	 * Per name: what the CA's view saw (rcode, result, DNSSEC) and,
	 * when it differs, what the user's resolver saw.
	 */
	json_array_foreach((json_t *)(uintptr_t)v, i, e) {
		const char *sec = cd_text_str(e, CD_K_DNSSEC);
		const json_t *ede = cd_json_getk(e, CD_K_EDE);

		fprintf(fp, "%*s%-*s  %-8s  ", i ? col : 0, "", w,
		    cd_text_str(e, CD_K_NAME), json_is_string(cd_json_getk(e,
		    CD_K_RCODE)) ? cd_text_str(e, CD_K_RCODE) : "no reply");
		cd_text_safe(fp, cd_text_str(e, CD_K_RESULT));
		if (json_integer_value(cd_json_getk(e, CD_K_RECORDS)) > 0 &&
		    strcmp(cd_text_str(e, CD_K_RESULT), "records") == 0)
			fprintf(fp, " (%lld)", (long long)json_integer_value(
			    cd_json_getk(e, CD_K_RECORDS)));
		if (*sec && strcmp(sec, "unchecked") != 0) {
			fputs(", ", fp);
			cd_text_safe(fp, sec);
		}
		if (json_is_object(ede)) {
			fputs(" (", fp);
			cd_text_safe(fp, cd_text_str(ede, CD_K_SUMMARY));
			fputc(')', fp);
		}
		if (json_is_string(cd_json_getk(e, CD_K_YOUR_RESOLVER))) {
			fputs("; your resolver: ", fp);
			cd_text_safe(fp, cd_text_str(e, CD_K_YOUR_RESOLVER));
		}
		fputc('\n', fp);
	}
	return true;
}

void
cd_text_object(FILE *fp, const json_t *o, int indent, unsigned flags)
{
	cd_text_object_w(fp, o, indent, flags, 0);
}

void
cd_text_value(FILE *fp, const json_t *v, const json_t *uni, int indent,
    unsigned flags)
{
	size_t i, n;
	json_t *e;

	if (cd_text_is_scalar(v)) {
		cd_text_name(fp, v, uni);
		fputc('\n', fp);
	} else if (json_is_object(v)) {
		if (json_object_size(v) == 0 || cd_text_inline_object(fp, v)) {
			fputc('\n', fp);
			return;
		}
		fputc('\n', fp);
		cd_text_object(fp, v, indent + 2, flags);
	} else if ((n = json_array_size(v)) == 0) {
		fputs("none\n", fp);
	} else if (cd_text_is_scalar(json_array_get(v, 0))) {
		json_array_foreach((json_t *)(uintptr_t)v, i, e) {
			if (i == TEXT_LIST_MAX) {
				fprintf(fp, " ... (%zu more)", n - i);
				break;
			}
			if (i)
				fputs(", ", fp);
			cd_text_name(fp, e, json_array_get(uni, i));
		}
		fputc('\n', fp);
	} else {
		fprintf(fp, "%zu\n", n);
		json_array_foreach((json_t *)(uintptr_t)v, i, e) {
			fprintf(fp, "%*s[%zu]", indent + 2, "", i);
			/* A cd_text_row of scalars (a DNS level, a record) fits a line. */
			if (json_is_object(e) && all_scalars(e)) {
				fputc(' ', fp);
				cd_text_inline_object(fp, e);
				fputc('\n', fp);
				continue;
			}
			fputc('\n', fp);
			if (json_is_object(e))
				cd_text_object(fp, e, indent + 4, flags);
		}
	}
}

void
cd_text_object_w(FILE *fp, const json_t *o, int indent, unsigned flags,
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
			cd_text_value(fp, v, unicode_of(o, k), indent, flags);
	}
}

#define CD_TEXT_ROW_W 9	/* width of the certcheck cd_text_row labels */

void
cd_text_row(FILE *fp, const char *label)
{
	fprintf(fp, "  %-*s  ", CD_TEXT_ROW_W, label);
}

cd_rc
cd_fmt_text(const struct cd_report *r, FILE *fp, unsigned flags)
{
	cd_status st = cd_report_status(r);
	const char *summary = cd_report_summary(r);
	const struct cd_problem *p;
	size_t i;

	cd_text_safe(fp, r->target);
	if (r->address != NULL)
		fprintf(fp, " [%s]", r->address);
	fputs("  ", fp);
	cd_text_status(fp, st, flags, 0);
	fputs("  ", fp);
	cd_text_safe(fp, summary);
	fputc('\n', fp);
	for (i = 0; i < r->nprobs; i++) {
		p = &r->probs[i].pub;
		fputs("  ", fp);
		cd_text_status(fp, p->severity, flags, 8);
		fprintf(fp, "  %s%s: ", cd_problem_name(p->code),
		    p->ignored ? " (ignored)" : "");
		cd_text_safe(fp, p->message);
		fputc('\n', fp);
		if (p->hint) {
			fputs("            fix: ", fp);
			cd_text_safe(fp, p->hint);
			fputc('\n', fp);
		}
	}
	if (strcmp(r->service, "CERT") == 0 &&
	    cd_json_getk(r->detail, CD_K_CHAIN) != NULL)
		cd_text_cert(fp, r->detail, flags);
	else if (strcmp(r->service, "HTTP01") == 0 &&
	    json_is_array(cd_json_getk(r->detail, CD_K_ATTEMPTS)))
		cd_text_h01(fp, r, flags);
	else if (strcmp(r->service, "DNS01") == 0)
		cd_text_dns01(fp, r->detail, flags);
	else
		cd_text_object(fp, r->detail, 2, flags);
	fputc('\n', fp);
	return ferror(fp) ? CD_E_IO : CD_OK;
}
