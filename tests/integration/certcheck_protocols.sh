#!/usr/bin/env bash
# certcheck_protocols.sh: --protocols against real servers.  nginx set up
# the way old guides say (ssl_protocols TLSv1 TLSv1.1 TLSv1.2), which on
# OpenSSL 3 really accepts TLS 1.0 only with @SECLEVEL=0 (openssl
# s_client proves it below, so the test is honest); the same without
# @SECLEVEL=0 (TLS 1.0 refused after all); a modern nginx (Debian 12's
# nginx 1.22 defaults still include TLSv1, so it is written out); and
# gnutls-serv with chosen priorities.  A server that takes only one
# connection (openssl s_server -naccept 1) refuses the probes' connects:
# "cannot tell", never "not accepted".
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig nginx gnutls-serv openssl
lab_need_built "$CERTCHECK"

tap_plan 33

lab_pki
lab_dns_start

OLD=4431 OLDSEC=4432 MODERN=4433 ONLY13=4434 TLS11=4435 ONLY10=4436 ONCE=4437
lab_nginx_serve protocols "$OLD:1" "$OLDSEC:1" "$MODERN:1" <<EOF
    server {
        listen 127.0.0.1:$OLD ssl;
        ssl_certificate $LAB_PKI/good.chain.pem;
        ssl_certificate_key $LAB_PKI/good.key;
        ssl_protocols TLSv1 TLSv1.1 TLSv1.2;
        ssl_ciphers DEFAULT:@SECLEVEL=0;
    }
    server {
        listen 127.0.0.1:$OLDSEC ssl;
        ssl_certificate $LAB_PKI/good.chain.pem;
        ssl_certificate_key $LAB_PKI/good.key;
        ssl_protocols TLSv1 TLSv1.1 TLSv1.2;
    }
    server {
        listen 127.0.0.1:$MODERN ssl;
        ssl_certificate $LAB_PKI/good.chain.pem;
        ssl_certificate_key $LAB_PKI/good.key;
        ssl_protocols TLSv1.2 TLSv1.3;
    }
EOF
lab_tls_serve good "$ONLY13" --priority=NORMAL:-VERS-ALL:+VERS-TLS1.3
lab_tls_serve good "$TLS11" --priority=NORMAL:-VERS-ALL:+VERS-TLS1.1:+VERS-TLS1.2
lab_tls_serve good "$ONLY10" --priority=NORMAL:-VERS-ALL:+VERS-TLS1.0

# s_client VERSION-FLAG PORT: the protocol an OpenSSL client agreed on
# ("TLSv1", "TLSv1.1"), or nothing when no cipher was agreed.  The client
# is at @SECLEVEL=0 too, or it would refuse TLS 1.0 itself.
s_client() {
	openssl s_client "$1" -cipher DEFAULT:@SECLEVEL=0 -connect "127.0.0.1:$2" \
		-servername good.test </dev/null 2>/dev/null |
		awk '/^New, / { ok = $NF != "(NONE)" } /^ *Protocol *:/ && ok { print $3 }'
}

# The witnesses: what the servers really accept, asked with OpenSSL.
assert_true "openssl s_client -tls1: nginx with @SECLEVEL=0 accepts TLS 1.0" \
	test "$(s_client -tls1 $OLD)" = TLSv1
assert_true "openssl s_client -tls1: nginx without @SECLEVEL=0 refuses TLS 1.0" \
	test -z "$(s_client -tls1 $OLDSEC)"
assert_true "openssl s_client -tls1_1: gnutls-serv 1.1+1.2 accepts TLS 1.1" \
	test "$(s_client -tls1_1 $TLS11)" = TLSv1.1

lab_check 1 "nginx TLSv1 TLSv1.1 TLSv1.2 @SECLEVEL=0: exit 1" --protocols good.test:$OLD
assert_jq '.protocols == {"TLSv1.0": true, "TLSv1.1": true, "TLSv1.2": true, "TLSv1.3": false}' \
	"nginx old: TLSv1.0, 1.1 and 1.2 accepted, 1.3 not"
assert_problem tls_old_protocol "accepts TLSv1.0, TLSv1.1," "nginx old: tls_old_protocol names TLSv1.0 and TLSv1.1"
assert_jq 'codes == ["tls_old_protocol"] and severities("tls_old_protocol") == ["WARNING"]' \
	"nginx old: tls_old_protocol WARNING is the only problem"

lab_check 0 "the same nginx without --protocols: exit 0, nothing probed" good.test:$OLD
assert_jq 'has("protocols") | not' "without --protocols: no protocols field"

lab_check 0 "nginx without @SECLEVEL=0: exit 0 (OpenSSL 3 refuses TLS 1.0/1.1)" \
	--protocols good.test:$OLDSEC
assert_jq '.protocols == {"TLSv1.0": false, "TLSv1.1": false, "TLSv1.2": true, "TLSv1.3": false}' \
	"nginx without @SECLEVEL=0: only TLSv1.2"

lab_check 0 "nginx defaults: exit 0" --protocols good.test:$MODERN
assert_jq '.problems == [] and .protocols == {"TLSv1.0": false, "TLSv1.1": false, "TLSv1.2": true, "TLSv1.3": true}' \
	"nginx defaults: TLSv1.2 and TLSv1.3, no problem"

lab_check 0 "gnutls-serv TLS 1.3 only: exit 0" --protocols good.test:$ONLY13
assert_jq '.problems == [] and .protocols == {"TLSv1.0": false, "TLSv1.1": false, "TLSv1.2": false, "TLSv1.3": true}' \
	"gnutls-serv 1.3 only: TLSv1.3 alone"

lab_check 1 "gnutls-serv TLS 1.1 and 1.2: exit 1" --protocols good.test:$TLS11
assert_jq '.protocols == {"TLSv1.0": false, "TLSv1.1": true, "TLSv1.2": true, "TLSv1.3": false}' \
	"gnutls-serv 1.1+1.2: TLSv1.1 and TLSv1.2"
assert_problem tls_old_protocol "accepts TLSv1.1, deprecated" "gnutls-serv 1.1+1.2: tls_old_protocol names TLSv1.1 only"

lab_check 2 "gnutls-serv TLS 1.0 only: exit 2" --protocols good.test:$ONLY10
assert_jq '.tls.version == "TLSv1.0" and .protocols == {"TLSv1.0": true, "TLSv1.1": false, "TLSv1.2": false, "TLSv1.3": false}' \
	"gnutls-serv 1.0 only: the check's handshake and the probes agree"
assert_jq 'severities("tls_no_modern_protocol") == ["CRITICAL"] and has_problem("tls_old_protocol")' \
	"gnutls-serv 1.0 only: tls_no_modern_protocol CRITICAL besides tls_old_protocol"

# Text and Nagios show the versions too.
assert_exit 1 "text: exit 1" "$CERTCHECK" "$DNS" "--cafile=$LAB_PKI/root.pem" --protocols good.test:$OLD
assert_true "text: a protocols line with every version" \
	grep -Eq '^  protocols +TLSv1.0 yes, TLSv1.1 yes, TLSv1.2 yes, TLSv1.3 no$' "$LAB_OUT"
assert_true "text: the tls_old_protocol line" \
	grep -q 'WARNING   tls_old_protocol: the server accepts TLSv1.0, TLSv1.1' "$LAB_OUT"
assert_exit 1 "nagios: exit 1" "$CERTCHECK" "$DNS" "--cafile=$LAB_PKI/root.pem" --nagios --protocols good.test:$OLD
assert_first_line '^CERT WARNING - good.test:4431: the server accepts TLSv1.0, TLSv1.1, deprecated by RFC 8996 \(besides TLSv1.2\) \|' \
	"nagios: the summary names the old versions"
assert_true "nagios: long text lists the accepted versions" \
	grep -qx 'protocols accepted: TLSv1.0, TLSv1.1, TLSv1.2' "$LAB_OUT"

# One connection only: after the check's own handshake the server is
# gone, and the probes' connects are refused.  That is "cannot tell"
# (null, tls_probe_failed, UNKNOWN), not "not accepted".  (The TLS 1.0
# probe may still reach the closing listener and be reset: a hang-up
# counts as a refusal, so that one is null or false.)
openssl s_server -quiet -naccept 1 -accept "$ONCE" -cert "$LAB_PKI/good.pem" \
	-key "$LAB_PKI/good.key" -cert_chain "$LAB_PKI/good.extra.pem" \
	>"$LAB/log/once.log" 2>&1 </dev/null &
once=$!
lab_track $once
_lab_wait_port "$ONCE" $once "$LAB/log/once.log"
lab_check 3 "server gone after the first handshake: exit 3" --protocols -t 3 good.test:$ONCE
assert_jq '.protocols["TLSv1.3"] == true and .protocols["TLSv1.1"] == null and .protocols["TLSv1.2"] == null' \
	"probes refused: TLSv1.1 and 1.2 null, the handshake's own TLSv1.3 known"
assert_jq 'all(.problems[]; .code == "tls_probe_failed" and .severity == "UNKNOWN") and (.problems | length >= 2)' \
	"probes refused: tls_probe_failed UNKNOWN, one per version not known"
assert_problem tls_probe_failed "cannot tell whether 127.0.0.1 accepts TLSv1.2: connect failed" \
	"probes refused: the message says which step failed"
assert_elapsed_max 3 "probes refused: within the deadline"

# --protocols belongs to server checks.
assert_exit 3 "--protocols with --cert: usage error" "$CERTCHECK" --protocols --cert "$LAB_PKI/good.pem"
