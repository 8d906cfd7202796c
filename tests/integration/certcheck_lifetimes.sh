#!/usr/bin/env bash
# certcheck_lifetimes.sh: the default thresholds for every lifetime an
# operator meets: 6-day and 45-day ACME certificates, the classic 90-day
# one, 397-day and 825-day commercial ones.  The default is the smaller
# of 30% of the leaf's lifetime and 30 days (warning), of 10% and 10
# days (critical), and the message names the rule that fired.  Explicit
# -w/-c are not capped.
# jq filters and eval'd checks are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv
lab_need_built "$CERTCHECK"

tap_plan 46

lab_pki
P=$LAB_PKI
# NAME FROM TO (days from now, fractions allowed)
while read -r name from to; do
	lab_leaf "$name" int "$from" "$to" ecdsa
done <<'LEAVES'
l6ok -2 4
l6warn -4.5 1.5
l6crit -5.5 0.5
l45ok -30 15
l45warn -33 12
l45crit -41 4
l90warn -65 25
l397ok -297 100
l397warn -372 25
l397crit -390 7
l825ok -625 200
l825warn -800 25
LEAVES
lab_dns_add "l397warn A 127.0.0.1" "l6warn A 127.0.0.1"
lab_dns_start
lab_tls_serve l397warn 4431
lab_tls_serve l6warn 4432

# file WANT DESC CASE [OPTIONS...]: certcheck --json on CASE's chain file.
file_check() {
	local want=$1 desc=$2 c=$3
	shift 3
	assert_exit "$want" "$desc" "$CERTCHECK" --json "--cafile=$P/root.pem" \
		--name "$c.test" --cert "$P/$c.chain.pem" "$@"
}

# 6 days (short-lived ACME): warn below 1.8 days, critical below 0.6.
file_check 0 "6-day, 4 days left: exit 0" l6ok
assert_jq '.problems == []' "6-day, 4 days left: no problems"
file_check 1 "6-day, 1.5 days left: exit 1" l6warn
assert_problem cert_expiring "less than 30% of its 6-day lifetime (1.8 days) left" \
	"6-day, 1.5 days left: the message names 30% of 6 days (1.8)"
file_check 2 "6-day, 0.5 days left: exit 2" l6crit
assert_problem cert_expiring "less than 10% of its 6-day lifetime (0.6 days) left" \
	"6-day, 0.5 days left: the message names 10% of 6 days (0.6)"

# 45 days: 13.5 and 4.5.
file_check 0 "45-day, 15 days left: exit 0" l45ok
file_check 1 "45-day, 12 days left: exit 1" l45warn
assert_problem cert_expiring "less than 30% of its 45-day lifetime (13.5 days) left" \
	"45-day, 12 days left: 30% of 45 days"
file_check 2 "45-day, 4 days left: exit 2" l45crit
assert_problem cert_expiring "less than 10% of its 45-day lifetime (4.5 days) left" \
	"45-day, 4 days left: 10% of 45 days"

# 90 days: 27 and 9, as always.
file_check 1 "90-day, 25 days left: exit 1" l90warn
assert_problem cert_expiring "less than 30% of its 90-day lifetime left" \
	"90-day, 25 days left: 30% of its 90-day lifetime"

# 397 days: 30% would be 119 days; the cap of 30 days (10) applies.
file_check 0 "397-day, 100 days left: exit 0" l397ok
assert_jq '.problems == []' "397-day, 100 days left: no problems"
file_check 1 "397-day, 25 days left: exit 1" l397warn
assert_problem cert_expiring "less than 30 days left" "397-day, 25 days left: less than 30 days left"
assert_jq '[.problems[].message] | length > 0 and all(.[]; test("lifetime") | not)' \
	"397-day, 25 days left: the capped rule is not the percentage"
file_check 2 "397-day, 7 days left: exit 2" l397crit
assert_problem cert_expiring "less than 10 days left" "397-day, 7 days left: less than 10 days left"

# 825 days.
file_check 0 "825-day, 200 days left: exit 0" l825ok
file_check 1 "825-day, 25 days left: exit 1" l825warn
assert_problem cert_expiring "less than 30 days left" "825-day, 25 days left: less than 30 days left"

# Explicit thresholds are not capped and keep their meaning.
file_check 1 "397-day, 100 days left, -w 30%: exit 1 (119.1 days)" l397ok -w 30%
assert_problem cert_expiring "less than 30% of its 397-day lifetime (119.1 days) left" \
	"397-day -w 30%: the percentage, uncapped"
file_check 0 "397-day, 25 days left, -w 20 -c 5: exit 0" l397warn -w 20 -c 5
file_check 1 "397-day, 25 days left, -w 26: exit 1" l397warn -w 26
assert_problem cert_expiring "less than 26 days left" "397-day -w 26: less than 26 days left"
file_check 1 "397-day, 25 days left, -w 26:30: exit 1 (a range)" l397warn -w 26:30
assert_problem cert_expiring "outside the range 26:30" "397-day -w 26:30: names the range"
file_check 2 "397-day, 25 days left, -c 26: exit 2 (no cap on an explicit -c)" l397warn -c 26
assert_problem cert_expiring "less than 26 days left" "397-day -c 26: less than 26 days left"
file_check 1 "825-day, 200 days left, -w 25%: exit 1" l825ok -w 25%
assert_problem cert_expiring "less than 25% of its 825-day lifetime" "825-day -w 25%: the percentage, uncapped"

# Served: JSON, text and nagios (perfdata thresholds in days).
lab_check 1 "served 397-day, 25 days left: exit 1" l397warn.test:4431
assert_problem cert_expiring "less than 30 days left" "served 397-day: the rule in JSON"
assert_jq '.days_left > 24.9 and .days_left <= 25' "served 397-day: days_left ~25"
assert_jq '[.problems[] | select(.code == "cert_expiring") | .hint][0] | startswith("order the replacement from the CA now")' \
	"served 397-day: a bought certificate's hint, not certbot's"
assert_exit 1 "served 397-day --nagios: exit 1" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" \
	--nagios l397warn.test:4431
assert_first_line '^CERT WARNING - .*less than 30 days left \| days_left=2[45][.0-9]*;30:;10:( |$)' \
	"served 397-day --nagios: rule in the summary, perfdata 30:;10:"
assert_exit 1 "served 397-day text: exit 1" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" \
	--format=text --color=never l397warn.test:4431
assert_line 2 'WARNING +cert_expiring: .*less than 30 days left$' "served 397-day text: the rule on the problem line"
assert_exit 1 "served 6-day --nagios: exit 1" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" \
	--nagios l6warn.test:4432
assert_first_line '\| days_left=1\.[45][0-9]*;1\.8:;0\.6:( |$)' \
	"served 6-day --nagios: perfdata in days with decimals (1.8:, 0.6:)"
assert_exit 1 "served 6-day text: exit 1" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" \
	--format=text --color=never l6warn.test:4432
assert_line 1 'WARNING +leaf certificate l6warn\.test expires in 1\.5 days .*: less than 30% of its 6-day lifetime \(1\.8 days\) left$' \
	"served 6-day text: the verdict names the rule"
