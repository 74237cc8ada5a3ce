#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Distributed NAT: two hypervisors whose uplinks share one provider
# segment, an external router, and a server beyond it; two tenants with
# the same VM addresses.
#
#   srv 203.0.113.10, 2001:db8:2::10 (echo server: says who it sees)
#     | (MTU 1400 on this link)
#   rtr 203.0.113.1 / 198.51.100.1, 2001:db8:2::1 / 2001:db8:1::1
#     |
#   netns ext: bridge br0 (provider segment)
#     |                                 |
#   hv1 up0 198.51.100.11            hv2 up0 198.51.100.12
#       2001:db8:1::11                   2001:db8:1::12
#     (uplink and overlay underlay: one NIC)
#   a1 10.0.0.1 fd00::1 (A)          a2 10.0.0.2 fd00::2 (A)
#   b1 10.0.0.1 fd00::1 (B)          a3 10.0.0.3 (A, no NAT rule)
#   c1 10.0.0.1 (C: two ports only)
#
# hv1 SNATs tenant A to its own address, ports 61000-61999, tenant B to
# the same address, ports 62000-62999 (v4 and v6); tenant A's a2 has the
# floating IP 198.51.100.30, a DNAT rule sends 198.51.100.21 tcp 8080 to
# a1 port 80.

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"setup			| nat: two hosts with uplinks, two tenants with the same addresses"
	"snat_tcp		| nat: SNAT TCP: both tenants at once, one address, disjoint port blocks"
	"snat_udp_ping		| nat: SNAT UDP and ping, replies reach the right VM"
	"snat_v6			| nat: SNAT IPv6 (NAT66): both tenants, TCP and ping"
	"snat_specific		| nat: the most specific SNAT source wins, on an address the host answers ARP for; deleted, the other again"
	"conntrack		| nat: conntrack -L shows the tenant zone's translations"
	"nat_show snat_tcp	| nat: nat show: rules, counters, connections and ports in use"
	"ecmp_uplink		| nat: an ECMP route with an uplink member: flows spread, the uplink takes them all when the other is down"
	"dnat			| nat: DNAT port forward in, the server's address kept"
	"fip			| nat: floating IP: reachable on the VM's host only, used outbound"
	"fip_arp fip		| nat: only the VM's host answers ARP for its floating IP"
	"outside fip		| nat: from outside, a tenant's source is refused; the host's own ports in a SNAT range stay the host's"
	"v6_in dnat fip		| nat: IPv6 DNAT and floating IP, ND answered on the uplink"
	"exhausted		| nat: a two-port range: third connection dropped, counted, announced"
	"no_nat			| nat: a VM no rule translates: dropped as no-nat, counted"
	"no_uplink		| nat: no uplink: dropped as no-uplink, counted; set again, works"
	"fip_moved fip		| nat: a VM moved with its floating IP: its new host announces it once and answers, then back"
	"host_traffic		| nat: the host's own traffic over the uplink unaffected"
	"pmtu			| nat: frag-needed from beyond the uplink reaches the VM"
	"firewall dnat		| nat: in rules see the VM's port after DNAT, out rules the VM"
	"errors dnat fip		| nat: bad rules refused with a reason, nothing changed"
	"uplink_errors		| nat: bad uplink devices refused; its device deleted removes it"
	"netns_del		| nat: a host's namespace deleted with NAT state and uplink: the other unaffected"
	"unload			| nat: module unloads with NAT state, the uplink back to the host"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"
TMPDIR=$(mktemp -d)
SRV=$TMPDIR/srv.py
CLI=$TMPDIR/cli.py
servers=()
capture=
trap 'stop_servers; cleanup; rm -rf "$TMPDIR"' EXIT
require_module

nvh() { local h=$1; shift; "$NVCTL" -n "hv$h" "$@"; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# The server answers every TCP connection (port 80, 8080) and UDP
# datagram (port 53) with the address and port it came from.
cat >"$SRV" <<'PY'
import selectors, socket, sys
sel = selectors.DefaultSelector()
def peer(a):
    h = a[0][7:] if a[0].startswith("::ffff:") else a[0]
    return ("%s %d\n" % (h, a[1])).encode()
for port in (80, 8080):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", port)); s.listen(64)
    sel.register(s, selectors.EVENT_READ, "tcp")
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
u.bind(("::", 53))
sel.register(u, selectors.EVENT_READ, "udp")
open(sys.argv[1], "w").close()
while True:
    for key, _ in sel.select():
        try:
            if key.data == "tcp":
                c, a = key.fileobj.accept(); c.sendall(peer(a)); c.close()
            else:
                d, a = key.fileobj.recvfrom(2048)
                key.fileobj.sendto(peer(a), a)
        except OSError:
            pass
PY

# cli.py tcp|udp ADDR PORT [SPORT]: what the server says, or the error.
cat >"$CLI" <<'PY'
import socket, sys
proto, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
s.settimeout(2)
try:
    if len(sys.argv) > 4:
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", int(sys.argv[4])))
    if proto == "tcp":
        s.connect((addr, port)); print(s.recv(100).decode().strip())
    else:
        s.sendto(b"x", (addr, port)); print(s.recv(100).decode().strip())
except socket.timeout:
    print("timeout")
except OSError as e:
    print(type(e).__name__)
PY

stop_servers()
{
	local pid

	for pid in "${servers[@]}"; do
		kill "$pid" 2>/dev/null
	done
	wait 2>/dev/null
}

# serve NS: the echo server in netns NS, once it listens.
serve()
{
	local i

	# Not through in_ns: $! must be the server's, which stop_servers kills.
	ip netns exec "$1" python3 "$SRV" "$TMPDIR/ready-$1" &
	servers+=($!)
	for i in $(seq 50); do
		[ -e "$TMPDIR/ready-$1" ] && return 0
		sleep 0.2
	done
	diag "no server in $1 after 10 s"
}

# ask NS tcp|udp ADDR PORT [SPORT]: "ADDR PORT" the server saw, or why not.
ask() { local ns=$1; shift; in_ns "$ns" python3 "$CLI" "$@"; }

# expect_seen NS PROTO ADDR PORT SEEN_ADDR LO HI: the server saw the
# connection from SEEN_ADDR, from a port in LO-HI.
expect_seen()
{
	local out port

	out=$(ask "$1" "$2" "$3" "$4")
	port=${out##* }
	[ "${out%% *}" = "$5" ] && [[ $port =~ ^[0-9]+$ ]] &&
		[ "$port" -ge "$6" ] && [ "$port" -le "$7" ] ||
		diag "$1 $2 to $3:$4: server saw '$out', expected $5 port $6-$7"
}

# capture_start FILTER FILE: tcpdump on the provider segment into FILE,
# once it listens (slow to start on the debug kernel); capture_stop ends it.
capture_start()
{
	local i

	ip netns exec ext timeout 60 tcpdump -t -e -n -l -i br0 "$1" \
		>"$2" 2>"$2.err" &
	capture=$!
	for i in $(seq 100); do
		grep -q "listening on" "$2.err" 2>/dev/null && return 0
		sleep 0.1
	done
	diag "tcpdump did not start: $(cat "$2.err")"
}

capture_stop()
{
	sleep 1
	kill "$capture" 2>/dev/null
	wait "$capture" 2>/dev/null
}

ping_ok() { in_ns "$1" ping -c 1 -W 2 "${@:2}" >/dev/null 2>&1; }

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

hv_add()
{
	local h=$1

	netns_add "hv$h"
	ip -n ext link add "ext$h" type veth peer name up0 netns "hv$h"
	ip -n ext link set "ext$h" master br0 up
	ip -n "hv$h" link set up0 up
	ip -n "hv$h" addr add "198.51.100.1$h/24" dev up0
	ip -n "hv$h" addr add "2001:db8:1::1$h/64" dev up0 nodad
	ip -n "hv$h" route add default via 198.51.100.1
	ip -n "hv$h" -6 route add default via 2001:db8:1::1
	nvh "$h" uplink set dev up0 &&
		nvh "$h" host set underlay "198.51.100.1$h" &&
		nvh "$h" tenant add A id 1 vni 100 &&
		nvh "$h" fw policy tenant A allow &&
		nvh "$h" route add tenant A 0.0.0.0/0 uplink &&
		nvh "$h" route add tenant A ::/0 uplink
}

ext_add()
{
	netns_add ext
	netns_add rtr
	netns_add srv
	ip -n ext link add br0 type bridge
	ip -n ext link set br0 up
	ip -n ext link add rtr0 type veth peer name eth0 netns rtr
	ip -n ext link set rtr0 master br0 up
	ip -n rtr link add eth1 type veth peer name eth0 netns srv
	ip -n rtr link set eth0 up
	ip -n rtr link set eth1 up mtu 1400
	ip -n srv link set eth0 up mtu 1400
	ip -n rtr addr add 198.51.100.1/24 dev eth0
	ip -n rtr addr add 2001:db8:1::1/64 dev eth0 nodad
	ip -n rtr addr add 203.0.113.1/24 dev eth1
	ip -n rtr addr add 2001:db8:2::1/64 dev eth1 nodad
	ip -n srv addr add 203.0.113.10/24 dev eth0
	ip -n srv addr add 2001:db8:2::10/64 dev eth0 nodad
	ip -n srv route add default via 203.0.113.1
	ip -n srv -6 route add default via 2001:db8:2::1
	in_ns rtr sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
}

setup()
{
	ext_add
	hv_add 1 && hv_add 2 || return 1
	nvh 1 tenant add B id 2 vni 200 && nvh 1 fw policy tenant B allow &&
		nvh 1 route add tenant B 0.0.0.0/0 uplink &&
		nvh 1 route add tenant B ::/0 uplink || return 1
	vm_add a1 1 A 1 && vm_add b1 1 B 1 && vm_add a2 2 A 2 &&
		vm_add a3 2 A 3 || return 1
	# Tenant A spans both hosts over the overlay on the same segment.
	nvh 1 route add tenant A 10.0.0.2/32 host 198.51.100.12 &&
		nvh 1 route add tenant A 10.0.0.3/32 host 198.51.100.12 &&
		nvh 1 route add tenant A fd00::2/128 host 198.51.100.12 &&
		nvh 2 route add tenant A 10.0.0.1/32 host 198.51.100.11 &&
		nvh 2 route add tenant A fd00::1/128 host 198.51.100.11 || return 1
	nvh 1 nat add tenant A snat to 198.51.100.11 ports 61000-61999 >/dev/null &&
		nvh 1 nat add tenant B snat to 198.51.100.11 ports 62000-62999 >/dev/null &&
		nvh 1 nat add tenant A snat to 2001:db8:1::11 ports 61000-61999 >/dev/null &&
		nvh 1 nat add tenant B snat to 2001:db8:1::11 ports 62000-62999 >/dev/null ||
		return 1
	serve srv
}

snat_tcp()
{
	expect_seen vm-a1 tcp 203.0.113.10 80 198.51.100.11 61000 61999 &&
		expect_seen vm-b1 tcp 203.0.113.10 80 198.51.100.11 62000 62999 &&
		expect_seen vm-a1 tcp 203.0.113.10 8080 198.51.100.11 61000 61999
}

snat_udp_ping()
{
	expect_seen vm-a1 udp 203.0.113.10 53 198.51.100.11 61000 61999 &&
		expect_seen vm-b1 udp 203.0.113.10 53 198.51.100.11 62000 62999 &&
		ping_ok vm-a1 203.0.113.10 && ping_ok vm-b1 203.0.113.10 ||
		return 1
	# Control: the server itself cannot reach a VM's address.
	! ping_ok srv 10.0.0.1 || diag "srv reached 10.0.0.1"
}

snat_v6()
{
	expect_seen vm-a1 tcp 2001:db8:2::10 80 2001:db8:1::11 61000 61999 &&
		expect_seen vm-b1 tcp 2001:db8:2::10 80 2001:db8:1::11 62000 62999 &&
		ping_ok vm-a1 -6 2001:db8:2::10 && ping_ok vm-b1 -6 2001:db8:2::10
}

snat_specific()
{
	local h

	h=$(nvh 1 -j nat add tenant B snat src 10.0.0.1/32 to 198.51.100.50 ports 1024-2047 |
		json_get handle) || return 1
	expect_seen vm-b1 udp 203.0.113.10 53 198.51.100.50 1024 2047 &&
		nvh 1 -j uplink show | grep -q 198.51.100.50 ||
		diag "uplink: $(nvh 1 uplink show)" || return 1
	# Control: tenant A's VM of the same address keeps its own rule.
	expect_seen vm-a1 udp 203.0.113.10 53 198.51.100.11 61000 61999 || return 1
	nvh 1 nat del tenant B handle "$h" &&
		expect_seen vm-b1 udp 203.0.113.10 53 198.51.100.11 62000 62999
}

conntrack()
{
	local out

	ask vm-a1 udp 203.0.113.10 53 >/dev/null
	out=$(in_ns hv1 conntrack -L -w 1 -p udp 2>/dev/null)
	echo "$out" | grep -q 'src=10.0.0.1 dst=203.0.113.10 .*src=203.0.113.10 dst=198.51.100.11 sport=53 dport=61[0-9][0-9][0-9]' ||
		diag "zone 1 has no translated entry: $out"
	# Control: tenant B's zone has its own ports.
	out=$(in_ns hv1 conntrack -L -w 2 -p udp 2>/dev/null)
	echo "$out" | grep -q 'dport=62[0-9][0-9][0-9]' || diag "zone 2: $out"
}

nat_show()
{
	local j

	j=$(nvh 1 -j nat show tenant A)
	[ "$(echo "$j" | json_get '0.type')" = snat ] &&
		[ "$(echo "$j" | json_get '0.ports')" = 61000-61999 ] ||
		diag "nat show: $j" || return 1
	[ "$(echo "$j" | json_get '0.packets')" -gt 0 ] &&
		[ "$(echo "$j" | json_get '0.ports_used')" -ge 1 ] ||
		diag "counters: $j" || return 1
	nvh 1 nat show tenant A | grep -q '^snat to 198.51.100.11 ports 61000-61999' ||
		diag "text: $(nvh 1 nat show tenant A)" || return 1
	# The uplink next hop, as route add takes it back.
	nvh 1 route show tenant A | grep -qE '^0\.0\.0\.0/0 .*uplink' ||
		diag "route show: $(nvh 1 route show tenant A)"
}

# in_addr_errors NS: packets NS received for an address not its own (it
# does not forward): where the ECMP route's port member takes flows.
in_addr_errors()
{
	in_ns "$1" awk '/^Ip:/ { if (n++) print $6 }' /proc/net/snmp
}

# udp_flows N: of N UDP flows from a1 (source ports 5201...), in
# parallel, how many the server answered from a1's SNAT address.
udp_flows()
{
	local p pids=()

	for ((p = 5201; p < 5201 + $1; p++)); do
		ask vm-a1 udp 203.0.113.10 53 "$p" >"$TMPDIR/flow-$p" &
		pids+=($!)
	done
	wait "${pids[@]}"
	cat "$TMPDIR"/flow-52* | grep -c '^198\.51\.100\.11 61[0-9]*$'
	rm -f "$TMPDIR"/flow-52*
}

ecmp_uplink()
{
	local n=16 up before lost

	vm_add g1 1 A 9 && in_ns vm-g1 sysctl -qw net.ipv4.ip_forward=0 &&
		nvh 1 route add tenant A 203.0.113.10/32 uplink nexthop dev g1 ||
		return 1
	nvh 1 route show tenant A |
		grep -qx '203\.0\.113\.10/32 nexthop uplink nexthop dev g1' ||
		diag "route show: $(nvh 1 route show tenant A)" || return 1
	before=$(in_addr_errors vm-g1)
	up=$(udp_flows $n)
	lost=$(($(in_addr_errors vm-g1) - before))
	[ "$up" -ge 1 ] && [ "$lost" -ge 1 ] && [ $((up + lost)) = $n ] ||
		diag "$n flows: $up answered through the uplink, $lost reached g1" ||
		return 1
	# Control: with g1 down, its flows move to the uplink.
	ip -n hv1 link set g1 down || return 1
	up=$(udp_flows $n)
	ip -n hv1 link set g1 up
	[ "$up" = $n ] || diag "g1 down: $up of $n answered" || return 1
	nvh 1 route del tenant A 203.0.113.10/32
}

dnat()
{
	local out

	serve vm-a1
	nvh 1 nat add tenant A dnat 198.51.100.21 proto tcp port 8080 to 10.0.0.1 port 80 >/dev/null ||
		return 1
	out=$(ask srv tcp 198.51.100.21 8080)
	[ "${out%% *}" = 203.0.113.10 ] || diag "a1 saw '$out'" || return 1
	# Control: another port of the address is nobody's.
	out=$(ask srv tcp 198.51.100.21 8081)
	[ "$out" = timeout ] || diag "8081: $out"
}

fip()
{
	local out mac2 garp

	serve vm-a2
	mac2=$(ip -n hv2 -j link show up0 | json_get '0.address')
	# The gratuitous ARP: from hv2, where the VM is, and not from hv1.
	capture_start arp "$TMPDIR/garp" || return 1
	nvh 1 nat add tenant A fip 198.51.100.30 to 10.0.0.2 >/dev/null &&
		nvh 2 nat add tenant A fip 198.51.100.30 to 10.0.0.2 >/dev/null ||
		return 1
	capture_stop
	garp=$(grep 'Request who-has 198.51.100.30 tell 198.51.100.30' "$TMPDIR/garp")
	[ "$(echo "$garp" | grep -c .)" = 1 ] && [[ $garp == "$mac2 "* ]] ||
		diag "gratuitous ARP: $(cat "$TMPDIR/garp"), hv2 is $mac2" || return 1
	out=$(ask srv tcp 198.51.100.30 80)
	[ "${out%% *}" = 203.0.113.10 ] || diag "a2 saw '$out'" || return 1
	out=$(ask vm-a2 tcp 203.0.113.10 80)
	[ "${out%% *}" = 198.51.100.30 ] || diag "srv saw a2 as '$out'"
}

fip_arp()
{
	local mac2 j

	mac2=$(ip -n hv2 -j link show up0 | json_get '0.address')
	in_ns rtr ip neigh flush dev eth0
	ping_ok srv 198.51.100.30 || diag "no ping to the floating IP" || return 1
	[ "$(ip -n rtr neigh show 198.51.100.30 | grep -o 'lladdr [^ ]*')" = "lladdr $mac2" ] ||
		diag "rtr: $(ip -n rtr neigh show 198.51.100.30), hv2 is $mac2" ||
		return 1
	j=$(nvh 1 -j uplink show)
	echo "$j" | grep -q 198.51.100.30 && diag "hv1 answers for it: $j" && return 1
	# Control: hv2 lists it.
	nvh 2 -j uplink show | grep -q 198.51.100.30 || diag "hv2 does not list it"
}

outside()
{
	local out

	# A host of the provider network speaking as a VM of the tenant.
	ip -n rtr addr add 10.0.0.1/32 dev lo || return 1
	ping_ok rtr -I 10.0.0.1 198.51.100.30 && diag "spoofed source got in" &&
		return 1
	nvh 2 -j stats | grep -q '"spoofed-ip":[1-9]' ||
		diag "spoofed-ip not counted" || return 1
	# Control: the router's own address gets in.
	ping_ok rtr 198.51.100.30 || diag "the router's ping" || return 1
	# A port of the SNAT range that no connection holds: the host's
	# stack answers (a reset), netvirt does not take it.
	out=$(ask srv tcp 198.51.100.11 61500)
	[ "$out" = ConnectionRefusedError ] || diag "host port 61500: $out"
}

v6_in()
{
	local out mac2 na

	mac2=$(ip -n hv2 -j link show up0 | json_get '0.address')
	# The unsolicited advertisement: from hv2, where the VM is, only.
	capture_start icmp6 "$TMPDIR/na" || return 1
	nvh 1 nat add tenant A dnat 2001:db8:1::21 proto tcp port 8080 to fd00::1 port 80 >/dev/null &&
		nvh 1 nat add tenant A fip 2001:db8:1::30 to fd00::2 >/dev/null &&
		nvh 2 nat add tenant A fip 2001:db8:1::30 to fd00::2 >/dev/null ||
		return 1
	capture_stop
	na=$(grep '> ff02::1: ICMP6, neighbor advertisement, tgt is 2001:db8:1::30' "$TMPDIR/na")
	[ "$(echo "$na" | grep -c .)" = 1 ] && [[ $na == "$mac2 "* ]] ||
		diag "advertisement: $(cat "$TMPDIR/na"), hv2 is $mac2" || return 1
	out=$(ask srv tcp 2001:db8:1::21 8080)
	[ "${out%% *}" = 2001:db8:2::10 ] || diag "a1 saw '$out'" || return 1
	out=$(ask srv tcp 2001:db8:1::30 80)
	[ "${out%% *}" = 2001:db8:2::10 ] || diag "a2 saw '$out'" || return 1
	out=$(ask vm-a2 tcp 2001:db8:2::10 80)
	[ "${out%% *}" = 2001:db8:1::30 ] || diag "srv saw a2 as '$out'" ||
		return 1
	# Control: a port no rule has.
	out=$(ask srv tcp 2001:db8:1::21 8081)
	[ "$out" = timeout ] || diag "8081: $out"
}

exhausted()
{
	local out j ev mon p

	nvh 1 tenant add C id 3 vni 300 && nvh 1 fw policy tenant C allow &&
		nvh 1 route add tenant C 0.0.0.0/0 uplink && vm_add c1 1 C 1 &&
		nvh 1 nat add tenant C snat to 198.51.100.11 ports 63000-63001 >/dev/null ||
		return 1
	timeout 20 "$NVCTL" -n hv1 -j monitor nat >"$TMPDIR/mon" &
	mon=$!
	sleep 1
	for p in 5001 5002; do
		out=$(ask vm-c1 udp 203.0.113.10 53 "$p")
		[ "${out%% *}" = 198.51.100.11 ] || diag "port $p: $out" || return 1
	done
	out=$(ask vm-c1 udp 203.0.113.10 53 5003)
	[ "$out" = timeout ] || diag "third connection: $out" || return 1
	sleep 1
	kill "$mon" 2>/dev/null
	wait "$mon" 2>/dev/null
	j=$(nvh 1 -j nat show tenant C)
	[ "$(echo "$j" | json_get '0.exhausted')" -ge 1 ] &&
		[ "$(echo "$j" | json_get '0.ports_used')" = 2 ] ||
		diag "nat show: $j" || return 1
	nvh 1 -j stats | grep -q '"nat-exhausted":[1-9]' ||
		diag "no nat-exhausted drop counted" || return 1
	ev=$(grep nat-exhausted "$TMPDIR/mon")
	echo "$ev" | grep -q '"tenant":"C"' || diag "monitor: $(cat "$TMPDIR/mon")"
}

no_nat()
{
	local before after

	before=$(nvh 2 -j stats | grep -o '"no-nat":[0-9]*' | head -1)
	ping_ok vm-a3 203.0.113.10 && diag "a3 got out untranslated" && return 1
	after=$(nvh 2 -j stats | grep -o '"no-nat":[0-9]*' | head -1)
	[ "$before" != "$after" ] || diag "no-nat not counted: $after" || return 1
	# Control: its neighbour a2, with a floating IP, gets out.
	ping_ok vm-a2 203.0.113.10 || diag "a2 cannot get out"
}

no_uplink()
{
	nvh 2 uplink del || return 1
	ping_ok vm-a2 203.0.113.10 && diag "a2 got out without an uplink" && return 1
	nvh 2 -j stats | grep -q '"no-uplink":[1-9]' || diag "not counted" || return 1
	nvh 2 uplink set dev up0 && ping_ok vm-a2 203.0.113.10 ||
		diag "uplink set again: a2 still cut off"
}

# vm_move NAME I FROM TO: tenant A's VM NAME (10.0.0.I) moves from host
# FROM to host TO: its port deleted there, its device and port added
# here, each host's route to it pointing at the other. The port add,
# captured, goes to $TMPDIR/moved.
vm_move()
{
	local name=$1 i=$2 from=$3 to=$4 mac=02:00:00:41:00:0$2

	nvh "$from" port del "$name" &&
		ip -n "hv$from" link set "$name" netns "hv$to" &&
		ip -n "hv$to" link set "$name" up &&
		nvh "$to" route del tenant A "10.0.0.$i/32" &&
		nvh "$to" route del tenant A "fd00::$i/128" &&
		nvh "$from" route add tenant A "10.0.0.$i/32" host "198.51.100.1$to" &&
		nvh "$from" route add tenant A "fd00::$i/128" host "198.51.100.1$to" ||
		return 1
	capture_start arp "$TMPDIR/moved" || return 1
	nvh "$to" port add "$name" tenant A mac "$mac" ip "10.0.0.$i" \
		ip "fd00::$i" || return 1
	capture_stop
}

# fip_on HOST: the floating IP of a2 is announced once, by HOST, which
# alone answers for it; the server reaches a2 on it.
fip_on()
{
	local mac garp out

	mac=$(ip -n "hv$1" -j link show up0 | json_get '0.address')
	garp=$(grep 'Request who-has 198.51.100.30 tell 198.51.100.30' "$TMPDIR/moved")
	[ "$(echo "$garp" | grep -c .)" = 1 ] && [[ $garp == "$mac "* ]] ||
		diag "gratuitous ARP: $(cat "$TMPDIR/moved"), hv$1 is $mac" ||
		return 1
	nvh "$1" -j uplink show | grep -q 198.51.100.30 &&
		! nvh $((3 - $1)) -j uplink show | grep -q 198.51.100.30 ||
		diag "hv$1 or also the other answers for it" || return 1
	out=$(ask srv tcp 198.51.100.30 80)
	[ "${out%% *}" = 203.0.113.10 ] || diag "a2 on hv$1 saw '$out'"
}

fip_moved()
{
	vm_move a2 2 2 1 && fip_on 1 || return 1
	# Control: moved back, hv2 announces and answers again.
	vm_move a2 2 1 2 && fip_on 2
}

host_traffic()
{
	ping_ok hv1 203.0.113.10 && ping_ok hv1 -6 2001:db8:2::10 ||
		diag "the host's ping" || return 1
	[ "$(ask hv1 tcp 203.0.113.10 80 | cut -d' ' -f1)" = 198.51.100.11 ] ||
		diag "the host's TCP"
}

pmtu()
{
	in_ns vm-a1 ip route flush cache
	in_ns vm-a1 ping -c 1 -W 2 -M do -s 1450 203.0.113.10 >/dev/null 2>&1
	in_ns vm-a1 ping -c 1 -W 2 -M do -s 1450 203.0.113.10 >/dev/null 2>&1
	in_ns vm-a1 ip route get 203.0.113.10 | grep -q 'mtu 1400' ||
		diag "a1 learnt no PMTU: $(in_ns vm-a1 ip route get 203.0.113.10)"
}

firewall()
{
	local out

	nvh 1 fw policy tenant A deny || return 1
	nvh 1 fw rule add tenant A dir out action allow >/dev/null || return 1
	out=$(ask srv tcp 198.51.100.21 8080)
	[ "$out" = timeout ] || diag "denied DNAT got: $out" || return 1
	# The in rule names the VM's port, 80, not the external 8080.
	nvh 1 fw rule add tenant A dir in proto tcp dport 80 action allow >/dev/null ||
		return 1
	out=$(ask srv tcp 198.51.100.21 8080)
	[ "${out%% *}" = 203.0.113.10 ] || diag "allowed DNAT got: $out" || return 1
	# Out rules see the VM's address: still out through SNAT.
	expect_seen vm-a1 tcp 203.0.113.10 80 198.51.100.11 61000 61999
	nvh 1 fw policy tenant A allow
}

# expect_usage REGEX COMMAND...: nvctl refuses it itself, exit 2.
expect_usage()
{
	local re=$1 out rc
	shift
	out=$("$@" 2>&1) && rc=0 || rc=$?
	[ $rc -eq 2 ] && echo "$out" | grep -qE "^Error: .*$re" ||
		diag "exit $rc, expected 2 and $re: $out"
}

errors()
{
	local n

	n=$(nvh 1 -j nat show tenant A | grep -o '"handle"' | wc -l)
	expect_error "meets another rule's ports.*tenant B|meets another rule's ports" \
		nvh 1 nat add tenant A snat to 198.51.100.11 ports 62500-62600 &&
		expect_error "taken" \
			nvh 1 nat add tenant A dnat 198.51.100.21 proto tcp port 8080 to 10.0.0.1 &&
		expect_error "floating IP" \
			nvh 1 nat add tenant B snat to 198.51.100.30 &&
		expect_usage "different address families" \
			nvh 1 nat add tenant A fip 198.51.100.40 to fd00::1 &&
		expect_error "no route" nvh 1 nat add tenant B fip 198.51.100.40 to 10.9.9.9 &&
		expect_error "tenant does not exist" nvh 1 nat add tenant Z snat to 198.51.100.40 &&
		expect_error "ip_local_port_range" \
			nvh 1 nat add tenant A snat to 198.51.100.11 ports 40000-40010 &&
		expect_error "floating IP already" \
			nvh 1 nat add tenant A fip 198.51.100.41 to 10.0.0.2 &&
		expect_error "no NAT rule with this handle" nvh 1 nat del tenant A handle 999 ||
		return 1
	[ "$(nvh 1 -j nat show tenant A | grep -o '"handle"' | wc -l)" = "$n" ] ||
		diag "rules changed"
}

uplink_errors()
{
	ip -n hv1 link add dummyx type dummy
	expect_error "device is a port" nvh 1 uplink set dev a1 &&
		expect_error "not found" nvh 1 uplink set dev nosuch &&
		expect_error "loopback" nvh 1 uplink set dev lo || return 1
	nvh 1 uplink show | grep -q up0 || diag "uplink changed" || return 1
	# Its device deleted: the uplink goes, a new one can be set.
	ip -n hv2 link add up9 type veth peer name up9p
	nvh 2 uplink set dev up9 && ip -n hv2 link del up9 || return 1
	nvh 2 uplink show >/dev/null 2>&1 && diag "uplink survived its device" && return 1
	nvh 2 uplink set dev up0
}

netns_del()
{
	ask vm-a2 udp 203.0.113.10 53 >/dev/null
	ip netns del vm-a2 && ip netns del vm-a3 && ip netns del hv2 || return 1
	expect_seen vm-a1 udp 203.0.113.10 53 198.51.100.11 61000 61999 &&
		nvh 1 uplink show >/dev/null
}

unload()
{
	ask vm-a1 udp 203.0.113.10 53 >/dev/null
	module_unload || diag "module does not unload" || return 1
	ping_ok hv1 203.0.113.10 || diag "the host's uplink traffic after unload"
	module_load
}

run_cases
