/*
 * fmt_text_acme.c - the text layouts of the ACME challenge checks:
 * http01check's fetches (an address per line, then its hops) and
 * dns01check's servers; the rest of their fields go to the generic
 * renderer.
 */
#include <stdint.h>
#include <string.h>

#include "fmt_text.h"
#include "jsonutil.h"

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
	static const int in = 2 + CD_TEXT_ROW_W + 2 + 2;
	const json_t *h, *st;
	const char *k, *err = cd_text_str(a, "error");
	json_t *v;
	size_t i;

	cd_text_safe(fp, cd_text_str(a, "address"));
	fputs(": ", fp);
	cd_text_safe(fp, cd_text_str(a, "result"));
	if (json_is_string(json_object_get(a, "server"))) {
		fputs(", server ", fp);
		cd_text_safe(fp, cd_text_str(a, "server"));
	}
	fputc('\n', fp);
	json_array_foreach(json_object_get(a, "hops"), i, h) {
		st = json_object_get(h, "status");
		if (json_is_integer(st))
			fprintf(fp, "%*s%3lld  ", in, "",
			    (long long)json_integer_value(st));
		else
			fprintf(fp, "%*s  -  ", in, "");
		cd_text_safe(fp, cd_text_str(h, "url"));
		if (json_is_string(json_object_get(h, "location"))) {
			fputs(" -> ", fp);
			cd_text_safe(fp, cd_text_str(h, "location"));
		}
		fputc('\n', fp);
	}
	/* The problems above already say it, unless addresses differ. */
	if (*err && !is_problem_message(r, err)) {
		fprintf(fp, "%*s", in, "");
		cd_text_safe(fp, err);
		fputc('\n', fp);
	}
	json_object_foreach((json_t *)(uintptr_t)a, k, v)
		if (!cd_text_in_list(h01_attempt_keys, k)) {
			fprintf(fp, "%*s%s  ", in, "", k);
			cd_text_value(fp, v, NULL, in, flags);
		}
}

void
cd_text_h01(FILE *fp, const struct cd_report *r, unsigned flags)
{
	const json_t *d = r->detail, *a;
	json_t *rest, *v;
	const char *k;
	size_t i;

	if (json_object_get(d, "identifier") != NULL) {
		cd_text_row(fp, "name");
		cd_text_name(fp, json_object_get(d, "identifier"),
		    json_object_get(d, "identifier_unicode"));
		fputc('\n', fp);
	}
	if (json_object_get(d, "url") != NULL) {
		cd_text_row(fp, "url");
		cd_text_safe(fp, cd_text_str(d, "url"));
		fputc('\n', fp);
	}
	json_array_foreach(json_object_get(d, "attempts"), i, a) {
		cd_text_row(fp, i ? "" : "fetched");
		put_h01_attempt(fp, r, a, flags);
	}
	if ((rest = json_copy((json_t *)(uintptr_t)d)) == NULL)
		return;
	json_object_foreach((json_t *)(uintptr_t)d, k, v)
		if (cd_text_in_list(h01_keys, k) && (strcmp(k, "token") != 0 ||
		    !(flags & CD_FMT_VERBOSE)))
			json_object_del(rest, k);
	cd_text_object_w(fp, rest, 2, flags, CD_TEXT_ROW_W);
	json_decref(rest);
}

/*
 * dns01check: the servers' answers are in the nameserver rows already;
 * their per-server copy is JSON's shape, shown in text only with -v.
 */
void
cd_text_dns01(FILE *fp, const json_t *d, unsigned flags)
{
	json_t *rest;

	if ((rest = json_copy((json_t *)(uintptr_t)d)) == NULL)
		return;
	if (!(flags & CD_FMT_VERBOSE) && json_object_get(d, "nameservers"))
		json_object_del(rest, "servers");
	cd_text_object(fp, rest, 2, flags);
	json_decref(rest);
}
