# shellcheck shell=bash
# daemons.sh: real mail, file-transfer, chat, directory and database
# servers for the --starttls tests, on their usual ports inside the lab's
# namespace, each with its own configuration and files under $LAB (the
# system's configuration is never read or touched).  Source it after
# lab.sh, call lab_enter_netns and lab_pki first.
#
#   lab_exim_start       SMTP 25 (STARTTLS) and 465 (implicit TLS); SNI
#                        expired.test gets the expired chain
#   lab_dovecot_start    IMAP 143, IMAPS 993, POP3 110, POP3S 995
#   lab_vsftpd_start     FTP 21 (AUTH TLS)
#   lab_prosody_start    XMPP 5222 for good.test
#   lab_slapd_start NAME PORT [LDAPS-PORT]   OpenLDAP slapd; without
#                        LDAPS-PORT it has no TLS at all (StartTLS refused)
#   lab_postgres_start   PostgreSQL 5432, ssl = on
#   lab_scripted_start PORT SCRIPT   tests/servers/scripted
#
# Exim, Dovecot and PostgreSQL switch to their own users: they need the
# lab's LAB_ALL_UIDS mode (lab_uids_ok).  Every server uses the "good"
# chain (good.test) unless said otherwise.

SCRIPTED="${SCRIPTED:-$top_builddir/tests/servers/scripted}"

# _lab_daemon_dir NAME OWNER: $LAB/NAME with copies of the good and
# expired chains and keys that OWNER (the user the server reads them as)
# may read and nobody else; sets REPLY to the directory.
_lab_daemon_dir() {
	local d="$LAB/$1" c
	# Servers that dropped root must reach their files under $LAB.
	chmod 711 "$LAB"
	mkdir -p "$d"
	for c in good expired; do
		cp "$LAB_PKI/$c.chain.pem" "$LAB_PKI/$c.key" "$d/"
		chmod 600 "$d/$c.key"
	done
	chown -R "$2" "$d"
	chmod 755 "$d"
	REPLY=$d
}

# _lab_daemon_wait PID LOG PORT...: every PORT listens (once each).
_lab_daemon_wait() {
	local pid=$1 log=$2 p
	shift 2
	for p in "$@"; do
		_lab_wait_port "$p" "$pid" "$log"
	done
}

lab_exim_start() {
	local d pid
	lab_require exim4
	_lab_daemon_dir exim Debian-exim
	d=$REPLY
	mkdir -p "$d/spool" "$d/log"
	chown Debian-exim "$d/spool" "$d/log"
	# Exim expands the certificate again once the client's SNI is known.
	cat >"$d/exim.conf" <<EOF
primary_hostname = good.test
spool_directory = $d/spool
log_file_path = $d/log/%slog
keep_environment =
daemon_smtp_ports = 25 : 465
tls_on_connect_ports = 465
local_interfaces = 127.0.0.1
tls_advertise_hosts = *
tls_certificate = \${if eq{\$tls_in_sni}{expired.test}{$d/expired.chain.pem}{$d/good.chain.pem}}
tls_privatekey = \${if eq{\$tls_in_sni}{expired.test}{$d/expired.key}{$d/good.key}}
acl_smtp_rcpt = refuse
begin acl
refuse:
  deny
EOF
	exim4 -C "$d/exim.conf" -bdf -oP "$d/exim.pid" \
		>"$LAB/log/exim.log" 2>&1 </dev/null &
	pid=$!
	lab_track "$pid"
	_lab_daemon_wait "$pid" "$LAB/log/exim.log" 25 465
}

lab_dovecot_start() {
	local d pid
	lab_require dovecot
	_lab_daemon_dir dovecot root
	d=$REPLY
	mkdir -p "$d/run" "$d/mail"
	cat >"$d/dovecot.conf" <<EOF
protocols = imap pop3
base_dir = $d/run
state_dir = $d/state
listen = 127.0.0.1
ssl = yes
ssl_cert = <$d/good.chain.pem
ssl_key = <$d/good.key
log_path = $d/dovecot.log
mail_location = maildir:$d/mail
passdb {
  driver = static
  args = nopassword=y
}
userdb {
  driver = static
  args = uid=root gid=root home=$d/mail
}
EOF
	dovecot -F -c "$d/dovecot.conf" >"$LAB/log/dovecot.log" 2>&1 </dev/null &
	pid=$!
	lab_track "$pid"
	_lab_daemon_wait "$pid" "$d/dovecot.log" 143 993 110 995
}

lab_vsftpd_start() {
	local d pid
	lab_require vsftpd
	_lab_daemon_dir vsftpd root
	d=$REPLY
	mkdir -p "$d/empty"
	# run_as_launching_user: no privilege separation, so no other user
	# is needed; nobody logs in anyway.
	cat >"$d/vsftpd.conf" <<EOF
listen=YES
listen_address=127.0.0.1
listen_port=21
background=NO
run_as_launching_user=YES
anonymous_enable=NO
local_enable=YES
ssl_enable=YES
rsa_cert_file=$d/good.chain.pem
rsa_private_key_file=$d/good.key
secure_chroot_dir=$d/empty
vsftpd_log_file=$d/vsftpd.log
xferlog_enable=NO
EOF
	vsftpd "$d/vsftpd.conf" >"$LAB/log/vsftpd.log" 2>&1 </dev/null &
	pid=$!
	lab_track "$pid"
	_lab_daemon_wait "$pid" "$LAB/log/vsftpd.log" 21
}

lab_prosody_start() {
	local d pid
	lab_require prosody
	_lab_daemon_dir prosody root
	d=$REPLY
	mkdir -p "$d/data"
	cat >"$d/prosody.cfg.lua" <<EOF
run_as_root = true
pidfile = "$d/prosody.pid"
data_path = "$d/data"
daemonize = false
log = { { levels = { min = "info" }, to = "file", filename = "$d/prosody.log" } }
interfaces = { "127.0.0.1" }
c2s_ports = { 5222 }
c2s_direct_tls_ports = { }
s2s_ports = { }
component_ports = { }
http_ports = { }
https_ports = { }
modules_enabled = { "tls", "disco" }
modules_disabled = { "s2s" }
VirtualHost "good.test"
  ssl = { certificate = "$d/good.chain.pem", key = "$d/good.key" }
EOF
	prosody --config "$d/prosody.cfg.lua" >"$LAB/log/prosody.log" 2>&1 \
		</dev/null &
	pid=$!
	lab_track "$pid"
	_lab_daemon_wait "$pid" "$d/prosody.log" 5222
}

# lab_slapd_start NAME PORT [LDAPS-PORT]
lab_slapd_start() {
	local name=$1 port=$2 ldaps=${3:-} d pid urls
	lab_require slapd
	_lab_daemon_dir "slapd-$name" root
	d=$REPLY
	mkdir -p "$d/db"
	urls="ldap://127.0.0.1:$port/"
	{
		echo "include /etc/ldap/schema/core.schema"
		echo "pidfile $d/slapd.pid"
		if [ -n "$ldaps" ]; then
			echo "TLSCertificateFile $d/good.chain.pem"
			echo "TLSCertificateKeyFile $d/good.key"
			urls="$urls ldaps://127.0.0.1:$ldaps/"
		fi
		echo "database ldif"
		echo "suffix \"dc=test\""
		echo "directory $d/db"
	} >"$d/slapd.conf"
	# -d 0: stay in the foreground, log nothing.
	slapd -f "$d/slapd.conf" -h "$urls" -d 0 >"$LAB/log/slapd-$name.log" \
		2>&1 </dev/null &
	pid=$!
	lab_track "$pid"
	# shellcheck disable=SC2086 # no LDAPS port: nothing to wait for
	_lab_daemon_wait "$pid" "$LAB/log/slapd-$name.log" "$port" $ldaps
}

lab_postgres_start() {
	local d pid bin
	# The newest installed major version.
	bin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
	[ -x "$bin/postgres" ] ||
		lab_skip_all "postgres not installed (needed by this test)"
	_lab_daemon_dir postgres postgres
	d=$REPLY
	setpriv --reuid=postgres --regid=postgres --init-groups \
		"$bin/initdb" -D "$d/data" -A trust -U postgres \
		>"$LAB/log/initdb.log" 2>&1 ||
		lab_bail "initdb failed ($(tail -n 3 "$LAB/log/initdb.log"))"
	setpriv --reuid=postgres --regid=postgres --init-groups \
		"$bin/postgres" -D "$d/data" -c listen_addresses=127.0.0.1 \
		-c port=5432 -c unix_socket_directories= -c ssl=on \
		-c ssl_cert_file="$d/good.chain.pem" \
		-c ssl_key_file="$d/good.key" \
		>"$LAB/log/postgres.log" 2>&1 </dev/null &
	pid=$!
	lab_track "$pid"
	_lab_daemon_wait "$pid" "$LAB/log/postgres.log" 5432
}

# lab_scripted_start PORT < SCRIPT: the scripted peer plays SCRIPT (see
# tests/servers/scripted.c) to every connection on 127.0.0.1:PORT.
lab_scripted_start() {
	local port=$1 pid
	lab_need_built "$SCRIPTED"
	cat >"$LAB/run/script-$port"
	"$SCRIPTED" --port "$port" --script "$LAB/run/script-$port" \
		>"$LAB/log/scripted-$port.log" 2>&1 </dev/null &
	pid=$!
	lab_track "$pid"
	_lab_wait_port "$port" "$pid" "$LAB/log/scripted-$port.log"
}
