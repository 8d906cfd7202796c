#!/usr/bin/env bash
# icinga2_config.sh: the Icinga 2 CheckCommand definitions we install
# (contrib/icinga2/certdiag.conf) are accepted by icinga2 itself.
#
# A minimal icinga2.conf in $LAB includes the built file and defines a
# host and services that use every command and set every custom
# variable; "icinga2 daemon -C" (validate and exit) must accept it.  So
# that the test can tell, deliberately broken copies must be refused.
# sed scripts and eval'd checks are single-quoted on purpose.
# Icinga's own directories all point into $LAB; it runs as the user
# running the test.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
ICINGA2=${ICINGA2:-icinga2}
lab_require "$ICINGA2"
CONF="$top_builddir/contrib/icinga2/certdiag.conf"
[ -f "$CONF" ] || lab_bail "$CONF not built: run make first"

tap_plan 13

I="$LAB/icinga2"
mkdir -p "$I/data" "$I/log" "$I/cache" "$I/spool" "$I/run"

# validate CONFIG-TO-INCLUDE: icinga2 daemon -C over a main file that
# includes it and uses its commands.  Output in $LAB_OUT/$LAB_ERR.
validate() {
	cat >"$I/icinga2.conf" <<EOF
include "$1"

object Host "www.example.test" {
	address = "127.0.0.1"
	check_command = "certcheck"
	vars.certdiag_bindir = "$LAB/bin"
	vars.certcheck_warning = "21"
	vars.certcheck_critical = "@0:7"
	vars.certcheck_cafile = "$LAB/root.pem"
	vars.certdiag_timeout = 5
	vars.certdiag_dns_server = "127.0.0.1:53"
}

object Service "tls-443" {
	host_name = "www.example.test"
	check_command = "check_cert"
	vars.certcheck_target = [ "www.example.test:443", "[::1]:8443" ]
	vars.certcheck_sni = "www.example.test"
	vars.certcheck_connect_to = "127.0.0.1"
	vars.certcheck_require_san = "www.example.test,example.test"
	vars.certcheck_issuer = "Let's Encrypt"
	vars.certcheck_fingerprint = "AB:CD"
	vars.certcheck_max_validity = 200
	vars.certcheck_client_cert = "/etc/ssl/monitor.pem"
	vars.certcheck_client_key = "/etc/ssl/private/monitor.key"
	vars.certcheck_ct = "required"
	vars.certcheck_ct_logs = "/etc/certdiag/ct-logs.json"
	vars.certcheck_dane = "required"
	vars.certcheck_root_hints = "/etc/certdiag/root.hints"
	vars.certcheck_trust_anchor = "none"
	vars.certcheck_no_ca_view = true
	vars.certcheck_starttls = "smtp"
	vars.certcheck_protocols = true
	vars.certcheck_crl = true
	vars.certcheck_all_addresses = true
	vars.certdiag_jobs = 2
	vars.certdiag_sort = "status"
	vars.certdiag_ipv4 = true
	vars.certdiag_verbose = true
	vars.certdiag_ignore = [ "chain_root_sent", "tls_old_protocol" ]
	vars.certdiag_severity = "chain_order:critical,weak_key:ok"
}

object Service "tls-hpi" {
	host_name = "www.example.test"
	check_command = "certcheck"
	vars.certcheck_host = "www.example.test"
	vars.certcheck_port = 8443
	vars.certcheck_address = "\$address\$"
}

object Service "caa" {
	host_name = "www.example.test"
	check_command = "check_caa"
	vars.caacheck_domain = [ "www.example.test", "*.example.test" ]
	vars.caacheck_ca = "letsencrypt.org"
	vars.caacheck_account_uri = "https://acme-v02.api.letsencrypt.org/acme/acct/1"
	vars.caacheck_method = "http-01"
}

object Service "caa-tool-name" {
	host_name = "www.example.test"
	check_command = "caacheck"
}

object Service "http01" {
	host_name = "www.example.test"
	check_command = "check_http01"
	vars.http01check_token = "abc"
	vars.http01check_expect = "abc.def"
	vars.http01check_http_port = 80
	vars.http01check_https_port = 443
	vars.http01check_allow_reserved = true
	vars.http01check_all_addresses = true
	vars.certdiag_ipv6 = true
}

object Service "http01-webroot" {
	host_name = "www.example.test"
	check_command = "http01check"
	vars.http01check_webroot = "/var/www/html"
}

object Service "tlsalpn01" {
	host_name = "www.example.test"
	check_command = "check_tlsalpn01"
	vars.tlsalpn01check_key_authorization = "abc.def"
	vars.tlsalpn01check_port = 443
	vars.tlsalpn01check_allow_reserved = true
}

object Service "dns01" {
	host_name = "www.example.test"
	check_command = "check_dns01"
	vars.dns01check_method = "dns-account-01"
	vars.dns01check_account_uri = "https://acme.example/acct/1"
	vars.dns01check_key_authorization = "abc.def"
	vars.dns01check_no_ca_view = true
}
EOF
	icinga_check "$I/icinga2.conf" "$2" "$3"
}

# icinga_check MAIN-FILE WANT DESC: icinga2 daemon -C on MAIN-FILE.
icinga_check() {
	assert_exit "$2" "$3" timeout 60 "$ICINGA2" daemon -C -c "$1" \
		-DRunAsUser="$(id -un)" -DRunAsGroup="$(id -gn)" \
		-DConfigDir="$I" -DDataDir="$I/data" -DLogDir="$I/log" \
		-DCacheDir="$I/cache" -DSpoolDir="$I/spool" -DInitRunDir="$I/run"
}

validate "$CONF" 0 "icinga2 daemon -C accepts contrib/icinga2/certdiag.conf"
assert_true "ten CheckCommands instantiated (certcheck, check_cert, caacheck, check_caa, http01check, check_http01, tlsalpn01check, check_tlsalpn01, dns01check, check_dns01)" \
	grep -q "Instantiated 10 CheckCommands" "$LAB_OUT"
assert_true "the host and eight services instantiated" \
	eval 'grep -q "Instantiated 1 Host" "$LAB_OUT" && grep -q "Instantiated 8 Services" "$LAB_OUT"'
assert_true "the install paths were filled in (no @bindir@ left)" \
	eval '! grep -q "@[a-z]*@" "$CONF" && grep -q "certdiag_bindir = \"/" "$CONF"'

# Broken copies: each must make icinga2 refuse the configuration.
broken() { # NAME SED-SCRIPT
	sed -e "$2" "$CONF" >"$I/$1.conf"
	cmp -s "$CONF" "$I/$1.conf" && lab_bail "sed '$2' did not change $CONF"
	validate "$I/$1.conf" 1 "icinga2 daemon -C refuses $1"
}
broken "a missing brace" '0,/^}$/{/^}$/d}'
assert_true "a missing brace: icinga2 says where" grep -q "critical/config" "$LAB_OUT"
broken "an unknown template" 's/import "certdiag-common"/import "certdiag-commn"/'
assert_true "an unknown template: icinga2 names it" grep -q "certdiag-commn" "$LAB_OUT"
broken "an unknown argument attribute" '0,/set_if = /s/set_if = /set_iff = /'
broken "a command that is not an array or string" \
	's|command = \[ "$certdiag_bindir$/check_caa" \]|command = { x = 1 }|'
broken "the same CheckCommand twice" '$a object CheckCommand "check_cert" { import "certdiag-certcheck" }'

# The README's example, as written there, on a host that asks for it.
{
	echo "include \"$CONF\""
	echo 'object Host "www.example.test" { check_command = "check_caa"; vars.tls = true }'
	sed -n '/^apply Service "tls" {$/,/^}$/p' "$top_srcdir/README.md"
} >"$I/readme.conf"
icinga_check "$I/readme.conf" 0 "icinga2 daemon -C accepts the README's apply rule"
assert_true "the README's rule applies one service" \
	eval 'grep -q "apply Service" "$I/readme.conf" && grep -q "Instantiated 1 Service\." "$LAB_OUT"'
