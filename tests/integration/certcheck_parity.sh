#!/usr/bin/env bash
# certcheck_parity.sh: certcheck and check_ssl_cert (the Monitoring
# Plugins contrib plugin operators compare us with) against the same lab
# endpoints, with the same trust anchor and the same thresholds, must
# reach the same Nagios state wherever both check the same thing.  Where
# certcheck differs on purpose (certcheck(1), "DIFFERENCES FROM
# CHECK_SSL_CERT"), the test pins the difference down, so that a change
# on either side shows.
#
# check_ssl_cert only ever reaches the lab: -H names a lab host, --resolve
# pins it to 127.0.0.1, and every check that would fetch something (OCSP,
# SCT, CRL, DANE, SSL Labs, proxies) is off.  Skipped when the plugin is
# not installed (monitoring-plugins-contrib, scripts/deps.sh test).
set -eu
LAB_ALL_UIDS=1 # Exim, the STARTTLS peer, switches to its own user
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
. "$top_srcdir/tests/lab/daemons.sh"
CSC=${CHECK_SSL_CERT:-/usr/lib/nagios/plugins/check_ssl_cert}
[ -x "$CSC" ] || lab_skip_all "check_ssl_cert not installed (monitoring-plugins-contrib)"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv openssl bc
lab_need_built "$CERTCHECK"

tap_plan 77

lab_pki
lab_dns_start
P=$LAB_PKI
for c in good ecdsa expired notyet exp3 exp15 exp40 wronghost wild ipsan \
	sha1 rsa1024 selfsigned incomplete order rootsent shortchain intexpired; do
	lab_tls_serve "$c"
done
# The clients' CA and a client it issued, for the servers that demand one.
_lab_ca clientca root -365 1825
LAB_LEAF_EXTRA=tls_www_client _lab_leaf client clientca -30 60 ecdsa client.test
T10=4451 CC12=4452 CC13=4453
lab_tls_serve good "$T10" --priority=NORMAL:-VERS-ALL:+VERS-TLS1.0
lab_tls_serve good "$CC12" --require-client-cert --verify-client-cert \
	"--x509cafile=$P/clientca.pem" --priority=NORMAL:-VERS-TLS1.3
lab_tls_serve good "$CC13" --require-client-cert --verify-client-cert \
	"--x509cafile=$P/clientca.pem" --priority=NORMAL:-VERS-ALL:+VERS-TLS1.3
EXIM=0
if lab_uids_ok; then
	lab_exim_start
	EXIM=1
elif [ "${CERTDIAG_LAB_REQUIRE:-0}" = 1 ]; then
	lab_bail "Exim needs other users: run as root"
fi
mkdir -p "$LAB/csc"

# Nagios state names by exit status, for the descriptions.
STATE=(OK WARNING CRITICAL UNKNOWN)

# pair NAME CC CSC HOST PORT [CERTCHECK-ARGS...] -- [CHECK_SSL_CERT-ARGS...]
# Check HOST:PORT with both tools; certcheck must exit CC and
# check_ssl_cert CSC (the same number unless the difference is on
# purpose).  Both trust root.pem and connect to 127.0.0.1.
pair() {
	local name=$1 cc=$2 csc=$3 host=$4 port=$5 how
	local -a ccargs=()
	shift 5
	while [ "$1" != -- ]; do
		ccargs+=("$1")
		shift
	done
	shift
	if [ "$cc" = "$csc" ]; then
		how="agree: ${STATE[$cc]}"
	else
		how="differ on purpose"
	fi
	assert_exit "$cc" "$name: certcheck ${STATE[$cc]} ($how)" "$CERTCHECK" "$DNS" \
		"--cafile=$P/root.pem" --nagios -I 127.0.0.1 "${ccargs[@]}" "$host:$port"
	# --resolve pins the address (no lookup); OCSP and SCT checks are on
	# by default and would go out, the others are off unless asked for.
	assert_exit "$csc" "$name: check_ssl_cert ${STATE[$csc]} ($how)" "$CSC" \
		-H "$host" -p "$port" --resolve 127.0.0.1 --rootcert-file "$P/root.pem" \
		--ignore-ocsp --ignore-sct --no-proxy -t 10 --temp "$LAB/csc" "$@"
}

# --- Where both check the same thing: the same state -------------------------
pair "valid" 0 0 good.test 4401 --
pair "valid ECDSA" 0 0 ecdsa.test 4402 --
pair "expired" 2 2 expired.test 4403 --
pair "not yet valid" 2 2 notyet.test 4404 --
# The same explicit thresholds for both (days, like check_ssl_cert's).
W=(-w 20 -c 10)
pair "3 days left, -w 20 -c 10" 2 2 exp3.test 4405 "${W[@]}" -- "${W[@]}"
pair "15 days left, -w 20 -c 10" 1 1 exp15.test 4406 "${W[@]}" -- "${W[@]}"
pair "40 days left, -w 20 -c 10" 0 0 exp40.test 4407 "${W[@]}" -- "${W[@]}"
pair "intermediate with 20 days left, -w 30 -c 10" 1 1 shortchain.test 4417 \
	-w 30 -c 10 -- -w 30 -c 10
pair "expired intermediate" 2 2 intexpired.test 4418 --
pair "wrong name" 2 2 wronghost.test 4408 --
pair "wildcard" 0 0 a.wild.test 4409 --
pair "IP address SAN" 0 0 127.0.0.1 4410 --
pair "self-signed" 2 2 selfsigned.test 4413 --
# An anchor that did not issue the chain.
pair "untrusted root" 2 2 good.test 4401 "--cafile=$P/selfsigned.pem" -- \
	--rootcert-file "$P/selfsigned.pem"
pair "incomplete chain" 2 2 incomplete.test 4414 --
pair "SHA-1 signature" 2 2 sha1.test 4411 --
pair "root sent along" 0 0 rootsent.test 4416 --
pair "required name present" 0 0 good.test 4401 --require-san=good.test -- -m good.test
pair "required name missing (SAN mismatch)" 2 2 good.test 4401 \
	--require-san=other.test -- -m other.test
# Pinning: certcheck pins SHA-256 digests; check_ssl_cert matches a
# regular expression against the whole line OpenSSL prints for SHA-1.
FP256=$(openssl x509 -in "$P/good.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
FP1=$(openssl x509 -in "$P/good.pem" -noout -fingerprint -sha1)
pair "pinned fingerprint" 0 0 good.test 4401 "--fingerprint=$FP256" -- --fingerprint "$FP1"
pair "other fingerprint" 2 2 good.test 4401 "--fingerprint=$(printf '%064d' 0)" -- \
	--fingerprint "00:00:00:00"
pair "issuer matches" 0 0 good.test 4401 "--issuer=certdiag lab int" -- -i "certdiag lab int"
pair "issuer does not match" 2 2 good.test 4401 "--issuer=Let's Encrypt" -- -i "Let's Encrypt"
pair "lifetime under --max-validity" 0 0 good.test 4401 --max-validity=100 -- \
	--maximum-validity 100
# check_ssl_cert judges the protocol on every check; certcheck when asked.
pair "TLS 1.0 only, certcheck --protocols" 2 2 good.test "$T10" --protocols --
pair "client certificate demanded (TLS 1.2), none sent" 0 0 good.test "$CC12" --
# TLS 1.3 refuses only after the handshake, with an alert that may reach
# check_ssl_cert's openssl s_client before it hangs up or not (its state
# varies from run to run): certcheck alone is checked there.
assert_exit 0 "client certificate demanded (TLS 1.3), none sent: certcheck OK" "$CERTCHECK" \
	"$DNS" "--cafile=$P/root.pem" --nagios -I 127.0.0.1 "good.test:$CC13"
pair "client certificate demanded and sent" 0 0 good.test "$CC12" \
	"--client-cert=$P/client.pem" "--client-key=$P/client.key" -- \
	-C "$P/client.pem" -K "$P/client.key"
pair "connection refused" 2 2 good.test "$LAB_PORT_CLOSED" --
if [ "$EXIM" = 1 ]; then
	pair "SMTP STARTTLS" 0 0 good.test 25 --starttls=smtp -- -P smtp
	# Exim picks the expired certificate by SNI.
	pair "SMTP STARTTLS, expired" 2 2 expired.test 25 --starttls=smtp -- -P smtp
else
	for _ in 1 2 3 4; do
		tap_skip "SMTP STARTTLS" "Exim needs other users in the lab: run as root"
	done
fi

# --- Deliberate differences (certcheck(1)) -----------------------------------
# Default thresholds: certcheck's follow the lifetime (27 and 9 days for
# 90 days), check_ssl_cert's are 20 and 15 days whatever the lifetime.
pair "15 days left of 90, default thresholds" 1 2 exp15.test 4406 --
# Chain order: certcheck warns (chain_order), OpenSSL reorders silently.
pair "chain in the wrong order" 1 0 order.test 4415 --
# --max-validity is a WARNING (policy, not breakage) in certcheck.
pair "lifetime over --max-validity" 1 2 good.test 4401 --max-validity=47 -- \
	--maximum-validity 47
# A 1024-bit RSA key: certcheck warns (weak_key), OpenSSL's security
# level makes check_ssl_cert's verification fail.
pair "1024-bit RSA key" 1 2 rsa1024.test 4412 --
# An intermediate that expires before the leaf: certcheck warns even
# outside the thresholds.
pair "intermediate expires before the leaf, -w 15 -c 10" 1 0 shortchain.test 4417 \
	-w 15 -c 10 -- -w 15 -c 10
# Protocol versions are judged only with --protocols.
pair "TLS 1.0 only, no --protocols" 0 2 good.test "$T10" --
# Ignoring a missing intermediate: certcheck's --ignore takes it out of
# the verdict; check_ssl_cert's --ignore-incomplete-chain does not stop
# OpenSSL's verification from failing.
pair "incomplete chain, ignored" 0 2 incomplete.test 4414 --ignore=chain_incomplete -- \
	--ignore-incomplete-chain
# The root sent along is harmless (chain_root_sent, OK) to certcheck;
# check_ssl_cert --check-chain refuses it.
pair "root sent along, check_ssl_cert --check-chain" 0 2 rootsent.test 4416 -- --check-chain
