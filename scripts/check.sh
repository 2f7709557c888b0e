#!/usr/bin/env bash
# The test command: the series applies, checkpatch is clean, the kernel
# builds, and one boot runs the KUnit suites and mm selftests of tests.list.
# Ends with the plain line "N passed, N failed"; exits non-zero on a failure.
# CHECK_VARIANT=debug runs it all on the lockdep/KASAN kernel instead.
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
stage "building the kernel"
"$S/kernel.sh" "$variant"
stage "building the selftests"
"$S/selftests.sh"

mapfile -t suites < <(awk '$1 == "kunit" { print $2 }' "$TOP/tests.list")
mapfile -t tests < <(awk '$1 == "selftest" { print $2 }' "$TOP/tests.list")
insmod=()
for m in $(awk '$1 == "module" { print $2 }' "$TOP/tests.list"); do
	ko=$(find "$BUILD/obj-$variant/mods" -name "$m.ko" | head -n 1)
	[ -n "$ko" ] || die "module $m (tests.list) was not built; is it in configs/?"
	insmod+=(--insmod "$ko")
done
# kunit.filter_glob takes one glob: a single suite by name, several by "*"
# (every built-in suite; report.py still checks that each listed one ran).
glob=$([ ${#suites[@]} -eq 1 ] && echo "${suites[0]}" || echo "*")
res=$BUILD/vm/check-$variant
stage "booting: KUnit (${suites[*]}) and selftests (${tests[*]})"
# Three vCPUs: selftests/mm/migration needs at least two threads besides the
# one that migrates.
"$S/vm.sh" --variant "$variant" --smp 3 --timeout "${CHECK_TIMEOUT:-1800}" --results "$res" \
	--append "kunit.filter_glob=$glob" -- \
	"$S/guest-selftests.sh" "${insmod[@]}" "$BUILD/selftests/mm" "${tests[@]}" && vm_rc=0 || vm_rc=$?
[ "$vm_rc" -ne 125 ] || die "the test boot did not finish" "$res/console.log"

stage "results"
mkdir -p "$RESULTS"
report=$RESULTS/check-$variant.txt
"$S/report.py" "$TREE" "$res/console.log" "$res/output" "${suites[@]}" -- "${tests[@]}" \
	>"$report" && rep_rc=0 || rep_rc=$?
if [ "$vm_rc" -ne 0 ]; then
	echo "guest: FAIL the guest command exited with status $vm_rc" >>"$report"
	rep_rc=1
fi
cat "$report"

count() { sed -n "s/^$1: \([0-9]*\) passed, \([0-9]*\) failed.*/\\$2/p" <<<"$3" | tail -n 1; }
all=$(printf '%s\n%s\n' "$cp_out" "$(cat "$report")")
passed=0 failed=0
for k in checkpatch kunit selftests; do
	p=$(count "$k" 1 "$all") f=$(count "$k" 2 "$all")
	[ -n "$p" ] || { say "no $k result line"; f=1 p=0; }
	passed=$((passed + p)) failed=$((failed + f))
done
say "total time $(($(date +%s) - t0)) s; console: $res/console.log; report: $report"
# A failure that no count holds (the guest command, a parser) still fails.
[ "$cp_rc" -eq 0 ] && [ "$rep_rc" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
