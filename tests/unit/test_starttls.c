/*
 * test_starttls.c - the STARTTLS conversations (lib/tls/starttls_conv.c and
 * its protocol files, lib/tls/starttls_line.c,
 * starttls_xmpp.c, starttls_ldap.c, starttls_pg.c) on
 * scripted server bytes, fed whole and one byte at a time: the outcome,
 * the words of the message, and exactly what the client said (EHLO with
 * our address literal, the XMPP stream header, the LDAP ExtendedRequest,
 * the PostgreSQL SSLRequest).  Also --starttls names and default ports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "starttls_conv.h"
#include "tap.h"

#define S(lit) lit, sizeof(lit) - 1

static const struct {
	const char *name;
	enum cd_starttls proto;
	const char *in;
	size_t len;
	enum cd_stls_act want;
	const char *msg;	/* substring of the message, or NULL */
	const char *said;	/* what the client wrote, in full, or NULL */
	size_t saidlen;
} cases[] = {
	{"smtp ok", CD_STARTTLS_SMTP,
	    S("220 mx ESMTP\r\n250-mx\r\n250-SIZE 10\r\n250 STARTTLS\r\n"
	    "220 2.0.0 go\r\n"), CD_STLS_READY, NULL,
	    S("EHLO [127.0.0.1]\r\nSTARTTLS\r\n")},
	{"smtp multi-line greeting, LF only", CD_STARTTLS_SMTP,
	    S("220-mx\n220 ESMTP\n250 starttls\n220 go\n"), CD_STLS_READY,
	    NULL, NULL, 0},
	{"smtp 454", CD_STARTTLS_SMTP,
	    S("220 mx\r\n250-mx\r\n250 STARTTLS\r\n454 4.7.0 TLS not "
	    "available\r\n"),
	    CD_STLS_REFUSED, "STARTTLS refused: \"454 4.7.0 TLS not "
	    "available\"", NULL, 0},
	{"smtp not offered", CD_STARTTLS_SMTP,
	    S("220 mx\r\n250-mx\r\n250 SIZE\r\n502 no\r\n"), CD_STLS_REFUSED,
	    "not offered in the EHLO reply", NULL, 0},
	{"smtp 554 greeting", CD_STARTTLS_SMTP, S("554 go away\r\n"),
	    CD_STLS_REFUSED, "refused the session: \"554 go away\"",
	    S("")},
	{"smtp EHLO 500", CD_STARTTLS_SMTP, S("220 mx\r\n500 what\r\n"),
	    CD_STLS_REFUSED, "EHLO refused: \"500 what\"", NULL, 0},
	{"smtp escapes quoted", CD_STARTTLS_SMTP, S("554 \x1b[2J\r\n"),
	    CD_STLS_REFUSED, "\"554 \\x1b[2J\"", NULL, 0},
	{"smtp garbage", CD_STARTTLS_SMTP, S("HTTP/1.1 400 Bad\r\n"),
	    CD_STLS_FAILED, "not an SMTP reply: \"HTTP/1.1 400 Bad\"", NULL,
	    0},
	{"smtp mixed codes", CD_STARTTLS_SMTP, S("220-a\r\n250 b\r\n"),
	    CD_STLS_FAILED, "different codes (220, then 250)", NULL, 0},
	{"smtp bad separator", CD_STARTTLS_SMTP, S("220x\r\n"),
	    CD_STLS_FAILED, "not an SMTP reply", NULL, 0},
	{"smtp injection", CD_STARTTLS_SMTP,
	    S("220 a\r\n250-a\r\n250 STARTTLS\r\n220 go\r\n250 evil\r\n"),
	    CD_STLS_FAILED, "10 more bytes after agreeing", NULL, 0},
	{"smtp truncated", CD_STARTTLS_SMTP, S("220 a\r\n250-b\r\n"),
	    CD_STLS_FAILED, "closed the connection while we waited for the "
	    "reply to EHLO", NULL, 0},
	{"imap ok", CD_STARTTLS_IMAP,
	    S("* OK ready\r\n* CAPABILITY IMAP4rev1\r\na001 OK go\r\n"),
	    CD_STLS_READY, NULL, S("a001 STARTTLS\r\n")},
	{"imap NO", CD_STARTTLS_IMAP, S("* OK ready\r\na001 NO never\r\n"),
	    CD_STLS_REFUSED, "STARTTLS refused: \"a001 NO never\"", NULL, 0},
	{"imap PREAUTH", CD_STARTTLS_IMAP, S("* PREAUTH hi\r\n"),
	    CD_STLS_REFUSED, "pre-authenticated", S("")},
	{"imap BYE greeting", CD_STARTTLS_IMAP, S("* BYE full\r\n"),
	    CD_STLS_REFUSED, "refused the session", NULL, 0},
	{"imap SMTP greeting", CD_STARTTLS_IMAP, S("220 mx ESMTP\r\n"),
	    CD_STLS_FAILED, "not an IMAP greeting: \"220 mx ESMTP\"", NULL,
	    0},
	{"pop3 ok", CD_STARTTLS_POP3, S("+OK hi\r\n+OK go\r\n"),
	    CD_STLS_READY, NULL, S("STLS\r\n")},
	{"pop3 -ERR", CD_STARTTLS_POP3, S("+OK hi\r\n-ERR no\r\n"),
	    CD_STLS_REFUSED, "STLS refused: \"-ERR no\"", NULL, 0},
	{"pop3 +OKAY is not +OK", CD_STARTTLS_POP3, S("+OKAY\r\n"),
	    CD_STLS_FAILED, "not a POP3 greeting", NULL, 0},
	{"ftp ok, 120 then multi-line 220", CD_STARTTLS_FTP,
	    S("120 soon\r\n220-hi\r\nfree text\r\n220-still\r\n220 ok\r\n"
	    "234 go\r\n"), CD_STLS_READY, NULL, S("AUTH TLS\r\n")},
	{"ftp 534", CD_STARTTLS_FTP, S("220 hi\r\n534 policy\r\n"),
	    CD_STLS_REFUSED, "AUTH TLS refused: \"534 policy\"", NULL, 0},
	{"ftp 200 is no go-ahead", CD_STARTTLS_FTP, S("220 hi\r\n200 ok\r\n"),
	    CD_STLS_FAILED, "unexpected reply to AUTH TLS", NULL, 0},
	{"xmpp ok", CD_STARTTLS_XMPP,
	    S("<?xml version='1.0'?><stream:stream xmlns:stream='x' "
	    "a='<>'>\n<stream:features><starttls xmlns='t'><required/>"
	    "</starttls></stream:features><proceed xmlns='t'/>"),
	    CD_STLS_READY, NULL,
	    S("<?xml version='1.0'?><stream:stream to='good.test' "
	    "version='1.0' xmlns='jabber:client' "
	    "xmlns:stream='http://etherx.jabber.org/streams'>"
	    "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")},
	{"xmpp proceed as start and end tag", CD_STARTTLS_XMPP,
	    S("<stream:stream><stream:features><starttls/></stream:features>"
	    "<proceed></proceed>"), CD_STLS_READY, NULL, NULL, 0},
	{"xmpp no starttls", CD_STARTTLS_XMPP,
	    S("<stream:stream><stream:features/>"), CD_STLS_REFUSED,
	    "does not offer STARTTLS", NULL, 0},
	{"xmpp failure", CD_STARTTLS_XMPP,
	    S("<s:stream><s:features><starttls/></s:features><failure/>"),
	    CD_STLS_REFUSED, "<failure/>", NULL, 0},
	{"xmpp stream error", CD_STARTTLS_XMPP,
	    S("<stream:stream><stream:error><text>x</text><host-unknown/>"
	    "</stream:error>"), CD_STLS_REFUSED, "stream error <host-unknown/>",
	    NULL, 0},
	{"xmpp comment", CD_STARTTLS_XMPP, S("<stream:stream><!-- x -->"),
	    CD_STLS_FAILED, "RFC 6120 11.1", NULL, 0},
	{"xmpp not a stream", CD_STARTTLS_XMPP, S("<html>"),
	    CD_STLS_FAILED, "not an XMPP stream", NULL, 0},
	{"xmpp text first", CD_STARTTLS_XMPP, S("220 mx\r\n"),
	    CD_STLS_FAILED, "text before the first element", NULL, 0},
	{"ldap ok", CD_STARTTLS_LDAP,
	    S("\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00"),
	    CD_STLS_READY, NULL,
	    S("\x30\x1d\x02\x01\x01\x77\x18\x80\x16"
	    "1.3.6.1.4.1.1466.20037")},
	{"ldap ok, long-form lengths", CD_STARTTLS_LDAP,
	    S("\x30\x81\x0d\x02\x01\x01\x78\x81\x07\x0a\x01\x00\x04\x00"
	    "\x04\x00"), CD_STLS_READY, NULL, NULL, 0},
	{"ldap unavailable", CD_STARTTLS_LDAP,
	    S("\x30\x0f\x02\x01\x01\x78\x0a\x0a\x01\x34\x04\x00\x04\x03"
	    "no!"), CD_STLS_REFUSED,
	    "StartTLS refused: resultCode 52 (unavailable): \"no!\"", NULL, 0},
	{"ldap notice of disconnection", CD_STARTTLS_LDAP,
	    S("\x30\x0c\x02\x01\x00\x78\x07\x0a\x01\x02\x04\x00\x04\x00"),
	    CD_STLS_REFUSED, "notice of disconnection: resultCode 2 "
	    "(protocolError)", NULL, 0},
	{"ldap other message id", CD_STARTTLS_LDAP,
	    S("\x30\x0c\x02\x01\x07\x78\x07\x0a\x01\x00\x04\x00\x04\x00"),
	    CD_STLS_FAILED, "answer to message 7", NULL, 0},
	{"ldap indefinite length", CD_STARTTLS_LDAP, S("\x30\x80\x00\x00"),
	    CD_STLS_FAILED, "not an LDAP message", NULL, 0},
	{"ldap huge length", CD_STARTTLS_LDAP, S("\x30\x83\x10\x00\x00"),
	    CD_STLS_FAILED, "more than a StartTLS response takes", NULL, 0},
	{"ldap inner length overruns", CD_STARTTLS_LDAP,
	    S("\x30\x05\x02\x09\x01\x78\x00"), CD_STLS_FAILED,
	    "no messageID", NULL, 0},
	{"postgres S", CD_STARTTLS_POSTGRES, S("S"), CD_STLS_READY, NULL,
	    S("\x00\x00\x00\x08\x04\xd2\x16\x2f")},
	{"postgres N", CD_STARTTLS_POSTGRES, S("N"), CD_STLS_REFUSED,
	    "answered 'N'", NULL, 0},
	{"postgres error", CD_STARTTLS_POSTGRES,
	    S("E\x00\x00\x00\x1aSFATAL\x00MOld protocol\x00\x00"),
	    CD_STLS_REFUSED, "error: \"FATAL: Old protocol\"", NULL, 0},
	{"postgres HTTP", CD_STARTTLS_POSTGRES, S("HTTP/1.0"),
	    CD_STLS_FAILED, "answered byte 0x48", NULL, 0},
};

/* Play in[] to a conversation in reads of step bytes; what it wrote. */
static enum cd_stls_act
play(size_t i, size_t step, char *said, size_t *saidlen, char *msg,
    size_t msglen)
{
	struct cd_stls *s = malloc(sizeof(*s));
	enum cd_stls_act act;
	unsigned char *room;
	size_t off = 0, n, cap;

	*saidlen = 0;
	cd_stls_init(s, cases[i].proto, "[127.0.0.1]", "good.test");
	for (;;) {
		act = cd_stls_next(s);
		if (act == CD_STLS_SEND) {
			memcpy(said + *saidlen, s->out, s->outlen);
			*saidlen += s->outlen;
			cd_stls_sent(s);
		} else if (act == CD_STLS_RECV) {
			cap = cd_stls_room(s, &room);
			if (off == cases[i].len) {
				cd_stls_eof(s);
				continue;
			}
			n = cases[i].len - off < step ? cases[i].len - off :
			    step;
			n = n < cap ? n : cap;
			memcpy(room, cases[i].in + off, n);
			off += n;
			cd_stls_fed(s, n);
		} else {
			break;
		}
	}
	snprintf(msg, msglen, "%s", s->msg);
	free(s);
	return act;
}

static void
test_cases(void)
{
	char said[1024], msg[CD_ERR_LEN];
	size_t i, saidlen, k;
	static const size_t steps[] = {4096, 1};
	enum cd_stls_act act;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (k = 0; k < 2; k++) {
			/*
			 * Bytes after the go-ahead are only in the buffer when
			 * they came with it; later ones are the driver's to
			 * see (it peeks at the socket).
			 */
			if (k == 1 && strstr(cases[i].name, "injection"))
				continue;
			act = play(i, steps[k], said, &saidlen, msg,
			    sizeof(msg));
			if (!tap_is_int(act, cases[i].want, "%s (reads of %zu): "
			    "outcome", cases[i].name, steps[k]))
				tap_diag("message: %s", msg);
			if (cases[i].msg != NULL && !tap_ok(strstr(msg,
			    cases[i].msg) != NULL, "%s (reads of %zu): message",
			    cases[i].name, steps[k]))
				tap_diag("message: %s", msg);
			if (cases[i].said != NULL)
				tap_ok(saidlen == cases[i].saidlen &&
				    memcmp(said, cases[i].said, saidlen) == 0,
				    "%s (reads of %zu): what the client said",
				    cases[i].name, steps[k]);
		}
	}
}

/* An endless "250-" reply and an endless line end at the caps. */
static void
test_caps(void)
{
	struct cd_stls s;
	unsigned char *room;
	size_t cap, n = 0;
	const char *l = "250-X\r\n";

	cd_stls_init(&s, CD_STARTTLS_SMTP, "[127.0.0.1]", NULL);
	cd_stls_room(&s, &room);
	memcpy(room, "220 a\r\n", 7);
	cd_stls_fed(&s, 7);
	while (cd_stls_next(&s) != CD_STLS_FAILED && n++ < 1000) {
		if (s.outlen > 0) {
			cd_stls_sent(&s);
			continue;
		}
		cd_stls_room(&s, &room);
		memcpy(room, l, strlen(l));
		cd_stls_fed(&s, strlen(l));
	}
	tap_ok(strstr(s.msg, "more than 100 lines") != NULL,
	    "endless 250- reply: line cap (%s)", s.msg);

	cd_stls_init(&s, CD_STARTTLS_IMAP, NULL, NULL);
	for (n = 0; cd_stls_next(&s) == CD_STLS_RECV && n < 100; n++) {
		cap = cd_stls_room(&s, &room);
		memset(room, 'a', cap);
		cd_stls_fed(&s, cap);
	}
	tap_ok(strstr(s.msg, "a line longer than 4096 bytes") != NULL,
	    "endless line: length cap (%s)", s.msg);
}

static void
test_names(void)
{
	enum cd_starttls p = CD_STARTTLS_NONE;
	static const char *const names[] = {"smtp", "imap", "pop3", "ftp",
	    "xmpp", "ldap", "postgres"};
	static const unsigned ports[] = {25, 143, 110, 21, 5222, 389, 5432};
	struct cd_err e;
	size_t i;

	for (i = 0; i < 7; i++) {
		tap_ok(cd_starttls_parse(names[i], &p, &e) == CD_OK &&
		    strcmp(cd_starttls_name(p), names[i]) == 0 &&
		    cd_starttls_port(p) == ports[i], "%s: parses, named, port "
		    "%u", names[i], ports[i]);
	}
	tap_ok(cd_starttls_parse("SMTP", &p, &e) == CD_E_USAGE &&
	    strstr(e.msg, "smtp, imap") != NULL, "SMTP (upper case) is a "
	    "usage error listing the protocols");
	tap_ok(cd_starttls_parse("", &p, &e) == CD_E_USAGE, "empty: usage "
	    "error");
	tap_ok(cd_starttls_name(CD_STARTTLS_NONE) == NULL &&
	    cd_starttls_port(CD_STARTTLS_NONE) == 443, "none: no name, 443");
}

int
main(void)
{
	test_cases();
	test_caps();
	test_names();
	return tap_done();
}
