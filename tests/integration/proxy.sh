#!/usr/bin/env bash
# proxy.sh: --proxy, an HTTP CONNECT proxy between the tools and the
# server.  tinyproxy (its own configuration, loopback only) is the
# proxy, with and without Basic authentication; tests/servers/hostile
# plays the proxies that stall, answer garbage or never end their
# headers.  certcheck sends the server's name in CONNECT (the proxy
# resolves it); http01check asks for the address the CA would use.
# certcheck --crl fetches the CRL through the proxy too, by name.
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv nginx tinyproxy
lab_need_built "$CERTCHECK" "$HTTP01CHECK" "$HOSTILE"

tap_plan 53

lab_pki
lab_http01_site
# --crl: leaves whose CRL is at http://crl.test:8081/ (which the proxy
# lets through) and at :8082 (which it does not), an empty CRL of int.
CRLPORT=4460 CRLDENIED=4461
LAB_LEAF_EXTRA='crl_dist_points = "http://crl.test:8081/int.crl"' \
	lab_leaf crlprox int -30 60 ecdsa
LAB_LEAF_EXTRA='crl_dist_points = "http://crl.test:8082/int.crl"' \
	lab_leaf crldenied int -30 60 ecdsa
mkdir -p "$LAB/crl"
printf 'crl_next_update = 7\ncrl_number = 1\n' >"$LAB/crl/crl.tmpl"
certtool --generate-crl --load-ca-certificate "$LAB_PKI/int.pem" \
	--load-ca-privkey "$LAB_PKI/int.key" --template "$LAB/crl/crl.tmpl" \
	--outder --outfile "$LAB/crl/int.crl" >"$LAB/crl/certtool.log" 2>&1 ||
	lab_bail "certtool could not make the CRL"
lab_dns_add "crl A 127.0.0.1" "crlprox A 127.0.0.1" "crldenied A 127.0.0.1"
lab_dns_start
lab_tls_serve good
lab_tls_serve ecdsa
lab_tls_serve crlprox "$CRLPORT"
lab_tls_serve crldenied "$CRLDENIED"
lab_nginx_serve crl 8081:1 8082:1 <<EOF
    default_type application/pkix-crl;
    server {
        listen 127.0.0.1:8081;
        listen 127.0.0.1:8082;
        root $LAB/crl;
    }
EOF

GOOD=$(lab_target good)
CLOSED=$LAB_PORT_CLOSED
CA="--cafile=$LAB_PKI/root.pem"

# tinyproxy resolves names with the system's resolver: the lab's DNS
# server, in this mount namespace only.
printf 'nameserver 127.0.0.1\n' >"$LAB/resolv.conf"
mount --bind "$LAB/resolv.conf" /etc/resolv.conf 2>/dev/null ||
	lab_skip_all "cannot bind-mount /etc/resolv.conf in the lab's mount namespace"

# tinyproxy_start NAME PORT [EXTRA-LINES]: tinyproxy in the foreground on
# 127.0.0.1:PORT; CONNECT allowed to the good case, to 80 and to the
# closed port (where nothing listens), not to the ecdsa case.
tinyproxy_start() {
	local name=$1 port=$2 extra=${3:-} conf pid
	conf="$LAB/tinyproxy-$name.conf"
	cat >"$conf" <<EOF
Port $port
Listen 127.0.0.1
Timeout 30
MaxClients 20
LogFile "$LAB/log/tinyproxy-$name.log"
LogLevel Info
PidFile "$LAB/tinyproxy-$name.pid"
Allow 127.0.0.1
ConnectPort $(lab_port good)
ConnectPort 80
ConnectPort $CLOSED
ConnectPort $CRLPORT
ConnectPort $CRLDENIED
ConnectPort 8081
$extra
EOF
	tinyproxy -d -c "$conf" >"$LAB/log/tinyproxy-$name.out" 2>&1 </dev/null &
	pid=$!
	lab_track "$pid"
	_lab_wait_port "$port" "$pid" "$LAB/log/tinyproxy-$name.out" 1
}

tinyproxy_start open 8888
tinyproxy_start auth 8889 "BasicAuth user s3cret"
PROXY=http://127.0.0.1:8888
AUTHPROXY=http://127.0.0.1:8889

# --- certcheck ---------------------------------------------------------------

lab_check 0 "certcheck through the proxy: exit 0" --proxy=$PROXY "$GOOD"
assert_jq '.proxy == "http://127.0.0.1:8888" and .problems == [] and (.chain | length == 2) and (has("address") | not)' \
	"through the proxy: the same chain as directly, the proxy named, no address of ours"
assert_true "the proxy was asked for the name, not an address" \
	grep -q "CONNECT good.test:$(lab_port good)" "$LAB/log/tinyproxy-open.log"

# Our resolver is not asked about the server: a dead --dns-server does
# not matter when the proxy is an IP literal.
assert_exit 0 "certcheck through the proxy with a dead --dns-server: exit 0" \
	"$CERTCHECK" --dns-server=127.0.0.1:5399 -t 3 "$CA" --json --proxy=$PROXY "$GOOD"

lab_check 0 "--connect-to through the proxy: exit 0" --proxy=$PROXY --connect-to=127.0.0.1 "$GOOD"
assert_true "--connect-to: the proxy was asked for that address" \
	grep -q "CONNECT 127.0.0.1:$(lab_port good)" "$LAB/log/tinyproxy-open.log"

# --crl: the CRL comes through the proxy too, its host's name resolved
# by the proxy, as the server's is.
lab_check 0 "--crl through the proxy: exit 0" --proxy=$PROXY --crl "crlprox.test:$CRLPORT"
assert_jq '.problems == [] and .crl.revoked == false and .crl.signature == "valid" and (.crl | has("address") | not)' \
	"--crl through the proxy: the CRL checked, no address of ours"
assert_true "--crl: the proxy was asked for the CRL's host by name" \
	grep -q "CONNECT crl.test:8081" "$LAB/log/tinyproxy-open.log"
assert_exit 0 "--crl through the proxy with a dead --dns-server: exit 0" \
	"$CERTCHECK" --dns-server=127.0.0.1:5399 -t 3 "$CA" --json --proxy=$PROXY \
	--crl "crlprox.test:$CRLPORT"
assert_jq '.crl.revoked == false' "dead --dns-server: the CRL still fetched, through the proxy"
lab_check 1 "--crl, a CRL port the proxy forbids: exit 1" --proxy=$PROXY --crl "crldenied.test:$CRLDENIED"
assert_jq 'codes == ["crl_unavailable"] and ([.problems[].message] | any(test("the proxy failed")))' \
	"--crl, forbidden port: crl_unavailable, the proxy's refusal"

# gnutls-serv accepts every version, 1.0 and 1.1 included: a warning,
# as directly.
lab_check 1 "--protocols through the proxy: exit 1" --proxy=$PROXY --protocols "$GOOD"
assert_jq '.protocols == {"TLSv1.0": true, "TLSv1.1": true, "TLSv1.2": true, "TLSv1.3": true} and codes == ["tls_old_protocol"]' \
	"--protocols: each probe went through the proxy"


# Credentials: right, wrong, none.
lab_check 0 "auth proxy, right credentials: exit 0" --proxy=http://user:s3cret@127.0.0.1:8889 "$GOOD"
lab_check 3 "auth proxy, wrong password: exit 3" --proxy=http://user:wrong@127.0.0.1:8889 "$GOOD"
assert_jq 'severities("proxy_failed") == ["UNKNOWN"] and ([.problems[].message] | any(test("answered 40[17]")))' \
	"wrong password: proxy_failed UNKNOWN, the 407 (tinyproxy: 401) quoted"
assert_jq '[.problems[].hint] | any(test("USER:PASSWORD"))' "407: the hint says how to give credentials"
assert_true "the password is never printed" \
	eval '! grep -q wrong "$LAB_OUT" "$LAB_ERR"'
lab_check 3 "auth proxy, no credentials: exit 3" --proxy=$AUTHPROXY "$GOOD"
assert_jq 'has_problem("proxy_failed")' "no credentials: proxy_failed"

# The proxy cannot reach the server: the server's finding, as directly.
lab_check 2 "closed port through the proxy: exit 2" --proxy=$PROXY "good.test:$CLOSED"
assert_jq 'severities("connect_failed") == ["CRITICAL"] and ([.problems[].message] | any(test("answered 5[0-9][0-9]")))' \
	"closed port: connect_failed, the proxy's 5xx quoted"

# A port the proxy's rules forbid.
lab_check 3 "a port the proxy forbids: exit 3" --proxy=$PROXY "$(lab_target ecdsa)"
assert_jq 'has_problem("proxy_failed") and ([.problems[].message] | any(test("answered 403")))' \
	"forbidden port: proxy_failed, the 403 quoted"

# No proxy there.
lab_check 3 "proxy not listening: exit 3" --proxy=http://127.0.0.1:$CLOSED "$GOOD"
assert_jq 'has_problem("proxy_failed") and ([.problems[].message] | any(test("refused")))' \
	"proxy not listening: proxy_failed, connection refused"

# Proxies that misbehave: a stall ends at -t, garbage and endless
# headers are refused at once.
lab_hostile_start stall
lab_hostile_start garbage
lab_hostile_start longlocation 4493
lab_check 2 "stalling proxy: exit 2" -t 2 --proxy=http://127.0.0.1:$(lab_port stall) "$GOOD"
assert_elapsed_max 2.5 "stalling proxy: within -t + 0.5 s"
assert_jq 'severities("timeout") == ["CRITICAL"] and ([.problems[].message] | any(test("CONNECT")))' \
	"stalling proxy: timeout, during CONNECT"
lab_check 3 "garbage proxy: exit 3" -t 5 --proxy=http://127.0.0.1:$(lab_port garbage) "$GOOD"
assert_jq 'has_problem("proxy_failed") and ([.problems[].message] | any(test("not HTTP")))' \
	"garbage proxy: proxy_failed, not HTTP"
assert_elapsed_max 2 "garbage proxy: at once"
lab_check 3 "proxy with a 100 kB header: exit 3" -t 5 --proxy=http://127.0.0.1:4493 "$GOOD"
assert_jq 'has_problem("proxy_failed") and ([.problems[].message] | any(test("longer than 8192")))' \
	"100 kB header: proxy_failed, read no further than 8 KiB"
assert_elapsed_max 2 "100 kB header: at once"

# Usage errors, before any traffic.
assert_exit 3 "--proxy=socks5://...: exit 3" "$CERTCHECK" --proxy=socks5://127.0.0.1:1080 "$GOOD"
assert_true "socks5: the message says only HTTP proxies" grep -q "socks5 proxies are not supported" "$LAB_ERR"
assert_exit 3 "--proxy with a path: exit 3" "$CERTCHECK" --proxy=http://127.0.0.1:8888/x "$GOOD"
assert_exit 3 "--proxy with --all-addresses: exit 3" "$CERTCHECK" --proxy=$PROXY --all-addresses "$GOOD"
assert_exit 3 "a malformed --proxy never echoes the password: exit 3" \
	"$CERTCHECK" "--proxy=http://user:topsecret@127.0.0.1:8888/x" "$GOOD"
assert_true "malformed --proxy: no password in the message" eval '! grep -q topsecret "$LAB_ERR"'

# --- http01check ---------------------------------------------------------------

# h01 WANT DESC ARGS...: http01check --json in lab mode (loopback kept).
h01() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$HTTP01CHECK" "$DNS" --json \
		--allow-reserved -t 5 "$@"
}

h01 0 "http01check through the proxy: exit 0" --proxy=$PROXY --token=good --expect="$LAB_KA" web.test
assert_jq '.proxy == "http://127.0.0.1:8888" and .body_matches == true' \
	"http01check through the proxy: the body matches, the proxy named"
if [ "$LAB_ADDR1" = ::1 ]; then want="CONNECT \\[::1\\]:80"; else want="CONNECT 127.0.0.1:80"; fi
assert_true "http01check: the proxy was asked for the CA's address ($LAB_ADDR1), not the name" \
	grep -q "$want" "$LAB/log/tinyproxy-open.log"
h01 0 "http01check through the auth proxy: exit 0" --proxy=http://user:s3cret@127.0.0.1:8889 --token=good --expect="$LAB_KA" web.test
h01 3 "http01check, wrong proxy password: exit 3" --proxy=http://user:nope@127.0.0.1:8889 --token=good web.test
assert_jq 'has_problem("proxy_failed") and ([.problems[].message] | any(test("40[17]"))) and ([.problems[].hint] | any(test("USER:PASSWORD")))' \
	"http01check, wrong password: proxy_failed, 407 (tinyproxy: 401), the hint on credentials"
h01 3 "http01check, proxy not listening: exit 3" --proxy=http://127.0.0.1:$CLOSED --token=good web.test
assert_jq 'has_problem("proxy_failed")' "http01check, proxy not listening: proxy_failed"
h01 2 "http01check, stalling proxy: exit 2" -t 2 --proxy=http://127.0.0.1:$(lab_port stall) --token=good web.test
assert_elapsed_max 2.5 "http01check, stalling proxy: within -t + 0.5 s"
