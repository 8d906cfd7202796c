#!/usr/bin/env bash
# option_tables.sh: each tool's option table (its --list-options, the
# one source) against everything that repeats it, field by field and in
# both directions (an option the tool lacks is as wrong as one missing):
#  - the man page: an .It Fl entry per option, the short letter before
#    the long name iff there is one, "Ns = Ns Ar" iff it takes a value
#    and "Ns Op = Ns Ar" iff the value is optional;
#  - bash (run in bash): the options offered equal the table; those that
#    take a value complete a value, fixed values exactly, files files,
#    --webroot directories; no case arm for an option the tool lacks;
#  - zsh: a spec per name and letter, '=' / '=-' / '+' iff a value,
#    the value list, _files, _files -/;
#  - fish: -s iff a letter, -r/-x iff a value, -a the value list;
#  - Icinga 2 (contrib/icinga2/certdiag.conf.in): every argument an
#    option of that tool (certdiag-common's: of every tool), set_if
#    without value exactly for the flags; and every option of the
#    tool's own table an argument, but those no monitoring wants;
#  - and the fixed values themselves: each accepted, another refused.
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
mkdir "$d/dir"
: >"$d/f.pem"
cd "$d" || exit 1
tools="certcheck caacheck http01check tlsalpn01check dns01check"

# sorted LIST...: the words of the lists (split at blanks and commas),
# sorted, each followed by a space.
sorted() { tr ', \t' '[\n*]' <<<"$*" | sed '/^$/d' | sort | tr '\n' ' '; }
# csv LIST: a comma-separated list sorted ("-" stays "-").
csv() { tr ',' '\n' <<<"$1" | sort | paste -sd, -; }

# --- the man pages ------------------------------------------------------
# manopts PAGE: "long short takes values" for each option an .It line
# names.  Items are split at the commas outside Oo/Oc (Op encloses the
# rest of the line); "Fl X , Fl -name" is one option; the values are
# the Cm words after the "=" (or "-").
manopts() {
	awk '
	function flush() {
		if (nt == 0) return
		if (t[1] != "Fl" || nt < 2) { print "BAD\t-\t" line; nt = 0; return }
		name = t[2]; rest = ""
		for (k = 3; k <= nt; k++) rest = rest " " t[k]
		if (name !~ /^-/) {
			if (rest != "" || pend != "") print "BAD\t-\t" line
			pend = name; nt = 0; return
		}
		takes = rest == "" ? "none" : \
		    rest ~ /^ Ns = Ns (Ar|Cm) / ? "required" : \
		    rest ~ /^ Ns Op = Ns (Ar|Cm) / ? "optional" : "BAD"
		vals = ""
		for (k = 3; k <= nt; k++)
			if (t[k] == "Cm") vals = vals (vals == "" ? "" : ",") t[k + 1]
		print substr(name, 2) "\t" (pend == "" ? "-" : pend) "\t" takes "\t" (vals == "" ? "-" : vals)
		pend = ""; nt = 0
	}
	/^\.It Fl / {
		line = $0; nt = 0; depth = 0; pend = ""
		for (i = 2; i <= NF; i++) {
			if ($i == "," && depth == 0) { flush(); continue }
			if ($i == "Oo") depth++
			if ($i == "Oc") depth--
			if ($i == "Op") depth = 99
			t[++nt] = $i
		}
		flush()
		if (pend != "") print "BAD\t-\t" line
	}' "$1"
}

# --- bash -----------------------------------------------------------------
# bcomp TOOL WORD...: what bash offers for the last word, sorted (the
# tool named by its built path, so that it can ask the tool itself).
bcomp() {
	bash -c 'source "$0"; f=$1; shift; COMP_WORDS=("$@")
		COMP_LINE="$*"; COMP_LINE=${COMP_LINE// = /=}; COMP_POINT=${#COMP_LINE}
		COMP_CWORD=$(($# - 1)); "$f"
		[ ${#COMPREPLY[@]} = 0 ] ||
			printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
		"$c/bash/$1" "_$1" "$top_builddir/tools/$1" "${@:2}"
}

# --- zsh ------------------------------------------------------------------
# zspecs FILE: "flag form action" for each option spec of _arguments:
# flag -X or --name, form + = =- or "" (none), the action after the
# description and message ("(a b)", "_files -/", ...).
zspecs() {
	sed -nE "s/^[[:space:]]*'(\\*)?(\\([^)]*\\))?(-[A-Za-z0-9]|--[a-z0-9-]+)(\\+|=-|=)?\\[([^]\\\\]|\\\\.)*\\](:([^:\\\\]|\\\\.)*:(.*))?' *\\\\?\$/\\3	\\4	\\8/p" "$1" |
		awk -F'\t' -v OFS='\t' '{ for (i = 2; i <= 3; i++) if ($i == "" || $i == " ") $i = "-"; print }'
}

# --- fish -----------------------------------------------------------------
# fspecs FILE: "long short flags values" for each complete line: flags
# the letters of -r -x -f -F, values the -a argument.
fspecs() {
	awk '/^[[:space:]]*complete -c / {
		l = "-"; s = "-"; fl = ""; a = "-"
		for (i = 1; i <= NF; i++) {
			if ($i == "-l") l = $(i + 1)
			else if ($i == "-s") s = $(i + 1)
			else if ($i ~ /^-[rxfF]$/) fl = fl substr($i, 2)
			else if ($i == "-a") {
				a = $(++i)
				while (a !~ /^\x27.*\x27$/ && i < NF) a = a " " $(++i)
				gsub(/\x27/, "", a)
				gsub(/ /, ",", a)
			}
		}
		print l "\t" s "\t" (fl == "" ? "-" : fl) "\t" a
	}' "$1"
}

# --- Icinga 2 -------------------------------------------------------------
# iargs: "template key value set_if skip_key" for each argument of
# each CheckCommand template (1 or 0 for the three).
iargs() {
	awk '
	/^template CheckCommand "/ { tpl = $3; gsub(/"/, "", tpl) }
	/^\t\t"[^"]+" = \{/ { key = $1; gsub(/"/, "", key); v = 0; si = 0; sk = 0; inarg = 1; next }
	inarg && /^\t\t\t(value|set_if|skip_key) / {
		if ($1 == "value") v = 1; else if ($1 == "set_if") si = 1; else sk = 1
	}
	inarg && /^\t\t\}/ { print tpl "\t" key "\t" v "\t" si "\t" sk; inarg = 0 }
	' "$top_srcdir/contrib/icinga2/certdiag.conf.in"
}
icinga=$(iargs)
is "the Icinga 2 file has arguments" "$([ -n "$icinga" ] && echo yes)" yes
common=$(awk -F'\t' '$1 == "certdiag-common"' <<<"$icinga")

for t in $tools; do
	bin=$top_builddir/tools/$t
	table=$("$bin" --list-options)
	visible=$(awk -F'\t' '$7 != "hidden"' <<<"$table")
	if [ "$(awk -F'\t' 'NF != 7' <<<"$table" | wc -l)" = 0 ] &&
		grep -q '^help	h	none	-	-	-	shared$' <<<"$table" &&
		grep -q '^list-options	-	none	-	-	-	hidden$' <<<"$table"; then
		ok "$t --list-options: seven fields a line, shared and hidden too"
	else
		not_ok "$t --list-options: seven fields a line, shared and hidden too"
	fi
	is "$t --help does not list --list-options" "$("$bin" --help | grep -c -- --list-options)" 0
	# field NAME COLUMN: one field of an option's row (2 short, 3 takes,
	# 4 kind, 5 metavar, 6 values, 7 where).
	field() { awk -F'\t' -v n="$1" -v k="$2" '$1 == n { print $k; exit }' <<<"$table"; }

	# --- the fixed values, accepted; a word outside them refused -------
	while IFS=$'\t' read -r name _ takes kind _ values _; do
		[ "$values" = - ] && continue
		for v in ${values//,/ }; do
			"$bin" "--$name=$v" --help >/dev/null 2>&1
			is "$t --$name=$v accepted" $? 0
		done
		if [ "$kind" = string ]; then
			"$bin" "--$name=bogus" --help >/dev/null 2>&1
			is "$t --$name=bogus refused (a fixed set)" $? 3
		fi
	done <<<"$table"

	# --- man page ---------------------------------------------------------
	man=$(manopts "$top_srcdir/doc/$t.1")
	shared_man=$(manopts "$top_srcdir/doc/certcheck.1")
	bad=$(awk -F'\t' '$1 == "BAD" || $3 == "BAD"' <<<"$man")
	is "$t.1: every .It Fl line parses (letter before name, = Ar, Op = Ar)" "$bad" ""
	while IFS=$'\t' read -r name short takes vals; do
		[ "$name" = BAD ] && continue
		if [ -z "$(field "$name" 1)" ]; then
			not_ok "$t.1: --$name is an option of $t"
			continue
		fi
		is "$t.1: --$name's letter" "$short" "$(field "$name" 2)"
		is "$t.1: --$name takes a value: $(field "$name" 3)" "$takes" "$(field "$name" 3)"
		[ "$vals" = - ] ||
			is "$t.1: --$name's Cm values" "$(csv "$vals")" "$(csv "$(field "$name" 6)")"
	done <<<"$man"
	while IFS=$'\t' read -r name _ _ _ _ _ where; do
		# The shared and hidden ones may be described once, in certcheck(1).
		if grep -q "^$name	" <<<"$man" || { [ "$where" != tool ] &&
			grep -q "^$name	" <<<"$shared_man"; }; then
			ok "$t.1 describes --$name"
		else
			not_ok "$t.1 describes --$name"
		fi
	done <<<"$table"

	# --- bash -------------------------------------------------------------
	want=$(awk -F'\t' '{ print "--" $1; if ($2 != "-") print "-" $2 }' <<<"$visible")
	is "bash: $t -<tab> offers its options, no other" "$(bcomp "$t" -)" "$(sorted "$want")"
	arms=$(sed -n "/^_$t()/,/^}/p" "$c/bash/$t" | grep -E '^[[:space:]]+-[-|a-zA-Z0-9]*\)' |
		sed -E 's/^[[:space:]]+//; s/\)$//' | tr '|' '\n')
	extra=$(for a in $arms; do grep -qx -- "$a" <<<"$want" || echo "$a"; done)
	is "bash: $t's case arms are options of $t" "$extra" ""
	while IFS=$'\t' read -r name short takes kind _ values _; do
		forms=("--$name")
		[ "$short" = - ] || forms+=("-$short")
		for o in "${forms[@]}"; do
			after=$(bcomp "$t" "$o" -)
			case $takes in
			required)
				is "bash: $t $o -<tab> completes its value" "$after" "" ;;
			*)
				case $after in
				*--help*) ok "bash: $t $o -<tab> is the next option" ;;
				*) not_ok "bash: $t $o -<tab> is the next option"; echo "# got '$after'" ;;
				esac ;;
			esac
			[ "$takes" = none ] && continue
			vals=$(sorted "${values#-}")
			if [ "$takes" = optional ]; then
				is "bash: $t $o=<tab>" "$(bcomp "$t" "$o" = '')" "$vals"
				continue
			fi
			got=$(bcomp "$t" "$o" '')
			case $kind in
			file) is "bash: $t $o <tab> offers files${values#-}" "$got" "$(sorted dir f.pem "${values#-}")" ;;
			dir) is "bash: $t $o <tab> offers directories" "$got" "dir " ;;
			*)
				if [ "$values" != - ]; then
					is "bash: $t $o <tab> offers its values" "$got" "$vals"
				else
					case $got in
					*f.pem* | *--help*) not_ok "bash: $t $o <tab> offers no file, no option"; echo "# got '$got'" ;;
					*) ok "bash: $t $o <tab> offers no file, no option" ;;
					esac
				fi ;;
			esac
			[ "${o#--}" = "$o" ] ||
				is "bash: $t $o=<tab> as $o <tab>" "$(bcomp "$t" "$o" = '')" "$got"
		done
	done <<<"$visible"

	# --- zsh --------------------------------------------------------------
	z=$(zspecs "$c/zsh/_$t")
	is "zsh: every option spec of _$t parses" "$(wc -l <<<"$z")" \
		"$(grep -c "^[[:space:]]*'[*(]*-" "$c/zsh/_$t")"
	want=$(awk -F'\t' '{ print "--" $1; if ($2 != "-") print "-" $2 }' <<<"$visible")
	is "zsh: _$t has a spec for each option and letter, no other" \
		"$(sorted "$(cut -f1 <<<"$z")")" "$(sorted "$want")"
	while IFS=$'\t' read -r flag form action; do
		if [ "${flag#--}" != "$flag" ]; then
			name=${flag#--}
		else
			name=$(awk -F'\t' -v s="${flag#-}" '$2 == s { print $1; exit }' <<<"$visible")
		fi
		takes=$(field "$name" 3)
		[ -n "$takes" ] || continue
		case $flag:$takes in
		--*:none) wantform=- ;;
		--*:required) wantform='=' ;;
		--*:optional) wantform='=-' ;;
		-?:none) wantform=- ;;
		*) wantform='+' ;;
		esac
		is "zsh: $t $flag's form ('$form')" "$form" "$wantform"
		values=$(field "$name" 6)
		case $(field "$name" 4):$values in
		-:*) is "zsh: $t $flag has no action" "$action" - ;;
		file:-) is "zsh: $t $flag completes files" "$action" "_files" ;;
		file:*) is "zsh: $t $flag completes files and $values" "$action" \
			"{_files; compadd - ${values//,/ }}" ;;
		dir:*) is "zsh: $t $flag completes directories" "$action" "_files -/" ;;
		*:-)
			case $action in
			'(*' | _files*) not_ok "zsh: $t $flag offers no list, no file"; echo "# got '$action'" ;;
			*) ok "zsh: $t $flag offers no list, no file" ;;
			esac ;;
		*)
			is "zsh: $t $flag offers its values" "$(sorted "$(tr -d '()' <<<"$action")")" \
				"$(sorted "$values")" ;;
		esac
	done <<<"$z"

	# --- fish -------------------------------------------------------------
	f=$(fspecs "$c/fish/$t.fish")
	is "fish: $t has a line for each option, no other" "$(sorted "$(cut -f1 <<<"$f")")" \
		"$(sorted "$(cut -f1 <<<"$visible")")"
	while IFS=$'\t' read -r name short flags a; do
		takes=$(field "$name" 3)
		[ -n "$takes" ] || continue
		is "fish: $t --$name's -s" "$short" "$(field "$name" 2)"
		values=$(field "$name" 6)
		case $takes:$(field "$name" 4) in
		none:*) wantf=-; wanta=- ;;
		optional:*) wantf=f; wanta=$values ;;
		required:file) wantf=rF; wanta=$values ;;
		required:dir) wantf=x; wanta='(__fish_complete_directories,(commandline,-ct))' ;;
		*) wantf=x; wanta=$values ;;
		esac
		case $name in ignore | severity) wanta='(__certdiag_problems)' ;; esac
		is "fish: $t --$name's -r/-x/-f/-F ($takes $(field "$name" 4))" "$flags" "$wantf"
		is "fish: $t --$name's -a" "$(csv "$a")" "$(csv "$wanta")"
	done <<<"$f"

	# --- Icinga 2 ---------------------------------------------------------
	mine=$(awk -F'\t' -v t="certdiag-$t" '$1 == t' <<<"$icinga")
	while IFS=$'\t' read -r tpl key v si sk; do
		[ -n "$key" ] || continue
		if [ "$sk" = 1 ]; then
			# A target, given without an option.
			is "icinga2 $tpl: $key (skip_key) is a value" "$v:$si" "1:0"
			continue
		fi
		case $key in
		--*) name=${key#--} ;;
		-?) name=$(awk -F'\t' -v s="${key#-}" '$2 == s { print $1; exit }' <<<"$visible") ;;
		*) name= ;;
		esac
		takes=$( [ -n "$name" ] && field "$name" 3)
		if [ -z "$takes" ] || [ "$(field "$name" 7)" = hidden ]; then
			not_ok "icinga2 $tpl: $key is an option of $t"
			continue
		fi
		# set_if alone for a flag; a value (set_if may make it conditional)
		# for an option that takes one.
		if [ "$takes" = none ]; then
			is "icinga2 $tpl: $key, a flag, has set_if and no value" "$v:$si" "0:1"
		else
			is "icinga2 $tpl: $key takes a value: value" "$v" 1
		fi
	done <<<"$common
$mine"
	# Every option of the tool's own table is there but --cert and its
	# companions (a file, not a service), --sni where it is an ignored
	# flag, and -H where a target variable (skip_key) stands for it.
	while IFS=$'\t' read -r name short takes _ _ _ _; do
		case $t:$name in certcheck:cert | certcheck:password-file | certcheck:key | certcheck:name) continue ;; esac
		[ "$name:$takes" = sni:none ] && continue
		[ "$name" = hostname ] && awk -F'\t' '$5 == 1 { f = 1 } END { exit !f }' <<<"$mine" &&
			continue
		if grep -q "	--$name	" <<<"$mine" ||
			{ [ "$short" != - ] && grep -q "	-$short	" <<<"$mine"; }; then
			ok "icinga2 certdiag-$t has --$name"
		else
			not_ok "icinga2 certdiag-$t has --$name"
		fi
	done < <(awk -F'\t' '$7 == "tool"' <<<"$table")
done
echo "1..$n"
