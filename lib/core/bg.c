/* bg.c - a thread for one piece of a check, or the caller when none. */
#include "bg.h"

void
cd_bg_run(struct cd_bg *b, void *(*fn)(void *), void *arg)
{
	b->ran = true;
	b->started = pthread_create(&b->t, NULL, fn, arg) == 0;
	if (!b->started)
		fn(arg);
}

void
cd_bg_wait(struct cd_bg *b)
{
	if (b->started)
		pthread_join(b->t, NULL);
	b->started = false;
}
