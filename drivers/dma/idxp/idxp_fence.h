/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_FENCE_H
#define IDXP_FENCE_H

/*
 * Asymmetric fences, for Dekker pairs with a hot side and a rare side.
 *
 * In such a pair each side stores, then loads what the other side
 * stored; on x86 that needs a full fence between the two on both sides,
 * an mfence on every pass of the hot side. With membarrier(2) the hot
 * side needs only a compiler barrier: the rare side's membarrier() makes
 * every running thread of the process pass a full barrier, which orders
 * the hot side's store before its load as far as the rare side can tell
 * (a thread that is not running was ordered by its context switch).
 * Where the kernel lacks it, or a seccomp filter refuses it, both sides
 * fence.
 *
 * The pairs: a submit against a device reset (post_begin() and
 * idxp_vchan_quiesce()), and, inside the software device, a portal write
 * against its engine going to sleep. Each side decides once, before any
 * hot side runs, and keeps the decision.
 */

#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/membarrier.h>
#include <sys/syscall.h>

#include <rte_atomic.h>
#include <rte_branch_prediction.h>

static inline long
idxp_membarrier(int cmd)
{
	return syscall(__NR_membarrier, cmd, 0, 0);
}

/*
 * Register the process (idempotent); true when the asymmetric pair works.
 * IDXP_SYMMETRIC_FENCES=1 in the environment keeps both sides fencing
 * (the suite runs the races that way too).
 */
static inline bool
idxp_fence_asym_setup(void)
{
	const char *sym = getenv("IDXP_SYMMETRIC_FENCES");
	long cmds;

	if (sym != NULL && sym[0] == '1')
		return false;
	cmds = idxp_membarrier(MEMBARRIER_CMD_QUERY);
	return cmds > 0 && (cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) &&
		idxp_membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
}

/* The hot side, between its store and its load. */
static inline void
idxp_fence_light(bool asym)
{
	if (likely(asym))
		rte_compiler_barrier();
	else
		rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/*
 * The rare side, between its store and its load. Once registered the
 * call has no reason to fail; should it, a local fence would not order
 * the hot side, so it is retried (a stall on the rare side, never a
 * race).
 */
static inline void
idxp_fence_heavy(bool asym)
{
	if (!asym) {
		rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
		return;
	}
	while (idxp_membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0)
		usleep(1000);
}

#endif /* IDXP_FENCE_H */
