#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the kernel release to build against: the running kernel when its
# build tree exists, else the newest installed linux-headers.
# With an argument, resolve a short form ("6.12") to an installed release.
want=${1:-}
if [ -z "$want" ] && [ -d "/lib/modules/$(uname -r)/build" ]; then
	uname -r
	exit 0
fi
for d in /lib/modules/*/build; do
	[ -d "$d" ] || continue
	r=${d#/lib/modules/}
	r=${r%/build}
	case "$r" in "$want"*) echo "$r" ;; esac
done | sort -V | tail -n 1 | grep . || {
	echo "Error: no kernel headers${want:+ for $want} installed" >&2
	exit 1
}
