#!/usr/bin/env bash
# readme-examples.sh: run every command of README.md's "Worked examples"
# for real, in the test lab (tests/lab/lab.sh: a private network
# namespace, knot DNS, nginx, the lab PKI, the hostile server), and print
# each example as the README shows it.  With --update, write them into
# README.md between the "<!-- example: NAME -->" and "<!-- /example -->"
# markers.  Needs a built tree (make) and the test dependencies
# (scripts/deps.sh test).  EXAMPLES=NAME,NAME runs (and updates) only
# those, leaving the other blocks as they are.
#
#   [EXAMPLES=NAME,...] scripts/readme-examples.sh [--update]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
srcdir=$top top_srcdir=$top top_builddir=${top_builddir:-$top}
export srcdir top_srcdir top_builddir
. "$top/tests/lab/lab.sh"
lab_enter_netns "$@"
lab_require knotd kdig nginx
update=0
[ "${1:-}" != --update ] || update=1

# The PKI: the lab's root and intermediate stand in for a public CA (and
# for a company's private CA in that example).
lab_pki
lab_idn
_lab_leaf shop int -30 60 ecdsa shop.example.test www.shop.example.test
_lab_leaf intranet int -30 60 ecdsa intranet.example.test
_lab_leaf api int -75 15 ecdsa api.example.test
# A 397-day commercial certificate with 100 days left.
_lab_leaf vendor int -297 100 ecdsa vendor.example.test
_lab_chain vendor vendor int
_lab_chain shop shop              # nginx ssl_certificate cert.pem
_lab_chain intranet intranet int
_lab_chain api api int
_lab_leaf legacy int -30 60 rsa old.example.test
_lab_chain legacy legacy int
_lab_leaf dual-new int -5 85 ecdsa www.example.test
_lab_leaf dual-old int -100 -10 ecdsa www.example.test
_lab_chain dual-new dual-new int
_lab_chain dual-old dual-old int
_lab_leaf app int -5 85 ecdsa app.example.test
_lab_chain app app int
cp "$LAB_PKI/root.pem" "$LAB/lab-root.pem"
cp "$LAB_PKI/root.pem" "$LAB/company-root.pem"

# DNS: a dynamic-DNS provider's zone whose CAA record forbids every CA,
# a customer who added their own record, and the sites below.
lab_dns_add 'iptime-like CAA 0 issue ";"' \
	'myhost.iptime-like A 127.0.0.1' \
	'fixed.iptime-like CAA 0 issue "letsencrypt.org"' \
	'fixed.iptime-like A 127.0.0.1' \
	'shop.example A 127.0.0.1' 'www.shop.example A 127.0.0.1' \
	'intranet.example A 127.0.0.1' 'api.example A 127.0.0.1' \
	'vendor.example A 127.0.0.1' \
	'blog.example A 127.0.0.2' 'home.example A 127.0.0.1' \
	'site.example A 127.0.0.3' 'old.example A 127.0.0.4' \
	'www.example A 127.0.0.5' 'www.example AAAA ::1' \
	'app.example A 127.0.0.6'
lab_dns_start
# A private signed DNS tree (root, TLDs, broken zones) for the CA's
# view: tests/lab/dnstree.sh.
. "$top/tests/lab/dnstree.sh"
dnstree_start

# nginx: the HTTPS sites on 127.0.0.1:443 (SNI), site.example.test on
# 127.0.0.3:80 (web root $LAB/www), and blog.example.test on
# 127.0.0.2:80, which sends everything to https on port 8443.
{
	for c in shop:shop.example.test intranet:intranet.example.test \
		api:api.example.test vendor:vendor.example.test \
		idn:xn--9t4b11yi5a.xn--3e0b707e; do
		cat <<NGINX
    server {
        listen 127.0.0.1:443 ssl;
        server_name ${c#*:};
        ssl_certificate $LAB_PKI/${c%%:*}.chain.pem;
        ssl_certificate_key $LAB_PKI/${c%%:*}.key;
        return 200 "${c#*:}\n";
    }
NGINX
	done
	cat <<NGINX
    server {
        listen 127.0.0.3:80;
        server_name site.example.test;
        root $LAB/www;
    }
NGINX
	# old.example.test: set up the way old guides said, on an address
	# of its own (nginx takes ssl_protocols from a socket's default
	# server); OpenSSL 3 needs @SECLEVEL=0 to really accept TLS 1.0.
	cat <<NGINX
    server {
        listen 127.0.0.4:443 ssl;
        server_name old.example.test;
        ssl_certificate $LAB_PKI/legacy.chain.pem;
        ssl_certificate_key $LAB_PKI/legacy.key;
        ssl_protocols TLSv1 TLSv1.1 TLSv1.2;
        ssl_ciphers DEFAULT:@SECLEVEL=0;
    }
NGINX
	# www.example.test: renewed on 127.0.0.5, but the old server behind
	# the AAAA record (::1) still has last quarter's certificate.
	cat <<NGINX
    server {
        listen 127.0.0.5:443 ssl;
        server_name www.example.test;
        ssl_certificate $LAB_PKI/dual-new.chain.pem;
        ssl_certificate_key $LAB_PKI/dual-new.key;
    }
    server {
        listen [::1]:443 ssl;
        server_name www.example.test;
        ssl_certificate $LAB_PKI/dual-old.chain.pem;
        ssl_certificate_key $LAB_PKI/dual-old.key;
    }
NGINX
	# app.example.test: nginx terminates TLS on 127.0.0.6:443 and
	# proxies to Caddy, which speaks plain HTTP behind it.
	cat <<NGINX
    server {
        listen 127.0.0.6:443 ssl;
        server_name app.example.test;
        ssl_certificate $LAB_PKI/app.chain.pem;
        ssl_certificate_key $LAB_PKI/app.key;
        location / { proxy_pass http://127.0.0.6:8080; }
    }
NGINX
	cat <<'NGINX'
    server {
        listen 127.0.0.2:80;
        server_name blog.example.test;
        return 301 https://$host:8443$request_uri;
    }
NGINX
} >"$LAB/sites.conf"
mkdir -p "$LAB/www"
# The challenge file of site.example.test as a Windows editor saves it:
# UTF-8 with a byte-order mark, and a CRLF (which the CA trims).
mkdir -p "$LAB/www/.well-known/acme-challenge"
printf '\357\273\277%s\r\n' \
	evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.0sLJmkSTBNCSjxhwt1qXR7BovNQt8Zy2VOsk2h5KrhM \
	>"$LAB/www/.well-known/acme-challenge/evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"
lab_nginx_serve sites 443:5 80:2 <"$LAB/sites.conf"
# Caddy, HTTP only on 127.0.0.6:8080 behind that nginx; its state stays
# under $LAB.
lab_require caddy
cat >"$LAB/Caddyfile" <<CADDY
{
	admin off
	auto_https off
	storage file_system $LAB/caddy
}
http://app.example.test:8080 {
	bind 127.0.0.6
	respond "Hello from Caddy"
}
CADDY
XDG_DATA_HOME=$LAB/caddy XDG_CONFIG_HOME=$LAB/caddy HOME=$LAB \
	caddy run --config "$LAB/Caddyfile" --adapter caddyfile \
	>"$LAB/log/caddy.log" 2>&1 </dev/null &
lab_track $!
_lab_wait_port 8080 $! "$LAB/log/caddy.log"
# home.example.test: a firewall drops every packet to port 80.
lab_hostile_start blackhole 80

for t in certcheck caacheck http01check dns01check tlsalpn01check; do
	lab_nagios_link "$t" "$t"
done
lab_nagios_link check_cert certcheck
PATH="$LAB/bin:$PATH"
cd "$LAB"
mkdir -p ex
cp "$DNSTREE_HINTS" lab-root.hints
cp "$DNSTREE_TA" lab-root.ds

# ex NAME COMMAND...: run each COMMAND as a user types it, output below.
ex() {
	local name=$1 c
	shift
	case ",${EXAMPLES:-$name}," in
	*",$name,"*) ;;
	*) return 0 ;;
	esac
	{
		echo '```'
		for c in "$@"; do
			printf '$ %s\n' "$c"
			(eval "$c") 2>&1 || true
		done
		echo '```'
	} >"ex/$name.md"
	cat "ex/$name.md"
}

ex caa-ddns \
	'caacheck --dns-server=127.0.0.1 myhost.iptime-like.test; echo "exit $?"' \
	'caacheck --dns-server=127.0.0.1 fixed.iptime-like.test; echo "exit $?"'
ex ds-left-behind \
	'caacheck --root-hints=lab-root.hints --trust-anchor=lab-root.ds staleds.com; echo "exit $?"' \
	'caacheck --root-hints=lab-root.hints --trust-anchor=lab-root.ds --dns-server=127.0.53.2 --json staleds.com | jq -c "[.problems[] | {code, severity}]"'
ex dns01-acmedns-secondary \
	"dns01check --root-hints=lab-root.hints --trust-anchor=lab-root.ds --expect=$DNSTREE_DNS01_TXT '*.shop.dns01.com'; echo \"exit \$?\""
ex dnspersist-account \
	"dns01check --root-hints=lab-root.hints --trust-anchor=lab-root.ds --method=dns-persist-01 --account-uri=$DNSTREE_ACCOUNT_URI p-other.dns01.com; echo \"exit \$?\"" \
	"dns01check --root-hints=lab-root.hints --trust-anchor=lab-root.ds --method=dns-persist-01 --json p-other.dns01.com | jq -c '.records[] | {txt, for_this_ca, accounturi}'"
ex cert-pem \
	'certcheck --dns-server=127.0.0.1 --cafile=lab-root.pem shop.example.test; echo "exit $?"'
ex protocols \
	'certcheck --dns-server=127.0.0.1 --cafile=lab-root.pem --protocols old.example.test; echo "exit $?"' \
	'check_cert --dns-server=127.0.0.1 --cafile=lab-root.pem --protocols old.example.test; echo "exit $?"'
ex all-addresses \
	'check_cert --dns-server=127.0.0.1 --cafile=lab-root.pem --all-addresses www.example.test; echo "exit $?"' \
	'certcheck --dns-server=127.0.0.1 --cafile=lab-root.pem --all-addresses --json www.example.test | jq -c "{address, status, problems: [.problems[] | .code]}"'
ex http01-redirect \
	'http01check --dns-server=127.0.0.1 --allow-reserved blog.example.test; echo "exit $?"'
ex http01-webroot \
	'http01check --dns-server=127.0.0.1 --allow-reserved --webroot=www site.example.test; echo "exit $?"'
ex http01-bom \
	'http01check --dns-server=127.0.0.1 --allow-reserved --token=evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA --expect=evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.0sLJmkSTBNCSjxhwt1qXR7BovNQt8Zy2VOsk2h5KrhM site.example.test; echo "exit $?"'
ex http01-firewall \
	'http01check --dns-server=127.0.0.1 --allow-reserved -t 5 home.example.test; echo "exit $?"'
ex tlsalpn01-proxy \
	'tlsalpn01check --dns-server=127.0.0.1 --allow-reserved --key-authorization=evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.0sLJmkSTBNCSjxhwt1qXR7BovNQt8Zy2VOsk2h5KrhM app.example.test; echo "exit $?"'
ex expiring \
	'check_cert --dns-server=127.0.0.1 --cafile=lab-root.pem api.example.test; echo "exit $?"' \
	'check_cert --dns-server=127.0.0.1 --cafile=lab-root.pem -w 20 -c 16 api.example.test; echo "exit $?"'
ex operator \
	'check_cert --dns-server=127.0.0.1 --cafile=lab-root.pem vendor.example.test; echo "exit $?"' \
	'check_cert --dns-server=127.0.0.1 --cafile=lab-root.pem --max-validity=200 vendor.example.test; echo "exit $?"' \
	'check_cert --dns-server=127.0.0.1 --cafile=lab-root.pem --issuer="Let'"'"'s Encrypt" --ignore=cert_expiring api.example.test; echo "exit $?"'
ex private-ca \
	'certcheck --dns-server=127.0.0.1 intranet.example.test; echo "exit $?"' \
	'certcheck --dns-server=127.0.0.1 --cafile=company-root.pem intranet.example.test; echo "exit $?"'
ex idn \
	'certcheck --dns-server=127.0.0.1 --cafile=lab-root.pem 테스트.한국; echo "exit $?"' \
	'caacheck --dns-server=127.0.0.1 --json xn--9t4b11yi5a.xn--3e0b707e | jq -c "{status, identifier, identifier_unicode, relevant_name_unicode}"'

if [ "$update" = 1 ]; then
	# Replace each marked block with the fresh output.
	awk -v dir="$LAB/ex" '
		/^<!-- \/example -->$/ { skip = 0 }
		skip { next }
		{ print }
		/^<!-- example: [a-z0-9-]+ -->$/ {
			name = $3
			f = dir "/" name ".md"
			# Only the examples run this time: the rest stay.
			if ((getline l < f) <= 0)
				next
			print l
			while ((getline l < f) > 0) print l
			close(f)
			skip = 1
		}' "$top/README.md" >"$LAB/README.new"
	cat "$LAB/README.new" >"$top/README.md"
	echo "README.md updated" >&2
fi
