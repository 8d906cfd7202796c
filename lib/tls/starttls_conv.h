/*
 * starttls_conv.h - the STARTTLS conversations as pure state machines:
 * what to send, and what the server's bytes mean.  No I/O here, so the
 * whole of it (every reply parser, the LDAP BER reader, the XMPP tag
 * scanner) is driven by a fuzz target exactly as starttls.c drives it
 * with a socket.
 *
 * The driver loop:
 *
 *	cd_stls_init(&s, proto, helo, domain);
 *	for (;;) switch (cd_stls_next(&s)) {
 *	case CD_STLS_SEND:   write s.out[0..s.outlen), cd_stls_sent(&s)
 *	case CD_STLS_RECV:   read at most cd_stls_room() bytes into it,
 *	                     cd_stls_fed(&s, n), or cd_stls_eof(&s) on EOF
 *	case CD_STLS_READY:  the next bytes on the wire are TLS
 *	case CD_STLS_REFUSED, CD_STLS_FAILED: s.msg says why
 *	}
 */
#ifndef CD_STARTTLS_CONV_H
#define CD_STARTTLS_CONV_H

#include <stdbool.h>
#include <stddef.h>

#include "cd_internal.h"

/*
 * Caps on what a server may send before TLS, so that an endless "250-"
 * reply or a megabyte of XML ends in a finding, not in memory or time.
 * A line or an XML tag must fit CD_STLS_BUF; RFC 5321 allows 512 bytes
 * per reply line, and real stream features are about 1 KiB.
 */
#define CD_STLS_BUF 4096
#define CD_STLS_TOTAL 65536
#define CD_STLS_LINES 100

enum cd_stls_act {
	CD_STLS_SEND,		/* write out[0..outlen), then cd_stls_sent() */
	CD_STLS_RECV,		/* read into cd_stls_room(), cd_stls_fed() */
	CD_STLS_READY,		/* the next bytes are the TLS handshake */
	CD_STLS_REFUSED,	/* the server said no; msg quotes it */
	CD_STLS_FAILED		/* not the protocol; msg says why */
};

struct cd_stls {
	enum cd_starttls proto;
	int state;
	enum cd_stls_act done;	/* READY/REFUSED/FAILED once decided */
	char helo[64];		/* SMTP EHLO argument: our address literal */
	char domain[256];	/* XMPP "to": the server's domain */
	char out[384];
	size_t outlen;
	unsigned char in[CD_STLS_BUF];	/* unconsumed server bytes */
	size_t inlen;
	size_t total;		/* bytes received in all */
	size_t want;		/* > 0: read no more than this now */
	unsigned nlines;	/* lines of the reply being read */
	int code;		/* its SMTP/FTP code */
	bool multi;		/* an FTP multi-line reply is open */
	bool offered;		/* STARTTLS advertised (EHLO, features) */
	int depth;		/* XMPP element depth */
	bool in_features, in_error, in_proceed;
	char cond[64];		/* XMPP stream error condition */
	char reply[200];	/* the server's words, raw, to be quoted */
	size_t replylen;
	const char *waiting;	/* static: what we wait for, for timeouts */
	char msg[CD_ERR_LEN];	/* REFUSED/FAILED: escaped explanation */
};

/*
 * Start a conversation: helo is what SMTP's EHLO says about us (an
 * address literal), domain the server name XMPP's stream header names.
 */
void cd_stls_init(struct cd_stls *s, enum cd_starttls proto,
    const char *helo, const char *domain);

/* The next thing to do; see the loop above. */
enum cd_stls_act cd_stls_next(struct cd_stls *s);

/* The pending output was written. */
void cd_stls_sent(struct cd_stls *s);

/* Where the next read goes (*p) and how many bytes it may bring. */
size_t cd_stls_room(struct cd_stls *s, unsigned char **p);

/* n bytes were read into the room. */
void cd_stls_fed(struct cd_stls *s, size_t n);

/* The server closed the connection. */
void cd_stls_eof(struct cd_stls *s);

#endif
