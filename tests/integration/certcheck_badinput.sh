#!/usr/bin/env bash
# certcheck_badinput.sh: bad usage is UNKNOWN (3) with one line on
# stderr; network failures are CRITICAL with the right problem code; an
# unusable DNS server is UNKNOWN; and no run crashes or outlives its -t
# deadline by more than half a second, whatever the server does.
# jq filters and eval'd checks are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv
lab_need_built "$CERTCHECK" "$HOSTILE"

tap_plan 54

lab_pki
lab_dns_start
lab_tls_serve good
lab_hostile_start stall
lab_hostile_start garbage
lab_hostile_start close
CA="--cafile=$LAB_PKI/root.pem"
GOOD=$(lab_target good)

# usage WANT DESC ARGS...: a usage run (no network needed, but the lab's
# DNS anyway, so nothing could ever leave).
usage() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$CERTCHECK" "$DNS" "$CA" "$@"
}

# Usage errors ----------------------------------------------------------
usage 3 "unknown option: exit 3" --no-such-option "$GOOD"
assert_true "unknown option: exactly one line on stderr, nothing on stdout" \
	eval '[ "$(lab_lines "$LAB_ERR")" = 1 ] && [ ! -s "$LAB_OUT" ]'
# refused LABEL WORDS ARGS...: exit 3, and stderr gives this reason (an
# exit 3 alone would pass for any usage error, a typo in the test too).
refused() {
	local label=$1 words=$2
	shift 2
	usage 3 "$label: exit 3" "$@"
	assert_true "$label: stderr says why" grep -qF -- "$words" "$LAB_ERR"
}
refused "port 99999" "bad target 'good.test:99999': port must be 1..65535" good.test:99999
refused "port 0" "bad target 'good.test:0': port must be 1..65535" good.test:0
refused "unclosed [::1" "bad target '[::1': missing ']' after IPv6 address" "[::1"
refused "empty port (good.test:)" "bad target 'good.test:': empty port" good.test:
refused "-t abc" "--timeout 'abc': want a number of seconds above 0" -t abc "$GOOD"
refused "-t -1" "--timeout '-1': want a number of seconds above 0" -t -1 "$GOOD"
refused "-w xyz" "threshold 'xyz' is not a number or range" -w xyz "$GOOD"
refused "-c 10%% (stray %)" "threshold '10%%': a percentage must be 0..100%" -c 10%% "$GOOD"
refused "--format=xml" "unknown format 'xml' (text, json, nagios or prometheus)" --format=xml "$GOOD"
refused "--dns-server=not-an-address" "DNS server 'not-an-address': want ADDR[:PORT] with an IP address" \
	--dns-server=not-an-address "$GOOD"
usage 3 "no target: exit 3"
assert_true "no target: says so on stderr" eval 'grep -qF "no TARGET given" "$LAB_ERR" && [ ! -s "$LAB_OUT" ]'
usage 0 "-h: exit 0" -h
assert_true "-h: Usage on stdout, nothing on stderr" \
	eval 'grep -q "Usage" "$LAB_OUT" && [ ! -s "$LAB_ERR" ]'
usage 0 "--help: exit 0" --help
usage 0 "-V: exit 0" -V
assert_first_line '^certcheck \(certdiag\) [0-9]+\.[0-9]+\.[0-9]+$' "-V: certcheck (certdiag) X.Y.Z"
assert_true "-V: exactly one line" eval '[ "$(lab_lines "$LAB_OUT")" = 1 ]'

# Network failures, each within its deadline ----------------------------
# net WANT LABEL ARGS...: certcheck -t 2 --json ARGS, checking the exit
# status and that it ended within the deadline (+0.5 s).
net() {
	local want=$1 label=$2
	shift 2
	lab_check "$want" "$label: exit $want" -t 2 "$@"
	assert_elapsed_max 2.5 "$label: within -t 2 (+0.5 s)"
}

net 2 "nxdomain.test" nxdomain.test:443
assert_jq 'has_problem("dns_failed") and .status == "CRITICAL"' "nxdomain.test: dns_failed"
net 2 "nothing listening (refused)" "good.test:$LAB_PORT_CLOSED"
assert_jq 'has_problem("connect_failed")' "refused: connect_failed"
net 2 "server accepts and stalls" "$(lab_target stall)"
assert_jq 'has_problem("timeout")' "stall: timeout"
net 2 "server sends garbage" "$(lab_target garbage)"
assert_jq 'has_problem("tls_handshake_failed")' "garbage: tls_handshake_failed"
net 2 "server closes at once" "$(lab_target close)"
assert_jq 'has_problem("tls_handshake_failed")' "close: tls_handshake_failed"

# A DNS server that cannot be used: the check cannot be made (UNKNOWN).
# Nothing on 5399 (UDP answers with ICMP port unreachable)...
assert_exit 3 "--dns-server with nothing listening: exit 3" \
	"$CERTCHECK" --dns-server=127.0.0.1:5399 "$CA" --json -t 2 "$GOOD"
assert_elapsed_max 2.5 "--dns-server with nothing listening: within -t 2 (+0.5 s)"
assert_jq '.status == "UNKNOWN" and codes == ["dns_unreachable"]' \
	"--dns-server with nothing listening: dns_unreachable, UNKNOWN"
# ...and a server that swallows every query (hostile stall also reads
# UDP on its port), which only the deadline can end.
assert_exit 3 "--dns-server that never answers: exit 3" \
	"$CERTCHECK" "--dns-server=127.0.0.1:$(lab_port stall)" "$CA" --json -t 2 "$GOOD"
assert_elapsed_max 2.5 "--dns-server that never answers: within -t 2 (+0.5 s)"
assert_jq '.status == "UNKNOWN" and codes == ["dns_unreachable"]' \
	"--dns-server that never answers: dns_unreachable, UNKNOWN"

# Several targets each get their own deadline; the run still ends.
net 2 "stall + good" "$(lab_target stall)" "$GOOD"
assert_true "stall + good: good is still checked and OK" \
	eval 'jq -e -s "map(select(.target == \"$GOOD\"))[0].status == \"OK\"" "$LAB_OUT"'
