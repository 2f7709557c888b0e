#!/usr/bin/env bash
# Install with apt-get everything the other stages need. Quick when all is
# present: it only calls apt-get for what is missing.
. "$(dirname "$0")/lib.sh"

pkgs=(
	"$BASE_DEB_PKG=$BASE_DEB_VERSION"
	build-essential flex bison bc libelf-dev libssl-dev dwarves ccache
	cpio rsync kmod xz-utils zstd python3 python3-ply python3-git perl git
	qemu-system-x86 bpftrace gnuplot-nox dmsetup e2fsprogs
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm sparse clang lld llvm mmdebstrap
	libnuma-dev libcap-dev pkg-config
)
missing=()
for p in "${pkgs[@]}"; do
	name=${p%%=*}
	want=${p#*=}
	have=$(dpkg-query -W -f='${db:Status-Abbrev}${Version}' "$name" 2>/dev/null || true)
	case $have in
	ii*) [ "$name" = "$p" ] || [ "${have#ii }" = "$want" ] || missing+=("$p") ;;
	*) missing+=("$p") ;;
	esac
done
if [ ${#missing[@]} -eq 0 ]; then
	say "all ${#pkgs[@]} packages present"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || die "need root to install: ${missing[*]}"
log=$LOGS/deps.log
say "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
	say "apt-get install failed; updating the package lists once and retrying"
	apt-get update >>"$log" 2>&1 || die "apt-get update failed" "$log"
	apt-get install -y --no-install-recommends "${missing[@]}" >>"$log" 2>&1 ||
		die "apt-get install failed (is $BASE_DEB_PKG=$BASE_DEB_VERSION still offered?)" "$log"
fi
say "installed ${#missing[@]} package(s)"
