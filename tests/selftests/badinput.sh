#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed, truncated, oversized and out-of-range requests from a raw
# netlink client get an error with an extack message - and no crash
# (the VM runner fails the run on any kernel warning).
#
#   nlraw --crafted genl messages--> netvirt
set -u
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
require_module
exec "$NLRAW"
