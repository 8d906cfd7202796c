/*
 * fuzz_ubmsg.c - the file and line of libunbound's parse errors
 * (cd_caview_where() in lib/dns/caview.c), on messages a hostile or broken
 * hints or anchor file could make libunbound print.  The input: one byte
 * of newline count and final-newline flag, then the file name up to the
 * first newline, then the message.
 *
 * Invariants: the output is a terminated string within its buffer; it is
 * the message unchanged, or "FILE line N: ..." with N at least 1.
 */
#include <stdio.h>

#include "caview.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in, *nlpos, *file, *msg, out[512], pre[300];
	size_t nl;
	bool ends;
	unsigned long n;

	if (size < 1)
		return 0;
	nl = data[0] & 0x0f;
	ends = (data[0] & 0x10) != 0;
	if ((in = fuzz_cstr(data + 1, size - 1)) == NULL)
		return 0;
	file = in;
	msg = "";
	if ((nlpos = strchr(in, '\n')) != NULL) {
		*nlpos = '\0';
		msg = nlpos + 1;
	}
	cd_caview_where(msg, file, nl, ends, out, sizeof(out));
	FUZZ_ASSERT(memchr(out, '\0', sizeof(out)) != NULL);
	snprintf(pre, sizeof(pre), "%s line ", file);
	if (strncmp(out, msg, sizeof(out) - 1) != 0) {
		FUZZ_ASSERT(*file != '\0');
		FUZZ_ASSERT(strncmp(out, pre, strlen(pre)) == 0);
		n = strtoul(out + strlen(pre), NULL, 10);
		FUZZ_ASSERT(n >= 1);
	}
	free(in);
	return 0;
}
