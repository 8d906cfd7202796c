#!/usr/bin/env bash
# Files that do one thing: no C source or header in lib/ or tools/ runs
# past 800 lines (a longer one holds more than one concern; split it).
# And lib/'s layers (doc/internals/architecture.md): a file includes the
# headers of its own layer and of the layers below (core, then dns | tls
# | http, then checks, then output), the exceptions listed below with
# their reasons; tools/ include only certdiag.h, config.h and their own
# headers.  Each rule's
# check is first shown to catch a breach.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
max=800
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }

# The files under the given directories longer than $max lines.
too_long() {
	find "$@" -type f \( -name '*.c' -o -name '*.h' \) \
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
	count=$(find "$top_srcdir/$d" -name '*.c' | wc -l)
	if [ "$count" -gt 0 ]; then
		ok "$d/: $count .c files looked at"
	else
		not_ok "$d/: .c files looked at"
	fi
done

# The rank of a layer: the lower may not include the higher.
rank() {
	case $1 in
	core) echo 0 ;;
	dns | tls | http) echo 1 ;;
	checks) echo 2 ;;
	output) echo 3 ;;
	*) echo 9 ;;
	esac
}
# Edges that cross the rule on purpose, FILE:HEADER, each with its why.
allowed="
core/ctx.c:caview.h core/ctx.c:dnsmsg.h core/ctx.c:certcache.h
core/ctx.c:sct.h core/ctx.c:trust.h
core/opts.c:proxy.h
tls/crl.c:dns.h tls/crl.c:http.h
tls/dane.c:dns.h tls/dane.c:caview.h tls/dane.c:dnsmsg.h
tls/dane.c:viewlookup.h
"
# ctx.c makes the context: the trust store, the CT log list, the CA's
# resolvers and the certificate cache it holds (ctx.h names them only).
# opts.c refuses a bad --proxy when it is set, with the proxy's parser.
# crl.c fetches a CRL over HTTP with our resolver; dane.c reads TLSA
# records through the CA's view.

# layer_breaches LIBDIR: every include that breaks the rule, one a line.
layer_breaches() {
	local lib=$1 f rel l h hp hl
	for f in "$lib"/*/*.c "$lib"/*/*.h; do
		[ -e "$f" ] || continue
		rel=${f#"$lib"/}
		l=${rel%%/*}
		while IFS= read -r h; do
			hp=$(cd "$lib" && ls -- */"$h" "$h" 2>/dev/null | head -n 1)
			[ -n "$hp" ] || continue	# config.h, built
			# certdiag.h, at lib/'s top, is core's.
			case $hp in */*) hl=${hp%%/*} ;; *) hl=core ;; esac
			[ "$hl" != "$l" ] || continue
			if [ "$(rank "$hl")" -lt "$(rank "$l")" ]; then
				continue
			fi
			case " $(echo $allowed) " in
			*" $rel:$h "*) ;;
			*) echo "$rel includes $h ($l -> $hl)" ;;
			esac
		done < <(sed -n 's/^#include "\(.*\)".*/\1/p' "$f")
	done
}

# The check on a tree with one breach: a core file including a check's.
mkdir -p "$tmp/lib/core" "$tmp/lib/checks"
printf '#include "caa.h"\n' >"$tmp/lib/core/x.c"
: >"$tmp/lib/checks/caa.h"
got=$(layer_breaches "$tmp/lib")
if [ "$got" = "core/x.c includes caa.h (core -> checks)" ]; then
	ok "the layer check catches a core file including a check's header"
else
	not_ok "the layer check catches a core file including a check's header"
	echo "# got: $got"
fi
breaches=$(layer_breaches "$top_srcdir/lib")
if [ -z "$breaches" ]; then
	ok "lib/: every include keeps to the layers (or is a listed exception)"
else
	not_ok "lib/: every include keeps to the layers"
	sed 's/^/# /' <<<"$breaches"
fi
nfiles=0 ndirs=0
for l in core dns tls http checks output; do
	k=$(find "$top_srcdir/lib/$l" -maxdepth 1 -name '*.[ch]' 2>/dev/null | wc -l)
	nfiles=$((nfiles + k))
	[ "$k" -eq 0 ] || ndirs=$((ndirs + 1))
done
if [ "$nfiles" -gt 50 ] && [ "$ndirs" -eq 6 ]; then
	ok "lib/: $nfiles files in $ndirs layer directories looked at"
else
	not_ok "lib/: the layer directories looked at ($nfiles files, $ndirs dirs)"
fi
# Each exception still exists: a fixed edge leaves the list.
stale=
for e in $allowed; do
	grep -q "^#include \"${e#*:}\"" "$top_srcdir/lib/${e%%:*}" 2>/dev/null ||
		stale="$stale $e"
done
if [ -z "$stale" ]; then
	ok "every listed exception is still an include"
else
	not_ok "listed exceptions that are no longer includes:$stale"
fi
# The tools are thin: the public header, their own headers, the build's
# config.h; never a library's internal one.
others=$(cd "$top_srcdir/tools" && for f in ./*.c ./*.h; do
	sed -n 's/^#include "\(.*\)".*/\1/p' "$f" | while IFS= read -r h; do
		case $h in certdiag.h | config.h) continue ;; esac
		[ -e "$h" ] || echo "$f includes $h"
	done
done)
if [ -z "$others" ]; then
	ok "tools/ include only certdiag.h, config.h and their own headers"
else
	not_ok "tools/ include only certdiag.h, config.h and their own headers"
	sed 's/^/# /' <<<"$others"
fi
echo "1..$n"
