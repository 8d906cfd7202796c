/*
 * starttls_conv.c - the plaintext part of each STARTTLS protocol, as
 * its RFC writes it, with no I/O (see starttls_conv.h): the machine and
 * what the protocol families share.  Each family has a file of its own:
 *
 *   starttls_line.c   SMTP, IMAP, POP3, FTP (one reply line at a time)
 *   starttls_xmpp.c   XMPP (the top of the XML stream)
 *   starttls_ldap.c   LDAP (the BER of one ExtendedResponse)
 *   starttls_pg.c     PostgreSQL (SSLRequest)
 *
 * Every answer the server gives is untrusted: lengths are checked
 * before use, lines and tags must fit the buffer, replies have a line
 * cap, and words quoted back to the user go through cd_escape().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "escape.h"
#include "starttls_int.h"

/* ------------------------------------------------------------------ */
/* Outcome and output                                                   */

enum cd_stls_act
cd_stls_finish(struct cd_stls *s, enum cd_stls_act act, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	va_end(ap);
	s->done = act;
	return act;
}

/* The server agreed: what follows is TLS. */
enum cd_stls_act
cd_stls_ready(struct cd_stls *s)
{
	s->done = CD_STLS_READY;
	return CD_STLS_READY;
}

/* The server's words collected so far, escaped (free() it). */
char *
cd_stls_quoted(const struct cd_stls *s)
{
	char *q = cd_escape(s->reply, s->replylen);

	return q ? q : strdup("");
}

/* cd_stls_finish() with "WHAT: the server's reply". */
enum cd_stls_act
cd_stls_finish_quote(struct cd_stls *s, enum cd_stls_act act, const char *what)
{
	char *q = cd_stls_quoted(s);

	cd_stls_finish(s, act, "%s: \"%s\"", what, q ? q : "");
	free(q);
	return act;
}

/* Remember the server's words for a message, capped. */
void
cd_stls_quote(struct cd_stls *s, const char *p, size_t n)
{
	size_t room = sizeof(s->reply) - s->replylen;

	if (s->replylen > 0 && room > 1) {
		s->reply[s->replylen++] = ' ';
		room--;
	}
	if (n > room)
		n = room;
	memcpy(s->reply + s->replylen, p, n);
	s->replylen += n;
}

/* Queue one command and say what its answer will be. */
void
cd_stls_say(struct cd_stls *s, const char *waiting, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s->out, sizeof(s->out), fmt, ap);
	va_end(ap);
	s->outlen = n < 0 ? 0 : (size_t)n < sizeof(s->out) ? (size_t)n :
	    sizeof(s->out) - 1;
	s->waiting = waiting;
}

void
cd_stls_consume(struct cd_stls *s, size_t n)
{
	memmove(s->in, s->in + n, s->inlen - n);
	s->inlen -= n;
}

/* Case-insensitive: line starts with word, then a space or its end. */
bool
cd_stls_word(const char *l, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && strncasecmp(l, w, k) == 0 && (n == k || l[k] == ' ');
}

/* ------------------------------------------------------------------ */
/* The machine                                                          */

void
cd_stls_init(struct cd_stls *s, enum cd_starttls proto, const char *helo,
    const char *domain)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->proto = proto;
	s->done = CD_STLS_RECV;
	snprintf(s->helo, sizeof(s->helo), "%s", helo ? helo : "localhost");
	snprintf(s->domain, sizeof(s->domain), "%s", domain ? domain : "");
	/* It goes into an XML attribute: keep it a host name or address. */
	for (i = 0; s->domain[i] != '\0'; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789.-:_", s->domain[i]) == NULL)
			s->domain[i] = '_';
	s->waiting = "the greeting";
	switch (proto) {
	case CD_STARTTLS_SMTP:
		s->state = SM_GREET;
		break;
	case CD_STARTTLS_IMAP:
		s->state = IM_GREET;
		break;
	case CD_STARTTLS_POP3:
		s->state = PO_GREET;
		break;
	case CD_STARTTLS_FTP:
		s->state = FT_GREET;
		break;
	case CD_STARTTLS_XMPP:
		cd_stls_xmpp_start(s);
		break;
	case CD_STARTTLS_LDAP:
		cd_stls_ldap_start(s);
		break;
	case CD_STARTTLS_POSTGRES:
		cd_stls_pg_start(s);
		break;
	case CD_STARTTLS_NONE:
		cd_stls_ready(s);
		break;
	}
}

static enum cd_stls_act
step(struct cd_stls *s)
{
	switch (s->proto) {
	case CD_STARTTLS_SMTP:
	case CD_STARTTLS_IMAP:
	case CD_STARTTLS_POP3:
	case CD_STARTTLS_FTP:
		return cd_stls_line_step(s);
	case CD_STARTTLS_XMPP:
		return cd_stls_xmpp_step(s);
	case CD_STARTTLS_LDAP:
		return cd_stls_ldap_step(s);
	case CD_STARTTLS_POSTGRES:
		return cd_stls_pg_step(s);
	case CD_STARTTLS_NONE:
		break;
	}
	return cd_stls_ready(s);
}

enum cd_stls_act
cd_stls_next(struct cd_stls *s)
{
	if (s->done != CD_STLS_RECV)
		return s->done;
	if (s->outlen > 0)
		return CD_STLS_SEND;
	/*
	 * A server that talks on after its "go ahead" is broken, or
	 * someone injects commands (the STARTTLS injection attacks): the
	 * bytes would be taken for TLS, or worse, for the protected part.
	 */
	if (step(s) == CD_STLS_READY && s->inlen > 0)
		cd_stls_finish(s, CD_STLS_FAILED, "the server sent %zu more bytes "
		    "after agreeing to STARTTLS, before the TLS handshake",
		    s->inlen);
	if (s->done != CD_STLS_RECV)
		return s->done;
	return s->outlen > 0 ? CD_STLS_SEND : CD_STLS_RECV;
}

void
cd_stls_sent(struct cd_stls *s)
{
	s->outlen = 0;
}

size_t
cd_stls_room(struct cd_stls *s, unsigned char **p)
{
	*p = s->in + s->inlen;
	return sizeof(s->in) - s->inlen;
}

void
cd_stls_fed(struct cd_stls *s, size_t n)
{
	s->inlen += n;
	s->total += n;
	if (s->total > CD_STLS_TOTAL && s->done == CD_STLS_RECV)
		cd_stls_finish(s, CD_STLS_FAILED, "the server sent more than %d bytes "
		    "without finishing the STARTTLS exchange", CD_STLS_TOTAL);
}

void
cd_stls_eof(struct cd_stls *s)
{
	if (s->done == CD_STLS_RECV)
		cd_stls_finish(s, CD_STLS_FAILED, "the server closed the connection "
		    "while we waited for %s", s->waiting);
}
