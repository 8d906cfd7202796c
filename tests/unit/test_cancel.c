/*
 * test_cancel.c - cd_cancel(): a batch starts no target after it, a
 * check writes no token file after it, a network wait ends within
 * CD_CANCEL_POLL_MS, and cd_cancel_cleanup() removes
 * the token files (and the directories made for them) that running
 * checks still hold.  The flag is for the whole process and has no
 * undo, so the order of the steps below matters.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net.h"
#include "tap.h"
#include "timeutil.h"
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

/* A network wait on a socket that never becomes readable, -t 5. */
struct waiter {
	int fd;
	cd_rc rc;
	int64_t ms;
};

static void *
wait_silence(void *arg)
{
	struct waiter *w = arg;
	int64_t t0 = cd_now_ms();

	w->rc = cd_net_wait(w->fd, false, cd_deadline_in(5000), NULL);
	w->ms = cd_now_ms() - t0;
	return NULL;
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
	struct waiter wt = {-1, CD_OK, 0};
	pthread_t th;
	int got = 0, sv[2];
	cd_rc rc;

	if (mkdtemp(dir) == NULL)
		return 1;
	tap_ok(!cd_cancelled(), "not cancelled at start");
	memset(&e, 0, sizeof(e));
	rc = cd_webroot_put(dir, "tok1", "content", &w, &e);
	tap_is_int(rc, CD_OK, "a token written before the cancel");
	tap_ok(exists(dir, ".well-known/acme-challenge/tok1"), "it is on disk");

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return 1;
	wt.fd = sv[0];
	if (pthread_create(&th, NULL, wait_silence, &wt) != 0)
		return 1;
	usleep(200000);

	rc = cd_batch_run(NULL, check, targets, 6, 1, on_report, &got, &e);
	tap_is_int(rc, CD_E_CANCELLED, "the batch ends with CD_E_CANCELLED");
	tap_is_int(ran, 3, "no target started after the cancel");
	tap_ok(cd_cancelled(), "cd_cancelled() says so");
	pthread_join(th, NULL);
	tap_is_int(wt.rc, CD_E_CANCELLED, "a network wait ends with "
	    "CD_E_CANCELLED");
	tap_ok(wt.ms < 600, "within 100 ms of the cancel, not at its 5 s "
	    "deadline (%lld ms after it began, 200 ms before the cancel)",
	    (long long)wt.ms);
	close(sv[0]);
	close(sv[1]);

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
