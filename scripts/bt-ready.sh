# Sourced by the guest scripts that run bpftrace (guest-bpftrace.sh,
# bench/guest-bench.sh).
#
# bt_ready PID LOG SECONDS: wait until the bpftrace of PID, writing to LOG,
# is tracing: each script of bpftrace/ prints "Tracing ..." from its BEGIN
# probe, which bpftrace runs once every other probe is attached. Loading
# takes long in an emulated guest (on arm64 bpftrace compiles the
# tracepoints' arguments with the kernel's headers, read over 9p, for a
# minute or more), and a stall started earlier is missed. Returns 0 once
# tracing, 1 if bpftrace exited first, 2 after SECONDS.
bt_ready() {
	local pid=$1 log=$2 i
	for ((i = 0; i < $3 * 2; i++)); do
		grep -q '^Tracing ' "$log" 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.5
	done
	return 2
}
