#!/usr/bin/env bash
# Every long option a tool's --help lists appears in its man page and in
# its bash, zsh and fish completions (certdiag-exporter's too); and the completions work in the
# real shells (bash compgen, zsh compinit, fish complete -C).  And no
# source, test or build file cites a design document the repository does
# not hold (a reader must be able to follow every reference): the pages
# of doc/internals/ that files cite exist and ship, and every file,
# directory and function those pages name exists in the tree.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() { if "${@:2}" >/dev/null 2>&1; then ok "$1"; else not_ok "$1"; fi; }

# (Field by field and in both directions, option_tables.sh holds the man
# pages, completions and Icinga 2 CheckCommands to each --list-options.)
for t in certcheck caacheck http01check tlsalpn01check dns01check; do
	help=$("$top_builddir/tools/$t" --help)
	man="$top_srcdir/doc/$t.1"
	for o in $(grep -oE -- '--[a-z0-9-]+' <<<"$help" | sort -u); do
		name=${o#--}
		# The shared options are described once, in certcheck(1).
		if grep -q -- "Fl -$name\b" "$man" ||
			grep -q -- "Fl -$name\b" "$top_srcdir/doc/certcheck.1"; then
			ok "$t: $o in the man page"
		else
			not_ok "$t: $o in the man page"
		fi
		check "$t: $o in bash completion" grep -q -- "$o\b" "$top_srcdir/completions/bash/$t"
		check "$t: $o in zsh completion" grep -q -- "'$o[=[]" "$top_srcdir/completions/zsh/_$t"
		check "$t: $o in fish completion" grep -q -- "-l $name " "$top_srcdir/completions/fish/$t.fish"
	done
	got=$(bash -c "source '$top_srcdir/completions/bash/$t'; COMP_WORDS=($t --form); COMP_CWORD=1; _$t; echo \"\${COMPREPLY[*]}\"")
	check "$t: bash completes --form to --format" test "$got" = --format
	got=$(bash -c "source '$top_srcdir/completions/bash/$t'; COMP_WORDS=($t --format = j); COMP_CWORD=3; _$t; echo \"\${COMPREPLY[*]}\"")
	check "$t: bash completes --format=j to json" test "$got" = json
	if command -v fish >/dev/null; then
		got=$(fish -c "source '$top_srcdir/completions/fish/$t.fish'; complete -C'$t --format='" | cut -f1 | tr '\n' ' ')
		check "$t: fish completes --format= values" test "$got" = "--format=json --format=nagios --format=prometheus --format=text "
	else
		ok "$t: fish completion # SKIP fish not installed"
	fi
	if command -v zsh >/dev/null; then
		got=$(zsh -fc "autoload -Uz compinit; fpath=('$top_srcdir/completions/zsh' \$fpath); compinit -u -d \"\${TMPDIR:-/tmp}/zcd.\$\$\"; print \$_comps[$t]; rm -f \"\${TMPDIR:-/tmp}/zcd.\$\$\"")
		check "$t: zsh compinit binds _$t" test "$got" = "_$t"
	else
		ok "$t: zsh completion # SKIP zsh not installed"
	fi
done
# certdiag-exporter(8) describes every option its --help lists, and its
# --help every option the man page's synopsis names.
help=$("$top_builddir/tools/certdiag-exporter" --help)
man="$top_srcdir/doc/certdiag-exporter.8"
for o in $(grep -oE -- '--[a-z0-9-]+' <<<"$help" | sort -u); do
	name=${o#--}
	check "certdiag-exporter: $o in the man page" grep -q -- "^\.It .*Fl -$name\b" "$man"
	check "certdiag-exporter: $o in bash completion" grep -q -- "$o\b" "$top_srcdir/completions/bash/certdiag-exporter"
	check "certdiag-exporter: $o in zsh completion" grep -q -- "'$o[=[]" "$top_srcdir/completions/zsh/_certdiag-exporter"
	check "certdiag-exporter: $o in fish completion" grep -q -- "-l $name " "$top_srcdir/completions/fish/certdiag-exporter.fish"
done
got=$(bash -c "source '$top_srcdir/completions/bash/certdiag-exporter'; COMP_WORDS=(certdiag-exporter --conf); COMP_CWORD=1; _certdiag_exporter; echo \"\${COMPREPLY[*]}\"")
check "certdiag-exporter: bash completes --conf to --config" test "$got" = --config
if command -v zsh >/dev/null; then
	got=$(zsh -fc "autoload -Uz compinit; fpath=('$top_srcdir/completions/zsh' \$fpath); compinit -u -d \"\${TMPDIR:-/tmp}/zcd.\$\$\"; print \$_comps[certdiag-exporter]; rm -f \"\${TMPDIR:-/tmp}/zcd.\$\$\"")
	check "certdiag-exporter: zsh compinit binds _certdiag-exporter" test "$got" = "_certdiag-exporter"
else
	ok "certdiag-exporter: zsh completion # SKIP zsh not installed"
fi
if command -v fish >/dev/null; then
	got=$(fish -c "source '$top_srcdir/completions/fish/certdiag-exporter.fish'; complete -C'certdiag-exporter --max-c'" | cut -f1 | tr '\n' ' ')
	check "certdiag-exporter: fish completes --max-c" test "$got" = "--max-concurrent --max-connections "
else
	ok "certdiag-exporter: fish completion # SKIP fish not installed"
fi
for o in $(sed -n '/^\.Sh SYNOPSIS/,/^\.Sh/s/^\.Op Fl -\([a-z-]*\).*/\1/p' "$man" | sort -u); do
	check "certdiag-exporter: --$o of the man page's synopsis in --help" grep -q -- "--$o\b" <<<"$help"
done
# libcertdiag(3) lists every option of the library, and no other.
hdr=$(grep -oE '\bCD_OPT_[A-Z0-9_]+ = [0-9]+' "$top_srcdir/lib/certdiag.h" | cut -d' ' -f1 | sort -u)
man=$(grep -oE '\bCD_OPT_[A-Z0-9_]+' "$top_srcdir/doc/libcertdiag.3" | sort -u)
check "libcertdiag(3) names each CD_OPT_ of certdiag.h ($(echo "$hdr" | wc -l)), no other" \
	test "$hdr" = "$man"
# Names of the workplace's own notes, which never ship with the code.
# The repository's own style page is doc/internals/style.md: named so,
# or as a link between the pages of doc/internals/, it is one we hold.
foreign='style\.md|shared/spec|semantics\.md|cli\.md'
cited=$(cd "$top_srcdir" && for f in $(grep -rlE "$foreign" \
	lib tools tests scripts doc contrib bench completions configure.ac \
	Makefile.am README.md 2>/dev/null | grep -v '^tests/integration/docs_sync\.sh$'); do
	sed -E 's#doc/internals/style\.md##g; s#\[style\.md\]\(style\.md\)##g' "$f" |
		grep -qE "$foreign" && echo "$f"
done)
check "no file cites a document outside the repository${cited:+: $cited}" test -z "$cited"

# The design notes in doc/internals/: every page that a file names
# (as doc/internals/PAGE.md) or that a page links to exists, and ships.
internals=$top_srcdir/doc/internals
pages=$(cd "$top_srcdir" && {
	grep -rhoE --exclude=docs_sync.sh 'doc/internals/[A-Za-z0-9_.-]+\.md' lib tools tests \
		scripts doc contrib bench completions configure.ac Makefile.am \
		README.md 2>/dev/null
	grep -hoE '\]\([A-Za-z0-9_.-]+\.md\)' doc/internals/*.md 2>/dev/null |
		sed -E 's#^\]\(#doc/internals/#; s#\)$##'
} | sort -u)
check "doc/internals/ has its pages" test -n "$pages"
for p in $pages; do
	check "$p, cited, exists" test -f "$top_srcdir/$p"
done
for p in "$internals"/*.md; do
	p=doc/internals/${p##*/}
	check "$p is in doc/local.am (make dist ships it)" \
		grep -qF "$p" "$top_srcdir/doc/local.am"
done
# Every repository path the pages name exists (placeholders such as
# <name> and the build tree's outputs aside), and every function they
# name with "()" is defined or declared in the tree, or is one of the
# system's or a library's.
named=$(sed -E 's#[A-Za-z0-9_./-]*<[^>]*>[A-Za-z0-9_./<>-]*##g' "$internals"/*.md |
	grep -oE '(^|[^A-Za-z0-9_./-])(lib|tools|tests|doc|scripts|bench|contrib|completions|data)/[A-Za-z0-9_./-]*[A-Za-z0-9_/]' |
	sed -E 's#^[^a-z]##' | grep -vE '^tests/(json-capture|fuzz/crashes)/' | sort -u)
for p in $named; do
	# (the libraries, lib/*.la, are the build's)
	check "doc/internals names $p, which exists" \
		test -e "$top_srcdir/$p" -o -e "$top_builddir/$p"
done
external=' abort exit main poll sigwait ub_ctx_set_option '
for f in $(grep -ohE '`[A-Za-z_][A-Za-z0-9_]*\(\)`' "$internals"/*.md | tr -d '`()' | sort -u); do
	case $external in *" $f "*) continue ;; esac
	check "doc/internals names $f(), which the tree defines" \
		grep -rqE "^$f\(|^#define $f\(|^[A-Za-z].*[ *]$f\(" \
		"$top_srcdir/lib" "$top_srcdir/tools" "$top_srcdir/tests" \
		--include='*.c' --include='*.h'
done
echo "1..$n"
