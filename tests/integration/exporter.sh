#!/usr/bin/env bash
# exporter.sh: certdiag-exporter against the lab's servers.  The config
# refused at start with FILE:LINE and exit 3 (unknown key, prober,
# option of another tool, bad value); the example config and the
# systemd unit of contrib/ as the exporter and systemd-analyze read
# them; /probe of cert, caa, http01, dns01 and tlsalpn01 modules giving
# the same status and problem codes as the tool's --format=prometheus
# for the same target, promtool-clean; the 400s; a connection kept
# alive; the cap on concurrent probes (2 slots, 10 probes, all
# answered); a stalling server bounded by the module's timeout and by
# Prometheus's scrape-timeout header; SIGHUP reload (a bad config keeps
# the old); SIGTERM with a probe in flight (answered, exit 0); and a
# real Prometheus scraping the exporter the blackbox way, the results
# read back through its HTTP API.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd nginx openssl curl jq promtool
EXPORTER="$top_builddir/tools/certdiag-exporter"
CAACHECK="$top_builddir/tools/caacheck"
DNS01CHECK="$top_builddir/tools/dns01check"
lab_need_built "$EXPORTER" "$CERTCHECK" "$CAACHECK" "$HTTP01CHECK" \
	"$DNS01CHECK" "$TLSALPN01CHECK" "$HOSTILE"

tap_plan 119

lab_pki
lab_http01_site
KA1="tok.thumb"
TXT=$(printf '%s' "$KA1" | openssl dgst -sha256 -binary | basenc --base64url | tr -d '=')
lab_dns_add "_acme-challenge.d01 TXT \"$TXT\"" "d01 A 127.0.0.1" \
	'caa-ok CAA 0 issue "letsencrypt.org"' \
	'caa-no CAA 0 issue "example.net"' "alpn A 127.0.0.1"
lab_dns_start
for c in good expired; do
	lab_tls_serve "$c"
done
lab_hostile_start stall
# A tls-alpn-01 challenge certificate for alpn.test, on port 5001.
KA="tok-Rq9xZ.thumb-4fEj2kT0"
lab_alpn_serve alpn.test "$KA" 5001
GOOD=$(lab_target good)
EXPIRED=$(lab_target expired)
STALL="127.0.0.1:$(lab_port stall)"
PORT=9793
URL="http://127.0.0.1:$PORT"

# --- the config refused at start ----------------------------------------------
CFG="$LAB/exporter.yml"
cat >"$CFG" <<EOF
# The lab's modules.
modules:
  cert:
    prober: cert
    timeout: 5
    dns_server: 127.0.0.1:53
    cafile: $LAB_PKI/root.pem
  caa:
    prober: caa
    dns-server: 127.0.0.1:53
  http01:
    prober: http01
    timeout: 5
    dns_server: 127.0.0.1:53
    allow_reserved: true
  dns01:
    prober: dns01
    timeout: 5
    dns_server: 127.0.0.1:53
    key_authorization: $KA1
  slow:
    prober: cert
    timeout: 2
    crl: false
    cafile: $LAB_PKI/root.pem
  slow5:
    prober: cert
    timeout: 5
    cafile: $LAB_PKI/root.pem
  tlsalpn01:
    prober: tlsalpn01
    timeout: 5
    dns_server: 127.0.0.1:53
    allow_reserved: true
    port: 5001
    key_authorization: $KA
EOF

# bad NAME LINE REASON: $LAB/NAME.yml (the good config with YAML from
# stdin appended) must stop the exporter with "FILE:LINE: ...REASON..."
# and exit 3.
bad() {
	local f="$LAB/$1.yml"
	{ cat "$CFG"; cat; } >"$f"
	assert_exit 3 "$1: exit 3" "$EXPORTER" --config="$f" --listen=127.0.0.1:9799
	assert_true "$1: '$f:$2: ...$3...' on stderr" \
		grep -qF -- "$f:$2: " "$LAB_ERR"
	assert_true "$1: the reason" grep -qF -- "$3" "$LAB_ERR"
}
bad unknown_key 39 "unknown key 'cafiles'" <<'EOF'
  typo:
    prober: cert
    cafiles: /nonexistent
EOF
bad unknown_prober 38 "unknown prober 'tcp'" <<'EOF'
  typo:
    prober: tcp
EOF
bad other_tool 39 "'cafile' is not an option of caacheck" <<EOF
  typo:
    prober: caa
    cafile: $LAB_PKI/root.pem
EOF
bad bad_value 39 "--timeout 'soon': want a number" <<'EOF'
  typo:
    prober: cert
    timeout: soon
EOF
bad bad_flag 39 "'crl' is a flag: write true or false" <<'EOF'
  typo:
    prober: cert
    crl: yes
EOF
bad bad_top 39 "unknown key 'scrape'" <<'EOF'
  ok:
    prober: cert
scrape: 1
EOF
assert_exit 0 "--check-config: the good config is good" \
	"$EXPORTER" --config="$CFG" --check-config
assert_true "--check-config: names the modules" \
	grep -qF "(7 modules: cert caa http01 dns01 slow slow5 tlsalpn01)" "$LAB_ERR"

assert_exit 3 "a bad --listen: exit 3" "$EXPORTER" --config="$CFG" --listen=9793
assert_true "a bad --listen: said so" grep -qF -- "--listen '9793': want ADDR:PORT" "$LAB_ERR"
assert_exit 0 "the example config of contrib/ is good" \
	"$EXPORTER" --config="$top_srcdir/contrib/certdiag-exporter.yml" --check-config
# The systemd unit, the build's paths filled in, as systemd reads it.
if command -v systemd-analyze >/dev/null; then
	mkdir -p "$LAB/unit"
	sed -e "s|@bindir@|$top_builddir/tools|g" -e "s|@sysconfdir@|$top_srcdir/contrib|g" \
		"$top_srcdir/contrib/systemd/certdiag-exporter.service.in" \
		>"$LAB/unit/certdiag-exporter.service"
	assert_exit 0 "systemd-analyze verify: the unit is good" \
		systemd-analyze verify --man=no "$LAB/unit/certdiag-exporter.service"
	lab_run systemd-analyze security --offline=yes "$LAB/unit/certdiag-exporter.service"
	assert_true "systemd-analyze security: exposure at most 2.0 ($(grep -o 'level for [^:]*: [0-9.]*' "$LAB_OUT"))" \
		awk '/Overall exposure level/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+$/) e = $i }
			END { exit !(e != "" && e <= 2.0) }' "$LAB_OUT"
else
	tap_skip "systemd-analyze verify" "systemd-analyze not installed"
	tap_skip "systemd-analyze security" "systemd-analyze not installed"
fi

# --- the exporter --------------------------------------------------------------
EXP_PID=
start_exporter() {
	"$EXPORTER" --config="$CFG" --listen="127.0.0.1:$PORT" \
		--max-concurrent=2 >>"$LAB/log/exporter.log" 2>&1 </dev/null &
	EXP_PID=$!
	lab_track "$EXP_PID"
	_lab_wait_port "$PORT" "$EXP_PID" "$LAB/log/exporter.log"
}
start_exporter

# get URL-PATH [CURL-ARGS...]: fetch it into $LAB_OUT, the status code
# in $LAB_ERR's last line.
get() {
	local path=$1
	shift
	assert_exit 0 "GET $path" curl -sS --max-time 20 -o /dev/stdout \
		-w '%{stderr}%{http_code}\n' "$@" "$URL$path"
}

# idle: wait (at most 10 s) until no check runs, those of probes
# answered at their deadline included (they keep their slot).
idle() {
	local i
	for i in $(seq 100); do
		curl -sS --max-time 2 "$URL/metrics" |
			grep -qx "certdiag_exporter_probes_in_flight 0" && return 0
		sleep 0.1
	done
}

# status_and_codes FILE: certdiag_status and the problems (code and
# severity) of FILE, the labels that name the target left out.
status_and_codes() {
	sed -n 's/^certdiag_status{[^}]*} /status /p;
		s/^certdiag_problem{.*\(code="[^"]*",severity="[^"]*"\).*} \(.*\)/\1 \2/p' "$1" | sort
}

# same_as_cli MODULE TARGET TOOL ARGS...: /probe?module=MODULE&target=
# TARGET answers 200, promtool-clean, with the status and problem codes
# of TOOL ARGS --format=prometheus TARGET.
same_as_cli() {
	local module=$1 target=$2 cli
	shift 2
	get "/probe?module=$module&target=$target" \
		-H 'X-Prometheus-Scrape-Timeout-Seconds: 10'
	cp "$LAB_OUT" "$LAB/probe-$module-$target.prom"
	assert_true "$module $target: HTTP 200, the exposition's content type" eval \
		'[ "$(tail -n 1 "$LAB_ERR")" = 200 ]'
	assert_true "$module $target: promtool check metrics is silent" eval \
		'out=$(promtool check metrics <"$LAB_OUT" 2>&1) && [ -z "$out" ]'
	cli="$LAB/cli-$module-$target.prom"
	"$@" --format=prometheus "$target" >"$cli" 2>/dev/null || :
	if [ "$(status_and_codes "$LAB/probe-$module-$target.prom")" = "$(status_and_codes "$cli")" ] &&
		[ -n "$(status_and_codes "$cli")" ]; then
		ok "$module $target: the CLI's status and problems ($(status_and_codes "$cli" | tr '\n' ' '))"
	else
		not_ok "$module $target: the CLI's status and problems"
		echo "# exporter: $(status_and_codes "$LAB/probe-$module-$target.prom" | tr '\n' ' ')"
		echo "# cli:      $(status_and_codes "$cli" | tr '\n' ' ')"
	fi
}

same_as_cli cert "$GOOD" "$CERTCHECK" "$DNS" "--cafile=$LAB_PKI/root.pem" -t 5
assert_true "cert good: probe_success 1" \
	grep -qF "probe_success{target=\"$GOOD\",check=\"cert\"} 1" "$LAB_OUT"
same_as_cli cert "$EXPIRED" "$CERTCHECK" "$DNS" "--cafile=$LAB_PKI/root.pem" -t 5
assert_true "cert expired: probe_success 0, cert_expired" eval \
	'grep -qF "probe_success{target=\"$EXPIRED\",check=\"cert\"} 0" "$LAB_OUT" &&
	 grep -qF "code=\"cert_expired\"" "$LAB_OUT"'
same_as_cli caa caa-ok.test "$CAACHECK" "$DNS"
same_as_cli caa caa-no.test "$CAACHECK" "$DNS"
assert_true "caa-no: caa_forbids_issuer" grep -qF 'code="caa_forbids_issuer"' "$LAB_OUT"
same_as_cli http01 web.test "$HTTP01CHECK" "$DNS" --allow-reserved -t 5
same_as_cli http01 nope.test "$HTTP01CHECK" "$DNS" --allow-reserved -t 5
same_as_cli dns01 d01.test "$DNS01CHECK" "$DNS" -t 5 --key-authorization="$KA1"
same_as_cli dns01 web.test "$DNS01CHECK" "$DNS" -t 5 --key-authorization="$KA1"
assert_true "dns01 web.test: dns01_no_txt" grep -qF 'code="dns01_no_txt"' "$LAB_OUT"
same_as_cli tlsalpn01 alpn.test "$TLSALPN01CHECK" "$DNS" --allow-reserved -t 5 \
	--port=5001 --key-authorization="$KA"
assert_true "tlsalpn01 alpn.test: probe_success 1" \
	grep -qF 'probe_success{target="alpn.test",check="tlsalpn01"} 1' "$LAB_OUT"

# --- bad requests ---------------------------------------------------------------
get "/probe?module=nope&target=x"
assert_true "unknown module: 400, one line naming it" eval \
	'[ "$(tail -n 1 "$LAB_ERR")" = 400 ] && [ "$(cat "$LAB_OUT")" = "Unknown module \"nope\"" ]'
get "/probe?module=cert"
assert_true "no target: 400, one line" eval \
	'[ "$(tail -n 1 "$LAB_ERR")" = 400 ] && [ "$(cat "$LAB_OUT")" = "Target parameter is missing" ]'
get "/probe?target=$GOOD"
assert_true "no module: 400" eval '[ "$(tail -n 1 "$LAB_ERR")" = 400 ]'
get "/probe?module=cert&target=$GOOD" -H 'X-Prometheus-Scrape-Timeout-Seconds: soon'
assert_true "a scrape timeout that is no number: 500, as blackbox" eval \
	'[ "$(tail -n 1 "$LAB_ERR")" = 500 ]'
get "/probe?module=cert&target=good.test%0a:4401"
assert_true "a target with a control character: 400" eval \
	'[ "$(tail -n 1 "$LAB_ERR")" = 400 ] && [ "$(cat "$LAB_OUT")" = "Target parameter is not UTF-8 text" ]'
assert_exit 0 "two requests on one connection" curl -sSv --max-time 5 -o /dev/null -o /dev/null \
	"$URL/metrics" "$URL/"
assert_true "the connection kept alive between them (as Prometheus keeps it)" \
	grep -q "Re-using existing connection" "$LAB_ERR"
get "/probe?module=cert&target=$GOOD" -X POST -d x=y
assert_true "POST: 405" eval '[ "$(tail -n 1 "$LAB_ERR")" = 405 ]'
get "/nowhere"
assert_true "another path: 404" eval '[ "$(tail -n 1 "$LAB_ERR")" = 404 ]'
get "/"
assert_true "/ lists the modules" eval \
	'grep -qF "<td>dns01</td>" "$LAB_OUT" && grep -qF "<td>slow5</td>" "$LAB_OUT"'

# --- deadlines ---------------------------------------------------------------------
get "/probe?module=slow&target=$STALL"
assert_true "stalling server: probe_success 0" \
	grep -qF "probe_success{target=\"$STALL\",check=\"cert\"} 0" "$LAB_OUT"
assert_true "stalling server: probe_timeout_seconds the module's 2" \
	grep -qF "probe_timeout_seconds{target=\"$STALL\",check=\"cert\"} 2" "$LAB_OUT"
assert_true "stalling server: answered within the module's 2 s (${LAB_ELAPSED}s)" \
	awk -v e="$LAB_ELAPSED" 'BEGIN { exit !(e >= 1.5 && e <= 3) }'
"$CERTCHECK" "--cafile=$LAB_PKI/root.pem" -t 2 --format=prometheus "$STALL" >"$LAB/cli-stall.prom" 2>/dev/null || :
assert_true "stalling server: the CLI's status and problems ($(status_and_codes "$LAB/cli-stall.prom" | tr '\n' ' '))" eval \
	'[ "$(status_and_codes "$LAB_OUT")" = "$(status_and_codes "$LAB/cli-stall.prom")" ]'
get "/probe?module=slow5&target=$STALL" -H 'X-Prometheus-Scrape-Timeout-Seconds: 1.5'
assert_true "scrape timeout 1.5 s: answered at 1 s (the header less 0.5), not the module's 5 (${LAB_ELAPSED}s)" \
	awk -v e="$LAB_ELAPSED" 'BEGIN { exit !(e >= 0.8 && e <= 2) }'
assert_true "scrape timeout 1.5 s: probe_success 0, probe_timeout_seconds 1, problem timeout" eval \
	'grep -qF "probe_success{target=\"$STALL\",check=\"cert\"} 0" "$LAB_OUT" &&
	 grep -qF "probe_timeout_seconds{target=\"$STALL\",check=\"cert\"} 1" "$LAB_OUT" &&
	 grep -qF "code=\"timeout\",severity=\"critical\"" "$LAB_OUT"'
assert_true "scrape timeout: promtool check metrics is silent" eval \
	'out=$(promtool check metrics <"$LAB_OUT" 2>&1) && [ -z "$out" ]'

# --- the cap: 2 slots --------------------------------------------------------------
idle
# Ten fast probes at once: each waits its turn and all succeed.
# (wait for the curls by PID: the lab's servers are children too.)
pids=()
for i in $(seq 10); do
	curl -sS --max-time 20 "$URL/probe?module=cert&target=$GOOD" >"$LAB/par-$i.prom" 2>&1 &
	pids+=($!)
done
wait "${pids[@]}" || :
assert_true "2 slots, 10 fast probes at once: all answered probe_success 1" eval \
	'[ "$(cat "$LAB"/par-*.prom | grep -c "^probe_success{.*} 1$")" = 10 ]'
# Ten stalling probes with a 2 s scrape timeout (1.5 s deadline, the
# module's 2 s): two check, eight wait for a slot; every one is answered
# by its deadline.
idle
t0=$(date +%s.%N)
pids=()
for i in $(seq 10); do
	curl -sS --max-time 20 -H 'X-Prometheus-Scrape-Timeout-Seconds: 2' \
		"$URL/probe?module=slow&target=$STALL" >"$LAB/stall-$i.prom" 2>&1 &
	pids+=($!)
done
# Until all ten are in (a busy machine may take a moment to start them).
for i in $(seq 12); do
	sleep 0.1
	curl -sS --max-time 1 "$URL/metrics" >"$LAB/metrics-busy.prom" 2>&1 || :
	grep -qx "certdiag_exporter_probes_waiting 8" "$LAB/metrics-busy.prom" && break
done
wait "${pids[@]}" || :
t1=$(date +%s.%N)
assert_true "while stalled: 2 checks in flight, 8 waiting" eval \
	'grep -qx "certdiag_exporter_probes_in_flight 2" "$LAB/metrics-busy.prom" &&
	 grep -qx "certdiag_exporter_probes_waiting 8" "$LAB/metrics-busy.prom"'
assert_true "10 stalling probes: all answered probe_success 0" eval \
	'[ "$(cat "$LAB"/stall-*.prom | grep -c "^probe_success{.*} 0$")" = 10 ]'
assert_true "10 stalling probes: all within their 1.5 s deadline (+1 s)" \
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a <= 2.5) }'

get /metrics
cp "$LAB_OUT" "$LAB/metrics.prom"
assert_true "/metrics: promtool check metrics is silent" eval \
	'out=$(promtool check metrics <"$LAB_OUT" 2>&1) && [ -z "$out" ]'
assert_true "/metrics: probes by module and result" eval \
	'grep -qx "certdiag_exporter_probes_total{module=\"cert\",result=\"success\"} 11" "$LAB_OUT" &&
	 grep -qx "certdiag_exporter_probes_total{module=\"cert\",result=\"failure\"} 1" "$LAB_OUT"'
assert_true "/metrics: deadlines met: 8 waiting, 2 checking (slow), 1 checking (slow5)" eval \
	'grep -qx "certdiag_exporter_probe_deadline_exceeded_total{module=\"slow\",stage=\"waiting\"} 8" "$LAB_OUT" &&
	 grep -qx "certdiag_exporter_probe_deadline_exceeded_total{module=\"slow\",stage=\"checking\"} 2" "$LAB_OUT" &&
	 grep -qx "certdiag_exporter_probe_deadline_exceeded_total{module=\"slow5\",stage=\"checking\"} 1" "$LAB_OUT"'
assert_true "/metrics: the duration histogram counts every cert probe" \
	grep -qx 'certdiag_exporter_probe_duration_seconds_count{module="cert"} 12' "$LAB_OUT"
assert_true "/metrics: build info, module info, unknown modules, the cap" eval \
	'grep -q "^certdiag_exporter_build_info{version=\"" "$LAB_OUT" &&
	 grep -qx "certdiag_exporter_module_info{module=\"dns01\",prober=\"dns01\"} 1" "$LAB_OUT" &&
	 grep -qx "certdiag_exporter_module_unknown_total 1" "$LAB_OUT" &&
	 grep -qx "certdiag_exporter_max_concurrent_probes 2" "$LAB_OUT"'

# --- SIGHUP ---------------------------------------------------------------------
cp "$CFG" "$LAB/exporter.yml.orig"
cat >>"$CFG" <<'EOF'
  caa2:
    prober: caa
    dns_server: 127.0.0.1:53
EOF
kill -HUP "$EXP_PID"
sleep 0.5
get "/probe?module=caa2&target=caa-no.test"
assert_true "SIGHUP: the new module caa2 probes" eval \
	'[ "$(tail -n 1 "$LAB_ERR")" = 200 ] && grep -qF "code=\"caa_forbids_issuer\"" "$LAB_OUT"'
printf '  broken:\n    prober: cert\n    nope: 1\n' >>"$CFG"
kill -HUP "$EXP_PID"
sleep 0.5
get "/probe?module=caa2&target=caa-ok.test"
assert_true "SIGHUP with a bad config: refused, the old one kept" eval \
	'[ "$(tail -n 1 "$LAB_ERR")" = 200 ] &&
	 grep -qF "exporter.yml:42: unknown key '\''nope'\''" "$LAB/log/exporter.log"'
get /metrics
assert_true "SIGHUP with a bad config: config_last_reload_successful 0" \
	grep -qx "certdiag_exporter_config_last_reload_successful 0" "$LAB_OUT"
cp "$LAB/exporter.yml.orig" "$CFG"

# --- SIGTERM with a probe in flight ---------------------------------------------
curl -sS --max-time 20 "$URL/probe?module=slow&target=$STALL" >"$LAB/inflight.prom" 2>&1 &
CURL_PID=$!
sleep 0.5
kill -TERM "$EXP_PID"
sleep 0.3
lab_run curl -sS --max-time 2 "$URL/metrics"
assert_true "SIGTERM: no new connection accepted" test "$LAB_RC" != 0
rc=0
wait "$CURL_PID" || rc=$?
assert_true "SIGTERM: the probe in flight answered in full" eval \
	'[ "$rc" = 0 ] && grep -qF "probe_timeout_seconds{target=\"$STALL\",check=\"cert\"} 2" "$LAB/inflight.prom"'
rc=0
wait "$EXP_PID" || rc=$?
assert_true "SIGTERM: the exporter exits 0 (got $rc)" test "$rc" = 0
assert_true "SIGTERM: it said it stopped" grep -qx "certdiag-exporter: stopped" "$LAB/log/exporter.log"

# --- a real Prometheus ------------------------------------------------------------
if ! command -v prometheus >/dev/null; then
	for i in 1 2 3 4 5 6; do tap_skip "Prometheus ($i)" "prometheus not installed"; done
	exit 0
fi
start_exporter
cat >"$LAB/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: certdiag_cert
    metrics_path: /probe
    params:
      module: [cert]
    static_configs:
      - targets: ["$GOOD", "$EXPIRED"]
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: 127.0.0.1:$PORT
  - job_name: certdiag_caa
    metrics_path: /probe
    params:
      module: [caa]
    static_configs:
      - targets: [caa-ok.test, caa-no.test]
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: 127.0.0.1:$PORT
  - job_name: certdiag_exporter
    static_configs:
      - targets: ["127.0.0.1:$PORT"]
EOF
assert_exit 0 "promtool check config: the blackbox-style scrape config" \
	promtool check config "$LAB/prometheus.yml"
prometheus --config.file="$LAB/prometheus.yml" --storage.tsdb.path="$LAB/prom" \
	--web.listen-address=127.0.0.1:9090 >"$LAB/log/prometheus.log" 2>&1 </dev/null &
lab_track $!
_lab_wait_port 9090 $! "$LAB/log/prometheus.log"

# query PROMQL: the API's answer as "instance=value" lines, sorted.
query() {
	curl -sS --max-time 5 --data-urlencode "query=$1" \
		http://127.0.0.1:9090/api/v1/query |
		jq -r '.data.result[] | "\(.metric.instance)=\(.value[1])"' | sort
}
# until_n N PROMQL: wait (at most 20 s) until the query has N series.
until_n() {
	local i
	for i in $(seq 100); do
		[ "$(query "$2" | grep -c .)" -ge "$1" ] && return 0
		sleep 0.2
	done
	return 1
}
until_n 4 'probe_success' || :
until_n 1 'certdiag_exporter_probes_total{module="caa",result="success"} > 0' || :
assert_true "Prometheus: probe_success of the cert module, per target" eval \
	'[ "$(query "probe_success{job=\"certdiag_cert\"}")" = "$(printf "%s\n" "$EXPIRED=0" "$GOOD=1" | sort)" ]'
assert_true "Prometheus: cert_expired for the expired target" eval \
	'[ "$(query "certdiag_problem{job=\"certdiag_cert\",code=\"cert_expired\"}")" = "$EXPIRED=1" ]'
assert_true "Prometheus: the CAA verdicts" eval \
	'[ "$(query "certdiag_caa_verdict{job=\"certdiag_caa\"}" | tr "\n" " ")" = "caa-no.test=1 caa-ok.test=1 " ] &&
	 [ "$(query "certdiag_caa_verdict{job=\"certdiag_caa\",verdict=\"refused\"}")" = "caa-no.test=1" ]'
assert_true "Prometheus: probe_timeout_seconds is its scrape timeout less 0.5" eval \
	'[ "$(query "probe_timeout_seconds{instance=\"$GOOD\"}")" = "$GOOD=0.5" ]'
assert_true "Prometheus: the exporter's own metrics scraped" eval \
	'[ "$(query "up{job=\"certdiag_exporter\"}")" = "127.0.0.1:$PORT=1" ] &&
	 [ -n "$(query "certdiag_exporter_probes_total{module=\"caa\",result=\"success\"} > 0")" ]'
