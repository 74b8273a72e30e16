// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Shared virtual memory
 *
 * SVM_INIT makes a file's VM mirror the calling process's address space
 * (&struct nvsvm_svm): from then on the GPU page tables below
 * %DRM_NVSVM_VA_USER_END hold what the process maps, filled on demand by
 * GPU faults and emptied by mmu notifiers, except the BO window, where
 * VM_BIND maps buffer objects as in any VM.
 *
 * The mirror is split in regions of 512 MiB, each watched by one
 * mmu_interval_notifier inserted on the first fault in it and removed when
 * the VM goes, and in blocks of 2 MiB, the unit of fault servicing: one
 * hmm_range_fault() per block with faults in a batch, inside the usual
 * mmu_interval_read_begin() / hmm_range_fault() / lock /
 * mmu_interval_read_retry() loop, bounded in time
 * (%HMM_RANGE_DEFAULT_TIMEOUT) and ended by a dying process. Only the pages
 * the batch faulted on are faulted in (a per-page HMM_PFN_REQ_FAULT); the
 * block's other pages are mapped if the CPU already maps them, so that a
 * fault never populates memory the process did not touch. A block the CPU
 * maps with one PMD (a THP, a hugetlb page) is mapped with one 2 MiB GPU
 * page.
 *
 * GPU mappings of system memory follow the CPU's: read-only unless the
 * GPU faulted with a write (which faults the page writable, breaking
 * copy-on-write as a CPU write would) and atomic-disabled, since the GPU's
 * atomics on system memory are not coherent with the CPU's in the model of
 * the hardware. A GPU atomic takes the page device-exclusive
 * (make_device_exclusive() or, on 6.12, make_device_exclusive_range()),
 * with the device as owner, and maps it with atomics enabled; a CPU access
 * revokes it through the notifier. 6.12 cannot do that for a page of a
 * large folio (docs/testing.md); there the page is mapped atomic-enabled
 * without exclusive access, see docs/driver.md for why.
 *
 * Each block keeps the DMA addresses of what it maps (&struct
 * nvsvm_svm_block), allocated by the fault path, so that the notifier can
 * zap, invalidate and unmap without allocating. An invalidation caused by
 * the driver itself (making a page device-exclusive, with the device as
 * owner) is recognised and leaves alone the mapping being established.
 *
 * Faults the kernel cannot service are cancelled, precisely: only the
 * channel whose access it was fails, with the reason
 * (&enum drm_nvsvm_fault_reason) it reports through CHANNEL_GET_ERROR.
 */

/**
 * DOC: SVM locking
 *
 * Outermost first:
 *
 * 1. &nvsvm_vm.lock, held by the fault path across a VM's faults of a
 *    batch: hmm_range_fault(), page-table staging, DMA mapping, notifier
 *    insertion (which takes mmap_lock itself).
 * 2. mmap_lock (read), around hmm_range_fault() and the VMA checks, and
 *    around make_device_exclusive*(), which returns the page's folio
 *    locked.
 * 3. The folio lock of a page being made device-exclusive, held until its
 *    GPU mapping is written (as reclaim holds it around try_to_unmap()).
 * 4. &nvsvm_vm.notifier_lock: the only lock the notifier callback takes
 *    (mmap_lock or a folio lock may be held by its caller), trylocked when
 *    the invalidation may not block. PTE commits and zaps, the blocks'
 *    state and the TLB invalidate that must complete before the callback
 *    returns happen under it, and nothing allocates under it.
 * 5. &nvsvm_device.mmu_lock (the invalidate registers), then
 *    &nvsvm_chan.stop_lock (a failed invalidate resets the VM's channels),
 *    then &nvsvm_vm.channels_lock.
 *
 * The callback never takes &nvsvm_vm.lock: the fault path holds it while
 * faulting pages in, which may invalidate (reclaim, COW).
 */

#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/hmm.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/overflow.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <kunit/visibility.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "nvsvm_chan.h"
#include "nvsvm_chan_types.h"
#include "nvsvm_compat.h"
#include "nvsvm_device.h"
#include "nvsvm_drm.h"
#include "nvsvm_pte.h"
#include "nvsvm_regs.h"
#include "nvsvm_svm.h"
#include "nvsvm_trace.h"
#include "nvsvm_vm.h"

/* ---- Statistics ---------------------------------------------------------- */

static struct nvsvm_svm_ctx *nvsvm_svm_ctx_alloc(struct nvsvm_device *ndev);

/**
 * nvsvm_svm_stats_bucket() - The histogram bucket of a value
 * @value: The value, 0 counting as 1.
 * @buckets: Number of buckets; the last takes everything above.
 *
 * Return: i such that 2^i <= @value < 2^(i+1), at most @buckets - 1.
 */
unsigned int nvsvm_svm_stats_bucket(u64 value, unsigned int buckets)
{
	unsigned int i = value ? ilog2(value) : 0;

	return min(i, buckets - 1);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_svm_stats_bucket);

static struct nvsvm_svm_stats *nvsvm_svm_stats(struct nvsvm_device *ndev)
{
	return ndev->svm_stats;
}

/**
 * nvsvm_svm_stats_batch() - Count a batch the fault work drained
 * @ndev: The device.
 * @entries: Fault-buffer entries read.
 * @duplicates: Entries coalesced away.
 * @service_ns: Time from the first entry read to the replay.
 */
void nvsvm_svm_stats_batch(struct nvsvm_device *ndev, unsigned int entries,
			   unsigned int duplicates, u64 service_ns)
{
	struct nvsvm_svm_stats *s = nvsvm_svm_stats(ndev);

	atomic64_add(entries, &s->faults);
	atomic64_inc(&s->batches);
	atomic64_add(duplicates, &s->duplicates);
	atomic64_inc(&s->batch_size[nvsvm_svm_stats_bucket(entries, NVSVM_SVM_BATCH_BUCKETS)]);
	atomic64_inc(&s->service_us[nvsvm_svm_stats_bucket(div_u64(service_ns, NSEC_PER_USEC),
							   NVSVM_SVM_LATENCY_BUCKETS)]);
}

/**
 * nvsvm_svm_stats_replay() - Count a FAULT_REPLAY write
 * @ndev: The device.
 */
void nvsvm_svm_stats_replay(struct nvsvm_device *ndev)
{
	atomic64_inc(&nvsvm_svm_stats(ndev)->replays);
}

/**
 * nvsvm_svm_stats_cancel() - Count a targeted cancel
 * @ndev: The device.
 */
void nvsvm_svm_stats_cancel(struct nvsvm_device *ndev)
{
	atomic64_inc(&nvsvm_svm_stats(ndev)->cancels);
}

static void nvsvm_svm_stats_hist(struct seq_file *m, const char *key,
				 const atomic64_t *buckets, unsigned int count)
{
	unsigned int i;

	seq_puts(m, key);
	for (i = 0; i < count; i++)
		seq_printf(m, " %llu:%lld", 1ull << i, atomic64_read(&buckets[i]));
	seq_putc(m, '\n');
}

static int nvsvm_svm_stats_show(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct nvsvm_svm_stats *s = nvsvm_svm_stats(to_nvsvm_device(entry->dev));

	seq_printf(m, "faults %lld\n", atomic64_read(&s->faults));
	seq_printf(m, "batches %lld\n", atomic64_read(&s->batches));
	seq_printf(m, "duplicates %lld\n", atomic64_read(&s->duplicates));
	seq_printf(m, "replays %lld\n", atomic64_read(&s->replays));
	seq_printf(m, "cancels %lld\n", atomic64_read(&s->cancels));
	seq_printf(m, "invalidations %lld\n", atomic64_read(&s->invalidations));
	seq_printf(m, "blocks %lld\n", atomic64_read(&s->blocks));
	seq_printf(m, "retries %lld\n", atomic64_read(&s->retries));
	seq_printf(m, "map_4k %lld\n", atomic64_read(&s->map_4k));
	seq_printf(m, "map_2m %lld\n", atomic64_read(&s->map_2m));
	seq_printf(m, "exclusive %lld\n", atomic64_read(&s->exclusive));
	/* Beyond the contract's keys (readers skip keys they do not know). */
	seq_printf(m, "time_service_us %lld\n", div_s64(atomic64_read(&s->time_service_ns), 1000));
	seq_printf(m, "time_hmm_us %lld\n", div_s64(atomic64_read(&s->time_hmm_ns), 1000));
	seq_printf(m, "time_dma_us %lld\n", div_s64(atomic64_read(&s->time_dma_ns), 1000));
	seq_printf(m, "time_commit_us %lld\n", div_s64(atomic64_read(&s->time_commit_ns), 1000));
	seq_printf(m, "time_stage_us %lld\n", div_s64(atomic64_read(&s->time_stage_ns), 1000));
	seq_printf(m, "time_lock_us %lld\n", div_s64(atomic64_read(&s->time_lock_ns), 1000));
	seq_printf(m, "time_inv_us %lld\n", div_s64(atomic64_read(&s->time_inv_ns), 1000));
	nvsvm_svm_stats_hist(m, "batch_size", s->batch_size, NVSVM_SVM_BATCH_BUCKETS);
	nvsvm_svm_stats_hist(m, "service_us", s->service_us, NVSVM_SVM_LATENCY_BUCKETS);
	return 0;
}

/**
 * nvsvm_svm_dev_init() - Set a device up for SVM at probe
 * @ndev: The device, before it is registered.
 *
 * Allocates the statistics and the fault work's servicing context, and
 * adds the statistics' debugfs file.
 *
 * Return: 0 or -ENOMEM.
 */
int nvsvm_svm_dev_init(struct nvsvm_device *ndev)
{
	ndev->svm_stats = drmm_kzalloc(&ndev->base, sizeof(*ndev->svm_stats), GFP_KERNEL);
	if (!ndev->svm_stats)
		return -ENOMEM;
	ndev->svm_ctx = nvsvm_svm_ctx_alloc(ndev);
	if (!ndev->svm_ctx)
		return -ENOMEM;
	drm_debugfs_add_file(&ndev->base, "svm_stats", nvsvm_svm_stats_show, NULL);
	return 0;
}

/* ---- Who may use the VM -------------------------------------------------- */

static struct nvsvm_svm *nvsvm_vm_svm(struct nvsvm_vm *vm)
{
	/* Set once, under the VM lock, after the mirror is complete. */
	return smp_load_acquire(&vm->svm);
}

/**
 * nvsvm_svm_check_caller() - Refuse a VM mirroring another process
 * @vm: The file's VM.
 *
 * A VM mirrors one mm: a process that inherited or received the file
 * cannot use it (its addresses mean something else).
 *
 * Return: 0, or -EBADF if @vm mirrors an mm that is not the caller's.
 */
int nvsvm_svm_check_caller(struct nvsvm_vm *vm)
{
	struct nvsvm_svm *svm = nvsvm_vm_svm(vm);

	return svm && svm->mm != current->mm ? -EBADF : 0;
}

/**
 * nvsvm_svm_check_bind() - Check a VM_BIND MAP against the BO window
 * @vm: The VM.
 * @va: Start of the range.
 * @range: Its size, not 0, not wrapping.
 *
 * Return: 0 if a BO may be mapped there: anywhere in a VM of BOs, only
 * inside the window in an SVM VM (-EINVAL elsewhere).
 */
int nvsvm_svm_check_bind(struct nvsvm_vm *vm, u64 va, u64 range)
{
	struct nvsvm_svm *svm = nvsvm_vm_svm(vm);

	if (!svm)
		return 0;
	return va >= svm->bo_start && va + range <= svm->bo_end ? 0 : -EINVAL;
}

/**
 * nvsvm_svm_fence_wake() - Wake the user-fence waiters of a VM
 * @vm: The VM of a channel in fault mode.
 *
 * For the GPU's semaphore interrupt and a failing channel.
 *
 * Context: Any, hard-IRQ included.
 */
void nvsvm_svm_fence_wake(struct nvsvm_vm *vm)
{
	struct nvsvm_svm *svm = nvsvm_vm_svm(vm);

	if (svm)
		wake_up_all(&svm->fence_wq);
}

/* ---- SVM_INIT ------------------------------------------------------------ */

int nvsvm_ioctl_svm_init(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct nvsvm_vm *vm = nvsvm_file_vm(file);
	struct drm_nvsvm_svm_init *args = data;
	struct interval_tree_node *it;
	struct nvsvm_svm *svm;
	u64 end;
	int ret;

	/* No window is bo_va 0 too: unused fields are zero. */
	if (args->flags || args->pad || !PAGE_ALIGNED(args->bo_va) ||
	    !PAGE_ALIGNED(args->bo_range) || (args->bo_va && !args->bo_range) ||
	    check_add_overflow(args->bo_va, args->bo_range, &end) ||
	    end > DRM_NVSVM_VA_USER_END)
		return -EINVAL;
	ret = nvsvm_svm_check_caller(vm);
	if (ret)
		return ret;
	if (!current->mm)
		return -EINVAL;

	svm = kzalloc(sizeof(*svm), GFP_KERNEL);
	if (!svm)
		return -ENOMEM;
	svm->vm = vm;
	svm->bo_start = args->bo_va;
	svm->bo_end = end;
	xa_init(&svm->regions);
	init_waitqueue_head(&svm->fence_wq);

	mutex_lock(&vm->lock);
	ret = -EBUSY;
	if (vm->svm || vm->chan_users)
		goto err_unlock;
	/* Every BO mapping must be in the window. */
	for (it = interval_tree_iter_first(&vm->mappings, 0, DRM_NVSVM_VA_USER_END - 1); it;
	     it = interval_tree_iter_next(it, 0, DRM_NVSVM_VA_USER_END - 1)) {
		if (it->start < svm->bo_start || it->last >= svm->bo_end)
			goto err_unlock;
	}
	mmgrab(current->mm);
	svm->mm = current->mm;
	svm->pid = get_task_pid(current, PIDTYPE_TGID);
	/* Pairs with nvsvm_vm_svm(): the mirror is complete before it is seen. */
	smp_store_release(&vm->svm, svm);
	mutex_unlock(&vm->lock);
	return 0;

err_unlock:
	mutex_unlock(&vm->lock);
	xa_destroy(&svm->regions);
	kfree(svm);
	return ret;
}

/* ---- Invalidation -------------------------------------------------------- */

static void nvsvm_svm_dma_unmap(struct nvsvm_svm *svm, dma_addr_t dma, size_t size)
{
	dma_unmap_page(svm->vm->ndev->base.dev, dma, size, DMA_BIDIRECTIONAL);
}

/*
 * Forget the DMA mappings of the pages of @block in [@start, @end) (the
 * whole block if it is one large mapping): the GPU no longer maps them and
 * its TLBs hold nothing of them. Under the notifier lock; allocates nothing.
 */
static void nvsvm_svm_block_release(struct nvsvm_svm *svm, struct nvsvm_svm_block *block,
				    u64 start, u64 end)
{
	unsigned int i, first, last;

	if (block->large) {
		if (block->flags[0] & NVSVM_SVM_PAGE_DMA)
			nvsvm_svm_dma_unmap(svm, block->dma[0], NVSVM_SVM_BLOCK_SIZE);
		block->flags[0] = 0;
		block->large = false;
		block->nr_dma = 0;
		return;
	}
	first = start <= block->va ? 0 : (start - block->va) >> PAGE_SHIFT;
	last = min_t(u64, end - block->va, NVSVM_SVM_BLOCK_SIZE) >> PAGE_SHIFT;
	for (i = first; i < last && block->nr_dma; i++) {
		if (!(block->flags[i] & NVSVM_SVM_PAGE_DMA))
			continue;
		nvsvm_svm_dma_unmap(svm, block->dma[i], PAGE_SIZE);
		block->flags[i] = 0;
		block->nr_dma--;
	}
}

/* Whether anything of @block in [@start, @end) holds a DMA mapping. */
static bool nvsvm_svm_block_busy(const struct nvsvm_svm_block *block, u64 start, u64 end)
{
	unsigned int i, first, last;

	if (!block || !block->nr_dma)
		return false;
	if (block->large)
		return true;
	first = start <= block->va ? 0 : (start - block->va) >> PAGE_SHIFT;
	last = min_t(u64, end - block->va, NVSVM_SVM_BLOCK_SIZE) >> PAGE_SHIFT;
	for (i = first; i < last; i++)
		if (block->flags[i] & NVSVM_SVM_PAGE_DMA)
			return true;
	return false;
}

/*
 * Zap the GPU PTEs of [@start, @end) but the BO window: the mirror never
 * maps there, and the BOs mapped there are not the process's to unmap.
 * Under the notifier lock. Returns whether anything valid was cleared.
 */
static bool nvsvm_svm_pt_zap(struct nvsvm_svm *svm, u64 start, u64 end)
{
	struct nvsvm_vm *vm = svm->vm;
	bool zapped = false;

	if (svm->bo_start >= end || svm->bo_end <= start || svm->bo_start == svm->bo_end)
		return nvsvm_vm_pt_zap(vm, start, end - start);
	if (start < svm->bo_start)
		zapped |= nvsvm_vm_pt_zap(vm, start, svm->bo_start - start);
	if (end > svm->bo_end)
		zapped |= nvsvm_vm_pt_zap(vm, svm->bo_end, end - svm->bo_end);
	return zapped;
}

/*
 * Zap what the GPU maps of [@start, @end) in @region, complete the TLB
 * invalidate, and unmap the pages. Under the notifier lock. Returns false
 * (the invalidation must be retried, blockable or later) only when it may
 * not block and the invalidate could not complete at once; the zapped
 * pages then keep their DMA mappings until an invalidate completes.
 */
static bool nvsvm_svm_zap(struct nvsvm_svm *svm, struct nvsvm_svm_region *region,
			  u64 start, u64 end, bool blockable)
{
	struct nvsvm_vm *vm = svm->vm;
	unsigned int b, first = nvsvm_svm_block_index(start);
	unsigned int last = nvsvm_svm_block_index(end - 1);
	bool busy = false, zapped;
	int ret;

	nvsvm_vm_assert_notifier_held(vm);
	for (b = first; b <= last && !busy; b++)
		busy = nvsvm_svm_block_busy(region->blocks[b], start, end);
	if (!busy)
		return true;

	/*
	 * A large block partly in the range goes whole, as its 2 MiB leaf
	 * does (a large block never touches the window).
	 */
	zapped = nvsvm_svm_pt_zap(svm, start, end);
	if (zapped || svm->tlb_stale) {
		/* After a failed attempt, the stale entries may be anywhere. */
		if (svm->tlb_stale)
			ret = nvsvm_vm_tlb_invalidate(vm, 0, 0, blockable);
		else
			ret = nvsvm_vm_tlb_invalidate(vm, start, end - start, blockable);
		if (ret == -EAGAIN) {
			svm->tlb_stale = true;
			return false;
		}
		/* 0, or -ETIMEDOUT: the VM's channels were reset, nothing reaches the pages. */
		svm->tlb_stale = false;
		atomic64_inc(&vm->ndev->svm_stats->invalidations);
	}
	for (b = first; b <= last; b++) {
		struct nvsvm_svm_block *block = region->blocks[b];

		if (block && block->nr_dma)
			nvsvm_svm_block_release(svm, block, start, end);
	}
	return true;
}

static bool nvsvm_svm_invalidate(struct mmu_interval_notifier *mni,
				 const struct mmu_notifier_range *range,
				 unsigned long cur_seq)
{
	struct nvsvm_svm_region *region = container_of(mni, struct nvsvm_svm_region, notifier);
	struct nvsvm_svm *svm = region->svm;
	struct nvsvm_vm *vm = svm->vm;
	u64 start = max_t(u64, range->start, region->start);
	u64 end = min_t(u64, range->end, region->start + NVSVM_SVM_REGION_SIZE);
	bool blockable = mmu_notifier_range_blockable(range);
	bool ret;

	/*
	 * The driver's own: making one page device-exclusive for a GPU
	 * atomic. The page stays, and the fault path is mapping it: leave
	 * it (and the sequence) alone, or the fault would never complete. A
	 * wider range (6.12 walking a large folio, which the driver never
	 * asks for) is handled like any other.
	 */
	if (range->event == MMU_NOTIFY_EXCLUSIVE && range->owner == vm->ndev &&
	    range->end - range->start == PAGE_SIZE)
		return true;
	if (start >= end)
		return true;

	if (blockable)
		mutex_lock(&vm->notifier_lock);
	else if (!mutex_trylock(&vm->notifier_lock))
		return false;
	mmu_interval_set_seq(mni, cur_seq);
	ret = nvsvm_svm_zap(svm, region, start, end, blockable);
	mutex_unlock(&vm->notifier_lock);
	trace_nvsvm_svm_invalidate(vm, start, end, range->event, blockable, ret);
	return ret;
}

static const struct mmu_interval_notifier_ops nvsvm_svm_notifier_ops = {
	.invalidate = nvsvm_svm_invalidate,
};

/* ---- Fault servicing ----------------------------------------------------- */

/**
 * nvsvm_svm_bo_reason() - Why a fault outside the mirror cannot be serviced
 * @va: The address.
 * @type: NVSVM_FAULT_TYPE_* the GPU reported.
 *
 * For faults in a VM of BOs, in the BO window of an SVM VM, or in the
 * kernel half: nothing is faulted in there, so the GPU's own view says why.
 *
 * Return: a &enum drm_nvsvm_fault_reason.
 */
u8 nvsvm_svm_bo_reason(u64 va, u8 type)
{
	if (va >= DRM_NVSVM_VA_USER_END)
		return DRM_NVSVM_FAULT_REASON_OUT_OF_RANGE;
	switch (type) {
	case NVSVM_FAULT_TYPE_PROTECTION:
		return DRM_NVSVM_FAULT_REASON_PROTECTION;
	case NVSVM_FAULT_TYPE_ATOMIC_DISABLED:
		return DRM_NVSVM_FAULT_REASON_UNSUPPORTED;
	default:
		return DRM_NVSVM_FAULT_REASON_UNMAPPED;
	}
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_svm_bo_reason);

/**
 * nvsvm_svm_block_end() - Where the faults of one servicing unit end
 * @faults: Faults sorted by address.
 * @count: Their number.
 * @first: The unit's first fault.
 * @bo_start: Start of the VM's BO window.
 * @bo_end: Its end (exclusive).
 *
 * A unit is the faults of one 2 MiB block on one side of the BO window
 * (a window inside a block splits it in two units, which are serviced
 * apart, since nothing of the mirror may be mapped in the window).
 *
 * Return: the index after the unit's last fault.
 */
unsigned int nvsvm_svm_block_end(const struct nvsvm_svm_fault *faults,
				 unsigned int count, unsigned int first,
				 u64 bo_start, u64 bo_end)
{
	u64 block = nvsvm_svm_block_start(faults[first].va);
	bool above = faults[first].va >= bo_end;
	unsigned int i;

	for (i = first + 1; i < count; i++) {
		bool this_above = faults[i].va >= bo_end;

		if (nvsvm_svm_block_start(faults[i].va) != block || this_above != above)
			break;
	}
	return i;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_svm_block_end);

/**
 * nvsvm_svm_block_range() - The part of a block one unit may map
 * @va: An address of the unit, outside the BO window.
 * @bo_start: Start of the BO window.
 * @bo_end: Its end (exclusive).
 * @start: Set to the range's start.
 * @end: Set to its end (exclusive).
 *
 * The block of @va, less what is in the window or on the window's other
 * side.
 */
void nvsvm_svm_block_range(u64 va, u64 bo_start, u64 bo_end, u64 *start, u64 *end)
{
	u64 lo = nvsvm_svm_block_start(va), hi = lo + NVSVM_SVM_BLOCK_SIZE;

	if (bo_start < bo_end && bo_start < hi && bo_end > lo) {
		if (va < bo_start)
			hi = bo_start;
		else
			lo = max(lo, bo_end);
	}
	*start = lo;
	*end = hi;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_svm_block_range);

/**
 * struct nvsvm_svm_ctx - One VM's share of a batch being serviced
 */
struct nvsvm_svm_ctx {
	/** @svm: The mirror. */
	struct nvsvm_svm *svm;
	/** @deadline: When servicing a unit gives up (jiffies). */
	unsigned long deadline;
	/** @attempts: The unit's attempts so far (nvsvm_svm_give_up()). */
	unsigned int attempts;
	/** @start: Start of the unit's range. */
	u64 start;
	/** @end: Its end (exclusive). */
	u64 end;
	/** @pfns: hmm_range_fault()'s array, by page from @start. */
	unsigned long pfns[NVSVM_SVM_BLOCK_PAGES];
	/** @ptes: Entries to commit, by page from @start; 0 leaves one alone. */
	u64 ptes[NVSVM_SVM_BLOCK_PAGES];
	/** @dma: DMA address of the page each new entry maps, by page of the block. */
	dma_addr_t dma[NVSVM_SVM_BLOCK_PAGES];
	/** @flags: NVSVM_SVM_PAGE_* of each new entry, by page of the block. */
	u8 flags[NVSVM_SVM_BLOCK_PAGES];
	/** @fresh: Whether @dma is a mapping this pass made, by page of the block. */
	unsigned long fresh[BITS_TO_LONGS(NVSVM_SVM_BLOCK_PAGES)];
	/** @atomic_ok: Pages to map atomic-enabled without exclusive access. */
	unsigned long atomic_ok[BITS_TO_LONGS(NVSVM_SVM_BLOCK_PAGES)];
	/** @old: DMA mappings replaced by this pass, to unmap after the invalidate. */
	dma_addr_t old[NVSVM_SVM_BLOCK_PAGES];
	/** @old_count: Number of @old. */
	unsigned int old_count;
	/** @old_large: A replaced 2 MiB mapping, or 0. */
	dma_addr_t old_large;
	/** @has_old_large: @old_large is valid. */
	bool has_old_large;
};

static void nvsvm_svm_ctx_free(struct drm_device *drm, void *ctx)
{
	kvfree(ctx);
}

/* The fault work's servicing context, for the device's lifetime. */
static struct nvsvm_svm_ctx *nvsvm_svm_ctx_alloc(struct nvsvm_device *ndev)
{
	struct nvsvm_svm_ctx *ctx = kvzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx || drmm_add_action_or_reset(&ndev->base, nvsvm_svm_ctx_free, ctx))
		return NULL;
	return ctx;
}

/* The process is exiting or being killed: stop servicing its faults. */
static bool nvsvm_svm_process_dying(struct nvsvm_svm *svm)
{
	struct task_struct *task;
	bool dying;

	if (!svm->pid)
		return false;
	rcu_read_lock();
	task = pid_task(svm->pid, PIDTYPE_TGID);
	dying = !task || (task->signal->flags & SIGNAL_GROUP_EXIT) ||
		fatal_signal_pending(task);
	rcu_read_unlock();
	return dying;
}

/* Set @reason on every fault of the unit not decided yet. */
static void nvsvm_svm_fail(struct nvsvm_svm_fault *faults, unsigned int n, u8 reason)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!faults[i].reason)
			faults[i].reason = reason;
}

static bool nvsvm_svm_is_write(u8 access)
{
	return access == NVSVM_ACCESS_WRITE || access == NVSVM_ACCESS_ATOMIC;
}

/*
 * Check each undecided fault against the process's VMAs, as a CPU access
 * would be, so that only faults that can work are asked of
 * hmm_range_fault() (which fails the whole range for one bad page).
 * mmap_lock held.
 */
static unsigned int nvsvm_svm_classify(struct mm_struct *mm, struct nvsvm_svm_fault *faults,
				       unsigned int n)
{
	struct vm_area_struct *vma = NULL;
	unsigned int i, left = 0;

	for (i = 0; i < n; i++) {
		struct nvsvm_svm_fault *f = &faults[i];

		if (f->reason)
			continue;
		if (!vma || f->va < vma->vm_start || f->va >= vma->vm_end)
			vma = vma_lookup(mm, f->va);
		if (!vma)
			f->reason = DRM_NVSVM_FAULT_REASON_UNMAPPED;
		else if (!(vma->vm_flags & VM_READ))
			f->reason = DRM_NVSVM_FAULT_REASON_PROTECTION;
		else if (nvsvm_svm_is_write(f->access) && !(vma->vm_flags & VM_WRITE))
			f->reason = DRM_NVSVM_FAULT_REASON_PROTECTION;
		else if (vma->vm_flags & (VM_IO | VM_PFNMAP))
			f->reason = DRM_NVSVM_FAULT_REASON_UNSUPPORTED;
		else
			left++;
	}
	return left;
}

/* hmm_range_fault() of the unit, asking to fault in only @faults' pages. */
static int nvsvm_svm_hmm_fault(struct nvsvm_svm_ctx *ctx, struct nvsvm_svm_region *region,
			       struct nvsvm_svm_fault *faults, unsigned int n,
			       unsigned long *seq)
{
	struct nvsvm_svm *svm = ctx->svm;
	struct hmm_range range = {
		.notifier = &region->notifier,
		.start = ctx->start,
		.end = ctx->end,
		.hmm_pfns = ctx->pfns,
		.default_flags = 0,
		.pfn_flags_mask = HMM_PFN_REQ_FAULT | HMM_PFN_REQ_WRITE,
	};
	unsigned int i;
	u64 t;
	int ret;

	*seq = mmu_interval_read_begin(&region->notifier);
	range.notifier_seq = *seq;
	mmap_read_lock(svm->mm);
	if (!nvsvm_svm_classify(svm->mm, faults, n)) {
		mmap_read_unlock(svm->mm);
		return -ENOENT;
	}
	/* Newer kernels keep some input bits: start from nothing each time. */
	memset(ctx->pfns, 0, sizeof(ctx->pfns));
	for (i = 0; i < n; i++) {
		if (faults[i].reason)
			continue;
		ctx->pfns[(faults[i].va - ctx->start) >> PAGE_SHIFT] =
			HMM_PFN_REQ_FAULT |
			(nvsvm_svm_is_write(faults[i].access) ? HMM_PFN_REQ_WRITE : 0);
	}
	t = ktime_get_ns();
	ret = hmm_range_fault(&range);
	atomic64_add(ktime_get_ns() - t, &svm->vm->ndev->svm_stats->time_hmm_ns);
	mmap_read_unlock(svm->mm);
	return ret;
}

/*
 * hmm_range_fault() failed the range for a page it could not fault in
 * although its VMA allows the access (a file mapping beyond its end, a
 * special mapping): find which, one page at a time, and fail them.
 */
static void nvsvm_svm_find_bad(struct nvsvm_svm_ctx *ctx, struct nvsvm_svm_region *region,
			       struct nvsvm_svm_fault *faults, unsigned int n)
{
	struct nvsvm_svm *svm = ctx->svm;
	unsigned int i;

	for (i = 0; i < n; i++) {
		unsigned long pfn = HMM_PFN_REQ_FAULT |
			(nvsvm_svm_is_write(faults[i].access) ? HMM_PFN_REQ_WRITE : 0);
		struct hmm_range range = {
			.notifier = &region->notifier,
			.start = faults[i].va,
			.end = faults[i].va + PAGE_SIZE,
			.hmm_pfns = &pfn,
			.default_flags = 0,
			.pfn_flags_mask = HMM_PFN_REQ_FAULT | HMM_PFN_REQ_WRITE,
		};
		int ret;

		if (faults[i].reason)
			continue;
		range.notifier_seq = mmu_interval_read_begin(&region->notifier);
		mmap_read_lock(svm->mm);
		ret = hmm_range_fault(&range);
		mmap_read_unlock(svm->mm);
		if (ret == -EFAULT)
			faults[i].reason = DRM_NVSVM_FAULT_REASON_UNMAPPED;
	}
}

static u32 nvsvm_svm_pte_flags(u8 flags)
{
	u32 pte = 0;

	if (!(flags & NVSVM_SVM_PAGE_WRITE))
		pte |= NVSVM_PTE_F_READ_ONLY;
	if (!(flags & NVSVM_SVM_PAGE_ATOMIC))
		pte |= NVSVM_PTE_F_ATOMIC_DISABLE;
	return pte;
}

/*
 * A faulting page that will not be mapped (its DMA mapping failed) is
 * cancelled, or the replay would only bring the fault back.
 */
static void nvsvm_svm_fail_unmapped(struct nvsvm_svm_ctx *ctx, struct nvsvm_svm_fault *faults,
				    unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!faults[i].reason &&
		    !(ctx->flags[nvsvm_svm_page_index(faults[i].va)] & NVSVM_SVM_PAGE_PTE))
			faults[i].reason = DRM_NVSVM_FAULT_REASON_NO_MEMORY;
}

/* Undo the DMA mappings a pass made before it found it must retry. */
static void nvsvm_svm_unmap_fresh(struct nvsvm_svm_ctx *ctx, bool large)
{
	unsigned int i;

	if (large) {
		if (test_bit(0, ctx->fresh))
			nvsvm_svm_dma_unmap(ctx->svm, ctx->dma[0], NVSVM_SVM_BLOCK_SIZE);
		return;
	}
	for_each_set_bit(i, ctx->fresh, NVSVM_SVM_BLOCK_PAGES)
		nvsvm_svm_dma_unmap(ctx->svm, ctx->dma[i], PAGE_SIZE);
}

/* After the invalidate: unmap what the pass replaced. */
static void nvsvm_svm_unmap_old(struct nvsvm_svm_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < ctx->old_count; i++)
		nvsvm_svm_dma_unmap(ctx->svm, ctx->old[i], PAGE_SIZE);
	if (ctx->has_old_large)
		nvsvm_svm_dma_unmap(ctx->svm, ctx->old_large, NVSVM_SVM_BLOCK_SIZE);
	ctx->old_count = 0;
	ctx->has_old_large = false;
}

/*
 * From hmm_range_fault()'s answer, work out what to map: a 2 MiB page if
 * the CPU maps the whole block with one, else each page the CPU maps, and
 * DMA-map what the block does not hold already. The GPU gets write access
 * where the CPU's PTE allows it, and atomics only through @atomic_ok.
 * Return: whether the block is one 2 MiB page, or a negative errno.
 */
static int nvsvm_svm_prepare(struct nvsvm_svm_ctx *ctx, struct nvsvm_svm_block *block,
			     const struct nvsvm_svm_fault *faults, unsigned int n)
{
	struct device *dev = ctx->svm->vm->ndev->base.dev;
	unsigned int first = nvsvm_svm_page_index(ctx->start);
	unsigned int count = (ctx->end - ctx->start) >> PAGE_SHIFT;
	unsigned long p0 = ctx->pfns[0];
	unsigned int i;

	bitmap_zero(ctx->fresh, NVSVM_SVM_BLOCK_PAGES);
	memset(ctx->flags, 0, sizeof(ctx->flags));
	for (i = 0; i < n; i++) {
		unsigned int pg = nvsvm_svm_page_index(faults[i].va);

		if (faults[i].reason)
			continue;
		ctx->flags[pg] = NVSVM_SVM_PAGE_PTE |
				 (nvsvm_svm_is_write(faults[i].access) ? NVSVM_SVM_PAGE_WRITE : 0);
	}

	if (count == NVSVM_SVM_BLOCK_PAGES && (p0 & HMM_PFN_VALID) &&
	    hmm_pfn_to_map_order(p0) >= PMD_SHIFT - PAGE_SHIFT) {
		unsigned long pfn = p0 & ~HMM_PFN_FLAGS;
		u8 flags = NVSVM_SVM_PAGE_PTE | NVSVM_SVM_PAGE_DMA;
		dma_addr_t dma;

		if (p0 & HMM_PFN_WRITE)
			flags |= NVSVM_SVM_PAGE_WRITE;
		if (!bitmap_empty(ctx->atomic_ok, NVSVM_SVM_BLOCK_PAGES) ||
		    (block->large && block->pfn[0] == pfn &&
		     (block->flags[0] & NVSVM_SVM_PAGE_ATOMIC)))
			flags |= NVSVM_SVM_PAGE_ATOMIC;
		if (block->large && block->pfn[0] == pfn &&
		    (block->flags[0] & NVSVM_SVM_PAGE_DMA)) {
			dma = block->dma[0];
		} else {
			dma = dma_map_page(dev, pfn_to_page(pfn), 0, NVSVM_SVM_BLOCK_SIZE,
					   DMA_BIDIRECTIONAL);
			if (dma_mapping_error(dev, dma))
				return -ENOMEM;
			if (!IS_ALIGNED(dma, NVSVM_SVM_BLOCK_SIZE)) {
				/* A 2 MiB GPU page needs an aligned address: map 4 KiB ones. */
				dma_unmap_page(dev, dma, NVSVM_SVM_BLOCK_SIZE, DMA_BIDIRECTIONAL);
				goto small;
			}
			__set_bit(0, ctx->fresh);
		}
		ctx->dma[0] = dma;
		ctx->flags[0] = flags;
		ctx->pfns[0] = pfn;
		return 1;
	}

small:
	for (i = 0; i < count; i++) {
		unsigned long p = ctx->pfns[i];
		unsigned int pg = first + i;
		unsigned long pfn;
		u8 flags;

		if (!(p & HMM_PFN_VALID) || (p & HMM_PFN_ERROR)) {
			ctx->flags[pg] = 0;
			continue;
		}
		pfn = p & ~HMM_PFN_FLAGS;
		flags = NVSVM_SVM_PAGE_PTE | NVSVM_SVM_PAGE_DMA;
		/*
		 * Writable where the CPU's PTE is, as for the CPU: a read
		 * fault followed by writes then costs no upgrade fault and
		 * no TLB invalidate per page.
		 */
		if (p & HMM_PFN_WRITE)
			flags |= NVSVM_SVM_PAGE_WRITE;
		if (test_bit(pg, ctx->atomic_ok))
			flags |= NVSVM_SVM_PAGE_ATOMIC;
		else if (!block->large && block->pfn[pg] == pfn &&
			 (block->flags[pg] & NVSVM_SVM_PAGE_ATOMIC))
			flags |= NVSVM_SVM_PAGE_ATOMIC | NVSVM_SVM_PAGE_WRITE;
		ctx->flags[pg] = flags;
		if (!block->large && (block->flags[pg] & NVSVM_SVM_PAGE_DMA) &&
		    block->pfn[pg] == pfn) {
			ctx->dma[pg] = block->dma[pg];
		} else {
			dma_addr_t dma = dma_map_page(dev, pfn_to_page(pfn), 0, PAGE_SIZE,
						      DMA_BIDIRECTIONAL);

			if (dma_mapping_error(dev, dma)) {
				ctx->flags[pg] = 0;
				continue;
			}
			ctx->dma[pg] = dma;
			__set_bit(pg, ctx->fresh);
		}
		ctx->pfns[i] = pfn;
	}
	return 0;
}

/*
 * Under the notifier lock: zap a block mapped with one 2 MiB entry, whose
 * DMA mapping goes to @ctx for after the invalidate; the block is then
 * empty and 4 KiB. Return: whether a valid entry was zapped.
 */
static bool nvsvm_svm_block_split(struct nvsvm_svm_ctx *ctx, struct nvsvm_svm_block *block)
{
	bool zapped = nvsvm_vm_pt_zap(ctx->svm->vm, block->va, NVSVM_SVM_BLOCK_SIZE);

	if (block->flags[0] & NVSVM_SVM_PAGE_DMA) {
		ctx->old_large = block->dma[0];
		ctx->has_old_large = true;
	}
	memset(block->flags, 0, sizeof(block->flags));
	block->large = false;
	block->nr_dma = 0;
	return zapped;
}

/*
 * Under the notifier lock, with the range unchanged since the pass began:
 * write the entries that change, and move the block to its new state. The
 * mappings replaced go to @ctx->old for after the invalidate.
 * Return: whether a valid entry was replaced (the caller invalidates).
 */
static bool nvsvm_svm_commit(struct nvsvm_svm_ctx *ctx, struct nvsvm_pt_stage *st,
			     struct nvsvm_svm_block *block, bool large)
{
	struct nvsvm_vm *vm = ctx->svm->vm;
	struct nvsvm_svm_stats *stats = vm->ndev->svm_stats;
	unsigned int first = nvsvm_svm_page_index(ctx->start);
	unsigned int count = (ctx->end - ctx->start) >> PAGE_SHIFT;
	bool replaced = false;
	unsigned int i, mapped = 0;

	nvsvm_vm_assert_notifier_held(vm);
	if (large) {
		unsigned long pfn = ctx->pfns[0];

		if (block->large && block->pfn[0] == pfn && block->flags[0] == ctx->flags[0])
			return false;	/* already so */
		if (block->large && (block->flags[0] & NVSVM_SVM_PAGE_DMA) &&
		    block->pfn[0] != pfn) {
			ctx->old_large = block->dma[0];
			ctx->has_old_large = true;
		}
		if (!block->large) {
			for (i = 0; i < NVSVM_SVM_BLOCK_PAGES; i++)
				if (block->flags[i] & NVSVM_SVM_PAGE_DMA)
					ctx->old[ctx->old_count++] = block->dma[i];
			memset(block->flags, 0, sizeof(block->flags));
		}
		ctx->ptes[0] = nvsvm_pte_sysmem(ctx->dma[0], NVSVM_PTE_SHIFT_2M,
						nvsvm_svm_pte_flags(ctx->flags[0]));
		replaced = nvsvm_vm_pt_commit(vm, st, block->va, NVSVM_SVM_BLOCK_SIZE,
					      NVSVM_PTE_SHIFT_2M, ctx->ptes);
		block->large = true;
		block->nr_dma = 1;
		block->pfn[0] = pfn;
		block->dma[0] = ctx->dma[0];
		block->flags[0] = ctx->flags[0];
		atomic64_inc(&stats->map_2m);
		return replaced;
	}

	/* The CPU no longer maps the block with one PMD: go 4 KiB. */
	if (block->large)
		replaced |= nvsvm_svm_block_split(ctx, block);
	for (i = 0; i < count; i++) {
		unsigned int pg = first + i;
		u8 flags = ctx->flags[pg];

		ctx->ptes[i] = 0;
		if (!flags)
			continue;	/* not mapped by the CPU, or left as it is */
		if (block->pfn[pg] == ctx->pfns[i] && block->flags[pg] == flags)
			continue;	/* already so */
		if ((block->flags[pg] & NVSVM_SVM_PAGE_DMA) && block->pfn[pg] != ctx->pfns[i]) {
			ctx->old[ctx->old_count++] = block->dma[pg];
			block->nr_dma--;
		}
		if (!(block->flags[pg] & NVSVM_SVM_PAGE_DMA) || block->pfn[pg] != ctx->pfns[i])
			block->nr_dma++;
		block->pfn[pg] = ctx->pfns[i];
		block->dma[pg] = ctx->dma[pg];
		block->flags[pg] = flags;
		ctx->ptes[i] = nvsvm_pte_sysmem(ctx->dma[pg], NVSVM_PTE_SHIFT_4K,
						nvsvm_svm_pte_flags(flags));
		mapped++;
	}
	if (mapped)
		replaced |= nvsvm_vm_pt_commit(vm, st, ctx->start, ctx->end - ctx->start,
					       NVSVM_PTE_SHIFT_4K, ctx->ptes);
	atomic64_add(mapped, &stats->map_4k);
	return replaced;
}

/* A unit gives up only after this many attempts, whatever the time. */
#define NVSVM_SVM_MIN_ATTEMPTS	4

/*
 * Whether a unit's loop gives up with BUSY; each call is an attempt. Once
 * the deadline has passed, and not before the unit has tried
 * %NVSVM_SVM_MIN_ATTEMPTS times: a worker descheduled past the deadline
 * (a loaded host, a vCPU not running) must not fail a fault it hardly
 * tried, and the loop stays bounded in time and in attempts.
 */
static bool nvsvm_svm_give_up(struct nvsvm_svm_ctx *ctx)
{
	return ++ctx->attempts > NVSVM_SVM_MIN_ATTEMPTS && time_after(jiffies, ctx->deadline);
}

/*
 * Service the faults of one unit: the loop of hmm_range_fault(), DMA
 * mapping, and a commit under the notifier lock if nothing changed
 * meanwhile, bounded by @ctx->deadline.
 */
static void nvsvm_svm_unit_map(struct nvsvm_svm_ctx *ctx, struct nvsvm_svm_region *region,
			       struct nvsvm_svm_block *block, struct nvsvm_svm_fault *faults,
			       unsigned int n)
{
	struct nvsvm_svm *svm = ctx->svm;
	struct nvsvm_vm *vm = svm->vm;
	struct nvsvm_svm_stats *stats = vm->ndev->svm_stats;

	for (;;) {
		struct nvsvm_pt_stage st;
		unsigned long seq;
		bool replaced;
		int ret, large;
		u64 t;

		if (nvsvm_svm_process_dying(svm)) {
			nvsvm_svm_fail(faults, n, DRM_NVSVM_FAULT_REASON_PROCESS_GONE);
			return;
		}
		if (nvsvm_svm_give_up(ctx)) {
			nvsvm_svm_fail(faults, n, DRM_NVSVM_FAULT_REASON_BUSY);
			return;
		}

		ret = nvsvm_svm_hmm_fault(ctx, region, faults, n, &seq);
		if (ret == -ENOENT)
			return;		/* every fault decided */
		if (ret == -EBUSY) {
			atomic64_inc(&stats->retries);
			continue;
		}
		if (ret == -EFAULT) {
			nvsvm_svm_find_bad(ctx, region, faults, n);
			atomic64_inc(&stats->retries);
			continue;
		}
		if (ret) {
			nvsvm_svm_fail(faults, n, ret == -ENOMEM ?
				       DRM_NVSVM_FAULT_REASON_NO_MEMORY :
				       DRM_NVSVM_FAULT_REASON_UNSUPPORTED);
			return;
		}

		t = ktime_get_ns();
		large = nvsvm_svm_prepare(ctx, block, faults, n);
		atomic64_add(ktime_get_ns() - t, &stats->time_dma_ns);
		if (large < 0) {
			nvsvm_svm_fail(faults, n, DRM_NVSVM_FAULT_REASON_NO_MEMORY);
			return;
		}
		if (!large)
			nvsvm_svm_fail_unmapped(ctx, faults, n);
		t = ktime_get_ns();
		if (large)
			ret = nvsvm_vm_pt_stage(vm, &st, block->va, NVSVM_SVM_BLOCK_SIZE,
						NVSVM_PTE_SHIFT_2M);
		else
			ret = nvsvm_vm_pt_stage(vm, &st, ctx->start, ctx->end - ctx->start,
						NVSVM_PTE_SHIFT_4K);
		atomic64_add(ktime_get_ns() - t, &stats->time_stage_ns);
		if (ret) {
			nvsvm_vm_pt_stage_fini(vm, &st);
			nvsvm_svm_unmap_fresh(ctx, large);
			nvsvm_svm_fail(faults, n, DRM_NVSVM_FAULT_REASON_NO_MEMORY);
			return;
		}

		t = ktime_get_ns();
		mutex_lock(&vm->notifier_lock);
		atomic64_add(ktime_get_ns() - t, &stats->time_lock_ns);
		if (mmu_interval_read_retry(&region->notifier, seq)) {
			mutex_unlock(&vm->notifier_lock);
			nvsvm_vm_pt_stage_fini(vm, &st);
			nvsvm_svm_unmap_fresh(ctx, large);
			atomic64_inc(&stats->retries);
			continue;
		}
		replaced = nvsvm_svm_commit(ctx, &st, block, large);
		mutex_unlock(&vm->notifier_lock);

		if (replaced) {
			u64 ti = ktime_get_ns();

			nvsvm_vm_tlb_invalidate(vm, ctx->start, ctx->end - ctx->start, true);
			atomic64_add(ktime_get_ns() - ti, &stats->time_inv_ns);
		}
		nvsvm_vm_pt_stage_fini(vm, &st);
		nvsvm_svm_unmap_old(ctx);
		atomic64_add(ktime_get_ns() - t, &stats->time_commit_ns);
		return;
	}
}

/* Fault the page in writable, as a CPU write would (revoking exclusive access). */
static void nvsvm_svm_touch(struct nvsvm_svm *svm, u64 va)
{
	struct page *page;
	long n;

	mmap_read_lock(svm->mm);
	n = get_user_pages_remote(svm->mm, va, 1, FOLL_WRITE, &page, NULL);
	mmap_read_unlock(svm->mm);
	if (n == 1)
		put_page(page);
}

/*
 * A GPU atomic: make the page device-exclusive and map it atomic-enabled.
 * Returns false if the page cannot be made exclusive but may be mapped
 * atomic-enabled without (6.12, a large folio): the caller does that.
 */
static bool nvsvm_svm_atomic(struct nvsvm_svm_ctx *ctx, struct nvsvm_svm_region *region,
			     struct nvsvm_svm_block *block, struct nvsvm_svm_fault *f)
{
	struct nvsvm_svm *svm = ctx->svm;
	struct nvsvm_vm *vm = svm->vm;
	struct device *dev = vm->ndev->base.dev;
	struct nvsvm_svm_stats *stats = vm->ndev->svm_stats;
	unsigned int pg = nvsvm_svm_page_index(f->va);
	bool again = false;

	for (;;) {
		struct nvsvm_pt_stage st;
		struct folio *folio;
		struct page *page;
		unsigned long seq, pfn;
		bool replaced, fresh;
		dma_addr_t dma;
		u64 pte;
		int ret;

		if (nvsvm_svm_process_dying(svm)) {
			f->reason = DRM_NVSVM_FAULT_REASON_PROCESS_GONE;
			return true;
		}
		if (nvsvm_svm_give_up(ctx)) {
			f->reason = DRM_NVSVM_FAULT_REASON_BUSY;
			return true;
		}

		/*
		 * A failed attempt may have left the page exclusive: touch it
		 * first, or revoking that in the next attempt would change the
		 * sequence every time.
		 */
		if (again)
			nvsvm_svm_touch(svm, f->va);
		again = true;
		seq = mmu_interval_read_begin(&region->notifier);
		mmap_read_lock(svm->mm);
		page = nvsvm_make_device_exclusive(svm->mm, f->va, vm->ndev, &folio);
		mmap_read_unlock(svm->mm);
		if (IS_ERR(page)) {
			ret = PTR_ERR(page);
			if (ret == -E2BIG)
				return false;
			if (ret == -EBUSY || ret == -EAGAIN) {
				atomic64_inc(&stats->retries);
				continue;
			}
			f->reason = ret == -ENOMEM ? DRM_NVSVM_FAULT_REASON_NO_MEMORY :
				    ret == -EOPNOTSUPP ? DRM_NVSVM_FAULT_REASON_UNSUPPORTED :
				    DRM_NVSVM_FAULT_REASON_PROTECTION;
			return true;
		}
		/* The GPU may write it; the CPU's PTE, which had the dirty bit, is gone. */
		folio_mark_dirty(folio);
		pfn = page_to_pfn(page);

		fresh = block->large || !(block->flags[pg] & NVSVM_SVM_PAGE_DMA) ||
			block->pfn[pg] != pfn;
		if (fresh) {
			dma = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
			if (dma_mapping_error(dev, dma)) {
				folio_unlock(folio);
				folio_put(folio);
				f->reason = DRM_NVSVM_FAULT_REASON_NO_MEMORY;
				return true;
			}
		} else {
			dma = block->dma[pg];
		}
		ret = nvsvm_vm_pt_stage(vm, &st, f->va, PAGE_SIZE, NVSVM_PTE_SHIFT_4K);
		if (ret) {
			nvsvm_vm_pt_stage_fini(vm, &st);
			if (fresh)
				nvsvm_svm_dma_unmap(svm, dma, PAGE_SIZE);
			folio_unlock(folio);
			folio_put(folio);
			f->reason = DRM_NVSVM_FAULT_REASON_NO_MEMORY;
			return true;
		}

		mutex_lock(&vm->notifier_lock);
		if (mmu_interval_read_retry(&region->notifier, seq)) {
			mutex_unlock(&vm->notifier_lock);
			nvsvm_vm_pt_stage_fini(vm, &st);
			if (fresh)
				nvsvm_svm_dma_unmap(svm, dma, PAGE_SIZE);
			folio_unlock(folio);
			folio_put(folio);
			atomic64_inc(&stats->retries);
			continue;
		}
		replaced = false;
		if (block->large) {
			replaced = nvsvm_svm_block_split(ctx, block);
		} else if (fresh && (block->flags[pg] & NVSVM_SVM_PAGE_DMA)) {
			ctx->old[ctx->old_count++] = block->dma[pg];
			block->nr_dma--;
		}
		if (fresh)
			block->nr_dma++;
		block->pfn[pg] = pfn;
		block->dma[pg] = dma;
		block->flags[pg] = NVSVM_SVM_PAGE_DMA | NVSVM_SVM_PAGE_PTE |
				   NVSVM_SVM_PAGE_WRITE | NVSVM_SVM_PAGE_ATOMIC;
		pte = nvsvm_pte_sysmem(dma, NVSVM_PTE_SHIFT_4K, 0);
		replaced |= nvsvm_vm_pt_commit(vm, &st, f->va, PAGE_SIZE, NVSVM_PTE_SHIFT_4K, &pte);
		mutex_unlock(&vm->notifier_lock);

		if (replaced)
			nvsvm_vm_tlb_invalidate(vm, f->va, PAGE_SIZE, true);
		nvsvm_vm_pt_stage_fini(vm, &st);
		nvsvm_svm_unmap_old(ctx);
		/* Mapped: from now on a CPU access revokes it through the notifier. */
		folio_unlock(folio);
		folio_put(folio);
		atomic64_inc(&stats->exclusive);
		atomic64_inc(&stats->map_4k);
		return true;
	}
}

/* The region of @va, its notifier inserted on first use. VM lock held. */
static struct nvsvm_svm_region *nvsvm_svm_region_get(struct nvsvm_svm *svm, u64 va)
{
	unsigned long index = nvsvm_svm_region_index(va);
	struct nvsvm_svm_region *region;
	int ret;

	nvsvm_vm_assert_held(svm->vm);
	region = xa_load(&svm->regions, index);
	if (region)
		return region;

	region = kzalloc(sizeof(*region), GFP_KERNEL);
	if (!region)
		return ERR_PTR(-ENOMEM);
	region->svm = svm;
	region->start = nvsvm_svm_region_start(va);
	ret = mmu_interval_notifier_insert(&region->notifier, svm->mm, region->start,
					   NVSVM_SVM_REGION_SIZE, &nvsvm_svm_notifier_ops);
	if (ret) {
		kfree(region);
		return ERR_PTR(ret);
	}
	ret = xa_err(xa_store(&svm->regions, index, region, GFP_KERNEL));
	if (ret) {
		mmu_interval_notifier_remove(&region->notifier);
		kfree(region);
		return ERR_PTR(ret);
	}
	return region;
}

/* The block of @va, allocated on first use. VM lock held. */
static struct nvsvm_svm_block *nvsvm_svm_block_get(struct nvsvm_svm *svm,
						   struct nvsvm_svm_region *region, u64 va)
{
	unsigned int b = nvsvm_svm_block_index(va);
	struct nvsvm_svm_block *block = region->blocks[b];

	if (block)
		return block;
	block = kvzalloc(sizeof(*block), GFP_KERNEL);
	if (!block)
		return NULL;
	block->va = nvsvm_svm_block_start(va);
	mutex_lock(&svm->vm->notifier_lock);
	region->blocks[b] = block;
	mutex_unlock(&svm->vm->notifier_lock);
	return block;
}

static void nvsvm_svm_unit(struct nvsvm_svm_ctx *ctx, struct nvsvm_svm_fault *faults,
			   unsigned int n)
{
	struct nvsvm_svm *svm = ctx->svm;
	struct nvsvm_svm_stats *stats = svm->vm->ndev->svm_stats;
	struct nvsvm_svm_region *region;
	struct nvsvm_svm_block *block;
	unsigned int i;
	bool fallback = false;

	nvsvm_svm_block_range(faults[0].va, svm->bo_start, svm->bo_end, &ctx->start, &ctx->end);
	region = nvsvm_svm_region_get(svm, faults[0].va);
	if (IS_ERR(region)) {
		nvsvm_svm_fail(faults, n, DRM_NVSVM_FAULT_REASON_NO_MEMORY);
		return;
	}
	block = nvsvm_svm_block_get(svm, region, faults[0].va);
	if (!block) {
		nvsvm_svm_fail(faults, n, DRM_NVSVM_FAULT_REASON_NO_MEMORY);
		return;
	}
	ctx->deadline = jiffies + msecs_to_jiffies(HMM_RANGE_DEFAULT_TIMEOUT);
	ctx->attempts = 0;
	bitmap_zero(ctx->atomic_ok, NVSVM_SVM_BLOCK_PAGES);
	ctx->old_count = 0;
	ctx->has_old_large = false;
	atomic64_inc(&stats->blocks);
	nvsvm_svm_unit_map(ctx, region, block, faults, n);
	trace_nvsvm_svm_block(svm->vm, ctx->start, ctx->end, n, block->large);

	for (i = 0; i < n; i++) {
		if (faults[i].reason || faults[i].access != NVSVM_ACCESS_ATOMIC)
			continue;
		if (!nvsvm_svm_atomic(ctx, region, block, &faults[i])) {
			__set_bit(nvsvm_svm_page_index(faults[i].va), ctx->atomic_ok);
			fallback = true;
		}
	}
	if (fallback) {
		/* 6.12 and a large folio: atomic-enabled, not exclusive (see the DOC). */
		nvsvm_svm_unit_map(ctx, region, block, faults, n);
	}
}

/**
 * nvsvm_svm_service() - Service the faults of one VM of a batch
 * @vm: The VM.
 * @faults: Its faults, sorted by address, one per page; each @reason 0.
 * @count: Their number.
 *
 * Faults in the mirror are serviced per block; the others (a VM of BOs,
 * the BO window, the kernel half) and those that cannot be serviced get a
 * reason, and the caller cancels them. The caller replays the rest.
 *
 * Context: Process; takes &nvsvm_vm.lock. May sleep for long (faulting
 * pages in), bounded by %HMM_RANGE_DEFAULT_TIMEOUT per block.
 */
void nvsvm_svm_service(struct nvsvm_vm *vm, struct nvsvm_svm_fault *faults,
		       unsigned int count)
{
	struct nvsvm_svm *svm = nvsvm_vm_svm(vm);
	struct nvsvm_svm_ctx *ctx;
	unsigned int i, end, left = 0;
	u64 start;

	for (i = 0; i < count; i++) {
		struct nvsvm_svm_fault *f = &faults[i];

		if (!svm || f->va >= DRM_NVSVM_VA_USER_END ||
		    (f->va >= svm->bo_start && f->va < svm->bo_end))
			f->reason = nvsvm_svm_bo_reason(f->va, f->type);
		else
			left++;
	}
	if (!left)
		return;

	if (!mmget_not_zero(svm->mm)) {
		nvsvm_svm_fail(faults, count, DRM_NVSVM_FAULT_REASON_PROCESS_GONE);
		return;
	}
	start = ktime_get_ns();
	/* The fault work's own: it services one VM at a time. */
	ctx = vm->ndev->svm_ctx;
	ctx->svm = svm;

	mutex_lock(&vm->lock);
	if (svm->closed) {
		nvsvm_svm_fail(faults, count, DRM_NVSVM_FAULT_REASON_PROCESS_GONE);
		goto out_unlock;
	}
	for (i = 0; i < count; i = end) {
		end = nvsvm_svm_block_end(faults, count, i, svm->bo_start, svm->bo_end);
		while (i < end && faults[i].reason)
			i++;
		if (i < end)
			nvsvm_svm_unit(ctx, &faults[i], end - i);
	}
out_unlock:
	mutex_unlock(&vm->lock);
	atomic64_add(ktime_get_ns() - start, &vm->ndev->svm_stats->time_service_ns);
	/* The last reference to an exited process's mm tears it down: not under the VM lock. */
	mmput(svm->mm);
}

/* ---- Teardown ------------------------------------------------------------ */

/**
 * nvsvm_svm_fini() - Stop mirroring, when the file goes
 * @vm: The VM; its channels are gone and the fault work flushed, so that
 *      nothing maps anything new. May be called from any process, after
 *      the mirrored one has exited.
 *
 * Removes the notifiers (waiting for callbacks in flight), zaps the GPU
 * mappings, invalidates, unmaps the pages and frees the mirror.
 */
void nvsvm_svm_fini(struct nvsvm_vm *vm)
{
	struct nvsvm_svm *svm = vm->svm;
	struct nvsvm_svm_region *region;
	unsigned long index;
	unsigned int b;

	if (!svm)
		return;
	mutex_lock(&vm->lock);
	svm->closed = true;
	mutex_unlock(&vm->lock);

	/* No callback runs after this, and none is running. */
	xa_for_each(&svm->regions, index, region)
		mmu_interval_notifier_remove(&region->notifier);

	mutex_lock(&vm->lock);
	mutex_lock(&vm->notifier_lock);
	nvsvm_svm_pt_zap(svm, 0, DRM_NVSVM_VA_USER_END);
	mutex_unlock(&vm->notifier_lock);
	nvsvm_vm_tlb_invalidate(vm, 0, 0, true);
	mutex_lock(&vm->notifier_lock);
	xa_for_each(&svm->regions, index, region) {
		for (b = 0; b < NVSVM_SVM_REGION_BLOCKS; b++) {
			struct nvsvm_svm_block *block = region->blocks[b];

			if (!block)
				continue;
			nvsvm_svm_block_release(svm, block, block->va,
						block->va + NVSVM_SVM_BLOCK_SIZE);
			region->blocks[b] = NULL;
			kvfree(block);
		}
	}
	mutex_unlock(&vm->notifier_lock);
	xa_for_each(&svm->regions, index, region)
		kfree(region);
	xa_destroy(&svm->regions);
	mutex_unlock(&vm->lock);

	put_pid(svm->pid);
	mmdrop(svm->mm);
	WRITE_ONCE(vm->svm, NULL);
	kfree(svm);
}

/* ---- WAIT_USER_FENCE ----------------------------------------------------- */

static bool nvsvm_svm_fence_passed(u64 mem, u64 value, u64 mask, u32 op)
{
	mem &= mask;
	value &= mask;
	switch (op) {
	case DRM_NVSVM_WAIT_EQ:
		return mem == value;
	case DRM_NVSVM_WAIT_NEQ:
		return mem != value;
	case DRM_NVSVM_WAIT_GT:
		return mem > value;
	case DRM_NVSVM_WAIT_GTE:
		return mem >= value;
	case DRM_NVSVM_WAIT_LT:
		return mem < value;
	default:
		return mem <= value;
	}
}

int nvsvm_ioctl_wait_user_fence(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_nvsvm_wait_user_fence *args = data;
	struct nvsvm_vm *vm = nvsvm_file_vm(file);
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct nvsvm_chan *chan = NULL;
	struct nvsvm_svm *svm;
	ktime_t deadline;
	int ret;

	if (args->op < DRM_NVSVM_WAIT_EQ || args->op > DRM_NVSVM_WAIT_LTE ||
	    args->flags || args->pad || !IS_ALIGNED(args->va, 8) ||
	    args->va >= DRM_NVSVM_VA_USER_END || args->timeout_ns < 0)
		return -EINVAL;
	svm = nvsvm_vm_svm(vm);
	if (!svm)
		return -EINVAL;
	ret = nvsvm_svm_check_caller(vm);
	if (ret)
		return ret;
	if (args->channel) {
		chan = nvsvm_chan_lookup(file, args->channel);
		if (!chan)
			return -ENOENT;
	}

	deadline = ktime_add_ns(ktime_get(), args->timeout_ns);
	add_wait_queue(&svm->fence_wq, &wait);
	for (;;) {
		u64 mem;
		s64 left;

		/* Read before checking the channel: a completed job wins over a later failure. */
		if (get_user(mem, (u64 __user *)u64_to_user_ptr(args->va))) {
			ret = -EFAULT;
			break;
		}
		if (nvsvm_svm_fence_passed(mem, args->value, args->mask, args->op)) {
			ret = 0;
			break;
		}
		if (chan && READ_ONCE(chan->stop_errno)) {
			ret = -EIO;
			break;
		}
		left = ktime_to_ns(ktime_sub(deadline, ktime_get()));
		if (left <= 0) {
			ret = -ETIME;
			break;
		}
		if (signal_pending(current)) {
			/* Restarted with the time left, so that it does not wait longer in all. */
			args->timeout_ns = left;
			ret = -ERESTARTSYS;
			break;
		}
		wait_woken(&wait, TASK_INTERRUPTIBLE,
			   min_t(u64, nsecs_to_jiffies(left) + 1, MAX_SCHEDULE_TIMEOUT));
	}
	remove_wait_queue(&svm->fence_wq, &wait);
	if (chan)
		nvsvm_chan_put(chan);
	return ret;
}
