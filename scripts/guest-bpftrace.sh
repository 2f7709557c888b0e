#!/usr/bin/env bash
# Runs in the guest, from the selftests directory (guest-selftests.sh):
# every script of bpftrace/ against a short stall, a TAP case each. The
# stall is TRIGGER (default: the migrate_lock_timeout cases "tracepoint"
# and "writeback_within_budget": a folio lock and a writeback held past the
# budget of a move_pages(2) call), started once bpftrace traces (its
# BEGIN line, bt-ready.sh). A script passes if bpftrace attached,
# exited cleanly on SIGINT and printed a line for every "Expect: REGEX" of
# its header comment.
# Usage: guest-bpftrace.sh [TRIGGER...]
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/bt-ready.sh"
dir=$here/bpftrace
if [ $# -eq 0 ]; then
	set -- ./migrate_lock_timeout -t tracepoint -t writeback_within_budget
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# (No process substitution: the guest has no /dev/fd.)
scripts=("$dir"/*.bt)
echo "TAP version 13"
echo "1..${#scripts[@]}"
if ! command -v bpftrace >/dev/null; then
	for i in "${!scripts[@]}"; do
		echo "not ok $((i + 1)) ${scripts[i]##*/} # no bpftrace (make deps installs it)"
	done
	exit 1
fi
modprobe -q test_folio_lock_holder 2>/dev/null || true
fail=0
for i in "${!scripts[@]}"; do
	bt=${scripts[i]} name=${scripts[i]##*/} log=$out/${scripts[i]##*/}.out
	why=""
	bpftrace "$bt" >"$log" 2>&1 &
	pid=$!
	bt_ready "$pid" "$log" 300 && ready=0 || ready=$?
	if [ "$ready" -eq 1 ]; then
		wait "$pid"
		why="bpftrace exited with status $? before the stall"
	elif [ "$ready" -eq 2 ]; then
		kill -KILL "$pid"
		wait "$pid"
		why="bpftrace did not start tracing within 300 s"
	else
		"$@" >"$out/trigger.log" 2>&1 || true
		kill -INT "$pid"
		for _ in $(seq 60); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.5
		done
		if kill -0 "$pid" 2>/dev/null; then
			kill -KILL "$pid"
			why="bpftrace did not stop on SIGINT"
		fi
		wait "$pid"
		rc=$?
		[ -n "$why" ] || [ "$rc" -eq 0 ] || why="bpftrace exited with status $rc"
	fi
	if [ -z "$why" ]; then
		expect=$(sed -n 's/^ \* Expect: //p' "$bt")
		[ -n "$expect" ] || why="no 'Expect:' line in its header"
		while read -r re; do
			[ -z "$re" ] || grep -qE -- "$re" "$log" || why="${why:+$why; }no line matches '$re'"
		done <<<"$expect"
	fi
	if [ -z "$why" ]; then
		echo "ok $((i + 1)) $name"
	else
		echo "not ok $((i + 1)) $name # $why"
		sed 's/^/# /' "$log" | head -n 40
		echo "# trigger: $*"
		sed 's/^/#   /' "$out/trigger.log" 2>/dev/null | tail -n 5
		fail=1
	fi
done
exit "$fail"
