#!/usr/bin/env bash
# text_output.sh: the text format as people read it.  The verdict first;
# each problem with its severity, code and one-line fix; certcheck's
# name, connection, trust and chain (a table with days left) aligned;
# -v adds fingerprints.  Colour only on a terminal without NO_COLOR
# (script(1) gives the tool a pseudo-terminal); --color=always forces it
# even through a pipe and with NO_COLOR, --color=never removes it even
# on a terminal, and the last --color wins.  Same rules for all tools.
# eval'd checks are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv nginx script
CAACHECK="$top_builddir/tools/caacheck"
lab_need_built "$CERTCHECK" "$CAACHECK" "$HTTP01CHECK"

tap_plan 39

lab_pki
lab_dns_add 'caa-refused CAA 0 issue ";"' 'caa-refused A 127.0.0.1'
lab_http01_site
lab_dns_start
lab_tls_serve good
lab_tls_serve incomplete
CA="--cafile=$LAB_PKI/root.pem"
ESC=$(printf '\033')
has_esc() { # FILE
	grep -q "$ESC" "$1"
}
# plain FILE WORDS: FILE holds WORDS (the verdict) and no escape: an
# empty output is not plain text.
plain() {
	grep -qF "$2" "$1" && ! has_esc "$1"
}
# on_tty CMD...: TTY=(the command line that runs CMD with a
# pseudo-terminal as stdout); lab_run runs programs, not functions.
on_tty() {
	TTY=(script -qec "$(printf '%q ' "$@")" /dev/null)
}

# Layout ------------------------------------------------------------------
assert_exit 2 "incomplete chain: exit 2" "$CERTCHECK" "$DNS" "$CA" "$(lab_target incomplete)"
assert_first_line '^incomplete\.test:4414  CRITICAL  the server sends only the certificate' \
	"verdict first: target, status, what is wrong"
assert_line 2 '^  CRITICAL  chain_incomplete: the server sends only' "then the problem: severity, code, message"
assert_line 3 '^            fix: serve the full chain: .*fullchain\.pem' "then the one-line fix, under it"
assert_true "name row: covered by the certificate" \
	grep -qE '^  name       incomplete\.test, covered by the certificate$' "$LAB_OUT"
assert_true "connected row: address, port, protocol, cipher" \
	grep -qE '^  connected  127\.0\.0\.1 port 4414, TLSv1\.[23], ' "$LAB_OUT"
assert_true "trust row: NOT trusted with GnuTLS's reason" \
	grep -qE '^  trust      NOT trusted: issuer not found' "$LAB_OUT"
assert_true "chain: a table header with days left" \
	grep -qE '^  chain      #  days left  expires \(UTC\)     key        signature     subject$' "$LAB_OUT"
assert_true "chain: the leaf's row, aligned under the header" \
	grep -qE '^             0 +60\.0  [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}  ECDSA 256  ECDSA-SHA256  CN=incomplete\.test' "$LAB_OUT"
assert_true "chain: the missing issuer is named under the row" \
	grep -qE '^ +issued by CN=certdiag lab int' "$LAB_OUT"
assert_true "san and ocsp rows" eval 'grep -qE "^  san        incomplete\.test$" "$LAB_OUT" && grep -qE "^  ocsp       stapled no, must_staple no$" "$LAB_OUT"'
assert_true "no fingerprints without -v" eval '! grep -q sha256 "$LAB_OUT"'
assert_true "nothing on stderr" test ! -s "$LAB_ERR"

assert_exit 0 "good, two certificates: exit 0" "$CERTCHECK" "$DNS" "$CA" "$(lab_target good)"
assert_first_line '^good\.test:4401  OK  good\.test valid for 60\.0 more days' "OK verdict first"
assert_true "two table rows, then the root as issuer of the last" \
	eval '[ "$(grep -cE "^             [01] " "$LAB_OUT")" = 2 ] && grep -q "issued by CN=certdiag lab root" "$LAB_OUT"'
assert_exit 0 "-v: exit 0" "$CERTCHECK" "$DNS" "$CA" -v "$(lab_target good)"
assert_true "-v: serial and SHA-256 under each row" \
	eval '[ "$(grep -cE "^ +serial [0-9a-f]+, sha256 [0-9a-f]{64}$" "$LAB_OUT")" = 2 ]'
assert_true "-v: the handshake time" grep -qE 'handshake 0\.[0-9]{3} s' "$LAB_OUT"

# Colour, certcheck ---------------------------------------------------------
INC=$(lab_target incomplete)
on_tty env -u NO_COLOR "$CERTCHECK" "$DNS" "$CA" "$INC"
assert_exit 2 "TTY, NO_COLOR unset: exit 2" "${TTY[@]}"
assert_true "TTY: the verdict's status in bold red" grep -qF "${ESC}[1;31mCRITICAL${ESC}[0m" "$LAB_OUT"
on_tty env NO_COLOR=1 "$CERTCHECK" "$DNS" "$CA" "$INC"
assert_exit 2 "TTY, NO_COLOR=1: exit 2" "${TTY[@]}"
assert_true "TTY, NO_COLOR=1: the verdict, no escape at all" plain "$LAB_OUT" "incomplete.test:4414  CRITICAL  "
on_tty env NO_COLOR= "$CERTCHECK" "$DNS" "$CA" "$INC"
assert_exit 2 "TTY, NO_COLOR empty: exit 2" "${TTY[@]}"
assert_true "TTY, NO_COLOR empty counts as unset: colour" has_esc "$LAB_OUT"
assert_exit 2 "pipe: exit 2" env -u NO_COLOR "$CERTCHECK" "$DNS" "$CA" "$INC"
assert_true "pipe: the verdict, no escape" plain "$LAB_OUT" "incomplete.test:4414  CRITICAL  "
assert_exit 2 "pipe, NO_COLOR=1, --color=always: exit 2" env NO_COLOR=1 "$CERTCHECK" "$DNS" "$CA" --color=always "$INC"
assert_true "--color=always forces colour through a pipe, NO_COLOR or not" has_esc "$LAB_OUT"
on_tty env -u NO_COLOR "$CERTCHECK" "$DNS" "$CA" --color=never "$INC"
assert_exit 2 "TTY --color=never: exit 2" "${TTY[@]}"
assert_true "TTY --color=never: the verdict, no escape" plain "$LAB_OUT" "incomplete.test:4414  CRITICAL  "
on_tty env -u NO_COLOR "$CERTCHECK" "$DNS" "$CA" --color=never --color=auto "$INC"
assert_exit 2 "TTY --color=never --color=auto: exit 2" "${TTY[@]}"
assert_true "the last --color wins (auto on a TTY: colour)" has_esc "$LAB_OUT"

# Colour, the other tools (the same shared code) ----------------------------
on_tty env -u NO_COLOR "$CAACHECK" "$DNS" caa-refused.test
assert_exit 2 "caacheck TTY: exit 2" "${TTY[@]}"
assert_true "caacheck TTY: colour" grep -qF "${ESC}[1;31mCRITICAL" "$LAB_OUT"
on_tty env NO_COLOR=1 "$CAACHECK" "$DNS" caa-refused.test
assert_exit 2 "caacheck TTY NO_COLOR=1: exit 2" "${TTY[@]}"
assert_true "caacheck TTY NO_COLOR=1: the verdict, no escape" plain "$LAB_OUT" "  CRITICAL  "
assert_exit 0 "http01check --color=always through a pipe: exit 0" \
	"$HTTP01CHECK" "$DNS" --allow-reserved --token=good --color=always web.test
assert_true "http01check --color=always: green OK" grep -qF "${ESC}[32mOK${ESC}[0m" "$LAB_OUT"
