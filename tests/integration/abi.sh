#!/usr/bin/env bash
# abi.sh: the library's ABI holds when an option is added, the change
# that broke every caller while struct cd_opts was theirs to allocate.
# The library is built twice from this source tree, the second time with
# one more option (a CD_OPT_ value and its definition), both with debug
# information; abi-dumper reads each and abi-compliance-checker compares
# them as a distribution would before shipping the new one; a third build
# with a field put into a public struct shows that the check can fail.
# Also: every
# exported symbol carries the version node CERTDIAG_1, and nothing else
# is exported.
set -eu
top_builddir=${top_builddir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_srcdir=${top_srcdir:-$top_builddir}
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n - $* # SKIP $why"; }

echo "1..6"
so=$top_builddir/lib/.libs/libcertdiag.so
syms=$(objdump -T "$so" | awk '$4 != "*UND*" && NF >= 7 && $NF != "CERTDIAG_1"')
exported=$(objdump -T "$so" | awk '$4 != "*UND*" && NF >= 7 && $NF ~ /^cd_/' | wc -l)
if [ "$exported" -gt 20 ] && [ -z "$(objdump -T "$so" |
	awk '$4 != "*UND*" && NF >= 7 && $NF ~ /^cd_/ && $(NF-1) != "CERTDIAG_1"')" ]; then
	ok "each of the $exported exported cd_ symbols carries CERTDIAG_1"
else
	not_ok "every exported cd_ symbol carries CERTDIAG_1 ($exported exported)"
fi
others=$(printf '%s\n' "$syms" | awk 'NF && $NF !~ /^cd_/ && $NF != "CERTDIAG_1"')
if [ -z "$others" ]; then
	ok "nothing but cd_ symbols exported"
else
	not_ok "nothing but cd_ symbols exported"
	printf '%s\n' "$others" | sed 's/^/# /'
fi

why=
command -v abi-dumper >/dev/null && command -v abi-compliance-checker \
	>/dev/null || why="abi-dumper or abi-compliance-checker not installed"
# Sanitizer builds: the ABI is the same; the build twice is not worth it.
[ "${CERTDIAG_SANITIZERS:-}" = yes ] && why="the normal stage checks the ABI"
if [ -n "$why" ]; then
	skip "old and new library built"
	skip "abi-compliance-checker: binary compatible"
	skip "abi-compliance-checker: source compatible"
	skip "the control: a field put into a public struct is a break"
	exit 0
fi

# The build's own flags, read from its Makefile (var).
# shellcheck source=tests/helpers/buildtree.sh
. "$top_srcdir/tests/helpers/buildtree.sh"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
flags="-std=gnu11 -g -Og -fPIC -fvisibility=hidden -DCD_BUILDING_LIB"
flags="$flags -D_GNU_SOURCE -I$top_builddir $(var DEFS) $(var CD_DEP_CFLAGS)"
libs=$(var CD_LIB_LIBS)
sources=$(var CD_LIB_SOURCES | tr ' ' '\n' | grep '\.c$' | sed 's|^lib/||' | tr '\n' ' ')

# build NAME: the copy of lib/ in $d/NAME/lib (as edited), built by a
# makefile of its own with the build's flags.
build() {
	cat >"$d/$1/lib/abi.mk" <<MK
FLAGS = $flags -DCD_PKGDATADIR='"/nonexistent"' -Icore -Idns -Itls -Ihttp -Ichecks -Ioutput
OBJS = \$(patsubst %.c,%.o,$sources)
../libcertdiag.so.0: \$(OBJS)
	cc -shared -o \$@ \$(OBJS) -Wl,-soname,libcertdiag.so.0 -Wl,--version-script=libcertdiag.map $libs
%.o: %.c
	cc \$(FLAGS) -I. -c \$< -o \$@
MK
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j2 -C "$d/$1/lib" \
		-f abi.mk
}
for v in old new broken; do
	mkdir -p "$d/$v"
	cp -r "$top_srcdir/lib" "$d/$v/lib"
	chmod -R u+w "$d/$v/lib"	# distcheck's source tree is read-only
	rm -f "$d/$v"/lib/*/*.o "$d/$v"/lib/*/*.lo
done
# The new release: one more option, appended as the header says, with
# its definition and a field of its own behind the opaque handle.
/usr/bin/python3 - "$d/new/lib" <<'PY'
import re, sys
lib = sys.argv[1]
h = open(lib + "/certdiag.h").read()
last = max(int(v) for v in re.findall(r"CD_OPT_[A-Z0-9_]+ = (\d+),", h))
h = h.replace("\tCD_OPT__COUNT", "\tCD_OPT_ADDED_LATER = %d,\n\tCD_OPT__COUNT" % (last + 1), 1)
open(lib + "/certdiag.h", "w").write(h)
c = open(lib + "/core/opts.c").read()
c = c.replace("};\n\n_Static_assert", "\t{\"added-later\", CD_OPT_ADDED_LATER, true, NULL, FLAG(added_later)},\n};\n\n_Static_assert", 1)
open(lib + "/core/opts.c", "w").write(c)
o = open(lib + "/core/opts.h").read()
o = o.replace("\tstruct cd_err last;\n", "\tstruct cd_err last;\n\tbool added_later;\n", 1)
open(lib + "/core/opts.h", "w").write(o)
PY
# The control, so that the check is seen to fail: a field put into a
# public struct, the kind of change the opaque options avoid.
sed -i 's|^\tcd_rc rc;$|&\n\tvoid *added_field;|' "$d/broken/lib/certdiag.h"
if grep -q CD_OPT_ADDED_LATER "$d/new/lib/certdiag.h" &&
	grep -q added_field "$d/broken/lib/certdiag.h" &&
	build old >"$d/old.log" 2>&1 && build new >"$d/new.log" 2>&1 &&
	build broken >"$d/broken.log" 2>&1; then
	ok "old and new library built (the new one with CD_OPT_ADDED_LATER)"
else
	not_ok "old and new library built"
	cat "$d"/*.log | head -40 | sed 's/^/# /'
	exit 1
fi
for v in old new broken; do
	mkdir -p "$d/$v/include"
	cp "$d/$v/lib/certdiag.h" "$d/$v/include/"
	timeout 300 abi-dumper "$d/$v/libcertdiag.so.0" -o "$d/$v.dump" -lver "$v" \
		-public-headers "$d/$v/include" >"$d/$v-dump.log" 2>&1 ||
		{ sed 's/^/# /' "$d/$v-dump.log"; }
done
(cd "$d" && timeout 300 abi-compliance-checker -l certdiag -old old.dump -new new.dump \
	-report-path report.html >checker.log 2>&1) || true
sed 's/^/# /' "$d/checker.log"
if grep -q '^Binary compatibility: 100%' "$d/checker.log"; then
	ok "abi-compliance-checker: binary compatible"
else
	not_ok "abi-compliance-checker: binary compatible"
fi
if grep -q '^Source compatibility: 100%' "$d/checker.log"; then
	ok "abi-compliance-checker: source compatible"
else
	not_ok "abi-compliance-checker: source compatible"
fi
(cd "$d" && timeout 300 abi-compliance-checker -l certdiag -old old.dump \
	-new broken.dump -report-path broken.html >broken-checker.log 2>&1) || true
if grep -q '^Binary compatibility: 100%' "$d/broken-checker.log" ||
	! grep -q '^Binary compatibility: ' "$d/broken-checker.log"; then
	not_ok "the control: a field put into struct cd_err is reported as a break"
	sed 's/^/# /' "$d/broken-checker.log"
else
	ok "the control: a field put into struct cd_err is reported as a break ($(
		grep '^Binary compatibility: ' "$d/broken-checker.log"))"
fi
[ "$failed" = 0 ]
