#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh KDIR: build nvsvm.ko (and nvsvm-test.ko) with W=1 against
# the kernel build in KDIR, in a copy of the sources kept per kernel under
# $NVSVM_CACHE/mod/, so that the two kernel legs never share objects and the
# work tree stays clean (NVSVM_MODDIR overrides the directory). Prints the
# module directory on stdout.
# Fails if the build prints any warning. NVSVM_SPARSE=1 adds sparse (C=2).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kdir=$(cd "${1:?usage: build-module.sh KDIR}" && pwd)
cache=${NVSVM_CACHE:-$HOME/.cache/nvsvm}
out=${NVSVM_MODDIR:-$cache/mod/$(basename "$kdir")}

mkdir -p "$out/drm" "$out/uapi"
rsync -a --delete --exclude build "$top/drm/nouveau-svm" "$out/drm/"
rsync -a --delete "$top/uapi/drm" "$out/uapi/"
rsync -a --delete "$top/scripts/rig-selftest/" "$out/rig-selftest/"

target=all
[ "${NVSVM_SPARSE:-0}" = 1 ] && target=check
log=$out/build.log
# Always from clean: objects kept from an earlier build would hide the
# warnings their sources still produce. The module builds in seconds.
make -C "$out/drm/nouveau-svm" KDIR="$kdir" clean >/dev/null 2>&1 || true
if ! make -C "$out/drm/nouveau-svm" KDIR="$kdir" "$target" >"$log" 2>&1; then
	cat "$log" >&2
	echo "build-module.sh: module build failed against $kdir" >&2
	exit 1
fi
make -s -C "$kdir" M="$out/rig-selftest" modules >>"$log" 2>&1 || {
	cat "$log" >&2
	echo "build-module.sh: rig self-test module failed to build" >&2
	exit 1
}
if grep -E 'warning:|error:' "$log" >&2; then
	echo "build-module.sh: the build printed warnings (W=1 must be clean)" >&2
	exit 1
fi
echo "$out/drm/nouveau-svm"
