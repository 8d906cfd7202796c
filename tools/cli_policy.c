/*
 * cli_policy.c - --ignore and --severity, shared by every tool: each
 * occurrence adds to the list (an Icinga service may pass one from a
 * template and one of its own), checked at once so a typo in a code is
 * a usage error before any traffic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void
cli_policy_opt(struct cli *c, bool severity, const char *arg)
{
	char **list = &c->policy_lists[severity ? 1 : 0], *n = NULL;
	struct cd_err e;

	if (cd_policy_check(severity ? NULL : arg, severity ? arg : NULL,
	    &e) != CD_OK)
		cli_usage_error(c, "--%s: %s", severity ? "severity" :
		    "ignore", e.msg);
	if (asprintf(&n, "%s%s%s", *list ? *list : "", *list ? "," : "",
	    arg) < 0)
		cli_usage_error(c, "out of memory");
	free(*list);
	*list = n;
	c->o.ignore = c->policy_lists[0];
	c->o.severity = c->policy_lists[1];
}
