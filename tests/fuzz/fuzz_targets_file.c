/*
 * fuzz_targets_file.c - the targets file of -f (tools/cli.c,
 * cli_read_targets()): the input is written to a memory file and read
 * back through its /proc/self/fd path, exactly as the tools read a file.
 * tools/cli.c (and cli_signals.c, cli_plugin.c and cli_list.c, which it
 * calls) is included rather than linked so that scripts/fuzz.sh, which builds a target from one
 * source file and the library, builds this one the same way.
 *
 * Invariants: every target is non-empty, has no '#', no line break, no
 * NUL, and no space, tab or CR at either end; there are no more targets
 * than lines; and reading the targets back, one per line, gives the same
 * list (the cleaned form is a fixed point).
 */
#include <sys/mman.h>

#include "../../tools/cli.c"
#include "../../tools/cli_signals.c"
#include "../../tools/cli_plugin.c"
#include "../../tools/cli_list.c"
#include "fuzz.h"

/* The input in a memory file; its path into path.  -1 on failure. */
static int
memfile(const uint8_t *data, size_t size, char *path, size_t len)
{
	int fd = memfd_create("targets", 0);
	size_t off = 0;
	ssize_t n;

	if (fd == -1)
		return -1;
	while (off < size) {
		if ((n = write(fd, data + off, size - off)) <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

static bool
clean(const char *t)
{
	size_t n = strlen(t);

	return n > 0 && strpbrk(t, "#\n") == NULL &&
	    strchr(" \t\r", t[0]) == NULL && strchr(" \t\r", t[n - 1]) == NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cli c, again;
	char path[64], *list = NULL;
	size_t i, lines = 1, listlen = 0;
	FILE *m;
	int fd;

	memset(&c, 0, sizeof(c));
	c.prog = "fuzz_targets_file";
	if ((fd = memfile(data, size, path, sizeof(path))) == -1)
		return 0;
	cli_read_targets(&c, path);
	close(fd);
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	FUZZ_ASSERT(c.ntargets <= lines);
	if ((m = open_memstream(&list, &listlen)) == NULL)
		goto out;
	for (i = 0; i < c.ntargets; i++) {
		FUZZ_ASSERT(clean(c.targets[i]));
		fprintf(m, "%s\n", c.targets[i]);
	}
	fclose(m);
	memset(&again, 0, sizeof(again));
	again.prog = c.prog;
	if ((fd = memfile((const uint8_t *)list, listlen, path,
	    sizeof(path))) != -1) {
		cli_read_targets(&again, path);
		close(fd);
		FUZZ_ASSERT(again.ntargets == c.ntargets);
		for (i = 0; i < c.ntargets; i++)
			FUZZ_ASSERT(strcmp(again.targets[i], c.targets[i]) == 0);
		cli_free(&again);
	}
	free(list);
out:
	cli_free(&c);
	return 0;
}
