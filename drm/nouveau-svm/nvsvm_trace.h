/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */

/*
 * Tracepoints of fault servicing and the mirror, in the "nvsvm" system:
 * a batch drained, a block serviced, a replay, a cancel, an invalidation.
 * The trace's own timestamps give each stage's latency.
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM nvsvm

#if !defined(__NVSVM_TRACE_H__) || defined(TRACE_HEADER_MULTI_READ)
#define __NVSVM_TRACE_H__

#include <linux/tracepoint.h>
#include <linux/types.h>

struct nvsvm_vm;

TRACE_EVENT(nvsvm_fault_batch,
	    TP_PROTO(const char *dev, unsigned int entries, unsigned int faults,
		     unsigned int duplicates),
	    TP_ARGS(dev, entries, faults, duplicates),
	    TP_STRUCT__entry(__string(dev, dev)
			     __field(unsigned int, entries)
			     __field(unsigned int, faults)
			     __field(unsigned int, duplicates)),
	    TP_fast_assign(__assign_str(dev);
			   __entry->entries = entries;
			   __entry->faults = faults;
			   __entry->duplicates = duplicates;),
	    TP_printk("%s: entries=%u faults=%u duplicates=%u", __get_str(dev),
		      __entry->entries, __entry->faults, __entry->duplicates)
);

TRACE_EVENT(nvsvm_svm_block,
	    TP_PROTO(const struct nvsvm_vm *vm, u64 start, u64 end, unsigned int faults,
		     bool large),
	    TP_ARGS(vm, start, end, faults, large),
	    TP_STRUCT__entry(__field(const void *, vm)
			     __field(u64, start)
			     __field(u64, end)
			     __field(unsigned int, faults)
			     __field(bool, large)),
	    TP_fast_assign(__entry->vm = vm;
			   __entry->start = start;
			   __entry->end = end;
			   __entry->faults = faults;
			   __entry->large = large;),
	    TP_printk("vm=%p range=%#llx-%#llx faults=%u large=%d", __entry->vm,
		      __entry->start, __entry->end, __entry->faults, __entry->large)
);

TRACE_EVENT(nvsvm_fault_replay,
	    TP_PROTO(const char *dev, unsigned int serviced, unsigned int cancelled),
	    TP_ARGS(dev, serviced, cancelled),
	    TP_STRUCT__entry(__string(dev, dev)
			     __field(unsigned int, serviced)
			     __field(unsigned int, cancelled)),
	    TP_fast_assign(__assign_str(dev);
			   __entry->serviced = serviced;
			   __entry->cancelled = cancelled;),
	    TP_printk("%s: serviced=%u cancelled=%u", __get_str(dev), __entry->serviced,
		      __entry->cancelled)
);

TRACE_EVENT(nvsvm_fault_cancel,
	    TP_PROTO(const char *dev, u64 va, u64 inst, u32 tag, u32 access, u32 reason),
	    TP_ARGS(dev, va, inst, tag, access, reason),
	    TP_STRUCT__entry(__string(dev, dev)
			     __field(u64, va)
			     __field(u64, inst)
			     __field(u32, tag)
			     __field(u32, access)
			     __field(u32, reason)),
	    TP_fast_assign(__assign_str(dev);
			   __entry->va = va;
			   __entry->inst = inst;
			   __entry->tag = tag;
			   __entry->access = access;
			   __entry->reason = reason;),
	    TP_printk("%s: va=%#llx inst=%#llx tag=%u access=%u reason=%u", __get_str(dev),
		      __entry->va, __entry->inst, __entry->tag, __entry->access,
		      __entry->reason)
);

TRACE_EVENT(nvsvm_svm_invalidate,
	    TP_PROTO(const struct nvsvm_vm *vm, u64 start, u64 end, int event, bool blockable,
		     bool done),
	    TP_ARGS(vm, start, end, event, blockable, done),
	    TP_STRUCT__entry(__field(const void *, vm)
			     __field(u64, start)
			     __field(u64, end)
			     __field(int, event)
			     __field(bool, blockable)
			     __field(bool, done)),
	    TP_fast_assign(__entry->vm = vm;
			   __entry->start = start;
			   __entry->end = end;
			   __entry->event = event;
			   __entry->blockable = blockable;
			   __entry->done = done;),
	    TP_printk("vm=%p range=%#llx-%#llx event=%d blockable=%d done=%d", __entry->vm,
		      __entry->start, __entry->end, __entry->event, __entry->blockable,
		      __entry->done)
);

#endif /* __NVSVM_TRACE_H__ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE nvsvm_trace
#include <trace/define_trace.h>
