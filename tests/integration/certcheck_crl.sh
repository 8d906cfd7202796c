#!/usr/bin/env bash
# certcheck_crl.sh: --crl, revocation the way left once a CA stops
# running OCSP.  Leaves whose CRL distribution point is
# http://crl.test/int.crl, CRLs made by certtool (empty, listing a leaf,
# in DER and PEM, signed by another CA or by a stranger with the
# issuer's name, stale, garbage, larger than the 10 MiB cap) served by
# nginx from the lab's DNS name; distribution points that are refused,
# that stall (tests/servers/hostile), that answer garbage, that 404, and
# whose host does not exist; a leaf without a distribution point.
# jq filters are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig gnutls-serv nginx
lab_need_built "$CERTCHECK" "$HOSTILE"

tap_plan 86

lab_pki
P=$LAB_PKI
C=$LAB/crl
mkdir -p "$C/www"

# dp_leaf NAME URL: a leaf of int whose CRL distribution point is URL.
dp_leaf() {
	LAB_LEAF_EXTRA="crl_dist_points = \"$2\"" lab_leaf "$1" int -30 60 ecdsa
}
dp_leaf crlok http://crl.test/int.crl
dp_leaf crlrev http://crl.test/int.crl
dp_leaf crlrefused http://crl.test:4699/int.crl
dp_leaf crlstall http://stall.test:4490/int.crl
dp_leaf crlgarbage http://garbage.test:4491/int.crl
dp_leaf crl404 http://crl.test/missing.crl
dp_leaf crlnxdomain http://nxdomain.test/int.crl
dp_leaf crlldap "ldap://crl.test/cn=int?certificateRevocationList"

# A stranger CA that calls itself "certdiag lab int" (same name, own key).
certtool --generate-privkey --key-type=ecdsa --outfile "$C/stranger.key" 2>/dev/null
cp "$P/int.tmpl" "$C/stranger.tmpl"
certtool --generate-self-signed --load-privkey "$C/stranger.key" \
	--template "$C/stranger.tmpl" --outfile "$C/stranger.pem" 2>/dev/null ||
	lab_bail "certtool could not make the stranger CA"

# mkcrl OUT CA-CERT CA-KEY [TEMPLATE-LINES [REVOKED-LEAF]]: a DER CRL.
mkcrl() {
	local out=$1 ca=$2 key=$3 lines=${4:-} leaf=${5:-}
	printf 'crl_next_update = 7\ncrl_number = 1\n%s\n' "$lines" >"$C/crl.tmpl"
	set -- --generate-crl --load-ca-certificate "$ca" --load-ca-privkey "$key" \
		--template "$C/crl.tmpl" --outder --outfile "$out"
	[ -z "$leaf" ] || set -- "$@" --load-certificate "$leaf"
	certtool "$@" >>"$C/certtool.log" 2>&1 ||
		lab_bail "certtool could not make $out ($C/certtool.log)"
}
day() { date -u -d "$1" '+%Y-%m-%d %H:%M:%S'; }
revoked_at=$(day '2 days ago')
mkcrl "$C/empty.crl" "$P/int.pem" "$P/int.key"
mkcrl "$C/revoked.crl" "$P/int.pem" "$P/int.key" \
	"crl_revocation_date = \"$revoked_at\"" "$P/crlrev.pem"
mkcrl "$C/otherca.crl" "$P/intshort.pem" "$P/intshort.key" "" "$P/crlrev.pem"
mkcrl "$C/stranger.crl" "$C/stranger.pem" "$C/stranger.key"
mkcrl "$C/stale.crl" "$P/int.pem" "$P/int.key" \
	"crl_this_update_date = \"$(day '10 days ago')\"
crl_next_update_date = \"$(day '3 days ago')\""
certtool --crl-info --inder --infile "$C/revoked.crl" >"$C/revoked.pem" 2>/dev/null
head -c 100 /dev/zero | tr '\0' x >"$C/garbage.crl"
head -c $((11 * 1024 * 1024)) /dev/zero >"$C/huge.crl"
# serve VARIANT: what http://crl.test/int.crl serves from now on.
serve() { cp "$C/$1" "$C/www/int.crl"; }
serve empty.crl

lab_dns_add "crl A 127.0.0.1"
for c in crlok crlrev crlrefused crlstall crlgarbage crl404 crlnxdomain crlldap; do
	lab_dns_add "$c A 127.0.0.1"
done
lab_dns_start
port=4601
for c in crlok crlrev crlrefused crlstall crlgarbage crl404 crlnxdomain crlldap good; do
	lab_tls_serve "$c" "$port"
	port=$((port + 1))
done
lab_hostile_start stall
lab_hostile_start garbage
lab_nginx_serve crl 80:1 <<EOF
    default_type application/pkix-crl;
    server {
        listen 127.0.0.1:80;
        server_name crl.test;
        root $C/www;
    }
EOF

OK=crlok.test:4601
REV=crlrev.test:4602

# Without --crl nothing is fetched and nothing is said.
lab_check 0 "no --crl: exit 0" "$REV"
assert_jq 'has("crl") | not' "no --crl: no crl detail"

# Empty CRL: not revoked.
lab_check 0 "empty CRL: exit 0" --crl "$OK"
assert_jq '.problems == [] and .crl.revoked == false and .crl.signature == "valid"' \
	"empty CRL: not revoked, signature valid"
assert_jq '.crl.url == "http://crl.test/int.crl" and .crl.address == "127.0.0.1" and .crl.entries == 0' \
	"empty CRL: url, address, no entries"
assert_jq "(.crl.size == $(stat -c %s "$C/empty.crl")) and (.crl.this_update | fromdateiso8601) <= now and (.crl.next_update | fromdateiso8601) > now" \
	"empty CRL: size, this_update and next_update (RFC 3339)"
assert_exit 0 "empty CRL, nagios: exit 0" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" --nagios --crl "$OK"
assert_line 2 '^CRL http://crl.test/int.crl: not revoked, 0 entries, this update [0-9-]+T[0-9:]+Z, next update ' \
	"empty CRL, nagios: the CRL in the long text"

# The leaf is listed: critical, with the date.
serve revoked.crl
lab_check 2 "revoked: exit 2" --crl "$REV"
assert_jq '.status == "CRITICAL" and severities("crl_revoked") == ["CRITICAL"] and .crl.revoked == true' \
	"revoked: crl_revoked CRITICAL"
assert_jq ".crl.revocation_time == \"$(date -u -d "$revoked_at UTC" +%Y-%m-%dT%H:%M:%SZ)\" and .crl.entries == 1" \
	"revoked: revocation_time as in the CRL"
assert_problem crl_revoked "as revoked on ${revoked_at%:*} UTC" \
	"revoked: the message says when"
lab_check 0 "revoked CRL, another leaf: exit 0" --crl "$OK"
assert_jq '.crl.revoked == false and .crl.entries == 1' "another leaf: not listed"
lab_check 2 "--cert with --crl (a file before deploying it): exit 2" --crl --cert "$P/crlrev.chain.pem"
assert_jq 'codes == ["crl_revoked"] and .crl.revoked' "--cert --crl: crl_revoked"

# The same in text and Nagios.
assert_exit 2 "revoked, text: exit 2" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" --crl "$REV"
assert_line 1 "^$REV  CRITICAL  the CA's CRL lists the certificate \(serial [0-9a-f]+\) as revoked on " \
	"text: the verdict line"
assert_true "text: crl_revoked with the fix" grep -A1 'CRITICAL  crl_revoked' "$LAB_OUT"
assert_true "text: crl detail line" grep -Eq '^  crl +url http://crl.test/int.crl, .*revoked yes' "$LAB_OUT"
assert_exit 2 "revoked, nagios: exit 2" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" --nagios --crl "$REV"
assert_first_line "^CERT CRITICAL - $REV: the CA's CRL lists the certificate" "nagios: CERT CRITICAL"
assert_true "nagios: long output" grep -q '^CRITICAL: crl_revoked: ' "$LAB_OUT"

# PEM is read as well as DER.
cp "$C/revoked.pem" "$C/www/int.crl"
lab_check 2 "revoked, PEM CRL: exit 2" --crl "$REV"
assert_jq 'severities("crl_revoked") == ["CRITICAL"]' "PEM CRL: crl_revoked"

# CRLs that cannot be believed.
serve otherca.crl
lab_check 1 "CRL of another CA: exit 1" --crl "$REV"
assert_jq 'codes == ["crl_invalid"] and .crl.signature == "wrong_issuer"' \
	"another CA: crl_invalid only (its list is not believed)"
serve stranger.crl
lab_check 1 "CRL with the issuer's name, another key: exit 1" --crl "$OK"
assert_jq 'codes == ["crl_invalid"] and .crl.signature == "invalid"' "stranger: crl_invalid, signature invalid"
assert_problem crl_invalid "signature does not verify" "stranger: says so"
serve garbage.crl
lab_check 1 "not a CRL: exit 1" --crl "$OK"
assert_problem crl_invalid "not a CRL" "garbage: crl_invalid"
serve stale.crl
lab_check 1 "stale CRL: exit 1" --crl "$OK"
assert_jq 'codes == ["crl_stale"] and severities("crl_stale") == ["WARNING"] and .crl.revoked == false' \
	"stale: crl_stale WARNING"
assert_problem crl_stale "next update was due" "stale: says when"
serve huge.crl
lab_check 1 "11 MiB CRL: exit 1" --crl "$OK"
assert_jq 'codes == ["crl_too_large"]' "huge: crl_too_large"
assert_problem crl_too_large "larger than 10 MiB" "huge: names the cap"
serve empty.crl

# Distribution points that do not give a CRL.
lab_check 1 "404: exit 1" --crl crl404.test:4606
assert_jq 'codes == ["crl_unavailable"] and .crl.http_status == 404' "404: crl_unavailable, status 404"
assert_problem crl_unavailable "HTTP status 404" "404: says so"
lab_check 1 "refused: exit 1" --crl crlrefused.test:4603
assert_jq 'codes == ["crl_unavailable"]' "refused: crl_unavailable"
assert_problem crl_unavailable "http://crl.test:4699/int.crl could not be fetched" "refused: names the URL"
lab_check 1 "host does not exist: exit 1" --crl crlnxdomain.test:4607
assert_jq 'codes == ["crl_unavailable"]' "nxdomain: crl_unavailable"
lab_check 1 "server answers garbage: exit 1" --crl crlgarbage.test:4605
assert_jq 'codes == ["crl_unavailable"]' "garbage server: crl_unavailable"
assert_elapsed_max 2 "garbage server: no waiting for the deadline (-t 10)"
# Timed without libtool's wrapper script: the deadline is the tool's.
lab_nagios_link certcheck-bin certcheck
STALL=("$LAB/bin/certcheck-bin" "$DNS" "--cafile=$P/root.pem" --json --crl crlstall.test:4604)
assert_exit 1 "stalling server, -t 2: exit 1" "${STALL[@]}" -t 2
assert_elapsed_max 2.5 "stalling server: done within -t + 0.5 s"
assert_jq 'codes == ["crl_unavailable"] and (.problems[0].message | test("timeout while reading"))' \
	"stalling server: crl_unavailable, a timeout"
assert_exit 1 "stalling server, -t 1: exit 1" "${STALL[@]}" -t 1
assert_elapsed_max 1.5 "stalling server -t 1: done within -t + 0.5 s"
assert_exit 1 "stalling server, nagios: exit 1" "$CERTCHECK" "$DNS" "--cafile=$P/root.pem" \
	--nagios -t 1 --crl crlstall.test:4604
assert_first_line '^CERT WARNING - crlstall.test:4604: CRL http://stall.test:4490/int.crl could not be fetched' \
	"stalling server, nagios: CERT WARNING with the URL"

# No usable distribution point: said, but not a warning.
lab_check 0 "no distribution point: exit 0" --crl good.test:4609
assert_jq 'codes == ["crl_no_distribution_point"] and severities("crl_no_distribution_point") == ["OK"]' \
	"no distribution point: informational"
assert_jq '.crl == {}' "no distribution point: empty crl detail"
lab_check 0 "ldap:// only: exit 0" --crl crlldap.test:4608
assert_problem crl_no_distribution_point "not http:// URLs" "ldap only: says so"

# An 8 MB CRL of 260,000 entries (built at test time, signed by int):
# importing, verifying and walking it must stay within -t.
python3 "$top_srcdir/tests/helpers/bigcrl.py" "$P/int.pem" "$P/int.key" 260000 "$C/big.crl" ||
	lab_bail "tests/helpers/bigcrl.py could not make the big CRL"
serve big.crl
BIG=("$LAB/bin/certcheck-bin" "$DNS" "--cafile=$P/root.pem" --json --crl "$OK")
assert_exit 1 "8 MB CRL, -t 0.3: exit 1" "${BIG[@]}" -t 0.3
assert_elapsed_max 0.8 "8 MB CRL, -t 0.3: done within -t + 0.5 s"
assert_jq 'codes == ["crl_unavailable"] and (.problems[0].message | test("timeout")) and (.crl | has("timeout"))' \
	"8 MB CRL, -t 0.3: crl_unavailable, a timeout, the step named"
# -t 1: time enough to start the import; whatever the machine makes of
# it, the deadline holds.
lab_run "${BIG[@]}" -t 1
assert_elapsed_max 1.5 "8 MB CRL, -t 1: done within -t + 0.5 s"
assert_exit 0 "8 MB CRL, -t 10: exit 0" "${BIG[@]}" -t 10
assert_jq '.crl.entries == 260000 and .crl.revoked == false and .crl.signature == "valid"' \
	"8 MB CRL, -t 10: read whole, 260,000 entries, not revoked"
serve empty.crl

# Batch: each target keeps its own deadline and CRL.
serve revoked.crl
lab_check 2 "batch -j 3: exit 2 (worst)" -j 3 --crl "$OK" "$REV" crl404.test:4606
assert_jqs 'length == 3 and ([.[] | .status] | sort == ["CRITICAL", "OK", "WARNING"])' \
	"batch: one verdict per target"

# A distribution point is the certificate maker's choice: followed only
# for a chain that verified, and with the system trust store never to a
# reserved address (the metadata service, the local network).
serve empty.crl
dp_leaf_self() {
	certtool --generate-privkey --key-type=ecdsa --outfile "$C/$1.key" 2>/dev/null
	printf 'cn = "%s.test"\ndns_name = "%s.test"\ncrl_dist_points = "%s"\nexpiration_days = 30\ntls_www_server\n' \
		"$1" "$1" "$2" >"$C/$1.tmpl"
	certtool --generate-self-signed --load-privkey "$C/$1.key" --template "$C/$1.tmpl" \
		--outfile "$C/$1.pem" 2>/dev/null || lab_bail "certtool could not make $1"
}
dp_leaf_self selfmeta http://169.254.169.254/latest/meta-data/x.crl
dp_leaf_self selfloop http://127.0.0.1:80/int.crl
for s in selfmeta:4610 selfloop:4611; do
	gnutls-serv --http --port "${s#*:}" --x509certfile "$C/${s%:*}.pem" \
		--x509keyfile "$C/${s%:*}.key" >"$LAB/log/${s%:*}.log" 2>&1 &
	lab_track $!
	_lab_wait_port "${s#*:}" $! "$LAB/log/${s%:*}.log"
done
for s in selfmeta:4610 selfloop:4611; do
	assert_exit 2 "self-signed ${s%:*}, --crl: exit 2 (self_signed)" "$CERTCHECK" "$DNS" --json \
		--connect-to=127.0.0.1 -t 3 --crl "${s%:*}.test:${s#*:}"
	assert_jq 'severities("crl_skipped") == ["OK"] and .crl.skipped == "untrusted_chain" and (.crl | has("address") | not)' \
		"self-signed ${s%:*}: crl_skipped, nothing fetched"
	assert_problem crl_skipped "the chain did not verify" "self-signed ${s%:*}: says why"
	assert_elapsed_max 1 "self-signed ${s%:*}: no connection attempt to wait for"
done
# Even --allow-reserved does not follow an untrusted chain's URL.
assert_exit 2 "self-signed, --crl --allow-reserved: exit 2" "$CERTCHECK" "$DNS" --json \
	--connect-to=127.0.0.1 -t 3 --crl --allow-reserved selfloop.test:4611
assert_jq '.crl.skipped == "untrusted_chain"' "self-signed, --allow-reserved: still skipped"
# The lab's CA as the system trust store (this mount namespace only):
# the chain verifies, crl.test is 127.0.0.1, a reserved address.
if mount --bind "$P/root.pem" /etc/ssl/certs/ca-certificates.crt 2>/dev/null; then
	assert_exit 0 "system store, CRL on loopback: exit 0" "$CERTCHECK" "$DNS" --json --crl "$OK"
	assert_jq '.verify.trusted and severities("crl_skipped") == ["OK"] and .crl.skipped == "reserved_address" and .crl.reserved_address == "127.0.0.1" and (.crl | has("size") | not)' \
		"system store: crl_skipped, the reserved address named, nothing fetched"
	assert_problem crl_skipped "127.0.0.1 is in a reserved address block ([RFC1122], Section 3.2.1.3: Loopback)" \
		"system store: says which block"
	serve revoked.crl
	assert_exit 2 "system store, --allow-reserved: exit 2 (revoked)" "$CERTCHECK" "$DNS" --json \
		--crl --allow-reserved "$REV"
	assert_jq 'codes == ["crl_revoked"] and .crl.address == "127.0.0.1"' \
		"system store, --allow-reserved: fetched, crl_revoked"
	umount /etc/ssl/certs/ca-certificates.crt
else
	for d in exit "crl_skipped" "says which block" "--allow-reserved exit" "--allow-reserved fetched"; do
		tap_skip "system store: $d" "cannot bind-mount the system trust store"
	done
fi
# --cafile (a private PKI): internal addresses are its home.
lab_check 2 "--cafile, CRL on loopback: exit 2 (revoked)" --crl "$REV"
assert_jq 'codes == ["crl_revoked"] and (.crl | has("skipped") | not)' "--cafile: fetched from 127.0.0.1"
