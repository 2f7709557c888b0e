#!/usr/bin/env bash
# Runs in the guest (scripts/vm.sh): loads the given modules, prepares what
# run_vmtests.sh would (huge pages), then runs each named mm selftest from
# DIR with a per-test timeout, between markers that scripts/report.py reads.
# Usage: guest-selftests.sh [--insmod KO]... [--vmtests "CATEGORY..."] DIR TEST...
#   --vmtests  run DIR/run_vmtests.sh -t "CATEGORY..." first
#   TEST       a program of DIR, or "PROGRAM ARG..." (split on spaces); a
#              PROGRAM with a slash is a script of the harness, run from DIR
#              and named by its file name without .sh
set -u
mods=() cats=""
while [ $# -gt 0 ]; do
	case $1 in
	--insmod) mods+=("$2"); shift 2 ;;
	--vmtests) cats=$2; shift 2 ;;
	*) break ;;
	esac
done
dir=${1:?usage: guest-selftests.sh [--insmod KO]... DIR TEST...}
shift
echo "kernel: $(uname -r); nodes: $(ls -d /sys/devices/system/node/node* | wc -l); cpus: $(nproc)"
for m in "${mods[@]}"; do
	if ! insmod "$m"; then
		echo "### selftest insmod-$(basename "$m" .ko) begin"
		echo "### selftest insmod-$(basename "$m" .ko) exit 1"
	fi
done
# The hugetlb cases of selftests/mm/migration need free huge pages: 64 MiB
# of them (32 of 2 MiB with 4K pages; 2 of 32 MiB with arm64's 16K pages).
hp_kb=$(awk '$1 == "Hugepagesize:" { print $2 }' /proc/meminfo)
echo $((65536 / ${hp_kb:-2048} > 2 ? 65536 / ${hp_kb:-2048} : 2)) >/proc/sys/vm/nr_hugepages
echo "page size: $(getconf PAGESIZE); huge page: ${hp_kb:-none} kB, $(cat /proc/sys/vm/nr_hugepages) reserved"
# The categories, the way kernel CI systems run them; TAP_PREFIX makes
# run_vmtests.sh print a TAP line per program, its programs' own TAP
# lines prefixed with "# ".
if [ -n "$cats" ]; then
	echo "### selftest run_vmtests begin"
	(cd "$dir" && TAP_PREFIX="# " timeout --kill-after=10 "${VMTESTS_TIMEOUT:-1200}" \
		./run_vmtests.sh -t "$cats")
	echo "### selftest run_vmtests exit $?"
fi
for t in "$@"; do
	# "NAME ARG...": the program and its arguments, split on spaces.
	read -r -a argv <<<"$t"
	name=${argv[0]##*/} prog=./${argv[0]}
	case ${argv[0]} in */*) name=${name%.sh} prog=${argv[0]} ;; esac
	echo "### selftest $name begin"
	(cd "$dir" && timeout --kill-after=10 "${SELFTEST_TIMEOUT:-300}" "$prog" "${argv[@]:1}")
	echo "### selftest $name exit $?"
done
# Anything the kernel reported meanwhile (a warning or splat fails the run).
# (Splat headers only: the debug kernel's boot banner mentions lockdep too.)
dmesg | grep -E 'WARNING:|BUG:|INFO: task .* blocked|possible (circular|recursive) locking|inconsistent lock state|lockdep|Oops' |
	grep -vE 'lockdep checking is enabled|MAX_LOCKDEP' | sed 's/^/### dmesg /' || true
