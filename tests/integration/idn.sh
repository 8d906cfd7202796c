#!/usr/bin/env bash
# idn.sh: internationalised names through all three tools.  The lab's
# DNS has 테스트.한국 (xn--9t4b11yi5a.xn--3e0b707e, in a zone for the
# TLD 한국) and bücher.test (xn--bcher-kva.test); the certificates carry
# A-labels, as CAs issue them.  Each name is given in Unicode and in
# A-label form and must give the same answer, reported in both forms
# (JSON: the A-label field plus a "_unicode" sibling; text: "U (A)").
# Invalid IDNs are usage errors: a clear message and exit 3.
# jq filters are single-quoted on purpose.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv nginx
CAACHECK="$top_builddir/tools/caacheck"
lab_need_built "$CERTCHECK" "$CAACHECK" "$HTTP01CHECK"

tap_plan 57

KR_U=테스트.한국
KR_A=xn--9t4b11yi5a.xn--3e0b707e
DE_U=bücher.test
DE_A=xn--bcher-kva.test
# The names for jq filters too.
_LAB_JQ_DEFS="$_LAB_JQ_DEFS
def kr_a: \"$KR_A\"; def kr_u: \"$KR_U\"; def de_a: \"$DE_A\"; def de_u: \"$DE_U\";"

lab_pki
lab_idn
# A certificate name whose Punycode decodes to U+202E, a bidi override
# IDNA2008 disallows: shown only as the A-label, never "decoded".
_lab_leaf spoof int -30 60 ecdsa spoof.test xn--abc-4q0a.test
_lab_chain spoof spoof int
lab_dns_add "spoof A 127.0.0.1"
lab_http01_site
lab_dns_start
lab_tls_serve idn
lab_tls_serve buecher
lab_tls_serve spoof 4433
IDNPORT=$(lab_port idn)
DEPORT=$(lab_port buecher)

# certcheck ---------------------------------------------------------------
for name in "$KR_U" "$KR_A" "XN--9T4B11YI5A.xn--3E0B707E"; do
	lab_check 0 "certcheck $name: exit 0" "$name:$IDNPORT"
	assert_jq '.host == kr_a and .host_unicode == kr_u and .sni == kr_a and .hostname_match and .problems == []' \
		"certcheck $name: host in both forms, SNI is the A-label, hostname matches"
done
assert_jq '.chain[0].san == [kr_a, "www." + kr_a] and .chain[0].san_unicode == [kr_u, "www." + kr_u]' \
	"certcheck: san as in the certificate (A-labels), san_unicode parallel"
assert_jq '.chain[1] | has("san_unicode") | not' \
	"certcheck: no san_unicode where no name is an IDN"
lab_check 0 "certcheck www.$KR_U (second SAN): exit 0" "www.$KR_U:$IDNPORT"
assert_jq '.hostname_match and .host_unicode == "www.테스트.한국"' \
	"certcheck www.$KR_U: matches, www.테스트.한국"
# A mixed list: one IDN, one ASCII name.
lab_check 0 "certcheck $DE_U: exit 0" "$DE_U:$DEPORT"
assert_jq '.chain[0].san == [de_a, "books.test"] and .chain[0].san_unicode == ["bücher.test", "books.test"]' \
	"certcheck $DE_U: mixed SAN list, the ASCII name the same in both"
lab_check 0 "certcheck BÜCHER.test (UTS#46 maps the case): exit 0" "BÜCHER.test:$DEPORT"
assert_jq '.host == de_a and .hostname_match' "certcheck BÜCHER.test: host $DE_A"
lab_check 0 "certcheck books.test: exit 0" "books.test:$DEPORT"
assert_jq '(has("host_unicode") | not) and (.chain[0].san_unicode == ["bücher.test", "books.test"])' \
	"certcheck books.test: an ASCII host has no host_unicode"
# The name is checked in its A-label form against the certificate.
lab_check 2 "certcheck $DE_U against the 테스트.한국 leaf: exit 2" \
	--connect-to=127.0.0.1 "$DE_U:$IDNPORT"
assert_jq 'has_problem("hostname_mismatch")' "certcheck: hostname_mismatch across IDNs"
lab_check 0 "certcheck --sni=$KR_U: exit 0" --sni="$KR_U" "127.0.0.1:$IDNPORT"
assert_jq '.sni == kr_a and .sni_unicode == "테스트.한국" and .hostname_match' \
	"certcheck --sni in Unicode: sent and checked as the A-label"
lab_check 0 "certcheck --require-san=www.$KR_U: exit 0" \
	--require-san="www.$KR_U" "$KR_A:$IDNPORT"

lab_check 0 "certcheck spoof.test: exit 0" spoof.test:4433
assert_jq '.chain[0].san_unicode == ["spoof.test", "xn--abc-4q0a.test"]' \
	"certcheck: a SAN that decodes to a disallowed code point stays an A-label"
assert_true "certcheck: no U+202E anywhere in the JSON" \
	eval '! grep -q "$(printf "\342\200\256")" "$LAB_OUT" && ! grep -qi "u202e" "$LAB_OUT"'

# Text: both forms, the Unicode one first.
assert_exit 0 "certcheck text: exit 0" "$CERTCHECK" "$DNS" \
	"--cafile=$LAB_PKI/root.pem" --color=never "$KR_U:$IDNPORT"
assert_first_line "^$KR_U:$IDNPORT  OK  " "certcheck text: verdict first, the target as typed"
assert_true "certcheck text: name row in both forms" \
	grep -qF "name       $KR_U ($KR_A), covered by the certificate" "$LAB_OUT"
assert_true "certcheck text: SANs in both forms" \
	grep -qF "san        $KR_U ($KR_A), www.$KR_U (www.$KR_A)" "$LAB_OUT"

# Invalid input: a bad A-label, a disallowed code point.
for bad in xn--zz.test $'\xe2\x98\x83.test' 'xn--a.test'; do
	assert_exit 3 "certcheck '$bad': exit 3" "$CERTCHECK" "$DNS" --json "$bad:$IDNPORT"
	assert_true "certcheck '$bad': libidn2's reason on stderr, nothing on stdout" \
		eval 'grep -Eq "bad target .*(punycode|disallowed|forbidden)" "$LAB_ERR" && [ ! -s "$LAB_OUT" ]'
done

# caacheck ----------------------------------------------------------------
for name in "www.$KR_U" "www.$KR_A"; do
	assert_exit 0 "caacheck $name: exit 0" "$CAACHECK" "$DNS" --json "$name"
	assert_jq '.verdict == "allowed" and .identifier == "www." + kr_a and .identifier_unicode == "www.테스트.한국" and .relevant_name == kr_a and .relevant_name_unicode == "테스트.한국"' \
		"caacheck $name: allowed, identifier and relevant_name in both forms"
done
assert_exit 0 "caacheck *.$KR_U: exit 0" "$CAACHECK" "$DNS" --json "*.$KR_U"
assert_jq '.wildcard and .identifier_unicode == "*.테스트.한국"' "caacheck *.$KR_U: wildcard, both forms"
for name in "$DE_U" "$DE_A"; do
	assert_exit 2 "caacheck $name: exit 2" "$CAACHECK" "$DNS" --json "$name"
	assert_jq 'has_problem("caa_forbids_issuer") and .relevant_name == de_a and .relevant_name_unicode == "bücher.test"' \
		"caacheck $name: refused at bücher.test, both forms"
done
assert_exit 2 "caacheck text $DE_U: exit 2" "$CAACHECK" "$DNS" --color=never "$DE_U"
assert_true "caacheck text: relevant_name in both forms" \
	grep -qE "relevant_name +$DE_U \\($DE_A\\)" "$LAB_OUT"
assert_exit 3 "caacheck xn--zz.test: exit 3" "$CAACHECK" "$DNS" xn--zz.test
assert_true "caacheck xn--zz.test: says why on stderr, nothing on stdout" \
	eval 'grep -q "invalid punycode" "$LAB_ERR" && [ ! -s "$LAB_OUT" ]'

# http01check -------------------------------------------------------------
H01=("$HTTP01CHECK" "$DNS" --allow-reserved --token=good --expect="$LAB_KA" --json)
for name in "$KR_U" "$KR_A"; do
	assert_exit 0 "http01check $name: exit 0" "${H01[@]}" "$name"
	assert_jq '.body_matches and .identifier == kr_a and .identifier_unicode == "테스트.한국" and (.url | startswith("http://" + kr_a + "/"))' \
		"http01check $name: fetched http://$KR_A/..., both forms reported"
done
assert_true "http01check: the Host header was the A-label" \
	grep -qF "host=\"$KR_A\"" "$LAB/log/http01-requests.log"
assert_exit 0 "http01check $DE_U: exit 0" "${H01[@]}" "$DE_U"
assert_jq '.identifier == de_a and .identifier_unicode == "bücher.test"' \
	"http01check $DE_U: both forms"
assert_exit 3 "http01check $'\xe2\x98\x83'.test: exit 3" "${H01[@]}" $'\xe2\x98\x83.test'
assert_true "http01check: a disallowed code point is named on stderr" \
	grep -q "disallowed" "$LAB_ERR"
