// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * nvsvm_exec: channels and job submission (uAPI 1.2). Every malformed
 * CHANNEL_ALLOC, CHANNEL_FREE, EXEC and CHANNEL_GET_ERROR gets the errno
 * the uAPI documents and queues nothing; then each push buffer method is
 * checked through the memory it writes, and the scheduling rules through
 * syncobjs: jobs of a channel in order, in-syncs across channels, binary
 * and timeline points, markers, many channels at once.
 */

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include "nvsvm_igt.h"

#define MiB (1ull << 20)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define READ(x) NVSVM_IGT_READ(x)
#define WRITE(x, v) NVSVM_IGT_WRITE(x, v)
#define TIMEOUT NVSVM_IGT_JOB_TIMEOUT_MS

/* How long a job that must stay blocked is watched, in microseconds. */
#define BLOCKED_US	300000

/* Fixture state lives outside main: subtests longjmp out of its frame. */
static struct nvsvm_device *dev;
static int fd = -1;
static uint64_t page;
static struct nvsvm_igt_bo arena;
static uint32_t ch;
/* Written by check_channel_works()'s job; by no rejected job. */
static uint64_t *probe, *sentinel;
static uint64_t probe_seq;

#define VA(p) nvsvm_igt_bo_va(&arena, (p))

/* Forget what earlier subtests took from the arena. */
static void reset(void)
{
	arena.used = 0;
	probe = nvsvm_igt_bo_alloc(&arena, 8, 8);
	sentinel = nvsvm_igt_bo_alloc(&arena, 8, 8);
}

static int exec_ioctl(int f, struct drm_nvsvm_exec *args)
{
	return nvsvm_igt_ioctl(f, DRM_IOCTL_NVSVM_EXEC, args);
}

static int get_error_ioctl(int f, struct drm_nvsvm_channel_get_error *args)
{
	return nvsvm_igt_ioctl(f, DRM_IOCTL_NVSVM_CHANNEL_GET_ERROR, args);
}

static int channel_alloc_ioctl(int f, struct drm_nvsvm_channel_alloc *args)
{
	return nvsvm_igt_ioctl(f, DRM_IOCTL_NVSVM_CHANNEL_ALLOC, args);
}

static int channel_free_ioctl(int f, struct drm_nvsvm_channel_free *args)
{
	return nvsvm_igt_ioctl(f, DRM_IOCTL_NVSVM_CHANNEL_FREE, args);
}

/* A push buffer that writes the 64-bit @value at @where. */
static struct drm_nvsvm_push release_push(uint64_t *where, uint64_t value)
{
	struct nvsvm_push p;

	nvsvm_igt_push_begin(&arena, &p, 64);
	nvsvm_push_sem_release(&p, VA(where), value, NVSVM_PUSH_SEM_PAYLOAD_64);
	return nvsvm_igt_push_end(&arena, &p);
}

/*
 * A push buffer that waits until the 64-bit word at @sem is @value, then
 * writes 1 at @done (if not NULL).
 */
static struct drm_nvsvm_push acquire_push(uint64_t *sem, uint64_t value, uint64_t *done)
{
	struct nvsvm_push p;

	nvsvm_igt_push_begin(&arena, &p, 64);
	nvsvm_push_sem_acquire(&p, VA(sem), value, NVSVM_PUSH_SEM_PAYLOAD_64);
	if (done)
		nvsvm_push_sem_release(&p, VA(done), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
	return nvsvm_igt_push_end(&arena, &p);
}

static void assert_pending(uint32_t syncobj)
{
	igt_assert_eq(nvsvm_igt_syncobj_wait(fd, syncobj, 0, 0), -ETIME);
	igt_assert_eq(nvsvm_igt_fence_status(fd, syncobj), 0);
}

static void assert_done(uint32_t syncobj)
{
	igt_assert_eq(nvsvm_igt_wait_status(fd, syncobj, TIMEOUT), 1);
}

/* @channel still runs jobs, and no rejected job has written the sentinel. */
static void check_channel_works(uint32_t channel)
{
	probe_seq++;
	igt_assert_eq(nvsvm_igt_run(fd, channel, release_push(probe, probe_seq)), 1);
	igt_assert_eq_u64(READ(*probe), probe_seq);
	igt_assert_eq_u64(READ(*sentinel), 0);
}

/*
 * An EXEC to reject. bad_exec_init() makes it valid: on the fixture
 * channel, one push buffer that writes the sentinel, one in-sync that has
 * signalled, one out-sync; the arrays have room for one entry past each
 * limit, all valid. A subtest breaks one thing and calls check_rejected().
 */
struct bad_exec {
	struct drm_nvsvm_exec args;
	struct drm_nvsvm_push pushes[DRM_NVSVM_EXEC_MAX_PUSHES + 1];
	struct drm_nvsvm_sync in[DRM_NVSVM_EXEC_MAX_SYNCS + 1];
	struct drm_nvsvm_sync out[DRM_NVSVM_EXEC_MAX_SYNCS + 1];
	/* The in-syncs created, signalled. */
	uint32_t signalled[DRM_NVSVM_EXEC_MAX_SYNCS + 1];
	/* The out-syncs created, checked to get no fence. */
	uint32_t victims[DRM_NVSVM_EXEC_MAX_SYNCS + 1];
};

static struct bad_exec *bad_exec_init(void)
{
	struct bad_exec *b = calloc(1, sizeof(*b));
	unsigned int i;

	igt_assert(b);
	for (i = 0; i < ARRAY_SIZE(b->pushes); i++)
		b->pushes[i] = release_push(sentinel, 0xbad0 + i);
	for (i = 0; i < ARRAY_SIZE(b->in); i++)
		b->in[i].handle = b->signalled[i] = nvsvm_igt_syncobj_signalled(fd);
	for (i = 0; i < ARRAY_SIZE(b->out); i++)
		b->out[i].handle = b->victims[i] = nvsvm_igt_syncobj(fd);
	b->args = (struct drm_nvsvm_exec){
		.channel = ch,
		.push_count = 1,
		.in_sync_count = 1,
		.out_sync_count = 1,
		.pushes = (uintptr_t)b->pushes,
		.in_syncs = (uintptr_t)b->in,
		.out_syncs = (uintptr_t)b->out,
	};
	return b;
}

static void print_exec(const struct drm_nvsvm_exec *a)
{
	igt_info("EXEC channel %u flags %#x push_count %u in_sync_count %u out_sync_count %u pad %#x pushes %#llx in_syncs %#llx out_syncs %#llx\n",
		 a->channel, a->flags, a->push_count, a->in_sync_count, a->out_sync_count,
		 a->pad, (unsigned long long)a->pushes, (unsigned long long)a->in_syncs,
		 (unsigned long long)a->out_syncs);
}

/*
 * EXEC @b must fail with @err, having queued nothing: no out-sync got a
 * fence, and the channel runs the next job without running this one.
 */
static void check_rejected(struct bad_exec *b, int err)
{
	struct drm_nvsvm_exec args = b->args;
	unsigned int i;
	int ret;

	ret = exec_ioctl(fd, &args);
	if (ret != err)
		print_exec(&b->args);
	igt_assert_eq(ret, err);
	for (i = 0; i < ARRAY_SIZE(b->victims); i++)
		igt_assert_f(!nvsvm_igt_syncobj_has_fence(fd, b->victims[i]),
			     "out-sync %u of a rejected EXEC got a fence\n", i);
	check_channel_works(ch);
}

static void bad_exec_fini(struct bad_exec *b)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(b->signalled); i++)
		nvsvm_igt_syncobj_destroy(fd, b->signalled[i]);
	for (i = 0; i < ARRAY_SIZE(b->victims); i++)
		nvsvm_igt_syncobj_destroy(fd, b->victims[i]);
	free(b);
}

/* A page nothing can read. */
static void *unreadable_page(void)
{
	void *p = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	return p;
}

/*
 * Room for one element of @size bytes at the end of a readable page that
 * is followed by a hole: an array there has its first element readable
 * and its second not.
 */
static void *before_hole(size_t size)
{
	char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	igt_assert_eq(munmap(p + page, page), 0);
	return p + page - size;
}

/*
 * A second file of GPU 0 with a channel whose id the fixture's file does
 * not have (it has only ch), and a BO to run a job there.
 */
static uint32_t other_file_channel(struct nvsvm_device **other, struct nvsvm_igt_bo *obo)
{
	uint32_t a, b;

	*other = nvsvm_igt_open(0);
	a = nvsvm_igt_channel_alloc(nvsvm_device_fd(*other));
	b = nvsvm_igt_channel_alloc(nvsvm_device_fd(*other));
	igt_assert_neq(a, b);
	nvsvm_igt_bo_new(*other, page, 0, obo);
	return a != ch ? a : b;
}

/* The other file's channel @oc works there. */
static void check_other_channel_works(struct nvsvm_device *other, struct nvsvm_igt_bo *obo,
				      uint32_t oc)
{
	uint64_t *where = nvsvm_igt_bo_alloc(obo, 8, 8);
	struct nvsvm_push p;

	nvsvm_igt_push_begin(obo, &p, 64);
	nvsvm_push_sem_release(&p, nvsvm_igt_bo_va(obo, where), 0x5eed, NVSVM_PUSH_SEM_PAYLOAD_64);
	igt_assert_eq(nvsvm_igt_run(nvsvm_device_fd(other), oc, nvsvm_igt_push_end(obo, &p)), 1);
	igt_assert_eq_u64(READ(*where), 0x5eed);
}

/* Channel ids that no file has: 0, and ids far above any allocated. */
static const uint32_t never_ids[] = { 0, 0x10000, 0x7fffffffu, 0xffffffffu };

igt_main
{
	igt_fixture {
		dev = nvsvm_igt_open(0);
		fd = nvsvm_device_fd(dev);
		nvsvm_igt_require_uapi(fd, 2);
		page = sysconf(_SC_PAGESIZE);
		nvsvm_igt_bo_new(dev, 8 * MiB, 0, &arena);
		ch = nvsvm_igt_channel_alloc(fd);
	}

	/* Channels */

	igt_describe("GET_PARAM reports the number of hardware channels: at least one, at most the GPU's 64.");
	igt_subtest("channel-count") {
		uint64_t n = nvsvm_igt_get_param(fd, DRM_NVSVM_PARAM_CHANNEL_COUNT);

		igt_assert_lte(1, n);
		igt_assert_lte(n, 64);
	}

	igt_describe("CHANNEL_ALLOC returns distinct ids, never 0; each channel runs jobs and frees.");
	igt_subtest("channel-alloc") {
		uint32_t ids[8];
		unsigned int i, j;

		reset();
		for (i = 0; i < ARRAY_SIZE(ids); i++) {
			struct drm_nvsvm_channel_alloc args = { .channel = 0xdeadbeef };

			igt_assert_eq(channel_alloc_ioctl(fd, &args), 0);
			igt_assert_eq(args.flags, 0);
			ids[i] = args.channel;
			igt_assert_neq(ids[i], 0);
			igt_assert_neq(ids[i], ch);
			for (j = 0; j < i; j++)
				igt_assert_neq(ids[i], ids[j]);
		}
		for (i = 0; i < ARRAY_SIZE(ids); i++)
			check_channel_works(ids[i]);
		for (i = 0; i < ARRAY_SIZE(ids); i++)
			nvsvm_igt_channel_free(fd, ids[i]);
		check_channel_works(ch);
	}

	igt_describe("CHANNEL_ALLOC defines no flags: each flag bit, and all of them, is -EINVAL.");
	igt_subtest("channel-alloc-invalid-flags") {
		unsigned int bit;

		reset();
		for (bit = 0; bit <= 32; bit++) {
			struct drm_nvsvm_channel_alloc args = {
				.flags = bit < 32 ? 1u << bit : ~0u,
			};

			igt_assert_f(channel_alloc_ioctl(fd, &args) == -EINVAL,
				     "flags %#x accepted or not -EINVAL\n", args.flags);
		}
		/* No channel was used up: every one can still be allocated. */
		check_channel_works(ch);
	}

	igt_describe("GET_PARAM's per-file channel limit is a quarter of the channels (at least one).");
	igt_subtest("channels-per-file") {
		uint64_t n = nvsvm_igt_get_param(fd, DRM_NVSVM_PARAM_CHANNEL_COUNT);
		uint64_t per = nvsvm_igt_get_param(fd, DRM_NVSVM_PARAM_CHANNELS_PER_FILE);

		igt_assert_eq_u64(per, n / 4 ? n / 4 : 1);
	}

	igt_describe("A file holds at most DRM_NVSVM_PARAM_CHANNELS_PER_FILE channels, with ids 1 to the limit: the next CHANNEL_ALLOC is -ENOSPC while another file still allocates, and freeing one makes room for exactly one.");
	igt_subtest("channel-alloc-per-file-limit") {
		uint64_t n = nvsvm_igt_get_param(fd, DRM_NVSVM_PARAM_CHANNEL_COUNT);
		uint64_t per = nvsvm_igt_get_param(fd, DRM_NVSVM_PARAM_CHANNELS_PER_FILE);
		struct nvsvm_device *full = nvsvm_igt_open(0);
		int ffd = nvsvm_device_fd(full);
		uint32_t ids[NVSVM_IGT_MAX_CHANNELS], id;
		uint64_t i, j;

		reset();
		/* The fixture's channel and a full file leave channels over. */
		igt_assert_lt_u64(per + 1, n);
		for (i = 0; i < per; i++) {
			ids[i] = nvsvm_igt_channel_alloc(ffd);
			igt_assert_lte(1, ids[i]);
			igt_assert_lte(ids[i], per);
			for (j = 0; j < i; j++)
				igt_assert_neq(ids[i], ids[j]);
		}
		igt_assert_eq(__nvsvm_igt_channel_alloc(ffd, &id), -ENOSPC);
		igt_assert_eq(__nvsvm_igt_channel_alloc(ffd, &id), -ENOSPC);
		/* The GPU has channels left: another file gets one. */
		id = nvsvm_igt_channel_alloc(fd);
		check_channel_works(id);
		nvsvm_igt_channel_free(fd, id);

		nvsvm_igt_channel_free(ffd, ids[3 % per]);
		ids[3 % per] = nvsvm_igt_channel_alloc(ffd);
		igt_assert_eq(__nvsvm_igt_channel_alloc(ffd, &id), -ENOSPC);
		nvsvm_device_close(full);
		check_channel_works(ch);
	}

	igt_describe("CHANNEL_FREE of channel 0 is -ENOENT and does not make 0 an id CHANNEL_ALLOC returns: ALLOC, FREE(0), ALLOC gave channel 0 to an ioctl fuzzer.");
	igt_subtest("channel-free-zero-then-alloc") {
		uint64_t per = nvsvm_igt_get_param(fd, DRM_NVSVM_PARAM_CHANNELS_PER_FILE);
		struct nvsvm_device *other = nvsvm_igt_open(0);
		int ofd = nvsvm_device_fd(other);
		struct drm_nvsvm_channel_get_error err = { 0 };
		uint32_t ids[NVSVM_IGT_MAX_CHANNELS];
		uint64_t i, j;

		reset();
		for (i = 0; i < per; i++) {
			ids[i] = nvsvm_igt_channel_alloc(ofd);
			igt_assert_neq(ids[i], 0);
			for (j = 0; j < i; j++)
				igt_assert_neq(ids[i], ids[j]);
			/* Before each next allocation, the sequence that broke it. */
			igt_assert_eq(__nvsvm_igt_channel_free(ofd, 0), -ENOENT);
		}
		/* 0 and the ids past the limit name nothing, whatever came before. */
		igt_assert_eq(__nvsvm_igt_channel_free(ofd, per + 1), -ENOENT);
		igt_assert_eq(nvsvm_igt_exec(ofd, 0, NULL, 0, NULL, 0, NULL, 0), -ENOENT);
		err.channel = 0;
		igt_assert_eq(get_error_ioctl(ofd, &err), -ENOENT);
		/* The file's channels are all still there. */
		for (i = 0; i < per; i++) {
			err.channel = ids[i];
			igt_assert_eq(get_error_ioctl(ofd, &err), 0);
		}
		nvsvm_device_close(other);
		check_channel_works(ch);
	}

	igt_describe("Once every hardware channel is allocated (by several files together, none over its limit) CHANNEL_ALLOC is -ENOSPC in every file, one holding none included; the second GPU has its own.");
	igt_subtest("channel-alloc-exhaust") {
		uint64_t n = nvsvm_igt_get_param(fd, DRM_NVSVM_PARAM_CHANNEL_COUNT);
		struct nvsvm_device *empty = nvsvm_igt_open(0);
		struct nvsvm_device *gpu1 = nvsvm_igt_open(1);
		struct nvsvm_igt_chanset set;
		unsigned int f;
		uint32_t id;
		uint64_t i;

		reset();
		nvsvm_igt_chanset_init(&set, 0);
		/* The fixture holds one; the set's files take the rest. */
		for (i = 1; i < n; i++) {
			int ret = nvsvm_igt_chanset_alloc(&set);

			igt_assert_f(ret == 0, "channel %llu of %llu: %s\n",
				     (unsigned long long)i + 1, (unsigned long long)n,
				     strerror(-ret));
		}
		/* Files below their limit: what is full is the GPU. */
		igt_assert_eq(__nvsvm_igt_channel_alloc(nvsvm_device_fd(empty), &id), -ENOSPC);
		igt_assert_eq(__nvsvm_igt_channel_alloc(fd, &id), -ENOSPC);
		for (f = 0; f < set.nfiles; f++)
			igt_assert_eq(__nvsvm_igt_channel_alloc(nvsvm_device_fd(set.files[f]), &id),
				      -ENOSPC);

		id = nvsvm_igt_channel_alloc(nvsvm_device_fd(gpu1));
		nvsvm_igt_channel_free(nvsvm_device_fd(gpu1), id);
		nvsvm_device_close(gpu1);

		/* The channels that exist still work. */
		check_channel_works(ch);
		nvsvm_igt_chanset_fini(&set);
		nvsvm_device_close(empty);
	}

	igt_describe("With every channel in use, freeing one lets CHANNEL_ALLOC succeed once more, and closing a file frees all of its channels.");
	igt_subtest("channel-alloc-after-free") {
		uint64_t n = nvsvm_igt_get_param(fd, DRM_NVSVM_PARAM_CHANNEL_COUNT);
		struct nvsvm_igt_chanset set, again;
		uint32_t id, id2, closed;
		uint64_t i;

		reset();
		nvsvm_igt_chanset_init(&set, 0);
		for (i = 1; i < n; i++)
			igt_assert_eq(nvsvm_igt_chanset_alloc(&set), 0);
		igt_assert_eq(__nvsvm_igt_channel_alloc(fd, &id), -ENOSPC);

		/* One freed in another file: room for exactly one, here. */
		nvsvm_igt_chanset_free(&set, set.count - 1);
		id = nvsvm_igt_channel_alloc(fd);
		check_channel_works(id);
		igt_assert_eq(__nvsvm_igt_channel_alloc(fd, &id2), -ENOSPC);
		nvsvm_igt_channel_free(fd, id);
		id = nvsvm_igt_channel_alloc(fd);
		check_channel_works(id);
		igt_assert_eq(__nvsvm_igt_channel_alloc(fd, &id2), -ENOSPC);

		/* Closing a file gives back every channel it held. */
		closed = set.held[0];
		igt_assert_lte(2, closed);
		nvsvm_igt_chanset_close_file(&set, 0);
		nvsvm_igt_chanset_init(&again, 0);
		for (i = 0; i < closed; i++)
			igt_assert_eq(nvsvm_igt_chanset_alloc(&again), 0);
		igt_assert_eq(__nvsvm_igt_channel_alloc(fd, &id2), -ENOSPC);
		igt_assert_eq(nvsvm_igt_chanset_alloc(&again), -ENOSPC);

		nvsvm_igt_chanset_fini(&again);
		nvsvm_igt_chanset_fini(&set);
		nvsvm_igt_channel_free(fd, id);
		check_channel_works(ch);
	}

	igt_describe("A CHANNEL_ALLOC argument that cannot be read is -EFAULT.");
	igt_subtest("channel-alloc-invalid-pointer") {
		reset();
		nvsvm_igt_assert_unreadable_arg(fd, DRM_IOCTL_NVSVM_CHANNEL_ALLOC);
		check_channel_works(ch);
	}

	igt_describe("CHANNEL_FREE with a non-zero pad is -EINVAL and the channel stays.");
	igt_subtest("channel-free-invalid-pad") {
		const uint32_t bad[] = { 1, 0x80000000u, 0xffffffffu };
		unsigned int i;

		reset();
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			struct drm_nvsvm_channel_free args = { .channel = ch, .pad = bad[i] };

			igt_assert_eq(channel_free_ioctl(fd, &args), -EINVAL);
		}
		check_channel_works(ch);
	}

	igt_describe("CHANNEL_FREE of an id never allocated (0 included) is -ENOENT.");
	igt_subtest("channel-free-unknown") {
		unsigned int i;

		reset();
		for (i = 0; i < ARRAY_SIZE(never_ids); i++)
			igt_assert_eq(__nvsvm_igt_channel_free(fd, never_ids[i]), -ENOENT);
		check_channel_works(ch);
	}

	igt_describe("Freeing a channel twice is -ENOENT the second time; so is every other use of the freed id.");
	igt_subtest("channel-free-double") {
		struct drm_nvsvm_channel_get_error err = { 0 };
		uint32_t c = nvsvm_igt_channel_alloc(fd);

		reset();
		check_channel_works(c);
		nvsvm_igt_channel_free(fd, c);
		igt_assert_eq(__nvsvm_igt_channel_free(fd, c), -ENOENT);
		igt_assert_eq(nvsvm_igt_exec(fd, c, NULL, 0, NULL, 0, NULL, 0), -ENOENT);
		err.channel = c;
		igt_assert_eq(get_error_ioctl(fd, &err), -ENOENT);
		check_channel_works(ch);
	}

	igt_describe("A channel of another file is unknown here: CHANNEL_FREE is -ENOENT and the channel stays.");
	igt_subtest("channel-free-other-file") {
		struct nvsvm_device *other;
		struct nvsvm_igt_bo obo;
		uint32_t oc;

		reset();
		oc = other_file_channel(&other, &obo);
		igt_assert_eq(__nvsvm_igt_channel_free(fd, oc), -ENOENT);
		check_other_channel_works(other, &obo, oc);
		check_channel_works(ch);
		nvsvm_igt_bo_free(&obo);
		nvsvm_device_close(other);
	}

	igt_describe("A CHANNEL_FREE argument that cannot be read is -EFAULT.");
	igt_subtest("channel-free-invalid-pointer") {
		reset();
		nvsvm_igt_assert_unreadable_arg(fd, DRM_IOCTL_NVSVM_CHANNEL_FREE);
		check_channel_works(ch);
	}

	/* EXEC rejections */

	igt_describe("EXEC defines no flags: each flag bit is -EINVAL and queues nothing.");
	igt_subtest("exec-invalid-flags") {
		struct bad_exec *b;
		unsigned int bit;

		reset();
		b = bad_exec_init();
		for (bit = 0; bit <= 32; bit++) {
			b->args.flags = bit < 32 ? 1u << bit : ~0u;
			check_rejected(b, -EINVAL);
		}
		bad_exec_fini(b);
	}

	igt_describe("EXEC with a non-zero pad is -EINVAL and queues nothing.");
	igt_subtest("exec-invalid-pad") {
		const uint32_t bad[] = { 1, 0x80000000u, 0xffffffffu };
		struct bad_exec *b;
		unsigned int i;

		reset();
		b = bad_exec_init();
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			b->args.pad = bad[i];
			check_rejected(b, -EINVAL);
		}
		bad_exec_fini(b);
	}

	igt_describe("EXEC on a channel id never allocated (0 included) is -ENOENT.");
	igt_subtest("exec-unknown-channel") {
		struct bad_exec *b;
		unsigned int i;

		reset();
		b = bad_exec_init();
		for (i = 0; i < ARRAY_SIZE(never_ids); i++) {
			b->args.channel = never_ids[i];
			check_rejected(b, -ENOENT);
		}
		bad_exec_fini(b);
	}

	igt_describe("EXEC on a channel of another file is -ENOENT.");
	igt_subtest("exec-other-file-channel") {
		struct nvsvm_device *other;
		struct nvsvm_igt_bo obo;
		struct bad_exec *b;
		uint32_t oc;

		reset();
		oc = other_file_channel(&other, &obo);
		b = bad_exec_init();
		b->args.channel = oc;
		check_rejected(b, -ENOENT);
		check_other_channel_works(other, &obo, oc);
		bad_exec_fini(b);
		nvsvm_igt_bo_free(&obo);
		nvsvm_device_close(other);
	}

	igt_describe("More than DRM_NVSVM_EXEC_MAX_PUSHES push buffers is -EINVAL, even when all are valid.");
	igt_subtest("exec-too-many-pushes") {
		struct bad_exec *b;

		reset();
		b = bad_exec_init();
		b->args.push_count = DRM_NVSVM_EXEC_MAX_PUSHES + 1;
		check_rejected(b, -EINVAL);
		b->args.push_count = 0x80000000u;
		check_rejected(b, -EINVAL);
		b->args.push_count = 0xffffffffu;
		check_rejected(b, -EINVAL);
		bad_exec_fini(b);
	}

	igt_describe("More than DRM_NVSVM_EXEC_MAX_SYNCS in-syncs is -EINVAL, even when all have signalled.");
	igt_subtest("exec-too-many-in-syncs") {
		struct bad_exec *b;

		reset();
		b = bad_exec_init();
		b->args.in_sync_count = DRM_NVSVM_EXEC_MAX_SYNCS + 1;
		check_rejected(b, -EINVAL);
		b->args.in_sync_count = 0xffffffffu;
		check_rejected(b, -EINVAL);
		bad_exec_fini(b);
	}

	igt_describe("More than DRM_NVSVM_EXEC_MAX_SYNCS out-syncs is -EINVAL, and none of them gets a fence.");
	igt_subtest("exec-too-many-out-syncs") {
		struct bad_exec *b;

		reset();
		b = bad_exec_init();
		b->args.out_sync_count = DRM_NVSVM_EXEC_MAX_SYNCS + 1;
		check_rejected(b, -EINVAL);
		b->args.out_sync_count = 0xffffffffu;
		check_rejected(b, -EINVAL);
		bad_exec_fini(b);
	}

	igt_describe("A push buffer with any flag is -EINVAL, also when it is not the first.");
	igt_subtest("exec-push-invalid-flags") {
		struct bad_exec *b;
		unsigned int bit;

		reset();
		b = bad_exec_init();
		b->args.push_count = 2;
		for (bit = 0; bit <= 32; bit++) {
			b->pushes[1].flags = bit < 32 ? 1u << bit : ~0u;
			check_rejected(b, -EINVAL);
		}
		bad_exec_fini(b);
	}

	igt_describe("A push buffer VA that is not 4-byte aligned is -EINVAL.");
	igt_subtest("exec-push-misaligned") {
		struct bad_exec *b;
		unsigned int i;

		reset();
		b = bad_exec_init();
		b->args.push_count = 2;
		for (i = 1; i < 4; i++) {
			b->pushes[1].va = b->pushes[0].va + i;
			check_rejected(b, -EINVAL);
		}
		b->pushes[1].va = b->pushes[0].va + 4 * 6 + 2;
		check_rejected(b, -EINVAL);
		bad_exec_fini(b);
	}

	igt_describe("A push buffer of 0 dwords is -EINVAL.");
	igt_subtest("exec-push-zero-dwords") {
		struct bad_exec *b;

		reset();
		b = bad_exec_init();
		b->pushes[0].dwords = 0;
		check_rejected(b, -EINVAL);
		b->pushes[0].dwords = b->pushes[1].dwords;
		b->args.push_count = 3;
		b->pushes[2].dwords = 0;
		check_rejected(b, -EINVAL);
		bad_exec_fini(b);
	}

	igt_describe("A push buffer of more than DRM_NVSVM_PUSH_MAX_DWORDS dwords is -EINVAL.");
	igt_subtest("exec-push-too-many-dwords") {
		const uint32_t bad[] = {
			DRM_NVSVM_PUSH_MAX_DWORDS + 1, 2 * DRM_NVSVM_PUSH_MAX_DWORDS,
			0x80000000u, 0xffffffffu,
		};
		struct bad_exec *b;
		unsigned int i;

		reset();
		b = bad_exec_init();
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			b->pushes[0].dwords = bad[i];
			check_rejected(b, -EINVAL);
		}
		bad_exec_fini(b);
	}

	igt_describe("A push buffer range that wraps past 2^64 is -EINVAL.");
	igt_subtest("exec-push-wrap") {
		struct bad_exec *b;

		reset();
		b = bad_exec_init();
		/* Ends past 2^64, or exactly at it. */
		b->pushes[0].va = -16ull;
		b->pushes[0].dwords = 8;
		check_rejected(b, -EINVAL);
		b->pushes[0].va = -16ull;
		b->pushes[0].dwords = 4;
		check_rejected(b, -EINVAL);
		b->pushes[0].va = -4ull;
		b->pushes[0].dwords = DRM_NVSVM_PUSH_MAX_DWORDS;
		check_rejected(b, -EINVAL);
		bad_exec_fini(b);
	}

	igt_describe("A push buffer range that ends above DRM_NVSVM_VA_USER_END is -EINVAL.");
	igt_subtest("exec-push-above-user-end") {
		const uint64_t end = DRM_NVSVM_VA_USER_END;
		const struct { uint64_t va; uint32_t dwords; } bad[] = {
			{ end - 4, 2 }, { end - 4096, 1025 }, { end, 1 },
			{ 1ull << 48, 6 }, { 0xffff800000000000ull, 6 }, { 1ull << 63, 1 },
		};
		struct bad_exec *b;
		unsigned int i;

		reset();
		b = bad_exec_init();
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			b->pushes[0].va = bad[i].va;
			b->pushes[0].dwords = bad[i].dwords;
			check_rejected(b, -EINVAL);
		}
		bad_exec_fini(b);
	}

	igt_describe("An in-sync or out-sync with any flag is -EINVAL.");
	igt_subtest("exec-sync-invalid-flags") {
		struct bad_exec *b;
		unsigned int bit;

		reset();
		b = bad_exec_init();
		b->args.in_sync_count = 2;
		b->args.out_sync_count = 2;
		for (bit = 0; bit <= 32; bit++) {
			uint32_t flags = bit < 32 ? 1u << bit : ~0u;

			b->in[1].flags = flags;
			check_rejected(b, -EINVAL);
			b->in[1].flags = 0;
			b->out[1].flags = flags;
			check_rejected(b, -EINVAL);
			b->out[1].flags = 0;
		}
		bad_exec_fini(b);
	}

	igt_describe("An in-sync naming no syncobj (0 included) is -ENOENT.");
	igt_subtest("exec-unknown-in-syncobj") {
		const uint32_t bad[] = { 0, 0xfffffu, 0xffffffffu };
		struct bad_exec *b;
		unsigned int i;
		uint32_t gone;

		reset();
		b = bad_exec_init();
		b->args.in_sync_count = 2;
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			b->in[1].handle = bad[i];
			check_rejected(b, -ENOENT);
		}
		gone = nvsvm_igt_syncobj_signalled(fd);
		nvsvm_igt_syncobj_destroy(fd, gone);
		b->in[1].handle = gone;
		b->in[1].point = 0;
		check_rejected(b, -ENOENT);
		b->in[1].point = 1;
		check_rejected(b, -ENOENT);
		bad_exec_fini(b);
	}

	igt_describe("An out-sync naming no syncobj (0 included) is -ENOENT, and the valid out-syncs get no fence.");
	igt_subtest("exec-unknown-out-syncobj") {
		const uint32_t bad[] = { 0, 0xfffffu, 0xffffffffu };
		struct bad_exec *b;
		unsigned int i;

		reset();
		b = bad_exec_init();
		b->args.out_sync_count = 3;
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			b->out[1].handle = bad[i];
			check_rejected(b, -ENOENT);
			b->out[1].point = 5;
			check_rejected(b, -ENOENT);
			b->out[1].point = 0;
		}
		bad_exec_fini(b);
	}

	igt_describe("An in-sync with no fence yet (a new syncobj, or a timeline point never submitted) is -EINVAL.");
	igt_subtest("exec-in-sync-no-fence") {
		struct bad_exec *b;
		uint32_t empty = nvsvm_igt_syncobj(fd);
		uint32_t timeline = nvsvm_igt_syncobj(fd);
		uint64_t point = 3;

		reset();
		b = bad_exec_init();
		b->args.in_sync_count = 2;
		b->in[1].handle = empty;
		check_rejected(b, -EINVAL);
		/* A timeline with nothing at any point. */
		b->in[1].handle = timeline;
		b->in[1].point = 1;
		check_rejected(b, -EINVAL);
		/* A timeline signalled up to 3: point 4 has no fence yet. */
		igt_assert_eq(drmSyncobjTimelineSignal(fd, &timeline, &point, 1), 0);
		b->in[1].point = 4;
		check_rejected(b, -EINVAL);
		nvsvm_igt_syncobj_destroy(fd, empty);
		nvsvm_igt_syncobj_destroy(fd, timeline);
		bad_exec_fini(b);
	}

	igt_describe("A pushes array that cannot be read, wholly or in part, is -EFAULT.");
	igt_subtest("exec-unreadable-pushes") {
		struct drm_nvsvm_push *last = before_hole(sizeof(*last));
		struct bad_exec *b;

		reset();
		b = bad_exec_init();
		b->args.pushes = 0;
		check_rejected(b, -EFAULT);
		b->args.pushes = 8;
		check_rejected(b, -EFAULT);
		b->args.pushes = (uintptr_t)unreadable_page();
		check_rejected(b, -EFAULT);
		*last = b->pushes[0];
		b->args.pushes = (uintptr_t)last;
		b->args.push_count = 2;
		check_rejected(b, -EFAULT);
		bad_exec_fini(b);
	}

	igt_describe("An in-syncs array that cannot be read, wholly or in part, is -EFAULT.");
	igt_subtest("exec-unreadable-in-syncs") {
		struct drm_nvsvm_sync *last = before_hole(sizeof(*last));
		struct bad_exec *b;

		reset();
		b = bad_exec_init();
		b->args.in_syncs = 0;
		check_rejected(b, -EFAULT);
		b->args.in_syncs = 8;
		check_rejected(b, -EFAULT);
		b->args.in_syncs = (uintptr_t)unreadable_page();
		check_rejected(b, -EFAULT);
		*last = b->in[0];
		b->args.in_syncs = (uintptr_t)last;
		b->args.in_sync_count = 2;
		check_rejected(b, -EFAULT);
		bad_exec_fini(b);
	}

	igt_describe("An out-syncs array that cannot be read, wholly or in part, is -EFAULT, and its readable part gets no fence.");
	igt_subtest("exec-unreadable-out-syncs") {
		struct drm_nvsvm_sync *last = before_hole(sizeof(*last));
		struct bad_exec *b;

		reset();
		b = bad_exec_init();
		b->args.out_syncs = 0;
		check_rejected(b, -EFAULT);
		b->args.out_syncs = 8;
		check_rejected(b, -EFAULT);
		b->args.out_syncs = (uintptr_t)unreadable_page();
		check_rejected(b, -EFAULT);
		*last = b->out[0];
		b->args.out_syncs = (uintptr_t)last;
		b->args.out_sync_count = 2;
		check_rejected(b, -EFAULT);
		bad_exec_fini(b);
	}

	igt_describe("An EXEC argument that cannot be read is -EFAULT.");
	igt_subtest("exec-invalid-pointer") {
		reset();
		nvsvm_igt_assert_unreadable_arg(fd, DRM_IOCTL_NVSVM_EXEC);
		check_channel_works(ch);
	}

	/* CHANNEL_GET_ERROR */

	igt_describe("CHANNEL_GET_ERROR of a channel that has not failed reports 0 in every output.");
	igt_subtest("get-error-none") {
		struct drm_nvsvm_channel_get_error err;
		uint32_t fresh = nvsvm_igt_channel_alloc(fd);
		unsigned int i;

		reset();
		check_channel_works(ch);
		for (i = 0; i < 2; i++) {
			memset(&err, 0xff, sizeof(err));
			err.channel = i ? fresh : ch;
			err.flags = 0;
			igt_assert_eq(get_error_ioctl(fd, &err), 0);
			igt_assert_eq(err.channel, i ? fresh : ch);
			igt_assert_eq(err.error, DRM_NVSVM_CHANNEL_ERROR_NONE);
			igt_assert_eq(err.access, 0);
			igt_assert_eq(err.fault_type, 0);
			igt_assert_eq(err.client, 0);
			igt_assert_eq_u64(err.address, 0);
		}
		nvsvm_igt_channel_free(fd, fresh);
	}

	igt_describe("CHANNEL_GET_ERROR defines no flags: each flag bit is -EINVAL.");
	igt_subtest("get-error-invalid-flags") {
		unsigned int bit;

		reset();
		for (bit = 0; bit <= 32; bit++) {
			struct drm_nvsvm_channel_get_error err = {
				.channel = ch, .flags = bit < 32 ? 1u << bit : ~0u,
			};

			igt_assert_eq(get_error_ioctl(fd, &err), -EINVAL);
		}
		check_channel_works(ch);
	}

	igt_describe("CHANNEL_GET_ERROR takes only channel and flags as input: outputs holding garbage on entry are overwritten, not rejected.");
	igt_subtest("get-error-ignores-outputs") {
		const uint32_t bad[] = { 1, 0x80000000u, 0xffffffffu };
		unsigned int i;

		reset();
		/*
		 * The uAPI lists a pad among the errors, but the structure has
		 * none: its only inputs are channel and flags, every other
		 * field is an output.
		 */
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			struct drm_nvsvm_channel_get_error err;

			memset(&err, 0, sizeof(err));
			err.channel = ch;
			err.error = bad[i];
			err.access = bad[i];
			err.fault_type = bad[i];
			err.client = bad[i];
			err.address = bad[i];
			igt_assert_eq(get_error_ioctl(fd, &err), 0);
			igt_assert_eq(err.error, 0);
			igt_assert_eq(err.access, 0);
			igt_assert_eq(err.fault_type, 0);
			igt_assert_eq(err.client, 0);
			igt_assert_eq_u64(err.address, 0);
		}
	}

	igt_describe("CHANNEL_GET_ERROR of an id never allocated (0 included) is -ENOENT.");
	igt_subtest("get-error-unknown-channel") {
		unsigned int i;

		reset();
		for (i = 0; i < ARRAY_SIZE(never_ids); i++) {
			struct drm_nvsvm_channel_get_error err = { .channel = never_ids[i] };

			igt_assert_eq(get_error_ioctl(fd, &err), -ENOENT);
		}
	}

	igt_describe("CHANNEL_GET_ERROR of another file's channel is -ENOENT.");
	igt_subtest("get-error-other-file") {
		struct drm_nvsvm_channel_get_error err = { 0 };
		struct nvsvm_device *other;
		struct nvsvm_igt_bo obo;
		uint32_t oc;

		reset();
		oc = other_file_channel(&other, &obo);
		err.channel = oc;
		igt_assert_eq(get_error_ioctl(fd, &err), -ENOENT);
		err.channel = oc;
		igt_assert_eq(get_error_ioctl(nvsvm_device_fd(other), &err), 0);
		igt_assert_eq(err.error, DRM_NVSVM_CHANNEL_ERROR_NONE);
		nvsvm_igt_bo_free(&obo);
		nvsvm_device_close(other);
	}

	igt_describe("A CHANNEL_GET_ERROR argument that cannot be read or written back is -EFAULT.");
	igt_subtest("get-error-invalid-pointer") {
		struct drm_nvsvm_channel_get_error err = { .channel = ch };

		reset();
		nvsvm_igt_assert_unreadable_arg(fd, DRM_IOCTL_NVSVM_CHANNEL_GET_ERROR);
		nvsvm_igt_assert_unwritable_arg(fd, DRM_IOCTL_NVSVM_CHANNEL_GET_ERROR,
						&err, sizeof(err));
	}

	/* Methods */

	igt_describe("NOP methods, with and without data, do nothing: data that looks like a method is skipped.");
	igt_subtest("nop") {
		uint32_t *pb;
		uint64_t va;
		unsigned int n = 0;

		reset();
		pb = nvsvm_igt_bo_alloc(&arena, 256, 16);
		va = VA(pb);
		pb[n++] = NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_NOP, 0);
		/* A NOP whose six data dwords are a release of the sentinel. */
		pb[n++] = NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_NOP, 6);
		pb[n++] = NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_SEMAPHORE_RELEASE, 5);
		pb[n++] = (uint32_t)VA(sentinel);
		pb[n++] = (uint32_t)(VA(sentinel) >> 32);
		pb[n++] = 0xbad;
		pb[n++] = 0;
		pb[n++] = 0;
		/* A NOP whose data is not even a valid method. */
		pb[n++] = NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_NOP, 2);
		pb[n++] = 0xffffffffu;
		pb[n++] = 0xff000005u;
		pb[n++] = NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_SEMAPHORE_RELEASE, 5);
		pb[n++] = (uint32_t)VA(probe);
		pb[n++] = (uint32_t)(VA(probe) >> 32);
		pb[n++] = 0x600d;
		pb[n++] = 0;
		pb[n++] = 0;
		/* A job of a lone NOP completes too. */
		pb[n++] = NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_NOP, 0);

		igt_assert_eq(nvsvm_igt_run(fd, ch, (struct drm_nvsvm_push){ .va = va, .dwords = n - 1 }), 1);
		igt_assert_eq_u64(READ(*probe), 0x600d);
		igt_assert_eq_u64(READ(*sentinel), 0);
		igt_assert_eq(nvsvm_igt_run(fd, ch, (struct drm_nvsvm_push){ .va = va + 4 * (n - 1), .dwords = 1 }), 1);
	}

	igt_describe("A 32-bit SEMAPHORE_RELEASE writes the payload's low 32 bits and nothing around them.");
	igt_subtest("semaphore-release-32") {
		uint32_t *mem;
		struct nvsvm_push p;
		unsigned int i;

		reset();
		mem = nvsvm_igt_bo_alloc(&arena, 16, 8);
		for (i = 0; i < 4; i++)
			mem[i] = 0xffffffffu;
		nvsvm_igt_push_begin(&arena, &p, 128);
		nvsvm_push_sem_release(&p, VA(&mem[0]), 0x1234567887654321ull, 0);
		/* 4-byte aligned, not 8. */
		nvsvm_push_sem_release(&p, VA(&mem[3]), 0xa5a5a5a5c0ffee00ull, 0);
		igt_assert_eq(nvsvm_igt_run(fd, ch, nvsvm_igt_push_end(&arena, &p)), 1);
		igt_assert_eq_u64(READ(mem[0]), 0x87654321u);
		igt_assert_eq_u64(READ(mem[1]), 0xffffffffu);
		igt_assert_eq_u64(READ(mem[2]), 0xffffffffu);
		igt_assert_eq_u64(READ(mem[3]), 0xc0ffee00u);
	}

	igt_describe("A 64-bit SEMAPHORE_RELEASE writes the whole payload; of two releases the later wins.");
	igt_subtest("semaphore-release-64") {
		uint64_t *mem;
		struct nvsvm_push p;

		reset();
		mem = nvsvm_igt_bo_alloc(&arena, 32, 8);
		mem[0] = mem[2] = ~0ull;
		nvsvm_igt_push_begin(&arena, &p, 128);
		nvsvm_push_sem_release(&p, VA(&mem[1]), 0x0123456789abcdefull, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_push_sem_release(&p, VA(&mem[3]), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_push_sem_release(&p, VA(&mem[3]), 0xfedcba9876543210ull, NVSVM_PUSH_SEM_PAYLOAD_64);
		igt_assert_eq(nvsvm_igt_run(fd, ch, nvsvm_igt_push_end(&arena, &p)), 1);
		igt_assert_eq_u64(READ(mem[0]), ~0ull);
		igt_assert_eq_u64(READ(mem[1]), 0x0123456789abcdefull);
		igt_assert_eq_u64(READ(mem[2]), ~0ull);
		igt_assert_eq_u64(READ(mem[3]), 0xfedcba9876543210ull);
	}

	igt_describe("SEMAPHORE_RELEASE with the interrupt flag writes its payload; many of them, in one job and across jobs, all complete.");
	igt_subtest("semaphore-release-intr") {
		enum { JOBS = 32, PER_JOB = 16 };
		uint64_t *mem;
		uint32_t syncs[JOBS];
		unsigned int i, j;

		reset();
		mem = nvsvm_igt_bo_alloc(&arena, JOBS * PER_JOB * 8, 8);
		for (i = 0; i < JOBS; i++) {
			struct nvsvm_push p;

			nvsvm_igt_push_begin(&arena, &p, PER_JOB * 24 + 16);
			for (j = 0; j < PER_JOB; j++)
				nvsvm_push_sem_release(&p, VA(&mem[i * PER_JOB + j]),
						       (uint64_t)i << 32 | j | 0x100,
						       NVSVM_PUSH_SEM_PAYLOAD_64 | NVSVM_PUSH_SEM_INTR);
			syncs[i] = nvsvm_igt_submit_push(fd, ch, nvsvm_igt_push_end(&arena, &p));
		}
		for (i = 0; i < JOBS; i++)
			assert_done(syncs[i]);
		for (i = 0; i < JOBS; i++)
			for (j = 0; j < PER_JOB; j++)
				igt_assert_eq_u64(READ(mem[i * PER_JOB + j]),
						  (uint64_t)i << 32 | j | 0x100);
		/* A 32-bit release with the flag as well. */
		{
			struct nvsvm_push p;

			nvsvm_igt_push_begin(&arena, &p, 64);
			nvsvm_push_sem_release(&p, VA(probe), 0x77, NVSVM_PUSH_SEM_INTR);
			igt_assert_eq(nvsvm_igt_run(fd, ch, nvsvm_igt_push_end(&arena, &p)), 1);
			igt_assert_eq_u64(READ(*probe), 0x77);
		}
	}

	igt_describe("A 32-bit SEMAPHORE_ACQUIRE (equal) blocks the job until the CPU writes exactly the payload, comparing 32 bits only.");
	igt_subtest("semaphore-acquire-eq-cpu") {
		uint32_t *sem;
		uint64_t *done;
		struct nvsvm_push p;
		uint32_t s;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		done = nvsvm_igt_bo_alloc(&arena, 8, 8);
		sem[1] = 0xffffffffu;	/* beside it: not compared */
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_acquire(&p, VA(&sem[0]), 5, 0);
		nvsvm_push_sem_release(&p, VA(done), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		s = nvsvm_igt_submit_push(fd, ch, nvsvm_igt_push_end(&arena, &p));

		usleep(BLOCKED_US);
		assert_pending(s);
		WRITE(sem[0], 4);
		usleep(BLOCKED_US);
		assert_pending(s);
		WRITE(sem[0], 6);
		usleep(BLOCKED_US);
		assert_pending(s);
		igt_assert_eq_u64(READ(*done), 0);
		WRITE(sem[0], 5);
		assert_done(s);
		igt_assert_eq_u64(READ(*done), 1);
	}

	igt_describe("A 32-bit SEMAPHORE_ACQUIRE with GEQ blocks until the CPU writes a value at least the payload, compared unsigned.");
	igt_subtest("semaphore-acquire-geq-cpu") {
		uint32_t *sem;
		uint64_t *done;
		struct nvsvm_push p;
		uint32_t s;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		done = nvsvm_igt_bo_alloc(&arena, 8, 8);
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_acquire(&p, VA(&sem[0]), 10, NVSVM_PUSH_SEM_ACQUIRE_GEQ);
		nvsvm_push_sem_release(&p, VA(done), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		s = nvsvm_igt_submit_push(fd, ch, nvsvm_igt_push_end(&arena, &p));

		usleep(BLOCKED_US);
		assert_pending(s);
		WRITE(sem[0], 9);
		usleep(BLOCKED_US);
		assert_pending(s);
		igt_assert_eq_u64(READ(*done), 0);
		/* Negative as a signed number: only an unsigned compare passes it. */
		WRITE(sem[0], 0x80000000u);
		assert_done(s);
		igt_assert_eq_u64(READ(*done), 1);
	}

	igt_describe("A 64-bit SEMAPHORE_ACQUIRE compares all 64 bits, for equal and for GEQ.");
	igt_subtest("semaphore-acquire-64") {
		uint64_t *sem, *done;
		struct nvsvm_push p;
		uint32_t s1, s2;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, 16, 8);
		done = nvsvm_igt_bo_alloc(&arena, 16, 8);
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_acquire(&p, VA(&sem[0]), 0x100000005ull, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_push_sem_release(&p, VA(&done[0]), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		s1 = nvsvm_igt_submit_push(fd, ch, nvsvm_igt_push_end(&arena, &p));
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_acquire(&p, VA(&sem[1]), 0x100000000ull,
				       NVSVM_PUSH_SEM_PAYLOAD_64 | NVSVM_PUSH_SEM_ACQUIRE_GEQ);
		nvsvm_push_sem_release(&p, VA(&done[1]), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		s2 = nvsvm_igt_submit_push(fd, ch, nvsvm_igt_push_end(&arena, &p));

		WRITE(sem[0], 5);	/* the low half matches */
		usleep(BLOCKED_US);
		assert_pending(s1);
		WRITE(sem[0], 0x100000005ull);
		assert_done(s1);
		igt_assert_eq_u64(READ(done[0]), 1);

		WRITE(sem[1], 0xffffffffull);
		usleep(BLOCKED_US);
		assert_pending(s2);
		igt_assert_eq_u64(READ(done[1]), 0);
		WRITE(sem[1], 0x100000000ull);
		assert_done(s2);
		igt_assert_eq_u64(READ(done[1]), 1);
	}

	igt_describe("SEMAPHORE_ACQUIRE (equal) is satisfied by another channel's SEMAPHORE_RELEASE, and not by a release of another value.");
	igt_subtest("semaphore-acquire-eq-channel") {
		uint32_t other = nvsvm_igt_channel_alloc(fd);
		uint64_t *sem, *done;
		struct nvsvm_push p;
		uint32_t s;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		done = nvsvm_igt_bo_alloc(&arena, 8, 8);
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_acquire(&p, VA(sem), 7, 0);
		nvsvm_push_sem_release(&p, VA(done), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		s = nvsvm_igt_submit_push(fd, ch, nvsvm_igt_push_end(&arena, &p));

		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_release(&p, VA(sem), 6, 0);
		igt_assert_eq(nvsvm_igt_run(fd, other, nvsvm_igt_push_end(&arena, &p)), 1);
		usleep(BLOCKED_US);
		assert_pending(s);
		igt_assert_eq_u64(READ(*done), 0);

		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_release(&p, VA(sem), 7, 0);
		igt_assert_eq(nvsvm_igt_run(fd, other, nvsvm_igt_push_end(&arena, &p)), 1);
		assert_done(s);
		igt_assert_eq_u64(READ(*done), 1);
		nvsvm_igt_channel_free(fd, other);
	}

	igt_describe("SEMAPHORE_ACQUIRE with GEQ is satisfied by another channel releasing a larger value.");
	igt_subtest("semaphore-acquire-geq-channel") {
		uint32_t other = nvsvm_igt_channel_alloc(fd);
		uint64_t *sem, *done;
		struct nvsvm_push p;
		uint32_t s;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		done = nvsvm_igt_bo_alloc(&arena, 8, 8);
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_acquire(&p, VA(sem), 100,
				       NVSVM_PUSH_SEM_PAYLOAD_64 | NVSVM_PUSH_SEM_ACQUIRE_GEQ);
		nvsvm_push_sem_release(&p, VA(done), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		s = nvsvm_igt_submit_push(fd, ch, nvsvm_igt_push_end(&arena, &p));

		igt_assert_eq(nvsvm_igt_run(fd, other, release_push(sem, 99)), 1);
		usleep(BLOCKED_US);
		assert_pending(s);
		igt_assert_eq_u64(READ(*done), 0);
		igt_assert_eq(nvsvm_igt_run(fd, other, release_push(sem, 1ull << 40)), 1);
		assert_done(s);
		igt_assert_eq_u64(READ(*done), 1);
		nvsvm_igt_channel_free(fd, other);
	}

	igt_describe("COPY copies bytes between unaligned addresses across pages, and nothing outside the range.");
	igt_subtest("copy") {
		const uint64_t size = 12345;
		uint8_t *src, *dst;
		struct nvsvm_push p;
		uint64_t i;

		reset();
		src = nvsvm_igt_bo_alloc(&arena, size + 64, 8);
		dst = nvsvm_igt_bo_alloc(&arena, size + 64, 8);
		for (i = 0; i < size + 64; i++) {
			src[i] = (uint8_t)(i * 7 + 3);
			dst[i] = 0xaa;
		}
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_copy(&p, VA(src + 3), VA(dst + 5), size);
		igt_assert_eq(nvsvm_igt_run(fd, ch, nvsvm_igt_push_end(&arena, &p)), 1);
		for (i = 0; i < size + 64; i++) {
			uint8_t want = i >= 5 && i < 5 + size ? src[i - 5 + 3] : 0xaa;

			igt_assert_f(READ(dst[i]) == want, "dst[%llu] = %#x, expected %#x\n",
				     (unsigned long long)i, READ(dst[i]), want);
		}
	}

	igt_describe("COPY of 1 MiB and a page, page aligned, copies all of it.");
	igt_subtest("copy-large") {
		const uint64_t size = MiB + 4096;
		uint64_t *src, *dst;
		struct nvsvm_push p;
		uint64_t i;

		reset();
		src = nvsvm_igt_bo_alloc(&arena, size, page);
		dst = nvsvm_igt_bo_alloc(&arena, size + page, page);
		for (i = 0; i < size / 8; i++)
			src[i] = i * 0x9e3779b97f4a7c15ull;
		for (i = 0; i < (size + page) / 8; i++)
			dst[i] = ~0ull;
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_copy(&p, VA(src), VA(dst), size);
		igt_assert_eq(nvsvm_igt_run(fd, ch, nvsvm_igt_push_end(&arena, &p)), 1);
		for (i = 0; i < size / 8; i++)
			igt_assert_f(READ(dst[i]) == src[i], "word %llu: %#llx, expected %#llx\n",
				     (unsigned long long)i, (unsigned long long)READ(dst[i]),
				     (unsigned long long)src[i]);
		for (; i < (size + page) / 8; i++)
			igt_assert_eq_u64(READ(dst[i]), ~0ull);
	}

	igt_describe("FILL writes its 32-bit pattern over a 4-byte aligned range across pages, and nothing outside it.");
	igt_subtest("fill") {
		const uint64_t words = 3000;
		uint32_t *dst;
		struct nvsvm_push p;
		uint64_t i;

		reset();
		dst = nvsvm_igt_bo_alloc(&arena, (words + 8) * 4, 8);
		for (i = 0; i < words + 8; i++)
			dst[i] = 0x55555555u;
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_fill(&p, VA(&dst[1]), words * 4, 0xdeadbeefu);
		igt_assert_eq(nvsvm_igt_run(fd, ch, nvsvm_igt_push_end(&arena, &p)), 1);
		igt_assert_eq_u64(READ(dst[0]), 0x55555555u);
		for (i = 1; i <= words; i++)
			igt_assert_f(READ(dst[i]) == 0xdeadbeefu, "word %llu: %#x\n",
				     (unsigned long long)i, READ(dst[i]));
		for (; i < words + 8; i++)
			igt_assert_eq_u64(READ(dst[i]), 0x55555555u);
	}

	igt_describe("MEMBAR between methods is accepted and the methods around it run; a job of MEMBARs completes.");
	igt_subtest("membar") {
		uint64_t *mem;
		struct nvsvm_push p;

		reset();
		mem = nvsvm_igt_bo_alloc(&arena, 16, 8);
		nvsvm_igt_push_begin(&arena, &p, 128);
		nvsvm_push_sem_release(&p, VA(&mem[0]), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_push_membar(&p);
		/* Copy what was released before the barrier. */
		nvsvm_push_copy(&p, VA(&mem[0]), VA(&mem[1]), 8);
		nvsvm_push_membar(&p);
		igt_assert_eq(nvsvm_igt_run(fd, ch, nvsvm_igt_push_end(&arena, &p)), 1);
		igt_assert_eq_u64(READ(mem[0]), 1);
		igt_assert_eq_u64(READ(mem[1]), 1);

		nvsvm_igt_push_begin(&arena, &p, 16);
		nvsvm_push_membar(&p);
		nvsvm_push_membar(&p);
		igt_assert_eq(nvsvm_igt_run(fd, ch, nvsvm_igt_push_end(&arena, &p)), 1);
	}

	/* Jobs */

	igt_describe("A marker job (no push buffer) signals on an idle channel, and after a blocked earlier job only once that job completes.");
	igt_subtest("marker") {
		uint64_t *sem, *done;
		uint32_t s1, m;

		reset();
		m = nvsvm_igt_submit(fd, ch, NULL, 0, 0);
		assert_done(m);
		nvsvm_igt_syncobj_destroy(fd, m);

		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		done = nvsvm_igt_bo_alloc(&arena, 8, 8);
		s1 = nvsvm_igt_submit_push(fd, ch, acquire_push(sem, 1, done));
		m = nvsvm_igt_submit(fd, ch, NULL, 0, 0);
		usleep(BLOCKED_US);
		assert_pending(m);
		WRITE(*sem, 1);
		assert_done(m);
		/* It signalled once the job before it had completed. */
		igt_assert_eq_u64(READ(*done), 1);
		igt_assert_eq(nvsvm_igt_fence_status(fd, s1), 1);
	}

	igt_describe("Jobs of one channel run in submission order: each copies a counter the one before wrote.");
	igt_subtest("job-order") {
		enum { JOBS = 64 };
		uint64_t *counter, *log;
		uint32_t syncs[JOBS];
		unsigned int i;

		reset();
		counter = nvsvm_igt_bo_alloc(&arena, 8, 8);
		log = nvsvm_igt_bo_alloc(&arena, JOBS * 8, 8);
		for (i = 0; i < JOBS; i++) {
			struct nvsvm_push p;

			log[i] = ~0ull;
			nvsvm_igt_push_begin(&arena, &p, 64);
			nvsvm_push_copy(&p, VA(counter), VA(&log[i]), 8);
			nvsvm_push_sem_release(&p, VA(counter), i + 1, NVSVM_PUSH_SEM_PAYLOAD_64);
			syncs[i] = nvsvm_igt_submit_push(fd, ch, nvsvm_igt_push_end(&arena, &p));
		}
		assert_done(syncs[JOBS - 1]);
		for (i = 0; i < JOBS; i++) {
			igt_assert_eq(nvsvm_igt_fence_status(fd, syncs[i]), 1);
			igt_assert_eq_u64(READ(log[i]), i);
		}
		igt_assert_eq_u64(READ(*counter), JOBS);
	}

	igt_describe("A job does not overtake a blocked earlier job of its channel.");
	igt_subtest("job-order-blocked") {
		uint64_t *sem, *a, *b;
		uint32_t s1, s2;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		a = nvsvm_igt_bo_alloc(&arena, 8, 8);
		b = nvsvm_igt_bo_alloc(&arena, 8, 8);
		s1 = nvsvm_igt_submit_push(fd, ch, acquire_push(sem, 1, a));
		s2 = nvsvm_igt_submit_push(fd, ch, release_push(b, 1));
		usleep(BLOCKED_US);
		assert_pending(s1);
		assert_pending(s2);
		igt_assert_eq_u64(READ(*b), 0);
		WRITE(*sem, 1);
		assert_done(s2);
		igt_assert_eq(nvsvm_igt_fence_status(fd, s1), 1);
		igt_assert_eq_u64(READ(*a), 1);
		igt_assert_eq_u64(READ(*b), 1);
	}

	igt_describe("A job of DRM_NVSVM_EXEC_MAX_PUSHES push buffers runs them all, in order.");
	igt_subtest("exec-max-pushes") {
		enum { N = DRM_NVSVM_EXEC_MAX_PUSHES };
		struct drm_nvsvm_push pushes[N];
		uint64_t *counter, *log;
		unsigned int i;
		uint32_t s;

		reset();
		counter = nvsvm_igt_bo_alloc(&arena, 8, 8);
		log = nvsvm_igt_bo_alloc(&arena, N * 8, 8);
		for (i = 0; i < N; i++) {
			struct nvsvm_push p;

			log[i] = ~0ull;
			nvsvm_igt_push_begin(&arena, &p, 64);
			nvsvm_push_copy(&p, VA(counter), VA(&log[i]), 8);
			nvsvm_push_sem_release(&p, VA(counter), i + 1, NVSVM_PUSH_SEM_PAYLOAD_64);
			pushes[i] = nvsvm_igt_push_end(&arena, &p);
		}
		s = nvsvm_igt_submit(fd, ch, pushes, N, 0);
		assert_done(s);
		for (i = 0; i < N; i++)
			igt_assert_eq_u64(READ(log[i]), i);
	}

	igt_describe("A push buffer of exactly DRM_NVSVM_PUSH_MAX_DWORDS dwords is accepted and runs to its last method.");
	igt_subtest("push-max-dwords") {
		const uint32_t n = DRM_NVSVM_PUSH_MAX_DWORDS;
		uint32_t *pb;

		reset();
		pb = nvsvm_igt_bo_alloc(&arena, (uint64_t)n * 4, page);
		/* One NOP over all but the last 6 dwords, then a release. */
		pb[0] = NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_NOP, n - 7);
		pb[n - 6] = NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_SEMAPHORE_RELEASE, 5);
		pb[n - 5] = (uint32_t)VA(probe);
		pb[n - 4] = (uint32_t)(VA(probe) >> 32);
		pb[n - 3] = 0x3a3a;
		pb[n - 2] = 0;
		pb[n - 1] = 0;
		igt_assert_eq(nvsvm_igt_run(fd, ch, (struct drm_nvsvm_push){ .va = VA(pb), .dwords = n }), 1);
		igt_assert_eq_u64(READ(*probe), 0x3a3a);
	}

	igt_describe("A push buffer that ends exactly at DRM_NVSVM_VA_USER_END is accepted and runs.");
	igt_subtest("push-at-user-end") {
		struct nvsvm_igt_bo top;
		uint32_t *pb;

		reset();
		nvsvm_igt_bo_new_at(dev, page, DRM_NVSVM_VA_USER_END - page, 0, &top);
		pb = (uint32_t *)(top.ptr + page) - 6;
		pb[0] = NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_SEMAPHORE_RELEASE, 5);
		pb[1] = (uint32_t)VA(probe);
		pb[2] = (uint32_t)(VA(probe) >> 32);
		pb[3] = 0x7e7e;
		pb[4] = 0;
		pb[5] = 0;
		igt_assert_eq(nvsvm_igt_run(fd, ch, (struct drm_nvsvm_push){
			.va = DRM_NVSVM_VA_USER_END - 24, .dwords = 6 }), 1);
		igt_assert_eq_u64(READ(*probe), 0x7e7e);
		nvsvm_igt_bo_free(&top);
	}

	igt_describe("A job waiting on another channel's job (binary in-sync) does not start before that job completes.");
	igt_subtest("in-sync-other-channel") {
		uint32_t other = nvsvm_igt_channel_alloc(fd);
		uint64_t *sem, *a_done, *b_done, *b_saw;
		struct nvsvm_push p;
		uint32_t sa, sb;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		a_done = nvsvm_igt_bo_alloc(&arena, 8, 8);
		b_done = nvsvm_igt_bo_alloc(&arena, 8, 8);
		b_saw = nvsvm_igt_bo_alloc(&arena, 8, 8);
		*b_saw = ~0ull;
		sa = nvsvm_igt_submit_push(fd, ch, acquire_push(sem, 1, a_done));

		/* B: copy what A wrote, then mark itself done. */
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_copy(&p, VA(a_done), VA(b_saw), 8);
		nvsvm_push_sem_release(&p, VA(b_done), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		{
			struct drm_nvsvm_push push = nvsvm_igt_push_end(&arena, &p);

			sb = nvsvm_igt_submit(fd, other, &push, 1, sa);
		}
		usleep(BLOCKED_US);
		assert_pending(sa);
		assert_pending(sb);
		igt_assert_eq_u64(READ(*b_done), 0);
		igt_assert_eq_u64(READ(*b_saw), ~0ull);

		WRITE(*sem, 1);
		assert_done(sb);
		igt_assert_eq(nvsvm_igt_fence_status(fd, sa), 1);
		igt_assert_eq_u64(READ(*b_saw), 1);
		igt_assert_eq_u64(READ(*b_done), 1);
		nvsvm_igt_channel_free(fd, other);
	}

	igt_describe("A job waiting on a timeline point does not start before the job signalling that point completes; a point the CPU signalled does not hold it.");
	igt_subtest("in-sync-timeline") {
		uint32_t other = nvsvm_igt_channel_alloc(fd);
		uint32_t t = nvsvm_igt_syncobj(fd), cpu_t = nvsvm_igt_syncobj(fd);
		uint32_t sb = nvsvm_igt_syncobj(fd);
		uint64_t *sem, *a_done, *b_saw, cpu_point = 9;
		struct drm_nvsvm_sync a_out = { .handle = t, .point = 5 };
		struct drm_nvsvm_sync b_in[2] = {
			{ .handle = t, .point = 5 }, { .handle = cpu_t, .point = 9 },
		};
		struct drm_nvsvm_sync b_out = { .handle = sb };
		struct drm_nvsvm_push pa, pb;
		struct nvsvm_push p;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		a_done = nvsvm_igt_bo_alloc(&arena, 8, 8);
		b_saw = nvsvm_igt_bo_alloc(&arena, 8, 8);
		*b_saw = ~0ull;
		igt_assert_eq(drmSyncobjTimelineSignal(fd, &cpu_t, &cpu_point, 1), 0);

		pa = acquire_push(sem, 1, a_done);
		igt_assert_eq(nvsvm_igt_exec(fd, ch, &pa, 1, NULL, 0, &a_out, 1), 0);
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_copy(&p, VA(a_done), VA(b_saw), 8);
		pb = nvsvm_igt_push_end(&arena, &p);
		igt_assert_eq(nvsvm_igt_exec(fd, other, &pb, 1, b_in, 2, &b_out, 1), 0);

		usleep(BLOCKED_US);
		igt_assert_eq(nvsvm_igt_syncobj_wait(fd, t, 5, 0), -ETIME);
		assert_pending(sb);
		igt_assert_eq_u64(READ(*b_saw), ~0ull);
		WRITE(*sem, 1);
		assert_done(sb);
		igt_assert_eq(nvsvm_igt_syncobj_wait(fd, t, 5, 0), 0);
		igt_assert_eq_u64(READ(*b_saw), 1);
		nvsvm_igt_channel_free(fd, other);
	}

	igt_describe("Out-syncs at timeline points signal as their jobs complete, and the timeline's value follows.");
	igt_subtest("out-sync-timeline") {
		uint32_t t = nvsvm_igt_syncobj(fd);
		struct drm_nvsvm_sync out3 = { .handle = t, .point = 3 };
		struct drm_nvsvm_sync out7 = { .handle = t, .point = 7 };
		struct drm_nvsvm_push p1, p2;
		uint64_t *sem, *done, value = ~0ull;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		done = nvsvm_igt_bo_alloc(&arena, 16, 8);
		p1 = release_push(&done[0], 1);
		p2 = acquire_push(sem, 1, &done[1]);
		igt_assert_eq(nvsvm_igt_exec(fd, ch, &p1, 1, NULL, 0, &out3, 1), 0);
		igt_assert_eq(nvsvm_igt_exec(fd, ch, &p2, 1, NULL, 0, &out7, 1), 0);

		igt_assert_eq(nvsvm_igt_syncobj_wait(fd, t, 3, TIMEOUT), 0);
		igt_assert_eq_u64(READ(done[0]), 1);
		usleep(BLOCKED_US);
		igt_assert_eq(nvsvm_igt_syncobj_wait(fd, t, 7, 0), -ETIME);
		igt_assert_eq(drmSyncobjQuery(fd, &t, &value, 1), 0);
		igt_assert_eq_u64(value, 3);

		WRITE(*sem, 1);
		igt_assert_eq(nvsvm_igt_syncobj_wait(fd, t, 7, TIMEOUT), 0);
		igt_assert_eq_u64(READ(done[1]), 1);
		igt_assert_eq(drmSyncobjQuery(fd, &t, &value, 1), 0);
		igt_assert_eq_u64(value, 7);
		nvsvm_igt_syncobj_destroy(fd, t);
	}

	igt_describe("A job with DRM_NVSVM_EXEC_MAX_SYNCS out-syncs, binary and timeline, signals all of them when it completes, none before.");
	igt_subtest("out-syncs-many") {
		enum { N = DRM_NVSVM_EXEC_MAX_SYNCS };
		struct drm_nvsvm_sync out[N];
		struct drm_nvsvm_push push;
		uint64_t *sem, *done;
		unsigned int i;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		done = nvsvm_igt_bo_alloc(&arena, 8, 8);
		for (i = 0; i < N; i++)
			out[i] = (struct drm_nvsvm_sync){
				.handle = nvsvm_igt_syncobj(fd), .point = i % 2 ? i : 0,
			};
		push = acquire_push(sem, 1, done);
		igt_assert_eq(nvsvm_igt_exec(fd, ch, &push, 1, NULL, 0, out, N), 0);
		usleep(BLOCKED_US);
		for (i = 0; i < N; i++)
			igt_assert_eq(nvsvm_igt_syncobj_wait(fd, out[i].handle, out[i].point, 0),
				      -ETIME);
		WRITE(*sem, 1);
		for (i = 0; i < N; i++) {
			igt_assert_eq(nvsvm_igt_syncobj_wait(fd, out[i].handle, out[i].point, TIMEOUT), 0);
			if (!out[i].point)
				igt_assert_eq(nvsvm_igt_fence_status(fd, out[i].handle), 1);
		}
		igt_assert_eq_u64(READ(*done), 1);
		for (i = 0; i < N; i++)
			nvsvm_igt_syncobj_destroy(fd, out[i].handle);
	}

	igt_describe("A job with DRM_NVSVM_EXEC_MAX_SYNCS in-syncs starts only after the last of them signals.");
	igt_subtest("in-syncs-many") {
		enum { N = DRM_NVSVM_EXEC_MAX_SYNCS, BLOCKERS = 4 };
		struct drm_nvsvm_sync in[N];
		uint32_t chans[BLOCKERS];
		uint64_t *sem, *done;
		uint32_t s;
		unsigned int i;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, BLOCKERS * 8, 8);
		done = nvsvm_igt_bo_alloc(&arena, 8, 8);
		/* The first few wait on jobs each blocked on its own semaphore. */
		for (i = 0; i < BLOCKERS; i++) {
			chans[i] = nvsvm_igt_channel_alloc(fd);
			in[i] = (struct drm_nvsvm_sync){
				.handle = nvsvm_igt_submit_push(fd, chans[i],
								acquire_push(&sem[i], 1, NULL)),
			};
		}
		for (; i < N; i++)
			in[i] = (struct drm_nvsvm_sync){ .handle = nvsvm_igt_syncobj_signalled(fd) };
		{
			struct drm_nvsvm_push push = release_push(done, 1);
			struct drm_nvsvm_sync out = { .handle = nvsvm_igt_syncobj(fd) };

			igt_assert_eq(nvsvm_igt_exec(fd, ch, &push, 1, in, N, &out, 1), 0);
			s = out.handle;
		}
		for (i = BLOCKERS; i-- > 0;) {
			usleep(BLOCKED_US / 2);
			assert_pending(s);
			igt_assert_eq_u64(READ(*done), 0);
			WRITE(sem[i], 1);
		}
		assert_done(s);
		igt_assert_eq_u64(READ(*done), 1);
		for (i = 0; i < BLOCKERS; i++)
			nvsvm_igt_channel_free(fd, chans[i]);
	}

	igt_describe("An out-syncobj used again is given the new job's fence.");
	igt_subtest("out-sync-reuse") {
		struct drm_nvsvm_sync out = { .handle = nvsvm_igt_syncobj(fd) };
		struct drm_nvsvm_push p1, p2;
		uint64_t *sem, *done;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		done = nvsvm_igt_bo_alloc(&arena, 8, 8);
		p1 = release_push(probe, 1);
		igt_assert_eq(nvsvm_igt_exec(fd, ch, &p1, 1, NULL, 0, &out, 1), 0);
		assert_done(out.handle);
		p2 = acquire_push(sem, 1, done);
		igt_assert_eq(nvsvm_igt_exec(fd, ch, &p2, 1, NULL, 0, &out, 1), 0);
		usleep(BLOCKED_US);
		assert_pending(out.handle);
		WRITE(*sem, 1);
		assert_done(out.handle);
		igt_assert_eq_u64(READ(*done), 1);
	}

	igt_describe("16 channels of one file run at once: each waits for a token the channel submitted after it passes on.");
	igt_subtest("many-channels") {
		enum { N = 16 };
		uint32_t chans[N], syncs[N];
		uint64_t *token, *done;
		int i;

		reset();
		/* The file's limit has room for 16: give the fixture's back. */
		igt_require(nvsvm_igt_get_param(fd, DRM_NVSVM_PARAM_CHANNELS_PER_FILE) >= N);
		nvsvm_igt_channel_free(fd, ch);
		token = nvsvm_igt_bo_alloc(&arena, 8, 8);
		done = nvsvm_igt_bo_alloc(&arena, N * 8, 8);
		for (i = 0; i < N; i++)
			chans[i] = nvsvm_igt_channel_alloc(fd);
		/*
		 * Channel i waits for token == i, then sets it to i + 1. They
		 * are submitted last first: a driver or GPU running channels
		 * one at a time, in submission order, would never finish.
		 */
		for (i = N - 1; i >= 0; i--) {
			struct nvsvm_push p;

			nvsvm_igt_push_begin(&arena, &p, 128);
			nvsvm_push_sem_acquire(&p, VA(token), i, NVSVM_PUSH_SEM_PAYLOAD_64);
			nvsvm_push_sem_release(&p, VA(&done[i]), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
			nvsvm_push_sem_release(&p, VA(token), i + 1, NVSVM_PUSH_SEM_PAYLOAD_64);
			syncs[i] = nvsvm_igt_submit_push(fd, chans[i], nvsvm_igt_push_end(&arena, &p));
		}
		for (i = 0; i < N; i++)
			assert_done(syncs[i]);
		igt_assert_eq_u64(READ(*token), N);
		for (i = 0; i < N; i++) {
			igt_assert_eq_u64(READ(done[i]), 1);
			nvsvm_igt_channel_free(fd, chans[i]);
		}
		ch = nvsvm_igt_channel_alloc(fd);
	}

	igt_fixture {
		nvsvm_igt_channel_free(fd, ch);
		nvsvm_igt_bo_free(&arena);
		nvsvm_device_close(dev);
	}
}
