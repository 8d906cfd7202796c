#!/usr/bin/env bash
# The JSON reports' field names are written once, in lib/core/jkey.c:
# no other file in lib/ hands a string literal as the key to
# cd_json_set, json_object_set*, json_object_get or json_object_del
# (cd_json_setk and cd_json_getk take the enum).  The objects keyed by
# data, not by field name, are allowed below by file and key.  And no
# name in the table is dead: each enum value is used outside the table.
# tests/unit/test_jkey checks the table against doc/schema/.  Each
# check is first shown to catch a breach.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }

# Data keys, "FILE KEY": the record types of the "dns" object (one per
# address family); the CT log list that --ct-logs reads, a file format
# of its own and not a report.
allowed='lib/checks/ca_addrs.c A
lib/checks/ca_addrs.c AAAA
lib/tls/sct.c log_id'

# "FILE:LINE KEY" for every string literal in the key argument (the
# second) of those calls in the files given, comments left out.
literal_keys() {
	perl -0777 -ne '
		my $f = $ARGV;
		s{/\*.*?\*/}{my $c = $&; $c =~ tr/\n//cd; $c}gse;
		while (/\b(cd_json_set|json_object_(?:set(?:_new)?(?:_nocheck)?|get|del))\s*\(/g) {
			my ($start, $i, $depth, $arg, $key) = (pos, pos, 1, 0, "");
			while ($i < length && $depth > 0) {
				my $c = substr($_, $i, 1);
				if ($c eq "\"") {
					my $j = $i + 1;
					$j++ while substr($_, $j, 1) ne "\"" &&
					    (substr($_, $j, 1) ne "\\" || $j++);
					$key .= substr($_, $i, $j - $i + 1) . " "
					    if $arg == 1 && $depth == 1;
					$i = $j;
				} elsif ($c eq "(") { $depth++ }
				elsif ($c eq ")") { $depth-- }
				elsif ($c eq "," && $depth == 1) { $arg++ }
				$i++;
			}
			next if $key eq "";
			my $line = 1 + (substr($_, 0, $start) =~ tr/\n//);
			for my $k ($key =~ /"([^"]*)"/g) {
				print "$f:$line $k\n";
			}
		}
		' "$@"
}

# The found keys that the allow list does not name.
breaches() {
	local f k
	while read -r f k; do
		grep -qxF "${f%%:*} $k" <<<"$allowed" || echo "$f $k"
	done
}

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lib"
cat >"$tmp/lib/bad.c" <<'EOF'
/* cd_json_set(o, "in_a_comment", v) is not code */
cd_json_setk(o, CD_K_CHAIN, v);
cd_json_set(o, proto, json_true());
cd_json_set(json_object_get(d, "dns"), k ? "A" : "AAAA", v);
json_object_set_new(o,
    "days_left", v);
x = json_string_value(json_object_get(f(a, "not_a_key"), "subject"));
EOF
got=$(cd "$tmp" && literal_keys lib/bad.c | tr '\n' ' ')
want='lib/bad.c:4 A lib/bad.c:4 AAAA lib/bad.c:4 dns lib/bad.c:5 days_left lib/bad.c:7 subject '
if [ "$got" = "$want" ]; then
	ok "the check finds literal keys (across lines, in a ternary, nested) and only those"
else
	not_ok "the check finds literal keys (across lines, in a ternary, nested) and only those"
	echo "# got:  $got"
	echo "# want: $want"
fi

cd "$top_srcdir" || exit 2
files=$(find lib -name '*.[ch]' ! -path lib/core/jkey.c | sort)
count=$(wc -w <<<"$files")
if [ "$count" -gt 100 ]; then
	ok "$count files in lib/ looked at"
else
	not_ok "files in lib/ looked at (only $count)"
fi
# shellcheck disable=SC2086 # one word per file
found=$(literal_keys $files)
bad=$(breaches <<<"$found")
if [ -z "$bad" ]; then
	ok "no field name as a string literal outside lib/core/jkey.c"
else
	not_ok "no field name as a string literal outside lib/core/jkey.c"
	sed 's/^/# /' <<<"$bad"
fi
# An entry that matches nothing any more is one to remove.
while read -r f k; do
	if grep -qE "^$f:[0-9]+ $k\$" <<<"$found"; then
		ok "allowed data key $k in $f is still there"
	else
		not_ok "allowed data key $k in $f is still there"
	fi
done <<<"$allowed"

# Dead names: a key in the table that nothing writes or reads.
names=$(grep -oE '\bCD_K_[A-Z0-9_]+' lib/core/jkey.h | sort -u)
if [ "$(wc -w <<<"$names")" -gt 100 ]; then
	ok "$(wc -w <<<"$names") names in lib/core/jkey.h"
else
	not_ok "the names in lib/core/jkey.h (found $(wc -w <<<"$names"))"
fi
dead=''
for k in $names; do
	# shellcheck disable=SC2086
	grep -qw "$k" $(grep -v '^lib/core/jkey\.[ch]$' <<<"$files") ||
		dead="$dead $k"
done
if [ -z "$dead" ]; then
	ok "every CD_K_ name is used outside the table"
else
	not_ok "every CD_K_ name is used outside the table"
	echo "# unused:$dead"
fi
echo "1..$n"
