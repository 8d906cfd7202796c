#!/usr/bin/env bash
# prometheus_format.sh: --format=prometheus for every tool, against the
# lab's servers: promtool check metrics silent on each output, the same
# exit status as the JSON format, values that match the certificates as
# certtool reads them, several targets in one output (each family's
# HELP/TYPE once, a target given twice written once), --all-addresses,
# --ignore, label values with a quote, a backslash and a line feed
# escaped, and node_exporter's textfile collector reading the outputs
# of all five tools from one directory, scraped with curl.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig nginx openssl certtool promtool curl \
	prometheus-node-exporter
CAACHECK="$top_builddir/tools/caacheck"
DNS01CHECK="$top_builddir/tools/dns01check"
lab_need_built "$CERTCHECK" "$CAACHECK" "$HTTP01CHECK" "$DNS01CHECK" \
	"$TLSALPN01CHECK"

tap_plan 87

lab_pki
lab_http01_site
KA1="tok.thumb"
TXT=$(printf '%s' "$KA1" | openssl dgst -sha256 -binary | basenc --base64url | tr -d '=')
lab_dns_add "_acme-challenge.d01 TXT \"$TXT\"" "d01 A 127.0.0.1" \
	"alpn A 127.0.0.1" 'caa-ok CAA 0 issue "letsencrypt.org"' \
	'caa-no CAA 0 issue "example.net"'
lab_dns_start
for c in good expired; do
	lab_tls_serve "$c"
done
CA="--cafile=$LAB_PKI/root.pem"
GOOD=$(lab_target good)
EXPIRED=$(lab_target expired)

# A tls-alpn-01 challenge certificate for alpn.test, on port 5001.
KA="tok-Rq9xZ.thumb-4fEj2kT0"
lab_alpn_serve alpn.test "$KA" 5001

# prom WANT DESC CMD...: run CMD (its output in prometheus format) and
# check its exit status; then promtool must find nothing to say.
prom() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$@"
	assert_true "$desc: promtool check metrics is silent" eval \
		'out=$(promtool check metrics <"$LAB_OUT" 2>&1) && [ -z "$out" ] && [ -s "$LAB_OUT" ]'
}

# value NAME FILTER: the value of the one sample of NAME whose line
# holds FILTER (a plain string), from the last output.
value() {
	grep -F -- "$1{" "$LAB_OUT" | grep -F -- "$2" | awk '{ print $NF }'
}

# is NAME FILTER WANT DESC: that sample exists once and equals WANT.
is() {
	local got n
	n=$(grep -F -- "$1{" "$LAB_OUT" | grep -cF -- "$2") || :
	got=$(value "$1" "$2")
	if [ "$n" = 1 ] && [ "$got" = "$3" ]; then
		ok "$4"
	else
		not_ok "$4"
		echo "# $1 ... $2: want $3, got '$got' ($n samples)"
		_lab_diag_last
	fi
}

# is_num NAME FILTER WANT DESC: as is, numerically (node_exporter
# writes 1801789819 as 1.801789819e+09).
is_num() {
	local got n
	n=$(grep -F -- "$1{" "$LAB_OUT" | grep -cF -- "$2") || :
	got=$(value "$1" "$2")
	if [ "$n" = 1 ] && awk -v g="$got" -v w="$3" 'BEGIN { exit !(g + 0 == w + 0) }'; then
		ok "$4"
	else
		not_ok "$4"
		echo "# $1 ... $2: want $3, got '$got' ($n samples)"
		_lab_diag_last
	fi
}

# epoch PEM FIELD: "Not After"/"Not Before" of the first certificate in
# PEM as certtool prints it, in Unix time.
epoch() {
	date -u -d "$(certtool -i --infile="$1" | sed -n "0,/$2: /s/.*$2: //p")" +%s
}

# json_rc CMD...: the exit status of CMD with --json in place of the
# prometheus format (the same check in another format).
json_rc() {
	local rc=0
	"$@" --json >/dev/null 2>&1 || rc=$?
	echo "$rc"
}

same_rc() { # DESC CMD... (without a format option)
	local desc=$1 want=$LAB_RC got
	shift
	got=$(json_rc "$@")
	if [ "$got" = "$want" ]; then
		ok "$desc: the same exit status with --json ($want)"
	else
		not_ok "$desc: the same exit status with --json ($want)"
		echo "# --json exits $got"
	fi
}

# --- certcheck ---------------------------------------------------------------
prom 2 "certcheck good + expired: exit 2" \
	"$CERTCHECK" "$DNS" "$CA" --format=prometheus "$GOOD" "$EXPIRED"
same_rc "certcheck good + expired" "$CERTCHECK" "$DNS" "$CA" "$GOOD" "$EXPIRED"
cp "$LAB_OUT" "$LAB/certcheck.prom"
assert_true "each family's # HELP and # TYPE once for two targets" eval \
	'[ -z "$(grep "^# HELP" "$LAB_OUT" | cut -d" " -f3 | sort | uniq -d)" ] &&
	 [ -z "$(grep "^# TYPE" "$LAB_OUT" | cut -d" " -f3 | sort | uniq -d)" ] &&
	 [ "$(grep -c "^# HELP" "$LAB_OUT")" = "$(grep -c "^# TYPE" "$LAB_OUT")" ]'
assert_true "every sample has the target and check labels" eval \
	'! grep -v "^#" "$LAB_OUT" | grep -v "^[a-z_]*{target=\"[^\"]*\",check=\"cert\""'
is probe_success "target=\"$GOOD\"" 1 "good: probe_success 1"
is probe_success "target=\"$EXPIRED\"" 0 "expired: probe_success 0"
is certdiag_status "target=\"$GOOD\"" 0 "good: certdiag_status 0"
is certdiag_status "target=\"$EXPIRED\"" 2 "expired: certdiag_status 2"
is certdiag_problem "target=\"$EXPIRED\",check=\"cert\",code=\"cert_expired\",severity=\"critical\"}" 1 \
	"expired: certdiag_problem cert_expired critical"
assert_true "good: no certdiag_problem" eval \
	'! grep -F "certdiag_problem{target=\"$GOOD\"" "$LAB_OUT"'
NA=$(epoch "$LAB_PKI/good.pem" "Not After")
NB=$(epoch "$LAB_PKI/good.pem" "Not Before")
INA=$(epoch "$LAB_PKI/int.pem" "Not After")
ENA=$(epoch "$LAB_PKI/expired.pem" "Not After")
LEAF_SHA=$(certtool --fingerprint --hash=sha256 --infile="$LAB_PKI/good.pem" | tr -d ':')
is certdiag_cert_not_after_seconds "target=\"$GOOD\",check=\"cert\",position=\"0\",sha256=\"$LEAF_SHA\"" "$NA" \
	"good: the leaf's notAfter as certtool prints it ($NA), with its SHA-256"
is certdiag_cert_not_before_seconds "target=\"$GOOD\",check=\"cert\",position=\"0\"" "$NB" \
	"good: the leaf's notBefore as certtool prints it"
is certdiag_cert_not_after_seconds "target=\"$GOOD\",check=\"cert\",position=\"1\"" "$INA" \
	"good: the intermediate's notAfter at position 1"
is probe_ssl_earliest_cert_expiry "target=\"$GOOD\"" "$NA" \
	"good: probe_ssl_earliest_cert_expiry is the leaf's notAfter (it ends first)"
is probe_ssl_last_chain_expiry_timestamp_seconds "target=\"$GOOD\"" "$NA" \
	"good: probe_ssl_last_chain_expiry_timestamp_seconds, the verified chain's first end"
is probe_ssl_earliest_cert_expiry "target=\"$EXPIRED\"" "$ENA" \
	"expired: probe_ssl_earliest_cert_expiry is its notAfter"
assert_true "expired: no last_chain_expiry (no verified chain, as blackbox)" eval \
	'! grep -F "probe_ssl_last_chain_expiry_timestamp_seconds{target=\"$EXPIRED\"" "$LAB_OUT"'
is probe_tls_version_info "target=\"$GOOD\",check=\"cert\",version=\"TLS 1.3\"" 1 \
	"good: probe_tls_version_info{version=\"TLS 1.3\"} as blackbox spells it"
is certdiag_cert_trusted "target=\"$EXPIRED\"" 0 "expired: certdiag_cert_trusted 0"
# Days left: the JSON's (rounded to 0.01) times 86400, within a day's 1%.
DL=$("$CERTCHECK" "$DNS" "$CA" --json "$GOOD" | jq .days_left)
EDL=$("$CERTCHECK" "$DNS" "$CA" --json "$EXPIRED" | jq .days_left)
assert_true "good: certdiag_cert_time_left_seconds is days_left ($DL) in seconds" eval \
	'awk -v s="$(value certdiag_cert_time_left_seconds "target=\"$GOOD\"")" -v d="$DL" \
		"BEGIN { x = s / 86400 - d; exit !(s != \"\" && x < 0.01 && x > -0.01) }"'
assert_true "expired: certdiag_cert_time_left_seconds negative ($EDL days)" eval \
	'awk -v s="$(value certdiag_cert_time_left_seconds "target=\"$EXPIRED\"")" -v d="$EDL" \
		"BEGIN { x = s / 86400 - d; exit !(s < 0 && x < 0.01 && x > -0.01) }"'
assert_true "good: probe_duration_seconds is a time" eval \
	'awk -v s="$(value probe_duration_seconds "target=\"$GOOD\"")" "BEGIN { exit !(s > 0 && s < 30) }"'

# -j 2 streams each report into its lines; --sort keeps the reports and
# writes them in its order: the same samples (aside from durations and
# time left, which move with the clock).
prom 2 "certcheck -j 2: exit 2" \
	"$CERTCHECK" "$DNS" "$CA" -o prometheus -j 2 "$GOOD" "$EXPIRED"
grep -Ev '^(probe_duration|certdiag_[a-z]*_time_left)' "$LAB_OUT" | sort >"$LAB/j2.sorted"
prom 2 "certcheck --sort=name: exit 2" \
	"$CERTCHECK" "$DNS" "$CA" -o prometheus --sort=name "$GOOD" "$EXPIRED"
assert_true "--sort=name: expired.test's samples before good.test's" eval \
	'grep "^probe_success{" "$LAB_OUT" | head -n 1 | grep -qF "target=\"$EXPIRED\""'
assert_true "-j 2 and --sort=name: the same samples" eval \
	'grep -Ev "^(probe_duration|certdiag_[a-z]*_time_left)" "$LAB_OUT" | sort | cmp -s - "$LAB/j2.sorted"'

prom 0 "certcheck a target given twice: exit 0" \
	"$CERTCHECK" "$DNS" "$CA" -o prometheus "$GOOD" "$GOOD"
assert_true "a target given twice: its series once" eval \
	'[ "$(grep -c "^probe_success{" "$LAB_OUT")" = 1 ]'

prom 2 "certcheck a closed port: exit 2" \
	"$CERTCHECK" "$DNS" "$CA" -o prometheus "good.test:$LAB_PORT_CLOSED"
same_rc "certcheck a closed port" "$CERTCHECK" "$DNS" "$CA" "good.test:$LAB_PORT_CLOSED"
is certdiag_status "target=\"good.test:$LAB_PORT_CLOSED\"" 2 "closed port: certdiag_status 2"
is probe_success "target=\"good.test:$LAB_PORT_CLOSED\"" 0 "closed port: probe_success 0"

prom 0 "certcheck --ignore=cert_expired: exit 0" \
	"$CERTCHECK" "$DNS" "$CA" -o prometheus --ignore=cert_expired "$EXPIRED"
same_rc "certcheck --ignore" "$CERTCHECK" "$DNS" "$CA" --ignore=cert_expired "$EXPIRED"
is certdiag_problem "code=\"cert_expired\",severity=\"critical\",ignored=\"true\"}" 1 \
	"--ignore: the problem stays, ignored=\"true\""

prom 2 "certcheck -vv: still nothing but metrics on stdout" \
	"$CERTCHECK" "$DNS" "$CA" -o prometheus -vv "$EXPIRED"

# --all-addresses: web.test has 127.0.0.1 and, with IPv6, ::1 (nginx on
# 443 with the lab's self-signed leaf).
if [ "$LAB_IPV6" = 1 ]; then
	prom 2 "certcheck --all-addresses: exit 2" \
		"$CERTCHECK" "$DNS" "$CA" -o prometheus --all-addresses web.test:443
	is certdiag_status "target=\"web.test:443\",check=\"cert\",address=\"127.0.0.1\"}" 2 \
		"--all-addresses: 127.0.0.1 a series of its own"
	is certdiag_status "target=\"web.test:443\",check=\"cert\",address=\"::1\"}" 2 \
		"--all-addresses: ::1 a series of its own"
else
	for i in 1 2 3 4; do tap_skip "--all-addresses ($i)" "no IPv6 in the lab"; done
fi

# Label values: a quote, a backslash and a line feed in the target (a
# file name under --cert).
WEIRD="$LAB/we\"ird\\dir"
mkdir -p "$WEIRD"
cp "$LAB_PKI/good.chain.pem" "$WEIRD/a.pem"
NL="$LAB/new
line.pem"
cp "$LAB_PKI/good.chain.pem" "$NL"
prom 0 "certcheck --cert with a quote and a backslash in the path: exit 0" \
	"$CERTCHECK" "$CA" -o prometheus --cert "$WEIRD/a.pem" --name good.test
cp "$LAB_OUT" "$LAB/weird.prom"
assert_true "the quote and the backslash escaped (\\\" and \\\\\\\\)" \
	grep -qF "probe_success{target=\"$LAB/we\\\"ird\\\\dir/a.pem\",check=\"cert\"} 1" "$LAB_OUT"
# The real binary, not libtool's wrapper, which splits an argument at a
# line feed when it runs the tool under valgrind.
lab_nagios_link certcheck certcheck
prom 0 "certcheck --cert with a line feed in the path: exit 0" \
	"$LAB/bin/certcheck" "$CA" -o prometheus --cert "$NL" --name good.test
assert_true "the line feed escaped (\\n)" \
	grep -qF "probe_success{target=\"$LAB/new\\nline.pem\",check=\"cert\"} 1" "$LAB_OUT"

# --- caacheck ------------------------------------------------------------------
prom 2 "caacheck allowed + refused: exit 2" \
	"$CAACHECK" "$DNS" -o prometheus caa-ok.test caa-no.test
same_rc "caacheck" "$CAACHECK" "$DNS" caa-ok.test caa-no.test
cp "$LAB_OUT" "$LAB/caacheck.prom"
is certdiag_caa_verdict "target=\"caa-ok.test\",check=\"caa\",ca=\"letsencrypt.org\",verdict=\"allowed\"}" 1 \
	"caa-ok: verdict allowed"
is certdiag_caa_verdict "target=\"caa-no.test\",check=\"caa\",ca=\"letsencrypt.org\",verdict=\"refused\"}" 1 \
	"caa-no: verdict refused"
is certdiag_problem "target=\"caa-no.test\",check=\"caa\",code=\"caa_forbids_issuer\",severity=\"critical\"}" 1 \
	"caa-no: caa_forbids_issuer"
is probe_success "target=\"caa-no.test\"" 0 "caa-no: probe_success 0"

# --- http01check ---------------------------------------------------------------
prom 2 "http01check reachable + no address: exit 2" \
	"$HTTP01CHECK" "$DNS" --allow-reserved -t 5 -o prometheus web.test nope.test
same_rc "http01check" "$HTTP01CHECK" "$DNS" --allow-reserved -t 5 web.test nope.test
cp "$LAB_OUT" "$LAB/http01check.prom"
is probe_success "target=\"web.test\"" 1 "web.test: probe_success 1"
is certdiag_http01_attempt "target=\"web.test\",check=\"http01\",ip=\"$LAB_ADDR1\",result=\"ok\"}" 1 \
	"web.test: the attempt from $LAB_ADDR1 ok"
is certdiag_http01_status_code "target=\"web.test\",check=\"http01\",ip=\"$LAB_ADDR1\"}" 404 \
	"web.test: a random token's 404"
is certdiag_problem "target=\"nope.test\",check=\"http01\",code=\"http01_no_address\"" 1 \
	"nope.test: http01_no_address"

# --- dns01check ----------------------------------------------------------------
prom 2 "dns01check valid + missing: exit 2" \
	"$DNS01CHECK" "$DNS" -t 5 -o prometheus --key-authorization="$KA1" d01.test web.test
same_rc "dns01check" "$DNS01CHECK" "$DNS" -t 5 --key-authorization="$KA1" d01.test web.test
cp "$LAB_OUT" "$LAB/dns01check.prom"
is certdiag_dns01_verdict "target=\"d01.test\",check=\"dns01\",method=\"dns-01\",verdict=\"valid\"}" 1 \
	"d01.test: verdict valid"
is certdiag_dns01_verdict "target=\"web.test\",check=\"dns01\",method=\"dns-01\",verdict=\"invalid\"}" 1 \
	"web.test: verdict invalid"
is certdiag_problem "target=\"web.test\",check=\"dns01\",code=\"dns01_no_txt\"" 1 \
	"web.test: dns01_no_txt"

# --- tlsalpn01check ------------------------------------------------------------
prom 0 "tlsalpn01check the right challenge certificate: exit 0" \
	"$TLSALPN01CHECK" "$DNS" --allow-reserved -t 5 --port=5001 -o prometheus \
	--key-authorization="$KA" alpn.test
same_rc "tlsalpn01check" "$TLSALPN01CHECK" "$DNS" --allow-reserved -t 5 --port=5001 \
	--key-authorization="$KA" alpn.test
cp "$LAB_OUT" "$LAB/tlsalpn01check.prom"
is certdiag_tlsalpn01_attempt "target=\"alpn.test\",check=\"tlsalpn01\",ip=\"127.0.0.1\",result=\"ok\"}" 1 \
	"alpn.test: the attempt from 127.0.0.1 ok"
is probe_success "target=\"alpn.test\"" 1 "alpn.test: probe_success 1"

# --- node_exporter's textfile collector ----------------------------------------
# All five outputs in one directory: the check label keeps caacheck's,
# http01check's and dns01check's web.test series apart.
TF="$LAB/textfile"
mkdir -p "$TF"
for t in certcheck caacheck http01check dns01check tlsalpn01check weird; do
	cp "$LAB/$t.prom" "$TF/$t.prom"
done
prometheus-node-exporter --web.listen-address=127.0.0.1:9100 \
	--collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$TF" >"$LAB/log/node.log" 2>&1 &
lab_track $!
_lab_wait_port 9100 $! "$LAB/log/node.log"
assert_exit 0 "curl scrapes node_exporter" curl -sS --max-time 5 http://127.0.0.1:9100/metrics
assert_true "node_textfile_scrape_error 0" grep -qx 'node_textfile_scrape_error 0' "$LAB_OUT"
assert_true "no textfile file left out (each has its mtime)" eval \
	'[ "$(grep -c "^node_textfile_mtime_seconds{" "$LAB_OUT")" = 6 ]'
is_num certdiag_cert_not_after_seconds "check=\"cert\",position=\"0\",sha256=\"$LEAF_SHA\",target=\"$GOOD\"}" "$NA" \
	"node_exporter: the leaf's notAfter back"
is certdiag_caa_verdict "ca=\"letsencrypt.org\",check=\"caa\",target=\"caa-no.test\",verdict=\"refused\"}" 1 \
	"node_exporter: the CAA verdict back"
is certdiag_problem "check=\"dns01\",code=\"dns01_no_txt\",severity=\"critical\",target=\"web.test\"}" 1 \
	"node_exporter: dns01check's problem for web.test back"
is probe_success "check=\"http01\",target=\"web.test\"}" 1 \
	"node_exporter: http01check's probe_success for web.test, apart from the others'"
is probe_success "check=\"tlsalpn01\",target=\"alpn.test\"}" 1 \
	"node_exporter: tlsalpn01check's probe_success back"
is probe_success "target=\"$LAB/we\\\"ird\\\\dir/a.pem\"}" 1 \
	"node_exporter: the escaped label value back as written"
