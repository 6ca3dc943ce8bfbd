/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * virtio_echo: the guest side of the vhost test, a virtio-user port
 * (--vdev=net_virtio_user0,path=SOCK,queues=1) facing vhost_async_fwd. It
 * sends frames of several sizes, each carrying its sequence number, its
 * length and bytes derived from both, and checks every echo byte for byte
 * and in sequence. Frames larger than one mbuf are sent as mbuf chains.
 *
 * --count N        send N frames, at most --window of them unanswered, and
 *                  wait (--timeout-ms) for every echo; exit 0 only if all
 *                  came back intact and in order.
 * --flood          keep the TX ring full and check what comes back, until
 *                  --duration-ms has passed (then stop the port and exit
 *                  with echoes still out) or until killed (duration 0).
 *                  --stall-after N stops reading echoes once N came back,
 *                  as a guest that hangs: the backend's RX ring fills up
 *                  and it holds packets when the guest goes.
 *                  The duration starts when the backend is there: at the
 *                  first echo, or at the stall. Until then --timeout-ms
 *                  bounds the wait, and running out of it is a failure.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "app_util.h"

#define BURST		32
#define NB_MBUF		4095
#define MAX_SIZES	16
#define ETHERTYPE	0x88b5	/* IEEE local experimental */
#define HDR_LEN		(RTE_ETHER_HDR_LEN + 6)	/* + seq (be32) + length (be16) */
#define MIN_FRAME	60
#define MAX_FRAME	9000

static struct {
	uint32_t sizes[MAX_SIZES];
	uint32_t nb_sizes;
	uint32_t count;
	uint32_t window;
	uint32_t timeout_ms;
	uint32_t duration_ms;
	uint32_t stall_after;
	bool flood;
	uint16_t port;
	uint16_t seg_room;	/* payload room of one mbuf */
	struct rte_mempool *pool;
	/* results */
	uint32_t sent;
	uint32_t next_rx;	/* sequence number the next echo must carry */
	uint64_t bytes;
	uint32_t multi_seg;	/* echoes that arrived as mbuf chains */
	uint32_t bad;
	bool started;		/* (flood) the duration runs */
} ec = {
	.sizes = { 64, 128, 512, 1500, 3000 },
	.nb_sizes = 5,
	.count = 1000,
	.window = 128,
	.timeout_ms = 10000,
};

/* The byte at offset @off of frame @seq, past the header: no two frames
 * and no two offsets of a frame (below 2^32) share a sequence. */
static inline uint8_t
pattern(uint32_t seq, uint32_t off)
{
	uint32_t x = seq * 0x9e3779b1u ^ off * 0x85ebca77u;

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	x ^= x >> 12;
	return (uint8_t)x;
}

static inline uint32_t
frame_len(uint32_t seq)
{
	return ec.sizes[seq % ec.nb_sizes];
}

static void
put_header(uint8_t *p, uint32_t seq, uint32_t len)
{
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)p;
	static const struct rte_ether_addr dst = {{ 0x52, 0x54, 0x00, 0x00, 0x00, 0x02 }};
	static const struct rte_ether_addr src = {{ 0x52, 0x54, 0x00, 0x00, 0x00, 0x01 }};
	rte_be32_t s = rte_cpu_to_be_32(seq);
	rte_be16_t l = rte_cpu_to_be_16((uint16_t)len);

	eh->dst_addr = dst;
	eh->src_addr = src;
	eh->ether_type = rte_cpu_to_be_16(ETHERTYPE);
	memcpy(p + RTE_ETHER_HDR_LEN, &s, sizeof(s));
	memcpy(p + RTE_ETHER_HDR_LEN + sizeof(s), &l, sizeof(l));
}

/* Frame @seq as a chain of mbufs of at most seg_room bytes each. */
static struct rte_mbuf *
build(uint32_t seq)
{
	uint32_t len = frame_len(seq), off = 0;
	struct rte_mbuf *head = NULL;

	while (off < len) {
		uint16_t n = (uint16_t)RTE_MIN(len - off, (uint32_t)ec.seg_room);
		struct rte_mbuf *m = rte_pktmbuf_alloc(ec.pool);
		uint8_t *p = m ? (uint8_t *)rte_pktmbuf_append(m, n) : NULL;
		uint16_t i = 0;

		if (p == NULL || (head != NULL && rte_pktmbuf_chain(head, m) != 0)) {
			rte_pktmbuf_free(m);
			rte_pktmbuf_free(head);
			return NULL;
		}
		if (head == NULL) {
			head = m;
			put_header(p, seq, len);
			i = HDR_LEN;
		}
		for (; i < n; i++)
			p[i] = pattern(seq, off + i - HDR_LEN);
		off += n;
	}
	return head;
}

/* First differing offset of @m against frame @seq, or -1 if identical. */
static int32_t
first_diff(const struct rte_mbuf *m, uint32_t seq)
{
	uint8_t hdr[HDR_LEN];
	uint32_t off = 0;

	put_header(hdr, seq, frame_len(seq));
	for (; m != NULL; m = m->next) {
		const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
		uint16_t i;

		for (i = 0; i < m->data_len; i++, off++) {
			uint8_t want = off < HDR_LEN ? hdr[off] : pattern(seq, off - HDR_LEN);

			if (p[i] != want)
				return (int32_t)off;
		}
	}
	return -1;
}

static void
verify(const struct rte_mbuf *m)
{
	uint32_t seq = ec.next_rx;
	rte_be32_t tmp, got = 0;
	const void *p = rte_pktmbuf_read(m, RTE_ETHER_HDR_LEN, sizeof(got), &tmp);
	int32_t diff;

	if (p != NULL)
		memcpy(&got, p, sizeof(got));
	ec.next_rx++;
	ec.bytes += m->pkt_len;
	ec.multi_seg += m->nb_segs > 1;
	if (m->pkt_len != frame_len(seq))
		diff = -2;
	else
		diff = first_diff(m, seq);
	if (diff == -1)
		return;
	if (++ec.bad <= 5)
		printf("virtio-echo: BAD echo #%u (carries seq %u, %u bytes in %u segs, "
				"want %u bytes): %s %d\n", seq, rte_be_to_cpu_32(got),
				m->pkt_len, m->nb_segs, frame_len(seq),
				diff == -2 ? "wrong length" : "differs from byte", diff);
}

/* ---- traffic ---- */

static bool
send_some(void)
{
	uint32_t room = ec.flood ? BURST : ec.window - (ec.sent - ec.next_rx);
	struct rte_mbuf *pkts[BURST];
	uint16_t n = 0, k;

	if (!ec.flood)
		room = RTE_MIN(room, ec.count - ec.sent);
	while (n < RTE_MIN(room, (uint32_t)BURST)) {
		pkts[n] = build(ec.sent + n);
		if (pkts[n] == NULL)
			break;
		n++;
	}
	k = rte_eth_tx_burst(ec.port, 0, pkts, n);
	/* Unsent frames are built again with the same numbers next time. */
	rte_pktmbuf_free_bulk(pkts + k, n - k);
	ec.sent += k;
	return k > 0;
}

static bool
receive_some(void)
{
	struct rte_mbuf *pkts[BURST];
	uint16_t n = rte_eth_rx_burst(ec.port, 0, pkts, BURST), i;

	for (i = 0; i < n; i++) {
		verify(pkts[i]);
		rte_pktmbuf_free(pkts[i]);
	}
	return n > 0;
}

/* Stop reading echoes once --stall-after came back; true if stalled now. */
static bool
maybe_stall(void)
{
	if (ec.stall_after == 0 || ec.next_rx < ec.stall_after)
		return false;
	printf("virtio-echo: stopped reading echoes after %u\n", ec.next_rx);
	return true;
}

/* Until done, out of time, or (flood) the duration has passed. */
static void
run(void)
{
	uint64_t hz = rte_get_timer_hz(), since = rte_get_timer_cycles();
	uint64_t limit = ec.timeout_ms * hz / 1000;
	bool reading = true;

	while (ec.flood || ec.next_rx < ec.count) {
		bool busy = send_some();

		if (reading) {
			busy |= receive_some();
			reading = !maybe_stall();
		}
		/*
		 * A flood's duration starts once the backend is there. It maps
		 * the guest's memory before it polls, which can take long on a
		 * loaded machine: counted from the guest's start, the duration
		 * could end before the first echo.
		 */
		if (ec.flood && !ec.started &&
				(ec.stall_after != 0 ? !reading : ec.next_rx > 0)) {
			ec.started = true;
			since = rte_get_timer_cycles();
			limit = ec.duration_ms * hz / 1000;
		}
		if (limit != 0 && rte_get_timer_cycles() - since > limit)
			break;
		/* The DMA engine may share this cpu: let it run. */
		if (!busy)
			usleep(10);
	}
}

/* ---- set-up ---- */

static int
port_setup(void)
{
	struct rte_eth_conf conf = {
		.rxmode = { .offloads = RTE_ETH_RX_OFFLOAD_SCATTER },
		.txmode = { .offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS },
	};
	struct rte_eth_dev_info info;
	int socket;

	ec.port = (uint16_t)rte_eth_find_next(0);
	if (ec.port >= RTE_MAX_ETHPORTS || rte_eth_dev_info_get(ec.port, &info) != 0)
		return -1;
	conf.rxmode.mtu = RTE_MIN(info.max_mtu, (uint16_t)(MAX_FRAME - RTE_ETHER_HDR_LEN));
	socket = rte_eth_dev_socket_id(ec.port);
	if (rte_eth_dev_configure(ec.port, 1, 1, &conf) != 0 ||
			rte_eth_rx_queue_setup(ec.port, 0, 256, socket, NULL, ec.pool) != 0 ||
			rte_eth_tx_queue_setup(ec.port, 0, 256, socket, NULL) != 0 ||
			rte_eth_dev_start(ec.port) != 0)
		return -1;
	return 0;
}

static int
parse_sizes(const char *arg)
{
	char buf[256], *tok, *save = NULL;

	if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
		return -1;
	ec.nb_sizes = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save))
		if (ec.nb_sizes == MAX_SIZES ||
				app_parse_u32(tok, MIN_FRAME, MAX_FRAME, &ec.sizes[ec.nb_sizes++]) < 0)
			return -1;
	return ec.nb_sizes > 0 ? 0 : -1;
}

static int
set_flood(const char *arg)
{
	RTE_SET_USED(arg);
	ec.flood = true;
	return 0;
}

/*
 * The options, one row each: app_parse_opts()'s table, the value checks
 * and the help all come from here. Most are numbers in [min, max] into
 * @num; the others have a parser of their own.
 */
static const struct ec_arg {
	const char *name;
	const char *value;	/* its metavariable; NULL: takes none */
	uint32_t *num;
	uint32_t min, max;
	int (*parse)(const char *arg);
	const char *help;	/* lines after the first are indented */
} ec_args[] = {
	{ "--count", "N", &ec.count, 1, UINT32_MAX / 2, NULL,
		"frames to send and check (default 1000)" },
	{ "--sizes", "A,B,..", NULL, 0, 0, parse_sizes,
		"frame sizes in bytes, used in turn (default\n"
		"64,128,512,1500,3000; " RTE_STR(MIN_FRAME) ".." RTE_STR(MAX_FRAME) ")" },
	{ "--window", "W", &ec.window, 1, 4096, NULL,
		"unanswered frames at most (default 128)" },
	{ "--timeout-ms", "T", &ec.timeout_ms, 1, 3600000, NULL,
		"give up after T ms (default 10000); with --flood,\n"
		"if the duration has not started by then" },
	{ "--flood", NULL, NULL, 0, 0, set_flood,
		"keep the TX ring full until D ms passed, then stop\n"
		"with echoes still out" },
	{ "--duration-ms", "D", &ec.duration_ms, 0, 3600000, NULL,
		"(flood) counted from the first echo, or from the\n"
		"stall (default 0: until killed)" },
	{ "--stall-after", "S", &ec.stall_after, 1, UINT32_MAX / 2, NULL,
		"(flood) stop reading echoes once S came back" },
};

#define HELP_COL	19	/* where the help text of an option starts */

/* @s, every line after the first indented to the help column. */
static void
print_help(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\n')
			printf("\n%*s", HELP_COL, "");
		else
			putchar(*s);
	putchar('\n');
}

static void
usage(const char *prog)
{
	unsigned int i;

	printf("usage: %s EAL-ARGS -- [--count N] [--sizes A,B,..] [--window W]\n"
		"          [--timeout-ms T] | --flood [--duration-ms D] [--stall-after S]\n",
		prog);
	for (i = 0; i < RTE_DIM(ec_args); i++) {
		const struct ec_arg *a = &ec_args[i];
		int n = printf("  %s %s", a->name, a->value != NULL ? a->value : "");

		printf("%*s", RTE_MAX(HELP_COL - n, 1), "");
		print_help(a->help);
	}
}

static int
ec_opt(int id, const char *arg, void *ctx)
{
	const struct ec_arg *a = &ec_args[id];

	RTE_SET_USED(ctx);
	return a->num != NULL ? app_parse_u32(arg, a->min, a->max, a->num) :
		a->parse(arg);
}

/* The ids of app_parse_opts()'s table are the rows of ec_args[]. */
static int
parse_args(int argc, char **argv)
{
	struct app_opt opts[RTE_DIM(ec_args) + 1] = { 0 };
	unsigned int i;

	for (i = 0; i < RTE_DIM(ec_args); i++)
		opts[i] = (struct app_opt){ ec_args[i].name, ec_args[i].value != NULL,
			(int)i };
	return app_parse_opts(argc, argv, opts, ec_opt, NULL, usage, NULL, NULL);
}

static int
report(void)
{
	uint32_t i, big = 0;
	bool ok;

	for (i = 0; i < ec.nb_sizes; i++)
		big += ec.sizes[i] > ec.seg_room;
	printf("virtio-echo: sent %u frames, %u echoes checked (%" PRIu64 " bytes, "
			"%u multi-segment), %u bad\n", ec.sent, ec.next_rx, ec.bytes,
			ec.multi_seg, ec.bad);
	ok = ec.bad == 0 && ec.next_rx > 0;
	if (ec.flood && !ec.started)
		printf("virtio-echo: the flood did not start within %u ms: %s\n",
				ec.timeout_ms, ec.stall_after != 0 ?
				"not enough echoes to stall" : "no echo");
	ok = ok && (!ec.flood || ec.started);
	if (!ec.flood) {
		ok = ok && ec.next_rx == ec.count;
		/* Chains on the way out must come back as chains: mergeable RX. */
		ok = ok && (big == 0 || ec.multi_seg > 0);
	}
	printf("virtio-echo: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}

int
main(int argc, char **argv)
{
	int ret = rte_eal_init(argc, argv);

	if (ret < 0)
		rte_exit(EXIT_FAILURE, "virtio-echo: rte_eal_init failed\n");
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_args(argc - ret, argv + ret) < 0)
		return 2;
	ec.pool = rte_pktmbuf_pool_create("echo_pool", NB_MBUF, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (ec.pool == NULL)
		rte_exit(EXIT_FAILURE, "virtio-echo: cannot create the mbuf pool\n");
	ec.seg_room = rte_pktmbuf_data_room_size(ec.pool) - RTE_PKTMBUF_HEADROOM;
	if (port_setup() != 0)
		rte_exit(EXIT_FAILURE, "virtio-echo: cannot start the virtio-user port\n");

	run();

	ret = report();
	/* An orderly stop: the backend sees its vrings disabled, then the end. */
	rte_eth_dev_stop(ec.port);
	rte_eth_dev_close(ec.port);
	rte_eal_cleanup();
	return ret;
}
