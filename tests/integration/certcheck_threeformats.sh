#!/usr/bin/env bash
# certcheck_threeformats.sh: every PKI case of the lab gives the same
# verdict in all three formats: the exit status, the JSON "status", the
# status word on the first text line, and "CERT STATUS - " on the Nagios
# first line (with days_left perfdata in range grammar), also when run
# as check_cert.
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv openssl
lab_need_built "$CERTCHECK"

# case:expected exit
cases="good:0 ecdsa:0 expired:2 notyet:2 exp3:2 exp15:1 exp40:0
	wronghost:2 sha1:2 rsa1024:1 selfsigned:2 incomplete:2 order:1
	rootsent:0 shortchain:1 intexpired:2"
status_of() { case $1 in 0) echo OK ;; 1) echo WARNING ;; 2) echo CRITICAL ;; *) echo UNKNOWN ;; esac; }

tap_plan 96
lab_pki
lab_dns_start
lab_nagios_link check_cert certcheck
for c in $cases; do
	lab_tls_serve "${c%%:*}"
done

for c in $cases; do
	name=${c%%:*} want=${c#*:} st=$(status_of "${c#*:}")
	t=$(lab_target "$name")
	lab_check "$want" "$name json: exit $want" "$t"
	assert_jq ".status == \"$st\"" "$name json: status $st"
	assert_exit "$want" "$name text: exit $want" "$CERTCHECK" "$DNS" \
		"--cafile=$LAB_PKI/root.pem" --color=never "$t"
	assert_first_line "^$t  $st  " "$name text: first line '$t  $st'"
	assert_exit "$want" "$name check_cert: exit $want" "$LAB/bin/check_cert" \
		"$DNS" "--cafile=$LAB_PKI/root.pem" "$t"
	assert_first_line "^CERT $st - $t: .* \| days_left=-?[0-9.]+;[0-9.]+:;[0-9.]+: chain_days_left=" \
		"$name nagios: 'CERT $st - ' with days_left perfdata"
done
