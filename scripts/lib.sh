# shellcheck shell=bash
# Common helpers for the harness scripts: paths, logging, failure reporting.
# Sourced, never run.

set -o errexit -o nounset -o pipefail

# Debian's python3 first: checkpatch's spdxcheck needs python3-ply and python3-git.
export PATH=/usr/bin:/bin:$PATH

# A variable given to the harness's make (make mutants M="...") reaches
# every make a stage starts through MAKEFLAGS, and to the kernel's make M=
# means an external module: each stage's makes start afresh.
unset MAKEFLAGS MFLAGS MAKEOVERRIDES MAKELEVEL

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../base.env
. "$TOP/base.env"

BUILD=${BUILD:-$TOP/build}
TREE=$BUILD/linux
LOGS=$BUILD/logs
RESULTS=$BUILD/results
SERIES_DIR=$TOP/patches
mkdir -p "$LOGS"

PROG=$(basename "$0" .sh)

say() { printf '[%s] %s\n' "$PROG" "$*"; }

# die CAUSE [LOG]: one line naming the cause (and the log to read), exit 1.
die() {
	if [ $# -ge 2 ] && [ -n "$2" ]; then
		printf '[%s] FAILED: %s (log: %s)\n' "$PROG" "$1" "$2" >&2
		if [ -f "$2" ]; then
			printf '%s\n' '--- last lines of the log ---' >&2
			tail -n 20 "$2" >&2
		fi
	else
		printf '[%s] FAILED: %s\n' "$PROG" "$1" >&2
	fi
	exit 1
}

need_tools() {
	local t missing=()
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || missing+=("$t")
	done
	[ ${#missing[@]} -eq 0 ] || die "missing tool(s): ${missing[*]}; run 'make deps'"
}

# Refuse to start when the disk holding the build dir is nearly full.
need_space() {
	local want_mb=$1 have_mb
	mkdir -p "$BUILD"
	have_mb=$(df -Pm "$BUILD" | awk 'NR == 2 { print $4 }')
	[ "$have_mb" -ge "$want_mb" ] ||
		die "only ${have_mb} MiB free under $BUILD, need ${want_mb} MiB"
}

# variant_tree VARIANT / variant_obj VARIANT: the source tree and the
# object directory of a kernel variant. "mutant" is scripts/mutants.sh's
# copy of the tree, build/mutant/linux, built in build/mutant/obj: the
# object directory sits next to its tree as build/obj-plain sits next to
# build/linux, so that ccache (CCACHE_BASEDIR=build) finds plain's objects.
variant_tree() {
	case $1 in
	stock | percall) echo "$BUILD/linux-$1" ;;
	mutant) echo "$BUILD/mutant/linux" ;;
	*) echo "$TREE" ;;
	esac
}
variant_obj() {
	case $1 in
	mutant) echo "$BUILD/mutant/obj" ;;
	*) echo "$BUILD/obj-$1" ;;
	esac
}

# variant_arch VARIANT: the kernel ARCH a variant is built for; the
# arm64-PAGESIZE variants are make devices' kernels (configs/arch/).
variant_arch() {
	case $1 in
	arm64-*) echo arm64 ;;
	*) echo x86_64 ;;
	esac
}

# harness_frags ARCH: the fragments every harness kernel of ARCH gets:
# configs/*.config, then configs/arch/'s file for ARCH's family.
harness_frags() {
	local fam=$1
	case $fam in x86 | x86_64 | i386) fam=x86 ;; esac
	printf '%s\n' "$TOP"/configs/*.config
	[ ! -f "$TOP/configs/arch/$fam.config" ] || echo "$TOP/configs/arch/$fam.config"
}

# The patches of the series, in order.
series_patches() {
	[ -f "$SERIES_DIR/series" ] || return 0
	grep -v -e '^#' -e '^[[:space:]]*$' "$SERIES_DIR/series" || true
}

# A digest of the series as it stands in patches/: tree.sh skips
# re-applying (and so a rebuild) when the tree already holds it.
series_digest() {
	series_patches | while read -r p; do cat "$SERIES_DIR/$p"; done | sha256sum | cut -d' ' -f1
}

# run_logged LOG CMD...: run CMD with all output in LOG; print a progress
# line every 30 s (the number of lines logged so far and the last one).
run_logged() {
	local log=$1 pid rc=0 n
	shift
	: >"$log"
	"$@" >"$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		for _ in $(seq 30); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 1
		done
		if kill -0 "$pid" 2>/dev/null; then
			n=$(wc -l <"$log")
			say "  ... $n lines; last: $(tail -n 1 "$log" | cut -c1-100)"
		fi
	done
	wait "$pid" || rc=$?
	return "$rc"
}

# config_dropped TREE CONFIG FRAGMENT...: print the CONFIG_ lines of the
# fragments that kconfig did not keep in CONFIG. An option whose symbol TREE
# does not define at all (a later patch adds it) is skipped with a note.
config_dropped() {
	local tree=$1 config=$2 line sym name bad=()
	shift 2
	while IFS= read -r line; do
		sym=${line%%=*}
		name=${sym#CONFIG_}
		grep -qx -- "$line" "$config" && continue
		if [ "${line#*=}" = n ] && ! grep -q "^$sym=" "$config"; then
			continue
		fi
		if ! grep -rqsE --include='Kconfig*' "^[[:space:]]*(menu)?config[[:space:]]+$name[[:space:]]*$" "$tree"; then
			say "note: $sym is not defined by this tree; skipped" >&2
			continue
		fi
		bad+=("$line")
	done < <(grep -h '^CONFIG_' "$@")
	echo "${bad[*]}"
}

# series_objects TREE [REV]: the objects of the C files that the commits
# base..REV (default HEAD) of TREE touch, outside tools/; a file that
# another C file of its directory includes (mm/folio_lock_kunit.c,
# kernel/sched/wait_bit.c) is built as part of that one's object.
series_objects() {
	local tree=$1 rev=${2:-HEAD} f dir inc
	git -C "$tree" diff --name-only base "$rev" -- '*.c' ':!tools' |
		while read -r f; do
			[ -f "$tree/$f" ] || continue
			dir=$(dirname "$f")
			inc=$(grep -ls "^#include \"$(basename "$f")\"" "$tree/$dir"/*.c | head -n 1 || true)
			if [ -n "$inc" ]; then
				echo "$dir/$(basename "${inc%.c}").o"
			else
				echo "${f%.c}.o"
			fi
		done | sort -u
}

# object_config TREE OBJ: the CONFIG_ symbol that OBJ's directory Makefile
# builds it under ("obj-$(CONFIG_X) += name.o", or a list of the same
# form such as mm's "memory-hotplug-$(CONFIG_MEMORY_HOTPLUG) += ..."), "y"
# for obj-y, or nothing when the Makefile does not say (the object is then
# simply tried).
object_config() {
	local tree=$1 obj=$2 mk
	mk=$tree/$(dirname "$obj")/Makefile
	[ -f "$mk" ] || return 0
	sed -e ':a' -e '/\\$/N; s/\\\n/ /; ta' "$mk" |
		grep -E "^[[:space:]]*[A-Za-z0-9_-]*-[^[:space:]+:=]*[[:space:]]*[+:]?=(.*[[:space:]])?$(basename "$obj" | sed 's/\./\\./')([[:space:]]|$)" |
		head -n 1 | sed -nE 's/^[[:space:]]*[A-Za-z0-9_-]*-(\$\((CONFIG_[A-Za-z0-9_]+)\)|(y)).*/\2\3/p' || true
}
