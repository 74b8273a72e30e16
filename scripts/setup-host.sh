#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything the rig needs on a Debian 12 host. Idempotent: a second
# run checks and returns in seconds.
#
# Extra suites (bookworm-backports, trixie, sid) are added with pin priority
# 100 so that nothing already on the machine is upgraded from them; only the
# packages named with an explicit suite below come from there.
set -euo pipefail

[ "$(id -u)" -eq 0 ] || { echo "setup-host: must run as root" >&2; exit 1; }

stamp=/var/lib/nvsvm-setup.stamp
version=3	# bump when the package list changes
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ]; then
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive

list=/etc/apt/sources.list.d/nvsvm-extra.sources
if [ ! -f "$list" ]; then
	cat >"$list" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports trixie sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	cat >/etc/apt/preferences.d/nvsvm-extra <<'PIN'
Package: *
Pin: release n=bookworm-backports
Pin-Priority: 100

Package: *
Pin: release n=trixie
Pin-Priority: 100

Package: *
Pin: release n=sid
Pin-Priority: 100
PIN
fi

apt-get update -q

# Kernel build, VM, userspace build and test dependencies (bookworm).
apt-get install -y -q --no-install-recommends \
	build-essential bc bison flex libelf-dev libssl-dev cpio kmod rsync \
	xz-utils zstd python3 perl file iproute2 udev busybox-static \
	qemu-system-x86 python3-argcomplete python3-requests \
	python3-pkg-resources libdrm-dev pkg-config intel-gpu-tools \
	libcap-dev libcap-ng-dev sparse

# virtme-ng is architecture independent; trixie's installs on bookworm.
apt-get install -y -q --no-install-recommends virtme-ng/trixie

# Kernel sources: 6.12 LTS from backports, newest mainline from sid
# (found by pattern: sid replaces linux-source-7.2 by 7.3 and so on).
apt-get install -y -q --no-install-recommends linux-source-6.12/bookworm-backports
newest=$(apt-cache search --names-only '^linux-source-[0-9]+\.[0-9]+$' |
	 awk '{print $1}' | sort -V | tail -n 1)
if [ -n "$newest" ] && [ "$newest" != linux-source-6.12 ]; then
	apt-get install -y -q --no-install-recommends "$newest/sid"
fi

echo "$version" >"$stamp"
