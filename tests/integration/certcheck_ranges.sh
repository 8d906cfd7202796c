#!/usr/bin/env bash
# certcheck_ranges.sh: -w/-c take the whole Monitoring Plugins range
# grammar (N, N:, ~:N, N:M, @N:M), judged and echoed back in perfdata as
# given, with check_cert as a plugin would be run.  exp15 has 15 days
# left (14.99...): each row says what the grammar makes of that.
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv
lab_need_built "$CERTCHECK"

tap_plan 34

lab_pki
lab_dns_start
lab_tls_serve exp15
lab_nagios_link check_cert certcheck
T=$(lab_target exp15)

# row WANT-EXIT WARN CRIT PERF-WARN PERF-CRIT WHY
row() {
	assert_exit "$1" "-w '$2' -c '$3': exit $1 ($6)" "$LAB/bin/check_cert" "$DNS" \
		"--cafile=$LAB_PKI/root.pem" -w "$2" -c "$3" "$T"
	assert_first_line "\| days_left=1[45](\.[0-9]+)?;$4;$5 " \
		"-w '$2' -c '$3': perfdata thresholds $4 and $5"
}
row 1 20 5 '20:' '5:' 'bare N means fewer than N days'
row 1 '20:' '5:' '20:' '5:' 'N: is the same, written out'
row 0 10 5 '10:' '5:' '15 days is not fewer than 10'
row 1 '~:10' '~:100' '~:10' '~:100' '~:10 alerts above 10'
row 0 '10:20' '5:30' '10:20' '5:30' 'inside 10..20: no alert'
row 1 '@10:20' '@0:5' '@10:20' '@5' '@10:20 alerts inside 10..20 (@0:5 is written @5)'
row 2 '@20:30' '@10:16' '@20:30' '@10:16' 'critical inside 10..16'
row 2 '30' '16.5' '30:' '16.5:' 'fractional thresholds'
row 1 '20%' '5%' '18:' '4.5:' 'percentages of the 90-day lifetime, in days'

for bad in '20:10' 'abc' '@' '10::20' '~' '@10%' '1e3' 'inf'; do
	assert_exit 3 "-w '$bad': exit 3" "$LAB/bin/check_cert" "$DNS" -w "$bad" "$T"
	# The threshold refused, not any other usage error.
	assert_true "-w '$bad': CERT UNKNOWN names the threshold" \
		eval 'head -n 1 "$LAB_OUT" | grep -qF "CERT UNKNOWN - threshold '"'"'$bad'"'"'"'
done
