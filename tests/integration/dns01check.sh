#!/usr/bin/env bash
# dns01check.sh: dns-01 and dns-account-01 as the CA validates them,
# against the private signed DNS tree (tests/lab/dnstree.sh): the value
# published (in one string or split in two), a wrong value, two long
# wrong records (the CA cuts at 100 characters), nothing published, an
# acme-dns style CNAME delegation and a dangling one, a value only one
# of two servers serves, a zone whose signatures expired, hostile answers
# (100 records, a 60,000-byte record, a CNAME loop), bad arguments, and the
# dns-account-01 name.  Each case asserts the exit status, the problem
# codes and the CA's own message (Boulder va/dns.go).
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
. "$top_srcdir/tests/lab/dnstree.sh"
DNS01CHECK="$top_builddir/tools/dns01check"
lab_need_built "$DNS01CHECK"
tap_plan 82
dnstree_start

KA=$DNSTREE_DNS01_KA
V=$DNSTREE_DNS01_TXT
X100=$(printf 'x%.0s' $(seq 1 100))

d01() {
	local want=$1 desc=$2
	shift 2
	# shellcheck disable=SC2086 # the CA-view options are words
	assert_exit "$want" "$desc" "$DNS01CHECK" $DNSTREE_CA_VIEW -t 8 --json "$@"
}

# --- published -----------------------------------------------------------------
d01 0 "ok.dns01.com: the value from --key-authorization is found" \
	--key-authorization="$KA" ok.dns01.com
assert_jq ".expected == \"$V\" and .txt == [\"$V\"] and .verdict == \"valid\"" \
	"ok.dns01.com: the digest is base64url(SHA-256(KEYAUTH)), as openssl computes it"
assert_jq '.challenge_name == "_acme-challenge.ok.dns01.com" and .cname_chain == [] and
	.dnssec == "secure" and .problems == []' \
	"ok.dns01.com: challenge name, secure, no problem"
assert_jq "(.servers | length) == 2 and all(.servers[]; .rcode == \"NOERROR\" and .aa and .txt == [\"$V\"])" \
	"ok.dns01.com: both servers asked directly, both serve the value"
d01 0 "ok.dns01.com: --expect with the value itself" --expect="$V" ok.dns01.com
d01 0 "*.ok.dns01.com: a wildcard is checked at _acme-challenge.ok.dns01.com" \
	--key-authorization="$KA" '*.ok.dns01.com'
assert_jq '.challenge_name == "_acme-challenge.ok.dns01.com"' \
	"*.ok.dns01.com: the challenge name drops the wildcard label"
d01 0 "split.dns01.com: the value in two character-strings matches, joined" \
	--key-authorization="$KA" split.dns01.com
assert_jq ".txt == [\"$V\"]" "split.dns01.com: the strings of one record joined"
d01 0 "ok.dns01.com without a value: what is published, nothing to judge" ok.dns01.com
assert_jq ".verdict == \"unchecked\" and .expected == null and .txt == [\"$V\"] and .problems == []" \
	"ok.dns01.com without a value: unchecked, the record shown"

# --- the CA's refusals -------------------------------------------------------------
d01 2 "wrong.dns01.com: a wrong value" --key-authorization="$KA" wrong.dns01.com
assert_problem dns01_wrong_txt \
	'Incorrect TXT record "stale-value-from-an-old-order" found at _acme-challenge.wrong.dns01.com' \
	"wrong.dns01.com: the CA's exact words"
assert_jq 'codes == ["dns01_wrong_txt"] and .verdict == "invalid"' \
	"wrong.dns01.com: dns01_wrong_txt only (both servers serve the same)"
d01 2 "long.dns01.com: two long wrong records" --expect="$V" long.dns01.com
assert_jq "[.problems[] | select(.code == \"dns01_wrong_txt\") | .message][0] |
	test(\"^Incorrect TXT record \\\"${X100}...\\\" [(]and 1 more[)] found at _acme-challenge.long.dns01.com$\")" \
	"long.dns01.com: cut to 100 characters and ..., (and 1 more)"
d01 2 "notxt.dns01.com: nothing published (NXDOMAIN)" --key-authorization="$KA" notxt.dns01.com
# The CA's resolver library turns every rcode but NOERROR into an error
# (Boulder bdns wrapErr; only CAA reads NXDOMAIN as empty).
assert_problem dns01_no_txt "DNS problem: NXDOMAIN looking up TXT for _acme-challenge.notxt.dns01.com - check that a DNS record exists for this domain" \
	"notxt.dns01.com: the CA's exact words for NXDOMAIN"
assert_jq 'codes == ["dns01_no_txt"] and .rcode == "NXDOMAIN"' "notxt.dns01.com: dns01_no_txt only"
d01 0 "notxt.dns01.com without a value: NXDOMAIN is fine before the client publishes" notxt.dns01.com
assert_jq '.problems == [] and .txt == []' "notxt.dns01.com without a value: no problem"
d01 2 "nodata.dns01.com: the name has an A record, no TXT (NODATA)" --key-authorization="$KA" nodata.dns01.com
assert_problem dns01_no_txt "No TXT record found at _acme-challenge.nodata.dns01.com" \
	"nodata.dns01.com: No TXT record found"
d01 0 "nodata.dns01.com without a value: NODATA is fine" nodata.dns01.com

# --- CNAME delegation (acme-dns) ------------------------------------------------
d01 0 "delegated.dns01.com: a CNAME to acmedns.org, which has the value" \
	--key-authorization="$KA" delegated.dns01.com
assert_jq ".cname_chain == [\"x1.acmedns.org\"] and .txt == [\"$V\"]" \
	"delegated.dns01.com: the chain and the target's TXT"
assert_jq "(.servers | length) == 2 and all(.servers[]; .txt == [\"$V\"]) and (.nameservers.zone == \"acmedns.org\")" \
	"delegated.dns01.com: the target zone's servers are the ones asked"
d01 2 "dangling.dns01.com: a CNAME to a name that does not exist" dangling.dns01.com
assert_problem dns01_cname_dangling \
	"_acme-challenge.dangling.dns01.com is a CNAME to missing.acmedns.org, which does not exist" \
	"dangling.dns01.com: dns01_cname_dangling without a value"
assert_jq 'codes == ["dns01_cname_dangling"]' "dangling.dns01.com: the only problem"
d01 2 "dangling.dns01.com with a value: the CA finds no TXT" --key-authorization="$KA" dangling.dns01.com
assert_jq 'codes == ["dns01_no_txt", "dns01_cname_dangling"]' \
	"dangling.dns01.com with a value: no TXT, dangling"
assert_problem dns01_no_txt "DNS problem: NXDOMAIN looking up TXT for _acme-challenge.dangling.dns01.com - check that a DNS record exists for this domain" \
	"dangling.dns01.com: the CA's words name the challenge name"

# --- propagation ------------------------------------------------------------------
d01 2 "inconsistent.com: the value on one server of two" --key-authorization="$KA" inconsistent.com
assert_problem dns01_not_propagated "nameserver ns1alt.lab-dns.net (127.0.53.5) of inconsistent.com does not serve the value at _acme-challenge.inconsistent.com: it answers rcode NXDOMAIN" \
	"inconsistent.com: dns01_not_propagated names the server, address and what it serves"
assert_jq 'severities("dns01_not_propagated") == ["CRITICAL"] and
	([.servers[] | select(.address == "127.0.53.4") | .txt | length] == [1])' \
	"inconsistent.com: CRITICAL; the other server serves the value"
assert_jq '(codes - ["dns01_no_txt"]) == ["dns01_not_propagated"]' \
	"inconsistent.com: not ns_inconsistent beside it, which would say the same"
d01 1 "inconsistent.com without a value: the servers disagree, a warning" inconsistent.com
assert_jq 'codes == ["ns_inconsistent"]' "inconsistent.com without a value: ns_inconsistent"

# --- DNS failures in the CA's words -----------------------------------------------
d01 2 "expired.com: expired signatures: the CA's lookup fails" \
	--key-authorization="$KA" expired.com
assert_jq '[.problems[] | select(.code == "dns01_dns_error") | .message][0] |
	startswith("DNS problem: looking up TXT for _acme-challenge.expired.com: DNSSEC: Signature Expired: validation failure <")' \
	"expired.com: DNS problem in the CA's words (EDE form)"
assert_jq 'has_problem("dnssec_bogus") and .dnssec == "bogus"' \
	"expired.com: dnssec_bogus beside it"
d01 2 "expired.com without a value: the failure does not depend on it" expired.com
assert_jq 'has_problem("dns01_dns_error")' "expired.com without a value: dns01_dns_error"

# --- dns-account-01 ------------------------------------------------------------------
label=$(printf '%s' "$DNSTREE_ACCOUNT_URI" | openssl dgst -sha256 -binary |
	head -c 10 | base32 | tr 'A-Z' 'a-z')
d01 0 "account.dns01.com: dns-account-01 finds the value at the account's label" \
	--method=dns-account-01 --account-uri="$DNSTREE_ACCOUNT_URI" \
	--key-authorization="$KA" account.dns01.com
assert_jq ".challenge_name == \"_${label}._acme-challenge.account.dns01.com\" and .method == \"dns-account-01\"" \
	"account.dns01.com: _<base32 of SHA-256(URI)[0:10], lower case>._acme-challenge"
d01 2 "account.dns01.com: another account's label has nothing" \
	--method=dns-account-01 --account-uri="https://acme.lab.test/acct/9" \
	--key-authorization="$KA" account.dns01.com
assert_jq '[.problems[] | select(.code == "dns01_no_txt") | .message][0] |
	test("^DNS problem: NXDOMAIN looking up TXT for _[a-z2-7]{16}._acme-challenge.account.dns01.com - check that a DNS record exists for this domain$")' \
	"account.dns01.com: a DNS error, which the CA does not tag with the account"
d01 2 "account.dns01.com with another value: the CA's refusal" \
	--method=dns-account-01 --account-uri="$DNSTREE_ACCOUNT_URI" \
	--expect=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA account.dns01.com
assert_jq "[.problems[] | select(.code == \"dns01_wrong_txt\") | .message][0] ==
	\"Incorrect TXT record \\\"$V\\\" found at _${label}._acme-challenge.account.dns01.com (account: \\\"$DNSTREE_ACCOUNT_URI\\\")\"" \
	"account.dns01.com: the CA adds the account to its unauthorized words"
d01 2 "ok.dns01.com: dns-01's record is not dns-account-01's" \
	--method=dns-account-01 --account-uri="$DNSTREE_ACCOUNT_URI" \
	--key-authorization="$KA" ok.dns01.com
assert_jq 'codes == ["dns01_no_txt"]' "ok.dns01.com: no TXT at the account name"

# --- usage ---------------------------------------------------------------------------
# usage_err DESC PATTERN ARGS...: exit 3, nothing on stdout, one line
# on stderr that says what is wrong.
usage_err() {
	local desc=$1 pat=$2
	shift 2
	d01 3 "$desc: exit 3" "$@"
	assert_true "$desc: one line saying why" \
		sh -c '[ ! -s "$1" ] && [ "$(wc -l <"$2")" -eq 1 ] && grep -q -- "$3" "$2"' \
		- "$LAB_OUT" "$LAB_ERR" "$pat"
}
usage_err "a key authorization without the thumbprint" "not a key authorization" \
	--key-authorization=lab-token-1 ok.dns01.com
usage_err "a key authorization with a space" "not a key authorization" \
	--key-authorization="lab-token-1. lab-thumbprint-1" ok.dns01.com
usage_err "--expect that is not a SHA-256 in base64url" "not a dns-01 TXT value" \
	--expect="not the value" ok.dns01.com
usage_err "an account URI without a scheme" "not an ACME account URI" \
	--method=dns-account-01 --account-uri=acme.lab.test/acct/1 ok.dns01.com
usage_err "an unknown method" "want dns-01, dns-account-01 or dns-persist-01" \
	--method=dns-02 ok.dns01.com
usage_err "dns-persist-01 with a key authorization" "no per-order value" \
	--method=dns-persist-01 --key-authorization="$KA" ok.dns01.com
usage_err "an issuer that is not a domain name" "not an issuer domain name" \
	--method=dns-persist-01 --ca=lets_encrypt.org ok.dns01.com
usage_err "dns-account-01 without --account-uri" "--method=dns-account-01 needs --account-uri" \
	--method=dns-account-01 --key-authorization="$KA" ok.dns01.com
usage_err "--key-authorization and --expect together" "--key-authorization and --expect: give one" \
	--key-authorization="$KA" --expect="$V" ok.dns01.com

# --- hostile answers ------------------------------------------------------------
# Each within -t + 0.5 s, with the CA's words.
d01 2 "many.dns01.com: 100 wrong TXT records" -t 3 --key-authorization="$KA" many.dns01.com
assert_jq '[.problems[] | select(.code == "dns01_wrong_txt") | .message][0] |
	test("^Incorrect TXT record \"stale-[0-9]{3}\" [(]and 99 more[)] found at _acme-challenge.many.dns01.com$")' \
	"many.dns01.com: the first record quoted, (and 99 more)"
assert_jq '(.txt | length) == 100 and (.servers | length) == 2 and all(.servers[]; (.txt | length) == 100)' \
	"many.dns01.com: all 100 read from the CA's view and from each server (TCP)"
assert_elapsed_max 3.5 "many.dns01.com: within -t + 0.5 s"
d01 2 "huge.dns01.com: one TXT record of 60,000 bytes" -t 3 --key-authorization="$KA" huge.dns01.com
assert_jq "[.problems[] | select(.code == \"dns01_wrong_txt\") | .message][0] ==
	\"Incorrect TXT record \\\"$(printf 'y%.0s' $(seq 1 100))...\\\" found at _acme-challenge.huge.dns01.com\"" \
	"huge.dns01.com: cut to 100 bytes, as the CA cuts"
assert_jq '(.txt[0] | length) == 59925 and (.servers | length) == 2 and all(.servers[]; (.txt[0] | length) == 59925)' \
	"huge.dns01.com: the whole record read, 235 strings joined"
assert_elapsed_max 3.5 "huge.dns01.com: within -t + 0.5 s"
d01 2 "loop.dns01.com: a CNAME loop" -t 3 --key-authorization="$KA" loop.dns01.com
assert_problem dns01_dns_error \
	"DNS problem: SERVFAIL looking up TXT for _acme-challenge.loop.dns01.com - the domain's nameservers may be malfunctioning" \
	"loop.dns01.com: the CA's resolver gives up: SERVFAIL in its words"
assert_elapsed_max 3.5 "loop.dns01.com: within -t + 0.5 s"

# --- the Nagios form -----------------------------------------------------------------
lab_run "$DNS01CHECK" $DNSTREE_CA_VIEW -t 8 --format=nagios --key-authorization="$KA" wrong.dns01.com
assert_first_line '^DNS01 CRITICAL - .*Incorrect TXT record "stale-value-from-an-old-order" found at _acme-challenge.wrong.dns01.com' \
	"nagios: DNS01 CRITICAL with the CA's words"
