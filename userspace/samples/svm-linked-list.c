// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * svm-linked-list: the CPU builds linked lists with malloc(), one node at a
 * time and shuffled, so that the nodes of a list lie all over the heap; the
 * GPU walks them by following the CPU's pointers, through shared virtual
 * memory (uAPI 1.3).
 *
 * One GPU thread per list walks it from its head: it sums the values and
 * writes into each node the running sum so far and the node's position in
 * the list, and the list's total into a results array. The lists have
 * different lengths, so the threads of a warp part ways (SIMT divergence).
 * The CPU then walks the same lists and checks every node and total.
 *
 * Exits 0 when all is right, or when the driver has no SVM (said so on the
 * output); 1 with a message otherwise.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nvsvm.h"

#define NAME		"svm-linked-list"

#include "sample.h"
#define LISTS		64
#define MIN_NODES	32	/* list l has MIN_NODES + (l * 37) % 64 nodes */
#define TIMEOUT_NS	(120ll * 1000000000)

/* A node as the kernel sees it: four 64-bit words. */
struct node {
	struct node *next;	/* [0] */
	uint64_t value;		/* [8] */
	uint64_t prefix;	/* [16], written by the GPU: the sum up to this node */
	uint64_t index;		/* [24], written by the GPU: the position in the list */
};

_Static_assert(sizeof(struct node) == 32 && sizeof(void *) == 8, "the kernel's layout");

static const char kernel_src[] =
	"# Thread t < nlists walks list t from heads[t]: each node gets the running sum\n"
	"# of the values and its position; results[t] gets the list's sum.\n"
	"# The parameter block: heads (address of an array of node pointers), results,\n"
	"# nlists.\n"
	"	s2r	r1, param\n"
	"	s2r	r2, gtid\n"
	"	ld64	r3, [r1+16]		# nlists\n"
	"	sltu	r4, r2, r3\n"
	"	beqz	r4, done\n"
	"	shli	r5, r2, 3		# t * 8\n"
	"	ld64	r6, [r1]\n"
	"	add	r6, r6, r5\n"
	"	ld64	r6, [r6]		# p = heads[t]\n"
	"	movi	r7, 0			# sum\n"
	"	movi	r8, 0			# position\n"
	"loop:	beqz	r6, end\n"
	"	ld64	r9, [r6+8]		# p->value\n"
	"	add	r7, r7, r9\n"
	"	st64	[r6+16], r7		# p->prefix = sum\n"
	"	st64	[r6+24], r8		# p->index = position\n"
	"	addi	r8, r8, 1\n"
	"	ld64	r6, [r6]		# p = p->next\n"
	"	bra	loop\n"
	"end:	ld64	r10, [r1+8]\n"
	"	add	r10, r10, r5\n"
	"	st64	[r10], r7		# results[t] = sum\n"
	"done:	exit\n";

struct list_params {
	uint64_t heads, results, nlists;
};

/* A deterministic generator, so that a failure can be reproduced. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned int list_length(unsigned int l)
{
	return MIN_NODES + (l * 37) % 64;
}

/*
 * Allocate @total nodes one by one, shuffle them, and link them into LISTS
 * lists; heads[l] gets list l. *@all gets the array of every node (to free).
 */
static int build_lists(struct node **heads, struct node ***all, size_t total)
{
	struct node **nodes = calloc(total, sizeof(*nodes));
	size_t i, k = 0;
	unsigned int l, j;

	if (!nodes)
		return -ENOMEM;
	*all = nodes;	/* the caller frees what was allocated, even on failure */
	for (i = 0; i < total; i++) {
		nodes[i] = malloc(sizeof(struct node));
		if (!nodes[i])
			return -ENOMEM;
		/* Keep clear of the low bits a value could carry into. */
		nodes[i]->value = rng() >> 24;
		nodes[i]->prefix = nodes[i]->index = 0xdeadbeefdeadbeefull;
	}
	for (i = total - 1; i > 0; i--) {		/* Fisher-Yates */
		size_t r = rng() % (i + 1);
		struct node *t = nodes[i];

		nodes[i] = nodes[r];
		nodes[r] = t;
	}
	for (l = 0; l < LISTS; l++) {
		heads[l] = nodes[k];
		for (j = 0; j < list_length(l); j++, k++)
			nodes[k]->next = j + 1 < list_length(l) ? nodes[k + 1] : NULL;
	}
	return 0;
}

/* Walk the lists on the CPU and check what the GPU wrote. */
static size_t check_lists(struct node *const *heads, const uint64_t *results)
{
	size_t bad = 0;
	unsigned int l;

	for (l = 0; l < LISTS; l++) {
		const struct node *p;
		uint64_t sum = 0, pos = 0;

		for (p = heads[l]; p; p = p->next, pos++) {
			sum += p->value;
			if (p->prefix == sum && p->index == pos)
				continue;
			if (bad++ < 5)
				fprintf(stderr, NAME ": list %u node %" PRIu64 " at %p: prefix %#"
					PRIx64 " index %" PRIu64 ", want %#" PRIx64 " %" PRIu64 "\n",
					l, pos, (const void *)p, p->prefix, p->index, sum, pos);
		}
		if (pos != list_length(l)) {
			fprintf(stderr, NAME ": list %u has %" PRIu64 " nodes, want %u\n", l, pos,
				list_length(l));
			bad++;
		}
		if (results[l] != sum) {
			if (bad++ < 5)
				fprintf(stderr, NAME ": list %u: total %#" PRIx64 ", want %#" PRIx64
					"\n", l, results[l], sum);
		}
	}
	return bad;
}

static int run(struct nvsvm_device *dev)
{
	struct node *heads[LISTS], **nodes = NULL;
	struct list_params *prm = NULL;
	uint64_t *results = NULL, *code = NULL, grand = 0;
	uint64_t (*heads_gpu)[LISTS] = NULL;
	uint32_t *push = NULL, channel = 0;
	struct drm_nvsvm_push pb;
	struct nvsvm_push p;
	struct timespec t0;
	size_t count, total = 0, bad, i;
	unsigned int l;
	int ret, rc = 1;
	char err[256];
	double ms;

	for (l = 0; l < LISTS; l++)
		total += list_length(l);

	ret = nvsvm_svm_init(dev, 0, 0);
	if (ret)
		return failed("SVM_INIT", ret);
	ret = nvsvm_svm_code(kernel_src, &code, &count, err, sizeof(err));
	if (ret) {
		fprintf(stderr, NAME ": FAILED: the kernel does not assemble: %s\n", err);
		return 1;
	}
	ret = build_lists(heads, &nodes, total);
	if (ret) {
		rc = failed("building the lists", ret);
		goto out;
	}
	heads_gpu = malloc(sizeof(*heads_gpu));
	results = calloc(LISTS, sizeof(*results));
	prm = malloc(sizeof(*prm));
	push = malloc(256);
	if (!heads_gpu || !results || !prm || !push) {
		rc = failed("malloc", -ENOMEM);
		goto out;
	}
	for (l = 0; l < LISTS; l++)
		(*heads_gpu)[l] = (uintptr_t)heads[l];
	*prm = (struct list_params){
		.heads = (uintptr_t)heads_gpu, .results = (uintptr_t)results, .nlists = LISTS,
	};
	nvsvm_push_init(&p, push, 256);
	nvsvm_push_launch(&p, (uintptr_t)code, (uintptr_t)prm, 1, LISTS);
	ret = nvsvm_push_to_exec(&p, &pb);
	if (ret) {
		rc = failed("building the push buffer", ret);
		goto out;
	}
	ret = nvsvm_channel_alloc(dev, &channel);
	if (ret) {
		rc = failed("allocating a channel", ret);
		goto out;
	}
	printf(NAME ": %d lists of %d to %d nodes, %zu nodes in all, each from its own "
	       "malloc(), shuffled (list 0 starts at %p, then %p, %p, ...)\n", LISTS,
	       MIN_NODES, MIN_NODES + 63, total, (void *)heads[0], (void *)heads[0]->next,
	       (void *)heads[0]->next->next);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = nvsvm_svm_exec_wait(dev, channel, &pb, 1, TIMEOUT_NS);
	ms = ms_since(&t0);
	if (ret) {
		struct nvsvm_channel_error ce;

		rc = failed(ret == -ETIME ? "waiting for the job (120 s)" : "running the job",
			    ret);
		if (ret == -EIO && !nvsvm_channel_get_error(dev, channel, &ce))
			fprintf(stderr, NAME ": channel %u: %s\n", channel,
				nvsvm_channel_error_format(&ce, err, sizeof(err)));
		goto out;
	}
	bad = check_lists(heads, results);
	if (bad) {
		fprintf(stderr, NAME ": FAILED: %zu wrong nodes or totals\n", bad);
		goto out;
	}
	for (l = 0; l < LISTS; l++)
		grand += results[l];
	printf(NAME ": one GPU thread per list followed the CPU's pointers: every node "
	       "holds its running sum and position, every total is right (sum of all %#"
	       PRIx64 ", %.1f ms)\n", grand, ms);
	rc = 0;
out:
	if (channel)
		nvsvm_channel_free(dev, channel);
	if (nodes)
		for (i = 0; i < total; i++)
			free(nodes[i]);
	free(nodes);
	free(push);
	free(prm);
	free(results);
	free(heads_gpu);
	free(code);
	return rc;
}

int main(void)
{
	struct nvsvm_device_info info;
	struct nvsvm_device *dev;
	int rc;

	rc = sample_open(true, &dev, &info);
	if (rc != SAMPLE_RUN)
		return rc;
	rc = run(dev);
	nvsvm_device_close(dev);
	return rc;
}
