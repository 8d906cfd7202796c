#!/usr/bin/env bash
# certcheck_expiry.sh: dates and thresholds.  Expired and not-yet-valid
# certificates, the default thresholds (30% / 10% of the leaf's
# lifetime, i.e. 27 and 9 days for a 90-day certificate), -w/-c in days,
# fractional days and percentages, and how they show in JSON and in
# Nagios perfdata (range grammar "27:", not a bare "27").
# jq filters and eval'd checks are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv
lab_need_built "$CERTCHECK"

tap_plan 49

lab_pki
lab_dns_start
for c in good ecdsa expired notyet exp3 exp15 exp40; do
	lab_tls_serve "$c"
done
GOOD=$(lab_target good)
CA="--cafile=$LAB_PKI/root.pem"

# A healthy chain, and every JSON detail field the contract names.
lab_check 0 "good: exit 0" "$GOOD"
assert_jq '.status == "OK" and .problems == []' "good: status OK, no problems"
assert_jq '.verify.trusted == true and .hostname_match == true' "good: trusted, hostname matches"
assert_jq '.chain | length == 2' "good: chain of 2 as served"
assert_jq '.target == "good.test:4401" and .address == "127.0.0.1"' "good: target and address"
assert_jq '(.tls.version | test("^TLSv1\\.[23]$")) and (.tls.cipher | type == "string" and length > 0)' \
	"good: tls version and cipher"
assert_jq '.chain[0] | (.subject | test("CN=good\\.test")) and (.issuer | test("CN=certdiag lab int"))' \
	"good: leaf subject and issuer"
assert_jq '.chain[0] | (.serial | test("^[0-9a-fA-F:]+$")) and (.sha256 | ascii_downcase | gsub(":"; "") | test("^[0-9a-f]{64}$"))' \
	"good: serial and SHA-256 fingerprint"
assert_jq ".chain[0].not_before == \"$(lab_rfc3339 -30)\" and .chain[0].not_after == \"$(lab_rfc3339 60)\"" \
	"good: notBefore/notAfter in RFC 3339 UTC"
assert_jq '.chain[0].key.type == "RSA" and .chain[0].key.bits == 2048' \
	"good: key RSA 2048"
assert_jq '.chain[0] | (.signature | test("SHA-?256"; "i")) and .san == ["good.test"] and .ca == false and .self_signed == false' \
	"good: signature, SAN, not a CA, not self-signed"
assert_jq '.chain[1].ca == true and .chain[1].self_signed == false' "good: intermediate is a CA"
assert_jq "has(\"ocsp\") and .earliest_expiry == \"$(lab_rfc3339 60)\"" \
	"good: ocsp field, earliest_expiry is the leaf's notAfter"
assert_jq '(.days_left | type == "number" and . > 59.9 and . <= 60) and (.chain_days_left | . > 59.9 and . <= 60) and (.chain[0].days_left | . > 59.9 and . <= 60)' \
	"good: days_left ~60 (leaf, chain)"

lab_check 0 "ecdsa: exit 0" "$(lab_target ecdsa)"
assert_jq '.problems == [] and .verify.trusted and .hostname_match and (.chain | length == 2)' \
	"ecdsa: no problems, trusted, chain of 2"

# Outside the validity period: always critical, whatever -w/-c say.
lab_check 2 "expired: exit 2" "$(lab_target expired)"
assert_jq '.status == "CRITICAL" and severities("cert_expired") == ["CRITICAL"]' \
	"expired: cert_expired CRITICAL"
assert_jq 'all(.problems[]; has("severity") and has("code") and has("message") and has("hint"))' \
	"expired: problems carry severity, code, message, hint"
lab_check 2 "notyet: exit 2" "$(lab_target notyet)"
assert_jq 'severities("cert_not_yet_valid") == ["CRITICAL"]' "notyet: cert_not_yet_valid CRITICAL"

# Default thresholds: 30% and 10% of 90 days.
lab_check 2 "exp3 (3 days left): exit 2" "$(lab_target exp3)"
assert_jq 'severities("cert_expiring") == ["CRITICAL"]' "exp3: cert_expiring CRITICAL"
lab_check 1 "exp15 (15 days left): exit 1" "$(lab_target exp15)"
assert_jq '.status == "WARNING" and severities("cert_expiring") == ["WARNING"]' \
	"exp15: cert_expiring WARNING"
assert_jq '.days_left > 14.9 and .days_left <= 15' "exp15: days_left ~15"
assert_jq '[.problems[] | select(.code == "cert_expiring") | (.message + " " + (.hint // ""))] | length == 1 and all(.[]; test("renew"; "i"))' \
	"exp15: says when an ACME client renews"
lab_check 0 "exp40 (40 days left): exit 0" "$(lab_target exp40)"
assert_jq '.problems == []' "exp40: no problems"

# Thresholds in days, fractional days and percentages.
lab_check 0 "exp15 -w 10 -c 5: exit 0" -w 10 -c 5 "$(lab_target exp15)"
lab_check 1 "exp40 -w 45: exit 1" -w 45 "$(lab_target exp40)"
assert_jq 'severities("cert_expiring") == ["WARNING"]' "exp40 -w 45: cert_expiring WARNING"
lab_check 2 "exp15 -c 20: exit 2" -c 20 "$(lab_target exp15)"
assert_jq 'severities("cert_expiring") == ["CRITICAL"]' "exp15 -c 20: cert_expiring CRITICAL"
lab_check 1 "exp15 -w 15.5: exit 1 (fractional days)" -w 15.5 "$(lab_target exp15)"
assert_problem cert_expiring "less than 15.5 days left" "exp15 -w 15.5: cert_expiring, the fractional threshold"
lab_check 0 "exp15 -w 14.5 -c 5: exit 0 (14.99 days left)" -w 14.5 -c 5 "$(lab_target exp15)"
lab_check 1 "exp40 --warning=50%: exit 1 (44% left)" --warning=50% "$(lab_target exp40)"
assert_problem cert_expiring "less than 50% of its" "exp40 --warning=50%: cert_expiring, the percentage"

# Nagios: status word, perfdata in the range grammar, thresholds in days.
assert_exit 0 "good --nagios: exit 0" "$CERTCHECK" "$DNS" "$CA" --nagios "$GOOD"
assert_first_line '^CERT OK - ' "good --nagios: CERT OK"
assert_first_line ' \| .*days_left=[0-9.]+;27(\.0+)?:;9(\.0+)?:( |$)' \
	"good --nagios: days_left=N;27:;9: (no min: it goes below 0; default 30%/10% of 90 days)"
assert_first_line ' \| .*chain_days_left=[0-9.]+;' "good --nagios: chain_days_left perfdata"
assert_exit 1 "exp40 -w 45 --nagios: exit 1" "$CERTCHECK" "$DNS" "$CA" --nagios -w 45 "$(lab_target exp40)"
assert_first_line '^CERT WARNING - .* \| .*days_left=[0-9.]+;45(\.0+)?:;9(\.0+)?:( |$)' \
	"exp40 -w 45 --nagios: CERT WARNING, perfdata 45:"
assert_exit 1 "exp40 -w 50% -c 20% --nagios: exit 1" "$CERTCHECK" "$DNS" "$CA" --nagios -w 50% -c 20% "$(lab_target exp40)"
assert_first_line '\| .*days_left=[0-9.]+;45(\.0+)?:;18(\.0+)?:( |$)' \
	"exp40 -w 50% -c 20%: percentages rendered in days (45:, 18:)"
assert_exit 2 "expired --nagios: exit 2" "$CERTCHECK" "$DNS" "$CA" --nagios "$(lab_target expired)"
assert_first_line '^CERT CRITICAL - ' "expired --nagios: CERT CRITICAL"
