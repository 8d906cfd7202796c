#!/bin/sh
# Run integration tests with every run of certcheck, caacheck and
# http01check under valgrind (memcheck: --leak-check=full, definite and
# indirect leaks and every memory error count), one log per run.
#   scripts/valgrind.sh [TEST...]
# TEST is an integration script (tests/integration/NAME.sh, or NAME); by
# default the set below, which reaches every tool and most error paths
# in a few minutes; "all" runs every tests/integration/*.sh (slow: an
# hour or more on two cores).  Run from a built tree (make).
#
# The lab (tests/lab/lab.sh) does the wrapping when CERTDIAG_VALGRIND is
# set: libtool's wrapper scripts are resolved with libtool
# --mode=execute, and timing assertions are skipped (valgrind is 20-50
# times slower).  A test may still fail under valgrind because a run
# outlived its -t deadline; that is reported, but the verdict is
# valgrind's: exit 0 when no run had a memory error or a definite or
# indirect leak, 1 otherwise (the logs are named).
#
#   VALGRIND_DIR=DIR    where the logs go (default $TMPDIR/certdiag-valgrind;
#                       what an earlier run left there is replaced)
set -u
cd "$(dirname "$0")/.." || exit 2
top=$(pwd)
dir=${VALGRIND_DIR:-${TMPDIR:-/tmp}/certdiag-valgrind}
default="hostile_corpus certcheck_badinput certcheck_chain caacheck_rules
	http01check_redirects http01check_hostile"

command -v valgrind >/dev/null 2>&1 || {
	echo "valgrind.sh: valgrind not installed (scripts/deps.sh test)" >&2
	exit 2
}
[ -x tools/certcheck ] || { echo "valgrind.sh: run make first" >&2; exit 2; }
# shellcheck disable=SC2086 # a list: split on purpose
[ "$#" -gt 0 ] || set -- $default
if [ "$1" = all ]; then
	set -- tests/integration/*.sh
fi
rm -rf "$dir"
mkdir -p "$dir" || exit 2

tapfail=0
for t in "$@"; do
	t=${t##*/}
	t=${t%.sh}
	f=tests/integration/$t.sh
	[ -f "$f" ] || { echo "valgrind.sh: no $f" >&2; exit 2; }
	echo "== $t" >&2
	CERTDIAG_VALGRIND=$dir LAB_RUN_LIMIT=${LAB_RUN_LIMIT:-180} \
	    top_builddir=$top top_srcdir=$top srcdir=$top \
	    bash "$f" >"$dir/$t.tap" 2>&1
	n=$(grep -c '^not ok' "$dir/$t.tap")
	[ "$n" -eq 0 ] || {
		tapfail=$((tapfail + n))
		echo "   $n assertion(s) failed under valgrind (see $dir/$t.tap)" >&2
	}
done

runs=$(find "$dir" -name '*.cmd' | wc -l)
# With -q valgrind writes a log only when it has something to say.
bad=$(find "$dir" -name '*.log' -size +0 | sort)
nbad=$(printf '%s' "$bad" | grep -c . || :)
echo "valgrind: $runs tool runs, $nbad with errors or leaks; $tapfail test assertion(s) failed under valgrind"
if [ "$nbad" -gt 0 ]; then
	for l in $bad; do
		echo "--- $l ($(cat "${l%.*.log}.cmd"))"
		head -40 "$l"
	done
	exit 1
fi
exit 0
