/*
 * goquote.c - Go's strconv.Quote, which the CA's messages use (%q) for
 * what a peer chose: a challenge body, a TXT record, a certificate name.
 * The user compares the two quoted strings of a mismatch by eye, so the
 * quoting must be the CA's to the byte: a byte-order mark or a no-break
 * space before the token shows as \ufeff or \u00a0, never as nothing.
 *
 * Go's rules (strconv/quote.go, appendQuotedWith): each valid UTF-8
 * sequence is a rune, each byte of an invalid or incomplete one is
 * \xHH; '"' and '\\' are backslashed; a printable rune (unicode.IsPrint:
 * a letter, mark, number, punctuation or symbol, or the ASCII space) is
 * kept; \a \b \f \n \r \t \v by name; other runes below U+0020 and
 * U+007F as \xHH, the rest as \uHHHH or \UHHHHHHHH.  Nothing that
 * reaches a terminal raw is a control, a format character (bidi
 * overrides included) or a space other than U+0020.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <unistr.h>

#include "escape.h"

/* unicode.IsPrint, by the general categories of libunistring's tables. */
static bool
go_is_print(ucs4_t r)
{
	return r == ' ' || uc_is_general_category(r, UC_CATEGORY_L) ||
	    uc_is_general_category(r, UC_CATEGORY_M) ||
	    uc_is_general_category(r, UC_CATEGORY_N) ||
	    uc_is_general_category(r, UC_CATEGORY_P) ||
	    uc_is_general_category(r, UC_CATEGORY_S);
}

/* One rune as appendEscapedRune writes it; o: where, returns the end. */
static char *
put_rune(char *o, ucs4_t r, const uint8_t *src, size_t n)
{
	static const char shortc[] = "\a\b\f\n\r\t\v";
	static const char letter[] = "abfnrtv";
	const char *esc;

	if (r == '"' || r == '\\') {
		*o++ = '\\';
		*o++ = (char)r;
	} else if (go_is_print(r)) {
		memcpy(o, src, n);
		o += n;
	} else if (r != 0 && r < 0x80 &&
	    (esc = strchr(shortc, (int)r)) != NULL) {
		*o++ = '\\';
		*o++ = letter[esc - shortc];
	} else if (r < 0x20 || r == 0x7f) {
		o += sprintf(o, "\\x%02x", (unsigned)r);
	} else if (r < 0x10000) {
		o += sprintf(o, "\\u%04x", (unsigned)r);
	} else {
		o += sprintf(o, "\\U%08x", (unsigned)r);
	}
	return o;
}

char *
cd_go_quote(const char *value, size_t len, size_t max)
{
	const uint8_t *s = (const uint8_t *)value;
	bool cut = len > max;
	size_t n = cut ? max : len, i = 0;
	ucs4_t r;
	char *out, *o;
	int w;

	/* The longest: 10 bytes (\UHHHHHHHH) for a 4-byte rune. */
	if ((out = malloc(n * 4 + 8)) == NULL)
		return NULL;
	o = out;
	*o++ = '"';
	while (i < n) {
		w = u8_mbtoucr(&r, s + i, n - i);
		if (w <= 0) {
			/* Invalid or cut short: Go's RuneError of width 1. */
			o += sprintf(o, "\\x%02x", s[i]);
			i++;
			continue;
		}
		o = put_rune(o, r, s + i, (size_t)w);
		i += (size_t)w;
	}
	/* Go cuts before quoting: the dots are inside the quotes. */
	if (cut) {
		memcpy(o, "...", 3);
		o += 3;
	}
	*o++ = '"';
	*o = '\0';
	return out;
}
