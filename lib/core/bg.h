/*
 * bg.h - run a piece of a check beside the rest: the CA's view, the
 * user's resolver and the nameserver probe ask at the same time, so a
 * check costs its slowest part, not their sum.
 */
#ifndef CD_BG_H
#define CD_BG_H

#include <pthread.h>
#include <stdbool.h>

struct cd_bg {
	pthread_t t;
	bool started;
	bool ran;		/* fn ran (in a thread or here) */
};

/*
 * fn(arg) in a thread of its own, or here and now when no thread can be
 * made (the work is done either way, only slower).
 */
void cd_bg_run(struct cd_bg *b, void *(*fn)(void *), void *arg);

/* Wait for it; a cd_bg never run returns at once. */
void cd_bg_wait(struct cd_bg *b);

#endif
