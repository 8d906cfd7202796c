/*
 * h01_locale - a program linking libcertdiag that does what most such
 * programs do first: setlocale(LC_ALL, "").  Under a UTF-8 locale,
 * libcurl's own IDN conversion works, so a redirect host the library
 * judged and pinned in another form than libcurl fetches would be
 * resolved by libcurl with the system resolver.  Runs http01check's
 * check on one name in lab mode and prints the report as JSON.
 *
 * usage: h01_locale DNS-SERVER TOKEN NAME
 */
#include <locale.h>
#include <stdio.h>

#include "certdiag.h"

int
main(int argc, char **argv)
{
	struct cd_opts *o = NULL;
	struct cd_ctx *ctx = NULL;
	struct cd_report *r = NULL;
	struct cd_err e;
	int rc = 3;

	if (argc != 4) {
		fprintf(stderr, "usage: h01_locale DNS-SERVER TOKEN NAME\n");
		return 3;
	}
	setlocale(LC_ALL, "");
	if (cd_global_init(&e) != CD_OK)
		goto out;
	if ((o = cd_opts_new()) == NULL ||
	    cd_opts_set(o, CD_OPT_DNS_SERVER, argv[1]) != CD_OK ||
	    cd_opts_set(o, CD_OPT_TOKEN, argv[2]) != CD_OK ||
	    cd_opts_set(o, CD_OPT_ALLOW_RESERVED, NULL) != CD_OK ||
	    cd_opts_set(o, CD_OPT_TIMEOUT, "5") != CD_OK) {
		snprintf(e.msg, sizeof(e.msg), "%s", o ? cd_opts_error(o) :
		    "out of memory");
		goto out;
	}
	if (cd_ctx_new(o, &ctx, &e) != CD_OK ||
	    cd_http01check_run(ctx, argv[3], &r, &e) != CD_OK ||
	    cd_fmt_write_one(CD_FMT_JSON, r, stdout, 0, &e) != CD_OK)
		goto out;
	rc = (int)cd_report_status(r);
out:
	if (rc == 3)
		fprintf(stderr, "h01_locale: %s\n", e.msg);
	cd_report_free(r);
	cd_ctx_free(ctx);
	cd_opts_free(o);
	cd_global_cleanup();
	return rc;
}
