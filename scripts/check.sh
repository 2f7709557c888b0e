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

# tests.list, split into boots: boot 0 is the main one; each "boot ARGS"
# line starts another, whose command line gets ARGS (and no KUnit).
declare -a b_append=("") b_mods=("") b_tests=("") b_cats=("")
suites=()
nb=0
while read -r kind rest; do
	case $kind in
	"" | "#"*) ;;
	boot)
		nb=$((nb + 1))
		b_append[nb]="kunit.enable=0 $rest" b_mods[nb]="" b_tests[nb]="" b_cats[nb]=""
		;;
	kunit)
		[ $nb -eq 0 ] || die "tests.list: 'kunit $rest' after a 'boot' line (KUnit runs in the main boot only)"
		suites+=("$rest")
		;;
	module) b_mods[nb]+="$rest"$'\n' ;;
	selftest) b_tests[nb]+="$rest"$'\n' ;;
	script)
		[ -x "$TOP/${rest%% *}" ] || die "tests.list: 'script $rest': no executable $TOP/${rest%% *}"
		b_tests[nb]+="$TOP/$rest"$'\n'
		;;
	category) b_cats[nb]+="${b_cats[nb]:+ }$rest" ;;
	helper) ;;
	*) die "tests.list: unknown kind '$kind'" ;;
	esac
done <"$TOP/tests.list"
# kunit.filter_glob takes one glob: a single suite by name, several by "*"
# (every built-in suite; report.py still checks that each listed one ran).
glob=$([ ${#suites[@]} -eq 1 ] && echo "${suites[0]}" || echo "*")
b_append[0]="kunit.filter_glob=$glob"

mkdir -p "$RESULTS"
reports=()
vm_failed=0
for b in $(seq 0 $nb); do
	insmod=()
	while read -r m; do
		[ -n "$m" ] || continue
		ko=$(find "$BUILD/obj-$variant/mods" -name "$m.ko" | head -n 1)
		[ -n "$ko" ] || die "module $m (tests.list) was not built; is it in configs/?"
		insmod+=(--insmod "$ko")
	done <<<"${b_mods[b]}"
	mapfile -t tests < <(printf '%s' "${b_tests[b]}")
	names=() vmt=()
	if [ -n "${b_cats[b]}" ]; then
		names+=(run_vmtests)
		vmt=(--vmtests "${b_cats[b]}")
	fi
	for t in "${tests[@]}"; do
		n=${t%% *} n=${n##*/}
		names+=("${n%.sh}")
	done
	res=$BUILD/vm/check-$variant$([ "$b" -eq 0 ] || echo "-boot$b")
	what="selftests (${b_cats[b]:+run_vmtests.sh -t \"${b_cats[b]}\" }${tests[*]})"
	[ "$b" -ne 0 ] || [ ${#suites[@]} -eq 0 ] || what="KUnit (${suites[*]}) and $what"
	stage "boot $b (${b_append[b]}): $what"
	# Three vCPUs: selftests/mm/migration needs at least two threads
	# besides the one that migrates.
	"$S/vm.sh" --variant "$variant" --smp 3 --timeout "${CHECK_TIMEOUT:-1800}" --results "$res" \
		--append "${b_append[b]}" -- \
		"$S/guest-selftests.sh" "${insmod[@]}" "${vmt[@]}" "$BUILD/selftests/mm" "${tests[@]}" &&
		vm_rc=0 || vm_rc=$?
	[ "$vm_rc" -ne 125 ] || die "test boot $b did not finish" "$res/console.log"
	report=$RESULTS/check-$variant$([ "$b" -eq 0 ] || echo "-boot$b").txt
	if [ "$b" -eq 0 ]; then
		kargs=("${suites[@]}")
	else
		kargs=()
	fi
	"$S/report.py" "$TREE" "$res/console.log" "$res/output" "${kargs[@]}" -- "${names[@]}" \
		>"$report" || true
	grep -q '^selftests: [0-9]* passed' "$report" ||
		echo "report: FAIL boot $b: report.py gave no result (see $res/output)" >>"$report"
	if [ "$vm_rc" -ne 0 ]; then
		echo "guest: FAIL boot $b: the guest command exited with status $vm_rc" >>"$report"
		vm_failed=$((vm_failed + 1))
	fi
	reports+=("$report")
done

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
failed=$((failed + vm_failed + $(grep -c '^report: FAIL' <<<"$all" || true)))
say "total time $(($(date +%s) - t0)) s; consoles: $BUILD/vm/check-$variant*/console.log; reports: ${reports[*]}"
# A failure that no count holds (checkpatch's own exit, a parser) still fails.
if [ "$failed" -eq 0 ] && { [ "$cp_rc" -ne 0 ] || [ "$kd_rc" -ne 0 ] || [ "$o32_rc" -ne 0 ] ||
	[ "$ka_rc" -ne 0 ]; }; then
	failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
