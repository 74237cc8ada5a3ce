#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo scenario, run inside the test VM by `make demo`: load the
# module, then route two tenants that use the same addresses on one
# hypervisor, and show what the operator sees; then spread a tenant over
# three hypervisors joined by a Geneve overlay.
#
#   isp 198.51.100.1, "the internet" 203.0.113.10
#     |
#   hv up0 198.51.100.2 (uplink): tenant blue leaves by SNAT to it,
#   blue2 is reached on the floating IP 198.51.100.20
#
#                     netns hv (netvirt)
#     tenant blue (id 1)              tenant red (id 2)
#     blue1        blue2              red1         red2
#   10.0.0.1     10.0.0.2           10.0.0.1     10.0.0.2
#
#   hv1 192.0.2.1         hv2 192.0.2.2         hv3 192.0.2.3
#   green1 10.1.0.1       green2 10.1.0.2       green3 10.1.0.3
#        \____________ underlay bridge (netns ul) ___________/
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

# vm NAME INDEX MAC [HOST [NET]]: a VM namespace behind a port in HOST.
vm()
{
	local name=$1 i=$2 mac=$3 hv=${4:-hv} net=${5:-10.0.0}

	ip netns add "$name"
	ip -n "$hv" link add "$name" type veth peer name eth0 netns "$name"
	ip -n "$hv" link set "$name" up
	ip -n "$name" link set lo up
	ip -n "$name" link set eth0 address "$mac" up
	ip -n "$name" addr add "$net.$i/24" dev eth0
	ip -n "$name" addr add "fd00::$i/64" dev eth0 nodad
	ip -n "$name" route add default dev eth0
}

cleanup()
{
	for ns in blue1 blue2 red1 red2 hv isp green1 green2 green3 hv1 hv2 hv3 ul; do
		ip netns del "$ns" 2>/dev/null || true
	done
}

# hypervisor N: netns hvN on the underlay bridge at 192.0.2.N, with
# tenant green and its VM greenN.
hypervisor()
{
	local n=$1 mac=02:00:00:00:9e:0$1

	ip netns add "hv$n"
	ip -n ul link add "ul$n" type veth peer name ul0 netns "hv$n"
	ip -n ul link set "ul$n" master br0 up
	ip -n "hv$n" link set ul0 up
	ip -n "hv$n" addr add "192.0.2.$n/24" dev ul0
	vm "green$n" "$n" "$mac" "hv$n" 10.1.0
	"$nvctl" -n "hv$n" host set underlay "192.0.2.$n"
	"$nvctl" -n "hv$n" tenant add green id 3 vni 3003
	"$nvctl" -n "hv$n" fw policy tenant green allow
	"$nvctl" -n "hv$n" port add "green$n" tenant green mac "$mac" \
		ip "10.1.0.$n"
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
nv fw policy tenant blue allow
nv fw policy tenant red allow
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
echo "== the firewall of tenant red: deny by default, ping allowed, ssh denied"
nv fw policy tenant red deny
nv fw rule add tenant red dir out action allow
nv fw rule add tenant red dir in proto icmp icmp-type 8 action allow
nv fw rule add tenant red prio 10 dir in port red2 proto tcp dport 22 action reject log
step ip netns exec red1 ping -c 2 -i 0.2 10.0.0.2
step ip netns exec red1 timeout 2 bash -c 'echo > /dev/tcp/10.0.0.2/22' || true
step ip netns exec red2 ping -c 1 -W 1 10.0.0.1 || true
nv fw show tenant red
nv stats tenant red

echo
echo "== tenant blue reaches the internet through SNAT, and is reached on a floating IP"
ip netns add isp
ip -n isp link set lo up
ip -n hv link add up0 type veth peer name eth0 netns isp
ip -n hv link set up0 up
ip -n hv addr add 198.51.100.2/24 dev up0
ip -n hv route add default via 198.51.100.1
ip -n isp link set eth0 up
ip -n isp addr add 198.51.100.1/24 dev eth0
ip -n isp addr add 203.0.113.10/32 dev lo
nv uplink set dev up0
nv route add tenant blue 0.0.0.0/0 uplink
nv nat add tenant blue snat to 198.51.100.2 ports 61000-61999
nv nat add tenant blue fip 198.51.100.20 to 10.0.0.2
step ip netns exec blue1 ping -c 2 -i 0.2 203.0.113.10
step ip netns exec hv conntrack -L -w 1 -p icmp
step ip netns exec isp ping -c 2 -i 0.2 198.51.100.20
nv nat show tenant blue
nv uplink show

echo
echo "== tenant red as one document: saved, changed with sync, shown as a diff"
nv save tenant red
conf=$(mktemp)
"$nvctl" -n hv save tenant red >"$conf"
# ssh to red2 allowed from red1 (refused by red2 itself: nothing listens),
# and a route to red2 more.
sed -i -e 's/ port red2 proto tcp dport 22 action reject log/ port red2 src 10.0.0.1 proto tcp dport 22 action allow/' \
	"$conf"
echo "route add tenant red 10.9.0.0/16 dev red2" >>"$conf"
nv diff tenant red "$conf"
nv sync tenant red "$conf" check
nv -j info
nv sync tenant red "$conf"
nv -j info
nv diff tenant red "$conf"
step ip netns exec red1 timeout 2 bash -c 'echo > /dev/tcp/10.0.0.2/22' || true
nv fw show tenant red
rm -f "$conf"

echo
echo "== tenant green over three hypervisors (Geneve overlay)"
ip netns add ul
ip -n ul link add br0 type bridge
ip -n ul link set br0 up
for n in 1 2 3; do hypervisor "$n"; done
for n in 1 2 3; do
	for m in 1 2 3; do
		[ "$n" = "$m" ] ||
			"$nvctl" -n "hv$n" route add tenant green "10.1.0.$m/32" \
				host "192.0.2.$m"
	done
done
step "$nvctl" -n hv1 host show
step "$nvctl" -n hv1 route show tenant green
step ip netns exec green1 ping -c 2 -i 0.2 10.1.0.2
step ip netns exec green3 ping -c 2 -i 0.2 10.1.0.1
step ip netns exec green1 ping -c 1 -W 1 -M do -s 1472 10.1.0.3 || true
step "$nvctl" -n hv1 stats tenant green

echo
echo "== unload with everything configured"
step rmmod netvirt
echo
echo "== demo done"
