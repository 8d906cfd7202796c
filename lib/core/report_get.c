/*
 * report_get.c - read one field of a report by its JSON path
 * ("chain.0.subject"), from the very tree the JSON formatter writes, so
 * a path seen in --format=json output works here unchanged.
 */
#include <string.h>

#include "report.h"

/*
 * The report's JSON tree, built on first use.  Two threads may race to
 * build it: the loser drops its copy and takes the winner's, so readers
 * never lock and the pointer never changes once set.
 */
static json_t *
tree(const struct cd_report *r)
{
	json_t *t = atomic_load(&r->cache->tree), *expected = NULL;

	if (t != NULL)
		return t;
	if ((t = cd_report_json(r)) == NULL)
		return NULL;
	if (!atomic_compare_exchange_strong(&r->cache->tree, &expected, t)) {
		json_decref(t);
		t = expected;
	}
	return t;
}

/* An array index: plain decimal digits, nothing else ("01" is 1). */
static bool
index_of(const char *s, size_t len, size_t *out)
{
	size_t i, v = 0;

	if (len == 0 || len > 9)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (size_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

/*
 * Walk path from the root.  A member name may itself hold dots
 * ("protocols.TLSv1.2"): when the segment up to the next dot names no
 * member, the segment grows to the dot after, and so on.
 */
static json_t *
lookup(const struct cd_report *r, const char *path)
{
	json_t *cur;
	const char *p, *dot;
	size_t i, len;

	if (r == NULL || path == NULL || (cur = tree(r)) == NULL)
		return NULL;
	if (*path == '\0')
		return cur;
	for (p = path; cur != NULL;) {
		dot = strchr(p, '.');
		len = dot ? (size_t)(dot - p) : strlen(p);
		if (json_is_array(cur)) {
			cur = index_of(p, len, &i) ? json_array_get(cur, i) :
			    NULL;
		} else if (json_is_object(cur)) {
			json_t *m;

			while ((m = json_object_getn(cur, p, len)) == NULL &&
			    dot != NULL) {
				dot = strchr(dot + 1, '.');
				len = dot ? (size_t)(dot - p) : strlen(p);
			}
			cur = m;
		} else {
			cur = NULL;
		}
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	return cur;
}

int
cd_report_get_number(const struct cd_report *r, const char *path,
    double *out)
{
	json_t *v = lookup(r, path);

	if (json_is_integer(v))
		*out = (double)json_integer_value(v);
	else if (json_is_real(v))
		*out = json_real_value(v);
	else if (json_is_boolean(v))
		*out = json_is_true(v) ? 1 : 0;
	else
		return -1;
	return 0;
}

const char *
cd_report_get_string(const struct cd_report *r, const char *path)
{
	return json_string_value(lookup(r, path));
}

size_t
cd_report_get_count(const struct cd_report *r, const char *path)
{
	return json_array_size(lookup(r, path));
}
