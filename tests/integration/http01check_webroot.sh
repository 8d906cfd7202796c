#!/usr/bin/env bash
# http01check_webroot.sh: --webroot, the self-test before certbot
# --webroot: a token file is written under DIR/.well-known/acme-challenge/
# (O_EXCL, mode 0644 whatever the umask, directories it makes 0755),
# fetched through nginx the way the CA fetches it, and removed, leaving
# DIR exactly as it was: on success, on failure, with -j 8 checks sharing
# DIR, and when any terminating signal arrives during the fetch (the tool
# then ends at once, dying of the signal; one ignored at start stays
# ignored).  The modes hold for an unprivileged user with umask 0477.  A
# .well-known or acme-challenge that is a symbolic link or not a
# directory is refused (exit 3) and nothing is written through it; an
# existing token file is never overwritten.
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
# The unprivileged case runs as nobody, who exists in the lab only in
# its LAB_ALL_UIDS mode (run by real root); elsewhere that case skips.
# shellcheck disable=SC2034 # read by lab.sh
LAB_ALL_UIDS=1
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig nginx
lab_need_built "$HTTP01CHECK" "$HOSTILE"

tap_plan 80

# One web root per name, all on 127.0.0.4:80.
W=$LAB/webroots
for n in fresh keep wklink aclink wkfile user; do
	mkdir -p "$W/$n"
	echo "<h1>$n</h1>" >"$W/$n/index.html"
	lab_dns_add "$n A 127.0.0.4"
done
mkdir -p "$W/elsewhere" "$W/target"
# keep: the challenge directory exists, with its own modes and a file.
mkdir -p "$W/keep/.well-known/acme-challenge"
chmod 0750 "$W/keep/.well-known"
chmod 0711 "$W/keep/.well-known/acme-challenge"
echo "left by certbot" >"$W/keep/.well-known/acme-challenge/old-token"
chmod 0600 "$W/keep/.well-known/acme-challenge/old-token"
# wklink: .well-known is a link to a directory nginx would also serve.
ln -s "$W/target" "$W/wklink/.well-known"
# aclink: .well-known/acme-challenge is a link.
mkdir -p "$W/aclink/.well-known"
ln -s "$W/target" "$W/aclink/.well-known/acme-challenge"
# wkfile: .well-known is a regular file.
echo "not a directory" >"$W/wkfile/.well-known"
lab_dns_start
lab_hostile_start stall

servers=""
for n in fresh keep wklink aclink wkfile user; do
	servers="$servers server { listen 127.0.0.4:80; server_name $n.test; root $W/$n; }"
done
lab_nginx_serve webroots 80:1 <<EOF
    default_type application/octet-stream;
    $servers
EOF

# snapshot DIR: every path under DIR with its type and mode, sorted.
snapshot() {
	find "$1" -printf '%P %y %m %s %l\n' | sort
}

# h01 WANT DESC ARGS...: http01check --json in lab mode.
h01() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$HTTP01CHECK" "$DNS" --json \
		--allow-reserved -t 5 "$@"
}

# same DESC BEFORE DIR: DIR's snapshot equals BEFORE.
same() {
	local now
	now=$(snapshot "$3")
	if [ "$now" = "$2" ]; then
		ok "$1"
	else
		not_ok "$1"
		diff <(echo "$2") <(echo "$now") | sed 's/^/# /' || :
	fi
}

# --- A web root the server serves: exit 0, DIR unchanged ------------------
before=$(snapshot "$W/fresh")
h01 0 "fresh web root, served by nginx: exit 0" --webroot="$W/fresh" fresh.test
assert_jq '.body_matches == true and .attempts[0].hops[0].status == 200 and .problems == []' \
	"fresh: the written file was fetched and matched"
assert_jq '.token | test("^[A-Za-z0-9_-]{43}$")' "fresh: a random 43-character token"
TOKEN=$(jq -r .token "$LAB_OUT")
assert_true "fresh: nginx served exactly that token with 200" \
	grep -q "GET /.well-known/acme-challenge/$TOKEN HTTP/1.1\" 200" \
	"$LAB/nginx-webroots/access.log"
same "fresh: web root exactly as before (no .well-known left)" "$before" "$W/fresh"
assert_true "fresh: no .well-known directory afterwards" test ! -e "$W/fresh/.well-known"

before=$(snapshot "$W/keep")
h01 0 "existing .well-known/acme-challenge: exit 0" --webroot="$W/keep" keep.test
assert_jq '.body_matches == true' "keep: fetched and matched"
same "keep: directories, their modes and the old file kept, token removed" "$before" "$W/keep"
# A token file that already exists is never overwritten (O_EXCL), nor
# removed afterwards: the tool removes only what it created.
h01 3 "--token naming an existing file: exit 3" --webroot="$W/keep" \
	--token=old-token keep.test
assert_true "existing token file: the error says not overwritten" \
	grep -q "already exists (not overwritten)" "$LAB_ERR" "$LAB_OUT"
same "existing token file: content, mode and directories untouched" "$before" "$W/keep"
assert_true "existing token file: still the old content" \
	grep -qx "left by certbot" "$W/keep/.well-known/acme-challenge/old-token"

# Two names, one web root: each gets its own file, both removed.
before=$(snapshot "$W/fresh")
assert_exit 0 "two names, one web root: exit 0" "$HTTP01CHECK" "$DNS" --json \
	--allow-reserved -t 5 --webroot="$W/fresh" fresh.test fresh.test
assert_jqs 'length == 2 and all(.[]; .body_matches == true) and .[0].token != .[1].token' \
	"two names: two tokens, both matched"
same "two names: web root unchanged" "$before" "$W/fresh"

# Parallel checks share one web root: the first makes .well-known and
# acme-challenge, the last removes them, and no check trips over
# another's directory (-j 8 used to fail with "cannot create: File
# exists" and drop every report).  Five runs, as the race is timing.
before=$(snapshot "$W/fresh")
par_rc="" par_bad=0
for ((run = 0; run < 5; run++)); do
	rc=0
	"$HTTP01CHECK" "$DNS" --json --allow-reserved -t 5 -j 8 --webroot="$W/fresh" \
		fresh.test fresh.test fresh.test fresh.test fresh.test fresh.test \
		fresh.test fresh.test >"$LAB/run/par.out" 2>"$LAB/run/par.err" || rc=$?
	par_rc="$par_rc $rc"
	jq -se 'length == 8 and all(.[]; .body_matches == true)' "$LAB/run/par.out" \
		>/dev/null 2>&1 || par_bad=$((par_bad + 1))
	[ "$(snapshot "$W/fresh")" = "$before" ] || par_bad=$((par_bad + 100))
done
assert_true "-j 8, eight names, one web root, five runs: exit 0 each (got$par_rc)" \
	test "$par_rc" = " 0 0 0 0 0"
assert_true "-j 8: eight matched reports in every run ($par_bad bad)" test "$((par_bad % 100))" = 0
assert_true "-j 8: web root exactly as before after every run" test "$par_bad" -lt 100
sed 's/^/# /' "$LAB/run/par.err" | head -n 3

# --- A web root the server does not serve: the CA's 404 ------------------
before=$(snapshot "$W/elsewhere")
h01 2 "web root nginx does not serve: exit 2" --webroot="$W/elsewhere" fresh.test
assert_problem http01_bad_status "Invalid response from http://fresh.test/.well-known/acme-challenge/" \
	"elsewhere: http01_bad_status, Invalid response ...: 404"
assert_jq '.body_matches == false and .attempts[0].hops[0].status == 404' "elsewhere: 404, body_matches false"
same "elsewhere: token and directories removed after the failure" "$before" "$W/elsewhere"

# --- Refusals: exit 3, nothing written ----------------------------------
before=$(snapshot "$W")
h01 3 ".well-known is a symbolic link: exit 3" --webroot="$W/wklink" wklink.test
assert_true "wklink: the error says symbolic link" grep -qi "symbolic link" "$LAB_ERR" "$LAB_OUT"
assert_true "wklink: nothing written through the link" \
	eval '[ -d "$W/target" ] && [ -z "$(ls -A "$W/target")" ]'
h01 3 "acme-challenge is a symbolic link: exit 3" --webroot="$W/aclink" aclink.test
assert_true "aclink: the error says symbolic link" grep -qi "symbolic link" "$LAB_ERR" "$LAB_OUT"
assert_true "aclink: nothing written through the link" \
	eval '[ -d "$W/target" ] && [ -z "$(ls -A "$W/target")" ]'
h01 3 ".well-known is a regular file: exit 3" --webroot="$W/wkfile" wkfile.test
assert_true "wkfile: the error says not a directory" grep -qi "not a directory" "$LAB_ERR" "$LAB_OUT"
same "refusals: every web root exactly as before" "$before" "$W"
h01 3 "web root that does not exist: exit 3" --webroot="$LAB/no-such-dir" fresh.test
assert_true "no such web root: nothing created, the error names it" \
	eval '[ ! -e "$LAB/no-such-dir" ] && grep -qF "$LAB/no-such-dir: No such file or directory" "$LAB_ERR"'
h01 3 "--webroot with --expect: exit 3 (usage)" --webroot="$W/fresh" --expect=x fresh.test
assert_true "--webroot with --expect: says why" \
	grep -qF -- "--webroot and --expect do not go together" "$LAB_ERR"
same "usage errors: web roots unchanged" "$before" "$W"

# --- Signals during a fetch from a stalling server, umask 077 ------------
# The token file exists while the fetch stalls: its mode shows what the
# web server (usually another user) would be allowed to read.  Every
# terminating signal stops the tool at once (within half a second, not
# at the end of -t), with the token file and the directories it made
# removed, and the tool dies of that signal (exit status 128+n).

# sigtest SIGNAL TIMEOUT [NAME...]: start a stalled --webroot check
# (stall.test unless NAMEs) under umask 077, wait for the token file,
# record its mode and its directories' modes, send SIGNAL after 1 s, wait
# for the tool; sets GOT_MODES, SIG_RC, SIG_AFTER (seconds from the
# signal to the end) and SIG_LEFT (what was in acme-challenge then).
sigtest() {
	local sig=$1 t=$2 pid i f="" t0 us
	shift 2
	[ $# -gt 0 ] || set -- stall.test
	rm -rf "$W/sig"
	mkdir -p "$W/sig"
	[ -z "${SIG_USER:-}" ] || chown "$SIG_USER" "$W/sig"
	SIG_BEFORE=$(snapshot "$W/sig")
	# A background job starts with SIGINT and SIGQUIT ignored: env
	# restores them (SIG_IGNORE: a signal to leave ignored, as nohup).
	(
		umask "${SIG_UMASK:-077}"
		ulimit -c 0
		[ -z "${SIG_IGNORE:-}" ] || trap '' "$SIG_IGNORE"
		exec env --default-signal=INT,QUIT ${SIG_USER:+setpriv --reuid="$SIG_USER" \
			--regid="$(id -g "$SIG_USER")" --clear-groups} "$HTTP01CHECK" "$DNS" --json --allow-reserved -t "$t" \
			--http-port="$(lab_port stall)" --webroot="$W/sig" "$@"
	) >"$LAB/run/sig-$sig.out" 2>&1 &
	pid=$!
	for ((i = 0; i < 100; i++)); do
		f=$(find "$W/sig/.well-known/acme-challenge" -type f 2>/dev/null | head -n 1)
		[ -z "$f" ] || break
		sleep 0.02
	done
	GOT_MODES=""
	if [ -n "$f" ]; then
		GOT_MODES="$(stat -c %a "$W/sig/.well-known") $(stat -c %a \
			"$W/sig/.well-known/acme-challenge") $(stat -c %a "$f")"
		GOT_CONTENT=$(cat "$f")
		GOT_NAME=${f##*/}
	fi
	sleep 1
	_lab_usec
	t0=$REPLY
	kill "-$sig" "$pid" 2>/dev/null || :
	SIG_RC=0
	wait "$pid" || SIG_RC=$?
	_lab_usec
	us=$((REPLY - t0))
	printf -v SIG_AFTER '%d.%03d' $((us / 1000000)) $((us % 1000000 / 1000))
}

# fast DESC: SIG_AFTER is at most half a second.
fast() {
	if awk -v e="$SIG_AFTER" 'BEGIN { exit !(e <= 0.5) }'; then
		ok "$1 (${SIG_AFTER}s after the signal)"
	else
		not_ok "$1 (${SIG_AFTER}s after the signal)"
	fi
}

sigtest TERM 5
if [ "$GOT_MODES" = "755 755 644" ]; then
	ok "umask 077: .well-known 0755, acme-challenge 0755, token file 0644"
else
	not_ok "umask 077: .well-known 0755, acme-challenge 0755, token file 0644"
	echo "# got modes: '$GOT_MODES'"
fi
assert_true "token file holds TOKEN.certdiag-self-test" test "$GOT_CONTENT" = "$GOT_NAME.certdiag-self-test"
same "SIGTERM after 1 s: token file and directories gone" "$SIG_BEFORE" "$W/sig"
fast "SIGTERM: the tool ended at once, not at the end of its -t 5"
assert_true "SIGTERM: the tool died of it (exit $SIG_RC = 128+15)" test "$SIG_RC" = 143

# Each terminating signal: the same clean-up and its own status.  These
# used to kill the tool with the token and the directories left behind.
for spec in INT:130 HUP:129 QUIT:131 ALRM:142 USR1:138 USR2:140 PIPE:141; do
	sig=${spec%%:*}
	# Under nohup SIGHUP is ignored from the start, and the tool leaves it so.
	if [ "$sig" = HUP ] && [ $((0x$(awk '/^SigIgn:/ {print $2}' /proc/self/status) & 1)) -ne 0 ]; then
		for t in "clean-up" "at once" "status"; do
			tap_skip "SIGHUP: $t" "SIGHUP is ignored in this environment (nohup)"
		done
		continue
	fi
	sigtest "$sig" 5
	same "SIG$sig after 1 s: token file and directories gone" "$SIG_BEFORE" "$W/sig"
	fast "SIG$sig: the tool ended at once"
	assert_true "SIG$sig: the tool died of it (exit $SIG_RC = ${spec#*:})" test "$SIG_RC" = "${spec#*:}"
done

# Ctrl-C on a batch: five stalling names one after the other, -t 3.  The
# tool used to hold the signal until the whole batch was done (and write
# the next names' tokens meanwhile).
sigtest INT 3 stall.test stall.test stall.test stall.test stall.test
fast "batch of five, SIGINT during the first: the tool ended at once"
assert_true "batch: exit $SIG_RC = 128+2" test "$SIG_RC" = 130
same "batch: token file and directories gone" "$SIG_BEFORE" "$W/sig"
sleep 0.3
same "batch: no token written after the signal" "$SIG_BEFORE" "$W/sig"

# A signal ignored at start (nohup) stays ignored: the check goes on to
# its timeout, and cleans up as usual.
SIG_IGNORE=USR1 sigtest USR1 2
assert_true "SIGUSR1 ignored at start: the tool ran to its -t 2 (exit $SIG_RC = 2)" test "$SIG_RC" = 2
same "SIGUSR1 ignored at start: token file and directories gone" "$SIG_BEFORE" "$W/sig"

# The reader of stdout goes away (-j 2 | true): the first report, for a
# name without an address, meets a closed pipe while the second name's
# token is on disk.  SIGPIPE ends the tool, as any signal does.
rm -rf "$W/sig"
mkdir -p "$W/sig"
before=$(snapshot "$W/sig")
_lab_usec
t0=$REPLY
{
	rc=0
	env --default-signal=PIPE "$HTTP01CHECK" "$DNS" --json --allow-reserved -t 5 -j 2 \
		--http-port="$(lab_port stall)" --webroot="$W/sig" stall.test nxdomain.test \
		2>"$LAB/run/pipe.err" || rc=$?
	echo "$rc" >"$LAB/run/pipe.rc"
} | true
_lab_usec
us=$((REPLY - t0))
rc=$(cat "$LAB/run/pipe.rc")
assert_true "-j 2 | true: SIGPIPE ended the tool (exit $rc = 128+13)" test "$rc" = 141
assert_true "-j 2 | true: it ended long before -t 5 ($((us / 1000)) ms)" test "$us" -lt 2500000
same "-j 2 | true: token files and directories gone" "$before" "$W/sig"

# --- An unprivileged user with umask 0477 ---------------------------------
# The umask takes the owner's read bit from a new directory (0300): the
# modes must still come out 0755/0644, set on the directory we made
# (through its descriptor), never on one swapped in under its name.
# nobody must reach the tool: a build in a private directory (a CI clone
# under mktemp -d, 0700) is not traversable, so traversal is granted up
# the build's path for this part and taken back after it.
opened=()
grant_traverse() {
	local d
	d=$(cd "$top_builddir" && pwd)
	while [ "$d" != / ]; do
		# The others' execute bit, whatever the sticky bit shows as.
		if [ $((0$(stat -c %a "$d") & 1)) = 0 ]; then
			chmod o+x "$d" && opened+=("$d")
		fi
		d=$(dirname "$d")
	done
}
if lab_uids_ok && [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	grant_traverse
	chmod o+x "$LAB" "$W"
	chown -R nobody "$W/user"
	before=$(snapshot "$W/user")
	rc=0
	(
		umask 0477
		exec setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
			"$HTTP01CHECK" "$DNS" --json --allow-reserved -t 5 --webroot="$W/user" user.test
	) >"$LAB/run/user.out" 2>"$LAB/run/user.err" || rc=$?
	assert_true "nobody, umask 0477: exit 0 (got $rc: $(head -c 200 "$LAB/run/user.err"))" test "$rc" = 0
	assert_true "nobody, umask 0477: the token was served and matched" \
		jq -e '.body_matches == true' "$LAB/run/user.out"
	same "nobody, umask 0477: web root exactly as before" "$before" "$W/user"
	SIG_USER=nobody SIG_UMASK=0477 sigtest TERM 5
	if [ "$GOT_MODES" = "755 755 644" ]; then
		ok "nobody, umask 0477: .well-known 0755, acme-challenge 0755, token file 0644"
	else
		not_ok "nobody, umask 0477: .well-known 0755, acme-challenge 0755, token file 0644"
		echo "# got modes: '$GOT_MODES'"
		sed 's/^/# /' "$LAB/run/sig-TERM.out"
	fi
	same "nobody, umask 0477, SIGTERM: token file and directories gone" "$SIG_BEFORE" "$W/sig"
	[ ${#opened[@]} -eq 0 ] || chmod o-x "${opened[@]}"
else
	for t in "exit 0" "the token was served" "web root as before" "modes" "SIGTERM clean-up"; do
		tap_skip "nobody, umask 0477: $t" "needs real root and the system's users (LAB_ALL_UIDS)"
	done
fi

# A stall with no signal: the timeout, then the clean-up.
rm -rf "$W/sig"
mkdir -p "$W/sig/.well-known"
before=$(snapshot "$W/sig")
h01 2 "stalled fetch, -t 2: exit 2" -t 2 --http-port="$(lab_port stall)" \
	--webroot="$W/sig" stall.test
assert_jq 'has_problem("http01_timeout")' "stalled fetch: http01_timeout"
same "stalled fetch: acme-challenge made and removed, .well-known kept" "$before" "$W/sig"
