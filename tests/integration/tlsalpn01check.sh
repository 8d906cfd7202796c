#!/usr/bin/env bash
# tlsalpn01check.sh: tls-alpn-01 as the CA validates it, against real
# TLS servers (openssl s_server -alpn acme-tls/1) serving challenge
# certificates made here with openssl req: the right one, and one for
# each rule the CA checks (digest, critical flag, SAN count and value,
# self-signature), a server without acme-tls/1, a closed port, a server
# that stalls, and a name that does not exist.  Each failure must carry
# the CA's own message (Boulder va/tlsalpn.go) and the right exit code.
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig openssl gnutls-serv
TLSALPN="$top_builddir/tools/tlsalpn01check"
lab_need_built "$TLSALPN" "$HOSTILE"

tap_plan 51

lab_dns_add "alpn A 127.0.0.1"
if [ "$LAB_IPV6" = 1 ]; then
	lab_dns_add "alpn6 AAAA ::1"
fi
lab_dns_start
lab_hostile_start stall

KA="tok-Rq9xZ.thumb-4fEj2kT0"
C="$LAB/alpn"
mkdir -p "$C"
# digest KEYAUTH: SHA-256 of the key authorization, lower-case hex.
digest() { printf '%s' "$1" | openssl dgst -sha256 -r | cut -c1-64; }
D=$(digest "$KA")
DOTHER=$(digest "other.key-authorization")
# acme HEX: the acmeIdentifier value, an OCTET STRING of 32 bytes.
acme() { printf 'DER:04:20:%s' "$(sed 's/../&:/g; s/:$//' <<<"$1")"; }

# cert NAME SUBJECT-CN SAN ACME-EXT [req args...]: a challenge
# certificate and key in $C/NAME.{pem,key}.
cert() {
	local name=$1 cn=$2 san=$3 ext=$4
	shift 4
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$C/$name.key" -out "$C/$name.pem" -days 7 \
		-subj "/CN=$cn" -addext "subjectAltName=$san" \
		-addext "1.3.6.1.5.5.7.1.31=$ext" "$@" 2>"$C/$name.log" ||
		lab_bail "openssl req for $name failed: $(cat "$C/$name.log")"
}
cert good alpn.test DNS:alpn.test "critical,$(acme "$D")"
cert digest alpn.test DNS:alpn.test "critical,$(acme "$DOTHER")"
cert noncrit alpn.test DNS:alpn.test "$(acme "$D")"
cert twosan alpn.test DNS:alpn.test,DNS:other.test "critical,$(acme "$D")"
cert wrongsan other.test DNS:other.test "critical,$(acme "$D")"
# Signed by a CA of its own: issuer is not the subject.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$C/ca.key" -out "$C/ca.pem" -days 7 -subj "/CN=ALPN lab CA" \
	2>/dev/null || lab_bail "openssl: no lab CA"
cert notself alpn.test DNS:alpn.test "critical,$(acme "$D")" \
	-CA "$C/ca.pem" -CAkey "$C/ca.key"

# serve NAME PORT [s_server args...]: openssl s_server answering ALPN
# acme-tls/1 with NAME's certificate, dual-stack.
serve() {
	local name=$1 port=$2 pid
	shift 2
	openssl s_server -quiet -www -accept "$port" -cert "$C/$name.pem" \
		-key "$C/$name.key" "$@" >"$LAB/log/alpn-$name.log" 2>&1 \
		</dev/null &
	pid=$!
	lab_track "$pid"
	_lab_wait_port "$port" "$pid" "$LAB/log/alpn-$name.log"
}
serve good 5001 -alpn acme-tls/1
serve digest 5002 -alpn acme-tls/1
serve noncrit 5003 -alpn acme-tls/1
serve twosan 5004 -alpn acme-tls/1
serve wrongsan 5005 -alpn acme-tls/1
serve notself 5006 -alpn acme-tls/1
# The right certificate, but the server knows only http/1.1.
serve good 5007 -alpn http/1.1
if [ "$LAB_IPV6" = 1 ]; then
	cert good6 alpn6.test DNS:alpn6.test "critical,$(acme "$D")"
	serve good6 5009 -alpn acme-tls/1
fi

# ta WANT DESC ARGS...: tlsalpn01check --json in lab mode.
ta() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$TLSALPN" "$DNS" --json --allow-reserved \
		-t 5 "$@"
}
BAD="Incorrect validation certificate for tls-alpn-01 challenge. Requested alpn.test from 127.0.0.1"

# --- the right certificate -------------------------------------------------
ta 0 "correct challenge certificate: exit 0" --port=5001 \
	--key-authorization="$KA" alpn.test
assert_jq '.status == "OK" and .problems == [] and .alpn == "acme-tls/1"' \
	"correct: OK, no problem, acme-tls/1 negotiated"
assert_jq ".expected_digest == \"$D\" and .challenge_certificate.acme_identifier.value == \"$D\"" \
	"correct: the digest expected and the one served agree"
assert_jq '.challenge_certificate.valid and .challenge_certificate.self_signed and .challenge_certificate.acme_identifier.critical' \
	"correct: valid, self-signed, critical acmeIdentifier"
assert_jq '.attempts[0].address == "127.0.0.1" and .attempts[0].result == "ok" and (.attempts[0].tls.version | test("TLSv1\\.[23]"))' \
	"correct: one attempt at 127.0.0.1 over TLS 1.2 or 1.3"
ta 0 "no --key-authorization, challenge server: exit 0" --port=5001 alpn.test
assert_jq '.problems == [] and .challenge_certificate.valid' \
	"no key authorization: a well-formed challenge certificate, no problem"

# --- every rule the CA checks ----------------------------------------------
ta 2 "wrong digest: exit 2" --port=5002 --key-authorization="$KA" alpn.test
assert_problem tlsalpn01_bad_cert \
	"$BAD:5002. Received certificate with acmeValidationV1 extension value $DOTHER but expected $D." \
	"wrong digest: the CA's message with both values"
assert_jq 'severities("tlsalpn01_bad_cert") == ["CRITICAL"]' "wrong digest: CRITICAL"

ta 2 "acmeIdentifier not critical: exit 2" --port=5003 \
	--key-authorization="$KA" alpn.test
assert_problem tlsalpn01_bad_cert \
	"$BAD:5003. Received certificate with acmeValidationV1 extension that is not Critical." \
	"not critical: the CA's message"

ta 2 "two SANs: exit 2" --port=5004 --key-authorization="$KA" alpn.test
assert_problem tlsalpn01_bad_cert \
	"$BAD:5004. Received certificate with unexpected identifiers (\"alpn.test, other.test\"): \"wrong number of identifiers\"" \
	"two SANs: the CA's message naming both"

ta 2 "wrong SAN: exit 2" --port=5005 --key-authorization="$KA" alpn.test
assert_problem tlsalpn01_bad_cert \
	"$BAD:5005. Received certificate with unexpected identifiers (\"other.test\"): \"identifier does not match expected identifier\"" \
	"wrong SAN: the CA's message"

ta 2 "not self-signed (signed by a CA): exit 2" --port=5006 \
	--key-authorization="$KA" alpn.test
assert_problem tlsalpn01_bad_cert "$BAD:5006. Received certificate which is not self-signed." \
	"not self-signed: the CA's message"
assert_jq '.challenge_certificate.self_signed == false and .certificate.issuer != .certificate.subject' \
	"not self-signed: reported in the detail"

# --- no acme-tls/1 ---------------------------------------------------------
# A server without ALPN at all (gnutls-serv): the handshake completes and
# the CA then finds no acme-tls/1.
gnutls-serv --x509certfile="$C/good.pem" --x509keyfile="$C/good.key" \
	--port=5008 >"$LAB/log/gnutls-noalpn.log" 2>&1 </dev/null &
lab_track $!
_lab_wait_port 5008 $! "$LAB/log/gnutls-noalpn.log" $((LAB_IPV6 + 1))
ta 2 "server without ALPN, with key authorization: exit 2" \
	--port=5008 --key-authorization="$KA" alpn.test
assert_problem tlsalpn01_no_alpn \
	'Cannot negotiate ALPN protocol "acme-tls/1" for tls-alpn-01 challenge' \
	"no ALPN: the CA's message"
assert_jq 'severities("tlsalpn01_no_alpn") == ["CRITICAL"] and .alpn == null' \
	"no ALPN with key authorization: CRITICAL, no protocol"
ta 0 "server without ALPN, no key authorization: exit 0 (a note)" \
	--port=5008 alpn.test
assert_jq 'severities("tlsalpn01_no_alpn") == ["OK"] and .status == "OK"' \
	"no ALPN without key authorization: informational"
assert_jq '.certificate.san == ["alpn.test"]' \
	"no ALPN: the certificate that came back is still described"

# OpenSSL 3 with other protocols configured refuses the handshake with
# an alert; the CA then quotes the alert.
ta 2 "server with ALPN http/1.1 only, with key authorization: exit 2" \
	--port=5007 --key-authorization="$KA" alpn.test
assert_problem tlsalpn01_no_alpn \
	"127.0.0.1: remote error: tls: no application protocol" \
	"ALPN alert: the CA's words for the alert"
ta 0 "server with ALPN http/1.1 only, no key authorization: exit 0" \
	--port=5007 alpn.test
assert_jq 'severities("tlsalpn01_no_alpn") == ["OK"]' \
	"ALPN alert without key authorization: informational"

# --- failures before a certificate -----------------------------------------
ta 2 "connection refused: exit 2" --port="$LAB_PORT_CLOSED" \
	--key-authorization="$KA" alpn.test
assert_problem tlsalpn01_connect_failed "127.0.0.1: Connection refused" \
	"refused: the CA's words"
ta 2 "connection refused, no key authorization: still exit 2" \
	--port="$LAB_PORT_CLOSED" alpn.test
assert_jq 'severities("tlsalpn01_connect_failed") == ["CRITICAL"]' \
	"refused without key authorization: CRITICAL"

assert_exit 2 "stalling server, -t 2: exit 2" "$TLSALPN" "$DNS" --json \
	--allow-reserved -t 2 --port="$(lab_port stall)" \
	--key-authorization="$KA" alpn.test
assert_problem tlsalpn01_timeout \
	"127.0.0.1: Timeout after connect (your server may be slow or overloaded)" \
	"stall: the CA's words"
assert_elapsed_max 2.5 "stall: within -t + 0.5 s"

ta 2 "NXDOMAIN: exit 2" --port=5001 --key-authorization="$KA" nx.test
assert_problem tlsalpn01_dns_error \
	"DNS problem: NXDOMAIN looking up A for nx.test - check that a DNS record exists for this domain; DNS problem: NXDOMAIN looking up AAAA for nx.test - check that a DNS record exists for this domain" \
	"NXDOMAIN: the CA's words for both families"

# --- the CA drops loopback -------------------------------------------------
assert_exit 2 "without --allow-reserved, loopback is dropped: exit 2" \
	"$TLSALPN" "$DNS" --json -t 5 --port=5001 --key-authorization="$KA" \
	alpn.test
assert_problem tlsalpn01_dns_error "no valid A records found for alpn.test" \
	"no lab mode: no valid A record, as the CA says"
assert_jq '.reserved_addresses[0].address == "127.0.0.1" and .reserved_addresses[0].kept == false' \
	"no lab mode: the dropped address is listed"

# --- IPv6 only, nothing to fall back to ------------------------------------
if [ "$LAB_IPV6" = 1 ]; then
	ta 2 "AAAA only, refused: exit 2" --port="$LAB_PORT_CLOSED" \
		--key-authorization="$KA" alpn6.test
	assert_problem tlsalpn01_connect_failed \
		'Unable to contact "alpn6.test" at "::1", no IPv4 addresses to try as fallback' \
		"AAAA only: the CA's words"
	ta 0 "AAAA only, challenge server on ::1: exit 0" --port=5009 \
		--key-authorization="$KA" alpn6.test
	assert_jq '[.attempts[].address] == ["::1"] and .problems == []' \
		"AAAA only: served from ::1"
else
	for i in 1 2 3 4; do tap_skip "IPv6 case $i" "no IPv6 in this namespace"; done
fi

# --- the three formats -----------------------------------------------------
lab_nagios_link check_tlsalpn01 tlsalpn01check
assert_exit 0 "check_tlsalpn01, right certificate: exit 0" \
	"$LAB/bin/check_tlsalpn01" "$DNS" --allow-reserved -t 5 --port=5001 \
	--key-authorization="$KA" alpn.test
assert_first_line '^TLSALPN01 OK - alpn\.test: 127\.0\.0\.1 serves the tls-alpn-01 certificate the CA expects for alpn\.test \| .*time=' \
	"nagios: TLSALPN01 OK with perfdata"
assert_exit 2 "check_tlsalpn01, wrong digest: exit 2" \
	"$LAB/bin/check_tlsalpn01" "$DNS" --allow-reserved -t 5 --port=5002 \
	--key-authorization="$KA" alpn.test
assert_first_line '^TLSALPN01 CRITICAL - alpn\.test: Incorrect validation certificate for tls-alpn-01 challenge\. ' \
	"nagios: TLSALPN01 CRITICAL with the CA's message"
assert_exit 2 "text, wrong SAN: exit 2" "$TLSALPN" "$DNS" --allow-reserved \
	-t 5 --port=5005 --key-authorization="$KA" alpn.test
assert_true "text: the verdict names tlsalpn01_bad_cert and the CA's reason" \
	grep -q 'tlsalpn01_bad_cert.*identifier does not match expected identifier' "$LAB_OUT"
