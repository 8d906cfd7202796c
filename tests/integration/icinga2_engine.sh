#!/usr/bin/env bash
# icinga2_engine.sh: a real Icinga 2 runs the three plugins through the
# CheckCommand definitions we install (contrib/icinga2/certdiag.conf),
# with options given as custom variables, and records the results.
#
# icinga2_config.sh proves the definitions parse; this proves they build
# the command lines the plugins expect: Icinga runs each service once
# against the lab, and its PerfdataWriter writes what it recorded (state,
# output, perfdata) to a file the test reads.
# eval'd checks are single-quoted on purpose.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
ICINGA2=${ICINGA2:-icinga2}
lab_require knotd kdig gnutls-serv nginx "$ICINGA2"
CONF="$top_builddir/contrib/icinga2/certdiag.conf"
[ -f "$CONF" ] || lab_bail "$CONF not built: run make first"

tap_plan 24

lab_pki
lab_http01_site
lab_dns_add 'caa-ok CAA 0 issue "letsencrypt.org"' \
	'caa-deny CAA 0 issue "ca.example"'
lab_dns_start
for c in good exp15 expired; do
	lab_tls_serve "$c"
done

# The plugins under their Nagios names, as make install puts them: small
# scripts that run the built binaries with argv[0] = check_* and the
# uninstalled library (Icinga does not pass LD_LIBRARY_PATH on).
P="$LAB/plugins"
mkdir -p "$P"
for l in check_cert:certcheck check_caa:caacheck check_http01:http01check; do
	real=$("$top_builddir/libtool" --mode=execute echo "$top_builddir/tools/${l#*:}")
	printf '#!/bin/bash\nexport LD_LIBRARY_PATH=%q\nexec -a %q %q "$@"\n' \
		"$top_builddir/lib/.libs" "${l%%:*}" "$real" >"$P/${l%%:*}"
	chmod +x "$P/${l%%:*}"
done

I="$LAB/icinga2"
mkdir -p "$I/data" "$I/log" "$I/cache" "$I/spool" "$I/run" "$I/perf"
TAB=$'\t'
cat >"$I/icinga2.conf" <<EOF
include "$CONF"

object CheckerComponent "checker" { }
object PerfdataWriter "results" {
	service_perfdata_path = "$I/perf/service.out"
	service_temp_path = "$I/perf/service.tmp"
	host_perfdata_path = "$I/perf/host.out"
	host_temp_path = "$I/perf/host.tmp"
	service_format_template = "\$service.name\$${TAB}\$service.state\$${TAB}\$service.perfdata\$${TAB}\$service.output\$"
	rotation_interval = 1s
}

template Service "lab" {
	check_interval = 600s
	retry_interval = 600s
	max_check_attempts = 1
	vars.certdiag_bindir = "$P"
	vars.certdiag_dns_server = "127.0.0.1:53"
	vars.certdiag_timeout = 5
}

object Host "lab" {
	check_command = "check_caa"
	enable_active_checks = false
}

object Service "cert_ok" {
	import "lab"
	host_name = "lab"
	check_command = "check_cert"
	vars.certcheck_host = "good.test"
	vars.certcheck_port = 4401
	vars.certcheck_cafile = "$LAB_PKI/root.pem"
	vars.certcheck_warning = "21"
	vars.certcheck_critical = "5:100"
}
object Service "cert_address" {
	import "lab"
	host_name = "lab"
	check_command = "check_cert"
	vars.certcheck_host = "nxdomain.test"
	vars.certcheck_port = 4401
	vars.certcheck_address = "127.0.0.1"
	vars.certcheck_cafile = "$LAB_PKI/root.pem"
}
object Service "cert_starttls_port" {
	import "lab"
	host_name = "lab"
	check_command = "check_cert"
	vars.certcheck_host = "good.test"
	vars.certcheck_starttls = "smtp"
	vars.certcheck_cafile = "$LAB_PKI/root.pem"
}
object Service "cert_warning" {
	import "lab"
	host_name = "lab"
	check_command = "certcheck"
	vars.certcheck_target = "exp15.test:4406"
	vars.certcheck_cafile = "$LAB_PKI/root.pem"
	vars.certcheck_warning = "@10:20"
	vars.certcheck_critical = "7"
}
object Service "cert_batch" {
	import "lab"
	host_name = "lab"
	check_command = "check_cert"
	vars.certcheck_target = [ "good.test:4401", "expired.test:4403", "exp15.test:4406" ]
	vars.certcheck_cafile = "$LAB_PKI/root.pem"
	vars.certdiag_jobs = 3
	vars.certdiag_sort = "status"
}
object Service "caa_ok" {
	import "lab"
	host_name = "lab"
	check_command = "check_caa"
	vars.caacheck_domain = "caa-ok.test"
	vars.caacheck_method = "http-01"
}
object Service "caa_critical" {
	import "lab"
	host_name = "lab"
	check_command = "caacheck"
	vars.caacheck_domain = [ "caa-ok.test", "caa-deny.test" ]
	vars.caacheck_ca = "letsencrypt.org"
}
object Service "http01_ok" {
	import "lab"
	host_name = "lab"
	check_command = "check_http01"
	vars.http01check_domain = "web.test"
	vars.http01check_token = "good"
	vars.http01check_expect = "$LAB_KA"
	vars.http01check_allow_reserved = true
}
object Service "http01_critical" {
	import "lab"
	host_name = "lab"
	check_command = "http01check"
	vars.http01check_domain = "web.test"
	vars.http01check_http_port = $LAB_PORT_CLOSED
	vars.http01check_allow_reserved = true
	vars.certdiag_ipv4 = true
}
EOF

"$ICINGA2" daemon -c "$I/icinga2.conf" \
	-DRunAsUser="$(id -un)" -DRunAsGroup="$(id -gn)" \
	-DConfigDir="$I" -DDataDir="$I/data" -DLogDir="$I/log" \
	-DCacheDir="$I/cache" -DSpoolDir="$I/spool" -DInitRunDir="$I/run" \
	>"$LAB/log/icinga2.log" 2>&1 </dev/null &
ICINGA_PID=$!
lab_track "$ICINGA_PID"

SERVICES="cert_ok cert_address cert_starttls_port cert_warning cert_batch caa_ok caa_critical http01_ok http01_critical"
NSERVICES=$(wc -w <<<"$SERVICES")
# Rotated result files and the one being written, newest last.
results() {
	cat "$I"/perf/service.out* "$I/perf/service.tmp" 2>/dev/null || :
}
deadline=$(($(date +%s) + 60))
n=0
while [ "$(date +%s)" -lt "$deadline" ]; do
	n=$(results | cut -f1 | sort -u | grep -cxF -f <(tr -s ' \t\n' '\n' <<<"$SERVICES")) || :
	[ "$n" -ge "$NSERVICES" ] && break
	kill -0 "$ICINGA_PID" 2>/dev/null || break
	sleep 0.5
done
if [ "$n" -ge "$NSERVICES" ]; then
	ok "Icinga 2 ran all $NSERVICES services"
else
	not_ok "Icinga 2 ran all $NSERVICES services (only $n)"
	tail -n 30 "$LAB/log/icinga2.log" | sed 's/^/# /'
fi
results | sed 's/^/# /'

# result SERVICE FIELD: 2 state, 3 perfdata, 4 output (its first line:
# the output goes last because long output has line breaks).
result() {
	results | awk -F'\t' -v s="$1" -v f="$2" '$1 == s { print $f; exit }'
}
# assert_svc SERVICE STATE OUTPUT-ERE PERF-ERE
assert_svc() {
	local got
	got=$(result "$1" 2)
	if [ "$got" = "$2" ]; then ok "$1: Icinga recorded $2"; else
		not_ok "$1: Icinga recorded $2 (got '$got')"
	fi
	got=$(result "$1" 4)
	if grep -Eq -- "$3" <<<"$got"; then ok "$1: output /$3/"; else
		not_ok "$1: output /$3/"
		echo "# got: $got"
	fi
	if [ -n "${4:-}" ]; then
		got=$(result "$1" 3)
		if grep -Eq -- "$4" <<<"$got"; then ok "$1: perfdata /$4/"; else
			not_ok "$1: perfdata /$4/"
			echo "# got: $got"
		fi
	fi
}
D='[0-9]+(\.[0-9]+)?'
assert_svc cert_ok OK "^CERT OK - good\.test:4401: " \
	"^days_left=${D};21:;5:100 chain_days_left=${D};21:;5:100 handshake_time=${D}s;;;0$"
# -I: no DNS record for the name, yet the server was reached (the name
# is then not covered); no -p with --starttls: its own port, 25.
assert_svc cert_address CRITICAL "^CERT CRITICAL - nxdomain\.test:4401: certificate does not cover nxdomain\.test"
assert_svc cert_starttls_port CRITICAL "^CERT CRITICAL - good\.test: 127\.0\.0\.1:25: connection refused"
assert_svc cert_warning WARNING "^CERT WARNING - exp15\.test:4406: " "days_left=1[45](\.[0-9]+)?;@10:20;7:( |$)"
assert_svc cert_batch CRITICAL "^CERT CRITICAL - 3 targets: 1 critical, 1 warning, 0 unknown, 1 ok" \
	"^'expired\.test:4403 days_left'=-(9|10)(\.[0-9]+)?;27:;9: .*'exp15\.test:4406 days_left'=.*'good\.test:4401 days_left'="
assert_svc caa_ok OK "^CAA OK - caa-ok\.test: " "records=1;;;0 dns_time=${D}s;;;0"
assert_svc caa_critical CRITICAL "^CAA CRITICAL - 2 targets: 1 critical"
assert_svc http01_ok OK "^HTTP01 OK - web\.test: " "time=${D}s;;;0 redirects=0;;;0"
assert_svc http01_critical CRITICAL "^HTTP01 CRITICAL - web\.test: 127\.0\.0\.1: .*Connection refused"

kill -TERM "$ICINGA_PID" 2>/dev/null || :
