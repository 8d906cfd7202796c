#!/usr/bin/env bash
# install.sh: "make install DESTDIR=..." puts every piece where its
# consumer looks (tools and their Nagios names, also in the plugin
# directory of --with-plugindir, the library, certdiag.h,
# certdiag.pc, the man pages, the bash/zsh/fish completions, the JSON
# Schemas, certdiag-exporter's systemd unit and config), the
# installed tool runs, a program builds against the installed header and
# pkg-config file, and "make uninstall" leaves no file or link behind.
# It uses this build tree's own prefix and directories.
set -eu
top_builddir=${top_builddir:-$(cd "$(dirname "$0")/../.." && pwd)}
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { # DESC CMD...
	local desc=$1
	shift
	if ("$@") >/dev/null 2>&1; then ok "$desc"; else not_ok "$desc"; fi
}
# shellcheck source=tests/helpers/buildtree.sh
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/helpers/buildtree.sh"

echo "1..37"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
# The plugin directory as ./configure --with-plugindir=DIR sets it.
plugindir=$(var libdir)/nagios/plugins
if ! mk install DESTDIR="$d" plugindir="$plugindir" >"$d.log" 2>&1; then
	sed 's/^/# /' "$d.log"
	echo "Bail out! make install failed"
	exit 1
fi
rm -f "$d.log"
bindir=$d$(var bindir) libdir=$d$(var libdir) incdir=$d$(var includedir)
mandir=$d$(var mandir) pcdir=$d$(var pkgconfigdir)
bash=$d$(var bashcompdir) zsh=$d$(var zshcompdir) fish=$d$(var fishcompdir)

for t in certcheck caacheck http01check tlsalpn01check dns01check; do
	check "bin/$t installed, executable" test -x "$bindir/$t"
done
for l in check_cert:certcheck check_caa:caacheck check_http01:http01check check_tlsalpn01:tlsalpn01check check_dns01:dns01check; do
	check "bin/${l%%:*} -> ${l#*:}" eval \
		'[ "$(readlink "$bindir/${l%%:*}")" = "${l#*:}" ]'
done
check "--with-plugindir: check_* in the plugin directory -> the installed tools" eval \
	'for l in check_cert:certcheck check_caa:caacheck check_http01:http01check check_tlsalpn01:tlsalpn01check check_dns01:dns01check; do
		[ "$(readlink "$d$plugindir/${l%%:*}")" = "$(var bindir)/${l#*:}" ] || exit 1; done'
check "libcertdiag.so installed" eval 'ls "$libdir"/libcertdiag.so* >/dev/null'
check "certdiag.h installed" test -f "$incdir/certdiag.h"
check "certdiag.pc installed" test -f "$pcdir/certdiag.pc"
check "man pages: five in man1, certdiag.7 in man7" eval \
	'for m in man1/certcheck.1 man1/caacheck.1 man1/http01check.1 man1/tlsalpn01check.1 man1/dns01check.1 man7/certdiag.7; do test -f "$mandir/$m" || exit 1; done'
check "libcertdiag.3 in man3" test -f "$mandir/man3/libcertdiag.3"
check "certdiag-exporter.8 in man8" test -f "$mandir/man8/certdiag-exporter.8"
check "a JSON Schema per tool in datadir/certdiag/schema" eval \
	'for t in certcheck caacheck http01check tlsalpn01check dns01check; do
		python3 -c "import json,sys; s=json.load(open(sys.argv[1])); sys.exit(s[\"\$schema\"] != \"https://json-schema.org/draft/2020-12/schema\")" \
			"$d$(var datadir)/certdiag/schema/$t.schema.json" || exit 1; done'
check "bash completions by tool name" eval \
	'for t in certcheck caacheck http01check tlsalpn01check dns01check; do test -f "$bash/$t" || exit 1; done'
check "bash completions for the Nagios names (links)" eval \
	'for t in check_cert check_caa check_http01 check_tlsalpn01 check_dns01; do test -L "$bash/$t" -a -e "$bash/$t" || exit 1; done'
check "zsh completions (_certcheck ...)" eval \
	'for t in certcheck caacheck http01check tlsalpn01check dns01check; do test -f "$zsh/_$t" || exit 1; done'
check "fish completions, tools and Nagios names" eval \
	'for t in certcheck caacheck http01check tlsalpn01check dns01check check_cert check_caa check_http01 check_tlsalpn01 check_dns01; do test -e "$fish/$t.fish" || exit 1; done'
check "the CT log list in datadir/certdiag, a JSON array of logs" eval \
	'python3 -c "import json,sys; l=json.load(open(sys.argv[1])); sys.exit(not (l and all(len(e[\"log_id\"]) == 44 for e in l)))" "$d$(var datadir)/certdiag/ct-logs.json"'
check "bin/certdiag-exporter installed, -V runs" eval \
	'LD_LIBRARY_PATH="$libdir" "$bindir/certdiag-exporter" -V | grep -q "^certdiag-exporter (certdiag) "'
check "certdiag-exporter.service in the systemd unit directory, ExecStart the installed exporter" \
	grep -qx "ExecStart=$(var bindir)/certdiag-exporter --config=$(var sysconfdir)/certdiag-exporter.yml --listen=:9793" \
	"$d$(var systemdsystemunitdir)/certdiag-exporter.service"
check "the example config in datadir/certdiag, and as the default config" eval \
	'cmp "$d$(var datadir)/certdiag/certdiag-exporter.yml" "$d$(var sysconfdir)/certdiag-exporter.yml"'
check "the installed exporter takes the installed config" eval \
	'LD_LIBRARY_PATH="$libdir" "$bindir/certdiag-exporter" --check-config \
		--config="$d$(var sysconfdir)/certdiag-exporter.yml"'
# The installed binaries run from their installed library.
check "installed certcheck -V runs" eval \
	'LD_LIBRARY_PATH="$libdir" "$bindir/certcheck" -V | grep -q "^certcheck (certdiag) "'
check "installed check_cert -V runs under its Nagios name" eval \
	'LD_LIBRARY_PATH="$libdir" "$bindir/check_cert" -V | grep -q " (certdiag) [0-9]"'
# A program against the installed header and pkg-config file.
cat >"$d/use.c" <<'C'
#include <certdiag.h>
#include <stdio.h>
int main(void) { puts(cd_version()); return 0; }
C
# The installed certdiag.pc first, the system's for its Requires.private.
pcflags() {
	PKG_CONFIG_SYSROOT_DIR="$d" PKG_CONFIG_PATH="$pcdir" \
		pkg-config "$@" certdiag
}
check "pkg-config finds certdiag" pcflags --exists
check "certdiag.pc names its private dependencies, libcurl among them" \
	grep -q "^Requires.private:.* libcurl" "$pcdir/certdiag.pc"
# shellcheck disable=SC2046 # word splitting of the flags is the point
check "a program builds against the installed header and library" \
	cc -o "$d/use" "$d/use.c" $(pcflags --cflags --libs)
# A library built with ASan runs only in a program built with it.
if [ "${CERTDIAG_SANITIZERS:-}" = yes ]; then
	n=$((n + 1))
	echo "ok $n - and runs # SKIP the library is built with ASan+UBSan"
else
	check "and runs" eval 'LD_LIBRARY_PATH="$libdir" "$d/use" | grep -q "^[0-9]"'
fi
rm -f "$d/use" "$d/use.c"

if mk uninstall DESTDIR="$d" plugindir="$plugindir" >/dev/null 2>&1; then
	ok "make uninstall"
else
	not_ok "make uninstall"
fi
left=$(find "$d" \( -type f -o -type l \) | sed "s|^$d||")
if [ -z "$left" ]; then
	ok "nothing left behind"
else
	not_ok "nothing left behind"
	printf '%s\n' "$left" | sed 's/^/# left: /'
fi
check "bin is empty" eval '[ -z "$(ls -A "$bindir" 2>/dev/null)" ]'
check "the completion directories are empty" eval \
	'[ -z "$(find "$bash" "$zsh" "$fish" -mindepth 1 2>/dev/null)" ]'
[ "$failed" = 0 ]
