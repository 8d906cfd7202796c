/*
 * cli_signals.c - what a terminating signal does to a tool: no new work,
 * the token files of --webroot removed at once, and death by that very
 * signal, so the parent sees the conventional status (128+n).
 *
 * Removing files takes the library's lock, which a signal handler must
 * not touch; so the signals are blocked in every thread and one thread
 * of ours sigwait()s for them, then acts in an ordinary context.  A
 * signal ignored when we started (nohup, a background job's SIGINT)
 * stays ignored: whoever started us asked for that.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Every signal whose default action ends the process and that a user
 * or the system sends on purpose (SIGPIPE: our reader went away). */
static const int term_sigs[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGALRM, SIGUSR1, SIGUSR2, SIGPIPE
};

static sigset_t caught;

void
cli_die_of(int sig)
{
	static pthread_mutex_t once = PTHREAD_MUTEX_INITIALIZER;
	struct sigaction sa;
	sigset_t one;

	/* The first signal wins; another caller waits here for the end. */
	pthread_mutex_lock(&once);
	cd_cancel();
	cd_cancel_cleanup();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	pthread_kill(pthread_self(), sig);
	pthread_sigmask(SIG_UNBLOCK, &one, NULL);
	/* Only if the signal could not end us (it always should). */
	_exit(128 + sig);
}

static void *
waiter(void *arg)
{
	int sig;

	(void)arg;
	for (;;)
		if (sigwait(&caught, &sig) == 0)
			cli_die_of(sig);
}

void
cli_signals_start(void)
{
	struct sigaction old;
	pthread_t th;
	size_t i;

	sigemptyset(&caught);
	for (i = 0; i < sizeof(term_sigs) / sizeof(term_sigs[0]); i++)
		if (sigaction(term_sigs[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_IGN)
			sigaddset(&caught, term_sigs[i]);
	/* Before any other thread exists: they all inherit the mask. */
	pthread_sigmask(SIG_BLOCK, &caught, NULL);
	if (pthread_create(&th, NULL, waiter, NULL) != 0) {
		/* No thread: the signals act as they would have. */
		pthread_sigmask(SIG_UNBLOCK, &caught, NULL);
		return;
	}
	pthread_detach(th);
}

void
cli_write_failed(void)
{
	/*
	 * Writing to a pipe nobody reads raised SIGPIPE in this thread,
	 * where it waits, blocked: act on it as on any other signal.
	 */
	if (errno == EPIPE && sigismember(&caught, SIGPIPE) == 1)
		cli_die_of(SIGPIPE);
}
