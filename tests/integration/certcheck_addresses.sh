#!/usr/bin/env bash
# certcheck_addresses.sh: --all-addresses checks every A and AAAA address
# of a name and reports each on its own, then flags the addresses whose
# leaf differs from the others': the stale server behind an old AAAA
# record.  nginx listens on each address separately with its own
# certificate for the same names:
#   dual.test  A 127.0.0.1, AAAA ::1 (the lab's zone)
#   trio.test  A 127.0.0.1, A 127.0.0.2, AAAA ::1
#   port 4441  127.0.0.1, 127.0.0.2: the renewed certificate; ::1: an
#              expired one (the forgotten server)
#   port 4442  the renewed certificate everywhere
#   port 4443  127.0.0.1 only (::1 refuses)
#   port 4444  4441 the other way round: the stale server on 127.0.0.1
#   port 4445  half.test (A 127.0.0.1, A 127.0.0.2): hostile's stall on
#              127.0.0.1 (accepts, never answers), nginx on 127.0.0.2
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig nginx
lab_need_built "$CERTCHECK" "$HOSTILE"

tap_plan 39

if [ "$LAB_IPV6" != 1 ]; then
	for i in $(seq 39); do
		tap_skip "--all-addresses case $i" "no IPv6 in this namespace"
	done
	exit 0
fi

lab_pki
# Two leaves for the same names from the lab's intermediate (the lab's
# own leaf helper): the renewed one and the expired one still served by
# the old machine.
_lab_leaf renewed int -5 85 ecdsa dual.test trio.test
_lab_leaf stale int -100 -10 ecdsa dual.test trio.test
_lab_chain renewed renewed int
_lab_chain stale stale int
lab_dns_add "trio A 127.0.0.1" "trio A 127.0.0.2" "trio AAAA ::1" \
	"half A 127.0.0.1" "half A 127.0.0.2"
lab_dns_start

# server ADDR PORT CASE: one nginx server block.
server() {
	cat <<EOF
    server {
        listen $1:$2 ssl;
        ssl_certificate $LAB_PKI/$3.chain.pem;
        ssl_certificate_key $LAB_PKI/$3.key;
    }
EOF
}
{
	server 127.0.0.1 4441 renewed
	server 127.0.0.2 4441 renewed
	server '[::1]' 4441 stale
	server 127.0.0.1 4442 renewed
	server '[::1]' 4442 renewed
	server 127.0.0.1 4443 renewed
	server 127.0.0.1 4444 stale
	server '[::1]' 4444 renewed
	server 127.0.0.2 4445 renewed
} | lab_nginx_serve addresses 4441:3 4442:2 4443:1 4444:2 4445:1
lab_hostile_start stall 4445

lab_check 2 "dual.test:4441 --all-addresses: exit 2 (the stale one is expired)" --all-addresses dual.test:4441
assert_jqs 'length == 2 and ([.[].address] | sort) == ["127.0.0.1", "::1"] and all(.[]; .target == "dual.test:4441")' \
	"dual.test: one object per address, same target, own address"
assert_jqs '[.[] | select(.address == "::1") | .status] == ["CRITICAL"] and [.[] | select(.address == "127.0.0.1") | .status] == ["OK"]' \
	"dual.test: ::1 CRITICAL (expired), 127.0.0.1 OK"
assert_jqs '[.[] | select(has_problem("address_cert_differs")) | .address] == ["::1"] and ([.[] | select(.address == "::1") | has_problem("cert_expired")] == [true])' \
	"dual.test: a tie, two certificates: the one issued earlier (::1) is flagged, and expired"
assert_jqs '[.[] | select(.address == "::1") | .problems[] | select(.code == "address_cert_differs") | .message][0] | test("^::1 serves another certificate [(]SHA-256 [0-9a-f]{16}[.][.][.][)] than 127.0.0.1 [(]SHA-256 [0-9a-f]{16}[.][.][.][)]$")' \
	"dual.test: the message names the other address and its fingerprint"

lab_check 2 "trio.test:4441 --all-addresses: exit 2" --all-addresses trio.test:4441
assert_jqs 'length == 3 and ([.[].address] | sort) == ["127.0.0.1", "127.0.0.2", "::1"]' \
	"trio.test: three reports"
assert_jqs '[.[] | select(has_problem("address_cert_differs")) | .address] == ["::1"]' \
	"trio.test: only ::1, the odd one out, is flagged"
assert_jqs '[.[] | select(.address != "::1") | .status] == ["OK", "OK"]' \
	"trio.test: the two IPv4 servers are OK"
assert_jqs '[.[] | select(.address == "::1") | .problems[] | select(.code == "address_cert_differs") | .message][0] | test("than 127.0.0.1 [(]SHA-256 [0-9a-f]{16}[.][.][.][)], 127.0.0.2 [(]SHA-256")' \
	"trio.test: the message lists both other addresses"

lab_check 2 "dual.test:4444 (stale on 127.0.0.1): exit 2" --all-addresses dual.test:4444
assert_jqs '[.[] | select(has_problem("address_cert_differs")) | .address] == ["127.0.0.1"]' \
	"dual.test:4444: the tie goes to the certificate issued last, whatever the family"

lab_check 0 "dual.test:4442 same certificate everywhere: exit 0" --all-addresses dual.test:4442
assert_jqs 'length == 2 and all(.[]; .problems == [])' "dual.test:4442: two reports, no problem"
assert_jqs '[.[].chain[0].sha256] | unique | length == 1' "dual.test:4442: one leaf fingerprint"

lab_check 0 "-4 --all-addresses dual.test:4441: exit 0" -4 --all-addresses dual.test:4441
assert_jqs 'length == 1 and .[0].address == "127.0.0.1" and .[0].problems == []' \
	"-4: only 127.0.0.1, nothing to compare with"
lab_check 2 "-6 --all-addresses dual.test:4441: exit 2" -6 --all-addresses dual.test:4441
assert_jqs 'length == 1 and .[0].address == "::1" and (.[0] | codes) == ["cert_expired"]' \
	"-6: only ::1, expired, no comparison"

lab_check 2 "dual.test:4443 (::1 refuses): exit 2" --all-addresses dual.test:4443
assert_jqs '[.[] | select(.address == "::1") | codes] == [["connect_failed"]] and ([.[] | select(.address == "::1") | has("chain") or has("tls")] == [false])' \
	"dual.test:4443: connect_failed for ::1 only, and no chain of another address"
assert_jqs '[.[] | select(.address == "127.0.0.1") | .status] == ["OK"]' \
	"dual.test:4443: 127.0.0.1 OK, no address_cert_differs for a failed address"

# A silent address gets its share of -t, not all of it.
lab_check 2 "half.test:4445 -t 2 (127.0.0.1 stalls): exit 2" -t 2 --sni=dual.test --all-addresses half.test:4445
assert_jqs '[.[] | select(.address == "127.0.0.1") | codes] == [["timeout"]] and [.[] | select(.address == "127.0.0.2") | .status] == ["OK"]' \
	"half.test: timeout on 127.0.0.1, yet 127.0.0.2 checked and OK"
assert_elapsed_max 2.5 "half.test: within -t 2 (+0.5 s)"

lab_check 0 "without --all-addresses: one report, the first address that accepts" dual.test:4442
assert_jqs 'length == 1' "without --all-addresses: one object"

# Batch: two targets, jobs 2: every address of each, streamed.
lab_check 2 "-j 2 two targets --all-addresses: exit 2 (worst)" -j 2 --all-addresses dual.test:4441 dual.test:4442
assert_jqs 'length == 4 and ([.[] | select(.target == "dual.test:4441")] | length) == 2' \
	"-j 2: four objects, two per target"

# Text: one block per address, named.
assert_exit 2 "text: exit 2" "$CERTCHECK" "$DNS" "--cafile=$LAB_PKI/root.pem" --all-addresses dual.test:4441
assert_true "text: a block for 127.0.0.1" grep -q '^dual.test:4441 \[127.0.0.1\]  OK  ' "$LAB_OUT"
assert_true "text: a block for ::1" grep -q '^dual.test:4441 \[::1\]  CRITICAL  ' "$LAB_OUT"

# Nagios: a summary line for the target, then a line per address.
assert_exit 2 "nagios: exit 2" "$CERTCHECK" "$DNS" "--cafile=$LAB_PKI/root.pem" --nagios --all-addresses dual.test:4441
assert_first_line '^CERT CRITICAL - dual.test:4441: 2 addresses: 1 critical, 0 warning, 0 unknown, 1 ok \| ' \
	"nagios: summary counts the addresses"
assert_true "nagios: perfdata per address" grep -q "'dual.test:4441 \[::1\] days_left'=" "$LAB_OUT"
assert_line 2 '^(OK - dual.test:4441 \[127.0.0.1\]|CRITICAL - dual.test:4441 \[::1\]): ' "nagios: line 2 is an address"
assert_true "nagios: three lines" test "$(lab_lines "$LAB_OUT")" = 3

# --protocols with --all-addresses: each address probed on its own.
lab_check 0 "--protocols --all-addresses dual.test:4442: exit 0" --protocols --all-addresses dual.test:4442
assert_jqs 'length == 2 and all(.[]; .protocols["TLSv1.2"] == true)' "--protocols: each address has its protocols"
