/*
 * test_goquote.c - cd_go_quote() against Go's strconv.Quote: the table
 * of Go's own strconv/quote_test.go (quotetests, the Quote column) as
 * data, then what a challenge body or a record brings and the CA shows:
 * a byte-order mark, no-break and zero-width spaces, C1 and bidi
 * controls, NUL, invalid and cut-short UTF-8 beside valid UTF-8, and a
 * cut inside a rune.  The expected strings are Go's output (fmt %q).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "tap.h"

static void
is_quoted(const char *in, size_t len, size_t max, const char *want,
    const char *what)
{
	char *got = cd_go_quote(in, len, max);

	tap_is_str(got, want, "%s", what);
	free(got);
}

#define Q(in, want, what) is_quoted(in, sizeof(in) - 1, SIZE_MAX, want, what)

static void
test_go_table(void)
{
	Q("\a\b\f\r\n\t\v", "\"\\a\\b\\f\\r\\n\\t\\v\"", "Go: the named escapes");
	Q("\\", "\"\\\\\"", "Go: backslash");
	Q("abc\xff" "def", "\"abc\\xffdef\"", "Go: an invalid byte");
	Q("\xe2\x98\xba", "\"\xe2\x98\xba\"", "Go: U+263A printable, kept");
	Q("\xf4\x8f\xbf\xbf", "\"\\U0010ffff\"", "Go: U+10FFFF, \\U");
	Q("\x04", "\"\\x04\"", "Go: a control below space");
	Q("!\xc2\xa0!\xe2\x80\x80!\xe3\x80\x80!",
	    "\"!\\u00a0!\\u2000!\\u3000!\"", "Go: spaces other than U+0020");
	Q("\x7f", "\"\\x7f\"", "Go: DEL");
}

static void
test_peer_text(void)
{
	/* Notepad's UTF-8: the token file starts with a byte-order mark. */
	Q("\xef\xbb\xbftok.thumb", "\"\\ufefftok.thumb\"",
	    "a byte-order mark is \\ufeff, not invisible");
	Q("tok\xe2\x80\x8b.thumb", "\"tok\\u200b.thumb\"",
	    "a zero-width space is \\u200b");
	Q("a\xc2\x85z", "\"a\\u0085z\"", "a C1 control is \\u0085");
	Q("\xe2\x80\xaemoc.elgoog", "\"\\u202emoc.elgoog\"",
	    "a bidi override is \\u202e");
	Q("\"q\" \xc3\xa9t\xc3\xa9", "\"\\\"q\\\" \xc3\xa9t\xc3\xa9\"",
	    "quotes backslashed, accented letters and the space kept");
	Q("a\0b", "\"a\\x00b\"", "NUL inside is \\x00");
	Q("\xc3\xa9\xc3(\xe2\x82", "\"\xc3\xa9\\xc3(\\xe2\\x82\"",
	    "valid UTF-8 kept beside invalid and cut-short bytes");
	Q("\xed\xa0\x80", "\"\\xed\\xa0\\x80\"",
	    "an encoded surrogate is three invalid bytes");
	Q("\xc0\xaf", "\"\\xc0\\xaf\"", "an overlong form is invalid bytes");
	Q("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"",
	    "an emoji (So) is printable, kept");
	Q("", "\"\"", "empty");
	/* The CA cuts a body at 128 bytes, inside a rune if it falls so. */
	is_quoted("ab\xc3\xa9", 3, SIZE_MAX, "\"ab\\xc3\"",
	    "a rune cut by the length is an invalid byte");
	is_quoted("abcdef", 6, 3, "\"abc...\"",
	    "a cut at max: the dots inside the quotes");
	is_quoted("ab\xc3\xa9z", 5, 3, "\"ab\\xc3...\"",
	    "a cut at max inside a rune");
}

int
main(void)
{
	test_go_table();
	test_peer_text();
	return tap_done();
}
