#!/usr/bin/env bash
# certcheck_starttls_peer.sh: --starttls against peers that refuse or
# misbehave, played by tests/servers/scripted (no stock server does
# these on demand): refusals in each protocol's words, quoted and
# escaped; a stall in the greeting (a timeout naming the step, within
# -t); an endless multi-line reply; garbage; bytes injected after the
# server's go-ahead; a very long line.  The working cases are in
# certcheck_starttls.sh, against real servers.
# jq filters are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
. "$top_srcdir/tests/lab/daemons.sh"
lab_enter_netns "$@"
lab_require knotd kdig
lab_need_built "$CERTCHECK"

tap_plan 50

lab_pki
lab_dns_start

# SMTP: greeting, EHLO, then 454 (RFC 3207's "TLS not available").
lab_scripted_start 2501 <<'EOF'
send 220 good.test ESMTP scripted\r\n
line
send 250-good.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n
line
send 454 4.7.0 TLS not available due to local problem\r\n
EOF
lab_check 2 "smtp 454: exit 2" --starttls=smtp good.test:2501
assert_problem starttls_refused '127.0.0.1:2501 (smtp): STARTTLS refused: "454 4.7.0 TLS not available due to local problem"' \
	"smtp 454: starttls_refused quotes the reply"
assert_jq '.status == "CRITICAL" and .starttls == "smtp" and (.problems | length == 1)' \
	"smtp 454: CRITICAL, starttls in JSON, one problem"
assert_exit 2 "smtp 454 nagios: exit 2" "$CERTCHECK" "$DNS" --nagios --starttls=smtp good.test:2501
assert_first_line '^CERT CRITICAL - good\.test:2501: 127\.0\.0\.1:2501 \(smtp\): STARTTLS refused: "454 4\.7\.0 TLS not available' \
	"smtp 454 nagios: the refusal is the summary"
assert_exit 2 "smtp 454 text: exit 2" "$CERTCHECK" "$DNS" --starttls=smtp good.test:2501
assert_true "smtp 454 text: problem line and fix" grep -q '^  CRITICAL  starttls_refused: .*454 4.7.0' "$LAB_OUT"

# Not advertised, refused with 502: the message says so.
lab_scripted_start 2502 <<'EOF'
send 220 good.test ESMTP\r\n
line
send 250-good.test\r\n250 SIZE 1000\r\n
line
send 502 5.5.1 Unrecognized command\r\n
EOF
lab_check 2 "smtp no STARTTLS: exit 2" --starttls=smtp good.test:2502
assert_problem starttls_refused 'not offered in the EHLO reply' \
	"smtp no STARTTLS: says it was not offered"

# A refusal with terminal escapes: quoted escaped, never raw.
lab_scripted_start 2503 <<'EOF'
send 554 \x1b[31mgo away\x07\r\n
EOF
lab_check 2 "smtp 554 greeting with escapes: exit 2" --starttls=smtp good.test:2503
assert_problem starttls_refused 'refused the session: "554 \x1b[31mgo away\x07"' \
	"smtp 554: control bytes escaped in the message"
assert_exit 2 "smtp 554 text: exit 2" "$CERTCHECK" "$DNS" --starttls=smtp good.test:2503
assert_true "smtp 554 text: the refusal shown escaped, no raw ESC on the terminal" \
	bash -c 'grep -qF "554 \x1b[31mgo away\x07" "$1" && ! grep -q "$(printf "\033")" "$1"' _ "$LAB_OUT"

# A stall in the greeting: a timeout naming the step, within -t.
lab_scripted_start 2504 <<'EOF'
stall
EOF
lab_check 2 "smtp stall: exit 2" -t 1.5 --starttls=smtp good.test:2504
assert_problem timeout 'during STARTTLS (smtp): 127.0.0.1:2504: no answer, still waiting for the greeting' \
	"smtp stall: timeout names STARTTLS (smtp) and the greeting"
assert_elapsed_max 2.0 "smtp stall: ends within -t 1.5 + 0.5 s"

# An endless "250-" reply: capped, quickly.
lab_scripted_start 2505 <<'EOF'
send 220 good.test ESMTP\r\n
line
flood 250-PIPELINING\r\n
EOF
lab_check 2 "smtp endless 250-: exit 2" -t 5 --starttls=smtp good.test:2505
assert_problem starttls_failed 'a reply of more than 100 lines' \
	"smtp endless 250-: starttls_failed, line cap"
assert_elapsed_max 3 "smtp endless 250-: does not wait for -t"

# One endless line: capped by length.
lab_scripted_start 2506 <<'EOF'
flood 220-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
EOF
lab_check 2 "endless line: exit 2" -t 5 --starttls=smtp good.test:2506
assert_problem starttls_failed 'a line longer than 4096 bytes' "endless line: starttls_failed"
assert_elapsed_max 2 "endless line: does not wait for -t"

# Garbage (a TLS record where the greeting should be).
lab_scripted_start 2507 <<'EOF'
send \x16\x03\x01\x00\x05hello\r\n
stall
EOF
lab_check 2 "garbage: exit 2" --starttls=smtp good.test:2507
assert_problem starttls_failed 'not an SMTP reply' "garbage: starttls_failed"
assert_elapsed_max 2 "garbage: does not wait for the stall after it"

# STARTTLS response injection: bytes after "220 go ahead".
lab_scripted_start 2508 <<'EOF'
send 220 good.test ESMTP\r\n
line
send 250 STARTTLS\r\n
line
send 220 go ahead\r\n250 injected\r\n
stall
EOF
lab_check 2 "injection after 220: exit 2" --starttls=smtp good.test:2508
assert_problem starttls_failed 'more bytes after agreeing to STARTTLS' \
	"injection after 220: starttls_failed"
assert_elapsed_max 2 "injection after 220: does not wait for the stall after it"

# Each protocol's refusal in its own words.
lab_scripted_start 2509 <<'EOF'
send * OK IMAP4rev1 ready\r\n
line
send a001 BAD STARTTLS not available\r\n
EOF
lab_check 2 "imap BAD: exit 2" --starttls=imap good.test:2509
assert_problem starttls_refused 'STARTTLS refused: "a001 BAD STARTTLS not available"' "imap BAD: quoted"

lab_scripted_start 2510 <<'EOF'
send * PREAUTH logged in already\r\n
EOF
lab_check 2 "imap PREAUTH: exit 2" --starttls=imap good.test:2510
assert_problem starttls_refused 'pre-authenticated' "imap PREAUTH: refused"

lab_scripted_start 2511 <<'EOF'
send +OK POP3 ready\r\n
line
send -ERR TLS not configured\r\n
EOF
lab_check 2 "pop3 -ERR: exit 2" --starttls=pop3 good.test:2511
assert_problem starttls_refused 'STLS refused: "-ERR TLS not configured"' "pop3 -ERR: quoted"

lab_scripted_start 2512 <<'EOF'
send 220-Welcome\r\n to the\r\n220 FTP server\r\n
line
send 534 Local policy on server does not allow TLS\r\n
EOF
lab_check 2 "ftp 534 after a multi-line greeting: exit 2" --starttls=ftp good.test:2512
assert_problem starttls_refused 'AUTH TLS refused: "534 Local policy' "ftp 534: quoted"

lab_scripted_start 2513 <<'EOF'
recv 1
send <?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0' from='good.test' id='x'><stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>
stall
EOF
lab_check 2 "xmpp without <starttls/>: exit 2" --starttls=xmpp good.test:2513
assert_problem starttls_refused 'does not offer STARTTLS' "xmpp without <starttls/>: refused"
assert_elapsed_max 2 "xmpp without <starttls/>: does not wait for the stall after it"

lab_scripted_start 2514 <<'EOF'
recv 1
send <stream:stream xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>
recv 1
send <failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:stream>
stall
EOF
lab_check 2 "xmpp <failure/>: exit 2" --starttls=xmpp good.test:2514
assert_problem starttls_refused 'answered <failure/>' "xmpp <failure/>: refused"
assert_elapsed_max 2 "xmpp <failure/>: does not wait for the stall after it"

# PostgreSQL with ssl = off answers 'N'.
lab_scripted_start 2515 <<'EOF'
recv 8
send N
stall
EOF
lab_check 2 "postgres N: exit 2" --starttls=postgres good.test:2515
assert_problem starttls_refused "answered 'N' to SSLRequest" "postgres N: refused"
assert_elapsed_max 2 "postgres N: does not wait for the stall after it"

# An LDAP server answering something else than an ExtendedResponse.
lab_scripted_start 2516 <<'EOF'
recv 31
send \x30\x0c\x02\x01\x01\x65\x07\x0a\x01\x00\x04\x00\x04\x00
stall
EOF
lab_check 2 "ldap wrong operation: exit 2" --starttls=ldap good.test:2516
assert_problem starttls_failed 'not an ExtendedResponse' "ldap wrong operation: starttls_failed"
assert_elapsed_max 2 "ldap wrong operation: does not wait for the stall after it"

# A server that hangs up in the middle.
lab_scripted_start 2517 <<'EOF'
send 220 good.test ESMTP\r\n
line
EOF
lab_check 2 "hang-up after EHLO: exit 2" --starttls=smtp good.test:2517
assert_problem starttls_failed 'closed the connection while we waited for the reply to EHLO' \
	"hang-up after EHLO: starttls_failed names the step"
