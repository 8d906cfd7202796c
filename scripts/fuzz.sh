#!/bin/sh
# Fuzz the library's own parsers with libFuzzer.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Builds every tests/fuzz/fuzz_<name>.c (or the TARGETs named, with or
# without the "fuzz_" prefix) with clang -fsanitize=fuzzer,address,undefined
# straight from lib/*/*.c, runs each for SECONDS (default 60) on a copy of
# its seed corpus tests/fuzz/corpus/<name>, and prints a table: target,
# executions, executions/s, new corpus files, crashes.  A crash, a leak,
# a UBSan report, a timeout or an OOM counts as a crash: the input is kept
# under tests/fuzz/crashes/<name>/ and the exit status is 1.  clang and
# its fuzzer runtime (Debian: libclang-rt-14-dev) are installed with
# apt-get when missing.
#
#   FUZZ_WORKDIR=DIR     binaries, corpus copies, logs (default
#                        $TMPDIR/certdiag-fuzz; what an earlier run left
#                        there is replaced)
#   FUZZ_CC=clang-14     the compiler (default clang)
#   FUZZ_KEEP_GOING=1    go on after a crash (libFuzzer -fork=1
#                        -ignore_crashes=1) for the whole time; by default
#                        a target stops at its first crash
#   FUZZ_JOBS=N          parallel compiles (default: the CPUs)
#   FUZZ_RUNS=N          stop a target after N executions (libFuzzer
#                        -runs), SECONDS still bounding it
# $deps, $cflags, $libs are lists: split on purpose.
# shellcheck disable=SC2086
set -u
cd "$(dirname "$0")/.." || exit 2
top=$(pwd)
deps="gnutls libcares libcurl libidn2 jansson libpsl"
cc=${FUZZ_CC:-clang}
work=${FUZZ_WORKDIR:-${TMPDIR:-/tmp}/certdiag-fuzz}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
keep_going=${FUZZ_KEEP_GOING:-0}

die() {
	echo "fuzz.sh: $*" >&2
	exit 2
}

secs=60
case "${1:-}" in
'' | *[!0-9]*) ;;
*) secs=$1; shift ;;
esac
[ "$secs" -gt 0 ] || die "SECONDS must be at least 1"

# The targets: every tests/fuzz/fuzz_*.c, or the ones named.
if [ "$#" -eq 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do
		set -- "$@" "$(basename "$f")"
	done
fi
targets=
for t in "$@"; do
	t=${t#fuzz_}
	t=${t%.c}
	[ -f "tests/fuzz/fuzz_$t.c" ] || die "no target tests/fuzz/fuzz_$t.c"
	[ -d "tests/fuzz/corpus/$t" ] || die "no corpus tests/fuzz/corpus/$t"
	targets="$targets $t"
done

# --- toolchain -----------------------------------------------------------

apt_install() {
	sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "Installing: $*" >&2
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq &&
		$sudo apt-get install -y -qq --no-install-recommends "$@" \
		    >/dev/null
}

# Can $cc link a libFuzzer target with both sanitizers?
probe() {
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
	    '{ (void)d; (void)n; return 0; }' >"$work/probe.c"
	"$cc" -fsanitize=fuzzer,address,undefined "$work/probe.c" \
	    -o "$work/probe" >"$work/probe.log" 2>&1
}

for d in obj bin corpus artifacts log; do
	rm -rf "${work:?}/$d"
done
mkdir -p "$work/obj" "$work/bin" "$work/corpus" "$work/artifacts" \
    "$work/log" || die "cannot create $work"
if ! probe; then
	# Debian 12: the compiler is "clang"; -fsanitize=fuzzer needs
	# libclang_rt.fuzzer-x86_64.a from libclang-rt-14-dev.
	apt_install clang libclang-rt-14-dev || die "apt-get install failed"
	probe || { cat "$work/probe.log" >&2; die "$cc cannot build fuzzers"; }
fi
if ! pkg-config --exists $deps 2>/dev/null; then
	scripts/deps.sh build || die "scripts/deps.sh build failed"
fi

# --- build ---------------------------------------------------------------

san="-fsanitize=address,undefined -fno-sanitize-recover=all"
cflags="-g -O1 -fno-omit-frame-pointer $san -std=gnu11 -D_GNU_SOURCE
 -DCD_BUILDING_LIB -DCD_UNIT_TEST -I$top/lib -I$top/lib/core -I$top/lib/dns
 -I$top/lib/tls -I$top/lib/http -I$top/lib/checks -I$top/lib/output
 $(pkg-config --cflags $deps)"
# libunbound's .pc names -dev packages a shared build does not need.
libs="$(pkg-config --libs $deps) -lunbound -lunistring -lm -pthread"

echo "Building the library with $cc ($("$cc" -dumpversion))..." >&2
export cc cflags work
# shellcheck disable=SC2016
printf '%s\n' lib/*/*.c | xargs -P "$jobs" -I{} sh -c '
	o="$work/obj/$(basename "$1" .c).o"
	$cc $cflags -fsanitize=fuzzer-no-link -c "$1" -o "$o" \
	    2>>"$work/log/build.log" || { echo "cannot compile $1" >&2; exit 1; }
' sh {} || { tail -20 "$work/log/build.log" >&2; die "library build failed"; }
ar rcs "$work/libcertdiag-fuzz.a" "$work"/obj/*.o || die "ar failed"
for t in $targets; do
	# shellcheck disable=SC2086
	$cc $cflags -fsanitize=fuzzer "tests/fuzz/fuzz_$t.c" \
	    "$work/libcertdiag-fuzz.a" $libs -o "$work/bin/fuzz_$t" \
	    2>>"$work/log/build.log" ||
	    { tail -20 "$work/log/build.log" >&2; die "cannot build fuzz_$t"; }
done

# --- run -----------------------------------------------------------------

# UBSan reports are fatal (-fno-sanitize-recover), with a stack.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

count() {
	find "$1" -type f | wc -l | tr -d ' '
}

# Executions and executions/s from a libFuzzer log: the final stats, or
# in fork mode (and as a fallback) the last status line.
stats() {
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$1" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$1" | tail -1)
	if [ -z "$execs" ]; then
		last=$(grep -E '^#[0-9]+' "$1" | tail -1)
		execs=$(printf '%s\n' "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
		rate=$(printf '%s\n' "$last" |
		    sed -n 's/.*exec\/s:\{0,1\} \([0-9]*\).*/\1/p')
	fi
	execs=${execs:-0}
	rate=${rate:-0}
}

failed=0
table="$work/table"
printf '%-22s %12s %9s %10s %8s\n' target executions exec/s "new files" \
    crashes >"$table"
for t in $targets; do
	corpus="$work/corpus/$t"
	art="$work/artifacts/$t"
	log="$work/log/fuzz_$t.log"
	mkdir -p "$art"
	cp -R "tests/fuzz/corpus/$t" "$corpus"
	before=$(count "$corpus")
	set -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$art/"
	[ -f "tests/fuzz/fuzz_$t.dict" ] && set -- "$@" -dict="tests/fuzz/fuzz_$t.dict"
	[ "$keep_going" = 1 ] && set -- "$@" -fork=1 -ignore_crashes=1
	[ -n "${FUZZ_RUNS:-}" ] && set -- "$@" -runs="$FUZZ_RUNS"
	echo "fuzz_$t: ${secs}s..." >&2
	"$work/bin/fuzz_$t" "$@" "$corpus" >"$log" 2>&1
	rc=$?
	stats "$log"
	new=$(($(count "$corpus") - before))
	crashes=$(find "$art" -type f | wc -l | tr -d ' ')
	if [ "$crashes" -gt 0 ] || [ "$rc" -ne 0 ]; then
		failed=1
		[ "$crashes" -gt 0 ] || crashes="rc $rc"
		# Keep the five smallest inputs in the tree (libFuzzer names
		# them by content, so a rerun adds no duplicate).
		keep="tests/fuzz/crashes/$t"
		mkdir -p "$keep"
		# shellcheck disable=SC2012
		ls -S -r "$art" 2>/dev/null | head -5 | while read -r f; do
			cp "$art/$f" "$keep/$f"
		done
		echo "fuzz_$t: crashed; log $log, inputs in $keep/" >&2
		echo "  reproduce: $work/bin/fuzz_$t $keep/<file>" >&2
		grep -E -m3 'ERROR:|runtime error:|SUMMARY:' "$log" | sed 's/^/  /' >&2
	fi
	printf '%-22s %12s %9s %10s %8s\n' "fuzz_$t" "$execs" "$rate" "$new" \
	    "$crashes" >>"$table"
done
cat "$table"
exit "$failed"
