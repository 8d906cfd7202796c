/*
 * caa - would Let's Encrypt (or --ca ISSUER) be allowed to issue for each
 * domain, as its CAA check decides?  One line per domain with the
 * verdict and, when refused, the CA's reason.
 *
 *   caa [--OPTION=VALUE...] DOMAIN...
 *
 * Any option of caacheck, spelt as on its command line, goes to the
 * library by name (cd_opt_lookup, cd_opts_set): --dns-server=127.0.0.1,
 * --method=dns-01, --account-uri=..., --ca=...
 *
 *   cc -o caa caa.c $(pkg-config --cflags --libs certdiag)
 */
#include <certdiag.h>
#include <stdio.h>
#include <string.h>

/* "--name=value" or "--flag" into the options; false when refused. */
static int
option(struct cd_opts *o, const char *arg)
{
	char name[64];
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	enum cd_opt opt;

	if (len - 2 >= sizeof(name)) {
		fprintf(stderr, "caa: unknown option %s\n", arg);
		return 0;
	}
	memcpy(name, arg + 2, len - 2);
	name[len - 2] = '\0';
	if (cd_opt_lookup(name, &opt) != CD_OK) {
		fprintf(stderr, "caa: unknown option %s\n", arg);
		return 0;
	}
	if (cd_opts_set(o, opt, eq ? eq + 1 : NULL) != CD_OK) {
		fprintf(stderr, "caa: %s\n", cd_opts_error(o));
		return 0;
	}
	return 1;
}

int
main(int argc, char **argv)
{
	struct cd_opts *o = cd_opts_new();
	struct cd_ctx *ctx = NULL;
	struct cd_report *r;
	struct cd_err e = {0};
	cd_status worst = CD_ST_OK;
	const char *verdict, *reason;
	int a;

	if (o == NULL)
		return 3;
	for (a = 1; a < argc && strncmp(argv[a], "--", 2) == 0; a++)
		if (!option(o, argv[a])) {
			cd_opts_free(o);
			return 3;
		}
	if (a >= argc || cd_global_init(&e) != CD_OK ||
	    cd_ctx_new(o, &ctx, &e) != CD_OK) {
		fprintf(stderr, "caa: %s\n", a >= argc ? "usage: caa "
		    "[--OPTION=VALUE...] DOMAIN..." : e.msg);
		cd_opts_free(o);
		return 3;
	}
	cd_opts_free(o);
	for (; a < argc; a++) {
		if (cd_caacheck_run(ctx, argv[a], &r, &e) != CD_OK) {
			fprintf(stderr, "caa: %s: %s\n", argv[a], e.msg);
			worst = cd_status_worst(worst, CD_ST_UNKNOWN);
			continue;
		}
		worst = cd_status_worst(worst, cd_report_status(r));
		verdict = cd_report_get_string(r, "verdict");
		reason = cd_report_get_string(r, "problems.0.message");
		printf("%s: %s%s%s\n", argv[a], verdict ? verdict : "?",
		    reason && verdict && strcmp(verdict, "allowed") != 0 ?
		    ": " : "", reason && verdict && strcmp(verdict,
		    "allowed") != 0 ? reason : "");
		cd_report_free(r);
	}
	cd_ctx_free(ctx);
	cd_global_cleanup();
	return (int)worst;
}
