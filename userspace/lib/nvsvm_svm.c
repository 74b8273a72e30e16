// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * Shared virtual memory: SVM_INIT, jobs in fault mode with user fences,
 * WAIT_USER_FENCE, code and push buffers in process memory, and the
 * driver's SVM statistics from debugfs.
 *
 * The library remembers, per channel, the last user fence it submitted
 * there (struct nvsvm_chan_state, under the device's lock), so that when a
 * channel's ring is full (EXEC's -EBUSY) it can wait for that fence and try
 * again. The lock is held across the EXEC ioctl itself, which does not
 * block, so that a channel's timeline gets its sequence numbers in
 * submission order; it is never held across a wait.
 */

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "nvsvm.h"
#include "nvsvm_asm.h"
#include "nvsvm_drm.h"
#include "nvsvm_internal.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Sleeps between retries of a ring that stays full after its fence: 100 µs .. 10 ms. */
#define BUSY_BACKOFF_MIN_US	100
#define BUSY_BACKOFF_MAX_US	10000

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The CLOCK_MONOTONIC time @timeout_ns from now; INT64_MAX for none (negative). */
static int64_t deadline_of(int64_t timeout_ns)
{
	int64_t now = now_ns();

	if (timeout_ns < 0 || timeout_ns > INT64_MAX - now)
		return INT64_MAX;
	return now + timeout_ns;
}

/* Nanoseconds left until @deadline: at least 0; -1 for none. */
static int64_t left_until(int64_t deadline)
{
	int64_t now;

	if (deadline == INT64_MAX)
		return -1;
	now = now_ns();
	return deadline > now ? deadline - now : 0;
}

int nvsvm_svm_supported(const struct nvsvm_device *dev)
{
	return dev->version_major == 1 && dev->version_minor >= 3;
}

int nvsvm_svm_init(struct nvsvm_device *dev, uint64_t bo_va, uint64_t bo_range)
{
	struct drm_nvsvm_svm_init args = { .bo_va = bo_va, .bo_range = bo_range };

	/* An older driver would say -EINVAL, as for any ioctl it does not know. */
	if (!nvsvm_svm_supported(dev))
		return -EOPNOTSUPP;
	if (ioctl(dev->fd, DRM_IOCTL_NVSVM_SVM_INIT, &args))
		return -errno;
	return 0;
}

int nvsvm_svm_code(const char *src, uint64_t **code, size_t *count, char *err,
		   size_t errlen)
{
	size_t i;
	int ret;

	/* malloc'd, so 8-byte aligned as LAUNCH wants. */
	ret = nvsvm_assemble(src, code, count, err, errlen);
	if (ret)
		return ret;
	for (i = 0; i < *count; i++)
		(*code)[i] = htole64((*code)[i]);
	return 0;
}

int nvsvm_push_to_exec(const struct nvsvm_push *p, struct drm_nvsvm_push *out)
{
	uint64_t va = (uintptr_t)p->dw;

	if (p->overflow)
		return -ENOSPC;
	if (!p->len || va + 4ull * p->len > DRM_NVSVM_VA_USER_END)
		return -EINVAL;
	out->va = va;
	out->dwords = p->len;
	out->flags = 0;
	return 0;
}

int nvsvm_wait_user_fence(struct nvsvm_device *dev, uint64_t va, uint64_t value,
			  uint64_t mask, uint32_t op, int64_t timeout_ns, uint32_t channel)
{
	struct drm_nvsvm_wait_user_fence args = {
		.va = va,
		.value = value,
		.mask = mask,
		.timeout_ns = timeout_ns < 0 ? INT64_MAX : timeout_ns,
		.op = op,
		.channel = channel,
	};

	for (;;) {
		if (ioctl(dev->fd, DRM_IOCTL_NVSVM_WAIT_USER_FENCE, &args) == 0)
			return 0;
		if (errno != EINTR)
			return -errno;
		/* A signal: the kernel left the time that remains in args.timeout_ns. */
	}
}

/* ---- What the library knows of each channel ----------------------------- */

/* The state of @channel, created if @create; NULL if absent or out of memory. */
static struct nvsvm_chan_state *chan_state(struct nvsvm_device *dev, uint32_t channel,
					   int create)
{
	struct nvsvm_chan_state *st;
	size_t i;

	for (i = 0; i < dev->nr_chans; i++)
		if (dev->chans[i].channel == channel)
			return &dev->chans[i];
	if (!create)
		return NULL;
	if (dev->nr_chans == dev->cap_chans) {
		size_t cap = dev->cap_chans ? 2 * dev->cap_chans : 8;

		st = realloc(dev->chans, cap * sizeof(*st));
		if (!st)
			return NULL;
		dev->chans = st;
		dev->cap_chans = cap;
	}
	st = &dev->chans[dev->nr_chans++];
	memset(st, 0, sizeof(*st));
	st->channel = channel;
	return st;
}

void nvsvm_chan_state_drop(struct nvsvm_device *dev, uint32_t channel)
{
	struct nvsvm_chan_state *st;

	pthread_mutex_lock(&dev->lock);
	st = chan_state(dev, channel, 0);
	if (st) {
		free(st->timeline);
		*st = dev->chans[--dev->nr_chans];
	}
	pthread_mutex_unlock(&dev->lock);
}

/* The channel's last user fence, as the ring-full wait needs it. */
struct last_fence {
	uint64_t va;
	uint64_t value;
	uint32_t op;
};

static int exec_raw(struct nvsvm_device *dev, uint32_t channel,
		    const struct drm_nvsvm_push *pushes, uint32_t push_count,
		    const struct drm_nvsvm_sync *in, uint32_t in_count,
		    uint64_t fence_va, uint64_t fence_value)
{
	struct drm_nvsvm_exec args = {
		.channel = channel,
		.push_count = push_count,
		.in_sync_count = in_count,
		.pushes = (uintptr_t)pushes,
		.in_syncs = (uintptr_t)in,
		.user_fence_va = fence_va,
		.user_fence_value = fence_value,
	};
	int ret;

	do {
		ret = ioctl(dev->fd, DRM_IOCTL_NVSVM_EXEC, &args);
	} while (ret == -1 && errno == EINTR);
	return ret ? -errno : 0;
}

/*
 * The ring of @channel was full: wait for its last user fence @last, then
 * let the caller try again. From the second time on (*@backoff_us set), the
 * fence had been written already and the kernel has not yet seen the ring
 * drain: sleep a little, longer each time. -EBUSY once @deadline passes or
 * if there is no fence to wait for.
 */
static int wait_for_room(struct nvsvm_device *dev, uint32_t channel,
			 const struct last_fence *last, int64_t deadline,
			 unsigned int *backoff_us)
{
	int64_t left = left_until(deadline);
	int ret;

	if (!last->va || left == 0)
		return -EBUSY;
	ret = nvsvm_wait_user_fence(dev, last->va, last->value, ~0ull, last->op, left,
				    channel);
	if (ret == -ETIME)
		return -EBUSY;
	if (ret)
		return ret;
	if (*backoff_us) {
		left = left_until(deadline);
		if (left >= 0 && left < *backoff_us * 1000ll)
			return -EBUSY;
		usleep(*backoff_us);
		*backoff_us = *backoff_us * 2 > BUSY_BACKOFF_MAX_US ? BUSY_BACKOFF_MAX_US
								    : *backoff_us * 2;
	} else {
		*backoff_us = BUSY_BACKOFF_MIN_US;
	}
	return 0;
}

int nvsvm_exec_fence(struct nvsvm_device *dev, uint32_t channel,
		     const struct drm_nvsvm_push *pushes, uint32_t push_count,
		     const struct drm_nvsvm_sync *in, uint32_t in_count,
		     uint64_t fence_va, uint64_t fence_value, int64_t busy_timeout_ns)
{
	int64_t deadline = deadline_of(busy_timeout_ns);
	unsigned int backoff_us = 0;
	struct last_fence last;
	int ret;

	for (;;) {
		struct nvsvm_chan_state *st;

		memset(&last, 0, sizeof(last));
		pthread_mutex_lock(&dev->lock);
		ret = exec_raw(dev, channel, pushes, push_count, in, in_count, fence_va,
			       fence_value);
		/* Out of memory for the record: the job runs all the same. */
		st = chan_state(dev, channel, !ret && fence_va);
		if (st && !ret && fence_va) {
			st->fence_va = fence_va;
			st->fence_value = fence_value;
		} else if (st && ret == -EBUSY) {
			last.va = st->fence_va;
			last.value = st->fence_value;
			last.op = st->timeline && st->fence_va == (uintptr_t)st->timeline ?
				  DRM_NVSVM_WAIT_GTE : DRM_NVSVM_WAIT_EQ;
		}
		pthread_mutex_unlock(&dev->lock);
		if (ret != -EBUSY)
			return ret;
		ret = wait_for_room(dev, channel, &last, deadline, &backoff_us);
		if (ret)
			return ret;
	}
}

int nvsvm_svm_submit(struct nvsvm_device *dev, uint32_t channel,
		     const struct drm_nvsvm_push *pushes, uint32_t push_count,
		     int64_t busy_timeout_ns, uint64_t *seqno)
{
	int64_t deadline = deadline_of(busy_timeout_ns);
	unsigned int backoff_us = 0;
	struct last_fence last;
	int ret;

	for (;;) {
		struct nvsvm_chan_state *st;
		uint64_t want;

		memset(&last, 0, sizeof(last));
		pthread_mutex_lock(&dev->lock);
		st = chan_state(dev, channel, 1);
		if (st && !st->timeline)
			st->timeline = calloc(1, sizeof(*st->timeline));	/* 8-byte aligned */
		if (!st || !st->timeline) {
			pthread_mutex_unlock(&dev->lock);
			return -ENOMEM;
		}
		want = st->seqno + 1;
		ret = exec_raw(dev, channel, pushes, push_count, NULL, 0,
			       (uintptr_t)st->timeline, want);
		if (!ret) {
			st->seqno = want;
			st->fence_va = (uintptr_t)st->timeline;
			st->fence_value = want;
			*seqno = want;
		} else if (ret == -EBUSY) {
			last.va = st->fence_va;
			last.value = st->fence_value;
			last.op = st->fence_va == (uintptr_t)st->timeline ? DRM_NVSVM_WAIT_GTE
									  : DRM_NVSVM_WAIT_EQ;
		}
		pthread_mutex_unlock(&dev->lock);
		if (ret != -EBUSY)
			return ret;
		ret = wait_for_room(dev, channel, &last, deadline, &backoff_us);
		if (ret)
			return ret;
	}
}

int nvsvm_svm_wait(struct nvsvm_device *dev, uint32_t channel, uint64_t seqno,
		   int64_t timeout_ns)
{
	struct nvsvm_chan_state *st;
	uint64_t va = 0;

	pthread_mutex_lock(&dev->lock);
	st = chan_state(dev, channel, 0);
	if (st && st->timeline && seqno && seqno <= st->seqno)
		va = (uintptr_t)st->timeline;
	pthread_mutex_unlock(&dev->lock);
	if (!va)
		return -EINVAL;	/* no such job was submitted */
	return nvsvm_wait_user_fence(dev, va, seqno, ~0ull, DRM_NVSVM_WAIT_GTE, timeout_ns,
				     channel);
}

int nvsvm_svm_exec_wait(struct nvsvm_device *dev, uint32_t channel,
			const struct drm_nvsvm_push *pushes, uint32_t push_count,
			int64_t timeout_ns)
{
	int64_t deadline = deadline_of(timeout_ns);
	uint64_t seqno;
	int ret;

	ret = nvsvm_svm_submit(dev, channel, pushes, push_count, timeout_ns, &seqno);
	if (ret)
		return ret;
	return nvsvm_svm_wait(dev, channel, seqno, left_until(deadline));
}

/* ---- Statistics ---------------------------------------------------------- */

static const struct {
	const char *key;
	size_t offset;
} stats_counters[] = {
#define COUNTER(name) { #name, offsetof(struct nvsvm_svm_stats, name) }
	COUNTER(faults), COUNTER(batches), COUNTER(duplicates), COUNTER(replays),
	COUNTER(cancels), COUNTER(invalidations), COUNTER(blocks), COUNTER(retries),
	COUNTER(map_4k), COUNTER(map_2m), COUNTER(exclusive),
#undef COUNTER
};

/* An unsigned decimal number at *@s, moving *@s past it. */
static int parse_u64(const char **s, uint64_t *v)
{
	const char *p = *s;
	uint64_t n = 0;

	if (*p < '0' || *p > '9')
		return -EPROTO;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -EPROTO;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	*s = p;
	*v = n;
	return 0;
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* "bound:count ..." up to the end of the line, into @buckets. */
static int parse_histogram(const char *p, uint64_t *buckets)
{
	for (p = skip_blanks(p); *p && *p != '\n'; p = skip_blanks(p)) {
		uint64_t bound, count;
		unsigned int i;

		if (parse_u64(&p, &bound) || *p++ != ':' || parse_u64(&p, &count))
			return -EPROTO;
		if (!bound || (bound & (bound - 1)))
			return -EPROTO;
		for (i = 0; (1ull << i) != bound; i++)
			;
		if (i >= NVSVM_SVM_STATS_BUCKETS)
			return -EPROTO;
		buckets[i] = count;
		if (*p && *p != ' ' && *p != '\t' && *p != '\n')
			return -EPROTO;
	}
	return 0;
}

int nvsvm_svm_stats_parse(const char *text, struct nvsvm_svm_stats *stats)
{
	unsigned int seen = 0, i;
	const char *line;

	memset(stats, 0, sizeof(*stats));
	for (line = text; *line; ) {
		const char *end = strchr(line, '\n');
		size_t len = strcspn(line, " \t\n");
		const char *p = skip_blanks(line + len);

		if (!end)
			end = line + strlen(line);
		if (len == 10 && !strncmp(line, "batch_size", len)) {
			if (parse_histogram(p, stats->batch_size))
				return -EPROTO;
		} else if (len == 10 && !strncmp(line, "service_us", len)) {
			if (parse_histogram(p, stats->service_us))
				return -EPROTO;
		} else {
			for (i = 0; i < ARRAY_SIZE(stats_counters); i++) {
				if (strlen(stats_counters[i].key) != len ||
				    strncmp(line, stats_counters[i].key, len))
					continue;
				if (parse_u64(&p, (uint64_t *)((char *)stats +
							       stats_counters[i].offset)))
					return -EPROTO;
				p = skip_blanks(p);
				if (p != end)
					return -EPROTO;
				seen |= 1u << i;
				break;
			}
			/* Any other key is one this library does not know yet. */
		}
		line = *end ? end + 1 : end;
	}
	return seen == (1u << ARRAY_SIZE(stats_counters)) - 1 ? 0 : -EPROTO;
}

/* Read the file at @path (at most 64 KiB) into a malloc'd string. */
static int read_text(const char *path, char **text)
{
	size_t size = 0, cap = 65536;
	char *buf;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (size < cap - 1) {
		n = read(fd, buf + size, cap - 1 - size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			free(buf);
			close(fd);
			return (int)n;
		}
		if (n == 0)
			break;
		size += n;
	}
	close(fd);
	buf[size] = '\0';
	*text = buf;
	return 0;
}

int nvsvm_svm_stats_read(struct nvsvm_device *dev, struct nvsvm_svm_stats *stats)
{
	char path[PATH_MAX], link[256];
	char *text = NULL;
	const char *board;
	struct stat st;
	ssize_t n;
	int ret;

	if (fstat(dev->fd, &st))
		return -errno;
	/* dri/<minor> is a link to dri/<unique>, the board's name. */
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/svm_stats", minor(st.st_rdev));
	ret = read_text(path, &text);
	if (ret == -ENOENT) {
		snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device", major(st.st_rdev),
			 minor(st.st_rdev));
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			return -ENOENT;
		link[n] = '\0';
		board = strrchr(link, '/');
		board = board ? board + 1 : link;
		snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%s/svm_stats", board);
		ret = read_text(path, &text);
	}
	if (ret)
		return ret;
	ret = nvsvm_svm_stats_parse(text, stats);
	free(text);
	return ret;
}
