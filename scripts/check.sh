#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/check.sh KDIR BUILD_DIR: the module builds with W=1 and sparse
# (C=2) without one warning, and checkpatch --strict is clean on the
# kernel sources and headers.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
kdir=$1
build=$2
status=0

log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "check: W=1 + sparse build"
make -s -C "$kdir" M="$build" CONFIG_NETVIRT=m W=1 C=2 modules >"$log" 2>&1 ||
	status=1
if grep -E 'warning|error' "$log"; then
	status=1
fi

echo "check: checkpatch"
ksrc=$("$root/scripts/ksrc.sh") || exit 1
files=$(cd "$root" && ls src/*.[ch] include/uapi/linux/*.h tests/kunit/*.c)
(cd "$root" && "$ksrc/scripts/checkpatch.pl" --no-tree --strict --quiet \
	--show-types --ignore FILE_PATH_CHANGES -f $files) || status=1

[ $status = 0 ] && echo "check: clean" || echo "check: FAILED"
exit $status
