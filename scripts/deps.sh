#!/bin/sh
# Install the Debian packages certdiag needs that are not installed yet.
#   scripts/deps.sh build   compile the library and tools
#   scripts/deps.sh demo    build + what the offline demo runs
#   scripts/deps.sh test    build + every server the test lab starts
#   scripts/deps.sh bench   test + the peer tools bench/run compares with
# As root it calls apt-get directly; otherwise through sudo.
set -eu

build="autoconf automake libtool pkg-config make gcc libc6-dev libunbound-dev dns-root-data
 libgnutls28-dev libgnutls-dane0 libc-ares-dev libcurl4-gnutls-dev libidn2-dev
 libjansson-dev libpsl-dev publicsuffix libmicrohttpd-dev libyaml-dev libunistring-dev"
demo="gnutls-bin"
test="gnutls-bin openssl nginx-light knot knot-dnsutils jq iproute2 unbound ldnsutils
 util-linux bsdutils mandoc valgrind zsh fish pebble certbot"
test="$test lego caddy"   # dns01check_pebble.sh, tlsalpn01check_pebble.sh (ACME clients against Pebble), the README example of Caddy behind a proxy
test="$test postgresql dovecot-imapd dovecot-pop3d exim4-daemon-light slapd vsftpd prosody"   # --starttls: real servers (certcheck_starttls.sh)
test="$test python3-cryptography"   # certcheck_ocsp.sh signs a stale OCSP response
test="$test python3-jsonschema"   # json_schema.sh validates every JSON line of the lab against doc/schema/
test="$test tinyproxy-bin"   # --proxy: the HTTP CONNECT proxy of proxy.sh
test="$test prometheus prometheus-node-exporter nftables"   # perspectives.sh: promtool, a real Prometheus, node_exporter's textfile collector, a firewall refusing one perspective
test="$test nagios4-core icinga2-bin time"   # Nagios 4 engine test, icinga2 daemon -C, peak RSS of batch mode
test="$test abi-dumper abi-compliance-checker"   # abi.sh: adding an option keeps the ABI
test="$test prometheus prometheus-node-exporter curl"   # --format=prometheus: promtool check metrics, node_exporter's textfile collector scraped with curl
test="$test monitoring-plugins-contrib openssl bc bind9-host file curl"   # check_ssl_cert and the programs it insists on (certcheck_parity.sh)
# bench/run's peers: check_http/check_curl (liburiparser1 is only a
# Recommends of check_curl's package), ssl-cert-check, blackbox_exporter
# (check_ssl_cert and curl for its /probe come with the test set);
# GNU time for peak RSS.
bench="monitoring-plugins-basic monitoring-plugins-standard liburiparser1
 ssl-cert-check prometheus-blackbox-exporter time unbound-host"

case "${1:-build}" in
build) want=$build ;;
demo) want="$build $demo" ;;
test) want="$build $test" ;;
bench) want="$build $test $bench" ;;
*) echo "usage: $0 build|demo|test|bench" >&2; exit 2 ;;
esac

missing=
for p in $want; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "Installing:$missing" >&2
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
