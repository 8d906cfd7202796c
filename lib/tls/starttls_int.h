/*
 * starttls_int.h - what the protocol files of the STARTTLS conversations
 * (starttls_line.c, starttls_xmpp.c, starttls_ldap.c, starttls_pg.c)
 * share with the machine in starttls_conv.c: the states, the outcome
 * and output helpers, and each family's start and step.
 */
#ifndef CD_STARTTLS_INT_H
#define CD_STARTTLS_INT_H

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

/* Decide the conversation: act, with msg from fmt. */
enum cd_stls_act cd_stls_finish(struct cd_stls *s, enum cd_stls_act act,
    const char *fmt, ...) CD_PRINTF(3, 4);

/* The server agreed: what follows is TLS. */
enum cd_stls_act cd_stls_ready(struct cd_stls *s);

/* The server's words collected so far, escaped (free() it). */
char *cd_stls_quoted(const struct cd_stls *s);

/* cd_stls_finish() with "WHAT: the server's reply". */
enum cd_stls_act cd_stls_finish_quote(struct cd_stls *s,
    enum cd_stls_act act, const char *what);

/* Remember the server's words for a message, capped. */
void cd_stls_quote(struct cd_stls *s, const char *p, size_t n);

/* Queue one command and say what its answer will be. */
void cd_stls_say(struct cd_stls *s, const char *waiting, const char *fmt,
    ...) CD_PRINTF(3, 4);

/* Drop the first n buffered server bytes. */
void cd_stls_consume(struct cd_stls *s, size_t n);

/* Case-insensitive: line starts with word, then a space or its end. */
bool cd_stls_word(const char *l, size_t n, const char *w);

/*
 * Each family's step: consume what the server sent so far and say what
 * to do next.  The line protocols (SMTP, IMAP, POP3, FTP) share one.
 */
enum cd_stls_act cd_stls_line_step(struct cd_stls *s);
enum cd_stls_act cd_stls_xmpp_step(struct cd_stls *s);
enum cd_stls_act cd_stls_ldap_step(struct cd_stls *s);
enum cd_stls_act cd_stls_pg_step(struct cd_stls *s);

/* The families where the client speaks first: its opening words. */
void cd_stls_xmpp_start(struct cd_stls *s);
void cd_stls_ldap_start(struct cd_stls *s);
void cd_stls_pg_start(struct cd_stls *s);

#endif
