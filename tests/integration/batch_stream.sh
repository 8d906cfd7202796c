#!/usr/bin/env bash
# batch_stream.sh: batch mode as a user at a terminal or a script sees it.
#  - Streaming: with -j, each result is written the moment its target is
#    done; a target that stalls until its deadline delays nobody else.
#  - --sort[=input|status|name] buffers and prints sorted, in every
#    format and for every tool.
#  - The progress line: on stderr when stderr is a terminal (script(1)
#    gives it one), erased at the end, never in a pipe or a file.
# jq filters and eval'd checks are single-quoted on purpose.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv script
lab_need_built "$CERTCHECK" "$HTTP01CHECK" "$HOSTILE"
CAACHECK="$top_builddir/tools/caacheck"

tap_plan 37

lab_pki
lab_dns_start
for c in good expired exp15 exp40 ecdsa; do
	lab_tls_serve "$c"
done
lab_hostile_start stall
CA="--cafile=$LAB_PKI/root.pem"
GOOD=$(lab_target good)
EXPIRED=$(lab_target expired)
EXP15=$(lab_target exp15)
EXP40=$(lab_target exp40)
ECDSA=$(lab_target ecdsa)
STALL=$(lab_target stall)
REFUSED="good.test:$LAB_PORT_CLOSED"

# --- One slow target never delays the others --------------------------
# The stalling peer comes first, so a serial run would sit on it; six
# fast targets share the other three workers.  Each line is stamped with
# the time it came out of the pipe.
SLOW_T=6
t0=$(lab_now)
timeout -k 2 30 "$CERTCHECK" "$DNS" "$CA" --json -j 4 -t "$SLOW_T" \
	"$STALL" "$GOOD" "$EXPIRED" "$EXP15" "$EXP40" "$ECDSA" "$REFUSED" |
	while IFS= read -r line; do
		printf '%s\t%s\n' "$(lab_now)" "$line"
	done >"$LAB/stamped" || :
# Seconds after t0 at which the line for TARGET came out.
arrived() {
	awk -F'\t' -v t0="$t0" -v want="\"target\":\"$1\"" \
		'index($2, want) { printf "%.2f\n", $1 - t0; exit }' "$LAB/stamped"
}
for t in "$GOOD" "$EXPIRED" "$EXP15" "$EXP40" "$ECDSA" "$REFUSED"; do
	at=$(arrived "$t")
	if [ -n "$at" ] && awk -v a="$at" 'BEGIN { exit !(a < 3) }'; then
		ok "-j 4 with a stalling peer: $t streamed after ${at}s, long before the ${SLOW_T}s deadline"
	else
		not_ok "-j 4 with a stalling peer: $t streamed early (arrived: '${at}')"
		sed 's/^/# /' "$LAB/stamped"
	fi
done
at=$(arrived "$STALL")
assert_true "the stalling target ends at its own deadline (${at:-never}s) with a timeout" \
	eval '[ -n "$at" ] && awk -v a="$at" -v t="$SLOW_T" "BEGIN { exit !(a >= t - 0.5 && a < t + 3) }" &&
		tail -n 1 "$LAB/stamped" | cut -f2 | jq -e ".status == \"CRITICAL\" and any(.problems[]; .code == \"timeout\")"'
assert_true "all seven results, the stalled one last" \
	eval '[ "$(lab_lines "$LAB/stamped")" = 7 ] && tail -n 1 "$LAB/stamped" | grep -qF "\"target\":\"$STALL\""'

# --- --sort -----------------------------------------------------------
# Given order: exp15 (WARNING), good (OK), refused (CRITICAL), expired
# (CRITICAL), ecdsa (OK).
SET=("$EXP15" "$GOOD" "$REFUSED" "$EXPIRED" "$ECDSA")
order_is() { # EXPECTED-TARGETS... : the JSON lines come in this order
	local want
	want=$(printf '%s\n' "$@" | jq -R . | jq -s -c .)
	jq -e -s --argjson w "$want" 'map(.target) == $w' <"$LAB_OUT" >/dev/null
}
lab_check 2 "--sort (input): exit 2" -j 5 --sort "${SET[@]}"
assert_true "--sort: input order whatever the completion order" order_is "${SET[@]}"
lab_check 2 "--sort=input: exit 2" -j 5 --sort=input "${SET[@]}"
assert_true "--sort=input: input order" order_is "${SET[@]}"
lab_check 2 "--sort=status: exit 2" -j 5 --sort=status "${SET[@]}"
assert_true "--sort=status: CRITICAL, WARNING, OK; input order within a state" \
	order_is "$REFUSED" "$EXPIRED" "$EXP15" "$GOOD" "$ECDSA"
lab_check 2 "--sort=name: exit 2" -j 5 --sort=name "${SET[@]}"
assert_true "--sort=name: by target" \
	order_is "$ECDSA" "$EXP15" "$EXPIRED" "$GOOD" "$REFUSED"
assert_exit 2 "--nagios --sort=status: exit 2" "$CERTCHECK" "$DNS" "$CA" \
	--nagios -j 5 --sort=status "${SET[@]}"
assert_true "--nagios --sort=status: summary, then the targets worst first" \
	eval '[ "$(sed -n "2,\$p" "$LAB_OUT" | cut -d" " -f1 | tr "\n" " ")" = "CRITICAL CRITICAL WARNING OK OK " ] &&
		head -n 1 "$LAB_OUT" | grep -q "^CERT CRITICAL - 5 targets"'
assert_exit 2 "text --sort=name: exit 2" "$CERTCHECK" "$DNS" "$CA" \
	--format=text --color=never -j 5 --sort=name "${SET[@]}"
assert_true "text --sort=name: the blocks in name order" \
	eval '[ "$(grep -oE "^[a-z0-9]+\.test:[0-9]+" "$LAB_OUT" | tr "\n" " ")" = "$ECDSA $EXP15 $EXPIRED $GOOD $REFUSED " ]'

assert_exit 3 "--sort=size: exit 3" "$CERTCHECK" --sort=size "$GOOD"
assert_true "--sort=size: the error names the keys" \
	grep -q "want input, status or name" "$LAB_ERR"
lab_check 0 "'--sort TARGET': the next word is a target, not a key" --sort "$GOOD"
assert_jq '.target == "'"$GOOD"'"' "'--sort TARGET': that target checked"
assert_exit 3 "caacheck --sort=bogus: exit 3" "$CAACHECK" --sort=bogus a.test
assert_true "caacheck --sort=bogus: the error names the keys" \
	grep -qF -- "--sort 'bogus': want input, status or name" "$LAB_ERR"
assert_exit 0 "caacheck --sort=name: exit 0" "$CAACHECK" "$DNS" --json \
	--sort=name good.test expired.test ecdsa.test
assert_true "caacheck --sort=name: by name" \
	eval 'jq -s -e "map(.target) == [\"ecdsa.test\",\"expired.test\",\"good.test\"]" <"$LAB_OUT"'
assert_exit 2 "http01check --sort=name, nothing listening: exit 2" \
	"$HTTP01CHECK" "$DNS" --json --allow-reserved --http-port="$LAB_PORT_CLOSED" \
	-j 3 --sort=name good.test expired.test ecdsa.test
assert_true "http01check --sort=name: by name" \
	eval 'jq -s -e "map(.target) == [\"ecdsa.test\",\"expired.test\",\"good.test\"]" <"$LAB_OUT"'

# --- The progress line -------------------------------------------------
# script(1) runs the command on a pseudo-terminal and records what the
# terminal saw: stdout goes to a file, stderr stays on the terminal.
on_tty() { # TYPESCRIPT CMD... : run CMD with stderr on a terminal
	local ts=$1 cmd
	shift
	printf -v cmd '%q ' "$@"
	timeout -k 2 30 script -q -e -c "$cmd >$LAB/tty.out" "$ts" \
		</dev/null >/dev/null 2>&1 || :
}
on_tty "$LAB/tty1" "$CERTCHECK" "$DNS" "$CA" --json -j 2 "$GOOD" "$EXP15" "$EXPIRED"
assert_true "stderr a terminal: a progress line per finished target" \
	eval 'grep -aq "\[3/3\] 1 critical 1 warning 0 unknown" "$LAB/tty1" &&
		grep -aq "\[0/3\] 0 critical 0 warning 0 unknown" "$LAB/tty1"'
# What the terminal was left with: the last bytes before script's footer.
assert_true "stderr a terminal: the line is erased at the end (CR, erase to end of line)" \
	eval '[ "$(grep -av "^Script " "$LAB/tty1" | tr -d "\n" | tail -c 4 | od -An -c | tr -d " ")" = "\\r033[K" ]'
assert_true "stderr a terminal: stdout (a file) has only the three JSON lines" \
	eval '[ "$(lab_lines "$LAB/tty.out")" = 3 ] && jq -e . "$LAB/tty.out" && ! grep -q "$(printf "\033")" "$LAB/tty.out"'
on_tty "$LAB/tty2" "$CERTCHECK" "$DNS" "$CA" --json "$GOOD"
assert_true "stderr a terminal, one target: its JSON line, no progress line" \
	eval '[ "$(lab_lines "$LAB/tty.out")" = 1 ] && jq -e ".status == \"OK\"" "$LAB/tty.out" &&
		[ -e "$LAB/tty2" ] && ! grep -aq "\[1/1\]" "$LAB/tty2"'
lab_check 2 "stderr a file: exit 2" -j 2 "$GOOD" "$EXP15" "$EXPIRED"
assert_true "stderr a file: no progress line, stderr empty" eval '[ ! -s "$LAB_ERR" ]'
"$CERTCHECK" "$DNS" "$CA" --json -j 2 "$GOOD" "$EXP15" 2>&1 >/dev/null |
	cat >"$LAB/piped.err" || :
assert_true "stderr a pipe: no progress line" eval '[ ! -s "$LAB/piped.err" ]'
