# shellcheck shell=bash
# lab.sh: the integration-test lab for certdiag, sourced by every
# tests/integration/*.sh script:
#
#   . "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
#   lab_enter_netns "$@"
#
# It gives each script a private network namespace (so ports are fixed,
# scripts run in parallel, and nothing can reach past loopback), a work
# directory $LAB that disappears on exit together with every server it
# started, a test PKI generated from "now", a real DNS server (knotd),
# TLS servers (gnutls-serv, openssl s_server, nginx, and
# tests/servers/hostile for the misbehaving ones) and TAP helpers.
#
# Functions, in the order a script uses them:
#   lab_enter_netns "$@"        namespaces, loopback, $LAB, cleanup trap
#   lab_require CMD...          skip the script unless CMD exists
#   lab_need_built FILE...      bail out unless the build made FILE
#   tap_plan N
#   lab_pki                     $LAB/pki: root.pem, CASE.{pem,key,chain.pem}
#   lab_leaf NAME ISSUER ...    one more leaf (extra template lines)
#   lab_dns_add RECORD...       more "test." records (before lab_dns_start)
#   lab_dns_zone ORIGIN REC...  one more zone (before lab_dns_start)
#   lab_dns_start               knotd for "test." on :53; use $DNS
#   lab_idn                     IDN names, zone and leaves (테스트.한국)
#   lab_tls_serve CASE [PORT]   serve CASE.chain.pem (port: lab_port CASE)
#   lab_nginx_start             nginx, SNI on :443
#   lab_nginx_serve NAME ...    one more nginx, its http { } on stdin
#   lab_http01_site             http01check's challenge site (web.test)
#   lab_addr_add ADDR/PREFIX    one more address on lo
#   lab_hostile_start MODE      stall | garbage | close | blackhole | ...
#                               (hostile --help lists the HTTP modes)
#   lab_nagios_link NAME TOOL   $LAB/bin/NAME -> the real TOOL binary
#   lab_track PID               stop PID on exit too
#   lab_check WANT DESC ARGS... certcheck --json with the lab's DNS and CA
#   assert_exit WANT DESC CMD...  then assert_jq, assert_jqs,
#   assert_problem, assert_first_line, assert_line, assert_elapsed_max,
#   assert_true
#   ok, not_ok, tap_skip        raw TAP
#
# What a tool run by lab_run (assert_exit, lab_check) prints with --json
# is also kept in $top_builddir/tests/json-capture/SCRIPT.TOOL.jsonl,
# which tests/integration/json_schema.sh validates against doc/schema/.
#
# Knobs (environment):
#   LAB_KEEP=1               keep $LAB after the run (its path is printed)
#   CERTDIAG_LAB_REQUIRE=1   a missing tool or namespace support is an
#                            error (Bail out!) instead of a skip
#   HOSTILE=PATH             use this hostile server instead of the built one
#   LAB_RUN_LIMIT=SECONDS    outer kill switch for one command (default 30)
#   CERTDIAG_VALGRIND=DIR    run the tools under valgrind, one log per run
#                            in DIR (scripts/valgrind.sh); timing
#                            assertions are skipped then

# ---------------------------------------------------------------------------
# Locations

# The repository root, found from this file, unless automake told us.
_lab_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
srcdir=$(cd "${srcdir:-$_lab_here/../..}" && pwd)
top_srcdir=$(cd "${top_srcdir:-$srcdir}" && pwd)
top_builddir=$(cd "${top_builddir:-$srcdir}" && pwd)
export srcdir top_srcdir top_builddir

LAB_TMPL="$top_srcdir/tests/lab"
CERTCHECK="$top_builddir/tools/certcheck"
# shellcheck disable=SC2034 # used by the scripts that source this file
HTTP01CHECK="$top_builddir/tools/http01check"
# shellcheck disable=SC2034 # used by the scripts that source this file
TLSALPN01CHECK="$top_builddir/tools/tlsalpn01check"
HOSTILE="${HOSTILE:-$top_builddir/tests/servers/hostile}"
DNS="--dns-server=127.0.0.1:53"
LAB_RUN_LIMIT="${LAB_RUN_LIMIT:-30}"
# How long a server may take to come up before the script gives up.
LAB_WAIT_MAX=10

# Fixed ports: every script has its own namespace, so they never clash.
declare -gA LAB_PORTS=(
	[good]=4401 [ecdsa]=4402 [expired]=4403 [notyet]=4404
	[exp3]=4405 [exp15]=4406 [exp40]=4407 [wronghost]=4408
	[wild]=4409 [ipsan]=4410 [sha1]=4411 [rsa1024]=4412
	[selfsigned]=4413 [incomplete]=4414 [order]=4415 [rootsent]=4416
	[shortchain]=4417 [intexpired]=4418 [certpem]=4419
	[stall]=4490 [garbage]=4491 [close]=4492
)
# A port where nothing ever listens (connection refused).
# shellcheck disable=SC2034 # used by the scripts that source this file
LAB_PORT_CLOSED=4499

# Every case lab_pki makes a leaf and a chain for (lab_pki says what
# each is); certpem is served by nginx only.
LAB_CASES="good ecdsa expired notyet exp3 exp15 exp40 wronghost wild ipsan
	sha1 rsa1024 selfsigned incomplete order rootsent shortchain
	intexpired certpem"

# ---------------------------------------------------------------------------
# Small utilities

# Stop the whole script as an error, not a test failure: the lab itself
# is broken.  Also on stderr, in case stdout is a command substitution.
lab_bail() {
	echo "Bail out! $*"
	echo "lab: $*" >&2
	exit 99
}

# Skip the whole script (TAP "1..0 # SKIP"), or bail out when the caller
# insists that everything must run (CI that has the tools).
lab_skip_all() {
	if [ "${CERTDIAG_LAB_REQUIRE:-0}" = 1 ]; then
		lab_bail "$*"
	fi
	echo "1..0 # SKIP $*"
	exit 0
}

# lab_require CMD...: skip the script unless every command exists.
lab_require() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 ||
			lab_skip_all "$c not installed (needed by this test)"
	done
}

# lab_uids_ok: true when users other than root exist in the lab (see
# LAB_ALL_UIDS), so servers that drop privileges can run.
lab_uids_ok() {
	[ "$(awk '{ n += $3 } END { printf "%.0f", n }' /proc/self/uid_map)" -gt 1 ]
}

# lab_need_built FILE...: files the build must have produced; their
# absence is a broken build, not a reason to skip.
lab_need_built() {
	local f
	for f in "$@"; do
		[ -x "$f" ] || lab_bail "$f not built: run make first"
	done
}

# Seconds since the epoch, with nanoseconds, for elapsed-time checks.
lab_now() {
	date +%s.%N
}

# Microseconds since the epoch into REPLY.  lab_run times every command,
# so it uses bash's clock (no fork) when there is one; the separator in
# EPOCHREALTIME follows the locale, hence the stripping.
_lab_usec() {
	if [ -n "${EPOCHREALTIME:-}" ]; then
		REPLY=${EPOCHREALTIME//[!0-9]/}
	else
		REPLY=$(($(date +%s%N) / 1000))
	fi
}

# lab_port CASE: the fixed port CASE is served on.
lab_port() {
	[ -n "${LAB_PORTS[$1]:-}" ] || lab_bail "no port for case $1"
	echo "${LAB_PORTS[$1]}"
}

# lab_target CASE: CASE.test:PORT, the usual way to name a served case.
lab_target() {
	echo "$1.test:$(lab_port "$1")"
}

# ---------------------------------------------------------------------------
# Namespace and work directory

# Re-exec this script inside fresh user, network, PID and mount
# namespaces, then bring loopback up.  The PID namespace is the safety
# net behind the EXIT trap: when the script dies, even by SIGKILL, the
# kernel kills every server it started.
lab_enter_netns() {
	if [ "${CERTDIAG_LAB_NETNS:-}" != 1 ]; then
		lab_require unshare ip ss certtool jq timeout
		if ! unshare -rn --pid --fork --kill-child --mount-proc true 2>/dev/null; then
			lab_skip_all "cannot create namespaces with unshare -rn (user namespaces disabled?)"
		fi
		_lab_run_inside "$@"
	fi

	# The marker is only an environment variable: make sure it did not
	# leak from an outer shell, or servers would bind the host's ports.
	if [ "$(ip -o link show | wc -l)" != 1 ]; then
		lab_bail "not in a private network namespace (CERTDIAG_LAB_NETNS set outside the lab?)"
	fi
	ip link set lo up || lab_bail "cannot bring lo up"
	_lab_ipv6_up
	_lab_workdir
}

# Run this script again inside the namespaces and exit with its status.
# unshare --fork blocks SIGINT/SIGTERM in its own process, so a harness
# that signals the test's pid would be ignored: this shell stays in
# front and passes such signals to the script inside, whose EXIT trap
# then stops the servers.
#
# A script whose servers switch to their own users (PostgreSQL, Dovecot,
# Exim) sets LAB_ALL_UIDS=1 first: run by real root (as CI is), the lab
# then makes no user namespace, whose map would hold uid 0 alone, so
# every user of the system exists inside (see lab_require_uids).
_lab_run_inside() {
	local pid rc user=-r
	if [ "${LAB_ALL_UIDS:-0}" = 1 ] && [ "$(id -u)" = 0 ]; then
		user=
	fi
	# shellcheck disable=SC2086 # $user is one option or none
	CERTDIAG_LAB_NETNS=1 unshare $user -n --pid --fork --kill-child \
		--mount-proc -- "$BASH" "$0" "$@" <&0 &
	pid=$!
	trap '_lab_forward $pid TERM' TERM
	trap '_lab_forward $pid INT' INT
	trap '_lab_forward $pid HUP' HUP
	while :; do
		rc=0
		wait "$pid" || rc=$?
		# A trapped signal interrupts wait; go on until unshare is gone.
		kill -0 "$pid" 2>/dev/null || break
	done
	exit "$rc"
}

# _lab_forward UNSHARE-PID SIGNAL: signal the script unshare runs.
_lab_forward() {
	local inner
	inner=$(cat "/proc/$1/task/$1/children" 2>/dev/null) || :
	[ -z "$inner" ] || kill "-$2" "$inner" 2>/dev/null || :
}

# ::1 exists on lo unless IPv6 is disabled for new namespaces; try to
# enable it there, and record whether IPv6 cases can run (LAB_IPV6).
_lab_ipv6_up() {
	local tries
	LAB_IPV6=0
	if [ -e /proc/sys/net/ipv6/conf/lo/disable_ipv6 ]; then
		echo 0 >/proc/sys/net/ipv6/conf/lo/disable_ipv6 2>/dev/null || :
		# The address appears a moment after the link goes up.
		for ((tries = 0; tries < 10; tries++)); do
			if ip -6 addr show dev lo | grep -q 'inet6 ::1/128'; then
				LAB_IPV6=1
				break
			fi
			sleep 0.05
		done
	fi
	export LAB_IPV6
}

# Create $LAB and the trap that tears everything down.
_lab_workdir() {
	LAB=$(mktemp -d "${TMPDIR:-/tmp}/certdiag-lab.XXXXXX") ||
		lab_bail "mktemp failed"
	mkdir -p "$LAB/bin" "$LAB/run" "$LAB/log"
	LAB_PIDS=()
	LAB_TAP_N=0
	LAB_TAP_PLAN=
	LAB_TAP_FAILED=0
	LAB_RUN_N=0
	_lab_capture_reset
	trap _lab_cleanup EXIT
	# Turn signals into a normal exit so the EXIT trap runs.
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
}

# Stop every server (politely, then not), remove $LAB, keep the exit code.
_lab_cleanup() {
	local rc=$? pid tries alive
	set +e
	for pid in "${LAB_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for ((tries = 0; tries < 40; tries++)); do
		alive=0
		for pid in "${LAB_PIDS[@]}"; do
			kill -0 "$pid" 2>/dev/null && alive=1
		done
		[ "$alive" = 0 ] && break
		sleep 0.05
	done
	for pid in "${LAB_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
	done
	# Only our servers: a bare "wait" would also wait for anything a
	# test left running in the background.
	[ ${#LAB_PIDS[@]} -eq 0 ] || wait "${LAB_PIDS[@]}" 2>/dev/null
	if [ -n "$LAB_TAP_PLAN" ] && [ "$LAB_TAP_N" != "$LAB_TAP_PLAN" ]; then
		echo "# planned $LAB_TAP_PLAN tests but ran $LAB_TAP_N"
	fi
	if [ "${LAB_KEEP:-0}" = 1 ]; then
		echo "# lab kept in $LAB"
	else
		rm -rf "$LAB"
	fi
	exit "$rc"
}

# lab_track PID: remember a background server so the cleanup stops it
# (for servers a script starts itself).
lab_track() {
	LAB_PIDS+=("$1")
}

# The name the first scripts used.
_lab_track() {
	lab_track "$@"
}

# lab_until SECONDS CMD...: run CMD every 0.2 s until it succeeds or
# SECONDS have passed; false then.  For state that settles on its own
# (a scraper's next round, a rule's next evaluation).
lab_until() {
	local deadline=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

# _lab_wait_port PORT PID LOG [COUNT]: wait (bounded) until COUNT TCP
# listeners are on PORT (one per address family), or fail showing LOG.
_lab_wait_port() {
	local port=$1 pid=$2 log=$3 want=${4:-1} deadline
	deadline=$(($(date +%s) + LAB_WAIT_MAX))
	while [ "$(ss -Hltn "sport = :$port" | wc -l)" -lt "$want" ]; do
		if ! kill -0 "$pid" 2>/dev/null; then
			sed 's/^/# /' "$log"
			lab_bail "server for port $port died at start (log above)"
		fi
		if [ "$(date +%s)" -ge "$deadline" ]; then
			sed 's/^/# /' "$log"
			lab_bail "server for port $port not listening after ${LAB_WAIT_MAX}s"
		fi
		sleep 0.02
	done
}

# ---------------------------------------------------------------------------
# PKI

# A date DAYS (may be negative) from the moment lab_pki started, in the
# form certtool templates take.  One "now" for the whole PKI keeps the
# lifetimes exact (a 90-day certificate is 90 days to the second).
_lab_date() {
	date -u -d "@$(_lab_epoch "$1")" '+%Y-%m-%d %H:%M:%S UTC'
}

# _lab_epoch DAYS: the PKI's "now" plus DAYS (fractions too: 1.5) as
# seconds since the epoch.
_lab_epoch() {
	if [[ $1 == *.* ]]; then
		awk -v n="$LAB_NOW_EPOCH" -v d="$1" \
			'BEGIN { printf "%d\n", n + d * 86400 }'
	else
		echo $((LAB_NOW_EPOCH + $1 * 86400))
	fi
}

# lab_rfc3339 DAYS: the time DAYS from the PKI's "now" as RFC 3339 UTC,
# i.e. a lab certificate's notBefore/notAfter as certcheck reports it.
lab_rfc3339() {
	date -u -d "@$((LAB_NOW_EPOCH + $1 * 86400))" '+%Y-%m-%dT%H:%M:%SZ'
}

# _lab_key NAME TYPE: TYPE is ecdsa (P-256), rsa2048 or rsa1024.
_lab_key() {
	local name=$1 type=$2
	case $type in
	ecdsa) set -- --key-type=ecdsa --curve=secp256r1 ;;
	rsa*) set -- --key-type=rsa --bits="${type#rsa}" ;;
	*) lab_bail "unknown key type $type" ;;
	esac
	certtool --generate-privkey "$@" --outfile "$LAB_PKI/$name.key" \
		>>"$LAB_PKI/certtool.log" 2>&1 ||
		lab_bail "certtool could not make key $name ($LAB_PKI/certtool.log)"
}

# _lab_sign NAME ISSUER [CERTTOOL-OPTIONS...]: sign $NAME.tmpl with
# ISSUER's key ("self" for self-signed) into $NAME.pem.
_lab_sign() {
	local name=$1 issuer=$2
	shift 2
	if [ "$issuer" = self ]; then
		set -- --generate-self-signed "$@"
	else
		set -- --generate-certificate "$@" \
			--load-ca-certificate "$LAB_PKI/$issuer.pem" \
			--load-ca-privkey "$LAB_PKI/$issuer.key"
	fi
	certtool "$@" --load-privkey "$LAB_PKI/$name.key" \
		--template "$LAB_PKI/$name.tmpl" --outfile "$LAB_PKI/$name.pem" \
		>>"$LAB_PKI/certtool.log" 2>&1 ||
		lab_bail "certtool could not sign $name ($LAB_PKI/certtool.log)"
}

# _lab_ca NAME ISSUER FROM TO: a CA certificate valid FROM..TO days from now.
_lab_ca() {
	local name=$1 issuer=$2
	_lab_key "$name" ecdsa
	{
		cat "$LAB_TMPL/ca.tmpl"
		echo "cn = \"certdiag lab $name\""
		echo "activation_date = \"$(_lab_date "$3")\""
		echo "expiration_date = \"$(_lab_date "$4")\""
	} >"$LAB_PKI/$name.tmpl"
	_lab_sign "$name" "$issuer"
}

# _lab_leaf NAME ISSUER FROM TO KEYTYPE [SAN...] [-- CERTTOOL-OPTIONS...]
# A server leaf.  SANs default to NAME.test; a SAN with a ':' or only
# digits and dots is an IP address.  The CN is the first DNS SAN.
_lab_leaf() {
	local name=$1 issuer=$2 from=$3 to=$4 type=$5 san cn=
	local -a sans=() opts=()
	shift 5
	while [ $# -gt 0 ]; do
		if [ "$1" = -- ]; then
			shift
			opts=("$@")
			break
		fi
		sans+=("$1")
		shift
	done
	[ ${#sans[@]} -gt 0 ] || sans=("$name.test")
	_lab_key "$name" "$type"
	{
		cat "$LAB_TMPL/server.tmpl"
		for san in "${sans[@]}"; do
			if [[ $san == *:* || $san =~ ^[0-9.]+$ ]]; then
				echo "ip_address = \"$san\""
			else
				echo "dns_name = \"$san\""
				[ -n "$cn" ] || cn=$san
			fi
		done
		echo "cn = \"${cn:-certdiag lab $name}\""
		case $type in rsa*) echo encryption_key ;; esac
		echo "activation_date = \"$(_lab_date "$from")\""
		echo "expiration_date = \"$(_lab_date "$to")\""
		# More template lines from lab_leaf's caller, if any.
		[ -z "${LAB_LEAF_EXTRA:-}" ] || printf '%s\n' "$LAB_LEAF_EXTRA"
	} >"$LAB_PKI/$name.tmpl"
	_lab_sign "$name" "$issuer" "${opts[@]}"
}

# lab_leaf NAME ISSUER FROM TO KEYTYPE [SAN...]: one more leaf after
# lab_pki, valid FROM..TO days from now, served as NAME.chain.pem (leaf,
# ISSUER).  Template lines in $LAB_LEAF_EXTRA are added, e.g.
# LAB_LEAF_EXTRA='tls_feature = 5' lab_leaf staple int -30 60 ecdsa
lab_leaf() {
	_lab_leaf "$@"
	_lab_chain "$1" "$1" "$2"
}

# _lab_chain CASE CERT...: what the server for CASE sends, in this order
# (CASE.chain.pem), and the same without the leaf (CASE.extra.pem, the
# form openssl s_server's -cert_chain takes).
_lab_chain() {
	local name=$1 c
	shift
	for c in "$@"; do
		cat "$LAB_PKI/$c.pem"
	done >"$LAB_PKI/$name.chain.pem"
	shift
	for c in "$@"; do
		cat "$LAB_PKI/$c.pem"
	done >"$LAB_PKI/$name.extra.pem"
}

# lab_pki: generate the whole test PKI into $LAB/pki (about a second),
# with dates relative to now.  Per case: CASE.pem (the leaf),
# CASE.key, CASE.chain.pem (exactly what the server sends, in order);
# root.pem is the trust anchor for --cafile.
lab_pki() {
	local c
	LAB_PKI="$LAB/pki"
	if [ -e "$LAB_PKI/root.pem" ]; then
		return 0
	fi
	mkdir -p "$LAB_PKI"
	LAB_NOW_EPOCH=$(date +%s)

	# Trust anchor and the usual intermediate.
	_lab_ca root self -365 3650
	_lab_ca int root -365 1825
	# A second intermediate under int, for the wrong-order chain.
	_lab_ca int2 int -365 1825
	# An intermediate that expires before the leaf it signs.
	_lab_ca intshort root -70 20
	# An expired intermediate.  certtool signs with it all the same,
	# which is what makes a leaf whose issuer is expired possible.
	_lab_ca intexp root -400 -5

	# Leaves: 90-day lifetimes like an ACME CA's, unless the case is
	# about dates.
	_lab_leaf good int -30 60 rsa2048
	_lab_leaf ecdsa int -30 60 ecdsa
	_lab_leaf expired int -100 -10 ecdsa
	_lab_leaf notyet int 10 100 ecdsa
	_lab_leaf exp3 int -87 3 ecdsa
	_lab_leaf exp15 int -75 15 ecdsa
	_lab_leaf exp40 int -50 40 ecdsa
	_lab_leaf wronghost int -30 60 ecdsa other.example
	_lab_leaf wild int -30 60 ecdsa '*.wild.test'
	_lab_leaf ipsan int -30 60 ecdsa 127.0.0.1 ::1
	_lab_leaf sha1 int -30 60 ecdsa -- --hash=SHA1
	_lab_leaf rsa1024 int -30 60 rsa1024
	_lab_leaf selfsigned self -30 60 ecdsa
	_lab_leaf incomplete int -30 60 ecdsa
	_lab_leaf order int2 -30 60 ecdsa
	_lab_leaf rootsent int -30 60 ecdsa
	_lab_leaf shortchain intshort -10 60 ecdsa
	_lab_leaf intexpired intexp -30 60 ecdsa
	_lab_leaf certpem int -30 60 ecdsa

	# What each server sends.  The common case: leaf then intermediate.
	for c in good ecdsa expired notyet exp3 exp15 exp40 wronghost wild \
		ipsan sha1 rsa1024; do
		_lab_chain "$c" "$c" int
	done
	_lab_chain selfsigned selfsigned
	_lab_chain incomplete incomplete        # intermediate missing
	_lab_chain certpem certpem              # nginx cert.pem mistake
	_lab_chain order order int int2         # int2 belongs before int
	_lab_chain rootsent rootsent int root   # root sent needlessly
	_lab_chain shortchain shortchain intshort
	_lab_chain intexpired intexpired intexp
}

# ---------------------------------------------------------------------------
# DNS: knotd, authoritative for "test."

# Every name resolves to 127.0.0.1, except the two IPv6 cases and
# nxdomain.test, which has no record at all.
_lab_zone() {
	local n
	cat <<EOF
\$ORIGIN test.
\$TTL 60
@	SOA	ns.test. hostmaster.test. 1 3600 600 86400 60
@	NS	ns.test.
ns	A	127.0.0.1
wild	A	127.0.0.1
a.wild	A	127.0.0.1
a.b.wild	A	127.0.0.1
dual	A	127.0.0.1
dual	AAAA	::1
v6only	AAAA	::1
EOF
	for n in $LAB_CASES stall garbage close intshort; do
		printf '%s\tA\t127.0.0.1\n' "$n"
	done
	# Records a script added with lab_dns_add (none by default).
	[ -z "${LAB_DNS_EXTRA:-}" ] || printf '%s' "$LAB_DNS_EXTRA"
}

# lab_dns_add RECORD...: zone lines (relative to "test.", e.g.
# "web A 127.0.0.1") that the next lab_dns_start serves besides the
# usual names.  Call it before lab_dns_start.
lab_dns_add() {
	local r
	for r in "$@"; do
		LAB_DNS_EXTRA="${LAB_DNS_EXTRA:-}$r"$'\n'
	done
}

# lab_dns_zone ORIGIN RECORD...: one more zone (ORIGIN without the
# trailing dot, e.g. the A-label of an IDN TLD) that the next
# lab_dns_start serves, records relative to ORIGIN.
lab_dns_zone() {
	local z=$1 r
	shift
	mkdir -p "$LAB/dns"
	{
		printf '$ORIGIN %s.\n$TTL 60\n' "$z"
		printf '@\tSOA\tns.test. hostmaster.test. 1 3600 600 86400 60\n'
		printf '@\tNS\tns.test.\n'
		for r in "$@"; do
			printf '%s\n' "$r"
		done
	} >"$LAB/dns/$z.zone"
	LAB_DNS_ZONES="${LAB_DNS_ZONES:-} $z"
}

# lab_dns_start: knotd on 127.0.0.1:53 and [::1]:53; returns once it
# answers.  Tools then use $DNS.
lab_dns_start() {
	local d="$LAB/dns" pid deadline listen="127.0.0.1@53"
	lab_require knotd kdig
	mkdir -p "$d/storage"
	if [ "$LAB_IPV6" = 1 ]; then
		listen="$listen, ::1@53"
	fi
	_lab_zone >"$d/test.zone"
	# No "user:": knotd stays the namespace's root.  Nothing is written
	# back to the zone file and no journal is kept: the zone is static.
	cat >"$d/knot.conf" <<EOF
server:
    rundir: "$d"
    listen: [ $listen ]
log:
  - target: stderr
    any: info
database:
    storage: "$d/storage"
template:
  - id: default
    storage: "$d"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
zone:
  - domain: test.
    file: "$d/test.zone"
EOF
	# Zones other than "test." (lab_dns_zone), e.g. an IDN TLD.
	for z in ${LAB_DNS_ZONES:-}; do
		printf '  - domain: %s.\n    file: "%s"\n' "$z" "$d/$z.zone"
	done >>"$d/knot.conf"
	knotd -c "$d/knot.conf" >"$LAB/log/knotd.log" 2>&1 &
	pid=$!
	lab_track "$pid"
	# Wait for the TCP listener first: a query sent before knotd's UDP
	# workers run would sit out kdig's whole one-second timeout.
	_lab_wait_port 53 "$pid" "$LAB/log/knotd.log"
	deadline=$(($(date +%s) + LAB_WAIT_MAX))
	until [ "$(kdig @127.0.0.1 -p 53 +short +time=1 +retry=0 good.test A 2>/dev/null)" = 127.0.0.1 ]; do
		if ! kill -0 "$pid" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
			sed 's/^/# /' "$LAB/log/knotd.log"
			lab_bail "knotd did not answer for good.test (log above)"
		fi
		sleep 0.02
	done
}

# ---------------------------------------------------------------------------
# TLS servers

# GnuTLS sorts every certificate chain it loads into issuer order, so
# gnutls-serv cannot reproduce a wrongly ordered chain; those cases are
# served by openssl s_server, which sends the certificates as given.
# (gnutls-serv stays the default: OpenSSL's security level would refuse
# to serve the 1024-bit RSA and SHA-1 cases.)
LAB_OPENSSL_CASES=" order "

# lab_tls_serve CASE [PORT] [SERVER-ARGS...]: a TLS server sending
# $CASE.chain.pem, certificates in file order, on 127.0.0.1 and ::1.
# PORT "" or "-" means the case's own port.  SERVER-ARGS go to
# gnutls-serv (or to openssl s_server for the cases listed above).
lab_tls_serve() {
	local name=$1 port=${2:--} pid log want=1
	shift
	shift $(($# > 0 ? 1 : 0))
	if [ "$port" = - ]; then
		port=$(lab_port "$name")
	fi
	[ -e "$LAB_PKI/$name.chain.pem" ] || lab_bail "no PKI for $name: call lab_pki first"
	log="$LAB/log/tls-$name-$port.log"
	if [[ $LAB_OPENSSL_CASES == *" $name "* ]]; then
		lab_require openssl
		# One dual-stack socket; -www answers each connection in turn.
		openssl s_server -quiet -www -accept "$port" \
			-cert "$LAB_PKI/$name.pem" -key "$LAB_PKI/$name.key" \
			-cert_chain "$LAB_PKI/$name.extra.pem" "$@" \
			>"$log" 2>&1 </dev/null &
	else
		lab_require gnutls-serv
		# No listen-address option: gnutls-serv binds the wildcard of
		# each family, which in this namespace is loopback only.
		gnutls-serv --x509certfile="$LAB_PKI/$name.chain.pem" \
			--x509keyfile="$LAB_PKI/$name.key" --port="$port" "$@" \
			>"$log" 2>&1 </dev/null &
		want=$((LAB_IPV6 + 1))
	fi
	pid=$!
	lab_track "$pid"
	_lab_wait_port "$port" "$pid" "$log" "$want"
}

# lab_alpn_serve NAME KEYAUTH PORT: a tls-alpn-01 challenge certificate
# for NAME (RFC 8737: the acmeIdentifier extension, critical, holding
# SHA-256 of KEYAUTH), served by openssl s_server with ALPN acme-tls/1
# on 127.0.0.1:PORT.
lab_alpn_serve() {
	local name=$1 ka=$2 port=$3 d
	d=$(printf '%s' "$ka" | openssl dgst -sha256 -r | cut -c1-64)
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$LAB/$name.key" -out "$LAB/$name.pem" -days 7 \
		-subj "/CN=$name" -addext "subjectAltName=DNS:$name" \
		-addext "1.3.6.1.5.5.7.1.31=critical,DER:04:20:$(sed 's/../&:/g; s/:$//' <<<"$d")" \
		2>"$LAB/log/$name-req.log" ||
		lab_bail "openssl req: $(cat "$LAB/log/$name-req.log")"
	openssl s_server -quiet -www -accept "$port" -cert "$LAB/$name.pem" \
		-key "$LAB/$name.key" -alpn acme-tls/1 >"$LAB/log/$name.log" 2>&1 \
		</dev/null &
	lab_track $!
	_lab_wait_port "$port" $! "$LAB/log/$name.log"
}

# lab_hostile_start MODE [PORT]: the misbehaving server (stall, garbage,
# close; blackhole, which has no port of its own) on 127.0.0.1 and ::1.
# Port defaults to the mode's own.
lab_hostile_start() {
	local mode=$1 port=${2:-} pid log want=1
	[ -n "$port" ] || port=$(lab_port "$mode")
	lab_need_built "$HOSTILE"
	log="$LAB/log/hostile-$mode-$port.log"
	"$HOSTILE" --port "$port" --mode "$mode" >"$log" 2>&1 </dev/null &
	pid=$!
	lab_track "$pid"
	want=$((LAB_IPV6 + 1))
	_lab_wait_port "$port" "$pid" "$log" "$want"
}

# lab_nginx_start: nginx with SNI on port 443: good.test (full chain),
# certpem.test (leaf only: the ssl_certificate cert.pem mistake) and
# ecdsa.test.  Everything it writes stays under $LAB/nginx-tls.
lab_nginx_start() {
	local listen6="" want=1
	if [ "$LAB_IPV6" = 1 ]; then
		listen6="listen [::1]:443 ssl;"
		want=2
	fi
	# Not a pipe: lab_nginx_serve must run in this shell to track nginx.
	lab_nginx_serve tls "443:$want" < <(_lab_nginx_sni_blocks "$listen6")
}

# The SNI server blocks of lab_nginx_start.
_lab_nginx_sni_blocks() {
	local c
	for c in good certpem ecdsa; do
		cat <<EOF
    server {
        listen 127.0.0.1:443 ssl;
        $1
        server_name $c.test;
        ssl_certificate $LAB_PKI/$c.chain.pem;
        ssl_certificate_key $LAB_PKI/$c.key;
        return 200 "$c\n";
    }
EOF
	done
}

# lab_nginx_serve NAME [PORT:COUNT...] < HTTP-BLOCK: one more nginx, with
# its own directory $LAB/nginx-NAME (logs, pid, temp files), whose
# http { } block is read from stdin (server blocks, maps...).  It returns
# once each PORT has COUNT listening sockets (one per address bound).
lab_nginx_serve() {
	local name=$1 d="$LAB/nginx-$1" pid spec
	shift
	lab_require nginx
	mkdir -p "$d/tmp"
	{
		# As lab_nginx_start: root and a single process in the
		# namespace.
		cat <<EOF
user root root;
master_process off;
daemon off;
pid $d/nginx.pid;
error_log $d/error.log info;
events { worker_connections 64; }
http {
    access_log $d/access.log;
    client_body_temp_path $d/tmp/body;
    proxy_temp_path $d/tmp/proxy;
    fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
EOF
		cat
		echo "}"
	} >"$d/nginx.conf"
	nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log" \
		>"$LAB/log/nginx-$name.log" 2>&1 </dev/null &
	pid=$!
	lab_track "$pid"
	for spec in "$@"; do
		_lab_wait_port "${spec%%:*}" "$pid" "$d/error.log" "${spec#*:}"
	done
}

# The key authorization the challenge site serves (RFC 8555's example:
# token "." base64url(JWK thumbprint), 87 characters).
LAB_KA="evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.nP1qzpXGymHBrUEepNY9HCsQk7K8KhOypzEt62jcerQ"

# _lab_h01_file TOKEN PRINTF-FORMAT [ARGS...]: a token file of the site.
_lab_h01_file() {
	local t=$1
	shift
	# shellcheck disable=SC2059 # the format is the point
	printf "$@" >"$LAB_WWW/.well-known/acme-challenge/$t"
}

# lab_http01_site: the challenge site of the http01check tests (needs
# lab_pki; call it before lab_dns_start: it adds its names).  Sets
# $LAB_ADDR1, the address the CA's way of fetching web.test ends up using
# (::1, IPv6 first; 127.0.0.1 in a lab without IPv6).
#   web.test    127.0.0.1 and ::1 (when the lab has IPv6): nginx on port
#               80 with web root $LAB_WWW and the rules of
#               tests/fixtures/http01/site.conf, and the same over TLS
#               on port 443 with the untrusted "selfsigned" leaf (the CA
#               does not verify certificates)
#   other.test  127.0.0.3: the same site on port 80
#   old.test    127.0.0.2: the same site over TLS 1.0 only, on port 443
#   web.example.com, other.example.com, old.example.com: the same, under
#               a real TLD, for redirect targets (the CA, and lab mode,
#               refuse a redirect to a name outside the IANA TLDs);
#               $LAB_H01_TWIN_EXTRA adds records (one a line) to that zone
# Token files under $LAB_WWW/.well-known/acme-challenge/, all about
# $LAB_KA: good and hop0 (exact), trail-nl, trail-ws, trail-unicode
# (trailing white space), lead-space, bom, html, upper (wrong case),
# empty, pad127 and pad128 ($LAB_KA padded with spaces to 127 and 128
# bytes), big (4 KiB of "A"), lines (40 lines "line").
# shellcheck disable=SC2034 # LAB_ADDR1 is for the scripts that source this
lab_http01_site() {
	local ac pad v6=0 listen6="" ssl6="" twin r
	[ -n "${LAB_PKI:-}" ] || lab_bail "lab_http01_site: call lab_pki first"
	LAB_WWW="$LAB/www"
	ac="$LAB_WWW/.well-known/acme-challenge"
	mkdir -p "$ac"
	_lab_h01_file good '%s' "$LAB_KA"
	_lab_h01_file hop0 '%s' "$LAB_KA"
	_lab_h01_file trail-nl '%s\n' "$LAB_KA"
	_lab_h01_file trail-ws '%s \t \r\n' "$LAB_KA"
	_lab_h01_file trail-unicode '%s\302\240\343\200\200\n' "$LAB_KA"
	_lab_h01_file lead-space ' %s' "$LAB_KA"
	_lab_h01_file bom '\357\273\277%s' "$LAB_KA"
	_lab_h01_file html '<html><body>%s</body></html>\n' "$LAB_KA"
	_lab_h01_file upper '%s' "${LAB_KA^^}"
	_lab_h01_file empty ''
	printf -v pad '%*s' $((127 - ${#LAB_KA})) ''
	_lab_h01_file pad127 '%s%s' "$LAB_KA" "$pad"
	_lab_h01_file pad128 '%s%s ' "$LAB_KA" "$pad"
	head -c 4096 /dev/zero | tr '\0' A >"$ac/big"
	printf 'line\n%.0s' $(seq 40) >"$ac/lines"
	lab_dns_add "web A 127.0.0.1" "other A 127.0.0.3" "old A 127.0.0.2"
	twin=("web A 127.0.0.1" "other A 127.0.0.3" "old A 127.0.0.2")
	LAB_ADDR1=127.0.0.1
	if [ "$LAB_IPV6" = 1 ]; then
		lab_dns_add "web AAAA ::1"
		twin+=("web AAAA ::1")
		LAB_ADDR1=::1
		v6=1
		listen6="listen [::1]:80;"
		ssl6="listen [::1]:443 ssl;"
	fi
	while IFS= read -r r; do
		[ -z "$r" ] || twin+=("$r")
	done <<<"${LAB_H01_TWIN_EXTRA:-}"
	lab_dns_zone example.com "${twin[@]}"
	# Every request, with the headers the CA's request is judged by, in
	# $LAB/log/http01-requests.log.
	lab_nginx_serve http01 "80:$((2 + v6))" "443:$((2 + v6))" <<EOF
    default_type application/octet-stream;
    log_format h01 '\$server_addr:\$server_port "\$request" \$status host="\$http_host" accept="\$http_accept" ua="\$http_user_agent"';
    access_log $LAB/log/http01-requests.log h01;
    server {
        listen 127.0.0.1:80;
        listen 127.0.0.3:80;
        $listen6
        server_name web.test other.test web.example.com other.example.com;
        root $LAB_WWW;
        include $top_srcdir/tests/fixtures/http01/site.conf;
    }
    server {
        listen 127.0.0.1:443 ssl;
        $ssl6
        server_name web.test web.example.com;
        root $LAB_WWW;
        ssl_certificate $LAB_PKI/selfsigned.chain.pem;
        ssl_certificate_key $LAB_PKI/selfsigned.key;
        include $top_srcdir/tests/fixtures/http01/site.conf;
    }
    server {
        listen 127.0.0.2:443 ssl;
        server_name old.test old.example.com;
        root $LAB_WWW;
        ssl_certificate $LAB_PKI/selfsigned.chain.pem;
        ssl_certificate_key $LAB_PKI/selfsigned.key;
        ssl_protocols TLSv1;
        ssl_ciphers DEFAULT@SECLEVEL=0;
    }
EOF
}

# lab_idn: internationalised names (needs lab_pki; call it before
# lab_dns_start).  Certificates carry A-labels, as CAs issue them.
#   테스트.한국 = xn--9t4b11yi5a.xn--3e0b707e, in a zone of its own for
#       the TLD 한국 (xn--3e0b707e), CAA 0 issue "letsencrypt.org";
#       www.테스트.한국 too.  Case "idn": a leaf for both names on
#       port 4431 (start it with lab_tls_serve idn).
#   bücher.test = xn--bcher-kva.test, CAA 0 issue ";" (nobody may
#       issue); case "buecher": a leaf for bücher.test and books.test
#       (a mixed list), on port 4432.
# Every name is 127.0.0.1.
lab_idn() {
	[ -n "${LAB_PKI:-}" ] || lab_bail "lab_idn: call lab_pki first"
	LAB_PORTS[idn]=4431
	LAB_PORTS[buecher]=4432
	if [ ! -e "$LAB_PKI/idn.chain.pem" ]; then
		_lab_leaf idn int -30 60 ecdsa xn--9t4b11yi5a.xn--3e0b707e \
			www.xn--9t4b11yi5a.xn--3e0b707e
		_lab_leaf buecher int -30 60 ecdsa xn--bcher-kva.test books.test
		_lab_chain idn idn int
		_lab_chain buecher buecher int
	fi
	lab_dns_zone xn--3e0b707e \
		"xn--9t4b11yi5a A 127.0.0.1" "www.xn--9t4b11yi5a A 127.0.0.1" \
		'xn--9t4b11yi5a CAA 0 issue "letsencrypt.org"'
	lab_dns_add "xn--bcher-kva A 127.0.0.1" "books A 127.0.0.1" \
		'xn--bcher-kva CAA 0 issue ";"'
}

# lab_addr_add ADDR/PREFIX: one more address on the namespace's lo, e.g.
# a public-looking one that a CA would not drop as reserved (nothing
# outside the namespace can see it).
lab_addr_add() {
	case $1 in
	*:*) ip -6 addr add "$1" dev lo nodad ;;
	*) ip addr add "$1" dev lo ;;
	esac || lab_bail "cannot add address $1 to lo"
}

# lab_nagios_link NAME TOOL: $LAB/bin/NAME -> the real binary behind
# the libtool wrapper of TOOL (e.g. check_cert certcheck), so that the
# program sees NAME as argv[0].  The wrapper would exec the real binary
# under its own name, hence the link to .libs and LD_LIBRARY_PATH.
lab_nagios_link() {
	local name=$1 tool=$2 real
	case $tool in
	*/*) ;;
	*) tool="$top_builddir/tools/$tool" ;;
	esac
	lab_need_built "$tool"
	if [ -x "$top_builddir/libtool" ]; then
		real=$("$top_builddir/libtool" --mode=execute echo "$tool") ||
			lab_bail "libtool could not locate the binary behind $tool"
	else
		real=$tool
	fi
	ln -sf "$real" "$LAB/bin/$name"
	export LD_LIBRARY_PATH="$top_builddir/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
}

# ---------------------------------------------------------------------------
# Running commands

# lab_run CMD...: run CMD with stdout and stderr in files of their own
# ($LAB_OUT, $LAB_ERR), stdin from $LAB_STDIN (default /dev/null); sets
# $LAB_RC and $LAB_ELAPSED (seconds).  A command that hangs is killed
# after $LAB_RUN_LIMIT seconds (exit 124/137 then fails any assertion).
lab_run() {
	local t0 us
	LAB_RUN_N=$((LAB_RUN_N + 1))
	LAB_OUT="$LAB/run/$LAB_RUN_N.out"
	LAB_ERR="$LAB/run/$LAB_RUN_N.err"
	LAB_CMD="$*"
	_lab_usec
	t0=$REPLY
	LAB_RC=0
	LAB_VG_CMD=("$@")
	[ -z "${CERTDIAG_VALGRIND:-}" ] || _lab_valgrind "$@"
	timeout -k 2 "$LAB_RUN_LIMIT" "${LAB_VG_CMD[@]}" <"${LAB_STDIN:-/dev/null}" \
		>"$LAB_OUT" 2>"$LAB_ERR" || LAB_RC=$?
	_lab_usec
	us=$((REPLY - t0))
	printf -v LAB_ELAPSED '%d.%03d' $((us / 1000000)) $((us % 1000000 / 1000))
	_lab_capture_json "$@"
}

# Where every JSON line the tools print in the lab is kept, per script
# and tool, for tests/integration/json_schema.sh to validate against
# doc/schema/TOOL.schema.json.
LAB_JSON_CAPTURE="$top_builddir/tests/json-capture"

# _lab_capture_reset: forget what an earlier run of this script captured.
_lab_capture_reset() {
	local name=${0##*/}
	mkdir -p "$LAB_JSON_CAPTURE" 2>/dev/null || return 0
	rm -f "$LAB_JSON_CAPTURE/${name%.sh}".*.jsonl
}

# _lab_capture_json CMD...: when CMD is one of the tools (or its Nagios
# name) asked for JSON, append what it printed on stdout to
# $LAB_JSON_CAPTURE/SCRIPT.TOOL.jsonl, every line, so a line that is not
# JSON fails the validation too.
_lab_capture_json() {
	local tool=${1##*/} name=${0##*/} a prev='' json=0
	case $tool in
	certcheck | check_cert) tool=certcheck ;;
	caacheck | check_caa) tool=caacheck ;;
	http01check | check_http01) tool=http01check ;;
	tlsalpn01check | check_tlsalpn01) tool=tlsalpn01check ;;
	dns01check | check_dns01) tool=dns01check ;;
	*) return 0 ;;
	esac
	shift
	for a in "$@"; do
		case $a in
		--) break ;;
		--json | --format=json | -ojson) json=1 ;;
		--nagios | --format=* | -o?*) json=0 ;;
		json) case $prev in --format | -o) json=1 ;; esac ;;
		text | nagios) case $prev in --format | -o) json=0 ;; esac ;;
		esac
		prev=$a
	done
	[ "$json" = 1 ] && [ -s "$LAB_OUT" ] || return 0
	[ -d "$LAB_JSON_CAPTURE" ] || return 0
	cat "$LAB_OUT" >>"$LAB_JSON_CAPTURE/${name%.sh}.$tool.jsonl" || :
}

# _lab_valgrind CMD...: when CMD is one of our tools, make LAB_VG_CMD
# (what lab_run runs) CMD under valgrind, with a
# log of its own in $CERTDIAG_VALGRIND.  libtool's wrapper scripts are
# resolved to the real binary (libtool --mode=execute); the $LAB/bin
# links already point at it.
_lab_valgrind() {
	local tool=${1##*/}
	case $tool in
	certcheck | caacheck | http01check | tlsalpn01check | dns01check | check_cert | check_caa | check_http01 | check_tlsalpn01 | check_dns01) ;;
	*) return 0 ;;
	esac
	# shellcheck disable=SC2054 # the comma is valgrind's list syntax
	LAB_VG_CMD=(valgrind -q --leak-check=full
		--errors-for-leak-kinds=definite,indirect --error-exitcode=1
		"--suppressions=$top_srcdir/scripts/valgrind.supp"
		"--log-file=$CERTDIAG_VALGRIND/${0##*/}.$LAB_RUN_N.%p.log" "$@")
	if [ -x "$top_builddir/libtool" ] && [ "$1" != "$LAB/bin/$tool" ]; then
		LAB_VG_CMD=("$top_builddir/libtool" --mode=execute "${LAB_VG_CMD[@]}")
	fi
	printf '%s\n' "$*" >"$CERTDIAG_VALGRIND/${0##*/}.$LAB_RUN_N.cmd"
}

# ---------------------------------------------------------------------------
# TAP

tap_plan() {
	LAB_TAP_PLAN=$1
	echo "1..$1"
}

ok() {
	LAB_TAP_N=$((LAB_TAP_N + 1))
	echo "ok $LAB_TAP_N - $*"
}

not_ok() {
	LAB_TAP_N=$((LAB_TAP_N + 1))
	LAB_TAP_FAILED=$((LAB_TAP_FAILED + 1))
	echo "not ok $LAB_TAP_N - $*"
}

# tap_skip DESC REASON
tap_skip() {
	LAB_TAP_N=$((LAB_TAP_N + 1))
	echo "ok $LAB_TAP_N - $1 # SKIP $2"
}

# Diagnostics for a failed assertion: the last command, how it ended, and
# what it printed, as TAP comments so CI logs show why.
_lab_diag_last() {
	[ -n "${LAB_CMD:-}" ] || return 0
	echo "# command: $LAB_CMD"
	echo "# exit: $LAB_RC, elapsed: ${LAB_ELAPSED}s"
	echo "# stdout:"
	head -n 60 "$LAB_OUT" | sed 's/^/#   /'
	echo "# stderr:"
	head -n 60 "$LAB_ERR" | sed 's/^/#   /'
}

# _lab_report PASSED DESC [WHY]: one TAP line, with diagnostics on failure.
_lab_report() {
	if [ "$1" = 1 ]; then
		ok "$2"
	else
		not_ok "$2"
		[ -z "${3:-}" ] || echo "# $3"
		_lab_diag_last
	fi
}

# assert_exit EXPECTED DESC CMD...: run CMD (see lab_run) and check its
# exit status.  Later assertions look at this run's output.
assert_exit() {
	local want=$1 desc=$2
	shift 2
	lab_run "$@"
	if [ "$LAB_RC" = "$want" ]; then
		_lab_report 1 "$desc"
	else
		_lab_report 0 "$desc" "expected exit $want, got $LAB_RC"
	fi
}

# lab_check WANT DESC ARGS...: certcheck --json ARGS (options, then
# targets), with the lab's DNS server and root.pem as the trust anchor.
lab_check() {
	local want=$1 desc=$2
	shift 2
	assert_exit "$want" "$desc" "$CERTCHECK" "$DNS" \
		"--cafile=$LAB_PKI/root.pem" --json "$@"
}

# jq helpers available to every filter (jq syntax, not shell).
# shellcheck disable=SC2016
_LAB_JQ_DEFS='
def codes: [.problems[]?.code];
def has_problem($c): any(.problems[]?; .code == $c);
def severities($c): [.problems[]? | select(.code == $c) | .severity];
'

# assert_jq FILTER DESC: FILTER is true for every JSON object the last
# command printed (there must be at least one).
assert_jq() {
	local filter=$1 desc=$2 res
	res=$(jq -s -e "$_LAB_JQ_DEFS length > 0 and all(.[]; $filter)" \
		<"$LAB_OUT" 2>&1) && [ "$res" = true ] && {
		_lab_report 1 "$desc"
		return 0
	}
	_lab_report 0 "$desc" "jq filter not true: $filter ($res)"
}

# assert_jqs FILTER DESC: FILTER is true of the array of all JSON objects
# the last command printed (for several targets).
assert_jqs() {
	local filter=$1 desc=$2 res
	res=$(jq -s -e "$_LAB_JQ_DEFS $filter" <"$LAB_OUT" 2>&1) && {
		_lab_report 1 "$desc"
		return 0
	}
	_lab_report 0 "$desc" "jq filter (slurped) not true: $filter ($res)"
}

# assert_problem CODE TEXT DESC: the last command's JSON has a problem
# CODE whose message contains TEXT (a plain string, not a regex).
assert_problem() {
	local res
	res=$(jq -s -e --arg c "$1" --arg t "$2" \
		'length > 0 and all(.[]; any(.problems[]?; .code == $c and
			(.message | contains($t))))' <"$LAB_OUT" 2>&1) && {
		_lab_report 1 "$3"
		return 0
	}
	_lab_report 0 "$3" "no problem $1 with a message containing: $2 ($res)"
}

# assert_first_line REGEX DESC: the first line of stdout matches (ERE).
assert_first_line() {
	if head -n 1 "$LAB_OUT" | grep -Eq -- "$1"; then
		_lab_report 1 "$2"
	else
		_lab_report 0 "$2" "first line does not match /$1/"
	fi
}

# assert_line N REGEX DESC: line N of stdout matches (ERE).
assert_line() {
	if sed -n "$1p" "$LAB_OUT" | grep -Eq -- "$2"; then
		_lab_report 1 "$3"
	else
		_lab_report 0 "$3" "line $1 does not match /$2/"
	fi
}

# assert_elapsed_max SECONDS [DESC]: the last command took no longer.
assert_elapsed_max() {
	local desc=${2:-finished within $1 s}
	if [ -n "${CERTDIAG_VALGRIND:-}" ]; then
		tap_skip "$desc" "timing under valgrind"
		return 0
	fi
	# ASan slows what GnuTLS does with a hostile certificate 100-fold;
	# the normal build of the same suite asserts every deadline.
	if [ "${CERTDIAG_SANITIZERS:-}" = yes ]; then
		tap_skip "$desc" "timing under ASan+UBSan"
		return 0
	fi
	if awk -v e="$LAB_ELAPSED" -v m="$1" 'BEGIN { exit !(e <= m) }'; then
		_lab_report 1 "$desc (${LAB_ELAPSED}s)"
	else
		_lab_report 0 "$desc" "took ${LAB_ELAPSED}s, limit $1 s"
	fi
}

# assert_true DESC CMD...: CMD succeeds (it may look at $LAB_OUT/$LAB_ERR).
# It runs in a subshell, so an "exit" in an eval'd check ends only it.
assert_true() {
	local desc=$1
	shift
	if ("$@") >/dev/null 2>&1; then
		_lab_report 1 "$desc"
	else
		_lab_report 0 "$desc" "false: $*"
	fi
}

# lab_lines FILE: number of lines in FILE (for assert_true).
lab_lines() {
	wc -l <"$1" | tr -d ' '
}
