/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * vhost_async_fwd: a vhost-user net backend on lib/vhost's asynchronous
 * data path, with a dmadev (dma_idxp, or dma_skeleton as the control) doing
 * the packet copies. It echoes: what the guest transmits is dequeued with
 * rte_vhost_async_try_dequeue_burst() and enqueued back into the guest's
 * receive ring with rte_vhost_submit_enqueue_burst(), in order and without
 * drops while the guest is there. One device, one queue pair.
 *
 * At every disconnect it drains what is still in flight, frees what it
 * holds and checks that its mempool is back to its baseline, that the
 * dmadev has nothing in flight and that the bytes the dmadev was asked to
 * copy are the bytes of the packets it saw. On SIGINT or SIGTERM it prints
 * the totals and exits 0 only if every check passed.
 *
 * Usage: vhost_async_fwd EAL-ARGS -- --socket PATH --dma NAME [--nb-desc N]
 *   NAME is the dmadev created with --vdev, e.g. dma_idxp0 or dma_skeleton0.
 */

#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pause.h>
#include <rte_vhost.h>
#include <rte_vhost_async.h>

#include "app_util.h"
#include "vhost_fwd.h"

#define RXQ		0	/* guest receive ring: the backend enqueues */
#define TXQ		1	/* guest transmit ring: the backend dequeues */
#define BURST		32
#define NB_MBUF		8191
#define DRAIN_MS	2000	/* a DMA completion takes microseconds */

enum fwd_state {
	FWD_IDLE,	/* no device */
	FWD_RUNNING,	/* the worker polls the device */
	FWD_STOPPING,	/* destroy_device() asks the worker to let go */
	FWD_PARKED,	/* the worker let go */
};

struct fwd_count {
	uint64_t pkts;
	uint64_t bytes;
};

struct fwd_totals {
	struct fwd_count deq;		/* returned by the async dequeue */
	struct fwd_count enq;		/* enqueue completed */
	struct fwd_count drained[2];	/* completed by a clear, per queue */
	struct fwd_count dropped;	/* held when the guest left */
	uint64_t enq_inflight;		/* submitted, not completed: atomic, a
					 * vring stop drains on vhost's thread */
	uint64_t connections;
	uint64_t failures;
};

static struct {
	char path[PATH_MAX];
	const char *dma_name;
	uint32_t nb_desc;
	int16_t dma_id;
	struct rte_mempool *pool;
	unsigned int baseline;		/* mbufs in use with no device */
	uint32_t state;			/* enum fwd_state */
	bool worker_exited;
	int vid;
	uint32_t nb_vrings;
	uint64_t enabled;		/* vrings lib/vhost reports ready */
	struct fwd_guest_map map;
	struct rte_mbuf *pending[BURST];	/* dequeued, no room in RX yet */
	uint16_t nb_pending;
	struct fwd_totals t;
	struct fwd_totals at_connect;
} fwd = { .nb_desc = 1024, .vid = -1 };

static volatile sig_atomic_t quit;

static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	quit = 1;
}

/* ---- accounting and checks ---- */

static void
count_free(struct fwd_count *c, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		c->bytes += pkts[i]->pkt_len;
		rte_pktmbuf_free(pkts[i]);
	}
	c->pkts += n;
}

static void
check(bool ok, const char *when, const char *what)
{
	if (ok)
		return;
	fwd.t.failures++;
	printf("vhost-fwd: FAIL (%s): %s\n", when, what);
}

/*
 * With nothing in flight: every mbuf is back, the dmadev is idle, and it
 * copied exactly the payload of every packet each way - lib/vhost writes
 * the virtio-net header with the CPU and hands all payload bytes to DMA.
 */
static void
check_quiescent(const char *when)
{
	const struct fwd_totals *t = &fwd.t;
	unsigned int in_use = rte_mempool_in_use_count(fwd.pool);
	uint64_t bytes = t->deq.bytes + t->drained[TXQ].bytes +
		t->enq.bytes + t->drained[RXQ].bytes;
	enum rte_dma_vchan_status vst = RTE_DMA_VCHAN_ACTIVE;
	struct rte_dma_stats st = { 0 };
	struct fwd_dma_count dc;

	fwd_dma_count_get(&dc);
	rte_dma_stats_get(fwd.dma_id, 0, &st);
	rte_dma_vchan_status(fwd.dma_id, 0, &vst);
	printf("vhost-fwd: %s: mbufs in use %u (baseline %u); dma submitted %" PRIu64
			" completed %" PRIu64 " errors %" PRIu64 ", copies %" PRIu64
			" of %" PRIu64 " bytes; packet bytes %" PRIu64 "\n", when, in_use,
			fwd.baseline, st.submitted, st.completed, st.errors, dc.ops,
			dc.bytes, bytes);
	check(in_use == fwd.baseline, when, "mbufs leaked");
	check(st.submitted == st.completed &&
			__atomic_load_n(&t->enq_inflight, __ATOMIC_RELAXED) == 0, when,
			"dma copies still in flight");
	check(vst == RTE_DMA_VCHAN_IDLE, when, "dmadev vchan not idle");
	check(st.errors == 0, when, "dma errors");
	check(dc.ops == st.submitted, when, "copies accepted != dmadev submitted");
	check(dc.bytes == bytes, when, "dma bytes != packet bytes");
}

/* ---- data path (the main lcore) ---- */

/* Enqueue pending packets; false while some still wait for room. */
static bool
submit_pending(int vid)
{
	uint16_t k = rte_vhost_submit_enqueue_burst(vid, RXQ, fwd.pending,
			fwd.nb_pending, fwd.dma_id, 0);

	__atomic_fetch_add(&fwd.t.enq_inflight, k, __ATOMIC_RELAXED);
	fwd.nb_pending -= k;
	/* Keep the order: the guest checks that echoes come back in sequence. */
	memmove(fwd.pending, fwd.pending + k, fwd.nb_pending * sizeof(fwd.pending[0]));
	return fwd.nb_pending == 0;
}

/* One round; true when it moved packets or copies are outstanding. */
static bool
echo_once(int vid)
{
	struct rte_mbuf *pkts[BURST];
	int inflight = 0;
	uint64_t left;
	uint16_t n, i;
	bool busy;

	/* Reap first: what is submitted below is then in flight at a stop. */
	n = rte_vhost_poll_enqueue_completed(vid, RXQ, pkts, BURST, fwd.dma_id, 0);
	left = __atomic_sub_fetch(&fwd.t.enq_inflight, n, __ATOMIC_RELAXED);
	busy = n > 0 || left > 0;
	count_free(&fwd.t.enq, pkts, n);
	if (fwd.nb_pending > 0 && !submit_pending(vid))
		return busy;	/* the guest's RX ring is full: do not dequeue */

	n = rte_vhost_async_try_dequeue_burst(vid, TXQ, fwd.pool, pkts, BURST,
			&inflight, fwd.dma_id, 0);
	for (i = 0; i < n; i++) {
		fwd.t.deq.bytes += pkts[i]->pkt_len;
		fwd.pending[i] = pkts[i];
	}
	fwd.t.deq.pkts += n;
	fwd.nb_pending = n;
	if (n > 0)
		submit_pending(vid);
	return busy || n > 0 || inflight > 0;
}

/* Spin while copies are due; sleep when the guest sends nothing. */
static void
idle_wait(bool busy, unsigned int *idle)
{
	if (busy) {
		*idle = 0;
		return;
	}
	if (++*idle < 256)
		rte_pause();
	else
		usleep(50);
}

static void
worker(void)
{
	unsigned int idle = 0;

	while (!quit) {
		uint32_t s = __atomic_load_n(&fwd.state, __ATOMIC_ACQUIRE);

		if (s == FWD_STOPPING) {
			__atomic_store_n(&fwd.state, FWD_PARKED, __ATOMIC_RELEASE);
			continue;
		}
		if (s != FWD_RUNNING) {
			usleep(1000);
			continue;
		}
		idle_wait(echo_once(fwd.vid), &idle);
	}
	__atomic_store_n(&fwd.worker_exited, true, __ATOMIC_RELEASE);
}

/* ---- vhost callbacks (vhost's event thread, or the main one at exit) ---- */

/*
 * Wait for the DMA completion of every packet in flight on @q and free
 * them. @locked: the caller holds the queue's lock (lib/vhost's message
 * handler does around vring_state_changed), which the _thread_unsafe
 * variants require; otherwise the locking ones, which try the lock.
 */
static int
drain_queue(int vid, uint16_t q, bool locked)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * DRAIN_MS / 1000;
	struct rte_mbuf *pkts[BURST];

	for (;;) {
		int left = locked ? rte_vhost_async_get_inflight_thread_unsafe(vid, q) :
			rte_vhost_async_get_inflight(vid, q);
		uint16_t n = 0;

		if (left == 0)
			return 0;
		if (left < 0 && locked)
			return -1;
		if (left > 0)
			n = locked ? rte_vhost_clear_queue_thread_unsafe(vid, q, pkts,
					BURST, fwd.dma_id, 0) :
				rte_vhost_clear_queue(vid, q, pkts, BURST, fwd.dma_id, 0);
		if (q == RXQ)
			__atomic_fetch_sub(&fwd.t.enq_inflight, n, __ATOMIC_RELAXED);
		count_free(&fwd.t.drained[q & 1], pkts, n);
		if (rte_get_timer_cycles() > end)
			return -1;
		if (n == 0)
			rte_delay_us_sleep(10);
	}
}

static void
drain_all(int vid, bool locked, const char *when)
{
	uint32_t q;

	for (q = 0; q < fwd.nb_vrings; q++)
		check(drain_queue(vid, q, locked) == 0, when,
				"in-flight packets not drained");
}

static void
unregister_async(int vid, uint32_t nb)
{
	uint32_t q;

	for (q = 0; q < nb; q++)
		if (rte_vhost_async_channel_unregister(vid, q) != 0)
			check(false, "disconnect", "async channel unregister");
}

static int
new_device(int vid)
{
	uint32_t q;

	if (__atomic_load_n(&fwd.state, __ATOMIC_ACQUIRE) != FWD_IDLE) {
		printf("vhost-fwd: refusing vid %d: one device at a time\n", vid);
		return -1;
	}
	fwd.vid = vid;
	fwd.nb_vrings = rte_vhost_get_vring_num(vid);
	if (fwd.nb_vrings < 2 || fwd_guest_map(&fwd.map, vid) != 0)
		return -1;
	for (q = 0; q < fwd.nb_vrings; q++) {
		if (rte_vhost_async_channel_register(vid, q) != 0) {
			printf("vhost-fwd: async channel register failed on vring %u\n", q);
			unregister_async(vid, q);
			fwd_guest_unmap(&fwd.map);
			return -1;
		}
		/* The worker polls: no kicks wanted. */
		rte_vhost_enable_guest_notification(vid, q, 0);
	}
	fwd.t.connections++;
	fwd.at_connect = fwd.t;
	printf("vhost-fwd: vid %d connected: %u vrings async on dmadev %d, "
			"guest memory %u regions, %" PRIu64 " MB in %u DMA mappings\n",
			vid, fwd.nb_vrings, fwd.dma_id, fwd.map.nb_regions,
			fwd.map.bytes >> 20, fwd.map.nb_runs);
	__atomic_store_n(&fwd.state, FWD_RUNNING, __ATOMIC_RELEASE);
	return 0;
}

static void
park_worker(void)
{
	uint32_t run = FWD_RUNNING;

	__atomic_compare_exchange_n(&fwd.state, &run, FWD_STOPPING, false,
			__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	while (__atomic_load_n(&fwd.state, __ATOMIC_ACQUIRE) != FWD_PARKED &&
			!__atomic_load_n(&fwd.worker_exited, __ATOMIC_ACQUIRE))
		rte_delay_us_sleep(10);
}

static void
destroy_device(int vid)
{
	const struct fwd_totals *a = &fwd.at_connect, *t = &fwd.t;
	uint16_t held;

	if (vid != fwd.vid || __atomic_load_n(&fwd.state, __ATOMIC_ACQUIRE) == FWD_IDLE)
		return;
	/* lib/vhost wants no data-path call on @vid once this returns. */
	park_worker();
	drain_all(vid, false, "disconnect");
	unregister_async(vid, fwd.nb_vrings);
	held = fwd.nb_pending;
	count_free(&fwd.t.dropped, fwd.pending, held);
	fwd.nb_pending = 0;
	fwd_guest_unmap(&fwd.map);
	printf("vhost-fwd: vid %d disconnected: echoed %" PRIu64 " packets (%" PRIu64
			" bytes); at the stop %" PRIu64 " in flight drained (rx %" PRIu64
			", tx %" PRIu64 "), %u held freed\n", vid,
			t->enq.pkts - a->enq.pkts, t->enq.bytes - a->enq.bytes,
			t->drained[RXQ].pkts - a->drained[RXQ].pkts +
			t->drained[TXQ].pkts - a->drained[TXQ].pkts,
			t->drained[RXQ].pkts - a->drained[RXQ].pkts,
			t->drained[TXQ].pkts - a->drained[TXQ].pkts, held);
	check_quiescent("disconnect");
	fwd.vid = -1;
	fwd.enabled = 0;
	__atomic_store_n(&fwd.state, FWD_IDLE, __ATOMIC_RELEASE);
}

/*
 * A vring stops (the guest disables it, or lib/vhost is about to replace
 * the memory table): finish its copies now, under the lock the message
 * handler holds, and once every vring is stopped let go of the guest
 * memory, which lib/vhost may unmap next. A vring that starts again maps
 * the (possibly new) memory table.
 */
static int
vring_state_changed(int vid, uint16_t q, int enable)
{
	uint32_t state = __atomic_load_n(&fwd.state, __ATOMIC_ACQUIRE);
	uint64_t before;

	/* Before new_device() the vid is not known yet; after, only ours. */
	if (vid != fwd.vid && state != FWD_IDLE)
		return 0;
	if (q < 64)
		fwd.enabled = enable ? fwd.enabled | RTE_BIT64(q) :
			fwd.enabled & ~RTE_BIT64(q);
	if (state != FWD_RUNNING)
		return 0;
	if (enable)
		return fwd_guest_map(&fwd.map, vid);
	before = fwd.t.drained[q & 1].pkts;
	check(drain_queue(vid, q, true) == 0, "vring stop", "in-flight packets not drained");
	printf("vhost-fwd: vid %d vring %u stopped, %" PRIu64 " in flight drained\n",
			vid, q, fwd.t.drained[q & 1].pkts - before);
	if (fwd.enabled == 0)
		fwd_guest_unmap(&fwd.map);
	return 0;
}

static const struct rte_vhost_device_ops fwd_ops = {
	.new_device = new_device,
	.destroy_device = destroy_device,
	.vring_state_changed = vring_state_changed,
};

/* ---- set-up ---- */

enum { OPT_SOCKET = 256, OPT_DMA, OPT_NB_DESC };

static const struct app_opt fwd_opts[] = {
	{ "--socket", true, OPT_SOCKET },
	{ "--dma", true, OPT_DMA },
	{ "--nb-desc", true, OPT_NB_DESC },
	{ NULL, false, 0 },
};

static void
usage(const char *prog)
{
	printf("usage: %s EAL-ARGS -- --socket PATH --dma NAME [--nb-desc N]\n"
		"  --socket PATH  vhost-user socket to listen on (server mode)\n"
		"  --dma NAME     dmadev for lib/vhost's async copies, created with\n"
		"                 --vdev (dma_idxp0, dma_skeleton0, ...)\n"
		"  --nb-desc N    descriptors of its vchan (default 1024)\n", prog);
}

static int
fwd_opt(int opt, const char *arg, void *ctx)
{
	RTE_SET_USED(ctx);
	switch (opt) {
	case OPT_SOCKET:
		return snprintf(fwd.path, sizeof(fwd.path), "%s", arg) <
			(int)sizeof(fwd.path) ? 0 : -1;
	case OPT_DMA:
		fwd.dma_name = arg;
		return 0;
	case OPT_NB_DESC:
		return app_parse_u32(arg, 32, 32768, &fwd.nb_desc);
	}
	return -1;
}

static int
vhost_start(void)
{
	unlink(fwd.path);	/* a socket left by a killed run */
	if (rte_vhost_driver_register(fwd.path, RTE_VHOST_USER_ASYNC_COPY) != 0 ||
			rte_vhost_driver_callback_register(fwd.path, &fwd_ops) != 0 ||
			rte_vhost_driver_start(fwd.path) != 0) {
		fprintf(stderr, "vhost-fwd: cannot start vhost-user on %s\n", fwd.path);
		return -1;
	}
	printf("vhost-fwd: listening on %s\n", fwd.path);
	return 0;
}

/* The event thread may be handling a message: unregister can be refused. */
static void
vhost_stop(void)
{
	int i;

	for (i = 0; i < 100 && rte_vhost_driver_unregister(fwd.path) != 0; i++)
		rte_delay_us_sleep(10000);
	if (i == 100)
		check(false, "exit", "vhost driver unregister");
}

static void
report_totals(void)
{
	const struct fwd_totals *t = &fwd.t;

	printf("vhost-fwd: totals: %" PRIu64 " connections; dequeued %" PRIu64
			" packets (%" PRIu64 " bytes), echoed %" PRIu64 " (%" PRIu64
			" bytes), drained rx %" PRIu64 " tx %" PRIu64 ", held and freed %"
			PRIu64 "\n", t->connections, t->deq.pkts, t->deq.bytes,
			t->enq.pkts, t->enq.bytes, t->drained[RXQ].pkts,
			t->drained[TXQ].pkts, t->dropped.pkts);
	check_quiescent("exit");
	check(t->connections > 0 && t->enq.pkts > 0, "exit", "nothing was echoed");
	printf("vhost-fwd: result: %s (%" PRIu64 " failed checks)\n",
			t->failures ? "FAIL" : "PASS", t->failures);
}

int
main(int argc, char **argv)
{
	int ret = rte_eal_init(argc, argv);

	if (ret < 0)
		rte_exit(EXIT_FAILURE, "vhost-fwd: rte_eal_init failed\n");
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (app_parse_opts(argc - ret, argv + ret, fwd_opts, fwd_opt, NULL, usage,
			NULL, NULL) < 0 ||
			fwd.path[0] == '\0' || fwd.dma_name == NULL) {
		usage(argv[0]);
		return 2;
	}
	fwd.pool = rte_pktmbuf_pool_create("fwd_pool", NB_MBUF, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (fwd.pool == NULL)
		rte_exit(EXIT_FAILURE, "vhost-fwd: cannot create the mbuf pool\n");
	fwd.baseline = rte_mempool_in_use_count(fwd.pool);
	fwd.dma_id = fwd_dma_setup(fwd.dma_name, (uint16_t)fwd.nb_desc);
	if (fwd.dma_id < 0 || vhost_start() != 0)
		rte_exit(EXIT_FAILURE, "vhost-fwd: set-up failed\n");
	fwd.map.dma_id = fwd.dma_id;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	worker();

	vhost_stop();
	report_totals();
	fwd_dma_close(fwd.dma_id);
	rte_mempool_free(fwd.pool);
	rte_eal_cleanup();
	return fwd.t.failures ? 1 : 0;
}
