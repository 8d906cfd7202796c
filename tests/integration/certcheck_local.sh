#!/usr/bin/env bash
# certcheck_local.sh: --cert/--key/--name, checking PEM files before they
# are deployed: completeness, order, expiry, key match and names, with
# the same problem codes as a live check.  No server, no DNS.
# jq filters and eval'd checks are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_need_built "$CERTCHECK"

tap_plan 24

lab_pki
P=$LAB_PKI

# local WANT DESC OPTIONS...: certcheck on local files, trusting root.pem.
local_check() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$CERTCHECK" --json "--cafile=$P/root.pem" "$@"
}

local_check 0 "good fullchain --name good.test: exit 0" --cert "$P/good.chain.pem" --name good.test
assert_jq '.problems == [] and (.chain | length == 2) and .verify.trusted and .hostname_match' \
	"good fullchain: no problems, chain of 2, trusted"
local_check 2 "good leaf only: exit 2" --cert "$P/good.pem" --name good.test
assert_jq 'has_problem("chain_incomplete")' "good leaf only: chain_incomplete"
local_check 2 "--key of another certificate: exit 2" \
	--cert "$P/good.chain.pem" --key "$P/ecdsa.key" --name good.test
assert_jq 'severities("key_mismatch") == ["CRITICAL"]' "--key of another: key_mismatch CRITICAL"
local_check 2 "--key of the same algorithm, other certificate: exit 2" \
	--cert "$P/ecdsa.chain.pem" --key "$P/exp40.key" --name ecdsa.test
assert_jq 'has_problem("key_mismatch")' "--key ECDSA of another: key_mismatch"
local_check 0 "--key matching: exit 0" --cert "$P/good.chain.pem" --key "$P/good.key" --name good.test
assert_jq '.problems == []' "--key matching: no problems"
local_check 2 "--name other.test: exit 2" --cert "$P/good.chain.pem" --name other.test
assert_jq 'has_problem("hostname_mismatch")' "--name other.test: hostname_mismatch"
local_check 2 "expired fullchain: exit 2" --cert "$P/expired.chain.pem" --name expired.test
assert_jq 'has_problem("cert_expired")' "expired fullchain: cert_expired"
local_check 1 "order chain file (leaf, int, int2): exit 1" --cert "$P/order.chain.pem" --name order.test
assert_jq 'has_problem("chain_order")' "order chain file: chain_order"
local_check 1 "exp15 fullchain: exit 1" --cert "$P/exp15.chain.pem" --name exp15.test
assert_jq 'severities("cert_expiring") == ["WARNING"]' "exp15 fullchain: cert_expiring WARNING"
assert_exit 0 "local file, --nagios: exit 0" \
	"$CERTCHECK" --nagios "--cafile=$P/root.pem" --cert "$P/good.chain.pem" --name good.test
assert_first_line '^CERT OK - .* \| .*days_left=' "local file, --nagios: CERT OK with perfdata"
local_check 3 "--cert of a missing file: exit 3" --cert "$LAB/missing.pem" --name good.test
assert_problem check_error "$LAB/missing.pem: cannot read the file" "--cert of a missing file: check_error says so"
local_check 3 "--cert of a file with no certificate: exit 3" --cert "$P/good.tmpl" --name good.test
assert_problem check_error "good.tmpl: no PEM, DER or PKCS#12 certificate could be read" \
	"--cert of a file with no certificate: check_error says so"
