#!/usr/bin/env bash
# nagios_engine.sh: a real Nagios 4 runs check_cert, check_caa and
# check_http01 against the lab, and records what it concluded.
#
# Nagios starts from a configuration generated in $LAB/nagios (no
# /etc/nagios4, no CGI, no web server), schedules every service at once
# (interval_length=1, no inter-check delay), and writes status.dat.  The
# test then reads status.dat as Nagios wrote it: current_state,
# plugin_output, long_plugin_output and performance_data of an OK, a
# WARNING and a CRITICAL service per plugin.  This is the path users
# run: the engine runs the plugin, splits its output, keeps the state.
# jq filters and eval'd checks are single-quoted on purpose.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
NAGIOS=${NAGIOS:-/usr/sbin/nagios4}
lab_require knotd kdig gnutls-serv nginx "$NAGIOS"
lab_need_built "$CERTCHECK" "$HTTP01CHECK" "$top_builddir/tools/caacheck"

tap_plan 49

lab_pki
lab_http01_site
lab_dns_add 'caa-ok CAA 0 issue "letsencrypt.org"' \
	'caa-warn CAA 0 issue "letsencrypt.org"' \
	'caa-warn CAA 0 issue "LetsEncrypt.org"' \
	'caa-deny CAA 0 issue "ca.example"'
lab_dns_start
for c in good exp15 expired; do
	lab_tls_serve "$c"
done
lab_nagios_link check_cert certcheck
lab_nagios_link check_caa caacheck
lab_nagios_link check_http01 http01check

# --- The Nagios configuration -----------------------------------------
N="$LAB/nagios"
mkdir -p "$N/checkresults"
# Nagios drops privileges to nagios_user; in the lab that is whoever
# runs the test (root of the user namespace, or real root in CI), so
# no nagios account is needed.
cat >"$N/nagios.cfg" <<EOF
log_file=$N/nagios.log
cfg_file=$N/objects.cfg
object_cache_file=$N/objects.cache
precached_object_file=$N/objects.precache
resource_file=$N/resource.cfg
status_file=$N/status.dat
status_update_interval=1
nagios_user=$(id -u)
nagios_group=$(id -g)
check_external_commands=1
command_file=$N/nagios.cmd
query_socket=$N/nagios.qh
lock_file=$N/nagios.lock
temp_file=$N/nagios.tmp
temp_path=$N
check_result_path=$N/checkresults
check_result_reaper_frequency=1
retain_state_information=0
state_retention_file=$N/retention.dat
use_syslog=0
log_rotation_method=n
enable_notifications=0
enable_event_handlers=0
enable_flap_detection=0
check_service_freshness=0
check_host_freshness=0
execute_host_checks=0
interval_length=1
service_inter_check_delay_method=n
max_service_check_spread=1
service_interleave_factor=1
max_concurrent_checks=0
service_check_timeout=30
service_check_timeout_state=u
illegal_macro_output_chars=\`~\$&|'"<>
enable_environment_macros=0
EOF
# \$USER1\$: the plugins (links named check_*, so nagios is their
# default format) and the library they were built against.
cat >"$N/resource.cfg" <<EOF
\$USER1\$=$LAB/bin
\$USER2\$=$top_builddir/lib/.libs
\$USER3\$=$DNS
EOF

# service NAME COMMAND-LINE: one service on host "lab", checked every 600
# intervals (once: the test reads the first result).
service() {
	cat <<EOF
define command {
	command_name	cmd_$1
	command_line	/usr/bin/env LD_LIBRARY_PATH=\$USER2\$ $2
}
define service {
	host_name		lab
	service_description	$1
	check_command		cmd_$1
	max_check_attempts	1
	check_interval		600
	retry_interval		600
	check_period		always
	notification_period	always
	notification_interval	0
	notifications_enabled	0
	contacts		nobody
}
EOF
}
# hp_service NAME HOST ARG1: a service of HOST checked by check_cert_hp.
hp_service() {
	cat <<EOF
define service {
	host_name		$2
	service_description	$1
	check_command		check_cert_hp!$3
	max_check_attempts	1
	check_interval		600
	retry_interval		600
	check_period		always
	notification_period	always
	notification_interval	0
	notifications_enabled	0
	contacts		nobody
}
EOF
}
CERT="\$USER1\$/check_cert \$USER3\$ --cafile=$LAB_PKI/root.pem"
CAA="\$USER1\$/check_caa \$USER3\$"
H01="\$USER1\$/check_http01 \$USER3\$ --allow-reserved -t 5"
{
	cat <<EOF
define timeperiod {
	timeperiod_name	always
	alias		always
	sunday		00:00-24:00
	monday		00:00-24:00
	tuesday		00:00-24:00
	wednesday	00:00-24:00
	thursday	00:00-24:00
	friday		00:00-24:00
	saturday	00:00-24:00
}
define contact {
	contact_name			nobody
	host_notifications_enabled	0
	service_notifications_enabled	0
	host_notification_period	always
	service_notification_period	always
	host_notification_options	n
	service_notification_options	n
	host_notification_commands	cmd_none
	service_notification_commands	cmd_none
}
define command {
	command_name	cmd_none
	command_line	/bin/true
}
define host {
	host_name		lab
	address			127.0.0.1
	max_check_attempts	1
	check_period		always
	notification_period	always
	notification_interval	0
	notifications_enabled	0
	active_checks_enabled	0
	contacts		nobody
}
EOF
	service cert_ok "$CERT -w 21 -c 7 $(lab_target good)"
	service cert_warning "$CERT -w 21 -c 7 $(lab_target exp15)"
	service cert_critical "$CERT -w 21 -c 7 $(lab_target expired)"
	service cert_batch "$CERT -j 3 $(lab_target good) $(lab_target exp15) $(lab_target expired)"
	service caa_ok "$CAA caa-ok.test"
	service caa_warning "$CAA caa-warn.test"
	service caa_critical "$CAA caa-deny.test"
	service http01_ok "$H01 web.test"
	service http01_warning "$H01 --token=status500 web.test"
	service http01_critical "$H01 --http-port=$LAB_PORT_CLOSED web.test"
	# A plain Monitoring Plugins command definition: the host's address
	# as -H, the port as the service's argument.
	cat <<EOF
define command {
	command_name	check_cert_hp
	command_line	/usr/bin/env LD_LIBRARY_PATH=\$USER2\$ \$USER1\$/check_cert -H \$HOSTADDRESS\$ -p \$ARG1\$ \$USER3\$ --cafile=$LAB_PKI/root.pem
}
EOF
	for h in good expired; do
		cat <<EOF
define host {
	host_name		$h.test
	address			$h.test
	max_check_attempts	1
	check_period		always
	notification_period	always
	notification_interval	0
	notifications_enabled	0
	active_checks_enabled	0
	contacts		nobody
}
EOF
	done
	hp_service cert_hp_ok good.test "$(lab_port good)"
	hp_service cert_hp_critical expired.test "$(lab_port expired)"
	hp_service cert_hp_badport good.test 99999
} >"$N/objects.cfg"

# --- Run Nagios ----------------------------------------------------------
if "$NAGIOS" -v "$N/nagios.cfg" >"$LAB/log/nagios-verify.log" 2>&1; then
	ok "nagios4 -v accepts the generated configuration"
else
	not_ok "nagios4 -v accepts the generated configuration"
	sed 's/^/# /' "$LAB/log/nagios-verify.log"
fi
"$NAGIOS" "$N/nagios.cfg" >"$LAB/log/nagios.out" 2>&1 </dev/null &
lab_track $!
NAGIOS_PID=$!

SERVICES="cert_ok cert_warning cert_critical cert_batch caa_ok caa_warning
	caa_critical http01_ok http01_warning http01_critical cert_hp_ok
	cert_hp_critical cert_hp_badport"
NSERVICES=$(wc -w <<<"$SERVICES")

# The servicestatus blocks of status.dat as "service<TAB>key<TAB>value".
svc_fields() {
	awk -F= '
		/^servicestatus \{/ { in_s = 1; svc = ""; next }
		/^\t\}/ { in_s = 0; next }
		in_s {
			sub(/^\t/, "")
			k = $1; v = substr($0, length(k) + 2)
			if (k == "service_description") svc = v
			else f[NR] = k "\t" v
			if (k == "service_description")
				for (i in f) { print svc "\t" f[i]; delete f[i] }
			else if (svc != "") { print svc "\t" f[NR]; delete f[NR] }
		}' "$N/status.dat" 2>/dev/null
}
# field SERVICE KEY: the value Nagios recorded.
field() {
	svc_fields | awk -F'\t' -v s="$1" -v k="$2" \
		'$1 == s && $2 == k { print substr($0, length(s) + length(k) + 3); exit }'
}

# Wait (bounded) until every service has been checked once.
deadline=$(($(date +%s) + 60))
checked=0
while [ "$(date +%s)" -lt "$deadline" ]; do
	checked=$(svc_fields | awk -F'\t' '$2 == "has_been_checked" && $3 == 1' | wc -l)
	[ "$checked" -ge "$NSERVICES" ] && break
	kill -0 "$NAGIOS_PID" 2>/dev/null || break
	sleep 0.5
done
if [ "$checked" -ge "$NSERVICES" ]; then
	ok "Nagios checked all $NSERVICES services ($(($(date +%s) + 60 - deadline))s)"
else
	not_ok "Nagios checked all $NSERVICES services (only $checked)"
	sed 's/^/# /' "$LAB/log/nagios.out" "$N/nagios.log" | tail -n 40
fi

# What Nagios recorded, in the log, for whoever reads it.
for s in $SERVICES; do
	echo "# $s: current_state=$(field "$s" current_state)"
	echo "#   plugin_output=$(field "$s" plugin_output)"
	echo "#   long_plugin_output=$(field "$s" long_plugin_output)"
	echo "#   performance_data=$(field "$s" performance_data)"
done

# assert_svc SERVICE STATE OUTPUT-ERE [PERFDATA-ERE [LONG-ERE]]
assert_svc() {
	local s=$1 want=$2 out=$3 perf=${4:-} long=${5:-} got
	got=$(field "$s" current_state)
	if [ "$got" = "$want" ]; then
		ok "$s: Nagios recorded state $want"
	else
		not_ok "$s: Nagios recorded state $want (got '$got')"
		echo "# plugin_output: $(field "$s" plugin_output)"
	fi
	got=$(field "$s" plugin_output)
	if grep -Eq -- "$out" <<<"$got"; then
		ok "$s: plugin_output /$out/"
	else
		not_ok "$s: plugin_output /$out/"
		echo "# got: $got"
	fi
	if [ -n "$perf" ]; then
		got=$(field "$s" performance_data)
		if grep -Eq -- "$perf" <<<"$got"; then
			ok "$s: performance_data /$perf/"
		else
			not_ok "$s: performance_data /$perf/"
			echo "# got: $got"
		fi
	fi
	if [ -n "$long" ]; then
		got=$(field "$s" long_plugin_output)
		if grep -Eq -- "$long" <<<"$got"; then
			ok "$s: long_plugin_output /$long/"
		else
			not_ok "$s: long_plugin_output /$long/"
			echo "# got: $got"
		fi
	fi
}

# Nagios state numbers: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
D='[0-9]+(\.[0-9]+)?'
assert_svc cert_ok 0 "^CERT OK - good\.test:4401: " \
	"^days_left=${D};21:;7: chain_days_left=${D};21:;7: handshake_time=${D}s;;;0$"
assert_svc cert_warning 1 "^CERT WARNING - exp15\.test:4406: .*1[45](\.[0-9]+)? days" \
	"^days_left=1[45](\.[0-9]+)?;21:;7: chain_days_left=${D};21:;7: handshake_time=${D}s;;;0$" \
	'^WARNING: cert_expiring: '
assert_svc cert_critical 2 "^CERT CRITICAL - expired\.test:4403: .*expired" \
	"^days_left=-(9|10)(\.[0-9]+)?;21:;7: " '^CRITICAL: cert_expired: '
assert_svc cert_batch 2 "^CERT CRITICAL - 3 targets: 1 critical, 1 warning, 0 unknown, 1 ok$" \
	"^'good\.test:4401 days_left'=${D};[0-9.]+:;[0-9.]+: .*'expired\.test:4403 days_left'=" \
	'OK - good\.test:4401: .*WARNING - exp15\.test:4406: .*CRITICAL - expired\.test:4403: '
assert_svc caa_ok 0 "^CAA OK - caa-ok\.test: " "^records=1;;;0 dns_time=${D}s;;;0$"
assert_svc caa_warning 1 "^CAA WARNING - caa-warn\.test: " "^records=2;;;0 dns_time=${D}s;;;0$" \
	'WARNING: caa_malformed_record: .*LetsEncrypt\.org'
assert_svc caa_critical 2 "^CAA CRITICAL - caa-deny\.test: .*CAA record for caa-deny\.test prevents issuance" \
	"^records=1;;;0 dns_time=${D}s;;;0$" 'CRITICAL: caa_forbids_issuer: '
assert_svc http01_ok 0 "^HTTP01 OK - web\.test: " "^time=${D}s;;;0 redirects=0;;;0$"
assert_svc http01_warning 1 "^HTTP01 WARNING - web\.test: .*: 500" \
	"^time=${D}s;;;0 redirects=0;;;0$" 'WARNING: http01_unexpected_status: '
assert_svc http01_critical 2 "^HTTP01 CRITICAL - web\.test: .*Connection refused" \
	"^time=${D}s;;;0" 'CRITICAL: http01_connection_refused: '

# check_cert -H $HOSTADDRESS$ -p $ARG1$, as Monitoring Plugins users
# write it; a bad port is UNKNOWN with the reason in plugin_output, not
# "(No output on stdout)".
assert_svc cert_hp_ok 0 "^CERT OK - good\.test:4401: " \
	"^days_left=${D};[0-9.]+:;[0-9.]+: chain_days_left="
assert_svc cert_hp_critical 2 "^CERT CRITICAL - expired\.test:4403: .*expired" \
	"^days_left=-(9|10)(\.[0-9]+)?;[0-9.]+:;[0-9.]+: "
assert_svc cert_hp_badport 3 "^CERT UNKNOWN - -p '99999': want 1\.\.65535$"

# A forced check through the external command file, as an operator's
# "re-check now" does: the result must arrive with a newer timestamp.
before=$(field cert_ok last_check)
sleep 1 # last_check has a resolution of a second
printf '[%s] SCHEDULE_FORCED_SVC_CHECK;lab;cert_ok;%s\n' "$(date +%s)" "$(date +%s)" \
	>"$N/nagios.cmd"
deadline=$(($(date +%s) + 20))
while [ "$(date +%s)" -lt "$deadline" ] && [ "$(field cert_ok last_check)" = "$before" ]; do
	sleep 0.5
done
assert_true "SCHEDULE_FORCED_SVC_CHECK: cert_ok checked again" \
	eval '[ "$(field cert_ok last_check)" -gt "$before" ]'
assert_true "after the forced check: still OK with perfdata" \
	eval '[ "$(field cert_ok current_state)" = 0 ] && field cert_ok performance_data | grep -q "^days_left="'

kill -TERM "$NAGIOS_PID" 2>/dev/null || :
