# buildtree.sh: for the tests that drive the build tree's own make
# (install.sh, abi.sh, examples.sh); sourced, with top_builddir set.

# mk ARGS...: make in the build tree, on its own: not a child of the
# "make check" running the test (its MAKEFLAGS would bring -w, the
# jobserver and command-line variables along).
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		make -s --no-print-directory -C "$top_builddir" "$@"
}

# var NAME: a variable as this build's Makefile has it.
var() {
	mk -f Makefile -f - print-var VAR="$1" <<'MK' | tail -n 1
print-var:
	@echo $($(VAR))
MK
}
