#!/usr/bin/env bash
# plugin_habits.sh: the check_* names as Monitoring Plugins users type
# them (issue 16).  -H, -p, -I and --sni on every name; every usage
# error as one "SERVICE UNKNOWN - ..." line on stdout, exit 3, the usage
# on stderr; a first line longer than 4,096 bytes cut before the
# perfdata; a bad line of a -f batch is that line's check_error alone;
# --sni= refused; what -v, -vv and -vvv add; no perfdata min of 0 for
# days left, which go below 0; --cert --name shows the name, never the
# option's.
# jq filters and eval'd checks are single-quoted on purpose.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv nginx openssl
lab_need_built "$CERTCHECK" "$HTTP01CHECK" "$TLSALPN01CHECK" \
	"$top_builddir/tools/caacheck" "$top_builddir/tools/dns01check"

tap_plan 92

lab_pki
lab_http01_site
lab_dns_add 'caa-ok CAA 0 issue "letsencrypt.org"'
lab_dns_start
for c in good expired; do
	lab_tls_serve "$c"
done
lab_nagios_link check_cert certcheck
lab_nagios_link check_caa caacheck
lab_nagios_link check_http01 http01check
lab_nagios_link check_tlsalpn01 tlsalpn01check
lab_nagios_link check_dns01 dns01check
CA="--cafile=$LAB_PKI/root.pem"
B="$LAB/bin"
GP=$(lab_port good)

# --- -H, -p, -I, --sni --------------------------------------------------
assert_exit 0 "check_cert -H good.test -p $GP -w 21 -c 7: exit 0" \
	"$B/check_cert" "$DNS" "$CA" -H good.test -p "$GP" -w 21 -c 7
assert_first_line "^CERT OK - good\.test:$GP: .* \| days_left=" \
	"check_cert -H -p: the target is good.test:$GP"
assert_exit 0 "check_cert -H good.test -p $GP -I 127.0.0.1 --sni: exit 0" \
	"$B/check_cert" "$DNS" "$CA" -H good.test -p "$GP" -I 127.0.0.1 --sni
assert_exit 2 "check_cert -I nxdomain.test: -I is where it connects (exit 2)" \
	"$B/check_cert" "$DNS" "$CA" -H good.test -p "$GP" -I nxdomain.test
assert_first_line '^CERT CRITICAL - good\.test:[0-9]+: .*nxdomain\.test' \
	"check_cert -I: the address's resolution failed, not the host's"
assert_exit 0 "check_cert --sni then another option: --sni is a flag" \
	"$B/check_cert" "$DNS" "$CA" --sni -H good.test -p "$GP"
assert_exit 0 "certcheck --sni NAME (a word after it) still sets the NAME" \
	"$CERTCHECK" "$DNS" "$CA" --json --sni good.test "127.0.0.1:$GP"
assert_jq '.sni == "good.test" and .status == "OK"' "--sni NAME: sent and verified"
if [ "$LAB_IPV6" = 1 ]; then
	assert_exit 0 "check_cert -H ::1 -p $GP --sni=good.test: exit 0" \
		"$B/check_cert" "$DNS" "$CA" -H ::1 -p "$GP" --sni=good.test
	assert_first_line "^CERT OK - \[::1\]:$GP: " "check_cert -H ::1 -p: [::1]:PORT"
else
	tap_skip "check_cert -H ::1 -p" "no IPv6 in the lab"
	tap_skip "check_cert -H ::1 -p: [::1]:PORT" "no IPv6 in the lab"
fi
assert_exit 0 "check_caa -H caa-ok.test --sni: exit 0" \
	"$B/check_caa" "$DNS" -H caa-ok.test --sni
assert_first_line '^CAA OK - caa-ok\.test: ' "check_caa -H: the domain"
assert_exit 0 "check_http01 -H web.test --sni: exit 0" \
	"$B/check_http01" "$DNS" --allow-reserved -H web.test --sni
assert_first_line '^HTTP01 OK - web\.test: ' "check_http01 -H: the domain"
assert_exit 2 "check_http01 -H web.test -p $LAB_PORT_CLOSED: -p stands for 80" \
	"$B/check_http01" "$DNS" --allow-reserved -t 5 -H web.test -p "$LAB_PORT_CLOSED"
assert_first_line '^HTTP01 CRITICAL - web\.test: .*refused' "check_http01 -p: connection refused there"
assert_exit 2 "check_tlsalpn01 -H good.test -p $LAB_PORT_CLOSED --sni: -p stands for 443" \
	"$B/check_tlsalpn01" "$DNS" --allow-reserved -t 5 -H good.test -p "$LAB_PORT_CLOSED" --sni
assert_first_line '^TLSALPN01 CRITICAL - good\.test: .*refused' "check_tlsalpn01 -p: refused there"
lab_run "$B/check_dns01" "$DNS" -H good.test --sni
assert_true "check_dns01 -H good.test --sni: checked (exit 0..2, not a usage error)" \
	eval '[ "$LAB_RC" -le 2 ]'
assert_first_line '^DNS01 (OK|WARNING|CRITICAL) - good\.test: ' "check_dns01 -H: the domain"

# --- Usage errors: one line on stdout, exit 3, usage on stderr ----------
# usage NAME SERVICE ERE DESC ARGS...
usage() {
	local name=$1 svc=$2 ere=$3 desc=$4
	shift 4
	assert_exit 3 "$name $desc: exit 3" "$B/$name" "$@"
	assert_true "$name $desc: one stdout line '$svc UNKNOWN - ...'" \
		eval '[ "$(lab_lines "$LAB_OUT")" = 1 ] && grep -Eq "^$svc UNKNOWN - $ere" "$LAB_OUT"'
	assert_true "$name $desc: the usage on stderr" grep -q '^Usage: ' "$LAB_ERR"
}
usage check_cert CERT "unknown option '--bogus'$" "--bogus" --bogus -H good.test
usage check_caa CAA "unknown option '--bogus'$" "--bogus" --bogus caa-ok.test
usage check_http01 HTTP01 "unknown option '--bogus'$" "--bogus" --bogus web.test
usage check_tlsalpn01 TLSALPN01 "unknown option '--bogus'$" "--bogus" --bogus web.test
usage check_dns01 DNS01 "unknown option '--bogus'$" "--bogus" --bogus web.test
usage check_cert CERT "no TARGET given$" "no target"
usage check_cert CERT "-p goes with -H" "-p without -H" -p 443
usage check_caa CAA "-p: no port to set" "-p (DNS only)" -p 53 -H caa-ok.test
usage check_dns01 DNS01 "-I: no address" "-I (DNS only)" -I 127.0.0.1 -H good.test
usage check_http01 HTTP01 "-I: the CA connects to the addresses DNS gives" "-I" \
	-I 127.0.0.1 -H web.test
usage check_cert CERT "--sni: want a NAME" "--sni= (empty)" --sni= -H good.test
usage check_caa CAA "option '--sni=x' takes no value" "--sni=x" --sni=x caa-ok.test
assert_exit 3 "certcheck --bogus --nagios: exit 3" "$CERTCHECK" --bogus --nagios
assert_first_line "^CERT UNKNOWN - unknown option '--bogus'$" \
	"certcheck --bogus --nagios: the format asked for after the error"
assert_exit 3 "certcheck --sni= good.test (text): exit 3" "$CERTCHECK" --sni= good.test
assert_true "certcheck text usage error: nothing on stdout, the reason on stderr" \
	eval '[ ! -s "$LAB_OUT" ] && grep -q -- "--sni: want a NAME" "$LAB_ERR"'
long=$(printf 'x%.0s' $(seq 1 6000))
assert_exit 3 "check_cert --$long: exit 3" "$B/check_cert" "--$long"
assert_true "a 6,000-byte unknown option: the line cut to 4,096 bytes with ..." \
	eval '[ "$(head -n 1 "$LAB_OUT" | wc -c)" -le 4097 ] && grep -q "xxx\.\.\.$" "$LAB_OUT"'

# --- A first line over 4,096 bytes: the summary cut, perfdata whole ------
# The target of --cert is the file's path: 16 directories of 240 bytes.
san=$(for i in $(seq 1 60); do printf 'DNS:%s%03d.test,' "$(printf 'n%.0s' $(seq 1 55))" "$i"; done)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$LAB/big.key" -out "$LAB/big.pem" -subj /CN=big.test \
	-addext "subjectAltName=${san%,}" -days 30 2>/dev/null
d=$(printf 'd%.0s' $(seq 1 240))
p=$LAB/long
for _ in $(seq 1 16); do p=$p/$d; done
mkdir -p "$p"
cp "$LAB/big.pem" "$p/c.pem"
lab_run "$B/check_cert" --cert="$p/c.pem" --name=other.test
assert_true "a long first line: 4,096 bytes at most" \
	eval '[ "$(head -n 1 "$LAB_OUT" | wc -c)" -le 4097 ]'
assert_first_line '^CERT CRITICAL - .*\.\.\. \| days_left=[0-9.]+;[^ ]* chain_days_left=[0-9.]+;[^ ]*$' \
	"a long first line: the summary cut with ..., the perfdata whole"

# --- A batch: a bad line is that line's check_error ----------------------
printf '%s\n' "$(lab_target good)" 'bad target.test' '[::1' 'xn--zz.test' \
	"$(lab_target expired)" >"$LAB/batch.txt"
assert_exit 2 "certcheck -f with three bad lines: exit 2 (the expired one)" \
	"$CERTCHECK" "$DNS" "$CA" --json -f "$LAB/batch.txt"
assert_jqs 'length == 5' "certcheck -f: five results, the bad lines too"
assert_jqs '[.[] | select(.status == "UNKNOWN") | .problems[0].code] == ["check_error", "check_error", "check_error"]' \
	"certcheck -f: each bad line is a check_error (UNKNOWN)"
assert_jqs '[.[] | select(.status != "UNKNOWN") | .status] == ["OK", "CRITICAL"]' \
	"certcheck -f: the good lines are checked"
assert_exit 2 "check_cert with two targets, one bad: exit 2" \
	"$B/check_cert" "$DNS" "$CA" 'bad target.test' "$(lab_target expired)"
assert_first_line '^CERT CRITICAL - 2 targets: 1 critical, 0 warning, 1 unknown, 0 ok' \
	"check_cert two targets: the bad one counted as unknown"
printf '%s\n' caa-ok.test 'bad domain.test' 127.0.0.1 >"$LAB/caa.txt"
assert_exit 3 "caacheck -f with a bad name and an IP: exit 3 (worst is UNKNOWN)" \
	"$top_builddir/tools/caacheck" "$DNS" --json -f "$LAB/caa.txt"
assert_jqs '[.[] | .status] == ["OK", "UNKNOWN", "UNKNOWN"]' \
	"caacheck -f: the good name checked, each bad line its own UNKNOWN"
assert_exit 3 "certcheck one bad target on the command line: still a usage error" \
	"$CERTCHECK" "$DNS" 'bad target.test'
assert_true "certcheck one bad target: the reason on stderr, nothing on stdout" \
	eval '[ ! -s "$LAB_OUT" ] && grep -qF "bad target '"'"'bad target.test'"'"': bad host name" "$LAB_ERR"'

# --- -v, -vv, -vvv --------------------------------------------------------
leaf=$LAB_PKI/good.chain.pem
assert_exit 0 "certcheck --cert: exit 0" "$CERTCHECK" "$CA" --cert="$leaf"
assert_true "no -v: the text report, no fingerprints, no JSON" \
	eval 'grep -q "^  chain " "$LAB_OUT" && ! grep -q "sha256 " "$LAB_OUT" && ! grep -q "^{" "$LAB_OUT"'
assert_exit 0 "-v: exit 0" "$CERTCHECK" "$CA" --cert="$leaf" -v
assert_true "-v: fingerprints, no JSON" \
	eval 'grep -q "sha256 " "$LAB_OUT" && ! grep -q "^{" "$LAB_OUT"'
assert_exit 0 "-vv: exit 0" "$CERTCHECK" "$CA" --cert="$leaf" -vv
assert_true "-vv: also the report as JSON, nothing on stderr" \
	eval 'grep -q "sha256 " "$LAB_OUT" && [ "$(grep -c "^{" "$LAB_OUT")" = 1 ] &&
		grep "^{" "$LAB_OUT" | jq -e ".chain | length == 2" && [ ! -s "$LAB_ERR" ]'
assert_exit 0 "-vvv: exit 0" "$CERTCHECK" "$CA" --cert="$leaf" -vvv
assert_true "-vvv: also a line on stderr per target done" \
	grep -q '\[1/1\] .*good\.chain\.pem: OK' "$LAB_ERR"
assert_exit 0 "check_cert -v: exit 0" "$B/check_cert" "$CA" --cert="$leaf" -v
assert_true "check_cert -v: the text report below the nagios lines" \
	eval 'head -n 1 "$LAB_OUT" | grep -q "^CERT OK - " && grep -q "^  chain " "$LAB_OUT"'

# --- Perfdata min, --cert mode names -------------------------------------
assert_exit 2 "check_cert expired: exit 2" "$B/check_cert" "$DNS" "$CA" "$(lab_target expired)"
assert_first_line '\| days_left=-[0-9.]+;[0-9.]+:;[0-9.]+: chain_days_left=-[0-9.]+;[0-9.]+:;[0-9.]+: ' \
	"expired: days_left below 0 and no min (0 would be wrong)"
assert_exit 2 "certcheck --cert --name other.test: exit 2" \
	"$CERTCHECK" "$CA" --cert="$leaf" --name=other.test
assert_true "--cert --name: the name row shows the name, never the option" \
	eval 'grep -Eq "^  name +other\.test, NOT covered" "$LAB_OUT" && ! grep -q -- "--name\|--cert" "$LAB_OUT"'
assert_exit 2 "certcheck --cert --name --json: exit 2" \
	"$CERTCHECK" "$CA" --cert="$leaf" --name=other.test --json
assert_jq '.name == "other.test" and (.target | endswith("good.chain.pem"))' \
	"--cert --name --json: the name in the detail"
assert_exit 2 "check_cert --cert --name: exit 2" \
	"$B/check_cert" "$CA" --cert="$leaf" --name=other.test
assert_true "check_cert --cert: the file is the target, no option name in the output" \
	eval 'head -n 1 "$LAB_OUT" | grep -q "^CERT CRITICAL - $leaf: " && ! grep -q -- "--name\|--cert" "$LAB_OUT"'
