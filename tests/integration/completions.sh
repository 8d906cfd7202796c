#!/usr/bin/env bash
# completions.sh: the completions in the real shells, beyond what
# docs_sync.sh checks: option values (--method, --color), files where a
# file is expected (--cafile, --cert, -f), directories for --webroot,
# and the Nagios names bound to the same functions (bash, fish); the
# problem codes of --ignore and --severity (CODE,... and CODE:LEVEL,...),
# every one the tool knows (its --list-problems), in all three shells.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
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

is "bash: caacheck --method=<tab>" "$(bcomp caacheck --method = '')" "dns-01 dns-account-01 dns-persist-01 http-01 tls-alpn-01 "
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
		"--method=dns-01 --method=dns-account-01 --method=dns-persist-01 --method=http-01 --method=tls-alpn-01 "
	is "fish: check_caa --method=<tab> (Nagios name)" \
		"$(f "$c/fish/caacheck.fish" 'check_caa --method=')" \
		"--method=dns-01 --method=dns-account-01 --method=dns-persist-01 --method=http-01 --method=tls-alpn-01 "
	is "fish: certcheck --cafile r<tab> offers the file" \
		"$(f "$c/fish/certcheck.fish" 'certcheck --cafile r')" "root.pem "
	is "fish: http01check --webroot w<tab> offers the directory" \
		"$(f "$c/fish/http01check.fish" 'http01check --webroot w')" "webroot/ "
else
	for i in 1 2 3 4; do ok "fish case $i # SKIP fish not installed"; done
fi
# --- problem codes ----------------------------------------------------------
# bline TOOL LINE: what bash offers at the end of LINE (as typed, the
# tool named by its built path), one per line, sorted; bash splits the
# words at '=' and ':' as its COMP_WORDBREAKS says.
bline() {
	bash -c 'source "$0"; COMP_LINE=$2; COMP_POINT=${#COMP_LINE}
		COMP_WORDS=($2); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		[[ $2 == *[=:\ ] ]] && COMP_WORDS+=("") && COMP_CWORD=$((COMP_CWORD + 1))
		"_$1"; [ ${#COMPREPLY[@]} = 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort' \
		"$c/bash/$1" "$1" "$2"
}
for t in certcheck caacheck http01check tlsalpn01check dns01check; do
	bin=$top_builddir/tools/$t
	codes=$("$bin" --list-problems | cut -f1 | sort)
	if [ "$(wc -l <<<"$codes")" -ge 90 ] && grep -qx cert_expired <<<"$codes" &&
		grep -qx sct_insufficient <<<"$codes"; then
		ok "$t --list-problems: every code, one a line"
	else
		not_ok "$t --list-problems: every code, one a line"
	fi
	is "$t --help does not list --list-problems" "$("$bin" --help | grep -c list-problems)" 0
	is "bash: $t --ignore=<tab> offers every code" "$(bline "$t" "$bin --ignore=")" "$codes"
	is "bash: $t --severity=<tab> offers every code, a colon after it" \
		"$(bline "$t" "$bin --severity=" | sed 's/:$//')" "$codes"
	is "bash: $t --ignore a,chain_or<tab>" "$(bline "$t" "$bin --ignore a,chain_or")" "a,chain_order"
	is "bash: $t --severity=weak_key:ok,cert_expired:c<tab>" \
		"$(bline "$t" "$bin --severity=weak_key:ok,cert_expired:c")" "critical"
	if command -v fish >/dev/null; then
		is "fish: $t --ignore=<tab> offers every code" \
			"$(f "$c/fish/$t.fish" "$bin --ignore=" | tr ' ' '\n' | sed 's/^--ignore=//; /^$/d')" "$codes"
		is "fish: $t --severity cert_expired:w<tab>" \
			"$(f "$c/fish/$t.fish" "$bin --severity a:ok,cert_expired:w")" "a:ok,cert_expired:warning "
	else
		for i in 1 2; do ok "fish case $i # SKIP fish not installed"; done
	fi
	# zsh: the helper the spec calls, with _describe standing in for the
	# completion system (tests/integration/docs_sync.sh binds the files).
	if command -v zsh >/dev/null; then
		is "zsh: $t --ignore= offers every code" "$(zsh -fc '_arguments() { :; }
			_describe() { print -rl -- ${(P)4}; }; compset() { return 1; }
			source "$1"; words=("$2" --ignore=); _certdiag_problems' \
			zsh "$c/zsh/_$t" "$bin" | cut -d: -f1 | sort)" "$codes"
	else
		ok "zsh case # SKIP zsh not installed"
	fi
done
# Each shell loads a completion file by the command's name, so every
# file carries its own copy of the problem-code helper: the copies must
# stay the same, line for line.
helper() { # SHELL FILE: the helper's lines in FILE
	case $1 in
	bash) sed -n '/^_certdiag_problems()/,/^}/p' "$2" ;;
	zsh) sed -n '/_certdiag_problems() {$/,/^}/p' "$2" ;;
	fish) sed -n '/^function __certdiag_problems/,/^end/p' "$2" ;;
	esac
}
for sh in bash zsh fish; do
	case $sh in
	bash) files="$c/bash/certcheck $c/bash/caacheck $c/bash/http01check $c/bash/tlsalpn01check $c/bash/dns01check" ;;
	zsh) files="$c/zsh/_certcheck $c/zsh/_caacheck $c/zsh/_http01check $c/zsh/_tlsalpn01check $c/zsh/_dns01check" ;;
	fish) files="$c/fish/certcheck.fish $c/fish/caacheck.fish $c/fish/http01check.fish $c/fish/tlsalpn01check.fish $c/fish/dns01check.fish" ;;
	esac
	first=${files%% *} same=yes
	[ "$(helper "$sh" "$first" | wc -l)" -gt 5 ] || same=no
	for f in $files; do
		[ "$(helper "$sh" "$f")" = "$(helper "$sh" "$first")" ] || same=no
	done
	is "$sh: the problem-code helper is the same in every tool's file" "$same" yes
done
echo "1..$n"
