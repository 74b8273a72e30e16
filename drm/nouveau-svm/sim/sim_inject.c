// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Fault injection control
 *
 * The debugfs side of the fault-injection knobs (see "Fault injection" in
 * sim_inject.h for what each does): a root directory, nvsvm-sim, made at
 * module load, and in it one directory per GPU with one file per knob of
 * its &struct nvsvm_sim_inject. The blocks read the knobs themselves;
 * this file only makes them reachable.
 *
 * A GPU's directory is named after the name it was created with. Unit
 * tests create GPUs of one name, possibly two at a time, so a name taken
 * already gets a "-N" suffix; the name used is in &nvsvm_sim_inject.name.
 *
 * Debugfs is best effort, as everywhere in the kernel: a GPU whose
 * directory could not be made works, its knobs inert.
 *
 * Locking: nvsvm_sim_inject_lock serialises making and removing the GPUs'
 * directories, so that two GPUs never pick the same name. The knobs
 * themselves are atomics or single words, read by the blocks without a
 * lock; debugfs removal waits for the file operations in flight, so a
 * write never reaches a GPU being destroyed.
 */

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/stat.h>
#include <linux/string.h>

#include "sim_internal.h"

/* Suffixes tried for a name already taken, "-1" up to this. */
#define NVSVM_SIM_INJECT_MAX_SUFFIX	99

/* The root, /sys/kernel/debug/nvsvm-sim, or NULL. Set at module load. */
static struct dentry *nvsvm_sim_inject_root;
/* Serialises making and removing the GPUs' directories. */
static DEFINE_MUTEX(nvsvm_sim_inject_lock);

/**
 * nvsvm_sim_inject_module_init() - Make the debugfs root, at module load
 */
void nvsvm_sim_inject_module_init(void)
{
	struct dentry *root = debugfs_create_dir("nvsvm-sim", NULL);

	nvsvm_sim_inject_root = IS_ERR(root) ? NULL : root;
}

/**
 * nvsvm_sim_inject_module_exit() - Remove the debugfs root, at unload
 *
 * Every GPU is gone by then.
 */
void nvsvm_sim_inject_module_exit(void)
{
	debugfs_remove(nvsvm_sim_inject_root);
	nvsvm_sim_inject_root = NULL;
}

/* Is @name free in the root? Under nvsvm_sim_inject_lock. */
static bool nvsvm_sim_inject_name_free(const char *name)
{
	struct dentry *d;

	lockdep_assert_held(&nvsvm_sim_inject_lock);
	d = debugfs_lookup(name, nvsvm_sim_inject_root);
	if (IS_ERR_OR_NULL(d))
		return true;
	dput(d);
	return false;
}

/* Pick a free directory name for @name into @inject->name. */
static bool nvsvm_sim_inject_pick_name(struct nvsvm_sim_inject *inject,
				       const char *name)
{
	unsigned int n;

	strscpy(inject->name, name, sizeof(inject->name));
	if (nvsvm_sim_inject_name_free(inject->name))
		return true;
	for (n = 1; n <= NVSVM_SIM_INJECT_MAX_SUFFIX; n++) {
		snprintf(inject->name, sizeof(inject->name), "%.*s-%u",
			 (int)sizeof(inject->name) - 4, name, n);
		if (nvsvm_sim_inject_name_free(inject->name))
			return true;
	}
	return false;
}

/**
 * nvsvm_sim_inject_init() - Make a GPU's knob files
 * @sim: The GPU, whose knobs are all 0.
 * @name: Its name: the board's, or a test's.
 *
 * Best effort: without debugfs, the knobs stay inert.
 */
void nvsvm_sim_inject_init(struct nvsvm_sim *sim, const char *name)
{
	static const char *const drop_irq_names[NVSVM_IRQ_COUNT] = {
		[NVSVM_IRQ_FIFO] = "drop_irq_fifo",
		[NVSVM_IRQ_FAULT] = "drop_irq_fault",
		[NVSVM_IRQ_CE] = "drop_irq_ce",
		[NVSVM_IRQ_ACC] = "drop_irq_acc",
	};
	struct nvsvm_sim_inject *inject = &sim->inject;
	const umode_t mode = 0600;
	struct dentry *dir;
	unsigned int line;

	if (!nvsvm_sim_inject_root)
		return;

	mutex_lock(&nvsvm_sim_inject_lock);
	if (!nvsvm_sim_inject_pick_name(inject, name))
		goto out_unlock;
	dir = debugfs_create_dir(inject->name, nvsvm_sim_inject_root);
	if (IS_ERR(dir))
		goto out_unlock;
	inject->dir = dir;

	for (line = 0; line < NVSVM_IRQ_COUNT; line++)
		debugfs_create_atomic_t(drop_irq_names[line], mode, dir,
					&inject->drop_irq[line]);
	debugfs_create_atomic_t("fault_overflow", mode, dir, &inject->fault_overflow);
	debugfs_create_atomic_t("ce_fail", mode, dir, &inject->ce_fail);
	debugfs_create_u32("ce_delay_ms", mode, dir, &inject->ce_delay_ms);
	debugfs_create_u32("inv_delay_ms", mode, dir, &inject->inv_delay_ms);
	debugfs_create_atomic_t("inv_stuck", mode, dir, &inject->inv_stuck);
	debugfs_create_atomic_t("vram_fail", mode, dir, &inject->vram_fail);
out_unlock:
	mutex_unlock(&nvsvm_sim_inject_lock);
}

/**
 * nvsvm_sim_inject_fini() - Remove a GPU's knob files
 * @sim: The GPU.
 *
 * Waits for file operations in flight: no knob is written once this
 * returns.
 */
void nvsvm_sim_inject_fini(struct nvsvm_sim *sim)
{
	mutex_lock(&nvsvm_sim_inject_lock);
	debugfs_remove(sim->inject.dir);
	sim->inject.dir = NULL;
	mutex_unlock(&nvsvm_sim_inject_lock);
}
