/*
 * starttls_line.c - the STARTTLS conversations of the line protocols,
 * one reply line at a time:
 *
 *   smtp      RFC 3207: greeting 220, EHLO (multi-line 250), STARTTLS, 220
 *   imap      RFC 3501/9051: "* OK" greeting, "a001 STARTTLS", "a001 OK"
 *   pop3      RFC 2595: "+OK" greeting, STLS, "+OK"
 *   ftp       RFC 4217: greeting 220 (RFC 959 multi-line), AUTH TLS, 234
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "starttls_int.h"

/*
 * "ddd-text", "ddd text" or "ddd": the code (100..599), the separator
 * in *sep (' ' for a last line); -1 if the line is no reply line.
 */
static int
reply_code(const char *l, size_t n, char *sep)
{
	if (n < 3 || l[0] < '1' || l[0] > '5' || l[1] < '0' || l[1] > '9' ||
	    l[2] < '0' || l[2] > '9')
		return -1;
	*sep = n == 3 ? ' ' : l[3];
	if (*sep != ' ' && *sep != '-')
		return -1;
	return (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
}

static enum cd_stls_act
not_proto(struct cd_stls *s, const char *what, const char *l, size_t n)
{
	s->replylen = 0;
	cd_stls_quote(s, l, n);
	return cd_stls_finish_quote(s, CD_STLS_FAILED, what);
}

/* One SMTP reply line (RFC 5321 4.2: every line carries the code). */
static enum cd_stls_act
smtp_line(struct cd_stls *s, const char *l, size_t n)
{
	char sep;
	int code = reply_code(l, n, &sep);

	if (code < 0)
		return not_proto(s, "not an SMTP reply", l, n);
	if (s->nlines == 0) {
		s->code = code;
		s->replylen = 0;
	} else if (code != s->code) {
		return cd_stls_finish(s, CD_STLS_FAILED, "a reply whose lines have "
		    "different codes (%d, then %d)", s->code, code);
	}
	if (++s->nlines > CD_STLS_LINES)
		return cd_stls_finish(s, CD_STLS_FAILED, "a reply of more than %d "
		    "lines", CD_STLS_LINES);
	/* The EHLO keywords follow the first line (RFC 5321 4.1.1.1). */
	if (s->state == SM_EHLO && s->nlines > 1 && n > 4 &&
	    cd_stls_word(l + 4, n - 4, "STARTTLS"))
		s->offered = true;
	if (s->nlines <= 3)
		cd_stls_quote(s, l, n);
	if (sep == '-')
		return MORE;
	s->nlines = 0;
	switch (s->state) {
	case SM_GREET:
		if (code != 220)
			return cd_stls_finish_quote(s, CD_STLS_REFUSED, "the server "
			    "refused the session");
		cd_stls_say(s, "the reply to EHLO", "EHLO %s\r\n", s->helo);
		s->state = SM_EHLO;
		return MORE;
	case SM_EHLO:
		if (code != 250)
			return cd_stls_finish_quote(s, CD_STLS_REFUSED, "EHLO refused");
		cd_stls_say(s, "the reply to STARTTLS", "STARTTLS\r\n");
		s->state = SM_STLS;
		return MORE;
	default:
		if (code == 220)
			return cd_stls_ready(s);
		return cd_stls_finish_quote(s, CD_STLS_REFUSED, s->offered ?
		    "STARTTLS refused" : "STARTTLS refused (not offered in "
		    "the EHLO reply)");
	}
}

/*
 * One FTP reply line.  RFC 959 4.2: a multi-line reply starts "ddd-"
 * and ends at a line "ddd " with the same code; lines between are free.
 */
static enum cd_stls_act
ftp_line(struct cd_stls *s, const char *l, size_t n)
{
	char sep = ' ';
	int code = reply_code(l, n, &sep);

	if (!s->multi) {
		if (code < 0)
			return not_proto(s, "not an FTP reply", l, n);
		s->code = code;
		s->replylen = 0;
		s->nlines = 1;
		cd_stls_quote(s, l, n);
		if (sep == '-') {
			s->multi = true;
			return MORE;
		}
	} else {
		if (++s->nlines > CD_STLS_LINES)
			return cd_stls_finish(s, CD_STLS_FAILED, "a reply of more "
			    "than %d lines", CD_STLS_LINES);
		if (s->nlines <= 3)
			cd_stls_quote(s, l, n);
		if (code != s->code || sep != ' ')
			return MORE;
		s->multi = false;
	}
	if (code < 200)		/* preliminary, e.g. 120: wait for more */
		return MORE;
	if (s->state == FT_GREET) {
		if (code != 220)
			return cd_stls_finish_quote(s, CD_STLS_REFUSED, "the server "
			    "refused the session");
		cd_stls_say(s, "the reply to AUTH TLS", "AUTH TLS\r\n");
		s->state = FT_AUTH;
		return MORE;
	}
	if (code == 234)
		return cd_stls_ready(s);
	return cd_stls_finish_quote(s, code >= 400 ? CD_STLS_REFUSED : CD_STLS_FAILED,
	    code >= 400 ? "AUTH TLS refused" : "unexpected reply to AUTH TLS");
}

static enum cd_stls_act
imap_line(struct cd_stls *s, const char *l, size_t n)
{
	s->replylen = 0;
	cd_stls_quote(s, l, n);
	if (s->state == IM_GREET) {
		if (cd_stls_word(l, n, "* OK")) {
			cd_stls_say(s, "the reply to STARTTLS", "a001 STARTTLS\r\n");
			s->state = IM_STLS;
			return MORE;
		}
		if (cd_stls_word(l, n, "* PREAUTH"))
			return cd_stls_finish_quote(s, CD_STLS_REFUSED, "the server "
			    "pre-authenticated the session, where STARTTLS is "
			    "not allowed (RFC 3501 6.2.1)");
		if (cd_stls_word(l, n, "* BYE"))
			return cd_stls_finish_quote(s, CD_STLS_REFUSED, "the server "
			    "refused the session");
		return cd_stls_finish_quote(s, CD_STLS_FAILED, "not an IMAP greeting");
	}
	if (cd_stls_word(l, n, "* BYE"))
		return cd_stls_finish_quote(s, CD_STLS_REFUSED, "the server closed "
		    "the session");
	if (n >= 2 && l[0] == '*' && l[1] == ' ') {
		/* Untagged data (a CAPABILITY, say) before the answer. */
		if (++s->nlines > CD_STLS_LINES)
			return cd_stls_finish(s, CD_STLS_FAILED, "more than %d "
			    "untagged lines before the reply to STARTTLS",
			    CD_STLS_LINES);
		return MORE;
	}
	if (cd_stls_word(l, n, "a001 OK"))
		return cd_stls_ready(s);
	if (cd_stls_word(l, n, "a001 NO") || cd_stls_word(l, n, "a001 BAD"))
		return cd_stls_finish_quote(s, CD_STLS_REFUSED, "STARTTLS refused");
	return cd_stls_finish_quote(s, CD_STLS_FAILED, "unexpected reply to "
	    "STARTTLS");
}

static enum cd_stls_act
pop3_line(struct cd_stls *s, const char *l, size_t n)
{
	s->replylen = 0;
	cd_stls_quote(s, l, n);
	if (s->state == PO_GREET) {
		if (cd_stls_word(l, n, "+OK")) {
			cd_stls_say(s, "the reply to STLS", "STLS\r\n");
			s->state = PO_STLS;
			return MORE;
		}
		if (cd_stls_word(l, n, "-ERR"))
			return cd_stls_finish_quote(s, CD_STLS_REFUSED, "the server "
			    "refused the session");
		return cd_stls_finish_quote(s, CD_STLS_FAILED, "not a POP3 greeting");
	}
	if (cd_stls_word(l, n, "+OK"))
		return cd_stls_ready(s);
	if (cd_stls_word(l, n, "-ERR"))
		return cd_stls_finish_quote(s, CD_STLS_REFUSED, "STLS refused");
	return cd_stls_finish_quote(s, CD_STLS_FAILED, "unexpected reply to STLS");
}

/* Feed the buffered complete lines to the protocol's line handler. */
static enum cd_stls_act
lines(struct cd_stls *s, enum cd_stls_act (*fn)(struct cd_stls *,
    const char *, size_t))
{
	unsigned char *nl;
	size_t n, adv;
	enum cd_stls_act act;

	while ((nl = memchr(s->in, '\n', s->inlen)) != NULL) {
		adv = (size_t)(nl - s->in) + 1;
		n = adv - 1;
		if (n > 0 && s->in[n - 1] == '\r')
			n--;
		act = fn(s, (const char *)s->in, n);
		cd_stls_consume(s, adv);
		if (act != MORE)
			return act;
		if (s->outlen > 0)
			return CD_STLS_SEND;
	}
	if (s->inlen >= sizeof(s->in))
		return cd_stls_finish(s, CD_STLS_FAILED, "a line longer than %zu bytes",
		    sizeof(s->in));
	return CD_STLS_RECV;
}

enum cd_stls_act
cd_stls_line_step(struct cd_stls *s)
{
	if (s->proto == CD_STARTTLS_SMTP)
		return lines(s, smtp_line);
	if (s->proto == CD_STARTTLS_IMAP)
		return lines(s, imap_line);
	if (s->proto == CD_STARTTLS_POP3)
		return lines(s, pop3_line);
	return lines(s, ftp_line);
}
