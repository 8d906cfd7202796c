/*
 * test_escape.c - display-safe copies of untrusted bytes: valid UTF-8
 * stays, control bytes, DEL, C1 controls, bidirectional controls and
 * invalid UTF-8 become \xHH, a backslash becomes \\ so the escaped form
 * is unambiguous.
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "tap.h"

/* A byte string with its length (it may hold NUL). */
#define S(lit) lit, sizeof(lit) - 1

static const struct {
	const char *name;
	const char *in;
	size_t len;
	const char *want;
} escape_cases[] = {
	{"empty", S(""), ""},
	{"plain ASCII", S("www.example.com"), "www.example.com"},
	{"printable punctuation", S("CN=a b, O=\"x\" ~!@#$%^&*()"),
	    "CN=a b, O=\"x\" ~!@#$%^&*()"},
	{"Hangul", S("테스트.한국"), "테스트.한국"},
	{"Latin-1 letters", S("caf\xc3\xa9"), "caf\xc3\xa9"},
	{"U+00A0 (first after C1)", S("\xc2\xa0"), "\xc2\xa0"},
	{"U+07FF (last 2-byte)", S("\xdf\xbf"), "\xdf\xbf"},
	{"U+0800 (first 3-byte)", S("\xe0\xa0\x80"), "\xe0\xa0\x80"},
	{"U+D7FF (before surrogates)", S("\xed\x9f\xbf"), "\xed\x9f\xbf"},
	{"U+E000 (after surrogates)", S("\xee\x80\x80"), "\xee\x80\x80"},
	{"U+FFFD", S("\xef\xbf\xbd"), "\xef\xbf\xbd"},
	{"emoji (4-byte)", S("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80"},
	{"U+10FFFF (last)", S("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf"},
	{"ESC sequence", S("\x1b[31mred"), "\\x1b[31mred"},
	{"NUL inside", S("a\0b"), "a\\x00b"},
	{"NUL at the end", S("ab\0"), "ab\\x00"},
	{"newline and CR", S("a\nb\rc"), "a\\x0ab\\x0dc"},
	{"tab", S("a\tb"), "a\\x09b"},
	{"BEL and BS", S("\x07\x08"), "\\x07\\x08"},
	{"0x1f", S("\x1f"), "\\x1f"},
	{"space is kept", S(" "), " "},
	{"DEL", S("a\x7f"), "a\\x7f"},
	{"backslash", S("a\\b"), "a\\\\b"},
	{"backslash before x1b", S("\\x1b"), "\\\\x1b"},
	{"lone 0xff", S("a\xff" "b"), "a\\xffb"},
	{"lone 0xfe", S("\xfe"), "\\xfe"},
	{"lone continuation 0x80", S("\x80"), "\\x80"},
	{"8-bit CSI 0x9b", S("\x9b" "31m"), "\\x9b31m"},
	{"truncated 3-byte at end", S("\xe2\x82"), "\\xe2\\x82"},
	{"truncated 3-byte before ASCII", S("\xe2\x82" "A"), "\\xe2\\x82A"},
	{"truncated 4-byte", S("\xf0\x9f\x98"), "\\xf0\\x9f\\x98"},
	{"2-byte lead then ASCII", S("\xc3" "A"), "\\xc3A"},
	{"overlong slash c0 af", S("\xc0\xaf"), "\\xc0\\xaf"},
	{"overlong c1 bf", S("\xc1\xbf"), "\\xc1\\xbf"},
	{"overlong 3-byte e0 80 af", S("\xe0\x80\xaf"), "\\xe0\\x80\\xaf"},
	{"overlong 4-byte f0 80 80 af", S("\xf0\x80\x80\xaf"),
	    "\\xf0\\x80\\x80\\xaf"},
	{"surrogate ed a0 80", S("\xed\xa0\x80"), "\\xed\\xa0\\x80"},
	{"surrogate ed bf bf", S("\xed\xbf\xbf"), "\\xed\\xbf\\xbf"},
	{"past U+10FFFF f4 90 80 80", S("\xf4\x90\x80\x80"),
	    "\\xf4\\x90\\x80\\x80"},
	{"f5 lead", S("\xf5\x80\x80\x80"), "\\xf5\\x80\\x80\\x80"},
	{"C1 NEL U+0085", S("\xc2\x85"), "\\xc2\\x85"},
	{"C1 CSI U+009B", S("\xc2\x9b[31m"), "\\xc2\\x9b[31m"},
	{"C1 U+0080", S("\xc2\x80"), "\\xc2\\x80"},
	{"C1 U+009F", S("\xc2\x9f"), "\\xc2\\x9f"},
	{"valid after invalid", S("\xff\xc3\xa9"), "\\xff\xc3\xa9"},
	/* Bidirectional controls reorder the text around them on screen. */
	{"RLO U+202E", S("moc.\xe2\x80\xae" "elgoog"),
	    "moc.\\xe2\\x80\\xaeelgoog"},
	{"LRE U+202A", S("\xe2\x80\xaa"), "\\xe2\\x80\\xaa"},
	{"PDF U+202C", S("\xe2\x80\xac"), "\\xe2\\x80\\xac"},
	{"LRM U+200E", S("\xe2\x80\x8e"), "\\xe2\\x80\\x8e"},
	{"RLM U+200F", S("\xe2\x80\x8f"), "\\xe2\\x80\\x8f"},
	{"LRI U+2066", S("\xe2\x81\xa6"), "\\xe2\\x81\\xa6"},
	{"PDI U+2069", S("\xe2\x81\xa9"), "\\xe2\\x81\\xa9"},
	{"ALM U+061C", S("\xd8\x9c"), "\\xd8\\x9c"},
	{"U+200D (ZWJ, in emoji) kept", S("\xe2\x80\x8d"), "\xe2\x80\x8d"},
	{"U+202F (after RLO) kept", S("\xe2\x80\xaf"), "\xe2\x80\xaf"},
	{"U+2065 (before LRI) kept", S("\xe2\x81\xa5"), "\xe2\x81\xa5"},
	{"U+061B (before ALM) kept", S("\xd8\x9b"), "\xd8\x9b"},
};

static void
test_escape(void)
{
	char *got;
	size_t i;

	for (i = 0; i < sizeof(escape_cases) / sizeof(*escape_cases); i++) {
		got = cd_escape(escape_cases[i].in, escape_cases[i].len);
		tap_is_str(got, escape_cases[i].want, "escape: %s",
		    escape_cases[i].name);
		free(got);
	}
	/* The display form (public: the tools' messages) does the same,
	 * but keeps backslashes. */
	got = cd_escape_display(S("a\\b\xe2\x80\xae\xc2\x9b\x1b"));
	tap_is_str(got, "a\\b\\xe2\\x80\\xae\\xc2\\x9b\\x1b", "escape_display: "
	    "backslash kept; RLO, C1 CSI and ESC escaped");
	free(got);
}

/* Every byte value alone: only printable ASCII but '\' passes as is. */
static void
test_escape_all_bytes(void)
{
	char in[1], want[8], *got;
	int c, bad = 0;

	for (c = 0; c < 256; c++) {
		in[0] = (char)c;
		if (c >= 0x20 && c < 0x7f && c != '\\')
			snprintf(want, sizeof(want), "%c", c);
		else if (c == '\\')
			snprintf(want, sizeof(want), "\\\\");
		else
			snprintf(want, sizeof(want), "\\x%02x", c);
		got = cd_escape(in, 1);
		if (got == NULL || strcmp(got, want) != 0) {
			tap_diag("byte 0x%02x: got \"%s\", want \"%s\"", c,
			    got ? got : "(null)", want);
			bad++;
		}
		free(got);
	}
	tap_is_int(bad, 0, "each of the 256 single bytes escapes right");
}

/* The output never holds a control byte, whatever the input. */
static void
test_escape_no_controls(void)
{
	unsigned char in[512];
	char *got;
	const unsigned char *p;
	size_t i;
	bool clean = true, valid;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 37 + (i >> 3));
	got = cd_escape((const char *)in, sizeof(in));
	if (!tap_ok(got != NULL, "escape of 512 mixed bytes"))
		return;
	for (p = (const unsigned char *)got; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			clean = false;
	tap_ok(clean, "no control byte in the escaped form");
	valid = cd_utf8_valid(got, strlen(got));
	tap_ok(valid, "the escaped form is valid UTF-8");
	free(got);
}

static const struct {
	const char *name;
	const char *in;
	size_t len;
	bool valid;
} utf8_cases[] = {
	{"empty", S(""), true},
	{"ASCII", S("example.com"), true},
	{"ASCII controls", S("a\x1b[31m\n"), true},
	{"Hangul", S("테스트.한국"), true},
	{"emoji", S("\xf0\x9f\x98\x80"), true},
	{"U+10FFFF", S("\xf4\x8f\xbf\xbf"), true},
	{"U+00A0", S("\xc2\xa0"), true},
	{"NUL", S("a\0b"), false},
	{"lone 0xff", S("\xff"), false},
	{"lone continuation", S("\x80"), false},
	{"truncated", S("\xe2\x82"), false},
	{"truncated 4-byte", S("\xf0\x9f\x98"), false},
	{"overlong c0 af", S("\xc0\xaf"), false},
	{"overlong e0 80 af", S("\xe0\x80\xaf"), false},
	{"surrogate", S("\xed\xa0\x80"), false},
	{"past U+10FFFF", S("\xf4\x90\x80\x80"), false},
	{"bad continuation", S("\xc3\x28"), false},
	/* C1 controls are refused too: they act as escapes on terminals. */
	{"C1 U+0085", S("\xc2\x85"), false},
	{"C1 U+009B", S("\xc2\x9b"), false},
	/* So are bidirectional controls: they reorder what is shown. */
	{"RLO U+202E", S("a\xe2\x80\xae"), false},
	{"RLI U+2067", S("\xe2\x81\xa7"), false},
	{"ALM U+061C", S("\xd8\x9c"), false},
};

static void
test_utf8_valid(void)
{
	size_t i;

	for (i = 0; i < sizeof(utf8_cases) / sizeof(*utf8_cases); i++)
		tap_is_int(cd_utf8_valid(utf8_cases[i].in, utf8_cases[i].len),
		    utf8_cases[i].valid, "utf8_valid: %s is %s",
		    utf8_cases[i].name, utf8_cases[i].valid ? "valid" :
		    "invalid");
	/* The length is what counts, not a NUL after it. */
	tap_ok(cd_utf8_valid("ab\xff", 2), "bytes past len are not read");
	tap_ok(!cd_utf8_valid("\xc3\xa9", 1), "a sequence cut by len is "
	    "invalid");
}

int
main(void)
{
	test_escape();
	test_escape_all_bytes();
	test_escape_no_controls();
	test_utf8_valid();
	return tap_done();
}
