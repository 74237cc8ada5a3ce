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
# Routes: one route add + del in a tenant of N routes, IPv4 then IPv6.
# Rules: one firewall rule add + del in a tenant of N rules (each change
# compiles the tenant's rules again: issue 18's open part, so few rounds).
# change.py times them. Fails when a change costs more than TARGET times
# its cost with 10 objects.
#
# NV_BENCH_CONFIG_ROUTES (default "10 1000 100000 1000000") and
# NV_BENCH_CONFIG_RULES (default "10 1000 10000 100000") change the
# points; an empty list skips the rows.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/tests/selftests/lib.sh"

ROUTE_POINTS=${NV_BENCH_CONFIG_ROUTES-"10 1000 100000 1000000"}
RULE_POINTS=${NV_BENCH_CONFIG_RULES-"10 1000 10000 100000"}
ROUTE_ROUNDS=200
RULE_ROUNDS=2
REPEATS=3
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

# rules N: the fw load lines of N deny rules, one source address each.
rules()
{
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "dir in src 10.%d.%d.%d/32 proto tcp dport 80 action deny\n",
				int(i / 65536) % 256, int(i / 256) % 256, i % 256 }'
}

# install KIND FAMILY N: tenant b of namespace nv-bench given its N
# routes, in batches of at most TXN_LINES lines (a transaction each), or
# N rules, in one fw load.
TXN_LINES=65536
install()
{
	local f

	"$NVCTL" -n nv-bench tenant add b id 1 vni 1 >/dev/null 2>&1 || return 1
	if [ "$1" = rule ]; then
		rules "$3" >"$TMP/rules" &&
			"$NVCTL" -n nv-bench fw load tenant b "$TMP/rules"
		return
	fi
	rm -f "$TMP"/part.*
	routes "$2" "$3" | split -l $TXN_LINES - "$TMP/part."
	for f in "$TMP"/part.*; do
		"$NVCTL" -n nv-bench batch "$f" || return 1
	done
}

# point KIND FAMILY N ROUNDS: "N US" of one change of KIND among N of
# them, in a fresh namespace and tenant.
point()
{
	local out rc=0

	ip netns add nv-bench || return 1
	install "$1" "$2" "$3" &&
		out=$(ip netns exec nv-bench python3 "$root/bench/config/change.py" \
			"$1" b "$2" "$3" "$4" $REPEATS) || rc=1
	ip netns del nv-bench
	[ $rc = 0 ] && echo "$out"
}

status=0

# row KIND FAMILY ROUNDS POINTS...: one row a point, ratios to the first.
row()
{
	local kind=$1 family=$2 rounds=$3 base= n out us ratio
	shift 3

	for n in "$@"; do
		out=$(point "$kind" "$family" "$n" "$rounds") ||
			{ echo "Bail out! $kind $family $n: $out"; exit 1; }
		us=${out#* }
		[ -n "$base" ] || base=$us
		ratio=$(awk -v a="$us" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
		printf '%-10s %10s %12s %12s %7s\n' "$kind-$family" "$n" "$us" "$base" "$ratio"
		awk -v r="$ratio" -v t=$TARGET 'BEGIN { exit !(r > t) }' && status=1
	done
}

printf '%-10s %10s %12s %12s %7s\n' change present us/change at-10 ratio
for family in v4 v6; do
	row route $family $ROUTE_ROUNDS $ROUTE_POINTS
done
row rule v4 $RULE_ROUNDS $RULE_POINTS
[ $status = 0 ] || echo "# a change costs more than ${TARGET}x its cost with 10 objects"
exit $status
