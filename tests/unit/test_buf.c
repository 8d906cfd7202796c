/*
 * test_buf.c - the capped buffer: growth, the hard cap (an add that
 * would pass it fails with CD_E_PARSE and frees the buffer), formatted
 * adds past the 256-byte fast path, and cd_buf_take.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tap.h"

static void
test_growth(void)
{
	struct cd_buf b;
	char want[10001];
	size_t i;
	bool ok = true;

	cd_buf_init(&b, 1 << 20);
	tap_ok(b.data == NULL && b.len == 0, "a new buffer is empty");
	for (i = 0; i < 1000 && ok; i++)
		ok = cd_buf_add(&b, "0123456789", 10) == CD_OK;
	tap_ok(ok, "1000 adds of 10 bytes succeed");
	tap_is_int((long long)b.len, 10000, "length is 10000");
	for (i = 0; i < 10000; i++)
		want[i] = (char)('0' + i % 10);
	want[10000] = '\0';
	tap_ok(b.data != NULL && memcmp(b.data, want, 10001) == 0,
	    "content is the adds in order, NUL-terminated");
	tap_ok(b.cap > b.len, "room for the terminating NUL");
	tap_is_int(cd_buf_add(&b, "", 0), CD_OK, "an empty add succeeds");
	tap_is_int((long long)b.len, 10000, "and changes nothing");
	cd_buf_free(&b);
	tap_ok(b.data == NULL && b.len == 0, "free empties the buffer");
	cd_buf_free(&b);
	tap_ok(b.data == NULL && b.len == 0 && b.cap == 0,
	    "a second free is harmless: the buffer stays empty");
}

static void
test_cap(void)
{
	struct cd_buf b;

	cd_buf_init(&b, 10);
	tap_is_int(cd_buf_add(&b, "12345", 5), CD_OK, "5 of 10 bytes");
	tap_is_int(cd_buf_add(&b, "67890", 5), CD_OK,
	    "exactly up to the cap");
	tap_is_str(b.data, "1234567890", "content at the cap");
	tap_is_int(cd_buf_add(&b, "", 0), CD_OK, "an empty add at the cap");
	tap_is_int(cd_buf_add(&b, "x", 1), CD_E_PARSE,
	    "one byte past the cap fails with CD_E_PARSE");
	tap_ok(b.data == NULL && b.len == 0 && b.cap == 0,
	    "the failed buffer is freed and empty");
	tap_is_int(cd_buf_add(&b, "abc", 3), CD_OK,
	    "the buffer can be used again");
	tap_is_str(b.data, "abc", "with only the new content");
	cd_buf_free(&b);

	/* One add larger than the cap, on an empty buffer. */
	cd_buf_init(&b, 4);
	tap_is_int(cd_buf_add(&b, "12345", 5), CD_E_PARSE,
	    "a single add past the cap fails");
	tap_ok(b.data == NULL && b.len == 0, "and leaves the buffer empty");
	cd_buf_free(&b);

	/* A huge n must not wrap around the arithmetic. */
	cd_buf_init(&b, 100);
	tap_is_int(cd_buf_add(&b, "ab", 2), CD_OK, "2 bytes");
	tap_is_int(cd_buf_add(&b, "x", SIZE_MAX), CD_E_PARSE,
	    "n = SIZE_MAX fails without overflow");
	tap_ok(b.data == NULL && b.len == 0, "and frees the buffer");
	cd_buf_free(&b);

	cd_buf_init(&b, 0);
	tap_is_int(cd_buf_add(&b, "x", 1), CD_E_PARSE,
	    "a cap of 0 refuses any byte");
	cd_buf_free(&b);
}

static void
test_addf(void)
{
	struct cd_buf b;
	char want[1001];
	char *s;

	cd_buf_init(&b, 4096);
	tap_is_int(cd_buf_addf(&b, "%s:%u", "127.0.0.1", 53u), CD_OK,
	    "a short formatted add");
	tap_is_str(b.data, "127.0.0.1:53", "short formatted content");
	memset(want, 'y', 1000);
	want[1000] = '\0';
	tap_is_int(cd_buf_addf(&b, ",%s", want), CD_OK,
	    "a formatted add of 1001 bytes (past the 256-byte fast path)");
	tap_is_int((long long)b.len, 12 + 1001, "length after the long add");
	tap_ok(b.data != NULL && strncmp(b.data, "127.0.0.1:53,", 13) == 0 &&
	    strcmp(b.data + 13, want) == 0, "long formatted content");
	cd_buf_free(&b);

	/* Exactly 255 and 256 bytes: either side of the fast path. */
	cd_buf_init(&b, 4096);
	tap_is_int(cd_buf_addf(&b, "%.*s", 255, want), CD_OK, "255 bytes");
	tap_is_int(cd_buf_addf(&b, "%.*s", 256, want), CD_OK, "256 bytes");
	tap_is_int((long long)b.len, 511, "511 bytes in all");
	tap_ok(b.data != NULL && strlen(b.data) == 511,
	    "content of 511 bytes");
	cd_buf_free(&b);

	/* The cap holds for formatted adds, long and short. */
	cd_buf_init(&b, 300);
	tap_is_int(cd_buf_addf(&b, "%s", want), CD_E_PARSE,
	    "a long formatted add past the cap fails");
	tap_ok(b.data == NULL && b.len == 0, "and frees the buffer");
	tap_is_int(cd_buf_addf(&b, "%.*s", 200, want), CD_OK, "200 bytes");
	tap_is_int(cd_buf_addf(&b, "%.*s", 101, want), CD_E_PARSE,
	    "a short formatted add past the cap fails");
	tap_ok(b.data == NULL && b.len == 0, "and frees the buffer");
	cd_buf_free(&b);

	cd_buf_init(&b, 100);
	tap_is_int(cd_buf_addf(&b, "%s", ""), CD_OK, "an empty format");
	s = cd_buf_take(&b);
	tap_is_str(s, "", "gives an empty string");
	free(s);
}

static void
test_take(void)
{
	struct cd_buf b;
	char *s;

	cd_buf_init(&b, 100);
	s = cd_buf_take(&b);
	tap_is_str(s, "", "take of an empty buffer gives \"\"");
	free(s);
	cd_buf_add(&b, "hello", 5);
	s = cd_buf_take(&b);
	tap_is_str(s, "hello", "take hands the content over");
	tap_ok(b.data == NULL && b.len == 0 && b.cap == 0,
	    "and resets the buffer");
	tap_is_int(cd_buf_add(&b, "again", 5), CD_OK,
	    "the buffer is usable after take");
	tap_is_str(b.data, "again", "with only the new content");
	tap_is_str(s, "hello", "the taken string is unchanged");
	free(s);
	cd_buf_free(&b);
}

/* A set of answers reads the same whatever order it came in. */
static void
test_join_sorted(void)
{
	char a[] = "b", b[] = "a", c[] = "c";
	char *v[] = {a, b, c}, *w[] = {a, NULL}, *s;

	s = cd_join_sorted(v, 3);
	tap_is_str(s, "a, b, c", "join_sorted: sorted, comma-separated");
	free(s);
	s = cd_join_sorted(v, 0);
	tap_is_str(s, "", "join_sorted: none is empty");
	free(s);
	tap_ok(cd_join_sorted(w, 2) == NULL, "join_sorted: a NULL string "
	    "(a failed allocation) fails the join");
}

int
main(void)
{
	test_growth();
	test_cap();
	test_addf();
	test_take();
	test_join_sorted();
	return tap_done();
}
