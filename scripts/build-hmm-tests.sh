#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-hmm-tests.sh KDIR: build the kernel's own HMM selftest
# (tools/testing/selftests/mm/hmm-tests.c) from the same source package as
# the kernel in KDIR, against that kernel's uapi headers. The binary is kept
# in KDIR; its path is printed on stdout.
set -euo pipefail

kdir=$(cd "${1:?usage: build-hmm-tests.sh KDIR}" && pwd)
src=$(readlink -f "$kdir/source")
sel=$src/tools/testing/selftests
out=$kdir/nvsvm-hmm-tests

if [ ! -x "$out/hmm-tests" ]; then
	mkdir -p "$out"
	make -s -C "$src" O="$kdir" headers_install INSTALL_HDR_PATH="$out/usr" >&2
	srcs=("$sel/mm/hmm-tests.c" "$sel/mm/vm_util.c")
	# Newer trees split the THP helpers out of vm_util.c.
	[ -f "$sel/mm/thp_settings.c" ] && srcs+=("$sel/mm/thp_settings.c")
	[ -f "$sel/mm/hugepage_settings.c" ] && srcs+=("$sel/mm/hugepage_settings.c")
	gcc -O2 -Wall -isystem "$out/usr/include" -I"$sel" -I"$src" \
	    -I"$src/tools/include/uapi" -I"$sel/mm" \
	    -o "$out/hmm-tests.tmp" "${srcs[@]}" -lpthread -lrt >&2
	mv "$out/hmm-tests.tmp" "$out/hmm-tests"
fi
echo "$out/hmm-tests"
