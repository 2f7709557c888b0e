#!/usr/bin/env bash
# Every prefix of the series builds: for each patch k, check out base+k in
# a worktree (build/linux-prefix) and compile the C files that patches
# 1..k touched (objects only, and modules for lib/test_*), with the
# configuration of build/obj-plain. Much cheaper than k full builds: a
# header change rebuilds only the objects asked for.
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no kernel tree at $TREE; run 'make tree'"
[ -f "$BUILD/obj-plain/.config" ] || die "no build/obj-plain/.config; run 'make kernel'"
wt=$BUILD/linux-prefix
obj=$BUILD/obj-prefix
log=$LOGS/prefixes.log
: >"$log"
if [ ! -d "$wt" ]; then
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$wt" base >>"$log" 2>&1 || die "git worktree add failed" "$log"
fi
mkdir -p "$obj"
cp "$BUILD/obj-plain/.config" "$obj/.config"
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache} CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
kmake() { make -C "$wt" O="$obj" CC="ccache gcc" HOSTCC="ccache gcc" -j"$(($(nproc) + 1))" "$@"; }

mapfile -t commits < <(git -C "$TREE" rev-list --reverse base..HEAD)
[ ${#commits[@]} -gt 0 ] || die "the series is empty"
k=0
fail=0
for c in "${commits[@]}"; do
	k=$((k + 1))
	subject=$(git -C "$TREE" log -1 --format=%s "$c")
	git -C "$wt" checkout -q --detach "$c" >>"$log" 2>&1 || die "checkout of patch $k failed" "$log"
	mapfile -t build < <(series_objects "$wt")
	if [ ${#build[@]} -eq 0 ]; then
		say "patch $k/${#commits[@]}: $subject: no kernel C files yet"
		continue
	fi
	say "patch $k/${#commits[@]}: $subject: ${build[*]}"
	if ! { kmake olddefconfig && kmake "${build[@]}"; } >>"$log" 2>&1; then
		say "FAIL: the series up to patch $k does not build"
		fail=$((fail + 1))
	fi
done
say "details: $log"
echo "prefixes: $((k - fail)) passed, $fail failed"
[ $fail -eq 0 ]
