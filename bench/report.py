#!/usr/bin/env python3
"""Turn the RESULT lines of bench/guest-bench.sh into a Markdown report and
gnuplot plots.

Usage: report.py DIR OUT.md KERNEL_RELEASE
DIR holds results-stock.txt and results-patched.txt; the plots are written
to DIR (s1.png, s3-<hold>us.png) and linked from OUT.md by file name.
"""
import os
import platform
import subprocess
import sys
import time


def load(path):
    rows = []
    if not os.path.exists(path):
        return rows
    for line in open(path):
        if not line.startswith("RESULT "):
            continue
        rows.append(dict(kv.split("=", 1) for kv in line.split()[1:]))
    return rows


def name(r):
    if r["kernel"] == "stock":
        return "stock"
    return f"T={r['setting']} ms" + (" (default)" if r["setting"] == "100" else "")


def plot(d, png, title, ylabel, rows, logscale):
    data = os.path.join(d, os.path.basename(png) + ".dat")
    with open(data, "w") as f:
        for label, value in rows:
            f.write(f'"{label}" {value}\n')
    script = f"""
set terminal png size 800,400
set output '{png}'
set title '{title}'
set ylabel '{ylabel}'
set style data histograms
set style fill solid 0.6
set boxwidth 0.8
set grid ytics
{'set logscale y' if logscale else 'set yrange [0:*]'}
plot '{data}' using 2:xtic(1) notitle
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    d, out, release = sys.argv[1:]
    rows = load(os.path.join(d, "results-stock.txt")) + load(
        os.path.join(d, "results-patched.txt"))
    if not rows:
        sys.exit("report.py: no RESULT lines")
    s1 = [r for r in rows if r["scenario"] == "stuck" and r["k"] == "1"]
    s2 = [r for r in rows if r["scenario"] == "stuck" and r["k"] != "1"]
    s3 = [r for r in rows if r["scenario"] == "transient"]
    s4 = [r for r in rows if r["scenario"] == "fuse"]
    stock1 = next((float(r["took_ms"]) for r in s1 if r["kernel"] == "stock"), None)
    cpu = "unknown CPU"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    o = []
    o.append("# Bounded folio lock waits in migration: stock vs patched\n")
    o.append(f"Measured {time.strftime('%Y-%m-%d')} by `make bench` on Linux {release} "
             f"(patched) and the same base with only the lock-holder module (stock), "
             f"in QEMU TCG (no KVM), 2 vCPUs, two NUMA nodes of 1 GiB, on a "
             f"{os.cpu_count()}-core {platform.machine()} host ({cpu}). "
             "TCG timings are noisy: compare ratios within this run.\n")
    if s1:
        o.append("## S1: one stuck folio of 512\n")
        o.append(f"One folio of a 512-page region locked for {s1[0]['hold_ms']} ms; "
                 "one `move_pages()` of the region to the other node.\n")
        o.append("| kernel / setting | move_pages() wall time (ms) | pages moved | stock / this |")
        o.append("| --- | ---: | ---: | ---: |")
        for r in s1:
            t = float(r["took_ms"])
            ratio = f"{stock1 / t:.0f}x" if stock1 and t > 0 else "-"
            o.append(f"| {name(r)} | {t:.1f} | {r['moved']} of {r['of']} | {ratio} |")
        o.append("\n![S1](s1.png)\n")
        plot(d, os.path.join(d, "s1.png"), "S1: move_pages() with one stuck folio",
             "wall time (ms, log)", [(name(r), max(float(r["took_ms"]), 0.1)) for r in s1], True)
    if s2:
        base = {r["setting"]: float(r["took_ms"]) for r in s1}
        o.append("## S2: K stuck folios\n")
        o.append("Each row: K folios held for the whole call; the reference is K x T "
                 "plus the time of the same call at T=0 (the unstalled work).\n")
        o.append("| setting | K | wall time (ms) | K x T (ms) | wall / (K x T + T=0 time) | pages moved |")
        o.append("| --- | ---: | ---: | ---: | ---: | ---: |")
        for r in s2:
            t, k, T = float(r["took_ms"]), int(r["k"]), int(r["setting"])
            ref = k * T + base.get("0", 0.0)
            # At T=0 there is no wait to bound: the ratio would mean nothing.
            ratio = f"{t / ref:.2f}" if T > 0 and ref > 0 else "-"
            o.append(f"| T={T} ms | {k} | {t:.1f} | {k * T} | {ratio} | {r['moved']} of {r['of']} |")
        o.append("")
    for us in sorted({r["hold_us"] for r in s3}, key=int):
        rs = [r for r in s3 if r["hold_us"] == us]
        o.append(f"## S3: transient holders, {us} us holds\n")
        o.append(f"A kernel thread keeps locking random folios of the region for "
                 f"{us} us each; {rs[0]['rounds']} rounds of `move_pages()` "
                 "back and forth. Success rate: pages moved / pages that had to move.\n")
        o.append("| kernel / setting | success rate | pages moved | ms per round |")
        o.append("| --- | ---: | ---: | ---: |")
        for r in rs:
            o.append(f"| {name(r)} | {100 * float(r['rate']):.2f}% | {r['moved']} of {r['of']} "
                     f"| {float(r['avg_ms']):.1f} |")
        o.append(f"\n![S3 {us} us](s3-{us}us.png)\n")
        plot(d, os.path.join(d, f"s3-{us}us.png"),
             f"S3: migration success under {us} us lock holds",
             "success rate (%)", [(name(r), 100 * float(r["rate"])) for r in rs], False)
    if s4:
        stock4 = next((float(r["took_ms"]) for r in s4 if r["kernel"] == "stock"), None)
        o.append("## S4: compaction against a stalled FUSE server\n")
        o.append(f"The selftests' `fuse_stall` server answers every READ {s4[0]['stall_ms']} ms "
                 f"late; {s4[0]['readers']} readers of one page each keep {s4[0]['readers']} "
                 "folios locked meanwhile. One `echo 1 > /proc/sys/vm/compact_memory` "
                 "(MIGRATE_SYNC, every zone). Stalled folios met: the count of lock "
                 "timeouts (the stock kernel has no counter).\n")
        o.append("| kernel / setting | compact_memory wall time (ms) | with nothing stalled (ms) "
                 "| stalled folios met | stock / this |")
        o.append("| --- | ---: | ---: | ---: | ---: |")
        for r in s4:
            t = float(r["took_ms"])
            ratio = f"{stock4 / t:.0f}x" if stock4 and t > 0 else "-"
            o.append(f"| {name(r)} | {t:.1f} | {float(r['base_ms']):.1f} | {r['lock_timeouts']} "
                     f"| {ratio} |")
        o.append("\n![S4](s4.png)\n")
        plot(d, os.path.join(d, "s4.png"), "S4: compact_memory with stalled FUSE reads",
             "wall time (ms, log)", [(name(r), max(float(r["took_ms"]), 0.1)) for r in s4], True)
    with open(out, "w") as f:
        f.write("\n".join(o) + "\n")


if __name__ == "__main__":
    main()
