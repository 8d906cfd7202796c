#!/bin/bash
# json_schema.sh: every JSON line the tools printed in the other lab
# scripts (tests/lab/lab.sh keeps them under tests/json-capture/ in the
# build tree) validates against its tool's schema in doc/schema/; the
# schemas are valid draft 2020-12, name exactly the problem codes of
# lib/core/problem.c, and refuse objects with a key renamed or retyped.  The
# Makefile runs it after the other integration scripts; it fails when
# nothing was captured.
set -u
srcdir=$(cd "${srcdir:-$(dirname "$0")/../..}" && pwd)
top_srcdir=$(cd "${top_srcdir:-$srcdir}" && pwd)
top_builddir=$(cd "${top_builddir:-$srcdir}" && pwd)

# Debian's python3-jsonschema lives with the system interpreter, not
# with whatever python3 comes first in PATH.
PY=/usr/bin/python3
if ! "$PY" -c 'import jsonschema; jsonschema.Draft202012Validator' 2>/dev/null; then
	why="no $PY with jsonschema (Debian: python3-jsonschema)"
	if [ "${CERTDIAG_LAB_REQUIRE:-0}" = 1 ]; then
		echo "Bail out! $why"
		exit 1
	fi
	echo "1..0 # SKIP $why"
	exit 0
fi
exec "$PY" "$top_srcdir/tests/helpers/json_schema.py" \
	"$top_srcdir/doc/schema" "$top_srcdir/lib/core/problem.c" \
	"$top_builddir/tests/json-capture"
