#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest: the kernel's own hmm-tests against test_hmm, the rig's proof that
# HMM works and the baseline for benchmarks. Usage: hmm.sh HMM_TESTS_BINARY
set -u
bin=${1:?hmm-tests binary}

# anon_write_hugetlbfs needs free huge pages (2 MiB each).
echo 16 >/proc/sys/vm/nr_hugepages
modprobe test_hmm || { echo "RESULT fail hmm.load-test_hmm"; exit 1; }
"$bin" >/tmp/hmm.out 2>&1
sed 's/^/  | /' /tmp/hmm.out
awk -v indent=0 -v prefix=hmm-tests. -f "$(dirname "$0")/ktap-results.awk" /tmp/hmm.out
# test_hmm stays loaded: 6.12.95's dmirror_device_remove() lacks the
# put_device() that later kernels have, so unloading it leaks each device's
# name and private data, which the debug flavour's kmemleak would report
# against the rig. The VM is discarded anyway.
