#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The control plane at scale, run in the test VM by `make bench-config`:
# what one change costs with many objects present, against the same
# change with 10. Rows start with three numbers: objects present, the
# cost of one change (microseconds, median of a few runs of many
# changes), and that cost with 10 present (the ratio follows). Wall-clock
# ratios measured in one run: absolute figures mean nothing under TCG.
#
# Routes: one route add + del in a tenant of N routes, IPv4 then IPv6
# (routes.py). Fails when a change costs more than TARGET times its cost
# with 10 routes.
#
# NV_BENCH_CONFIG_ROUTES (default "10 1000 100000 1000000") changes the
# points.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/tests/selftests/lib.sh"

POINTS=${NV_BENCH_CONFIG_ROUTES:-"10 1000 100000 1000000"}
ROUNDS=200
REPEATS=5
TARGET=2

require_module
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
param=/sys/module/netvirt/parameters/max_tenant_routes
echo 1048576 >"$param" || { echo "cannot raise $param" >&2; exit 1; }

# routes FAMILY N: the batch lines of N blackhole host routes of tenant b,
# as routes.py numbers them.
routes()
{
	awk -v f="$1" -v n="$2" 'BEGIN {
		for (i = 0; i < n; i++)
			if (f == "v4")
				printf "route add tenant b 10.%d.%d.%d/32 blackhole\n",
					int(i / 65536) % 256, int(i / 256) % 256, i % 256
			else
				printf "route add tenant b 2001:db8::%x:%x/128 blackhole\n",
					int(i / 65536), i % 65536 }'
}

# point FAMILY N: "N US" of one route change among N routes, in a fresh
# namespace and tenant; the routes installed by batches of at most
# TXN_LINES lines, a transaction each.
TXN_LINES=65536
point()
{
	local f out rc=0

	ip netns add nv-bench || return 1
	rm -f "$TMP"/part.*
	routes "$1" "$2" | split -l $TXN_LINES - "$TMP/part."
	"$NVCTL" -n nv-bench tenant add b id 1 vni 1 >/dev/null 2>&1 || rc=1
	for f in "$TMP"/part.*; do
		[ $rc = 0 ] || break
		"$NVCTL" -n nv-bench batch "$f" || rc=1
	done
	[ $rc = 0 ] &&
		out=$(ip netns exec nv-bench python3 "$root/bench/config/routes.py" \
			b "$1" "$2" $ROUNDS $REPEATS) || rc=1
	ip netns del nv-bench
	[ $rc = 0 ] && echo "$out"
}

status=0
printf '%-10s %10s %12s %12s %7s\n' routes-at "present" "us/change" "at-10" ratio
for family in v4 v6; do
	base=
	for n in $POINTS; do
		out=$(point $family "$n") || { echo "Bail out! $family $n: $out"; exit 1; }
		us=${out#* }
		[ -n "$base" ] || base=$us
		ratio=$(awk -v a="$us" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
		printf '%-10s %10s %12s %12s %7s\n' "route-$family" "$n" "$us" "$base" "$ratio"
		awk -v r="$ratio" -v t=$TARGET 'BEGIN { exit !(r > t) }' && status=1
	done
done
[ $status = 0 ] || echo "# a change costs more than ${TARGET}x its cost with 10 routes"
exit $status
