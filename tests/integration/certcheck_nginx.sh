#!/usr/bin/env bash
# certcheck_nginx.sh: a real web server with SNI on port 443, as users
# run it: the right chain, the classic "ssl_certificate cert.pem" mistake
# (leaf without its intermediate), an ECDSA site, and default ports.
# jq filters and eval'd checks are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig nginx
lab_need_built "$CERTCHECK"

tap_plan 11

lab_pki
lab_dns_start
lab_nginx_start

lab_check 0 "nginx good.test:443: exit 0" good.test:443
assert_jq '.problems == [] and (.chain | length == 2) and .chain[0].san == ["good.test"]' \
	"nginx good.test: full chain, the good.test certificate"
lab_check 2 "nginx certpem.test:443 (cert.pem, no intermediate): exit 2" certpem.test:443
assert_jq 'has_problem("chain_incomplete") and (.chain | length == 1)' \
	"nginx certpem.test: chain_incomplete, 1 certificate served"
lab_check 0 "nginx ecdsa.test:443: exit 0" ecdsa.test:443
assert_jq '.problems == [] and (.chain[0].key.type | test("EC")) and .chain[0].san == ["ecdsa.test"]' \
	"nginx ecdsa.test: ECDSA key, SNI picked the ecdsa.test server"

# Port 443 when none is given, for a bare host and for a URL.
lab_check 0 "good.test without a port: exit 0 (443)" good.test
assert_jq '.chain[0].san == ["good.test"]' "good.test without a port: reached nginx"
lab_check 0 "https://good.test/: exit 0" https://good.test/
if [ "$LAB_IPV6" = 1 ]; then
	lab_check 0 "[::1]:443 --sni=ecdsa.test: exit 0" --sni=ecdsa.test "[::1]:443"
	assert_jq '.address == "::1" and .chain[0].san == ["ecdsa.test"]' \
		"[::1]:443: address ::1, SNI ecdsa.test"
else
	tap_skip "[::1]:443 --sni=ecdsa.test: exit 0" "no IPv6 in this namespace"
	tap_skip "[::1]:443: address ::1" "no IPv6 in this namespace"
fi
