#!/usr/bin/env bash
# certcheck_formats.sh: the three output formats and how they are chosen:
# text for people (verdict first, diagnostics only on stderr), JSON Lines,
# Nagios (also the default under the check_cert name), and colour only
# when asked for or on a TTY without NO_COLOR.
# jq filters and eval'd checks are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv script
lab_need_built "$CERTCHECK"

tap_plan 46

lab_pki
lab_dns_start
for c in good expired; do
	lab_tls_serve "$c"
done
CA="--cafile=$LAB_PKI/root.pem"
GOOD=$(lab_target good)
EXPIRED=$(lab_target expired)
ESC=$(printf '\033')

has_esc() { # FILE
	grep -q "$ESC" "$1"
}
# plain FILE: the expired verdict, its words next to each other, and no
# escape anywhere (an empty output is not plain text).
plain() {
	grep -qE 'expired\.test:4403 +CRITICAL' "$1" && ! has_esc "$1"
}

# text --------------------------------------------------------------------
assert_exit 0 "text (default) good: exit 0" "$CERTCHECK" "$DNS" "$CA" "$GOOD"
assert_first_line "(OK.*good\\.test:4401|good\\.test:4401.*OK)" \
	"text: the first line has the target and OK"
assert_true "text good: nothing on stderr" eval '[ ! -s "$LAB_ERR" ]'
assert_true "text: stdout is not JSON" eval '! jq -e . "$LAB_OUT"'
assert_exit 2 "text expired: exit 2" "$CERTCHECK" "$DNS" "$CA" -o text "$EXPIRED"
assert_first_line "(CRITICAL.*expired\\.test:4403|expired\\.test:4403.*CRITICAL)" \
	"text: the first line has the target and CRITICAL"
assert_true "text expired: the problem line names cert_expired" \
	grep -qE '^  CRITICAL  cert_expired: ' "$LAB_OUT"

# JSON: every spelling, one parseable object per line --------------------
for f in "--json" "-o json" "--format=json"; do
	# shellcheck disable=SC2086 # "-o json" is two words on purpose
	assert_exit 0 "$f: exit 0" "$CERTCHECK" "$DNS" "$CA" $f "$GOOD"
	assert_true "$f: one line that jq -c . parses" \
		eval '[ "$(lab_lines "$LAB_OUT")" = 1 ] && jq -c . "$LAB_OUT"'
	assert_jq ".target == \"$GOOD\" and .status == \"OK\" and (.problems | type == \"array\")" \
		"$f: target, status, problems"
done

# Nagios: both spellings --------------------------------------------------
for f in "--nagios" "-o nagios"; do
	# shellcheck disable=SC2086
	assert_exit 0 "$f: exit 0" "$CERTCHECK" "$DNS" "$CA" $f "$GOOD"
	assert_first_line '^CERT OK - .* \| ' "$f: CERT OK - ... | perfdata"
done

# Colour ------------------------------------------------------------------
assert_exit 2 "--color=always: exit 2" "$CERTCHECK" "$DNS" "$CA" --color=always "$EXPIRED"
assert_true "--color=always: ESC sequences in text" has_esc "$LAB_OUT"
assert_exit 2 "NO_COLOR=1 --color=auto: exit 2" \
	env NO_COLOR=1 "$CERTCHECK" "$DNS" "$CA" --color=auto "$EXPIRED"
assert_true "NO_COLOR=1 --color=auto: the verdict, no ESC" plain "$LAB_OUT"
assert_exit 2 "--color=auto, stdout not a TTY: exit 2" \
	env -u NO_COLOR "$CERTCHECK" "$DNS" "$CA" --color=auto "$EXPIRED"
assert_true "--color=auto, stdout not a TTY: the verdict, no ESC" plain "$LAB_OUT"
# On a terminal (script(1) gives the tool a pseudo-terminal), auto means
# colour unless NO_COLOR is set.
assert_exit 2 "--color=auto on a TTY: exit 2" \
	script -qec "$(printf '%q ' env -u NO_COLOR "$CERTCHECK" "$DNS" "$CA" --color=auto "$EXPIRED")" /dev/null
assert_true "--color=auto on a TTY: ESC sequences" has_esc "$LAB_OUT"
assert_exit 2 "NO_COLOR=1 --color=auto on a TTY: exit 2" \
	script -qec "$(printf '%q ' env NO_COLOR=1 "$CERTCHECK" "$DNS" "$CA" --color=auto "$EXPIRED")" /dev/null
assert_true "NO_COLOR=1 --color=auto on a TTY: the verdict, no ESC" plain "$LAB_OUT"
assert_exit 2 "--color=never: exit 2" "$CERTCHECK" "$DNS" "$CA" --color=never "$EXPIRED"
assert_true "--color=never: the verdict, no ESC" plain "$LAB_OUT"
assert_exit 2 "--color=always --json: exit 2" "$CERTCHECK" "$DNS" "$CA" --color=always --json "$EXPIRED"
assert_true "--color=always --json: JSON stays plain" eval '! has_esc "$LAB_OUT" && jq -e . "$LAB_OUT"'
assert_exit 3 "--color=sometimes: exit 3" "$CERTCHECK" "$DNS" "$CA" --color=sometimes "$GOOD"
assert_true "--color=sometimes: stderr says why" \
	grep -qF -- "--color 'sometimes': want auto, always or never" "$LAB_ERR"

# The Nagios name ---------------------------------------------------------
lab_nagios_link check_cert certcheck
assert_exit 0 "check_cert: exit 0" "$LAB/bin/check_cert" "$DNS" "$CA" "$GOOD"
assert_first_line '^CERT OK - .* \| .*days_left=' "check_cert: Nagios output by default"
assert_exit 2 "check_cert expired: exit 2" "$LAB/bin/check_cert" "$DNS" "$CA" "$EXPIRED"
assert_first_line '^CERT CRITICAL - ' "check_cert expired: CERT CRITICAL"
assert_exit 0 "check_cert --format=json: exit 0" "$LAB/bin/check_cert" "$DNS" "$CA" --format=json "$GOOD"
assert_jq '.status == "OK"' "check_cert --format=json: JSON wins over the name"
assert_exit 0 "check_cert -o text: exit 0" "$LAB/bin/check_cert" "$DNS" "$CA" -o text "$GOOD"
assert_first_line '^good\.test:4401  OK  ' "check_cert -o text: the text verdict, not Nagios"
assert_exit 0 "check_cert -V: exit 0" "$LAB/bin/check_cert" -V
assert_first_line '^certcheck \(certdiag\) [0-9]+\.[0-9]+\.[0-9]+$' "check_cert -V: NAME (certdiag) X.Y.Z"
