# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers of the netvirt selftests: TAP output in kselftest style,
# the module, and network namespaces that cleanup() removes on exit.

# Every script runs in a mount namespace of its own, with its own
# /run/netns: the names of its network namespaces cannot collide with
# those of a script before it or beside it, and the namespaces go when the
# script's last process does, however it ends - a script killed midway
# (SIGKILL included) leaves none behind, since the mounts in its
# /run/netns held the last references to them. NV_NETNS_SHARED=1 keeps
# the caller's /run/netns (the harness test's control case).
if [ -z "${NV_NETNS_PRIVATE:-}" ] && [ -z "${NV_NETNS_SHARED:-}" ]; then
	export NV_NETNS_PRIVATE=1
	exec unshare --mount --propagation private -- "$BASH" "$0" "$@"
fi
if [ -n "${NV_NETNS_PRIVATE:-}" ] && [ -z "${NV_NETNS_SHARED:-}" ]; then
	mkdir -p /run/netns
	mount -t tmpfs -o mode=0755 nv-netns /run/netns || exit 1
	# Scripts this one runs get a /run/netns of their own again.
	unset NV_NETNS_PRIVATE
fi
# A script stopped by a signal exits, which runs its EXIT trap (cleanup).
trap 'exit 143' TERM
trap 'exit 130' INT

NV_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# run_all.sh copies the programs to a tmpfs (NV_BIN): the project share is
# not cached, and each start would read them anew over 9p.
NVCTL=${NV_NVCTL:-${NV_BIN:-$NV_ROOT/tools/nvctl}/nvctl}
NLRAW=${NV_BIN:-$NV_ROOT/tests/selftests}/nlraw
JGET=${NV_BIN:-$NV_ROOT/tests/selftests}/jget
XCHG=${NV_BIN:-$NV_ROOT/tests/selftests}/xchg
MODULE=$NV_ROOT/build/$(uname -r)/netvirt.ko

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

tap_n=0
tap_failed=0
tap_t0=${EPOCHREALTIME/./}
nv_netns=()

tap_begin()
{
	echo "TAP version 13"
	echo "1..$1"
	tap_t0=${EPOCHREALTIME/./}
}

# A case's time, as a diagnostic line after its result: where a slow run
# spends its time.
tap_time()
{
	local now=${EPOCHREALTIME/./} us

	us=$((now - tap_t0))
	tap_t0=$now
	printf '# %d.%d s\n' $((us / 1000000)) $((us / 100000 % 10))
}

ok()
{
	tap_n=$((tap_n + 1))
	echo "ok $tap_n $*"
	tap_time
}

not_ok()
{
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n $*"
	tap_time
}

# check DESCRIPTION COMMAND...: one TAP line for the command's success.
check()
{
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

tap_end()
{
	[ $tap_failed -eq 0 ] && exit $KSFT_PASS
	exit $KSFT_FAIL
}

# Print a diagnostic when a check fails.
diag()
{
	echo "# $*" >&2
	return 1
}

module_loaded()
{
	[ -d /sys/module/netvirt ]
}

# Listing does not load the module on demand, as "genl ctrl get" would.
family_listed()
{
	genl ctrl list 2>/dev/null | grep -q 'Name: netvirt'
}

# insmod, after the modules netvirt.ko needs (none on the debug kernel).
module_load()
{
	local deps

	module_loaded && return 0
	deps=$(modinfo -F depends "$MODULE" | tr , ' ')
	[ -z "$deps" ] || modprobe -a $deps || return 1
	insmod "$MODULE"
}

module_unload()
{
	! module_loaded || rmmod netvirt
}

require_module()
{
	if [ ! -f "$MODULE" ]; then
		echo "1..0 # SKIP $MODULE not built"
		exit $KSFT_SKIP
	fi
	module_load
}

# Netfilter and veth live in modules of the guest kernel.
netns_add()
{
	ip netns add "$1" || return 1
	nv_netns+=("$1")
	ip -n "$1" link set lo up
}

cleanup()
{
	local ns

	for ns in "${nv_netns[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
}

# vm NAME COMMAND...: run COMMAND in the VM netns vm-NAME.
vm() { local ns=$1; shift; ip netns exec "vm-$ns" "$@"; }

ping4() { vm "$1" ping -c 2 -i 0.2 -W 2 "${@:2}" >/dev/null 2>&1; }
ping6() { vm "$1" ping -6 -c 2 -i 0.2 -W 2 "${@:2}" >/dev/null 2>&1; }

# tcp_echo FROM TO_NS ADDR: a TCP connection carries 100 kB both ways
# (xchg.c: the client retries while the server starts).
tcp_echo()
{
	local from=$1 to=$2 addr=$3 out

	vm "$to" "$XCHG" serve 7000 &
	out=$(vm "$from" timeout 15 "$XCHG" bulk "$addr" 7000)
	wait
	[ "$out" = 100000 ] || diag "tcp echo got '$out'"
}

# expect_fail EXPECTED_STDERR_REGEX COMMAND...: fails, exit 1, says why.
expect_error()
{
	local re=$1 out rc
	shift
	out=$("$@" 2>&1) && rc=0 || rc=$?
	[ $rc -eq 1 ] || diag "exit $rc, expected 1: $out" || return 1
	echo "$out" | grep -qE "^Error: .*$re" || diag "unexpected message: $out"
}

# json_get PATH: a value of the JSON on stdin (see jget.c for PATH).
json_get() { "$JGET" "$1"; }
