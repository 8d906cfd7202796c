#!/usr/bin/env bash
# certcheck_batch.sh: several targets in one run, from the command line,
# from -f FILE and from -f - (stdin), one after the other and with -j.
# The exit status is the worst state; JSON has one line per target;
# Nagios has one summary line, then a line per target.
# jq filters and eval'd checks are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv
lab_need_built "$CERTCHECK"

tap_plan 21

lab_pki
lab_dns_start
for c in good expired exp15; do
	lab_tls_serve "$c"
done
CA="--cafile=$LAB_PKI/root.pem"
GOOD=$(lab_target good)
EXPIRED=$(lab_target expired)
EXP15=$(lab_target exp15)

# The target -> status map of the last JSON output, sorted by target.
statuses_are() { # EXPECTED-JSON
	jq -e -s --argjson want "$1" \
		'(map({key: .target, value: .status}) | from_entries) == $want' \
		<"$LAB_OUT" >/dev/null
}

lab_check 1 "good + exp15: exit 1 (worst is WARNING)" "$GOOD" "$EXP15"
assert_true "good + exp15: two JSON lines" eval '[ "$(lab_lines "$LAB_OUT")" = 2 ]'
assert_true "good + exp15: OK and WARNING" \
	statuses_are "{\"$GOOD\": \"OK\", \"$EXP15\": \"WARNING\"}"
lab_check 2 "good + expired + exp15: exit 2 (worst is CRITICAL)" "$GOOD" "$EXPIRED" "$EXP15"
assert_true "good + expired + exp15: three JSON lines" eval '[ "$(lab_lines "$LAB_OUT")" = 3 ]'
assert_true "good + expired + exp15: OK, CRITICAL, WARNING" \
	statuses_are "{\"$GOOD\": \"OK\", \"$EXPIRED\": \"CRITICAL\", \"$EXP15\": \"WARNING\"}"
lab_check 2 "-j 3 good + expired + exp15: exit 2" -j 3 "$GOOD" "$EXPIRED" "$EXP15"
assert_true "-j 3: same three results" \
	statuses_are "{\"$GOOD\": \"OK\", \"$EXPIRED\": \"CRITICAL\", \"$EXP15\": \"WARNING\"}"

# Nagios: the summary line carries the worst state.
assert_exit 1 "--nagios good + exp15: exit 1" "$CERTCHECK" "$DNS" "$CA" --nagios "$GOOD" "$EXP15"
assert_first_line '^CERT WARNING - ' "--nagios good + exp15: summary CERT WARNING"
assert_true "--nagios good + exp15: summary, then one line per target" \
	eval '[ "$(lab_lines "$LAB_OUT")" = 3 ] && tail -n 2 "$LAB_OUT" | grep -q "$GOOD" && tail -n 2 "$LAB_OUT" | grep -q "$EXP15"'
assert_exit 2 "--nagios good + expired + exp15: exit 2" \
	"$CERTCHECK" "$DNS" "$CA" --nagios "$GOOD" "$EXPIRED" "$EXP15"
assert_first_line '^CERT CRITICAL - ' "--nagios with an expired target: summary CERT CRITICAL"

# -f: one target a line, '#' comments, blank lines.
cat >"$LAB/targets.txt" <<EOT
# certificates to watch

$GOOD
  # an indented comment
$EXP15

EOT
lab_check 1 "-f targets.txt: exit 1" -f "$LAB/targets.txt"
assert_true "-f targets.txt: two targets, comments and blank lines skipped" \
	statuses_are "{\"$GOOD\": \"OK\", \"$EXP15\": \"WARNING\"}"
LAB_STDIN="$LAB/targets.txt" lab_check 1 "-f - (stdin): exit 1" -f -
assert_true "-f -: two targets from stdin" \
	statuses_are "{\"$GOOD\": \"OK\", \"$EXP15\": \"WARNING\"}"
printf '%s\n' "$EXPIRED" >"$LAB/one.txt"
lab_check 2 "-f with one expired target: exit 2" -f "$LAB/one.txt"
assert_true "-f with one expired target: its report, CRITICAL, cert_expired" \
	eval 'statuses_are "{\"$EXPIRED\": \"CRITICAL\"}" && jq -e "any(.problems[]; .code == \"cert_expired\")" "$LAB_OUT"'
lab_check 3 "-f of a missing file: exit 3" -f "$LAB/missing.txt"
assert_true "-f of a missing file: said on stderr, nothing on stdout" \
	eval '[ ! -s "$LAB_OUT" ] && grep -qF "$LAB/missing.txt: No such file or directory" "$LAB_ERR"'
