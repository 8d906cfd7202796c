#!/usr/bin/env bash
# dns01check_persist.sh: dns-persist-01 as Let's Encrypt validates it
# (Boulder va/dns_persist.go), against records of every shape served by
# the private signed DNS tree (tests/lab/dnstree.sh,
# _validation-persist.p-*.dns01.com): the right account, a wildcard with
# and without policy=wildcard, another account and a trailing slash
# (compared byte for byte), malformed records (trailing ";", a repeated
# tag, no accounturi), persistUntil passed, near and far, records for
# another CA (well-formed or not), a set mixing all of these, a record
# split in two strings, a CNAME to another zone, nothing published, a
# record on one of two servers, and a bogus zone.  Each case asserts the
# exit status, the problem code and the CA's own words.
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
. "$top_srcdir/tests/lab/dnstree.sh"
DNS01CHECK="$top_builddir/tools/dns01check"
lab_need_built "$DNS01CHECK"
tap_plan 56
dnstree_start

ACCT=$DNSTREE_ACCOUNT_URI
LEAD='Checking DNS-PERSIST-01 challenge TXT record with issuer-domain-name \"letsencrypt.org\": '
PLEAD='Parsing DNS-PERSIST-01 challenge TXT record with issuer-domain-name \"letsencrypt.org\": '

# dp WANT DESC ARGS...: dns01check --method=dns-persist-01 --json.
dp() {
	local want=$1 desc=$2
	shift 2
	# shellcheck disable=SC2086 # the CA-view options are words
	assert_exit "$want" "$desc" "$DNS01CHECK" $DNSTREE_CA_VIEW -t 8 --json \
		--method=dns-persist-01 "$@"
}

# message CODE EXACT DESC: the problem's message is exactly EXACT.
message() {
	assert_jq "[.problems[] | select(.code == \"$1\") | .message] == [\"$2\"]" "$3"
}

# --- records that authorize ------------------------------------------------------
dp 0 "p-ok: the record for this account" --account-uri="$ACCT" p-ok.dns01.com
assert_jq '.challenge_name == "_validation-persist.p-ok.dns01.com" and
	.method == "dns-persist-01" and .verdict == "valid" and .problems == [] and
	.issuer == "letsencrypt.org" and .expected == null and .dnssec == "secure"' \
	"p-ok: the challenge name, valid, secure"
assert_jq ".records == [{\"txt\": \"letsencrypt.org; accounturi=$ACCT\",
	\"issuer\": \"letsencrypt.org\", \"for_this_ca\": true, \"accounturi\": \"$ACCT\",
	\"policy\": null, \"persist_until\": null, \"error\": null}]" \
	"p-ok: the record as the CA reads it"
assert_jq '(.servers | length) == 2 and all(.servers[]; .aa and (.txt | length) == 1)' \
	"p-ok: both servers asked directly"
dp 0 "*.p-wild: policy=WildCard allows a wildcard (case-insensitive)" \
	--account-uri="$ACCT" '*.p-wild.dns01.com'
assert_jq '.challenge_name == "_validation-persist.p-wild.dns01.com"' \
	"*.p-wild: the wildcard is validated at the base name"
dp 0 "p-later: persistUntil 400 days away" --account-uri="$ACCT" p-later.dns01.com
assert_jq '.problems == [] and (.records[0].persist_until | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$"))' \
	"p-later: no problem; persistUntil shown in RFC 3339"
dp 0 "p-mixed: another CA's record skipped, an expired one refused, a third passes" \
	--account-uri="$ACCT" p-mixed.dns01.com
assert_jq '(.records | map(.for_this_ca) | sort) == [false, true, true] and .problems == []' \
	"p-mixed: upper-case issuer with a trailing dot, upper-case tag and an unknown tag are fine"
dp 0 "p-split: one record in two character-strings, joined" --account-uri="$ACCT" \
	p-split.dns01.com
assert_jq '(.records | length) == 1 and .records[0].for_this_ca and .records[0].accounturi == "'"$ACCT"'" and .problems == []' \
	"p-split: read as one record, its accounturi whole"
dp 0 "p-cname: a CNAME to a record in another zone" --account-uri="$ACCT" \
	p-cname.dns01.com
assert_jq '.cname_chain == ["persist1.acmedns.org"] and .nameservers.zone == "acmedns.org"' \
	"p-cname: the chain followed, the target zone's servers asked"
dp 0 "p-otherca with --ca=sectigo.com: the issuer is the CA's" --ca=sectigo.com \
	--account-uri="$ACCT" p-otherca.dns01.com
assert_jq '.issuer == "sectigo.com" and .verdict == "valid" and .problems == []' \
	"p-otherca with --ca=sectigo.com: judged for sectigo.com, valid"

# --- the CA's refusals -------------------------------------------------------------
dp 2 "*.p-ok: a wildcard without policy=wildcard" --account-uri="$ACCT" '*.p-ok.dns01.com'
message dnspersist_policy_mismatch "${LEAD}policy mismatch: expected \\\"wildcard\\\", got \\\"\\\"" \
	"*.p-ok: the CA's words"
dp 2 "p-other: another account's record" --account-uri="$ACCT" p-other.dns01.com
message dnspersist_account_mismatch \
	"${LEAD}accounturi mismatch: expected \\\"$ACCT\\\", got \\\"https://acme.lab.test/acct/9999\\\"" \
	"p-other: the CA's words"
dp 2 "p-slash: a trailing slash is another account (no normalisation)" \
	--account-uri="$ACCT" p-slash.dns01.com
assert_jq 'codes == ["dnspersist_account_mismatch"]' "p-slash: account mismatch only"
dp 2 "p-malformed: a trailing semicolon" --account-uri="$ACCT" p-malformed.dns01.com
message dnspersist_malformed "${PLEAD}empty parameter or trailing semicolon provided" \
	"p-malformed: the CA's words"
assert_jq '.records[0].error == "empty parameter or trailing semicolon provided" and
	.records[0].accounturi == null' "p-malformed: the record's error in the detail"
dp 2 "p-dup: accounturi twice, in two cases" --account-uri="$ACCT" p-dup.dns01.com
message dnspersist_malformed "${PLEAD}duplicate parameter \\\"AccountURI\\\"" \
	"p-dup: the CA names the tag as written"
dp 2 "p-noacct: no accounturi" --account-uri="$ACCT" p-noacct.dns01.com
message dnspersist_malformed "${PLEAD}missing mandatory accounturi parameter" \
	"p-noacct: the CA's words"
dp 2 "p-noacct without --account-uri: malformed whatever the account" p-noacct.dns01.com
assert_jq 'codes == ["dnspersist_malformed"]' "p-noacct without an account: still malformed"
dp 2 "p-expired: persistUntil in 2023" --account-uri="$ACCT" p-expired.dns01.com
assert_jq '[.problems[] | select(.code == "dnspersist_expired") | .message][0] |
	test("^Checking DNS-PERSIST-01 challenge TXT record with issuer-domain-name \"letsencrypt.org\": validation time [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z is after persistUntil 2023-11-14T22:13:20Z$")' \
	"p-expired: the CA's words, both times in RFC 3339"
assert_jq 'severities("dnspersist_expired") == ["CRITICAL"]' "p-expired: CRITICAL"
dp 2 "p-otherca: only another CA's record" --account-uri="$ACCT" p-otherca.dns01.com
message dnspersist_no_record "No valid TXT record found for DNS-PERSIST-01 challenge" \
	"p-otherca: the CA's words"
dp 2 "p-otherca-bad: another CA's malformed record is skipped, not reported" \
	--account-uri="$ACCT" p-otherca-bad.dns01.com
assert_jq 'codes == ["dnspersist_no_record"]' "p-otherca-bad: no record, not malformed"
dp 2 "nx: nothing published (NXDOMAIN)" --account-uri="$ACCT" nx.dns01.com
message dnspersist_no_record \
	"Retrieving TXT records for DNS-PERSIST-01 challenge: DNS problem: NXDOMAIN looking up TXT for _validation-persist.nx.dns01.com - check that a DNS record exists for this domain" \
	"nx: the CA's words (its resolver library reads NXDOMAIN as an error)"
dp 2 "nx without --account-uri: a persist record is set once, so none is critical" \
	nx.dns01.com
assert_jq 'codes == ["dnspersist_no_record"]' "nx without an account: no record"

# --- fragile -------------------------------------------------------------------------
dp 1 "p-soon: persistUntil 30 days away, within a certificate's lifetime" \
	--account-uri="$ACCT" p-soon.dns01.com
assert_jq 'severities("dnspersist_expired") == ["WARNING"] and .verdict == "valid"' \
	"p-soon: a WARNING; the CA would validate today"
assert_jq '[.problems[] | select(.code == "dnspersist_expired") | .message][0] |
	test("^the record authorizes the account only until [0-9T:-]{19}Z [(]persistUntil[)], (29|30) days from now")' \
	"p-soon: says until when and how far"
dp 2 "inconsistent.com: the record on one server of two" --account-uri="$ACCT" \
	inconsistent.com
assert_problem dns01_not_propagated \
	"nameserver ns1alt.lab-dns.net (127.0.53.5) of inconsistent.com does not serve a dns-persist-01 record that passes at _validation-persist.inconsistent.com: it answers rcode NXDOMAIN" \
	"inconsistent.com: the server that lacks it, named"
dp 2 "expired.com: signatures expired, the CA's lookup fails" --account-uri="$ACCT" \
	expired.com
assert_jq '[.problems[] | select(.code == "dns01_dns_error") | .message][0] |
	startswith("Retrieving TXT records for DNS-PERSIST-01 challenge: DNS problem: looking up TXT for _validation-persist.expired.com: DNSSEC: Signature Expired")' \
	"expired.com: the CA's words around the resolver's"
assert_jq 'has_problem("dnssec_bogus")' "expired.com: dnssec_bogus beside it"

# --- without the account -----------------------------------------------------------
dp 0 "p-other without --account-uri: every rule but the account" p-other.dns01.com
assert_jq '.verdict == "unchecked" and .account_uri == null and
	.records[0].accounturi == "https://acme.lab.test/acct/9999"' \
	"p-other without an account: unchecked, the record's account shown"

# --- the other formats ----------------------------------------------------------------
lab_nagios_link check_dns01 dns01check
# shellcheck disable=SC2086
lab_run "$LAB/bin/check_dns01" $DNSTREE_CA_VIEW -t 8 --method=dns-persist-01 \
	--account-uri="$ACCT" p-other.dns01.com
assert_true "check_dns01, another account: exit 2" test "$LAB_RC" = 2
assert_first_line '^DNS01 CRITICAL - p-other\.dns01\.com: Checking DNS-PERSIST-01 challenge TXT record .*accounturi mismatch' \
	"nagios: DNS01 CRITICAL with the CA's words"
# shellcheck disable=SC2086
lab_run "$DNS01CHECK" $DNSTREE_CA_VIEW -t 8 --method=dns-persist-01 \
	--account-uri="$ACCT" p-soon.dns01.com
assert_true "text, p-soon: exit 1" test "$LAB_RC" = 1
assert_true "text: the WARNING names dnspersist_expired" \
	grep -q 'WARNING *dnspersist_expired' "$LAB_OUT"
