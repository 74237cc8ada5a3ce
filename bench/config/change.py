#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# The cost of one change against the objects a tenant has, for `make
# bench-config` (vm.sh), which gives the tenant its N routes or rules
# first (`nvctl batch`, `nvctl fw load`): one route, or one firewall rule,
# is added and deleted ROUNDS times, each a request of its own on one
# socket; the median of REPEATS such runs, in microseconds a change.
# Requests are built by hand, as the module's UAPI header defines them,
# so that nothing but the module's work and one netlink round trip is
# timed.
#
#   change.py route TENANT v4|v6 N ROUNDS REPEATS   prints "N US_PER_CHANGE"
#   change.py rule TENANT - N ROUNDS REPEATS
import os, socket, statistics, struct, sys, time

GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_NAME = 16, 3, 2
CTRL_ATTR_FAMILY_ID = 1
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2


def uapi(*names):
    """Values of enumerators of the module's UAPI header, by name."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "../../include/uapi/linux/netvirt.h")
    vals, cur, inside = {}, 0, False
    for line in open(path):
        line = line.split("/*")[0].strip()
        if line.startswith("enum ") and line.endswith("{"):
            inside, cur = True, 0
        elif inside and line.startswith("}"):
            inside = False
        elif inside and line.startswith("NETVIRT_"):
            name, _, val = line.rstrip(",").partition("=")
            if val.strip().isdigit():
                cur = int(val)
            vals[name.strip()] = cur
            cur += 1
    return [vals["NETVIRT_" + n] for n in names]


(CMD_ROUTE_NEW, CMD_ROUTE_DEL, A_ROUTE, A_ROUTE_TENANT, A_ROUTE_DST_IN,
 A_ROUTE_DST_IN6, A_ROUTE_PLEN, A_ROUTE_TYPE, ROUTE_BLACKHOLE) = uapi(
    "CMD_ROUTE_NEW", "CMD_ROUTE_DEL", "A_ROUTE", "A_ROUTE_TENANT",
    "A_ROUTE_DST_IN", "A_ROUTE_DST_IN6", "A_ROUTE_PLEN", "A_ROUTE_TYPE",
    "ROUTE_BLACKHOLE")
(CMD_FW_RULE_NEW, CMD_FW_RULE_DEL, A_FW_RULE, A_FW_RULE_TENANT,
 A_FW_RULE_HANDLE, A_FW_RULE_DIR, A_FW_RULE_ACTION, FW_DIR_IN,
 FW_DENY) = uapi(
    "CMD_FW_RULE_NEW", "CMD_FW_RULE_DEL", "A_FW_RULE", "A_FW_RULE_TENANT",
    "A_FW_RULE_HANDLE", "A_FW_RULE_DIR", "A_FW_RULE_ACTION", "FW_DIR_IN",
    "FW_DENY")
NLA_F_NESTED = 0x8000

s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
s.bind((0, 0))
seq = 0


def attr(t, v):
    a = struct.pack("HH", 4 + len(v), t) + v
    return a + b"\0" * (-len(a) % 4)


def msg(typ, cmd, body):
    global seq
    seq += 1
    m = struct.pack("BBH", cmd, 1, 0) + body
    return struct.pack("IHHII", 16 + len(m), typ, NLM_F_REQUEST | NLM_F_ACK,
                       seq, 0) + m


def attrs(buf, off, end):
    """(type, payload offset, payload length) of the attributes in buf."""
    while off + 4 <= end:
        ln, t = struct.unpack_from("HH", buf, off)
        yield t & 0x3fff, off + 4, ln - 4
        off += (ln + 3) & ~3


def acks(n):
    """Reads n ACKs; exits on the first error. The last rule handle a
    reply named, if any."""
    handle = None
    while n:
        r = s.recv(1 << 20)
        off = 0
        while off < len(r) and n:
            ln, typ = struct.unpack_from("IH", r, off)
            if typ == NLMSG_ERROR:
                err = struct.unpack_from("i", r, off + 16)[0]
                if err:
                    sys.exit("request failed: " + os.strerror(-err))
                n -= 1
            elif typ == fam:
                for t, p, plen in attrs(r, off + 20, off + ln):
                    if t != A_FW_RULE:
                        continue
                    for u, q, _ in attrs(r, p, p + plen):
                        if u == A_FW_RULE_HANDLE:
                            handle = struct.unpack_from("I", r, q)[0]
            off += (ln + 3) & ~3
    return handle


s.send(msg(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
           attr(CTRL_ATTR_FAMILY_NAME, b"netvirt\0")))
r = s.recv(65536)
fam = None
for t, p, _ in attrs(r, 20, len(r)):
    if t == CTRL_ATTR_FAMILY_ID:
        fam = struct.unpack_from("H", r, p)[0]
acks(1)

kind, tenant, family = sys.argv[1], sys.argv[2].encode() + b"\0", sys.argv[3]
n, rounds, repeats = (int(a) for a in sys.argv[4:7])


def route(cmd, i):
    """A blackhole host route: 10.0.0.0/8 + i, or 2001:db8:: + i, as
    vm.sh installs them."""
    if family == "v4":
        dst = attr(A_ROUTE_DST_IN, struct.pack("!I", 0x0A000000 + i))
        plen = 32
    else:
        dst = attr(A_ROUTE_DST_IN6,
                   struct.pack("!IIII", 0x20010DB8, 0, i >> 32, i & 0xffffffff))
        plen = 128
    nest = (attr(A_ROUTE_TENANT, tenant) + dst +
            attr(A_ROUTE_PLEN, bytes([plen])) +
            attr(A_ROUTE_TYPE, bytes([ROUTE_BLACKHOLE])))
    return msg(fam, cmd, attr(NLA_F_NESTED | A_ROUTE, nest))


def rule_add():
    """A rule that matches every packet into the tenant's VMs."""
    nest = (attr(A_FW_RULE_TENANT, tenant) +
            attr(A_FW_RULE_DIR, bytes([FW_DIR_IN])) +
            attr(A_FW_RULE_ACTION, bytes([FW_DENY])))
    return msg(fam, CMD_FW_RULE_NEW, attr(NLA_F_NESTED | A_FW_RULE, nest))


def rule_del(handle):
    nest = (attr(A_FW_RULE_TENANT, tenant) +
            attr(A_FW_RULE_HANDLE, struct.pack("I", handle)))
    return msg(fam, CMD_FW_RULE_DEL, attr(NLA_F_NESTED | A_FW_RULE, nest))


def pair():
    """One add and its delete."""
    if kind == "route":
        s.send(route(CMD_ROUTE_NEW, n + 1))
        acks(1)
        s.send(route(CMD_ROUTE_DEL, n + 1))
        acks(1)
    else:
        s.send(rule_add())
        handle = acks(1)
        s.send(rule_del(handle))
        acks(1)


runs = []
for _ in range(repeats):
    t0 = time.perf_counter()
    for _ in range(rounds):
        pair()
    runs.append((time.perf_counter() - t0) / (2 * rounds) * 1e6)
print(n, "%.1f" % statistics.median(runs))
