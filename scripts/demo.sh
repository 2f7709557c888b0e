#!/usr/bin/env bash
# The main job: build (or reuse) the stock and the patched kernel, boot
# each, run S1 (one stuck folio), a short S3 (transient holders), S4
# (compaction against a stalled FUSE server) and S5 (a block device that
# stopped completing writes) with the bpftrace histograms of the waits
# alongside, and print the side-by-side table. 'make bench' runs the full
# set.
. "$(dirname "$0")/lib.sh"
[ $# -eq 0 ] || die "demo.sh takes no arguments"
exec "$TOP/scripts/bench.sh" --quick
