#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the kernel release to build against: the running kernel when its
# build tree exists, else the newest installed linux-headers of 6.1 (the
# kernel tests/vm/run boots by default), else the newest ones.
# With an argument, resolve a short form ("6.1", "6.12") to the newest
# installed release that is it or starts with "6.1." or "6.1-" (so "6.1"
# does not pick 6.12).
want=${1:-}
if [ -z "$want" ] && [ -d "/lib/modules/$(uname -r)/build" ]; then
	uname -r
	exit 0
fi
pick() {
	for d in /lib/modules/*/build; do
		[ -d "$d" ] || continue
		r=${d#/lib/modules/}
		r=${r%/build}
		case "$r" in "$1" | "$1".* | "$1"-*) echo "$r" ;; *) [ -z "$1" ] && echo "$r" ;; esac
	done | sort -V | tail -n 1 | grep .
}
if [ -n "$want" ]; then
	pick "$want"
else
	pick 6.1 || pick ''
fi || {
	echo "Error: no kernel headers${want:+ for $want} installed" >&2
	exit 1
}
