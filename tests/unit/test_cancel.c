/*
 * test_cancel.c - cd_cancel(): a batch starts no target after it, a
 * check writes no token file after it, and cd_cancel_cleanup() removes
 * the token files (and the directories made for them) that running
 * checks still hold.  The flag is for the whole process and has no
 * undo, so the order of the steps below matters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "webroot.h"

static int ran;

/* A check that cancels the run while it is the third one. */
static cd_rc
check(const struct cd_ctx *ctx, const char *target, struct cd_report **out,
    struct cd_err *err)
{
	(void)ctx;
	(void)target;
	(void)err;
	if (++ran == 3)
		cd_cancel();
	*out = NULL;
	return CD_OK;
}

static void
on_report(void *arg, size_t index, struct cd_report *r)
{
	(void)index;
	(void)r;
	(*(int *)arg)++;
}

static bool
exists(const char *dir, const char *rel)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	return lstat(p, &st) == 0;
}

int
main(void)
{
	static const char *const targets[] = {"a", "b", "c", "d", "e", "f"};
	char dir[] = "/tmp/test_cancel.XXXXXX";
	struct cd_webroot *w = NULL, *w2 = NULL;
	struct cd_err e;
	int got = 0;
	cd_rc rc;

	if (mkdtemp(dir) == NULL)
		return 1;
	tap_ok(!cd_cancelled(), "not cancelled at start");
	memset(&e, 0, sizeof(e));
	rc = cd_webroot_put(dir, "tok1", "content", &w, &e);
	tap_is_int(rc, CD_OK, "a token written before the cancel");
	tap_ok(exists(dir, ".well-known/acme-challenge/tok1"), "it is on disk");

	rc = cd_batch_run(NULL, check, targets, 6, 1, on_report, &got, &e);
	tap_is_int(rc, CD_E_CANCELLED, "the batch ends with CD_E_CANCELLED");
	tap_is_int(ran, 3, "no target started after the cancel");
	tap_ok(cd_cancelled(), "cd_cancelled() says so");

	rc = cd_webroot_put(dir, "tok2", "content", &w2, &e);
	tap_is_int(rc, CD_E_CANCELLED, "no token written after the cancel");
	tap_ok(!exists(dir, ".well-known/acme-challenge/tok2"), "tok2 is not "
	    "on disk");

	cd_cancel_cleanup();
	tap_ok(!exists(dir, ".well-known"), "cd_cancel_cleanup: the token and "
	    "the directories made for it are gone at once");
	cd_webroot_remove(w);
	tap_ok(!exists(dir, ".well-known"), "the check's own remove() after "
	    "that is harmless");
	rmdir(dir);
	return tap_done();
}
