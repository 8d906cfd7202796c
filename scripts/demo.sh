#!/usr/bin/env bash
# The offline demo: a throwaway CA, two TLS servers on loopback (one
# healthy, one with the classic mistakes), and certcheck on both.
# Usage: scripts/demo.sh [certcheck options...]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

cd "$work"
key() { certtool --generate-privkey --key-type=ecdsa --outfile "$1" 2>/dev/null; }
tmpl() {	# name cn days_before days_after [ca]
	{
		echo "cn = \"$2\""
		echo "activation_date = \"$(date -u -d "-$3 days" '+%Y-%m-%d %H:%M:%S')\""
		echo "expiration_date = \"$(date -u -d "+$4 days" '+%Y-%m-%d %H:%M:%S')\""
		if [ "${5:-}" = ca ]; then
			echo ca; echo cert_signing_key; echo crl_signing_key
		else
			echo 'dns_name = "localhost"'; echo tls_www_server
		fi
	} >"$1.tmpl"
}
key root.key; tmpl root "certdiag demo root" 1 3650 ca
certtool --generate-self-signed --load-privkey root.key --template root.tmpl --outfile root.pem 2>/dev/null
key int.key; tmpl int "certdiag demo intermediate" 1 1825 ca
certtool --generate-certificate --load-privkey int.key --template int.tmpl \
	--load-ca-certificate root.pem --load-ca-privkey root.key --outfile int.pem 2>/dev/null
# good: 90-day certificate, 60 days left, served with its intermediate
key good.key; tmpl good localhost 30 60
certtool --generate-certificate --load-privkey good.key --template good.tmpl \
	--load-ca-certificate int.pem --load-ca-privkey int.key --outfile good.pem 2>/dev/null
cat good.pem int.pem >good.chain.pem
# bad: renewal has failed (5 days left) and only cert.pem is served
key bad.key; tmpl bad localhost 85 5
certtool --generate-certificate --load-privkey bad.key --template bad.tmpl \
	--load-ca-certificate int.pem --load-ca-privkey int.key --outfile bad.pem 2>/dev/null

# A free port: gnutls-serv exits at once when the port is taken.
serve() {	# chain key -> prints "port pid"
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		port=$(( $(od -An -N2 -tu2 /dev/urandom) % 20000 + 30000 ))
		gnutls-serv --x509certfile "$1" --x509keyfile "$2" -p "$port" >/dev/null 2>&1 &
		pid=$!
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			if ! kill -0 "$pid" 2>/dev/null; then break; fi
			if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
				echo "$port $pid"; return 0
			fi
			sleep 0.1
		done
		kill "$pid" 2>/dev/null || true
	done
	echo "demo: cannot start gnutls-serv" >&2; exit 3
}
read -r p1 pid <<<"$(serve good.chain.pem good.key)"
pids="$pids $pid"
read -r p2 pid <<<"$(serve bad.pem bad.key)"
pids="$pids $pid"

echo "certcheck --cafile=demo-root.pem localhost:$p1 localhost:$p2"
echo
set +e
"$top/tools/certcheck" --cafile="$work/root.pem" "$@" "localhost:$p1" "localhost:$p2"
rc=$?
echo "(exit status $rc: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)"
exit "$rc"
