#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh KDIR: build the modules (nvsvm.ko, nvsvm-sim.ko and, with
# KUnit, nvsvm-test.ko and nvsvm-bench.ko) with W=1 against the kernel build
# in KDIR, outside the work tree, and print the directory holding them.
# Fails if the build prints any warning. NVSVM_SPARSE=1 adds sparse (C=2).
#
# Builds are content addressed: the sources are copied to a fresh staging
# directory, built there from clean, and the finished directory is renamed
# to $NVSVM_CACHE/mod/<kernel>/<hash of the sources, the flags and this
# script>. A build directory is never written again once published, so
# several rig commands can run at once (make run beside make test, two work
# trees) without one cleaning or rebuilding what another is loading. The
# same sources against the same kernel are built once: the output of a
# clean build is a function of them, warnings included.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
self=$top/scripts/$(basename "$0")
kdir=$(cd "${1:?usage: build-module.sh KDIR}" && pwd)
cache=${NVSVM_CACHE:-$HOME/.cache/nvsvm}
sparse=${NVSVM_SPARSE:-0}
base=$cache/mod/$(basename "$kdir")

mkdir -p "$base"
stage=$(mktemp -d "$base/.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# What a clean build sees: the sources, without anything a build leaves.
mkdir -p "$stage/drm" "$stage/uapi"
excl=(--exclude build --exclude '*.o' --exclude '*.ko' --exclude '*.mod' \
      --exclude '*.mod.c' --exclude '.*.cmd' --exclude modules.order \
      --exclude Module.symvers --exclude nvsvm_conftest.h --exclude '.*.d')
rsync -a "${excl[@]}" "$top/drm/nouveau-svm" "$stage/drm/"
rsync -a "$top/uapi/drm" "$stage/uapi/"
rsync -a "${excl[@]}" "$top/scripts/rig-selftest/" "$stage/rig-selftest/"

key=$( (cd "$stage" && find . -type f -print0 | sort -z | xargs -0 sha256sum;
	echo "sparse=$sparse"; cat "$self") | sha256sum | cut -c1-16)
[ "$sparse" = 1 ] && key=$key-sparse
out=$base/$key

if [ -f "$out/.nvsvm-built" ]; then
	touch "$out"
	echo "$out/drm/nouveau-svm"
	exit 0
fi

target=all
[ "$sparse" = 1 ] && target=check
log=$stage/build.log
if ! make -C "$stage/drm/nouveau-svm" KDIR="$kdir" "$target" >"$log" 2>&1; then
	cat "$log" >&2
	echo "build-module.sh: module build failed against $kdir" >&2
	exit 1
fi
make -s -C "$kdir" M="$stage/rig-selftest" modules >>"$log" 2>&1 || {
	cat "$log" >&2
	echo "build-module.sh: rig self-test module failed to build" >&2
	exit 1
}
if grep -E 'warning:|error:' "$log" >&2; then
	echo "build-module.sh: the build printed warnings (W=1 must be clean)" >&2
	exit 1
fi
touch "$stage/.nvsvm-built"

# Publish. Another caller may have published the same sources meanwhile:
# theirs is as good as ours.
if mv -T "$stage" "$out" 2>/dev/null; then
	trap - EXIT
elif [ ! -f "$out/.nvsvm-built" ]; then
	echo "build-module.sh: cannot publish $out" >&2
	exit 1
fi

# Builds not used for two days go; a rig command uses its build for hours
# at most, and every use touches it.
find "$base" -mindepth 1 -maxdepth 1 -mtime +2 -exec rm -rf {} + 2>/dev/null || true
echo "$out/drm/nouveau-svm"
