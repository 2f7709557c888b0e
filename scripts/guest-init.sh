#!/bin/bash
# PID 1 of the test guest (scripts/vm.sh boots the kernel with
# init=<this file>; the root filesystem is the host's, read-only over 9p).
# Mounts what tests need, runs /run/results/cmd, stores its exit status in
# /run/results/status and powers off. Never run this on the host.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp LANG=C.UTF-8 TERM=dumb

if [ $$ -ne 1 ]; then
	echo "guest-init.sh is the guest's init; it must not run as a normal process" >&2
	exit 2
fi

R=/run/results
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /var/tmp
mkdir -p -m 1777 /run/tmp
export TMPDIR=/run/tmp
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
mount -t bpf bpf /sys/fs/bpf 2>/dev/null || true
mkdir -p $R
if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 results $R; then
	echo "guest-init: cannot mount the results share" >/dev/console
	echo o >/proc/sysrq-trigger
fi
# Variables from the runner: MODULES_DIR, GUEST_CWD, HARNESS_TOP.
# shellcheck disable=SC1091
. $R/env
# A writable /tmp, unless the harness itself lives under the host's /tmp
# (a CI clone may): then the host's /tmp stays visible, read-only, and
# TMPDIR points at /run/tmp.
case ${HARNESS_TOP:-/} in
/tmp/*) ;;
*) mount -t tmpfs -o mode=1777 tmpfs /tmp ;;
esac
# The build's modules for modprobe: over the host's /lib/modules where it
# has one; otherwise (the read-only root has no mount point for them) a
# modprobe first in PATH that looks in the build's tree instead.
if [ -n "${MODULES_DIR:-}" ] && [ -d "$MODULES_DIR" ]; then
	if [ -d /lib/modules ]; then
		mount --bind "$MODULES_DIR" /lib/modules
	else
		mkdir -p /run/bin
		printf '#!/bin/sh\nexec "%s" -d "%s" "$@"\n' "$(command -v modprobe)" \
			"${MODULES_DIR%/lib/modules}" >/run/bin/modprobe
		chmod +x /run/bin/modprobe
		export PATH=/run/bin:$PATH
	fi
fi
# Debian's arm64 bpftrace (not its x86 one, here) compiles a script's reads
# of tracepoint arguments with the kernel headers of /lib/modules/R/build,
# which is the build's object directory: its headers are in its source tree.
kbuild=$(readlink "/lib/modules/$(uname -r)/build" 2>/dev/null || true)
if [ "$(uname -m)" = aarch64 ] && [ -n "$kbuild" ] && [ -d "$kbuild/source/include" ]; then
	export BPFTRACE_KERNEL_SOURCE=$kbuild/source BPFTRACE_KERNEL_BUILD=$kbuild
fi
hostname guest
ip link set lo up 2>/dev/null || true
cd "${GUEST_CWD:-/}" || cd /

echo "guest-init: running the guest command" >/dev/console
bash $R/cmd </dev/null 2>&1 | tee $R/output >/dev/console
rc=${PIPESTATUS[0]}
echo "$rc" >$R/status.tmp && mv $R/status.tmp $R/status
sync
echo "guest-init: command exited with status $rc; powering off" >/dev/console
umount $R 2>/dev/null
echo o >/proc/sysrq-trigger
sleep 30
