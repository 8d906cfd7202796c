#!/usr/bin/env bash
# hostile_corpus.sh: the hostile-peer corpus of issue #7 that the other
# scripts do not already cover (they cover TLS stall/garbage/close, DNS
# timeout/SERVFAIL/REFUSED/garbage/truncation for caacheck, HTTP stall,
# garbage, black holes and redirect loops).  Every case asserts the
# problem code, the exit status, and that the run ended within its -t
# plus 0.5 s:
#   TLS   a server that hangs up mid-handshake; a 10,000-SAN certificate;
#         a 50-certificate chain; NUL bytes and terminal escapes in the
#         subject and the SANs (text output shows them escaped, JSON is
#         valid and keeps them as \u escapes)
#   DNS   SERVFAIL and REFUSED for an address lookup (certcheck,
#         http01check); a truncated UDP answer then a working TCP one; a
#         CNAME loop (all three tools); a name 1,000 labels deep (over
#         the 253 octets DNS allows: a usage error, exit 3, before any
#         query); a CAA record whose RDATA is malformed
#   CAA   a 9,000-byte value (the Nagios first line stays within 4,096
#         bytes, perfdata whole); bidirectional and C1 controls in a value
#         (escaped in text and nagios output)
#   CLI   terminal escapes in a -f file (a check_error result, escaped)
#         and bidirectional controls in a name (quoted back on stderr
#         escaped); a 300 MB line in a -f file
#         under ulimit -v (an error, never a partial run)
#   HTTP  headers then silence; a body dripped one byte a second; a 1 GiB
#         body (read up to the cap, then dropped); endless redirects to
#         new URLs; a 100 kB Location header; invalid UTF-8 and terminal
#         escapes in the body
# jq filters and eval'd checks are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv openssl iconv
CAACHECK="$top_builddir/tools/caacheck"
STUB="$top_builddir/tests/servers/dnsstub"
lab_need_built "$CERTCHECK" "$HTTP01CHECK" "$CAACHECK" "$HOSTILE" "$STUB"

tap_plan 106

# --- the lab ------------------------------------------------------------

lab_pki

# hostile_leaf NAME ISSUER SAN-EXTENSION-HEX DN [TEMPLATE-LINES...]: a leaf
# whose template the caller writes (certtool takes a DN in RFC 4514 form,
# where "#hex" is the DER of the value, and any extension as hex DER).
hostile_leaf() {
	local name=$1 issuer=$2
	shift 2
	_lab_key "$name" ecdsa
	{
		cat "$LAB_TMPL/server.tmpl"
		printf '%s\n' "$@"
		echo "activation_date = \"$(_lab_date -30)\""
		echo "expiration_date = \"$(_lab_date 60)\""
	} >"$LAB_PKI/$name.tmpl"
	_lab_sign "$name" "$issuer"
}

# der TAG STRING: one DER TLV (short or two-byte long form) as hex; the
# string may hold any byte but NUL, which is written \0 (printf %b).
der() {
	local tag=$1 hex len
	hex=$(printf '%b' "$2" | od -An -v -tx1 | tr -d ' \n')
	len=$((${#hex} / 2))
	if [ "$len" -lt 128 ]; then
		printf '%s%02x%s' "$tag" "$len" "$hex"
	else
		printf '%s82%04x%s' "$tag" "$len" "$hex"
	fi
}

# 10,000 names: bigsan.test and n0.bigsan.test ... n9998.bigsan.test.
# certtool stops at 128 names in a template; openssl takes any number.
{
	printf '[v3]\nsubjectAltName = @alt\nbasicConstraints = critical,CA:FALSE\n'
	printf 'keyUsage = critical,digitalSignature\nextendedKeyUsage = serverAuth\n'
	printf '[alt]\nDNS.0 = bigsan.test\n'
	for ((i = 0; i < 9999; i++)); do
		echo "DNS.$((i + 1)) = n$i.bigsan.test"
	done
} >"$LAB_PKI/bigsan.cnf"
_lab_key bigsan ecdsa
if ! openssl req -new -key "$LAB_PKI/bigsan.key" -subj /CN=bigsan.test \
	-out "$LAB_PKI/bigsan.csr" >>"$LAB_PKI/certtool.log" 2>&1 ||
	! openssl x509 -req -in "$LAB_PKI/bigsan.csr" -CA "$LAB_PKI/int.pem" \
		-CAkey "$LAB_PKI/int.key" -set_serial 10000 -days 60 \
		-extfile "$LAB_PKI/bigsan.cnf" -extensions v3 \
		-out "$LAB_PKI/bigsan.pem" >>"$LAB_PKI/certtool.log" 2>&1; then
	lab_bail "openssl could not make the 10,000-SAN certificate"
fi
_lab_chain bigsan bigsan int

# 50 certificates: the leaf and 49 intermediates c1 (under root) .. c49.
prev=root
CHAIN=()
for ((i = 1; i < 50; i++)); do
	_lab_ca "c$i" "$prev" -365 1825
	CHAIN=("c$i" "${CHAIN[@]}")
	prev=c$i
done
hostile_leaf chain50 c49 'cn = "chain50.test"' 'dns_name = "chain50.test"'
_lab_chain chain50 chain50 "${CHAIN[@]}"

# Subject and SANs with a NUL, CSI (colour) and OSC (window title)
# sequences, BEL; one plain SAN that matches the name checked.
ESC='\033'
SAN=$(der 82 'evil.test')$(der 82 "nul\\0byte.test")$(der 82 "${ESC}[31mred${ESC}[0m.test")$(der 82 "${ESC}]0;pwned\\a.test")
SAN=$(der 30 "$(printf '%s' "$SAN" | sed 's/../\\x&/g')")
CN=$(der 0c "evil\\0cn${ESC}[2J${ESC}[31mred")
ORG=$(der 0c "org${ESC}]0;pwned\\a")
hostile_leaf evil int "dn = \"CN=#$CN,O=#$ORG\"" \
	"add_extension = \"2.5.29.17 0x$SAN\""
_lab_chain evil evil int

# caa_rr NAME TAG VALUE: a CAA record in generic form (any byte, any size).
caa_rr() {
	local hex
	hex=$(printf '00%02x' "${#2}")$(printf '%s%b' "$2" "$3" | od -An -v -tx1 | tr -d ' \n')
	printf '%s CAA \\# %d %s' "$1" $((${#hex} / 2)) "$hex"
}
# Bidirectional controls (U+202E, U+2066, U+200F, U+061C) and a C1 CSI
# (U+009B) in a value the report quotes.
lab_dns_add "$(caa_rr bidicaa issue 'letsencrypt.org; x=\xe2\x80\xaegro.tpyrcnesttel\xe2\x81\xa6\xe2\x80\x8f\xd8\x9c\xc2\x9b31m')"
# A 9,000-byte value (the Nagios first line must keep its perfdata).
lab_dns_add "$(caa_rr bigcaa issue "letsencrypt.org; x=$(head -c 9000 /dev/zero | tr '\0' a)")"

# Names: the TLS cases, the HTTP cases, the DNS traps.
lab_dns_add "bigsan A 127.0.0.1" "chain50 A 127.0.0.1" "evil A 127.0.0.1" \
	"midclose A 127.0.0.1" "h A 127.0.0.1" \
	"loop1 CNAME loop2.test." "loop2 CNAME loop1.test." \
	"sf A 127.0.0.1" "ref A 127.0.0.1" "trunc A 127.0.0.1" \
	'badcaa CAA \# 3 000561' "badcaa A 127.0.0.1"
# The HTTP cases redirect to their own host: a real TLD, as the CA wants.
lab_dns_zone example.com "h A 127.0.0.1"
lab_dns_start
# dnsstub on :5353 in front of knot: SERVFAIL, REFUSED, truncation.
"$STUB" --port 5353 --upstream 127.0.0.1:53 --rule sf.test=servfail \
	--rule ref.test=refused --rule trunc.test=truncate \
	>"$LAB/log/stub.log" 2>&1 &
lab_track $!
_lab_wait_port 5353 $! "$LAB/log/stub.log"
SDNS=--dns-server=127.0.0.1:5353

# gnutls-serv refuses to send a handshake message this big
# ("The handshake data size is too large") and sends only the first 16
# certificates of a chain; openssl s_server sends what it is given.
LAB_OPENSSL_CASES+="bigsan chain50 samename "
# 64 certificates with one name and no key identifiers, in reverse.
python3 "$top_srcdir/tests/helpers/samename.py" 64 "$LAB_PKI" samename ||
	lab_bail "tests/helpers/samename.py could not make the look-alike chain"
lab_tls_serve samename 4524
lab_tls_serve bigsan 4520
lab_tls_serve chain50 4521
lab_tls_serve evil 4522
lab_hostile_start midclose 4523
lab_hostile_start headers-stall 4530
lab_hostile_start drip 4531
lab_hostile_start bigbody 4532
lab_hostile_start redirect 4533
lab_hostile_start longlocation 4534
lab_hostile_start badutf8 4535

# The binaries themselves, not libtool's wrapper scripts: the elapsed
# times measure the tools, not a shell starting them on a busy machine.
lab_nagios_link certcheck certcheck
lab_nagios_link http01check http01check
lab_nagios_link caacheck "$CAACHECK"
CC="$LAB/bin/certcheck"
H01="$LAB/bin/http01check"
CAA="$LAB/bin/caacheck"
CA="--cafile=$LAB_PKI/root.pem"

# within T LABEL: the last run ended within -t T plus 0.5 s.
within() {
	assert_elapsed_max "$(awk -v t="$1" 'BEGIN { print t + 0.5 }')" \
		"$2: within -t $1 plus 0.5 s"
}

# no_raw_display FILE LABEL: FILE has something (an empty file shows
# nothing raw but shows nothing either), and no ESC, no C1 control
# (U+0080..9F) and no bidirectional control (U+061C, U+200E/F, U+202A..E,
# U+2066..9).
no_raw_display() {
	# shellcheck disable=SC2034 # read by the eval'd check
	NRD_FILE=$1
	assert_true "$2: no raw ESC, C1 or bidirectional control" \
		eval 'test -s "$NRD_FILE" && ! LC_ALL=C grep -q -P "\x1b|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]" "$NRD_FILE"'
}

# no_raw_control LABEL: stdout has something, and no ESC, BEL, NUL or C1
# CSI byte.
no_raw_control() {
	assert_true "$1: no raw ESC, BEL, NUL or CSI byte in the output" \
		eval '[ -s "$LAB_OUT" ] && ! LC_ALL=C grep -q -P "[\x00\x07\x1b\x9b]" "$LAB_OUT"'
}

# --- TLS ----------------------------------------------------------------

assert_exit 2 "midclose: exit 2" "$CC" "$DNS" "$CA" --json -t 3 midclose.test:4523
assert_jq 'has_problem("tls_handshake_failed")' "midclose: tls_handshake_failed"
within 3 "midclose"

# 10,000 SANs: checked (the name is the first SAN), fast; JSON keeps the
# first 1000, text shows 20 and a count; matching uses all 10,000.
assert_exit 0 "bigsan: exit 0" "$CC" "$DNS" "$CA" --json -t 5 bigsan.test:4520
assert_jq '.status == "OK" and (.chain[0].san | length) == 1000' \
	"bigsan: OK, JSON lists the first 1000 SANs (lib/tls/x509.c SAN_KEEP)"
within 5 "bigsan"
assert_exit 0 "bigsan (a name deep in the list): exit 0" \
	"$CC" "$DNS" "$CA" --json -t 5 --sni=n9998.bigsan.test bigsan.test:4520
within 5 "bigsan, last SAN"
assert_exit 0 "bigsan text: exit 0" "$CC" "$DNS" "$CA" -t 5 bigsan.test:4520
assert_true "bigsan text: under 60 lines" eval '[ "$(lab_lines "$LAB_OUT")" -lt 60 ]'
assert_true "bigsan text: the first names, then how many more" \
	eval 'grep -q "n18.bigsan.test ... (980 more)" "$LAB_OUT"'
within 5 "bigsan text"

# 50 certificates in the chain, each signed by the next: a valid path to
# the root, so OK (no X.509 rule limits the depth; the CA does not
# verify the server's chain at all).  All 50 are read and reported.
assert_exit 0 "chain50: exit 0" "$CC" "$DNS" "$CA" --json -t 5 chain50.test:4521
assert_jq '(.chain | length) == 50 and .verify.trusted' \
	"chain50: all 50 certificates reported, the path to the root found"
within 5 "chain50"

# 64 look-alike certificates: laying out the path would cost ~2,000
# signature checks; the analysis stops after its cap of issuer tries,
# says so, and the check ends within -t.
assert_exit 2 "samename: exit 2 (untrusted)" "$CC" "$DNS" "$CA" --json -t 3 \
	--connect-to=127.0.0.1 samename:4524
assert_jq '(.chain | length) == 64 and .chain_analysis_cut == 256 and has_problem("check_error")' \
	"samename: all 64 reported, the analysis stopped after 256 issuer tries"
assert_problem check_error "chain analysis stopped after 256 issuer checks" "samename: says why"
within 3 "samename"

# NUL and escapes in the subject and SANs.
assert_exit 0 "evil: exit 0 (evil.test is a SAN)" "$CC" "$DNS" "$CA" --json -t 3 evil.test:4522
assert_jq '.chain[0].san == ["evil.test", "nul\\x00byte.test", "\\x1b[31mred\\x1b[0m.test", "\\x1b]0;pwned\\x07.test"]' \
	"evil JSON: the SANs with NUL, ESC and BEL escaped as \\x00, \\x1b, \\x07"
assert_jq '.chain[0].subject | test("^[ -~]*$")' \
	"evil JSON: the subject is printable ASCII (GnuTLS writes the odd CN as #hex, we escape the rest)"
no_raw_control "evil json"
within 3 "evil json"
assert_exit 0 "evil text -v: exit 0" "$CC" "$DNS" "$CA" -v -t 3 evil.test:4522
no_raw_control "evil text"
assert_true "evil text: the ESC of a SAN shown escaped" \
	eval 'grep -q -F "\\x1b[31mred" "$LAB_OUT" || grep -q -F "\\e[31mred" "$LAB_OUT" || grep -q -F "\\033[31mred" "$LAB_OUT"'
assert_true "evil text: the NUL shown escaped" \
	eval 'grep -q -F "nul\\x00byte" "$LAB_OUT" || grep -q -F "nul\\0byte" "$LAB_OUT"'
assert_exit 0 "evil nagios: exit 0" "$CC" "$DNS" "$CA" --nagios -t 3 evil.test:4522
no_raw_control "evil nagios"

# --- DNS ----------------------------------------------------------------

assert_exit 2 "certcheck SERVFAIL: exit 2" "$CC" "$SDNS" "$CA" --json -t 3 sf.test:4520
assert_problem dns_failed "SERVFAIL" "certcheck SERVFAIL: dns_failed, says SERVFAIL"
within 3 "certcheck SERVFAIL"
assert_exit 2 "certcheck REFUSED: exit 2" "$CC" "$SDNS" "$CA" --json -t 3 ref.test:4520
assert_problem dns_failed "REFUSED" "certcheck REFUSED: dns_failed, says REFUSED"
within 3 "certcheck REFUSED"
assert_exit 0 "certcheck truncated UDP, then TCP: exit 0" \
	"$CC" "$SDNS" "$CA" --json -t 3 --sni=bigsan.test trunc.test:4520
assert_jq '.status == "OK" and .address == "127.0.0.1"' \
	"certcheck truncated UDP: resolved over TCP, the check ran"
within 3 "certcheck truncated UDP"
assert_exit 2 "certcheck CNAME loop: exit 2" "$CC" "$DNS" "$CA" --json -t 3 loop1.test:4520
assert_problem dns_failed "loop1.test: no A or AAAA record" "certcheck CNAME loop: dns_failed, no address"
within 3 "certcheck CNAME loop"

assert_exit 2 "http01check SERVFAIL: exit 2" "$H01" "$SDNS" --json --allow-reserved -t 3 sf.test
assert_problem http01_no_address "DNS problem: SERVFAIL looking up A for sf.test" \
	"http01check SERVFAIL: http01_no_address, the CA's words"
within 3 "http01check SERVFAIL"
assert_exit 2 "http01check REFUSED: exit 2" "$H01" "$SDNS" --json --allow-reserved -t 3 ref.test
assert_problem http01_no_address "DNS problem: REFUSED looking up A for ref.test" \
	"http01check REFUSED: http01_no_address, the CA's words"
within 3 "http01check REFUSED"
assert_exit 2 "http01check CNAME loop: exit 2" "$H01" "$DNS" --json --allow-reserved -t 3 loop1.test
assert_problem http01_no_address "no valid A records found for loop1.test" \
	"http01check CNAME loop: http01_no_address"
within 3 "http01check CNAME loop"

assert_exit 0 "caacheck CNAME loop: exit 0 (no CAA anywhere)" "$CAA" "$DNS" --json -t 3 loop1.test
assert_jq '.verdict == "allowed" and .records == []' "caacheck CNAME loop: allowed, no records"
within 3 "caacheck CNAME loop"
assert_exit 2 "caacheck malformed CAA RDATA: exit 2" "$CAA" "$DNS" --json -t 3 badcaa.test
assert_problem caa_dns_error "DNS problem: malformed response looking up CAA for badcaa.test" \
	"caacheck malformed CAA RDATA: caa_dns_error, malformed response (the CA cannot unpack it either)"
within 3 "caacheck malformed CAA RDATA"

# Display safety: what a peer wrote is shown with its bidirectional and
# C1 controls escaped (U+202E would show "gro.tpyrcnesttel" reversed).
assert_exit 2 "caacheck bidi and C1 in a CAA value, text: exit 2 (malformed)" "$CAA" "$DNS" -t 3 bidicaa.test
no_raw_display "$LAB_OUT" "bidi and C1 in a CAA value, text"
assert_true "bidi and C1 in a CAA value, text: shown as \\xe2\\x80\\xae and \\xc2\\x9b" \
	eval 'grep -q -F "x=\xe2\x80\xaegro.tpyrcnesttel" "$LAB_OUT" && grep -q -F "\xc2\x9b31m" "$LAB_OUT"'
assert_exit 2 "caacheck bidi and C1 in a CAA value, nagios: exit 2" "$CAA" "$DNS" --nagios -t 3 bidicaa.test
no_raw_display "$LAB_OUT" "bidi and C1 in a CAA value, nagios"
# The tools' own messages quote the command line and -f files as given.
printf 'good.test\n\033]0;pwned\a\033[31mred.test\n' >"$LAB/run/esc-targets"
# In a batch a bad line is a check_error result of its own (UNKNOWN),
# the good line is still checked.
assert_exit 3 "-f file with terminal escapes: the bad line is UNKNOWN, exit 3" "$CAA" "$DNS" -t 3 -f "$LAB/run/esc-targets"
no_raw_display "$LAB_OUT" "-f file with terminal escapes: the results"
assert_true "-f file with terminal escapes: the check_error shows them as \\x1b" \
	grep -q -F "'\x1b]0;pwned\x07\x1b[31mred.test' is not a domain name" "$LAB_OUT"
assert_true "-f file with terminal escapes: good.test is still checked" \
	grep -q "^good.test  OK" "$LAB_OUT"
assert_exit 3 "bidi and C1 in a command-line name: exit 3" "$CAA" "$DNS" -t 3 \
	"$(printf 'a\xe2\x80\xaeb\xc2\x9bc.test')"
no_raw_display "$LAB_ERR" "bidi and C1 in a command-line name: the message on stderr"

# A 9,000-byte CAA value quoted in the summary: Nagios reads 8 KiB of a
# plugin's output, so the first line is kept to 4,096 bytes, the summary
# cut short with "...", the perfdata whole at its end.
assert_exit 0 "caacheck 9,000-byte CAA value, nagios: exit 0 (it allows issuance)" "$CAA" "$DNS" --nagios -t 3 bigcaa.test
assert_true "9,000-byte CAA value: first line at most 4,096 bytes ($(head -n 1 "$LAB_OUT" | wc -c) with its newline)" \
	eval '[ "$(head -n 1 "$LAB_OUT" | tr -d "\n" | wc -c)" -le 4096 ]'
assert_true "9,000-byte CAA value: the summary cut with ..., the perfdata whole" \
	eval 'head -n 1 "$LAB_OUT" | grep -qE "\.\.\. \| [a-z_]+=[0-9.]+s?;?[^|]*$"'

# 1,000 labels: 2,000 octets, far over DNS's 253.  Refused as input.
DEEP=$(printf 'a.%.0s' $(seq 999))test
assert_exit 3 "certcheck 1000-label name: exit 3" "$CC" "$DNS" "$CA" -t 3 "$DEEP"
assert_true "certcheck 1000-label name: one line on stderr, none on stdout" \
	eval '[ "$(lab_lines "$LAB_ERR")" = 1 ] && [ ! -s "$LAB_OUT" ]'
within 3 "certcheck 1000-label name"
assert_exit 3 "http01check 1000-label name: exit 3" "$H01" "$DNS" -t 3 "$DEEP"
assert_true "http01check 1000-label name: a bad domain on stderr, none on stdout" \
	eval '[ "$(lab_lines "$LAB_ERR")" = 1 ] && grep -q "^http01check: bad domain: " "$LAB_ERR" && [ ! -s "$LAB_OUT" ]'
within 3 "http01check 1000-label name"
assert_exit 3 "caacheck 1000-label name: exit 3" "$CAA" "$DNS" -t 3 "$DEEP"
assert_true "caacheck 1000-label name: a bad domain on stderr, none on stdout" \
	eval '[ "$(lab_lines "$LAB_ERR")" = 1 ] && grep -q "^caacheck: bad domain: " "$LAB_ERR" && [ ! -s "$LAB_OUT" ]'
within 3 "caacheck 1000-label name"

# --- HTTP ---------------------------------------------------------------

# h01 WANT PORT DESC: http01check --json on h.example.com:PORT, -t 3.
h01() {
	assert_exit "$1" "$3: exit $1" "$H01" "$DNS" --json --allow-reserved \
		-t 3 --http-port="$2" --expect="$LAB_KA" h.example.com
}

h01 2 4530 "headers then silence"
assert_jq 'has_problem("http01_timeout")' "headers then silence: http01_timeout"
within 3 "headers then silence"
h01 2 4531 "one byte a second"
assert_jq 'has_problem("http01_timeout")' "one byte a second: http01_timeout"
within 3 "one byte a second"
h01 2 4532 "1 GiB body"
assert_jq 'has_problem("http01_body_too_large") and (.problems[0].message | length) < 1024' \
	"1 GiB body: http01_body_too_large, the body quoted only in part"
assert_elapsed_max 1.5 "1 GiB body: stops reading at the cap at once"
h01 2 4533 "endless redirects"
assert_problem http01_too_many_redirects "Too many redirects" \
	"endless redirects: http01_too_many_redirects"
within 3 "endless redirects"
h01 2 4534 "100 kB Location"
assert_problem http01_bad_redirect "aaaa...: Redirect target too long" \
	"100 kB Location: http01_bad_redirect, Redirect target too long (the CA's 2000-byte path limit), URL cut short"
assert_true "100 kB Location: output under 16 kB" eval '[ "$(wc -c <"$LAB_OUT")" -lt 16384 ]'
within 3 "100 kB Location"
h01 2 4535 "invalid UTF-8 body"
assert_problem http01_body_mismatch '(got "\xc0\xaf \x80 \xed\xa0\x80 \xff\xfe \x1b[31mred' \
	"invalid UTF-8 body: http01_body_mismatch, the body quoted with \\x escapes"
assert_true "invalid UTF-8 body: the JSON is valid UTF-8" \
	eval 'iconv -f UTF-8 -t UTF-8 "$LAB_OUT" >/dev/null'
within 3 "invalid UTF-8 body"
assert_exit 2 "invalid UTF-8 body, text: exit 2" "$H01" "$DNS" --allow-reserved \
	-t 3 --http-port=4535 --expect="$LAB_KA" h.example.com
no_raw_control "invalid UTF-8 body, text"
assert_true "invalid UTF-8 body, text: valid UTF-8" \
	eval 'iconv -f UTF-8 -t UTF-8 "$LAB_OUT" >/dev/null'

# --- local input --------------------------------------------------------

# A targets file whose second line is 300 MB, read under a 300 MB address
# space limit: getline() cannot grow its buffer (ENOMEM).  That used to
# pass for the end of the file: the first target was checked and the
# rest silently dropped.  It is an error: a message, exit 3, no report.
if [ "${CERTDIAG_SANITIZERS:-}" = yes ]; then
	for t in "exit 3" "the message names the cause" "no report"; do
		tap_skip "300 MB line under ulimit -v: $t" "the sanitizers' shadow memory needs more address space"
	done
else
	rc=0
	(
		ulimit -v 300000
		{
			echo good.test
			head -c 300000000 /dev/zero | tr '\0' a
			echo
			echo after.test
		} | "$CAA" "$DNS" --json -t 1 -f -
	) >"$LAB/run/bigline.out" 2>"$LAB/run/bigline.err" || rc=$?
	assert_true "300 MB line under ulimit -v: exit 3 (got $rc)" test "$rc" = 3
	assert_true "300 MB line under ulimit -v: the message names the cause ($(head -c 200 "$LAB/run/bigline.err"))" \
		grep -q "cannot read the targets: Cannot allocate memory" "$LAB/run/bigline.err"
	assert_true "300 MB line under ulimit -v: no report, not a partial run" test ! -s "$LAB/run/bigline.out"
fi
