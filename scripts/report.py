#!/usr/bin/env python3
"""Summarise one test boot: KUnit results from the serial console (parsed by
the kernel's own tools/testing/kunit/kunit.py) and mm selftest results from
the guest's output (TAP lines between the markers of guest-selftests.sh).

Usage: report.py TREE CONSOLE OUTPUT [SUITE...] [-- SELFTEST...]
       report.py --kunit-json FILE LABEL [SUITE...]   (kunit.py run --json)
       report.py --columns LABEL=REPORT[,REPORT...]... (make devices)
A selftest named run_vmtests is tools/testing/selftests/mm/run_vmtests.sh
run with TAP_PREFIX="# ": each of its programs counts by its own cases, and
one whose cases all skipped (or that skipped as a whole) is a failure.
Prints one line per result and ends with 'kunit: ...' (when SUITEs are
given) and 'selftests: ...' count lines; exits 1 if anything failed, or if
an expected KUnit suite or selftest did not run.
"""
import json
import os
import re
import subprocess
import sys


def walk(node, prefix, out):
    name = node.get("name", "")
    path = f"{prefix}.{name}" if prefix and name else (name or prefix)
    for case in node.get("test_cases", []):
        if case.get("test_cases") or case.get("sub_groups"):
            walk(case, path, out)
        else:
            out.append((f"{path}.{case['name']}", case["status"]))
    for sub in node.get("sub_groups", []):
        walk(sub, path, out)


def count_kunit(doc, expect, label):
    """Print the cases of a kunit.py JSON document and the summary line."""
    cases = []
    walk(doc.get("results", doc), "", cases)
    passed = failed = skipped = 0
    for name, status in cases:
        if status == "PASS":
            passed += 1
        elif status == "SKIP":
            skipped += 1
        else:
            failed += 1
        print(f"  {label} {status:5} {name}")
    for suite in expect:
        if not any(f".{suite}." in f".{n}." for n, _ in cases):
            print(f"  {label} FAIL  suite {suite} did not run")
            failed += 1
    return passed, failed, skipped


def kunit(tree, console, expect):
    res = subprocess.run(
        [sys.executable, f"{tree}/tools/testing/kunit/kunit.py", "parse",
         os.path.abspath(console), "--json"],
        capture_output=True, text=True)
    # kunit.py prints its human summary first, then the JSON document.
    text = res.stdout
    start = text.find("{")
    if start < 0:
        print("kunit: no KUnit output found in the console "
              f"(kunit.py said: {res.stdout.strip()[-300:]} {res.stderr.strip()[-300:]})")
        return 0, 1, 0
    doc = json.loads(text[start:])
    passed, failed, skipped = count_kunit(doc, expect, "kunit")
    if res.returncode and not failed:
        print(f"  kunit FAIL  kunit.py parse exited {res.returncode}")
        failed += 1
    return passed, failed, skipped


def case_status(ok, desc):
    if re.search(r"#\s*SKIP", desc, re.I):
        return "SKIP"
    return "PASS" if ok == "ok" else "FAIL"


def selftests(output, expect):
    passed = failed = skipped = 0
    current = None
    saw_case = False
    ran = set()
    # In a run_vmtests.sh block: the program running now, and the counts
    # of its own (nested, "# "-prefixed) TAP cases.
    prog, nested = None, {"PASS": 0, "FAIL": 0, "SKIP": 0}
    try:
        lines = open(output, errors="replace").read().splitlines()
    except OSError as err:
        print(f"selftests: cannot read {output}: {err}")
        return 0, 1, 0
    for line in lines:
        m = re.match(r"### selftest (\S+) begin", line)
        if m:
            current, saw_case = m.group(1), False
            ran.add(current)
            continue
        m = re.match(r"### selftest (\S+) exit (\d+)", line)
        if m:
            rc = int(m.group(2))
            # 4 is kselftest's skip code; any other non-zero exit is a failure
            # even when every case said ok (a crash after the last case).
            if rc == 4 and not saw_case:
                print(f"  selftest SKIP  {current} (exit 4)")
                skipped += 1
            elif rc not in (0, 4):
                print(f"  selftest FAIL  {current} exited {rc}")
                failed += 1
            elif not saw_case:
                print(f"  selftest PASS  {current} (no TAP cases)")
                passed += 1
            current = None
            continue
        if line.startswith("### dmesg "):
            print(f"  kernel   FAIL  {line[10:]}")
            failed += 1
            continue
        if current == "run_vmtests":
            m = re.match(r"# running (?:\./)?(\S+)", line)
            if m:
                prog, nested = m.group(1), {"PASS": 0, "FAIL": 0, "SKIP": 0}
                continue
            m = re.match(r"# (not ok|ok) \d+ (.*)", line)
            if prog and m:
                status = case_status(m.group(1), m.group(2))
                nested[status] += 1
                print(f"  selftest {status:5} {prog}: {m.group(2)}")
                continue
            m = re.match(r"(not ok|ok) \d+ (.*)", line)
            if m:
                saw_case = True
                status = case_status(m.group(1), m.group(2))
                cases = sum(nested.values())
                if cases and nested["SKIP"] == cases:
                    print(f"  selftest FAIL  {m.group(2)}: all {cases} of its cases skipped")
                    failed += 1
                elif cases:
                    passed += nested["PASS"]
                    skipped += nested["SKIP"]
                    failed += nested["FAIL"]
                    if status == "FAIL" and not nested["FAIL"]:
                        print(f"  selftest FAIL  {m.group(2)}")
                        failed += 1
                elif status == "SKIP":
                    print(f"  selftest FAIL  {m.group(2)}: skipped as a whole")
                    failed += 1
                else:
                    print(f"  selftest {status:5} {m.group(2)}")
                    passed += status == "PASS"
                    failed += status == "FAIL"
                prog = None
                continue
        m = re.match(r"(not ok|ok) \d+ (.*)", line)
        if current and m:
            saw_case = True
            desc = m.group(2)
            if re.search(r"#\s*SKIP", desc, re.I):
                skipped += 1
                status = "SKIP"
            elif m.group(1) == "ok":
                passed += 1
                status = "PASS"
            else:
                failed += 1
                status = "FAIL"
            print(f"  selftest {status:5} {current}: {desc}")
    if current:
        print(f"  selftest FAIL  {current} did not finish")
        failed += 1
    for t in expect:
        if t not in ran:
            print(f"  selftest FAIL  {t} did not run")
            failed += 1
    return passed, failed, skipped


def columns(specs):
    """One markdown table of several kernels' boot reports, a column per
    kernel (LABEL=REPORT,...), then the counts per column and in all."""
    labels, results, order, extra = [], {}, [], []
    for spec in specs:
        label, _, files = spec.partition("=")
        labels.append(label)
        for path in files.split(","):
            try:
                lines = open(path, errors="replace").read().splitlines()
            except OSError:
                lines = [f"report: FAIL {label}: no report {path}"]
            for line in lines:
                m = re.match(r"  (kunit|selftest|kernel) +(PASS|FAIL|SKIP) +(.*)", line)
                if m and m.group(1) != "kernel":
                    key = f"{m.group(1)} {m.group(3)}"
                    key = re.sub(r" # SKIP.*", "", key)
                    if key not in results:
                        results[key] = {}
                        order.append(key)
                    # A case in several boots (skipped in one, run in
                    # another): a failure wins, then a pass.
                    rank = {"FAIL": 2, "PASS": 1, "SKIP": 0}
                    old = results[key].get(label, "SKIP")
                    if label not in results[key] or rank[m.group(2)] > rank[old]:
                        results[key][label] = m.group(2)
                elif m or re.match(r"(report|guest): FAIL", line):
                    extra.append((label, line.strip()))
    print("| case | " + " | ".join(labels) + " |")
    print("| --- |" + " --- |" * len(labels))
    counts = {lab: {"PASS": 0, "FAIL": 0, "SKIP": 0} for lab in labels}
    for key in order:
        cells = []
        for lab in labels:
            # Absent: a failure line of the other column's ("X exited 1");
            # a case that did not run has its own FAIL line in the report.
            st = results[key].get(lab)
            cells.append(st or "-")
            if st:
                counts[lab][st] += 1
        print(f"| {key} | " + " | ".join(cells) + " |")
    for lab, line in extra:
        counts[lab]["FAIL"] += 1
        print(f"| {line} | " + " | ".join("FAIL" if x == lab else "" for x in labels) + " |")
    print()
    for lab in labels:
        c = counts[lab]
        print(f"{lab}: {c['PASS']} passed, {c['FAIL']} failed, {c['SKIP']} skipped")
    fail = sum(c["FAIL"] for c in counts.values())
    print(f"{sum(c['PASS'] for c in counts.values())} passed, {fail} failed")
    return fail


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--columns":
        sys.exit(1 if columns(sys.argv[2:]) else 0)
    if len(sys.argv) >= 4 and sys.argv[1] == "--kunit-json":
        # report.py --kunit-json FILE LABEL [SUITE...]: kunit.py run --json
        with open(sys.argv[2]) as f:
            doc = json.load(f)
        label = sys.argv[3]
        p, f_, s_ = count_kunit(doc, sys.argv[4:], label)
        print(f"{label}: {p} passed, {f_} failed, {s_} skipped")
        sys.exit(1 if f_ else 0)
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    tree, console, output, rest = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    suites, tests = (rest[:rest.index("--")], rest[rest.index("--") + 1:]) \
        if "--" in rest else (rest, [])
    # A boot without KUnit suites has none to parse (and its console holds
    # the selftests' TAP output, which kunit.py would take for KUnit's).
    if suites:
        kp, kf, ks = kunit(tree, console, suites)
        print(f"kunit: {kp} passed, {kf} failed, {ks} skipped")
    else:
        kf = 0
    sp, sf, ss = selftests(output, tests)
    print(f"selftests: {sp} passed, {sf} failed, {ss} skipped")
    sys.exit(1 if kf or sf else 0)


if __name__ == "__main__":
    main()
