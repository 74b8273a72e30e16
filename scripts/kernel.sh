#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the rig's test kernel and print its build directory.
#
#   NVSVM_KERNEL=lts|mainline   which leg (default lts: linux-source-6.12)
#   NVSVM_FLAVOUR=rig|debug      debug adds config/debug.config
#   NVSVM_CACHE=DIR              cache root (default ~/.cache/nvsvm)
#   NVSVM_SOURCE_ONLY=1          only unpack the source; print its directory
#
# Kernels are cached outside the repository under
#   $NVSVM_CACHE/build/<source package version>-<flavour>-<config hash>/
# where the hash covers the fragments, the project's Kconfig, the compiler
# and the build recipe's version.
# A finished build holds a .nvsvm-built stamp; a second call returns at once.
# Progress goes to stderr, the build directory alone to stdout.
#
# Several rig commands may run at once (make run in one terminal, make test
# in another): unpacking a source and building from it happen under a lock
# per source package ($NVSVM_CACHE/locks/), and a finished build is only
# ever read. A second caller waits for the first, then finds its stamp.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
leg=${NVSVM_KERNEL:-lts}
flavour=${NVSVM_FLAVOUR:-rig}
cache=${NVSVM_CACHE:-$HOME/.cache/nvsvm}
jobs=${NVSVM_JOBS:-$(nproc)}

log() { echo "kernel.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

case "$leg" in
lts)
	pkg=linux-source-6.12
	;;
mainline)
	# The newest linux-source-X.Y Debian installed (sid's, by setup-host.sh).
	pkg=$(dpkg-query -W -f '${Package}\n' 'linux-source-*' 2>/dev/null |
	      grep -E '^linux-source-[0-9]+\.[0-9]+$' | sort -V | tail -n 1)
	[ -n "$pkg" ] || die "no linux-source package installed (run scripts/setup-host.sh)"
	;;
*)
	die "NVSVM_KERNEL must be lts or mainline, not '$leg'"
	;;
esac
case "$flavour" in
rig)	frags=("$top/config/rig.config") ;;
debug)	frags=("$top/config/rig.config" "$top/config/debug.config") ;;
*)	die "NVSVM_FLAVOUR must be rig or debug, not '$flavour'" ;;
esac

pkgver=$(dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null) ||
	die "$pkg is not installed (run scripts/setup-host.sh)"
tarball=/usr/src/$pkg.tar.xz
[ -f "$tarball" ] || die "$tarball missing"

# The key covers what decides the build's output: the fragments, the
# project's Kconfig, the compiler, and the recipe below (tinyconfig, merge,
# olddefconfig, bzImage and modules), whose version is bumped when it
# changes. Edits elsewhere in this script (logging, locking) keep the cache.
recipe=2
hash=$( (cat "${frags[@]}" "$top/Kconfig"; echo "recipe $recipe"; gcc --version | head -n 1) |
	sha256sum | cut -c1-12)
src=$cache/src/$pkg-$pkgver
out=$cache/build/$pkg-$pkgver-$flavour-$hash

log "leg $leg: $pkg $pkgver, flavour $flavour, config $hash"
if [ "${NVSVM_SOURCE_ONLY:-0}" != 1 ] && [ -f "$out/.nvsvm-built" ]; then
	log "cached: $out"
	echo "$out"
	exit 0
fi
# A source once unpacked is only read (a build writes to its own O= tree).
if [ "${NVSVM_SOURCE_ONLY:-0}" = 1 ] && [ -f "$src/.nvsvm-unpacked" ]; then
	echo "$src"
	exit 0
fi

mkdir -p "$cache/locks"
exec {lockfd}>"$cache/locks/$pkg-$pkgver.lock"
if ! flock -n "$lockfd"; then
	log "waiting for another build from $pkg $pkgver"
	flock "$lockfd"
fi
if [ "${NVSVM_SOURCE_ONLY:-0}" != 1 ] && [ -f "$out/.nvsvm-built" ]; then
	log "cached (built meanwhile): $out"
	echo "$out"
	exit 0
fi

# Unpack the source once per package version. The project's Kconfig is
# dropped in so that CONFIG_DRM_NVSVM=y builds in what it selects.
if [ ! -f "$src/.nvsvm-unpacked" ]; then
	log "unpacking $tarball"
	rm -rf "$src"
	mkdir -p "$src"
	tar -xf "$tarball" -C "$src" --strip-components=1
	touch "$src/.nvsvm-unpacked"
fi
if [ "${NVSVM_SOURCE_ONLY:-0}" = 1 ]; then
	echo "$src"
	exit 0
fi
mkdir -p "$src/drivers/gpu/drm/nvsvm"
cp "$top/Kconfig" "$src/drivers/gpu/drm/nvsvm/Kconfig"
grep -q 'drivers/gpu/drm/nvsvm/Kconfig' "$src/drivers/gpu/drm/Kconfig" ||
	echo 'source "drivers/gpu/drm/nvsvm/Kconfig"' >>"$src/drivers/gpu/drm/Kconfig"

# A build that was interrupted left no stamp; make picks it up where it was.
mkdir -p "$out"
start=$(date +%s)
make -s -C "$src" O="$out" tinyconfig >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${frags[@]}" >/dev/null
make -s -C "$src" O="$out" olddefconfig >&2

# Every option the fragments ask for must have survived olddefconfig.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF "$line" "$out/.config" || { log "not honoured: $line"; bad=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		grep -q "^$opt=" "$out/.config" && { log "not honoured: $line"; bad=1; } ;;
	esac
done < <(cat "${frags[@]}")
[ "$bad" -eq 0 ] || die "config fragment not honoured (see above)"

log "building in $out with $jobs jobs"
make -s -C "$src" O="$out" -j"$jobs" bzImage modules >&2
touch "$out/.nvsvm-built"
log "built in $(( $(date +%s) - start )) s"
echo "$out"
