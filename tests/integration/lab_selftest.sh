#!/usr/bin/env bash
# lab_selftest.sh: checks the test lab itself, without certdiag.  Every
# certcheck_*.sh trusts that each PKI case has its property, that the DNS
# answers, and that each server sends exactly its chain; when a Debian
# update changes one of those (GnuTLS once started sorting chains), this
# script says so, instead of certcheck tests failing for no clear reason.
# jq filters and eval'd checks are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv gnutls-cli openssl nginx

tap_plan 42

lab_pki
lab_dns_start
for c in $LAB_CASES; do
	[ "$c" = certpem ] || lab_tls_serve "$c"
done
lab_nginx_start
lab_hostile_start stall
lab_hostile_start garbage
lab_hostile_start close

P=$LAB_PKI

# Epoch seconds of a certificate's notBefore or notAfter.
cert_time() { # FILE startdate|enddate
	date -u -d "$(openssl x509 -in "$1" -noout "-$2" | cut -d= -f2)" +%s
}

# The certificate's dates are exactly FROM..TO days from the PKI's "now".
check_dates() { # NAME FROM TO
	[ "$(cert_time "$P/$1.pem" startdate)" = $((LAB_NOW_EPOCH + $2 * 86400)) ] &&
		[ "$(cert_time "$P/$1.pem" enddate)" = $((LAB_NOW_EPOCH + $3 * 86400)) ]
}

# The certificate's subjectAltName extension, on one line.
san_of() { # NAME
	openssl x509 -in "$P/$1.pem" -noout -ext subjectAltName | tail -n +2 |
		sed 's/^ *//'
}

issuer_cn() { # NAME
	openssl x509 -in "$P/$1.pem" -noout -issuer -nameopt multiline |
		sed -n 's/^ *commonName *= *//p'
}

# certtool's view (the brief asks for it): signature algorithm, key.
certtool_has() { # NAME REGEX
	certtool -i --infile "$P/$1.pem" | grep -Eq -- "$2"
}

# gnutls-cli, connecting to ADDR:PORT with SNI NAME, saves what it got.
fetch_chain() { # ADDR PORT NAME OUT
	gnutls-cli --insecure --save-cert="$4" -p "$2" --sni-hostname="$3" "$1" \
		</dev/null >/dev/null 2>&1
}

# The served chain equals CASE.chain.pem, certificate for certificate.
served_as_file() { # CASE ADDR PORT
	local got="$LAB/served-$1-$3.pem"
	fetch_chain "$2" "$3" "$1.test" "$got" &&
		cmp -s <(openssl crl2pkcs7 -nocrl -certfile "$got" | openssl pkcs7 -print_certs) \
			<(openssl crl2pkcs7 -nocrl -certfile "$P/$1.chain.pem" | openssl pkcs7 -print_certs)
}

# PKI properties -------------------------------------------------------------
assert_true "root is a self-signed CA, -1y..+10y" \
	eval 'check_dates root -365 3650 && certtool_has root "CA\): TRUE" && [ "$(issuer_cn root)" = "certdiag lab root" ]'
assert_true "int is a CA issued by root, -1y..+5y" \
	eval 'check_dates int -365 1825 && certtool_has int "CA\): TRUE" && [ "$(issuer_cn int)" = "certdiag lab root" ]'
assert_true "good: RSA 2048, -30d..+60d, SAN good.test, serverAuth" \
	eval 'check_dates good -30 60 && certtool_has good "Algorithm Security Level: .*2048 bits" && [ "$(san_of good)" = "DNS:good.test" ] && certtool_has good "TLS WWW Server"'
assert_true "ecdsa: ECDSA P-256 leaf" certtool_has ecdsa "Subject Public Key Algorithm: EC/ECDSA"
assert_true "expired: -100d..-10d" check_dates expired -100 -10
assert_true "notyet: +10d..+100d" check_dates notyet 10 100
assert_true "exp3/exp15/exp40: 3, 15, 40 days left of 90" \
	eval 'check_dates exp3 -87 3 && check_dates exp15 -75 15 && check_dates exp40 -50 40'
assert_true "wronghost: only other.example" \
	eval '[ "$(san_of wronghost)" = "DNS:other.example" ]'
assert_true "wild: only *.wild.test" eval '[ "$(san_of wild)" = "DNS:*.wild.test" ]'
assert_true "ipsan: IP 127.0.0.1 and ::1, no DNS name" \
	eval '[ "$(san_of ipsan)" = "IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1" ]'
assert_true "sha1: signed with SHA-1" certtool_has sha1 "Signature Algorithm: [A-Z]+-SHA1"
assert_true "rsa1024: 1024-bit RSA key" certtool_has rsa1024 "Algorithm Security Level: .*1024 bits"
assert_true "selfsigned: self-issued, not a CA" \
	eval '[ "$(issuer_cn selfsigned)" = selfsigned.test ] && ! certtool_has selfsigned "CA\): TRUE"'
assert_true "order: leaf issued by int2, int2 by int" \
	eval '[ "$(issuer_cn order)" = "certdiag lab int2" ] && [ "$(issuer_cn int2)" = "certdiag lab int" ]'
assert_true "intshort expires in 20 days, before its leaf shortchain (-10d..+60d)" \
	eval 'check_dates shortchain -10 60 && [ "$(cert_time "$P/intshort.pem" enddate)" = $((LAB_NOW_EPOCH + 20 * 86400)) ] && [ "$(issuer_cn shortchain)" = "certdiag lab intshort" ]'
assert_true "intexp expired (-400d..-5d) and issued intexpired (-30d..+60d)" \
	eval 'check_dates intexp -400 -5 && check_dates intexpired -30 60 && [ "$(issuer_cn intexpired)" = "certdiag lab intexp" ]'
assert_true "every leaf chains to root.pem (ignoring dates and algorithms)" \
	eval 'for c in good ecdsa exp15 wild ipsan rsa1024 rootsent; do openssl verify -CAfile "$P/root.pem" -untrusted "$P/int.pem" "$P/$c.pem" >/dev/null || exit 1; done'

# DNS -------------------------------------------------------------------------
dig_short() { # SERVER NAME TYPE
	kdig @"$1" -p 53 +short +time=1 +retry=0 "$2" "$3"
}
assert_true "DNS over IPv4: good.test A 127.0.0.1" \
	eval '[ "$(dig_short 127.0.0.1 good.test A)" = 127.0.0.1 ]'
if [ "$LAB_IPV6" = 1 ]; then
	assert_true "DNS over IPv6: a.wild.test A 127.0.0.1" \
		eval '[ "$(dig_short ::1 a.wild.test A)" = 127.0.0.1 ]'
else
	tap_skip "DNS over IPv6" "no IPv6 in this namespace"
fi
assert_true "a.b.wild.test and wild.test exist" \
	eval '[ "$(dig_short 127.0.0.1 a.b.wild.test A)" = 127.0.0.1 ] && [ "$(dig_short 127.0.0.1 wild.test A)" = 127.0.0.1 ]'
assert_true "v6only.test: AAAA ::1 and no A" \
	eval '[ "$(dig_short 127.0.0.1 v6only.test AAAA)" = ::1 ] && [ -z "$(dig_short 127.0.0.1 v6only.test A)" ]'
assert_true "dual.test: A and AAAA" \
	eval '[ "$(dig_short 127.0.0.1 dual.test A)" = 127.0.0.1 ] && [ "$(dig_short 127.0.0.1 dual.test AAAA)" = ::1 ]'
assert_true "nxdomain.test: NXDOMAIN" \
	eval 'kdig @127.0.0.1 +time=1 +retry=0 nxdomain.test A | grep -q "status: NXDOMAIN"'

# Served chains ---------------------------------------------------------------
assert_true "gnutls-serv sends each case's chain.pem as is (all but order)" \
	eval 'for c in $LAB_CASES; do case $c in certpem | order) continue ;; esac; served_as_file "$c" 127.0.0.1 "$(lab_port "$c")" || { echo "$c" >&2; exit 1; }; done'
assert_true "order: served leaf, int, int2 (wrong order kept)" \
	served_as_file order 127.0.0.1 "$(lab_port order)"
assert_true "rootsent: served leaf, int, root" \
	eval '[ "$(grep -c "BEGIN CERTIFICATE" "$LAB/served-rootsent-$(lab_port rootsent).pem")" = 3 ]'
assert_true "incomplete: served the leaf alone" \
	eval '[ "$(grep -c "BEGIN CERTIFICATE" "$LAB/served-incomplete-$(lab_port incomplete).pem")" = 1 ]'
if [ "$LAB_IPV6" = 1 ]; then
	assert_true "ipsan served on ::1 as well" served_as_file ipsan ::1 "$(lab_port ipsan)"
	assert_true "order served on ::1 as well" served_as_file order ::1 "$(lab_port order)"
else
	tap_skip "ipsan served on ::1" "no IPv6 in this namespace"
	tap_skip "order served on ::1" "no IPv6 in this namespace"
fi

# Verification as GnuTLS sees it (what certcheck builds on) -----------------
# gnutls_verify CASE: gnutls-cli's verdict for CASE.test against root.pem.
gnutls_verify() {
	gnutls-cli --x509cafile="$P/root.pem" -p "$(lab_port "$1")" \
		--sni-hostname="${2:-$1.test}" --verify-hostname="${2:-$1.test}" \
		127.0.0.1 </dev/null 2>&1 | grep -E '^- Status:' | head -n 1
}
assert_true "GnuTLS trusts good via root.pem" \
	eval 'gnutls_verify good | grep -q "is trusted"'
assert_true "GnuTLS: expired is expired" \
	eval 'gnutls_verify expired | grep -q "expired certificate"'
assert_true "GnuTLS: notyet is not yet valid" \
	eval 'gnutls_verify notyet | grep -q "not yet valid"'
assert_true "GnuTLS: intexpired fails on the expired intermediate" \
	eval 'gnutls_verify intexpired | grep -q "expired certificate"'
assert_true "GnuTLS: incomplete has an unknown issuer" \
	eval 'gnutls_verify incomplete | grep -q "issuer is unknown"'
assert_true "GnuTLS: wild matches a.wild.test" \
	eval 'gnutls_verify wild a.wild.test | grep -q "is trusted"'

# nginx -----------------------------------------------------------------------
assert_true "nginx good.test: leaf + int" \
	eval 'fetch_chain 127.0.0.1 443 good.test "$LAB/ng-good.pem" && cmp -s <(openssl crl2pkcs7 -nocrl -certfile "$LAB/ng-good.pem" | openssl pkcs7 -print_certs) <(openssl crl2pkcs7 -nocrl -certfile "$P/good.chain.pem" | openssl pkcs7 -print_certs)'
assert_true "nginx certpem.test: the leaf alone" \
	eval 'fetch_chain 127.0.0.1 443 certpem.test "$LAB/ng-certpem.pem" && [ "$(grep -c "BEGIN CERTIFICATE" "$LAB/ng-certpem.pem")" = 1 ] && openssl x509 -in "$LAB/ng-certpem.pem" -noout -subject | grep -q certpem.test'
assert_true "nginx ecdsa.test: the ECDSA leaf" \
	eval 'fetch_chain 127.0.0.1 443 ecdsa.test "$LAB/ng-ecdsa.pem" && openssl x509 -in "$LAB/ng-ecdsa.pem" -noout -subject | grep -q ecdsa.test'

# hostile ---------------------------------------------------------------------
assert_true "hostile stall: accepts, says nothing for 1 s" \
	eval 'exec 3<>/dev/tcp/127.0.0.1/$(lab_port stall); read -r -t 1 -u 3 line; rc=$?; exec 3<&-; [ "$rc" -gt 128 ]'
assert_true "hostile garbage: 4096 bytes that are not TLS" \
	eval 'exec 3<>/dev/tcp/127.0.0.1/$(lab_port garbage); n=$(timeout 1 head -c 4096 <&3 | tee "$LAB/garbage" | wc -c); exec 3<&-; [ "$n" = 4096 ] && [ "$(head -c 1 "$LAB/garbage")" = N ]'
assert_true "hostile close: EOF at once" \
	eval 'exec 3<>/dev/tcp/127.0.0.1/$(lab_port close); out=$(timeout 1 cat <&3); rc=$?; exec 3<&-; [ "$rc" = 0 ] && [ -z "$out" ]'
if [ "$LAB_IPV6" = 1 ]; then
	assert_true "hostile listens on ::1 too" \
		eval 'exec 3<>/dev/tcp/::1/$(lab_port close)'
else
	tap_skip "hostile listens on ::1 too" "no IPv6 in this namespace"
fi
