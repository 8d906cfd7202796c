#!/bin/sh
# Replay a fuzz target's seed corpus as a TAP test.  Every replay_NAME.sh
# is this same file: the name after "replay_" picks the program
# tests/fuzz/fuzz_NAME (the target built with replay.c) and the corpus
# tests/fuzz/corpus/NAME.  make check exports top_builddir and top_srcdir.
name=$(basename "$0" .sh)
name=${name#replay_}
build=$(cd "${top_builddir:-.}" && pwd) || exit 1
cd "${top_srcdir:-.}/tests/fuzz" || exit 1
exec "$build/tests/fuzz/fuzz_$name" "corpus/$name"
