// SPDX-License-Identifier: GPL-2.0
/*
 * migbench: move_pages(2) against folios whose lock is held on purpose by
 * the test_folio_lock_holder module (/sys/kernel/debug/folio_lock_holder).
 * Runs in the guest; prints one "RESULT key=value ..." line per run for
 * bench/report.py. The caller sets vm.migrate_lock_timeout_ms.
 *
 *   migbench stuck K HOLD_MS        K folios of 512 held for HOLD_MS; one
 *                                   move_pages() of all 512 to the other
 *                                   node: wall time and pages moved
 *   migbench transient ROUNDS US    a kernel thread keeps locking random
 *                                   folios of the 512 for US microseconds
 *                                   each; ROUNDS moves back and forth:
 *                                   pages moved per round and time
 *   migbench mixed ROUNDS US        transient, plus one folio held for the
 *                                   whole run: what the stuck folio's use
 *                                   of the call's budget costs the others
 *                                   (the stuck page is not counted)
 *   migbench fuse SERVER R STALL_MS start SERVER (the selftests' fuse_stall)
 *                                   with STALL_MS late READ answers and R
 *                                   readers of one page each on node 1 (R
 *                                   locked folios), then time one whole-
 *                                   system compaction (compact_memory);
 *                                   again, up to 3 times, if it met none
 *   migbench stuckdev HELPER P MS   HELPER (the selftests' dm_stall) keeps P
 *                                   dirty pages of a device-mapper device
 *                                   under writeback, the device suspended
 *                                   for MS ms at most: time one
 *                                   compact_memory; then again, and time
 *                                   move_pages() of the pages to node 1;
 *                                   check the device's data after each
 *   migbench compact K HOLD_MS      S6: shmem on node 0 spread over 256
 *                                   MiB (each page followed by two that are
 *                                   freed), K of it held for HOLD_MS (0: for
 *                                   the whole run), evenly spread; one
 *                                   write to node 0's compact file: wall
 *                                   time, lock time-outs, and the waits of
 *                                   this task summed from the tracepoint
 *   migbench compact-transient ROUNDS US
 *                                   S3 through compaction: per round a new
 *                                   region as S6's, HOLDERS kernel threads
 *                                   locking random folios of it for US
 *                                   microseconds each, one compaction of
 *                                   node 0: folios migrated and failed
 *   migbench healthy MB             nothing held: move_pages() of MB MiB to
 *                                   node 1 and back, then one compaction of
 *                                   node 1 after fragmenting it (two of
 *                                   every three pages of MB MiB freed):
 *                                   pages per second of each
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <numaif.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NPAGES	512
#define HOLDER	"/sys/kernel/debug/folio_lock_holder"
#define TRACING	"/sys/kernel/tracing"
#define WAIT_EVENT TRACING "/events/migrate/mm_migrate_wait/enable"
#define WAIT_FILTER TRACING "/events/migrate/mm_migrate_wait/filter"
#define SPREAD_MB 256		/* the region of S6 and S3 through compaction */
#define HOLDERS 64		/* S3 through compaction: its transient holders */

static void *pages[NPAGES];
static int nodes[NPAGES], status[NPAGES];
static long psize;

static void die(const char *what)
{
	fprintf(stderr, "migbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Move every page to @node; return the time taken in ms. */
static double move_all(int node)
{
	double t0 = now_ms();
	int i;

	for (i = 0; i < NPAGES; i++)
		nodes[i] = node;
	if (move_pages(0, NPAGES, pages, nodes, status, MPOL_MF_MOVE) < 0)
		die("move_pages");
	return now_ms() - t0;
}

static int count_on(int node)
{
	int i, n = 0;

	if (move_pages(0, NPAGES, pages, NULL, status, 0))
		die("move_pages (query)");
	for (i = 0; i < NPAGES; i++)
		n += status[i] == node;
	return n;
}

static void command(int fd, const char *cmd)
{
	if (write(fd, cmd, strlen(cmd)) < 0) {
		fprintf(stderr, "migbench: '%s': %s\n", cmd, strerror(errno));
		exit(1);
	}
}

static long arg(const char *s, long lo, long hi, const char *name)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi) {
		fprintf(stderr, "migbench: %s must be %ld..%ld, not '%s'\n",
			name, lo, hi, s);
		exit(2);
	}
	return v;
}

static long vmstat(const char *name)
{
	char key[64];
	long val, ret = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		die("/proc/vmstat");
	while (fscanf(f, "%63s %ld", key, &val) == 2)
		if (!strcmp(key, name))
			ret = val;
	fclose(f);
	return ret;
}

static double compact(void)
{
	double t0 = now_ms();
	int fd = open("/proc/sys/vm/compact_memory", O_WRONLY);

	if (fd < 0 || write(fd, "1", 1) != 1)
		die("compact_memory");
	close(fd);
	return now_ms() - t0;
}

/* Wait until @count lines from @fd start with @prefix. */
static void wait_lines(int fd, const char *prefix, long count)
{
	char line[128];
	size_t len = 0;
	char c;

	while (count > 0) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (poll(&pfd, 1, 20000) <= 0 || read(fd, &c, 1) != 1) {
			fprintf(stderr, "migbench: the FUSE server did not say '%s'\n", prefix);
			exit(1);
		}
		if (c != '\n') {
			if (len < sizeof(line) - 1)
				line[len++] = c;
			continue;
		}
		line[len] = '\0';
		len = 0;
		count -= !strncmp(line, prefix, strlen(prefix));
	}
}

/*
 * S4: compaction against @readers folios that the fuse_stall server keeps
 * locked (its readers, placed where compaction meets them: see the server).
 */
static int fuse_stall(const char *server, const char *readers, const char *stall)
{
	const char *tmp = getenv("TMPDIR");
	long before, after, failed;
	double base, took;
	char mnt[256];
	int tries;
	int fds[2];
	pid_t pid;

	snprintf(mnt, sizeof(mnt), "%s/migbench.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(mnt) || pipe(fds))
		die("mount point");
	compact();
	base = compact();	/* with nothing stalled */
	pid = fork();
	if (!pid) {
		dup2(fds[1], STDOUT_FILENO);
		execl(server, server, "-s", stall, "-r", readers, "-n", "1", mnt, NULL);
		die(server);
	}
	close(fds[1]);
	wait_lines(fds[0], "ready", 1);
	wait_lines(fds[0], "stalled", 1);
	/*
	 * Where compaction's scanners meet is not ours to choose: a run that
	 * met no stalled folio is tried again, up to 3 times. Met: on a
	 * kernel without the counter (stock), half the stall waited out; on
	 * one with it, a lock time-out, or (at 0, where nothing times out)
	 * as many folios given back as there are stalled reads (a run gives
	 * back a folio or two of its own anyway).
	 */
	for (tries = 1; ; tries++) {
		before = vmstat("pgmigrate_lock_timeout");
		failed = vmstat("pgmigrate_fail");
		took = compact();
		after = vmstat("pgmigrate_lock_timeout");
		failed = vmstat("pgmigrate_fail") - failed;
		if (tries == 3 || (before < 0 && took >= atol(stall) / 2) ||
		    (before >= 0 && (after > before || failed >= atol(readers))))
			break;
	}
	kill(pid, SIGTERM);	/* answers what is still stalled, unmounts */
	waitpid(pid, NULL, 0);
	umount2(mnt, MNT_DETACH);
	rmdir(mnt);
	printf("RESULT scenario=fuse readers=%s stall_ms=%s took_ms=%.1f base_ms=%.1f tries=%d failed=%ld lock_timeouts=",
	       readers, stall, took, base, tries, failed);
	if (before < 0)
		printf("-\n");
	else
		printf("%ld\n", after - before);
	return 0;
}

/* Read one line from @f that starts with @prefix into @line; 0 at EOF. */
static int line_from(FILE *f, const char *prefix, char *line, int size)
{
	while (fgets(line, size, f))
		if (!strncmp(line, prefix, strlen(prefix)))
			return 1;
	return 0;
}

struct stall {
	pid_t pid, hpid;
	FILE *out;
	unsigned long addr;
	long pages, wb;
};

/* Start @helper (dm_stall): @pages pages under writeback on a suspended device. */
static void stall_start(struct stall *st, const char *helper, const char *pages,
			const char *ms)
{
	char line[256];
	int fds[2];

	if (pipe(fds))
		die("pipe");
	st->pid = fork();
	if (!st->pid) {
		dup2(fds[1], STDOUT_FILENO);
		execl(helper, helper, "-s", ms, "-p", pages, "-n", "0", "migbench_stall", NULL);
		die(helper);
	}
	close(fds[1]);
	st->out = fdopen(fds[0], "r");
	if (!st->out || !line_from(st->out, "stalled ", line, sizeof(line)) ||
	    sscanf(line, "stalled %d %lx %ld %ld", &st->hpid, &st->addr, &st->pages,
		   &st->wb) != 4) {
		fprintf(stderr, "migbench: %s did not stall its device\n", helper);
		exit(1);
	}
}

/* Resume the device now (if its time is not up yet); 1 if its data was intact. */
static int stall_end(struct stall *st)
{
	char line[256];
	int ok = 0;

	kill(st->pid, SIGUSR1);
	if (line_from(st->out, "verified ", line, sizeof(line)))
		ok = !strncmp(line, "verified ok", 11);
	waitpid(st->pid, NULL, 0);
	fclose(st->out);
	return ok;
}

/*
 * S5: a block device that stopped completing writes. Two stalls, one after
 * the other: one compact_memory against the first, move_pages() of the
 * second's pages to node 1. On a kernel that waits without bound each
 * lasts until the helper resumes the device.
 */
static int stuckdev(const char *helper, const char *pages, const char *ms)
{
	long i, wb_before, wb_mid, wb_after, moved = 0, after = 0;
	double t0, move_ms, compact_ms;
	int *nodes, *st, ok;
	struct stall a, b;
	void **addrs;

	wb_before = vmstat("pgmigrate_writeback_timeout");
	stall_start(&a, helper, pages, ms);
	compact_ms = compact();
	ok = stall_end(&a);
	wb_mid = vmstat("pgmigrate_writeback_timeout");

	stall_start(&b, helper, pages, ms);
	addrs = calloc(b.pages, sizeof(*addrs));
	nodes = calloc(b.pages, sizeof(*nodes));
	st = calloc(b.pages, sizeof(*st));
	if (!addrs || !nodes || !st)
		die("calloc");
	for (i = 0; i < b.pages; i++) {
		addrs[i] = (void *)(b.addr + i * psize);
		nodes[i] = 1;
	}
	t0 = now_ms();
	if (move_pages(b.hpid, b.pages, addrs, nodes, st, MPOL_MF_MOVE) < 0)
		die("move_pages (stalled pages)");
	move_ms = now_ms() - t0;
	wb_after = vmstat("pgmigrate_writeback_timeout");
	/* What the call itself reported, page by page ... */
	for (i = 0; i < b.pages; i++)
		moved += st[i] == 1;
	/*
	 * ... and where the pages are when asked afterwards: once the device
	 * is resumed (by its time limit, which is what a kernel that waits
	 * without bound waits for), the helper syncs and unmaps them, and a
	 * page it unmapped first reports an error here.
	 */
	if (!move_pages(b.hpid, b.pages, addrs, NULL, st, 0))
		for (i = 0; i < b.pages; i++)
			after += st[i] == 1;
	ok &= stall_end(&b);
	printf("RESULT scenario=stuckdev pages=%ld suspend_ms=%s writeback=%ld,%ld compact_ms=%.1f move_ms=%.1f moved=%ld after=%ld verified=%s",
	       b.pages, ms, a.wb, b.wb, compact_ms, move_ms, moved, after, ok ? "ok" : "BAD");
	if (wb_before < 0)
		printf(" compact_timeouts=- move_timeouts=-\n");
	else
		printf(" compact_timeouts=%ld move_timeouts=%ld\n",
		       wb_mid - wb_before, wb_after - wb_mid);
	return 0;
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	int ret = -1;

	if (fd < 0)
		return -1;
	if (write(fd, val, strlen(val)) == (ssize_t)strlen(val))
		ret = 0;
	close(fd);
	return ret;
}

/* Compact node 0 through its sysfs file; return the time taken in ms. */
static double compact_node0(void)
{
	double t0 = now_ms();

	if (write_file("/sys/devices/system/node/node0/compact", "1"))
		die("node0/compact");
	return now_ms() - t0;
}

/*
 * Trace this task's mm_migrate_wait events (on a kernel that has them),
 * through the event's own pid filter: set_event_pid would also hook the
 * scheduler's wakeup tracepoints, patching their call sites each time;
 * 0 if tracing started. Switched on once per run, the buffer emptied
 * before each measurement (waits_clear()).
 */
static int waits_trace(int on)
{
	char filter[48];

	if (access(WAIT_EVENT, W_OK))
		return -1;
	if (!on)
		return write_file(WAIT_EVENT, "0") | write_file(WAIT_FILTER, "0");
	snprintf(filter, sizeof(filter), "common_pid == %d", getpid());
	if (write_file(WAIT_FILTER, filter) || write_file(WAIT_EVENT, "1"))
		return -1;
	return 0;
}

static void waits_clear(void)
{
	if (write_file(TRACING "/trace", ""))
		die(TRACING "/trace");
}

/* The traced waits: their number in *@n, their sum in ms returned. */
static double waits_sum(long *n)
{
	FILE *f = fopen(TRACING "/trace", "r");
	char line[512], *p;
	double ms = 0;

	*n = 0;
	if (!f)
		die(TRACING "/trace");
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, " waited_ns=");
		if (!strstr(line, "mm_migrate_wait:") || !p)
			continue;
		ms += strtoll(p + strlen(" waited_ns="), NULL, 10) / 1e6;
		(*n)++;
	}
	fclose(f);
	return ms;
}

/*
 * A shmem file of @kept pages on node 0 whose pages are spread out: each
 * kept page is followed by two of a second file, allocated in turn, and
 * that file is then freed. Returns the mapping of the kept file.
 */
static char *spread_region(long kept, int *fd)
{
	unsigned long mask = 1;
	long len = kept * psize, i;
	char *map, *gap;
	int gfd;

	*fd = memfd_create("migbench_kept", 0);
	gfd = memfd_create("migbench_gap", 0);
	if (*fd < 0 || gfd < 0 || ftruncate(*fd, len) || ftruncate(gfd, 2 * len))
		die("memfd");
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
	gap = mmap(NULL, 2 * len, PROT_READ | PROT_WRITE, MAP_SHARED, gfd, 0);
	if (map == MAP_FAILED || gap == MAP_FAILED)
		die("mmap (spread)");
	madvise(map, len, MADV_NOHUGEPAGE);
	madvise(gap, 2 * len, MADV_NOHUGEPAGE);
	if (mbind(map, len, MPOL_BIND, &mask, sizeof(mask) * 8, 0) ||
	    mbind(gap, 2 * len, MPOL_BIND, &mask, sizeof(mask) * 8, 0))
		die("mbind (spread)");
	for (i = 0; i < kept; i++) {
		map[i * psize] = 1;
		gap[2 * i * psize] = 1;
		gap[(2 * i + 1) * psize] = 1;
	}
	munmap(gap, 2 * len);
	close(gfd);
	return map;
}

/* S6: one compaction of node 0 against @k held folios spread over SPREAD_MB. */
static int compact_spread(long k, long hold)
{
	long n = ((long)SPREAD_MB << 20) / psize, kept = (n + 2) / 3, i;
	long to_before, ok_before, fail_before;
	char *map, cmd[96];
	double took, waited;
	int fd, holder, traced;
	long waits = 0;

	holder = open(HOLDER, O_RDWR);
	if (holder < 0)
		die(HOLDER " (is test_folio_lock_holder loaded?)");
	map = spread_region(kept, &fd);
	for (i = 0; i < k; i++) {
		snprintf(cmd, sizeof(cmd), "hold %lx %ld",
			 (unsigned long)(map + ((2 * i + 1) * kept / (2 * k)) * psize), hold);
		command(holder, cmd);
	}
	traced = !waits_trace(1);
	if (traced)
		waits_clear();
	to_before = vmstat("pgmigrate_lock_timeout");
	ok_before = vmstat("pgmigrate_success");
	fail_before = vmstat("pgmigrate_fail");
	took = compact_node0();
	waits_trace(0);
	waited = traced ? waits_sum(&waits) : 0;
	printf("RESULT scenario=compact k=%ld hold_ms=%ld took_ms=%.1f migrated=%ld failed=%ld",
	       k, hold, took, vmstat("pgmigrate_success") - ok_before,
	       vmstat("pgmigrate_fail") - fail_before);
	if (to_before < 0 || !traced)
		printf(" lock_timeouts=- waits=- waited_ms=-\n");
	else
		printf(" lock_timeouts=%ld waits=%ld waited_ms=%.1f\n",
		       vmstat("pgmigrate_lock_timeout") - to_before, waits, waited);
	close(holder);		/* releases every hold */
	munmap(map, kept * psize);
	close(fd);
	return 0;
}

/*
 * S3 through compaction: @rounds compactions of node 0, each over a new
 * spread-out region whose folios HOLDERS kernel threads keep locking for
 * @us microseconds at a time.
 */
static int compact_transient(long rounds, long us)
{
	long kept = (((long)SPREAD_MB << 20) / psize + 2) / 3, ok = 0, fail = 0, ok0, fail0;
	long waits = 0, n;
	double waited = 0;
	int traced = 0;
	long to0 = vmstat("pgmigrate_lock_timeout");
	int holders[HOLDERS], fd, h;
	double took = 0;
	char cmd[96];
	char *map;
	long r;

	traced = !waits_trace(1);
	for (r = 0; r < rounds; r++) {
		map = spread_region(kept, &fd);
		for (h = 0; h < HOLDERS; h++) {
			holders[h] = open(HOLDER, O_RDWR);
			if (holders[h] < 0)
				die(HOLDER " (is test_folio_lock_holder loaded?)");
			snprintf(cmd, sizeof(cmd), "transient %lx %ld %ld",
				 (unsigned long)map, kept * psize, us);
			command(holders[h], cmd);
		}
		ok0 = vmstat("pgmigrate_success");
		fail0 = vmstat("pgmigrate_fail");
		if (traced)
			waits_clear();
		took += compact_node0();
		ok += vmstat("pgmigrate_success") - ok0;
		fail += vmstat("pgmigrate_fail") - fail0;
		if (traced) {
			waited += waits_sum(&n);
			waits += n;
		}
		for (h = 0; h < HOLDERS; h++) {
			command(holders[h], "stop");
			close(holders[h]);
		}
		munmap(map, kept * psize);
		close(fd);
	}
	waits_trace(0);
	printf("RESULT scenario=compact-transient hold_us=%ld rounds=%ld holders=%d mb=%d migrated=%ld failed=%ld rate=%.4f avg_ms=%.1f lock_timeouts=",
	       us, rounds, HOLDERS, SPREAD_MB, ok, fail, ok + fail ? (double)ok / (ok + fail) : 0.0,
	       took / rounds);
	if (to0 < 0 || !traced)
		printf("- waits=- waited_ms=-\n");
	else
		printf("%ld waits=%ld waited_ms=%.1f\n", vmstat("pgmigrate_lock_timeout") - to0,
		       waits, waited);
	return 0;
}

/* S0: a healthy system, nothing held. */
static int healthy(long mb)
{
	long n = (mb << 20) / psize, i, before, moved;
	void **addrs = calloc(n, sizeof(*addrs));
	int *to = calloc(n, sizeof(*to)), *st = calloc(n, sizeof(*st));
	double t0, move_ms, compact_ms;
	char *mem;
	int fd;

	mem = mmap(NULL, n * psize, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || !addrs || !to || !st)
		die("healthy: memory");
	madvise(mem, n * psize, MADV_NOHUGEPAGE);
	for (i = 0; i < n; i++) {
		addrs[i] = mem + i * psize;
		mem[i * psize] = 1;
		to[i] = 0;
	}
	if (move_pages(0, n, addrs, to, st, MPOL_MF_MOVE) < 0)
		die("move_pages (place)");
	t0 = now_ms();
	for (i = 0; i < n; i++)
		to[i] = 1;
	if (move_pages(0, n, addrs, to, st, MPOL_MF_MOVE))
		die("move_pages (to node 1)");
	for (i = 0; i < n; i++)
		to[i] = 0;
	if (move_pages(0, n, addrs, to, st, MPOL_MF_MOVE))
		die("move_pages (back)");
	move_ms = now_ms() - t0;
	/* Fragment node 1: fill it with the region, free two of three pages. */
	for (i = 0; i < n; i++)
		to[i] = 1;
	if (move_pages(0, n, addrs, to, st, MPOL_MF_MOVE))
		die("move_pages (fill)");
	for (i = 0; i < n; i++)
		if (i % 3)
			madvise(addrs[i], psize, MADV_DONTNEED);
	before = vmstat("pgmigrate_success");
	t0 = now_ms();
	fd = open("/sys/devices/system/node/node1/compact", O_WRONLY);
	if (fd < 0 || write(fd, "1", 1) != 1)
		die("node1/compact");
	close(fd);
	compact_ms = now_ms() - t0;
	moved = vmstat("pgmigrate_success") - before;
	printf("RESULT scenario=healthy mb=%ld move_pages=%ld move_ms=%.1f move_pps=%.0f compact_ms=%.1f compact_pages=%ld compact_pps=%.0f\n",
	       mb, 2 * n, move_ms, 2 * n / (move_ms / 1e3), compact_ms, moved,
	       compact_ms > 0 ? moved / (compact_ms / 1e3) : 0.0);
	munmap(mem, n * psize);
	return 0;
}

int main(int argc, char **argv)
{
	char *mem, cmd[96];
	int fd, i;

	psize = getpagesize();
	if (argc == 3 && !strcmp(argv[1], "healthy"))
		return healthy(arg(argv[2], 1, 1024, "MB"));
	if (argc == 4 && !strcmp(argv[1], "compact"))
		return compact_spread(arg(argv[2], 1, 4096, "K"),
				      arg(argv[3], 0, 600000, "HOLD_MS"));
	if (argc == 4 && !strcmp(argv[1], "compact-transient"))
		return compact_transient(arg(argv[2], 1, 1000, "ROUNDS"),
					 arg(argv[3], 1, 100000, "US"));
	if (argc == 5 && !strcmp(argv[1], "stuckdev")) {
		arg(argv[3], 1, 4096, "P");
		arg(argv[4], 1, 3600000, "MS");
		return stuckdev(argv[2], argv[3], argv[4]);
	}
	if (argc == 5 && !strcmp(argv[1], "fuse")) {
		arg(argv[3], 1, 256, "R");
		arg(argv[4], 0, 3600000, "STALL_MS");
		return fuse_stall(argv[2], argv[3], argv[4]);
	}
	if (argc != 4 || (strcmp(argv[1], "stuck") && strcmp(argv[1], "transient") &&
			  strcmp(argv[1], "mixed"))) {
		fprintf(stderr, "usage: migbench stuck K HOLD_MS | transient ROUNDS US | mixed ROUNDS US |\n"
			"                fuse SERVER R STALL_MS | stuckdev HELPER P MS | healthy MB |\n"
			"                compact K HOLD_MS | compact-transient ROUNDS US\n");
		return 2;
	}
	mem = mmap(NULL, NPAGES * psize, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap");
	madvise(mem, NPAGES * psize, MADV_NOHUGEPAGE);
	for (i = 0; i < NPAGES; i++) {
		pages[i] = mem + i * psize;
		mem[i * psize] = 1;
	}
	fd = open(HOLDER, O_RDWR);
	if (fd < 0)
		die(HOLDER " (is test_folio_lock_holder loaded?)");
	move_all(0);
	if (count_on(0) != NPAGES) {
		fprintf(stderr, "migbench: could not place the region on node 0\n");
		return 1;
	}

	if (!strcmp(argv[1], "stuck")) {
		long k = arg(argv[2], 1, NPAGES, "K");
		long hold = arg(argv[3], 1, 600000, "HOLD_MS");
		double took;

		for (i = 0; i < k; i++) {
			snprintf(cmd, sizeof(cmd), "hold %lx %ld",
				 (unsigned long)pages[(3 + i * (NPAGES / k)) % NPAGES], hold);
			command(fd, cmd);
		}
		took = move_all(1);
		printf("RESULT scenario=stuck k=%ld hold_ms=%ld took_ms=%.1f moved=%d of=%d\n",
		       k, hold, took, count_on(1), NPAGES);
	} else {
		long rounds = arg(argv[2], 1, 100000, "ROUNDS");
		long us = arg(argv[3], 1, 100000, "US");
		/* mixed: the last page is held, outside the transient range. */
		int mixed = !strcmp(argv[1], "mixed"), stuck = NPAGES - 1;
		long moved = 0, tried = 0;
		static int before[NPAGES];
		double took = 0;
		int r, to;

		snprintf(cmd, sizeof(cmd), "transient %lx %ld %ld",
			 (unsigned long)mem, (long)(NPAGES - mixed) * psize, us);
		command(fd, cmd);
		if (mixed) {
			snprintf(cmd, sizeof(cmd), "hold %lx 0", (unsigned long)pages[stuck]);
			command(fd, cmd);
		}
		for (r = 0; r < rounds; r++) {
			to = (r + 1) & 1;
			count_on(to);
			memcpy(before, status, sizeof(before));
			took += move_all(to);
			count_on(to);
			/* Count only the pages this round had to move. */
			for (i = 0; i < NPAGES; i++) {
				if (before[i] == to || (mixed && i == stuck))
					continue;
				tried++;
				moved += status[i] == to;
			}
		}
		command(fd, "stop");
		printf("RESULT scenario=%s hold_us=%ld rounds=%ld moved=%ld of=%ld rate=%.4f avg_ms=%.1f\n",
		       argv[1], us, rounds, moved, tried,
		       tried ? (double)moved / tried : 0.0, took / rounds);
	}
	close(fd);
	return 0;
}
