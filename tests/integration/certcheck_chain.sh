#!/usr/bin/env bash
# certcheck_chain.sh: what is wrong with the chain a server sends.  Trust
# (no --cafile: the lab root is in no system store), weak signatures and
# keys, self-signed leaves, a missing intermediate, wrong order, the root
# sent along, an intermediate that expires first, an expired intermediate.
# jq filters and eval'd checks are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv openssl
lab_need_built "$CERTCHECK"

tap_plan 28

lab_pki
lab_dns_start
for c in good sha1 rsa1024 selfsigned incomplete order rootsent shortchain intexpired; do
	lab_tls_serve "$c"
done

# Untrusted: the system store does not know the lab's root.
assert_exit 2 "good without --cafile: exit 2" \
	"$CERTCHECK" "$DNS" --json "$(lab_target good)"
assert_jq 'has_problem("chain_untrusted") and .verify.trusted == false and (.verify.reasons | length > 0)' \
	"good without --cafile: chain_untrusted, with reasons"

lab_check 2 "sha1: exit 2" "$(lab_target sha1)"
assert_jq 'severities("weak_signature") == ["CRITICAL"]' "sha1: weak_signature CRITICAL"
assert_jq '.chain[0].signature | test("SHA-?1"; "i")' "sha1: leaf signature named SHA1"

lab_check 1 "rsa1024: exit 1" "$(lab_target rsa1024)"
assert_jq 'severities("weak_key") == ["WARNING"] and (has_problem("chain_untrusted") | not)' \
	"rsa1024: weak_key WARNING, and no chain_untrusted"
assert_jq '.chain[0].key.type == "RSA" and .chain[0].key.bits == 1024' "rsa1024: key RSA 1024"

# Self-signed: critical unless it is the trust anchor itself.
assert_exit 2 "selfsigned without --cafile: exit 2" \
	"$CERTCHECK" "$DNS" --json "$(lab_target selfsigned)"
assert_jq 'has_problem("self_signed") and .chain[0].self_signed == true' \
	"selfsigned: self_signed, chain[0].self_signed"
assert_exit 0 "selfsigned with itself as --cafile: exit 0" \
	"$CERTCHECK" "$DNS" --json "--cafile=$LAB_PKI/selfsigned.chain.pem" "$(lab_target selfsigned)"
assert_jq '.problems == [] and .verify.trusted' "selfsigned trusted via --cafile: no problems"

lab_check 2 "incomplete (no intermediate sent): exit 2" "$(lab_target incomplete)"
assert_jq 'severities("chain_incomplete") == ["CRITICAL"] and (.chain | length == 1)' \
	"incomplete: chain_incomplete CRITICAL, 1 certificate served"
assert_jq '[.problems[] | select(.code == "chain_incomplete") | .message + " " + (.hint // "")] | any(test("fullchain"))' \
	"incomplete: the message mentions fullchain"

# Served order is reported as served.
lab_check 1 "order (leaf, int, int2): exit 1" "$(lab_target order)"
assert_jq 'severities("chain_order") == ["WARNING"] and .status == "WARNING"' \
	"order: chain_order WARNING"
assert_jq '[.chain[].subject] | (.[0] | test("order\\.test")) and (.[1] | test("lab int,|lab int$")) and (.[2] | test("lab int2"))' \
	"order: chain listed in served order"

lab_check 0 "rootsent: exit 0" "$(lab_target rootsent)"
assert_jq '.status == "OK" and severities("chain_root_sent") == ["OK"]' \
	"rootsent: chain_root_sent with severity OK"
assert_jq '(.chain | length == 3) and .chain[2].self_signed == true and .chain[2].ca == true' \
	"rootsent: the root is listed third, self-signed CA"

lab_check 1 "shortchain (intermediate expires first): exit 1" "$(lab_target shortchain)"
assert_jq 'severities("intermediate_expires_first") == ["WARNING"] and .status == "WARNING"' \
	"shortchain: intermediate_expires_first WARNING"
assert_jq '(.chain_days_left < .days_left) and (.chain_days_left > 19.9 and .chain_days_left <= 20)' \
	"shortchain: chain_days_left is the intermediate's 20 days"
assert_jq ".earliest_expiry == \"$(lab_rfc3339 20)\"" \
	"shortchain: earliest_expiry is the intermediate's notAfter"

lab_check 2 "intexpired (expired intermediate): exit 2" "$(lab_target intexpired)"
assert_jq 'severities("cert_expired") == ["CRITICAL"]' "intexpired: cert_expired CRITICAL"
assert_jq '[.problems[] | select(.code == "cert_expired") | .message] | any(test("intexp|intermediate"; "i"))' \
	"intexpired: the message names the intermediate"
