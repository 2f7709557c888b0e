#!/usr/bin/env bash
# The series' KUnit suites the standard way, as a reviewer runs them:
# tools/testing/kunit/kunit.py run with every .kunitconfig the series adds,
# for one architecture: arm64 (cross-compiled with Debian's
# aarch64-linux-gnu- toolchain, run in qemu-system-aarch64 under TCG) or um
# (UML). Builds in build/kunit-ARCH, with ccache.
# Usage: scripts/kunit.sh [arm64|um]
# Prints one line per case and "kunit-ARCH: N passed, N failed, N skipped";
# a suite of tests.list that did not run counts as a failure. Log:
# build/logs/kunit-ARCH.log.
. "$(dirname "$0")/lib.sh"

arch=${1:-arm64}
[ $# -le 1 ] || die "usage: kunit.sh [arm64|um]"
args=()
case $arch in
arm64)
	need_tools aarch64-linux-gnu-gcc qemu-system-aarch64
	args+=(--arch=arm64 --cross_compile=aarch64-linux-gnu-
		--make_options "CC=ccache aarch64-linux-gnu-gcc")
	;;
um) args+=(--make_options "CC=ccache gcc") ;;
*) die "unknown architecture '$arch' (arm64 or um)" ;;
esac
[ -f "$TREE/tools/testing/kunit/kunit.py" ] || die "no kernel tree at $TREE; run 'make tree'"
mapfile -t kconfigs < <(git -C "$TREE" diff --name-only base HEAD -- '*.kunitconfig')
[ ${#kconfigs[@]} -gt 0 ] || die "the series adds no .kunitconfig"
# The suites of tests.list that these configurations build (not the
# upstream list-kunit-test of the test boot).
mapfile -t suites < <(awk '$1 == "kunit" && $2 != "list-kunit-test" { print $2 }' "$TOP/tests.list")

out=$BUILD/kunit-$arch
log=$LOGS/kunit-$arch.log
mkdir -p "$out"
rm -f "$out/results.json"
for k in "${kconfigs[@]}"; do
	args+=(--kunitconfig="$TREE/$k")
done
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache} CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
say "kunit.py run --arch=$arch with ${kconfigs[*]} (build and run: about 4 minutes here)"
(cd "$TREE" && run_logged "$log" python3 tools/testing/kunit/kunit.py run \
	--build_dir="$out" --jobs="$(($(nproc) + 1))" --timeout=1200 \
	--json="$out/results.json" "${args[@]}") && rc=0 || rc=$?
[ -s "$out/results.json" ] || die "kunit.py run --arch=$arch gave no results (exit $rc)" "$log"
"$TOP/scripts/report.py" --kunit-json "$out/results.json" "kunit-$arch" "${suites[@]}" && rep=0 || rep=$?
[ "$rc" -eq 0 ] || say "kunit.py exited $rc (log: $log)"
[ "$rc" -eq 0 ] && [ "$rep" -eq 0 ]
