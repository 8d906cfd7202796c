#!/usr/bin/env bash
# http01check_reachable.sh: the final answer of the challenge URL, judged
# as Let's Encrypt's validator (Boulder) judges it: a real nginx serves
# token files and statuses (lab_http01_site).  Without --expect a 200 or
# a 404 means the path reaches a web server; with --expect the status
# must be exactly 200, at most 127 bytes are accepted, trailing Unicode
# white space is trimmed and the rest compared exactly.
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig nginx
lab_need_built "$HTTP01CHECK"

tap_plan 50

lab_pki
lab_http01_site
lab_dns_start

KA=$LAB_KA
A1=$LAB_ADDR1
URL=http://web.test/.well-known/acme-challenge

# h01 WANT DESC ARGS...: http01check --json in lab mode (loopback kept).
h01() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$HTTP01CHECK" "$DNS" --json \
		--allow-reserved -t 5 "$@"
}

# expect TOKEN WANT: fetch TOKEN from web.test, expecting $KA.
expect() {
	h01 "$2" "token $1 with --expect: exit $2" --token="$1" --expect="$KA" \
		web.test
}

# Reachable: a random token gets nginx's 404, which proves the path.
h01 0 "random token, 404: exit 0" web.test
assert_jq '.status == "OK" and .problems == [] and (.token | test("^[A-Za-z0-9_-]{43}$"))
	and .url == "'"$URL"'/" + .token and .attempts[0].hops[0].status == 404
	and .attempts[0].result == "ok" and .lab_mode == true and (has("body_matches") | not)' \
	"random token: 43 base64url characters, 404, lab mode said"
assert_jq '.attempts[0].address == "'"$A1"'" and (.attempts | length == 1)' \
	"random token: the first address tried is $A1 (IPv6 first), only one attempt"

# The key authorization, exact and with trailing white space.
expect good 0
assert_jq '.body_matches == true and .attempts[0].hops[0].status == 200 and .problems == []' \
	"good: 200, body_matches true"
h01 0 "good without --expect: exit 0 (200 counts as reachable)" --token=good web.test
expect trail-nl 0
assert_jq '.body_matches == true' "trail-nl: trailing newline trimmed"
expect trail-ws 0
assert_jq '.body_matches == true' "trail-ws: trailing spaces, tab, CR LF trimmed"
expect trail-unicode 0
assert_jq '.body_matches == true' "trail-unicode: trailing NBSP and U+3000 trimmed (Go's unicode.IsSpace)"
expect pad127 0
assert_jq '.body_matches == true' "pad127: 127 bytes with the padding is still read whole"

# Mismatches: only trailing white space is forgiven.
expect lead-space 2
assert_problem http01_body_mismatch \
	"$A1: The key authorization file from the server did not match this challenge. Expected \"$KA\" (got \" $KA\")" \
	"lead-space: http01_body_mismatch in the CA's words"
assert_jq '.body_matches == false and .attempts[0].result == "http01_body_mismatch"' \
	"lead-space: body_matches false, attempt result names the problem"
expect bom 2
assert_jq 'has_problem("http01_body_mismatch")' "bom: a byte-order mark is a mismatch"
expect html 2
assert_jq 'has_problem("http01_body_mismatch")' "html: an HTML wrapper is a mismatch"
# Boulder quotes the trimmed body with Go's %q: (got "<html>...</html>").
assert_problem http01_body_mismatch "(got \"<html><body>$KA</body></html>\")" \
	"html: the body quoted as the CA quotes it (trimmed, Go %q)"
expect upper 2
assert_jq 'has_problem("http01_body_mismatch")' "upper: the comparison is case-sensitive"
expect empty 2
assert_problem http01_body_mismatch '(got "")' "empty: mismatch, got \"\""

# 128 bytes or more: the CA reads 128 and refuses, whatever they are.
expect pad128 2
assert_problem http01_body_too_large "$A1: Invalid response from $URL/pad128: \"$KA " \
	"pad128: http01_body_too_large although trimmed it would match"
expect big 2
printf -v A128 '%*s' 128 ''
A128=${A128// /A}
assert_problem http01_body_too_large "$A1: Invalid response from $URL/big: \"$A128\"" \
	"big: the message quotes exactly the first 128 bytes"
expect lines 2
assert_problem http01_body_too_large ': "line\nline\nline\n' \
	"lines: the 128 bytes quoted with Go's %q (newlines as \\n)"

# Statuses: with --expect only 200 will do.
expect status403 2
assert_problem http01_bad_status "$A1: Invalid response from $URL/status403: 403" \
	"status403: http01_bad_status, Invalid response ...: 403"
expect status500 2
assert_problem http01_bad_status "$A1: Invalid response from $URL/status500: 500" \
	"status500: http01_bad_status, Invalid response ...: 500"
expect status410 2
assert_problem http01_bad_status "$URL/status410: 410" "status410: http01_bad_status"
expect no-such-file 2
assert_problem http01_bad_status "$A1: Invalid response from $URL/no-such-file: 404" \
	"missing file with --expect: 404 is http01_bad_status"
assert_jq '.body_matches == false' "missing file: body_matches false"

# Without --expect: 200 and 404 are fine, anything else is a warning.
h01 1 "status500 without --expect: exit 1" --token=status500 web.test
assert_problem http01_unexpected_status "$A1: Invalid response from $URL/status500: 500" \
	"status500 without --expect: http01_unexpected_status"
assert_jq 'severities("http01_unexpected_status") == ["WARNING"] and .status == "WARNING"' \
	"status500 without --expect: severity WARNING"
h01 1 "status403 without --expect: exit 1" --token=status403 web.test
assert_jq 'has_problem("http01_unexpected_status")' "status403 without --expect: http01_unexpected_status"

# Plain HTTP on nginx's HTTPS port: a 400 the tool recognises.
h01 2 "http on port 443 (--http-port=443): exit 2" --http-port=443 \
	--token=good --expect="$KA" web.test
assert_jq 'has_problem("http01_bad_status") and has_problem("http01_suspicious_response")' \
	"http on port 443: bad status, and recognised as plain HTTP to an HTTPS port"

# What the CA sends: GET over HTTP/1.1, Host without a port, Accept */*.
h01 0 "token request-log: exit 0 (404)" --token=request-log web.test
assert_true "request: GET HTTP/1.1, Host web.test (no port), Accept */*" \
	grep -qF '"GET /.well-known/acme-challenge/request-log HTTP/1.1" 404 host="web.test" accept="*/*"' \
	"$LAB/log/http01-requests.log"
