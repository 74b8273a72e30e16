// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * nvsvm_bo: buffer objects. BO_CREATE rounds sizes up to the page size and
 * rejects what the uAPI says it rejects; BO_MMAP_OFFSET gives an offset at
 * which the DRM file maps the BO coherently, zero-filled; GEM_CLOSE releases
 * the handle while a CPU mapping keeps the BO alive.
 */

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include "nvsvm_igt.h"

#define MiB (1ull << 20)

static int bo_create_ioctl(int fd, struct drm_nvsvm_bo_create *args)
{
	return nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_BO_CREATE, args);
}

static int mmap_offset_ioctl(int fd, struct drm_nvsvm_bo_mmap_offset *args)
{
	return nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_BO_MMAP_OFFSET, args);
}

static int gem_close_ioctl(int fd, uint32_t handle)
{
	struct drm_gem_close args = { .handle = handle };

	return nvsvm_igt_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &args);
}

/* Create a BO of @size bytes, checking the size the kernel reports. */
static uint32_t bo_create(struct nvsvm_device *d, uint64_t size, uint64_t expect)
{
	uint64_t real = 0;
	uint32_t handle = 0;

	igt_assert_eq(nvsvm_bo_create(d, size, &handle, &real), 0);
	igt_assert_neq(handle, 0);
	igt_assert_eq_u64(real, expect);
	return handle;
}

static void *bo_map(struct nvsvm_device *d, uint32_t handle, uint64_t size)
{
	void *ptr = NULL;

	igt_assert_eq(nvsvm_bo_mmap(d, handle, size, &ptr), 0);
	igt_assert(ptr);
	return ptr;
}

/* A value for each 64-bit word that differs per BO, page and word. */
static uint64_t pattern(uint32_t seed, uint64_t word)
{
	return ((uint64_t)seed << 48) ^ (word * 0x9e3779b97f4a7c15ull) ^ word;
}

static void fill(uint64_t *p, uint64_t size, uint32_t seed)
{
	uint64_t i;

	for (i = 0; i < size / 8; i++)
		p[i] = pattern(seed, i);
}

static void check(const uint64_t *p, uint64_t size, uint32_t seed)
{
	uint64_t i;

	for (i = 0; i < size / 8; i++)
		igt_assert_f(p[i] == pattern(seed, i),
			     "byte offset %#llx: %#llx, expected %#llx\n",
			     (unsigned long long)(i * 8),
			     (unsigned long long)p[i], (unsigned long long)pattern(seed, i));
}

static void check_zero(const uint64_t *p, uint64_t size)
{
	uint64_t i;

	for (i = 0; i < size / 8; i++)
		igt_assert_f(p[i] == 0, "byte offset %#llx of a new BO holds %#llx, not 0\n",
			     (unsigned long long)(i * 8), (unsigned long long)p[i]);
}

/* Fixture state lives outside main: subtests longjmp out of its frame. */
static struct nvsvm_device *dev;
static int fd = -1;
static uint64_t page;

igt_main
{
	igt_fixture {
		dev = nvsvm_igt_open(0);
		fd = nvsvm_device_fd(dev);
		nvsvm_igt_require_uapi(fd, 1);
		page = sysconf(_SC_PAGESIZE);
	}

	igt_describe("Small sizes are rounded up to the page size, which BO_CREATE reports.");
	igt_subtest("create-small") {
		const uint64_t sizes[][2] = {
			{ 1, page }, { page - 1, page }, { page, page },
			{ page + 1, 2 * page }, { 3 * page - 5, 3 * page },
		};
		unsigned int i;

		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			uint32_t h = bo_create(dev, sizes[i][0], sizes[i][1]);

			igt_assert_eq(nvsvm_bo_close(dev, h), 0);
		}
	}

	igt_describe("A 1 MiB BO is created at exactly that size.");
	igt_subtest("create-1mib") {
		uint32_t h = bo_create(dev, MiB, MiB);

		igt_assert_eq(nvsvm_bo_close(dev, h), 0);
	}

	igt_describe("A 64 MiB BO (bigger than VRAM: BOs are system memory) is created, touched and closed.");
	igt_subtest("create-64mib") {
		uint64_t size = 64 * MiB, off;
		uint32_t h = bo_create(dev, size, size);
		volatile uint8_t *p = bo_map(dev, h, size);

		for (off = 0; off < size; off += 2 * MiB)
			p[off] = 0x5a;
		p[size - 1] = 0xa5;
		igt_assert_eq(p[0], 0x5a);
		igt_assert_eq(p[size - 1], 0xa5);
		igt_assert_eq(munmap((void *)p, size), 0);
		igt_assert_eq(nvsvm_bo_close(dev, h), 0);
	}

	igt_describe("Every BO_CREATE field the kernel writes back is written: size and handle.");
	igt_subtest("create-outputs") {
		struct drm_nvsvm_bo_create args = { .size = page + 1, .handle = 0xdeadbeef };
		struct drm_nvsvm_bo_create args2 = { .size = page, .handle = 0xdeadbeef };

		igt_assert_eq(bo_create_ioctl(fd, &args), 0);
		igt_assert_eq(bo_create_ioctl(fd, &args2), 0);
		igt_assert_eq_u64(args.size, 2 * page);
		igt_assert_eq_u64(args2.size, page);
		igt_assert_eq(args.flags, 0);
		igt_assert_neq(args.handle, 0);
		igt_assert_neq(args.handle, args2.handle);
		igt_assert_eq(gem_close_ioctl(fd, args.handle), 0);
		igt_assert_eq(gem_close_ioctl(fd, args2.handle), 0);
	}

	igt_describe("A zero size is -EINVAL.");
	igt_subtest("create-size-zero") {
		struct drm_nvsvm_bo_create args = { .size = 0 };

		igt_assert_eq(bo_create_ioctl(fd, &args), -EINVAL);
	}

	igt_describe("A size that overflows when rounded up to the page size is -EINVAL.");
	igt_subtest("create-size-overflow") {
		const uint64_t bad[] = { ~0ull, ~0ull - page + 2, ~0ull - 1 };
		unsigned int i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct drm_nvsvm_bo_create args = { .size = bad[i] };

			igt_assert_eq(bo_create_ioctl(fd, &args), -EINVAL);
		}
	}

	igt_describe("A BO of 1 TiB or more never fits the device's 1 TiB of mmap offset space: -ENOSPC, and no handle; a large BO below it is created (its pages are allocated only when used).");
	igt_subtest("create-1tib") {
		const uint64_t tib = 1ull << 40;
		const uint64_t bad[] = {
			tib, tib + page, 2 * tib, 1ull << 62, 1ull << 63, ~0ull - 2 * page + 1,
		};
		struct drm_nvsvm_bo_create args;
		unsigned int i;
		uint32_t h;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			args = (struct drm_nvsvm_bo_create){ .size = bad[i] };
			igt_assert_f(bo_create_ioctl(fd, &args) == -ENOSPC,
				     "size %#llx not -ENOSPC\n", (unsigned long long)bad[i]);
			igt_assert_eq(args.handle, 0);
		}
		/* Nothing was left behind: a BO of half that is created and works. */
		h = bo_create(dev, tib / 2, tib / 2);
		igt_assert_eq(gem_close_ioctl(fd, h), 0);
		h = bo_create(dev, page, page);
		igt_assert_eq(gem_close_ioctl(fd, h), 0);
	}

	igt_describe("BO_CREATE defines no flags: each flag bit, and all of them, is -EINVAL.");
	igt_subtest("create-invalid-flags") {
		unsigned int bit;

		for (bit = 0; bit <= 32; bit++) {
			struct drm_nvsvm_bo_create args = {
				.size = page,
				.flags = bit < 32 ? 1u << bit : ~0u,
			};

			igt_assert_f(bo_create_ioctl(fd, &args) == -EINVAL,
				     "flags %#x accepted or not -EINVAL\n", args.flags);
		}
	}

	igt_describe("A BO_CREATE argument that cannot be read or written back is -EFAULT.");
	igt_subtest("create-invalid-pointer") {
		struct drm_nvsvm_bo_create args = { .size = page };

		nvsvm_igt_assert_unreadable_arg(fd, DRM_IOCTL_NVSVM_BO_CREATE);
		nvsvm_igt_assert_unwritable_arg(fd, DRM_IOCTL_NVSVM_BO_CREATE,
						&args, sizeof(args));
	}

	igt_describe("BO_MMAP_OFFSET gives a page-aligned offset, the same each time, different per BO.");
	igt_subtest("mmap-offset") {
		uint32_t a = bo_create(dev, page, page), b = bo_create(dev, page, page);
		struct drm_nvsvm_bo_mmap_offset oa = { .handle = a }, oa2 = { .handle = a };
		struct drm_nvsvm_bo_mmap_offset ob = { .handle = b };

		igt_assert_eq(mmap_offset_ioctl(fd, &oa), 0);
		igt_assert_eq(mmap_offset_ioctl(fd, &oa2), 0);
		igt_assert_eq(mmap_offset_ioctl(fd, &ob), 0);
		igt_assert_neq_u64(oa.offset, 0);
		igt_assert_eq_u64(oa.offset % page, 0);
		igt_assert_eq_u64(ob.offset % page, 0);
		igt_assert_eq_u64(oa.offset, oa2.offset);
		igt_assert_neq_u64(oa.offset, ob.offset);
		igt_assert_eq(nvsvm_bo_close(dev, a), 0);
		igt_assert_eq(nvsvm_bo_close(dev, b), 0);
	}

	igt_describe("BO_MMAP_OFFSET of an unknown handle (never created, or closed) is -ENOENT.");
	igt_subtest("mmap-offset-invalid-handle") {
		uint32_t h = bo_create(dev, page, page);
		const uint32_t bad[] = { 0, h + 1, h + 1000, 0x7fffffff, 0xffffffff };
		struct drm_nvsvm_bo_mmap_offset args;
		unsigned int i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			args = (struct drm_nvsvm_bo_mmap_offset){ .handle = bad[i] };
			igt_assert_f(mmap_offset_ioctl(fd, &args) == -ENOENT,
				     "handle %u: not -ENOENT\n", bad[i]);
		}

		igt_assert_eq(nvsvm_bo_close(dev, h), 0);
		args = (struct drm_nvsvm_bo_mmap_offset){ .handle = h };
		igt_assert_eq(mmap_offset_ioctl(fd, &args), -ENOENT);
	}

	igt_describe("A non-zero pad in BO_MMAP_OFFSET is -EINVAL.");
	igt_subtest("mmap-offset-invalid-pad") {
		const uint32_t bad[] = { 1, 0x80000000u, 0xffffffffu };
		uint32_t h = bo_create(dev, page, page);
		unsigned int i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct drm_nvsvm_bo_mmap_offset args = { .handle = h, .pad = bad[i] };

			igt_assert_eq(mmap_offset_ioctl(fd, &args), -EINVAL);
		}
		igt_assert_eq(nvsvm_bo_close(dev, h), 0);
	}

	igt_describe("A BO_MMAP_OFFSET argument that cannot be read or written back is -EFAULT.");
	igt_subtest("mmap-offset-invalid-pointer") {
		uint32_t h = bo_create(dev, page, page);
		struct drm_nvsvm_bo_mmap_offset args = { .handle = h };

		nvsvm_igt_assert_unreadable_arg(fd, DRM_IOCTL_NVSVM_BO_MMAP_OFFSET);
		nvsvm_igt_assert_unwritable_arg(fd, DRM_IOCTL_NVSVM_BO_MMAP_OFFSET,
						&args, sizeof(args));
		igt_assert_eq(nvsvm_bo_close(dev, h), 0);
	}

	igt_describe("A pattern written over every page through a CPU mapping reads back through a new one.");
	igt_subtest("mmap-roundtrip") {
		uint64_t size = MiB + 3 * page;
		uint32_t h = bo_create(dev, size, size);
		uint64_t *p = bo_map(dev, h, size);

		fill(p, size, h);
		check(p, size, h);
		igt_assert_eq(munmap(p, size), 0);

		p = bo_map(dev, h, size);
		check(p, size, h);
		igt_assert_eq(munmap(p, size), 0);
		igt_assert_eq(nvsvm_bo_close(dev, h), 0);
	}

	igt_describe("Two CPU mappings of one BO see each other's writes.");
	igt_subtest("mmap-coherent") {
		uint64_t size = 16 * page;
		uint32_t h = bo_create(dev, size, size);
		uint64_t *a = bo_map(dev, h, size);
		uint64_t *b = bo_map(dev, h, size);

		igt_assert(a != b);
		fill(a, size, 1);
		check(b, size, 1);
		fill(b, size, 2);
		check(a, size, 2);
		a[size / 8 - 1] = 0x1234;
		igt_assert_eq_u64(b[size / 8 - 1], 0x1234);
		igt_assert_eq(munmap(a, size), 0);
		check(b, size - 8, 2);
		igt_assert_eq(munmap(b, size), 0);
		igt_assert_eq(nvsvm_bo_close(dev, h), 0);
	}

	igt_describe("A new BO reads as zeroes, also after other BOs were dirtied and freed.");
	igt_subtest("mmap-zero-on-create") {
		uint64_t size = 4 * MiB;
		unsigned int round;

		for (round = 0; round < 4; round++) {
			uint32_t h = bo_create(dev, size, size);
			uint64_t *p = bo_map(dev, h, size);

			check_zero(p, size);
			memset(p, 0xa5, size);
			igt_assert_eq(munmap(p, size), 0);
			igt_assert_eq(nvsvm_bo_close(dev, h), 0);
		}
	}

	igt_describe("mmap() of more than the BO, or at an offset BO_MMAP_OFFSET did not give, fails.");
	igt_subtest("mmap-invalid") {
		uint32_t h = bo_create(dev, 2 * page, 2 * page);
		struct drm_nvsvm_bo_mmap_offset args = { .handle = h };
		void *p;

		igt_assert_eq(mmap_offset_ioctl(fd, &args), 0);
		p = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, args.offset);
		igt_assert(p == MAP_FAILED);
		p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, args.offset + page);
		igt_assert(p == MAP_FAILED);
		p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, args.offset + 256 * MiB);
		igt_assert(p == MAP_FAILED);

		/* Once the handle (and so the BO) is gone, its offset maps nothing. */
		igt_assert_eq(nvsvm_bo_close(dev, h), 0);
		p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, args.offset);
		igt_assert(p == MAP_FAILED);
	}

	igt_describe("Handles and mmap offsets are per file: another file can use neither.");
	igt_subtest("per-file") {
		struct nvsvm_device *other = nvsvm_igt_open(0);
		int ofd = nvsvm_device_fd(other);
		uint32_t h = bo_create(dev, page, page);
		struct drm_nvsvm_bo_mmap_offset args = { .handle = h };
		void *p;

		igt_assert_eq(mmap_offset_ioctl(fd, &args), 0);
		p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, ofd, args.offset);
		igt_assert(p == MAP_FAILED);

		args = (struct drm_nvsvm_bo_mmap_offset){ .handle = h };
		igt_assert_eq(mmap_offset_ioctl(ofd, &args), -ENOENT);
		igt_assert_eq(gem_close_ioctl(ofd, h), -EINVAL);

		nvsvm_device_close(other);
		igt_assert_eq(nvsvm_bo_close(dev, h), 0);
	}

	igt_describe("GEM_CLOSE of a handle that does not exist, or no longer does, is -EINVAL.");
	igt_subtest("close-invalid-handle") {
		uint32_t h = bo_create(dev, page, page);
		const uint32_t bad[] = { 0, h + 1, h + 1000, 0xffffffff };
		unsigned int i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			igt_assert_f(gem_close_ioctl(fd, bad[i]) == -EINVAL,
				     "handle %u: not -EINVAL\n", bad[i]);
		igt_assert_eq(gem_close_ioctl(fd, h), 0);
		igt_assert_eq(gem_close_ioctl(fd, h), -EINVAL);
	}

	igt_describe("A CPU mapping holds its BO: after GEM_CLOSE the mapping reads and writes until munmap.");
	igt_subtest("mmap-outlives-handle") {
		uint64_t size = 8 * page;
		uint32_t h = bo_create(dev, size, size);
		uint64_t *a = bo_map(dev, h, size);
		uint64_t *b = bo_map(dev, h, size);
		struct drm_nvsvm_bo_mmap_offset args = { .handle = h };

		fill(a, size, 3);
		igt_assert_eq(nvsvm_bo_close(dev, h), 0);
		igt_assert_eq(mmap_offset_ioctl(fd, &args), -ENOENT);

		check(a, size, 3);
		check(b, size, 3);
		fill(a, size, 4);
		check(b, size, 4);
		igt_assert_eq(munmap(a, size), 0);
		check(b, size, 4);
		fill(b, size, 5);
		check(b, size, 5);
		igt_assert_eq(munmap(b, size), 0);
	}

	igt_describe("A CPU mapping outlives the DRM file it came from.");
	igt_subtest("mmap-outlives-file") {
		struct nvsvm_device *other = nvsvm_igt_open(0);
		uint64_t size = 4 * page;
		uint32_t h = bo_create(other, size, size);
		uint64_t *p = bo_map(other, h, size);

		fill(p, size, 6);
		nvsvm_device_close(other);
		check(p, size, 6);
		fill(p, size, 7);
		check(p, size, 7);
		igt_assert_eq(munmap(p, size), 0);
	}

	igt_describe("256 BOs at a time, each its own memory, created and closed again and again.");
	igt_subtest("many-bos") {
		enum { NBO = 256, ROUNDS = 8 };
		uint32_t handles[NBO];
		unsigned int round, i;

		for (round = 0; round < ROUNDS; round++) {
			for (i = 0; i < NBO; i++) {
				uint64_t size = (i % 16 + 1) * 4 * page;
				uint64_t *p, off;
				unsigned int j;

				handles[i] = bo_create(dev, size, size);
				for (j = 0; j < i; j++)
					igt_assert_neq(handles[j], handles[i]);
				p = bo_map(dev, handles[i], size);
				for (off = 0; off < size / 8; off += page / 8)
					p[off] = ((uint64_t)round << 32) | i;
				igt_assert_eq(munmap(p, size), 0);
			}
			for (i = 0; i < NBO; i++) {
				uint64_t size = (i % 16 + 1) * 4 * page;
				uint64_t *p = bo_map(dev, handles[i], size), off;

				for (off = 0; off < size / 8; off += page / 8)
					igt_assert_eq_u64(p[off], ((uint64_t)round << 32) | i);
				igt_assert_eq(munmap(p, size), 0);
				igt_assert_eq(nvsvm_bo_close(dev, handles[i]), 0);
			}
		}
	}

	igt_fixture {
		nvsvm_device_close(dev);
	}
}
