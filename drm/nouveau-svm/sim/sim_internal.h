/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_SIM_INTERNAL_H__
#define __NVSVM_SIM_INTERNAL_H__

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/completion.h>
#include <linux/container_of.h>
#include <linux/irq_work.h>
#include <linux/lockdep.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/xarray.h>

#include "../nvsvm_hw.h"
#include "../nvsvm_regs.h"
#include "sim.h"
#include "sim_inject.h"

struct device;
struct fwnode_handle;
struct nvsvm_sim_acc;
struct nvsvm_sim_ce;
struct nvsvm_sim_chan;
struct nvsvm_sim_grid;
struct nvsvm_sim_mmu;
struct nvsvm_sim_sm;
struct nvsvm_sim_vram_chunk;
struct task_struct;
struct workqueue_struct;
struct irq_domain;
struct page;

#define NVSVM_SIM_CHANNELS	64

/**
 * struct nvsvm_sim - One emulated GPU
 *
 * Only sim/ sees inside; the driver gets the embedded &struct nvsvm_hw.
 */
struct nvsvm_sim {
	/** @hw: The interface handed to the driver. */
	struct nvsvm_hw hw;

	/** @cfg: What this GPU is made of. Immutable after creation. */
	struct nvsvm_sim_config cfg;

	/**
	 * @dma_dev: The device system memory is DMA-mapped for, whose DMA
	 * addresses the GPU uses; NULL: no system memory is reachable. Set
	 * before the driver can see the GPU, immutable after.
	 */
	struct device *dma_dev;

	/**
	 * @vram: VRAM backing store: &struct nvsvm_sim_vram_chunk by 2 MiB
	 * chunk number. Has its own lock; see sim_mem.c.
	 */
	struct xarray vram;
	/** @vram_size: VRAM size in bytes. Immutable. */
	u64 vram_size;
	/**
	 * @acc_enabled: ACC_CTRL_ENABLE. Written under the access counters'
	 * lock, read without it by every MMU access (the one test an access
	 * makes while the block is off), so it sits by the fields each
	 * access reads anyway.
	 */
	bool acc_enabled;

	/** @irq_domain: The GPU's interrupt lines. Immutable. */
	struct irq_domain *irq_domain;
	/** @irq_fwnode: Names @irq_domain. Immutable. */
	struct fwnode_handle *irq_fwnode;
	/** @irqs: Linux irq of each line. Immutable. */
	unsigned int irqs[NVSVM_IRQ_COUNT];
	/** @irq_work: Raises pending lines (hard IRQ; threaded on PREEMPT_RT). */
	struct irq_work irq_work;
	/** @irq_lock: Protects @irq_asserted and @irq_masked. */
	raw_spinlock_t irq_lock;
	/** @irq_asserted: Lines whose block asserts them. */
	unsigned long irq_asserted;
	/** @irq_masked: Lines the irq core masked. */
	unsigned long irq_masked;

	/** @fault_lock: Protects the fault buffer registers below. */
	spinlock_t fault_lock;
	/** @fault_report_lock: Serialises fault reports; outside @fault_lock. */
	struct mutex fault_report_lock;
	/** @fault_buf_lo: FAULT_BUF_LO. */
	u32 fault_buf_lo;
	/** @fault_buf_hi: FAULT_BUF_HI. */
	u32 fault_buf_hi;
	/** @fault_buf_size: FAULT_BUF_SIZE. */
	u32 fault_buf_size;
	/** @fault_get: FAULT_BUF_GET. */
	u32 fault_get;
	/** @fault_put: FAULT_BUF_PUT. */
	u32 fault_put;
	/** @fault_status: FAULT_STATUS. */
	u32 fault_status;
	/** @fault_intr_en: FAULT_INTR_EN. */
	u32 fault_intr_en;
	/** @fault_cancel: FAULT_CANCEL_INST_LO/HI, VA_LO/HI, TRIGGER, TAG. */
	u32 fault_cancel[6];

	/** @sms: The SMs, &nvsvm_sim_config.sm_count of them. Immutable. */
	struct nvsvm_sim_sm *sms;
	/**
	 * @sm_lock: Protects @sm_queued, @sm_idle, @sm_stalled, each SM's
	 * run queue, and in each grid its error, warp cursor and stall
	 * accounting (see sim_sm.c).
	 */
	spinlock_t sm_lock;
	/** @sm_queued: Warps on the SMs' run queues, all of them. */
	unsigned int sm_queued;
	/** @sm_idle: SMs waiting on @sm_wq for work. */
	unsigned int sm_idle;
	/** @sm_stalled: Warps stalled on a fault, until replay or cancel. */
	struct list_head sm_stalled;
	/** @sm_wq: SMs wait here for work. */
	wait_queue_head_t sm_wq;
	/** @watchdog_ms: How long a launch may run. Immutable. */
	unsigned int watchdog_ms;

	/** @chans: The host's channels. Immutable array. */
	struct nvsvm_sim_chan *chans;
	/** @fifo_wq: Runs the channels. */
	struct workqueue_struct *fifo_wq;
	/** @fifo_lock: Protects the FIFO registers below. */
	spinlock_t fifo_lock;
	/** @fifo_intr_status: FIFO_INTR_STATUS. */
	u32 fifo_intr_status;
	/** @fifo_intr_en: FIFO_INTR_EN. */
	u32 fifo_intr_en;
	/** @fifo_error: FIFO_ERROR bitmap of channels in error. */
	u32 fifo_error[NVSVM_SIM_CHANNELS / 32];
	/**
	 * @replay_seq: Bumped by each replay and cancel; stalled host
	 * accesses wait for it to change. Protected by @fifo_lock.
	 */
	u64 replay_seq;
	/** @sem_seq: Bumped by each semaphore release, under @fifo_lock. */
	u64 sem_seq;
	/** @host_wq: Stalled or acquiring channels wait here. */
	wait_queue_head_t host_wq;

	/** @mmu_inv_lock: Protects @mmu_inv and the invalidate in @mmu. */
	spinlock_t mmu_inv_lock;
	/** @mmu_inv: MMU_INV_* registers. */
	u32 mmu_inv[6];
	/** @mmu: The MMU's invalidate engine; see sim_mmu.c. */
	struct nvsvm_sim_mmu *mmu;

	/** @ce: The copy engine's state; see sim_ce.c. */
	struct nvsvm_sim_ce *ce;

	/** @acc: The access counters' state; see sim_acc.c. */
	struct nvsvm_sim_acc *acc;

	/** @mmu_clients_lock: Protects @mmu_clients; outside client locks. */
	struct mutex mmu_clients_lock;
	/** @mmu_clients: Every &struct nvsvm_sim_mmu_client of this GPU. */
	struct list_head mmu_clients;

	/** @inject: Fault-injection knobs; see sim_inject.h. */
	struct nvsvm_sim_inject inject;
};

/**
 * struct nvsvm_sim_translation - Result of a page-table walk
 */
struct nvsvm_sim_translation {
	/** @pte: The leaf entry. */
	u64 pte;
	/** @shift: log2 of the page size it maps (12 or 21). */
	u8 shift;
};

/* MMU clients' TLBs: entries for 4 KiB pages, and for 2 MiB pages. */
#define NVSVM_SIM_TLB_ENTRIES		64
#define NVSVM_SIM_TLB_LARGE_ENTRIES	16
/* Access counter notifications a client holds until it drops its lock. */
#define NVSVM_SIM_ACC_NOTES		40

/*
 * A map that failed because VRAM backing store could not be allocated:
 * not a fault (see nvsvm_sim_mmu_map()).
 */
#define NVSVM_SIM_MMU_NO_BACKING	0xff

/**
 * struct nvsvm_sim_tlb_entry - One cached translation
 *
 * In the 4 KiB array, an entry maps one 4 KiB page, whether its
 * translation is a 4 KiB or a 2 MiB one; in the 2 MiB array, a whole
 * 2 MiB translation. An invalidate compares the whole translation
 * (@shift), so that a 4 KiB invalidate inside a 2 MiB page drops every
 * entry the 2 MiB translation filled.
 */
struct nvsvm_sim_tlb_entry {
	/** @va: First VA of the page the entry maps (4 KiB or 2 MiB). */
	u64 va;
	/** @pdb: The VM: APERTURE and ADDR of its PDB. */
	u64 pdb;
	union {
		/**
		 * @kaddr: Kernel address of the bytes at @va (of the first
		 * byte of the 2 MiB page, in the 2 MiB array); NULL for VRAM
		 * never written when the entry was filled.
		 */
		void *kaddr;
		/**
		 * @chunk: 2 MiB VRAM entries: the chunk backing the page,
		 * NULL while it has none.
		 */
		struct nvsvm_sim_vram_chunk *chunk;
	};
	/** @pte: The leaf entry. */
	u64 pte;
	/**
	 * @allow: BIT(NVSVM_ACCESS_*) of the accesses that may go straight
	 * to @kaddr; 0 for an invalid entry, or one without @kaddr.
	 */
	u8 allow;
	/** @shift: log2 of the size of the translation: 12 or 21. */
	u8 shift;
	/** @valid: The entry holds a translation. */
	bool valid;
	/** @sysmem: The translation is to system memory. */
	bool sysmem;
};

/**
 * struct nvsvm_sim_acc_note - An access counter notification to write
 */
struct nvsvm_sim_acc_note {
	/** @va: First VA of the region. */
	u64 va;
	/** @count: The counter's value when it reached the threshold. */
	u32 count;
};

/**
 * struct nvsvm_sim_mmu_client - An engine that translates through the MMU
 */
struct nvsvm_sim_mmu_client {
	/** @sim: The GPU. */
	struct nvsvm_sim *sim;
	/** @id: Client id, as fault-buffer entries report it. Immutable. */
	u32 id;
	/**
	 * @yield: Non-zero while the holder of @lock should drop it soon:
	 * an invalidate waits for it, or notifications wait in @notes.
	 */
	atomic_t yield;
	/** @link: In &nvsvm_sim.mmu_clients. */
	struct list_head link;
	/**
	 * @lock: Protects @tlb and @tlb_large, and is held across each
	 * access (an SM holds it across a slice of a warp) so that an
	 * invalidate waits for accesses in flight. Nothing allocates memory
	 * under it.
	 */
	struct mutex lock;
	/** @tlb: 4 KiB pages, direct-mapped by 4 KiB virtual page number. */
	struct nvsvm_sim_tlb_entry tlb[NVSVM_SIM_TLB_ENTRIES];
	/** @tlb_large: 2 MiB pages, direct-mapped by 2 MiB page number. */
	struct nvsvm_sim_tlb_entry tlb_large[NVSVM_SIM_TLB_LARGE_ENTRIES];
	/**
	 * @inst: Instance block (a location) of the channel whose work the
	 * client does, for access counter notifications. Set by the
	 * client's owner before the work's accesses.
	 */
	u64 inst;
	/**
	 * @nnotes: Entries in @notes. @nnotes, @notes_yield and @notes
	 * belong to the client's owner (the SM's thread, the channel's
	 * work), which writes the notifications once it drops @lock.
	 */
	unsigned int nnotes;
	/** @notes_yield: @notes holds one of @yield's counts. */
	bool notes_yield;
	/** @notes: Access counter notifications not written yet. */
	struct nvsvm_sim_acc_note notes[NVSVM_SIM_ACC_NOTES];
};

/*
 * The fast path of a translation, for a client whose lock is held: a
 * kernel pointer to the byte at @va if the 4 KiB TLB holds a translation
 * of it in VM @key (APERTURE and ADDR of its PDB) that allows @access,
 * else NULL (the caller then goes through nvsvm_sim_mmu_access()). Costs
 * one entry's cache line and no walk; access counting is the caller's
 * business (it takes the slow path while the counters are on).
 */
static __always_inline void *
nvsvm_sim_tlb_hit(struct nvsvm_sim_mmu_client *client, u64 key, u64 va, u8 access)
{
	const struct nvsvm_sim_tlb_entry *e =
		&client->tlb[(va >> 12) & (NVSVM_SIM_TLB_ENTRIES - 1)];

	lockdep_assert_held(&client->lock);
	if (likely(e->va == (va & ~0xfffULL) && e->pdb == key && (e->allow & BIT(access))))
		return e->kaddr + (va & 0xfff);
	return NULL;
}

static inline struct nvsvm_sim *to_nvsvm_sim(struct nvsvm_hw *hw)
{
	return container_of(hw, struct nvsvm_sim, hw);
}

u32 nvsvm_sim_id_rd32(struct nvsvm_sim *sim, u32 reg);

/* A location as registers hold it: aperture in bit 0, 4 KiB aligned. */
static inline u32 nvsvm_sim_loc_aper(u64 loc)
{
	return (loc & NVSVM_ADDR_LO_SYSMEM) ? NVSVM_APER_SYSMEM : NVSVM_APER_VRAM;
}

static inline u64 nvsvm_sim_loc_addr(u64 loc)
{
	return loc & ~0xfffULL;
}

void nvsvm_sim_fault_init(struct nvsvm_sim *sim);
void nvsvm_sim_fault_report(struct nvsvm_sim *sim, u64 va, u64 inst, u32 tag,
			    u8 access, u8 type, u32 client);
u32 nvsvm_sim_fault_rd32(struct nvsvm_sim *sim, u32 reg);
void nvsvm_sim_fault_wr32(struct nvsvm_sim *sim, u32 reg, u32 val);

int nvsvm_sim_sm_init(struct nvsvm_sim *sim);
void nvsvm_sim_sm_fini(struct nvsvm_sim *sim);
struct nvsvm_sim_grid *nvsvm_sim_grid_alloc(struct nvsvm_sim *sim);
void nvsvm_sim_grid_start(struct nvsvm_sim_grid *grid, u64 pdb, u64 inst,
			  u32 tag, u64 code, u64 param, u32 nctaid, u32 ntid);
u32 nvsvm_sim_grid_wait(struct nvsvm_sim_grid *grid, u64 *info);
void nvsvm_sim_grid_free(struct nvsvm_sim_grid *grid);
void nvsvm_sim_grid_abort(struct nvsvm_sim_grid *grid, u32 error, u64 info);
void nvsvm_sim_sm_replay(struct nvsvm_sim *sim);
void nvsvm_sim_sm_cancel(struct nvsvm_sim *sim, u64 inst, u32 tag, u64 va);
u64 nvsvm_sim_sm_instructions(struct nvsvm_sim *sim);
u64 nvsvm_sim_sm_warp_instructions(struct nvsvm_sim *sim);

int nvsvm_sim_fifo_init(struct nvsvm_sim *sim);
void nvsvm_sim_fifo_fini(struct nvsvm_sim *sim);
u32 nvsvm_sim_fifo_rd32(struct nvsvm_sim *sim, u32 reg);
void nvsvm_sim_fifo_wr32(struct nvsvm_sim *sim, u32 reg, u32 val);
void nvsvm_sim_fifo_replay(struct nvsvm_sim *sim);
void nvsvm_sim_fifo_cancel(struct nvsvm_sim *sim, u64 inst, u32 tag, u64 va);

u32 nvsvm_sim_mmu_rd32(struct nvsvm_sim *sim, u32 reg);
void nvsvm_sim_mmu_wr32(struct nvsvm_sim *sim, u32 reg, u32 val);

int nvsvm_sim_ce_init(struct nvsvm_sim *sim);
void nvsvm_sim_ce_fini(struct nvsvm_sim *sim);
u32 nvsvm_sim_ce_rd32(struct nvsvm_sim *sim, u32 reg);
void nvsvm_sim_ce_wr32(struct nvsvm_sim *sim, u32 reg, u32 val);

int nvsvm_sim_acc_init(struct nvsvm_sim *sim);
void nvsvm_sim_acc_fini(struct nvsvm_sim *sim);
u32 nvsvm_sim_acc_rd32(struct nvsvm_sim *sim, u32 reg);
void nvsvm_sim_acc_wr32(struct nvsvm_sim *sim, u32 reg, u32 val);
bool nvsvm_sim_acc_count(struct nvsvm_sim *sim, u64 pdb, u64 va, u64 *region, u32 *count);
void nvsvm_sim_acc_notify(struct nvsvm_sim *sim, u64 va, u32 count, u32 client, u64 inst);
void nvsvm_sim_acc_lost(struct nvsvm_sim *sim);

int nvsvm_sim_irq_init(struct nvsvm_sim *sim, const char *name);
void nvsvm_sim_irq_fini(struct nvsvm_sim *sim);
void nvsvm_sim_irq_set(struct nvsvm_sim *sim, unsigned int line, bool asserted);

void nvsvm_sim_vram_init(struct nvsvm_sim *sim);
void nvsvm_sim_vram_fini(struct nvsvm_sim *sim);
void *nvsvm_sim_vram_kaddr(struct nvsvm_sim *sim, u64 addr);
struct nvsvm_sim_vram_chunk *nvsvm_sim_vram_chunk(struct nvsvm_sim *sim, u64 addr);
void *nvsvm_sim_vram_chunk_kaddr(struct nvsvm_sim_vram_chunk *chunk, u64 addr);
int nvsvm_sim_vram_back(struct nvsvm_sim *sim, u64 addr);
bool nvsvm_sim_vram_backed(struct nvsvm_sim *sim, u64 addr);
void *nvsvm_sim_sysmem_kaddr(struct nvsvm_sim *sim, u64 addr, u64 size);
struct page *nvsvm_sim_mem_page(struct nvsvm_sim *sim, u32 aper, u64 addr,
				bool write);
int nvsvm_sim_mem_read(struct nvsvm_sim *sim, u32 aper, u64 addr, void *buf,
		       size_t len);
int nvsvm_sim_mem_write(struct nvsvm_sim *sim, u32 aper, u64 addr,
			const void *buf, size_t len);

int nvsvm_sim_mmu_walk(struct nvsvm_sim *sim, u64 pdb, u64 va, u8 access,
		       struct nvsvm_sim_translation *tr);
void nvsvm_sim_mmu_client_init(struct nvsvm_sim *sim,
			       struct nvsvm_sim_mmu_client *client, u32 id);
void nvsvm_sim_mmu_client_fini(struct nvsvm_sim_mmu_client *client);
void *nvsvm_sim_mmu_map(struct nvsvm_sim_mmu_client *client, u64 pdb, u64 va,
			unsigned int size, u8 access, u8 *fault_type);
void nvsvm_sim_mmu_unmap(struct nvsvm_sim_mmu_client *client, void *ptr);
void nvsvm_sim_mmu_invalidate(struct nvsvm_sim *sim, u64 pdb, u64 start, u64 size);
int nvsvm_sim_mmu_init(struct nvsvm_sim *sim);
void nvsvm_sim_mmu_fini(struct nvsvm_sim *sim);
void nvsvm_sim_mmu_client_lock(struct nvsvm_sim_mmu_client *client);
void nvsvm_sim_mmu_client_unlock(struct nvsvm_sim_mmu_client *client);
void *nvsvm_sim_mmu_access(struct nvsvm_sim_mmu_client *client, u64 pdb, u64 va,
			   u8 access, u8 *why, u64 *vram);
void nvsvm_sim_lockdep_canary(struct nvsvm_sim *sim);

/*
 * *fault_type of a nvsvm_sim_mmu_map() that failed because VRAM backing
 * could not be allocated: no fault, the caller fails its channel with
 * %NVSVM_CHAN_ERROR_NO_BACKING. Guarded: the MMU's side defines it too.
 */
#ifndef NVSVM_SIM_MMU_NO_BACKING
#define NVSVM_SIM_MMU_NO_BACKING	0xff
#endif

#endif /* __NVSVM_SIM_INTERNAL_H__ */
