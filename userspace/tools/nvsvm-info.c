// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/* nvsvm-info: list the nvsvm GPUs and what they are made of. */

#include <stdio.h>
#include <string.h>

#include "nvsvm.h"

static void print_page_sizes(uint32_t sizes)
{
	const char *sep = "";
	int bit;

	for (bit = 0; bit < 32; bit++) {
		if (!(sizes & (1u << bit)))
			continue;
		if (bit >= 20)
			printf("%s%u MiB", sep, 1u << (bit - 20));
		else
			printf("%s%u KiB", sep, 1u << (bit - 10));
		sep = ", ";
	}
	printf("\n");
}

int main(void)
{
	int n = nvsvm_device_count();
	int i;

	if (n < 0) {
		fprintf(stderr, "nvsvm-info: cannot list DRM devices: %s\n", strerror(-n));
		return 1;
	}
	if (n == 0) {
		fprintf(stderr, "nvsvm-info: no nvsvm GPU found (is the nvsvm module loaded?)\n");
		return 1;
	}

	for (i = 0; i < n; i++) {
		struct nvsvm_device_info info;
		struct nvsvm_device *dev;
		int ret;

		ret = nvsvm_device_open(i, &dev);
		if (!ret) {
			ret = nvsvm_device_query_info(dev, &info);
			if (ret)
				nvsvm_device_close(dev);
		}
		if (ret) {
			fprintf(stderr, "nvsvm-info: GPU %d: %s\n", i, strerror(-ret));
			return 1;
		}
		printf("GPU %d: %s\n", i, nvsvm_device_node(dev));
		printf("  driver:      nvsvm %d.%d.%d\n", info.version_major,
		       info.version_minor, info.version_patchlevel);
		printf("  chipset:     %#010x (architecture %#x)\n", info.chipset,
		       info.chipset >> 20);
		printf("  VRAM:        %llu MiB\n", (unsigned long long)(info.vram_size >> 20));
		printf("  SMs:         %u\n", info.sm_count);
		printf("  copy engines: %u\n", info.ce_count);
		printf("  channels:    %u\n", info.channel_count);
		if (info.channels_per_file)
			printf("  per file:    %u channels\n", info.channels_per_file);
		printf("  SVM:         %s\n", info.svm ? "yes (uAPI 1.3)" :
		       "no (needs uAPI 1.3)");
		printf("  VA bits:     %u\n", info.va_bits);
		printf("  page sizes:  ");
		print_page_sizes(info.page_sizes);
		nvsvm_device_close(dev);
	}
	return 0;
}
