#!/usr/bin/env bash
# Make build/linux: Debian's linux-source tarball as a git repository with
# one tagged base commit, then the series applied with git am, a commit per
# patch. Usage: scripts/tree.sh [--force | --stock | --percall]
#   --force    discard commits in build/linux that were never exported
#   --stock    (after a plain run) make build/linux-stock, a git worktree of
#              the base plus only the series' first patch (the lock-holder
#              test module): the "stock" kernel of the benchmarks
#   --percall  the same for build/linux-percall: the series up to, not
#              including, the patch that makes the budget one per
#              operation (one budget per migrate_pages() call: S6's "per
#              call" kernel)
. "$(dirname "$0")/lib.sh"

force=0 side=""
for a in "$@"; do
	case $a in
	--force) force=1 ;;
	--stock) side=stock ;;
	--percall) side=percall ;;
	*) die "unknown argument '$a' (usage: tree.sh [--force | --stock | --percall])" ;;
	esac
done

# side_tree NAME PATCH...: build/linux-NAME, a worktree of the base with
# PATCH... applied. build/linux-NAME.applied holds their digest; its mtime
# tells bench.sh when that kernel must be rebuilt.
side_tree() {
	local name=$1 st=$BUILD/linux-$1 digest
	shift
	[ $# -gt 0 ] || die "no patches for the $name worktree"
	if [ ! -d "$st" ]; then
		say "making the $name worktree $st"
		git -C "$TREE" worktree prune
		git -C "$TREE" worktree add -q --detach "$st" base >"$LOGS/tree-$name.log" 2>&1 ||
			die "git worktree add failed" "$LOGS/tree-$name.log"
	fi
	digest=$(cd "$SERIES_DIR" && cat -- "$@" | sha256sum | cut -d' ' -f1)
	if [ "$(cat "$st.applied" 2>/dev/null)" != "$digest" ]; then
		git -C "$st" am --abort >/dev/null 2>&1 || true
		git -C "$st" reset -q --hard base
		git -C "$st" am -q -- "${@/#/$SERIES_DIR/}" >"$LOGS/tree-$name.log" 2>&1 ||
			die "the $name patches do not apply to $st" "$LOGS/tree-$name.log"
		echo "$digest" >"$st.applied"
	fi
	say "$name: base + the first $# patch(es) of the series in $st"
}

if [ -n "$side" ]; then
	[ -d "$TREE/.git" ] || die "no kernel tree at $TREE; run 'make tree' first"
	mapfile -t all < <(series_patches)
	[ ${#all[@]} -gt 0 ] || die "the series is empty: no lock-holder patch for the $side kernel"
	if [ "$side" = stock ]; then
		side_tree stock "${all[0]}"
	else
		n=0
		while [ $n -lt ${#all[@]} ] && [[ ${all[n]} != *-one-wait-budget-per-migration-operation* ]]; do
			n=$((n + 1))
		done
		[ $n -lt ${#all[@]} ] ||
			die "no patch named *-one-wait-budget-per-migration-operation* in $SERIES_DIR/series"
		side_tree percall "${all[@]:0:n}"
	fi
	exit 0
fi

need_tools git tar xz make
log=$LOGS/tree.log
: >"$log"
export GIT_AUTHOR_NAME="base" GIT_AUTHOR_EMAIL="base@localhost"
export GIT_COMMITTER_NAME="harness" GIT_COMMITTER_EMAIL="harness@localhost"
stamp=$TREE/.git/harness-head

git_t() { git -C "$TREE" "$@"; }

if [ -d "$TREE/.git" ] && git_t rev-parse -q --verify refs/tags/base >/dev/null; then
	if [ -n "$(git_t status --porcelain --untracked-files=no)" ]; then
		die "$TREE has uncommitted edits; commit them and 'make export', or discard them"
	fi
	if [ $force -eq 0 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" != "$(git_t rev-parse HEAD)" ]; then
		die "$TREE has commits that were not exported to patches/ ('make export' first, or 'make tree FORCE=1' to drop them)"
	fi
	if [ -f "$TREE/.git/harness-series" ] && [ -f "$stamp" ] &&
		[ "$(cat "$stamp")" = "$(git_t rev-parse HEAD)" ] &&
		[ "$(cat "$TREE/.git/harness-series")" = "$(series_digest)" ]; then
		# Re-applying would touch every patched file and force a rebuild.
		say "$TREE already holds this series ($(series_patches | wc -l) patches); nothing to do"
		exit 0
	fi
	say "reusing the base commit in $TREE"
	git_t am --abort >/dev/null 2>&1 || true
	git_t reset -q --hard base
	git_t clean -q -fdx -e /.git >/dev/null 2>&1 || true
else
	[ -f "$BASE_TARBALL" ] || die "$BASE_TARBALL not found; run 'make deps' (package $BASE_DEB_PKG)"
	need_space 4000
	rm -rf "$TREE" "$BUILD/linux-source-6.12"
	say "unpacking $BASE_TARBALL (about a minute)"
	tar -C "$BUILD" -xf "$BASE_TARBALL" >>"$log" 2>&1 || die "could not unpack $BASE_TARBALL" "$log"
	mv "$BUILD/linux-source-6.12" "$TREE"
	ver=$(make -s -C "$TREE" kernelversion 2>>"$log")
	[ "$ver" = "$BASE_KVER" ] ||
		die "the tarball holds Linux $ver, base.env names $BASE_KVER; install $BASE_DEB_PKG=$BASE_DEB_VERSION or update base.env"
	say "committing the base (Linux $ver)"
	git_t init -q -b main
	git_t config core.autocrlf false
	# Debian's top-level .gitignore ends with '/*': force-add everything.
	git_t add -A -f >>"$log" 2>&1
	GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		git_t commit -q -m "Linux $ver as shipped in Debian's $BASE_DEB_PKG $BASE_DEB_VERSION" >>"$log" 2>&1 ||
		die "git commit of the base failed" "$log"
	git_t tag base
fi

say "base: Linux $(make -s -C "$TREE" kernelversion)"
n=0
while read -r p; do
	[ -f "$SERIES_DIR/$p" ] || die "patches/series names $p, which does not exist"
	if ! git_t am -q --keep-cr "$SERIES_DIR/$p" >>"$log" 2>&1; then
		{
			echo "--- git am failed on $p; the hunks that do not apply:"
			git_t apply --check --verbose "$SERIES_DIR/$p" 2>&1 | grep -v '^Checking' || true
		} >>"$log"
		git_t am --abort >/dev/null 2>&1 || true
		git_t reset -q --hard base
		die "patch $p does not apply: $(grep -m1 -e 'error:' "$log" || echo 'see log')" "$log"
	fi
	n=$((n + 1))
done < <(series_patches)
git_t rev-parse HEAD >"$stamp"
series_digest >"$TREE/.git/harness-series"
say "applied $n patch(es); tree at $TREE"
