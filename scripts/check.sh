#!/usr/bin/env bash
# The test command: the series applies, checkpatch is clean, kernel-doc
# gives no warning the base does not, the objects it touches build for
# 32-bit without 64-bit division helpers, the kernel builds, the boots of
# tests.list run the KUnit suites and mm selftests, and kunit.py runs the
# series' KUnit suites on arm64. Ends with the plain line "N passed, N failed"; exits non-zero
# on a failure. CHECK_VARIANT=debug runs the boots on the lockdep/KASAN
# kernel instead.
. "$(dirname "$0")/lib.sh"

variant=${CHECK_VARIANT:-plain}
case $variant in plain | debug) ;; *) die "CHECK_VARIANT must be plain or debug, not '$variant'" ;; esac

S=$TOP/scripts
t0=$(date +%s)
stage() { say "== $* ($(($(date +%s) - t0)) s)"; }

stage "applying the series"
"$S/tree.sh" ${FORCE:+--force}
stage "checkpatch --strict"
cp_out=$("$S/checkpatch.sh") && cp_rc=0 || cp_rc=$?
printf '%s\n' "$cp_out"
stage "kernel-doc of what the series touches"
kd_out=$("$S/kerneldoc.sh") && kd_rc=0 || kd_rc=$?
printf '%s\n' "$kd_out" | grep -vE '^\[kerneldoc\] ok ' || true
stage "32-bit: the series' objects for i386"
o32_out=$("$S/objects.sh" i386) && o32_rc=0 || o32_rc=$?
printf '%s\n' "$o32_out"
stage "building the kernel"
"$S/kernel.sh" "$variant"
stage "building the selftests"
"$S/selftests.sh"

# The boots of tests.list, each with its report.
"$S/boots.sh" "$variant" "$BUILD/selftests/mm" || exit 1
mapfile -t reports < <(ls "$RESULTS/check-$variant.txt" "$RESULTS/check-$variant"-boot*.txt 2>/dev/null)

stage "KUnit the standard way: kunit.py run --arch=arm64"
ka_out=$("$S/kunit.sh" arm64 2>&1) && ka_rc=0 || ka_rc=$?
printf '%s\n' "$ka_out" | grep -vE '^  kunit-arm64 PASS ' || true

stage "results"
cat "${reports[@]}"
# Sum "KIND: N passed, N failed" lines over the checkpatch, 32-bit and
# boot reports.
all=$(printf '%s\n' "$cp_out" "$kd_out" "$o32_out" "$ka_out"; cat "${reports[@]}")
passed=0 failed=0
for k in checkpatch kerneldoc objects kunit kunit-arm64 selftests; do
	lines=$(grep -E "^$k: [0-9]+ passed, [0-9]+ failed" <<<"$all" || true)
	[ -n "$lines" ] || { say "no $k result line"; failed=$((failed + 1)); continue; }
	p=$(sed -E 's/^[a-z0-9-]+: ([0-9]+) passed.*/\1/' <<<"$lines" | paste -sd+ | bc)
	f=$(sed -E 's/^[a-z0-9-]+: [0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$lines" | paste -sd+ | bc)
	passed=$((passed + p)) failed=$((failed + f))
done
# (A guest that failed is a "guest: FAIL" line of its report.)
failed=$((failed + $(grep -cE '^(report|guest): FAIL' <<<"$all" || true)))
say "total time $(($(date +%s) - t0)) s; consoles: $BUILD/vm/check-$variant*/console.log; reports: ${reports[*]}"
# A failure that no count holds (checkpatch's own exit, a parser) still fails.
if [ "$failed" -eq 0 ] && { [ "$cp_rc" -ne 0 ] || [ "$kd_rc" -ne 0 ] || [ "$o32_rc" -ne 0 ] ||
	[ "$ka_rc" -ne 0 ]; }; then
	failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
