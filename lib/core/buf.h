/*
 * buf.h - a growable byte buffer with a hard cap (curl's dynbuf
 * contract): an append that would pass the cap fails, frees the buffer
 * and leaves it empty, so a hostile peer cannot make us grow without
 * bound and a failed buffer cannot be used by mistake.
 */
#ifndef CD_BUF_H
#define CD_BUF_H

#include <stddef.h>

#include "cd_internal.h"

struct cd_buf {
	char *data;		/* NUL-terminated; NULL while empty */
	size_t len;
	size_t cap;		/* allocated */
	size_t max;		/* hard limit on len */
};

void cd_buf_init(struct cd_buf *b, size_t max);
void cd_buf_free(struct cd_buf *b);
/* CD_E_NOMEM, or CD_E_PARSE when max would be passed (buffer freed). */
cd_rc cd_buf_add(struct cd_buf *b, const void *p, size_t n);
cd_rc cd_buf_addf(struct cd_buf *b, const char *fmt, ...) CD_PRINTF(2, 3);
/* Hand the data over to the caller (free() it); the buffer is reset. */
char *cd_buf_take(struct cd_buf *b);

/*
 * The n strings sorted (v is reordered) and joined with ", ": a set of
 * answers that reads the same whatever order a server sent it in.
 * "" for none; NULL on no memory or a NULL string.  Caller frees.
 */
char *cd_join_sorted(char **v, size_t n);

#endif
