/*
 * policy.c - --ignore=CODE,... and --severity=CODE:LEVEL,...: parsed
 * once into a table per problem code, looked up as problems are added.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "policy.h"

cd_rc
cd_problem_parse(const char *name, enum cd_prob *out, struct cd_err *err)
{
	const char *id;
	int i;

	for (i = 0; i < CD_P__LAST; i++)
		if ((id = cd_problem_name((enum cd_prob)i)) != NULL &&
		    strcmp(id, name) == 0) {
			*out = (enum cd_prob)i;
			return CD_OK;
		}
	return cd_err_set(err, CD_E_USAGE, "unknown problem code '%s'", name);
}

static cd_rc
level_parse(const char *s, cd_status *out, struct cd_err *err)
{
	static const char *const names[] = {"ok", "warning", "critical"};
	size_t i;

	for (i = 0; i < CD_ARRAY_LEN(names); i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (cd_status)i;
			return CD_OK;
		}
	return cd_err_set(err, CD_E_USAGE, "unknown level '%s': want ok, "
	    "warning or critical", s);
}

/* One list item: "CODE" (ignore) or "CODE:LEVEL" (severity). */
static cd_rc
item(char *tok, bool with_level, struct cd_policy *p, struct cd_err *err)
{
	char *colon = strchr(tok, ':');
	enum cd_prob code;
	cd_status lvl = CD_ST_OK;
	cd_rc rc;

	if (with_level) {
		if (colon == NULL)
			return cd_err_set(err, CD_E_USAGE, "'%s': want "
			    "CODE:LEVEL", tok);
		*colon = '\0';
	}
	if ((rc = cd_problem_parse(tok, &code, err)) != CD_OK)
		return rc;
	if (!with_level) {
		p->ignored[code] = true;
		return CD_OK;
	}
	if ((rc = level_parse(colon + 1, &lvl, err)) != CD_OK)
		return rc;
	p->sev[code] = (int)lvl;
	return CD_OK;
}

static cd_rc
list(const char *s, bool with_level, struct cd_policy *p, struct cd_err *err)
{
	char *copy, *tok, *save = NULL;
	cd_rc rc = CD_OK;

	if (s == NULL)
		return CD_OK;
	if (*s == '\0')
		return cd_err_set(err, CD_E_USAGE, "empty list of problem "
		    "codes");
	if ((copy = strdup(s)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	/* strtok_r would skip an empty item ("a,,b"): a typo, refused. */
	for (tok = copy; rc == CD_OK && tok != NULL; tok = save) {
		if ((save = strchr(tok, ',')) != NULL)
			*save++ = '\0';
		if (*tok == '\0')
			rc = cd_err_set(err, CD_E_USAGE, "empty item in "
			    "'%s'", s);
		else
			rc = item(tok, with_level, p, err);
	}
	free(copy);
	return rc;
}

cd_rc
cd_policy_parse(const char *ignore, const char *severity,
    struct cd_policy *out, struct cd_err *err)
{
	struct cd_policy p;
	size_t i;
	cd_rc rc;

	memset(&p, 0, sizeof(p));
	for (i = 0; i < CD_P__LAST; i++)
		p.sev[i] = CD_SEV_DEFAULT;
	if ((rc = list(ignore, false, &p, err)) != CD_OK ||
	    (rc = list(severity, true, &p, err)) != CD_OK)
		return rc;
	*out = p;
	return CD_OK;
}

cd_rc
cd_policy_check(const char *ignore, const char *severity,
    struct cd_err *err)
{
	struct cd_policy p;

	return cd_policy_parse(ignore, severity, &p, err);
}

void
cd_policy_apply(const struct cd_policy *pol, struct cd_problem *p)
{
	p->severity_default = p->severity;
	p->ignored = false;
	if (pol == NULL || (size_t)p->code >= CD_P__LAST)
		return;
	if (pol->sev[p->code] != CD_SEV_DEFAULT)
		p->severity = (cd_status)pol->sev[p->code];
	p->ignored = pol->ignored[p->code];
}
