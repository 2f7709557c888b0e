#!/usr/bin/env bash
# Build the mm selftests the project runs, from the patched tree, into
# build/selftests/mm (statically against the tree's own uapi headers).
# Usage: scripts/selftests.sh [--arch arm64] [TEST...]
#   --arch arm64  cross-build for make devices' guest into
#                 build/selftests-arm64/mm, against libnuma of the arm64
#                 root (scripts/rootfs.sh)
#   TEST          default: the selftests and their helpers in tests.list
. "$(dirname "$0")/lib.sh"

arch=x86_64
if [ "${1:-}" = --arch ]; then
	arch=${2:?--arch needs a value}
	shift 2
fi
mk=()
case $arch in
x86_64)
	need_tools gcc make
	[ -f /usr/include/numa.h ] || die "libnuma-dev is missing; run 'make deps'"
	hdr=$BUILD/obj-plain out=$BUILD/selftests/mm
	;;
arm64)
	need_tools aarch64-linux-gnu-gcc make
	dev=$BUILD/arm64-dev
	[ -f "$dev/include/numa.h" ] || die "no arm64 libnuma in $dev; run scripts/rootfs.sh"
	hdr=$BUILD/hdr-arm64 out=$BUILD/selftests-arm64/mm
	mk=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "EXTRA_CFLAGS=-idirafter $dev/include"
		"LDFLAGS=-L$dev/lib")
	;;
*) die "--arch must be x86_64 or arm64, not '$arch'" ;;
esac
[ -d "$TREE/tools/testing/selftests/mm" ] || die "no kernel tree at $TREE; run 'make tree'"
log=$LOGS/selftests-build-$arch.log
mkdir -p "$out"
if [ $# -eq 0 ]; then
	mapfile -t tests < <(awk '$1 == "selftest" || $1 == "helper" { print $2 }' "$TOP/tests.list" | sort -u)
else
	tests=("$@")
fi
make -C "$TREE" O="$hdr" ARCH="$arch" headers >"$log" 2>&1 || die "make headers failed" "$log"
say "building mm selftests ($arch): ${tests[*]}"
targets=()
for t in "${tests[@]}"; do
	targets+=("$out/$t")
done
make -C "$TREE/tools/testing/selftests/mm" OUTPUT="$out" "${mk[@]}" \
	KHDR_INCLUDES="-isystem $hdr/usr/include" "${targets[@]}" >>"$log" 2>&1 ||
	die "building the mm selftests failed" "$log"
# run_vmtests.sh runs the categories from the same directory.
cp "$TREE/tools/testing/selftests/mm/run_vmtests.sh" "$out/"
say "built into $out"
