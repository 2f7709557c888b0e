#!/usr/bin/env bash
# The test boots of tests.list with one kernel: boot 0 runs the KUnit suites
# and the selftests before the first "boot" line, each "boot ARGS" line
# starts another boot with ARGS on its command line. Each boot's results
# go through report.py into build/results/check-VARIANT[-bootN].txt; a
# guest command that failed adds a "guest: FAIL" line to its report.
# Usage: scripts/boots.sh VARIANT SELFTESTS_DIR
#   VARIANT        a kernel of vm.sh (plain, debug, arm64-4k, arm64-16k)
#   SELFTESTS_DIR  the mm selftests built for its arch (selftests.sh)
# Exits non-zero only when a boot did not finish (hang or panic) or the
# list is wrong; test failures are in the reports.
. "$(dirname "$0")/lib.sh"

variant=${1:?usage: boots.sh VARIANT SELFTESTS_DIR}
stdir=${2:?usage: boots.sh VARIANT SELFTESTS_DIR}
[ -x "$stdir/run_vmtests.sh" ] || die "no selftests in $stdir; run scripts/selftests.sh"
S=$TOP/scripts
t0=$(date +%s)
stage() { say "== $* ($(($(date +%s) - t0)) s)"; }
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
rm -f "$RESULTS/check-$variant.txt" "$RESULTS/check-$variant"-boot*.txt
for b in $(seq 0 $nb); do
	insmod=()
	while read -r m; do
		[ -n "$m" ] || continue
		ko=$(find "$(variant_obj "$variant")/mods" -name "$m.ko" | head -n 1)
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
		"$S/guest-selftests.sh" "${insmod[@]}" "${vmt[@]}" "$stdir" "${tests[@]}" &&
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
	fi
done

