#!/usr/bin/env bash
# dns01check_pebble.sh: dns01check against a real ACME CA.  lego orders
# certificates from Pebble (the ACME test server of Let's Encrypt) with
# dns-01; the records go into knot by RFC 2136 dynamic update, and Pebble
# looks them up.  Each dns01check verdict, taken at the moment the record
# is published, is compared with Pebble's verdict on the same records.
#
# Why this set-up is the honest comparison: Pebble's -dnsserver is the
# lab's reference Unbound (tests/lab/dnstree.sh), configured as Let's
# Encrypt's resolver, which resolves from the lab's private signed root
# down to three zones served by two knots of this script (live.org and
# challenges.org: a primary taking TSIG-signed updates and a secondary
# fed by NOTIFY and IXFR; lagging.org: the second server a stale copy).
# dns01check gets the same root through $DNSTREE_CA_VIEW, so both follow
# the delegation and CNAMEs themselves and neither is told which server
# to ask.  (--dns-server would put dns01check in stub mode, blind to the
# second server; Pebble pointed at one knot directly would never see a
# propagation fault.)
#
# Publishing: the honest case with `lego --dns rfc2136` (lego waits
# until both servers serve the value); the others with `lego --dns exec`,
# whose hook ($LAB/hook.sh) publishes what the case needs and runs
# dns01check --key-authorization with the key authorization lego hands
# it, before lego asks Pebble to validate.
#
# Pebble's words are not Boulder's for dns-01 (va/va.go of Pebble 2.4.0:
# "No TXT records found for DNS challenge", "Correct value not found for
# DNS challenge", and an error for NXDOMAIN); dns01check speaks Boulder's
# (va/dns.go: "No TXT record found at NAME", "Incorrect TXT record ...").
# So every refusal asserts each side's own words.  Where the two CAs
# differ in verdict, Boulder wins: Pebble takes every character-string
# of a TXT record as a value of its own, Boulder joins them, so a value
# split in two strings passes at Let's Encrypt and fails at Pebble (the
# "split" case asserts exactly that).  With the value on one server of
# two, the CA's resolver picks a server at random: Pebble refuses some
# of the orders (Let's Encrypt, asking from several perspectives, would
# refuse most), and dns01check refuses them all.
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require pebble lego knotd knsupdate kdig openssl
. "$top_srcdir/tests/lab/dnstree.sh"
DNS01CHECK="$top_builddir/tools/dns01check"
lab_need_built "$DNS01CHECK"

tap_plan 48

# --- the zones lego publishes into ----------------------------------------
PRI=127.0.53.6
SEC=127.0.53.7
ip addr add "$PRI/32" dev lo 2>/dev/null || :
ip addr add "$SEC/32" dev lo 2>/dev/null || :
TSIG_SECRET=$(openssl rand -base64 32)
dnstree_extra() {
	local z
	case $1 in
	org)
		for z in live.org lagging.org challenges.org; do
			printf '%s.\tNS\tns1live.lab-dns.net.\n%s.\tNS\tns2live.lab-dns.net.\n' "$z" "$z"
		done ;;
	net)
		printf 'ns1live.lab-dns.net.\tA\t%s\nns2live.lab-dns.net.\tA\t%s\n' "$PRI" "$SEC" ;;
	esac
}
dnstree_start

K=$LAB/knot-live
mkdir -p "$K/pri/storage" "$K/sec/storage"
_live_zone() {
	printf '$ORIGIN %s.\n$TTL 60\n' "$1"
	printf '@\tSOA\tns1live.lab-dns.net. hostmaster.lab-dns.net. 1 3600 600 86400 60\n'
	printf '@\tNS\tns1live.lab-dns.net.\n@\tNS\tns2live.lab-dns.net.\n@\tA\t127.0.0.1\n'
}
for z in live.org lagging.org challenges.org; do
	_live_zone "$z" >"$K/pri/$z.zone"
done
_live_zone lagging.org >"$K/sec/lagging.org.zone"

# _live_knot DIR ADDR: the common head of a knot.conf.
_live_knot() {
	cat <<EOF
server:
    rundir: "$1"
    listen: $2@53
log:
  - target: stderr
    any: warning
database:
    storage: "$1/storage"
key:
  - id: lego
    algorithm: hmac-sha256
    secret: $TSIG_SECRET
EOF
}
{
	_live_knot "$K/pri" "$PRI"
	cat <<EOF
remote:
  - id: sec
    address: $SEC@53
acl:
  - id: update
    key: lego
    action: update
  - id: xfr
    address: 127.0.0.0/8
    action: transfer
template:
  - id: default
    storage: "$K/pri"
    file: "%s.zone"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: changes
    semantic-checks: off
    acl: [ update, xfr ]
zone:
  - domain: live.org
    notify: sec
  - domain: challenges.org
    notify: sec
  # No NOTIFY and no transfer: the second server keeps its old copy.
  - domain: lagging.org
EOF
} >"$K/pri/knot.conf"
{
	_live_knot "$K/sec" "$SEC"
	cat <<EOF
remote:
  - id: pri
    address: $PRI@53
acl:
  - id: notify
    address: 127.0.0.0/8
    action: notify
template:
  - id: default
    storage: "$K/sec"
    file: "%s.zone"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: changes
    semantic-checks: off
zone:
  - domain: live.org
    master: pri
    acl: notify
  - domain: challenges.org
    master: pri
    acl: notify
  - domain: lagging.org
EOF
} >"$K/sec/knot.conf"
for s in pri sec; do
	knotd -c "$K/$s/knot.conf" >"$LAB/log/knot-live-$s.log" 2>&1 </dev/null &
	lab_track $!
	eval "${s}_pid=\$!"
done
# served ADDR NAME TYPE: ADDR answers NAME TYPE with data.
served() {
	[ -n "$(kdig "@$1" +time=1 +retry=0 +short "$2" "$3" 2>/dev/null)" ]
}
# wait_served ADDR NAME TYPE [PID LOG]
wait_served() {
	local deadline=$(($(date +%s) + LAB_WAIT_MAX))
	until served "$1" "$2" "$3"; do
		if [ "$(date +%s)" -ge "$deadline" ] ||
			{ [ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null; }; then
			[ -z "${5:-}" ] || sed 's/^/# /' "$5"
			lab_bail "$1 does not serve $2 $3"
		fi
		sleep 0.05
	done
}
for z in live.org lagging.org challenges.org; do
	wait_served "$PRI" "$z" SOA "$pri_pid" "$LAB/log/knot-live-pri.log"
	wait_served "$SEC" "$z" SOA "$sec_pid" "$LAB/log/knot-live-sec.log"
done
kdig "@$DNSTREE_REF" +time=5 +retry=0 +short live.org SOA | grep -q ns1live ||
	lab_bail "the reference resolver does not reach live.org"

# Programs that read /etc/resolv.conf (lego looks up the nameservers'
# addresses through it) use the reference resolver: this mount
# namespace only.
printf 'nameserver %s\n' "$DNSTREE_REF" >"$LAB/resolv.conf"
mount --bind "$LAB/resolv.conf" /etc/resolv.conf 2>/dev/null ||
	lab_skip_all "cannot bind-mount /etc/resolv.conf in the lab's mount namespace"

# --- Pebble ------------------------------------------------------------------
P=$LAB/pebble
mkdir -p "$P"
lab_pki
cat >"$P/pebble-config.json" <<EOF
{"pebble": {"listenAddress": "127.0.0.1:14000",
  "managementListenAddress": "127.0.0.1:15000",
  "certificate": "$LAB_PKI/ipsan.chain.pem", "privateKey": "$LAB_PKI/ipsan.key",
  "httpPort": 5002, "tlsPort": 5001, "ocspResponderURL": "",
  "externalAccountBindingRequired": false}}
EOF
# Deterministic Pebble: no sleep before validating, no rejected nonces,
# no reused authorizations.
PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0 \
	pebble -config "$P/pebble-config.json" -dnsserver "$DNSTREE_REF:53" \
	>"$LAB/log/pebble.log" 2>&1 </dev/null &
lab_track $!
_lab_wait_port 14000 $! "$LAB/log/pebble.log"

# --- the exec hook ------------------------------------------------------------
# lego calls it as HOOK present|cleanup -- DOMAIN TOKEN KEYAUTH.  The
# first label of DOMAIN names the case.  After publishing, it runs
# dns01check as the CA would see the records now, for this key
# authorization and for every earlier one of the same name (the
# wildcard pair), into $D01/NAME.{json,rc}.
D01=$LAB/d01
mkdir -p "$D01"
HOOK=$LAB/hook.sh
export DNS01CHECK DNSTREE_CA_VIEW D01 PRI SEC TSIG_SECRET LAB_WAIT_MAX
cat >"$HOOK" <<'EOF'
#!/usr/bin/env bash
set -eu
op=$1 dom=$3 ka=$5
name=${dom#\*.}
case=${name%%.*}
zone=${name#*.}
fqdn=_acme-challenge.$name.
v=$(printf '%s' "$ka" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=')
upd() {
	{
		printf 'server %s 53\nzone %s.\n' "$PRI" "$1"
		shift
		printf '%s\n' "$@" send
	} | knsupdate -t 5 -r 0 -y "hmac-sha256:lego:$TSIG_SECRET"
}
# until ADDR serves NAME TYPE [with DATA] (both servers: the CA may ask
# either).
until_served() {
	local deadline=$(($(date +%s) + LAB_WAIT_MAX))
	until kdig "@$1" +time=1 +retry=0 +short "$2" "$3" 2>/dev/null | grep -qF -- "${4:-}"; do
		[ "$(date +%s)" -lt "$deadline" ] || { echo "$1 never served $2 $3 ${4:-}" >&2; exit 1; }
		sleep 0.05
	done
}
both() {
	until_served "$PRI" "$@"
	until_served "$SEC" "$@"
}
if [ "$op" = cleanup ]; then
	case $case in
	w) ;;	# a client that leaves its records behind
	cname) upd "$zone" "update delete $fqdn" &&
		upd challenges.org "update delete $case.challenges.org." ;;
	*) upd "$zone" "update delete $fqdn" ;;
	esac
	exit 0
fi
case $case in
ok|w) upd "$zone" "update add $fqdn 60 TXT \"$v\"" && both "$fqdn" TXT "$v" ;;
wrong) upd "$zone" "update add $fqdn 60 TXT \"a-value-from-another-order\"" &&
	both "$fqdn" TXT ;;
split) upd "$zone" "update add $fqdn 60 TXT \"${v:0:20}\" \"${v:20}\"" &&
	both "$fqdn" TXT "${v:0:20}" ;;
none) ;;
nodata) upd "$zone" "update add $fqdn 60 A 127.0.0.1" && both "$fqdn" A ;;
lag*) upd "$zone" "update add $fqdn 60 TXT \"$v\"" && until_served "$PRI" "$fqdn" TXT ;;
cname) upd challenges.org "update add $case.challenges.org. 60 TXT \"$v\"" &&
	upd "$zone" "update add $fqdn 60 CNAME $case.challenges.org." &&
	both "$case.challenges.org." TXT "$v" && both "$fqdn" CNAME ;;
dangling) upd "$zone" "update add $fqdn 60 CNAME $case.challenges.org." &&
	both "$fqdn" CNAME ;;
*) echo "hook: no case $case" >&2; exit 1 ;;
esac
# dns01check now, as the CA is about to look.  lego hands a wildcard's
# authorization over without the "*.", so the presents for one name are
# told apart by their order: NAME, NAME.2, ...
f=$D01/$name
n=1
while [ -e "$f.ka" ]; do
	n=$((n + 1))
	f=$D01/$name.$n
done
printf '%s\n' "$ka" >"$f.ka"
for k in "$D01/$name".ka "$D01/$name".*.ka; do
	[ -e "$k" ] || continue
	g=${k%.ka}
	rc=0
	# shellcheck disable=SC2086 # the CA-view options are words
	"$DNS01CHECK" $DNSTREE_CA_VIEW -t 8 --json --key-authorization="$(cat "$k")" \
		"$name" >"$g.json" 2>"$g.err" || rc=$?
	echo "$rc" >"$g.rc"
done
EOF
chmod +x "$HOOK"

# --- lego ------------------------------------------------------------------------
LEGO=$LAB/lego
mkdir -p "$LEGO"
# lego_bg NAME DNS-PROVIDER DOMAIN...: an order in the background, its
# output in $LEGO/NAME.log, its exit status in $LEGO/NAME.rc.
LEGO_PIDS=()
lego_bg() {
	local n=$1 prov=$2 d args=()
	shift 2
	for d in "$@"; do
		args+=(-d "$d")
	done
	[ "$prov" = rfc2136 ] || args+=(--dns.disable-cp)
	(
		rc=0
		LEGO_CA_CERTIFICATES=$LAB_PKI/root.pem \
			EXEC_PATH=$HOOK EXEC_MODE=RAW EXEC_SEQUENCE_INTERVAL=1 \
			RFC2136_NAMESERVER=$PRI:53 RFC2136_TSIG_KEY=lego \
			RFC2136_TSIG_SECRET=$TSIG_SECRET RFC2136_TSIG_ALGORITHM=hmac-sha256. \
			RFC2136_POLLING_INTERVAL=1 RFC2136_PROPAGATION_TIMEOUT=20 \
			RFC2136_SEQUENCE_INTERVAL=1 \
			timeout -k 2 50 lego --accept-tos --email lab@live.org \
			--server https://127.0.0.1:14000/dir --path "$LEGO/$n" \
			--dns "$prov" --dns.resolvers "$DNSTREE_REF:53" "${args[@]}" run \
			>"$LEGO/$n.log" 2>&1 </dev/null || rc=$?
		echo "$rc" >"$LEGO/$n.rc"
	) &
	LEGO_PIDS+=($!)
}

# The rfc2136 order publishes by itself; a watcher runs dns01check once
# both servers serve the value lego published, before Pebble is asked.
RFCNAME=_acme-challenge.rfc.live.org
watch_rfc() {
	local deadline=$(($(date +%s) + 40)) v rc=0
	until served "$PRI" "$RFCNAME" TXT && served "$SEC" "$RFCNAME" TXT; do
		[ "$(date +%s)" -lt "$deadline" ] || return 0
		sleep 0.02
	done
	# lego removes the record as soon as Pebble has validated it, which
	# a check on a loaded machine can outlast: lego (and its timeout)
	# are held still while dns01check looks, as the exec hook holds
	# lego for the other cases.
	pkill -STOP -f -- "--path $LEGO/rfc --dns" || :
	v=$(kdig "@$PRI" +time=1 +retry=0 +short "$RFCNAME" TXT | tr -d '"')
	printf '%s\n' "$v" >"$D01/rfc.value"
	# shellcheck disable=SC2086 # the CA-view options are words
	"$DNS01CHECK" $DNSTREE_CA_VIEW -t 8 --json --expect="$v" rfc.live.org \
		>"$D01/rfc.live.org.json" 2>"$D01/rfc.live.org.err" || rc=$?
	echo "$rc" >"$D01/rfc.live.org.rc"
	pkill -CONT -f -- "--path $LEGO/rfc --dns" || :
}
watch_rfc &
LEGO_PIDS+=($!)

lego_bg rfc rfc2136 rfc.live.org
for c in ok wrong split none nodata cname dangling; do
	lego_bg "$c" exec "$c.live.org"
done
lego_bg w exec w.live.org '*.w.live.org'
for i in 1 2 3 4; do
	lego_bg "lag$i" exec "lag$i.lagging.org"
done
wait "${LEGO_PIDS[@]}" || :
# Up to two more rounds while Pebble's resolver happened to ask the
# server that has the value every time.
for round in 2 3; do
	grep -qvx 0 "$LEGO"/lag*.rc && break
	LEGO_PIDS=()
	for i in 1 2 3 4; do
		lego_bg "lag$round$i" exec "lag$round$i.lagging.org"
	done
	wait "${LEGO_PIDS[@]}" || :
done

# --- the comparison ------------------------------------------------------------
# pebble NAME OK|REFUSED WHAT: lego's order NAME as Pebble judged it; WHAT
# a regex for lego's output (Pebble's problem detail).
pebble() {
	local n=$1 want=$2 what=$3 rc
	rc=$(cat "$LEGO/$n.rc" 2>/dev/null || echo none)
	if { [ "$want" = OK ] && [ "$rc" = 0 ]; } ||
		{ [ "$want" = REFUSED ] && [ "$rc" != 0 ] && [ "$rc" != none ] && [ "$rc" != 124 ]; }; then
		ok "$n: Pebble $([ "$want" = OK ] && echo validates || echo refuses) (lego exit $rc)"
	else
		not_ok "$n: Pebble $([ "$want" = OK ] && echo validates || echo refuses) (lego exit $rc)"
		sed 's/^/#   /' "$LEGO/$n.log" | tail -n 15
	fi
	if grep -Eq -- "$what" "$LEGO/$n.log"; then
		ok "$n: lego says /$what/"
	else
		not_ok "$n: lego says /$what/"
		sed 's/^/#   /' "$LEGO/$n.log" | tail -n 15
	fi
}
# d01 FILE WANT DESC: dns01check's verdict taken by the hook.
d01() {
	local f=$D01/$1 rc
	rc=$(cat "$f.rc" 2>/dev/null || echo none)
	LAB_OUT=$f.json
	if [ "$rc" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3"
		echo "#   expected exit $2, got $rc"
		sed 's/^/#   /' "$f.json" "$f.err" 2>/dev/null | head -n 20
	fi
}

# 1. lego's own RFC 2136 update, propagated to both servers by NOTIFY
# and IXFR (lego waited for both): the watcher's dns01check agrees.
pebble rfc OK "Server responded with a certificate"
assert_true "rfc: lego saved the certificate Pebble issued" \
	test -s "$LEGO/rfc/certificates/rfc.live.org.crt"
d01 rfc.live.org 0 "rfc: dns01check finds the value lego published (exit 0)"
assert_jq '.verdict == "valid" and .problems == [] and .cname_chain == [] and
	(.servers | length) == 2 and all(.servers[]; .rcode == "NOERROR")' \
	"rfc: both servers serve it, no problem"
assert_true "rfc: one record, the same on both servers" \
	test "$(jq -c '[.txt, (.servers | map(.txt) | unique)]' "$D01/rfc.live.org.json")" = \
	"$(jq -cn --arg v "$(cat "$D01/rfc.value")" '[[$v], [[$v]]]')"

# 2. The value, through the hook, with --key-authorization.
pebble ok OK "Server responded with a certificate"
d01 ok.live.org 0 "ok: dns01check --key-authorization: exit 0"
assert_jq '.expected as $e | .verdict == "valid" and .problems == [] and .txt == [$e] and
	(.servers | length) == 2 and all(.servers[]; .txt == [$e])' \
	"ok: valid, both servers serve the digest of lego's key authorization"

# 3. A value from another order.
pebble wrong REFUSED ":: Correct value not found for DNS challenge"
d01 wrong.live.org 2 "wrong: dns01check exit 2"
assert_problem dns01_wrong_txt \
	'Incorrect TXT record "a-value-from-another-order" found at _acme-challenge.wrong.live.org' \
	"wrong: dns01_wrong_txt in Boulder's words"
assert_jq 'codes == ["dns01_wrong_txt"] and .verdict == "invalid"' "wrong: the only problem"

# 4. The value split in two character-strings of one record: Boulder
# joins them (va/dns.go, strings.Join(rr.Txt, "")) and validates; Pebble
# compares each string alone and refuses.  dns01check follows Boulder.
pebble split REFUSED ":: Correct value not found for DNS challenge"
d01 split.live.org 0 "split: dns01check exit 0, as Let's Encrypt (Pebble differs, above)"
assert_jq '.verdict == "valid" and .problems == [] and (.txt | length) == 1 and
	(.txt[0] | length) == 43' "split: the two strings joined into the one value"

# 5. Nothing published: NXDOMAIN.  Pebble and Boulder both call it a
# lookup error (Boulder's bdns makes every rcode but NOERROR one).
pebble none REFUSED "Error retrieving TXT records for DNS challenge .*_acme-challenge.none.live.org.*unsuccessful response"
d01 none.live.org 2 "none: dns01check exit 2"
assert_problem dns01_no_txt "DNS problem: NXDOMAIN looking up TXT for _acme-challenge.none.live.org - check that a DNS record exists for this domain" \
	"none: dns01_no_txt in Boulder's words"
assert_jq 'codes == ["dns01_no_txt"] and .rcode == "NXDOMAIN"' "none: NXDOMAIN, the only problem"

# 6. An A record where the TXT should be: NODATA.
pebble nodata REFUSED ":: No TXT records found for DNS challenge"
d01 nodata.live.org 2 "nodata: dns01check exit 2"
assert_problem dns01_no_txt "No TXT record found at _acme-challenge.nodata.live.org" \
	"nodata: dns01_no_txt in Boulder's words"

# 7. CNAME delegation to another zone, the value at the target.
pebble cname OK "Server responded with a certificate"
d01 cname.live.org 0 "cname: dns01check exit 0"
assert_jq '.cname_chain == ["cname.challenges.org"] and .nameservers.zone == "challenges.org" and
	.problems == []' "cname: followed to challenges.org, whose servers serve the value"

# 8. The CNAME without its target.
pebble dangling REFUSED "Error retrieving TXT records for DNS challenge .*_acme-challenge.dangling.live.org.*unsuccessful response"
d01 dangling.live.org 2 "dangling: dns01check exit 2"
assert_jq 'codes == ["dns01_no_txt", "dns01_cname_dangling"]' "dangling: no TXT, dangling CNAME"
assert_problem dns01_cname_dangling \
	"_acme-challenge.dangling.live.org is a CNAME to dangling.challenges.org, which does not exist" \
	"dangling: names the missing target"

# 9. A wildcard order with its base name: two authorizations, one
# challenge name.  lego solves them one after the other, and this hook
# leaves the first record behind, so Pebble validates the second among
# two TXT records at the same name.
pebble w OK "Server responded with a certificate"
d01 w.live.org.2 0 "w: dns01check for the second key authorization: exit 0"
assert_jq '.challenge_name == "_acme-challenge.w.live.org" and (.txt | length) == 2 and
	.problems == []' "w: two records at one name, one matches, both servers agree"
d01 w.live.org 0 "w: the first key authorization's record still matches beside it"
# shellcheck disable=SC2086 # the CA-view options are words
assert_exit 0 "*.w.live.org afterwards (the records left): exit 0" \
	"$DNS01CHECK" $DNSTREE_CA_VIEW -t 8 --json --key-authorization="$(cat "$D01/w.live.org.2.ka")" '*.w.live.org'
assert_jq '.challenge_name == "_acme-challenge.w.live.org" and .verdict == "valid"' \
	"*.w.live.org: checked at _acme-challenge.w.live.org, valid"

# 10. The value on one server of two.
lag_refused=0 lag_total=0 lag_d01=0 lag_np=0
for f in "$LEGO"/lag*.rc; do
	n=${f##*/}
	n=${n%.rc}
	lag_total=$((lag_total + 1))
	if [ "$(cat "$f")" != 0 ]; then
		grep -q "Error retrieving TXT records for DNS challenge .*_acme-challenge.$n.lagging.org.*unsuccessful response" \
			"$LEGO/$n.log" && lag_refused=$((lag_refused + 1))
	fi
	[ "$(cat "$D01/$n.lagging.org.rc" 2>/dev/null)" = 2 ] && lag_d01=$((lag_d01 + 1))
	LAB_OUT=$D01/$n.lagging.org.json
	jq -e --arg n "$n" 'any(.problems[]; .code == "dns01_not_propagated" and .severity == "CRITICAL" and
		.message == "nameserver ns2live.lab-dns.net (127.0.53.7) of lagging.org does not serve the value at _acme-challenge.\($n).lagging.org: it answers rcode NXDOMAIN")' \
		"$LAB_OUT" >/dev/null 2>&1 && lag_np=$((lag_np + 1))
done
assert_true "lag: Pebble refused $lag_refused of $lag_total orders (its resolver asked the stale server: NXDOMAIN)" \
	test "$lag_refused" -ge 1
assert_true "lag: dns01check refused all $lag_total (exit 2: $lag_d01)" \
	test "$lag_d01" = "$lag_total"
assert_true "lag: dns01_not_propagated names the stale server every time ($lag_np of $lag_total)" \
	test "$lag_np" = "$lag_total"

# Every hook cleaned up after itself, except the one that should not.
assert_true "cleanup: lego's cleanup calls removed every record but the wildcard pair's" \
	test "$(kdig "@$PRI" +time=1 +retry=0 AXFR live.org 2>/dev/null |
		grep -c '_acme-challenge')" = 2
