#!/usr/bin/env bash
# Mutation testing: each mutants/*.patch is a plausible bug in the series,
# applied on its own to a copy of the tree (build/mutant/linux, a git
# worktree of build/linux at the series' head), built in one shared object
# directory (build/mutant/obj: a mutant costs an incremental build), booted
# in the x86 guest, and tested with only the cases its header names. A
# mutant is caught when one of those cases fails, the kernel reports a
# warning, or the guest hangs or panics; it survives when they all pass.
#
# Usage: scripts/mutants.sh [NAME...]    (default: every mutants/*.patch;
#                                        NAME is a file name or its stem)
#
# A mutant's header, before its diff (git apply ignores it):
#   Bug: what the mutant stands for (one line)
#   Catch: kunit SUITE.CASE                 a KUnit case of the x86 kernel,
#                                           run alone (kunit.filter_glob)
#   Catch: selftest PROGRAM CASE...         cases of a selftests/mm program
#                                           (PROGRAM -t CASE ...), with the
#                                           lock-holder module loaded
#   Append: ARGS       optional: kernel command line for the selftest boot
#   Timeout: S         optional: the boot's limit (default 300 s), after
#                      which a hung guest counts as caught
# Several Catch lines are tried in order until one catches.
#
# Prints a table (mutant, result, the case that caught it, seconds) into
# build/results/mutants.md and ends with "N caught, N survived, N errors";
# exits non-zero unless every mutant was caught. Logs: build/logs/mutants/.
. "$(dirname "$0")/lib.sh"

S=$TOP/scripts
MDIR=$TOP/mutants
MTREE=$(variant_tree mutant)
MLOGS=$LOGS/mutants
need_tools git qemu-system-x86_64 python3
[ -d "$MDIR" ] || die "no mutants/ directory in $TOP"
[ -d "$TREE/.git" ] || die "no kernel tree at $TREE; run 'make tree'"
[ -x "$BUILD/selftests/mm/migrate_lock_timeout" ] ||
	die "the selftests are not built; run 'make check' (or scripts/selftests.sh) first"

# The mutants to run.
files=()
if [ $# -eq 0 ]; then
	files=("$MDIR"/*.patch)
	[ -e "${files[0]}" ] || die "no mutants in $MDIR"
else
	for n in "$@"; do
		f=$MDIR/${n%.patch}.patch
		[ -f "$f" ] || die "no mutant '$n' (see $MDIR)"
		files+=("$f")
	done
fi

# header FILE KEY: the values of "KEY: value" lines before the diff.
header() { sed -n '/^diff --git /q; s/^'"$2"': *//p' "$1"; }
for f in "${files[@]}"; do
	[ -n "$(header "$f" Bug)" ] || die "$f has no 'Bug:' line"
	[ -n "$(header "$f" Catch)" ] || die "$f has no 'Catch:' line"
	t=$(header "$f" Timeout)
	[ -z "$t" ] || [[ $t =~ ^[1-9][0-9]*$ ]] || die "$f: Timeout must be a number of seconds, not '$t'"
	while read -r kind rest; do
		case $kind in
		kunit) [[ $rest =~ ^[a-z0-9_]+\.[a-z0-9_]+$ ]] || die "$f: 'Catch: kunit $rest' is not SUITE.CASE" ;;
		selftest) [ -x "$BUILD/selftests/mm/${rest%% *}" ] && [ "${rest#* }" != "$rest" ] ||
			die "$f: 'Catch: selftest $rest' needs a built program and at least one case" ;;
		*) die "$f: unknown Catch kind '$kind' (kunit or selftest)" ;;
		esac
	done < <(header "$f" Catch)
done

# The copy of the tree, at the series' head, clean.
head=$(git -C "$TREE" rev-parse HEAD)
git -C "$TREE" worktree prune
if ! git -C "$MTREE" rev-parse --git-dir >/dev/null 2>&1; then
	rm -rf "$MTREE"
	mkdir -p "$(dirname "$MTREE")"
	say "making the mutants' copy of the tree: $MTREE"
	git -C "$TREE" worktree add -q --detach -f "$MTREE" "$head" >/dev/null ||
		die "git worktree add $MTREE failed"
fi
restore() { git -C "$MTREE" checkout -q -f --detach "$head" && git -C "$MTREE" clean -qfd; }
restore || die "cannot reset $MTREE to $head"
# No mutant must be left applied, whatever stops the run.
trap 'restore || true' EXIT

mkdir -p "$MLOGS" "$RESULTS"
table=$RESULTS/mutants.md
{
	echo "| mutant | bug | result | caught by | s |"
	echo "| --- | --- | --- | --- | ---: |"
} >"$table"
caught=0 survived=0 errors=0 t_all=$(date +%s)

# run_catch NAME SPEC APPEND TIMEOUT: boot the mutant kernel and run one
# Catch spec; prints "caught WHAT", "survived" or "error WHY".
run_catch() {
	local name=$1 kind rest append=$3 limit=$4 res cmd=() cases=() want=() rep rc line c
	read -r kind rest <<<"$2"
	res=$BUILD/vm/mutant
	case $kind in
	kunit)
		append="kunit.filter_glob=$rest $append"
		cmd=(true)
		# kunit.py names a case GROUP.SUITE.CASE.
		want=("kunit [A-Z]+ +(.*\\.)?$rest\$")
		;;
	selftest)
		local prog=${rest%% *} ko arg=""
		read -r -a cases <<<"${rest#* }"
		for c in "${cases[@]}"; do
			arg+=" -t $c"
			want+=("selftest [A-Z]+ +$prog: [a-z0-9_]+\\.$c( |\$)")
		done
		ko=$(find "$(variant_obj mutant)/mods" -name test_folio_lock_holder.ko | head -n 1)
		[ -n "$ko" ] || { echo "error no test_folio_lock_holder.ko built"; return; }
		append="kunit.enable=0 $append"
		cmd=("$S/guest-selftests.sh" --insmod "$ko" "$BUILD/selftests/mm" "$prog$arg")
		;;
	esac
	"$S/vm.sh" --variant mutant --smp 3 --timeout "$limit" --results "$res" \
		--append "$append" -- "${cmd[@]}" >"$MLOGS/$name.vm.log" 2>&1 && rc=0 || rc=$?
	cp "$res/console.log" "$MLOGS/$name.console.log" 2>/dev/null || true
	if [ "$rc" -eq 125 ]; then
		echo "caught $kind $rest: $(grep -m1 FAILED "$MLOGS/$name.vm.log" | sed 's/^\[vm\] FAILED: //; s/ (console:.*//')"
		return
	fi
	if [ "$kind" = kunit ]; then
		rep=$("$S/report.py" "$MTREE" "$res/console.log" "$res/output" "${rest%%.*}" -- 2>&1 || true)
	else
		rep=$("$S/report.py" "$MTREE" "$res/console.log" "$res/output" -- "$prog" 2>&1 || true)
	fi
	printf '%s\n' "$rep" >"$MLOGS/$name.report"
	line=$(grep -m1 -E '^  kernel +FAIL' <<<"$rep" || true)
	[ -z "$line" ] || { echo "caught $kind $rest: kernel said: ${line#*FAIL  }"; return; }
	for c in "${want[@]}"; do
		line=$(grep -m1 -E "$c" <<<"$rep" || true)
		case $line in
		"") echo "error the case did not run: ${c//\\/} (see $MLOGS/$name.report)"; return ;;
		*" FAIL "*) echo "caught $(sed -E 's/^ *(kunit|selftest) +FAIL +(KUnit Test Group\.)?//' <<<"$line")"; return ;;
		*" SKIP "*) echo "error the case skipped: $line"; return ;;
		esac
	done
	echo survived
}

n=0
for f in "${files[@]}"; do
	n=$((n + 1))
	name=$(basename "$f" .patch)
	bug=$(header "$f" Bug)
	limit=$(header "$f" Timeout)
	limit=${limit:-300}
	append=$(header "$f" Append)
	t0=$(date +%s)
	say "[$n/${#files[@]}] $name: $bug"
	result=""
	if ! git -C "$MTREE" apply "$f" 2>"$MLOGS/$name.apply.log"; then
		result="error does not apply (log: $MLOGS/$name.apply.log)"
	elif ! "$S/kernel.sh" mutant >"$MLOGS/$name.build.log" 2>&1; then
		result="error does not build (log: $MLOGS/$name.build.log)"
	else
		while read -r spec; do
			result=$(run_catch "$name" "$spec" "$append" "$limit")
			case $result in caught*) break ;; esac
		done < <(header "$f" Catch)
	fi
	restore || die "cannot reset $MTREE after $name"
	secs=$(($(date +%s) - t0))
	case $result in
	caught*) caught=$((caught + 1)) word=caught what=${result#caught } ;;
	survived) survived=$((survived + 1)) word=SURVIVED what="(ran: $(header "$f" Catch | paste -sd';'))" ;;
	*) errors=$((errors + 1)) word=ERROR what=${result#error } ;;
	esac
	say "    $word in ${secs}s: $what"
	printf '| %s | %s | %s | %s | %d |\n' "$name" "$bug" "$word" "${what//|/\\|}" "$secs" >>"$table"
done
say "total $(($(date +%s) - t_all)) s; table: $table; logs: $MLOGS/"
echo "$caught caught, $survived survived, $errors errors"
[ "$survived" -eq 0 ] && [ "$errors" -eq 0 ]
