#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run every selftest (inside the test VM) and pass their TAP through.
# A script that fails without reporting a failed case adds one.
set -u
dir=$(cd "$(dirname "$0")" && pwd)
status=0
# Per script; the debug kernel (KASAN, lockdep, kmemleak under TCG) is
# several times slower.
case $(uname -r) in
*-nvdebug*) limit=${NV_SELFTEST_TIMEOUT:-900} ;;
*) limit=${NV_SELFTEST_TIMEOUT:-600} ;;
esac

# ping turns the kernel's packet timestamps on and off, each time
# patching the code behind a static key with int3; a 6.12 guest under
# TCG has died of an "Oops: int3" at that site, in netif_rx_internal(),
# during a ping. One socket holding timestamps on for the whole run
# leaves that code alone. (Python names no SO_TIMESTAMP: 29 on Linux.)
python3 -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_TIMESTAMP", 29), 1)
time.sleep(86400)' &
stamps=$!
trap 'kill $stamps 2>/dev/null' EXIT

[ $# -gt 0 ] || set -- "$dir"/*.sh
for t in "$@"; do
	[ "$t" = "$dir/lib.sh" ] || [ "$t" = "$dir/run_all.sh" ] && continue
	name=$(basename "$t" .sh)
	echo "# selftest $name"
	out=$(timeout "$limit" "$t" 2>&1) && rc=0 || rc=$?
	echo "$out"
	if [ $rc = 4 ]; then
		echo "$out" | grep -q '^ok ' || echo "ok - selftest $name # SKIP"
	elif [ $rc != 0 ]; then
		status=1
		echo "$out" | grep -q '^not ok ' ||
			echo "not ok - selftest $name exited $rc"
	fi
done
kill -0 $stamps 2>/dev/null || echo "# the timestamp holder had exited"
exit $status
