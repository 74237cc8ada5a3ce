#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Transactions: nvctl batch stages every change of a file in the module
# and commits them as one change - one generation, all or nothing - or
# only checks them; a commit on a stale generation is refused; a client
# that dies leaves nothing; routes swapped in one transaction never send
# a packet the wrong way, as they do swapped one request at a time.
#
#   netns hv (netvirt), tenant blue, policy allow
#     b1 10.0.0.1    b2 10.0.0.2    b3 10.0.0.3 (the probe's sender)
#     b1 and b2 both answer for 10.9.1.1 and 10.9.2.1 (on lo)
#     10.9.1.0/24 dev b1, 10.9.2.0/24 dev b2 (then swapped)

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"setup			| txn: setup: a tenant, three VMs, two routes"
	"applies			| txn: a batch applies every line as one generation"
	"bad_last		| txn: a batch whose last line fails changes nothing, names the line"
	"check			| txn: check validates, publishes nothing; a bad batch fails its check"
	"stale_gen		| txn: a stale gen is refused naming the current one; the current applies"
	"killed			| txn: a client killed before its commit leaves nothing"
	"port_undone		| txn: a port added in a failed batch leaves its device free"
	"events			| txn: one config event per commit, with its request counts; none for a failure"
	"zone_reuse		| txn: a tenant id the batch deletes is refused to a new tenant of it"
	"swap			| txn: routes swapped in one batch never send a packet the wrong way"
	"swap_control swap	| txn: swapped one request at a time, packets do go the wrong way (control)"
	"port_redo		| txn: a port made again in a failed batch keeps its device; in a good one, changes"
	"fw_built_once setup	| txn: five rule requests of a batch build the firewall once; alone, five times (control)"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"
TMPDIR=$(mktemp -d)
trap 'cleanup; rm -rf "$TMPDIR"' EXIT
require_module

nv() { "$NVCTL" -n hv "$@"; }
gen() { nv -j info | json_get config_gen; }
epoch() { nv -j fw show tenant blue | json_get epoch; }
nroutes() { nv -j route show tenant blue | json_get '*.dst' | wc -l; }

vm_add()
{
	local name=$1 i=$2 mac=02:00:00:00:00:0$2

	netns_add "vm-$name" &&
		ip -n hv link add "$name" type veth peer name eth0 netns "vm-$name" &&
		ip -n hv link set "$name" up &&
		ip -n "vm-$name" link set eth0 address "$mac" up &&
		ip -n "vm-$name" addr add "10.0.0.$i/24" dev eth0 &&
		ip -n "vm-$name" route add default dev eth0 &&
		nv port add "$name" tenant blue mac "$mac" ip "10.0.0.$i"
}

setup()
{
	local v

	netns_add hv && nv tenant add blue id 7 vni 700 &&
		nv fw policy tenant blue allow &&
		vm_add b1 1 && vm_add b2 2 && vm_add b3 3 || return 1
	for v in b1 b2; do
		ip -n "vm-$v" addr add 10.9.1.1/32 dev lo &&
			ip -n "vm-$v" addr add 10.9.2.1/32 dev lo || return 1
	done
	nv route add tenant blue 10.9.1.0/24 dev b1 &&
		nv route add tenant blue 10.9.2.0/24 dev b2
} >/dev/null 2>&1

# A batch of three kinds of changes; $1: a last line to add.
good_batch()
{
	cat <<-EOF
	# a tenant's new subnet and what guards it
	route add tenant blue 10.20.0.0/16 dev b1
	route add tenant blue 10.21.0.0/16 nexthop dev b1 nexthop dev b2

	fw group add tenant blue ops 192.0.2.0/24
	fw rule add tenant blue dir in src @ops proto tcp dport 22 action allow
	${1:-}
	EOF
}

applies()
{
	local g=$(gen) r=$(nroutes)

	good_batch >"$TMPDIR/good" && nv batch "$TMPDIR/good" || return 1
	[ "$(gen)" = $((g + 1)) ] || diag "generation $g -> $(gen)" || return 1
	[ "$(nroutes)" = $((r + 2)) ] &&
		nv fw show tenant blue | grep -q 'src @ops' ||
		diag "$(nv route show tenant blue; nv fw show tenant blue)"
}

# The routes and rule of good_batch, which bad_last and check re-add.
good_undo()
{
	local h

	h=$(nv -j fw show tenant blue | json_get 'rules.0.handle') &&
		nv fw rule del tenant blue handle "$h" &&
		nv fw group del tenant blue ops &&
		nv route del tenant blue 10.20.0.0/16 &&
		nv route del tenant blue 10.21.0.0/16
}

bad_last()
{
	local g r out

	good_undo || return 1
	g=$(gen) && r=$(nroutes)
	good_batch "route add tenant blue 10.22.0.0/16 dev nosuch" >"$TMPDIR/bad"
	out=$(nv batch "$TMPDIR/bad" 2>&1) && diag "applied: $out" && return 1
	echo "$out" | grep -q "^$TMPDIR/bad:7: Error: .*no such port" ||
		diag "message: $out" || return 1
	[ "$(gen)" = "$g" ] && [ "$(nroutes)" = "$r" ] &&
		! nv fw show tenant blue | grep -q '@ops' ||
		diag "half applied: gen $g -> $(gen), routes $r -> $(nroutes)"
}

check()
{
	local g=$(gen) r=$(nroutes) out

	nv batch "$TMPDIR/good" check || diag "good batch fails its check" ||
		return 1
	[ "$(gen)" = "$g" ] && [ "$(nroutes)" = "$r" ] ||
		diag "check published: gen $g -> $(gen)" || return 1
	# The check runs the requests: it fails as the commit would.
	out=$(nv batch "$TMPDIR/bad" check 2>&1) &&
		diag "bad batch passed its check" && return 1
	echo "$out" | grep -q ':7: Error: .*no such port' || diag "message: $out"
}

stale_gen()
{
	local g=$(gen) out

	echo "route add tenant blue 10.30.0.0/16 dev b2" >"$TMPDIR/one"
	out=$(nv batch "$TMPDIR/one" gen $((g - 1)) 2>&1) &&
		diag "stale gen applied" && return 1
	echo "$out" | grep -qE "Error: .*(generation $((g - 1)) is stale|stale generation)" ||
		diag "message: $out" || return 1
	[ "$(gen)" = "$g" ] || diag "changed: $g -> $(gen)" || return 1
	nv batch "$TMPDIR/one" gen "$g" && [ "$(gen)" = $((g + 1)) ] ||
		diag "the current generation was refused"
}

# A batch read from a pipe that stays open: its line is staged, then the
# client dies before it could commit.
killed()
{
	local g=$(gen) pid

	mkfifo "$TMPDIR/fifo" || return 1
	"$NVCTL" -n hv batch - <"$TMPDIR/fifo" &
	pid=$!
	exec 7>"$TMPDIR/fifo"
	echo "route add tenant blue 10.31.0.0/16 dev b2" >&7
	sleep 2
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	exec 7>&-
	[ "$(gen)" = "$g" ] && ! nv route show tenant blue | grep -q 10.31.0.0 ||
		diag "the dead client's route: $(nv route show tenant blue)" ||
		return 1
	# Control: the same, its input ended, commits.
	echo "route add tenant blue 10.31.0.0/16 dev b2" | nv batch - &&
		nv route show tenant blue | grep -q 10.31.0.0 ||
		diag "the control batch did not apply"
}

# The port's device is attached when staged requests run, and the batch
# fails after it: the device must be free again, as if never attached.
port_undone()
{
	local out

	netns_add vm-b4 &&
		ip -n hv link add b4 type veth peer name eth0 netns vm-b4 &&
		ip -n hv link set b4 up || return 1
	printf '%s\n' "port add b4 tenant blue mac 02:00:00:00:00:04 ip 10.0.0.4" \
		"route add tenant blue 10.40.0.0/16 dev nosuch" >"$TMPDIR/port"
	out=$(nv batch "$TMPDIR/port" 2>&1) && diag "applied: $out" && return 1
	nv port show b4 >/dev/null 2>&1 && diag "port b4 exists" && return 1
	# Its rx_handler is free: a bridge can take the device.
	ip -n hv link add br9 type bridge &&
		ip -n hv link set b4 master br9 ||
		diag "b4 still held by the aborted port" || return 1
	ip -n hv link set b4 nomaster && ip -n hv link del br9 &&
		nv port add b4 tenant blue mac 02:00:00:00:00:04 ip 10.0.0.4 ||
		diag "b4 cannot be added afterwards"
}

# redo_batch IP [LAST]: port b1 deleted and made again with address IP,
# then LAST.
redo_batch()
{
	printf '%s\n' "port del b1 force" \
		"port add b1 tenant blue mac 02:00:00:00:00:01 ip $1" ${2:+"$2"} |
		nv batch - 2>&1
}

ping_b1() { vm b2 ping -c 1 -W 2 "$1" >/dev/null 2>&1; }

port_redo()
{
	local out

	out=$(redo_batch 10.0.0.11 "route add tenant blue 10.44.0.0/16 dev nosuch") &&
		diag "applied: $out" && return 1
	nv port show b1 | grep -q 'ip 10.0.0.1 state attached' ||
		diag "b1 after the failed batch: $(nv port show b1)" || return 1
	ping_b1 10.0.0.1 || diag "b1 unreachable after the failed batch" ||
		return 1
	# Control: without the bad line, b1 is made again, on its device.
	out=$(redo_batch 10.0.0.11) || diag "$out" || return 1
	ip -n vm-b1 addr add 10.0.0.11/24 dev eth0 &&
		nv port show b1 | grep -q 'ip 10.0.0.11 state attached' &&
		ping_b1 10.0.0.11 || diag "b1 made again: $(nv port show b1)" ||
		return 1
	ip -n vm-b1 addr del 10.0.0.11/24 dev eth0
	redo_batch 10.0.0.1 >/dev/null
}

events()
{
	local g=$(gen) mon ev

	timeout 30 "$NVCTL" -n hv -j monitor config count 2 >"$TMPDIR/ev" &
	mon=$!
	sleep 1
	nv batch "$TMPDIR/bad" 2>/dev/null
	printf '%s\n' "route add tenant blue 10.50.0.0/16 dev b1" \
		"route add tenant blue 10.51.0.0/16 dev b1" \
		"fw rule add tenant blue dir in proto udp dport 53 action allow" \
		>"$TMPDIR/three"
	nv batch "$TMPDIR/three" && nv route del tenant blue 10.50.0.0/16 ||
		return 1
	wait "$mon" || diag "monitor: $(cat "$TMPDIR/ev")" || return 1
	ev=$(sed -n 1p "$TMPDIR/ev")
	[ "$(echo "$ev" | json_get gen)" = $((g + 1)) ] &&
		[ "$(echo "$ev" | json_get requests)" = 3 ] &&
		[ "$(echo "$ev" | json_get changes.routes)" = 2 ] &&
		[ "$(echo "$ev" | json_get changes.rules)" = 1 ] ||
		diag "first event: $ev" || return 1
	ev=$(sed -n 2p "$TMPDIR/ev")
	[ "$(echo "$ev" | json_get gen)" = $((g + 2)) ] &&
		[ "$(echo "$ev" | json_get requests)" = 1 ] ||
		diag "second event: $ev"
}

# probe.py send STOP | recv FILE: the sender alternates datagrams to
# 10.9.1.1 and 10.9.2.1 ("SEQ 1", "SEQ 2") until file STOP exists; a
# receiver logs what it got.
cat >"$TMPDIR/probe.py" <<'PY'
import os, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
if sys.argv[1] == "send":
    end, seq = time.time() + 60, 0
    while time.time() < end and not os.path.exists(sys.argv[2]):
        for d in (1, 2):
            seq += 1
            s.sendto(b"%d %d" % (seq, d), ("10.9.%d.1" % d, 9999))
        time.sleep(0.0005)
    sys.exit(0)
s.bind(("0.0.0.0", 9999))
s.settimeout(60)    # the sender may be slow to start (debug kernel)
with open(sys.argv[2], "w") as f:
    open(sys.argv[2] + ".ready", "w").close()
    try:
        while True:
            f.write(s.recv(64).decode() + "\n")
            if s.gettimeout() != 3:
                open(sys.argv[2] + ".flowing", "w").close()
                s.settimeout(3)
    except socket.timeout:
        pass
PY

zone_reuse()
{
	local out

	nv tenant add green id 9 vni 900 >/dev/null 2>&1 || return 1
	out=$(printf '%s\n' "tenant del green" "tenant add lime id 9 vni 901" |
		nv batch - 2>&1) && diag "applied: $out" && return 1
	echo "$out" | grep -q "Error: this transaction deletes the tenant of this id" ||
		diag "message: $out" || return 1
	nv tenant show green >/dev/null || diag "green is gone" || return 1
	# Control: another id in the same batch.
	printf '%s\n' "tenant del green" "tenant add lime id 10 vni 901" |
		nv batch - >/dev/null 2>&1 && nv tenant show lime >/dev/null &&
		! nv tenant show green >/dev/null 2>&1 || diag "the control batch failed"
}

# probe FROM SWAP...: traffic while SWAP runs, from routes that send
# 10.9.1.1 to b$FROM and 10.9.2.1 to the other VM, to the opposite. Fails
# when a packet went the old way after one went the new way: for a
# moment both destinations went to one VM.
probe()
{
	local from=$1 v i old new
	shift

	for v in b1 b2; do
		rm -f "$TMPDIR/$v.log.ready" "$TMPDIR/$v.log.flowing"
		vm "$v" python3 "$TMPDIR/probe.py" recv "$TMPDIR/$v.log" &
	done
	for i in $(seq 50); do
		[ -e "$TMPDIR/b1.log.ready" ] && [ -e "$TMPDIR/b2.log.ready" ] &&
			break
		sleep 0.2
	done
	rm -f "$TMPDIR/stop"
	vm b3 python3 "$TMPDIR/probe.py" send "$TMPDIR/stop" &
	# The swap in the middle of the traffic, once it flows.
	for i in $(seq 100); do
		[ -e "$TMPDIR/b1.log.flowing" ] && [ -e "$TMPDIR/b2.log.flowing" ] &&
			break
		sleep 0.1
	done
	sleep 1
	"$@" || { touch "$TMPDIR/stop"; wait; return 1; }
	sleep 1
	touch "$TMPDIR/stop"
	wait
	# Sequence numbers of the packets that went the way FROM says.
	way()
	{
		awk -v d="$1" '$2 == d' "$TMPDIR/b1.log"
		awk -v d="$2" '$2 == d' "$TMPDIR/b2.log"
	}
	if [ "$from" = 1 ]; then
		old=$(way 1 2 | sort -n | tail -1 | cut -d' ' -f1)
		new=$(way 2 1 | sort -n | head -1 | cut -d' ' -f1)
	else
		old=$(way 2 1 | sort -n | tail -1 | cut -d' ' -f1)
		new=$(way 1 2 | sort -n | head -1 | cut -d' ' -f1)
	fi
	[ -n "$old" ] && [ -n "$new" ] || diag "no swap seen: old $old new $new" ||
		return 1
	[ "$old" -lt "$new" ] ||
		diag "packet $old went the old way after $new went the new way"
}

swap_batch()
{
	printf '%s\n' "route del tenant blue 10.9.1.0/24" \
		"route del tenant blue 10.9.2.0/24" \
		"route add tenant blue 10.9.1.0/24 dev b2" \
		"route add tenant blue 10.9.2.0/24 dev b1" | nv batch -
}

swap() { probe 1 swap_batch; }

# The swap back, one request at a time: the moment with both prefixes on
# b1 must show up as packets going the old way after the new.
swap_singly()
{
	nv route del tenant blue 10.9.1.0/24 &&
		nv route add tenant blue 10.9.1.0/24 dev b1 &&
		nv route del tenant blue 10.9.2.0/24 &&
		nv route add tenant blue 10.9.2.0/24 dev b2
}

swap_control()
{
	local out

	out=$(probe 2 swap_singly 2>&1) && diag "no wrong packet seen" && return 1
	echo "$out" | grep -q "went the old way" || diag "$out"
}

# The firewall is compiled at the commit, once for all the requests that
# changed it, and every build draws the next epoch of a counter all
# firewalls share (nothing else draws while the selftests run one at a
# time): a change of blue's policy draws the latest first.
fw_built_once()
{
	local e f i

	for i in 1 2 3 4 5; do
		echo "fw rule add tenant blue prio 900 dir in proto udp dport 90$i action deny"
	done >"$TMPDIR/five"
	nv fw policy tenant blue allow && e=$(epoch) &&
		nv batch "$TMPDIR/five" && f=$(epoch) || return 1
	[ "$f" = $((e + 1)) ] || diag "a batch of five: epoch $e -> $f" ||
		return 1
	for i in 1 2 3 4 5; do
		nv fw rule add tenant blue prio 901 dir in proto udp dport 91$i \
			action deny >/dev/null || return 1
	done
	[ "$(epoch)" = $((f + 5)) ] || diag "five requests: epoch $f -> $(epoch)" ||
		return 1
	[ "$(nv fw show tenant blue | grep -c 'action deny')" = 10 ] ||
		diag "$(nv fw show tenant blue)"
}

run_cases
