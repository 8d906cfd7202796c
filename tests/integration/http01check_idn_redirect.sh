#!/usr/bin/env bash
# http01check_idn_redirect.sh: a redirect to an internationalised host
# (http://ë.example.com/) is judged, resolved, pinned and fetched as its
# A-label, xn--cda.example.com.  The trap: the system resolver (a
# private /etc/hosts in the lab's mount namespace) says 127.0.0.9, where
# a second nginx logs every request, while the lab's DNS answers
# 127.0.0.3 for both the A-label and the raw UTF-8 name.  A check that
# pins the UTF-8 name while libcurl fetches the xn-- name lets libcurl
# resolve it itself and reach 127.0.0.9.  libcurl converts IDNs only
# under a UTF-8 locale, so the library is also driven by h01_locale,
# which calls setlocale(LC_ALL, "") as most programs linking it do.
# jq filters are single-quoted on purpose: jq expands them.
# shellcheck disable=SC2016
set -eu
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig nginx mount
LOCALE_H01="$top_builddir/tests/helpers/h01_locale"
lab_need_built "$HTTP01CHECK" "$LOCALE_H01"

tap_plan 15

# The system resolver's view: files first, the A-label at the trap.
printf '127.0.0.1 localhost\n127.0.0.9 xn--cda.example.com\n' >"$LAB/hosts"
printf 'hosts: files\n' >"$LAB/nsswitch.conf"
mount --bind "$LAB/hosts" /etc/hosts 2>/dev/null &&
	mount --bind "$LAB/nsswitch.conf" /etc/nsswitch.conf 2>/dev/null ||
	lab_skip_all "cannot bind-mount /etc/hosts in the lab's mount namespace"
[ "$(getent hosts xn--cda.example.com | cut -d' ' -f1)" = 127.0.0.9 ] ||
	lab_bail "the private /etc/hosts is not used by the system resolver"

lab_pki
LAB_H01_TWIN_EXTRA='xn--cda A 127.0.0.3
\195\171 A 127.0.0.3' lab_http01_site
lab_dns_start
lab_nginx_serve trap 80:1 <<EOF
    access_log $LAB/log/trap.log;
    server { listen 127.0.0.9:80; location / { return 200 "trap"; } }
EOF
: >"$LAB/log/trap.log"

KA=$LAB_KA
GOOD=http://xn--cda.example.com/.well-known/acme-challenge/good
trapped() { [ -s "$LAB/log/trap.log" ]; }

# The tool (C locale): the A-label, pinned to the lab DNS's answer.
for t in to-idn to-idn-pct; do
	assert_exit 0 "http01check $t: exit 0" "$HTTP01CHECK" "$DNS" --json \
		--allow-reserved -t 5 --token=$t --expect="$KA" web.test
	assert_jq '.attempts[0].hops[1] | .url == "'"$GOOD"'" and .address == "127.0.0.3" and .status == 200' \
		"http01check $t: fetched as the A-label from 127.0.0.3"
done
assert_true "http01check: the system resolver's address never reached" eval '! trapped'

# A library user under a UTF-8 locale: the same, and no escape.
for t in to-idn to-idn-pct; do
	assert_exit 0 "UTF-8 locale $t: exit 0" env LC_ALL=C.UTF-8 "$LOCALE_H01" \
		127.0.0.1:53 $t web.test
	assert_jq '.attempts[0].hops[1] | .url == "'"$GOOD"'" and .address == "127.0.0.3" and .status == 200' \
		"UTF-8 locale $t: fetched as the A-label from 127.0.0.3"
done
assert_true "UTF-8 locale: 127.0.0.9 (the system resolver's answer) never reached" eval '! trapped'

# A host that is no IDNA2008 name is refused, whatever the locale.
assert_exit 2 "http01check to-bad-idn: exit 2" "$HTTP01CHECK" "$DNS" --json \
	--allow-reserved -t 5 --token=to-bad-idn --expect="$KA" web.test
assert_problem http01_bad_redirect "Invalid host in redirect target: not a valid internationalised domain name" \
	"to-bad-idn: refused, libidn2's reason"
assert_exit 2 "UTF-8 locale to-bad-idn: exit 2" env LC_ALL=C.UTF-8 "$LOCALE_H01" \
	127.0.0.1:53 to-bad-idn web.test
assert_true "to-bad-idn: nothing reached the trap" eval '! trapped'
# The control: a request that does reach the trap is logged, so the
# three "never reached" checks above could have failed.
assert_true "the trap logs a request that reaches it" \
	eval 'exec 3<>/dev/tcp/127.0.0.9/80 && printf "GET / HTTP/1.0\r\n\r\n" >&3 && timeout 5 cat <&3 | grep -q trap; exec 3<&-; trapped'
