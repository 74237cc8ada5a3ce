#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Firewall against nftables, run in the test VM by `make bench-fw-vm`:
#
# 1. installing N rules: `nvctl fw load` (all rules in one request, one
#    transaction) against `nft -f` of the same rules as a plain chain in a
#    fresh table; a fresh tenant and a fresh table for each install, the
#    fastest of a few.
# 2. new connections per second through each firewall with those N rules
#    (N-1 deny rules that match nothing of the test traffic, then the
#    allow rule; policy deny): UDP from pktgen, every packet from the next
#    source and destination port, so every packet is a new connection;
#    counted as packets that reach the receiver's netns, the best of a
#    few rounds. pktgen spins on CPU 1; RPS moves what the firewall gets
#    to CPU 0, and what the receiver gets back to CPU 1.
#
# Prints both tables as ratios (absolute numbers as extra columns). Fails
# on a setup failure, or when at 100000 rules netvirt is not faster to
# install than nft (ratio nft/netvirt <= 1). See vm-README.
#
#   netvirt                                  nftables baseline
#
#            netns hv (netvirt)              netns rt (ip_forward=1, nft
#     tenant A (id 1, vni 100), policy deny  table inet nvbench, forward)
#        a1 (dir out: allow all)  a2          rb1 10.1.0.254  rb2 10.2.0.254
#         |           (dir in: N rules)        |               |
#   vm-a1 eth0        vm-a2 eth0          vm-b1 eth0      vm-b2 eth0
#   10.0.0.1          10.0.0.2            10.1.0.1        10.2.0.1
#   pktgen --------->  rx_packets         pktgen -------> rx_packets
#
# NV_BENCH_FW_RULES (default "10 1000 10000 100000") and
# NV_BENCH_FW_SECONDS (seconds counted per point, default 3) change the
# points and their length.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/tests/selftests/lib.sh"

RULES=${NV_BENCH_FW_RULES:-"10 1000 10000 100000"}
SECONDS_PER_POINT=${NV_BENCH_FW_SECONDS:-3}
CPS_ROUNDS=3
INSTALL_REPEATS=5
# The install target: at this many rules netvirt is faster than nft.
TARGET_RULES=100000
# The test traffic: UDP to ports DPORT_MIN-DPORT_MAX from 1024-65535, one
# port of each further per packet, so the tuple repeats after 64512 * 1000
# packets; far more than a point sends.
DPORT_MIN=5000
DPORT_MAX=5999
CT_MAX=2097152
CT_BUCKETS=262144
# A short backlog, so that a slow firewall is drained soon after a point.
BACKLOG=128
# pktgen spins on one CPU, the firewall runs on the other (by RPS).
SEND_CPU=0 FW_CPU=0
[ "$(nproc)" -lt 2 ] || SEND_CPU=1

TMP=$(mktemp -d)
HAVE_LOAD=1
pktgen_ns=()

nv() { "$NVCTL" -n hv "$@"; }

# pg NS FILE LINE...: each LINE written to /proc/net/pktgen/FILE in NS;
# fails when pktgen refuses one.
pg()
{
	local ns=$1 file=$2
	shift 2
	ip netns exec "$ns" bash -c '
f=/proc/net/pktgen/$1
shift
for l in "$@"; do
	echo "$l" >"$f" || { echo "pktgen: $f: $l: refused" >&2; exit 1; }
done' pg "$file" "$@"
}

pktgen_stop()
{
	local ns

	for ns in "${pktgen_ns[@]}"; do
		pg "$ns" pgctrl stop 2>/dev/null
	done
	wait 2>/dev/null
}
trap 'pktgen_stop; cleanup; rm -rf "$TMP"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# elapsed T0 T1: seconds between two $EPOCHREALTIME values.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# ratio A B: A / B with two decimals, "inf" when B is 0.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }

# vm_add NS NAME DEV MAC ADDR/LEN [GATEWAY]: a VM netns vm-NAME whose
# eth0 is the peer of DEV in NS; its default route is via GATEWAY, or on
# the link (netvirt's router answers ARP for every address).
vm_add()
{
	local ns=$1 name=$2 dev=$3 mac=$4 addr=$5 gw=${6:+via $6}

	netns_add "vm-$name"
	# shellcheck disable=SC2086 # gw: none, or two words
	ip -n "$ns" link add "$dev" type veth peer name eth0 netns "vm-$name" &&
		ip -n "$ns" link set "$dev" up &&
		ip -n "vm-$name" link set eth0 address "$mac" up &&
		ip -n "vm-$name" addr add "$addr" dev eth0 &&
		ip -n "vm-$name" route add default $gw dev eth0
}

# The receiver drops everything at its ingress: what a packet costs it
# (a socket lookup, an ICMP port unreachable back through the firewall)
# stays out of the measurement. rx_packets counts the packet before that.
sink()
{
	tc -n "vm-$1" qdisc add dev eth0 ingress &&
		tc -n "vm-$1" filter add dev eth0 ingress matchall action drop
}

# pktgen_setup VM DST DST_MAC: pktgen on vm-VM's eth0, on the sender's
# CPU, UDP to DST (at L2 to DST_MAC, the router), 64 bytes, source and
# destination ports counting up. Not UDPSRC_RND: random ports would repeat
# tuples (which open no connection) once a point sends a few ten thousand
# packets.
pktgen_setup()
{
	local ns=vm-$1 src

	src=$(ip -n "$ns" -4 -o addr show dev eth0 | awk '{ sub("/.*", "", $4); print $4 }')
	pktgen_ns+=("$ns")
	pg "$ns" pgctrl reset &&
		pg "$ns" "kpktgend_$SEND_CPU" rem_device_all "add_device eth0" &&
		pg "$ns" eth0 "count 0" "clone_skb 0" "burst 1" "delay 0" \
			"pkt_size 64" "src_min $src" "src_max $src" "dst $2" \
			"dst_mac $3" "udp_src_min 1024" "udp_src_max 65535" \
			"udp_dst_min $DPORT_MIN" "udp_dst_max $DPORT_MAX"
}

# steer NS DEV CPU: what DEV receives is processed on CPU, by RPS. What
# the sender's veth peer receives goes to FW_CPU, the firewall's, away
# from pktgen's; what the receiver's eth0 receives goes to SEND_CPU: in
# the firewall CPU's backlog, full of the sender's packets, it would be
# dropped (not counted) after the firewall passed it.
steer()
{
	[ "$FW_CPU" = "$SEND_CPU" ] && return 0
	ip netns exec "$1" bash -c 'echo "$1" >"/sys/class/net/$2/queues/rx-0/rps_cpus"' \
		steer "$((1 << $3))" "$2"
}

# rx NS: packets vm-NS's eth0 received.
rx() { ip netns exec "vm-$1" cat /sys/class/net/eth0/statistics/rx_packets; }

# drained NS: waits until vm-NS's eth0 receives nothing more (the
# backlog of a slow firewall is empty), 60 s at most.
drained()
{
	local a b

	b=$(rx "$1")
	for _ in $(seq 120); do
		sleep 0.5
		a=$b b=$(rx "$1")
		[ "$a" = "$b" ] && return 0
	done
	echo "vm-$1 still receiving after 60 s" >&2
	return 1
}

# cps SENDER RECEIVER CTNS: "RATE CONNS": packets per second that reach
# vm-RECEIVER's eth0 while pktgen sends from vm-SENDER, over
# SECONDS_PER_POINT after 0.5 s; then connections in CTNS's conntrack.
cps()
{
	local pid rate

	ip netns exec "$3" conntrack -F >/dev/null 2>&1
	pg "vm-$1" pgctrl start &
	pid=$!
	rate=$(ip netns exec "vm-$2" bash -c '
c=/sys/class/net/eth0/statistics/rx_packets
sleep 0.5
t0=$EPOCHREALTIME; p0=$(<$c)
sleep "$1"
t1=$EPOCHREALTIME; p1=$(<$c)
awk -v p="$((p1 - p0))" -v a="$t0" -v b="$t1" "BEGIN { printf \"%.0f\", p / (b - a) }"' \
		cps "$SECONDS_PER_POINT")
	pg "vm-$1" pgctrl stop
	wait "$pid"
	drained "$2" || return 1
	echo "$rate $(ip netns exec "$3" conntrack -C)"
	ip netns exec "$3" conntrack -F >/dev/null 2>&1
}

# best "RATE CONNS"...: the one of the highest rate.
best() { printf '%s\n' "$@" | sort -n -k1,1 | tail -n1; }

# The rule sets of N rules. Deny rules 1..N-1, each from its own source
# address in 172.16.0.0/12 (never the test traffic's), TCP or UDP to
# varied ports; then the allow rule of the test traffic.
# gen_netvirt N FILE: `nvctl fw load` lines; the first, dir out, lets all
# out of a1 (nft has its ct state rule instead).
gen_netvirt()
{
	awk -v n="$1" -v lo="$DPORT_MIN" -v hi="$DPORT_MAX" 'BEGIN {
	print "# " n " rules in, 1 out"
	print "dir out action allow"
	for (i = 1; i < n; i++)
		printf "prio %d dir in src 172.%d.%d.%d/32 proto %s dport %d action deny\n",
			i, 16 + int(i / 65536), int(i / 256) % 256, i % 256,
			i % 2 ? "tcp" : "udp", 1024 + i % 3000
	printf "prio %d dir in dst 10.0.0.2/32 proto udp dport %d-%d action allow\n", n, lo, hi
	}' >"$2"
}

# gen_nft N FILE: the same rules as an nft chain on the forward hook.
gen_nft()
{
	awk -v n="$1" -v lo="$DPORT_MIN" -v hi="$DPORT_MAX" 'BEGIN {
	print "table inet nvbench {"
	print "\tchain forward {"
	print "\t\ttype filter hook forward priority 0; policy drop;"
	print "\t\tct state established,related accept"
	for (i = 1; i < n; i++)
		printf "\t\tip saddr 172.%d.%d.%d %s dport %d drop\n",
			16 + int(i / 65536), int(i / 256) % 256, i % 256,
			i % 2 ? "tcp" : "udp", 1024 + i % 3000
	printf "\t\tip daddr 10.2.0.1 udp dport %d-%d accept\n", lo, hi
	print "\t}"
	print "}"
	}' >"$2"
}

# netvirt_tenant: tenant A afresh (deny policy, no rules), a1 and a2 in it.
netvirt_tenant()
{
	nv tenant del A force 2>/dev/null
	nv tenant add A id 1 vni 100 &&
		nv port add a1 tenant A mac 02:00:00:00:00:01 ip 10.0.0.1 &&
		nv port add a2 tenant A mac 02:00:00:00:00:02 ip 10.0.0.2
}

# netvirt_load FILE: seconds `nvctl fw load` takes for tenant A. An nvctl
# without `fw load` (HAVE_LOAD=0) adds the rules one by one instead, for
# a few rules only.
netvirt_load()
{
	local t0 t1 out line n

	t0=$EPOCHREALTIME
	if [ "$HAVE_LOAD" = 1 ]; then
		out=$(nv fw load tenant A "$1" 2>&1) || { echo "$out" >&2; return 1; }
	else
		n=$(grep -vc '^#' "$1")
		[ "$n" -le 1001 ] || { echo "$n rules need nvctl fw load" >&2; return 1; }
		while read -r line; do
			[ "${line#\#}" = "$line" ] || continue
			# shellcheck disable=SC2086 # a rule: its words
			nv fw rule add tenant A $line >/dev/null || return 1
		done <"$1"
	fi
	t1=$EPOCHREALTIME
	elapsed "$t0" "$t1"
}

# nft_load FILE: seconds `nft -f` takes in rt, into a fresh table.
nft_load()
{
	ip netns exec rt nft delete table inet nvbench 2>/dev/null
	ip netns exec rt bash -c '
t0=$EPOCHREALTIME
nft -f "$1" || exit 1
t1=$EPOCHREALTIME
awk -v a="$t0" -v b="$t1" "BEGIN { printf \"%.3f\", b - a }"' nft "$1"
}

setup()
{
	local cmd mac

	for cmd in nft conntrack tc awk; do
		command -v "$cmd" >/dev/null || fail "no $cmd (scripts/deps.sh installs it)"
	done
	if "$NVCTL" fw help 2>&1 | grep -q 'fw load'; then
		HAVE_LOAD=1
	else
		HAVE_LOAD=0
		echo "# nvctl has no 'fw load': netvirt's rules added one by one" >&2
	fi
	modprobe -a pktgen nf_conntrack sch_ingress cls_matchall act_gact ||
		fail "modules"
	# Global in 6.1 (and read-only in other namespaces): room for the
	# connections of a point at any rate this machine makes.
	sysctl -qw net.netfilter.nf_conntrack_max=$CT_MAX &&
		echo $CT_BUCKETS >/sys/module/nf_conntrack/parameters/hashsize &&
		sysctl -qw net.core.netdev_max_backlog=$BACKLOG ||
		fail "conntrack limits, backlog"

	# netvirt
	netns_add hv
	vm_add hv a1 a1 02:00:00:00:00:01 10.0.0.1/24 &&
		vm_add hv a2 a2 02:00:00:00:00:02 10.0.0.2/24 &&
		netvirt_tenant || fail "netvirt topology"
	mac=$(nv -j tenant show A | json_get 0.router_mac) || fail "router MAC"
	nv fw policy tenant A allow && ping4 a1 10.0.0.2 ||
		fail "no path vm-a1 -> vm-a2"
	pktgen_setup a1 10.0.0.2 "$mac" && sink a2 && steer hv a1 "$FW_CPU" &&
		steer vm-a2 eth0 "$SEND_CPU" ||
		fail "pktgen on vm-a1"

	# nftables
	netns_add rt
	ip netns exec rt sysctl -qw net.ipv4.ip_forward=1 &&
		vm_add rt b1 rb1 02:00:00:00:01:01 10.1.0.1/24 10.1.0.254 &&
		vm_add rt b2 rb2 02:00:00:00:02:01 10.2.0.1/24 10.2.0.254 &&
		ip -n rt addr add 10.1.0.254/24 dev rb1 &&
		ip -n rt addr add 10.2.0.254/24 dev rb2 &&
		ip -n rt neigh replace 10.2.0.1 lladdr 02:00:00:00:02:01 dev rb2 nud permanent ||
		fail "router topology"
	ping4 b1 10.2.0.1 || fail "no path vm-b1 -> vm-b2"
	mac=$(ip -n rt link show rb1 | awk '/link\/ether/ { print $2 }')
	pktgen_setup b1 10.2.0.1 "$mac" && sink b2 && steer rt rb1 "$FW_CPU" &&
		steer vm-b2 eth0 "$SEND_CPU" ||
		fail "pktgen on vm-b1"
}

# fw_rules: rules tenant A's firewall has, from the head of `fw show`.
fw_rules()
{
	nv fw show tenant A | awk 'NR == 1 {
		for (i = 1; i < NF; i++) if ($i == "rules") print $(i + 1); exit }'
}

# min A B: the smaller of two numbers of seconds.
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (b < a ? b : a) }'; }

setup

status=0
install_rows=() cps_rows=()
for n in $RULES; do
	gen_netvirt "$n" "$TMP/nv.rules" && gen_nft "$n" "$TMP/nft.rules" ||
		fail "rule files"

	# The fastest of a few installs each (two from 100000 rules on:
	# nft takes long), alternating, each into a fresh tenant or table; the last
	# stays for the traffic.
	reps=$INSTALL_REPEATS
	[ "$n" -lt "$TARGET_RULES" ] || reps=2
	nv_s="" nft_s="" nv_all="" nft_all=""
	for _ in $(seq "$reps"); do
		netvirt_tenant || fail "tenant A afresh"
		s=$(netvirt_load "$TMP/nv.rules") || fail "nvctl fw load of $n rules"
		nv_s=$(min "${nv_s:-$s}" "$s") nv_all+=" $s"
		s=$(nft_load "$TMP/nft.rules") || fail "nft -f of $n rules"
		nft_s=$(min "${nft_s:-$s}" "$s") nft_all+=" $s"
	done
	got=$(fw_rules)
	[ "$got" = $((n + 1)) ] || fail "tenant A has '$got' rules, not $((n + 1))"
	r=$(ratio "$nft_s" "$nv_s")
	install_rows+=("$(printf '%7s %10s %10s %12s' "$n" "$nv_s" "$nft_s" "$r")")
	if [ "$n" = "$TARGET_RULES" ] &&
		! awk -v r="$r" 'BEGIN { exit !(r > 1) }'; then
		echo "FAIL: $n rules: netvirt installs slower than nft (nft/netvirt $r)" >&2
		status=1
	fi

	# The best of a few alternating rounds: the host's other load
	# comes and goes.
	nv_runs=() nft_runs=()
	for _ in $(seq "$CPS_ROUNDS"); do
		nv_runs+=("$(cps a1 a2 hv)") || fail "netvirt traffic"
		nft_runs+=("$(cps b1 b2 rt)") || fail "nft traffic"
	done
	read -r nv_cps nv_ct <<<"$(best "${nv_runs[@]}")"
	read -r nft_cps nft_ct <<<"$(best "${nft_runs[@]}")"
	[ "$nv_cps" -gt 0 ] || fail "$n rules: nothing reached vm-a2"
	[ "$nft_cps" -gt 0 ] || fail "$n rules: nothing reached vm-b2"
	cps_rows+=("$(printf '%7s %12s %12s %12s %13s %10s' "$n" "$nv_cps" \
		"$nft_cps" "$(ratio "$nv_cps" "$nft_cps")" "$nv_ct" "$nft_ct")")
	echo "# $n rules: install s:$nv_all /$nft_all; cps, conns: ${nv_runs[*]} / ${nft_runs[*]} (at $SECONDS s)" >&2
done

echo "# firewall rule install: netvirt (nvctl fw load, one change) vs nft -f (fresh table)"
echo "# (seconds: the fastest of $INSTALL_REPEATS installs, of 2 at $TARGET_RULES rules)"
printf '%7s %10s %10s %12s\n' rules netvirt_s nft_s nft/netvirt
printf '%s\n' "${install_rows[@]}"
echo
echo "# new connections per second: netvirt vs nftables plain chain"
echo "# (UDP from pktgen, every packet a new connection; best of $CPS_ROUNDS rounds"
echo "# of ${SECONDS_PER_POINT} s; *_conns: conntrack entries the round made)"
printf '%7s %12s %12s %12s %13s %10s\n' rules netvirt_cps nft_cps netvirt/nft \
	netvirt_conns nft_conns
printf '%s\n' "${cps_rows[@]}"
exit $status
