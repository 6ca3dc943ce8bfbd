/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_COMPAT_H
#define IDXP_COMPAT_H

/*
 * What differs between the DPDK releases idxp builds against: 22.11, 23.11,
 * 24.11 and 25.11 (doc/dpdk-versions.md). Only this header knows; the
 * driver, its tests and apps are written once. Where DPDK defines a macro
 * for a feature the test is on that macro, otherwise on RTE_VERSION.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <rte_dmadev.h>
#include <rte_version.h>

/*
 * Control threads. 23.11 replaced rte_ctrl_thread_create() (pthreads) with
 * rte_thread_create_control() (rte_thread_t, a uint32_t entry point) and
 * removed the former. Both return 0 or a negative errno.
 */
#if RTE_VERSION >= RTE_VERSION_NUM(23, 11, 0, 0)
#include <rte_thread.h>

typedef rte_thread_t idxp_thread_t;

static inline int
idxp_ctrl_thread_create(idxp_thread_t *t, const char *name,
		uint32_t (*fn)(void *), void *arg)
{
	return rte_thread_create_control(t, name, fn, arg);
}

static inline void
idxp_thread_join(idxp_thread_t t)
{
	rte_thread_join(t, NULL);
}
#else
#include <pthread.h>
#include <rte_lcore.h>

typedef pthread_t idxp_thread_t;

/* 22.11 threads run void *(*)(void *): a heap record carries fn and arg. */
struct idxp_thread_start {
	uint32_t (*fn)(void *);
	void *arg;
};

static inline void *
idxp_thread_trampoline(void *p)
{
	struct idxp_thread_start s = *(struct idxp_thread_start *)p;

	free(p);
	s.fn(s.arg);
	return NULL;
}

static inline int
idxp_ctrl_thread_create(idxp_thread_t *t, const char *name,
		uint32_t (*fn)(void *), void *arg)
{
	struct idxp_thread_start *s = malloc(sizeof(*s));
	int ret;

	if (s == NULL)
		return -ENOMEM;
	s->fn = fn;
	s->arg = arg;
	ret = rte_ctrl_thread_create(t, name, NULL, idxp_thread_trampoline, s);
	if (ret != 0)
		free(s);
	return ret;
}

static inline void
idxp_thread_join(idxp_thread_t t)
{
	pthread_join(t, NULL);
}
#endif

/* Telemetry: 23.03 renamed rte_tel_data_add_dict_u64() (then deprecated). */
#if RTE_VERSION >= RTE_VERSION_NUM(23, 3, 0, 0)
#define idxp_tel_add_dict_u64 rte_tel_data_add_dict_uint
#else
#define idxp_tel_add_dict_u64 rte_tel_data_add_dict_u64
#endif

/* Silent mode: 25.11 turned rte_dma_conf.enable_silent into a flag. */
#ifdef RTE_DMA_CFG_FLAG_SILENT
static inline bool
idxp_conf_silent(const struct rte_dma_conf *c)
{
	return (c->flags & RTE_DMA_CFG_FLAG_SILENT) != 0;
}

static inline void
idxp_conf_set_silent(struct rte_dma_conf *c, bool on)
{
	c->flags = on ? c->flags | RTE_DMA_CFG_FLAG_SILENT :
		c->flags & ~RTE_DMA_CFG_FLAG_SILENT;
}
#else
static inline bool
idxp_conf_silent(const struct rte_dma_conf *c)
{
	return c->enable_silent;
}

static inline void
idxp_conf_set_silent(struct rte_dma_conf *c, bool on)
{
	c->enable_silent = on;
}
#endif

/*
 * Operations API (25.11): rte_dma_enqueue_ops()/rte_dma_dequeue_ops() on a
 * device configured with RTE_DMA_CFG_FLAG_ENQ_DEQ. Implemented in
 * idxp_ops.c, which is built only where the API exists; elsewhere the
 * hooks below do nothing and the capability is not reported.
 */
struct rte_dma_dev;
struct idxp_priv;
struct idxp_vchan;

#ifdef RTE_DMA_CAPA_OPS_ENQ_DEQ
#define IDXP_CAPA_OPS_ENQ_DEQ	RTE_DMA_CAPA_OPS_ENQ_DEQ

int idxp_ops_vchan_alloc(struct idxp_priv *priv, struct idxp_vchan *vc,
		uint16_t nb_desc);
void idxp_ops_vchan_free(struct idxp_vchan *vc);
void idxp_ops_configure(struct rte_dma_dev *dev, const struct rte_dma_conf *conf);
#else
#define IDXP_CAPA_OPS_ENQ_DEQ	0

static inline int
idxp_ops_vchan_alloc(struct idxp_priv *priv, struct idxp_vchan *vc,
		uint16_t nb_desc)
{
	RTE_SET_USED(priv);
	RTE_SET_USED(vc);
	RTE_SET_USED(nb_desc);
	return 0;
}

static inline void
idxp_ops_vchan_free(struct idxp_vchan *vc)
{
	RTE_SET_USED(vc);
}

static inline void
idxp_ops_configure(struct rte_dma_dev *dev, const struct rte_dma_conf *conf)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(conf);
}
#endif

#endif /* IDXP_COMPAT_H */
