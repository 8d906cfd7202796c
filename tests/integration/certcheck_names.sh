#!/usr/bin/env bash
# certcheck_names.sh: which name is checked against the certificate and
# which address is connected to.  Hostname mismatch, --sni, wildcards
# (one label only), IP-address SANs over both families, --require-san,
# --connect-to, -4/-6 and URL targets.
# jq filters and eval'd checks are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv
lab_need_built "$CERTCHECK"

tap_plan 31

lab_pki
lab_dns_start
for c in good wronghost wild ipsan; do
	lab_tls_serve "$c"
done
CA="--cafile=$LAB_PKI/root.pem"
GOODPORT=$(lab_port good)
WILDPORT=$(lab_port wild)
IPPORT=$(lab_port ipsan)

# Hostname mismatch, and --sni naming the name the certificate has.
lab_check 2 "wronghost: exit 2" "$(lab_target wronghost)"
assert_jq 'has_problem("hostname_mismatch") and .hostname_match == false' \
	"wronghost: hostname_mismatch, hostname_match false"
lab_check 0 "wronghost --sni=other.example: exit 0" --sni=other.example "$(lab_target wronghost)"
assert_jq '.problems == [] and .hostname_match == true' "wronghost --sni=other.example: no problems"

# A wildcard covers exactly one label.
lab_check 0 "*.wild.test covers a.wild.test: exit 0" "a.wild.test:$WILDPORT"
assert_jq '.problems == [] and .hostname_match' "a.wild.test: no problems"
lab_check 2 "*.wild.test does not cover wild.test: exit 2" "wild.test:$WILDPORT"
assert_jq 'has_problem("hostname_mismatch")' "wild.test: hostname_mismatch"
lab_check 2 "*.wild.test does not cover a.b.wild.test: exit 2" "a.b.wild.test:$WILDPORT"
assert_jq 'has_problem("hostname_mismatch")' "a.b.wild.test: hostname_mismatch"

# IP-address SANs, over IPv4 and IPv6.
lab_check 0 "ipsan as 127.0.0.1: exit 0" "127.0.0.1:$IPPORT"
assert_jq '.problems == [] and .hostname_match and .address == "127.0.0.1"' \
	"ipsan as 127.0.0.1: matches, address 127.0.0.1"
if [ "$LAB_IPV6" = 1 ]; then
	lab_check 0 "ipsan as [::1]: exit 0" "[::1]:$IPPORT"
	assert_jq '.problems == [] and .hostname_match and .address == "::1"' \
		"ipsan as [::1]: matches, address ::1"
else
	tap_skip "ipsan as [::1]: exit 0" "no IPv6 in this namespace"
	tap_skip "ipsan as [::1]: matches" "no IPv6 in this namespace"
fi
lab_check 2 "ipsan by a DNS name: exit 2" "ipsan.test:$IPPORT"
assert_jq 'has_problem("hostname_mismatch")' "ipsan by a DNS name: hostname_mismatch"

# --require-san: every listed name must be covered.
lab_check 2 "--require-san=good.test,www.good.test: exit 2" \
	--require-san=good.test,www.good.test "$(lab_target good)"
assert_jq 'has_problem("san_missing") and ([.problems[] | select(.code == "san_missing") | .message] | any(test("www\\.good\\.test")))' \
	"--require-san: san_missing names www.good.test"
lab_check 0 "--require-san=good.test: exit 0" --require-san=good.test "$(lab_target good)"

# --connect-to: no resolution at all (no --dns-server; the namespace's
# resolv.conf points nowhere reachable).
assert_exit 0 "--connect-to=127.0.0.1 without DNS: exit 0" \
	"$CERTCHECK" "$CA" --json --connect-to=127.0.0.1 "good.test:$GOODPORT"
assert_jq '.address == "127.0.0.1" and .problems == []' "--connect-to: address 127.0.0.1"

# -4/-6 choose the family; dual.test has both, v6only.test only AAAA.
if [ "$LAB_IPV6" = 1 ]; then
	lab_check 0 "-6 dual.test: exit 0" -6 --sni=good.test "dual.test:$GOODPORT"
	assert_jq '.address == "::1"' "-6 dual.test: address ::1"
	lab_check 0 "v6only.test: exit 0" --sni=good.test "v6only.test:$GOODPORT"
	assert_jq '.address == "::1"' "v6only.test: address ::1"
else
	for i in 1 2 3 4; do
		tap_skip "-6 / v6only.test case $i" "no IPv6 in this namespace"
	done
fi
lab_check 0 "-4 dual.test: exit 0" -4 --sni=good.test "dual.test:$GOODPORT"
assert_jq '.address == "127.0.0.1"' "-4 dual.test: address 127.0.0.1"
lab_check 2 "-4 v6only.test: exit 2 (no IPv4 address)" -4 --sni=good.test "v6only.test:$GOODPORT"
assert_jq 'has_problem("dns_failed")' "-4 v6only.test: dns_failed"

# URL targets.
lab_check 0 "https://good.test:PORT/path: exit 0" "https://good.test:$GOODPORT/some/path"
assert_jq '.problems == [] and .address == "127.0.0.1"' "URL target: no problems"
