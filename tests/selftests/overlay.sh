#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The overlay between hypervisors: three hypervisor namespaces on one
# underlay bridge, two tenants with the same addresses spread over them,
# Geneve and VXLAN over IPv4 and IPv6 underlays; rogue senders on the
# underlay; plain Linux vxlan and geneve endpoints; MTU.
#
#                 netns ul: bridge br0 (underlay, MTU 1500)
#        |                      |                      |              |
#   hv1 192.0.2.1          hv2 192.0.2.2          hv3 192.0.2.3    rogue
#       2001:db8::1            2001:db8::2            2001:db8::3  192.0.2.66
#   a1 10.0.0.1 (A)        a2 10.0.0.2 (A)        a3 10.0.0.3 (A)
#   b1 10.0.0.2 (B)                               b2 10.0.0.1 (B)
#   (and fd00::N)          pv 192.0.2.10: plain vxlan, pg 192.0.2.11: geneve

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"setup			| overlay: three hosts, two tenants, Geneve over IPv4"
	"tenant_a		| overlay: geneve/ipv4: tenant A across hosts, ping and TCP, v4 and v6"
	"tenant_b		| overlay: geneve/ipv4: tenant B, same addresses, stays in tenant B"
	"wire_geneve		| overlay: geneve on the wire, VNI 100, decoded by tcpdump"
	"dscp			| overlay: inner DSCP copied to the outer header"
	"mtu			| overlay: MTU: frag-needed/packet-too-big with 1450, DF-less fragmented"
	"tcp_full_size		| overlay: full-size TCP across hosts"
	"rogue_geneve		| overlay: rogue Geneve sender reaches no VM, counted"
	"rogue_option rogue_geneve | overlay: critical Geneve option dropped, counted"
	"plain_geneve		| overlay: plain Linux geneve endpoint interoperates"
	"vxlan4			| overlay: vxlan/ipv4: all tenants across hosts"
	"wire_vxlan vxlan4	| overlay: vxlan on the wire, VNI 100, decoded by tcpdump"
	"rogue_vxlan rogue_geneve vxlan4 | overlay: rogue VXLAN sender reaches no VM, counted"
	"plain_vxlan vxlan4	| overlay: plain Linux vxlan endpoint interoperates"
	"host_errors vxlan4	| overlay: bad host settings refused, nothing changed"
	"geneve6			| overlay: geneve/ipv6 underlay: all tenants across hosts"
	"vxlan6			| overlay: vxlan/ipv6 underlay: all tenants across hosts"
	"host_del		| overlay: host del: packets to other hosts dropped, counted"
	"tunnel_dev_deleted	| overlay: tunnel device deleted: overlay removed, set again"
	"unload			| overlay: module unloads with the overlay set, its device goes"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"
trap cleanup EXIT
require_module

# NAME:HOST:TENANT:INDEX of every VM.
VMS="a1:1:A:1 a2:2:A:2 a3:3:A:3 b1:1:B:2 b2:3:B:1"
HOSTS="1 2 3"

nvh() { local h=$1; shift; "$NVCTL" -n "hv$h" "$@"; }

underlay_addr() { [ "$2" = 6 ] && echo "2001:db8::$1" || echo "192.0.2.$1"; }

hv_add()
{
	netns_add "hv$1"
	ip -n ul link add "ul$1" type veth peer name ul0 netns "hv$1"
	ip -n ul link set "ul$1" master br0 up
	ip -n "hv$1" link set ul0 up
	ip -n "hv$1" addr add "192.0.2.$1/24" dev ul0
	ip -n "hv$1" addr add "2001:db8::$1/64" dev ul0 nodad
	nvh "$1" tenant add A id 1 vni 100 && nvh "$1" tenant add B id 2 vni 200 &&
		nvh "$1" fw policy tenant A allow && nvh "$1" fw policy tenant B allow
}

vm_add()
{
	local name=$1 h=$2 tenant=$3 i=$4 mac

	mac=$(printf '02:00:00:%02x:00:%02x' "$(printf %d "'$tenant")" "$i")
	netns_add "vm-$name"
	ip -n "hv$h" link add "$name" type veth peer name eth0 netns "vm-$name"
	ip -n "hv$h" link set "$name" up
	ip -n "vm-$name" link set eth0 address "$mac" up
	ip -n "vm-$name" addr add "10.0.0.$i/24" dev eth0
	ip -n "vm-$name" addr add "fd00::$i/64" dev eth0 nodad
	ip -n "vm-$name" route add default dev eth0
	ip -n "vm-$name" -6 route add default dev eth0
	nvh "$h" port add "$name" tenant "$tenant" mac "$mac" \
		ip "10.0.0.$i" ip "fd00::$i"
}

# overlay FAMILY ENCAP: every host's underlay and every remote VM's routes.
overlay()
{
	local fam=$1 encap=$2 h vm name vh tenant i

	for h in $HOSTS; do
		nvh "$h" host set underlay "$(underlay_addr "$h" "$fam")" \
			encap "$encap" || return 1
		for vm in $VMS; do
			IFS=: read -r name vh tenant i <<<"$vm"
			[ "$vh" = "$h" ] && continue
			nvh "$h" route del tenant "$tenant" "10.0.0.$i/32" 2>/dev/null
			nvh "$h" route del tenant "$tenant" "fd00::$i/128" 2>/dev/null
			nvh "$h" route add tenant "$tenant" "10.0.0.$i/32" \
				host "$(underlay_addr "$vh" "$fam")" &&
				nvh "$h" route add tenant "$tenant" "fd00::$i/128" \
					host "$(underlay_addr "$vh" "$fam")" || return 1
		done
	done
}

setup()
{
	netns_add ul && ip -n ul link add br0 type bridge &&
		ip -n ul link set br0 up || return 1
	for h in $HOSTS; do hv_add "$h" || return 1; done
	for vm in $VMS; do
		IFS=: read -r name h tenant i <<<"$vm"
		vm_add "$name" "$h" "$tenant" "$i" || return 1
	done
	overlay 4 geneve
}

# host_drop HOST REASON: the host's tunnel-side drop counter.
host_drop() { nvh "$1" -j host show | json_get "stats.drops.$2"; }
tenant_stat() { nvh "$1" -j stats tenant "$2" | json_get "0.$3"; }
# echos VM: ICMP echo requests VM's stack received, IPv4 and IPv6.
echos()
{
	vm "$1" awk '$1 == "Icmp:" && !h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
		$1 == "Icmp:" { v4 = $c["InEchos"] }
		$1 == "Icmp6InEchos" { v6 = $2 }
		END { print v4 + v6 }' /proc/net/snmp /proc/net/snmp6
}

# Tenant A between all three hosts, IPv4 and IPv6, ping and TCP.
tenant_a()
{
	ping4 a1 10.0.0.2 && ping4 a1 10.0.0.3 && ping4 a2 10.0.0.3 &&
		ping6 a1 fd00::2 && ping6 a3 fd00::1 ||
		diag "ping between hosts fails" || return 1
	tcp_echo a1 a2 10.0.0.2 && tcp_echo a3 a1 fd00::1
}

# Tenant B's b1 (10.0.0.2 on hv1) reaches b2 (10.0.0.1 on hv3), never a1
# (10.0.0.1 on hv1) nor a2 (10.0.0.2 on hv2).
tenant_b()
{
	local a1 a2 b2

	a1=$(echos a1) a2=$(echos a2) b2=$(echos b2)
	ping4 b1 10.0.0.1 && ping6 b2 fd00::2 && tcp_echo b1 b2 10.0.0.1 ||
		diag "tenant B does not reach across hosts" || return 1
	[ "$(echos b2)" -ge $((b2 + 2)) ] || diag "b2 did not get b1's pings" ||
		return 1
	[ "$(echos a1)" = "$a1" ] && [ "$(echos a2)" = "$a2" ] ||
		diag "tenant A's VMs got tenant B's traffic"
}

# wire HOST PORT PATTERN [PING OPTION...]: what tcpdump decodes on HOST's
# underlay (verbose: the outer IP header too) while a1 pings a2 matches
# PATTERN.
wire()
{
	local out pid

	ip netns exec "hv$1" timeout 20 tcpdump -n -v -l -i ul0 -c 2 \
		udp dst port "$2" >"$TMPDIR/wire" 2>/dev/null &
	pid=$!
	# tcpdump takes a while to start on a loaded debug kernel: ping until
	# it has seen two packets or given up.
	for _ in $(seq 20); do
		kill -0 "$pid" 2>/dev/null || break
		ping4 a1 "${@:4}" 10.0.0.2
	done
	wait "$pid"
	out=$(cat "$TMPDIR/wire")
	echo "$out" | grep -qE "$3" || diag "tcpdump: $out"
}

# The outer header carries the inner DSCP, and a packet without one sent
# after one with it does not inherit it.
dscp()
{
	wire 2 6081 'IP \(tos 0xb8,.*proto UDP' -Q 0xb8 &&
		wire 2 6081 'IP \(tos 0x0,.*proto UDP'
}

all_pairs()
{
	tenant_a && tenant_b
}

# ping -M do of 1500 bytes: the VM learns the overlay's MTU, 1450 on a
# 1500-byte IPv4 underlay; without DF the outer packet is fragmented.
mtu()
{
	local out big

	# Forget what earlier TCP tests taught a1 about the path MTU.
	vm a1 ip route flush cache && vm a1 ip -6 route flush cache
	big=$(tenant_stat 1 A drops.too-big)
	out=$(vm a1 ping -M do -s 1472 -c 2 -i 0.3 -W 1 10.0.0.2 2>&1)
	echo "$out" | grep -qE 'mtu ?= ?1450' || diag "ping -M do: $out" ||
		return 1
	[ "$(tenant_stat 1 A drops.too-big)" -gt "$big" ] ||
		diag "too-big not counted" || return 1
	vm a1 ping -M do -s 1422 -c 1 -W 2 10.0.0.2 >/dev/null ||
		diag "1450 bytes do not pass" || return 1
	vm a1 ping -M dont -s 1472 -c 2 -i 0.3 -W 2 10.0.0.2 >/dev/null ||
		diag "without DF, 1500 bytes do not pass" || return 1
	out=$(vm a1 ping -6 -M do -s 1452 -c 2 -i 0.3 -W 1 fd00::2 2>&1)
	echo "$out" | grep -qE 'mtu ?= ?1450' || diag "ping -6 -M do: $out"
}

# Full-size TCP across hosts: path MTU discovery through the overlay.
tcp_full_size()
{
	vm a1 ip route flush cache
	tcp_echo a2 a1 10.0.0.1 && tcp_echo a1 a2 fd00::2
}

# rogue_send PROTO VNI SRC [CRIT]: one crafted frame from the rogue host
# to hv1, inner ICMP echo SRC -> 10.0.0.1 (a1's address in tenant A).
rogue_send()
{
	ip netns exec rogue python3 - "$@" <<'PY'
import socket, struct, sys
proto, vni, src = sys.argv[1], int(sys.argv[2]), sys.argv[3]
crit = len(sys.argv) > 4
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
icmp = struct.pack("!BBHHH", 8, 0, 0, 1, 1) + b"rogue" * 8
icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 1, 0, 64, 1, 0,
                 socket.inet_aton(src), socket.inet_aton("10.0.0.1"))
ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
mac = bytes.fromhex("027600010001")     # tenant A's default router MAC
eth = mac + mac + b"\x08\x00"
vni_b = struct.pack("!I", vni << 8)
if proto == "geneve":
    opt = struct.pack("!HBB", 0xffff, 0x80, 1) + b"\0" * 4 if crit else b""
    hdr = bytes([len(opt) // 4, 0x40 if crit else 0]) + b"\x65\x58" + vni_b
    port, payload = 6081, hdr + opt
else:
    port, payload = 4789, b"\x08\0\0\0" + vni_b
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(5):
    s.sendto(payload + eth + ip + icmp, ("192.0.2.1", port))
PY
}

# rogue PROTO: crafted frames from a host that is no tunnel endpoint of
# tenant A reach no VM, and each is counted with its reason.
rogue()
{
	local proto=$1 a1 src vni

	a1=$(echos a1)
	src=$(tenant_stat 1 A drops.tunnel-source)
	vni=$(host_drop 1 unknown-vni)
	rogue_send "$proto" 100 10.0.0.2 && rogue_send "$proto" 4242 10.0.0.2 &&
		sleep 0.5 || return 1
	[ "$(tenant_stat 1 A drops.tunnel-source)" -ge $((src + 5)) ] ||
		diag "tunnel-source: $src -> $(tenant_stat 1 A drops.tunnel-source)" ||
		return 1
	[ "$(host_drop 1 unknown-vni)" -ge $((vni + 5)) ] ||
		diag "unknown-vni: $vni -> $(host_drop 1 unknown-vni)" || return 1
	[ "$(echos a1)" = "$a1" ] || diag "a1 received rogue packets"
}

rogue_option()
{
	local before a1

	a1=$(echos a1)
	before=$(host_drop 1 tunnel-option)
	rogue_send geneve 100 10.0.0.2 crit && sleep 0.5 &&
		[ "$(host_drop 1 tunnel-option)" -ge $((before + 5)) ] ||
		diag "tunnel-option: $before -> $(host_drop 1 tunnel-option)" ||
		return 1
	[ "$(echos a1)" = "$a1" ] || diag "a1 received rogue packets"
}

rogue_setup()
{
	netns_add rogue
	ip -n ul link add ulr type veth peer name ul0 netns rogue
	ip -n ul link set ulr master br0 up
	ip -n rogue link set ul0 up
	ip -n rogue addr add 192.0.2.66/24 dev ul0
}

# plain NS INDEX KIND ARGS...: a Linux tunnel endpoint on the underlay at
# 192.0.2.INDEX, with 10.0.0.INDEX in tenant A behind device tun0, using
# tenant A's router MAC; hv1 routes 10.0.0.INDEX to it.
plain()
{
	local ns=$1 i=$2 mac

	shift 2
	mac=$(nvh 1 -j tenant show A | json_get 0.router_mac)
	netns_add "$ns"
	ip -n ul link add "ul$ns" type veth peer name ul0 netns "$ns"
	ip -n ul link set "ul$ns" master br0 up
	ip -n "$ns" link set ul0 up
	ip -n "$ns" addr add "192.0.2.$i/24" dev ul0
	ip -n "$ns" link add tun0 "$@" id 100 remote 192.0.2.1 &&
		ip -n "$ns" link set tun0 address "$mac" mtu 1450 up &&
		ip -n "$ns" addr add "10.0.0.$i/24" dev tun0 &&
		ip -n "$ns" neigh add 10.0.0.1 lladdr "$mac" dev tun0 &&
		nvh 1 route add tenant A "10.0.0.$i/32" host "192.0.2.$i"
}

interop()
{
	local ns=$1 i=$2

	ip netns exec "$ns" ping -c 2 -i 0.2 -W 2 10.0.0.1 >/dev/null &&
		ping4 a1 "10.0.0.$i" ||
		diag "no traffic between a1 and the plain endpoint $ns"
}

host_errors()
{
	expect_error 'not an address of this host' nvh 1 host set underlay 192.0.2.99 &&
		expect_error 'underlay device not found' nvh 1 host set \
			underlay 192.0.2.1 dev nosuchdev &&
		[ "$(nvh 1 -j host show | json_get encap)" = vxlan ] ||
		diag "a refused change altered the host"
}

no_overlay()
{
	local before

	before=$(tenant_stat 1 A drops.no-overlay)
	nvh 1 host del && ! ping4 a1 10.0.0.2 &&
		[ "$(tenant_stat 1 A drops.no-overlay)" -gt "$before" ] &&
		expect_error 'no overlay' nvh 1 host show &&
		! ip -n hv1 link show nv-vxlan0 >/dev/null 2>&1 ||
		diag "host del"
}

# The tunnel device deleted by hand takes the overlay settings with it.
tunnel_dev_deleted()
{
	overlay 4 geneve && ping4 a1 10.0.0.2 &&
		ip -n hv1 link del nv-geneve0 &&
		expect_error 'no overlay' nvh 1 host show &&
		overlay 4 geneve && ping4 a1 10.0.0.2
}

wire_geneve() { wire 2 6081 'Geneve.*vni 0x64'; }
wire_vxlan() { wire 2 4789 'VXLAN.*vni 100'; }
rogue_geneve() { rogue_setup && rogue geneve; }
rogue_vxlan() { rogue vxlan; }
plain_geneve() { plain pg 11 type geneve && interop pg 11; }
plain_vxlan() { plain pv 10 type vxlan dstport 4789 && interop pv 10; }
vxlan4() { overlay 4 vxlan && all_pairs; }
geneve6() { overlay 6 geneve && all_pairs; }
vxlan6() { overlay 6 vxlan && all_pairs; }
host_del() { overlay 4 vxlan && no_overlay; }

unload()
{
	module_unload && ! ip -n hv1 link show nv-geneve0 2>/dev/null
}

TMPDIR=$(mktemp -d)
trap 'cleanup; rm -rf "$TMPDIR"' EXIT

run_cases
tap_end
