#!/usr/bin/env bash
# batch_memory.sh: batch mode keeps memory flat.  certcheck -j 32 over
# 10,000 targets streams its results and frees each report once written,
# so its peak resident set (GNU time's %M, the kernel's maxrss) stays
# well under 64 MB, and barely differs from a 1,000-target run.
#
# So that the run takes seconds, not minutes, on a small CI machine, most
# targets are refused at connect (a closed port: a whole check, DNS
# included, with a CRITICAL report of its own); every tenth target is a
# real TLS handshake with nginx, chain verification included: 1,000
# handshakes.  Every target still goes through the resolver (knotd).
# (All 10,000 as handshakes peaked at the same ~18 MB here, but took 77 s
# against the lab's one-process nginx on two cores: too slow for CI.)
# eval'd checks are single-quoted on purpose.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig nginx
[ -x /usr/bin/time ] || lab_skip_all "GNU time (/usr/bin/time) not installed"
lab_need_built "$CERTCHECK"

tap_plan 16

lab_pki
lab_dns_start
lab_nginx_start

# targets N FILE: N targets, every tenth one a handshake with nginx.
targets() {
	awk -v n="$1" -v every="${EVERY:-10}" -v closed="$LAB_PORT_CLOSED" 'BEGIN {
		for (i = 0; i < n; i++)
			if (i % every == 0) print "good.test:443"
			else print "good.test:" closed
	}' >"$2"
}
# run N: certcheck over N targets; sets RSS_KB and the usual LAB_* of the
# run (the JSON lines in $LAB_OUT).
run() {
	targets "$1" "$LAB/targets-$1"
	LAB_RUN_LIMIT=120 assert_exit 2 "$1 targets, -j 32: exit 2 (the refused ones)" \
		/usr/bin/time -f %M -o "$LAB/rss-$1" "$CERTCHECK" "$DNS" \
		"--cafile=$LAB_PKI/root.pem" --json -t 10 -j 32 -f "$LAB/targets-$1"
	RSS_KB=$(tail -n 1 "$LAB/rss-$1")
	echo "# $1 targets: ${LAB_ELAPSED}s, peak RSS ${RSS_KB} kB"
}

# assert_rss DESC CMD...: a memory assertion, skipped under the
# sanitizers (their shadow memory and quarantine are the peak there).
assert_rss() {
	if [ "${CERTDIAG_SANITIZERS:-}" = yes ]; then
		tap_skip "$1" "peak RSS under ASan+UBSan"
	else
		assert_true "$@"
	fi
}

run 1000
RSS_1K=$RSS_KB
run 10000
RSS_10K=$RSS_KB
assert_true "10,000 targets: 10,000 JSON lines" eval '[ "$(lab_lines "$LAB_OUT")" = 10000 ]'
assert_true "10,000 targets: 1,000 handshakes OK, 9,000 refused" \
	eval '[ "$(jq -c "[.status, (.problems | map(.code) | join(\",\"))]" "$LAB_OUT" | sort | uniq -c | awk "{print \$1, \$2}" | tr "\n" " ")" = "9000 [\"CRITICAL\",\"connect_failed\"] 1000 [\"OK\",\"\"] " ]'
assert_rss "10,000 targets: peak RSS ${RSS_10K} kB, well under 64 MB (limit 32 MB)" \
	eval '[ "$RSS_10K" -gt 0 ] && [ "$RSS_10K" -lt 32768 ]'
assert_rss "flat: 10,000 targets use at most 4 MB more than 1,000 (${RSS_1K} -> ${RSS_10K} kB)" \
	eval '[ "$RSS_1K" -gt 0 ] && [ $((RSS_10K - RSS_1K)) -lt 4096 ]'
assert_elapsed_max 60 "10,000 targets within 60 s"

# The same 10,000 with --sort: every report is kept until the end, by
# design; it must still fit.
LAB_RUN_LIMIT=120 assert_exit 2 "10,000 targets --sort=status: exit 2" \
	/usr/bin/time -f %M -o "$LAB/rss-sort" "$CERTCHECK" "$DNS" \
	"--cafile=$LAB_PKI/root.pem" --json -t 10 -j 32 --sort=status -f "$LAB/targets-10000"
RSS_SORT=$(tail -n 1 "$LAB/rss-sort")
echo "# 10000 targets --sort: ${LAB_ELAPSED}s, peak RSS ${RSS_SORT} kB"
assert_true "--sort=status: the 9,000 CRITICAL first, then the 1,000 OK" \
	eval '[ "$(jq -r .status "$LAB_OUT" | uniq -c | awk "{print \$1, \$2}" | tr "\n" " ")" = "9000 CRITICAL 1000 OK " ]'
assert_rss "--sort=status keeps all 10,000 reports and still peaks under 64 MB (${RSS_SORT} kB)" \
	eval '[ "$RSS_SORT" -gt 0 ] && [ "$RSS_SORT" -lt 65536 ]'

# Nagios format must print the worst state first, so it too keeps every
# report until the end, but compacted to what its one line per target
# needs: it stays near the streaming figure, not the --sort one.
LAB_RUN_LIMIT=120 assert_exit 2 "10,000 targets --nagios: exit 2" \
	/usr/bin/time -f %M -o "$LAB/rss-nagios" "$CERTCHECK" "$DNS" \
	"--cafile=$LAB_PKI/root.pem" --nagios -t 10 -j 32 -f "$LAB/targets-10000"
RSS_NAGIOS=$(tail -n 1 "$LAB/rss-nagios")
echo "# 10000 targets --nagios: ${LAB_ELAPSED}s, peak RSS ${RSS_NAGIOS} kB"
assert_true "--nagios: a summary line for 10,000 targets, then one line each" \
	eval '[ "$(lab_lines "$LAB_OUT")" = 10001 ] && head -n 1 "$LAB_OUT" | grep -q "^CERT CRITICAL - 10000 targets: 9000 critical, 0 warning, 0 unknown, 1000 ok |"'
assert_rss "--nagios: peak RSS ${RSS_NAGIOS} kB, well under 64 MB (limit 32 MB)" \
	eval '[ "$RSS_NAGIOS" -gt 0 ] && [ "$RSS_NAGIOS" -lt 32768 ]'

# Prometheus format writes each family once at the end, but turns each
# report into its lines as it comes: 10,000 targets, 9,001 of them
# distinct (the refused ones each on a port of its own), held as text.
awk 'BEGIN {
	for (i = 0; i < 10000; i++)
		if (i % 10 == 0) print "good.test:443"
		else print "good.test:" 20000 + i
}' >"$LAB/targets-prom"
LAB_RUN_LIMIT=120 assert_exit 2 "10,000 targets -o prometheus: exit 2" \
	/usr/bin/time -f %M -o "$LAB/rss-prom" "$CERTCHECK" "$DNS" \
	"--cafile=$LAB_PKI/root.pem" -o prometheus -t 10 -j 32 -f "$LAB/targets-prom"
RSS_PROM=$(tail -n 1 "$LAB/rss-prom")
echo "# 10000 targets -o prometheus: ${LAB_ELAPSED}s, peak RSS ${RSS_PROM} kB"
assert_true "-o prometheus: a probe_success series per distinct target (9,001)" \
	eval '[ "$(grep -c "^probe_success{" "$LAB_OUT")" = 9001 ]'
assert_rss "-o prometheus: peak RSS ${RSS_PROM} kB, well under 64 MB (limit 32 MB)" \
	eval '[ "$RSS_PROM" -gt 0 ] && [ "$RSS_PROM" -lt 32768 ]'
