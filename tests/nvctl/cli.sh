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

# ok_case DESCRIPTION ARGS...: the grammar accepts it, so it reaches
# netlink. Without the module that fails (exit 1, "not loaded"); with
# it, commands that would change the host's configuration are skipped,
# and so is monitor, which would wait for events.
ok_case()
{
	local desc=$1 out rc
	shift
	n=$((n + 1))
	if [ $reach = 0 ] && [[ " $* " =~ \ (add|del|set|policy|load|monitor)\  ]]; then
		echo "ok $n nvctl: $desc # SKIP the module is loaded"
		return
	fi
	out=$("$NVCTL" "$@" 2>&1 >/dev/null) && rc=0 || rc=$?
	if { [ $reach = 1 ] && [ $rc = 1 ] && [[ $out =~ "module is not loaded" ]]; } ||
	   { [ $reach = 0 ] && [ $rc -lt 2 ]; }; then
		echo "ok $n nvctl: $desc"
	else
		echo "not ok $n nvctl: $desc"
		echo "# nvctl $*: exit $rc: $out"
		failed=$((failed + 1))
	fi
}

# out_case DESCRIPTION EXIT STDOUT_REGEX ARGS...: exits so, prints this.
out_case()
{
	local desc=$1 want=$2 re=$3 out rc
	shift 3
	n=$((n + 1))
	out=$("$NVCTL" "$@" 2>/dev/null) && rc=0 || rc=$?
	if [ "$rc" = "$want" ] && echo "$out" | grep -qE "$re"; then
		echo "ok $n nvctl: $desc"
	else
		echo "not ok $n nvctl: $desc"
		echo "# nvctl $*: exit $rc (want $want): $out"
		failed=$((failed + 1))
	fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

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
stdout_case "-h prints the grammar" 'OBJECT := \{ version \| info \| tenant \| port \| route \| host \| uplink \| stats \| fw \| nat \| monitor \| batch \| save \| diff \| sync \}' -h
stdout_case "version help" '^Usage: nvctl version$' version help
stdout_case "info help" '^Usage: nvctl info$' info help

# help only alone after nvctl, an object or a command; names in bytes;
# what a first run meets; fw load's errors by line.
stdout_case "-help prints the grammar" '^Usage: nvctl \[ OPTIONS \]' -help
stdout_case "--help prints the grammar" '^Usage: nvctl \[ OPTIONS \]' --help
stdout_case "-h after -j prints the grammar" '^Usage: nvctl \[ OPTIONS \]' -j -h
stdout_case "-h after an object prints its grammar" '^Usage: nvctl tenant add' tenant -h
case_ "help before a command's arguments" 2 \
	'^Error: "help" must come alone after the command; try "nvctl tenant help"$' \
	tenant add help id 203 vni 203
case_ "help between object and command" 2 \
	'^Error: "help" must come alone after the command; try "nvctl tenant help"$' tenant help add
case_ "help before an object" 2 '^Error: "help" must come alone; try "nvctl help"$' help tenant
case_ "-h before an object" 2 '^Error: "-h" must come alone; try "nvctl help"$' -h tenant
case_ "help as a tenant name" 2 \
	'^Error: "help" must come alone after the command; try "nvctl fw help"$' fw show tenant help
case_ "help as a stats tenant" 2 \
	'^Error: "help" must come alone after the command; try "nvctl stats help"$' stats tenant help
case_ "help as a port group member" 2 \
	'^Error: "help" must come alone after the command; try "nvctl fw help"$' \
	fw pgroup add tenant blue web help
case_ "help as fw load's file" 2 \
	'^Error: "help" must come alone after the command; try "nvctl fw help"$' fw load tenant blue help
case_ "help after a keyword" 2 '^Error: unknown keyword "help"' tenant add blue id 1 vni 1 help
ok_case "tenant add, a tenant named helper" tenant add helper id 1 vni 1
case_ "tenant add: 8 two-byte characters are 16 bytes" 2 \
	'^Error: tenant name "éééééééé" is too long \(15 bytes at most\)$' tenant add éééééééé id 1 vni 1
ok_case "tenant add, 7 two-byte characters, 14 bytes" tenant add ééééééé id 1 vni 1
stdout_case "tenant help: names in bytes" '^NAME := tenant name, 1-15 bytes$' tenant help
case_ "fw group add: a prefix given twice" 2 '^Error: prefix "10.0.0.1/32" is given twice$' \
	fw group add tenant blue web 10.0.0.1 10.0.0.2 10.0.0.1/32
case_ "fw group set: an IPv6 prefix given twice" 2 '^Error: prefix "fd00::/64" is given twice$' \
	fw group set tenant blue web fd00::/64 fd00::/64
ok_case "fw group add: an address and its /24" fw group add tenant blue web 10.0.0.0 10.0.0.0/24 fd00::
printf 'dir out action allow\n\n# web\ndir sideways action allow\n' >"$tmp/bad.rules"
printf 'dir out action allow\n%s\n' "$(printf 'log %.0s' $(seq 65))" >"$tmp/long.rules"
printf '# nothing\n\n' >"$tmp/empty.rules"
printf 'dir out action allow\ndir in proto tcp dport 443 action allow\n' >"$tmp/good.rules"
case_ "fw load: a bad line is named FILE:LINE" 2 \
	"^$tmp/bad.rules:4: Error: invalid direction \"sideways\" \\(in or out\\)\$" \
	fw load tenant blue "$tmp/bad.rules"
case_ "fw load: a bad line of standard input" 2 \
	'^<stdin>:4: Error: invalid direction "sideways"' fw load tenant blue - <"$tmp/bad.rules"
case_ "fw load: a line of too many words" 2 "^$tmp/long.rules:2: Error: too many words \\(64 at most\\)\$" \
	fw load tenant blue "$tmp/long.rules"
case_ "fw load: a file without rules" 2 "^Error: $tmp/empty.rules has no rule\$" \
	fw load tenant blue "$tmp/empty.rules"
ok_case "fw load: a good file" fw load tenant blue "$tmp/good.rules"
if [ $reach = 1 ]; then
	case_ "without the module: try modprobe" 1 \
		'^Error: netvirt module is not loaded .*; try "modprobe netvirt"$' tenant show
	out_case "without the module: version prints nvctl's" 1 '^nvctl [0-9]+\.[0-9]+' version
	out_case "without the module: -j version prints nvctl's" 1 '^\{"nvctl":\{"version":"' -j version
else
	out_case "version prints nvctl's and the module's" 0 '^module .* api [0-9]+$' version
fi

# tenant
stdout_case "tenant help" '^Usage: nvctl tenant add NAME id ID vni VNI \[ router-mac MAC \]$' tenant help
stdout_case "tenant help lists del" '^       nvctl tenant del NAME \[ force \]$' tenant help
stdout_case "tenant help lists show" '^       nvctl tenant show \[ NAME \]$' tenant help
stdout_case "help after a tenant command" '^Usage: nvctl tenant' tenant add help
ok_case "tenant add" tenant add blue id 100 vni 5000
ok_case "tenant add, lowest id and vni" tenant add blue id 1 vni 0
ok_case "tenant add, highest id and vni" tenant add blue id 65535 vni 16777215
ok_case "tenant add, hex id, keywords in any order" tenant add blue vni 7 id 0x10
ok_case "tenant add with router-mac" tenant add blue id 1 vni 1 router-mac 02:AA:bb:00:00:01
ok_case "tenant add, 15-character name" tenant add abcdefghijklmno id 1 vni 1
ok_case "tenant del" tenant del blue
ok_case "tenant del force" tenant del blue force
ok_case "tenant show" tenant show
ok_case "tenant show NAME" tenant show blue
ok_case "tenant without command shows" tenant
ok_case "-j tenant show" -j tenant show
case_ "tenant: unknown command" 2 '^Error: unknown command "list"; try "nvctl tenant help"' tenant list
case_ "tenant: abbreviated command" 2 '^Error: unknown command "sh"' tenant sh
case_ "tenant add: missing name" 2 '^Error: missing tenant name$' tenant add
case_ "tenant add: missing id" 2 '^Error: "id" is required$' tenant add blue vni 1
case_ "tenant add: missing vni" 2 '^Error: "vni" is required$' tenant add blue id 1
case_ "tenant add: nothing after the name" 2 '^Error: "id" is required$' tenant add blue
case_ "tenant add: id without value" 2 '^Error: missing tenant id after "id"$' tenant add blue vni 1 id
case_ "tenant add: vni without value" 2 '^Error: missing VNI after "vni"$' tenant add blue id 1 vni
case_ "tenant add: router-mac without value" 2 '^Error: missing MAC address after "router-mac"$' \
	tenant add blue id 1 vni 1 router-mac
case_ "tenant add: id 0" 2 '^Error: tenant id "0" is out of range \(1-65535\)$' tenant add blue id 0 vni 1
case_ "tenant add: id 65536" 2 '^Error: tenant id "65536" is out of range \(1-65535\)$' tenant add blue id 65536 vni 1
case_ "tenant add: negative id" 2 '^Error: invalid tenant id "-1"$' tenant add blue id -1 vni 1
case_ "tenant add: id not a number" 2 '^Error: invalid tenant id "ten"$' tenant add blue id ten vni 1
case_ "tenant add: id with garbage" 2 '^Error: invalid tenant id "1.5"$' tenant add blue id 1.5 vni 1
case_ "tenant add: vni 2^24" 2 '^Error: VNI "16777216" is out of range \(0-16777215\)$' tenant add blue id 1 vni 16777216
case_ "tenant add: huge vni" 2 '^Error: invalid VNI "99999999999999999999"$' tenant add blue id 1 vni 99999999999999999999
case_ "tenant add: vni not a number" 2 '^Error: invalid VNI "x"$' tenant add blue id 1 vni x
case_ "tenant add: short MAC" 2 '^Error: invalid MAC address "02:00:00:00:00"' tenant add blue id 1 vni 1 router-mac 02:00:00:00:00
case_ "tenant add: MAC with dashes" 2 '^Error: invalid MAC address "02-00-00-00-00-01"' \
	tenant add blue id 1 vni 1 router-mac 02-00-00-00-00-01
case_ "tenant add: MAC not hex" 2 '^Error: invalid MAC address "02:00:00:00:00:0g"' \
	tenant add blue id 1 vni 1 router-mac 02:00:00:00:00:0g
case_ "tenant add: multicast MAC" 2 '^Error: "01:00:5e:00:00:01" is not a unicast MAC address$' \
	tenant add blue id 1 vni 1 router-mac 01:00:5e:00:00:01
case_ "tenant add: zero MAC" 2 '^Error: "00:00:00:00:00:00" is not a unicast MAC address$' \
	tenant add blue id 1 vni 1 router-mac 00:00:00:00:00:00
case_ "tenant add: id twice" 2 '^Error: "id" is given twice$' tenant add blue id 1 vni 1 id 2
case_ "tenant add: vni twice" 2 '^Error: "vni" is given twice$' tenant add blue id 1 vni 1 vni 2
case_ "tenant add: router-mac twice" 2 '^Error: "router-mac" is given twice$' \
	tenant add blue id 1 vni 1 router-mac 02:00:00:00:00:01 router-mac 02:00:00:00:00:02
case_ "tenant add: unknown keyword" 2 '^Error: unknown keyword "name"; try "nvctl tenant help"$' \
	tenant add blue id 1 vni 1 name x
case_ "tenant add: abbreviated keyword" 2 '^Error: unknown keyword "vn"' tenant add blue id 1 vn 1
case_ "tenant add: force is for del" 2 '^Error: unknown keyword "force"' tenant add blue id 1 vni 1 force
case_ "tenant add: 16-character name" 2 '^Error: tenant name "abcdefghijklmnop" is too long \(15 bytes at most\)$' \
	tenant add abcdefghijklmnop id 1 vni 1
case_ "tenant add: empty name" 2 '^Error: invalid tenant name ""$' tenant add "" id 1 vni 1
case_ "tenant add: name with a blank" 2 '^Error: invalid tenant name "a b"$' tenant add "a b" id 1 vni 1
case_ "tenant del: missing name" 2 '^Error: missing tenant name$' tenant del
case_ "tenant del: force twice" 2 '^Error: "force" is given twice$' tenant del blue force force
case_ "tenant del: unknown keyword" 2 '^Error: unknown keyword "forc"' tenant del blue forc
case_ "tenant del: name too long" 2 '^Error: tenant name "abcdefghijklmnop" is too long' tenant del abcdefghijklmnop
case_ "tenant show: two names" 2 '^Error: unexpected argument "red"; try "nvctl tenant help"$' tenant show blue red
case_ "tenant show: name too long" 2 '^Error: tenant name "abcdefghijklmnop" is too long' tenant show abcdefghijklmnop

# port
stdout_case "port help" '^Usage: nvctl port add DEV tenant NAME mac MAC ip ADDR \[ ip ADDR \]\.\.\.$' port help
stdout_case "port help lists del" '^       nvctl port del DEV \[ force \]$' port help
stdout_case "port help lists show" '^       nvctl port show \[ DEV \]$' port help
ok_case "port add" port add vm1 tenant blue mac 02:00:00:00:00:01 ip 10.0.0.5
ok_case "port add, IPv4 and IPv6" port add vm1 tenant blue mac 02:00:00:00:00:01 ip 10.0.0.5 ip fd00::5
ok_case "port add, keywords in any order" port add vm1 ip fd00::5 mac 02:00:00:00:00:01 ip 10.0.0.5 tenant blue
ok_case "port del" port del vm1
ok_case "port show" port show
ok_case "port show DEV" port show vm1
ok_case "port without command shows" port
ok_case "-j port show" -j port show
case_ "port: unknown command" 2 '^Error: unknown command "set"; try "nvctl port help"' port set vm1
case_ "port add: missing device" 2 '^Error: missing device name$' port add
case_ "port add: device name too long" 2 '^Error: device name "abcdefghijklmnop" is too long \(15 bytes at most\)$' \
	port add abcdefghijklmnop tenant blue mac 02:00:00:00:00:01 ip 10.0.0.5
case_ "port add: missing tenant" 2 '^Error: "tenant" is required$' port add vm1 mac 02:00:00:00:00:01 ip 10.0.0.5
case_ "port add: missing mac" 2 '^Error: "mac" is required$' port add vm1 tenant blue ip 10.0.0.5
case_ "port add: missing ip" 2 '^Error: "ip" is required$' port add vm1 tenant blue mac 02:00:00:00:00:01
case_ "port add: tenant without value" 2 '^Error: missing tenant name after "tenant"$' port add vm1 tenant
case_ "port add: ip without value" 2 '^Error: missing IP address after "ip"$' \
	port add vm1 tenant blue mac 02:00:00:00:00:01 ip
case_ "port add: ip with a prefix length" 2 '^Error: invalid IP address "10.0.0.5/24"$' \
	port add vm1 tenant blue mac 02:00:00:00:00:01 ip 10.0.0.5/24
case_ "port add: ip out of range" 2 '^Error: invalid IP address "10.0.0.256"$' \
	port add vm1 tenant blue mac 02:00:00:00:00:01 ip 10.0.0.256
case_ "port add: short ip" 2 '^Error: invalid IP address "10.1"$' \
	port add vm1 tenant blue mac 02:00:00:00:00:01 ip 10.1
case_ "port add: bad IPv6" 2 '^Error: invalid IP address "fd00:::5"$' \
	port add vm1 tenant blue mac 02:00:00:00:00:01 ip fd00:::5
case_ "port add: invalid mac" 2 '^Error: invalid MAC address "02:00:00:00:00:1"' \
	port add vm1 tenant blue mac 02:00:00:00:00:1 ip 10.0.0.5
case_ "port add: multicast mac" 2 '^Error: "33:33:00:00:00:01" is not a unicast MAC address$' \
	port add vm1 tenant blue mac 33:33:00:00:00:01 ip 10.0.0.5
case_ "port add: tenant name too long" 2 '^Error: tenant name "abcdefghijklmnop" is too long' \
	port add vm1 tenant abcdefghijklmnop mac 02:00:00:00:00:01 ip 10.0.0.5
case_ "port add: tenant twice" 2 '^Error: "tenant" is given twice$' \
	port add vm1 tenant blue tenant red mac 02:00:00:00:00:01 ip 10.0.0.5
case_ "port add: mac twice" 2 '^Error: "mac" is given twice$' \
	port add vm1 tenant blue mac 02:00:00:00:00:01 mac 02:00:00:00:00:02 ip 10.0.0.5
case_ "port add: unknown keyword" 2 '^Error: unknown keyword "addr"; try "nvctl port help"$' \
	port add vm1 tenant blue mac 02:00:00:00:00:01 addr 10.0.0.5
case_ "port del: missing device" 2 '^Error: missing device name$' port del
case_ "port del: extra argument" 2 '^Error: unknown keyword "forced"; try "nvctl port help"$' port del vm1 forced
ok_case "port del force" port del vm1 force
case_ "port show: extra argument" 2 '^Error: unexpected argument "vm2"' port show vm1 vm2
case_ "port show: device name too long" 2 '^Error: device name "abcdefghijklmnop" is too long' port show abcdefghijklmnop

# route
stdout_case "route help" '^Usage: nvctl route add tenant NAME PREFIX \{ NH \| blackhole \} \[ nexthop NH \]\.\.\.$' route help
stdout_case "route help lists del" '^       nvctl route del tenant NAME PREFIX$' route help
stdout_case "route help lists show" '^       nvctl route show tenant NAME$' route help
stdout_case "route help defines NH" '^NH := \{ dev DEV \| host ADDR \| uplink \}$' route help
ok_case "route add dev" route add tenant blue 10.0.0.0/24 dev lo
ok_case "route add host" route add tenant blue 10.1.0.0/16 host 192.0.2.1
ok_case "route add, IPv6 underlay" route add tenant blue 10.1.0.0/16 host 2001:db8::1
ok_case "route add, IPv6 prefix" route add tenant blue fd00:1::/64 dev lo
ok_case "route add blackhole" route add tenant blue 0.0.0.0/0 blackhole
ok_case "route add, IPv6 default blackhole" route add tenant blue ::/0 blackhole
ok_case "route add, host route without length" route add tenant blue 10.0.0.5 dev lo
ok_case "route add, IPv6 host route without length" route add tenant blue fd00::5 dev lo
ok_case "route add ECMP" route add tenant blue 10.1.0.0/16 dev lo nexthop host 192.0.2.1 nexthop host 192.0.2.2
ok_case "route add ECMP as route show prints it" route add tenant blue 10.1.0.0/16 nexthop dev lo nexthop host 192.0.2.1
ok_case "route del" route del tenant blue 10.0.0.0/24
ok_case "route del IPv6" route del tenant blue fd00:1::/64
ok_case "route show" route show tenant blue
ok_case "-j route show" -j route show tenant blue
case_ "route: missing command" 2 '^Error: missing command; try "nvctl route help"$' route
case_ "route: unknown command" 2 '^Error: unknown command "get"' route get tenant blue
case_ "route add: missing tenant" 2 '^Error: "tenant" is required$' route add
case_ "route add: prefix before tenant" 2 '^Error: expected "tenant" instead of "10.0.0.0/24"$' \
	route add 10.0.0.0/24 tenant blue dev lo
case_ "route add: missing tenant name" 2 '^Error: missing tenant name after "tenant"$' route add tenant
case_ "route add: tenant name too long" 2 '^Error: tenant name "abcdefghijklmnop" is too long' \
	route add tenant abcdefghijklmnop 10.0.0.0/24 dev lo
case_ "route add: missing prefix" 2 '^Error: missing prefix$' route add tenant blue
case_ "route add: invalid prefix" 2 '^Error: invalid prefix "10.0.0/24"$' route add tenant blue 10.0.0/24 dev lo
case_ "route add: keyword as prefix" 2 '^Error: invalid prefix "dev"$' route add tenant blue dev lo
case_ "route add: IPv4 host bits" 2 '^Error: prefix "10.0.0.1/24" has host bits set; did you mean 10.0.0.0/24\?$' \
	route add tenant blue 10.0.0.1/24 dev lo
case_ "route add: IPv6 host bits" 2 '^Error: prefix "fd00::1/64" has host bits set; did you mean fd00::/64\?$' \
	route add tenant blue fd00::1/64 dev lo
case_ "route add: IPv4 length 33" 2 '^Error: invalid prefix length in "10.0.0.0/33"$' route add tenant blue 10.0.0.0/33 dev lo
case_ "route add: IPv6 length 129" 2 '^Error: invalid prefix length in "fd00::/129"$' route add tenant blue fd00::/129 dev lo
case_ "route add: empty length" 2 '^Error: invalid prefix "10.0.0.0/"$' route add tenant blue 10.0.0.0/ dev lo
case_ "route add: length not a number" 2 '^Error: invalid prefix "10.0.0.0/x"$' route add tenant blue 10.0.0.0/x dev lo
case_ "route add: signed length" 2 '^Error: invalid prefix "10.0.0.0/-8"$' route add tenant blue 10.0.0.0/-8 dev lo
case_ "route add: missing next hop" 2 '^Error: missing next hop: dev DEV, host ADDR, uplink or blackhole$' \
	route add tenant blue 10.0.0.0/24
case_ "route add: unknown next hop" 2 '^Error: unknown next hop "via": expected dev DEV, host ADDR, uplink or blackhole$' \
	route add tenant blue 10.0.0.0/24 via 192.0.2.1
case_ "route add: dev without value" 2 '^Error: missing device name after "dev"$' route add tenant blue 10.0.0.0/24 dev
case_ "route add: host without value" 2 '^Error: missing IP address after "host"$' route add tenant blue 10.0.0.0/24 host
case_ "route add: host with a prefix length" 2 '^Error: invalid IP address "192.0.2.0/24"$' \
	route add tenant blue 10.0.0.0/24 host 192.0.2.0/24
case_ "route add: host not an address" 2 '^Error: invalid IP address "hv1"$' route add tenant blue 10.0.0.0/24 host hv1
case_ "route add: dev name too long" 2 '^Error: device name "abcdefghijklmnop" is too long' \
	route add tenant blue 10.0.0.0/24 dev abcdefghijklmnop
case_ "route add: blackhole with a next hop" 2 '^Error: a blackhole route has no next hops$' \
	route add tenant blue 10.0.0.0/24 blackhole nexthop dev lo
case_ "route add: blackhole with dev" 2 '^Error: a blackhole route has no next hops$' \
	route add tenant blue 10.0.0.0/24 blackhole dev lo
case_ "route add: blackhole twice" 2 '^Error: "blackhole" is given twice$' route add tenant blue 10.0.0.0/24 blackhole blackhole
case_ "route add: blackhole then garbage" 2 '^Error: unexpected argument "x"; try "nvctl route help"$' \
	route add tenant blue 10.0.0.0/24 blackhole x
case_ "route add: next hop then blackhole" 2 '^Error: "blackhole" after a next hop' \
	route add tenant blue 10.0.0.0/24 dev lo blackhole
case_ "route add: two next hops without nexthop" 2 '^Error: "host" after a next hop: give more next hops with "nexthop"$' \
	route add tenant blue 10.0.0.0/24 dev lo host 192.0.2.1
case_ "route add: nexthop without next hop" 2 '^Error: missing next hop after "nexthop": dev DEV, host ADDR or uplink$' \
	route add tenant blue 10.0.0.0/24 dev lo nexthop
case_ "route add: nexthop blackhole" 2 '^Error: unknown next hop "blackhole" after "nexthop": expected dev DEV, host ADDR or uplink$' \
	route add tenant blue 10.0.0.0/24 dev lo nexthop blackhole
case_ "route add: unknown keyword after next hops" 2 '^Error: unknown keyword "metric"; try "nvctl route help"$' \
	route add tenant blue 10.0.0.0/24 dev lo metric 5
case_ "route add: bad host after nexthop" 2 '^Error: invalid IP address "192.0.2"$' \
	route add tenant blue 10.0.0.0/24 dev lo nexthop host 192.0.2
case_ "route del: missing prefix" 2 '^Error: missing prefix$' route del tenant blue
case_ "route del: host bits" 2 '^Error: prefix "10.0.0.1/8" has host bits set' route del tenant blue 10.0.0.1/8
case_ "route del: next hop given" 2 '^Error: unexpected argument "dev"; try "nvctl route help"$' \
	route del tenant blue 10.0.0.0/24 dev lo
case_ "route show: missing tenant" 2 '^Error: "tenant" is required$' route show
case_ "route show: prefix given" 2 '^Error: unexpected argument "10.0.0.0/24"' route show tenant blue 10.0.0.0/24
case_ "route show: abbreviated keyword" 2 '^Error: expected "tenant" instead of "ten"$' route show ten blue
ok_case "route add uplink" route add tenant blue 0.0.0.0/0 uplink
ok_case "route add uplink, IPv6" route add tenant blue ::/0 uplink
ok_case "route add uplink as the first ECMP member" route add tenant blue 10.2.0.0/16 nexthop uplink nexthop dev lo
ok_case "route add uplink as a later ECMP member" route add tenant blue 10.2.0.0/16 host 192.0.2.1 nexthop uplink
case_ "route add: uplink with a value" 2 '^Error: unknown keyword "eth1"; try "nvctl route help"$' \
	route add tenant blue 0.0.0.0/0 uplink eth1
case_ "route add: uplink twice without nexthop" 2 '^Error: "uplink" after a next hop: give more next hops with "nexthop"$' \
	route add tenant blue 0.0.0.0/0 uplink uplink
case_ "route add: uplink after dev without nexthop" 2 '^Error: "uplink" after a next hop' \
	route add tenant blue 0.0.0.0/0 dev lo uplink
case_ "route add: blackhole with uplink" 2 '^Error: a blackhole route has no next hops$' \
	route add tenant blue 0.0.0.0/0 blackhole uplink
case_ "route add: abbreviated uplink" 2 '^Error: unknown next hop "up": expected dev DEV, host ADDR, uplink or blackhole$' \
	route add tenant blue 0.0.0.0/0 up

# host
stdout_case "host help" '^Usage: nvctl host set underlay ADDR \[ dev DEV \] \[ encap ENCAP \] \[ port PORT \]$' host help
stdout_case "host help lists del" '^       nvctl host del$' host help
stdout_case "host help lists show" '^       nvctl host show$' host help
stdout_case "host help defines ENCAP" '^ENCAP := \{ geneve \| vxlan \}; default geneve$' host help
stdout_case "host help defines PORT" '^PORT := UDP port, 1-65535; default 6081 \(geneve\), 4789 \(vxlan\)$' host help
stdout_case "help after a host command" '^Usage: nvctl host set' host set help
stdout_case "-h lists host" 'OBJECT := \{.* host .*\}' -h
ok_case "host set, IPv4 underlay" host set underlay 192.0.2.10
ok_case "host set, IPv6 underlay" host set underlay 2001:db8::10
ok_case "host set dev" host set underlay 192.0.2.10 dev lo
ok_case "host set, dev is resolved by the module" host set underlay 192.0.2.10 dev nvctl-nodev
ok_case "host set encap geneve" host set underlay 192.0.2.10 encap geneve
ok_case "host set encap vxlan" host set underlay 2001:db8::10 encap vxlan
ok_case "host set, lowest port" host set underlay 192.0.2.10 port 1
ok_case "host set, highest port" host set underlay 192.0.2.10 port 65535
ok_case "host set, hex port" host set underlay 192.0.2.10 port 0x17c1
ok_case "host set, every keyword in any order" host set port 4789 encap vxlan dev lo underlay 2001:db8::10
ok_case "host del" host del
ok_case "host show" host show
ok_case "host without command shows" host
ok_case "-j host show" -j host show
case_ "host: unknown command" 2 '^Error: unknown command "add"; try "nvctl host help"$' host add underlay 192.0.2.10
case_ "host: abbreviated command" 2 '^Error: unknown command "sh"' host sh
case_ "host set: nothing" 2 '^Error: "underlay" is required$' host set
case_ "host set: missing underlay" 2 '^Error: "underlay" is required$' host set dev lo encap vxlan port 4789
case_ "host set: underlay without value" 2 '^Error: missing IP address after "underlay"$' host set underlay
case_ "host set: underlay not an address" 2 '^Error: invalid IP address "hv1"$' host set underlay hv1
case_ "host set: underlay with a prefix length" 2 '^Error: invalid IP address "192.0.2.10/24"$' \
	host set underlay 192.0.2.10/24
case_ "host set: short underlay" 2 '^Error: invalid IP address "10.1"$' host set underlay 10.1
case_ "host set: bad IPv6 underlay" 2 '^Error: invalid IP address "2001:db8:::10"$' host set underlay 2001:db8:::10
case_ "host set: underlay twice" 2 '^Error: "underlay" is given twice$' \
	host set underlay 192.0.2.10 underlay 192.0.2.11
case_ "host set: dev without value" 2 '^Error: missing device name after "dev"$' host set underlay 192.0.2.10 dev
case_ "host set: dev name too long" 2 '^Error: device name "abcdefghijklmnop" is too long \(15 bytes at most\)$' \
	host set underlay 192.0.2.10 dev abcdefghijklmnop
case_ "host set: empty dev" 2 '^Error: invalid device name ""$' host set underlay 192.0.2.10 dev ""
case_ "host set: dev twice" 2 '^Error: "dev" is given twice$' host set underlay 192.0.2.10 dev lo dev lo
case_ "host set: encap without value" 2 '^Error: missing encapsulation after "encap"$' \
	host set underlay 192.0.2.10 encap
case_ "host set: unknown encap" 2 '^Error: invalid encapsulation "gre" \(geneve or vxlan\)$' \
	host set underlay 192.0.2.10 encap gre
case_ "host set: encap in capitals" 2 '^Error: invalid encapsulation "VXLAN" \(geneve or vxlan\)$' \
	host set underlay 192.0.2.10 encap VXLAN
case_ "host set: abbreviated encap" 2 '^Error: invalid encapsulation "gen"' host set underlay 192.0.2.10 encap gen
case_ "host set: encap twice" 2 '^Error: "encap" is given twice$' \
	host set underlay 192.0.2.10 encap geneve encap vxlan
case_ "host set: port without value" 2 '^Error: missing UDP port after "port"$' host set underlay 192.0.2.10 port
case_ "host set: port 0" 2 '^Error: UDP port "0" is out of range \(1-65535\)$' host set underlay 192.0.2.10 port 0
case_ "host set: port 65536" 2 '^Error: UDP port "65536" is out of range \(1-65535\)$' \
	host set underlay 192.0.2.10 port 65536
case_ "host set: negative port" 2 '^Error: invalid UDP port "-1"$' host set underlay 192.0.2.10 port -1
case_ "host set: port not a number" 2 '^Error: invalid UDP port "geneve"$' host set underlay 192.0.2.10 port geneve
case_ "host set: port with garbage" 2 '^Error: invalid UDP port "4789x"$' host set underlay 192.0.2.10 port 4789x
case_ "host set: huge port" 2 '^Error: invalid UDP port "99999999999999999999"$' \
	host set underlay 192.0.2.10 port 99999999999999999999
case_ "host set: port twice" 2 '^Error: "port" is given twice$' host set underlay 192.0.2.10 port 1 port 2
case_ "host set: unknown keyword" 2 '^Error: unknown keyword "vni"; try "nvctl host help"$' \
	host set underlay 192.0.2.10 vni 5
case_ "host set: abbreviated keyword" 2 '^Error: unknown keyword "under"; try "nvctl host help"$' \
	host set under 192.0.2.10
case_ "host set: bare address" 2 '^Error: unknown keyword "192.0.2.10"; try "nvctl host help"$' \
	host set 192.0.2.10
case_ "host del: extra argument" 2 '^Error: unexpected argument "force"; try "nvctl host help"$' host del force
case_ "host show: extra argument" 2 '^Error: unexpected argument "lo"; try "nvctl host help"$' host show lo

# uplink
stdout_case "uplink help" '^Usage: nvctl uplink set dev DEV$' uplink help
stdout_case "uplink help lists del" '^       nvctl uplink del$' uplink help
stdout_case "uplink help lists show" '^       nvctl uplink show$' uplink help
stdout_case "help after an uplink command" '^Usage: nvctl uplink set' uplink set help
stdout_case "-h lists uplink" 'OBJECT := \{.* host \| uplink \| .*\}' -h
ok_case "uplink set" uplink set dev lo
ok_case "uplink set, dev is resolved by the module" uplink set dev nvctl-nodev
ok_case "uplink del" uplink del
ok_case "uplink show" uplink show
ok_case "uplink without command shows" uplink
ok_case "-j uplink show" -j uplink show
case_ "uplink: unknown command" 2 '^Error: unknown command "add"; try "nvctl uplink help"$' uplink add dev lo
case_ "uplink set: nothing" 2 '^Error: "dev" is required$' uplink set
case_ "uplink set: bare device" 2 '^Error: unknown keyword "lo"; try "nvctl uplink help"$' uplink set lo
case_ "uplink set: dev without value" 2 '^Error: missing device name after "dev"$' uplink set dev
case_ "uplink set: dev name too long" 2 '^Error: device name "abcdefghijklmnop" is too long \(15 bytes at most\)$' \
	uplink set dev abcdefghijklmnop
case_ "uplink set: dev twice" 2 '^Error: "dev" is given twice$' uplink set dev lo dev lo
case_ "uplink del: extra argument" 2 '^Error: unexpected argument "lo"; try "nvctl uplink help"$' uplink del lo
case_ "uplink show: extra argument" 2 '^Error: unexpected argument "lo"; try "nvctl uplink help"$' uplink show lo

# stats
stdout_case "stats help" '^Usage: nvctl stats \[ tenant NAME \] \[ port DEV \]$' stats help
ok_case "stats" stats
ok_case "stats tenant" stats tenant blue
ok_case "stats port" stats port lo
ok_case "stats tenant and port" stats port lo tenant blue
ok_case "-j stats" -j stats
case_ "stats: tenant without name" 2 '^Error: missing tenant name after "tenant"$' stats tenant
case_ "stats: port without device" 2 '^Error: missing device name after "port"$' stats port
case_ "stats: tenant twice" 2 '^Error: "tenant" is given twice$' stats tenant blue tenant red
case_ "stats: port twice" 2 '^Error: "port" is given twice$' stats port lo port lo
case_ "stats: unknown keyword" 2 '^Error: unknown keyword "show"; try "nvctl stats help"$' stats show
case_ "stats: tenant name too long" 2 '^Error: tenant name "abcdefghijklmnop" is too long' stats tenant abcdefghijklmnop
case_ "stats: device name too long" 2 '^Error: device name "abcdefghijklmnop" is too long' stats port abcdefghijklmnop

# fw
stdout_case "fw help" '^Usage: nvctl fw rule add tenant NAME \[ prio PRIO \] dir DIR$' fw help
stdout_case "fw help: rule add takes port or pgroup" \
	'^ +\[ port DEV \| pgroup PGROUP \] \[ src ADDR \] \[ dst ADDR \]$' fw help
stdout_case "fw help lists rule del" '^       nvctl fw rule del tenant NAME handle HANDLE$' fw help
stdout_case "fw help lists show" '^       nvctl fw show tenant NAME$' fw help
stdout_case "fw help lists policy" '^       nvctl fw policy tenant NAME \{ allow \| deny \} \[ log \]$' fw help
stdout_case "fw help lists group add and set" '^       nvctl fw group \{ add \| set \} tenant NAME GROUP \[ PREFIX \]\.\.\.$' fw help
stdout_case "fw help lists group show" '^       nvctl fw group show tenant NAME \[ GROUP \]$' fw help
stdout_case "fw help lists pgroup add and set" '^       nvctl fw pgroup \{ add \| set \} tenant NAME PGROUP \[ DEV \]\.\.\.$' fw help
stdout_case "fw help lists pgroup del" '^       nvctl fw pgroup del tenant NAME PGROUP$' fw help
stdout_case "fw help lists pgroup show" '^       nvctl fw pgroup show tenant NAME \[ PGROUP \]$' fw help
stdout_case "fw help defines PGROUP" '^PGROUP := port group name, 1-15 bytes' fw help
stdout_case "help after a fw pgroup command" '^Usage: nvctl fw rule add' fw pgroup add help
stdout_case "fw help defines PROTO" '^PROTO := \{ tcp \| udp \| icmp \| icmpv6 \| sctp \| udplite \| dccp \| any \| 0-255 \}; default any$' fw help
stdout_case "help after a fw rule command" '^Usage: nvctl fw rule add' fw rule add help
stdout_case "-h lists fw, nat, monitor and batch" 'OBJECT := \{.* fw \| nat \| monitor \| batch \| save \| diff \| sync \}' -h
ok_case "fw rule add, the least" fw rule add tenant blue dir in action allow
ok_case "fw rule add, every keyword" fw rule add tenant blue prio 10 dir out port lo src 10.0.0.0/24 \
	dst @web proto tcp sport 1000-2000 dport 80 action reject log persist
ok_case "fw rule add, keywords in any order" fw rule add tenant blue action deny proto udp dir in dport 53
ok_case "fw rule add, IPv6 and ICMPv6" fw rule add tenant blue dir in src fd00::/64 dst fd00::1 \
	proto icmpv6 icmp-type 128 action allow
ok_case "fw rule add, icmp type" fw rule add tenant blue dir out proto icmp icmp-type 8 action allow
ok_case "fw rule add, proto by number" fw rule add tenant blue dir in proto 47 action deny
ok_case "fw rule add, proto 6 takes ports" fw rule add tenant blue dir in proto 6 dport 22 action allow
ok_case "fw rule add, proto any" fw rule add tenant blue dir in proto any action deny
ok_case "fw rule add, sctp ports" fw rule add tenant blue dir in proto sctp sport 1-65535 action allow
ok_case "fw rule add, udplite and dccp ports" fw rule add tenant blue dir in proto dccp dport 0-1023 action allow
ok_case "fw rule add, group source and destination" fw rule add tenant blue dir in src @db dst @web action allow
ok_case "fw rule add, highest prio" fw rule add tenant blue prio 4294967295 dir in action deny
ok_case "fw rule add, port group" fw rule add tenant blue dir in pgroup web proto tcp dport 80 action allow
ok_case "fw rule add, port group and address group" fw rule add tenant blue pgroup db dir out \
	dst @web action deny log
ok_case "fw rule del" fw rule del tenant blue handle 3
ok_case "fw show" fw show tenant blue
ok_case "-j fw show" -j fw show tenant blue
ok_case "fw policy allow" fw policy tenant blue allow
ok_case "fw policy deny log" fw policy tenant blue deny log
ok_case "fw group add" fw group add tenant blue web 10.0.0.2 fd00::2/128 10.1.0.0/16
ok_case "fw group add, no prefixes" fw group add tenant blue web
ok_case "fw group set" fw group set tenant blue web 10.0.0.3
ok_case "fw group del" fw group del tenant blue web
ok_case "fw group show" fw group show tenant blue
ok_case "fw group show NAME" fw group show tenant blue web
ok_case "-j fw group show" -j fw group show tenant blue
ok_case "fw pgroup add" fw pgroup add tenant blue web lo
ok_case "fw pgroup add, no ports" fw pgroup add tenant blue web
ok_case "fw pgroup add, 15-character name" fw pgroup add tenant blue abcdefghijklmno lo
ok_case "fw pgroup set" fw pgroup set tenant blue web lo
ok_case "fw pgroup set, no ports" fw pgroup set tenant blue web
ok_case "fw pgroup del" fw pgroup del tenant blue web
ok_case "fw pgroup show" fw pgroup show tenant blue
ok_case "fw pgroup show NAME" fw pgroup show tenant blue web
ok_case "-j fw pgroup show" -j fw pgroup show tenant blue
case_ "fw: missing command" 2 '^Error: missing command; try "nvctl fw help"$' fw
case_ "fw: unknown command" 2 '^Error: unknown command "list"; try "nvctl fw help"$' fw list
case_ "fw rule: missing command" 2 '^Error: missing command; try "nvctl fw help"$' fw rule
case_ "fw rule: unknown command" 2 '^Error: unknown command "show"; try "nvctl fw help"$' fw rule show tenant blue
case_ "fw rule add: missing tenant" 2 '^Error: "tenant" is required$' fw rule add
case_ "fw rule add: keyword before tenant" 2 '^Error: expected "tenant" instead of "dir"$' \
	fw rule add dir in tenant blue action allow
case_ "fw rule add: missing dir" 2 '^Error: "dir" is required$' fw rule add tenant blue action allow
case_ "fw rule add: missing action" 2 '^Error: "action" is required$' fw rule add tenant blue dir in
case_ "fw rule add: nothing after the tenant" 2 '^Error: "dir" is required$' fw rule add tenant blue
case_ "fw rule add: unknown dir" 2 '^Error: invalid direction "both" \(in or out\)$' \
	fw rule add tenant blue dir both action allow
case_ "fw rule add: unknown action" 2 '^Error: invalid action "drop" \(allow, deny or reject\)$' \
	fw rule add tenant blue dir in action drop
case_ "fw rule add: dir without value" 2 '^Error: missing direction after "dir"$' fw rule add tenant blue action allow dir
case_ "fw rule add: action without value" 2 '^Error: missing action after "action"$' fw rule add tenant blue dir in action
case_ "fw rule add: dir twice" 2 '^Error: "dir" is given twice$' fw rule add tenant blue dir in dir out action allow
case_ "fw rule add: log twice" 2 '^Error: "log" is given twice$' fw rule add tenant blue dir in action deny log log
case_ "fw rule add: unknown keyword" 2 '^Error: unknown keyword "state"; try "nvctl fw help"$' \
	fw rule add tenant blue dir in state new action allow
case_ "fw rule add: abbreviated keyword" 2 '^Error: unknown keyword "act"' fw rule add tenant blue dir in act allow
case_ "fw rule add: handle is for del" 2 '^Error: unknown keyword "handle"' \
	fw rule add tenant blue dir in action allow handle 1
case_ "fw rule add: sport without proto" 2 '^Error: "sport" needs proto tcp, udp, sctp, udplite or dccp$' \
	fw rule add tenant blue dir in sport 80 action allow
case_ "fw rule add: dport with proto any" 2 '^Error: "dport" needs proto tcp, udp, sctp, udplite or dccp$' \
	fw rule add tenant blue dir in proto any dport 80 action allow
case_ "fw rule add: dport with icmp" 2 '^Error: "dport" needs proto' \
	fw rule add tenant blue dir in proto icmp dport 80 action allow
case_ "fw rule add: reversed port range" 2 '^Error: invalid port range "90-80": the first port is above the last$' \
	fw rule add tenant blue dir in proto tcp dport 90-80 action allow
case_ "fw rule add: port over 65535" 2 '^Error: port range "65536" is out of range \(0-65535\)$' \
	fw rule add tenant blue dir in proto tcp dport 65536 action allow
case_ "fw rule add: open port range" 2 '^Error: invalid port range "80-" \(PORT or PORT-PORT\)$' \
	fw rule add tenant blue dir in proto tcp sport 80- action allow
case_ "fw rule add: port by name" 2 '^Error: invalid port range "http"' \
	fw rule add tenant blue dir in proto tcp dport http action allow
case_ "fw rule add: icmp-type with tcp" 2 '^Error: "icmp-type" needs proto icmp or icmpv6$' \
	fw rule add tenant blue dir in proto tcp icmp-type 8 action allow
case_ "fw rule add: icmp-type without proto" 2 '^Error: "icmp-type" needs proto icmp or icmpv6$' \
	fw rule add tenant blue dir in icmp-type 8 action allow
case_ "fw rule add: icmp-type 256" 2 '^Error: ICMP type "256" is out of range \(0-255\)$' \
	fw rule add tenant blue dir in proto icmp icmp-type 256 action allow
case_ "fw rule add: unknown proto" 2 '^Error: invalid protocol "gre" \(tcp, udp, icmp, icmpv6, sctp, udplite, dccp, any or 0-255\)$' \
	fw rule add tenant blue dir in proto gre action allow
case_ "fw rule add: proto 256" 2 '^Error: invalid protocol "256"' fw rule add tenant blue dir in proto 256 action allow
case_ "fw rule add: bad prefix" 2 '^Error: invalid prefix "10.0.0/24"$' \
	fw rule add tenant blue dir in src 10.0.0/24 action allow
case_ "fw rule add: prefix with host bits" 2 '^Error: prefix "10.0.0.1/24" has host bits set; did you mean 10.0.0.0/24\?$' \
	fw rule add tenant blue dir in dst 10.0.0.1/24 action allow
case_ "fw rule add: prefix length 129" 2 '^Error: invalid prefix length in "fd00::/129"$' \
	fw rule add tenant blue dir in src fd00::/129 action allow
case_ "fw rule add: empty group name" 2 '^Error: invalid group name "@"$' fw rule add tenant blue dir in src @ action allow
case_ "fw rule add: group name too long" 2 '^Error: group name "abcdefghijklmnop" is too long \(15 bytes at most\)$' \
	fw rule add tenant blue dir in dst @abcdefghijklmnop action allow
case_ "fw rule add: src and dst of two families" 2 '^Error: src and dst are of different address families$' \
	fw rule add tenant blue dir in src 10.0.0.0/8 dst fd00::/8 action allow
case_ "fw rule add: prio out of range" 2 '^Error: priority "4294967296" is out of range' \
	fw rule add tenant blue prio 4294967296 dir in action allow
case_ "fw rule add: port name too long" 2 '^Error: device name "abcdefghijklmnop" is too long' \
	fw rule add tenant blue dir in port abcdefghijklmnop action allow
case_ "fw rule add: port and pgroup" 2 '^Error: "port" and "pgroup" are exclusive$' \
	fw rule add tenant blue dir in port lo pgroup web action allow
case_ "fw rule add: pgroup and port, a missing device" 2 '^Error: "port" and "pgroup" are exclusive$' \
	fw rule add tenant blue dir in pgroup web port nvctl-nodev action allow
case_ "fw rule add: pgroup without value" 2 '^Error: missing port group name after "pgroup"$' \
	fw rule add tenant blue dir in action allow pgroup
case_ "fw rule add: pgroup twice" 2 '^Error: "pgroup" is given twice$' \
	fw rule add tenant blue dir in pgroup web pgroup db action allow
case_ "fw rule add: pgroup name too long" 2 '^Error: port group name "abcdefghijklmnop" is too long \(15 bytes at most\)$' \
	fw rule add tenant blue dir in pgroup abcdefghijklmnop action allow
case_ "fw rule del: missing handle" 2 '^Error: "handle" is required$' fw rule del tenant blue
case_ "fw rule del: handle not a number" 2 '^Error: invalid rule handle "x"$' fw rule del tenant blue handle x
case_ "fw rule del: extra keyword" 2 '^Error: unknown keyword "dir"' fw rule del tenant blue handle 1 dir in
case_ "fw show: missing tenant" 2 '^Error: "tenant" is required$' fw show
case_ "fw show: extra argument" 2 '^Error: unexpected argument "x"; try "nvctl fw help"$' fw show tenant blue x
case_ "fw policy: missing policy" 2 '^Error: missing policy$' fw policy tenant blue
case_ "fw policy: reject is no policy" 2 '^Error: invalid policy "reject" \(allow or deny\)$' fw policy tenant blue reject
case_ "fw policy: unknown keyword" 2 '^Error: unknown keyword "persist"' fw policy tenant blue deny persist
case_ "fw group add: missing name" 2 '^Error: missing group name$' fw group add tenant blue
case_ "fw group add: name too long" 2 '^Error: group name "abcdefghijklmnop" is too long' \
	fw group add tenant blue abcdefghijklmnop
case_ "fw group add: bad prefix" 2 '^Error: invalid prefix "10.0.0.256"$' fw group add tenant blue web 10.0.0.256
case_ "fw group add: prefix with host bits" 2 '^Error: prefix "fd00::1/64" has host bits set' \
	fw group add tenant blue web fd00::1/64
case_ "fw group: unknown command" 2 '^Error: unknown command "replace"' fw group replace tenant blue web
case_ "fw group del: extra argument" 2 '^Error: unexpected argument "10.0.0.1"' fw group del tenant blue web 10.0.0.1
case_ "fw group show: two names" 2 '^Error: unexpected argument "db"' fw group show tenant blue web db
case_ "fw pgroup: missing command" 2 '^Error: missing command; try "nvctl fw help"$' fw pgroup
case_ "fw pgroup: unknown command" 2 '^Error: unknown command "replace"' fw pgroup replace tenant blue web
case_ "fw pgroup add: missing tenant" 2 '^Error: "tenant" is required$' fw pgroup add
case_ "fw pgroup add: missing name" 2 '^Error: missing port group name$' fw pgroup add tenant blue
case_ "fw pgroup add: name too long" 2 '^Error: port group name "abcdefghijklmnop" is too long \(15 bytes at most\)$' \
	fw pgroup add tenant blue abcdefghijklmnop lo
case_ "fw pgroup add: device name too long" 2 '^Error: device name "abcdefghijklmnop" is too long' \
	fw pgroup add tenant blue web lo abcdefghijklmnop
case_ "fw pgroup add: a bad name after a missing device" 2 '^Error: device name "abcdefghijklmnop" is too long' \
	fw pgroup add tenant blue web nvctl-nodev abcdefghijklmnop
case_ "fw pgroup del: missing name" 2 '^Error: missing port group name$' fw pgroup del tenant blue
case_ "fw pgroup del: extra argument" 2 '^Error: unexpected argument "lo"' fw pgroup del tenant blue web lo
case_ "fw pgroup show: two names" 2 '^Error: unexpected argument "db"' fw pgroup show tenant blue web db
case_ "fw pgroup show: missing tenant" 2 '^Error: "tenant" is required$' fw pgroup show

# nat
stdout_case "nat help" '^Usage: nvctl nat add tenant NAME RULE$' nat help
stdout_case "nat help lists del" '^       nvctl nat del tenant NAME handle HANDLE$' nat help
stdout_case "nat help lists show" '^       nvctl nat show tenant NAME$' nat help
stdout_case "nat help defines snat" '^RULE := \{ snat \[ src PREFIX \] to ADDR \[ ports PORT-PORT \] \|$' nat help
stdout_case "nat help defines dnat" '^          dnat ADDR proto \{ tcp \| udp \} port PORT to IP \[ port PORT \] \|$' nat help
stdout_case "nat help defines fip" '^          fip ADDR to IP \}$' nat help
stdout_case "help after a nat command" '^Usage: nvctl nat add' nat show help
ok_case "nat add snat" nat add tenant blue snat to 203.0.113.5
ok_case "nat add snat, every keyword" nat add tenant blue snat src 10.0.0.0/24 to 203.0.113.5 ports 2000-3000
ok_case "nat add snat, keywords in any order" nat add tenant blue snat ports 1024 to 2001:db8::5 src fd00::/64
ok_case "nat add snat, widest ports" nat add tenant blue snat to 203.0.113.5 ports 1-65535
ok_case "nat add dnat" nat add tenant blue dnat 203.0.113.5 proto tcp port 80 to 10.0.0.5
ok_case "nat add dnat, IPv6 and a VM port" nat add tenant blue dnat 2001:db8::5 proto udp port 53 to fd00::5 port 5353
ok_case "nat add dnat, highest ports" nat add tenant blue dnat 203.0.113.5 proto tcp port 65535 to 10.0.0.5 port 65535
ok_case "nat add fip" nat add tenant blue fip 203.0.113.7 to 10.0.0.7
ok_case "nat add fip, IPv6" nat add tenant blue fip 2001:db8::7 to fd00::7
ok_case "nat del" nat del tenant blue handle 1
ok_case "nat show" nat show tenant blue
ok_case "-j nat show" -j nat show tenant blue
case_ "nat: missing command" 2 '^Error: missing command; try "nvctl nat help"$' nat
case_ "nat: unknown command" 2 '^Error: unknown command "list"' nat list tenant blue
case_ "nat add: missing tenant" 2 '^Error: "tenant" is required$' nat add
case_ "nat add: type before tenant" 2 '^Error: expected "tenant" instead of "snat"$' nat add snat to 203.0.113.5
case_ "nat add: missing type" 2 '^Error: missing NAT type: snat, dnat or fip$' nat add tenant blue
case_ "nat add: unknown type" 2 '^Error: unknown NAT type "masquerade": expected snat, dnat or fip$' \
	nat add tenant blue masquerade to 203.0.113.5
case_ "nat add: type in capitals" 2 '^Error: unknown NAT type "SNAT"' nat add tenant blue SNAT to 203.0.113.5
case_ "nat add snat: missing to" 2 '^Error: "to" is required$' nat add tenant blue snat src 10.0.0.0/24
case_ "nat add snat: to without value" 2 '^Error: missing IP address after "to"$' nat add tenant blue snat to
case_ "nat add snat: to not an address" 2 '^Error: invalid IP address "uplink"$' nat add tenant blue snat to uplink
case_ "nat add snat: to with a prefix length" 2 '^Error: invalid IP address "203.0.113.0/24"$' \
	nat add tenant blue snat to 203.0.113.0/24
case_ "nat add snat: bad src" 2 '^Error: invalid prefix "10.0.0/24"$' nat add tenant blue snat src 10.0.0/24 to 203.0.113.5
case_ "nat add snat: src host bits" 2 '^Error: prefix "10.0.0.1/24" has host bits set; did you mean 10.0.0.0/24\?$' \
	nat add tenant blue snat src 10.0.0.1/24 to 203.0.113.5
case_ "nat add snat: src and to of different families" 2 \
	'^Error: src fd00::/64 and to 203.0.113.5 are of different address families$' \
	nat add tenant blue snat src fd00::/64 to 203.0.113.5
case_ "nat add snat: ports inverted" 2 '^Error: invalid port range "3000-2000": the first port is above the last$' \
	nat add tenant blue snat to 203.0.113.5 ports 3000-2000
case_ "nat add snat: port 0" 2 '^Error: port range "0-100" is out of range \(1-65535\)$' \
	nat add tenant blue snat to 203.0.113.5 ports 0-100
case_ "nat add snat: port over 65535" 2 '^Error: port range "1024-65536" is out of range \(1-65535\)$' \
	nat add tenant blue snat to 203.0.113.5 ports 1024-65536
case_ "nat add snat: ports not a range" 2 '^Error: invalid port range "low-high" \(PORT or PORT-PORT\)$' \
	nat add tenant blue snat to 203.0.113.5 ports low-high
case_ "nat add snat: to twice" 2 '^Error: "to" is given twice$' nat add tenant blue snat to 203.0.113.5 to 203.0.113.6
case_ "nat add snat: unknown keyword" 2 '^Error: unknown keyword "proto"; try "nvctl nat help"$' \
	nat add tenant blue snat to 203.0.113.5 proto tcp
case_ "nat add dnat: missing address" 2 '^Error: missing IP address after "dnat"$' nat add tenant blue dnat
case_ "nat add dnat: bad address" 2 '^Error: invalid IP address "203.0.113"$' \
	nat add tenant blue dnat 203.0.113 proto tcp port 80 to 10.0.0.5
case_ "nat add dnat: missing proto" 2 '^Error: "proto" is required$' nat add tenant blue dnat 203.0.113.5
case_ "nat add dnat: port before proto" 2 '^Error: expected "proto" instead of "port"$' \
	nat add tenant blue dnat 203.0.113.5 port 80 proto tcp to 10.0.0.5
case_ "nat add dnat: proto icmp" 2 '^Error: invalid protocol "icmp" \(tcp or udp\)$' \
	nat add tenant blue dnat 203.0.113.5 proto icmp port 80 to 10.0.0.5
case_ "nat add dnat: proto sctp by number" 2 '^Error: invalid protocol "132" \(tcp or udp\)$' \
	nat add tenant blue dnat 203.0.113.5 proto 132 port 80 to 10.0.0.5
case_ "nat add dnat: missing port" 2 '^Error: "port" is required$' nat add tenant blue dnat 203.0.113.5 proto tcp
case_ "nat add dnat: port 0" 2 '^Error: port "0" is out of range \(1-65535\)$' \
	nat add tenant blue dnat 203.0.113.5 proto tcp port 0 to 10.0.0.5
case_ "nat add dnat: port 65536" 2 '^Error: port "65536" is out of range \(1-65535\)$' \
	nat add tenant blue dnat 203.0.113.5 proto tcp port 65536 to 10.0.0.5
case_ "nat add dnat: port range" 2 '^Error: invalid port "80-81"$' \
	nat add tenant blue dnat 203.0.113.5 proto tcp port 80-81 to 10.0.0.5
case_ "nat add dnat: missing to" 2 '^Error: "to" is required$' nat add tenant blue dnat 203.0.113.5 proto tcp port 80
case_ "nat add dnat: to with a prefix length" 2 '^Error: invalid IP address "10.0.0.0/24"$' \
	nat add tenant blue dnat 203.0.113.5 proto tcp port 80 to 10.0.0.0/24
case_ "nat add dnat: families differ" 2 \
	'^Error: dnat 203.0.113.5 and to fd00::5 are of different address families$' \
	nat add tenant blue dnat 203.0.113.5 proto tcp port 80 to fd00::5
case_ "nat add dnat: VM port 0" 2 '^Error: port "0" is out of range \(1-65535\)$' \
	nat add tenant blue dnat 203.0.113.5 proto tcp port 80 to 10.0.0.5 port 0
case_ "nat add dnat: VM port without value" 2 '^Error: missing port after "port"$' \
	nat add tenant blue dnat 203.0.113.5 proto tcp port 80 to 10.0.0.5 port
case_ "nat add dnat: VM port twice" 2 '^Error: "port" is given twice$' \
	nat add tenant blue dnat 203.0.113.5 proto tcp port 80 to 10.0.0.5 port 81 port 82
case_ "nat add dnat: unknown keyword" 2 '^Error: unknown keyword "src"; try "nvctl nat help"$' \
	nat add tenant blue dnat 203.0.113.5 proto tcp port 80 to 10.0.0.5 src 10.0.0.0/24
case_ "nat add fip: missing address" 2 '^Error: missing IP address after "fip"$' nat add tenant blue fip
case_ "nat add fip: missing to" 2 '^Error: "to" is required$' nat add tenant blue fip 203.0.113.7
case_ "nat add fip: something else than to" 2 '^Error: expected "to" instead of "via"$' \
	nat add tenant blue fip 203.0.113.7 via 10.0.0.7
case_ "nat add fip: bad VM address" 2 '^Error: invalid IP address "10.0.0.256"$' \
	nat add tenant blue fip 203.0.113.7 to 10.0.0.256
case_ "nat add fip: families differ" 2 \
	'^Error: fip 2001:db8::7 and to 10.0.0.7 are of different address families$' \
	nat add tenant blue fip 2001:db8::7 to 10.0.0.7
case_ "nat add fip: a port" 2 '^Error: unexpected argument "port"; try "nvctl nat help"$' \
	nat add tenant blue fip 203.0.113.7 to 10.0.0.7 port 80
case_ "nat del: missing handle" 2 '^Error: "handle" is required$' nat del tenant blue
case_ "nat del: handle without value" 2 '^Error: missing rule handle after "handle"$' nat del tenant blue handle
case_ "nat del: handle not a number" 2 '^Error: invalid rule handle "one"$' nat del tenant blue handle one
case_ "nat del: a rule instead of a handle" 2 '^Error: unknown keyword "snat"; try "nvctl nat help"$' \
	nat del tenant blue snat to 203.0.113.5
case_ "nat show: missing tenant" 2 '^Error: "tenant" is required$' nat show
case_ "nat show: extra argument" 2 '^Error: unexpected argument "snat"; try "nvctl nat help"$' nat show tenant blue snat
case_ "nat add: tenant name too long" 2 '^Error: tenant name "abcdefghijklmnop" is too long' \
	nat add tenant abcdefghijklmnop fip 203.0.113.7 to 10.0.0.7

# monitor
stdout_case "monitor help" '^Usage: nvctl \[ -t\[imestamp\] \| -ts\[hort\] \] monitor \[ all \| OBJECT-LIST \]$' monitor help
stdout_case "monitor help: the objects" '^OBJECT := \{ fw \| nat \| config \}$' monitor help
ok_case "monitor config" monitor config
ok_case "monitor config count" monitor config count 1
ok_case "monitor" monitor
ok_case "monitor count" monitor count 1
ok_case "-j monitor" -j monitor
ok_case "monitor fw" monitor fw
ok_case "monitor all" monitor all
ok_case "monitor fw tenant count" monitor fw tenant blue count 1
ok_case "monitor nat" monitor nat
ok_case "monitor nat tenant" monitor nat tenant blue
ok_case "monitor fw nat" monitor fw nat count 1
ok_case "-t monitor" -t monitor
ok_case "-timestamp monitor" -timestamp monitor
ok_case "-ts -j monitor" -ts -j monitor
case_ "monitor: an object after the keywords" 2 '^Error: unknown keyword "fw"; try "nvctl monitor help"$' monitor tenant blue fw
case_ "monitor: nat after the keywords" 2 '^Error: unknown keyword "nat"; try "nvctl monitor help"$' monitor count 1 nat
case_ "monitor: tenant without name" 2 '^Error: missing tenant name after "tenant"$' monitor tenant
case_ "monitor: tenant name too long" 2 'tenant name "abcdefghijklmnop"' monitor tenant abcdefghijklmnop
case_ "monitor: count without value" 2 '^Error: missing event count after "count"$' monitor count
case_ "monitor: count 0" 2 '^Error: event count "0" is out of range \(1-4294967295\)$' monitor count 0
case_ "monitor: count not a number" 2 '^Error: invalid event count "x"$' monitor count x
case_ "monitor: unknown keyword" 2 '^Error: unknown keyword "route"; try "nvctl monitor help"$' monitor route
case_ "monitor: -n with a missing namespace" 1 '^Error: cannot open network namespace "nvctl-none"' \
	-n nvctl-none monitor

# batch
: >"$tmp/empty"
echo "route show" >"$tmp/notsaved"
echo '{"gen":1}' >"$tmp/nolines.json"
echo "route add tenant blue 10.0.0.0/8 dev b1" >"$tmp/blue"
stdout_case "batch help" '^Usage: nvctl batch \{ FILE \| - \} \[ check \] \[ gen N \]$' batch help
case_ "batch: no FILE" 2 '^Error: missing FILE; try "nvctl batch help"$' batch
case_ "batch: a FILE that is not there" 1 '^Error: cannot open /nonexistent/x: No such file' batch /nonexistent/x
case_ "batch: gen without a value" 2 '^Error: "gen" needs a generation$' batch "$tmp/empty" gen
case_ "batch: gen not a number" 2 '^Error: invalid generation "x"$' batch "$tmp/empty" gen x
case_ "batch: gen negative" 2 '^Error: invalid generation "-1"$' batch "$tmp/empty" gen -1
case_ "batch: unknown keyword" 2 '^Error: unknown keyword "now"' batch "$tmp/empty" now
ok_case "batch of nothing" batch "$tmp/empty"
ok_case "batch check gen" batch "$tmp/empty" check gen 0
ok_case "-b FILE" -b "$tmp/empty"
ok_case "-j -b FILE check" -j -b "$tmp/empty" check
case_ "-b: no FILE" 2 '^Error: missing FILE' -b

# save, diff, sync
stdout_case "save help" '^Usage: nvctl save \[ tenant NAME \]$' save help
stdout_case "-h lists save, diff and sync" 'OBJECT := \{.* save \| diff \| sync \}' -h
ok_case "save" save
ok_case "save tenant" save tenant blue
ok_case "-j save" -j save
case_ "save: extra argument" 2 '^Error: unexpected argument "x"' save x
case_ "save: tenant without a name" 2 'tenant' save tenant
case_ "diff: no FILE" 2 '^Error: missing FILE; try "nvctl diff help"$' diff
case_ "diff: a FILE that is not there" 1 '^Error: cannot open /nonexistent/x' diff /nonexistent/x
case_ "diff: a line no save prints" 1 'Error: not a line of a saved configuration: "route show"' diff "$tmp/notsaved"
case_ "diff: JSON without lines" 1 'not a saved configuration: no "lines" array' diff "$tmp/nolines.json"
case_ "sync: no FILE" 2 '^Error: missing FILE; try "nvctl sync help"$' sync
case_ "sync: unknown keyword" 2 '^Error: unknown keyword "now"' sync "$tmp/empty" now
case_ "sync: gen without a value" 2 '^Error: "gen" needs a generation$' sync "$tmp/empty" gen
case_ "sync tenant: another tenant's line" 1 'Error: not a line of tenant red' sync tenant red "$tmp/blue"

echo "1..$n"
[ $failed = 0 ]
