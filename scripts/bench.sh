#!/usr/bin/env bash
# Stock vs patched, side by side: builds (or reuses) both kernels, boots
# each with the same lock-holder module and the same benchmark program,
# and writes build/results/bench.md plus gnuplot plots. S6 compares the
# patched kernel with a third, "per-call" (tree.sh --percall): one budget
# per operation against one per migrate_pages() call.
# Usage: scripts/bench.sh [--quick] [--snapshot]
#   --quick     the demo's set: S1, a short S3, S4 and S5; no S2, no S3
#               through compaction, no S6, no S0
#   --snapshot  also copy the results to docs/ (results.md, plots)
. "$(dirname "$0")/lib.sh"

quick=0 snapshot=0
for a in "$@"; do
	case $a in
	--quick) quick=1 ;;
	--snapshot) snapshot=1 ;;
	*) die "unknown argument '$a' (usage: bench.sh [--quick] [--snapshot])" ;;
	esac
done
S=$TOP/scripts
t0=$(date +%s)
stage() { say "== $* ($(($(date +%s) - t0)) s)"; }
need_tools gcc gnuplot

if [ ! -f "$BUILD/obj-plain/arch/x86/boot/bzImage" ]; then
	stage "building the patched kernel"
	"$S/tree.sh"
	"$S/kernel.sh" plain
fi
# side_kernel NAME: build/obj-NAME from build/linux-NAME (tree.sh
# --NAME), rebuilt when its tree or a config fragment changed since.
side_kernel() {
	local image=$BUILD/obj-$1/arch/x86/boot/bzImage
	"$S/tree.sh" "--$1"
	if [ ! -f "$image" ] ||
		[ -n "$(find "$BUILD/linux-$1.applied" "$TOP/configs" -newer "$image" | head -n 1)" ]; then
		"$S/kernel.sh" "$1"
	fi
}
stage "the stock kernel: base + the lock-holder module only"
side_kernel stock
if [ $quick -eq 0 ]; then
	stage "the per-call kernel: the series before one budget per operation (S6)"
	side_kernel percall
fi

# holder_ko VARIANT: the lock-holder module built for VARIANT.
holder_ko() {
	local ko
	ko=$(find "$BUILD/obj-$1/mods" -name test_folio_lock_holder.ko | head -n 1)
	[ -n "$ko" ] || die "no test_folio_lock_holder.ko in build/obj-$1; is CONFIG_TEST_FOLIO_LOCK_HOLDER=m in configs/?"
	echo "$ko"
}
out=$RESULTS/bench
mkdir -p "$out"
rm -f "$out"/results-*.txt "$out"/*.png
log=$LOGS/bench-build.log
gcc -O2 -Wall -o "$BUILD/migbench" "$TOP/bench/migbench.c" -lnuma >"$log" 2>&1 ||
	die "building bench/migbench.c failed" "$log"
# S4's stalled FUSE server and S5's stuck device: the selftests' own
# helpers, the same for both kernels.
"$S/selftests.sh" fuse_stall dm_stall
s4env=(FUSE_STALL="$BUILD/selftests/mm/fuse_stall" S4_STALL_MS=30000 S4_READERS=8
	DM_STALL="$BUILD/selftests/mm/dm_stall" S5_PAGES=64 S5_SUSPEND_MS=30000)

# The guest does not inherit this environment: the settings travel on the
# guest command line.
if [ $quick -eq 1 ]; then
	genv=(S2_KS= S3_ROUNDS=8 S3_HOLD_US=50000 S3C_HOLD_US= "${s4env[@]}")
	settings="0 10 100"
else
	genv=(S2_KS="8 64 512" S3_ROUNDS=20 S3_HOLD_US="1000 50000" S3C_ROUNDS=5
		S3C_HOLD_US="1000 50000" "${s4env[@]}")
	settings="0 1 10 100"
fi
for k in stock plain; do
	ko=$(holder_ko "$k") || exit 1
	label=$([ $k = stock ] && echo stock || echo patched)
	set_list=$([ $k = stock ] && echo stock || echo "$settings")
	stage "booting the $label kernel: settings $set_list"
	"$S/vm.sh" --variant "$k" --timeout 1800 --results "$BUILD/vm/bench-$label" -- \
		env "${genv[@]}" "$TOP/bench/guest-bench.sh" "$ko" "$BUILD/migbench" /run/results "$label" $set_list ||
		die "the $label benchmark boot failed$(grep -m 1 -o 'FAILED: .*' "$BUILD/vm/bench-$label/output" 2>/dev/null | sed 's/^/: /')" \
			"$BUILD/vm/bench-$label/console.log"
	cp "$BUILD/vm/bench-$label"/bpftrace-*.txt "$out/" 2>/dev/null || true
	grep '^RESULT ' "$BUILD/vm/bench-$label/output" >"$out/results-$label.txt" ||
		die "the $label boot printed no results" "$BUILD/vm/bench-$label/output"
done

# runs FILE ROUNDS "VARIANT:LABEL..." ENV... -- SETTING...: short boots of
# the kernels in turn, ROUNDS times, so that drift of the host hits each
# alike; their RESULT lines, marked run=N, in FILE.
runs() {
	local file=$1 rounds=$2 kernels=$3 genv=() run kl k label ko
	shift 3
	while [ "$1" != -- ]; do genv+=("$1"); shift; done
	shift
	: >"$file"
	for run in $(seq "$rounds"); do
		for kl in $kernels; do
			k=${kl%%:*} label=${kl#*:}
			ko=$(holder_ko "$k") || exit 1
			stage "${file##*/} run $run of $rounds: the $label kernel"
			"$S/vm.sh" --variant "$k" --timeout 900 --results "$BUILD/vm/bench-runs-$label" -- \
				env "${genv[@]}" "$TOP/bench/guest-bench.sh" "$ko" "$BUILD/migbench" /run/results "$label" "$@" ||
				die "the $label boot for ${file##*/} failed" "$BUILD/vm/bench-runs-$label/console.log"
			grep '^RESULT ' "$BUILD/vm/bench-runs-$label/output" | sed "s/^RESULT /RESULT run=$run /" \
				>>"$file" ||
				die "the $label boot for ${file##*/} printed no result" "$BUILD/vm/bench-runs-$label/output"
		done
	done
}
if [ $quick -eq 0 ]; then
	# S0, a healthy system, 5 runs; S6, one node compaction against K
	# held folios, one budget per call against one per operation.
	runs "$out/results-s0.txt" 5 "stock:stock plain:patched" S0_MB=256 --
	runs "$out/results-s6.txt" 2 "percall:per-call plain:per-operation" S6_KS="1 16 64 256" -- 0 10 100
fi

stage "report"
python3 "$TOP/bench/report.py" "$out" "$RESULTS/bench.md" \
	"$(cat "$BUILD/obj-plain/include/config/kernel.release")" >"$LOGS/bench-report.log" 2>&1 ||
	die "bench/report.py failed" "$LOGS/bench-report.log"
cat "$RESULTS/bench.md"
if [ $snapshot -eq 1 ]; then
	mkdir -p "$TOP/docs"
	# make devices' arm64 section (added by hand) outlives the x86 snapshot.
	arm=$(sed -n '/^## arm64/,$p' "$TOP/docs/results.md" 2>/dev/null || true)
	cp "$RESULTS/bench.md" "$TOP/docs/results.md"
	[ -z "$arm" ] || printf '\n%s\n' "$arm" >>"$TOP/docs/results.md"
	cp "$out"/*.png "$TOP/docs/" 2>/dev/null || true
	say "snapshot written to docs/results.md"
fi
say "done in $(($(date +%s) - t0)) s; results: $RESULTS/bench.md"
