#!/usr/bin/env bash
# Boot the built kernel in QEMU and run one command in the guest.
#
# Usage: scripts/vm.sh [options] [--] COMMAND [ARG...]
#   --variant V             which kernel: plain, debug, stock, percall (build/obj-V)
#                           or mutant (build/mutant/obj); default plain;
#                           arm64-4k or arm64-16k: make devices' kernels
#   --smp N                 vCPUs, 1..8, split over the two nodes (default 2)
#   --timeout S             kill the guest after S seconds (default 900)
#   --append "ARGS"         extra kernel command line
#   --results DIR           results share (default build/vm/<variant>)
#
# The guest sees the host root read-only over virtio-9p, two NUMA nodes of
# 1 GiB, and DIR writable at /run/results. COMMAND runs from the current
# directory; its output is shown live and kept in DIR/output, the serial
# console in DIR/console.log. Exits with COMMAND's status; on a guest panic
# or hang prints the cause and the console's tail and exits 125.
# Accelerator: VM_ACCEL=tcg (default), kvm, or auto (a short KVM probe boot,
# remembered in build/accel).
# An arm64 variant boots in qemu-system-aarch64's virt machine (TCG, -cpu
# max, which has the 16K granule) with build/arm64-root (scripts/rootfs.sh)
# as its root and this repository mounted at the same path as on the host;
# its RAM starts at 1 GiB, so a "cma=SIZE@ADDR" in --append, written for
# x86's map (node 1 is [1G, 2G)), is moved up by 1 GiB to stay on its node.
. "$(dirname "$0")/lib.sh"

variant=plain smp=2 timeout=900 append="" results=""
while [ $# -gt 0 ]; do
	case $1 in
	--variant) variant=${2:?}; shift 2 ;;
	--smp) smp=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--append) append=${2?}; shift 2 ;;
	--results) results=${2:?}; shift 2 ;;
	--) shift; break ;;
	-*) die "unknown option '$1' (see the header of $0)" ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || die "no guest command given (usage: vm.sh [options] -- COMMAND...)"
[[ $smp =~ ^[1-8]$ ]] || die "--smp must be 1..8, not '$smp'"
[[ $timeout =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive number of seconds, not '$timeout'"
case $variant in
plain | debug | stock | percall | mutant | arm64-4k | arm64-16k) ;;
*) die "unknown variant '$variant' (plain, debug, stock, percall, mutant, arm64-4k or arm64-16k)" ;;
esac
arch=$(variant_arch "$variant")
obj=$(variant_obj "$variant")
if [ "$arch" = arm64 ]; then
	need_tools qemu-system-aarch64
	image=$obj/arch/arm64/boot/Image
	[ -f "$image" ] || die "no kernel at $image; run 'scripts/kernel.sh $variant'"
	guest_root=$BUILD/arm64-root
	[ -x "$guest_root/sbin/harness-init" ] && [ -d "$guest_root$TOP" ] ||
		die "no arm64 root for $TOP at $guest_root; run scripts/rootfs.sh"
	# virt's RAM starts at 1 GiB: x86's physical addresses plus that.
	fixed=""
	for a in $append; do
		if [[ $a =~ ^cma=([0-9]+[KMG]?)@([0-9]+)([KMG]?)$ ]]; then
			addr=${BASH_REMATCH[2]}
			case ${BASH_REMATCH[3]} in K) addr=$((addr << 10)) ;; M) addr=$((addr << 20)) ;; G) addr=$((addr << 30)) ;; esac
			a="cma=${BASH_REMATCH[1]}@$(((addr + (1 << 30)) >> 20))M"
		fi
		fixed+="${fixed:+ }$a"
	done
	append=$fixed
else
	need_tools qemu-system-x86_64
	image=$obj/arch/x86/boot/bzImage
	[ -f "$image" ] || die "no kernel at $image; run 'make kernel'"
	guest_root=/
fi
results=${results:-$BUILD/vm/$variant}
mkdir -p "$results"
results=$(cd "$results" && pwd)
rm -f "$results"/{status,status.tmp,output,console.log,cmd,env}

# The guest command, quoted for bash, and the environment for guest-init.
printf '%q ' "$@" >"$results/cmd"
echo >>"$results/cmd"
{
	printf 'MODULES_DIR=%q\n' "$obj/mods/lib/modules"
	printf 'GUEST_CWD=%q\n' "$PWD"
	printf 'HARNESS_TOP=%q\n' "$TOP"
} >"$results/env"

qemu_pid=""
tail_pid=""
cleanup() {
	[ -z "$tail_pid" ] || kill "$tail_pid" 2>/dev/null || true
	if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then
		kill -KILL "$qemu_pid" 2>/dev/null || true
		wait "$qemu_pid" 2>/dev/null || true
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# qemu_args ACCEL CONSOLE: the QEMU command line.
qemu_args() {
	local accel=$1 console=$2 n0=$(((smp + 1) / 2)) cpus1
	cpus1=$([ "$smp" -gt 1 ] && echo "cpus=$n0-$((smp - 1))," || true)
	local cmdline="root=/dev/root rootfstype=9p"
	cmdline+=" rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose ro"
	cmdline+=" panic=-1 oops=panic hung_task_panic=0"
	if [ "$arch" = arm64 ]; then
		# The arm64 root's own first init mounts the harness (rootfs.sh);
		# the kernel hands HARNESS_TOP=... to it in its environment.
		cmdline="console=ttyAMA0 $cmdline init=/sbin/harness-init HARNESS_TOP=$TOP $append"
		QEMU=(qemu-system-aarch64 -M virt -accel tcg -cpu max,pauth-impdef=on)
	else
		cmdline="console=ttyS0 $cmdline init=$TOP/scripts/guest-init.sh $append"
		QEMU=(qemu-system-x86_64 -accel "$accel" -cpu max)
	fi
	QEMU+=(-smp "$smp" -m 2G
		-object memory-backend-ram,id=m0,size=1G
		-object memory-backend-ram,id=m1,size=1G
		-numa node,nodeid=0,cpus=0-$((n0 - 1)),memdev=m0
		-numa "node,nodeid=1,${cpus1}memdev=m1"
		-fsdev "local,id=root,path=$guest_root,security_model=none,readonly=on,multidevs=remap"
		-device virtio-9p-pci,fsdev=root,mount_tag=/dev/root
		-fsdev "local,id=res,path=$results,security_model=none"
		-device virtio-9p-pci,fsdev=res,mount_tag=results
		-kernel "$image" -append "$cmdline"
		-display none -monitor none -serial "file:$console" -no-reboot)
	[ "$arch" != arm64 ] || QEMU+=(
		-fsdev "local,id=harness,path=$TOP,security_model=none,readonly=on,multidevs=remap"
		-device virtio-9p-pci,fsdev=harness,mount_tag=harness)
}

pick_accel() {
	local want=${VM_ACCEL:-tcg} cache=$BUILD/accel
	[ "$arch" != arm64 ] || { echo tcg; return; }
	case $want in
	tcg | kvm) echo "$want"; return ;;
	auto) ;;
	*) die "VM_ACCEL must be tcg, kvm or auto, not '$want'" ;;
	esac
	if [ -f "$cache" ]; then cat "$cache"; return; fi
	local acc=tcg
	if [ -w /dev/kvm ]; then
		say "probing KVM (20 s at most)" >&2
		qemu_args kvm "$results/kvm-probe.log"
		printf 'true\n' >"$results/cmd.probe"
		rm -f "$results/status"
		cp "$results/cmd" "$results/cmd.real"; cp "$results/cmd.probe" "$results/cmd"
		timeout 20 "${QEMU[@]}" >/dev/null 2>&1 || true
		[ -f "$results/status" ] && acc=kvm
		mv "$results/cmd.real" "$results/cmd"; rm -f "$results/status" "$results/cmd.probe"
	fi
	echo "$acc" >"$cache"
	echo "$acc"
}

accel=$(pick_accel)
console=$results/console.log
qemu_args "$accel" "$console"
: >"$console"
: >"$results/output"
say "booting $(cat "$obj/include/config/kernel.release") ($variant, $accel, $smp vCPUs, 2 nodes; timeout ${timeout}s)"
start=$(date +%s)
"${QEMU[@]}" >"$results/qemu.log" 2>&1 &
qemu_pid=$!
tail -n +1 -F "$results/output" 2>/dev/null &
tail_pid=$!

timed_out=0
while kill -0 "$qemu_pid" 2>/dev/null; do
	if [ $(($(date +%s) - start)) -ge "$timeout" ]; then
		timed_out=1
		kill -KILL "$qemu_pid" 2>/dev/null || true
		break
	fi
	sleep 1
done
wait "$qemu_pid" 2>/dev/null || true
qemu_pid=""
sleep 0.3
kill "$tail_pid" 2>/dev/null || true
wait "$tail_pid" 2>/dev/null || true
tail_pid=""
elapsed=$(($(date +%s) - start))

fail() {
	printf '[vm] FAILED: %s (console: %s)\n' "$1" "$console" >&2
	printf '%s\n' '--- last lines of the console ---' >&2
	tail -n 25 "$console" >&2
	exit 125
}
if [ -f "$results/status" ]; then
	rc=$(cat "$results/status")
	say "guest command exited with status $rc after ${elapsed}s"
	exit "$rc"
fi
panic=$(grep -m1 -E 'Kernel panic|BUG:|Oops:' "$console" || true)
[ -z "$panic" ] || fail "guest panic: $panic"
[ $timed_out -eq 0 ] || fail "guest hang: no result after ${timeout}s"
[ -s "$results/qemu.log" ] && fail "QEMU stopped without a result: $(head -n 1 "$results/qemu.log")"
fail "the guest stopped without a result after ${elapsed}s"
