/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Random API sequences with bad arguments, several seeds, bounded time:
 * control calls (configure, vchan_setup with ring sizes 0..65535, start,
 * stop, close, re-create with random devargs), data-path calls on vchan
 * ids in and out of range with lengths 0..4 GB, NULL / unmapped / random
 * / freed addresses, random flag bits and SG counts 0..40, fills, the
 * rte_pmd_idxp_* API with bad ids, injected faults, halts and failed
 * resets.
 *
 * Pass: no crash, no hang (an alarm turns one into a failure that names
 * the last calls), and every op accepted on a started vchan is reported
 * exactly once, in id order, before that vchan's stop.
 *
 * Only bad addresses get lengths beyond the scratch buffer: a valid one
 * would be a real DMA over the process's memory, which a device does
 * exactly as told. Guard zones around the scratch buffer prove that no op
 * wrote outside it.
 *
 * IDXP_FUZZ_SEEDS and IDXP_FUZZ_MS override the number of seeds and the
 * time per seed.
 */

#include <errno.h>
#include <execinfo.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_random.h>

#include "rte_pmd_idxp.h"
#include "idxp_compat.h"
#include "test_common.h"

#define MAX_VC		16
#define SCRATCH		(64u << 10)
#define GUARD		4096u
#define GUARD_BYTE	0xa5
#define DRAIN_MS	3000
#define HISTORY		32

static const char *const dev_name = "dma_idxp0";
static int16_t dev = -1;

/* What the fuzzer believes about each vchan of the current device. */
struct vc_model {
	bool setup;
	uint16_t nb_desc;
	uint16_t next_id;	/* id the next accepted op gets */
	uint64_t accepted;	/* since start */
	uint64_t reported;
};

static struct {
	bool configured, started;
	uint16_t nb_vchans;
	struct vc_model vc[MAX_VC];
} m;

static uint8_t *src_buf, *area;	/* area: guard | scratch | guard */
static uint8_t *scratch;
static rte_iova_t src_iova, scratch_iova, freed_iova;
static uint64_t ops_accepted, ops_reported, calls, halts_seen;

/* ---- diagnostics ---- */

static char history[HISTORY][96];
static unsigned int hist_n;

static void
note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(history[hist_n++ % HISTORY], sizeof(history[0]), fmt, ap);
	va_end(ap);
	calls++;
}

static void
dump_history(void)
{
	unsigned int i, n = RTE_MIN(hist_n, (unsigned int)HISTORY);

	fprintf(stderr, "last %u calls, oldest first:\n", n);
	for (i = hist_n - n; i != hist_n; i++)
		fprintf(stderr, "  %s\n", history[i % HISTORY]);
}

static void
on_alarm(int sig)
{
	RTE_SET_USED(sig);
	fprintf(stderr, "FAIL: hang (no progress for the alarm period)\n");
	dump_history();
	_exit(1);
}

/* A crash names the calls that led to it, and where it happened. */
static void
on_crash(int sig)
{
	void *bt[32];
	int n = backtrace(bt, RTE_DIM(bt));

	fprintf(stderr, "FAIL: signal %d\n", sig);
	dump_history();
	backtrace_symbols_fd(bt, n, 2);
	_exit(1);
}

/* ---- random arguments ---- */

static uint64_t
rnd(uint64_t n)
{
	return n == 0 ? 0 : rte_rand_max(n);
}

static bool
chance(unsigned int pct)
{
	return rnd(100) < pct;
}

/* Mostly valid vchans, sometimes past nb_vchans or past any device's. */
static uint16_t
rnd_vchan(void)
{
	if (chance(80) && m.nb_vchans > 0)
		return (uint16_t)rnd(m.nb_vchans);
	return chance(50) ? (uint16_t)rnd(20) : (uint16_t)rte_rand();
}

/* A source: inside the source buffer, or bad; @len may grow for bad ones. */
static rte_iova_t
rnd_bad_addr(void)
{
	switch (rnd(4)) {
	case 0: return 0;
	case 1: return 0xdead000000000000ull + (rte_rand() & 0xffffffffffull);
	case 2:
		/* A freed page's IOVA, unless the heap has mapped it again. */
		if (rte_mem_iova2virt(freed_iova) == NULL)
			return freed_iova + rnd(4096);
		return 0;
	default: return (rte_iova_t)(uintptr_t)&m + rnd(64);	/* not DPDK memory */
	}
}

/*
 * An address/length pair: valid addresses stay inside their buffer (or the
 * scratch area for destinations); bad ones may come with any length.
 */
static void
rnd_span(bool dst, rte_iova_t *addr, uint32_t *len)
{
	if (chance(75)) {
		uint32_t off = (uint32_t)rnd(SCRATCH);

		*addr = (dst ? scratch_iova : src_iova) + off;
		*len = (uint32_t)rnd(SCRATCH - off + 1);	/* 0 is a case too */
		return;
	}
	*addr = rnd_bad_addr();
	switch (rnd(4)) {
	case 0: *len = 0; break;
	case 1: *len = UINT32_MAX; break;
	case 2: *len = (uint32_t)rte_rand(); break;
	default: *len = (uint32_t)rnd(SCRATCH); break;
	}
}

static uint64_t
rnd_flags(void)
{
	if (chance(60))
		return chance(30) ? RTE_DMA_OP_FLAG_SUBMIT : 0;
	return rte_rand();	/* unknown bits must be harmless */
}

/* A destination is only valid with a valid source when both fit. */
static void
rnd_copy_args(rte_iova_t *s, rte_iova_t *d, uint32_t *len)
{
	uint32_t ls, ld;

	rnd_span(false, s, &ls);
	rnd_span(true, d, &ld);
	if (*d >= scratch_iova && *d < scratch_iova + SCRATCH)
		*len = RTE_MIN(ls, ld);	/* never past the scratch area */
	else
		*len = chance(50) ? ls : ld;
}

/* ---- bookkeeping ---- */

static void
accepted(uint16_t vchan, int id)
{
	struct vc_model *v;

	if (id < 0)
		return;
	if (!m.started || vchan >= m.nb_vchans) {
		CHECK(false, "op accepted (id %d) on vchan %u of a device that is "
				"not started or has no such vchan", id, vchan);
		return;
	}
	v = &m.vc[vchan];
	CHECK((uint16_t)id == v->next_id, "vchan %u: id %d, expected %u",
			vchan, id, v->next_id);
	v->next_id = (uint16_t)(id + 1);
	v->accepted++;
	ops_accepted++;
}

static void
reported(uint16_t vchan, uint16_t n, uint16_t last)
{
	struct vc_model *v;

	if (n == 0)
		return;
	if (vchan >= m.nb_vchans || !m.vc[vchan].setup) {
		CHECK(false, "%u completions on vchan %u that has no ops", n, vchan);
		return;
	}
	v = &m.vc[vchan];
	CHECK(v->reported + n <= v->accepted, "vchan %u: %" PRIu64 " reported, "
			"only %" PRIu64 " accepted", vchan, v->reported + n, v->accepted);
	CHECK(last == (uint16_t)(v->reported + n - 1), "vchan %u: last_idx %u, "
			"expected %u", vchan, last, (uint16_t)(v->reported + n - 1));
	v->reported += n;
	ops_reported += n;
}

static bool
guards_intact(void)
{
	uint32_t i;

	for (i = 0; i < GUARD; i++)
		if (area[i] != GUARD_BYTE || scratch[SCRATCH + i] != GUARD_BYTE)
			return false;
	return true;
}

/* Collect until every accepted op of @vchan is reported, or time runs out. */
static void
drain_vchan(uint16_t vchan)
{
	struct vc_model *v = &m.vc[vchan];
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() / 1000 * DRAIN_MS;
	enum rte_dma_status_code st[64];
	uint16_t last, n;

	rte_dma_submit(dev, vchan);	/* -EIO on a halted device: still reported */
	while (v->reported < v->accepted && rte_get_timer_cycles() < end) {
		n = rte_dma_completed_status(dev, vchan, RTE_DIM(st), &last, st);
		reported(vchan, n, last);
	}
	CHECK(v->reported == v->accepted, "vchan %u: %" PRIu64 " of %" PRIu64
			" accepted ops reported before stop", vchan, v->reported,
			v->accepted);
	if (v->reported != v->accepted)
		dump_history();
}

/* ---- actions ---- */

static void
act_copy(void)
{
	uint16_t vchan = rnd_vchan();
	rte_iova_t s, d;
	uint32_t len;
	uint64_t fl = rnd_flags();
	int id;

	rnd_copy_args(&s, &d, &len);
	note("copy vc %u 0x%" PRIx64 "->0x%" PRIx64 " len %u fl 0x%" PRIx64,
			vchan, s, d, len, fl);
	id = rte_dma_copy(dev, vchan, s, d, len, fl);
	accepted(vchan, id);
}

static void
act_fill(void)
{
	uint16_t vchan = rnd_vchan();
	rte_iova_t d;
	uint32_t len;
	int id;

	rnd_span(true, &d, &len);
	note("fill vc %u 0x%" PRIx64 " len %u", vchan, d, len);
	id = rte_dma_fill(dev, vchan, rte_rand(), d, len, rnd_flags());
	accepted(vchan, id);
}

static void
act_copy_sg(void)
{
	struct rte_dma_sge s[40], d[40];
	uint16_t vchan = rnd_vchan(), ns = (uint16_t)rnd(41), nd = (uint16_t)rnd(41);
	uint32_t dst_off = 0, i;
	int id;

	for (i = 0; i < 40; i++) {
		rte_iova_t a;
		uint32_t l;

		rnd_span(false, &a, &l);
		s[i] = (struct rte_dma_sge){ .addr = a, .length = l };
		/* Valid destination segments share the scratch area, in order. */
		if (chance(80)) {
			l = (uint32_t)rnd((SCRATCH - dst_off) / 4 + 1);
			d[i] = (struct rte_dma_sge){ .addr = scratch_iova + dst_off,
				.length = l };
			dst_off += l;
		} else {
			d[i] = (struct rte_dma_sge){ .addr = rnd_bad_addr(),
				.length = (uint32_t)rte_rand() };
		}
	}
	note("copy_sg vc %u nb %u/%u", vchan, ns, nd);
	id = rte_dma_copy_sg(dev, vchan, chance(3) ? NULL : s, chance(3) ? NULL : d,
			ns, nd, rnd_flags());
	accepted(vchan, id);
}

static void
act_submit(void)
{
	uint16_t vchan = rnd_vchan();

	note("submit vc %u", vchan);
	rte_dma_submit(dev, vchan);
}

static void
act_completed(void)
{
	enum rte_dma_status_code st[300];
	uint16_t vchan = rnd_vchan(), want = (uint16_t)rnd(RTE_DIM(st) + 1);
	uint16_t last = 0, n;
	bool err = false, with_status = chance(50);

	note("completed%s vc %u max %u", with_status ? "_status" : "", vchan, want);
	if (with_status)
		n = rte_dma_completed_status(dev, vchan, want, &last, st);
	else
		n = rte_dma_completed(dev, vchan, want, &last, &err);
	CHECK(n <= want, "completed %u > asked %u", n, want);
	reported(vchan, n, last);
}

static void
act_configure(void)
{
	struct rte_dma_conf c = {
		.nb_vchans = chance(80) ? (uint16_t)(1 + rnd(MAX_VC)) : (uint16_t)rnd(40),
	};
	int ret;

	idxp_conf_set_silent(&c, chance(5));
	note("configure nb %u silent %d", c.nb_vchans, idxp_conf_silent(&c));
	ret = rte_dma_configure(dev, &c);
	CHECK(!(m.started && ret == 0), "configure of a started device accepted");
	if (ret == 0) {
		/* vchans below the new count keep their setup; others are gone. */
		if (c.nb_vchans < MAX_VC)
			memset(&m.vc[c.nb_vchans], 0,
					(MAX_VC - c.nb_vchans) * sizeof(m.vc[0]));
		m.configured = true;
		m.nb_vchans = c.nb_vchans;
	}
}

static uint16_t
rnd_ring(void)
{
	if (chance(70))
		return (uint16_t)(32u << rnd(9));	/* 32..8192, all valid */
	return (uint16_t)rnd(65536);
}

static void
act_vchan_setup(void)
{
	struct rte_dma_vchan_conf vc = {
		.direction = chance(90) ? RTE_DMA_DIR_MEM_TO_MEM :
			(enum rte_dma_direction)rnd(6),
		.nb_desc = rnd_ring(),
	};
	uint16_t vchan = rnd_vchan();
	int ret;

	note("vchan_setup vc %u nb_desc %u dir %d", vchan, vc.nb_desc, vc.direction);
	ret = rte_dma_vchan_setup(dev, vchan, &vc);
	CHECK(!(m.started && ret == 0), "vchan_setup of a started device accepted");
	if (ret == 0 && vchan < MAX_VC) {
		m.vc[vchan].setup = true;
		m.vc[vchan].nb_desc = vc.nb_desc;
	}
}

static void
act_start(void)
{
	uint16_t i;
	int ret;

	note("start");
	ret = rte_dma_start(dev);
	if (ret == 0 && !m.started) {
		for (i = 0; i < MAX_VC; i++) {
			m.vc[i].next_id = 0;
			m.vc[i].accepted = m.vc[i].reported = 0;
		}
		m.started = true;
	}
}

static void
act_stop(void)
{
	uint16_t i;
	int ret;

	if (m.started)
		for (i = 0; i < m.nb_vchans; i++)
			drain_vchan(i);
	note("stop");
	ret = rte_dma_stop(dev);
	CHECK(ret == 0, "stop: %d", ret);
	m.started = false;
	CHECK(guards_intact(), "a DMA wrote outside the scratch area");
}

static const char *const good_args[] = {
	"core=1", "core=1,vchans=16", "core=1,vchans=1,evl_size=4",
	"core=1,engines=2,vchans=5", "core=1,spin_us=0", "core=1,idle=spin",
	"core=1,inject=src:3,inject=comp:2", "core=1,inject=halt",
	"core=1,inject=reset_fail,inject=halt", "core=1,poll_us=0",
};
static const char *const bad_args[] = {
	"core=1,vchans=0", "core=1,vchans=17", "core=1,engines=0", "core=1,evl_size=5",
	"core=1,idle=x", "core=1,inject=nope", "core=99999", "=", "core",
	"core=1,sva=3", "core=1,inject=src:0", "core=1,unknown=1",
};

static int16_t
create(void)
{
	const char *a;
	int16_t id;

	if (chance(25)) {
		a = bad_args[rnd(RTE_DIM(bad_args))];
		note("create bad \"%s\"", a);
		id = (int16_t)t_idxp_create(dev_name, a);
		CHECK(id < 0, "bad devargs \"%s\" accepted", a);
		if (id >= 0)
			rte_vdev_uninit(dev_name);
	}
	a = good_args[rnd(RTE_DIM(good_args))];
	note("create \"%s\"", a);
	id = (int16_t)t_idxp_create(dev_name, a);
	CHECK(id >= 0, "create with \"%s\"", a);
	memset(&m, 0, sizeof(m));
	return id;
}

static void
act_recreate(void)
{
	int ret;

	act_stop();
	note("close");
	ret = rte_dma_close(dev);
	CHECK(ret == 0, "close: %d", ret);
	note("uninit");
	rte_vdev_uninit(dev_name);	/* already closed: a no-op remove */
	dev = create();
}

static void
act_query(void)
{
	enum rte_dma_vchan_status vs;
	struct rte_dma_stats st;
	struct rte_dma_info info;
	uint16_t vchan = chance(10) ? RTE_DMA_ALL_VCHAN : rnd_vchan();
	FILE *null = fopen("/dev/null", "w");

	note("query vc %u", vchan);
	rte_dma_info_get(dev, &info);
	rte_dma_stats_get(dev, vchan, &st);
	if (chance(10))
		rte_dma_stats_reset(dev, vchan);
	rte_dma_vchan_status(dev, vchan, &vs);
	rte_dma_burst_capacity(dev, rnd_vchan());
	if (null != NULL) {
		if (chance(5))
			rte_dma_dump(dev, null);
		fclose(null);
	}
}

static int16_t
rnd_dev_id(void)
{
	if (chance(70))
		return dev;
	return (int16_t)(chance(50) ? rnd(1100) : rte_rand());
}

static void
act_pmd_api(void)
{
	static const char *const names[] = {
		"src", "dst", "comp", "page_req", "halt", "reset_fail", "", "bogus",
	};
	struct rte_pmd_idxp_event ev[8];
	struct rte_pmd_idxp_stats xs;
	enum rte_pmd_idxp_fault kind;
	int16_t id = rnd_dev_id();
	uint16_t vchan = rnd_vchan();

	switch (rnd(9)) {
	case 0:
		note("idxp wait dev %d vc %u", id, vchan);
		rte_pmd_idxp_wait(id, vchan, (int)rnd(3));
		break;
	case 1:
		note("idxp intr_fd/arm/disarm dev %d vc %u", id, vchan);
		rte_pmd_idxp_intr_fd(id, vchan);
		rte_pmd_idxp_intr_arm(id, vchan);
		rte_pmd_idxp_intr_disarm(id, vchan);
		break;
	case 2:
		kind = (enum rte_pmd_idxp_fault)rnd(RTE_PMD_IDXP_FAULT_MAX + 2);
		/* Halts are rare: each costs a reset. */
		if ((kind == RTE_PMD_IDXP_FAULT_HALT ||
				kind == RTE_PMD_IDXP_FAULT_RESET_FAIL) && !chance(20))
			kind = RTE_PMD_IDXP_FAULT_SRC;
		note("idxp inject dev %d vc %u kind %d", id, vchan, kind);
		halts_seen += kind == RTE_PMD_IDXP_FAULT_HALT;
		rte_pmd_idxp_inject(id, vchan, kind, (uint32_t)rnd(4));
		break;
	case 3:
		note("idxp fault_from_str");
		rte_pmd_idxp_fault_from_str(chance(10) ? NULL :
				names[rnd(RTE_DIM(names))], chance(10) ? NULL : &kind);
		break;
	case 4:
		note("idxp stats dev %d", id);
		rte_pmd_idxp_stats_get(id, chance(10) ? NULL : &xs);
		if (chance(10))
			rte_pmd_idxp_stats_reset(id);
		break;
	case 5:
		note("idxp events dev %d", id);
		rte_pmd_idxp_events_get(id, chance(10) ? NULL : ev, (unsigned int)rnd(6));
		break;
	case 6:
		note("idxp fault_handler dev %d", id);
		rte_pmd_idxp_fault_handler_register(id, NULL, NULL);
		break;
	case 7:
		note("idxp sva_invalidate dev %d", id);
		rte_pmd_idxp_sva_invalidate(id, chance(20) ? NULL : scratch,
				(size_t)rnd(1u << 22));
		break;
	default:
		note("dma calls on dev %d", id);
		rte_dma_vchan_status(id, vchan, NULL);
		rte_dma_stats_get(id, vchan, NULL);
		rte_dma_info_get(id, NULL);
		break;
	}
}

/* One random step. Data-path calls dominate, as in an application. */
static void
step(void)
{
	unsigned int r = (unsigned int)rnd(1000);

	if (r < 300)
		act_copy();
	else if (r < 400)
		act_fill();
	else if (r < 450)
		act_copy_sg();
	else if (r < 550)
		act_submit();
	else if (r < 750)
		act_completed();
	else if (r < 800)
		act_query();
	else if (r < 880)
		act_pmd_api();
	else if (r < 905)
		act_configure();
	else if (r < 930)
		act_vchan_setup();
	else if (r < 960)
		act_start();
	else if (r < 990)
		act_stop();
	else if (r < 993)
		act_recreate();
	/* else: nothing, time passes */
}

/* A device that is started gets traffic more often than a stopped one. */
static void
bring_up(void)
{
	uint16_t i;

	act_configure();
	for (i = 0; i < m.nb_vchans; i++) {
		struct rte_dma_vchan_conf vc = {
			.direction = RTE_DMA_DIR_MEM_TO_MEM,
			.nb_desc = (uint16_t)(32u << rnd(6)),
		};

		note("vchan_setup vc %u nb_desc %u", i, vc.nb_desc);
		if (rte_dma_vchan_setup(dev, i, &vc) == 0) {
			m.vc[i].setup = true;
			m.vc[i].nb_desc = vc.nb_desc;
		}
	}
	act_start();
}

static void
run_seed(uint64_t seed, unsigned int ms)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() / 1000 * ms;
	uint64_t n = 0;

	rte_srand(seed);
	dev = create();
	if (dev < 0)
		return;
	while (rte_get_timer_cycles() < end) {
		if (n++ % 256 == 0) {
			alarm(10);	/* per 256 steps, generous */
			if (!m.started && chance(50))
				bring_up();
		}
		step();
	}
	act_stop();
	rte_dma_close(dev);
	rte_vdev_uninit(dev_name);
	alarm(0);
	printf("fuzz: seed 0x%" PRIx64 ": %" PRIu64 " steps\n", seed, n);
}

static unsigned int
env_uint(const char *name, unsigned int def)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? (unsigned int)strtoul(v, NULL, 0) : def;
}

int
main(int argc, char **argv)
{
	unsigned int seeds = env_uint("IDXP_FUZZ_SEEDS", 4);
	unsigned int ms = env_uint("IDXP_FUZZ_MS", 5000);
	unsigned int s;
	uint8_t *freed;

	RTE_SET_USED(argc);
	t_eal_init(argv[0], NULL, 0);
	signal(SIGALRM, on_alarm);
	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	src_buf = t_dma_zalloc(SCRATCH);
	area = t_dma_zalloc(SCRATCH + 2 * GUARD);
	freed = rte_malloc(NULL, 4u << 20, 2u << 20);
	CHECK(src_buf != NULL && area != NULL && freed != NULL, "buffers");
	if (src_buf == NULL || area == NULL || freed == NULL)
		return t_done("fuzz");
	scratch = area + GUARD;
	memset(area, GUARD_BYTE, SCRATCH + 2 * GUARD);
	src_iova = t_iova(src_buf);
	scratch_iova = t_iova(scratch);
	freed_iova = t_iova(freed);
	rte_free(freed);	/* its IOVA is a freed page's from now on */
	for (s = 0; s < seeds; s++)
		run_seed(0xf0220000ull + s * 7919, ms);
	printf("fuzz: %u seeds, %" PRIu64 " calls, %" PRIu64 " ops accepted, "
			"%" PRIu64 " reported, %" PRIu64 " halts injected\n", seeds,
			calls, ops_accepted, ops_reported, halts_seen);
	CHECK(ops_accepted > 0 && ops_reported == ops_accepted,
			"every accepted op reported once");
	return t_done("fuzz");
}
