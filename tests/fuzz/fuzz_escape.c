/*
 * fuzz_escape.c - display-safe copies of untrusted bytes (lib/core/escape.c):
 * cd_escape(), cd_escape_display() and cd_utf8_valid() on raw bytes.
 *
 * Invariants: both escapes give valid UTF-8 (as cd_utf8_valid() defines
 * it: no NUL, no C1 control, no bidirectional control) with no C0
 * control and no DEL, at most four bytes out per byte in; cd_escape() is
 * reversible (unescaping "\\" and "\xHH" gives the input back); input
 * that is already safe comes out unchanged.
 */
#include <stdio.h>

#include "escape.h"
#include "fuzz.h"

static bool
no_controls(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* cd_escape(in) decodes back to in. */
static void
check_reversible(const char *esc, const char *in, size_t len)
{
	const char *p = esc;
	size_t i = 0;
	int hi, lo;

	while (*p) {
		FUZZ_ASSERT(i < len);
		if (*p != '\\') {
			FUZZ_ASSERT(in[i++] == *p++);
			continue;
		}
		if (p[1] == '\\') {
			FUZZ_ASSERT(in[i++] == '\\');
			p += 2;
			continue;
		}
		FUZZ_ASSERT(p[1] == 'x');
		hi = hexval(p[2]);
		FUZZ_ASSERT(hi >= 0);
		lo = hexval(p[3]);
		FUZZ_ASSERT(lo >= 0);
		FUZZ_ASSERT((unsigned char)in[i++] == (unsigned)(hi << 4 | lo));
		p += 4;
	}
	FUZZ_ASSERT(i == len);
}

static void
check_safe(const char *out, size_t len)
{
	size_t n;

	FUZZ_ASSERT(out != NULL);
	n = strlen(out);
	FUZZ_ASSERT(n <= 4 * len);
	FUZZ_ASSERT(cd_utf8_valid(out, n));
	FUZZ_ASSERT(no_controls(out));
}

/* Valid UTF-8 without C0 controls or DEL: nothing to escape for display. */
static bool
already_safe(const char *in, size_t len)
{
	size_t i;

	if (!cd_utf8_valid(in, len))
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)in[i] < 0x20 || in[i] == 0x7f)
			return false;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in, *esc, *disp;

	if ((in = fuzz_bytes(data, size)) == NULL)
		return 0;
	/* Valid means no NUL: the bytes are one C string. */
	FUZZ_ASSERT(!cd_utf8_valid(in, size) ||
	    memchr(in, '\0', size) == NULL);
	esc = cd_escape(in, size);
	check_safe(esc, size);
	check_reversible(esc, in, size);
	disp = cd_escape_display(in, size);
	check_safe(disp, size);
	if (already_safe(in, size)) {
		FUZZ_ASSERT(strlen(disp) == size &&
		    memcmp(disp, in, size) == 0);
		if (memchr(in, '\\', size) == NULL)
			FUZZ_ASSERT(strcmp(esc, disp) == 0);
	}
	free(esc);
	free(disp);
	free(in);
	return 0;
}
