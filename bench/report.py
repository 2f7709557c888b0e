#!/usr/bin/env python3
"""Turn the RESULT lines of bench/guest-bench.sh into a Markdown report and
gnuplot plots.

Usage: report.py DIR OUT.md KERNEL_RELEASE
       report.py --devices FILE...   (make devices: S1 and S5 per page size)
DIR holds results-stock.txt and results-patched.txt, and results-s0.txt
and results-s6.txt when S0 and S6 ran; the plots are written to DIR
(s1.png, s3-<hold>us.png, s3c.png, s4.png, s5.png, s6.png) and linked from
OUT.md by file name. bench/before-per-folio.txt,
next to this script, holds S2 and S3 as measured before the per-call
budget, for the 'before' columns.
"""
import os
import platform
import statistics
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
set terminal png size 900,450 noenhanced
set output '{png}'
set title '{title}'
set ylabel '{ylabel}'
set xtics rotate by 30 right scale 0
set bmargin 9
set style data histograms
set style fill solid 0.6
set boxwidth 0.8
set grid ytics
{'set logscale y' if logscale else 'set yrange [0:*]'}
plot '{data}' using 2:xtic(1) notitle
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


def lines(png, title, xlabel, ylabel, series):
    """A line plot, log-log: series is [(label, [(x, y)...])...]."""
    data = png + ".dat"
    with open(data, "w") as f:
        for label, pts in series:
            f.write(f'"{label}"\n')
            for x, y in pts:
                f.write(f"{x} {max(y, 0.1)}\n")
            f.write("\n\n")
    plots = ", ".join(f"'{data}' index {i} using 1:2 with linespoints title '{label}'"
                      for i, (label, _) in enumerate(series))
    script = f"""
set terminal png size 900,450 noenhanced
set output '{png}'
set title '{title}'
set xlabel '{xlabel}'
set ylabel '{ylabel}'
set logscale xy
set key left top
set grid
plot {plots}
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


def s6_section(d, s6):
    """S6: one node compaction against K held folios, per call and per operation."""
    o = ["## S6: one node compaction against K held folios\n"]
    o.append("Shmem on node 0 spread over 256 MiB (each kept page followed by two that "
             "are freed), K of its folios held locked for the whole run, evenly spread; "
             "one `echo 1 > /sys/devices/system/node/node0/compact` (MIGRATE_SYNC, "
             "one `migrate_pages()` call per batch of isolated folios). Per call: the "
             "series before one budget per operation (patches 1-14), where every call "
             "that meets a held folio spends a budget of its own. Per operation: the "
             "whole series, one budget for the write. Waited: this task's lock waits "
             "summed from `mm_migrate_wait`. Means of "
             f"{len({r['run'] for r in s6})} runs, the kernels booted in turn.\n")
    o.append("| setting | K | per call: wall (ms) | waited (ms) | time-outs "
             "| per operation: wall (ms) | waited (ms) | time-outs |")
    o.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")

    def mean(kernel, t, k, key):
        v = [float(r[key]) for r in s6 if r["kernel"] == kernel and r["setting"] == t
             and r["k"] == k and r[key] != "-"]
        return statistics.mean(v) if v else None

    def fmt(v):
        return "-" if v is None else f"{v:.1f}"

    ts = sorted({r["setting"] for r in s6}, key=int)
    ks = sorted({r["k"] for r in s6}, key=int)
    for t in ts:
        for k in ks:
            o.append(f"| T={t} ms | {k} "
                     + "".join(f"| {fmt(mean(kern, t, k, 'took_ms'))} "
                               f"| {fmt(mean(kern, t, k, 'waited_ms'))} "
                               f"| {fmt(mean(kern, t, k, 'lock_timeouts'))} "
                               for kern in ("per-call", "per-operation")) + "|")
    o.append("\n![S6](s6.png)\n")
    series = []
    for kern in ("per-call", "per-operation"):
        for t in ts:
            pts = [(int(k), mean(kern, t, k, "took_ms")) for k in ks]
            series.append((f"{kern} T={t} ms", [(x, y) for x, y in pts if y is not None]))
    lines(os.path.join(d, "s6.png"), "S6: node compaction against K held folios",
          "K held folios (log)", "wall time (ms, log)", series)
    return o


def s3c_section(d, s3c):
    """S3 through compaction: success rate of compaction's migrations."""
    o = ["## S3 through compaction: transient holders\n"]
    r0 = s3c[0]
    o.append(f"{r0['holders']} kernel threads keep locking random folios of S6's region "
             f"(shmem on node 0 spread over {r0['mb']} MiB, each page followed by two that "
             f"are freed) for the hold time each; {r0['rounds']} rounds, each over a new region, "
             "of one `echo 1 > /sys/devices/system/node/node0/compact`. Success rate: "
             "folios migrated / (migrated + failed), from `pgmigrate_success` and "
             "`pgmigrate_fail` (compaction gives up a folio that stays busy for its 10 "
             "passes). Waits: compaction's lock waits, from `mm_migrate_wait` (the stock "
             "kernel has no such event); lock time-outs: those that ended at the "
             "budget's end.\n")
    o.append("| kernel / setting | hold (us) | success rate | vs stock (pp) | migrated | failed "
             "| waits (ms in all) | lock time-outs | ms per compaction |")
    o.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for us in sorted({r["hold_us"] for r in s3c}, key=int):
        rs = [r for r in s3c if r["hold_us"] == us]
        st = next((float(r["rate"]) for r in rs if r["kernel"] == "stock"), None)
        for r in sorted(rs, key=lambda r: int(r["setting"]) if r["setting"].isdigit() else -1):
            rate = float(r["rate"])
            vs = f"{100 * (rate - st):+.2f}" if st is not None and r["kernel"] != "stock" else "-"
            w = "-" if r.get("waits", "-") == "-" else f"{r['waits']} ({r['waited_ms']})"
            o.append(f"| {name(r)} | {us} | {100 * rate:.2f}% | {vs} | {r['migrated']} "
                     f"| {r['failed']} | {w} | {r['lock_timeouts']} | {float(r['avg_ms']):.1f} |")
    o.append("\n![S3 through compaction](s3c.png)\n")
    plot(d, os.path.join(d, "s3c.png"), "S3 through compaction: success rate",
         "success rate (%)",
         [(f"{name(r)} {r['hold_us']} us", 100 * float(r["rate"])) for r in s3c], False)
    return o


def devices(files):
    """S1 and S5 of the patched kernel on make devices' arm64 guests: one
    table, a row per page size and setting (the label is the kernel)."""
    rows = [r for f in files for r in load(f)]
    if not rows:
        sys.exit("report.py: no RESULT lines")
    print("| arm64 kernel | setting | S1: move_pages() (ms) | S1: pages moved "
          "| S5: compact_memory (ms) | S5: move_pages() (ms) | S5: pages moved "
          "| S5: data after resume |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    keys = []
    for r in rows:
        if (r["kernel"], r["setting"]) not in keys:
            keys.append((r["kernel"], r["setting"]))
    for k, st in keys:
        s1 = next((r for r in rows if (r["kernel"], r["setting"]) == (k, st)
                   and r["scenario"] == "stuck" and r["k"] == "1"), None)
        s5 = next((r for r in rows if (r["kernel"], r["setting"]) == (k, st)
                   and r["scenario"] == "stuckdev"), None)
        c1 = (f"{float(s1['took_ms']):.1f} | {s1['moved']} of {s1['of']}"
              if s1 else "- | -")
        c5 = (f"{float(s5['compact_ms']):.1f} | {float(s5['move_ms']):.1f} | "
              f"{s5['moved']} of {s5['pages']} | {s5['verified']}" if s5 else "- | - | - | -")
        print(f"| {k} | T={st} ms | {c1} | {c5} |")


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--devices":
        devices(sys.argv[2:])
        return
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    d, out, release = sys.argv[1:]
    rows = load(os.path.join(d, "results-stock.txt")) + load(
        os.path.join(d, "results-patched.txt"))
    if not rows:
        sys.exit("report.py: no RESULT lines")
    s1 = [r for r in rows if r["scenario"] == "stuck" and r["k"] == "1"]
    s2 = [r for r in rows if r["scenario"] == "stuck" and r["k"] != "1"]
    s3 = [r for r in rows if r["scenario"] in ("transient", "mixed")]
    before = load(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                               "before-per-folio.txt"))
    s0 = load(os.path.join(d, "results-s0.txt"))
    s6 = load(os.path.join(d, "results-s6.txt"))
    s3c = [r for r in rows if r["scenario"] == "compact-transient"]
    s4 = [r for r in rows if r["scenario"] == "fuse"]
    stock1 = next((float(r["took_ms"]) for r in s1 if r["kernel"] == "stock"), None)
    cpu = "unknown CPU"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    o = []
    o.append("# Bounded waits in page migration: stock vs patched\n")
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
        old = {(r["setting"], r["k"]): float(r["took_ms"]) for r in before
               if r["scenario"] == "stuck"}
        oldbase = old.get(("0", "1"), 0.0)
        o.append("## S2: K stuck folios, one budget per call\n")
        o.append("K of the 512 folios held for the whole call, one `move_pages()`. "
                 "Before: the series with one timed wait per held folio and call "
                 "(bench/before-per-folio.txt), judged against K x T + the unstalled "
                 "call (the T=0 row of S1). Now: one budget T per call, judged against "
                 "T + the unstalled call. K=1 is S1.\n")
        o.append("| setting | K | before (ms) | before / (K x T + unstalled) "
                 "| now (ms) | now / (T + unstalled) | pages moved now |")
        o.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in sorted(s1 + s2, key=lambda r: (int(r["setting"]) if r["kernel"] != "stock" else -1,
                                                int(r["k"]))):
            if r["kernel"] == "stock":
                continue
            t, k, T = float(r["took_ms"]), int(r["k"]), int(r["setting"])
            unstalled = base.get("0", 0.0)
            now = f"{t / (T + unstalled):.2f}" if T > 0 and T + unstalled > 0 else "-"
            b = old.get((r["setting"], r["k"]))
            bs = f"{b:.1f}" if b is not None else "-"
            bratio = (f"{b / (k * T + oldbase):.2f}" if b is not None and T > 0 else "-")
            o.append(f"| T={T} ms | {k} | {bs} | {bratio} | {t:.1f} | {now} "
                     f"| {r['moved']} of {r['of']} |")
        o.append("")
    for us in sorted({r["hold_us"] for r in s3}, key=int):
        rs = [r for r in s3 if r["hold_us"] == us]
        old = {(r["setting"], r["scenario"]): float(r["rate"]) for r in before
               if r["scenario"] == "transient" and r["hold_us"] == us}
        stock = {r["scenario"]: float(r["rate"]) for r in rs if r["kernel"] == "stock"}
        o.append(f"## S3: transient holders, {us} us holds\n")
        o.append(f"A kernel thread keeps locking random folios of the region for "
                 f"{us} us each; {rs[0]['rounds']} rounds of `move_pages()` "
                 "back and forth. Success rate: pages moved / pages that had to move. "
                 "Mixed: the same, with one more folio held for the whole run, so that "
                 "every call spends its budget on it (that folio is not counted). "
                 "Before: one timed wait per held folio and call.\n")
        o.append("| kernel / setting | run | success rate | vs stock (pp) | before | pages moved "
                 "| ms per round |")
        o.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
        for r in sorted(rs, key=lambda r: (r["scenario"], r["kernel"] != "stock",
                                           int(r["setting"]) if r["setting"].isdigit() else -1)):
            rate = float(r["rate"])
            st = stock.get(r["scenario"])
            vs = f"{100 * (rate - st):+.2f}" if st is not None and r["kernel"] != "stock" else "-"
            b = old.get((r["setting"], r["scenario"])) if r["kernel"] != "stock" else None
            bs = f"{100 * b:.2f}%" if b is not None else "-"
            o.append(f"| {name(r)} | {r['scenario']} | {100 * rate:.2f}% | {vs} | {bs} "
                     f"| {r['moved']} of {r['of']} | {float(r['avg_ms']):.1f} |")
        rs = [r for r in rs if r["scenario"] == "transient"]
        o.append(f"\n![S3 {us} us](s3-{us}us.png)\n")
        plot(d, os.path.join(d, f"s3-{us}us.png"),
             f"S3: migration success under {us} us lock holds",
             "success rate (%)", [(name(r), 100 * float(r["rate"])) for r in rs], False)
    if s3c:
        o += s3c_section(d, s3c)
    if s4:
        def met(r):
            # Stock has no counter: it met a stalled folio if it waited
            # for half the stall at least.
            if r["kernel"] == "stock":
                return float(r["took_ms"]) >= float(r["stall_ms"]) / 2
            return (r["lock_timeouts"] != "0" or
                    int(r.get("failed", "0")) >= int(r["readers"]))
        stock4 = next((float(r["took_ms"]) for r in s4 if r["kernel"] == "stock" and met(r)),
                      None)
        o.append("## S4: compaction against a stalled FUSE server\n")
        o.append(f"The selftests' `fuse_stall` server answers every READ {s4[0]['stall_ms']} ms "
                 f"late; {s4[0]['readers']} readers of one page each keep {s4[0]['readers']} "
                 "folios locked meanwhile. One `echo 1 > /proc/sys/vm/compact_memory` "
                 "(MIGRATE_SYNC, every zone, one `migrate_pages()` call per batch of "
                 "isolated pages, usually 32). Lock timeouts: the calls that met a stalled folio "
                 "and spent their budget on it (the stock kernel has no counter); given "
                 "back: folios that failed to migrate. Where compaction's scanners meet "
                 "is not the benchmark's to choose: a run that met no stalled folio "
                 "(stock: under half the stall waited out; patched: no time-out and, at 0, "
                 "fewer folios given back than reads stalled) is tried again, up to 3 "
                 "times (tries). A row that still met none proves nothing and gets no "
                 "ratio; the `migrate_fuse_stall` selftest places the stalled folios "
                 "where compaction meets them, this benchmark does not.\n")
        o.append("| kernel / setting | compact_memory wall time (ms) | with nothing stalled (ms) "
                 "| tries | lock timeouts | given back | stock / this |")
        o.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in s4:
            t = float(r["took_ms"])
            ratio = f"{stock4 / t:.0f}x" if stock4 and t > 0 and met(r) else "-"
            o.append(f"| {name(r)} | {t:.1f} | {float(r['base_ms']):.1f} | {r.get('tries', '1')} "
                     f"| {r['lock_timeouts']} | {r.get('failed', '-')} | {ratio} |")
        o.append("\n![S4](s4.png)\n")
        plot(d, os.path.join(d, "s4.png"), "S4: compact_memory with stalled FUSE reads",
             "wall time (ms, log)", [(name(r), max(float(r["took_ms"]), 0.1)) for r in s4], True)
    s5 = [r for r in rows if r["scenario"] == "stuckdev"]
    if s5:
        st = next((r for r in s5 if r["kernel"] == "stock"), None)
        o.append("## S5: a block device that stopped completing writes\n")
        o.append(f"The selftests' `dm_stall` helper: a device-mapper device over a RAM disk, "
                 f"{s5[0]['pages']} dirty pages of a shared mapping of it, the device "
                 "suspended (`dmsetup suspend --nolockfs`), writeback started: the pages "
                 "stay under writeback. Twice: one `compact_memory` against the first stall, "
                 "`move_pages()` of the pages of the second to the other node. The helper "
                 f"resumes the device after {s5[0]['suspend_ms']} ms at the latest (the stock "
                 "kernel's rows wait for that), and checks each time that the device holds "
                 "exactly the bytes written. Pages moved: on the other node by "
                 "`move_pages()`'s own status array. Asked after: on the other node when "
                 "asked right after the call (`move_pages()` without nodes). The stock "
                 "kernel's call returns only once the helper's time limit resumed the "
                 "device, and the helper then syncs and unmaps its pages at once: a page "
                 "it unmapped before the question is not counted there, so that column "
                 "of the stock row depends on which of the two came first.\n")
        o.append("| kernel / setting | compact_memory (ms) | stock / this | writeback time-outs "
                 "| move_pages() (ms) | stock / this | writeback time-outs | pages moved "
                 "| asked after | data after resume |")
        o.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for r in s5:
            mv, cm = float(r["move_ms"]), float(r["compact_ms"])
            rm = f"{float(st['move_ms']) / mv:.0f}x" if st and r is not st and mv > 0 else "-"
            rc = (f"{float(st['compact_ms']) / cm:.0f}x"
                  if st and r is not st and cm > 0 else "-")
            o.append(f"| {name(r)} | {cm:.1f} | {rc} | {r['compact_timeouts']} | {mv:.1f} | {rm} "
                     f"| {r['move_timeouts']} | {r['moved']} of {r['pages']} "
                     f"| {r.get('after', '-')} of {r['pages']} | {r['verified']} |")
        o.append("\n![S5](s5.png)\n")
        plot(d, os.path.join(d, "s5.png"),
             "S5: a suspended device: compact_memory and move_pages()",
             "wall time (ms, log)",
             [(name(r) + " compact", max(float(r["compact_ms"]), 0.1)) for r in s5] +
             [(name(r) + " move", max(float(r["move_ms"]), 0.1)) for r in s5], True)
    if s6:
        o += s6_section(d, s6)
    if s0:
        o.append("## S0: a healthy system\n")
        o.append("Nothing held. `move_pages()` of 256 MiB to the other node and back, "
                 "then one compaction of node 1 after two of every three pages of the "
                 "region there were freed. Five runs, the two kernels booted in turn; "
                 "the ratio is patched / stock of each run's pages per second, shown "
                 "as median [min, max].\n")
        o.append("| measure | stock, median (pages/s) | patched, median (pages/s) "
                 "| patched / stock, median [min, max] |")
        o.append("| --- | ---: | ---: | ---: |")
        runs = sorted({r["run"] for r in s0}, key=int)
        for key, label in (("move_pps", "move_pages()"), ("compact_pps", "compaction")):
            st = {r["run"]: float(r[key]) for r in s0 if r["kernel"] == "stock"}
            pa = {r["run"]: float(r[key]) for r in s0 if r["kernel"] == "patched"}
            ratios = [pa[x] / st[x] for x in runs if x in st and x in pa and st[x] > 0]
            if not ratios:
                continue
            o.append(f"| {label} | {statistics.median(st.values()):.0f} "
                     f"| {statistics.median(pa.values()):.0f} "
                     f"| {statistics.median(ratios):.3f} [{min(ratios):.3f}, {max(ratios):.3f}] |")
        o.append("")
    with open(out, "w") as f:
        f.write("\n".join(o) + "\n")


if __name__ == "__main__":
    main()
