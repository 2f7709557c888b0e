#!/usr/bin/env bash
# Write the commits after the base tag of build/linux back to patches/, with
# patches/series in order. Deterministic: unchanged commits give
# byte-identical files. The hand-written cover letter (0000-*) is kept.
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no kernel tree at $TREE; run 'make tree'"
git -C "$TREE" rev-parse -q --verify refs/tags/base >/dev/null || die "$TREE has no base tag; run 'make tree'"
[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
	die "$TREE has uncommitted edits; commit them first"
git -C "$TREE" rev-parse -q --verify HEAD >/dev/null || die "$TREE has no HEAD"

tmp=$(mktemp -d "$BUILD/export.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
git -C "$TREE" -c core.abbrev=12 -c diff.noprefix=false format-patch -q \
	--zero-commit --no-signature --full-index --no-cover-letter --numbered \
	--subject-prefix=PATCH -o "$tmp" base..HEAD ||
	die "git format-patch failed"
n=$(find "$tmp" -name '*.patch' | wc -l)
[ "$n" -gt 0 ] || say "no commits after base: the series is empty"
{
	echo "# The series, in order (written by scripts/export.sh)."
	(cd "$tmp" && ls -- *.patch 2>/dev/null) || true
} >"$tmp/series"
# Replace the old exported patches only now that the new set is complete.
mkdir -p "$SERIES_DIR"
find "$SERIES_DIR" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' -delete
mv "$tmp"/*.patch "$SERIES_DIR"/ 2>/dev/null || true
mv "$tmp/series" "$SERIES_DIR/series"
git -C "$TREE" rev-parse HEAD >"$TREE/.git/harness-head"
# The tree now holds exactly the exported series (see tree.sh).
series_digest >"$TREE/.git/harness-series"
say "exported $n patch(es) to $SERIES_DIR"
git -C "$TOP" status --short -- patches | sed 's/^/  /'
