/* jsonutil.c - building report details with jansson. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "idn.h"
#include "jsonutil.h"
#include "timeutil.h"

json_t *
cd_json_str(const char *s)
{
	json_t *j;
	char *e;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	if ((e = cd_escape(s, strlen(s))) == NULL)
		return NULL;
	j = json_string(e);
	free(e);
	return j;
}

bool
cd_json_set(json_t *obj, const char *key, json_t *value)
{
	return value != NULL && json_object_set_new(obj, key, value) == 0;
}

bool
cd_json_setk(json_t *obj, enum cd_jkey k, json_t *value)
{
	const char *key = cd_jkey_name(k);

	if (key == NULL) {
		json_decref(value);
		return false;
	}
	return cd_json_set(obj, key, value);
}

json_t *
cd_json_getk(const json_t *obj, enum cd_jkey k)
{
	const char *key = cd_jkey_name(k);

	return key != NULL ? json_object_get(obj, key) : NULL;
}

const char *
cd_json_strk(const json_t *obj, enum cd_jkey k)
{
	return json_string_value(cd_json_getk(obj, k));
}

bool
cd_json_push(json_t *arr, json_t *value)
{
	return value != NULL && json_array_append_new(arr, value) == 0;
}

json_t *
cd_json_days(double days)
{
	return json_real(round(days * 100.0) / 100.0);
}

json_t *
cd_json_time(time_t t)
{
	char buf[40];

	return json_string(cd_time_rfc3339(t, buf, sizeof(buf)));
}

json_t *
cd_json_unicode(const char *ace)
{
	char *u = NULL;
	json_t *v;

	if (ace == NULL || !cd_idn_is_idn(ace) ||
	    cd_idn_to_unicode(ace, &u, NULL) != CD_OK)
		return NULL;
	v = strcmp(u, ace) != 0 ? cd_json_str(u) : NULL;
	free(u);
	return v;
}

void
cd_json_set_unicode(json_t *obj, enum cd_jkey uni, const char *ace)
{
	json_t *v;

	if ((v = cd_json_unicode(ace)) != NULL)
		cd_json_setk(obj, uni, v);
}
