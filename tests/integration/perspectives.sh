#!/usr/bin/env bash
# perspectives.sh: the ACME CA's multi-perspective quorum, as the rules
# of contrib/prometheus/ apply it, in a real Prometheus.
#
# promtool first: the rules load (check rules), their unit tests pass
# (test rules) and the example configuration is valid (check config).
#
# Then a lab of perspectives.  Each perspective is a network namespace
# of its own (a child of the script's), joined to it by a veth pair, so
# its probes leave from its own source address (192.0.2.10 for the
# primary, .11 to .14 for four remotes), as the CA's do from its
# primary and remote data centres.  The script's namespace holds the
# sites, each on an address of its own in 198.51.100.0/24 (nginx on port
# 80, names from knotd through a dnsstub relay on 198.51.100.53):
#   open.test  answers every perspective
#   one.test   a firewall refuses r1 (nftables, TCP reset; nginx "deny"
#              when nftables cannot run here)
#   two.test   a geo-block (nginx "deny", 403) refuses r2 and r3
#   geo.test   a geo-block refuses r2 alone, the only remote outside
#              ARIN's region: 3 of 4 remotes pass, but all in one
#              regional Internet registry (the rir labels: r2 RIPE,
#              r1, r3 and r4 ARIN)
# and a second DNS relay (198.51.100.54) for the CAA probes of open.test,
# whose firewall refuses r1 (nftables only: without it there is no CAA
# part), as a nameserver that answers only some of the CA's resolvers.
# Documentation addresses (RFC 5737), reserved, hence --allow-reserved;
# nothing outside the namespaces can see them.
#
# Each perspective runs an exporter in its namespace, listening on its
# own address, port 9793, answering /probe?module=&target=; Prometheus
# (scrape and evaluation every second) scrapes them with the
# blackbox-style relabeling of contrib/prometheus/prometheus.yml and
# loads certdiag.rules.yml.  The exporter is certdiag-exporter.
# The script then reads the verdicts back through the HTTP API: one.test
# at risk, two.test and geo.test would fail, open.test's http-01 neither
# but its CAA at risk; the same from a
# second Prometheus that reads the same probes through node_exporter's
# textfile collector (one in each namespace), as
# contrib/prometheus/prometheus-textfile.yml has it; and, with two
# remote exporters stopped, too few perspectives.
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require promtool prometheus nginx knotd kdig curl nsenter
STUB="$top_builddir/tests/servers/dnsstub"
lab_need_built "$STUB"

tap_plan 48

CONTRIB="$top_srcdir/contrib/prometheus"
RULES="$CONTRIB/certdiag.rules.yml"

# ---------------------------------------------------------------------------
# promtool

assert_exit 0 "promtool check rules: the rules load" promtool check rules "$RULES"
assert_true "promtool check rules: 15 rules" grep -q 'SUCCESS: 15 rules found' "$LAB_OUT"
# promtool test rules reads rule_files relative to the test file.
assert_exit 0 "promtool test rules: the unit tests pass" \
	promtool test rules "$CONTRIB/certdiag.rules.test.yml"
assert_exit 0 "promtool check config: the example configuration is valid" \
	promtool check config "$CONTRIB/prometheus.yml"
assert_exit 0 "promtool check config: the textfile example is valid" \
	promtool check config "$CONTRIB/prometheus-textfile.yml"

# ---------------------------------------------------------------------------
# The sites

PERSPECTIVES="primary r1 r2 r3 r4"
declare -A PADDR=([primary]=192.0.2.10 [r1]=192.0.2.11 [r2]=192.0.2.12
	[r3]=192.0.2.13 [r4]=192.0.2.14)
declare -A PPID_OF=()
# The regional Internet registry of each perspective, as its scrape
# configuration labels it (the primary's does not count).
declare -A RIR=([primary]=RIPE [r1]=ARIN [r2]=RIPE [r3]=ARIN [r4]=ARIN)
SITES="open one two geo"
declare -A SADDR=([open]=198.51.100.80 [one]=198.51.100.81 [two]=198.51.100.82
	[geo]=198.51.100.83)
NS_DNS=198.51.100.53
NS_CAA=198.51.100.54
# The address this namespace answers the perspectives from.
HUB=198.51.100.1
EXPORTER_PORT=9793

lab_addr_add "$HUB/32"
lab_addr_add "$NS_DNS/32"
lab_addr_add "$NS_CAA/32"
for s in $SITES; do
	lab_addr_add "${SADDR[$s]}/32"
	lab_dns_add "$s A ${SADDR[$s]}"
done
lab_dns_add 'open CAA 0 issue "letsencrypt.org"'
lab_dns_start
# knotd stays on 127.0.0.1, which a perspective cannot reach (its own
# loopback): relays on addresses it can.
for a in "$NS_DNS" "$NS_CAA"; do
	"$STUB" --listen "$a" --port 53 --upstream 127.0.0.1:53 \
		>"$LAB/log/dnsstub-$a.log" 2>&1 &
	lab_track $!
	deadline=$(($(date +%s) + LAB_WAIT_MAX))
	until [ "$(kdig @"$a" -p 53 +short +time=1 +retry=0 open.test A 2>/dev/null)" = "${SADDR[open]}" ]; do
		[ "$(date +%s)" -lt "$deadline" ] ||
			lab_bail "the DNS relay on $a does not answer ($LAB/log/dnsstub-$a.log)"
		sleep 0.05
	done
done

WWW="$LAB/www"
mkdir -p "$WWW/.well-known/acme-challenge"
printf '%s' "$LAB_KA" >"$WWW/.well-known/acme-challenge/good"

# one.test's firewall: nftables in this namespace if it works here.
FIREWALL=nginx
if command -v nft >/dev/null 2>&1 &&
	nft -f - 2>"$LAB/log/nft.log" <<EOF; then
table inet perspectives {
    chain input {
        type filter hook input priority filter; policy accept;
        ip saddr ${PADDR[r1]} ip daddr ${SADDR[one]} tcp dport 80 reject with tcp reset
        ip saddr ${PADDR[r1]} ip daddr $NS_CAA udp dport 53 reject
        ip saddr ${PADDR[r1]} ip daddr $NS_CAA tcp dport 53 reject with tcp reset
    }
}
EOF
	FIREWALL=nftables
	one_deny=
	CAA=1
else
	one_deny="deny ${PADDR[r1]};"
	CAA=0
fi
echo "# one.test refuses r1 with: $FIREWALL"

lab_nginx_serve sites 80:4 <<EOF
    default_type application/octet-stream;
    access_log $LAB/log/sites-access.log;
    server {
        listen ${SADDR[open]}:80;
        root $WWW;
    }
    server {
        listen ${SADDR[one]}:80;
        root $WWW;
        $one_deny
    }
    server {
        listen ${SADDR[two]}:80;
        root $WWW;
        deny ${PADDR[r2]};
        deny ${PADDR[r3]};
    }
    server {
        listen ${SADDR[geo]}:80;
        root $WWW;
        deny ${PADDR[r2]};
    }
EOF

# ---------------------------------------------------------------------------
# The perspectives

# persp_netns NAME INDEX: a network namespace for perspective NAME, held open
# by a sleeping process (PPID_OF[NAME]), whose eth0 is the far end of a
# veth pair (pvINDEX here) and carries the perspective's address.
persp_netns() {
	local n=$1 pid i=$2
	unshare -n sleep 600 &
	pid=$!
	lab_track "$pid"
	PPID_OF[$n]=$pid
	# The namespace exists once the process has left unshare for sleep.
	until [ "$(readlink "/proc/$pid/ns/net")" != "$(readlink /proc/self/ns/net)" ]; do
		sleep 0.01
	done
	ip link add "pv$i" type veth peer name eth0 netns "/proc/$pid/ns/net" ||
		lab_bail "cannot make a veth pair for $n"
	ip link set "pv$i" up
	ip route add "${PADDR[$n]}/32" dev "pv$i" src "$HUB"
	nsenter -t "$pid" -n sh -ec "
		ip link set lo up
		ip addr add ${PADDR[$n]}/32 dev eth0
		ip link set eth0 up
		ip route add 198.51.100.0/24 dev eth0 src ${PADDR[$n]}
	" || lab_bail "cannot set up the network of $n"
}

# in_persp NAME CMD...: run CMD in perspective NAME's network namespace.
in_persp() {
	local n=$1
	shift
	nsenter -t "${PPID_OF[$n]}" -n -- "$@"
}

# The exporter of every perspective.
EXPORTER="$top_builddir/tools/certdiag-exporter"
lab_need_built "$EXPORTER"
declare -A EXPORTER_PID=()

# persp_exporter_start NAME: the exporter of perspective NAME, in its
# namespace, on its address, port 9793: certdiag-exporter with http01
# and caa modules for this lab.  nsenter, without --fork, becomes the
# exporter (not through in_persp, whose subshell would stand between),
# so EXPORTER_PID[NAME] is its pid.
persp_exporter_start() {
	local n=$1 d="$LAB/exp/$1"
	mkdir -p "$d/http01" "$d/caa"
	cat >"$d/exporter.yml" <<EOF
modules:
  http01:
    prober: http01
    timeout: 5
    dns_server: $NS_DNS:53
    allow_reserved: true
    token: good
    expect: $LAB_KA
  caa:
    prober: caa
    timeout: 5
    dns_server: $NS_CAA:53
EOF
	nsenter -t "${PPID_OF[$n]}" -n -- "$EXPORTER" \
		--listen="${PADDR[$n]}:$EXPORTER_PORT" --config="$d/exporter.yml" \
		>"$LAB/log/exporter-$n.log" 2>&1 </dev/null &
	EXPORTER_PID[$n]=$!
	lab_track "$!"
}

# persp_exporter_wait NAME: until the exporter answers HTTP across the
# veth pair, as Prometheus will ask it.
persp_exporter_wait() {
	local n=$1 deadline
	deadline=$(($(date +%s) + LAB_WAIT_MAX))
	until [ "$(curl -s --max-time 1 -o /dev/null -w '%{http_code}' \
		"http://${PADDR[$n]}:$EXPORTER_PORT/metrics")" != 000 ]; do
		kill -0 "${EXPORTER_PID[$n]}" 2>/dev/null ||
			lab_bail "exporter of $n died at start ($LAB/log/exporter-$n.log)"
		[ "$(date +%s)" -lt "$deadline" ] ||
			lab_bail "exporter of $n not answering ($LAB/log/exporter-$n.log)"
		sleep 0.05
	done
}

# persp_probe NAME MODULE SITE: the MODULE probe (http01 or caa) of SITE
# from perspective NAME, as its exporter answers it, kept in
# $LAB/exp/NAME/MODULE/SITE.test.prom (the textfile route reads them).
persp_probe() {
	curl -s --max-time 10 -o "$LAB/exp/$1/$2/$3.test.prom" \
		"http://${PADDR[$1]}:$EXPORTER_PORT/probe?module=$2&target=$3.test" || :
}

i=0
for n in $PERSPECTIVES; do
	persp_netns "$n" "$i"
	i=$((i + 1))
done
assert_true "a perspective reaches the sites from its own address" \
	in_persp r4 curl -sf --max-time 5 -o /dev/null "http://${SADDR[open]}/.well-known/acme-challenge/good"
assert_true "nginx logged r4's address" grep -q "^${PADDR[r4]} " "$LAB/log/sites-access.log"

for n in $PERSPECTIVES; do
	persp_exporter_start "$n"
done
for n in $PERSPECTIVES; do
	persp_exporter_wait "$n"
	for s in $SITES; do
		persp_probe "$n" http01 "$s"
	done
	[ "$CAA" = 0 ] || persp_probe "$n" caa open
done

# The probes themselves: who passed what.
passed() {
	grep -q '^probe_success{.*} 1$' "$LAB/exp/$1/http01/$2.test.prom"
}
failed() {
	grep -q '^probe_success{.*} 0$' "$LAB/exp/$1/http01/$2.test.prom"
}
assert_true "open.test passes from every perspective" \
	eval 'for n in $PERSPECTIVES; do passed $n open || exit 1; done'
assert_true "one.test fails from r1 (refused)" failed r1 one
assert_true "one.test: the firewall's refusal is the problem" \
	grep -Eq '^certdiag_problem\{.*code="http01_(connection_refused|bad_status)"' "$LAB/exp/r1/http01/one.test.prom"
assert_true "one.test passes from the primary, r2, r3, r4" \
	eval 'for n in primary r2 r3 r4; do passed $n one || exit 1; done'
assert_true "two.test fails from r2 and r3 (403)" \
	eval 'failed r2 two && failed r3 two'
assert_true "two.test: HTTP 403 is the problem" \
	grep -q '^certdiag_problem{.*code="http01_bad_status"' "$LAB/exp/r2/http01/two.test.prom"
assert_true "two.test passes from the primary, r1, r4" \
	eval 'for n in primary r1 r4; do passed $n two || exit 1; done'
assert_true "geo.test fails from r2 alone" \
	eval 'failed r2 geo && for n in primary r1 r3 r4; do passed $n geo || exit 1; done'
assert_exit 0 "promtool check metrics: the probes' exposition is clean" \
	promtool check metrics <"$LAB/exp/r2/http01/two.test.prom"
if [ "$CAA" = 1 ]; then
	assert_true "CAA of open.test: r1's queries refused, a DNS failure" \
		eval 'grep -q "^probe_success{.*} 0$" "$LAB/exp/r1/caa/open.test.prom" &&
			grep -Eq "^certdiag_problem\{.*code=\"(caa_dns_error|dns_unreachable)\"" "$LAB/exp/r1/caa/open.test.prom"'
	assert_true "CAA of open.test: the others pass" \
		eval 'for n in primary r2 r3 r4; do grep -q "^probe_success{.*} 1$" "$LAB/exp/$n/caa/open.test.prom" || exit 1; done'
else
	tap_skip "CAA of open.test: r1's queries refused" "no nftables here"
	tap_skip "CAA of open.test: the others pass" "no nftables here"
fi

assert_true "an exporter answers /probe for a target and module" \
	eval 'curl -sf "http://${PADDR[r1]}:$EXPORTER_PORT/probe?module=http01&target=one.test" | grep -q "^probe_success{.*} 0$"'

# ---------------------------------------------------------------------------
# Prometheus

# The configuration of contrib/prometheus/prometheus.yml, with this lab's
# exporters and sites: one static group per perspective, relabeled
# blackbox-style.
P="$LAB/prometheus"
mkdir -p "$P/data"
{
	cat <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $RULES
scrape_configs:
  - job_name: certdiag
    metrics_path: /probe
    static_configs:
EOF
	for n in $PERSPECTIVES; do
		cat <<EOF
      - labels: {perspective: $n, rir: ${RIR[$n]}, __exporter: "${PADDR[$n]}:$EXPORTER_PORT", __param_module: http01}
        targets: [open.test, one.test, two.test, geo.test]
EOF
		[ "$CAA" = 0 ] || cat <<EOF
      - labels: {perspective: $n, rir: ${RIR[$n]}, __exporter: "${PADDR[$n]}:$EXPORTER_PORT", __param_module: caa}
        targets: [open.test]
EOF
	done
	cat <<EOF
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - source_labels: [__param_module]
        target_label: module
      - source_labels: [__exporter]
        target_label: __address__
EOF
} >"$P/prometheus.yml"
assert_exit 0 "promtool check config: the lab's configuration" \
	promtool check config "$P/prometheus.yml"

PROM=127.0.0.1:9090
prometheus --config.file="$P/prometheus.yml" --storage.tsdb.path="$P/data" \
	--web.listen-address="$PROM" >"$LAB/log/prometheus.log" 2>&1 </dev/null &
lab_track $!
_lab_wait_port 9090 $! "$LAB/log/prometheus.log"

# The same probes the other way, as contrib/prometheus/prometheus-textfile.yml
# has it: the tool's output as files in node_exporter's textfile
# directory, one node_exporter in each perspective's namespace, a second
# Prometheus (port 9091) that takes instance and module from the
# samples' target and check labels.
TEXTFILE=0
if command -v prometheus-node-exporter >/dev/null 2>&1; then
	TEXTFILE=1
	for n in $PERSPECTIVES; do
		mkdir -p "$LAB/exp/$n/textfile"
		for s in $SITES; do
			cp "$LAB/exp/$n/http01/$s.test.prom" "$LAB/exp/$n/textfile/http01-$s.prom"
		done
		[ "$CAA" = 0 ] || cp "$LAB/exp/$n/caa/open.test.prom" "$LAB/exp/$n/textfile/caa-open.prom"
		nsenter -t "${PPID_OF[$n]}" -n -- prometheus-node-exporter \
			--web.listen-address="${PADDR[$n]}:9100" \
			--collector.disable-defaults --collector.textfile \
			--collector.textfile.directory="$LAB/exp/$n/textfile" \
			>"$LAB/log/node-exporter-$n.log" 2>&1 </dev/null &
		lab_track $!
	done
	mkdir -p "$P/textfile-data"
	{
		cat <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $RULES
scrape_configs:
  - job_name: certdiag-textfile
    static_configs:
EOF
		for n in $PERSPECTIVES; do
			cat <<EOF
      - labels: {perspective: $n, rir: ${RIR[$n]}}
        targets: ["${PADDR[$n]}:9100"]
EOF
		done
		cat <<EOF
    metric_relabel_configs:
      - source_labels: [__name__, target]
        regex: "(probe|certdiag)_.*;.+"
        action: keep
      - source_labels: [target]
        target_label: instance
      - source_labels: [check]
        target_label: module
EOF
	} >"$P/textfile.yml"
	prometheus --config.file="$P/textfile.yml" --storage.tsdb.path="$P/textfile-data" \
		--web.listen-address=127.0.0.1:9091 >"$LAB/log/prometheus-textfile.log" 2>&1 </dev/null &
	lab_track $!
	_lab_wait_port 9091 $! "$LAB/log/prometheus-textfile.log"
fi

# q EXPR: the instant query's result vector, as JSON.
q() {
	curl -sf --max-time 5 "http://$PROM/api/v1/query" --data-urlencode "query=$1" |
		jq -c '.data.result'
}
# value EXPR: the single sample's value, or "none".
value() {
	q "$1" | jq -r 'if length == 1 then .[0].value[1] else "none" end'
}
# value_is EXPR WANT: EXPR's single value is WANT; it is in $GOT.
value_is() {
	GOT=$(value "$1")
	[ "$GOT" = "$2" ]
}
# wait_for DESC EXPR WANT: until EXPR's single value is WANT (bounded).
wait_for() {
	if lab_until 20 value_is "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1 (want $3, got $GOT)"
	fi
}

# Every exporter scraped for every site, and the rules evaluated.
# 5 perspectives, 4 sites for http01 (and open.test for CAA).
wait_for "Prometheus scrapes every probe" 'sum(up{job="certdiag"})' $((20 + 5 * CAA))
wait_for "the rules see 4 remote perspectives of open.test" \
	'certdiag:acme_remote:total{instance="open.test",module="http01"}' 4
assert_true "every series has its perspective, registry, module and instance" \
	eval '[ "$(q "count(probe_success{perspective!=\"\",module=\"http01\",instance=~\"(open|one|two|geo).test\",rir=~\".+\",target=~\".+\"})" | jq -r ".[0].value[1]")" = 20 ]'

wait_for "open.test: issuable" \
	'certdiag:acme_quorum:success{instance="open.test",module="http01"}' 1
wait_for "open.test: no perspective fails" \
	'certdiag:acme_perspectives:failing{instance="open.test",module="http01"}' 0
wait_for "one.test: still issuable with r1 blocked" \
	'certdiag:acme_quorum:success{instance="one.test",module="http01"}' 1
wait_for "one.test: 3 of 4 remotes pass" \
	'certdiag:acme_remote:passing{instance="one.test",module="http01"}' 3
wait_for "one.test: would not fail" \
	'certdiag:acme_validation:would_fail{instance="one.test",module="http01"}' 0
wait_for "two.test: not issuable with r2 and r3 blocked" \
	'certdiag:acme_quorum:success{instance="two.test",module="http01"}' 0
wait_for "two.test: would fail" \
	'certdiag:acme_validation:would_fail{instance="two.test",module="http01"}' 1
wait_for "geo.test: 3 of 4 remotes pass" \
	'certdiag:acme_remote:passing{instance="geo.test",module="http01"}' 3
wait_for "geo.test: but in one registry of the remotes' two" \
	'certdiag:acme_remote:passing_rirs{instance="geo.test",module="http01"} * 10 + certdiag:acme_remote:rirs{instance="geo.test",module="http01"}' 12
wait_for "geo.test: would fail" \
	'certdiag:acme_validation:would_fail{instance="geo.test",module="http01"} * (1 - certdiag:acme_quorum:success{instance="geo.test",module="http01"})' 1

# What the rules recorded, for the log.
q '{__name__=~"certdiag:acme_(remote:passing|remote:passing_rirs|remote:total|quorum:success|validation:would_fail)"}' |
	jq -r 'sort_by(.metric.instance, .metric.__name__)[] |
		"# \(.metric.__name__){instance=\"\(.metric.instance)\",module=\"\(.metric.module)\"} \(.value[1])"'

# The alerts, pending (their "for" is minutes) as soon as the rules run.
# alerts: name, site, module, state per line.
alerts() {
	curl -sf --max-time 5 "http://$PROM/api/v1/alerts" |
		jq -r '.data.alerts[] | "\(.labels.alertname) \(.labels.instance) \(.labels.module) \(.state)"' | sort
}
# alerts_are WANT: the alerts, kept in $LAB/alerts.txt, are WANT.
alerts_are() {
	alerts >"$LAB/alerts.txt"
	[ "$(cat "$LAB/alerts.txt")" = "$1" ]
}
# wait_alerts WANT: until the alerts are WANT (bounded); then in
# $LAB/alerts.txt.
wait_alerts() {
	lab_until 20 alerts_are "$1" || :
}
# expect LINE...: the alert lines, sorted, those of CAA only with it.
expect() {
	local l
	for l in "$@"; do
		case $l in *" caa "*) [ "$CAA" = 1 ] || continue ;; esac
		echo "$l"
	done | sort
}
WANT=$(expect "AcmeValidationAtRisk one.test http01 pending" \
	"AcmeValidationAtRisk open.test caa pending" \
	"AcmeValidationWouldFail two.test http01 pending" \
	"AcmeValidationWouldFail geo.test http01 pending")
wait_alerts "$WANT"
assert_true "alerts: one.test at risk, two.test and geo.test would fail, open.test's CAA at risk, nothing else" \
	eval '[ "$(cat "$LAB/alerts.txt")" = "$WANT" ]'
sed "s/^/# alert: /" "$LAB/alerts.txt"
# An alert's annotations are expanded again at every evaluation, from
# what the queries in them return then: a probe that missed one scrape
# under load (one more perspective failing for a second) shows in the
# text until the next evaluation. So the texts are awaited, bounded,
# as the alert set is.
# alerts_json_satisfy JQ: the alerts' JSON, kept in $LAB/alerts.json,
# satisfies JQ.
alerts_json_satisfy() {
	curl -sf --max-time 5 "http://$PROM/api/v1/alerts" >"$LAB/alerts.json" || :
	jq -e "$1" "$LAB/alerts.json" >/dev/null 2>&1
}
# wait_alerts_json JQ: until the alerts' JSON satisfies JQ (bounded);
# then in $LAB/alerts.json.
wait_alerts_json() {
	lab_until 20 alerts_json_satisfy "$1" || :
}
AT_RISK='[.data.alerts[] | select(.labels.alertname == "AcmeValidationAtRisk" and .labels.instance == "one.test") |
	.labels.severity == "warning" and
	(.annotations.description | test("fails from r1 \\(r1: http01_(connection_refused|bad_status)\\)"))] == [true]'
WOULD_FAIL='[.data.alerts[] | select(.labels.alertname == "AcmeValidationWouldFail" and .labels.instance == "two.test") |
	.labels.severity == "critical" and
	(.annotations.description | test("fails from r2, r3 .*2 of 4 remote perspectives pass"))] == [true]'
GEO='[.data.alerts[] | select(.labels.alertname == "AcmeValidationWouldFail" and .labels.instance == "geo.test") |
	.annotations.description | test("fails from r2 .*3 of 4 remote perspectives pass .*The remotes that pass are all in ARIN: the CA wants passes from two regional Internet registries")] == [true]'
wait_alerts_json "($AT_RISK) and ($WOULD_FAIL) and ($GEO)"
assert_true "AtRisk is a warning and names r1 and its problem" \
	jq -e "$AT_RISK" "$LAB/alerts.json"
assert_true "WouldFail is critical and names r2 and r3" \
	jq -e "$WOULD_FAIL" "$LAB/alerts.json"
assert_true "WouldFail for geo.test names the one registry that passes" \
	jq -e "$GEO" "$LAB/alerts.json"
jq -r '.data.alerts[] | "# \(.labels.alertname): \(.annotations.description)"' "$LAB/alerts.json"

# The textfile way: the same verdicts.
if [ "$TEXTFILE" = 1 ]; then
	PROM=127.0.0.1:9091
	wait_for "textfile: 5 node_exporters scraped" 'sum(up{job="certdiag-textfile"})' 5
	wait_for "textfile: open.test issuable, 4 remotes" \
		'certdiag:acme_remote:total{instance="open.test",module="http01"} * certdiag:acme_quorum:success{instance="open.test",module="http01"}' 4
	wait_for "textfile: one.test 3 of 4 remotes pass, issuable" \
		'certdiag:acme_remote:passing{instance="one.test",module="http01"} * certdiag:acme_quorum:success{instance="one.test",module="http01"}' 3
	wait_for "textfile: two.test would fail" \
		'certdiag:acme_validation:would_fail{instance="two.test",module="http01"}' 1
	wait_for "textfile: geo.test would fail, one registry passing" \
		'certdiag:acme_validation:would_fail{instance="geo.test",module="http01"} * certdiag:acme_remote:passing_rirs{instance="geo.test",module="http01"}' 1
	wait_alerts "$WANT"
	assert_true "textfile: the same alerts" \
		eval '[ "$(cat "$LAB/alerts.txt")" = "$WANT" ]'
	PROM=127.0.0.1:9090
else
	for d in "5 node_exporters scraped" "open.test issuable" "one.test at risk" \
		"two.test would fail" "geo.test would fail" "the same alerts"; do
		tap_skip "textfile: $d" "prometheus-node-exporter not installed"
	done
fi

# Two remote exporters gone (r1, the one one.test and open.test's DNS
# refuse, and r4): their series go stale at the failed scrape, two
# remotes are left, fewer than the CA's 3.  geo.test still fails (r2,
# RIPE's, refused; r3 passing alone, ARIN's), two.test fails from
# both.
for n in r1 r4; do
	kill "${EXPORTER_PID[$n]}"
done
wait_for "r1 and r4 stopped: 2 remotes left for open.test" \
	'certdiag:acme_remote:total{instance="open.test",module="http01"}' 2
wait_for "open.test: the quorum cannot be met" \
	'certdiag:acme_quorum:success{instance="open.test",module="http01"}' 0
WANT=$(expect "AcmePerspectivesMissing one.test http01 pending" \
	"AcmePerspectivesMissing open.test http01 pending" \
	"AcmePerspectivesMissing two.test http01 pending" \
	"AcmePerspectivesMissing geo.test http01 pending" \
	"AcmePerspectivesMissing open.test caa pending" \
	"AcmeValidationWouldFail two.test http01 pending" \
	"AcmeValidationWouldFail geo.test http01 pending")
wait_alerts "$WANT"
assert_true "alerts: perspectives missing for every site and module" \
	eval '[ "$(grep "^AcmePerspectivesMissing " "$LAB/alerts.txt")" = "$(grep "^AcmePerspectivesMissing " <<<"$WANT")" ]'
assert_true "alerts: nothing at risk any more, two.test and geo.test still failing" \
	eval '! grep -q "^AcmeValidationAtRisk" "$LAB/alerts.txt" &&
		[ "$(grep "^AcmeValidationWouldFail " "$LAB/alerts.txt")" = "$(grep "^AcmeValidationWouldFail " <<<"$WANT")" ]'
assert_true "alerts: missing says remote" \
	eval '[ "$(curl -sf "http://$PROM/api/v1/alerts" | jq -r "[.data.alerts[] | select(.labels.alertname == \"AcmePerspectivesMissing\") | .labels.missing] | unique | join(\",\")")" = remote ]'
