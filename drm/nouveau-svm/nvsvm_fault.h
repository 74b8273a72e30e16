/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_FAULT_H__
#define __NVSVM_FAULT_H__

struct nvsvm_device;
struct platform_device;

int nvsvm_fault_init(struct nvsvm_device *ndev, struct platform_device *pdev);
void nvsvm_fault_unplug(struct nvsvm_device *ndev);
void nvsvm_fault_flush(struct nvsvm_device *ndev);

#endif /* __NVSVM_FAULT_H__ */
