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
static const enum cd_jkey h01_keys[] = {
	CD_K_IDENTIFIER, CD_K_IDENTIFIER_UNICODE, CD_K_URL, CD_K_TOKEN,
	CD_K_ATTEMPTS
};
static const enum cd_jkey h01_attempt_keys[] = {
	CD_K_ADDRESS, CD_K_HOPS, CD_K_RESULT, CD_K_ERROR, CD_K_SERVER
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
	const char *k, *err = cd_text_str(a, CD_K_ERROR);
	json_t *v;
	size_t i;

	cd_text_safe(fp, cd_text_str(a, CD_K_ADDRESS));
	fputs(": ", fp);
	cd_text_safe(fp, cd_text_str(a, CD_K_RESULT));
	if (json_is_string(cd_json_getk(a, CD_K_SERVER))) {
		fputs(", server ", fp);
		cd_text_safe(fp, cd_text_str(a, CD_K_SERVER));
	}
	fputc('\n', fp);
	json_array_foreach(cd_json_getk(a, CD_K_HOPS), i, h) {
		st = cd_json_getk(h, CD_K_STATUS);
		if (json_is_integer(st))
			fprintf(fp, "%*s%3lld  ", in, "",
			    (long long)json_integer_value(st));
		else
			fprintf(fp, "%*s  -  ", in, "");
		cd_text_safe(fp, cd_text_str(h, CD_K_URL));
		if (json_is_string(cd_json_getk(h, CD_K_LOCATION))) {
			fputs(" -> ", fp);
			cd_text_safe(fp, cd_text_str(h, CD_K_LOCATION));
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
		if (!cd_jkey_in(k, h01_attempt_keys,
		    CD_ARRAY_LEN(h01_attempt_keys))) {
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

	if (cd_json_getk(d, CD_K_IDENTIFIER) != NULL) {
		cd_text_row(fp, "name");
		cd_text_name(fp, cd_json_getk(d, CD_K_IDENTIFIER),
		    cd_json_getk(d, CD_K_IDENTIFIER_UNICODE));
		fputc('\n', fp);
	}
	if (cd_json_getk(d, CD_K_URL) != NULL) {
		cd_text_row(fp, "url");
		cd_text_safe(fp, cd_text_str(d, CD_K_URL));
		fputc('\n', fp);
	}
	json_array_foreach(cd_json_getk(d, CD_K_ATTEMPTS), i, a) {
		cd_text_row(fp, i ? "" : "fetched");
		put_h01_attempt(fp, r, a, flags);
	}
	if ((rest = json_copy((json_t *)(uintptr_t)d)) == NULL)
		return;
	json_object_foreach((json_t *)(uintptr_t)d, k, v)
		if (cd_jkey_in(k, h01_keys, CD_ARRAY_LEN(h01_keys)) &&
		    (!cd_jkey_is(k, CD_K_TOKEN) || !(flags & CD_FMT_VERBOSE)))
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
	if (!(flags & CD_FMT_VERBOSE) && cd_json_getk(d, CD_K_NAMESERVERS))
		json_object_del(rest, cd_jkey_name(CD_K_SERVERS));
	cd_text_object(fp, rest, 2, flags);
	json_decref(rest);
}
