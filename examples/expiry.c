/*
 * expiry - days left and chain of local certificate files, the way a
 * deployment script would ask before a reload: one line per file, the
 * status as the exit code (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
 *
 *   expiry [-w DAYS] [-a CAFILE] FILE...
 *
 * -w is certcheck's --warning, -a its --cafile (the trust anchors of a
 * private CA instead of the system store).
 *
 * Only the installed header and pkg-config:
 *   cc -o expiry expiry.c $(pkg-config --cflags --libs certdiag)
 */
#include <certdiag.h>
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	struct cd_opts *o = cd_opts_new();
	struct cd_ctx *ctx = NULL;
	struct cd_report *r;
	struct cd_err e = {0};
	cd_status worst = CD_ST_OK;
	const char *s;
	char path[64];
	double days;
	size_t i, n;
	int a = 1;

	if (o == NULL)
		return 3;
	for (; a + 1 < argc && (strcmp(argv[a], "-w") == 0 ||
	    strcmp(argv[a], "-a") == 0); a += 2)
		/* As certcheck's options: refused in its words. */
		if (cd_opts_set(o, argv[a][1] == 'w' ? CD_OPT_WARNING :
		    CD_OPT_CAFILE, argv[a + 1]) != CD_OK) {
			fprintf(stderr, "expiry: %s\n", cd_opts_error(o));
			cd_opts_free(o);
			return 3;
		}
	if (a >= argc) {
		fprintf(stderr, "usage: expiry [-w DAYS] [-a CAFILE] "
		    "FILE...\n");
		cd_opts_free(o);
		return 3;
	}
	if (cd_global_init(&e) != CD_OK || cd_ctx_new(o, &ctx, &e) != CD_OK) {
		fprintf(stderr, "expiry: %s\n", e.msg);
		cd_opts_free(o);
		return 3;
	}
	cd_opts_free(o);
	for (; a < argc; a++) {
		if (cd_certcheck_file_run(ctx, argv[a], &r, &e) != CD_OK) {
			fprintf(stderr, "expiry: %s: %s\n", argv[a], e.msg);
			worst = cd_status_worst(worst, CD_ST_UNKNOWN);
			continue;
		}
		worst = cd_status_worst(worst, cd_report_status(r));
		printf("%s %s", cd_status_name(cd_report_status(r)), argv[a]);
		if (cd_report_get_number(r, "days_left", &days) == 0)
			printf(": %.1f days left", days);
		n = cd_report_get_count(r, "chain");
		for (i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "chain.%zu.subject", i);
			if ((s = cd_report_get_string(r, path)) != NULL)
				printf("%s %s", i ? " <" : ",", s);
		}
		putchar('\n');
		n = cd_report_get_count(r, "problems");
		for (i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "problems.%zu.code", i);
			printf("  %s", cd_report_get_string(r, path));
			snprintf(path, sizeof(path), "problems.%zu.message", i);
			printf(": %s\n", cd_report_get_string(r, path));
		}
		cd_report_free(r);
	}
	cd_ctx_free(ctx);
	cd_global_cleanup();
	return (int)worst;
}
