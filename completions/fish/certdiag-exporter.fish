# fish completion for certdiag-exporter(8)
complete -c certdiag-exporter -f
complete -c certdiag-exporter -l listen -x -d 'listen there: ADDR:PORT, [V6ADDR]:PORT or :PORT (every address)'
complete -c certdiag-exporter -l config -r -F -d 'the modules (YAML)'
complete -c certdiag-exporter -l check-config -d 'check the config file and exit (0 when good, 3 not)'
complete -c certdiag-exporter -l max-concurrent -x -d 'run at most N probes at once'
complete -c certdiag-exporter -l max-connections -x -d 'accept at most N HTTP connections at once'
complete -c certdiag-exporter -l timeout-offset -x -d 'subtract from Prometheus\'s scrape timeout for a probe\'s deadline'
complete -c certdiag-exporter -l shutdown-timeout -x -d 'on SIGTERM, wait at most this long for the probes in flight'
complete -c certdiag-exporter -s h -l help -d 'show this help and exit'
complete -c certdiag-exporter -s V -l version -d 'show the version and exit'
