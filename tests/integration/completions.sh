#!/usr/bin/env bash
# completions.sh: the completions in the real shells, beyond what
# docs_sync.sh checks: option values (--method, --color), files where a
# file is expected (--cafile, --cert, -f), directories for --webroot,
# and the Nagios names bound to the same functions (bash, fish).
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
c=$top_srcdir/completions
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
is() { # DESC GOT WANT
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "# got '$2', want '$3'"; fi
}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
mkdir "$d/webroot"
: >"$d/root.pem"
cd "$d" || exit 1

# tool NAME: the tool behind a name (check_cert -> certcheck).
tool() {
	case $1 in
	check_cert) echo certcheck ;;
	check_caa) echo caacheck ;;
	check_http01) echo http01check ;;
	check_tlsalpn01) echo tlsalpn01check ;;
	check_dns01) echo dns01check ;;
	*) echo "$1" ;;
	esac
}

# bcomp NAME WORD...: what bash offers for the last word, sorted.
bcomp() {
	local t
	t=$(tool "$1")
	bash -c 'source "$0"; f=$1; shift; COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1)); "$f"
		[ ${#COMPREPLY[@]} = 0 ] ||
			printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
		"$c/bash/$t" "_$t" "$@"
}

is "bash: caacheck --method=<tab>" "$(bcomp caacheck --method = '')" "dns-01 http-01 tls-alpn-01 "
is "bash: caacheck --method t<tab>" "$(bcomp caacheck --method t)" "tls-alpn-01 "
is "bash: dns01check --method=<tab>" "$(bcomp dns01check --method = '')" "dns-01 dns-account-01 dns-persist-01 "
is "bash: certcheck --color=<tab>" "$(bcomp certcheck --color = '')" "always auto never "
is "bash: certcheck --cafile=r<tab> offers the file" "$(bcomp certcheck --cafile = r)" "root.pem "
is "bash: certcheck --cert r<tab> offers the file" "$(bcomp certcheck --cert r)" "root.pem "
is "bash: certcheck -f r<tab> offers the file" "$(bcomp certcheck -f r)" "root.pem "
is "bash: http01check --webroot=w<tab> offers the directory" \
	"$(bcomp http01check --webroot = w)" "webroot "
is "bash: http01check --webroot=r<tab> offers no plain file" \
	"$(bcomp http01check --webroot = r)" ""
for l in check_cert:certcheck check_caa:caacheck check_http01:http01check \
	check_tlsalpn01:tlsalpn01check check_dns01:dns01check; do
	got=$(bash -c 'source "$0"; complete -p "$1"' "$c/bash/${l#*:}" "${l%%:*}" 2>&1)
	is "bash: ${l%%:*} bound to _${l#*:}" "$got" "complete -F _${l#*:} ${l%%:*}"
done

if command -v fish >/dev/null; then
	f() { # FILE COMMANDLINE
		fish -c "source '$1'; complete -C'$2'" | cut -f1 | sort | tr '\n' ' '
	}
	is "fish: caacheck --method=<tab>" "$(f "$c/fish/caacheck.fish" 'caacheck --method=')" \
		"--method=dns-01 --method=http-01 --method=tls-alpn-01 "
	is "fish: check_caa --method=<tab> (Nagios name)" \
		"$(f "$c/fish/caacheck.fish" 'check_caa --method=')" \
		"--method=dns-01 --method=http-01 --method=tls-alpn-01 "
	is "fish: certcheck --cafile r<tab> offers the file" \
		"$(f "$c/fish/certcheck.fish" 'certcheck --cafile r')" "root.pem "
	is "fish: http01check --webroot w<tab> offers the directory" \
		"$(f "$c/fish/http01check.fish" 'http01check --webroot w')" "webroot/ "
else
	for i in 1 2 3 4; do ok "fish case $i # SKIP fish not installed"; done
fi
echo "1..$n"
