#!/bin/bash
# libcertdiag_example.sh: the EXAMPLES program of libcertdiag(3), as
# printed in the man page, builds against the public header alone and
# reads, through the getters, a certificate file's days left and chain
# subjects and the CAA verdict of the lab's DNS.
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd cc
lab_need_built "$top_builddir/lib/.libs/libcertdiag.so"
tap_plan 9

lab_pki
lab_dns_add 'caa-ok CAA 0 issue "letsencrypt.org"' \
	'caa-no CAA 0 issue ";"'
lab_dns_start

# The literal block of EXAMPLES, with mdoc's \e back to a backslash.
src="$LAB/example.c"
awk '/^\.Sh EXAMPLES/ { ex = 1; next }
	/^\.Sh / { ex = 0 }
	ex && /^\.Bd -literal/ { code = 1; next }
	code && /^\.Ed/ { exit }
	code { gsub(/\\e/, "\\"); print }' \
	"$top_srcdir/doc/libcertdiag.3" >"$src"
assert_true "the man page's example is a C program" grep -q '^main(int argc' "$src"

mkdir -p "$LAB/include"
cp "$top_srcdir/lib/certdiag.h" "$LAB/include/"
san=
[ "${CERTDIAG_SANITIZERS:-}" != yes ] ||
	san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
# shellcheck disable=SC2086 # $san is a list of flags or nothing
assert_exit 0 "it builds with the installed header alone, warnings as errors" \
	cc -std=c11 -Wall -Wextra -Werror $san -I"$LAB/include" -o "$LAB/example" "$src" \
	-L"$top_builddir/lib/.libs" -lcertdiag
export LD_LIBRARY_PATH="$top_builddir/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

leaf="$LAB_PKI/exp15.chain.pem"
assert_exit 0 "example CERT DOMAIN DNS: exit 0" \
	"$LAB/example" "$leaf" caa-ok.test 127.0.0.1:53
assert_line 1 "^$leaf: 1[45]\.[0-9]{2} days left\$" \
	"days_left through cd_report_get_number"
assert_line 2 '^  CN=exp15\.test' "chain.0.subject through cd_report_get_string"
assert_line 3 '^  CN=certdiag lab int' "chain.1.subject (cd_report_get_count is 2)"
assert_line 4 '^CAA for caa-ok\.test: allowed$' "the CAA verdict: allowed"
assert_exit 0 "a domain whose CAA forbids every CA" \
	"$LAB/example" "$leaf" caa-no.test 127.0.0.1:53
assert_line 4 '^CAA for caa-no\.test: refused$' "the CAA verdict: refused"
