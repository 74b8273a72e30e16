// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * nvsvm_vm_bind: VM_BIND maps BO ranges into the file's GPU VM and unmaps
 * them whole. Each malformed bind gets the errno the uAPI documents and
 * leaves the VM as it was; a mapping holds its BO; closing the file with
 * mappings in place tears them down.
 */

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "nvsvm_igt.h"

#define MiB (1ull << 20)

/* Where the subtests map: the user half, away from anything else. */
#define VA		0x100000000ull
/* Where check_vm_works() maps, apart from VA. */
#define PROBE_VA	0x700000000000ull
#define BO_PAGES	16

static int vm_bind(int fd, struct drm_nvsvm_vm_bind *args)
{
	return nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_VM_BIND, args);
}

static int gem_close_ioctl(int fd, uint32_t handle)
{
	struct drm_gem_close args = { .handle = handle };

	return nvsvm_igt_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &args);
}

static struct drm_nvsvm_vm_bind map_args(uint32_t handle, uint64_t bo_offset,
					 uint64_t va, uint64_t range)
{
	return (struct drm_nvsvm_vm_bind){
		.op = DRM_NVSVM_VM_BIND_OP_MAP,
		.handle = handle,
		.bo_offset = bo_offset,
		.va = va,
		.range = range,
	};
}

static struct drm_nvsvm_vm_bind unmap_args(uint64_t va, uint64_t range)
{
	return (struct drm_nvsvm_vm_bind){
		.op = DRM_NVSVM_VM_BIND_OP_UNMAP,
		.va = va,
		.range = range,
	};
}

static void print_args(const char *what, const struct drm_nvsvm_vm_bind *a)
{
	igt_info("%s: op %u flags %#x handle %u pad %#x bo_offset %#llx va %#llx range %#llx\n",
		 what, a->op, a->flags, a->handle, a->pad, (unsigned long long)a->bo_offset,
		 (unsigned long long)a->va, (unsigned long long)a->range);
}

/* VM_BIND @args must fail with @err; on a mismatch, say which bind it was. */
#define assert_bind_err(fd, args, err) \
	do { \
		struct drm_nvsvm_vm_bind __a = (args); \
		int __ret = vm_bind((fd), &__a); \
		if (__ret != (err)) \
			print_args("unexpected result for", &__a); \
		igt_assert_eq(__ret, (err)); \
	} while (0)

/* Fixture state lives outside main: subtests longjmp out of its frame. */
static struct nvsvm_device *dev;
static int fd = -1;
static uint64_t page;
static uint64_t bo_size;
static uint32_t bo;

static uint32_t bo_create(struct nvsvm_device *d, uint64_t size)
{
	uint64_t real = 0;
	uint32_t h = 0;

	igt_assert_eq(nvsvm_bo_create(d, size, &h, &real), 0);
	igt_assert_eq_u64(real, size);
	return h;
}

/* After a rejected bind the VM must still take a valid map and unmap. */
static void check_vm_works(void)
{
	igt_assert_eq(nvsvm_vm_map(dev, bo, 0, PROBE_VA, bo_size, 0), 0);
	igt_assert_eq(nvsvm_vm_unmap(dev, PROBE_VA, bo_size), 0);
}

/* Nothing is mapped in [@va, @va + @range): an UNMAP there is -EINVAL. */
static void check_unmapped(uint64_t va, uint64_t range)
{
	assert_bind_err(fd, unmap_args(va, range), -EINVAL);
}

/* The fixture BO is mapped whole at @va and nothing else is around it. */
static void check_mapped_alone(uint64_t va)
{
	check_unmapped(va - 4 * page, 4 * page);
	check_unmapped(va + bo_size, 4 * page);
	igt_assert_eq(nvsvm_vm_unmap(dev, va, bo_size), 0);
}

/*
 * With the fixture BO mapped at VA, @args (an UNMAP that would be valid
 * but for one field) is -EINVAL and leaves the mapping in place.
 */
static void check_unmap_rejected(struct drm_nvsvm_vm_bind args)
{
	igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA, bo_size, 0), 0);
	assert_bind_err(fd, args, -EINVAL);
	check_mapped_alone(VA);
}

/* A MAP at @va..@range overlapping the fixture BO mapped at VA is -EBUSY. */
static void check_overlap(uint64_t va, uint64_t range)
{
	igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA, bo_size, 0), 0);
	assert_bind_err(fd, map_args(bo, 0, va, range), -EBUSY);
	/* The existing mapping is intact and nothing of the new one was made. */
	if (va < VA)
		check_unmapped(va, VA - va);
	if (va + range > VA + bo_size)
		check_unmapped(VA + bo_size, va + range - (VA + bo_size));
	igt_assert_eq(nvsvm_vm_unmap(dev, VA, bo_size), 0);
	check_unmapped(va, range);
	check_vm_works();
}

igt_main
{
	igt_fixture {
		dev = nvsvm_igt_open(0);
		fd = nvsvm_device_fd(dev);
		nvsvm_igt_require_uapi(fd, 1);
		page = sysconf(_SC_PAGESIZE);
		bo_size = BO_PAGES * page;
		bo = bo_create(dev, bo_size);
	}

	igt_describe("A BO mapped whole unmaps, and the range can be mapped again.");
	igt_subtest("map-unmap") {
		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA, bo_size, 0), 0);
		igt_assert_eq(nvsvm_vm_unmap(dev, VA, bo_size), 0);
		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA, bo_size, 0), 0);
		check_mapped_alone(VA);
	}

	igt_describe("A READ_ONLY mapping maps and unmaps.");
	igt_subtest("map-unmap-read-only") {
		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA, bo_size, DRM_NVSVM_VM_BIND_READ_ONLY), 0);
		igt_assert_eq(nvsvm_vm_unmap(dev, VA, bo_size), 0);
		check_unmapped(VA, bo_size);
	}

	igt_describe("Part of a BO, from an offset inside it, maps and unmaps; so do its first and last page.");
	igt_subtest("map-unmap-partial") {
		igt_assert_eq(nvsvm_vm_map(dev, bo, 4 * page, VA, 4 * page, 0), 0);
		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA + MiB, page, 0), 0);
		igt_assert_eq(nvsvm_vm_map(dev, bo, bo_size - page, VA + 2 * MiB, page, 0), 0);
		igt_assert_eq(nvsvm_vm_unmap(dev, VA, 4 * page), 0);
		igt_assert_eq(nvsvm_vm_unmap(dev, VA + MiB, page), 0);
		igt_assert_eq(nvsvm_vm_unmap(dev, VA + 2 * MiB, page), 0);
		check_unmapped(VA, 3 * MiB);
	}

	igt_describe("Two adjacent mappings are both removed by one UNMAP covering both.");
	igt_subtest("map-adjacent-unmap-both") {
		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA, bo_size, 0), 0);
		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA + bo_size, bo_size,
					   DRM_NVSVM_VM_BIND_READ_ONLY), 0);
		igt_assert_eq(nvsvm_vm_unmap(dev, VA, 2 * bo_size), 0);
		check_unmapped(VA, bo_size);
		check_unmapped(VA + bo_size, bo_size);
	}

	igt_describe("One UNMAP removes many mappings, with holes between them.");
	igt_subtest("unmap-many") {
		enum { N = 256 };
		unsigned int i;

		for (i = 0; i < N; i++)
			igt_assert_eq(nvsvm_vm_map(dev, bo, (i % BO_PAGES) * page,
						   VA + 2 * i * page, page, 0), 0);
		igt_assert_eq(nvsvm_vm_unmap(dev, VA, 2 * N * page), 0);
		check_unmapped(VA, 2 * N * page);
		check_vm_works();
	}

	igt_describe("The same BO range maps at two VAs at once.");
	igt_subtest("map-same-bo-twice") {
		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA, bo_size, 0), 0);
		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA + 4 * MiB, bo_size, 0), 0);
		igt_assert_eq(nvsvm_vm_unmap(dev, VA, bo_size), 0);
		check_mapped_alone(VA + 4 * MiB);
	}

	igt_describe("A range ending exactly at DRM_NVSVM_VA_USER_END maps.");
	igt_subtest("map-user-end") {
		uint64_t va = DRM_NVSVM_VA_USER_END - bo_size;

		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, va, bo_size, 0), 0);
		igt_assert_eq(nvsvm_vm_unmap(dev, va, bo_size), 0);
		igt_assert_eq(nvsvm_vm_map(dev, bo, bo_size - page, DRM_NVSVM_VA_USER_END - page,
					   page, 0), 0);
		igt_assert_eq(nvsvm_vm_unmap(dev, DRM_NVSVM_VA_USER_END - page, page), 0);
	}

	igt_describe("A 4 MiB BO maps at 2 MiB-aligned and unaligned VAs, whole and in 2 MiB parts.");
	igt_subtest("map-large") {
		uint64_t size = 4 * MiB;
		uint32_t big = bo_create(dev, size);

		igt_assert_eq(nvsvm_vm_map(dev, big, 0, 0x40000000ull, size, 0), 0);
		igt_assert_eq(nvsvm_vm_map(dev, big, 0, 0x80000000ull + page, size, 0), 0);
		igt_assert_eq(nvsvm_vm_map(dev, big, 2 * MiB, 0xc0200000ull, 2 * MiB, 0), 0);
		igt_assert_eq(nvsvm_vm_map(dev, big, page, 0xd0000000ull, 2 * MiB, 0), 0);
		igt_assert_eq(nvsvm_vm_unmap(dev, 0x40000000ull, size), 0);
		igt_assert_eq(nvsvm_vm_unmap(dev, 0x80000000ull, size + MiB), 0);
		igt_assert_eq(nvsvm_vm_unmap(dev, 0xc0000000ull, 0x20000000ull), 0);
		igt_assert_eq(nvsvm_vm_unmap(dev, 0x40000000ull, 0x10000000ull), -EINVAL);
		igt_assert_eq(nvsvm_bo_close(dev, big), 0);
	}

	igt_describe("An unknown op, including the never-valid 0, is -EINVAL.");
	igt_subtest("invalid-op") {
		const uint32_t bad[] = { 0, DRM_NVSVM_VM_BIND_OP_UNMAP + 1, 0x80000000u, 0xffffffffu };
		unsigned int i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct drm_nvsvm_vm_bind args = map_args(bo, 0, VA, bo_size);

			args.op = bad[i];
			assert_bind_err(fd, args, -EINVAL);
		}
		check_unmapped(VA, bo_size);
		check_vm_works();
	}

	igt_describe("A MAP flag other than READ_ONLY is -EINVAL.");
	igt_subtest("map-invalid-flags") {
		unsigned int bit;

		for (bit = 1; bit <= 32; bit++) {
			struct drm_nvsvm_vm_bind args = map_args(bo, 0, VA, bo_size);

			args.flags = bit < 32 ? 1u << bit : ~0u;
			assert_bind_err(fd, args, -EINVAL);
		}
		check_unmapped(VA, bo_size);
		check_vm_works();
	}

	igt_describe("A non-zero pad in a MAP is -EINVAL.");
	igt_subtest("map-invalid-pad") {
		const uint32_t bad[] = { 1, 0x80000000u, 0xffffffffu };
		unsigned int i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct drm_nvsvm_vm_bind args = map_args(bo, 0, VA, bo_size);

			args.pad = bad[i];
			assert_bind_err(fd, args, -EINVAL);
		}
		check_unmapped(VA, bo_size);
		check_vm_works();
	}

	igt_describe("A non-zero pad in an UNMAP is -EINVAL and the mapping stays.");
	igt_subtest("unmap-invalid-pad") {
		struct drm_nvsvm_vm_bind args = unmap_args(VA, bo_size);

		args.pad = 1;
		check_unmap_rejected(args);
		args.pad = 0xffffffffu;
		check_unmap_rejected(args);
		check_vm_works();
	}

	igt_describe("An UNMAP with a non-zero handle (even a valid one) is -EINVAL and the mapping stays.");
	igt_subtest("unmap-invalid-handle") {
		struct drm_nvsvm_vm_bind args = unmap_args(VA, bo_size);

		args.handle = bo;
		check_unmap_rejected(args);
		args.handle = 0xffffffffu;
		check_unmap_rejected(args);
		check_vm_works();
	}

	igt_describe("An UNMAP with a non-zero bo_offset is -EINVAL and the mapping stays.");
	igt_subtest("unmap-invalid-bo-offset") {
		struct drm_nvsvm_vm_bind args = unmap_args(VA, bo_size);

		args.bo_offset = page;
		check_unmap_rejected(args);
		args.bo_offset = 1;
		check_unmap_rejected(args);
		args.bo_offset = ~0ull;
		check_unmap_rejected(args);
		check_vm_works();
	}

	igt_describe("An UNMAP with any flag, READ_ONLY included, is -EINVAL and the mapping stays.");
	igt_subtest("unmap-invalid-flags") {
		struct drm_nvsvm_vm_bind args = unmap_args(VA, bo_size);

		args.flags = DRM_NVSVM_VM_BIND_READ_ONLY;
		check_unmap_rejected(args);
		args.flags = 2;
		check_unmap_rejected(args);
		args.flags = 0xffffffffu;
		check_unmap_rejected(args);
		check_vm_works();
	}

	igt_describe("A va that is not page aligned is -EINVAL, for MAP and UNMAP.");
	igt_subtest("invalid-va-alignment") {
		const uint64_t bad[] = { 1, page / 2, page - 1 };
		unsigned int i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			assert_bind_err(fd, map_args(bo, 0, VA + bad[i], bo_size - page), -EINVAL);
		check_unmapped(VA, bo_size);
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			check_unmap_rejected(unmap_args(VA - page + bad[i], bo_size + page));
		check_vm_works();
	}

	igt_describe("A bo_offset that is not page aligned is -EINVAL.");
	igt_subtest("invalid-bo-offset-alignment") {
		const uint64_t bad[] = { 1, page / 2, page - 1, page + 8 };
		unsigned int i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			assert_bind_err(fd, map_args(bo, bad[i], VA, page), -EINVAL);
		check_unmapped(VA, bo_size);
		check_vm_works();
	}

	igt_describe("A range that is not page aligned is -EINVAL, for MAP and UNMAP.");
	igt_subtest("invalid-range-alignment") {
		const uint64_t bad[] = { 1, page - 1, page + 1, bo_size - 1 };
		unsigned int i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			assert_bind_err(fd, map_args(bo, 0, VA, bad[i]), -EINVAL);
		check_unmapped(VA, bo_size);
		check_unmap_rejected(unmap_args(VA, bo_size + 1));
		check_unmap_rejected(unmap_args(VA, bo_size + page - 1));
		check_vm_works();
	}

	igt_describe("A zero range is -EINVAL, for MAP and UNMAP.");
	igt_subtest("invalid-range-zero") {
		assert_bind_err(fd, map_args(bo, 0, VA, 0), -EINVAL);
		check_unmapped(VA, bo_size);
		check_unmap_rejected(unmap_args(VA, 0));
		check_vm_works();
	}

	igt_describe("A VA range that wraps past 2^64 is -EINVAL, for MAP and UNMAP.");
	igt_subtest("invalid-va-wrap") {
		/* va + range wraps to one page, or to exactly 0. */
		assert_bind_err(fd, map_args(bo, 0, VA, -VA + page), -EINVAL);
		assert_bind_err(fd, map_args(bo, 0, VA, -VA), -EINVAL);
		assert_bind_err(fd, map_args(bo, 0, -page, 2 * page), -EINVAL);
		assert_bind_err(fd, map_args(bo, 0, -page, page), -EINVAL);
		check_unmapped(VA, bo_size);
		check_unmap_rejected(unmap_args(VA, -VA + page));
		check_unmap_rejected(unmap_args(VA, -VA));
		check_unmap_rejected(unmap_args(-page, 2 * page));
		check_vm_works();
	}

	igt_describe("A MAP range ending above DRM_NVSVM_VA_USER_END is -EINVAL.");
	igt_subtest("map-above-user-end") {
		const uint64_t end = DRM_NVSVM_VA_USER_END;

		assert_bind_err(fd, map_args(bo, 0, end - page, 2 * page), -EINVAL);
		assert_bind_err(fd, map_args(bo, 0, end - bo_size + page, bo_size), -EINVAL);
		check_unmapped(end - bo_size, bo_size);
		check_vm_works();
	}

	igt_describe("A MAP at a va in the upper (kernel) half is -EINVAL.");
	igt_subtest("map-upper-half") {
		const uint64_t bad[] = {
			DRM_NVSVM_VA_USER_END, DRM_NVSVM_VA_USER_END + bo_size,
			1ull << 48, 1ull << 63, 0xffff800000000000ull, -bo_size,
		};
		unsigned int i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			assert_bind_err(fd, map_args(bo, 0, bad[i], bo_size), -EINVAL);
		check_vm_works();
	}

	igt_describe("An UNMAP range ending above DRM_NVSVM_VA_USER_END is -EINVAL and the mapping stays.");
	igt_subtest("unmap-above-user-end") {
		const uint64_t end = DRM_NVSVM_VA_USER_END;

		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, end - bo_size, bo_size, 0), 0);
		assert_bind_err(fd, unmap_args(end - bo_size, bo_size + page), -EINVAL);
		assert_bind_err(fd, unmap_args(end - bo_size, 1ull << 47), -EINVAL);
		assert_bind_err(fd, unmap_args(end, page), -EINVAL);
		assert_bind_err(fd, unmap_args(0xffff800000000000ull, page), -EINVAL);
		igt_assert_eq(nvsvm_vm_unmap(dev, end - bo_size, bo_size), 0);
		check_vm_works();
	}

	igt_describe("A BO range that ends beyond the BO is -EINVAL.");
	igt_subtest("map-beyond-bo") {
		assert_bind_err(fd, map_args(bo, 0, VA, bo_size + page), -EINVAL);
		assert_bind_err(fd, map_args(bo, page, VA, bo_size), -EINVAL);
		assert_bind_err(fd, map_args(bo, bo_size - page, VA, 2 * page), -EINVAL);
		assert_bind_err(fd, map_args(bo, bo_size, VA, page), -EINVAL);
		assert_bind_err(fd, map_args(bo, 1ull << 40, VA, page), -EINVAL);
		check_unmapped(VA, 2 * bo_size);
		check_vm_works();
	}

	igt_describe("A BO range whose end wraps past 2^64 is -EINVAL.");
	igt_subtest("map-bo-offset-wrap") {
		/* bo_offset + range wraps to one page, or to exactly 0. */
		assert_bind_err(fd, map_args(bo, -page, VA, 2 * page), -EINVAL);
		assert_bind_err(fd, map_args(bo, -page, VA, page), -EINVAL);
		assert_bind_err(fd, map_args(bo, -bo_size, VA, bo_size), -EINVAL);
		check_unmapped(VA, 2 * bo_size);
		check_vm_works();
	}

	igt_describe("A MAP of a handle that does not exist, or no longer does, is -ENOENT.");
	igt_subtest("map-invalid-handle") {
		uint32_t h = bo_create(dev, page);
		const uint32_t bad[] = { 0, h + 1, h + 1000, 0xffffffffu };
		unsigned int i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			assert_bind_err(fd, map_args(bad[i], 0, VA, page), -ENOENT);
		igt_assert_eq(nvsvm_bo_close(dev, h), 0);
		assert_bind_err(fd, map_args(h, 0, VA, page), -ENOENT);
		check_unmapped(VA, bo_size);
		check_vm_works();
	}

	igt_describe("A MAP of exactly a mapped range is -EBUSY.");
	igt_subtest("map-overlap-exact") {
		check_overlap(VA, bo_size);
	}

	igt_describe("A MAP overlapping the start of a mapping is -EBUSY.");
	igt_subtest("map-overlap-start") {
		check_overlap(VA - 4 * page, 8 * page);
		check_overlap(VA - 4 * page, 5 * page);
	}

	igt_describe("A MAP overlapping the end of a mapping is -EBUSY.");
	igt_subtest("map-overlap-end") {
		check_overlap(VA + bo_size - 4 * page, 8 * page);
		check_overlap(VA + bo_size - page, 4 * page);
	}

	igt_describe("A MAP containing a mapping is -EBUSY.");
	igt_subtest("map-overlap-containing") {
		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA, 4 * page, 0), 0);
		assert_bind_err(fd, map_args(bo, 0, VA - 4 * page, bo_size), -EBUSY);
		assert_bind_err(fd, map_args(bo, 0, VA, bo_size), -EBUSY);
		assert_bind_err(fd, map_args(bo, 0, VA - page, 6 * page), -EBUSY);
		check_unmapped(VA - 4 * page, 4 * page);
		check_unmapped(VA + 4 * page, 4 * page);
		igt_assert_eq(nvsvm_vm_unmap(dev, VA, 4 * page), 0);
		check_vm_works();
	}

	igt_describe("A MAP inside a mapping is -EBUSY.");
	igt_subtest("map-overlap-inside") {
		check_overlap(VA + page, page);
		check_overlap(VA + 4 * page, bo_size - 8 * page);
	}

	igt_describe("A MAP overlapping two mappings and the hole between them is -EBUSY.");
	igt_subtest("map-overlap-two") {
		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA, 4 * page, 0), 0);
		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA + 8 * page, 4 * page, 0), 0);
		assert_bind_err(fd, map_args(bo, 0, VA + 2 * page, 8 * page), -EBUSY);
		check_unmapped(VA + 4 * page, 4 * page);
		igt_assert_eq(nvsvm_vm_unmap(dev, VA, 12 * page), 0);
		check_vm_works();
	}

	igt_describe("An UNMAP that would split a mapping is -EINVAL and the mapping stays.");
	igt_subtest("unmap-split") {
		check_unmap_rejected(unmap_args(VA, page));
		check_unmap_rejected(unmap_args(VA, bo_size - page));
		check_unmap_rejected(unmap_args(VA + page, bo_size - 2 * page));
		check_unmap_rejected(unmap_args(VA + page, bo_size - page));
		check_unmap_rejected(unmap_args(VA - page, 2 * page));
		check_unmap_rejected(unmap_args(VA + bo_size - page, 2 * page));
		check_vm_works();
	}

	igt_describe("An UNMAP covering one mapping whole but splitting another removes neither.");
	igt_subtest("unmap-split-leaves-vm-unchanged") {
		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA, 4 * page, 0), 0);
		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA + 4 * page, 4 * page, 0), 0);
		assert_bind_err(fd, unmap_args(VA, 6 * page), -EINVAL);
		assert_bind_err(fd, unmap_args(VA + 2 * page, 6 * page), -EINVAL);
		igt_assert_eq(nvsvm_vm_unmap(dev, VA, 4 * page), 0);
		igt_assert_eq(nvsvm_vm_unmap(dev, VA + 4 * page, 4 * page), 0);
		check_vm_works();
	}

	igt_describe("An UNMAP of a range holding no mapping is -EINVAL.");
	igt_subtest("unmap-empty") {
		check_unmapped(VA, page);
		check_unmapped(VA, 1ull << 40);
		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA, bo_size, 0), 0);
		check_unmapped(VA - bo_size, bo_size);
		check_unmapped(VA + bo_size, bo_size);
		igt_assert_eq(nvsvm_vm_unmap(dev, VA, bo_size), 0);
		check_unmapped(VA, bo_size);
		check_vm_works();
	}

	igt_describe("A VM_BIND argument that cannot be read is -EFAULT; the kernel never writes it.");
	igt_subtest("invalid-pointer") {
		struct drm_nvsvm_vm_bind *args;

		nvsvm_igt_assert_unreadable_arg(fd, DRM_IOCTL_NVSVM_VM_BIND);

		/* Straddling the end of a mapping. */
		args = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		igt_assert(args != MAP_FAILED);
		igt_assert_eq(munmap((char *)args + page, page), 0);
		igt_assert_eq(vm_bind(fd, (void *)((char *)args + page - 8)), -EFAULT);

		/* Read-only memory is enough: VM_BIND is a write-only ioctl. */
		*args = map_args(bo, 0, VA, bo_size);
		igt_assert_eq(mprotect(args, page, PROT_READ), 0);
		igt_assert_eq(vm_bind(fd, args), 0);
		munmap(args, page);
		check_mapped_alone(VA);
	}

	igt_describe("A mapping holds its BO: after GEM_CLOSE the handle is gone but the mapping stays and unmaps.");
	igt_subtest("map-outlives-handle") {
		uint64_t size = 8 * page;
		uint32_t h = bo_create(dev, size);
		struct drm_nvsvm_bo_mmap_offset off = { .handle = h };

		igt_assert_eq(nvsvm_vm_map(dev, h, 0, VA, size, 0), 0);
		igt_assert_eq(nvsvm_vm_map(dev, h, page, VA + MiB, page, DRM_NVSVM_VM_BIND_READ_ONLY), 0);
		igt_assert_eq(nvsvm_bo_close(dev, h), 0);

		igt_assert_eq(nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_BO_MMAP_OFFSET, &off), -ENOENT);
		assert_bind_err(fd, map_args(h, 0, VA + 2 * MiB, page), -ENOENT);
		assert_bind_err(fd, map_args(bo, 0, VA, page), -EBUSY);

		igt_assert_eq(nvsvm_vm_unmap(dev, VA, size), 0);
		igt_assert_eq(nvsvm_vm_unmap(dev, VA + MiB, page), 0);
		check_unmapped(VA, 3 * MiB);
		check_vm_works();
	}

	igt_describe("Each file has its own VM and handles: the same VA maps in two files independently.");
	igt_subtest("vm-per-file") {
		struct nvsvm_device *other = nvsvm_igt_open(0);
		int ofd = nvsvm_device_fd(other);
		uint32_t h;

		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA, bo_size, 0), 0);
		/* The other file has no BO yet: the fixture's handle is unknown there. */
		assert_bind_err(ofd, map_args(bo, 0, VA, bo_size), -ENOENT);
		assert_bind_err(ofd, unmap_args(VA, bo_size), -EINVAL);

		h = bo_create(other, bo_size);
		igt_assert_eq(nvsvm_vm_map(other, h, 0, VA, bo_size, 0), 0);
		igt_assert_eq(nvsvm_vm_unmap(other, VA, bo_size), 0);
		igt_assert_eq(nvsvm_vm_map(other, h, 0, VA, bo_size, 0), 0);
		check_mapped_alone(VA);
		igt_assert_eq(nvsvm_vm_unmap(other, VA, bo_size), 0);
		igt_assert_eq(nvsvm_bo_close(other, h), 0);
		nvsvm_device_close(other);
	}

	igt_describe("Closing a DRM file with mappings in place (their handles open or closed) works.");
	igt_subtest("close-file-with-mappings") {
		unsigned int round;

		for (round = 0; round < 3; round++) {
			int ofd = open(nvsvm_device_node(dev), O_RDWR | O_CLOEXEC);
			struct drm_nvsvm_bo_create a = { .size = bo_size }, b = { .size = 4 * MiB };
			struct drm_nvsvm_vm_bind args;

			igt_assert_lte(0, ofd);
			igt_assert_eq(nvsvm_igt_ioctl(ofd, DRM_IOCTL_NVSVM_BO_CREATE, &a), 0);
			igt_assert_eq(nvsvm_igt_ioctl(ofd, DRM_IOCTL_NVSVM_BO_CREATE, &b), 0);

			args = map_args(a.handle, 0, VA, bo_size);
			igt_assert_eq(vm_bind(ofd, &args), 0);
			args = map_args(a.handle, 0, VA + MiB, bo_size);
			args.flags = DRM_NVSVM_VM_BIND_READ_ONLY;
			igt_assert_eq(vm_bind(ofd, &args), 0);
			args = map_args(b.handle, 0, 0x40000000ull, 4 * MiB);
			igt_assert_eq(vm_bind(ofd, &args), 0);
			args = map_args(b.handle, 2 * MiB, DRM_NVSVM_VA_USER_END - 2 * MiB, 2 * MiB);
			igt_assert_eq(vm_bind(ofd, &args), 0);
			/* b is held by its mappings only. */
			igt_assert_eq(gem_close_ioctl(ofd, b.handle), 0);

			igt_assert_eq(close(ofd), 0);
		}

		/* This file's VM is untouched, and the same VAs are free in it. */
		igt_assert_eq(nvsvm_vm_map(dev, bo, 0, VA, bo_size, 0), 0);
		check_mapped_alone(VA);
		check_vm_works();
	}

	igt_describe("Closing a DRM file whose BO is both GPU-mapped and CPU-mapped leaves the CPU mapping usable.");
	igt_subtest("close-file-with-cpu-mapping") {
		struct nvsvm_device *other = nvsvm_igt_open(0);
		uint64_t size = 4 * page, i;
		uint32_t h = bo_create(other, size);
		volatile uint64_t *p;
		void *ptr = NULL;

		igt_assert_eq(nvsvm_bo_mmap(other, h, size, &ptr), 0);
		p = ptr;
		for (i = 0; i < size / 8; i++)
			p[i] = i ^ 0x5555;
		igt_assert_eq(nvsvm_vm_map(other, h, 0, VA, size, 0), 0);
		igt_assert_eq(nvsvm_bo_close(other, h), 0);
		nvsvm_device_close(other);

		for (i = 0; i < size / 8; i++)
			igt_assert_eq_u64(p[i], i ^ 0x5555);
		for (i = 0; i < size / 8; i++)
			p[i] = ~i;
		for (i = 0; i < size / 8; i++)
			igt_assert_eq_u64(p[i], ~i);
		igt_assert_eq(munmap(ptr, size), 0);
	}

	igt_fixture {
		nvsvm_bo_close(dev, bo);
		nvsvm_device_close(dev);
	}
}
