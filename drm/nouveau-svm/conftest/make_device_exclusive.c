// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * make_device_exclusive() takes one address and returns the page, its folio
 * locked (Linux 6.15); before, make_device_exclusive_range() filled an array.
 */
#include <linux/mm.h>
#include <linux/rmap.h>

struct page *nvsvm_conftest(struct mm_struct *mm, unsigned long addr, void *owner,
			    struct folio **foliop);
struct page *nvsvm_conftest(struct mm_struct *mm, unsigned long addr, void *owner,
			    struct folio **foliop)
{
	return make_device_exclusive(mm, addr, owner, foliop);
}
