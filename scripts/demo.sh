#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo scenario, run inside the test VM by `make demo`: load the
# module, then route two tenants that use the same addresses on one
# hypervisor, and show what the operator sees.
#
#                     netns hv (netvirt)
#     tenant blue (id 1)              tenant red (id 2)
#     blue1        blue2              red1         red2
#   10.0.0.1     10.0.0.2           10.0.0.1     10.0.0.2
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
nvctl=$root/tools/nvctl/nvctl

step()
{
	echo
	echo "\$ $*"
	"$@"
}

nv() { step "$nvctl" -n hv "$@"; }

vm()
{
	local name=$1 i=$2 mac=$3

	ip netns add "$name"
	ip -n hv link add "$name" type veth peer name eth0 netns "$name"
	ip -n hv link set "$name" up
	ip -n "$name" link set lo up
	ip -n "$name" link set eth0 address "$mac" up
	ip -n "$name" addr add "10.0.0.$i/24" dev eth0
	ip -n "$name" addr add "fd00::$i/64" dev eth0 nodad
	ip -n "$name" route add default dev eth0
}

cleanup()
{
	for ns in blue1 blue2 red1 red2 hv; do
		ip netns del "$ns" 2>/dev/null || true
	done
}
trap cleanup EXIT

echo "== netvirt demo on $(uname -r)"
step modprobe netvirt
step "$nvctl" version

ip netns add hv
vm blue1 1 02:00:00:00:b1:01
vm blue2 2 02:00:00:00:b1:02
vm red1 1 02:00:00:00:4e:01
vm red2 2 02:00:00:00:4e:02

nv tenant add blue id 1 vni 1001
nv tenant add red id 2 vni 1002
nv port add blue1 tenant blue mac 02:00:00:00:b1:01 ip 10.0.0.1 ip fd00::1
nv port add blue2 tenant blue mac 02:00:00:00:b1:02 ip 10.0.0.2 ip fd00::2
nv port add red1 tenant red mac 02:00:00:00:4e:01 ip 10.0.0.1 ip fd00::1
nv port add red2 tenant red mac 02:00:00:00:4e:02 ip 10.0.0.2 ip fd00::2
nv route add tenant blue 192.168.0.0/16 blackhole
nv tenant show
nv port show
nv route show tenant blue

echo
echo "== the same addresses, routed in each tenant, never across"
step ip netns exec blue1 ping -c 2 -i 0.2 10.0.0.2
step ip netns exec red2 ping -6 -c 2 -i 0.2 fd00::1
step ip netns exec blue1 ip neigh show dev eth0
step ip netns exec blue1 ping -c 1 -W 1 192.168.1.1 || true
nv stats tenant blue
nv stats tenant red
nv -j info

echo
echo "== unload with everything configured"
step rmmod netvirt
echo
echo "== demo done"
