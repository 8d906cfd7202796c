#!/usr/bin/env bash
# certcheck_ocsp.sh: stapled OCSP responses, made by a real responder
# (openssl ocsp, from an index like a CA's) and stapled by real servers:
# gnutls-serv --ocsp-response, openssl s_server -status_file (it staples
# what gnutls-serv refuses to: revoked and stale responses, other
# certificates', bad signatures) and nginx ssl_stapling fetching from "openssl ocsp -port".
# Good, revoked, unknown, signed by the wrong key, by a responder the
# issuer did not certify, by a delegated responder (fine) and without
# the OCSP-signing EKU, stale, about another certificate, not OCSP at
# all; a must-staple leaf with and without a staple.  A response whose
# nextUpdate has passed cannot be made by openssl ocsp (it takes only
# positive periods), so python3-cryptography signs that one.
# jq filters are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv openssl nginx python3
python3 -c 'import cryptography.x509.ocsp' 2>/dev/null ||
	lab_skip_all "python3-cryptography not installed (signs the stale response)"
lab_need_built "$CERTCHECK"

tap_plan 61

lab_pki
P=$LAB_PKI
O=$LAB/ocsp
mkdir -p "$O"

# The leaves of this test, all issued by int.  staple carries the TLS
# feature status_request (must-staple); ocspng names the responder that
# nginx asks.
LAB_LEAF_EXTRA='tls_feature = 5' lab_leaf staple int -30 60 ecdsa
LAB_LEAF_EXTRA='ocsp_uri = "http://127.0.0.1:8888/"' lab_leaf ocspng int -30 60 ecdsa
lab_leaf unlisted int -30 60 ecdsa
# Responder certificates: delegated by int (OCSP-signing EKU), the same
# without the EKU, one certified by root instead of int, and a stranger
# that calls itself "certdiag lab int" with a key of its own.
resp_cert() {
	local name=$1 issuer=$2 extra=$3
	certtool --generate-privkey --key-type=ecdsa --outfile "$P/$name.key" 2>/dev/null
	printf 'cn = "%s"\n%s\nexpiration_days = 30\n' "$4" "$extra" >"$P/$name.tmpl"
	if [ "$issuer" = self ]; then
		certtool --generate-self-signed --load-privkey "$P/$name.key" \
			--template "$P/$name.tmpl" --outfile "$P/$name.pem" 2>/dev/null
	else
		certtool --generate-certificate --load-privkey "$P/$name.key" \
			--load-ca-certificate "$P/$issuer.pem" \
			--load-ca-privkey "$P/$issuer.key" \
			--template "$P/$name.tmpl" --outfile "$P/$name.pem" 2>/dev/null
	fi || lab_bail "certtool could not make $name"
}
resp_cert delegated int "signing_key
ocsp_signing_key" "certdiag lab int OCSP"
resp_cert noeku int "signing_key" "certdiag lab int OCSP without EKU"
resp_cert rogue root "signing_key
ocsp_signing_key" "certdiag lab rogue OCSP"
resp_cert stranger self "ca
cert_signing_key
ocsp_signing_key" "certdiag lab int"

# The CA's database as openssl ocsp reads it: good and staple valid,
# ecdsa revoked for keyCompromise yesterday; unlisted is not in it.
serial() { openssl x509 -in "$P/$1.pem" -noout -serial | cut -d= -f2; }
revoked_at=$(date -u -d '1 day ago' +%y%m%d%H%M%SZ)
{
	printf 'V\t301231235959Z\t\t%s\tunknown\t/CN=good.test\n' "$(serial good)"
	printf 'V\t301231235959Z\t\t%s\tunknown\t/CN=staple.test\n' "$(serial staple)"
	printf 'V\t301231235959Z\t\t%s\tunknown\t/CN=ocspng.test\n' "$(serial ocspng)"
	printf 'R\t301231235959Z\t%s,keyCompromise\t%s\tunknown\t/CN=ecdsa.test\n' \
		"$revoked_at" "$(serial ecdsa)"
} >"$O/index.txt"

# respond NAME LEAF [SIGNER [OPENSSL-OPTIONS...]]: $O/NAME.der, the
# response of openssl ocsp about LEAF, signed by SIGNER (default int).
respond() {
	local name=$1 leaf=$2 signer=${3:-int}
	shift $(($# < 3 ? $# : 3))
	openssl ocsp -issuer "$P/int.pem" -cert "$P/$leaf.pem" -no_nonce \
		-reqout "$O/$name.req" >/dev/null 2>&1 &&
		openssl ocsp -index "$O/index.txt" -CA "$P/int.pem" \
			-rsigner "$P/$signer.pem" -rkey "$P/$signer.key" \
			-reqin "$O/$name.req" -respout "$O/$name.der" -ndays 1 "$@" \
			>>"$O/openssl.log" 2>&1 ||
		lab_bail "openssl ocsp could not make $name ($O/openssl.log)"
}
respond good good
respond revoked ecdsa
respond unknown unlisted
respond staple staple
respond delegated good delegated
respond noeku good noeku
respond rogue good rogue
respond wrongkey good stranger -resp_no_certs

# A good response whose validity ended an hour ago.
openssl pkey -in "$P/int.key" -out "$O/int.key" 2>/dev/null
python3 - "$P/good.pem" "$P/int.pem" "$O/int.key" "$O/stale.der" <<'EOF' ||
import sys, datetime
from cryptography import x509
from cryptography.x509 import ocsp
from cryptography.hazmat.primitives import hashes, serialization
leaf, issuer = (x509.load_pem_x509_certificate(open(f, "rb").read())
                for f in sys.argv[1:3])
key = serialization.load_pem_private_key(open(sys.argv[3], "rb").read(), None)
now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
b = ocsp.OCSPResponseBuilder().add_response(
    cert=leaf, issuer=issuer, algorithm=hashes.SHA1(),
    cert_status=ocsp.OCSPCertStatus.GOOD,
    this_update=now - datetime.timedelta(days=3),
    next_update=now - datetime.timedelta(hours=1),
    revocation_time=None, revocation_reason=None,
).responder_id(ocsp.OCSPResponderEncoding.HASH, issuer)
open(sys.argv[4], "wb").write(
    b.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER))
EOF
	lab_bail "python3-cryptography could not make the stale response"
# Responses that are OCSP on the outside only (s_server checks no more):
# "tryLater" without a status, and a "successful" one whose basic
# response is four bytes of nothing.
printf '\x30\x03\x0a\x01\x03' >"$O/trylater.der"
printf '\x30\x18\x0a\x01\x00\xa0\x13\x30\x11\x06\x09\x2b\x06\x01\x05\x05\x07\x30\x01\x01\x04\x04\xde\xad\xbe\xef' \
	>"$O/garbage.der"

# s_serve PORT CASE RESPONSE: openssl s_server stapling RESPONSE as is.
s_serve() {
	local log="$LAB/log/s_server-$1.log"
	openssl s_server -quiet -www -accept "$1" -cert "$P/$2.pem" \
		-key "$P/$2.key" -cert_chain "$P/$2.extra.pem" \
		-status_file "$3" >"$log" 2>&1 </dev/null &
	lab_track $!
	_lab_wait_port "$1" $! "$log"
}

lab_dns_add "staple A 127.0.0.1" "ocspng A 127.0.0.1" "unlisted A 127.0.0.1"
lab_dns_start
lab_tls_serve good 4501 --ocsp-response="$O/good.der"
s_serve 4502 ecdsa "$O/revoked.der"
lab_tls_serve unlisted 4503 --ocsp-response="$O/unknown.der"
lab_tls_serve good 4504 --ocsp-response="$O/delegated.der"
lab_tls_serve staple 4505
lab_tls_serve staple 4506 --ocsp-response="$O/staple.der"
lab_tls_serve good 4507
s_serve 4511 good "$O/stale.der"
s_serve 4512 good "$O/revoked.der"
s_serve 4513 good "$O/wrongkey.der"
s_serve 4514 good "$O/rogue.der"
s_serve 4515 good "$O/noeku.der"
s_serve 4516 good "$O/garbage.der"
s_serve 4517 good "$O/trylater.der"
# The leaf alone (no intermediate): the staple cannot be verified.
openssl s_server -quiet -www -accept 4518 -cert "$P/ecdsa.pem" -key "$P/ecdsa.key" \
	-status_file "$O/revoked.der" >"$LAB/log/s_server-4518.log" 2>&1 </dev/null &
lab_track $!
_lab_wait_port 4518 $! "$LAB/log/s_server-4518.log"

# Good: stapled, verified, the dates and the responder reported.
lab_check 0 "good staple: exit 0" good.test:4501
assert_jq '.problems == [] and .ocsp.stapled == true and .ocsp.status == "good" and .ocsp.signature == "valid"' \
	"good staple: stapled, good, signature valid"
assert_jq '(.ocsp.this_update | test("^[0-9-]+T[0-9:]+Z$")) and (.ocsp.next_update | fromdateiso8601) > now' \
	"good staple: this_update/next_update in RFC 3339, next_update ahead"
assert_jq '.ocsp.responder | test("CN=certdiag lab int")' "good staple: responder named"
assert_jq '.ocsp.must_staple == false' "good staple: no must-staple"
assert_exit 0 "good staple, nagios: exit 0" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" --nagios good.test:4501
assert_line 2 '^OCSP staple: good, signature valid, this update [0-9-]+T[0-9:]+Z, next update [0-9-]+T[0-9:]+Z, responder CN=certdiag lab int' \
	"good staple, nagios: the staple in the long text"

# Revoked: critical, with the date and the reason.
lab_check 2 "revoked staple: exit 2" ecdsa.test:4502
assert_jq '.status == "CRITICAL" and severities("ocsp_revoked") == ["CRITICAL"]' \
	"revoked staple: ocsp_revoked CRITICAL"
assert_problem ocsp_revoked "reason: keyCompromise" "revoked staple: reason in the message"
assert_jq ".ocsp.status == \"revoked\" and .ocsp.revocation_reason == \"keyCompromise\" and (.ocsp.revocation_time | fromdateiso8601) < now" \
	"revoked staple: status, revocation_time and reason in JSON"

lab_check 1 "unknown staple: exit 1" unlisted.test:4503
assert_jq 'severities("ocsp_unknown") == ["WARNING"] and .ocsp.status == "unknown"' \
	"unknown staple: ocsp_unknown WARNING"

lab_check 0 "staple by a delegated responder: exit 0" good.test:4504
assert_jq '.problems == [] and .ocsp.signature == "valid" and (.ocsp.responder | test("OCSP"))' \
	"delegated responder: accepted, named"

# Must-staple: a warning without a staple, nothing with one.
lab_check 1 "must-staple, no staple: exit 1" staple.test:4505
assert_jq 'severities("ocsp_must_staple_missing") == ["WARNING"] and .ocsp.stapled == false and .ocsp.must_staple == true' \
	"must-staple, no staple: ocsp_must_staple_missing WARNING"
lab_check 0 "must-staple with its staple: exit 0" staple.test:4506
assert_jq '.problems == [] and .ocsp.must_staple and .ocsp.stapled' "must-staple with staple: no problem"
lab_check 0 "no staple, no must-staple: exit 0" good.test:4507
assert_jq '.problems == [] and .ocsp == {"stapled": false, "must_staple": false}' \
	"no staple: ocsp says so, nothing else"

# What gnutls-serv would not staple.
lab_check 1 "stale staple: exit 1" good.test:4511
assert_jq 'severities("ocsp_stale") == ["WARNING"] and .ocsp.status == "good"' \
	"stale staple: ocsp_stale WARNING"
assert_problem ocsp_stale "next update was due" "stale staple: says when the update was due"
lab_check 1 "another certificate's staple: exit 1" good.test:4512
assert_jq 'codes == ["ocsp_staple_invalid"] and severities("ocsp_staple_invalid") == ["WARNING"]' \
	"another certificate's staple: ocsp_staple_invalid only (its revoked status is not believed)"
assert_problem ocsp_staple_invalid "another certificate" "another certificate's staple: says so"
lab_check 1 "staple signed by the wrong key: exit 1" good.test:4513
assert_jq 'codes == ["ocsp_staple_invalid"] and .ocsp.signature == "invalid"' \
	"wrong key: ocsp_staple_invalid, signature invalid"
assert_problem ocsp_staple_invalid "not signed by the certificate's issuer" "wrong key: says so"
lab_check 1 "staple signed by a responder certified by root, not int: exit 1" good.test:4514
assert_jq 'codes == ["ocsp_staple_invalid"] and .ocsp.signature == "wrong_responder"' \
	"rogue responder: wrong_responder"
assert_problem ocsp_staple_invalid "did not certify" "rogue responder: says so"
lab_check 1 "staple signed by a responder without the OCSP-signing EKU: exit 1" good.test:4515
assert_jq 'codes == ["ocsp_staple_invalid"] and .ocsp.signature == "wrong_responder"' \
	"responder without EKU: wrong_responder"
assert_problem ocsp_staple_invalid "OCSP-signing" "responder without EKU: names the EKU"
lab_check 1 "garbage staple: exit 1" good.test:4516
assert_problem ocsp_staple_invalid "cannot be decoded" "garbage staple: cannot be decoded"
lab_check 1 "tryLater staple: exit 1" good.test:4517
assert_problem ocsp_staple_invalid "answered with an error" "tryLater staple: the responder's error"

# Without the issuer the signature is unchecked, but a server gains
# nothing by forging its own revocation: still reported.
lab_check 2 "revoked staple, leaf sent alone: exit 2" ecdsa.test:4518
assert_jq 'has_problem("chain_incomplete") and severities("ocsp_revoked") == ["CRITICAL"] and .ocsp.signature == "unchecked"' \
	"leaf alone: chain_incomplete and ocsp_revoked, signature unchecked"

# The same verdicts in text and Nagios.
assert_exit 2 "revoked staple, text: exit 2" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" ecdsa.test:4502
assert_true "text: ocsp_revoked line with the reason" grep -q 'CRITICAL  ocsp_revoked: .*keyCompromise' "$LAB_OUT"
assert_true "text: ocsp detail line" grep -Eq '^  ocsp +stapled yes, .*status revoked' "$LAB_OUT"
assert_exit 2 "revoked staple, nagios: exit 2" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" --nagios ecdsa.test:4502
assert_first_line '^CERT CRITICAL - ecdsa.test:4502: the stapled OCSP response says the certificate was revoked' \
	"nagios: CERT CRITICAL, the revocation as summary"
assert_true "nagios: long output line" grep -q '^CRITICAL: ocsp_revoked: ' "$LAB_OUT"
lab_nagios_link check_cert certcheck
assert_exit 1 "check_cert, must-staple without staple: exit 1" "$LAB/bin/check_cert" "$DNS" \
	"--cafile=$P/root.pem" staple.test:4505
assert_first_line '^CERT WARNING - staple.test:4505: the certificate requires an OCSP staple' \
	"check_cert: CERT WARNING, must-staple summary"
assert_exit 1 "stale staple, text: exit 1" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" good.test:4511
assert_true "text: ocsp_stale line" grep -q 'WARNING   ocsp_stale: the stapled OCSP response is stale' "$LAB_OUT"

# nginx fetches the staple itself from a real responder (the leaf's
# AIA names 127.0.0.1:8888): the first handshakes only make it ask.
openssl ocsp -index "$O/index.txt" -port 8888 -CA "$P/int.pem" \
	-rsigner "$P/int.pem" -rkey "$P/int.key" -ndays 1 \
	>"$LAB/log/ocsp-responder.log" 2>&1 </dev/null &
lab_track $!
_lab_wait_port 8888 $! "$LAB/log/ocsp-responder.log"
lab_nginx_serve ocsp 4520:1 <<EOF
    server {
        listen 127.0.0.1:4520 ssl;
        server_name ocspng.test;
        ssl_certificate $P/ocspng.chain.pem;
        ssl_certificate_key $P/ocspng.key;
        ssl_stapling on;
        ssl_stapling_verify on;
        ssl_trusted_certificate $P/int.pem;
        return 200 "ok\n";
    }
EOF
stapled=false
for _ in $(seq 40); do
	lab_run "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" --json ocspng.test:4520
	stapled=$(jq -r '.ocsp.stapled' "$LAB_OUT" 2>/dev/null) || :
	[ "$stapled" = true ] && break
	sleep 0.25
done
assert_true "nginx ssl_stapling: a staple arrives" test "$stapled" = true
lab_check 0 "nginx ssl_stapling: exit 0" ocspng.test:4520
assert_jq '.problems == [] and .ocsp.status == "good" and .ocsp.signature == "valid"' \
	"nginx ssl_stapling: good, verified"
lab_check 0 "nginx ssl_stapling, -t 1: still within the deadline" -t 1 ocspng.test:4520
assert_elapsed_max 1.5

# A revoked leaf behind nginx with a stapling file (ssl_stapling_file:
# the way to staple without letting nginx talk to the responder).
lab_nginx_serve ocspfile 4521:1 <<EOF
    server {
        listen 127.0.0.1:4521 ssl;
        server_name ecdsa.test;
        ssl_certificate $P/ecdsa.chain.pem;
        ssl_certificate_key $P/ecdsa.key;
        ssl_stapling on;
        ssl_stapling_file $O/revoked.der;
        return 200 "ok\n";
    }
EOF
lab_check 2 "nginx ssl_stapling_file with a revoked response: exit 2" ecdsa.test:4521
assert_jq 'severities("ocsp_revoked") == ["CRITICAL"] and .ocsp.revocation_reason == "keyCompromise"' \
	"nginx ssl_stapling_file: ocsp_revoked"
assert_exit 2 "nginx revoked, nagios: exit 2" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" --nagios ecdsa.test:4521
assert_first_line '^CERT CRITICAL - .*revoked on [0-9-]+ [0-9:]+ UTC \(reason: keyCompromise\)' \
	"nagios: revocation date and reason in the summary"
