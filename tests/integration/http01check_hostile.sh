#!/usr/bin/env bash
# http01check_hostile.sh: servers and networks that fail the fetch:
# a server that accepts and never answers, a closed port, garbage, a
# server that hangs up, an address whose SYNs vanish (IPv4: a route into
# lo for an address lo does not have; IPv6, where that gives "no route":
# hostile's blackhole mode, a full accept queue), and an unreachable one.  Each gets the CA's words and the deadline (-t) holds.
# The IPv6-to-IPv4 fallback happens on every dial error (refused,
# unreachable, connect timeout), not after a connection was made.
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig nginx
lab_need_built "$HTTP01CHECK" "$HOSTILE"

tap_plan 32

# Black holes: routed into lo but not lo's own, so a SYN is dropped.
# No route at all (the namespace has no default route): ENETUNREACH.
# An "unreachable" route: EHOSTUNREACH, which the CA has no words for.
lab_dns_add "bh A 10.99.0.1" "unr A 10.99.0.2" "hostunr A 10.99.0.3"
ip route add 10.99.0.1/32 dev lo
ip route add unreachable 10.99.0.3/32
if [ "$LAB_IPV6" = 1 ]; then
	lab_dns_add "bh6 A 127.0.0.2" "bh6 AAAA ::1" \
		"unr6 A 127.0.0.1" "unr6 AAAA fd00::98" "stall6 A 127.0.0.1" \
		"stall6 AAAA ::1"
fi
lab_dns_start
lab_hostile_start stall
lab_hostile_start garbage
lab_hostile_start close
# SYNs to 127.0.0.1:4493 and [::1]:4493 are dropped.
BLACKHOLE=4493
lab_hostile_start blackhole "$BLACKHOLE"
# The site for the fallbacks: IPv4 only, on 4480 and beside the
# blackhole on 127.0.0.2:4493.
mkdir -p "$LAB/www/.well-known/acme-challenge"
printf '%s\n' "$LAB_KA" >"$LAB/www/.well-known/acme-challenge/good"
lab_nginx_serve ok 4480:1 "$BLACKHOLE:$((2 + LAB_IPV6))" <<EOF
    server { listen 127.0.0.1:4480; listen 127.0.0.2:$BLACKHOLE; root $LAB/www; }
EOF

KA=$LAB_KA
# The binary itself, not libtool's wrapper script: the elapsed times
# measure the tool, not a shell starting it on a busy machine.
lab_nagios_link http01check http01check
H01=$LAB/bin/http01check
# h01 WANT DESC ARGS...: http01check --json in lab mode.
h01() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$H01" "$DNS" --json --allow-reserved "$@"
}

# Accepts, reads, never answers: the deadline is the limit.
h01 2 "stall: exit 2" -t 2 --http-port="$(lab_port stall)" stall.test
assert_problem http01_timeout "127.0.0.1: Fetching http://stall.test:$(lab_port stall)/.well-known/acme-challenge/" \
	"stall: the message names the address and URL"
assert_problem http01_timeout "Timeout after connect (your server may be slow or overloaded)" \
	"stall: http01_timeout, Timeout after connect"
assert_elapsed_max 2.5 "stall: within -t 2 plus 0.5 s"

# Nothing listens.
h01 2 "closed port: exit 2" -t 5 --http-port="$LAB_PORT_CLOSED" --token=good \
	--expect="$KA" good.test
assert_problem http01_connection_refused "127.0.0.1: Fetching http://good.test:$LAB_PORT_CLOSED/.well-known/acme-challenge/good: Connection refused" \
	"closed port: http01_connection_refused, Connection refused"
assert_jq '.attempts[0].result == "http01_connection_refused" and .attempts[0].hops[0].status == null' \
	"closed port: the attempt has no status"

# Not HTTP at all, and a hang-up.
h01 2 "garbage: exit 2" -t 5 --http-port="$(lab_port garbage)" garbage.test
assert_jq 'has_problem("http01_connection_failed") and (has_problem("http01_timeout") | not)' \
	"garbage: http01_connection_failed, at once"
assert_elapsed_max 2 "garbage: no waiting for the deadline"
h01 2 "close at once: exit 2" -t 5 --http-port="$(lab_port close)" close.test
assert_jq 'has_problem("http01_connection_failed")' "close: http01_connection_failed"
assert_elapsed_max 2 "close: no waiting for the deadline"

# SYNs that vanish, and no route at all.
h01 2 "SYNs dropped: exit 2" -t 2 bh.test
assert_problem http01_connect_timeout "10.99.0.1: Fetching http://bh.test/.well-known/acme-challenge/" \
	"SYNs dropped: the message names the address"
assert_problem http01_connect_timeout "Timeout during connect (likely firewall problem)" \
	"SYNs dropped: http01_connect_timeout, Timeout during connect (likely firewall problem)"
assert_elapsed_max 2.5 "SYNs dropped: within -t 2 plus 0.5 s"
h01 2 "no route (ENETUNREACH): exit 2" -t 5 unr.test
assert_problem http01_connection_failed "10.99.0.2: Fetching http://unr.test/.well-known/acme-challenge/" \
	"no route: the message names the address"
assert_problem http01_connection_failed "Network unreachable" "no route: Network unreachable"
assert_elapsed_max 2 "no route: at once"
h01 2 "unreachable route (EHOSTUNREACH): exit 2" -t 5 hostunr.test
assert_problem http01_connection_failed "Error getting validation data" \
	"EHOSTUNREACH: not ENETUNREACH, so the CA's catch-all Error getting validation data"
assert_elapsed_max 2 "unreachable route: at once"

if [ "$LAB_IPV6" = 1 ]; then
	# Dial errors on IPv6 fall back to the first A.
	h01 0 "IPv6 without a route, IPv4 serves: exit 0" -t 5 --http-port=4480 \
		--token=good --expect="$KA" unr6.test
	assert_jq '[.attempts[] | [.address, .result]] == [["fd00::98", "http01_connection_failed"], ["127.0.0.1", "ok"]]' \
		"IPv6 without a route: fd00::98 failed to connect, 127.0.0.1 ok"
	# The CA gives each connect 10 s: a dropped IPv6 SYN costs 10 s,
	# then IPv4 is tried within the overall deadline.
	h01 0 "IPv6 SYNs dropped, IPv4 serves, -t 15: exit 0" -t 15 \
		--http-port="$BLACKHOLE" --token=good --expect="$KA" bh6.test
	assert_jq '[.attempts[] | [.address, .result]] == [["::1", "http01_connect_timeout"], ["127.0.0.2", "ok"]]' \
		"IPv6 connect timeout: fell back to IPv4 after the 10 s connect limit"
	assert_elapsed_max 12 "IPv6 connect timeout: about 10 s, not the whole deadline"
	# A connection that was made is never retried over IPv4.
	h01 2 "IPv6 accepts and stalls: exit 2, no fallback" -t 2 \
		--http-port="$(lab_port stall)" stall6.test
	assert_jq '[.attempts[].address] == ["::1"] and has_problem("http01_timeout")' \
		"IPv6 stall: one attempt, http01_timeout"
	assert_elapsed_max 2.5 "IPv6 stall: within -t 2 plus 0.5 s"
else
	for i in $(seq 8); do tap_skip "IPv6 dial-error fallback $i" "no IPv6 in this namespace"; done
fi
