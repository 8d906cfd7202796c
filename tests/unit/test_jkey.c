/*
 * test_jkey.c - the table of JSON field names against itself and against
 * the JSON Schemas: every enum value has a unique snake_case name, every
 * name is a property of some schema in doc/schema/, and every property
 * the schemas name is in the table (or is data: a protocol version, a
 * record type).  Writers, readers and schemas cannot drift apart then.
 */
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"
#include "tap.h"

/*
 * Object keys the schemas list that are values, not field names: the
 * protocol versions under "protocols", the record types under "dns".
 */
static const char *const data_keys[] = {
	"TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3", "A", "AAAA"
};

/* ^[a-z][a-z0-9]*(_[a-z0-9]+)*$ */
static bool
is_snake_case(const char *s)
{
	const char *p;

	if (s == NULL || *s < 'a' || *s > 'z')
		return false;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    (*p == '_' && p[1] != '_' && p[1] != '\0')))
			return false;
	return true;
}

static bool
in_table(const char *s)
{
	int i;

	for (i = 0; i < CD_JKEY_COUNT; i++)
		if (cd_jkey_is(s, (enum cd_jkey)i))
			return true;
	return false;
}

static bool
is_data_key(const char *s)
{
	size_t i;

	for (i = 0; i < CD_ARRAY_LEN(data_keys); i++)
		if (strcmp(s, data_keys[i]) == 0)
			return true;
	return false;
}

static void
test_table(void)
{
	const char *name;
	int i, j, dup;

	for (i = 0; i < CD_JKEY_COUNT; i++) {
		name = cd_jkey_name((enum cd_jkey)i);
		if (!tap_ok(name != NULL, "key %d has a name", i))
			continue;
		tap_ok(is_snake_case(name), "key %d \"%s\" is snake_case", i,
		    name);
		dup = -1;
		for (j = 0; j < i && dup < 0; j++)
			if (cd_jkey_is(name, (enum cd_jkey)j))
				dup = j;
		tap_ok(dup < 0, "key \"%s\" is unique", name);
	}
	tap_ok(cd_jkey_name(CD_JKEY_COUNT) == NULL &&
	    cd_jkey_name((enum cd_jkey)-1) == NULL,
	    "no name outside the enum");
	for (i = 0; i < (int)CD_ARRAY_LEN(data_keys); i++)
		tap_ok(!in_table(data_keys[i]), "data key \"%s\" is no field "
		    "name", data_keys[i]);
}

/* Every name under a "properties" anywhere in v, into the object props. */
static void
collect(json_t *v, json_t *props)
{
	const char *k;
	json_t *e, *p;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			collect(e, props);
		return;
	}
	if (!json_is_object(v))
		return;
	if (json_is_object(p = json_object_get(v, "properties")))
		json_object_foreach(p, k, e)
			json_object_set_new(props, k, json_true());
	json_object_foreach(v, k, e)
		collect(e, props);
}

static void
test_schemas(void)
{
	const char *top = getenv("top_srcdir"), *k, *name;
	json_t *props = json_object(), *doc, *v;
	char pat[4096];
	glob_t g;
	size_t i;
	int n;

	snprintf(pat, sizeof(pat), "%s/doc/schema/*.schema.json",
	    top ? top : ".");
	if (glob(pat, 0, NULL, &g) != 0) {
		tap_skip("the table against doc/schema/", "no schemas (set "
		    "top_srcdir)");
		json_decref(props);
		return;
	}
	tap_ok(g.gl_pathc >= 5, "%zu schemas (one per tool)", g.gl_pathc);
	for (i = 0; i < g.gl_pathc; i++) {
		doc = json_load_file(g.gl_pathv[i], 0, NULL);
		tap_ok(doc != NULL, "%s parses", g.gl_pathv[i]);
		collect(doc, props);
		json_decref(doc);
	}
	globfree(&g);
	for (n = 0; n < CD_JKEY_COUNT; n++) {
		name = cd_jkey_name((enum cd_jkey)n);
		tap_ok(name != NULL && json_object_get(props, name) != NULL,
		    "\"%s\" is a property in a schema", name ? name : "?");
	}
	json_object_foreach(props, k, v)
		tap_ok(in_table(k) || is_data_key(k), "schema property \"%s\" "
		    "is in the table", k);
	json_decref(props);
}

/* The helpers write and read the very names of the table. */
static void
test_helpers(void)
{
	json_t *o = json_object();

	tap_ok(cd_json_setk(o, CD_K_DAYS_LEFT, json_integer(3)),
	    "cd_json_setk");
	tap_ok(json_integer_value(json_object_get(o, "days_left")) == 3,
	    "cd_json_setk writes \"days_left\"");
	tap_ok(cd_json_getk(o, CD_K_DAYS_LEFT) == json_object_get(o,
	    "days_left"), "cd_json_getk reads it back");
	tap_ok(!cd_json_setk(o, CD_JKEY_COUNT, json_true()) &&
	    json_object_size(o) == 1, "no field outside the enum");
	tap_ok(cd_json_getk(o, CD_JKEY_COUNT) == NULL,
	    "cd_json_getk outside the enum: NULL");
	cd_json_setk(o, CD_K_HOST, cd_json_str("xn--bcher-kva.test"));
	cd_json_set_unicode(o, CD_K_HOST_UNICODE, "xn--bcher-kva.test");
	tap_is_str(cd_json_strk(o, CD_K_HOST_UNICODE), "b\xc3\xbc" "cher.test",
	    "cd_json_set_unicode writes host_unicode");
	cd_json_set_unicode(o, CD_K_SNI_UNICODE, "plain.test");
	tap_ok(cd_json_getk(o, CD_K_SNI_UNICODE) == NULL,
	    "no _unicode sibling for a name without IDN labels");
	tap_ok(cd_json_strk(o, CD_K_DAYS_LEFT) == NULL,
	    "cd_json_strk of a number: NULL");
	json_decref(o);
}

int
main(void)
{
	test_table();
	test_schemas();
	test_helpers();
	return tap_done();
}
