#!/bin/sh
# Configure (once) and build in the source tree.  Extra arguments go to
# configure.
set -eu
cd "$(dirname "$0")/.."
if [ ! -f Makefile ] || [ configure.ac -nt configure ] || [ "$#" -gt 0 ]; then
	[ -x configure ] && [ ! configure.ac -nt configure ] || ./autogen.sh >/dev/null 2>&1
	./configure --quiet "$@"
fi
make -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
