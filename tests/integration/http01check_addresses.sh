#!/usr/bin/env bash
# http01check_addresses.sh: which address the CA fetches from.  Boulder
# resolves A and AAAA, drops reserved addresses silently, tries the first
# AAAA and falls back to the first A only when the IPv6 TCP connect fails
# (any other IPv6 failure is final), and never tries the others.
#
# Per-family servers: --http-port moves "port 80" to ports where nginx
# listens differently on 127.0.0.1 and ::1 (8080: a different site on
# each, 8081: IPv4 only, 8082: 127.0.0.1 and 127.0.0.2 differ).
#
# Outside lab mode (no --allow-reserved) loopback is dropped as the CA
# drops it, so the namespace's lo also gets 11.0.0.1 and 2a00:1450::1,
# addresses outside every IANA special-purpose block: the tool then runs
# exactly as for the CA (nothing outside the namespace can see them).
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig nginx
STUB="$top_builddir/tests/servers/dnsstub"
lab_need_built "$HTTP01CHECK" "$STUB"

tap_plan 64

PUB4=11.0.0.1
PUB6=2a00:1450::1
lab_pki
lab_dns_add "multi A 127.0.0.1" "multi A 127.0.0.2" 'txtonly TXT "no address"' \
	"sf A 127.0.0.1" "pub A $PUB4" "pubdual A $PUB4" "pubdual AAAA ::1"
lab_addr_add "$PUB4/32"
if [ "$LAB_IPV6" = 1 ]; then
	lab_dns_add "pub6 A $PUB4" "pub6 AAAA $PUB6"
	lab_addr_add "$PUB6/128"
fi
lab_http01_site
lab_dns_start

# A DNS front that answers SERVFAIL for sf.test (relays the rest).
"$STUB" --port 5353 --upstream 127.0.0.1:53 --rule sf.test=servfail \
	>"$LAB/log/dnsstub.log" 2>&1 &
lab_track $!
_lab_wait_port 5353 $! "$LAB/log/dnsstub.log"

v6=$LAB_IPV6
lab_nginx_serve fam "8080:$((1 + v6))" 8081:1 8082:2 "80:$((3 + 2 * v6))" <<EOF
    default_type application/octet-stream;
    server { listen 127.0.0.1:8080; root $LAB_WWW; }
    $([ "$v6" = 1 ] && echo "server { listen [::1]:8080; return 404; }")
    server { listen 127.0.0.1:8081; root $LAB_WWW; }
    server { listen 127.0.0.1:8082; root $LAB_WWW; }
    server { listen 127.0.0.2:8082; return 404; }
    server {
        listen $PUB4:80;
        $([ "$v6" = 1 ] && echo "listen [$PUB6]:80;")
        root $LAB_WWW;
        location = /.well-known/acme-challenge/to-test { return 301 http://web.test/.well-known/acme-challenge/good; }
        location = /.well-known/acme-challenge/to-example { return 301 http://web.example.com/.well-known/acme-challenge/good; }
        location = /.well-known/acme-challenge/to-invalid { return 301 http://web.invalid/.well-known/acme-challenge/good; }
        location = /.well-known/acme-challenge/to-loopback { return 301 http://127.0.0.1/.well-known/acme-challenge/good; }
        location = /.well-known/acme-challenge/to-private { return 301 http://10.10.10.10/.well-known/acme-challenge/good; }
        location = /.well-known/acme-challenge/to-v6loop { return 301 http://[::1]/.well-known/acme-challenge/good; }
        location = /.well-known/acme-challenge/to-public-ip { return 301 http://$PUB4/.well-known/acme-challenge/good; }
    }
EOF

KA=$LAB_KA
# h01 WANT DESC ARGS...: http01check --json, lab mode (loopback kept).
h01() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$HTTP01CHECK" "$DNS" --json \
		--allow-reserved -t 5 "$@"
}
# ca WANT DESC ARGS...: http01check --json as the CA: no lab mode.
ca() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$HTTP01CHECK" "$DNS" --json -t 5 "$@"
}

# --- IPv6 first, IPv4 only after a failed connect -------------------------
if [ "$v6" = 1 ]; then
	h01 0 "AAAA refuses the connection, A serves: exit 0 (fallback)" \
		--http-port=8081 --token=good --expect="$KA" dual.test
	assert_jq '[.attempts[] | [.address, .result]] == [["::1", "http01_connection_refused"], ["127.0.0.1", "ok"]]' \
		"fallback: two attempts, ::1 refused then 127.0.0.1 ok"
	assert_jq '.body_matches == true and .problems == []' "fallback: body matches, no problem"
	h01 2 "AAAA answers another site (404), A serves: exit 2 (no fallback)" \
		--http-port=8080 --token=good --expect="$KA" dual.test
	assert_problem http01_bad_status "::1: Invalid response from http://dual.test:8080/.well-known/acme-challenge/good: 404" \
		"IPv6 404: http01_bad_status from ::1"
	assert_jq '(.attempts | length) == 1 and .attempts[0].address == "::1"' \
		"IPv6 404: one attempt only, IPv4 never tried"
	h01 2 "AAAA only, connection refused: exit 2" --http-port=8081 \
		--token=good --expect="$KA" v6only.test
	assert_problem http01_connection_refused "::1: Fetching http://v6only.test:8081/.well-known/acme-challenge/good: Connection refused" \
		"v6only: http01_connection_refused in the CA's words"
	h01 0 "-4: only the A record, IPv4 serves: exit 0" -4 --http-port=8080 \
		--token=good --expect="$KA" dual.test
	assert_jq '[.attempts[].address] == ["127.0.0.1"]' "-4: only 127.0.0.1 tried"
	h01 2 "-6: only the AAAA record, IPv6 404: exit 2" -6 --http-port=8080 \
		--token=good --expect="$KA" dual.test
	assert_jq '[.attempts[].address] == ["::1"]' "-6: only ::1 tried"
	h01 0 "web.test: both families serve the site: exit 0" --token=good \
		--expect="$KA" web.test
	assert_jq '[.attempts[].address] == ["::1"]' "web.test: ::1 first, and only"
else
	for i in $(seq 13); do tap_skip "IPv6 first / fallback case $i" "no IPv6 in this namespace"; done
fi

# Only the first A, never the others.
h01 0 "two A records, first serves, second 404: exit 0" --http-port=8082 \
	--token=good --expect="$KA" multi.test
assert_jq '[.attempts[].address] == ["127.0.0.1"]' "multi: only the first A is fetched"

# --- --all-addresses ------------------------------------------------------
h01 1 "--all-addresses, 127.0.0.1 200 vs 127.0.0.2 404: exit 1" \
	--all-addresses --http-port=8082 --token=good multi.test
assert_jq 'has_problem("http01_address_discrepancy") and severities("http01_address_discrepancy") == ["WARNING"]' \
	"--all-addresses: http01_address_discrepancy, a warning"
assert_problem http01_address_discrepancy "127.0.0.2 answers 404" \
	"--all-addresses: the message says which address answers what"
assert_jq '[.every_address[].address] == ["127.0.0.1", "127.0.0.2"] and [.attempts[].address] == ["127.0.0.1"]' \
	"--all-addresses: every address fetched, the CA's attempt unchanged"
h01 0 "--all-addresses, one site everywhere: exit 0" --all-addresses \
	--token=good --expect="$KA" web.test
assert_jq '(has_problem("http01_address_discrepancy") | not) and (.every_address | length) == (1 + '"$v6"')' \
	"--all-addresses, same site: no discrepancy"
if [ "$v6" = 1 ]; then
	h01 2 "--all-addresses, IPv6 fails the CA's attempt: exit 2" --all-addresses \
		--http-port=8080 --token=good --expect="$KA" dual.test
	assert_jq 'has_problem("http01_bad_status") and has_problem("http01_address_discrepancy")' \
		"--all-addresses dual: the CA's failure and the discrepancy"
else
	tap_skip "--all-addresses dual" "no IPv6"
	tap_skip "--all-addresses dual: problems" "no IPv6"
fi

# --- Names without a usable address ---------------------------------------
ca 2 "dual.test (127.0.0.1, ::1) without --allow-reserved: exit 2" dual.test
assert_problem http01_no_address "no valid A records found for dual.test; no valid AAAA records found for dual.test" \
	"loopback only: http01_no_address in the CA's words"
assert_jq '[.reserved_addresses[] | [.address, .kept]] == [["::1", false], ["127.0.0.1", false]] and (.attempts // [] | length) == 0' \
	"loopback only: reserved_addresses lists ::1 and 127.0.0.1, not kept, nothing fetched"
assert_jq '.reserved_addresses[0].reason == "[RFC4291]: Loopback Address" and .reserved_addresses[1].reason == "[RFC1122], Section 3.2.1.3: Loopback" and (has("lab_mode") | not)' \
	"loopback only: the registry's names, and no lab_mode"
h01 2 "nxdomain.test: exit 2" nxdomain.test
assert_problem http01_no_address "DNS problem: NXDOMAIN looking up A for nxdomain.test - check that a DNS record exists for this domain; DNS problem: NXDOMAIN looking up AAAA for nxdomain.test" \
	"nxdomain: http01_no_address, NXDOMAIN for A and AAAA"
h01 2 "txtonly.test (no A, no AAAA): exit 2" txtonly.test
assert_problem http01_no_address "no valid A records found for txtonly.test; no valid AAAA records found for txtonly.test" \
	"txtonly: no valid A records ...; no valid AAAA records ..."
assert_exit 2 "sf.test, SERVFAIL: exit 2" "$HTTP01CHECK" --dns-server=127.0.0.1:5353 \
	--json --allow-reserved -t 5 sf.test
assert_problem http01_no_address "DNS problem: SERVFAIL looking up A for sf.test - the domain's nameservers may be malfunctioning" \
	"servfail: the CA's SERVFAIL wording, not 'no valid A records'"
# The binary itself, not libtool's wrapper, for the elapsed time.
lab_nagios_link http01check http01check
assert_exit 3 "no DNS server answering: exit 3" "$LAB/bin/http01check" \
	--dns-server=127.0.0.1:5399 --json --allow-reserved -t 2 web.test
assert_elapsed_max 2.5 "no DNS server answering: within -t plus 0.5 s"
assert_jq '.status == "UNKNOWN" and codes == ["dns_unreachable"]' "no DNS server answering: dns_unreachable, UNKNOWN"
h01 2 "*.good.test: exit 2" '*.good.test'
assert_problem http01_wildcard "http-01 cannot validate a wildcard name" \
	"wildcard: http01_wildcard, only dns-01"
assert_jq '(.attempts // [] | length) == 0' "wildcard: nothing fetched"

# --- As the CA: a public-looking address ------------------------------------
ca 0 "pub.test ($PUB4) as the CA: exit 0" --token=good --expect="$KA" pub.test
assert_jq '[.attempts[].address] == ["'"$PUB4"'"] and (has("lab_mode") | not) and (has("reserved_addresses") | not)' \
	"pub.test: fetched from $PUB4, not lab mode, nothing reserved"
ca 0 "pubdual.test ($PUB4 and ::1) as the CA: exit 0" --token=good --expect="$KA" pubdual.test
assert_jq '[.attempts[].address] == ["'"$PUB4"'"] and [.reserved_addresses[] | [.address, .kept]] == [["::1", false]]' \
	"pubdual: ::1 dropped silently (listed, not kept), $PUB4 fetched"
if [ "$v6" = 1 ]; then
	ca 0 "pub6.test ($PUB6 and $PUB4) as the CA: exit 0" --token=good --expect="$KA" pub6.test
	assert_jq '[.attempts[].address] == ["'"$PUB6"'"]' "pub6: the public IPv6 address first"
else
	tap_skip "pub6.test" "no IPv6"
	tap_skip "pub6: IPv6 first" "no IPv6"
fi

# Redirect targets the CA refuses outside lab mode.
ca 2 "redirect to web.test (.test is no IANA TLD): exit 2" --token=to-test --expect="$KA" pub.test
assert_problem http01_bad_redirect "Invalid host in redirect target, must end in IANA registered TLD" \
	"to .test: must end in IANA registered TLD"
ca 2 "redirect to web.invalid: exit 2" --token=to-invalid --expect="$KA" pub.test
assert_problem http01_bad_redirect "Invalid host in redirect target, must end in IANA registered TLD" \
	"to .invalid: must end in IANA registered TLD"
ca 2 "redirect to http://127.0.0.1/: exit 2" --token=to-loopback --expect="$KA" pub.test
assert_problem http01_bad_redirect "Invalid host in redirect target: IP address is in a reserved address block: [RFC1122], Section 3.2.1.3: Loopback" \
	"to 127.0.0.1: reserved address block [RFC1122], Section 3.2.1.3: Loopback"
ca 2 "redirect to http://10.10.10.10/: exit 2" --token=to-private --expect="$KA" pub.test
assert_problem http01_bad_redirect "Invalid host in redirect target: IP address is in a reserved address block: [RFC1918]: Private-Use" \
	"to 10.10.10.10: reserved address block [RFC1918]: Private-Use"
ca 2 "redirect to http://[::1]/: exit 2" --token=to-v6loop --expect="$KA" pub.test
assert_problem http01_bad_redirect "IP address is in a reserved address block: [RFC4291]: Loopback Address" \
	"to [::1]: reserved address block [RFC4291]: Loopback Address"
ca 0 "redirect to the public IP http://$PUB4/: exit 0" --token=to-public-ip --expect="$KA" pub.test
assert_jq '.attempts[0].hops[1] | .url == "http://'"$PUB4"'/.well-known/acme-challenge/good" and .status == 200' \
	"to a public IP: a bare public address is followed"
# Lab mode keeps loopback, and nothing more: .test and .invalid are
# refused with the CA's words; a name under a real TLD is followed.
h01 2 "redirect to web.test with --allow-reserved: exit 2" --token=to-test \
	--expect="$KA" pub.test
assert_problem http01_bad_redirect "Fetching http://web.test/.well-known/acme-challenge/good: Invalid host in redirect target, must end in IANA registered TLD" \
	"lab mode: the .test target refused as the CA refuses it"
h01 2 "redirect to web.invalid with --allow-reserved: exit 2" --token=to-invalid \
	--expect="$KA" pub.test
assert_problem http01_bad_redirect "Invalid host in redirect target, must end in IANA registered TLD" \
	"lab mode: the .invalid target refused"
h01 0 "redirect to web.example.com with --allow-reserved: exit 0" --token=to-example \
	--expect="$KA" pub.test
assert_jq '.attempts[0].hops[1].url == "http://web.example.com/.well-known/acme-challenge/good" and .lab_mode == true' \
	"lab mode: a target under a real TLD followed to loopback, lab_mode said"
