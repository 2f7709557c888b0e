#!/usr/bin/env bash
# The arm64 guest's root filesystem for make devices: Debian's arm64
# packages of the host's release, resolved and unpacked by mmdebstrap
# (--variant=extract: no maintainer script runs, so no arm64 emulation is
# needed on the host) into build/arm64-root, plus the mount points the
# guest needs and its first init, /sbin/harness-init, which mounts the
# harness (this repository, over 9p) at the same path as on the host and
# hands over to scripts/guest-init.sh. Also build/arm64-dev: libnuma's
# header and library, for cross-building the selftests.
# Reused while the package list below and this script are unchanged.
# Usage: scripts/rootfs.sh
. "$(dirname "$0")/lib.sh"

# What guest-init.sh, guest-selftests.sh, run_vmtests.sh, the selftests
# (dm_stall runs dmsetup, compaction_test popen()s /bin/sh, the kcompactd
# and proactive cases of migrate_lock_timeout run mkfs.ext2) and
# guest-bpftrace.sh run; apt adds their dependencies.
pkgs=(base-files bash dash coreutils util-linux mount kmod grep sed gawk findutils libc-bin debianutils
	procps diffutils hostname iproute2 bc dmsetup e2fsprogs bpftrace libnuma1 libnuma-dev)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
root=$BUILD/arm64-root
dev=$BUILD/arm64-dev
stamp=$BUILD/arm64-root.stamp
want=$( (printf '%s\n' "$suite" "$mirror" "$TOP" "${pkgs[@]}"; cat "$0") | sha256sum | cut -d' ' -f1)

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$root/sbin/harness-init" ]; then
	say "reusing $root"
	exit 0
fi
need_tools mmdebstrap
need_space 2000
[ "$(id -u)" -eq 0 ] || die "mmdebstrap needs root here (it unpacks files owned by root)"
log=$LOGS/rootfs.log
rm -rf "$root" "$dev" "$stamp"
say "unpacking Debian $suite arm64: ${pkgs[*]} (and their dependencies) from $mirror"
run_logged "$log" mmdebstrap --variant=extract --arch=arm64 \
	--include="$(IFS=,; echo "${pkgs[*]}")" "$suite" "$root" "$mirror" ||
	die "mmdebstrap failed (is $mirror reachable?)" "$log"

# Mount points of guest-init.sh and vm.sh: the root is read-only in the
# guest, so they are made here.
mkdir -p "$root$TOP" "$root"/{proc,sys,dev,run,tmp,var/tmp,lib/modules}
# The links that maintainer scripts would make (update-alternatives).
[ -e "$root/usr/bin/awk" ] || ln -s gawk "$root/usr/bin/awk"
[ -e "$root/usr/bin/which" ] || ln -s which.debianutils "$root/usr/bin/which"
for f in bin/sh bin/bash usr/bin/awk usr/bin/bpftrace sbin/dmsetup lib/ld-linux-aarch64.so.1; do
	[ -e "$root/$f" ] || die "the unpacked root has no /$f" "$log"
done
cat >"$root/sbin/harness-init" <<'EOF'
#!/bin/bash
# PID 1 of make devices' arm64 guest (written by scripts/rootfs.sh):
# HARNESS_TOP comes from the kernel command line; the harness is mounted
# there read-only and its guest-init.sh takes over as PID 1.
if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,ro harness "$HARNESS_TOP" ||
	[ ! -x "$HARNESS_TOP/scripts/guest-init.sh" ]; then
	echo "harness-init: cannot mount the harness at '$HARNESS_TOP'" >/dev/console
	mount -t proc proc /proc && echo o >/proc/sysrq-trigger
	sleep 30
fi
exec "$HARNESS_TOP/scripts/guest-init.sh"
EOF
chmod +x "$root/sbin/harness-init"

mkdir -p "$dev/include" "$dev/lib"
cp "$root"/usr/include/numa*.h "$dev/include/"
cp -P "$root"/usr/lib/aarch64-linux-gnu/libnuma.so* "$dev/lib/"
echo "$want" >"$stamp"
say "built $root ($(du -sm "$root" | cut -f1) MiB)"
