/*
 * jsonutil.h - jansson helpers.  Untrusted strings that are not valid
 * UTF-8 (jansson rejects those) fall back to their escaped form, so no
 * certificate or DNS answer can make us drop a field or a whole report.
 */
#ifndef CD_JSONUTIL_H
#define CD_JSONUTIL_H

#include <jansson.h>

#include "cd_internal.h"

/* A new JSON string for s (NULL gives JSON null). */
json_t *cd_json_str(const char *s);

/* obj[key] = value, stealing value; false on failure (value freed). */
bool cd_json_set(json_t *obj, const char *key, json_t *value);

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
 * obj[key "_unicode"] = the Unicode form of ace, only when ace is an
 * IDN: every field holding a name keeps the A-label form (what is on
 * the wire and in certificates) and gets this sibling.
 */
void cd_json_set_unicode(json_t *obj, const char *key, const char *ace);

#endif
