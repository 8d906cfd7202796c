#!/usr/bin/env bash
# certcheck_certfiles.sh: --cert repeated, DER and PKCS#12 files (made
# here with openssl), --password-file, and directories: a certbot
# live/ tree (each NAME once, by its fullchain.pem; README is not a
# certificate) and a directory with a garbage file, which is that
# file's check_error alone.  No server, no DNS.
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require openssl
lab_need_built "$CERTCHECK"

tap_plan 23

lab_pki
P=$LAB_PKI

# files WANT DESC OPTIONS...: certcheck --json on local files.
files() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$CERTCHECK" --json "--cafile=$P/root.pem" "$@"
}

files 2 "--cert twice (good, expired): exit 2 (the worst)" \
	--cert "$P/good.chain.pem" --cert "$P/expired.chain.pem"
assert_jqs "length == 2 and (map(.target) | sort) == [\"$P/expired.chain.pem\", \"$P/good.chain.pem\"]" \
	"--cert twice: a result per file, named by its path"
assert_jqs 'map(select(.status == "CRITICAL") | .problems[].code) | index("cert_expired") != null' \
	"--cert twice: the expired one is cert_expired"

openssl x509 -in "$P/good.pem" -outform DER -out "$LAB/good.der"
files 2 "DER leaf: exit 2 (a leaf alone)" --cert "$LAB/good.der" --name good.test
assert_jq '(.chain | length == 1) and .chain[0].subject == "CN=good.test,O=certdiag test lab" and codes == ["chain_incomplete"]' \
	"DER leaf: read, judged as a lone leaf (chain_incomplete)"

printf 'sesame\n' >"$LAB/pass"
printf 'wrong\n' >"$LAB/wrongpass"
openssl pkcs12 -export -in "$P/good.pem" -inkey "$P/good.key" \
	-certfile "$P/int.pem" -passout "file:$LAB/pass" -out "$LAB/good.p12"
cp "$LAB/good.p12" "$LAB/good.pfx"
files 0 "PKCS#12 with --password-file: exit 0" \
	--cert "$LAB/good.p12" "--password-file=$LAB/pass" --name good.test
assert_jq '.problems == [] and (.chain | length == 2) and .verify.trusted' \
	"PKCS#12: leaf and intermediate, trusted"
files 3 "PKCS#12 with the wrong password: exit 3" \
	--cert "$LAB/good.pfx" "--password-file=$LAB/wrongpass"
assert_problem check_error "wrong password (--password-file)" "PKCS#12 wrong password: check_error says so"
files 3 "PKCS#12 without --password-file: exit 3" --cert "$LAB/good.p12"
assert_problem check_error "give its password with --password-file" "PKCS#12 without a password: check_error says so"
files 3 "a missing --password-file: exit 3" --cert "$LAB/good.p12" "--password-file=$LAB/nope"
assert_true "a missing --password-file: said on stderr" grep -q "password-file" "$LAB_ERR"

# certbot's layout: live/NAME/{cert,chain,fullchain,privkey}.pem, README.
L=$LAB/letsencrypt/live
for n in good ecdsa; do
	mkdir -p "$L/$n.test"
	cp "$P/$n.pem" "$L/$n.test/cert.pem"
	cp "$P/int.pem" "$L/$n.test/chain.pem"
	cp "$P/$n.chain.pem" "$L/$n.test/fullchain.pem"
	cp "$P/$n.key" "$L/$n.test/privkey.pem"
done
echo "This directory contains your keys and certificates." >"$L/README"
files 0 "a certbot live/ directory: exit 0" --cert "$L"
assert_jqs "map(.target) == [\"$L/ecdsa.test/fullchain.pem\", \"$L/good.test/fullchain.pem\"]" \
	"live/: each NAME once, by its fullchain.pem, README left out"
assert_jqs 'all(.[]; .problems == [] and (.chain | length == 2))' "live/: both full chains judged"

D=$LAB/certs
mkdir -p "$D"
cp "$P/good.chain.pem" "$D/good.crt"
head -c 300 /dev/urandom >"$D/junk.pem"
cp "$P/good.key" "$D/good-key.pem"
files 3 "a directory with a garbage file: exit 3 (its UNKNOWN)" --cert "$D"
assert_jqs "length == 2 and map(.target) == [\"$D/good.crt\", \"$D/junk.pem\"]" \
	"directory: the certificate and the garbage file, not the key"
assert_jqs "map(select(.target == \"$D/junk.pem\") | .problems[].code) == [\"check_error\"] and map(select(.target == \"$D/good.crt\") | .status) == [\"OK\"]" \
	"directory: the garbage file is its own check_error, the other checked"
mkdir -p "$LAB/empty"
files 3 "an empty directory: exit 3" --cert "$LAB/empty"
assert_problem check_error "a directory with no certificate file" "an empty directory: check_error says so"
assert_exit 2 "--cert twice, --nagios: exit 2" "$CERTCHECK" --nagios "--cafile=$P/root.pem" \
	--cert "$P/good.chain.pem" --cert "$P/expired.chain.pem"
assert_first_line '^CERT CRITICAL - 2 targets: 1 critical, 0 warning, 0 unknown, 1 ok' \
	"--cert twice, --nagios: both files checked, the expired one critical"
