# fish completion for certcheck(1) and check_cert
# --ignore and --severity: the codes come from the tool itself
# (--list-problems), so they never fall behind it.  A list is completed
# after its last comma; --severity's CODE:LEVEL after the colon.
function __certdiag_problems
	set -l cmd (commandline -opc)[1]
	set -l tok (commandline -ct)
	set -l opt ignore
	string match -q -- '--severity=*' $tok; and set opt severity
	if not string match -q -- '--*' $tok
		string match -q -- '--severity' (commandline -opc)[-1]; and set opt severity
	end
	set -l value (string replace -r -- '^--[a-z]+=' '' $tok)
	set -l head (string match -r -- '^.*,' $value)
	set -l elem (string replace -r -- '^.*,' '' $value)
	if test $opt = severity; and string match -q -- '*:*' $elem
		set -l code (string split -m1 : -- $elem)[1]
		printf '%s\n' $head$code:{ok,warning,critical}
		return
	end
	set -l suffix
	test $opt = severity; and set suffix :
	$cmd --list-problems 2>/dev/null | string replace -r -- '^([^\t]*)' "$head\$1$suffix"
end

for c in certcheck check_cert
	complete -c $c -s H -l hostname -x -d 'the server to check, as Monitoring Plugins name it: the same as a TARGET'
	complete -c $c -s p -l port -x -d 'with -H: the port (default 443, or the --starttls protocol\'s)'
	complete -c $c -s w -l warning -x -d 'warn when fewer than DAYS days (or N% of the lifetime) are left; default 30%'
	complete -c $c -s c -l critical -x -d 'critical when fewer than DAYS days (or N%) are left; default 10%'
	complete -c $c -l sni -x -d 'server name to send and to verify (default: the target\'s host; --sni alone is accepted: SNI is always sent)'
	complete -c $c -s I -l connect-to -x -d 'connect to this address instead of resolving the host'
	complete -c $c -l cafile -r -F -d 'trust these anchors instead of the system store'
	complete -c $c -l require-san -x -d 'critical unless the certificate covers all these names'
	complete -c $c -l all-addresses -d 'check every A/AAAA address of the host, each reported on its own'
	complete -c $c -l protocols -d 'also probe which TLS versions the server accepts; TLS 1.0/1.1 is a warning'
	complete -c $c -l starttls -x -a 'smtp imap pop3 ftp xmpp ldap postgres' -d 'speak PROTO before TLS (its port by default)'
	complete -c $c -l client-cert -r -F -d 'present this client certificate (PEM) to a server that asks for one'
	complete -c $c -l client-key -r -F -d 'the private key of --client-cert (PEM)'
	complete -c $c -l dane -f -a 'auto required' -d 'match the chain against the DNSSEC-signed TLSA records of _PORT._tcp.HOST'
	complete -c $c -l root-hints -r -F -d 'with --dane: resolve from these root servers instead of the Internet\'s'
	complete -c $c -l trust-anchor -r -F -a 'none' -d 'with --dane: DNSSEC trust anchor instead of the system\'s root key; none: no validation'
	complete -c $c -l no-ca-view -d 'with --dane: ask only the stub resolver, trusting its AD bit'
	complete -c $c -l password-file -r -F -d 'with --cert: the password of PKCS#12 files, the first line of FILE'
	complete -c $c -l ct -x -a 'auto required off' -d 'Certificate Transparency: warn when the leaf\'s SCTs come from too few logs (required: also when it has none)'
	complete -c $c -l ct-logs -r -F -d 'attribute SCTs with this CT log list (JSON) instead of the shipped one'
	complete -c $c -l cert -r -F -d 'inspect this local certificate file (PEM, DER, PKCS#12), or every one under a directory'
	complete -c $c -l key -r -F -d 'with --cert: check that this private key belongs to the certificate'
	complete -c $c -l name -x -d 'with --cert: the name the certificate must cover'
	complete -c $c -l crl -d 'also fetch the leaf\'s CRL and check that the certificate is not revoked'
	complete -c $c -l allow-reserved -d 'with --crl and the system trust store: fetch from reserved/internal addresses too'
	complete -c $c -l issuer -x -d 'critical unless the leaf\'s issuer or an intermediate\'s subject contains PATTERN (any case)'
	complete -c $c -l fingerprint -x -d 'critical unless the leaf\'s SHA-256 fingerprint is one of these (hex, colons allowed)'
	complete -c $c -l max-validity -x -d 'warn when the leaf\'s lifetime exceeds DAYS days'
	complete -c $c -l proxy -x -d 'reach the server through this HTTP CONNECT proxy, http://[USER:PASS@]HOST:PORT (it resolves the server\'s name)'
	complete -c $c -s h -l help -d 'show this help and exit'
	complete -c $c -s V -l version -d 'show the version and exit'
	complete -c $c -s o -l format -x -a 'text json nagios prometheus' -d 'output format: text, json, nagios or prometheus'
	complete -c $c -l json -d 'same as --format=json'
	complete -c $c -l nagios -d 'same as --format=nagios'
	complete -c $c -s t -l timeout -x -d 'deadline for the whole check of one target (default 10)'
	complete -c $c -s 4 -l ipv4 -d 'use only IPv4 addresses'
	complete -c $c -s 6 -l ipv6 -d 'use only IPv6 addresses'
	complete -c $c -l dns-server -x -d 'resolve with these DNS servers instead of /etc/resolv.conf'
	complete -c $c -s v -l verbose -d 'more detail (may repeat)'
	complete -c $c -l color -x -a 'auto always never' -d 'colour in text output: auto, always or never'
	complete -c $c -l ignore -x -a '(__certdiag_problems)' -d 'leave these problem codes out of the status (still listed, marked ignored)'
	complete -c $c -l severity -x -a '(__certdiag_problems)' -d 'give these problem codes another severity: ok, warning or critical'
	complete -c $c -s j -l jobs -x -d 'check N targets at once'
	complete -c $c -s f -l file -r -F -d 'read targets from FILE, one per line (\'-\' = stdin)'
	complete -c $c -l sort -f -a 'input status name' -d 'print the results at the end, sorted by KEY: input, status or name'
end
