#!/usr/bin/env bash
# http01check_output.sh: the formats (text, json, nagios, and nagios by
# default as check_http01), several names at once, and bad usage.
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig nginx
lab_need_built "$HTTP01CHECK"

tap_plan 44

lab_pki
lab_http01_site
lab_dns_start

KA=$LAB_KA
A1=$LAB_ADDR1
LAB_ARGS=("$DNS" --allow-reserved -t 5)

# --- nagios ---------------------------------------------------------------
assert_exit 0 "--nagios, reachable: exit 0" "$HTTP01CHECK" "${LAB_ARGS[@]}" --nagios web.test
assert_first_line '^HTTP01 OK - web\.test: ' "--nagios OK: first line HTTP01 OK - web.test: ..."
assert_true "--nagios OK: one line, no JSON" test "$(lab_lines "$LAB_OUT")" = 1
assert_exit 2 "--nagios, 403 with --expect: exit 2" "$HTTP01CHECK" "${LAB_ARGS[@]}" \
	--nagios --token=status403 --expect="$KA" web.test
assert_first_line "^HTTP01 CRITICAL - web\.test: $A1: Invalid response from http://web\.test/\.well-known/acme-challenge/status403: 403" \
	"--nagios CRITICAL: first line HTTP01 CRITICAL - with the CA's words"
assert_exit 1 "--nagios, 500 without --expect: exit 1" "$HTTP01CHECK" "${LAB_ARGS[@]}" \
	--nagios --token=status500 web.test
assert_first_line '^HTTP01 WARNING - ' "--nagios WARNING: first line HTTP01 WARNING - "
assert_exit 2 "--nagios, NXDOMAIN: exit 2" "$HTTP01CHECK" "${LAB_ARGS[@]}" --nagios nxdomain.test
assert_first_line '^HTTP01 CRITICAL - nxdomain\.test: .*NXDOMAIN' "--nagios NXDOMAIN: CRITICAL, says NXDOMAIN"
assert_exit 3 "--nagios, --webroot and --expect: exit 3" "$HTTP01CHECK" "${LAB_ARGS[@]}" \
	--nagios --webroot="$LAB" --expect=x web.test

# check_http01 (the Nagios name) speaks nagios by default.
lab_nagios_link check_http01 http01check
assert_exit 2 "check_http01, redirect loop: exit 2" "$LAB/bin/check_http01" "${LAB_ARGS[@]}" \
	--token=loop --expect="$KA" web.test
assert_first_line '^HTTP01 CRITICAL - web\.test: .*Redirect loop detected' \
	"check_http01: nagios by default, Redirect loop detected"
assert_exit 0 "check_http01 --json: exit 0" "$LAB/bin/check_http01" "${LAB_ARGS[@]}" --json web.test
assert_jq '.status == "OK"' "check_http01 --json: JSON when asked"

# --- several names: the worst status, one JSON object per name ----------
assert_exit 2 "web.test and nxdomain.test: exit 2 (the worst)" "$HTTP01CHECK" \
	"${LAB_ARGS[@]}" --json web.test nxdomain.test
assert_jqs 'length == 2 and ([.[].target] | sort) == ["nxdomain.test", "web.test"]' \
	"two names: two JSON lines"
assert_jqs '(map({(.target): .status}) | add) == {"web.test": "OK", "nxdomain.test": "CRITICAL"}' \
	"two names: each with its own status"
# One --token for both names, and one server behind both: a 500 for each.
assert_exit 1 "two WARNINGs: exit 1" "$HTTP01CHECK" "${LAB_ARGS[@]}" --json \
	--token=status500 web.test other.test
assert_jqs '(map({(.target): [.status, codes]}) | add) ==
	{"web.test": ["WARNING", ["http01_unexpected_status"]], "other.test": ["WARNING", ["http01_unexpected_status"]]}' \
	"two WARNINGs: each name its own report, a 500 is http01_unexpected_status"
assert_exit 2 "--nagios, two names, one critical: exit 2" "$HTTP01CHECK" \
	"${LAB_ARGS[@]}" --nagios web.test nxdomain.test
assert_first_line '^HTTP01 CRITICAL - 2 targets' "--nagios, two names: summary line first"
# -f: names from a file, comments ignored.
printf '# names\nweb.test\n\nother.test\n' >"$LAB/names"
assert_exit 0 "-f FILE with two names: exit 0" "$HTTP01CHECK" "${LAB_ARGS[@]}" --json -f "$LAB/names"
assert_jqs 'length == 2 and all(.[]; .status == "OK")' "-f FILE: both names checked"

# --- text ---------------------------------------------------------------
assert_exit 2 "text, body mismatch: exit 2" "$HTTP01CHECK" "${LAB_ARGS[@]}" \
	--token=lead-space --expect="$KA" web.test
assert_first_line '^web\.test +CRITICAL' "text: the verdict first"
assert_true "text: the problem code and the CA's words" grep -q \
	"http01_body_mismatch: $A1: The key authorization file from the server did not match this challenge" "$LAB_OUT"
assert_true "text: lab mode is said" grep -Eq 'lab_mode +yes' "$LAB_OUT"
assert_true "text: nothing on stderr" test ! -s "$LAB_ERR"

# --- usage --------------------------------------------------------------
# usage DESC WORDS ARGS...: exit 3, and stderr says WORDS (the reason, not
# any usage error).
usage() {
	local desc=$1 words=$2
	shift 2
	assert_exit 3 "$desc: exit 3" "$HTTP01CHECK" "${LAB_ARGS[@]}" "$@"
	assert_true "$desc: stderr says why" grep -qF -- "$words" "$LAB_ERR"
}
usage "no DOMAIN" "no DOMAIN given"
usage "--token with a slash" "--token 'a/b': want base64url characters" --token=a/b web.test
usage "--token longer than 60" "want base64url characters (A-Z a-z 0-9 - _), at most 60" \
	--token="$(printf 'a%.0s' $(seq 61))" web.test
usage "--http-port=0" "--http-port '0': want 1..65535" --http-port=0 web.test
usage "--https-port=65536" "--https-port '65536': want 1..65535" --https-port=65536 web.test
assert_exit 3 "bad domain: exit 3" "$HTTP01CHECK" "${LAB_ARGS[@]}" 'bad domain.test'
assert_true "bad domain: the reason on stderr, nothing on stdout" \
	eval '[ ! -s "$LAB_OUT" ] && grep -qF "'"'"'bad domain.test'"'"' is not a domain name" "$LAB_ERR"'
assert_exit 0 "--help: exit 0" "$HTTP01CHECK" --help
assert_true "--help lists --allow-reserved" grep -q -- "--allow-reserved" "$LAB_OUT"
assert_exit 0 "--version: exit 0" "$HTTP01CHECK" --version
assert_first_line '^http01check \(certdiag\) [0-9]+\.[0-9]+\.[0-9]+$' "--version: NAME (certdiag) X.Y.Z"
