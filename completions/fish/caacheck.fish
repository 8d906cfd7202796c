# fish completion for caacheck(1) and check_caa
for c in caacheck check_caa
	complete -c $c -l ca -x -d 'issuer domain of the CA (default letsencrypt.org)'
	complete -c $c -l account-uri -x -d 'ACME account URI, checked against accounturi (RFC 8657)'
	complete -c $c -l method -x -a 'http-01 dns-01 tls-alpn-01' -d 'http-01 (default), dns-01 or tls-alpn-01, checked against validationmethods'
	complete -c $c -s h -l help -d 'show this help and exit'
	complete -c $c -s V -l version -d 'show the version and exit'
	complete -c $c -s o -l format -x -a 'text json nagios' -d 'output format: text, json or nagios'
	complete -c $c -l json -d 'same as --format=json'
	complete -c $c -l nagios -d 'same as --format=nagios'
	complete -c $c -s t -l timeout -x -d 'deadline for the whole check of one target (default 10)'
	complete -c $c -s 4 -l ipv4 -d 'use only IPv4 addresses'
	complete -c $c -s 6 -l ipv6 -d 'use only IPv6 addresses'
	complete -c $c -l dns-server -x -d 'resolve with these DNS servers instead of /etc/resolv.conf'
	complete -c $c -s v -l verbose -d 'more detail (may repeat)'
	complete -c $c -l color -x -a 'auto always never' -d 'colour in text output: auto, always or never'
	complete -c $c -s j -l jobs -x -d 'check N targets at once'
	complete -c $c -s f -l file -r -F -d 'read targets from FILE, one per line (\'-\' = stdin)'
end
