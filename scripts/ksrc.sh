#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the path of Debian's kernel source tree (linux-source-6.1 by
# default), unpacked once into the cache, keyed by the package version.
set -eu
cache=${NV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/netvirt}
pkg=${NV_KSRC_PACKAGE:-linux-source-6.1}

version=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) || {
	echo "Error: $pkg is not installed (run scripts/deps.sh)" >&2
	exit 1
}
dir=$cache/kunit/$version

# A marker tells a finished unpack from an interrupted one; the lock
# makes callers running at once (KUnit, the debug kernel) wait for the
# one that unpacks.
mkdir -p "$dir"
exec 9>"$dir.lock"
flock 9
if [ ! -e "$dir/.unpacked" ]; then
	rm -rf "${dir:?}/$pkg"
	tar -C "$dir" -xf "/usr/src/$pkg.tar.xz"
	touch "$dir/.unpacked"
fi
exec 9>&-
echo "$dir/$pkg"
