#!/usr/bin/env bash
# Runs in the guest (scripts/vm.sh): each named mm selftest from DIR, with a
# per-test timeout, between markers that scripts/report.sh reads.
# Usage: guest-selftests.sh DIR TEST...
set -u
dir=${1:?usage: guest-selftests.sh DIR TEST...}
shift
echo "kernel: $(uname -r); nodes: $(ls -d /sys/devices/system/node/node* | wc -l); cpus: $(nproc)"
for t in "$@"; do
	echo "### selftest $t begin"
	(cd "$dir" && timeout --kill-after=10 "${SELFTEST_TIMEOUT:-300}" "./$t")
	echo "### selftest $t exit $?"
done
# Anything the kernel reported meanwhile (a warning or splat fails the run).
dmesg | grep -E 'WARNING:|BUG:|INFO: task .* blocked|lockdep|KASAN' | sed 's/^/### dmesg /' || true
