#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nlfuzz against the module: random, corrupted, mutated and valid
# requests to every command, dumps left running or abandoned, and
# requests from unprivileged sockets, with a fixed seed. Then nvctl's
# view must agree with the module's counts and its overlay with the
# tunnel devices (HOST_SET makes and replaces nv-geneve*/nv-vxlan*), a
# port's device and the tunnel device are deleted under it, the
# namespace is deleted with its tenants, ports and overlay, and the
# module is unloaded and loaded again. The VM runner fails the run on
# any kernel warning; this script also on a device left referenced. A
# use-after-free shows on the debug kernel (--kernel debug, where the
# default budget is 20000: KASAN and lockdep make requests ~10x slower),
# or on Debian's with NV_VM_APPEND=slub_debug=FZP (freed memory poisoned).
#
#   netns nvfuzz:  nvf0a -- nvf0b   nvf1a -- nvf1b   nvf2a -- nvf2b
#                  nvf3a -- nvf3b -- [bridge nvbr0]
#                  underlay addresses (nlfuzz finds them): nvf1a
#                  $UNDERLAY4/24 $UNDERLAY6/64, nvbr0 (down)
#                  198.51.100.1/24 2001:db8:fb::1/64
#                  nlfuzz --seed $NV_FUZZ_SEED --count $NV_FUZZ_COUNT
#                    (defaults 1 and 100000) --> netvirt

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"setup			| fuzz: namespace with veth devices and a bridge"
	"nlfuzz			| fuzz: nlfuzz's seeded requests (its own TAP lines, relayed)"
	"charged nlfuzz		| fuzz: what nlfuzz's requests left is charged to its memory cgroup"
	"counts_agree		| fuzz: nvctl info counts agree with nvctl listings"
	"port_dev_deleted	| fuzz: deleting a port's device detaches the port"
	"counts_agree_after port_dev_deleted | fuzz: counts agree after the device went away"
	"host_agrees		| fuzz: nvctl's overlay agrees with the tunnel devices"
	"tunnel_dev_deleted	| fuzz: deleting the tunnel device takes the overlay down"
	"netns_deleted		| fuzz: namespace with tenants and ports deleted"
	"reloads			| fuzz: module unloads and loads again"
	"log_clean		| fuzz: no device left referenced in the kernel log"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"
trap cleanup EXIT
require_module

NLFUZZ=$NV_ROOT/tests/fuzz/nlfuzz
seed=${NV_FUZZ_SEED:-1}
case $(uname -r) in
*-nvdebug*) count=${NV_FUZZ_COUNT:-20000} ;;
*) count=${NV_FUZZ_COUNT:-100000} ;;
esac
ns=nvfuzz
# nlfuzz's memory cgroup: its requests, the unprivileged ones too, are
# charged there (memcg.sh measures the charges; here they must hold up
# under fuzzing). Empty when the guest has no cgroup2 memory controller.
fuzz_cg=
UNDERLAY4=192.0.2.1
UNDERLAY6=2001:db8:f1::1

if [ ! -x "$NLFUZZ" ]; then
	echo "1..0 # SKIP $NLFUZZ not built (make testprogs)"
	exit $KSFT_SKIP
fi

nv() { "$NVCTL" -n "$ns" "$@"; }

setup()
{
	local i

	netns_add "$ns"
	for i in 0 1 2 3; do
		ip -n "$ns" link add "nvf${i}a" type veth peer name "nvf${i}b" &&
			ip -n "$ns" link set "nvf${i}a" up &&
			ip -n "$ns" link set "nvf${i}b" up || return 1
	done
	ip -n "$ns" link add nvbr0 type bridge &&
		ip -n "$ns" link set nvf3b master nvbr0 || return 1
	# No DAD: usable at once, and the same set of addresses every run.
	ip -n "$ns" addr add "$UNDERLAY4/24" dev nvf1a &&
		ip -n "$ns" addr add "$UNDERLAY6/64" dev nvf1a nodad &&
		ip -n "$ns" addr add 198.51.100.1/24 dev nvbr0 &&
		ip -n "$ns" addr add 2001:db8:fb::1/64 dev nvbr0 nodad
}

# A memory cgroup for nlfuzz (memory.max 1G: room for any configuration
# the fuzzer builds); this script has a mount namespace of its own.
fuzz_cgroup()
{
	local cg=/sys/fs/cgroup

	[ -f "$cg/cgroup.controllers" ] ||
		mount -t cgroup2 none "$cg" 2>/dev/null || return 0
	grep -qw memory "$cg/cgroup.controllers" &&
		echo +memory >"$cg/cgroup.subtree_control" &&
		mkdir -p "$cg/nv-fuzz" && echo 1G >"$cg/nv-fuzz/memory.max" &&
		fuzz_cg=$cg/nv-fuzz
	return 0
}

# nlfuzz's TAP lines, renumbered into this script's.
nlfuzz()
{
	local start=$SECONDS rc

	fuzz_cgroup
	[ -n "$fuzz_cg" ] || echo "# nlfuzz: no cgroup2 memory controller"

	# lastpipe: tap_relay counts in this shell, not in a subshell.
	shopt -s lastpipe
	# The watchdog is for a request that hangs, not a slow machine: it
	# fires a minute before run_all.sh would kill the script, so that
	# the failure says where it stopped.
	bash -c '[ -z "$0" ] || echo $$ >"$0/cgroup.procs" && exec "$@"' \
		"$fuzz_cg" ip netns exec "$ns" "$NLFUZZ" --seed "$seed" \
		--count "$count" --timeout $((${NV_SELFTEST_LIMIT:-600} - 60)) |
		tap_relay
	rc=${PIPESTATUS[0]}
	echo "# nlfuzz: exit $rc after $((SECONDS - start)) s"
	[ $rc = 0 ] || [ $tap_failed -gt 0 ] ||
		not_ok "fuzz: nlfuzz exited $rc"
}

# The configuration nlfuzz left (per-CPU counters of its tenants, rules)
# is charged to nlfuzz's cgroup, not the root: its percpu charge stays
# after nlfuzz has exited.
charged()
{
	local percpu

	[ -n "$fuzz_cg" ] || { skip_reason="no cgroup2 memory controller"
		return $KSFT_SKIP; }
	[ "$(nv -j info | json_get counts.tenants)" -gt 0 ] ||
		diag "nlfuzz left no tenant to be charged for" || return 1
	percpu=$(awk '$1 == "percpu" { print $2 }' "$fuzz_cg/memory.stat")
	[ "${percpu:-0}" -gt 0 ] || diag "nv-fuzz percpu charge: ${percpu:-none}"
}

# nvctl's listings against `nvctl info`: tenants, ports, and routes
# (the sum of each tenant's count).
counts_agree()
{
	local info tenants ports

	info=$(nv -j info) && tenants=$(nv -j tenant show) &&
		ports=$(nv -j port show) || return 1
	python3 - "$info" "$tenants" "$ports" <<'EOF'
import json, sys
info, tenants, ports = (json.loads(a) for a in sys.argv[1:4])
listed = {"tenants": len(tenants), "ports": len(ports),
          "routes": sum(t.get("routes", 0) for t in tenants)}
bad = ["%s: info %s, listed %s" % (k, info["counts"][k], v)
       for k, v in listed.items() if info["counts"][k] != v]
print("# nvctl: %s" % listed)
for b in bad:
    print("# " + b)
sys.exit(1 if bad else 0)
EOF
}

# A port on nvf0a when the fuzzer left none; ids may be taken.
port_add()
{
	local id

	for id in 4242 4243 4244 4245; do
		nv tenant add fuzzport id $id vni $id 2>/dev/null && break
	done
	nv port add nvf0a tenant fuzzport mac 02:00:00:00:42:01 ip 10.42.0.1
}

# The first attached port's name, or nothing.
attached_port()
{
	local name

	for name in $(nv -j port show | json_get '*.ifname'); do
		[ "$(nv -j port show "$name" | json_get 0.state)" = attached ] &&
			echo "$name" && return
	done
}

# Deletes the device of some port: the port stays, detached.
port_dev_deleted()
{
	local dev before after

	dev=$(attached_port)
	if [ -z "$dev" ]; then
		port_add || return 1
		dev=nvf0a
	fi
	before=$(nv -j info | json_get counts.ports)
	ip -n "$ns" link del "$dev" || return 1
	after=$(nv -j info | json_get counts.ports)
	[ "$after" = "$before" ] &&
		[ "$(nv -j port show "$dev" | json_get 0.state)" = detached ] ||
		diag "ports $before -> $after, $dev $(nv port show "$dev")"
}

# netvirt's tunnel devices in the namespace, one per line.
tunnel_devs()
{
	ip -n "$ns" -o link show |
		sed -nE 's/^[0-9]+: (nv-(geneve|vxlan)[0-9]+)[:@].*/\1/p'
}

# `nvctl host show` against the devices: the overlay's tunnel device is
# the only one, none without an overlay.
host_agrees()
{
	local devs tunnel

	devs=$(tunnel_devs | tr '\n' ' ')
	if tunnel=$(nv -j host show 2>/dev/null | json_get tunnel 2>/dev/null); then
		echo "# overlay: tunnel $tunnel, devices: ${devs:-none}"
		[ "$devs" = "$tunnel " ] || diag "tunnel devices: $devs"
	else
		echo "# overlay: none, devices: ${devs:-none}"
		[ -z "$devs" ] || diag "tunnel devices without an overlay: $devs"
	fi
}

# An address of the namespace, the last: the device of a port may have
# been deleted, and its address with it.
underlay_addr()
{
	ip -n "$ns" -o addr show scope global |
		awk '{ sub("/.*", "", $4); a = $4 } END { print a }'
}

# Deletes the tunnel device of the overlay (set when the fuzzer left
# none): the module takes the overlay down. Then sets one again, which
# the namespace's deletion must take down.
tunnel_dev_deleted()
{
	local tunnel

	tunnel=$(nv -j host show 2>/dev/null | json_get tunnel) ||
		{ nv host set underlay "$(underlay_addr)" encap vxlan &&
		  tunnel=$(nv -j host show | json_get tunnel); } || return 1
	ip -n "$ns" link del "$tunnel" || return 1
	expect_error 'no overlay' nv host show || return 1
	[ -z "$(tunnel_devs)" ] || diag "left: $(tunnel_devs)" || return 1
	nv host set underlay "$(underlay_addr)" && host_agrees
}

netns_deleted()
{
	ip netns del "$ns" || return 1
	nv_netns=()
	"$NVCTL" info >/dev/null
}

counts_agree_after() { counts_agree; }

reloads()
{
	module_unload && module_load && "$NVCTL" version >/dev/null
}

# Devices that stay referenced, from the kernel log since the start.
log_clean()
{
	local bad

	# Netns cleanup runs in a workqueue: give it time to complain.
	sleep 2
	bad=$(dmesg | tail -n +"$((klog_start + 1))" |
		grep -E 'waiting for .* to become free|netvirt.*(leak|fail|error)')
	[ -z "$bad" ] || diag "$bad"
}

klog_start=$(dmesg | wc -l)
start=$SECONDS
plan_at_end=1
run_cases
echo "# fuzz.sh: $((SECONDS - start)) s"
tap_end
