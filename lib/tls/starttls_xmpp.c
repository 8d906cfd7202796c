/*
 * starttls_xmpp.c - XMPP's STARTTLS (RFC 6120: stream header,
 * <stream:features> with <starttls/>, <starttls/>, <proceed/>), with
 * just enough of XML to follow the top of the stream.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "starttls_int.h"

/* The client opens the stream (RFC 6120 4.2, 4.7). */
void
cd_stls_xmpp_start(struct cd_stls *s)
{
	s->state = XM_FEATURES;
	cd_stls_say(s, "the stream features", "<?xml version='1.0'?>"
	    "<stream:stream to='%s' version='1.0' "
	    "xmlns='jabber:client' "
	    "xmlns:stream='http://etherx.jabber.org/streams'>",
	    s->domain);
}

static void
xmpp_features_done(struct cd_stls *s)
{
	s->in_features = false;
	if (!s->offered) {
		cd_stls_finish(s, CD_STLS_REFUSED, "the server does not offer STARTTLS "
		    "(no <starttls/> in its stream features)");
		return;
	}
	cd_stls_say(s, "the reply to <starttls/>",
	    "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
	s->state = XM_PROCEED;
}

static void
xmpp_stream_error(struct cd_stls *s)
{
	char *c = cd_escape(s->cond, strlen(s->cond));

	cd_stls_finish(s, CD_STLS_REFUSED, "stream error <%s/>",
	    c && *c ? c : "(no condition)");
	free(c);
}

/* A closing tag whose local name is name. */
static void
xmpp_close(struct cd_stls *s, const char *name)
{
	if (s->depth == 0) {
		cd_stls_finish(s, CD_STLS_FAILED, "malformed XML: a closing tag with "
		    "no element open");
		return;
	}
	if (--s->depth == 0) {
		cd_stls_finish(s, CD_STLS_FAILED, "the server closed the XML stream");
		return;
	}
	if (s->depth != 1)
		return;
	if (s->in_features && strcmp(name, "features") == 0)
		xmpp_features_done(s);
	else if (s->in_error && strcmp(name, "error") == 0)
		xmpp_stream_error(s);
	else if (s->in_proceed && strcmp(name, "proceed") == 0)
		cd_stls_ready(s);
}

/* An opening (or empty, when empty) tag of the element at depth d. */
static void
xmpp_open(struct cd_stls *s, const char *name, bool empty)
{
	int d = s->depth + 1;

	if (d == 1) {
		if (strcmp(name, "stream") != 0 || empty) {
			cd_stls_finish(s, CD_STLS_FAILED, "not an XMPP stream: it "
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
				cd_stls_ready(s);
			s->in_proceed = true;
		} else if (s->state == XM_PROCEED &&
		    strcmp(name, "failure") == 0) {
			cd_stls_finish(s, CD_STLS_REFUSED, "the server answered "
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
			cd_stls_finish(s, CD_STLS_FAILED, "an XML processing "
			    "instruction inside the stream");
		return;
	}
	if (t[1] == '!') {
		cd_stls_finish(s, CD_STLS_FAILED, "a comment, CDATA or DTD in the XML "
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
		cd_stls_finish(s, CD_STLS_FAILED, "malformed XML tag");
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

enum cd_stls_act
cd_stls_xmpp_step(struct cd_stls *s)
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
				return cd_stls_finish(s, CD_STLS_FAILED, "not an XMPP "
				    "stream: text before the first element");
		cd_stls_consume(s, text);
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
				return cd_stls_finish(s, CD_STLS_FAILED, "an XML tag "
				    "longer than %zu bytes", sizeof(s->in));
			break;
		}
		xmpp_tag(s, s->in, i + 1);
		cd_stls_consume(s, i + 1);
	}
	if (s->done != CD_STLS_RECV)
		return s->done;
	return s->outlen > 0 ? CD_STLS_SEND : CD_STLS_RECV;
}
