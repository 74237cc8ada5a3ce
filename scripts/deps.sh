#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what building and testing netvirt needs, from Debian's archive.
# Idempotent and non-interactive: a no-op when everything is present.
set -e

# Kernels the module is tested on: Debian 12's 6.1, and 6.12, the second
# LTS kernel, whose meta packages (-6.12-amd64) bookworm carries in
# bookworm-security (newer than bookworm-backports' 6.12): apt keeps both
# current.  The debug kernel (tests/kernel/build-debug) is built from
# linux-source-6.1 with the build tools of the first line.
PKGS="build-essential bc bison flex libelf-dev libssl-dev kmod cpio
      linux-image-amd64 linux-headers-amd64 linux-source-6.1
      linux-image-6.12-amd64 linux-headers-6.12-amd64
      qemu-system-x86 busybox-static iproute2 iputils-ping tcpdump iperf3
      nftables conntrack
      clang libclang-rt-14-dev
      libmnl-dev libjansson-dev pkg-config sparse python3 xz-utils"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "Error: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing </dev/null
