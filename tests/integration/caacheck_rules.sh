#!/usr/bin/env bash
# caacheck against a real authoritative server: knot serves the zones in
# tests/fixtures/dns (Boulder's own CAA test names and more), and
# tests/servers/dnsstub in front of it misbehaves for a few names
# (timeout, SERVFAIL, REFUSED, garbage, truncation).  Every case asserts
# the verdict, the relevant name and the exit status Let's Encrypt's CA
# would produce.
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"

# knot on port 5300 with the CAA zones, the stub on port 53 in front.
caa_dns_start() {
	local d="$LAB/caadns" pid z deadline
	lab_require knotd kdig
	mkdir -p "$d/storage"
	{
		printf 'server:\n    rundir: "%s"\n    listen: 127.0.0.1@5300\n' "$d"
		printf 'log:\n  - target: stderr\n    any: warning\n'
		printf 'database:\n    storage: "%s/storage"\n' "$d"
		printf 'template:\n  - id: default\n    storage: "%s"\n' "$d"
		printf '    zonefile-sync: -1\n    journal-content: none\nzone:\n'
		for z in .:root com.:caa-com uk.:empty-uk test.:caa-test; do
			cp "$top_srcdir/tests/fixtures/dns/${z#*:}.zone" "$d/"
			printf '  - domain: "%s"\n    file: "%s/%s.zone"\n' \
				"${z%%:*}" "$d" "${z#*:}"
		done
	} >"$d/knot.conf"
	knotd -c "$d/knot.conf" >"$LAB/log/knotd.log" 2>&1 &
	_lab_track $!
	"$STUB" --port 53 --upstream 127.0.0.1:5300 \
		--rule caa-timeout.com=timeout --rule servfail.com=servfail \
		--rule servfail.present.com=servfail --rule refused.com=refused \
		--rule trunc.present.com=truncate \
		--rule always-truncated.present.com=truncate-always \
		--rule garbage.present.com=garbage >"$LAB/log/stub.log" 2>&1 &
	pid=$!
	_lab_track "$pid"
	deadline=$(($(date +%s) + LAB_WAIT_MAX))
	until kdig @127.0.0.1 -p 53 +short +time=1 +retry=0 present.com CAA 2>/dev/null |
		grep -q letsencrypt; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			sed 's/^/# /' "$LAB/log/knotd.log" "$LAB/log/stub.log"
			lab_bail "CAA DNS lab did not come up (logs above)"
		fi
		sleep 0.05
	done
}

CAA="$top_builddir/tools/caacheck"
STUB="$top_builddir/tests/servers/dnsstub"
lab_need_built "$CAA" "$STUB"
ACCT=https://letsencrypt.org/acct/reg/123
caa_dns_start

# check NAME EXIT VERDICT RELEVANT [OPTIONS...]: RELEVANT "" is none.
check() {
	local name=$1 want=$2 verdict=$3 rel=$4 relq=null
	shift 4
	[ -n "$rel" ] && relq="\"$rel\""
	assert_exit "$want" "$name $*: exit $want" \
		"$CAA" "$DNS" -t 3 --json --account-uri="$ACCT" "$@" "$name"
	assert_jq ".verdict == \"$verdict\" and .relevant_name == $relq" \
		"$name: $verdict, relevant set at ${rel:-none}"
}

# check_code NAME CODE: the last run reported problem CODE.
check_code() {
	assert_jq "has_problem(\"$1\")" "$2: problem $1"
}

tap_plan 152

# Boulder's TestCAAChecking, row by row.
check reserved.com 2 refused reserved.com
check_code caa_forbids_issuer reserved.com
assert_jq '.reason == "While processing CAA for reserved.com: CAA record for reserved.com prevents issuance"' \
	"reserved.com: Boulder's wording"
check mixedcase.com 2 refused mixedcase.com
check critical.com 2 refused critical.com
check nx.critical.com 2 refused critical.com
check absent.com 0 allowed ""
check example.co.uk 0 allowed ""
check present.com 0 allowed present.com
check child.present.com 0 allowed present.com
check present.servfail.com 0 allowed present.servfail.com
check multi-crit-present.com 0 allowed multi-crit-present.com
check unknown-critical.com 2 refused unknown-critical.com
check_code caa_critical_unknown unknown-critical.com
check unknown-critical2.com 2 refused unknown-critical2.com
assert_jq '.rfc_notes | any(test("flag 1"))' "unknown-critical2.com: notes where the RFC reads differently"
check unknown-noncritical.com 0 allowed unknown-noncritical.com
check '*.unknown-noncritical.com' 0 allowed unknown-noncritical.com
check present-with-parameter.com 0 allowed present-with-parameter.com
check present-with-invalid-tag.com 2 refused present-with-invalid-tag.com
check_code caa_malformed_record present-with-invalid-tag.com
check present-with-invalid-value.com 2 refused present-with-invalid-value.com
check present-dns-only.com 2 refused present-dns-only.com
check present-dns-only.com 0 allowed present-dns-only.com --method=dns-01
check present-http-only.com 0 allowed present-http-only.com
check present-http-or-dns.com 0 allowed present-http-or-dns.com
check present-correct-accounturi.com 0 allowed present-correct-accounturi.com
check present-http-only-correct-accounturi.com 0 allowed present-http-only-correct-accounturi.com
check present-dns-only-correct-accounturi.com 2 refused present-dns-only-correct-accounturi.com
check present-http-only-incorrect-accounturi.com 2 refused present-http-only-incorrect-accounturi.com
check present-incorrect-accounturi.com 2 refused present-incorrect-accounturi.com
check present-multiple-accounturi.com 0 allowed present-multiple-accounturi.com
check unsatisfiable.com 2 refused unsatisfiable.com
check '*.unsatisfiable.com' 2 refused unsatisfiable.com
check '*.unsatisfiable-wildcard.com' 2 refused unsatisfiable-wildcard.com
check '*.unsatisfiable-wildcard-override.com' 2 refused unsatisfiable-wildcard-override.com
check '*.satisfiable-wildcard.com' 0 allowed satisfiable-wildcard.com
check '*.satisfiable-multi-wildcard.com' 0 allowed satisfiable-multi-wildcard.com
check '*.satisfiable-wildcard-override.com' 0 allowed satisfiable-wildcard-override.com
check satisfiable-wildcard-override.com 2 refused satisfiable-wildcard-override.com

# DNS failures: an error below any record set decides; above it, not.
check servfail.present.com 2 refused ""
check_code caa_dns_error servfail.present.com
assert_jq '.reason | test("DNS problem: SERVFAIL looking up CAA for servfail.present.com - the domain.s nameservers may be malfunctioning")' \
	"servfail.present.com: Boulder's SERVFAIL wording"
check example.gonetld 2 refused ""
assert_jq '.reason | test("NXDOMAIN looking up CAA for gonetld")' \
	"example.gonetld: NXDOMAIN at the TLD is an error"
assert_jq '.rfc_notes | any(test("TLD"))' "example.gonetld: RFC note on NXDOMAIN at a TLD"
check refused.com 2 refused ""
assert_jq '.reason | test("DNS problem: REFUSED looking up CAA for refused.com$")' \
	"refused.com: REFUSED wording"
check caa-timeout.com 2 refused ""
assert_jq '.reason | test("query timed out looking up CAA for caa-timeout.com")' \
	"caa-timeout.com: timeout wording"
assert_elapsed_max 3.5 "caa-timeout.com: within -t plus 0.5 s"
check trunc.present.com 0 allowed present.com
check always-truncated.present.com 2 refused ""
assert_jq '.reason | test("response was truncated looking up CAA")' \
	"always-truncated.present.com: truncation wording"
assert_elapsed_max 3.5 "always-truncated.present.com: within -t plus 0.5 s"
check garbage.present.com 2 refused ""
check_code caa_dns_error garbage.present.com
assert_elapsed_max 3.5 "garbage.present.com: within -t plus 0.5 s"

# Aliases: records at the end of a CNAME chain count for the name
# queried; without records there, climbing goes on at the original
# parent, not the target's (RFC 8659, not RFC 6844).
check www.cname-caa.com 2 refused www.cname-caa.com
assert_jq '.cname_chain == ["target.cdn-forbid.com"]' "www.cname-caa.com: CNAME chain reported"
check www.cname-nocaa.com 0 allowed cname-nocaa.com

# More record shapes.
check empty-value.com 2 refused empty-value.com
check wildonly.com 0 allowed wildonly.com
check '*.wildonly.com' 2 refused wildonly.com
check iodefonly.com 0 allowed iodefonly.com
check upper-issuer.com 2 refused upper-issuer.com
assert_jq 'any(.problems[]; .code == "caa_malformed_record" and (.message | test("case-sensitive")))' \
	"upper-issuer.com: lint explains the exact match"
check dot-issuer.com 2 refused dot-issuer.com
check_code caa_malformed_record dot-issuer.com
check hyphen-tag.com 2 refused hyphen-tag.com
assert_jq '.rfc_notes | any(test("allows .-. inside a parameter tag"))' "hyphen-tag.com: RFC note"
check dup-accounturi.com 2 refused dup-accounturi.com
check_code caa_malformed_record dup-accounturi.com
check stray-comma.com 2 refused stray-comma.com
check typo-tag.com 1 allowed typo-tag.com

# The seed: a dynamic-DNS parent that forbids every CA.
check myhost.iptime-like.test 2 refused iptime-like.test
assert_jq '.reason == "While processing CAA for myhost.iptime-like.test: CAA record for iptime-like.test prevents issuance"' \
	"iptime-like: the CA's own sentence"
assert_jq '.problems[0].hint | test("own.*myhost.iptime-like.test")' \
	"iptime-like: the hint says to add a record on the user's own name"
check own.iptime-like.test 0 allowed own.iptime-like.test
check x.wildprovider.test 2 refused x.wildprovider.test

# IDN names in Unicode and A-label form.
check 테스트.test 0 allowed xn--9t4b11yi5a.test
check xn--9t4b11yi5a.test 0 allowed xn--9t4b11yi5a.test

# Output formats, several names, bad input.
lab_run "$CAA" "$DNS" --nagios present.com reserved.com
assert_true "nagios: exit 2 for two names, one refused" test "$LAB_RC" = 2
assert_first_line '^CAA CRITICAL - 2 targets: 1 critical' "nagios: summary line first"
lab_run "$CAA" "$DNS" --nagios present.com
assert_first_line '^CAA OK - present.com: .* \| records=1(\.00)?;;;0 dns_time=[0-9.]+s;;;0$' \
	"nagios: one name, perfdata records and dns_time"
assert_exit 3 "no DNS server answering: exit 3" "$CAA" --dns-server=127.0.0.1:5399 -t 2 present.com
assert_elapsed_max 2.5 "no DNS server answering: within -t plus 0.5 s"
assert_exit 3 "--method=bogus: exit 3" "$CAA" "$DNS" --method=bogus present.com
assert_true "--method=bogus: stderr says why" grep -qF -- "--method 'bogus': want http-01, dns-01" "$LAB_ERR"
assert_exit 3 "bad domain: exit 3" "$CAA" "$DNS" 'bad domain.com'
assert_true "bad domain: stderr says why" grep -qF "'bad domain.com' is not a domain name" "$LAB_ERR"
assert_exit 3 "no domain: exit 3" "$CAA" "$DNS"
assert_true "no domain: stderr says why" grep -qF "no DOMAIN given" "$LAB_ERR"
