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
 * \xHH (backslash as \\).  Valid UTF-8 sequences are kept.  NULL on ENOMEM.
 */
char *cd_escape(const char *s, size_t len);

/*
 * The same without escaping backslashes: for text already escaped once
 * (certificate fields), made safe again at the terminal.
 */
char *cd_escape_display(const char *s, size_t len);

/*
 * True when s[0..len) is valid UTF-8 with no NUL and no C1 control
 * (U+0080..U+009F, which some terminals obey as escape sequences).
 */
bool cd_utf8_valid(const char *s, size_t len);

#endif
