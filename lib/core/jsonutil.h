/*
 * jsonutil.h - jansson helpers.  Untrusted strings that are not valid
 * UTF-8 (jansson rejects those) fall back to their escaped form, so no
 * certificate or DNS answer can make us drop a field or a whole report.
 */
#ifndef CD_JSONUTIL_H
#define CD_JSONUTIL_H

#include <jansson.h>

#include "cd_internal.h"
#include "jkey.h"

/* A new JSON string for s (NULL gives JSON null). */
json_t *cd_json_str(const char *s);

/* obj[k] = value, stealing value; false on failure (value freed). */
bool cd_json_setk(json_t *obj, enum cd_jkey k, json_t *value);

/*
 * The same for an object keyed by data (a protocol version, a record
 * type, an address): field names go through cd_json_setk.
 */
bool cd_json_set(json_t *obj, const char *key, json_t *value);

/* obj[k], borrowed, or NULL (obj not an object, or no such field). */
json_t *cd_json_getk(const json_t *obj, enum cd_jkey k);

/* The string field k of obj, or NULL. */
const char *cd_json_strk(const json_t *obj, enum cd_jkey k);

/* Append to an array, stealing value. */
bool cd_json_push(json_t *arr, json_t *value);

/* A JSON number for days, rounded to 0.01 as shown to people. */
json_t *cd_json_days(double days);

/* RFC 3339 UTC string for t. */
json_t *cd_json_time(time_t t);

/*
 * The Unicode form of a host name for display, or NULL when it has no
 * IDN label or does not decode (then the A-label form is all there is).
 */
json_t *cd_json_unicode(const char *ace);

/*
 * obj[uni] = the Unicode form of ace, only when ace is an IDN: every
 * field holding a name keeps the A-label form (what is on the wire and
 * in certificates) and gets a sibling named after it plus "_unicode"
 * (CD_K_HOST_UNICODE beside CD_K_HOST).
 */
void cd_json_set_unicode(json_t *obj, enum cd_jkey uni, const char *ace);

#endif
