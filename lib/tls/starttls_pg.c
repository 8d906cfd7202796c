/*
 * starttls_pg.c - PostgreSQL's TLS request: SSLRequest (Int32 8, Int32
 * 80877103), answered 'S', 'N' or an ErrorResponse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "starttls_int.h"

/* SSLRequest: length 8, then the code 1234 << 16 | 5679. */
void
cd_stls_pg_start(struct cd_stls *s)
{
	static const unsigned char pg[8] = {0, 0, 0, 8, 0x04, 0xd2, 0x16,
	    0x2f};

	s->state = PG_ANSWER;
	memcpy(s->out, pg, sizeof(pg));
	s->outlen = sizeof(pg);
	s->waiting = "the answer to SSLRequest";
}

/* An ErrorResponse (RFC-less: protocol-flow.html) instead of S/N. */
static enum cd_stls_act
pg_error(struct cd_stls *s)
{
	size_t len, i, end;
	const char *sev = NULL, *msg = NULL;
	char *q1, *q2;

	if (s->inlen < 5)
		return CD_STLS_RECV;
	len = (size_t)s->in[1] << 24 | (size_t)s->in[2] << 16 |
	    (size_t)s->in[3] << 8 | s->in[4];
	if (len < 4 || len > sizeof(s->in) - 1)
		return cd_stls_finish(s, CD_STLS_FAILED, "a PostgreSQL error message "
		    "of impossible length %zu", len);
	if (s->inlen < 1 + len)
		return CD_STLS_RECV;
	end = 1 + len;
	/* Fields: a type byte, a NUL-terminated string; a 0 ends them. */
	for (i = 5; i < end && s->in[i] != 0;) {
		unsigned char type = s->in[i++];
		const unsigned char *z = memchr(s->in + i, 0, end - i);

		if (z == NULL)
			break;
		if (type == 'S' && sev == NULL)
			sev = (const char *)s->in + i;
		else if (type == 'M' && msg == NULL)
			msg = (const char *)s->in + i;
		i = (size_t)(z - s->in) + 1;
	}
	q1 = sev ? cd_escape(sev, strlen(sev)) : NULL;
	q2 = msg ? cd_escape(msg, strlen(msg)) : NULL;
	cd_stls_consume(s, end);
	cd_stls_finish(s, CD_STLS_REFUSED, "the server answered SSLRequest with an "
	    "error: \"%s%s%s\"", q1 ? q1 : "", q1 ? ": " : "",
	    q2 ? q2 : "(no message)");
	free(q1);
	free(q2);
	return s->done;
}

enum cd_stls_act
cd_stls_pg_step(struct cd_stls *s)
{
	unsigned char c;

	if (s->inlen == 0)
		return CD_STLS_RECV;
	c = s->in[0];
	if (c == 'E')
		return pg_error(s);
	cd_stls_consume(s, 1);
	if (c == 'S')
		return cd_stls_ready(s);
	if (c == 'N')
		return cd_stls_finish(s, CD_STLS_REFUSED, "the server answered 'N' to "
		    "SSLRequest: it does not offer SSL (ssl = off?)");
	return cd_stls_finish(s, CD_STLS_FAILED, "not a PostgreSQL server: it "
	    "answered byte 0x%02x to SSLRequest", c);
}
