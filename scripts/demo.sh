#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo scenario, run inside the test VM by `make demo`: load the
# module, ask it who it is, show that each network namespace has its own
# state, and unload it cleanly.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
nvctl=$root/tools/nvctl/nvctl

step()
{
	echo
	echo "\$ $*"
	"$@"
}

echo "== netvirt demo on $(uname -r)"
step insmod "$root/build/$(uname -r)/netvirt.ko"
step "$nvctl" version
step "$nvctl" info
step "$nvctl" -j info
step ip netns add tenant-host
step "$nvctl" -n tenant-host info
step ip netns del tenant-host
step rmmod netvirt
echo
echo "\$ $nvctl version    # module unloaded"
"$nvctl" version || true
echo
echo "== demo done"
