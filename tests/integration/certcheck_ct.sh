#!/usr/bin/env bash
# certcheck_ct.sh: Certificate Transparency.  Leaves made with the lab CA
# carry 0, 1, 2 or 3 embedded SCTs from lab logs (tests/helpers/sct.py)
# with 90- and 397-day lifetimes; browsers want SCTs from 2 distinct logs
# up to 180 days and 3 beyond.  A leaf without SCTs (a private CA's) is
# judged only with --ct=required.  The lab's log list replaces the
# shipped one with --ct-logs; a log outside it is counted as unknown.
# The logs must also be run by at least 2 distinct operators: a list
# where lab logs 0 and 1 share one, and two Google logs of the shipped
# list, fall short of that rule.
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv python3
python3 -c 'import cryptography.hazmat.primitives.asymmetric.ec' 2>/dev/null ||
	lab_skip_all "python3-cryptography not installed (makes the lab CT logs)"
lab_need_built "$CERTCHECK"

tap_plan 56

lab_pki
lab_dns_start
P=$LAB_PKI
SCT="$top_srcdir/tests/helpers/sct.py"
python3 "$SCT" logs "$P" 3 || lab_bail "sct.py could not make the lab logs"
LOGS="--ct-logs=$P/ct-logs.json"

# ct_leaf NAME DAYS SPEC PORT: a good.test leaf valid DAYS days (30 of
# them past) with the SCTs of SPEC (sct.py ext; "" for none), served.
ct_leaf() {
	local extra=
	if [ -n "$3" ]; then
		extra="add_extension = \"$(python3 "$SCT" ext "$P" "$3")\""
	fi
	LAB_LEAF_EXTRA=$extra lab_leaf "$1" int -30 $(($2 - 30)) ecdsa good.test
	lab_tls_serve "$1" "$4"
}
ct_leaf ct0 90 "" 4451
ct_leaf ct1 90 0 4452
ct_leaf ct2 90 0,1 4453
ct_leaf ct3 90 0,1,2 4454
ct_leaf ct2long 397 0,1 4455
ct_leaf ct3long 397 0,1,2 4456
ct_leaf ctdup 90 0,0 4457
ct_leaf ctunk 90 0,u 4458
# SCTs naming two real logs of the shipped list (Argon2026h1, Oak2026h1).
ct_leaf ctreal 90 "id=$(jq -r '.[0].log_id' "$top_srcdir/data/ct-logs.json"),id=$(jq -r '.[] | select(.description | test("Oak2026h1")) | .log_id' "$top_srcdir/data/ct-logs.json")" 4459

lab_check 0 "0 SCTs, 90 days: exit 0 (a private CA's leaf needs none)" "$LOGS" good.test:4451
assert_jq '.problems == [] and (has("sct") | not)' \
	"0 SCTs: no problem, and no sct field (nothing to judge, as in text)"
lab_check 1 "0 SCTs with --ct=required: exit 1" "$LOGS" --ct=required good.test:4451
assert_jq 'severities("sct_insufficient") == ["WARNING"]' "--ct=required, 0 SCTs: sct_insufficient WARNING"
assert_jq '[.problems[] | select(.code == "sct_insufficient") | .message] | any(test("0 distinct logs; a lifetime of 90 days needs 2"))' \
	"--ct=required: the message names count, lifetime and need"

lab_check 1 "1 SCT, 90 days: exit 1" "$LOGS" good.test:4452
assert_jq 'codes == ["sct_insufficient"] and .sct.count == 1 and .sct.needed == 2' \
	"1 SCT, 90 days: sct_insufficient, count 1, needed 2"
assert_jq '.sct.logs[0].description == "certdiag lab log 0" and (.sct.logs[0].timestamp | test("^20[0-9-]+T[0-9:]+Z$"))' \
	"1 SCT: attributed to lab log 0, with an RFC 3339 timestamp"
lab_check 0 "2 SCTs, 90 days: exit 0" "$LOGS" good.test:4453
assert_jq '.problems == [] and .sct.count == 2 and .sct.distinct_logs == 2' "2 SCTs, 90 days: no problem"
assert_jq '[.sct.logs[].description] == ["certdiag lab log 0", "certdiag lab log 1"]' \
	"2 SCTs: both attributed, in order"
lab_check 0 "3 SCTs, 90 days: exit 0" "$LOGS" good.test:4454
assert_jq '.problems == [] and .sct.count == 3 and .sct.policy == "2 SCTs for a lifetime up to 180 days, 3 beyond"' \
	"3 SCTs, 90 days: no problem, policy named"

lab_check 1 "2 SCTs, 397 days: exit 1" "$LOGS" good.test:4455
assert_jq 'codes == ["sct_insufficient"] and .sct.needed == 3' "2 SCTs, 397 days: sct_insufficient, needed 3"
assert_jq '[.problems[] | select(.code == "sct_insufficient") | .message] | any(test("2 distinct logs; a lifetime of 397 days needs 3"))' \
	"2 SCTs, 397 days: the message says 2 of 3 for 397 days"
lab_check 0 "3 SCTs, 397 days: exit 0" "$LOGS" good.test:4456
assert_jq '.problems == [] and .sct.count == 3 and .sct.needed == 3' "3 SCTs, 397 days: no problem"

lab_check 1 "2 SCTs from one log: exit 1" "$LOGS" good.test:4457
assert_jq 'codes == ["sct_insufficient"] and .sct.count == 2 and .sct.distinct_logs == 1' \
	"2 SCTs from one log: one distinct log, sct_insufficient"

lab_check 0 "an SCT from an unknown log counts: exit 0" "$LOGS" good.test:4458
assert_jq '.problems == [] and .sct.unknown_logs == 1 and .sct.logs[1].description == null and (.sct.logs[1].log_id | length == 44)' \
	"unknown log: counted, description null, its log_id shown"

# Without the lab's list the lab logs are unknown, and still counted.
lab_check 0 "2 SCTs, the shipped list: exit 0" good.test:4453
assert_jq '.sct.count == 2 and .sct.unknown_logs == 2 and ([.sct.logs[].description] == [null, null])' \
	"the shipped list does not know the lab logs"

lab_check 0 "the shipped list, SCTs from two real logs: exit 0" "--ct-logs=$top_srcdir/data/ct-logs.json" good.test:4459
assert_jq '.problems == [] and .sct.unknown_logs == 0 and ([.sct.logs[].description] == ["Google '"'"'Argon2026h1'"'"' log", "Let'"'"'s Encrypt '"'"'Oak2026h1'"'"'"])' \
	"the shipped list attributes Argon2026h1 and Oak2026h1"

# The operator rule: enough logs, one operator.
jq '.[1].operator = .[0].operator' "$P/ct-logs.json" >"$P/ct-logs-sameop.json"
SAMEOP="--ct-logs=$P/ct-logs-sameop.json"
lab_check 0 "2 SCTs, 2 operators: exit 0" "$LOGS" good.test:4453
assert_jq '.sct.distinct_operators == 2 and ([.sct.logs[].operator] == ["certdiag lab operator 0", "certdiag lab operator 1"])' \
	"2 SCTs: each log's operator shown, 2 distinct"
lab_check 1 "2 SCTs from 2 logs of one operator: exit 1" "$SAMEOP" good.test:4453
assert_jq 'codes == ["sct_insufficient"] and .sct.distinct_logs == 2 and .sct.distinct_operators == 1' \
	"one operator: sct_insufficient, 2 logs, 1 operator"
assert_problem sct_insufficient "leaf certificate good.test carries SCTs from 2 distinct logs, all operated by certdiag lab operator 0; Chrome's and Apple's CT policies want logs of at least 2 distinct operators" \
	"one operator: the message names the operator and the rule"
lab_check 0 "3 SCTs, two of one operator: exit 0" "$SAMEOP" good.test:4454
assert_jq '.problems == [] and .sct.distinct_operators == 2' "3 SCTs, 2 operators: no problem"
lab_check 0 "a lab log and an unknown log: exit 0" "$SAMEOP" good.test:4458
assert_jq '.problems == [] and .sct.distinct_operators == 2' \
	"an unknown log may be another operator's: not held against the leaf"
GOOGLE=$(jq -r '[.[] | select(.operator == "Google") | .log_id][0:2] | map("id=" + .) | join(",")' \
	"$top_srcdir/data/ct-logs.json")
ct_leaf ctgoogle 90 "$GOOGLE" 4460
lab_check 1 "the shipped list, SCTs from two Google logs: exit 1" \
	"--ct-logs=$top_srcdir/data/ct-logs.json" good.test:4460
assert_problem sct_insufficient "carries SCTs from 2 distinct logs, all operated by Google; Chrome's" \
	"two Google logs: the operator rule fired"

lab_check 0 "--ct=off: exit 0" "$LOGS" --ct=off good.test:4452
assert_jq '.problems == [] and (has("sct") | not)' "--ct=off: no judgement, no sct field"

# Text and Nagios.
assert_exit 1 "text, 1 SCT: exit 1" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" "$LOGS" good.test:4452
assert_true "text: sct_insufficient shown" grep -q 'sct_insufficient' "$LAB_OUT"
assert_true "text: the lab log named" grep -q 'certdiag lab log 0' "$LAB_OUT"
assert_exit 1 "nagios, 1 SCT: exit 1" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" "$LOGS" --nagios good.test:4452
assert_first_line '^CERT WARNING - .*1 distinct log' "nagios: CERT WARNING naming the logs"
assert_exit 0 "nagios, unknown log: exit 0" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" "$LOGS" --nagios good.test:4458
assert_true "nagios long text: the unknown log noted" grep -q 'SCT from a log not in the CT log list' "$LAB_OUT"

# Local files: the same judgement.
assert_exit 1 "--cert, 1 SCT: exit 1" "$CERTCHECK" "--cafile=$P/root.pem" "$LOGS" --json \
	"--cert=$P/ct1.chain.pem" --name good.test
assert_jq 'codes == ["sct_insufficient"] and .sct.count == 1' "--cert, 1 SCT: sct_insufficient"
assert_exit 0 "--cert, 3 SCTs 397 days: exit 0" "$CERTCHECK" "--cafile=$P/root.pem" "$LOGS" --json \
	"--cert=$P/ct3long.chain.pem" --name good.test
assert_jq '.problems == [] and .sct.count == 3' "--cert, 3 SCTs: no problem"
assert_exit 1 "--cert, no SCT, --ct=required: exit 1" "$CERTCHECK" "--cafile=$P/root.pem" "$LOGS" --json \
	--ct=required "--cert=$P/ct0.chain.pem" --name good.test
assert_jq 'codes == ["sct_insufficient"]' "--cert, no SCT, --ct=required: sct_insufficient"

# Usage errors.
assert_exit 3 "--ct=bogus: exit 3" "$CERTCHECK" --ct=bogus good.test:4451
assert_exit 3 "--ct-logs missing file: exit 3" "$CERTCHECK" "$DNS" --ct-logs=/nonexistent good.test:4451
echo '[{"log_id": "not base64"}]' >"$P/bad-logs.json"
assert_exit 3 "--ct-logs with a bad log_id: exit 3" "$CERTCHECK" "$DNS" "--ct-logs=$P/bad-logs.json" good.test:4451
assert_true "bad log list: the fault named" grep -q 'log 1: want "log_id"' "$LAB_ERR"
