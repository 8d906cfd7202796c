# fish completion for caacheck(1) and check_caa
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

for c in caacheck check_caa
	complete -c $c -s H -l hostname -x -d 'the DOMAIN to check, as Monitoring Plugins name it'
	complete -c $c -l sni -d 'accepted and ignored, for Monitoring Plugins command lines'
	complete -c $c -l ca -x -d 'issuer domain of the CA (default letsencrypt.org)'
	complete -c $c -l account-uri -x -d 'ACME account URI, checked against accounturi (RFC 8657)'
	complete -c $c -l method -x -a 'http-01 dns-01 tls-alpn-01 dns-account-01 dns-persist-01' -d 'http-01 (default), dns-01, tls-alpn-01, dns-account-01 or dns-persist-01, checked against validationmethods'
	complete -c $c -l root-hints -r -F -d 'resolve as the CA from these root servers instead of the Internet\'s'
	complete -c $c -l trust-anchor -r -F -a 'none' -d 'DNSSEC trust anchor instead of the system\'s root key; none: no validation'
	complete -c $c -l no-ca-view -d 'do not resolve as the CA does (blind to DNSSEC and nameserver faults)'
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
