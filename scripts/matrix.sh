#!/usr/bin/env bash
# What the kernel test robot would try: the series' objects (the C files it
# touches) for each configuration of configs/matrix/, with W=1 and sparse
# (C=1), against the same build of the base kernel; a warning the base does
# not have fails the configuration. Configurations marked "# link: yes"
# (i386, arm64) also link vmlinux and the modules; "# off:" options must be
# off. Then the series' KUnit suites on UML (scripts/kunit.sh um).
# Usage: scripts/matrix.sh [NAME...]   (default: every configuration, and UML)
# Writes the table to build/results/matrix.md and prints it; ends with
# "matrix: N passed, N failed".
. "$(dirname "$0")/lib.sh"

S=$TOP/scripts
t0=$(date +%s)
need_tools sparse
[ -d "$TREE/.git" ] || die "no kernel tree at $TREE; run 'make tree'"
if [ $# -gt 0 ]; then
	names=("$@")
	uml=0
	for n in "${names[@]}"; do [ "$n" != um ] || uml=1; done
	mapfile -t names < <(printf '%s\n' "${names[@]}" | grep -vx um || true)
else
	mapfile -t names < <(cd "$TOP/configs/matrix" && ls -- *.config | sed 's/\.config$//')
	uml=1
fi

# The base kernel, for the warnings it has already.
base_tree=$BUILD/linux-base
if [ ! -d "$base_tree" ]; then
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$base_tree" base >"$LOGS/matrix-base.log" 2>&1 ||
		die "git worktree add of the base failed" "$LOGS/matrix-base.log"
fi
git -C "$base_tree" checkout -q --detach base

mkdir -p "$RESULTS"
table=$RESULTS/matrix.md
{
	echo "| configuration | arch | result | new warnings (W=1, sparse) | time |"
	echo "| --- | --- | --- | --- | ---: |"
} >"$table"
pass=0 fail=0
for n in "${names[@]}"; do
	frag=$TOP/configs/matrix/$n.config
	[ -f "$frag" ] || die "no configuration '$n' in configs/matrix"
	arch=$(sed -n 's/^# arch: *//p' "$frag")
	link=()
	! grep -qx '# link: yes' "$frag" || link=(--link)
	t1=$(date +%s)
	say "== $n ($arch${link:+, linked}) ($((t1 - t0)) s)"
	out=$BUILD/obj-m-$n
	res=ok newn=0
	if ! "$S/objects.sh" --out "$out" --make W=1 --make C=1 "${link[@]}" "$n" >"$LOGS/matrix-$n.txt" 2>&1; then
		res="FAIL: $(grep -m1 -E 'FAILED|FAIL ' "$LOGS/matrix-$n.txt" | sed 's/^\[[a-z]*\] //')"
	fi
	if ! "$S/objects.sh" --tree "$base_tree" --objects-of "$TREE" --out "$out-base" \
		--make W=1 --make C=1 "$n" >"$LOGS/matrix-$n-base.txt" 2>&1; then
		[ "$res" != ok ] || res="FAIL: the base kernel's build failed ($LOGS/matrix-$n-base.txt)"
	fi
	if [ -f "$out/warnings.txt" ] && [ -f "$out-base/warnings.txt" ]; then
		new=$(comm -13 "$out-base/warnings.txt" "$out/warnings.txt")
		if [ -n "$new" ]; then
			newn=$(wc -l <<<"$new")
			say "FAIL $n: $newn new warning(s):"
			sed "s/^/    $n: /" <<<"$new"
			[ "$res" != ok ] || res="FAIL: new warnings"
		fi
	fi
	sed 's/^/    /' "$LOGS/matrix-$n.txt" | grep -E 'FAIL|FAILED|ok   .*link' || true
	if [ "$res" = ok ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
	say "$n: $res, $newn new warning(s), $(($(date +%s) - t1)) s"
	echo "| $n | $arch${link:+, linked} | $res | $newn | $(($(date +%s) - t1)) s |" >>"$table"
done
if [ $uml -eq 1 ]; then
	t1=$(date +%s)
	say "== KUnit on UML ($((t1 - t0)) s)"
	if "$S/kunit.sh" um >"$LOGS/matrix-um.txt" 2>&1; then res=ok; else res="FAIL (build/logs/matrix-um.txt)"; fi
	line=$(grep -E '^kunit-um: ' "$LOGS/matrix-um.txt" || echo "no result")
	if [ "$res" = ok ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
	say "um: $res, $line"
	echo "| KUnit, kunit.py run (UML) | um | $res: $line | - | $(($(date +%s) - t1)) s |" >>"$table"
fi
echo
cat "$table"
say "total time $(($(date +%s) - t0)) s; table: $table"
echo "matrix: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
