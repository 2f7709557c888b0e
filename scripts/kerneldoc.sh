#!/usr/bin/env bash
# kernel-doc of every new or changed function: scripts/kernel-doc -none
# -Wall on each C file and header the series touches (not tools/), against
# the same file in the base kernel, which already warns in some of them. A
# warning the base does not have fails the file.
# Usage: scripts/kerneldoc.sh
# Prints one line per file, the new warnings, and
# "kerneldoc: N passed, N failed". Log: build/logs/kerneldoc.log.
. "$(dirname "$0")/lib.sh"

[ -x "$TREE/scripts/kernel-doc" ] || die "no kernel tree at $TREE; run 'make tree'"
log=$LOGS/kerneldoc.log
: >"$log"
tmp=$(mktemp -d "$BUILD/kerneldoc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The warnings of kernel-doc on FILE, shown as PATH: without line numbers
# (they move between base and series), one per line, sorted.
warnings() {
	(cd "$TREE" && perl scripts/kernel-doc -none -Wall "$1" 2>&1) |
		sed -E "s|^[^ ]*$(basename "$1"):[0-9]+: *|$2: |" | sort
}

pass=0 fail=0
while read -r f; do
	[ -f "$TREE/$f" ] || continue
	now=$(warnings "$TREE/$f" "$f")
	if git -C "$TREE" cat-file -e "base:$f" 2>/dev/null; then
		mkdir -p "$tmp/$(dirname "$f")"
		git -C "$TREE" show "base:$f" >"$tmp/$f"
		before=$(warnings "$tmp/$f" "$f")
	else
		before=""
	fi
	new=$(comm -23 <(printf '%s\n' "$now" | sed '/^$/d') <(printf '%s\n' "$before" | sed '/^$/d'))
	{ echo "=== $f"; printf '%s\n' "$now"; } >>"$log"
	if [ -n "$new" ]; then
		say "FAIL $f: $(wc -l <<<"$new") new warning(s):"
		printf '%s\n' "$new" | sed 's/^/    /'
		fail=$((fail + 1))
	else
		say "ok   $f ($(printf '%s' "$before" | grep -c . || true) warning(s) in the base too)"
		pass=$((pass + 1))
	fi
done < <(git -C "$TREE" diff --name-only base HEAD -- '*.c' '*.h' ':!tools' | sort -u)
say "details: $log"
echo "kerneldoc: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
