#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nvctl's command-line grammar, on the host without the module: every
# usage error exits 2 with an Error: line before any netlink traffic;
# help exits 0; a well-formed command reaches netlink and exits 1 when
# the family is absent (or 0 when a module answers).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
NVCTL=$root/tools/nvctl/nvctl

n=0
failed=0

# case DESCRIPTION EXIT STDERR_REGEX ARGS...
case_()
{
	local desc=$1 want=$2 re=$3 out rc
	shift 3
	n=$((n + 1))
	out=$("$NVCTL" "$@" 2>&1 >/dev/null) && rc=0 || rc=$?
	if [ "$rc" = "$want" ] && { [ -z "$re" ] || echo "$out" | grep -qE "$re"; }; then
		echo "ok $n nvctl: $desc"
	else
		echo "not ok $n nvctl: $desc"
		echo "# nvctl $*: exit $rc (want $want): $out"
		failed=$((failed + 1))
	fi
}

# stdout_case DESCRIPTION STDOUT_REGEX ARGS...: exit 0 and prints this.
stdout_case()
{
	local desc=$1 re=$2 out rc
	shift 2
	n=$((n + 1))
	out=$("$NVCTL" "$@" 2>/dev/null) && rc=0 || rc=$?
	if [ $rc = 0 ] && echo "$out" | grep -qE "$re"; then
		echo "ok $n nvctl: $desc"
	else
		echo "not ok $n nvctl: $desc"
		echo "# nvctl $*: exit $rc: $out"
		failed=$((failed + 1))
	fi
}

# Whether this kernel has the module decides what a valid command returns.
if "$NVCTL" version >/dev/null 2>&1; then reach=0; else reach=1; fi

echo "TAP version 13"
case_ "no arguments is a usage error" 2 'Usage: nvctl'
case_ "unknown object" 2 '^Error: unknown object "bogus"' bogus
case_ "abbreviated object is not accepted" 2 '^Error: unknown object "vers"' vers
case_ "unknown option" 2 '^Error: unknown option "-x"' -x version
case_ "-n without a name" 2 '^Error: option "-n" needs' -n
case_ "extra argument after version" 2 '^Error: unexpected argument "now"' version now
case_ "extra argument after info" 2 '^Error: unexpected argument "x"' info x
case_ "-n with a path is refused" 1 '^Error: invalid network namespace name' -n ../x version
case_ "-n with a missing namespace" 1 '^Error: cannot open network namespace "nvctl-none"' \
	-n nvctl-none version
case_ "version reaches netlink" $reach '' version
case_ "-j version reaches netlink" $reach '' -j version
case_ "--json long option" $reach '' --json version
stdout_case "help prints the grammar" '^Usage: nvctl \[ OPTIONS \] OBJECT' help
stdout_case "-h prints the grammar" 'OBJECT := \{ version \| info \}' -h
stdout_case "version help" '^Usage: nvctl version$' version help
stdout_case "info help" '^Usage: nvctl info$' info help
echo "1..$n"
[ $failed = 0 ]
