# shellcheck shell=bash
# dnstree.sh: a private DNS tree for the CA's-resolver tests, sourced
# after lab.sh (lab_enter_netns first).  It builds what the Internet
# gives the CA's resolver: a signed root, signed TLDs (com, net, org),
# and below them zones that are healthy, DNSSEC-broken in the ways that
# refuse real orders, or served by nameservers with the faults operators
# meet.  Keys and signatures are made at test time (ldns-keygen,
# ldns-signzone), so nothing expires in the repository.
#
#   dnstree_start        every server below; sets DNSTREE_HINTS (root
#                        hints file), DNSTREE_TA (root DS, trust anchor),
#                        DNSTREE_CA_VIEW (the options that point a tool
#                        at this root) and DNSTREE_REF (a reference
#                        Unbound daemon, configured as the CA's, at
#                        127.0.53.99:53)
#   dnstree_ref NAME TYPE   kdig's view of the reference resolver
#
# Addresses (all on lo, port 53):
#   127.0.53.1   knotd "root": ., com, net, org (nameserver host names
#                live in net: ns1.lab-dns.net and so on)
#   127.0.53.2-3 knotd "sld": the healthy and DNSSEC-broken zones
#   127.0.53.4   knotd "fault": zones reached only through dnsstub
#   127.0.53.5   knotd "alt": a second, different copy of inconsistent.com
#   127.0.53.10+ dnsstub, each with one fault, in front of 127.0.53.4
#   127.0.53.66-67  nothing listens (dead nameservers)
#
# Zones:
#   good.com        signed, CAA letsencrypt.org, A 127.0.0.1   (secure)
#   unsigned.org    no DS, not signed                           (insecure)
#   expired.com     signed, every signature expired in 2020     (bogus)
#   staleds.com     DS in com, zone not signed: the DS left at the
#                   registrar after a provider move              (bogus)
#   wrongds.com     DS in com for a key the zone does not use    (bogus)
#   nocaasig.com    signed, the CAA RRSIG removed                (bogus)
#   sub.nocaasig.com    signed child with CAA under it           (secure)
#   empty.nocaasig.com  signed child without CAA under it        (secure)
#   onedead.com     ns1 healthy, ns2 dead              (CA proceeds)
#   alldead.net     both servers dead                  (SERVFAIL)
#   lame.com        ns1 healthy, ns2 answers REFUSED   (CA proceeds)
#   alllame.com     every server REFUSED               (SERVFAIL)
#   caarefused.com  CAA queries REFUSED, others fine   (SERVFAIL for CAA)
#   child.caarefused.com  a healthy child without CAA: the climb meets
#                   the parent's refusal
#   caadrop.com     CAA queries dropped, others fine   (timeout for CAA)
#   nosoa.com       negative answers without SOA       (1.17 proceeds)
#   noaa.com        answers without the AA flag
#   mangled.com     query case not echoed (0x20)
#   ednsbad.com     FORMERR to EDNS queries
#   inconsistent.com  two servers, different CAA sets; the dns-01
#                   value at _acme-challenge and a dns-persist-01 record
#                   on ns1fault only
#   dns01.com       signed; dns-01 challenge names: ok (the value),
#                   split (the value in two character-strings), wrong,
#                   long (two long wrong records), nodata (A only),
#                   notxt (nothing), delegated (CNAME to acmedns.org,
#                   which has the value), dangling (CNAME to a name that
#                   does not exist), shop (CNAME to acmedns.net, whose
#                   secondary lacks the value), account (dns-account-01 for
#                   $DNSTREE_ACCOUNT_URI); hostile: many (100 TXT),
#                   huge (one 60,000-byte TXT), loop (a CNAME loop);
#                   dns-persist-01 records of every shape at
#                   _validation-persist.p-*.dns01.com
#   acmedns.net     unsigned, on ns1fault and ns1alt: an acme-dns style
#                   service whose secondary serves an old value
#   acmedns.org     unsigned, an acme-dns style target (x1: the dns-01
#                   value; persist1: a dns-persist-01 record)
#
# dns-01: DNSTREE_DNS01_KA is the key authorization, DNSTREE_DNS01_TXT
# its digest (the value the CA expects).
#
# A script may define dnstree_extra TLD before dnstree_start: what it
# prints is added to that TLD's zone (com, net or org) before it is
# signed, for delegations to servers the script starts itself.
# Likewise dnstree_zone_extra ZONE (good.com, unsigned.org, ...): what
# it prints is added to that second-level zone before it is signed
# (records made from the lab's certificates: TLSA).

DNSSTUB="${DNSSTUB:-$top_builddir/tests/servers/dnsstub}"
DNSTREE_REF=127.0.53.99
DNSTREE_DNS01_KA="lab-token-1.lab-thumbprint-1"
DNSTREE_ACCOUNT_URI="https://acme.lab.test/acct/1234"
# An acme-dns style account's name, in acmedns.net (primary and secondary).
DNSTREE_ACMEDNS_NAME="8e5700ea-a4bf-4b27-a3f5-cbc8f4e7c2b0.auth.acmedns.net"

# _dnstree_dns01_zone: dns01.com's challenge records (after the SLD body).
_dnstree_dns01_zone() {
	local v=$DNSTREE_DNS01_TXT long label
	long=$(printf 'x%.0s' $(seq 1 100))
	label=$(printf '%s' "$DNSTREE_ACCOUNT_URI" | openssl dgst -sha256 -binary |
		head -c 10 | base32 | tr 'A-Z' 'a-z')
	printf '_acme-challenge.ok\tTXT\t"%s"\n' "$v"
	printf '_acme-challenge.split\tTXT\t"%s" "%s"\n' "${v:0:20}" "${v:20}"
	printf '_acme-challenge.wrong\tTXT\t"stale-value-from-an-old-order"\n'
	printf '_acme-challenge.long\tTXT\t"%sA"\n' "$long"
	printf '_acme-challenge.long\tTXT\t"%sB"\n' "$long"
	printf '_acme-challenge.nodata\tA\t127.0.0.1\n'
	printf 'notxt\tA\t127.0.0.1\n'
	printf '_acme-challenge.delegated\tCNAME\tx1.acmedns.org.\n'
	printf '_acme-challenge.dangling\tCNAME\tmissing.acmedns.org.\n'
	printf '_acme-challenge.shop\tCNAME\t%s.\n' "$DNSTREE_ACMEDNS_NAME"
	printf 'shop\tA\t127.0.0.1\n*.shop\tA\t127.0.0.1\n'
	printf '_%s._acme-challenge.account\tTXT\t"%s"\n' "$label" "$v"
	_dnstree_dns01_hostile
	_dnstree_persist_zone
}

# _dnstree_dns01_hostile: answers no real zone should give: 100 TXT
# records, one TXT record of 60,000 bytes (235 strings: the rest of a
# 64 KiB message is the header, the name and its signature), a CNAME
# loop.
_dnstree_dns01_hostile() {
	local i s255 big=""
	for i in $(seq 1 100); do
		printf '_acme-challenge.many\tTXT\t"stale-%03d"\n' "$i"
	done
	s255=$(printf 'y%.0s' $(seq 1 255))
	for i in $(seq 1 235); do
		big="$big \"$s255\""
	done
	printf '_acme-challenge.huge\tTXT\t%s\n' "$big"
	printf '_acme-challenge.loop\tCNAME\t_acme-challenge.loop2.dns01.com.\n'
	printf '_acme-challenge.loop2\tCNAME\t_acme-challenge.loop.dns01.com.\n'
}

# _dnstree_persist_zone: dns-persist-01 records, one shape per name
# (p-NAME.dns01.com), for the account $DNSTREE_ACCOUNT_URI unless said.
_dnstree_persist_zone() {
	local a=$DNSTREE_ACCOUNT_URI n=_validation-persist now
	now=$(date +%s)
	printf '%s.p-ok\tTXT\t"letsencrypt.org; accounturi=%s"\n' "$n" "$a"
	printf '%s.p-wild\tTXT\t"letsencrypt.org; accounturi=%s; policy=WildCard"\n' "$n" "$a"
	printf '%s.p-other\tTXT\t"letsencrypt.org; accounturi=https://acme.lab.test/acct/9999"\n' "$n"
	printf '%s.p-slash\tTXT\t"letsencrypt.org; accounturi=%s/"\n' "$n" "$a"
	printf '%s.p-malformed\tTXT\t"letsencrypt.org; accounturi=%s;"\n' "$n" "$a"
	printf '%s.p-dup\tTXT\t"letsencrypt.org; accounturi=%s; AccountURI=%s"\n' "$n" "$a" "$a"
	printf '%s.p-noacct\tTXT\t"letsencrypt.org; policy=wildcard"\n' "$n"
	printf '%s.p-expired\tTXT\t"letsencrypt.org; accounturi=%s; persistUntil=1700000000"\n' "$n" "$a"
	printf '%s.p-soon\tTXT\t"letsencrypt.org; accounturi=%s; persistUntil=%s"\n' "$n" "$a" $((now + 30 * 86400))
	printf '%s.p-later\tTXT\t"letsencrypt.org; accounturi=%s; persistUntil=%s"\n' "$n" "$a" $((now + 400 * 86400))
	printf '%s.p-otherca\tTXT\t"sectigo.com; accounturi=%s"\n' "$n" "$a"
	printf '%s.p-otherca-bad\tTXT\t"sectigo.com; accounturi=%s;"\n' "$n" "$a"
	printf '%s.p-mixed\tTXT\t"sectigo.com; accounturi=https://acme.lab.test/acct/5"\n' "$n"
	printf '%s.p-mixed\tTXT\t"letsencrypt.org;accounturi=%s;persistUntil=1700000000"\n' "$n" "$a"
	printf '%s.p-mixed\tTXT\t"LetsEncrypt.ORG. ; ACCOUNTURI = %s ; x-note=kept"\n' "$n" "$a"
	printf '%s.p-split\tTXT\t"letsencrypt.org; accounturi=https://acme.lab" ".test/acct/1234"\n' "$n"
	printf '%s.p-cname\tCNAME\tpersist1.acmedns.org.\n' "$n"
}

# _dnstree_key ZONE: a KSK+ZSK in one (CSK) for ZONE in $DT/keys; sets
# REPLY to its base name.
_dnstree_key() {
	local z=$1 base
	base=$(cd "$DT/keys" && ldns-keygen -a ECDSAP256SHA256 -k "$z") ||
		lab_bail "ldns-keygen failed for $z"
	REPLY="$DT/keys/$base"
}

# _dnstree_sign ZONEFILE ORIGIN KEY [ldns-signzone options]: sign in place.
_dnstree_sign() {
	local f=$1 o=$2 k=$3
	shift 3
	ldns-signzone "$@" -o "$o" -f "$f.signed" "$f" "$k" >/dev/null 2>&1 ||
		lab_bail "ldns-signzone failed for $o"
	mv "$f.signed" "$f"
}

_dnstree_soa() {
	printf '$ORIGIN %s\n$TTL 300\n' "$1"
	printf '@\tSOA\tns1.lab-dns.net. hostmaster.lab-dns.net. 1 3600 600 86400 300\n'
}

# _dnstree_sld NAME NS... : a zone file body for one second-level zone.
_dnstree_sld() {
	local z=$1 ns
	shift
	_dnstree_soa "$z."
	for ns in "$@"; do
		printf '@\tNS\t%s.lab-dns.net.\n' "$ns"
	done
	printf '@\tA\t127.0.0.1\n@\tCAA\t0 issue "letsencrypt.org"\n'
	printf 'www\tA\t127.0.0.1\n'
	if declare -F dnstree_zone_extra >/dev/null; then
		dnstree_zone_extra "$z"
	fi
}

# _dnstree_knot NAME ADDR... : start knotd NAME listening on ADDR:53
# with the zones listed in $DT/NAME.zones ("origin file" lines).
_dnstree_knot() {
	local n=$1 d="$DT/$1" a listen="" origin file pid
	shift
	mkdir -p "$d/storage"
	for a in "$@"; do
		listen="$listen${listen:+, }$a@53"
	done
	{
		printf 'server:\n    rundir: "%s"\n    listen: [ %s ]\n' "$d" "$listen"
		printf 'log:\n  - target: stderr\n    any: warning\n'
		printf 'database:\n    storage: "%s/storage"\n' "$d"
		printf 'template:\n  - id: default\n    storage: "%s"\n' "$d"
		printf '    zonefile-sync: -1\n    zonefile-load: whole\n'
		printf '    journal-content: none\n    semantic-checks: off\nzone:\n'
		while read -r origin file; do
			printf '  - domain: "%s"\n    file: "%s"\n' "$origin" "$file"
		done <"$DT/$n.zones"
	} >"$d/knot.conf"
	knotd -c "$d/knot.conf" >"$LAB/log/knot-$n.log" 2>&1 &
	pid=$!
	lab_track "$pid"
	_dnstree_wait "$1" "$pid" "$LAB/log/knot-$n.log"
}

# _dnstree_wait ADDR PID LOG: until ADDR:53 answers a query (any rcode).
_dnstree_wait() {
	local deadline=$(($(date +%s) + LAB_WAIT_MAX))
	until kdig "@$1" +time=1 +retry=0 . SOA >/dev/null 2>&1; do
		if ! kill -0 "$2" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
			sed 's/^/# /' "$3"
			lab_bail "DNS server on $1 did not come up (log above)"
		fi
		sleep 0.02
	done
}

# _dnstree_stub ADDR RULE...: dnsstub on ADDR:53 in front of knot "fault".
_dnstree_stub() {
	local a=$1 r args=() pid
	shift
	for r in "$@"; do
		args+=(--rule "$r")
	done
	"$DNSSTUB" --listen "$a" --port 53 --upstream 127.0.53.4:53 "${args[@]}" \
		>"$LAB/log/dnsstub-$a.log" 2>&1 &
	pid=$!
	lab_track "$pid"
	# A stub that refuses or drops everything still answers SOA for "."
	# by forwarding unless its rule says otherwise; wait on the socket.
	local deadline=$(($(date +%s) + LAB_WAIT_MAX))
	until ss -Hlun "src = $a:53" | grep -q .; do
		kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ] ||
			lab_bail "dnsstub on $a did not start"
		sleep 0.02
	done
}

_dnstree_extra() {
	if declare -F dnstree_extra >/dev/null; then
		dnstree_extra "$1"
	fi
}

dnstree_start() {
	local a z k sld_keys=() ds
	lab_require knotd kdig ldns-keygen ldns-signzone unbound
	lab_need_built "$DNSSTUB"
	DT="$LAB/dnstree"
	mkdir -p "$DT/keys" "$DT/zones"
	for a in 1 2 3 4 5 10 11 12 13 14 15 16 99; do
		ip addr add "127.0.53.$a/32" dev lo 2>/dev/null || :
	done

	# Second-level zones on knot "sld" (127.0.53.2-3).
	_dnstree_sld good.com ns1 ns2 >"$DT/zones/good.com"
	_dnstree_sld unsigned.org ns1 ns2 >"$DT/zones/unsigned.org"
	_dnstree_sld expired.com ns1 ns2 >"$DT/zones/expired.com"
	_dnstree_sld staleds.com ns1 ns2 >"$DT/zones/staleds.com"
	_dnstree_sld wrongds.com ns1 ns2 >"$DT/zones/wrongds.com"
	_dnstree_sld nocaasig.com ns1 ns2 >"$DT/zones/nocaasig.com"
	_dnstree_sld onedead.com ns1 dead1 >"$DT/zones/onedead.com"
	_dnstree_sld lame.com ns1 lame >"$DT/zones/lame.com"
	DNSTREE_DNS01_TXT=$(printf '%s' "$DNSTREE_DNS01_KA" |
		openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=')
	export DNSTREE_DNS01_KA DNSTREE_DNS01_TXT DNSTREE_ACCOUNT_URI
	{
		_dnstree_sld dns01.com ns1 ns2
		_dnstree_dns01_zone
	} >"$DT/zones/dns01.com"
	{
		_dnstree_sld acmedns.org ns1 ns2
		printf 'x1\tTXT\t"%s"\n' "$DNSTREE_DNS01_TXT"
		printf 'persist1\tTXT\t"letsencrypt.org; accounturi=%s"\n' \
			"$DNSTREE_ACCOUNT_URI"
	} >"$DT/zones/acmedns.org"
	# Below the bogus nocaasig.com, two signed child zones with a valid
	# chain (their DS records keep their signatures): one with CAA, one
	# without, whose climb reaches the bogus parent.
	_dnstree_sld sub.nocaasig.com ns1 ns2 >"$DT/zones/sub.nocaasig.com"
	_dnstree_sld empty.nocaasig.com ns1 ns2 | grep -v CAA \
		>"$DT/zones/empty.nocaasig.com"
	for z in sub.nocaasig.com empty.nocaasig.com; do
		_dnstree_key "$z"
		_dnstree_sign "$DT/zones/$z" "$z." "$REPLY"
		printf '%s.\tNS\tns1.lab-dns.net.\n%s.\tNS\tns2.lab-dns.net.\n' \
			"$z" "$z" >>"$DT/zones/nocaasig.com"
		cat "$REPLY.ds" >>"$DT/zones/nocaasig.com"
	done
	for z in good.com expired.com wrongds.com nocaasig.com dns01.com; do
		_dnstree_key "$z"
		k=$REPLY
		case $z in
		expired.com)
			_dnstree_sign "$DT/zones/$z" "$z." "$k" -i 20200101 -e 20200201 ;;
		*)
			_dnstree_sign "$DT/zones/$z" "$z." "$k" ;;
		esac
		if [ "$z" = wrongds.com ]; then
			# The registrar still has the DS of a key the zone dropped.
			_dnstree_key "$z"
			k=$REPLY
		fi
		sld_keys+=("$k")
	done
	# A key for staleds.com that signs nothing: the DS left behind.
	_dnstree_key staleds.com
	sld_keys+=("$REPLY")
	# Signed, then the CAA signature lost (a signer that skips types it
	# does not know).
	grep -v 'RRSIG[[:space:]]*CAA' "$DT/zones/nocaasig.com" >"$DT/zones/x" &&
		mv "$DT/zones/x" "$DT/zones/nocaasig.com"
	for z in good.com unsigned.org expired.com staleds.com wrongds.com \
		nocaasig.com sub.nocaasig.com empty.nocaasig.com onedead.com \
		lame.com dns01.com acmedns.org; do
		echo "$z. $DT/zones/$z"
	done >"$DT/sld.zones"

	# Zones behind a faulty front (knot "fault" on .4, "alt" on .5).
	: >"$DT/fault.zones"
	for z in alllame.com:lame caarefused.com:caaref caadrop.com:caadrop \
		nosoa.com:nosoa noaa.com:noaa mangled.com:mangled \
		ednsbad.com:ednsbad inconsistent.com:ns1fault; do
		_dnstree_sld "${z%%:*}" "${z#*:}" >"$DT/zones/${z%%:*}"
		echo "${z%%:*}. $DT/zones/${z%%:*}" >>"$DT/fault.zones"
	done
	# Below caarefused.com, a child zone served directly and without CAA:
	# its climb reaches the parent, whose server refuses CAA.
	printf 'child\tNS\tns1fault.lab-dns.net.\n' >>"$DT/zones/caarefused.com"
	_dnstree_sld child.caarefused.com ns1fault | grep -v CAA \
		>"$DT/zones/child.caarefused.com"
	echo "child.caarefused.com. $DT/zones/child.caarefused.com" >>"$DT/fault.zones"
	# acmedns.net: an acme-dns style service whose secondary (ns1alt)
	# still serves the previous order's value.
	{
		_dnstree_sld acmedns.net ns1fault ns1alt
		printf '%s.\tTXT\t"%s"\n' "$DNSTREE_ACMEDNS_NAME" "$DNSTREE_DNS01_TXT"
	} >"$DT/zones/acmedns.net"
	{
		_dnstree_sld acmedns.net ns1fault ns1alt
		printf '%s.\tTXT\t"%s"\n' "$DNSTREE_ACMEDNS_NAME" \
			"Hd1HcVZQ0fDbGEXHkTxRnMAaVsVUrS0hk95o8EGQmDM"
	} >"$DT/zones/acmedns.net.alt"
	echo "acmedns.net. $DT/zones/acmedns.net" >>"$DT/fault.zones"
	# inconsistent.com: two servers that disagree on CAA.
	{
		_dnstree_sld inconsistent.com ns1fault ns1alt
		printf '_acme-challenge\tTXT\t"%s"\n' "$DNSTREE_DNS01_TXT"
		printf '_validation-persist\tTXT\t"letsencrypt.org; accounturi=%s"\n' \
			"$DNSTREE_ACCOUNT_URI"
	} >"$DT/zones/inconsistent.com"
	{
		_dnstree_sld inconsistent.com ns1fault ns1alt | grep -v CAA
		printf '@\tCAA\t0 issue "sectigo.com"\n'
	} >"$DT/zones/inconsistent.com.alt"
	echo "inconsistent.com. $DT/zones/inconsistent.com.alt" >"$DT/alt.zones"
	echo "acmedns.net. $DT/zones/acmedns.net.alt" >>"$DT/alt.zones"

	# TLDs on knot "root" (127.0.53.1), with the delegations and DS.
	{
		_dnstree_soa com.
		printf '@\tNS\tns.lab-root.net.\n'
		for z in good.com expired.com staleds.com wrongds.com nocaasig.com dns01.com; do
			printf '%s.\tNS\tns1.lab-dns.net.\n%s.\tNS\tns2.lab-dns.net.\n' "$z" "$z"
		done
		printf 'onedead.com.\tNS\tns1.lab-dns.net.\nonedead.com.\tNS\tdead1.lab-dns.net.\n'
		printf 'lame.com.\tNS\tns1.lab-dns.net.\nlame.com.\tNS\tlame.lab-dns.net.\n'
		printf 'alllame.com.\tNS\tlame.lab-dns.net.\n'
		printf 'caarefused.com.\tNS\tcaaref.lab-dns.net.\n'
		printf 'caadrop.com.\tNS\tcaadrop.lab-dns.net.\n'
		printf 'nosoa.com.\tNS\tnosoa.lab-dns.net.\n'
		printf 'noaa.com.\tNS\tnoaa.lab-dns.net.\n'
		printf 'mangled.com.\tNS\tmangled.lab-dns.net.\n'
		printf 'ednsbad.com.\tNS\tednsbad.lab-dns.net.\n'
		printf 'inconsistent.com.\tNS\tns1fault.lab-dns.net.\ninconsistent.com.\tNS\tns1alt.lab-dns.net.\n'
		for k in "${sld_keys[@]}"; do
			cat "$k.ds"
		done
		_dnstree_extra com
	} >"$DT/zones/com"
	{
		_dnstree_soa net.
		printf '@\tNS\tns.lab-root.net.\n'
		printf 'ns.lab-root\tA\t127.0.53.1\n'
		for a in ns1:2 ns2:3 ns1fault:4 ns1alt:5 lame:10 caaref:11 \
			nosoa:12 mangled:13 ednsbad:14 caadrop:15 noaa:16 \
			dead1:66 dead2:67; do
			printf '%s.lab-dns\tA\t127.0.53.%s\n' "${a%%:*}" "${a#*:}"
		done
		printf 'alldead.net.\tNS\tdead1.lab-dns.net.\nalldead.net.\tNS\tdead2.lab-dns.net.\n'
		printf 'acmedns.net.\tNS\tns1fault.lab-dns.net.\nacmedns.net.\tNS\tns1alt.lab-dns.net.\n'
		_dnstree_extra net
	} >"$DT/zones/net"
	{
		_dnstree_soa org.
		printf '@\tNS\tns.lab-root.net.\n'
		for z in unsigned.org acmedns.org; do
			printf '%s.\tNS\tns1.lab-dns.net.\n%s.\tNS\tns2.lab-dns.net.\n' "$z" "$z"
		done
		_dnstree_extra org
	} >"$DT/zones/org"
	{
		_dnstree_soa .
		printf '@\tNS\tns.lab-root.net.\n'
		for z in com net org; do
			printf '%s.\tNS\tns.lab-root.net.\n' "$z"
		done
		printf 'ns.lab-root.net.\tA\t127.0.53.1\n'
	} >"$DT/zones/root"
	for z in com net org; do
		_dnstree_key "$z"
		_dnstree_sign "$DT/zones/$z" "$z." "$REPLY"
		cat "$REPLY.ds" >>"$DT/zones/root"
	done
	_dnstree_key .
	_dnstree_sign "$DT/zones/root" . "$REPLY"
	cp "$REPLY.ds" "$DT/root.ds"
	printf '. root\ncom. com\nnet. net\norg. org\n' |
		sed "s|\([a-z]*\)\$|$DT/zones/\1|" >"$DT/root.zones"

	printf '.\t3600000\tNS\tns.lab-root.net.\nns.lab-root.net.\t3600000\tA\t127.0.53.1\n' \
		>"$DT/root.hints"

	_dnstree_knot root 127.0.53.1
	_dnstree_knot sld 127.0.53.2 127.0.53.3
	_dnstree_knot fault 127.0.53.4
	_dnstree_knot alt 127.0.53.5
	_dnstree_stub 127.0.53.10 '*=refused'
	_dnstree_stub 127.0.53.11 '*/CAA=refused'
	_dnstree_stub 127.0.53.12 '*=nosoa'
	_dnstree_stub 127.0.53.13 '*=lowercase'
	_dnstree_stub 127.0.53.14 '*=ednsformerr'
	_dnstree_stub 127.0.53.15 '*/CAA=timeout'
	_dnstree_stub 127.0.53.16 '*=noaa'
	_dnstree_ref_start

	DNSTREE_HINTS="$DT/root.hints"
	DNSTREE_TA="$DT/root.ds"
	DNSTREE_CA_VIEW="--root-hints=$DNSTREE_HINTS --trust-anchor=$DNSTREE_TA"
	export DNSTREE_HINTS DNSTREE_TA DNSTREE_CA_VIEW
}

# The reference: an Unbound daemon set up as the CA's resolver (the
# settings Let's Encrypt published), whose answers and Extended DNS
# Errors the tool's CA view must match.
_dnstree_ref_start() {
	local d="$DT/unbound" pid
	mkdir -p "$d"
	cat >"$d/unbound.conf" <<EOF
server:
    interface: $DNSTREE_REF
    port: 53
    username: ""
    chroot: ""
    directory: "$d"
    pidfile: ""
    use-syslog: no
    logfile: ""
    verbosity: 0
    do-daemonize: no
    do-not-query-localhost: no
    root-hints: "$DT/root.hints"
    trust-anchor-file: "$DT/root.ds"
    harden-glue: yes
    harden-dnssec-stripped: yes
    use-caps-for-id: yes
    cache-min-ttl: 0
    cache-max-ttl: 0
    neg-cache-size: 0
    val-clean-additional: yes
    val-log-level: 2
    ede: yes
    access-control: 127.0.0.0/8 allow
    module-config: "validator iterator"
remote-control:
    control-enable: no
EOF
	unbound -d -c "$d/unbound.conf" >"$LAB/log/unbound.log" 2>&1 &
	pid=$!
	lab_track "$pid"
	_dnstree_wait "$DNSTREE_REF" "$pid" "$LAB/log/unbound.log"
}

# dnstree_ref NAME TYPE: the reference resolver's answer, kdig's form.
dnstree_ref() {
	kdig "@$DNSTREE_REF" +time=5 +retry=0 "$1" "$2"
}
