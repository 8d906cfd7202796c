/*
 * starttls_conv.c - the plaintext part of each STARTTLS protocol, as
 * its RFC writes it, with no I/O (see starttls_conv.h):
 *
 *   smtp      RFC 3207: greeting 220, EHLO (multi-line 250), STARTTLS, 220
 *   imap      RFC 3501/9051: "* OK" greeting, "a001 STARTTLS", "a001 OK"
 *   pop3      RFC 2595: "+OK" greeting, STLS, "+OK"
 *   ftp       RFC 4217: greeting 220 (RFC 959 multi-line), AUTH TLS, 234
 *   xmpp      RFC 6120: stream header, <stream:features> with <starttls/>,
 *             <starttls/>, <proceed/>
 *   ldap      RFC 4511 4.14: ExtendedRequest 1.3.6.1.4.1.1466.20037,
 *             ExtendedResponse resultCode 0
 *   postgres  SSLRequest (Int32 8, Int32 80877103), 'S'
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
#include "starttls_conv.h"

enum {
	SM_GREET, SM_EHLO, SM_STLS,
	IM_GREET, IM_STLS,
	PO_GREET, PO_STLS,
	FT_GREET, FT_AUTH,
	XM_FEATURES, XM_PROCEED,
	LD_RESP,
	PG_ANSWER
};

/* An action of the line handlers: go on reading lines. */
#define MORE CD_STLS_RECV

/* ------------------------------------------------------------------ */
/* Outcome and output                                                   */

static enum cd_stls_act
finish(struct cd_stls *s, enum cd_stls_act act, const char *fmt, ...)
    CD_PRINTF(3, 4);

static enum cd_stls_act
finish(struct cd_stls *s, enum cd_stls_act act, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	va_end(ap);
	s->done = act;
	return act;
}

/* The server agreed: what follows is TLS. */
static enum cd_stls_act
ready(struct cd_stls *s)
{
	s->done = CD_STLS_READY;
	return CD_STLS_READY;
}

/* The server's words collected so far, escaped (free() it). */
static char *
quoted(const struct cd_stls *s)
{
	char *q = cd_escape(s->reply, s->replylen);

	return q ? q : strdup("");
}

/* finish() with "WHAT: the server's reply". */
static enum cd_stls_act
finish_quote(struct cd_stls *s, enum cd_stls_act act, const char *what)
{
	char *q = quoted(s);

	finish(s, act, "%s: \"%s\"", what, q ? q : "");
	free(q);
	return act;
}

/* Remember the server's words for a message, capped. */
static void
quote(struct cd_stls *s, const char *p, size_t n)
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

static void
say(struct cd_stls *s, const char *waiting, const char *fmt, ...)
    CD_PRINTF(3, 4);

/* Queue one command and say what its answer will be. */
static void
say(struct cd_stls *s, const char *waiting, const char *fmt, ...)
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

static void
consume(struct cd_stls *s, size_t n)
{
	memmove(s->in, s->in + n, s->inlen - n);
	s->inlen -= n;
}

/* Case-insensitive: line starts with word, then a space or its end. */
static bool
word(const char *l, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && strncasecmp(l, w, k) == 0 && (n == k || l[k] == ' ');
}

/* ------------------------------------------------------------------ */
/* Line protocols                                                       */

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
	quote(s, l, n);
	return finish_quote(s, CD_STLS_FAILED, what);
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
		return finish(s, CD_STLS_FAILED, "a reply whose lines have "
		    "different codes (%d, then %d)", s->code, code);
	}
	if (++s->nlines > CD_STLS_LINES)
		return finish(s, CD_STLS_FAILED, "a reply of more than %d "
		    "lines", CD_STLS_LINES);
	/* The EHLO keywords follow the first line (RFC 5321 4.1.1.1). */
	if (s->state == SM_EHLO && s->nlines > 1 && n > 4 &&
	    word(l + 4, n - 4, "STARTTLS"))
		s->offered = true;
	if (s->nlines <= 3)
		quote(s, l, n);
	if (sep == '-')
		return MORE;
	s->nlines = 0;
	switch (s->state) {
	case SM_GREET:
		if (code != 220)
			return finish_quote(s, CD_STLS_REFUSED, "the server "
			    "refused the session");
		say(s, "the reply to EHLO", "EHLO %s\r\n", s->helo);
		s->state = SM_EHLO;
		return MORE;
	case SM_EHLO:
		if (code != 250)
			return finish_quote(s, CD_STLS_REFUSED, "EHLO refused");
		say(s, "the reply to STARTTLS", "STARTTLS\r\n");
		s->state = SM_STLS;
		return MORE;
	default:
		if (code == 220)
			return ready(s);
		return finish_quote(s, CD_STLS_REFUSED, s->offered ?
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
		quote(s, l, n);
		if (sep == '-') {
			s->multi = true;
			return MORE;
		}
	} else {
		if (++s->nlines > CD_STLS_LINES)
			return finish(s, CD_STLS_FAILED, "a reply of more "
			    "than %d lines", CD_STLS_LINES);
		if (s->nlines <= 3)
			quote(s, l, n);
		if (code != s->code || sep != ' ')
			return MORE;
		s->multi = false;
	}
	if (code < 200)		/* preliminary, e.g. 120: wait for more */
		return MORE;
	if (s->state == FT_GREET) {
		if (code != 220)
			return finish_quote(s, CD_STLS_REFUSED, "the server "
			    "refused the session");
		say(s, "the reply to AUTH TLS", "AUTH TLS\r\n");
		s->state = FT_AUTH;
		return MORE;
	}
	if (code == 234)
		return ready(s);
	return finish_quote(s, code >= 400 ? CD_STLS_REFUSED : CD_STLS_FAILED,
	    code >= 400 ? "AUTH TLS refused" : "unexpected reply to AUTH TLS");
}

static enum cd_stls_act
imap_line(struct cd_stls *s, const char *l, size_t n)
{
	s->replylen = 0;
	quote(s, l, n);
	if (s->state == IM_GREET) {
		if (word(l, n, "* OK")) {
			say(s, "the reply to STARTTLS", "a001 STARTTLS\r\n");
			s->state = IM_STLS;
			return MORE;
		}
		if (word(l, n, "* PREAUTH"))
			return finish_quote(s, CD_STLS_REFUSED, "the server "
			    "pre-authenticated the session, where STARTTLS is "
			    "not allowed (RFC 3501 6.2.1)");
		if (word(l, n, "* BYE"))
			return finish_quote(s, CD_STLS_REFUSED, "the server "
			    "refused the session");
		return finish_quote(s, CD_STLS_FAILED, "not an IMAP greeting");
	}
	if (word(l, n, "* BYE"))
		return finish_quote(s, CD_STLS_REFUSED, "the server closed "
		    "the session");
	if (n >= 2 && l[0] == '*' && l[1] == ' ') {
		/* Untagged data (a CAPABILITY, say) before the answer. */
		if (++s->nlines > CD_STLS_LINES)
			return finish(s, CD_STLS_FAILED, "more than %d "
			    "untagged lines before the reply to STARTTLS",
			    CD_STLS_LINES);
		return MORE;
	}
	if (word(l, n, "a001 OK"))
		return ready(s);
	if (word(l, n, "a001 NO") || word(l, n, "a001 BAD"))
		return finish_quote(s, CD_STLS_REFUSED, "STARTTLS refused");
	return finish_quote(s, CD_STLS_FAILED, "unexpected reply to "
	    "STARTTLS");
}

static enum cd_stls_act
pop3_line(struct cd_stls *s, const char *l, size_t n)
{
	s->replylen = 0;
	quote(s, l, n);
	if (s->state == PO_GREET) {
		if (word(l, n, "+OK")) {
			say(s, "the reply to STLS", "STLS\r\n");
			s->state = PO_STLS;
			return MORE;
		}
		if (word(l, n, "-ERR"))
			return finish_quote(s, CD_STLS_REFUSED, "the server "
			    "refused the session");
		return finish_quote(s, CD_STLS_FAILED, "not a POP3 greeting");
	}
	if (word(l, n, "+OK"))
		return ready(s);
	if (word(l, n, "-ERR"))
		return finish_quote(s, CD_STLS_REFUSED, "STLS refused");
	return finish_quote(s, CD_STLS_FAILED, "unexpected reply to STLS");
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
		consume(s, adv);
		if (act != MORE)
			return act;
		if (s->outlen > 0)
			return CD_STLS_SEND;
	}
	if (s->inlen >= sizeof(s->in))
		return finish(s, CD_STLS_FAILED, "a line longer than %zu bytes",
		    sizeof(s->in));
	return CD_STLS_RECV;
}

/* ------------------------------------------------------------------ */
/* XMPP: just enough of XML to follow the top of the stream             */

static void
xmpp_features_done(struct cd_stls *s)
{
	s->in_features = false;
	if (!s->offered) {
		finish(s, CD_STLS_REFUSED, "the server does not offer STARTTLS "
		    "(no <starttls/> in its stream features)");
		return;
	}
	say(s, "the reply to <starttls/>",
	    "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
	s->state = XM_PROCEED;
}

static void
xmpp_stream_error(struct cd_stls *s)
{
	char *c = cd_escape(s->cond, strlen(s->cond));

	finish(s, CD_STLS_REFUSED, "stream error <%s/>",
	    c && *c ? c : "(no condition)");
	free(c);
}

/* A closing tag whose local name is name. */
static void
xmpp_close(struct cd_stls *s, const char *name)
{
	if (s->depth == 0) {
		finish(s, CD_STLS_FAILED, "malformed XML: a closing tag with "
		    "no element open");
		return;
	}
	if (--s->depth == 0) {
		finish(s, CD_STLS_FAILED, "the server closed the XML stream");
		return;
	}
	if (s->depth != 1)
		return;
	if (s->in_features && strcmp(name, "features") == 0)
		xmpp_features_done(s);
	else if (s->in_error && strcmp(name, "error") == 0)
		xmpp_stream_error(s);
	else if (s->in_proceed && strcmp(name, "proceed") == 0)
		ready(s);
}

/* An opening (or empty, when empty) tag of the element at depth d. */
static void
xmpp_open(struct cd_stls *s, const char *name, bool empty)
{
	int d = s->depth + 1;

	if (d == 1) {
		if (strcmp(name, "stream") != 0 || empty) {
			finish(s, CD_STLS_FAILED, "not an XMPP stream: it "
			    "starts with another element");
			return;
		}
	} else if (d == 2) {
		if (strcmp(name, "features") == 0) {
			s->in_features = true;
			if (empty)
				xmpp_features_done(s);
		} else if (strcmp(name, "error") == 0) {
			s->in_error = true;
			if (empty)
				xmpp_stream_error(s);
		} else if (s->state == XM_PROCEED &&
		    strcmp(name, "proceed") == 0) {
			if (empty)
				ready(s);
			s->in_proceed = true;
		} else if (s->state == XM_PROCEED &&
		    strcmp(name, "failure") == 0) {
			finish(s, CD_STLS_REFUSED, "the server answered "
			    "<failure/> to <starttls/>");
		}
	} else if (d == 3) {
		if (s->in_features && strcmp(name, "starttls") == 0)
			s->offered = true;
		if (s->in_error && s->cond[0] == '\0' &&
		    strcmp(name, "text") != 0)
			snprintf(s->cond, sizeof(s->cond), "%s", name);
	}
	if (!empty)
		s->depth = d;
}

/* One complete tag t[0..n), from '<' to '>'. */
static void
xmpp_tag(struct cd_stls *s, const unsigned char *t, size_t n)
{
	char name[64];
	size_t i, k = 0, start;
	bool closing = t[1] == '/';
	const unsigned char *colon;

	if (t[1] == '?') {
		if (s->depth > 0)
			finish(s, CD_STLS_FAILED, "an XML processing "
			    "instruction inside the stream");
		return;
	}
	if (t[1] == '!') {
		finish(s, CD_STLS_FAILED, "a comment, CDATA or DTD in the XML "
		    "stream (RFC 6120 11.1 forbids them)");
		return;
	}
	start = closing ? 2 : 1;
	for (i = start; i < n - 1 && t[i] != ' ' && t[i] != '\t' &&
	    t[i] != '\r' && t[i] != '\n' && t[i] != '/'; i++)
		;
	/* The local name: after the prefix, if any. */
	colon = memchr(t + start, ':', i - start);
	if (colon != NULL)
		start = (size_t)(colon - t) + 1;
	if (i == start) {
		finish(s, CD_STLS_FAILED, "malformed XML tag");
		return;
	}
	k = i - start < sizeof(name) - 1 ? i - start : sizeof(name) - 1;
	memcpy(name, t + start, k);
	name[k] = '\0';
	if (closing)
		xmpp_close(s, name);
	else
		xmpp_open(s, name, n >= 3 && t[n - 2] == '/');
}

static enum cd_stls_act
xmpp(struct cd_stls *s)
{
	unsigned char *lt, q = 0;
	size_t i, text;

	while (s->inlen > 0 && s->done == CD_STLS_RECV && s->outlen == 0) {
		/* Character data between tags. */
		lt = memchr(s->in, '<', s->inlen);
		text = lt ? (size_t)(lt - s->in) : s->inlen;
		for (i = 0; s->depth == 0 && i < text; i++)
			if (s->in[i] != ' ' && s->in[i] != '\t' &&
			    s->in[i] != '\r' && s->in[i] != '\n')
				return finish(s, CD_STLS_FAILED, "not an XMPP "
				    "stream: text before the first element");
		consume(s, text);
		if (s->inlen == 0)
			break;
		/* The tag's end: the first '>' outside a quoted value. */
		for (i = 1; i < s->inlen; i++) {
			if (q != 0 && s->in[i] == q)
				q = 0;
			else if (q == 0 && (s->in[i] == '"' ||
			    s->in[i] == '\''))
				q = s->in[i];
			else if (q == 0 && s->in[i] == '>')
				break;
		}
		if (i == s->inlen) {
			if (s->inlen >= sizeof(s->in))
				return finish(s, CD_STLS_FAILED, "an XML tag "
				    "longer than %zu bytes", sizeof(s->in));
			break;
		}
		xmpp_tag(s, s->in, i + 1);
		consume(s, i + 1);
	}
	if (s->done != CD_STLS_RECV)
		return s->done;
	return s->outlen > 0 ? CD_STLS_SEND : CD_STLS_RECV;
}

/* ------------------------------------------------------------------ */
/* LDAP: the BER of one ExtendedResponse                                */

/* The StartTLS ExtendedRequest, messageID 1 (RFC 4511 4.12, 4.14.1). */
static const unsigned char ldap_starttls[] = {
	0x30, 0x1d,			/* LDAPMessage */
	0x02, 0x01, 0x01,		/* messageID 1 */
	0x77, 0x18,			/* [APPLICATION 23] ExtendedRequest */
	0x80, 0x16,			/* [0] requestName */
	'1', '.', '3', '.', '6', '.', '1', '.', '4', '.', '1', '.',
	'1', '4', '6', '6', '.', '2', '0', '0', '3', '7'
};

/*
 * The identifier and definite length at p[0..n): 1 with *hdr (their
 * size) and *len, 0 when more bytes are needed, -1 when malformed (a
 * multi-byte tag, the indefinite form LDAP forbids, 16 MiB or more).
 */
static int
ber_head(const unsigned char *p, size_t n, unsigned *tag, size_t *hdr,
    size_t *len)
{
	size_t i, k;

	if (n < 2)
		return 0;
	if ((p[0] & 0x1f) == 0x1f)
		return -1;
	*tag = p[0];
	if (p[1] < 0x80) {
		*hdr = 2;
		*len = p[1];
		return 1;
	}
	k = p[1] & 0x7f;
	if (k == 0 || k > 3)
		return -1;
	if (n < 2 + k)
		return 0;
	for (*len = 0, i = 0; i < k; i++)
		*len = *len << 8 | p[2 + i];
	*hdr = 2 + k;
	return 1;
}

/* The next whole element of *p[0..*n): its tag and contents; advances. */
static bool
ber_next(const unsigned char **p, size_t *n, unsigned *tag,
    const unsigned char **val, size_t *vlen)
{
	size_t hdr, len;

	if (ber_head(*p, *n, tag, &hdr, &len) != 1 || len > *n - hdr)
		return false;
	*val = *p + hdr;
	*vlen = len;
	*p += hdr + len;
	*n -= hdr + len;
	return true;
}

/* A non-negative INTEGER or ENUMERATED of 1..4 bytes; -1 otherwise. */
static long
ber_uint(const unsigned char *v, size_t n)
{
	long x = 0;
	size_t i;

	if (n < 1 || n > 4 || (v[0] & 0x80))
		return -1;
	for (i = 0; i < n; i++)
		x = x << 8 | v[i];
	return x;
}

static const char *
ldap_result_name(long rc)
{
	switch (rc) {
	case 1: return "operationsError";
	case 2: return "protocolError";
	case 8: return "strongerAuthRequired";
	case 12: return "unavailableCriticalExtension";
	case 13: return "confidentialityRequired";
	case 50: return "insufficientAccessRights";
	case 51: return "busy";
	case 52: return "unavailable";
	case 53: return "unwillingToPerform";
	case 80: return "other";
	default: return "resultCode";
	}
}

/* The parsed message m[0..n): LDAPMessage contents. */
static enum cd_stls_act
ldap_message(struct cd_stls *s, const unsigned char *m, size_t n)
{
	const unsigned char *v, *op;
	size_t vlen, oplen;
	unsigned tag;
	long id, rc;
	char *q;

	if (!ber_next(&m, &n, &tag, &v, &vlen) || tag != 0x02 ||
	    (id = ber_uint(v, vlen)) < 0)
		return finish(s, CD_STLS_FAILED, "malformed LDAP message "
		    "(no messageID)");
	if (!ber_next(&m, &n, &tag, &op, &oplen))
		return finish(s, CD_STLS_FAILED, "malformed LDAP message");
	if (tag != 0x78)
		return finish(s, CD_STLS_FAILED, "LDAP operation 0x%02x in "
		    "answer to StartTLS, not an ExtendedResponse", tag);
	if (!ber_next(&op, &oplen, &tag, &v, &vlen) || tag != 0x0a ||
	    (rc = ber_uint(v, vlen)) < 0)
		return finish(s, CD_STLS_FAILED, "malformed LDAP "
		    "ExtendedResponse (no resultCode)");
	/* matchedDN, then diagnosticMessage: quote the latter. */
	s->replylen = 0;
	if (ber_next(&op, &oplen, &tag, &v, &vlen) && tag == 0x04 &&
	    ber_next(&op, &oplen, &tag, &v, &vlen) && tag == 0x04)
		quote(s, (const char *)v, vlen);
	if (id != 0 && id != 1)
		return finish(s, CD_STLS_FAILED, "an LDAP answer to message "
		    "%ld, not to our StartTLS request (1)", id);
	if (id == 1 && rc == 0)
		return ready(s);
	q = quoted(s);
	finish(s, CD_STLS_REFUSED, "%s: %s %ld (%s)%s%s%s",
	    id == 0 ? "notice of disconnection" : "StartTLS refused",
	    "resultCode", rc, ldap_result_name(rc), q && *q ? ": \"" : "",
	    q ? q : "", q && *q ? "\"" : "");
	free(q);
	return s->done;
}

static enum cd_stls_act
ldap(struct cd_stls *s)
{
	unsigned tag;
	size_t hdr, len;
	int r = ber_head(s->in, s->inlen, &tag, &hdr, &len);
	enum cd_stls_act act;

	if (r == 0)
		return CD_STLS_RECV;
	if (r < 0 || tag != 0x30)
		return finish(s, CD_STLS_FAILED, "not an LDAP message (BER "
		    "identifier 0x%02x)", s->in[0]);
	if (len > sizeof(s->in) - hdr)
		return finish(s, CD_STLS_FAILED, "an LDAP answer of %zu bytes, "
		    "more than a StartTLS response takes", len);
	if (s->inlen < hdr + len)
		return CD_STLS_RECV;
	act = ldap_message(s, s->in + hdr, len);
	consume(s, hdr + len);
	return act;
}

/* ------------------------------------------------------------------ */
/* PostgreSQL                                                           */

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
		return finish(s, CD_STLS_FAILED, "a PostgreSQL error message "
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
	consume(s, end);
	finish(s, CD_STLS_REFUSED, "the server answered SSLRequest with an "
	    "error: \"%s%s%s\"", q1 ? q1 : "", q1 ? ": " : "",
	    q2 ? q2 : "(no message)");
	free(q1);
	free(q2);
	return s->done;
}

static enum cd_stls_act
postgres(struct cd_stls *s)
{
	unsigned char c;

	if (s->inlen == 0)
		return CD_STLS_RECV;
	c = s->in[0];
	if (c == 'E')
		return pg_error(s);
	consume(s, 1);
	if (c == 'S')
		return ready(s);
	if (c == 'N')
		return finish(s, CD_STLS_REFUSED, "the server answered 'N' to "
		    "SSLRequest: it does not offer SSL (ssl = off?)");
	return finish(s, CD_STLS_FAILED, "not a PostgreSQL server: it "
	    "answered byte 0x%02x to SSLRequest", c);
}

/* ------------------------------------------------------------------ */
/* The machine                                                          */

void
cd_stls_init(struct cd_stls *s, enum cd_starttls proto, const char *helo,
    const char *domain)
{
	/* SSLRequest: length 8, then the code 1234 << 16 | 5679. */
	static const unsigned char pg[8] = {0, 0, 0, 8, 0x04, 0xd2, 0x16,
	    0x2f};
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
		/* The client opens the stream (RFC 6120 4.2, 4.7). */
		s->state = XM_FEATURES;
		say(s, "the stream features", "<?xml version='1.0'?>"
		    "<stream:stream to='%s' version='1.0' "
		    "xmlns='jabber:client' "
		    "xmlns:stream='http://etherx.jabber.org/streams'>",
		    s->domain);
		break;
	case CD_STARTTLS_LDAP:
		s->state = LD_RESP;
		memcpy(s->out, ldap_starttls, sizeof(ldap_starttls));
		s->outlen = sizeof(ldap_starttls);
		s->waiting = "the StartTLS extended response";
		break;
	case CD_STARTTLS_POSTGRES:
		s->state = PG_ANSWER;
		memcpy(s->out, pg, sizeof(pg));
		s->outlen = sizeof(pg);
		s->waiting = "the answer to SSLRequest";
		break;
	case CD_STARTTLS_NONE:
		ready(s);
		break;
	}
}

static enum cd_stls_act
step(struct cd_stls *s)
{
	switch (s->proto) {
	case CD_STARTTLS_SMTP:
		return lines(s, smtp_line);
	case CD_STARTTLS_IMAP:
		return lines(s, imap_line);
	case CD_STARTTLS_POP3:
		return lines(s, pop3_line);
	case CD_STARTTLS_FTP:
		return lines(s, ftp_line);
	case CD_STARTTLS_XMPP:
		return xmpp(s);
	case CD_STARTTLS_LDAP:
		return ldap(s);
	case CD_STARTTLS_POSTGRES:
		return postgres(s);
	case CD_STARTTLS_NONE:
		break;
	}
	return ready(s);
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
		finish(s, CD_STLS_FAILED, "the server sent %zu more bytes "
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
		finish(s, CD_STLS_FAILED, "the server sent more than %d bytes "
		    "without finishing the STARTTLS exchange", CD_STLS_TOTAL);
}

void
cd_stls_eof(struct cd_stls *s)
{
	if (s->done == CD_STLS_RECV)
		finish(s, CD_STLS_FAILED, "the server closed the connection "
		    "while we waited for %s", s->waiting);
}
