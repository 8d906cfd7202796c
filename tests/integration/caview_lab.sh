#!/usr/bin/env bash
# The CA's view of DNS, against a private DNS tree (tests/lab/dnstree.sh):
# a signed root and TLDs, zones broken the ways that refuse real orders
# (expired signatures, a DS left at the registrar, a DS for the wrong
# key, a CAA RRset without its signature), and nameservers with the
# faults operators meet (dead, lame, refusing or dropping CAA, no SOA
# in negative answers, no AA flag, case not echoed, EDNS FORMERR,
# disagreeing copies).  Every case asserts the verdict, the problem
# codes and the exit status; a real Unbound daemon set up as the CA's
# resolver answers each query too, and the tool must agree with it.
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
. "$top_srcdir/tests/lab/dnstree.sh"
CAACHECK="$top_builddir/tools/caacheck"
lab_need_built "$CAACHECK" "$HTTP01CHECK"
tap_plan 120
dnstree_start

caa() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$CAACHECK" $DNSTREE_CA_VIEW -t 4 --json "$@"
}

# ref NAME TYPE: REF ("RCODE EDE", "TIMEOUT -" when no answer came in
# time) and REF_TEXT (the EDE's text) as the reference Unbound answers.
# Ask it once per name: its key cache words a second failure otherwise.
ref() {
	local out st ede try
	# A dead server costs the reference one timeout before it tries
	# the other: a second question gets the answer it then has.
	for try in 5 5 10; do
		out=$(kdig "@$DNSTREE_REF" +edns +time=$try +retry=0 "$1" "$2" 2>&1) || :
		grep -q 'status:' <<<"$out" && break
	done
	st=$(sed -n 's/.*status: \([A-Z]*\).*/\1/p' <<<"$out" | head -n 1)
	ede=$(sed -n 's/^;; EDE: \([0-9]*\).*/\1/p' <<<"$out" | head -n 1)
	REF="${st:-TIMEOUT} ${ede:--}"
	REF_TEXT=$(sed -n "s/^;; EDE: [0-9]* ([^)]*): '\(.*\)'\$/\1/p" <<<"$out" |
		head -n 1)
}

# agree NAME: the tool's CA view of NAME CAA (rcode, EDE) is the
# reference Unbound's.
agree() {
	local want got first=
	ref "$1" CAA
	want=$REF
	got=$(jq -r '.levels[0] | "\(.rcode // "TIMEOUT") \(.ede.code // "-")"' \
		<"$LAB_OUT")
	# A reference that found no server in time (its own timeouts on a
	# loaded machine, the healthy server's too) is asked once more: a
	# resolver's steady answer, as the CA's long-running one has it.
	# Its other answers stand as given the first time.
	if [ "$want" != "$got" ] && case $want in
		TIMEOUT* | "SERVFAIL -" | "SERVFAIL 22") true ;; *) false ;; esac; then
		first=" (first answer $want)"
		sleep 1
		ref "$1" CAA
		want=$REF
	fi
	if [ "$want" = "$got" ]; then
		ok "$1: agrees with the reference Unbound ($want)$first"
	else
		not_ok "$1: agrees with the reference Unbound"
		echo "# reference: $want$first, tool: $got"
		jq -c '{levels: [.levels[] | {name, rcode, ede}], problems: [.problems[].code]}' \
			<"$LAB_OUT" | sed 's/^/# tool: /'
	fi
}

# --- healthy ---------------------------------------------------------------
caa 0 "good.com: signed, allowed" good.com
assert_jq '.verdict == "allowed" and .levels[0].dnssec == "secure" and
	.levels[1].dnssec == "secure" and .problems == []' \
	"good.com: secure at every level, no problem"
assert_jq '.ca_view.mode == "recursive" and .ca_view.validation == true and
	(.ca_view.root_hints | endswith("root.hints"))' \
	"good.com: ca_view says how the view was made"
assert_jq '.nameservers.zone == "good.com" and (.nameservers.servers | length) == 2 and
	all(.nameservers.servers[]; .answered and .aa and .edns and .case_echoed)' \
	"good.com: both servers asked directly, all well"
agree good.com
caa 0 "www.good.com: climbs to good.com" www.good.com
assert_jq '.relevant_name == "good.com" and .levels[0].dnssec == "secure"' \
	"www.good.com: the relevant set is good.com's, secure"
caa 0 "unsigned.org: unsigned, allowed" unsigned.org
assert_jq '.levels[0].dnssec == "insecure" and .problems == []' \
	"unsigned.org: insecure is fine"
agree unsigned.org

# --- DNSSEC broken -----------------------------------------------------------
caa 2 "expired.com: expired signatures refuse" expired.com
assert_jq '.verdict == "refused" and (.reason | startswith("While processing CAA for expired.com: DNS problem: looking up CAA for expired.com: DNSSEC: Signature Expired: validation failure <expired.com. CAA IN>: signature expired from 127.0.53."))' \
	"expired.com: the CA's words, EDE form"
assert_jq '.levels[0].dnssec == "bogus" and .levels[0].ede == {"code": 7, "summary": "DNSSEC: Signature Expired"} and
	(.levels[0].why_bogus | contains("signature expired"))' \
	"expired.com: dnssec bogus, ede 7, why_bogus"
assert_problem dnssec_bogus "fails in zone expired.com (DNSSEC: Signature Expired)" \
	"expired.com: dnssec_bogus names the zone and the reason"
assert_jq '[.problems[] | select(.code == "dnssec_bogus") | .hint][0] | test("sign the zone again")' \
	"expired.com: the fix is to sign again"
assert_jq 'codes == ["caa_dns_error", "dnssec_bogus"]' \
	"expired.com: caa_dns_error with dnssec_bogus, servers fine"
agree expired.com
# The reference's own sentence, in Boulder's form, is the tool's.
want=$(sed 's/from 127\.0\.53\.[0-9]*/from X/' <<<"$REF_TEXT")
assert_true "expired.com: the extra text is the reference Unbound's" \
	test "$(jq -r '.levels[0].error' "$LAB_OUT" | sed 's/from 127\.0\.53\.[0-9]*/from X/')" = \
	"looking up CAA for expired.com: DNSSEC: Signature Expired: $want"

caa 2 "staleds.com: a DS left at the registrar refuses" staleds.com
assert_jq '.levels[0].ede.code == 9 and (.reason | contains("DNSSEC: DNSKEY Missing"))' \
	"staleds.com: DNSKEY Missing"
assert_jq '[.problems[] | select(.code == "dnssec_bogus") | .hint][0] | test("remove the DS record at your registrar")' \
	"staleds.com: the fix names the registrar's DS"
agree staleds.com
caa 2 "wrongds.com: a DS for the wrong key refuses" wrongds.com
assert_jq '.levels[0].ede.code == 9 and (.levels[0].why_bogus | contains("no keys have a DS"))' \
	"wrongds.com: DNSKEY Missing, no key matches the DS"
agree wrongds.com
caa 2 "nocaasig.com: a CAA RRset without RRSIG refuses" nocaasig.com
assert_jq '.levels[0].ede.code == 10 and (.reason | contains("DNSSEC: RRSIGs Missing"))' \
	"nocaasig.com: RRSIGs Missing"
agree nocaasig.com

# Tree climbing under a bogus parent: a CAA set at the name decides
# first; without one the climb reaches the parent's failure.
caa 0 "sub.nocaasig.com: its own CAA set decides, the bogus parent is not reached" sub.nocaasig.com
assert_jq '.verdict == "allowed" and .relevant_name == "sub.nocaasig.com" and .levels[0].dnssec == "secure"' \
	"sub.nocaasig.com: allowed, secure"
caa 2 "empty.nocaasig.com: no CAA, the climb meets the bogus parent" empty.nocaasig.com
assert_jq '(.reason | startswith("While processing CAA for empty.nocaasig.com: DNS problem: looking up CAA for nocaasig.com: DNSSEC: RRSIGs Missing")) and
	.levels[0].dnssec == "secure" and .levels[1].dnssec == "bogus"' \
	"empty.nocaasig.com: refused for the parent's lookup"

# --- nameserver faults the CA's resolver works around ------------------------
caa 1 "onedead.com: one dead server of two: the CA proceeds, a warning" onedead.com
assert_jq '.verdict == "allowed" and severities("ns_unreachable") == ["WARNING"]' \
	"onedead.com: allowed, ns_unreachable WARNING"
assert_problem ns_unreachable "dead1.lab-dns.net (127.0.53.66) of onedead.com" \
	"onedead.com: names the server, the address and the zone"
agree onedead.com
caa 1 "lame.com: one lame server: a warning" lame.com
assert_problem ns_lame "lame.lab-dns.net (127.0.53.10) is listed for lame.com but answers REFUSED" \
	"lame.com: ns_lame names server, address, rcode"
assert_jq 'severities("ns_lame") == ["WARNING"] and .verdict == "allowed"' "lame.com: WARNING, allowed"
caa 1 "noaa.com: answers without AA: a warning" noaa.com
assert_problem ns_lame "without the AA flag" "noaa.com: not authoritative"
caa 1 "mangled.com: the query case not echoed: a warning" mangled.com
assert_problem ns_case_mangled "mangled.lab-dns.net (127.0.53.13) of mangled.com" \
	"mangled.com: ns_case_mangled"
assert_jq '.nameservers.servers[0].case_echoed == false' "mangled.com: case_echoed false"
agree mangled.com
caa 1 "ednsbad.com: FORMERR to EDNS: a warning" ednsbad.com
assert_jq 'codes == ["ns_edns_broken"] and .verdict == "allowed"' \
	"ednsbad.com: ns_edns_broken only, the CAA answer judged without EDNS"
agree ednsbad.com
caa 1 "www.nosoa.com: NODATA without SOA: a warning (Unbound 1.18+ refuses)" www.nosoa.com
assert_problem ns_bad_negative "answers www.nosoa.com CAA with no records but no SOA" \
	"www.nosoa.com: ns_bad_negative"
assert_jq '[.problems[] | select(.code == "ns_bad_negative") | .message][0] | test("Unbound 1.18")' \
	"www.nosoa.com: says the CA's newer resolver refuses it"
# Which copy the CA's resolver reads is chance: allowed (a warning) or
# refused, and the disagreement is said either way.
lab_run "$CAACHECK" $DNSTREE_CA_VIEW -t 4 --json inconsistent.com
assert_true "inconsistent.com: exit 1 or 2, by the copy the CA's view read" \
	test "$LAB_RC" = 1 -o "$LAB_RC" = 2
assert_problem ns_inconsistent 'sectigo.com' "inconsistent.com: ns_inconsistent shows both answers"
assert_problem ns_inconsistent 'letsencrypt.org' "inconsistent.com: ... the other one too"

# --- nameserver faults that make the CA refuse ------------------------------
caa 2 "alldead.net: every server dead: refused" alldead.net
assert_jq '.reason == "While processing CAA for alldead.net: DNS problem: query timed out looking up CAA for alldead.net"' \
	"alldead.net: the CA's words (timeout)"
assert_jq 'severities("ns_unreachable") == ["CRITICAL", "CRITICAL"]' \
	"alldead.net: ns_unreachable CRITICAL for both servers"
assert_elapsed_max 4.5 "alldead.net: within -t 4 + 0.5 s"
assert_exit 2 "alldead.net, -t 1.5: still a refusal in time" "$CAACHECK" $DNSTREE_CA_VIEW -t 1.5 --json alldead.net
assert_jq '.verdict == "refused"' "alldead.net, -t 1.5: the verdict is a refusal"
assert_elapsed_max 2.0 "alldead.net: within -t 1.5 + 0.5 s"
caa 2 "alllame.com: every server lame: SERVFAIL" alllame.com
assert_jq '.reason == "While processing CAA for alllame.com: DNS problem: SERVFAIL looking up CAA for alllame.com - the domain'"'"'s nameservers may be malfunctioning"' \
	"alllame.com: the CA's SERVFAIL sentence"
assert_jq 'severities("ns_lame") == ["CRITICAL"]' "alllame.com: ns_lame CRITICAL"
agree alllame.com
caa 2 "caarefused.com: CAA REFUSED, other types fine: refused" caarefused.com
assert_problem ns_bad_caa_handling "answers REFUSED to a CAA query for caarefused.com" \
	"caarefused.com: ns_bad_caa_handling"
assert_jq 'severities("ns_bad_caa_handling") == ["CRITICAL"] and (has_problem("ns_lame") | not)' \
	"caarefused.com: CRITICAL, and the server is not called lame"
agree caarefused.com
caa 2 "child.caarefused.com: a healthy child zone, its parent's server refuses CAA" child.caarefused.com
assert_problem ns_bad_caa_handling "caaref.lab-dns.net (127.0.53.11) of caarefused.com answers REFUSED to a CAA query for child.caarefused.com" \
	"child.caarefused.com: the parent's server is the one named"
caa 2 "caadrop.com: CAA dropped: refused (timeout)" caadrop.com
assert_problem ns_bad_caa_handling "does not answer a CAA query for caadrop.com" \
	"caadrop.com: ns_bad_caa_handling for a dropped query"
assert_elapsed_max 4.5 "caadrop.com: within -t 4 + 0.5 s"

# --- the user's resolver beside the CA's ---------------------------------------
# Asking an authoritative server of the zone: no validation at all.
caa 2 "expired.com with --dns-server: the user's resolver says fine, the CA refuses" \
	--dns-server=127.0.53.2 expired.com
assert_problem resolver_disagrees 'your resolver (127.0.53.2:53) says expired.com CAA: 0 issue "letsencrypt.org"; the CA'"'"'s resolver says: SERVFAIL' \
	"expired.com: resolver_disagrees shows both views"
assert_jq '.levels[0].your_resolver == "0 issue \"letsencrypt.org\""' \
	"expired.com: the level shows what your resolver sees"
caa 0 "good.com with a validating --dns-server: the views agree" \
	--dns-server="$DNSTREE_REF" good.com
assert_jq '(has_problem("resolver_disagrees") | not) and (.levels[0] | has("your_resolver") | not)' \
	"good.com: no disagreement"

# --dns-server alone stands in for the CA's view; the reference Unbound
# (which validates and sends Extended DNS Errors) as that server.
assert_exit 2 "stub mode: expired.com through a validating server" \
	"$CAACHECK" --dns-server="$DNSTREE_REF" -t 4 --json expired.com
assert_jq '.ca_view.mode == "stub" and (.ca_view.note | test("stands in"))' \
	"stub mode: ca_view says so"
assert_jq '.reason | startswith("While processing CAA for expired.com: DNS problem: looking up CAA for expired.com: DNSSEC: Signature Expired: ")' \
	"stub mode: the server's EDE read as the CA reads it"
assert_exit 0 "stub mode: good.com" "$CAACHECK" --dns-server="$DNSTREE_REF" --json good.com
assert_jq '.levels[0].dnssec == "secure"' "stub mode: the AD bit shows as secure"
assert_exit 0 "stub mode -v: the note is a line" "$CAACHECK" --dns-server="$DNSTREE_REF" -v good.com
assert_true "stub mode -v: ca_view_stub shown" grep -q 'ca_view_stub' "$LAB_OUT"

# --- switches ---------------------------------------------------------------------
caa 0 "--trust-anchor=none: expired.com is not validated" --trust-anchor=none expired.com
assert_jq '.levels[0].dnssec == "unchecked" and .ca_view.validation == false and (.ca_view.note | test("without DNSSEC"))' \
	"--trust-anchor=none: unchecked, and the report says so"
assert_exit 0 "--no-ca-view: the stub decides" "$CAACHECK" --no-ca-view --dns-server=127.0.53.2 --json expired.com
assert_jq '.ca_view.mode == "off" and has_problem("ca_view_off") and .verdict == "allowed"' \
	"--no-ca-view: blind, and says so (ca_view_off)"

# --- the CA's view cannot be made -----------------------------------------------
printf '.\t3600000\tNS\tdead.root.\ndead.root.\t3600000\tA\t127.0.53.66\n' >"$LAB/dead.hints"
assert_exit 3 "no root answers: exit 3, never a refusal" \
	"$CAACHECK" --root-hints="$LAB/dead.hints" --trust-anchor="$DNSTREE_TA" -t 2 --json good.com
assert_jq 'codes == ["ca_view_unavailable"] and .verdict == "unknown"' \
	"no root answers: ca_view_unavailable"
assert_elapsed_max 2.5 "no root answers: within -t + 0.5 s"
assert_exit 3 "no root answers: http01check exit 3 too" \
	"$HTTP01CHECK" --root-hints="$LAB/dead.hints" --trust-anchor="$DNSTREE_TA" -t 2 --json good.com
assert_jq 'has_problem("ca_view_unavailable")' "http01check: ca_view_unavailable"

# An unsigned private root named by --root-hints alone: the Internet's
# root key cannot apply there, so the view is made without validation
# and says so, rather than calling everything bogus.  (A real TLD: the
# CA's Unbound answers the special-use .test itself, NXDOMAIN.)
mkdir -p "$DT/plain"
printf '$ORIGIN .\n$TTL 300\n@ SOA ns.plain.net. h.plain.net. 1 3600 600 86400 300\n@ NS ns.plain.net.\nnet. NS ns.plain.net.\nns.plain.net. A 127.0.54.1\n' \
	>"$DT/plain/root"
printf '$ORIGIN net.\n$TTL 300\n@ SOA ns.plain.net. h.plain.net. 1 3600 600 86400 300\n@ NS ns.plain.net.\nns.plain A 127.0.54.1\nplain CAA 0 issue "letsencrypt.org"\n' \
	>"$DT/plain/net"
printf '. %s\nnet. %s\n' "$DT/plain/root" "$DT/plain/net" >"$DT/plainroot.zones"
_dnstree_knot plainroot 127.0.54.1
printf '.\t3600000\tNS\tns.plain.net.\nns.plain.net.\t3600000\tA\t127.0.54.1\n' >"$LAB/plain.hints"
assert_exit 0 "an unsigned private root, --root-hints alone: allowed" \
	"$CAACHECK" --root-hints="$LAB/plain.hints" -t 4 --json plain.net
assert_jq '.ca_view.validation == false and .ca_view.trust_anchor == "none" and
	(.ca_view.note | test("serves no DNSKEY")) and .levels[0].dnssec == "unchecked" and
	.relevant_name == "plain.net"' \
	"an unsigned private root: no validation, and the report says why"

# --- bad files ---------------------------------------------------------------------
printf '. 3600 IN DS 12345 13 2 ABCDEF\nthis is not a record\n' >"$LAB/bad.ta"
assert_exit 3 "malformed --trust-anchor: exit 3" "$CAACHECK" --root-hints="$DNSTREE_HINTS" --trust-anchor="$LAB/bad.ta" good.com
assert_true "malformed --trust-anchor: one line naming file and line 2" \
	grep -qx "caacheck: --trust-anchor: $LAB/bad.ta line 2: .*" "$LAB_ERR"
printf '.\t3600000\tNS\tdead.root.\ngarbage\n' >"$LAB/bad.hints"
assert_exit 3 "malformed --root-hints: exit 3" "$CAACHECK" --root-hints="$LAB/bad.hints" --trust-anchor="$DNSTREE_TA" good.com
assert_true "malformed --root-hints: names file and line 2" \
	grep -qx "caacheck: --root-hints: $LAB/bad.hints line 2: .*" "$LAB_ERR"
assert_exit 3 "unreadable --root-hints: exit 3" "$CAACHECK" --root-hints="$LAB/none" good.com
assert_true "unreadable --root-hints: says so" grep -q "root-hints '$LAB/none'" "$LAB_ERR"

# --- http01check resolves as the CA does ----------------------------------------------
assert_exit 2 "http01check expired.com: the CA cannot look the name up" \
	"$HTTP01CHECK" $DNSTREE_CA_VIEW --allow-reserved -t 4 --json expired.com
assert_jq '(.problems[0].code == "http01_dns_error") and (.problems[0].message | startswith("DNS problem: looking up A for expired.com: DNSSEC: Signature Expired: ")) and
	(.problems[0].message | contains("; DNS problem: looking up AAAA for expired.com: DNSSEC: Signature Expired: "))' \
	"http01check expired.com: A then AAAA, the CA's words"
assert_jq 'has_problem("dnssec_bogus") and .dns.A.dnssec == "bogus" and .dns.A.ede.code == 7' \
	"http01check expired.com: dnssec_bogus, dns detail"
assert_exit 2 "http01check alldead.net: refused" \
	"$HTTP01CHECK" $DNSTREE_CA_VIEW --allow-reserved -t 2 --json alldead.net
assert_jq '.problems[0].message == "DNS problem: query timed out looking up A for alldead.net; DNS problem: query timed out looking up AAAA for alldead.net" and
	severities("ns_unreachable") == ["CRITICAL", "CRITICAL"]' \
	"http01check alldead.net: timeouts, both servers CRITICAL"
assert_elapsed_max 2.5 "http01check alldead.net: within -t + 0.5 s"
assert_exit 2 "http01check onedead.com: resolves; nothing listens on :80" \
	"$HTTP01CHECK" $DNSTREE_CA_VIEW --allow-reserved -t 4 --json onedead.com
assert_jq 'severities("ns_unreachable") == ["WARNING"] and .dns.A.addresses == 1 and .dns.A.dnssec == "insecure"' \
	"http01check onedead.com: the dead server is a warning, the address found"
assert_exit 2 "http01check good.com: secure addresses" \
	"$HTTP01CHECK" $DNSTREE_CA_VIEW --allow-reserved -t 4 --json good.com
assert_jq '.dns.A.dnssec == "secure" and .dns.A.addresses == 1 and (has_problem("http01_dns_error") | not)' \
	"http01check good.com: A secure"

assert_exit 2 "http01check expired.com beside a resolver that does not validate" \
	"$HTTP01CHECK" $DNSTREE_CA_VIEW --dns-server=127.0.53.2 --allow-reserved -t 4 --json expired.com
assert_problem resolver_disagrees "your resolver (127.0.53.2:53) says expired.com AAAA: no addresses; the CA's resolver says: SERVFAIL" \
	"http01check: resolver_disagrees names the family and both answers"
assert_jq '.dns.AAAA.your_resolver == ""' "http01check: the dns detail shows your resolver's answer"
assert_exit 2 "http01check good.com beside the reference resolver" \
	"$HTTP01CHECK" $DNSTREE_CA_VIEW --dns-server="$DNSTREE_REF" --allow-reserved -t 4 --json good.com
assert_jq '(has_problem("resolver_disagrees") | not)' "http01check good.com: the views agree"

# --- batches -------------------------------------------------------------------------
assert_exit 2 "a batch of 8 at -j 4" "$CAACHECK" $DNSTREE_CA_VIEW -t 4 -j 4 --json \
	good.com unsigned.org expired.com staleds.com onedead.com lame.com mangled.com www.good.com
assert_jqs 'length == 8 and ([.[] | select(.target == "expired.com")][0].levels[0].ede.code == 7) and
	([.[] | select(.target == "good.com")][0].verdict == "allowed")' \
	"the batch: every name judged on its own"
