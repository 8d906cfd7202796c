#!/usr/bin/env bash
# Files that do one thing: no C source or header in lib/ or tools/ runs
# past 800 lines (a longer one holds more than one concern; split it).
# The rule's own check is first shown to catch a file of 801 lines.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
max=800
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }

# The files under the given directories longer than $max lines.
too_long() {
	find "$@" -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \) \
		-exec awk -v max="$max" '
		function judge() { if (lines > max) print file ": " lines " lines" }
		FNR == 1 && NR > 1 { judge() }
		{ file = FILENAME; lines = FNR }
		END { judge() }' {} +
}

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
seq 1 $max >"$tmp/fits.c"
seq 1 $((max + 1)) >"$tmp/long.h"
got=$(too_long "$tmp")
if [ "$got" = "$tmp/long.h: $((max + 1)) lines" ]; then
	ok "the check catches a header of $((max + 1)) lines and passes one of $max"
else
	not_ok "the check catches a header of $((max + 1)) lines and passes one of $max"
	echo "# got: $got"
fi

for d in lib tools; do
	long=$(too_long "$top_srcdir/$d")
	if [ -z "$long" ]; then
		ok "$d/: no .c or .h file over $max lines"
	else
		not_ok "$d/: no .c or .h file over $max lines"
		sed 's/^/# /' <<<"$long"
	fi
	# A directory that was not searched would pass the line above.
	count=$(find "$top_srcdir/$d" -maxdepth 1 -name '*.c' | wc -l)
	if [ "$count" -gt 0 ]; then
		ok "$d/: $count .c files looked at"
	else
		not_ok "$d/: .c files looked at"
	fi
done
echo "1..$n"
