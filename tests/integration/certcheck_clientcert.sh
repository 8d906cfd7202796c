#!/usr/bin/env bash
# certcheck_clientcert.sh: servers that demand a client certificate.
# gnutls-serv --require-client-cert refuses a client without one during
# the TLS 1.2 handshake (after its own Certificate) and after the TLS 1.3
# one (an alert on the first read); nginx with ssl_verify_client on
# completes the handshake and refuses in HTTP (400).  Without
# --client-cert the chain is still judged, with an informational
# client_cert_required; with the right certificate there is no such
# line; with one the server does not trust, the refusal is reported.
# --protocols against such servers: a probe the server refuses only for
# want of a client certificate has had its version accepted.
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig nginx gnutls-serv
lab_need_built "$CERTCHECK"

tap_plan 38

lab_pki
lab_dns_start
P=$LAB_PKI
# The clients' CA, the client the servers trust, and one they do not.
_lab_ca clientca root -365 1825
_lab_ca rogueca self -365 1825
LAB_LEAF_EXTRA=tls_www_client _lab_leaf client clientca -30 60 ecdsa client.test
LAB_LEAF_EXTRA=tls_www_client _lab_leaf rogue rogueca -30 60 ecdsa rogue.test

T12=4441 T13=4442 NGX=443
lab_tls_serve good "$T12" --require-client-cert --verify-client-cert \
	"--x509cafile=$P/clientca.pem" --priority=NORMAL:-VERS-TLS1.3
lab_tls_serve good "$T13" --require-client-cert --verify-client-cert \
	"--x509cafile=$P/clientca.pem" --priority=NORMAL:-VERS-ALL:+VERS-TLS1.3
# For --protocols: TLS 1.2 only; 1.2 and 1.3 (the check's own handshake
# is 1.3, so 1.2 is probed); 1.0 to 1.2 (the old versions are probed).
T12ONLY=4443 T1213=4444 TOLD=4445
lab_tls_serve good "$T12ONLY" --require-client-cert --verify-client-cert \
	"--x509cafile=$P/clientca.pem" --priority=NORMAL:-VERS-ALL:+VERS-TLS1.2
lab_tls_serve good "$T1213" --require-client-cert --verify-client-cert \
	"--x509cafile=$P/clientca.pem" --priority=NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.3
lab_tls_serve good "$TOLD" --require-client-cert --verify-client-cert \
	"--x509cafile=$P/clientca.pem" \
	--priority=NORMAL:%COMPAT:-VERS-ALL:+VERS-TLS1.0:+VERS-TLS1.1:+VERS-TLS1.2
# OpenSSL wants the clients' whole chain up to the root, within depth.
cat "$P/clientca.pem" "$P/root.pem" >"$P/clientcas.pem"
lab_nginx_serve clientcert "$NGX:1" <<EOF
    server {
        listen 127.0.0.1:$NGX ssl;
        ssl_certificate $P/good.chain.pem;
        ssl_certificate_key $P/good.key;
        ssl_client_certificate $P/clientcas.pem;
        ssl_verify_client on;
        ssl_verify_depth 2;
        return 200 "served\n";
    }
EOF

CLIENT=("--client-cert=$P/client.pem" "--client-key=$P/client.key")
ROGUE=("--client-cert=$P/rogue.pem" "--client-key=$P/rogue.key")

for s in "TLS 1.2:$T12:TLSv1.2" "TLS 1.3:$T13:TLSv1.3" "nginx:$NGX:"; do
	IFS=: read -r what port ver <<<"$s"
	lab_check 0 "$what, no client certificate: exit 0 (the chain's verdict)" "good.test:$port"
	assert_jq '(.chain | length == 2) and .verify.trusted and codes == ["client_cert_required"]' \
		"$what, no client certificate: chain kept and judged, client_cert_required only"
	assert_jq 'severities("client_cert_required") == ["OK"] and .client_cert.refused and (.client_cert.sent | not)' \
		"$what, no client certificate: client_cert_required is OK; client_cert detail"
	[ -z "$ver" ] || assert_jq ".tls.version == \"$ver\"" "$what: the version wanted"
	lab_check 0 "$what, the right client certificate: exit 0" "${CLIENT[@]}" "good.test:$port"
	assert_jq '.problems == [] and .client_cert.sent and (.client_cert.refused | not)' \
		"$what, the right client certificate: no problems, sent, not refused"
	lab_check 2 "$what, an untrusted client certificate: exit 2" "${ROGUE[@]}" "good.test:$port"
	assert_jq 'codes == ["tls_handshake_failed"] and (.chain | length == 2)' \
		"$what, an untrusted client certificate: tls_handshake_failed, chain still there"
	assert_problem tls_handshake_failed "the server refused the client certificate $P/rogue.pem" \
		"$what, an untrusted client certificate: the refusal named"
done

# The same verdict in the other formats.
assert_exit 0 "TLS 1.2, no client certificate, --nagios: exit 0" "$CERTCHECK" "$DNS" \
	"--cafile=$P/root.pem" --nagios "good.test:$T12"
assert_first_line '^CERT OK - ' "TLS 1.2, no client certificate, --nagios: CERT OK"
assert_exit 0 "TLS 1.3, no client certificate, text: exit 0" "$CERTCHECK" "$DNS" \
	"--cafile=$P/root.pem" --color=never "good.test:$T13"
assert_true "TLS 1.3, no client certificate, text: the info line" \
	grep -Eq 'client_cert_required: the server demands a client certificate' "$LAB_OUT"

# --protocols: refused for want of a client certificate is accepted.
lab_check 0 "--protocols, TLS 1.2 only, no client certificate: exit 0" --protocols "good.test:$T12ONLY"
assert_jq '.protocols == {"TLSv1.0": false, "TLSv1.1": false, "TLSv1.2": true, "TLSv1.3": false}' \
	"--protocols, TLS 1.2 only: TLS 1.2 alone"
assert_jq 'codes == ["client_cert_required"]' "--protocols, TLS 1.2 only: no probe failure, no old protocol"
lab_check 0 "--protocols, TLS 1.2 and 1.3, no client certificate: exit 0" --protocols "good.test:$T1213"
assert_jq '.tls.version == "TLSv1.3" and .protocols == {"TLSv1.0": false, "TLSv1.1": false, "TLSv1.2": true, "TLSv1.3": true}' \
	"--protocols, TLS 1.2 and 1.3: the TLS 1.2 probe, refused for the certificate, counts as accepted"
lab_check 1 "--protocols, TLS 1.0 to 1.2, no client certificate: exit 1" --protocols "good.test:$TOLD"
assert_jq '.protocols == {"TLSv1.0": true, "TLSv1.1": true, "TLSv1.2": true, "TLSv1.3": false}' \
	"--protocols, TLS 1.0 to 1.2: the old versions seen accepted"
assert_jq 'codes == ["client_cert_required", "tls_old_protocol"]' \
	"--protocols, TLS 1.0 to 1.2: tls_old_protocol, as without a client certificate demanded"
