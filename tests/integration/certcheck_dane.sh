#!/usr/bin/env bash
# certcheck_dane.sh: --dane against a real Exim (SMTP STARTTLS on port
# 25) and TLSA records in the private signed DNS tree
# (tests/lab/dnstree.sh), looked up through the CA-style validating
# view: a 3 1 1 record matching the served key (OK), signed records
# that match nothing (dane_mismatch), records in the unsigned zone
# (dane_unsigned), records in a zone whose signatures expired
# (dnssec_bogus), and a name without records (a note with auto,
# dane_no_records with required); in JSON, text and Nagios.
# Exim needs the lab's LAB_ALL_UIDS mode (real root).
# jq filters are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
LAB_ALL_UIDS=1
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
. "$top_srcdir/tests/lab/daemons.sh"
lab_enter_netns "$@"
. "$top_srcdir/tests/lab/dnstree.sh"
lab_need_built "$CERTCHECK"
if ! lab_uids_ok; then
	[ "${CERTDIAG_LAB_REQUIRE:-0}" = 1 ] &&
		lab_bail "Exim needs other users: run as root"
	lab_skip_all "Exim needs other users: run as root"
fi

tap_plan 33

lab_pki
# The SHA-256 of the served key's SubjectPublicKeyInfo: a 3 1 1 record.
SPKI=$(openssl pkey -in "$LAB_PKI/good.key" -pubout -outform DER |
	openssl dgst -sha256 -r | cut -d' ' -f1)
WRONG=$(printf 'another key' | openssl dgst -sha256 -r | cut -d' ' -f1)
dnstree_zone_extra() {
	case $1 in
	good.com)
		printf 'mx1\tA\t127.0.0.1\n_25._tcp.mx1\tTLSA\t3 1 1 %s\n' "$SPKI"
		printf 'mx2\tA\t127.0.0.1\n_25._tcp.mx2\tTLSA\t3 1 1 %s\n' "$WRONG"
		printf '_25._tcp.mx2\tTLSA\t3 0 1 %s\n' "$WRONG"
		printf 'mx3\tA\t127.0.0.1\n' ;;
	unsigned.org)
		printf 'mx1\tA\t127.0.0.1\n_25._tcp.mx1\tTLSA\t3 1 1 %s\n' "$SPKI" ;;
	expired.com)
		printf 'mx1\tA\t127.0.0.1\n_25._tcp.mx1\tTLSA\t3 1 1 %s\n' "$SPKI" ;;
	esac
}
dnstree_start
lab_exim_start

# dane ARGS...: certcheck against Exim's STARTTLS with the CA's view of
# the private tree; the certificate is good.test's, so that is the SNI.
dane() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$CERTCHECK" $DNSTREE_CA_VIEW \
		"--cafile=$LAB_PKI/root.pem" --connect-to=127.0.0.1 \
		--sni=good.test --starttls=smtp -t 8 "$@"
}

dane 0 "match: exit 0" --json --dane mx1.good.com
assert_jq '.status == "OK" and .problems == [] and .dane.name == "_25._tcp.mx1.good.com" and .dane.dnssec == "secure" and .dane.matched == true' \
	"match: OK, secure, matched"
assert_jq '.dane.records == [{"usage": 3, "selector": 1, "matching_type": 1, "data": "'"$SPKI"'"}]' \
	"match: the record in the detail"
dane 0 "match text: exit 0" --dane mx1.good.com
assert_true "match text: a dane line" grep -q 'dane' "$LAB_OUT"
dane 0 "match nagios: exit 0" --nagios --dane=required mx1.good.com
assert_first_line '^CERT OK - ' "match nagios: CERT OK"

dane 2 "mismatch: exit 2" --json --dane mx2.good.com
assert_jq 'severities("dane_mismatch") == ["CRITICAL"] and .dane.dnssec == "secure" and .dane.matched == false and (.dane.records | length == 2)' \
	"mismatch: dane_mismatch CRITICAL, two signed records"
dane 2 "mismatch text: exit 2" --dane mx2.good.com
assert_true "mismatch text: names dane_mismatch" grep -q 'dane_mismatch' "$LAB_OUT"
dane 2 "mismatch nagios: exit 2" --nagios --dane mx2.good.com
assert_first_line '^CERT CRITICAL - .*TLSA' "mismatch nagios: CRITICAL names TLSA"

dane 1 "unsigned: exit 1" --json --dane mx1.unsigned.org
assert_jq 'codes == ["dane_unsigned"] and severities("dane_unsigned") == ["WARNING"] and .dane.dnssec == "insecure" and (.dane | has("matched") | not)' \
	"unsigned: dane_unsigned WARNING, not matched"
dane 1 "unsigned nagios: exit 1" --nagios --dane=required mx1.unsigned.org
assert_first_line '^CERT WARNING - .*not DNSSEC-signed' "unsigned nagios: WARNING says why"

dane 2 "bogus: exit 2" --json --dane mx1.expired.com
assert_jq 'has_problem("dnssec_bogus") and .dane.dnssec == "bogus" and (has_problem("dane_mismatch") | not)' \
	"bogus: dnssec_bogus, no matching attempted"

dane 0 "none, auto: exit 0" --json --dane mx3.good.com
assert_jq '.problems == [] and .dane.records == [] and .dane.dnssec == "secure"' \
	"none, auto: no problem, no records"
dane 2 "none, required: exit 2" --json --dane=required mx3.good.com
assert_jq 'codes == ["dane_no_records"] and severities("dane_no_records") == ["CRITICAL"]' \
	"none, required: dane_no_records CRITICAL"
dane 2 "none, required nagios: exit 2" --nagios --dane=required mx3.good.com
assert_first_line '^CERT CRITICAL - .*no TLSA records' "none, required nagios: CRITICAL"

# With --dns-server alone, a validating resolver's AD bit decides: the
# reference Unbound, set up as the CA's, validates.
stub() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$CERTCHECK" "--dns-server=$DNSTREE_REF" \
		"--cafile=$LAB_PKI/root.pem" --connect-to=127.0.0.1 \
		--sni=good.test --starttls=smtp -t 8 --json --dane "$@"
}
stub 0 "AD bit, match: exit 0" mx1.good.com
assert_jq '.dane.dnssec == "secure" and .dane.matched == true' "AD bit, match: secure, matched"
stub 1 "no AD bit: exit 1" mx1.unsigned.org
assert_jq 'codes == ["dane_unsigned"] and .dane.dnssec == "insecure"' "no AD bit: dane_unsigned"

# Without --dane nothing is looked up.
dane 0 "no --dane: exit 0 on the mismatching name" --json mx2.good.com
assert_jq '(has("dane") | not) and .problems == []' "no --dane: no dane detail"

assert_exit 3 "--dane=sometimes: usage error" "$CERTCHECK" --dane=sometimes mx1.good.com
assert_true "--dane=sometimes: stderr says why" grep -qF -- "--dane: 'sometimes': want auto or required" "$LAB_ERR"
