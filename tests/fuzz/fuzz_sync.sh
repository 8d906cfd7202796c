#!/bin/sh
# The fuzz files and tests/fuzz/local.am agree: every fuzz_NAME.c has a
# seed corpus, a replay_NAME.sh and a program in local.am; every corpus
# file is listed in EXTRA_DIST (so make dist ships it) under a name make
# can list; the corpora stay under 200 KB.  TAP.
top=${top_srcdir:-.}
dir=$top/tests/fuzz
am=$dir/local.am
n=0
fail=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fail=1
	fi
}

# Is $1 one of the words of local.am?
words=$(tr -s ' \t\\=' '[\n*]' <"$am")
listed() {
	printf '%s\n' "$words" | grep -Fxq "$1"
}

for c in "$dir"/fuzz_*.c; do
	name=$(basename "$c" .c)
	name=${name#fuzz_}
	files=$(find "$dir/corpus/$name" -type f 2>/dev/null | wc -l)
	[ "$files" -gt 0 ]
	ok $? "fuzz_$name has a seed corpus ($files files)"
	[ -f "$dir/replay_$name.sh" ]
	ok $? "fuzz_$name has replay_$name.sh"
	listed "tests/fuzz/fuzz_$name"
	ok $? "fuzz_$name is a program in local.am"
	listed "tests/fuzz/replay_$name.sh"
	ok $? "replay_$name.sh is listed in local.am"
done

missing=
for f in $(cd "$top" && find tests/fuzz/corpus -type f | LC_ALL=C sort); do
	case "$f" in
	*[!A-Za-z0-9._/-]*) missing="$missing $f(name)"; continue ;;
	esac
	listed "$f" || missing="$missing $f"
done
[ -z "$missing" ]
ok $? "every corpus file is in EXTRA_DIST${missing:+: not listed:$missing}"

size=$(cat "$dir"/corpus/*/* | wc -c)
[ "$size" -lt 204800 ]
ok $? "the corpora hold $size bytes (under 200 KB)"

echo "1..$n"
exit $fail
