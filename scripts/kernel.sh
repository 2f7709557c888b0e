#!/usr/bin/env bash
# Build bzImage and modules of build/linux out of tree, with ccache.
# Usage: scripts/kernel.sh [plain|debug|stock|percall|mutant]
#   plain  tinyconfig + configs/*.config          -> build/obj-plain
#   debug  the same + configs/variant/debug.config -> build/obj-debug
#   stock  plain's config, from build/linux-stock   -> build/obj-stock
#          (the base kernel plus only the lock-holder module: tree.sh --stock)
#   percall plain's config, from build/linux-percall -> build/obj-percall
#          (the series before one budget per operation: tree.sh --percall)
#   mutant plain's config, from build/mutant/linux  -> build/mutant/obj
#          (scripts/mutants.sh's copy of the tree, with one mutant applied)
#   arm64-4k, arm64-16k
#          tinyconfig + the harness fragments for arm64 + configs/arch/V.config,
#          cross-compiled (Image)                   -> build/obj-V (make devices)
. "$(dirname "$0")/lib.sh"

variant=${1:-plain}
case $variant in
plain | stock | percall | mutant) extra=() ;;
debug) extra=("$TOP/configs/variant/debug.config") ;;
arm64-4k | arm64-16k) extra=("$TOP/configs/arch/$variant.config") ;;
*) die "unknown kernel variant '$variant' (plain, debug, stock, percall, mutant, arm64-4k or arm64-16k)" ;;
esac
src=$(variant_tree "$variant")
TREE=$src

arch=$(variant_arch "$variant")
cross="" image=bzImage
if [ "$arch" = arm64 ]; then
	cross=aarch64-linux-gnu- image=Image
fi
need_tools gcc make flex bison bc pahole ccache ${cross:+"${cross}gcc"}
[ -f "$TREE/Makefile" ] || die "no kernel tree at $TREE; run 'make tree' (stock, percall: scripts/tree.sh --stock, --percall; mutant: scripts/mutants.sh)"
need_space 3000
obj=$(variant_obj "$variant")
log=$LOGS/kernel-$variant.log
mkdir -p "$obj"
jobs=${JOBS:-$(($(nproc) + 1))}
export KBUILD_BUILD_TIMESTAMP="2000-01-01" KBUILD_BUILD_USER=harness KBUILD_BUILD_HOST=harness
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache} CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
kmake() {
	make -C "$TREE" O="$obj" ARCH="$arch" ${cross:+CROSS_COMPILE="$cross"} CC="ccache ${cross}gcc" \
		HOSTCC="ccache gcc" -j"$jobs" "$@"
}

mapfile -t frags < <(harness_frags "$arch")
frags+=("${extra[@]}")
say "configuring ($variant): tinyconfig + ${frags[*]##*/}"
{
	kmake tinyconfig &&
		"$TREE/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "${frags[@]}" &&
		kmake olddefconfig
} >"$log" 2>&1 || die "kernel configuration failed" "$log"

# Every option a fragment asks for must be in the result.
bad=$(config_dropped "$TREE" "$obj/.config" "${frags[@]}")
[ -z "$bad" ] || die "kconfig dropped: $bad (unmet dependencies; see $obj/.config)" "$log"

say "building $image and modules ($variant, -j$jobs; a cold build takes about 17 minutes on 2 cores)"
run_logged "$log.build" kmake "$image" modules || die "kernel build failed" "$log.build"
rm -rf "$obj/mods"
kmake INSTALL_MOD_PATH="$obj/mods" modules_install >>"$log" 2>&1 || die "modules_install failed" "$log"
kver=$(cat "$obj/include/config/kernel.release")
say "built $kver: $obj/arch/$([ "$arch" = arm64 ] && echo arm64 || echo x86)/boot/$image"
ccache -s 2>/dev/null | grep -iE 'hits|misses' | head -n 3 | sed "s/^/[$PROG]   ccache /" || true
