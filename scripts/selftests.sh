#!/usr/bin/env bash
# Build the mm selftests the project runs, from the patched tree, into
# build/selftests/mm (statically against the tree's own uapi headers).
# Usage: scripts/selftests.sh [TEST...]
#   (default: the selftests and their helpers in tests.list)
. "$(dirname "$0")/lib.sh"

need_tools gcc make
[ -d "$TREE/tools/testing/selftests/mm" ] || die "no kernel tree at $TREE; run 'make tree'"
[ -f /usr/include/numa.h ] || die "libnuma-dev is missing; run 'make deps'"
obj=$BUILD/obj-plain
out=$BUILD/selftests/mm
log=$LOGS/selftests-build.log
mkdir -p "$out"
if [ $# -eq 0 ]; then
	mapfile -t tests < <(awk '$1 == "selftest" || $1 == "helper" { print $2 }' "$TOP/tests.list" | sort -u)
else
	tests=("$@")
fi
make -C "$TREE" O="$obj" headers >"$log" 2>&1 || die "make headers failed" "$log"
say "building mm selftests: ${tests[*]}"
targets=()
for t in "${tests[@]}"; do
	targets+=("$out/$t")
done
make -C "$TREE/tools/testing/selftests/mm" OUTPUT="$out" \
	KHDR_INCLUDES="-isystem $obj/usr/include" "${targets[@]}" >>"$log" 2>&1 ||
	die "building the mm selftests failed" "$log"
# run_vmtests.sh runs the categories from the same directory.
cp "$TREE/tools/testing/selftests/mm/run_vmtests.sh" "$out/"
say "built into $out"
