#!/bin/bash
# examples.sh: the programs of examples/, as a user builds them: the
# library installed (make install DESTDIR=...), each program compiled
# with nothing but the installed certdiag.h and pkg-config's flags,
# warnings as errors, then run against the lab: certificate files'
# days left and chains through the getters, the CAA verdict with
# options set by their command-line names, and refusals in the tools'
# words.
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd cc pkg-config
lab_need_built "$top_builddir/lib/.libs/libcertdiag.so"
tap_plan 21

lab_pki
lab_dns_add 'caa-ok CAA 0 issue "letsencrypt.org"' \
	'caa-no CAA 0 issue ";"'
lab_dns_start

root="$LAB/root"
# shellcheck source=tests/helpers/buildtree.sh
. "$top_srcdir/tests/helpers/buildtree.sh"
if ! mk install DESTDIR="$root" >"$LAB/install.log" 2>&1; then
	sed 's/^/# /' "$LAB/install.log"
	lab_bail "make install failed"
fi
pc=$(find "$root" -name certdiag.pc | head -n 1)
export PKG_CONFIG_PATH=${pc%/*} PKG_CONFIG_SYSROOT_DIR=$root
# The library beside its pkgconfig directory (LIBDIR/pkgconfig).
pcdir=${pc%/*}
export LD_LIBRARY_PATH=${pcdir%/pkgconfig}
san=
[ "${CERTDIAG_SANITIZERS:-}" != yes ] ||
	san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
for ex in expiry caa; do
	# shellcheck disable=SC2046,SC2086 # flag lists
	assert_exit 0 "examples/$ex.c builds with the installed header and pkg-config alone" \
		cc -std=c11 -Wall -Wextra -Werror $san -o "$LAB/$ex" \
		"$top_srcdir/examples/$ex.c" $(pkg-config --cflags --libs certdiag)
done
# Every -I pkg-config gives is into the installed tree (DESTDIR; the
# private dependencies' too, under the same sysroot), one of them holds
# certdiag.h: nothing reaches into lib/.
installed_includes() {
	local i found=0
	for i in $(pkg-config --cflags certdiag); do
		case $i in
		-I"$root"/*) [ ! -f "${i#-I}/certdiag.h" ] || found=1 ;;
		-I*) return 1 ;;
		esac
	done
	[ "$found" = 1 ]
}
assert_true "the installed header is the one used (every -I is into the DESTDIR)" \
	installed_includes


cd "$LAB" || lab_bail "no lab directory"
cp "$LAB_PKI/good.chain.pem" fullchain.pem
cp "$LAB_PKI/exp15.chain.pem" soon.pem
cp "$LAB_PKI/expired.chain.pem" old.pem
assert_exit 0 "expiry -a root.pem fullchain.pem: exit 0 (60 days left)" \
	"$LAB/expiry" -a "$LAB_PKI/root.pem" fullchain.pem
assert_line 1 '^OK fullchain\.pem: (59\.9|60\.0) days left, CN=good\.test,O=certdiag test lab < CN=certdiag lab int' \
	"expiry: status, days_left and both subjects through the getters"
assert_exit 2 "expiry on three files: exit 2, the worst" \
	"$LAB/expiry" -a "$LAB_PKI/root.pem" fullchain.pem soon.pem old.pem
assert_line 2 '^WARNING soon\.pem: 1[45]\.[0-9] days left' "expiry: 15 days left is a warning"
assert_line 3 '^  cert_expiring: leaf certificate exp15\.test expires in' \
	"expiry: problems.0.code and .message"
assert_line 4 '^CRITICAL old\.pem: -' "expiry: an expired file is critical"
assert_line 5 '^  cert_expired: ' "expiry: cert_expired"
assert_exit 0 "expiry -w 10 soon.pem: the operator's threshold" \
	"$LAB/expiry" -w 10 -a "$LAB_PKI/root.pem" soon.pem
assert_first_line '^OK soon\.pem' "expiry -w 10: 15 days left is OK"
assert_exit 3 "expiry -w soon: refused" "$LAB/expiry" -a "$LAB_PKI/root.pem" -w soon soon.pem
assert_true "expiry -w soon: in certcheck's words" \
	grep -qx "expiry: threshold .*soon.*" "$LAB_ERR"

assert_exit 0 "caa --dns-server=127.0.0.1 caa-ok.test: exit 0" \
	"$LAB/caa" --dns-server=127.0.0.1 caa-ok.test
assert_first_line '^caa-ok\.test: allowed$' "caa: the verdict through the getter"
assert_exit 2 "caa caa-no.test: exit 2" \
	"$LAB/caa" --dns-server=127.0.0.1 caa-no.test
assert_first_line '^caa-no\.test: refused: .*CAA record for caa-no\.test prevents issuance' \
	"caa: refused, with the CA's reason"
assert_exit 3 "caa --method=http-02: refused" \
	"$LAB/caa" --dns-server=127.0.0.1 --method=http-02 caa-ok.test
assert_true "caa --method=http-02: the library's words, by the option's name" \
	grep -qx "caa: --method 'http-02': want http-01, dns-01, tls-alpn-01, dns-account-01 or dns-persist-01" "$LAB_ERR"
assert_exit 3 "caa --no-such-option: refused" \
	"$LAB/caa" --no-such-option caa-ok.test
