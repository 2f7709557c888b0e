#!/usr/bin/env bash
# Build the objects that the series touches (its C files outside tools/)
# for one configuration of configs/matrix/, out of tree, with ccache; check
# that kconfig kept the options the fragment asks for, and on a 32-bit
# architecture that no object calls libgcc's 64-bit division helpers (a
# '/' or '%' on a 64-bit value, which the kernel does not link).
# Usage: scripts/objects.sh [--tree DIR] [--out DIR] [--make ARG]... [--link] NAME
#   NAME      configs/matrix/NAME.config, whose comment lines say
#             "# arch: ARCH", "# base: CONFIG-TARGET" (tinyconfig,
#             defconfig, ...; "harness": tinyconfig with the test kernel's
#             fragments, lib.sh harness_frags) and optionally "# cross: PREFIX", "# make:
#             ARGS" (extra make arguments, e.g. LLVM=1) and "# off: SYM..."
#             (options the configuration exists to turn off: they must be
#             off in the result)
#   --tree    the kernel tree (default build/linux)
#   --objects-of DIR
#             build the objects that the series in DIR touches (default:
#             the tree's own), those of them that exist in the tree
#   --out     the object directory (default build/obj-m-NAME)
#   --make    one more make argument for the object build (W=1, C=1)
#   --link    also link vmlinux and the modules (what only a link tells:
#             a missing symbol, a 64-bit division helper)
# Prints one line per object and "objects: N passed, N failed"; the full
# compiler output is in build/logs/objects-NAME*.log, the warnings about
# the objects in OUT/warnings.txt (without line numbers, sorted).
. "$(dirname "$0")/lib.sh"

tree=$TREE out="" extra=() link=0 objs_of=""
while [ $# -gt 1 ]; do
	case $1 in
	--tree) tree=${2:?}; shift 2 ;;
	--objects-of) objs_of=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--make) extra+=("${2:?}"); shift 2 ;;
	--link) link=1; shift ;;
	*) die "unknown option '$1' (see the header of $0)" ;;
	esac
done
name=${1:-}
[ -n "$name" ] || die "no configuration named (usage: objects.sh [options] NAME)"
frag=$TOP/configs/matrix/$name.config
[ -f "$frag" ] || die "no configuration '$name': $frag does not exist (there are: $(cd "$TOP/configs/matrix" && ls -- *.config | sed 's/\.config$//' | tr '\n' ' '))"
[ -f "$tree/Makefile" ] || die "no kernel tree at $tree; run 'make tree'"
field() { sed -n "s/^# $1: *//p" "$frag" | head -n 1; }
arch=$(field arch) base=$(field base) cross=$(field cross) off=$(field off)
read -r -a margs <<<"$(field make)"
[ -n "$arch" ] && [ -n "$base" ] || die "$frag needs '# arch:' and '# base:' lines"
if [ -n "$cross" ]; then
	need_tools "${cross}gcc"
fi
out=${out:-$BUILD/obj-m-$name}
log=$LOGS/objects-$name$([ "$tree" = "$TREE" ] || echo "-$(basename "$tree")").log
mkdir -p "$out"
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache} CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
cc="ccache ${cross}gcc"
for a in "${margs[@]}"; do
	case $a in LLVM=*) cc="ccache clang" ;; esac
done
kmake() {
	make -C "$tree" O="$out" ARCH="$arch" ${cross:+CROSS_COMPILE="$cross"} CC="$cc" \
		HOSTCC="ccache gcc" "${margs[@]}" -j"$(($(nproc) + 1))" "$@"
}

frags=("$frag")
if [ "$base" = harness ]; then
	base=tinyconfig
	mapfile -t frags < <(harness_frags "$arch")
	frags+=("$frag")
fi
{
	kmake "$base" &&
		"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${frags[@]}" &&
		kmake olddefconfig
} >"$log" 2>&1 || die "configuring $name failed" "$log"
# What the fragment asks for must be in the result; the base config's own
# wishes (the harness fragments) may give way to what it turns off.
bad=$(config_dropped "$tree" "$out/.config" "$frag" 2>>"$log")
[ -z "$bad" ] || die "$name: kconfig dropped $bad (unmet dependencies; see $out/.config)" "$log"
for sym in $off; do
	! grep -q "^CONFIG_$sym=[ym]" "$out/.config" ||
		die "$name: CONFIG_$sym is still on (something selects it; see $out/.config)" "$log"
done

mapfile -t objs < <(series_objects "${objs_of:-$tree}")
[ ${#objs[@]} -gt 0 ] || die "the series touches no kernel C file"
kmake prepare >>"$log" 2>&1 || die "$name: make prepare failed" "$log"
pass=0 fail=0
: >"$out/warnings.raw"
for o in "${objs[@]}"; do
	[ -f "$tree/${o%.o}.c" ] || continue
	# An object that its Makefile builds only under an option that is off.
	sym=$(object_config "$tree" "$o")
	if [ -n "$sym" ] && [ "$sym" != y ] && ! grep -q "^$sym=[ym]" "$out/.config"; then
		say "skip $name: $o (not built without $sym)"
		continue
	fi
	rm -f "$out/$o"
	kmake -s "${extra[@]}" "$o" >"$out/object.log" 2>&1 && ok=1 || ok=0
	cat "$out/object.log" >>"$log"
	grep -E '^[^ ]+:[0-9]+(:[0-9]+)?: (warning|error):' "$out/object.log" >>"$out/warnings.raw" || true
	if [ $ok -eq 0 ]; then
		say "FAIL $name: $o does not build: $(grep -m1 -E 'error:' "$out/object.log" || echo "see $log")"
		fail=$((fail + 1))
		continue
	fi
	# An object that this configuration does not build is skipped.
	if [ ! -f "$out/$o" ]; then
		say "skip $name: $o (not built in this configuration)"
		continue
	fi
	if grep -q '^CONFIG_64BIT=y' "$out/.config"; then
		div=""
	else
		div=$(nm -u "$out/$o" | { grep -owE '__u?(div|mod)di3|__aeabi_[lu]*div(mod)?' || true; } | sort -u | tr '\n' ' ')
	fi
	if [ -n "$div" ]; then
		say "FAIL $name: $o calls ${div}(a 64-bit / or %: use div_s64(), div64_s64(), div_u64())"
		fail=$((fail + 1))
	else
		say "ok   $name: $o"
		pass=$((pass + 1))
	fi
done
# Paths as the tree knows them, no line numbers: comparable with another
# tree's build of the same objects.
sed -E -e 's#^[^ ]*/(linux|linux-[a-z]+)/##' -e 's#^\.\./##' -e 's#^([^ :]+):[0-9]+(:[0-9]+)?: #\1: #' \
	"$out/warnings.raw" | sort >"$out/warnings.txt"
if [ $link -eq 1 ] && [ "$fail" -eq 0 ]; then
	say "linking $name (vmlinux and modules)"
	if kmake vmlinux modules >>"$log" 2>&1; then
		say "ok   $name: vmlinux and modules link"
		pass=$((pass + 1))
	else
		say "FAIL $name: the link fails: $(grep -m1 -E 'undefined reference|undefined!|error' "$log" || echo "see $log")"
		fail=$((fail + 1))
	fi
fi
echo "objects: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
