#!/usr/bin/env bash
# http01check_redirects.sh: redirects followed only as Let's Encrypt's
# validator (Boulder) follows them: 301/302/307/308 yes, 303 no; at most
# eleven; http or https only; ports 80 and 443 only; no host ending in
# ".well-known"; no loop; https targets unverified but TLS 1.2 or later.
# nginx serves the rules of tests/fixtures/http01/site.conf.
#
# Boulder's messages for a refused redirect name the redirect target:
# Go's http.Client puts the Location into the url.Error it returns, so
# the CA says "<ip>: Fetching <Location>: <reason>" (Boulder va/http_test.go:
# "127.0.0.1: Fetching http://other.valid.com:8080/path: Invalid port in
# redirect target...").  The reason and the Location are asserted apart.
#
# Redirects to a reserved address are refused only outside lab mode;
# those run against a public-looking address in
# http01check_addresses.sh.  A host outside the IANA TLDs is refused in
# lab mode too.
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig nginx
lab_need_built "$HTTP01CHECK"

tap_plan 77

lab_pki
lab_http01_site
lab_dns_start

KA=$LAB_KA
A1=$LAB_ADDR1
URL=http://web.example.com/.well-known/acme-challenge

# follow TOKEN WANT: fetch TOKEN from web.example.com with --expect=$KA.
follow() {
	assert_exit "$2" "$1: exit $2" "$HTTP01CHECK" "$DNS" --json \
		--allow-reserved -t 5 --token="$1" --expect="$KA" web.example.com
}

# hops JSON DESC: the hops of the attempt, as [[url, status], ...].
hops() {
	assert_jq "[.attempts[-1].hops[] | [.url, .status]] == $1" "$2"
}

# The four statuses the CA follows, to the good file.
for s in 301 302 307 308; do
	follow "r$s" 0
	hops "[[\"$URL/r$s\", $s], [\"$URL/good\", 200]]" \
		"r$s: followed to /good, 2 hops"
	assert_jq '.body_matches == true and .attempts[0].hops[0].location == "'"$URL"'/good"' \
		"r$s: body matches, the hop records its Location"
done

# 303 is refused; a 300 is not a redirect the CA's client follows.
follow r303 2
hops "[[\"$URL/r303\", 303]]" "r303: the 303 recorded, its target not fetched"
assert_problem http01_bad_redirect "$A1: Fetching $URL/good: received disallowed redirect status code" \
	"r303: the message names the redirect target, as the CA's does"
follow r300 2
assert_problem http01_bad_status "$A1: Invalid response from $URL/r300: 300" \
	"r300: not followed, Invalid response ...: 300"

# Relative, other host (resolved again), upper case, query string.
follow relative 0
hops "[[\"$URL/relative\", 302], [\"$URL/good\", 200]]" "relative Location: resolved against the URL"
follow other-host 0
assert_jq '.attempts[0].hops[1] | .url == "http://other.example.com/.well-known/acme-challenge/good" and .address == "127.0.0.3"' \
	"other-host: other.example.com resolved for the hop (127.0.0.3)"
follow upper-host 0
hops "[[\"$URL/upper-host\", 301], [\"$URL/good\", 200]]" "upper-host: WEB.EXAMPLE.COM lowercased"
follow query 0
hops "[[\"$URL/query\", 301], [\"$URL/good?from=query\", 200]]" "query: the query string is kept"

# Ports: only 80 and 443.
follow port8080 2
assert_problem http01_bad_redirect "Invalid port in redirect target. Only ports 80 and 443 are supported, not 8080" \
	"port8080: http01_bad_redirect, Only ports 80 and 443 are supported, not 8080"
assert_problem http01_bad_redirect "$A1: Fetching http://web.example.com:8080/.well-known/acme-challenge/good: Invalid port" \
	"port8080: the message names the redirect target, as the CA's does"
assert_jq '(.attempts[0].hops | length) == 1' "port8080: the refused target is not fetched"
# The stand-in ports (as the CA's configured ones): the message names
# them, and an explicit port equal to one of them is used as given.
assert_exit 2 "port8080 with --https-port=8443: exit 2" "$HTTP01CHECK" "$DNS" \
	--json --allow-reserved -t 5 --token=port8080 --expect="$KA" \
	--https-port=8443 web.example.com
assert_problem http01_bad_redirect "Only ports 80 and 8443 are supported, not 8080" \
	"--https-port=8443: the stand-in ports in the message"
assert_exit 2 "port8080 with --https-port=8080: exit 2" "$HTTP01CHECK" "$DNS" \
	--json --allow-reserved -t 5 --token=port8080 --expect="$KA" \
	--https-port=8080 web.example.com
assert_jq '.attempts[0].hops[1].url == "http://web.example.com:8080/.well-known/acme-challenge/good" and has_problem("http01_connection_refused")' \
	"--https-port=8080: :8080 accepted and fetched as given (nothing listens there)"

# Schemes and hosts.
follow ftp 2
assert_problem http01_bad_redirect 'Invalid protocol scheme in redirect target. Only "http" and "https" protocol schemes are supported, not "ftp"' \
	"ftp: http01_bad_redirect, Invalid protocol scheme"
assert_problem http01_bad_redirect "$A1: Fetching ftp://web.example.com/.well-known/acme-challenge/good: Invalid protocol scheme" \
	"ftp: the message names the redirect target"
follow missing-slash 2
assert_problem http01_bad_redirect "Invalid host in redirect target \"web.example.com.well-known\". Check webserver config for missing '/' in redirect target." \
	"missing-slash: http01_bad_redirect, missing '/'"
follow empty-host 2
assert_problem http01_bad_redirect "Invalid empty host in redirect target" \
	"empty-host (http:///...): Invalid empty host in redirect target"
follow scope-zone 2
assert_problem http01_bad_redirect "Invalid host in redirect target: contains scope zone" \
	"scope-zone ([fe80::1%25lo]): Invalid host in redirect target: contains scope zone"
follow nx-host 2
assert_problem http01_dns_error "nxdomain.example.com" "nx-host: a redirect host without address: http01_dns_error"

# Length: 2000 bytes of path are followed, 2001 are not.
follow max-long 2
assert_jq '(.attempts[0].hops | length) == 2 and .attempts[0].hops[1].status == 404 and has_problem("http01_bad_status")' \
	"max-long: a 2000-byte path is followed (to a 404)"
follow too-long 2
assert_problem http01_bad_redirect "Redirect target too long" "too-long: 2001 bytes, Redirect target too long"

# Lab mode (--allow-reserved) keeps loopback only: a name outside the
# IANA TLDs is refused with the CA's words, as without it.
follow to-test-tld 2
assert_problem http01_bad_redirect "$A1: Fetching http://web.test/.well-known/acme-challenge/good: Invalid host in redirect target, must end in IANA registered TLD" \
	"to-test-tld: refused in lab mode, the CA's message"
follow to-localhost 2
assert_problem http01_bad_redirect "Fetching http://localhost/.well-known/acme-challenge/good: Invalid host in redirect target, must end in IANA registered TLD" \
	"to-localhost: refused in lab mode"

# Loops: the same URL twice.
follow loop 2
assert_problem http01_redirect_loop "$A1: Fetching $URL/loop: Redirect loop detected" \
	"loop: http01_redirect_loop, Redirect loop detected"
follow loop-a 2
assert_jq 'codes == ["http01_redirect_loop"] and severities("http01_redirect_loop") == ["CRITICAL"]' \
	"loop-a -> loop-b -> loop-a: http01_redirect_loop alone, CRITICAL"
assert_problem http01_redirect_loop "$A1: Fetching $URL/loop-a: Redirect loop detected" \
	"loop-a: the message names the repeated URL (the redirect target)"
hops "[[\"$URL/loop-a\", 302], [\"$URL/loop-b\", 302]]" "loop-a: two URLs fetched"

# Count: eleven redirects are followed, the twelfth is refused.
follow hop11 0
assert_jq '(.attempts[0].hops | length) == 12 and .attempts[0].hops[11].url == "'"$URL"'/hop0" and .body_matches == true' \
	"hop11: 11 redirects followed, 12 URLs fetched, body matches"
follow hop12 2
assert_jq 'codes == ["http01_too_many_redirects"] and severities("http01_too_many_redirects") == ["CRITICAL"]' \
	"hop12: http01_too_many_redirects alone, CRITICAL"
assert_problem http01_too_many_redirects "$A1: Fetching $URL/hop0: Too many redirects" \
	"hop12: the message names the refused target (hop0)"
assert_jq '(.attempts[0].hops | length) == 12 and all(.attempts[0].hops[]; .status == 301)' \
	"hop12: 12 URLs fetched, all 301, hop0 never fetched"
assert_exit 0 "hop11 without --expect: exit 0" "$HTTP01CHECK" "$DNS" --json \
	--allow-reserved -t 5 --token=hop11 web.example.com

# HTTPS hops.
follow to-https 0
assert_jq '.attempts[0].hops[1].url == "https://web.example.com/.well-known/acme-challenge/good" and .attempts[0].hops[1].status == 200 and .body_matches == true' \
	"to-https: followed to nginx on 443, self-signed certificate not verified"
follow to-tls10 2
assert_problem http01_tls_error "doesn't support TLSv1.2 or better" \
	"to-tls10: http01_tls_error, server does not support TLSv1.2"
assert_problem http01_tls_error "See https://community.letsencrypt.org/t/rejecting-sha-1-csrs-and-validation-using-tls-1-0-1-1-urls/175144" \
	"to-tls10: the CA's sentence ends with its community link"
assert_jq '.attempts[0].hops[1] | .url == "https://old.example.com/.well-known/acme-challenge/good" and .address == "127.0.0.2"' \
	"to-tls10: the https hop went to old.example.com (127.0.0.2)"
follow https-on-80 2
assert_problem http01_tls_error "Fetching https://web.example.com:80/.well-known/acme-challenge/good: Server only speaks HTTP, not TLS" \
	"https-on-80: allowed port, but Server only speaks HTTP, not TLS"
follow http-on-443 2
assert_problem http01_bad_status "Invalid response from http://web.example.com:443/.well-known/acme-challenge/good: 400" \
	"http-on-443: allowed port, nginx's 400, the final URL with its port"
assert_jq 'has_problem("http01_suspicious_response")' "http-on-443: recognised as plain HTTP to an HTTPS port"

# Redirect to the https stand-in port: --https-port=443 is the default,
# an explicit :443 is accepted and used as given.
assert_exit 0 "to-https with explicit --https-port=443: exit 0" "$HTTP01CHECK" "$DNS" \
	--json --allow-reserved -t 5 --token=to-https --expect="$KA" --https-port=443 web.example.com
