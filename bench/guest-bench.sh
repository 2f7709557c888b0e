#!/usr/bin/env bash
# Runs in the guest (scripts/vm.sh), on the stock or the patched kernel:
# the stuck-holder, transient-holder and stalled-FUSE scenarios for each
# setting, with a bpftrace histogram of the lock waits running alongside.
# Usage: guest-bench.sh KO MIGBENCH OUTDIR LABEL SETTING...
#   SETTING  a vm.migrate_lock_timeout_ms value, or "stock" (no sysctl)
# Environment: S1_HOLD_MS (30000), S2_KS ("8 64 512"; K=1 is S1), S3_ROUNDS
#   (20), S3_HOLD_US ("1000 50000": one S3 run per hold time, and one of
#   the mixed row: the same plus one folio held throughout; empty: no S3),
#   BPFTRACE (1:
#   run the histogram scripts), FUSE_STALL (the fuse_stall server; S4 runs
#   when it is set), S4_STALL_MS (30000), S4_READERS (8), DM_STALL (the
#   dm_stall helper; S5 runs when it is set), S5_PAGES (64), S5_SUSPEND_MS
#   (30000: the helper resumes the device then at the latest), S3C_ROUNDS
#   (5), S3C_HOLD_US ("1000 50000": S3 through compaction, one run per hold
#   time; empty: none), S0_MB (set: run only S0, the healthy system, with a
#   region of S0_MB MiB), S6_KS (set: run only S6, one node compaction
#   against K held folios, for each K of S6_KS and each setting).
set -u
ko=$1 migbench=$2 out=$3 label=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../scripts/bt-ready.sh"
S1_HOLD_MS=${S1_HOLD_MS:-30000}
S2_KS=${S2_KS-8 64 512}
S3_ROUNDS=${S3_ROUNDS:-20}
S3_HOLD_US=${S3_HOLD_US-1000 50000}
FUSE_STALL=${FUSE_STALL:-}
S4_STALL_MS=${S4_STALL_MS:-30000}
S4_READERS=${S4_READERS:-8}
DM_STALL=${DM_STALL:-}
S5_PAGES=${S5_PAGES:-64}
S5_SUSPEND_MS=${S5_SUSPEND_MS:-30000}
S3C_ROUNDS=${S3C_ROUNDS:-5}
S3C_HOLD_US=${S3C_HOLD_US-1000 50000}
mkdir -p "$out"
insmod "$ko" || { echo "guest-bench: insmod $ko failed"; exit 1; }
sysctl=/proc/sys/vm/migrate_lock_timeout_ms
echo 1 >/proc/sys/vm/compact_memory

if [ -n "${S0_MB:-}" ]; then
	echo "guest-bench: $label: S0 (nothing held, $S0_MB MiB)"
	"$migbench" healthy "$S0_MB" | sed "s/^RESULT /RESULT kernel=$label setting=${1:-default} /"
	exit "${PIPESTATUS[0]}"
fi

# tag SETTING: set vm.migrate_lock_timeout_ms (unless SETTING is "stock")
# and print the label of the setting's rows.
tag() {
	if [ "$1" = stock ]; then
		[ ! -e $sysctl ] || { echo "guest-bench: FAILED: 'stock' on a kernel with $sysctl" >&2; return 1; }
	else
		echo "$1" >$sysctl || { echo "guest-bench: FAILED: cannot set $sysctl to $1" >&2; return 1; }
	fi
	echo "T=$1"
}

if [ -n "${S6_KS:-}" ]; then
	for setting in "$@"; do
		t=$(tag "$setting") || exit 1
		for k in $S6_KS; do
			echo "guest-bench: $label $t: S6 (one compaction of node 0, K=$k held)"
			"$migbench" compact "$k" 0 | sed "s/^RESULT /RESULT kernel=$label setting=$setting /"
		done
	done
	exit 0
fi

# The bpftrace scripts running alongside: pids, scripts, outputs.
bt_pids=() bt_names=() bt_outs=()
bt_start() {
	bpftrace "$here/../bpftrace/$1" >"$out/$2" 2>&1 &
	bt_pids+=($!) bt_names+=("$1") bt_outs+=("$out/$2")
}
if [ "${BPFTRACE:-1}" = 1 ]; then
	command -v bpftrace >/dev/null || { echo "guest-bench: FAILED: no bpftrace (make deps)"; exit 1; }
	bt_start folio-lock-in-migration.bt "bpftrace-$label.txt"
	# The tracepoints' own histograms, where the kernel has them.
	if [ -d /sys/kernel/tracing/events/migrate/mm_migrate_wait ]; then
		bt_start migrate-wait.bt "bpftrace-wait-$label.txt"
	fi
	if [ -d /sys/kernel/tracing/events/migrate/mm_migrate_budget ]; then
		bt_start migrate-budget.bt "bpftrace-budget-$label.txt"
	fi
	for i in "${!bt_pids[@]}"; do
		bt_ready "${bt_pids[i]}" "${bt_outs[i]}" 300 && continue
		echo "guest-bench: FAILED: bpftrace script ${bt_names[i]} did not start tracing:"
		head -n 5 "${bt_outs[i]}"
		exit 1
	done
fi

for setting in "$@"; do
	tag=$(tag "$setting") || exit 1
	echo "guest-bench: $label $tag: S1 (1 of 512 held for $S1_HOLD_MS ms)"
	"$migbench" stuck 1 "$S1_HOLD_MS" | sed "s/^RESULT /RESULT kernel=$label setting=$setting /"
	if [ "$setting" != stock ] && [ "$setting" != 3600000 ] && [ -n "$S2_KS" ]; then
		for k in $S2_KS; do
			echo "guest-bench: $label $tag: S2 (K=$k held)"
			"$migbench" stuck "$k" "$S1_HOLD_MS" | sed "s/^RESULT /RESULT kernel=$label setting=$setting /"
		done
	fi
	# The mixed row holds one folio until the run ends: a stock kernel
	# would wait for it for ever.
	hows="transient mixed"
	[ "$setting" != stock ] || hows=transient
	for us in $S3_HOLD_US; do
		for how in $hows; do
			echo "guest-bench: $label $tag: S3 $how ($S3_ROUNDS rounds, $us us transient holds)"
			"$migbench" "$how" "$S3_ROUNDS" "$us" | sed "s/^RESULT /RESULT kernel=$label setting=$setting /"
		done
	done
	for us in $S3C_HOLD_US; do
		echo "guest-bench: $label $tag: S3 through compaction ($S3C_ROUNDS rounds, $us us transient holds)"
		"$migbench" compact-transient "$S3C_ROUNDS" "$us" | sed "s/^RESULT /RESULT kernel=$label setting=$setting /"
	done
	if [ -n "$FUSE_STALL" ]; then
		echo "guest-bench: $label $tag: S4 (compact_memory, $S4_READERS FUSE reads stalled for $S4_STALL_MS ms)"
		"$migbench" fuse "$FUSE_STALL" "$S4_READERS" "$S4_STALL_MS" | sed "s/^RESULT /RESULT kernel=$label setting=$setting /"
	fi
	if [ -n "$DM_STALL" ]; then
		echo "guest-bench: $label $tag: S5 (move_pages and compact_memory, $S5_PAGES pages under writeback on a device suspended for up to $S5_SUSPEND_MS ms)"
		"$migbench" stuckdev "$DM_STALL" "$S5_PAGES" "$S5_SUSPEND_MS" | sed "s/^RESULT /RESULT kernel=$label setting=$setting /"
	fi
done
bt_failed=0
for i in "${!bt_pids[@]}"; do
	kill -INT "${bt_pids[i]}"
	wait "${bt_pids[i]}"
	rc=$?
	echo "guest-bench: bpftrace ${bt_names[i]} ($label):"
	cat "${bt_outs[i]}"
	if [ "$rc" -ne 0 ] || ! grep -q '^@' "${bt_outs[i]}"; then
		echo "guest-bench: FAILED: bpftrace script ${bt_names[i]} exited with status $rc and printed $(grep -c '^@' "${bt_outs[i]}") map(s)"
		bt_failed=1
	fi
done
grep -E 'pgmigrate_(success|fail|.*_timeout)' /proc/vmstat | sed "s/^/vmstat $label: /"
exit "$bt_failed"
