#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run every selftest (inside the test VM) and pass their TAP through.
# A script that fails without reporting a failed case adds one.
set -u
dir=$(cd "$(dirname "$0")" && pwd)
status=0
# Per script, at least twice the slowest script's time with the other
# suites running beside it (tests/run): on the debug kernel (KASAN,
# lockdep, kmemleak under TCG) firewall.sh took 482 s of 1500, on 6.1
# fuzz.sh 201 s of 600. Scripts see it as NV_SELFTEST_LIMIT.
case $(uname -r) in
*-nvdebug*) limit=${NV_SELFTEST_TIMEOUT:-1500} ;;
*) limit=${NV_SELFTEST_TIMEOUT:-600} ;;
esac
export NV_SELFTEST_LIMIT=$limit

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
# The programs the scripts start hundreds of times, from a tmpfs: the
# project share is not cached, so each start would read them over 9p.
NV_BIN=$(mktemp -d /run/nv-bin.XXXXXX)
cp "$dir/../../tools/nvctl/nvctl" "$dir/nlraw" "$dir/jget" "$dir/xchg" \
	"$NV_BIN/" &&
	export NV_BIN || NV_BIN=""
trap 'kill $stamps 2>/dev/null; rm -rf "$NV_BIN"' EXIT

[ $# -gt 0 ] || set -- "$dir"/*.sh
for t in "$@"; do
	[ "$t" = "$dir/lib.sh" ] || [ "$t" = "$dir/run_all.sh" ] && continue
	name=$(basename "$t" .sh)
	echo "# selftest $name"
	# Scripts keep their namespaces in a /run/netns of their own (lib.sh);
	# should one have used this one, start the next from a clean slate.
	ip -all netns delete 2>/dev/null
	start=$SECONDS
	out=$(timeout -k 10 "$limit" "$t" 2>&1) && rc=0 || rc=$?
	echo "$out"
	echo "# selftest $name: exit $rc, $((SECONDS - start)) s of $limit"
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
