#!/usr/bin/env bash
# http01check_pebble.sh: http01check against a real ACME CA.  Pebble (the
# ACME test server of Let's Encrypt) validates certbot --webroot orders
# offline, with pebble-challtestsrv as its DNS (every name 127.0.0.1, no
# AAAA) and nginx as the web server on Pebble's httpPort (5002); the
# recipe is the offline one of Pebble's README.  For every case where Pebble and
# Let's Encrypt agree (the file served, nothing served, a wrong body, a
# DNS failure), certbot and http01check --webroot with the same web root
# must agree too: certbot succeeds <=> exit 0, certbot fails <=> exit 2.
# (Pebble cannot judge LE's redirect, port, reserved-address, 128-byte,
# whitespace or IPv6 rules; those are in the other http01check_*.sh.)
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require pebble pebble-challtestsrv certbot nginx kdig
lab_need_built "$HTTP01CHECK"

tap_plan 25

HTTP_PORT=5002
P=$LAB/pebble
mkdir -p "$P"

# Pebble's own listener: the lab's IP-address leaf (127.0.0.1, ::1),
# trusted by certbot through REQUESTS_CA_BUNDLE.
lab_pki
cat >"$P/pebble-config.json" <<EOF
{"pebble": {"listenAddress": "127.0.0.1:14000",
  "managementListenAddress": "127.0.0.1:15000",
  "certificate": "$LAB_PKI/ipsan.chain.pem", "privateKey": "$LAB_PKI/ipsan.key",
  "httpPort": $HTTP_PORT, "tlsPort": 5001, "ocspResponderURL": "",
  "externalAccountBindingRequired": false}}
EOF

# Fake DNS: every name is 127.0.0.1, no AAAA (Pebble tries only the first
# address, IPv6 first, with no IPv4 fallback); its challenge servers off.
pebble-challtestsrv -dns01 127.0.0.1:8053 -http01 "" -https01 "" \
	-tlsalpn01 "" -management 127.0.0.1:8055 -defaultIPv4 127.0.0.1 \
	-defaultIPv6 "" >"$LAB/log/challtestsrv.log" 2>&1 </dev/null &
lab_track $!
_lab_wait_port 8055 $! "$LAB/log/challtestsrv.log"
_lab_wait_port 8053 $! "$LAB/log/challtestsrv.log"

# Deterministic Pebble: no sleep before validating, no rejected nonces,
# no reused authorizations.
PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0 \
	pebble -config "$P/pebble-config.json" -dnsserver 127.0.0.1:8053 \
	>"$LAB/log/pebble.log" 2>&1 </dev/null &
lab_track $!
_lab_wait_port 14000 $! "$LAB/log/pebble.log"

# The web server: the certbot web root for every name, except
# wrong.test.example, which answers every challenge with a wrong body.
WR=$LAB/webroot
UNSERVED=$LAB/unserved
# odd.test.example answers a body as editors and copy-paste leave one:
# a byte-order mark, a no-break and a zero-width space, a C1 control, a
# bidi override, an accented letter and a byte that is no UTF-8.  Both
# the CA and the user see it only through Go's %q.
ODD=$(printf '\357\273\277not the key\302\240authorization\342\200\213 \302\205\342\200\256 caf\303\251\377')
mkdir -p "$WR" "$UNSERVED"
lab_nginx_serve pebble "$HTTP_PORT:1" <<EOF
    default_type application/octet-stream;
    server { listen 127.0.0.1:$HTTP_PORT default_server; root $WR; }
    server {
        listen 127.0.0.1:$HTTP_PORT;
        server_name wrong.test.example;
        location /.well-known/acme-challenge/ { return 200 "not the key authorization\n"; }
    }
    server {
        listen 127.0.0.1:$HTTP_PORT;
        server_name odd.test.example;
        location /.well-known/acme-challenge/ { return 200 "$ODD"; }
    }
EOF

# A SERVFAIL for sf.test.example, through challtestsrv's management API
# (a bare HTTP POST: bash's /dev/tcp, no client needed).
body='{"host":"sf.test.example."}'
exec 3<>/dev/tcp/127.0.0.1/8055
printf 'POST /set-servfail HTTP/1.0\r\nContent-Length: %d\r\n\r\n%s' \
	"${#body}" "$body" >&3
head -n 1 <&3 | grep -q ' 200 ' || lab_bail "challtestsrv refused /set-servfail"
exec 3<&-
kdig @127.0.0.1 -p 8053 +time=1 +retry=0 sf.test.example A 2>&1 | grep -q SERVFAIL ||
	lab_bail "challtestsrv does not answer SERVFAIL for sf.test.example"

# A fresh certbot state for this Pebble process (Pebble forgets accounts).
CB=$LAB/certbot
mkdir -p "$CB/config" "$CB/work" "$CB/logs"

# certbot_webroot ROOT NAME: certbot certonly --webroot against Pebble.
certbot_webroot() {
	REQUESTS_CA_BUNDLE=$LAB_PKI/root.pem lab_run certbot certonly \
		--non-interactive --agree-tos --register-unsafely-without-email \
		--server https://127.0.0.1:14000/dir --webroot -w "$1" -d "$2" \
		--config-dir "$CB/config" --work-dir "$CB/work" \
		--logs-dir "$CB/logs"
}

# agree NAME ROOT CERTBOT-OK H01-EXIT WHAT: certbot against Pebble, then
# http01check --webroot=ROOT, the same name, the same ports, the same
# DNS.  CERTBOT-OK is yes or no; WHAT is a regex for certbot's output.
agree() {
	local name=$1 root=$2 cbok=$3 want=$4 what=$5 cbrc
	certbot_webroot "$root" "$name"
	cbrc=$LAB_RC
	if { [ "$cbok" = yes ] && [ "$cbrc" = 0 ]; } ||
		{ [ "$cbok" = no ] && [ "$cbrc" != 0 ]; }; then
		ok "$name: certbot via Pebble $([ "$cbok" = yes ] && echo succeeds || echo fails) (exit $cbrc)"
	else
		not_ok "$name: certbot via Pebble $([ "$cbok" = yes ] && echo succeeds || echo fails) (exit $cbrc)"
		_lab_diag_last
		sed 's/^/#   /' "$LAB/log/pebble.log" | tail -n 20
	fi
	if grep -Eq -- "$what" "$LAB_OUT" "$LAB_ERR"; then
		ok "$name: certbot says /$what/"
	else
		not_ok "$name: certbot says /$what/"
		_lab_diag_last
	fi
	assert_exit "$want" "$name: http01check --webroot=${root##*/}: exit $want" \
		"$HTTP01CHECK" --dns-server=127.0.0.1:8053 --http-port="$HTTP_PORT" \
		--allow-reserved --json -t 10 --webroot="$root" "$name"
	assert_true "$name: certbot and http01check agree (certbot exit $cbrc, http01check exit $LAB_RC)" \
		test "$([ "$cbrc" = 0 ] && echo 0 || echo 2)" = "$LAB_RC"
}

# 1. The web root is served: both succeed.
agree ok.test.example "$WR" yes 0 "Successfully received certificate"
assert_jq '.body_matches == true and .attempts[0].address == "127.0.0.1"' \
	"ok: http01check fetched and matched its own file"
assert_true "ok: certbot removed its token file again" \
	eval '[ -d "$WR" ] && [ -z "$(find "$WR" -type f)" ]'

# 2. Nothing served where certbot writes: Pebble gets a 404.
agree missing.test.example "$UNSERVED" no 2 "Non-200 status code from HTTP: .* returned 404"
assert_problem http01_bad_status ": 404" "missing: http01_bad_status, 404 (Pebble: Non-200 status code ... 404)"

# 3. A body that is not the key authorization.
agree wrong.test.example "$WR" no 2 "The key authorization file from the server did not match this challenge"
assert_jq 'has_problem("http01_body_mismatch")' "wrong: http01_body_mismatch"

# 3b. The odd body: Pebble quotes it with Go's %q ("... did not match this
# challenge EXPECTED != GOT"), http01check as Boulder words it
# ("Expected ... (got GOT)"); GOT must be the same bytes.
certbot_webroot "$WR" odd.test.example
pebble_got=$(cat "$LAB_OUT" "$LAB_ERR" | sed -n 's/.*did not match this challenge ".*" != \(".*"\)$/\1/p' | head -n 1)
assert_true "odd: Pebble refuses and quotes the body (${pebble_got:-nothing found})" \
	test -n "$pebble_got"
assert_exit 2 "odd: http01check --webroot: exit 2" \
	"$HTTP01CHECK" --dns-server=127.0.0.1:8053 --http-port="$HTTP_PORT" \
	--allow-reserved --json -t 10 --webroot="$WR" odd.test.example
ours_got=$(jq -r '.problems[] | select(.code == "http01_body_mismatch") | .message' "$LAB_OUT" |
	sed -n 's/.*(got \(".*"\))$/\1/p' | head -n 1)
assert_true "odd: the body quoted byte for byte as Pebble (Go) quotes it: $ours_got" \
	test -n "$ours_got" -a "$ours_got" = "$pebble_got"

# 4. DNS failure for the name.
agree sf.test.example "$WR" no 2 "could not resolve URL"
assert_jq 'has_problem("http01_no_address") or has_problem("dns_failed")' \
	"sf: a DNS problem, no address to fetch from"

# Nothing left behind by either.
assert_true "web roots clean after every case" \
	eval '[ -d "$WR" ] && [ -d "$UNSERVED" ] && [ -z "$(find "$WR" "$UNSERVED" -type f)" ]'
