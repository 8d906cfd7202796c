#!/usr/bin/env bash
# certcheck_operator.sh: the everyday operator options.  --ignore and
# --severity (every tool): an ignored problem stays listed, marked, and
# leaves the status; a changed severity shows, with the default kept in
# JSON; both in JSON, text and nagios, in batch mode, and a bad code or
# level is a usage error.  certcheck's --issuer, --fingerprint and
# --max-validity: pinning and lifetime policy.
# jq filters and eval'd checks are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv
lab_need_built "$CERTCHECK" "$TLSALPN01CHECK"

tap_plan 99

lab_pki
P=$LAB_PKI
lab_dns_start
for c in good exp15 expired; do
	lab_tls_serve "$c"
done
EXP15=$(lab_target exp15)
EXPIRED=$(lab_target expired)

# nag WANT DESC ARGS...: certcheck --nagios with the lab's DNS and root.
nag() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" \
		--nagios "$@"
}
# txt WANT DESC ARGS...: the same in text.
txt() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" \
		--format=text --color=never "$@"
}
# usage TOOL DESC ARGS...: exit 3 with one line on stderr, nothing on stdout.
usage() {
	local tool=$1 desc=$2
	shift 2
	assert_exit 3 "$desc: exit 3" "$tool" "$@"
	assert_true "$desc: one line on stderr, no stdout" \
		eval '[ "$(lab_lines "$LAB_ERR")" = 1 ] && [ ! -s "$LAB_OUT" ]'
}

# --- --ignore ---------------------------------------------------------------
lab_check 0 "exp15 --ignore=cert_expiring: exit 0" --ignore=cert_expiring "$EXP15"
assert_jq '.status == "OK" and ([.problems[] | select(.code == "cert_expiring")] |
	length == 1 and all(.ignored == true and .severity == "WARNING"))' \
	"--ignore JSON: status OK, problem kept, ignored, severity as it was"
txt 0 "--ignore text: exit 0" --ignore=cert_expiring "$EXP15"
assert_first_line '^exp15\.test:[0-9]+  OK  exp15\.test valid for ' "--ignore text: verdict OK, the OK summary"
assert_line 2 '^  WARNING +cert_expiring \(ignored\): ' "--ignore text: problem marked (ignored)"
nag 0 "--ignore nagios: exit 0" --ignore=cert_expiring "$EXP15"
assert_first_line '^CERT OK - ' "--ignore nagios: CERT OK"
assert_line 2 '^WARNING: cert_expiring \(ignored\): leaf certificate exp15' \
	"--ignore nagios: listed (ignored) in the long output"
lab_check 2 "expired --ignore=cert_expiring: exit 2 (others still count)" \
	--ignore=cert_expiring "$EXPIRED"
assert_jq 'severities("cert_expired") == ["CRITICAL"] and [.problems[] | select(.ignored)] == []' "--ignore of an absent code: nothing marked"

# --- --severity -------------------------------------------------------------
lab_check 2 "exp15 --severity=cert_expiring:critical: exit 2" \
	--severity=cert_expiring:critical "$EXP15"
assert_jq '.status == "CRITICAL" and severities("cert_expiring") == ["CRITICAL"] and
	([.problems[] | select(.code == "cert_expiring") | .severity_default] == ["WARNING"])' \
	"--severity JSON: new severity, severity_default the old one"
lab_check 1 "exp15 without --severity: exit 1, no severity_default" "$EXP15"
assert_jq 'severities("cert_expiring") == ["WARNING"] and all(.problems[]; has("severity_default") | not) and all(.problems[]; has("ignored") | not)' \
	"no policy: problems keep their usual shape"
nag 0 "exp15 --severity=cert_expiring:ok --nagios: exit 0" --severity=cert_expiring:ok "$EXP15"
assert_first_line '^CERT OK - ' "--severity ok nagios: CERT OK"
assert_line 2 '^OK: cert_expiring: ' "--severity ok nagios: listed as OK"
txt 1 "expired --severity=cert_expired:warning text: exit 1" \
	--severity=cert_expired:warning "$EXPIRED"
assert_first_line '  WARNING  leaf certificate expired\.test expired ' "--severity text: verdict WARNING"
assert_line 2 '^  WARNING +cert_expired: ' "--severity text: the problem at its new level"
lab_check 0 "--ignore and --severity repeated add up: exit 0" \
	--severity=cert_expired:warning --ignore=cert_expiring --ignore=cert_expired "$EXPIRED"
assert_jq '[.problems[] | select(.code == "cert_expired") | [.ignored, .severity, .severity_default]] == [[true, "WARNING", "CRITICAL"]]' \
	"both on one code: ignored, new severity, default kept"

# --- batch: every report, and the state of them all -------------------------
lab_check 2 "batch --ignore=cert_expiring: exit 2 (expired still counts)" \
	--ignore=cert_expiring "$EXP15" "$EXPIRED"
assert_jqs 'length == 2 and ([.[] | select(.target == "'"$EXP15"'") | .status] == ["OK"])' \
	"batch JSON: exp15 OK under --ignore"
lab_check 0 "batch -j 2 --ignore=cert_expiring,cert_expired: exit 0" -j 2 \
	--ignore=cert_expiring,cert_expired "$EXP15" "$EXPIRED"
assert_jqs 'length == 2 and all(.[]; .status == "OK" and ([.problems[] | select(.ignored)] | length == 1))' \
	"batch JSON: every report's problem ignored"
nag 0 "batch nagios --ignore=cert_expiring,cert_expired: exit 0" \
	--ignore=cert_expiring,cert_expired "$EXP15" "$EXPIRED"
assert_first_line '^CERT OK - 2 targets' "batch nagios: CERT OK"
assert_true "batch nagios: each target's line says OK" \
	eval '[ "$(grep -c "^OK - " "$LAB_OUT")" = 2 ]'
assert_line 3 '^OK - expired\.test:[0-9]+: expired\.test expired 10\.0 days ago' \
	"batch nagios: an ignored expiry still reads as expired"

# --- usage errors, in every tool --------------------------------------------
usage "$CERTCHECK" "certcheck --ignore=no_such_code" --ignore=no_such_code "$EXP15"
assert_true "the message names the code" grep -q "unknown problem code 'no_such_code'" "$LAB_ERR"
usage "$CERTCHECK" "certcheck --severity=cert_expiring:fatal" --severity=cert_expiring:fatal "$EXP15"
usage "$CERTCHECK" "certcheck --severity=cert_expiring" --severity=cert_expiring "$EXP15"
for t in caacheck http01check tlsalpn01check dns01check; do
	usage "$top_builddir/tools/$t" "$t --ignore=nope" --ignore=nope example.test
done
usage "$top_builddir/tools/caacheck" "caacheck --severity=caa_forbids_issuer:" \
	--severity=caa_forbids_issuer: example.test

# --- another tool: the same policy ------------------------------------------
assert_exit 2 "tlsalpn01check, nothing listening: exit 2" "$TLSALPN01CHECK" "$DNS" \
	--json --allow-reserved -t 5 --port=$LAB_PORT_CLOSED good.test
assert_jq 'severities("tlsalpn01_connect_failed") == ["CRITICAL"] and ([.problems[] | select(.ignored)] == [])' \
	"tlsalpn01check, nothing listening: tlsalpn01_connect_failed CRITICAL, not ignored"
assert_exit 0 "tlsalpn01check --ignore=tlsalpn01_connect_failed: exit 0" "$TLSALPN01CHECK" "$DNS" \
	--json --allow-reserved -t 5 --port=$LAB_PORT_CLOSED --ignore=tlsalpn01_connect_failed good.test
assert_jq '.status == "OK" and any(.problems[]; .code == "tlsalpn01_connect_failed" and .ignored)' \
	"tlsalpn01check JSON: the problem listed, ignored"

# --- --issuer ---------------------------------------------------------------
GOOD=$(lab_target good)
lab_check 0 "--issuer='CERTDIAG LAB INT' (any case): exit 0" "--issuer=CERTDIAG LAB INT" "$GOOD"
assert_jq '.status == "OK" and .problems == []' "--issuer matching: no issuer_mismatch, no problem at all"
lab_check 2 "--issuer=\"Let's Encrypt\": exit 2" "--issuer=Let's Encrypt" "$GOOD"
assert_jq 'severities("issuer_mismatch") == ["CRITICAL"]' "--issuer other CA: issuer_mismatch CRITICAL"
assert_problem issuer_mismatch "is issued by CN=certdiag lab int,O=certdiag test lab; neither it nor an intermediate matches 'Let's Encrypt'" \
	"--issuer other CA: the message names the issuer DN and the pattern"
txt 2 "--issuer other CA, text: exit 2" "--issuer=Let's Encrypt" "$GOOD"
assert_line 2 "^  CRITICAL  issuer_mismatch: leaf certificate good\\.test is issued by " "--issuer text: problem line"
nag 2 "--issuer other CA, nagios: exit 2" "--issuer=Let's Encrypt" "$GOOD"
assert_first_line "^CERT CRITICAL - good\\.test:4401: leaf certificate good\\.test is issued by .* \\| days_left=" \
	"--issuer nagios: CERT CRITICAL with the finding"
assert_line 2 '^CRITICAL: issuer_mismatch: ' "--issuer nagios: long output"
# An intermediate's subject counts: order's leaf is issued by int2,
# which int issued; "CN=certdiag lab int," names int, not int2.
assert_exit 1 "--issuer matching only the intermediate: no mismatch (exit 1: chain_order)" \
	"$CERTCHECK" --json "--cafile=$P/root.pem" --cert "$P/order.chain.pem" \
	"--issuer=CN=certdiag lab int,"
assert_jq '(has_problem("issuer_mismatch") | not) and has_problem("chain_order")' \
	"--issuer intermediate: matched through the intermediate's subject"
assert_exit 2 "--issuer=certdiag lab root on a chain without the root: exit 2" \
	"$CERTCHECK" --json "--cafile=$P/root.pem" --cert "$P/good.chain.pem" \
	"--issuer=certdiag lab root"
assert_jq 'has_problem("issuer_mismatch")' "--issuer: the root is neither the issuer nor a served intermediate"

# --- --fingerprint ----------------------------------------------------------
lab_check 0 "good: exit 0" "$GOOD"
FP=$(jq -r '.chain[0].sha256' "$LAB_OUT")
FPC=$(echo "$FP" | tr a-f A-F | sed 's/../&:/g; s/:$//')
OTHER=$(printf '%064d' 0)
lab_check 0 "--fingerprint, upper case with colons: exit 0" "--fingerprint=$FPC" "$GOOD"
assert_jq '.status == "OK" and .problems == []' "--fingerprint pinned: no fingerprint_mismatch, no problem at all"
lab_check 0 "--fingerprint=OTHER,FP (several): exit 0" "--fingerprint=$OTHER,$FP" "$GOOD"
lab_check 2 "--fingerprint of another certificate: exit 2" "--fingerprint=$OTHER" "$GOOD"
assert_jq 'severities("fingerprint_mismatch") == ["CRITICAL"]' "--fingerprint other: fingerprint_mismatch CRITICAL"
assert_problem fingerprint_mismatch "has SHA-256 fingerprint $FP, which is not pinned" \
	"--fingerprint other: the message gives the served fingerprint"
txt 2 "--fingerprint other, text: exit 2" "--fingerprint=$OTHER" "$GOOD"
assert_line 2 '^  CRITICAL  fingerprint_mismatch: ' "--fingerprint text: problem line"
nag 2 "--fingerprint other, nagios: exit 2" "--fingerprint=$OTHER" "$GOOD"
assert_first_line '^CERT CRITICAL - good\.test:4401: leaf certificate good\.test has SHA-256 fingerprint ' \
	"--fingerprint nagios: CERT CRITICAL"
usage "$CERTCHECK" "--fingerprint=abc" --fingerprint=abc "$GOOD"
usage "$CERTCHECK" "--fingerprint of 63 digits" "--fingerprint=${FP:1}" "$GOOD"
usage "$CERTCHECK" "--fingerprint with a non-hex digit" "--fingerprint=g${FP:1}" "$GOOD"
usage "$CERTCHECK" "--fingerprint with an empty item" "--fingerprint=$FP," "$GOOD"

# --- --max-validity -----------------------------------------------------------
lab_check 0 "90-day leaf --max-validity=90: exit 0" --max-validity=90 "$GOOD"
lab_check 1 "90-day leaf --max-validity=47: exit 1" --max-validity=47 "$GOOD"
assert_jq 'severities("validity_too_long") == ["WARNING"]' "--max-validity 47: validity_too_long WARNING"
assert_problem validity_too_long "leaf certificate good.test is valid for 90 days, more than the 47 allowed" \
	"--max-validity 47: the message gives both lifetimes"
txt 1 "--max-validity=47 text: exit 1" --max-validity=47 "$GOOD"
assert_line 2 '^  WARNING +validity_too_long: ' "--max-validity text: problem line"
nag 1 "--max-validity=47 nagios: exit 1" --max-validity=47 "$GOOD"
assert_first_line '^CERT WARNING - good\.test:4401: leaf certificate good\.test is valid for 90 days' \
	"--max-validity nagios: CERT WARNING"
nag 0 "--max-validity=47 --ignore=validity_too_long nagios: exit 0" \
	--max-validity=47 --ignore=validity_too_long "$GOOD"
lab_leaf long397 int -30 367 ecdsa
assert_exit 1 "397-day leaf --max-validity=200: exit 1" "$CERTCHECK" --json \
	"--cafile=$P/root.pem" --cert "$P/long397.chain.pem" --max-validity=200
assert_problem validity_too_long "is valid for 397 days, more than the 200 allowed" \
	"397-day leaf: over the CA/B Forum's 200 days"
usage "$CERTCHECK" "--max-validity=0" --max-validity=0 "$GOOD"
usage "$CERTCHECK" "--max-validity=abc" --max-validity=abc "$GOOD"
