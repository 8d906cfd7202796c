#!/usr/bin/env bash
# ip_identifiers.sh: IP address identifiers (RFC 8738), which Let's
# Encrypt validates with http-01 and tls-alpn-01.  The CA makes no DNS
# lookup: it connects to the address itself; for tls-alpn-01 it sends
# the address's reverse name as SNI and wants a challenge certificate
# with exactly one iPAddress SAN (Boulder va/tlsalpn.go); its policy
# refuses a reserved address before any validation.  The servers
# (gnutls-serv) refuse any SNI but the reverse name with a fatal alert,
# so a pass proves the SNI too.
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require openssl python3 gnutls-serv
TLSALPN="$top_builddir/tools/tlsalpn01check"
HTTP01="$top_builddir/tools/http01check"
lab_need_built "$TLSALPN" "$HTTP01" "$top_builddir/tools/dns01check" "$top_builddir/tools/caacheck"

tap_plan 31

KA="tok-Rq9xZ.thumb-4fEj2kT0"
C="$LAB/ip"
mkdir -p "$C"
D=$(printf '%s' "$KA" | openssl dgst -sha256 -r | cut -c1-64)
ACME="critical,DER:04:20:$(sed 's/../&:/g; s/:$//' <<<"$D")"

# cert NAME SAN: a challenge certificate for SAN in $C/NAME.{pem,key}.
cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$C/$1.key" -out "$C/$1.pem" -days 7 -subj "/CN=acme" \
		-addext "subjectAltName=$2" -addext "1.3.6.1.5.5.7.1.31=$ACME" \
		2>"$C/$1.log" || lab_bail "openssl req for $1 failed"
}
cert ip4 IP:127.0.0.1
cert ip4other IP:127.0.0.2
cert ip4dns DNS:127.0.0.1
cert ip4both IP:127.0.0.1,DNS:localhost
cert ip6 IP:::1

# serve PORT NAME SNI: gnutls-serv answering acme-tls/1 on PORT with
# NAME's certificate, and a fatal alert to any SNI but SNI.
serve() {
	local pid
	gnutls-serv -p "$1" --x509certfile="$C/$2.pem" --x509keyfile="$C/$2.key" \
		--alpn=acme-tls/1 --sni-hostname="$3" --sni-hostname-fatal \
		>"$LAB/log/ip-$1.log" 2>&1 </dev/null &
	pid=$!
	lab_track "$pid"
	_lab_wait_port "$1" "$pid" "$LAB/log/ip-$1.log"
}
REV4=1.0.0.127.in-addr.arpa
serve 5101 ip4 "$REV4"
serve 5102 ip4other "$REV4"
serve 5103 ip4dns "$REV4"
serve 5104 ip4both "$REV4"
serve 5106 ip4 other.example

ta() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$TLSALPN" --json -t 5 \
		--key-authorization="$KA" "$@"
}
BAD='Incorrect validation certificate for tls-alpn-01 challenge. Requested 127.0.0.1 from 127.0.0.1:'

# --- tls-alpn-01 -----------------------------------------------------------
ta 0 "127.0.0.1: the IP certificate, chosen by the reverse name as SNI" \
	--allow-reserved --port=5101 127.0.0.1
assert_jq '.identifier == "127.0.0.1" and .sni == "1.0.0.127.in-addr.arpa" and
	.ip_identifier and .problems == [] and ([.attempts[].address] == ["127.0.0.1"])' \
	"127.0.0.1: no DNS, SNI the reverse name, the address itself"
ta 2 "a server that wants another SNI refuses the handshake" \
	--allow-reserved --port=5106 127.0.0.1
assert_jq 'has_problem("tlsalpn01_connect_failed")' \
	"another SNI: the server's fatal alert (so the passes above prove the SNI)"
ta 2 "a certificate for another address" --allow-reserved --port=5102 127.0.0.1
assert_problem tlsalpn01_bad_cert \
	"$BAD""5102. Received certificate with unexpected identifiers (\"127.0.0.2, acme\"): \"identifier does not match expected identifier\"" \
	"another address: the CA's words"
ta 2 "a dNSName holding the address is no IP SAN" --allow-reserved \
	--port=5103 127.0.0.1
assert_problem tlsalpn01_bad_cert "\"wrong number of identifiers\"" \
	"dNSName only: wrong number of identifiers"
ta 2 "an IP SAN and a dNSName: two identifiers" --allow-reserved \
	--port=5104 127.0.0.1
assert_problem tlsalpn01_bad_cert "\"wrong number of identifiers\"" \
	"two SANs: wrong number of identifiers"
ta 2 "without --allow-reserved: the CA refuses a loopback identifier" \
	--port=5101 127.0.0.1
assert_jq '[.problems[] | select(.code == "tlsalpn01_dns_error") | .message][0] |
	startswith("Cannot issue for \"127.0.0.1\": IP address is in a reserved address block: ")' \
	"loopback: the CA's policy words, before any connection"
assert_jq '(.attempts // []) == []' "loopback: no connection made"
if [ "$LAB_IPV6" = 1 ]; then
	REV6=1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa
	serve 5105 ip6 "$REV6"
	ta 0 "::1: the IPv6 certificate, SNI the ip6.arpa name" --allow-reserved \
		--port=5105 ::1
	assert_jq ".sni == \"$REV6\" and .identifier == \"::1\"" \
		"::1: the nibble-reversed name"
	ta 0 "[::1] is the same identifier" --allow-reserved --port=5105 '[::1]'
	assert_jq '.identifier == "::1"' "[::1]: the canonical text"
else
	for i in 1 2 3 4; do tap_skip "IPv6 case $i" "no IPv6 in this namespace"; done
fi
assert_exit 3 "a name that is neither a domain nor an address: exit 3" \
	"$TLSALPN" --allow-reserved --port=5101 '1.2.3.4.5/8'
assert_true "neither a domain nor an address: says so on stderr" \
	grep -qF "'1.2.3.4.5/8' is not a domain name" "$LAB_ERR"

# --- http-01 ----------------------------------------------------------------
TOKEN=ipTokenTokenTokenTokenTokenTokenTokenToken1
mkdir -p "$C/www/.well-known/acme-challenge"
printf '%s' "$TOKEN.thumb" >"$C/www/.well-known/acme-challenge/$TOKEN"
python3 -m http.server --bind 127.0.0.1 --directory "$C/www" 5180 \
	>"$LAB/log/ip-http.log" 2>&1 </dev/null &
lab_track $!
_lab_wait_port 5180 $! "$LAB/log/ip-http.log"
ha() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$HTTP01" --json -t 5 --token="$TOKEN" \
		--http-port=5180 "$@"
}
ha 0 "http-01 for 127.0.0.1: fetched at the address" --allow-reserved \
	--expect="$TOKEN.thumb" 127.0.0.1
assert_jq ".url == \"http://127.0.0.1:5180/.well-known/acme-challenge/$TOKEN\" and .ip_identifier" \
	"http-01 for 127.0.0.1: the URL holds the address"
ha 2 "http-01 for 127.0.0.1, another body" --allow-reserved \
	--expect="$TOKEN.other" 127.0.0.1
assert_jq 'codes == ["http01_body_mismatch"] and .body_matches == false' \
	"http-01 for 127.0.0.1, another body: http01_body_mismatch only"
ha 2 "http-01 for 10.1.2.3 without --allow-reserved: refused by policy" \
	--expect="$TOKEN.thumb" 10.1.2.3
assert_problem http01_no_address \
	'Cannot issue for "10.1.2.3": IP address is in a reserved address block: [RFC1918]: Private-Use' \
	"10.1.2.3: the CA's policy words"
if [ "$LAB_IPV6" = 1 ]; then
	python3 -m http.server --bind ::1 --directory "$C/www" 5181 \
		>"$LAB/log/ip-http6.log" 2>&1 </dev/null &
	lab_track $!
	_lab_wait_port 5181 $! "$LAB/log/ip-http6.log"
	assert_exit 0 "http-01 for ::1: brackets in the URL" "$HTTP01" --json \
		-t 5 --token="$TOKEN" --http-port=5181 --allow-reserved \
		--expect="$TOKEN.thumb" ::1
	assert_jq ".url == \"http://[::1]:5181/.well-known/acme-challenge/$TOKEN\"" \
		"http-01 for ::1: http://[::1]:PORT/..."
else
	for i in 1 2; do tap_skip "IPv6 http case $i" "no IPv6 in this namespace"; done
fi

# --- the DNS challenges and CAA do not apply ----------------------------------
for t in dns01check caacheck; do
	assert_exit 3 "$t 127.0.0.1: a usage error" "$top_builddir/tools/$t" 127.0.0.1
	assert_true "$t 127.0.0.1: says which challenges validate an IP" \
		grep -q "is an IP address: the CA validates those with http-01 and tls-alpn-01 only" "$LAB_ERR"
done
