/* escape.c - display-safe copies of untrusted strings. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "escape.h"

/*
 * Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid (an
 * overlong form, a surrogate, a value past U+10FFFF or a sequence cut
 * short: libunistring's decoding) or unsafe to show raw.
 */
static size_t
utf8_seq(const unsigned char *s, size_t left)
{
	ucs4_t cp;
	int n;

	if (s[0] < 0x80)
		return 1;
	if ((n = u8_mbtoucr(&cp, s, left)) <= 0)
		return 0;
	/* C1 controls (U+0080..U+009F) act as escapes on some terminals. */
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	/*
	 * Bidirectional controls reorder what follows on the screen: a
	 * U+202E in a name shows "moc.elgoog" as "google.com".  They are
	 * invisible, so no legitimate display needs them raw.
	 */
	if (cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return (size_t)n;
}

bool
cd_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		if (p[i] == 0 || (n = utf8_seq(p + i, len - i)) == 0)
			return false;
		i += n;
	}
	return true;
}

static char *
escape(const char *s, size_t len, bool backslash)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	char *out, *o;
	size_t i = 0, n;

	/* Worst case: every byte becomes \xHH. */
	if (len > (SIZE_MAX - 1) / 4 || (out = malloc(len * 4 + 1)) == NULL)
		return NULL;
	o = out;
	while (i < len) {
		n = utf8_seq(p + i, len - i);
		if (n == 1 && p[i] >= 0x20 && p[i] != 0x7f &&
		    (p[i] != '\\' || !backslash)) {
			*o++ = (char)p[i++];
		} else if (n == 1 && p[i] == '\\') {
			*o++ = '\\';
			*o++ = '\\';
			i++;
		} else if (n > 1) {
			memcpy(o, p + i, n);
			o += n;
			i += n;
		} else {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[p[i] >> 4];
			*o++ = hex[p[i] & 0xf];
			i++;
		}
	}
	*o = '\0';
	return out;
}

char *
cd_escape(const char *s, size_t len)
{
	return escape(s, len, true);
}

char *
cd_escape_display(const char *s, size_t len)
{
	return escape(s, len, false);
}
