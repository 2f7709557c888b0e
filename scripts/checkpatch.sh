#!/usr/bin/env bash
# checkpatch.pl --strict on every patch of the series. Errors fail; warnings
# and checks are listed. Prints one "checkpatch: N passed, N failed" line.
. "$(dirname "$0")/lib.sh"

[ -x "$TREE/scripts/checkpatch.pl" ] || die "no kernel tree at $TREE; run 'make tree'"
log=$LOGS/checkpatch.log
: >"$log"
pass=0 fail=0
while read -r p; do
	out=$("$TREE/scripts/checkpatch.pl" --strict --quiet --show-types \
		"$SERIES_DIR/$p" 2>&1) && rc=0 || rc=$?
	{ echo "=== $p"; echo "$out"; } >>"$log"
	errors=$(grep -c '^ERROR:' <<<"$out" || true)
	others=$(grep -cE '^(WARNING|CHECK):' <<<"$out" || true)
	if [ "$errors" -gt 0 ] || { [ "$rc" -ne 0 ] && [ "$others" -eq 0 ]; }; then
		say "FAIL $p: $errors error(s), $others warning(s)/check(s)"
		fail=$((fail + 1))
	else
		say "ok   $p${others:+ ($others warning(s)/check(s))}"
		pass=$((pass + 1))
	fi
done < <(series_patches)
say "details: $log"
echo "checkpatch: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
