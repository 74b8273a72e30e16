#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest: the kernel's own hmm-tests against test_hmm, the rig's proof that
# HMM works and the baseline for benchmarks. Usage: hmm.sh HMM_TESTS_BINARY
set -u
bin=${1:?hmm-tests binary}

modprobe test_hmm || { echo "RESULT fail hmm.load-test_hmm"; exit 1; }
"$bin" >/tmp/hmm.out 2>&1
sed 's/^/  | /' /tmp/hmm.out
awk '
	/^(not )?ok [0-9]+ / {
		status = ($1 == "not") ? "fail" : "pass"
		line = $0
		sub(/^(not )?ok [0-9]+ /, "", line)
		if (line ~ /# SKIP/) status = "skip"
		sub(/ *#.*/, "", line)
		print "RESULT " status " hmm-tests." line
	}' /tmp/hmm.out
rmmod test_hmm || echo "RESULT fail hmm.unload-test_hmm"
