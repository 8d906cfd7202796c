#!/usr/bin/env bash
# certcheck_starttls.sh: --starttls against real servers on their usual
# ports in the lab: Exim (SMTP 25, SMTPS 465), Dovecot (IMAP 143, IMAPS
# 993, POP3 110, POP3S 995), vsftpd (FTP 21), Prosody (XMPP 5222),
# OpenLDAP slapd (389, LDAPS 636, and one without TLS), PostgreSQL
# (5432, ssl = on).  After STARTTLS the whole certificate check runs:
# chain, names, expiry (an expired certificate over STARTTLS is exit 2).
# Exim, Dovecot and PostgreSQL need the lab's LAB_ALL_UIDS mode (real
# root); without it their cases skip, or bail out under
# CERTDIAG_LAB_REQUIRE=1.
# jq filters are single-quoted on purpose: they expand later.
# shellcheck disable=SC2016
set -eu
LAB_ALL_UIDS=1
. "${srcdir:-$(dirname "$0")/../..}/tests/lab/lab.sh"
. "$top_srcdir/tests/lab/daemons.sh"
lab_enter_netns "$@"
lab_require knotd kdig slapd vsftpd prosody
lab_need_built "$CERTCHECK"

tap_plan 42

lab_pki
lab_dns_start
lab_vsftpd_start
lab_prosody_start
lab_slapd_start tls 389 636
lab_slapd_start notls 1389
UIDS=0
if lab_uids_ok; then
	UIDS=1
	lab_exim_start
	lab_dovecot_start
	lab_postgres_start
elif [ "${CERTDIAG_LAB_REQUIRE:-0}" = 1 ]; then
	lab_bail "Exim, Dovecot and PostgreSQL need other users: run as root"
fi

# skip_n N: the next N assertions need servers this lab cannot run.
skip_n() {
	local i
	for ((i = 0; i < $1; i++)); do
		tap_skip "needs Exim/Dovecot/PostgreSQL" "run as root for other users in the lab"
	done
}

if [ "$UIDS" = 1 ]; then
	# SMTP on port 25, found without a port in the target.
	lab_check 0 "smtp: exit 0" --starttls=smtp good.test
	assert_jq '.status == "OK" and .problems == [] and .starttls == "smtp" and .port == 25' \
		"smtp: OK, starttls and default port 25 in JSON"
	assert_jq '.verify.trusted and .hostname_match and (.chain | length == 2) and .chain[0].san == ["good.test"]' \
		"smtp: the real chain was checked after STARTTLS"
	# Over STARTTLS, the expired certificate (Exim picks it by SNI).
	lab_check 2 "smtp expired: exit 2" --starttls=smtp --sni=expired.test good.test:25
	assert_jq 'severities("cert_expired") == ["CRITICAL"] and .starttls == "smtp"' \
		"smtp expired: cert_expired CRITICAL"
	# Implicit TLS on 465 needs nothing new.
	lab_check 0 "smtps 465: exit 0 without --starttls" good.test:465
	assert_jq '.problems == [] and (has("starttls") | not)' "smtps: no starttls field"
	# Text and Nagios say it.
	assert_exit 0 "smtp text: exit 0" "$CERTCHECK" "$DNS" "--cafile=$LAB_PKI/root.pem" \
		--starttls=smtp good.test
	assert_first_line '^good\.test  OK  good\.test valid for .*\(STARTTLS smtp\)$' \
		"smtp text: verdict names STARTTLS smtp"
	assert_true "smtp text: a starttls line" grep -Eq '^  starttls +smtp$' "$LAB_OUT"
	assert_exit 0 "smtp nagios: exit 0" "$CERTCHECK" "$DNS" "--cafile=$LAB_PKI/root.pem" \
		--nagios --starttls=smtp good.test
	assert_first_line '^CERT OK - good\.test: good\.test valid .*\(STARTTLS smtp\) \| days_left=' \
		"smtp nagios: summary names STARTTLS smtp"

	# Dovecot: IMAP and POP3 with STARTTLS, and their implicit-TLS ports.
	lab_check 0 "imap: exit 0" --starttls=imap good.test
	assert_jq '.problems == [] and .starttls == "imap" and .port == 143 and .verify.trusted' \
		"imap: OK on default port 143"
	lab_check 0 "imaps 993: exit 0" good.test:993
	lab_check 0 "pop3: exit 0" --starttls=pop3 good.test
	assert_jq '.problems == [] and .starttls == "pop3" and .port == 110' \
		"pop3: OK on default port 110"
	lab_check 0 "pop3s 995: exit 0" good.test:995
	# The wrong protocol for the port: a clear finding, not a hang.
	lab_check 2 "imap on the SMTP port: exit 2" --starttls=imap good.test:25
	assert_problem starttls_failed "not an IMAP greeting" \
		"imap on the SMTP port: starttls_failed quotes the greeting"

	# PostgreSQL's SSLRequest.
	lab_check 0 "postgres: exit 0" --starttls=postgres good.test
	assert_jq '.problems == [] and .starttls == "postgres" and .port == 5432 and (.chain | length == 2)' \
		"postgres: OK on default port 5432"
else
	skip_n 22
fi

# vsftpd: AUTH TLS.
lab_check 0 "ftp: exit 0" --starttls=ftp good.test
assert_jq '.problems == [] and .starttls == "ftp" and .port == 21 and .verify.trusted' \
	"ftp: OK on default port 21"

# Prosody: the stream names the domain (the SNI name).
lab_check 0 "xmpp: exit 0" --starttls=xmpp good.test
assert_jq '.problems == [] and .starttls == "xmpp" and .port == 5222 and .hostname_match' \
	"xmpp: OK on default port 5222"
lab_check 2 "xmpp for a domain Prosody does not serve: exit 2" \
	--starttls=xmpp --sni=expired.test good.test
assert_problem starttls_refused "stream error <host-unknown/>" \
	"xmpp unknown domain: starttls_refused names the stream error"

# slapd: the StartTLS extended operation, LDAPS, and a refusal.
lab_check 0 "ldap: exit 0" --starttls=ldap good.test
assert_jq '.problems == [] and .starttls == "ldap" and .port == 389 and (.chain | length == 2)' \
	"ldap: OK on default port 389"
lab_check 0 "ldaps 636: exit 0" good.test:636
lab_check 2 "ldap without TLS: exit 2" --starttls=ldap good.test:1389
assert_problem starttls_refused "StartTLS refused: resultCode" \
	"ldap without TLS: starttls_refused with the resultCode"
assert_jq '.status == "CRITICAL" and (.problems | length == 1) and (has("chain") | not)' \
	"ldap without TLS: only the refusal, no chain"
assert_exit 2 "ldap without TLS, nagios: exit 2" "$CERTCHECK" "$DNS" \
	"--cafile=$LAB_PKI/root.pem" --nagios --starttls=ldap good.test:1389
assert_first_line '^CERT CRITICAL - good\.test:1389: 127\.0\.0\.1:1389 \(ldap\): StartTLS refused: ' \
	"ldap without TLS, nagios: the refusal is the summary"

# Plain TLS against a STARTTLS port: the hint says --starttls.
lab_check 2 "ldap port without --starttls: exit 2" good.test:389
assert_jq 'has_problem("tls_handshake_failed") and any(.problems[]; .hint | test("--starttls"))' \
	"ldap port without --starttls: the hint names --starttls"

# Bad usage.
assert_exit 3 "--starttls=gopher: exit 3" "$CERTCHECK" --starttls=gopher good.test
assert_true "--starttls=gopher: stderr lists the protocols" \
	grep -q "smtp, imap, pop3, ftp, xmpp, ldap or postgres" "$LAB_ERR"
assert_exit 3 "--starttls with --cert: exit 3" "$CERTCHECK" --starttls=smtp \
	--cert "$LAB_PKI/good.chain.pem"
assert_true "--starttls with --cert: says why" \
	grep -qF -- "--starttls goes with a TARGET, not with --cert" "$LAB_ERR"
