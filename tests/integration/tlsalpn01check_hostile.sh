#!/usr/bin/env bash
# tlsalpn01check_hostile.sh: tls-alpn-01 responders that misbehave: one
# that stalls mid-handshake (a partial ServerHello, then silence), one
# that sends a 100-certificate chain, garbage and plain HTTP instead of
# TLS, and three ways of hanging up (cleanly after the ClientHello, with
# a reset mid-handshake, at once).  Each must end with the CA's words
# (Boulder va/va.go detailedError, as va/tlsalpn.go reports a failed
# dial) and the right code within -t plus half a second; the long chain
# is judged by its leaf alone (Boulder takes PeerCertificates[0] and
# sets no limit on the chain's length) and stays fast.
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig openssl nginx python3
lab_need_built "$TLSALPN01CHECK" "$HOSTILE"

tap_plan 36

lab_dns_add "alpn A 127.0.0.1" "chain A 127.0.0.1"
lab_dns_start
lab_hostile_start stall
lab_hostile_start garbage
lab_hostile_start close
MIDCLOSE=5101 MIDSTALL=5102 HELLOCLOSE=5103 PLAIN=5104 CHAIN=5105 CHAINBAD=5106
lab_hostile_start midclose "$MIDCLOSE"
lab_hostile_start midstall "$MIDSTALL"
lab_hostile_start helloclose "$HELLOCLOSE"
# Plain HTTP where TLS is expected: nginx answers the ClientHello with
# "HTTP/1.1 400 Bad Request".
lab_nginx_serve plain "$PLAIN:1" <<EOF
    server { listen 127.0.0.1:$PLAIN; return 200 "not TLS\n"; }
EOF

KA="tok-Hz7wQ.thumb-9dLs0pVb"
C="$LAB/alpn"
mkdir -p "$C"
D=$(printf '%s' "$KA" | openssl dgst -sha256 -r | cut -c1-64)
DOTHER=$(printf '%s' other | openssl dgst -sha256 -r | cut -c1-64)
acme() { printf 'critical,DER:04:20:%s' "$(sed 's/../&:/g; s/:$//' <<<"$1")"; }
# cert NAME DIGEST: a challenge certificate for chain.test.
cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$C/$1.key" -out "$C/$1.pem" -days 7 -subj /CN=chain.test \
		-addext subjectAltName=DNS:chain.test \
		-addext "1.3.6.1.5.5.7.1.31=$(acme "$2")" 2>"$C/$1.log" ||
		lab_bail "openssl req for $1 failed: $(cat "$C/$1.log")"
}
cert good "$D"
cert other "$DOTHER"
# 99 more certificates after the leaf: 100 in all, 40 KB of Certificate
# message, each its own (one key, so that making them is quick).
openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:P-256 \
	-out "$C/bulk.key" 2>/dev/null || lab_bail "openssl: no bulk key"
: >"$C/bulk.pem"
for i in $(seq 99); do
	openssl req -x509 -key "$C/bulk.key" -days 7 -subj "/CN=Lab chain $i" \
		-set_serial "$i" 2>/dev/null >>"$C/bulk.pem" ||
		lab_bail "openssl: no chain certificate $i"
done
[ "$(grep -c 'BEGIN CERT' "$C/bulk.pem")" = 99 ] || lab_bail "not 99 chain certificates"
# The wrong leaf in front of a chain that holds the right certificate.
cat "$C/good.pem" "$C/bulk.pem" >"$C/bulk-good.pem"
# serve NAME PORT CHAIN: openssl s_server, leaf NAME, then CHAIN.
serve() {
	openssl s_server -quiet -www -accept "$2" -cert "$C/$1.pem" \
		-key "$C/$1.key" -cert_chain "$3" -alpn acme-tls/1 \
		>"$LAB/log/alpn-$1-$2.log" 2>&1 </dev/null &
	lab_track $!
	_lab_wait_port "$2" $! "$LAB/log/alpn-$1-$2.log"
}
serve good "$CHAIN" "$C/bulk.pem"
serve other "$CHAINBAD" "$C/bulk-good.pem"
# A leaf whose acmeIdentifier appears twice: no certificate tool writes
# one, so tests/helpers/dupext.py rewrites and signs it again.
DUPEXT=5107
python3 "$top_srcdir/tests/helpers/dupext.py" "$C/dup.pem" "$C/dup.key" \
	chain.test "$D" || lab_bail "tests/helpers/dupext.py failed"
openssl s_server -quiet -www -accept "$DUPEXT" -cert "$C/dup.pem" \
	-key "$C/dup.key" -alpn acme-tls/1 >"$LAB/log/alpn-dup.log" 2>&1 </dev/null &
lab_track $!
_lab_wait_port "$DUPEXT" $! "$LAB/log/alpn-dup.log"

# The binary, not libtool's wrapper: the times measure the tool.
lab_nagios_link tlsalpn01check tlsalpn01check
TA=$LAB/bin/tlsalpn01check
# ta WANT DESC ARGS...: tlsalpn01check --json in lab mode.
ta() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$TA" "$DNS" --json --allow-reserved "$@"
}

# --- stalls ---------------------------------------------------------------
ta 2 "partial ServerHello, then silence, -t 2: exit 2" -t 2 \
	--port="$MIDSTALL" --key-authorization="$KA" alpn.test
assert_problem tlsalpn01_timeout \
	"127.0.0.1: Timeout after connect (your server may be slow or overloaded)" \
	"midstall: tlsalpn01_timeout in the CA's words"
assert_jq '[.attempts[] | [.address, .result]] == [["127.0.0.1", "tlsalpn01_timeout"]]' \
	"midstall: one attempt, timed out"
assert_elapsed_max 2.5 "midstall: within -t 2 plus 0.5 s"
ta 2 "partial ServerHello, no key authorization: still exit 2" -t 1 \
	--port="$MIDSTALL" alpn.test
assert_jq 'severities("tlsalpn01_timeout") == ["CRITICAL"]' \
	"midstall without key authorization: CRITICAL"
assert_elapsed_max 1.5 "midstall: within -t 1 plus 0.5 s"
ta 2 "accepts, never answers, -t 2: exit 2" -t 2 --port="$(lab_port stall)" \
	--key-authorization="$KA" alpn.test
assert_problem tlsalpn01_timeout "Timeout after connect" "stall: tlsalpn01_timeout"
assert_elapsed_max 2.5 "stall: within -t 2 plus 0.5 s"

# --- a 100-certificate chain ----------------------------------------------
ta 0 "100 certificates, challenge leaf: exit 0" -t 5 --port="$CHAIN" \
	--key-authorization="$KA" chain.test
assert_jq '.status == "OK" and .problems == [] and .challenge_certificate.valid and .certificate.san == ["chain.test"]' \
	"100 certificates: the leaf is judged, and it is right"
assert_elapsed_max 2 "100 certificates: fast, far below -t 5"
ta 2 "100 certificates, wrong leaf, right certificate second: exit 2" -t 5 \
	--port="$CHAINBAD" --key-authorization="$KA" chain.test
assert_problem tlsalpn01_bad_cert \
	"Received certificate with acmeValidationV1 extension value $DOTHER but expected $D." \
	"100 certificates: only the leaf counts, as for the CA"
assert_elapsed_max 2 "100 certificates, wrong leaf: fast"

# --- not TLS --------------------------------------------------------------
ta 2 "garbage instead of TLS: exit 2" -t 5 --port="$(lab_port garbage)" \
	--key-authorization="$KA" alpn.test
assert_problem tlsalpn01_connect_failed "127.0.0.1: Error getting validation data" \
	"garbage: the CA's catch-all words"
assert_elapsed_max 1 "garbage: at once, no waiting for the deadline"
ta 2 "plain HTTP instead of TLS: exit 2" -t 5 --port="$PLAIN" \
	--key-authorization="$KA" alpn.test
assert_problem tlsalpn01_connect_failed "127.0.0.1: Server only speaks HTTP, not TLS" \
	"plain HTTP: the CA's words for an HTTP answer"
assert_jq '.attempts[0].result == "tlsalpn01_connect_failed" and (.attempts[0].detail | length > 0)' \
	"plain HTTP: the attempt keeps what GnuTLS said"
assert_elapsed_max 1 "plain HTTP: at once"

# --- a certificate the CA's TLS client cannot parse ------------------------
# Go's x509 parser refuses a repeated extension, so the CA's handshake
# fails before its own "seen twice" check could run; GnuTLS's client
# refuses it in the handshake too.
ta 2 "acmeIdentifier twice: exit 2" -t 5 --port="$DUPEXT" \
	--key-authorization="$KA" chain.test
assert_problem tlsalpn01_connect_failed "127.0.0.1: Error getting validation data" \
	"acmeIdentifier twice: the CA's handshake error, not a certificate verdict"
assert_jq '.attempts[0].detail | test("duplicate extension"; "i")' \
	"acmeIdentifier twice: the detail says what Go refuses"
assert_elapsed_max 1 "acmeIdentifier twice: at once"

# --- hang-ups -------------------------------------------------------------
ta 2 "closes cleanly after the ClientHello: exit 2" -t 5 \
	--port="$HELLOCLOSE" --key-authorization="$KA" alpn.test
assert_problem tlsalpn01_connect_failed "127.0.0.1: Error getting validation data" \
	"clean close: an EOF, the CA's catch-all words"
assert_elapsed_max 1 "clean close: at once"
ta 2 "resets mid-handshake: exit 2" -t 5 --port="$MIDCLOSE" \
	--key-authorization="$KA" alpn.test
assert_problem tlsalpn01_connect_failed "127.0.0.1: Connection reset by peer" \
	"reset: the CA's words for ECONNRESET"
assert_elapsed_max 1 "reset: at once"
# Closed at accept: FIN or reset, whichever the ClientHello meets first.
ta 2 "closes at once: exit 2" -t 5 --port="$(lab_port close)" \
	--key-authorization="$KA" alpn.test
assert_jq 'has_problem("tlsalpn01_connect_failed") and (.problems[0].message | test("^127\\.0\\.0\\.1: (Error getting validation data|Connection reset by peer)$"))' \
	"close at once: one of the CA's two sentences for it"
assert_elapsed_max 1 "close at once: at once"
