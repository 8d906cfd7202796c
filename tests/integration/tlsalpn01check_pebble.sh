#!/usr/bin/env bash
# tlsalpn01check_pebble.sh: tlsalpn01check against the challenge
# certificates of real ACME software.  (a) pebble-challtestsrv, the
# challenge server of Let's Encrypt's test suite, serves a tls-alpn-01
# certificate for a key authorization given through its management API:
# tlsalpn01check passes it for that key authorization and refuses it for
# another in Boulder's words.  (b) Caddy obtains a certificate from
# Pebble (the ACME test CA) with tls-alpn-01 only, on Pebble's tlsPort,
# Pebble looking the name up in challtestsrv's DNS (every name
# 127.0.0.1, no AAAA); then tlsalpn01check asks the same Caddy for
# acme-tls/1 outside a challenge, and certcheck finds the certificate
# Pebble issued.
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require pebble pebble-challtestsrv caddy openssl
TLSALPN="$top_builddir/tools/tlsalpn01check"
CERTCHECK="$top_builddir/tools/certcheck"
lab_need_built "$TLSALPN" "$CERTCHECK"

tap_plan 19

TLS_PORT=5001       # Pebble's tlsPort: where Caddy answers
CTS_ALPN_PORT=5003  # challtestsrv's tls-alpn-01 server
DNSSRV=127.0.0.1:8053
P=$LAB/pebble
mkdir -p "$P"
lab_pki

pebble-challtestsrv -dns01 "$DNSSRV" -http01 "" -https01 "" \
	-tlsalpn01 "127.0.0.1:$CTS_ALPN_PORT" -management 127.0.0.1:8055 \
	-defaultIPv4 127.0.0.1 -defaultIPv6 "" \
	>"$LAB/log/challtestsrv.log" 2>&1 </dev/null &
lab_track $!
_lab_wait_port 8055 $! "$LAB/log/challtestsrv.log"
_lab_wait_port 8053 $! "$LAB/log/challtestsrv.log"
_lab_wait_port "$CTS_ALPN_PORT" $! "$LAB/log/challtestsrv.log"

# cts PATH JSON: a POST to challtestsrv's management API (bash's
# /dev/tcp, no client needed).
cts() {
	exec 3<>/dev/tcp/127.0.0.1/8055
	printf 'POST %s HTTP/1.0\r\nContent-Length: %d\r\n\r\n%s' "$1" "${#2}" "$2" >&3
	head -n 1 <&3 | grep -q ' 200 ' || lab_bail "challtestsrv refused $1 $2"
	exec 3<&-
}
# digest KEYAUTH: SHA-256 of the key authorization, lower-case hex.
digest() { printf '%s' "$1" | openssl dgst -sha256 -r | cut -c1-64; }

ta() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$TLSALPN" --dns-server="$DNSSRV" --allow-reserved \
		--json -t 10 "$@"
}

# --- (a) challtestsrv's challenge certificate -------------------------------
KA="cts-token-7Hq2.cts-thumbprint-Zp4w"
OTHER="another-token.cts-thumbprint-Zp4w"
cts /add-tlsalpn01 "{\"host\":\"alpn.test.example\",\"content\":\"$KA\"}"
ta 0 "challtestsrv: its certificate for KEYAUTH passes: exit 0" \
	--port="$CTS_ALPN_PORT" --key-authorization="$KA" alpn.test.example
assert_jq '.problems == [] and .challenge_certificate.valid and .challenge_certificate.self_signed and
	.challenge_certificate.acme_identifier.critical' \
	"challtestsrv: self-signed, critical acmeIdentifier, no problem"
assert_jq '.attempts[0].alpn == "acme-tls/1" and .expected_digest == .challenge_certificate.acme_identifier.value' \
	"challtestsrv: acme-tls/1 negotiated, the digest of KEYAUTH served"
ta 2 "challtestsrv: another key authorization: exit 2" \
	--port="$CTS_ALPN_PORT" --key-authorization="$OTHER" alpn.test.example
assert_problem tlsalpn01_bad_cert \
	"Received certificate with acmeValidationV1 extension value $(digest "$KA") but expected $(digest "$OTHER")." \
	"challtestsrv, other key authorization: the CA's digest message"
# A name without a challenge: challtestsrv, a Go TLS server, ends the
# handshake with an internal_error alert (its GetCertificate fails).
# The CA would fail there; with the key authorization that is critical,
# and the hint is the challenge certificate, not reachability.
ta 2 "challtestsrv: a name it has no challenge for, with KEYAUTH: exit 2" \
	--port="$CTS_ALPN_PORT" --key-authorization="$KA" none.test.example
assert_problem tlsalpn01_no_alpn "127.0.0.1: remote error: tls: internal error" \
	"challtestsrv, no challenge: the internal_error alert, as tlsalpn01_no_alpn"
assert_jq 'codes == ["tlsalpn01_no_alpn"] and severities("tlsalpn01_no_alpn") == ["CRITICAL"] and
	(.problems[0].hint | test("while the ACME client validates"))' \
	"challtestsrv, no challenge: CRITICAL, the hint is the challenge certificate"

# --- (b) Caddy, a certificate from Pebble by tls-alpn-01 --------------------
cat >"$P/pebble-config.json" <<EOF
{"pebble": {"listenAddress": "127.0.0.1:14000",
  "managementListenAddress": "127.0.0.1:15000",
  "certificate": "$LAB_PKI/ipsan.chain.pem", "privateKey": "$LAB_PKI/ipsan.key",
  "httpPort": 5002, "tlsPort": $TLS_PORT, "ocspResponderURL": "",
  "externalAccountBindingRequired": false}}
EOF
# Deterministic Pebble: no sleep before validating, no rejected nonces,
# no reused authorizations.
PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0 \
	pebble -config "$P/pebble-config.json" -dnsserver "$DNSSRV" \
	>"$LAB/log/pebble.log" 2>&1 </dev/null &
lab_track $!
_lab_wait_port 14000 $! "$LAB/log/pebble.log"

C=$LAB/caddy
mkdir -p "$C/data" "$C/config"
cat >"$C/Caddyfile" <<EOF
{
	admin off
	http_port 5002
	https_port $TLS_PORT
	storage file_system $C/data
	email lab@test.example
	ocsp_stapling off
}
caddy.test.example {
	tls {
		issuer acme {
			dir https://127.0.0.1:14000/dir
			trusted_roots $LAB_PKI/root.pem
			disable_http_challenge
		}
	}
	respond "served by caddy"
}
EOF
HOME=$C XDG_DATA_HOME=$C/data XDG_CONFIG_HOME=$C/config \
	caddy run --config "$C/Caddyfile" --adapter caddyfile \
	>"$LAB/log/caddy.log" 2>&1 </dev/null &
CADDY_PID=$!
lab_track $CADDY_PID
CRT=$C/data/certificates/127.0.0.1-14000-dir/caddy.test.example/caddy.test.example.crt
deadline=$(($(date +%s) + 40))
while [ ! -s "$CRT" ] && kill -0 $CADDY_PID 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
	sleep 0.1
done
assert_true "caddy: obtained a certificate from Pebble (the file exists)" test -s "$CRT"
assert_true "caddy: its log says Pebble connected for tls-alpn-01 and the certificate was obtained" \
	grep -q '"certificate obtained successfully","identifier":"caddy.test.example"' "$LAB/log/caddy.log"
assert_true "caddy: it served the key authorization certificate (Pebble validated over tls-alpn-01)" \
	grep -q '"served key authentication certificate","server_name":"caddy.test.example","challenge":"tls-alpn-01"' \
	"$LAB/log/caddy.log"

# Outside a challenge Caddy (certmagic, Go's TLS stack) answers an offer
# of acme-tls/1 with an internal_error alert: it has no challenge
# certificate to give.  Without a key authorization that is the note
# "does not answer acme-tls/1 now", exit 0; with one, the CA would fail.
ta 0 "caddy outside a challenge, no key authorization: exit 0 (a note)" \
	--port="$TLS_PORT" caddy.test.example
assert_jq 'codes == ["tlsalpn01_no_alpn"] and severities("tlsalpn01_no_alpn") == ["OK"] and
	.attempts[0].message == "127.0.0.1: remote error: tls: internal error"' \
	"caddy outside a challenge: tlsalpn01_no_alpn, informational, the alert in Go's words"
ta 2 "caddy outside a challenge, with a key authorization: exit 2" \
	--port="$TLS_PORT" --key-authorization="$KA" caddy.test.example
assert_jq 'codes == ["tlsalpn01_no_alpn"] and severities("tlsalpn01_no_alpn") == ["CRITICAL"]' \
	"caddy outside a challenge with a key authorization: critical"

# Without acme-tls/1 Caddy serves the certificate Pebble issued.
PEBBLE_ROOT=$P/pebble-root.pem
printf 'GET /roots/0 HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' |
	timeout 5 openssl s_client -connect 127.0.0.1:15000 -quiet -ign_eof 2>/dev/null |
	sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p' >"$PEBBLE_ROOT"
assert_true "Pebble's management API gives its root" grep -q 'BEGIN CERTIFICATE' "$PEBBLE_ROOT"
assert_exit 0 "certcheck against Caddy with Pebble's root: exit 0" \
	"$CERTCHECK" --dns-server="$DNSSRV" --cafile="$PEBBLE_ROOT" --json \
	"caddy.test.example:$TLS_PORT"
assert_jq '.chain[0].san == ["caddy.test.example"]' "certcheck: the leaf is Pebble's, for caddy.test.example"
# (Two empty strings would be equal: the SHA-256 must be there.)
LEAF_SHA=$(jq -r '.chain[0].sha256' "$LAB_OUT") || LEAF_SHA=
CRT_SHA=$(openssl x509 -in "$CRT" -outform DER | openssl dgst -sha256 -r | cut -c1-64)
assert_true "certcheck: the leaf is the one Caddy stored" \
	eval '[[ $LEAF_SHA =~ ^[0-9a-f]{64}$ ]] && [ "$LEAF_SHA" = "$CRT_SHA" ]'
