/*
 * replay.c - main() for a fuzz target built without libFuzzer: run
 * LLVMFuzzerTestOneInput() once on every file named on the command line
 * and on every file under every directory named there (sorted, dot files
 * skipped), and print TAP, "ok N - FILE" per input.  make check builds
 * each tests/fuzz/fuzz_<name>.c with this file and replays its seed
 * corpus, as c-ares does.
 *
 * A target reports a broken invariant by crashing (__builtin_trap), and a
 * sanitizer build dies on its report: either way a "not ok" line naming
 * the input is written first, and the missing plan fails the test.  A
 * seed named bad-* the target's parser did not reject, or good-* it did
 * not accept (FUZZ_VERDICT in fuzz.h), is "not ok" too.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* Optional hooks: libFuzzer's initialiser, and the sanitizers' death
 * callback (present only when linked with ASan/UBSan). */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static int ntests;
static int nfailed;

/* The line to write if the current input kills the process. */
static char crash_line[4200];
static size_t crash_len;

static void
write_crash_line(void)
{
	/* Nothing to do if even this fails: the test fails anyway. */
	if (crash_len > 0 && write(STDOUT_FILENO, crash_line, crash_len) < 0)
		crash_len = 0;
	crash_len = 0;
}

static void
on_signal(int sig)
{
	write_crash_line();
	/* SA_RESETHAND restored the default action: die of the signal. */
	raise(sig);
}

static void
catch_signals(void)
{
	static const int sigs[] = {SIGILL, SIGABRT, SIGFPE, SIGSEGV, SIGBUS};
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		/* Leave a sanitizer's own handler alone: its report is
		 * worth more, and its death callback names the input. */
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_DFL)
			sigaction(sigs[i], &sa, NULL);
	}
	if (__sanitizer_set_death_callback != NULL)
		__sanitizer_set_death_callback(write_crash_line);
}

/* Print path for TAP: one line, no '#' read as a directive. */
static void
put_path(FILE *fp, const char *path)
{
	const unsigned char *p;

	for (p = (const unsigned char *)path; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fprintf(fp, "\\x%02x", *p);
		else if (*p == '#')
			fputs("\\#", fp);
		else
			fputc(*p, fp);
	}
}

static void
result(bool ok, const char *path, const char *why)
{
	ntests++;
	if (!ok)
		nfailed++;
	printf("%sok %d - ", ok ? "" : "not ", ntests);
	put_path(stdout, path);
	if (why != NULL)
		printf(" (%s)", why);
	putchar('\n');
	fflush(stdout);
}

/* Read all of path into a buffer of exactly its size (ASan sees any
 * read past the end).  *buf is NULL-free even for an empty file. */
static int
read_file(const char *path, uint8_t **buf, size_t *len)
{
	FILE *fp;
	uint8_t *b = NULL, *nb;
	size_t n = 0, cap = 0, r;
	int e;

	if ((fp = fopen(path, "rb")) == NULL)
		return errno != 0 ? errno : EIO;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((nb = realloc(b, cap)) == NULL) {
				e = ENOMEM;
				goto fail;
			}
			b = nb;
		}
		if ((r = fread(b + n, 1, cap - n, fp)) == 0)
			break;
		n += r;
	}
	if (ferror(fp)) {
		e = EIO;
		goto fail;
	}
	fclose(fp);
	/* Shrink to the exact size; malloc(0) may return NULL, so keep one
	 * byte for an empty input. */
	if ((nb = malloc(n > 0 ? n : 1)) == NULL) {
		free(b);
		return ENOMEM;
	}
	memcpy(nb, b, n);
	free(b);
	*buf = nb;
	*len = n;
	return 0;
fail:
	free(b);
	fclose(fp);
	return e;
}

static void
replay_file(const char *path)
{
	uint8_t *data = NULL;
	const char *base;
	size_t len = 0;
	int e, n;

	if ((e = read_file(path, &data, &len)) != 0) {
		result(false, path, strerror(e));
		return;
	}
	n = snprintf(crash_line, sizeof(crash_line), "not ok %d - %s "
	    "(crashed: broken invariant or sanitizer report)\n", ntests + 1,
	    path);
	crash_len = n > 0 && (size_t)n < sizeof(crash_line) ? (size_t)n : 0;
	fuzz_verdict = FUZZ_UNJUDGED;
	LLVMFuzzerTestOneInput(data, len);
	crash_len = 0;
	free(data);
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (strncmp(base, "bad-", 4) == 0 && fuzz_verdict != FUZZ_REJECTED)
		result(false, path, fuzz_verdict == FUZZ_UNJUDGED ? "a bad- "
		    "seed, and the target gives no verdict" : "a bad- seed the "
		    "parser accepted");
	else if (strncmp(base, "good-", 5) == 0 &&
	    fuzz_verdict != FUZZ_ACCEPTED)
		result(false, path, fuzz_verdict == FUZZ_UNJUDGED ? "a good- "
		    "seed, and the target gives no verdict" : "a good- seed the "
		    "parser rejected");
	else
		result(true, path, NULL);
}

static int
visible(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static void replay_path(const char *path);

static void
replay_dir(const char *dir)
{
	struct dirent **ents;
	char *sub;
	int i, n;

	if ((n = scandir(dir, &ents, visible, alphasort)) < 0) {
		result(false, dir, strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		if (asprintf(&sub, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ?
		    "" : "/", ents[i]->d_name) < 0)
			result(false, dir, "out of memory");
		else {
			replay_path(sub);
			free(sub);
		}
		free(ents[i]);
	}
	free(ents);
}

static void
replay_path(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		result(false, path, strerror(errno));
	else if (S_ISDIR(st.st_mode))
		replay_dir(path);
	else
		replay_file(path);
}

int
main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	catch_signals();
	for (i = 1; i < argc; i++)
		replay_path(argv[i]);
	/* An empty corpus replays nothing: a packaging mistake. */
	if (ntests == 0)
		result(false, "no input files", NULL);
	printf("1..%d\n", ntests);
	return nfailed > 0;
}
