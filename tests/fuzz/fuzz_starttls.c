/*
 * fuzz_starttls.c - the STARTTLS conversations (lib/tls/starttls_conv.c and
 * its protocol files lib/tls/starttls_line.c, starttls_xmpp.c,
 * starttls_ldap.c, starttls_pg.c):
 * every reply parser, the LDAP BER reader, the PostgreSQL answer and the
 * XMPP tag scanner, driven exactly as lib/tls/starttls.c drives them from a
 * socket.  Input: byte 0 picks the protocol, byte 1 the size of each
 * read (1..64 bytes, so replies arrive split anywhere), the rest is what
 * the server sends.
 *
 * Invariants: the conversation ends (READY, REFUSED or FAILED) or asks
 * for more; it never reads past its room nor grows its buffer past the
 * cap; once decided it stays decided; READY leaves no unread byte; a
 * refusal or failure comes with a terminated, non-empty message with no
 * control byte (the server's words are escaped); a command to send fits
 * the output buffer.
 */
#include "fuzz.h"
#include "starttls_conv.h"

static void
check_msg(const struct cd_stls *s)
{
	size_t i, n = strnlen(s->msg, sizeof(s->msg));

	FUZZ_ASSERT(n > 0 && n < sizeof(s->msg));
	for (i = 0; i < n; i++)
		FUZZ_ASSERT((unsigned char)s->msg[i] >= 0x20 &&
		    s->msg[i] != 0x7f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cd_stls *s;
	enum cd_stls_act act, last = CD_STLS_RECV;
	unsigned char *room;
	size_t off = 2, chunk, n, cap, steps;

	if (size < 2 || (s = malloc(sizeof(*s))) == NULL)
		return 0;
	cd_stls_init(s, (enum cd_starttls)(1 + data[0] % 7), "[127.0.0.1]",
	    "good.test");
	chunk = 1 + data[1] % 64;
	for (steps = 0; steps < 100000; steps++) {
		act = cd_stls_next(s);
		FUZZ_ASSERT(s->inlen <= sizeof(s->in));
		if (last == CD_STLS_READY || last == CD_STLS_REFUSED ||
		    last == CD_STLS_FAILED)
			FUZZ_ASSERT(act == last);
		last = act;
		if (act == CD_STLS_SEND) {
			FUZZ_ASSERT(s->outlen > 0 && s->outlen < sizeof(s->out));
			cd_stls_sent(s);
		} else if (act == CD_STLS_RECV) {
			cap = cd_stls_room(s, &room);
			FUZZ_ASSERT(cap > 0 && room == s->in + s->inlen &&
			    cap <= sizeof(s->in) - s->inlen);
			if (off == size) {
				cd_stls_eof(s);
				FUZZ_ASSERT(cd_stls_next(s) == CD_STLS_FAILED);
				check_msg(s);
				break;
			}
			n = size - off < chunk ? size - off : chunk;
			n = n < cap ? n : cap;
			memcpy(room, data + off, n);
			off += n;
			cd_stls_fed(s, n);
		} else if (act == CD_STLS_READY) {
			FUZZ_ASSERT(s->inlen == 0);
			break;
		} else {
			check_msg(s);
			break;
		}
	}
	free(s);
	return 0;
}
