/*
 * escape.h - make untrusted bytes (certificate names, DNS data, HTTP
 * bodies) safe to show on a terminal: no control characters, no escape
 * sequences, no invalid UTF-8 reach the user's screen.
 */
#ifndef CD_ESCAPE_H
#define CD_ESCAPE_H

#include <stddef.h>

#include "cd_internal.h"

/*
 * A newly allocated copy of s[0..len) in which control bytes, DEL,
 * backslash and bytes that are not part of valid UTF-8 are written as
 * \xHH (backslash as \\), as are the bytes of C1 controls and of
 * bidirectional controls (U+061C, U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069).  Other valid UTF-8 is kept.  NULL on ENOMEM.
 */
char *cd_escape(const char *s, size_t len);

/*
 * cd_escape_display(), the same without escaping backslashes (for text
 * already escaped once, made safe again at the terminal), is public:
 * the tools use it for their messages.  See certdiag.h.
 */

/*
 * True when s[0..len) is valid UTF-8 with no NUL, no C1 control
 * (U+0080..U+009F, which some terminals obey as escape sequences) and
 * no bidirectional control: what the escapes let through.
 */
bool cd_utf8_valid(const char *s, size_t len);

/*
 * Go's %q (strconv.Quote), which the CA's messages use for names,
 * records and bodies a peer chose, of value[0..len) (NUL bytes
 * included): the first max bytes, "..." inside the quotes after a cut.
 * goquote.c.  NULL: ENOMEM.
 */
char *cd_go_quote(const char *value, size_t len, size_t max);

#endif
