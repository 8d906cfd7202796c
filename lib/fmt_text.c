/*
 * fmt_text.c - reports for people: the verdict first, then each problem
 * with what to do, then the details, aligned.  Every string that came
 * from a peer passes through put_safe(), so a certificate cannot send
 * escape sequences to the user's terminal.
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"

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

static void put_object(FILE *fp, const json_t *o, int indent,
    unsigned flags);

static void
put_value(FILE *fp, const json_t *v, int indent, unsigned flags)
{
	size_t i, n;
	json_t *e;

	if (is_scalar(v)) {
		put_scalar(fp, v);
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
			put_scalar(fp, e);
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
put_object(FILE *fp, const json_t *o, int indent, unsigned flags)
{
	const char *k;
	json_t *v;
	int w = 0, len, depth = indent > 2;

	json_object_foreach((json_t *)(uintptr_t)o, k, v)
		if (shown(k, depth, flags) && (len = (int)strlen(k)) > w)
			w = len;
	json_object_foreach((json_t *)(uintptr_t)o, k, v) {
		if (!shown(k, depth, flags))
			continue;
		fprintf(fp, "%*s%-*s  ", indent, "", w, k);
		put_value(fp, v, indent, flags);
	}
}

cd_rc
cd_fmt_text(const struct cd_report *r, FILE *fp, unsigned flags)
{
	cd_status st = cd_report_status(r);
	const struct cd_problem *p;
	size_t i;

	put_safe(fp, r->target);
	if (r->address != NULL)
		fprintf(fp, " [%s]", r->address);
	fputs("  ", fp);
	put_status(fp, st, flags, 0);
	fputs("  ", fp);
	put_safe(fp, cd_report_summary(r));
	fputc('\n', fp);
	for (i = 0; i < r->nprobs; i++) {
		p = &r->probs[i].pub;
		fputs("  ", fp);
		put_status(fp, p->severity, flags, 8);
		fprintf(fp, "  %s: ", cd_problem_name(p->code));
		put_safe(fp, p->message);
		fputc('\n', fp);
		if (p->hint) {
			fputs("            fix: ", fp);
			put_safe(fp, p->hint);
			fputc('\n', fp);
		}
	}
	put_object(fp, r->detail, 2, flags);
	fputc('\n', fp);
	return ferror(fp) ? CD_E_IO : CD_OK;
}
