#!/usr/bin/env bash
# The device path: the series on arm64 with 4K and with 16K pages. Builds
# the arm64 root (rootfs.sh), the selftests cross-built, each kernel
# (kernel.sh arm64-4k, arm64-16k), and runs the boots of tests.list in
# qemu-system-aarch64 with each (boots.sh): the KUnit suites, the
# run_vmtests.sh categories, the selftests, the bpftrace scripts, the
# movablecore/CMA boot. Writes build/results/devices.md, a column per page
# size, and ends with "N passed, N failed"; exits non-zero on a failure.
# Then S1 and S5 of make bench on each kernel, settings 0 and 100
# (bench/guest-bench.sh; no stock kernel): build/results/devices-bench.md.
# Usage: scripts/devices.sh [4k|16k]...   (default: both)
. "$(dirname "$0")/lib.sh"

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(4k 16k)
for p in "${sizes[@]}"; do
	case $p in 4k | 16k) ;; *) die "page size must be 4k or 16k, not '$p'" ;; esac
done
S=$TOP/scripts
t0=$(date +%s)
stage() { say "== $* ($(($(date +%s) - t0)) s)"; }

stage "the arm64 root"
"$S/rootfs.sh"
stage "applying the series"
"$S/tree.sh"
stage "cross-building the selftests and bench/migbench.c"
"$S/selftests.sh" --arch arm64
dev=$BUILD/arm64-dev migbench=$BUILD/migbench-arm64
aarch64-linux-gnu-gcc -O2 -Wall -I"$dev/include" -L"$dev/lib" -o "$migbench" \
	"$TOP/bench/migbench.c" -lnuma >"$LOGS/migbench-arm64.log" 2>&1 ||
	die "cross-building bench/migbench.c failed" "$LOGS/migbench-arm64.log"
mkdir -p "$RESULTS/devices-bench"
rm -f "$RESULTS/devices-bench"/results-*.txt
cols=()
for p in "${sizes[@]}"; do
	v=arm64-$p
	stage "building the kernel ($v)"
	"$S/kernel.sh" "$v"
	stage "the test boots ($v)"
	if ! "$S/boots.sh" "$v" "$BUILD/selftests-arm64/mm"; then
		echo "guest: FAIL the boots of $v did not finish (see $BUILD/vm/check-$v*/console.log)" \
			>>"$RESULTS/check-$v.txt"
	fi
	cols+=("${p^^}=$(ls "$RESULTS/check-$v.txt" "$RESULTS/check-$v"-boot*.txt 2>/dev/null | paste -sd,)")
	stage "S1 and S5 ($v, settings 0 and 100)"
	ko=$(find "$(variant_obj "$v")/mods" -name test_folio_lock_holder.ko | head -n 1)
	res=$BUILD/vm/bench-$v
	if "$S/vm.sh" --variant "$v" --smp 2 --timeout 900 --results "$res" -- \
		env S2_KS= S3_HOLD_US= BPFTRACE=0 DM_STALL="$BUILD/selftests-arm64/mm/dm_stall" \
		"$TOP/bench/guest-bench.sh" "$ko" "$migbench" /run/results "$v" 0 100; then
		grep '^RESULT ' "$res/output" >"$RESULTS/devices-bench/results-$v.txt" || true
	else
		say "the benchmark boot of $v failed (see $res/console.log); no figures for it"
	fi
done

stage "results"
out=$RESULTS/devices.md
{
	echo "# make devices: arm64, $(cat "$BUILD/obj-arm64-${sizes[0]}/include/config/kernel.release")"
	echo
	"$S/report.py" --columns "${cols[@]}" && rc=0 || rc=$?
} >"$out"
cat "$out"
if ls "$RESULTS/devices-bench"/results-*.txt >/dev/null 2>&1; then
	python3 "$TOP/bench/report.py" --devices "$RESULTS/devices-bench"/results-*.txt \
		>"$RESULTS/devices-bench.md" 2>"$LOGS/devices-bench.log" &&
		cat "$RESULTS/devices-bench.md" ||
		say "bench/report.py --devices failed (see $LOGS/devices-bench.log)"
fi
say "total time $(($(date +%s) - t0)) s; table: $out; consoles: $BUILD/vm/check-arm64-*/console.log"
# The last line, as make check's: "N passed, N failed".
tail -n 1 "$out"
exit "${rc:-1}"
