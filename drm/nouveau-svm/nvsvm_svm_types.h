/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_SVM_TYPES_H__
#define __NVSVM_SVM_TYPES_H__

#include <linux/atomic.h>
#include <linux/mmu_notifier.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>

struct mm_struct;
struct pid;
struct nvsvm_vm;

/*
 * The mirror's granules: a region is what one mmu_interval_notifier covers
 * (drm_gpusvm's notifier chunk), a block what one hmm_range_fault() covers
 * (a 2 MiB GPU page, the CPU's PMD).
 */
#define NVSVM_SVM_REGION_SHIFT		29	/* 512 MiB */
#define NVSVM_SVM_REGION_SIZE		BIT_ULL(NVSVM_SVM_REGION_SHIFT)
#define NVSVM_SVM_BLOCK_SHIFT		21	/* 2 MiB */
#define NVSVM_SVM_BLOCK_SIZE		BIT_ULL(NVSVM_SVM_BLOCK_SHIFT)
#define NVSVM_SVM_BLOCK_PAGES		(NVSVM_SVM_BLOCK_SIZE >> PAGE_SHIFT)
#define NVSVM_SVM_REGION_BLOCKS		\
	(1u << (NVSVM_SVM_REGION_SHIFT - NVSVM_SVM_BLOCK_SHIFT))

/* Histogram buckets of &struct nvsvm_svm_stats: bucket i counts [2^i, 2^(i+1)). */
#define NVSVM_SVM_BATCH_BUCKETS		9	/* 1 .. 256 entries */
#define NVSVM_SVM_LATENCY_BUCKETS	21	/* 1 us .. 1048576 us */

/**
 * struct nvsvm_svm_stats - SVM counters of a device, since probe
 *
 * Each is updated with atomic64 operations, without a lock: readers take
 * deltas of a file that is only roughly a snapshot. The meaning of each
 * is that of its key in debugfs' svm_stats (docs/driver.md, "Observability").
 */
struct nvsvm_svm_stats {
	/** @faults: Fault-buffer entries read. */
	atomic64_t faults;
	/** @batches: Batches drained, each ending in at most one replay. */
	atomic64_t batches;
	/** @duplicates: Entries coalesced away. */
	atomic64_t duplicates;
	/** @replays: FAULT_REPLAY writes. */
	atomic64_t replays;
	/** @cancels: Targeted cancels. */
	atomic64_t cancels;
	/** @invalidations: Notifier invalidations that zapped GPU mappings. */
	atomic64_t invalidations;
	/** @blocks: 2 MiB blocks serviced (one hmm_range_fault() each). */
	atomic64_t blocks;
	/** @retries: Servicing passes repeated because the range changed. */
	atomic64_t retries;
	/** @map_4k: 4 KiB GPU mappings made. */
	atomic64_t map_4k;
	/** @map_2m: 2 MiB GPU mappings made. */
	atomic64_t map_2m;
	/** @exclusive: Pages made device-exclusive for GPU atomics. */
	atomic64_t exclusive;
	/** @batch_size: Entries per batch, by power of two. */
	atomic64_t batch_size[NVSVM_SVM_BATCH_BUCKETS];
	/** @service_us: Time to service a batch, in us, by power of two. */
	atomic64_t service_us[NVSVM_SVM_LATENCY_BUCKETS];
	/** @time_service_ns: Time in nvsvm_svm_service(), in all. */
	atomic64_t time_service_ns;
	/** @time_hmm_ns: ... of it in hmm_range_fault(). */
	atomic64_t time_hmm_ns;
	/** @time_dma_ns: ... working out and DMA-mapping what to map. */
	atomic64_t time_dma_ns;
	/** @time_commit_ns: ... committing PTEs, invalidating, unmapping what was replaced. */
	atomic64_t time_commit_ns;
	/** @time_stage_ns: ... staging page tables (before the commit). */
	atomic64_t time_stage_ns;
	/** @time_lock_ns: ... of the commit, waiting for the notifier lock. */
	atomic64_t time_lock_ns;
	/** @time_inv_ns: ... of the commit, in the TLB invalidate. */
	atomic64_t time_inv_ns;
};

/* Per-page state of a block (&nvsvm_svm_block.flags). */
#define NVSVM_SVM_PAGE_DMA		BIT(0)	/* dma[i] is a mapping of pfn[i] */
#define NVSVM_SVM_PAGE_PTE		BIT(1)	/* the GPU maps the page */
#define NVSVM_SVM_PAGE_WRITE		BIT(2)	/* ... writable */
#define NVSVM_SVM_PAGE_ATOMIC		BIT(3)	/* ... with atomics enabled */

/**
 * struct nvsvm_svm_block - What the GPU maps of one 2 MiB block
 *
 * Allocated by the fault path (under &nvsvm_vm.lock) the first time it
 * services the block, and kept until the VM goes, so that the notifier,
 * which may not allocate, always finds the DMA addresses it must unmap.
 *
 * Everything but @va is protected by &nvsvm_vm.notifier_lock; the fault
 * path reads it under &nvsvm_vm.lock alone (only it adds mappings, the
 * notifier only removes them, so what it reads may only be gone, which the
 * interval notifier's sequence tells it).
 */
struct nvsvm_svm_block {
	/** @va: The block's first address. Immutable. */
	u64 va;
	/**
	 * @large: The block is one 2 MiB DMA mapping (a THP or hugetlb page):
	 * @dma[0] and @pfn[0] are the whole block's, the GPU maps it with one
	 * 2 MiB leaf, and @flags[0] says how.
	 */
	bool large;
	/** @nr_dma: Pages (or, @large, 1) holding a DMA mapping. */
	u16 nr_dma;
	/** @flags: NVSVM_SVM_PAGE_* of each page. */
	u8 flags[NVSVM_SVM_BLOCK_PAGES];
	/** @pfn: The page each DMA mapping is of. */
	unsigned long pfn[NVSVM_SVM_BLOCK_PAGES];
	/** @dma: The DMA address of each page. */
	dma_addr_t dma[NVSVM_SVM_BLOCK_PAGES];
};

/**
 * struct nvsvm_svm_region - One notifier's worth of the mirror
 *
 * Inserted on the first fault in the region, removed when the VM goes
 * (nvsvm_svm_fini()): an mmu_interval_notifier costs a tree node and a
 * callback per overlapping change, so a few long-lived, large ones beat
 * one per fault (nouveau) or per range.
 */
struct nvsvm_svm_region {
	/** @notifier: The interval notifier over [@start, @start + size). */
	struct mmu_interval_notifier notifier;
	/** @svm: The mirror. Immutable. */
	struct nvsvm_svm *svm;
	/** @start: First address, NVSVM_SVM_REGION_SIZE aligned. Immutable. */
	u64 start;
	/**
	 * @blocks: The region's blocks, NULL for those never serviced. A slot
	 * is filled under &nvsvm_vm.lock and &nvsvm_vm.notifier_lock, and
	 * emptied only when the region goes.
	 */
	struct nvsvm_svm_block *blocks[NVSVM_SVM_REGION_BLOCKS];
};

/**
 * struct nvsvm_svm - A VM mirroring a process's address space
 *
 * Created by SVM_INIT, freed with the VM. Locking is the VM's
 * (nvsvm_vm_types.h): @regions is changed under &nvsvm_vm.lock; the
 * notifier callbacks take &nvsvm_vm.notifier_lock only.
 */
struct nvsvm_svm {
	/** @vm: The VM. Immutable. */
	struct nvsvm_vm *vm;
	/**
	 * @mm: The process's address space, grabbed (mmgrab(): the struct
	 * stays, the address space may go before the file closes).
	 * Immutable.
	 */
	struct mm_struct *mm;
	/**
	 * @pid: The mirrored process (its thread group), whose being killed
	 * ends fault servicing. Immutable.
	 */
	struct pid *pid;
	/** @bo_start: First address of the BO window. Immutable. */
	u64 bo_start;
	/** @bo_end: End of the BO window (exclusive; = @bo_start if none). Immutable. */
	u64 bo_end;
	/**
	 * @regions: &struct nvsvm_svm_region by index (address >>
	 * NVSVM_SVM_REGION_SHIFT). Protected by &nvsvm_vm.lock.
	 */
	struct xarray regions;
	/**
	 * @closed: The VM is going: no region is added, no fault serviced.
	 * Protected by &nvsvm_vm.lock.
	 */
	bool closed;
	/**
	 * @tlb_stale: A non-blockable invalidation zapped PTEs but could not
	 * complete the TLB invalidate (it failed the invalidation, which the
	 * mm retries): DMA mappings of zapped pages are kept until an
	 * invalidate completes. Protected by &nvsvm_vm.notifier_lock.
	 */
	bool tlb_stale;
	/**
	 * @fence_wq: WAIT_USER_FENCE sleeps here; woken by the GPU's
	 * semaphore interrupt and by a channel failing.
	 */
	wait_queue_head_t fence_wq;
};

/**
 * struct nvsvm_svm_fault - A fault of a batch, as the SVM block services it
 *
 * The fault work drains, sorts and coalesces entries, resolves their
 * channel to a VM, and hands nvsvm_svm_service() the faults of one VM,
 * sorted by address, one per page (the strongest access of its entries).
 */
struct nvsvm_svm_fault {
	/** @va: Address of the access, page aligned. */
	u64 va;
	/** @access: NVSVM_ACCESS_*, the strongest of the coalesced entries. */
	u8 access;
	/** @type: NVSVM_FAULT_TYPE_* the GPU reported. */
	u8 type;
	/**
	 * @reason: Out: 0 if serviced (the replay retries it), else the
	 * &enum drm_nvsvm_fault_reason to cancel it with.
	 */
	u8 reason;
};

#endif /* __NVSVM_SVM_TYPES_H__ */
