# SPDX-License-Identifier: GPL-2.0
"""A small client of the "mgm" generic netlink family for the test tools in
tools/pynl/, driven by the family's YNL spec (tools/spec/mgm.yaml): command
and attribute numbers, types and byte orders come from the spec alone, so a
command added there is known here without a change.

Only python3 and python3-yaml; raw AF_NETLINK sockets, no libmnl, because
the fuzzer must also build messages no library would (wrong types, bad
lengths, cut headers).  Used inside UML only; nothing here loads a module.
"""
import errno
import os
import select
import socket
import struct

import yaml

SPEC = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    "..", "spec", "mgm.yaml")

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_DROP_MEMBERSHIP = 2
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11

NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 0x1
NLM_F_MULTI = 0x2
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
NLM_F_ACK_TLVS = 0x200

NLA_F_NESTED = 1 << 15
NLA_F_NET_BYTEORDER = 1 << 14
NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff

NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_MISS_TYPE = 5

GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2

NLMSGHDR = struct.Struct("=IHHII")
GENLHDR = struct.Struct("=BBH")
NLAHDR = struct.Struct("=HH")

INT_FORMATS = {"u8": "B", "u16": "H", "u32": "I", "u64": "Q",
               "s8": "b", "s16": "h", "s32": "i", "s64": "q"}


def align(n):
    return (n + 3) & ~3


def nla(atype, payload):
    """One attribute, padded to 4 bytes."""
    hdr = NLAHDR.pack(NLAHDR.size + len(payload), atype)
    return hdr + payload + bytes(align(len(payload)) - len(payload))


def parse_nlas(data):
    """Yields (type without flags, payload) of each attribute in data."""
    off = 0
    while off + NLAHDR.size <= len(data):
        length, atype = NLAHDR.unpack_from(data, off)
        if length < NLAHDR.size or off + length > len(data):
            return
        yield atype & NLA_TYPE_MASK, data[off + NLAHDR.size:off + length]
        off += align(length)


def ip4(value):
    """An IPv4 address (dotted string or int, host order) as an int."""
    if isinstance(value, str):
        return struct.unpack("!I", socket.inet_aton(value))[0]
    return value


class Attr:
    def __init__(self, aset, elem, value):
        self.aset = aset
        self.name = elem["name"]
        self.value = value
        self.type = elem["type"]
        self.nested = elem.get("nested-attributes")
        self.multi = elem.get("multi-attr", False)
        self.big_endian = elem.get("byte-order") == "big-endian"
        self.ipv4 = elem.get("display-hint") == "ipv4"

    def encode(self, spec, value):
        """The attribute (header included) carrying value."""
        if self.type == "flag":
            return nla(self.value, b"")
        if self.type in INT_FORMATS:
            fmt = (">" if self.big_endian else "=") + INT_FORMATS[self.type]
            if self.ipv4:
                value = ip4(value)
            return nla(self.value, struct.pack(fmt, value))
        if self.type == "string":
            return nla(self.value, value.encode() + b"\0")
        if self.type == "binary":
            return nla(self.value, bytes(value))
        if self.type == "nest":
            return nla(self.value | NLA_F_NESTED,
                       spec.encode_attrs(self.nested, value))
        raise ValueError(f"attribute {self.name}: type {self.type}")

    def decode(self, spec, payload):
        if self.type == "flag":
            return True
        if self.type in INT_FORMATS:
            fmt = (">" if self.big_endian else "=") + INT_FORMATS[self.type]
            if len(payload) != struct.calcsize(fmt):
                return payload
            value = struct.unpack(fmt, payload)[0]
            if self.ipv4:
                return socket.inet_ntoa(struct.pack("!I", value))
            return value
        if self.type == "string":
            return payload.rstrip(b"\0").decode(errors="replace")
        if self.type == "nest":
            return spec.decode_attrs(self.nested, payload)
        return payload


class Op:
    def __init__(self, elem, value):
        self.name = elem["name"]
        self.value = value
        self.aset = elem.get("attribute-set")
        # uns-admin-perm: CAP_NET_ADMIN in the netns's user namespace
        self.admin = bool({"admin-perm", "uns-admin-perm"}
                          & set(elem.get("flags", [])))
        self.do = elem.get("do")
        self.dump = elem.get("dump")
        self.event = elem.get("event")

    def request_attrs(self, dump=False):
        part = self.dump if dump else self.do
        if not part or not part.get("request"):
            return []
        return part["request"].get("attributes", [])

    @property
    def is_request(self):
        """Userspace sends it (a do or a dump), as opposed to an event."""
        return bool(self.do or self.dump)

    @property
    def changes_state(self):
        """The spec marks every state-changing command uns-admin-perm."""
        return bool(self.do) and self.admin


class Spec:
    """The family as tools/spec/mgm.yaml describes it."""

    def __init__(self, path=SPEC):
        with open(path) as f:
            raw = yaml.load(f, Loader=getattr(yaml, "CSafeLoader",
                                                  yaml.SafeLoader))
        self.name = raw["name"]
        self.attrs = {}         # set name -> {attr name: Attr}
        self.attr_by_value = {}  # set name -> {value: Attr}
        for aset in raw["attribute-sets"]:
            byname, byval = {}, {}
            val = 1
            for elem in aset["attributes"]:
                val = elem.get("value", val)
                if elem["type"] == "unused":    # the *_UNSPEC of each set
                    val += 1
                    continue
                a = Attr(aset["name"], elem, val)
                byname[a.name] = a
                byval[val] = a
                val += 1
            self.attrs[aset["name"]] = byname
            self.attr_by_value[aset["name"]] = byval
        self.ops = {}
        self.op_by_value = {}
        val = 1
        for elem in raw["operations"]["list"]:
            val = elem.get("value", val)
            op = Op(elem, val)
            self.ops[op.name] = op
            self.op_by_value[val] = op
            val += 1
        self.mcgrps = [g["name"] for g in raw.get("mcast-groups", {})
                       .get("list", [])]
        self.default_set = raw["attribute-sets"][0]["name"]

    def encode_attrs(self, aset, attrs):
        """attrs: dict name -> value, a list value for a multi-attr (one
        attribute per element), or a list of (name, value) pairs."""
        items = attrs.items() if isinstance(attrs, dict) else attrs
        out = b""
        for name, value in items:
            a = self.attrs[aset][name]
            if a.multi and isinstance(value, list):
                for v in value:
                    out += a.encode(self, v)
            else:
                out += a.encode(self, value)
        return out

    def decode_attrs(self, aset, data):
        out = {}
        for atype, payload in parse_nlas(data):
            a = self.attr_by_value[aset].get(atype)
            if a is None:
                out.setdefault("?", []).append((atype, payload))
            elif a.multi:
                out.setdefault(a.name, []).append(a.decode(self, payload))
            else:
                out[a.name] = a.decode(self, payload)
        return out


class Reply:
    """The outcome of one request: error is 0 or a positive errno."""

    def __init__(self):
        self.error = 0
        self.msg = None
        self.missing = None
        self.bad_offset = None
        self.entries = []       # replies or dump entries, decoded

    def __repr__(self):
        if self.error:
            return (f"<{errno.errorcode.get(self.error, self.error)}"
                    f" msg={self.msg!r}>")
        return f"<ok {self.entries!r}>"


class NetlinkError(Exception):
    pass


_family_cache = {}


class Conn:
    """One generic netlink socket, in the caller's network namespace."""

    def __init__(self, spec, rcvbuf=None, ext_ack=True, sock=None):
        """sock: an unbound AF_NETLINK socket to use (default: a new one)."""
        self.spec = spec
        self.sock = sock or socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                          NETLINK_GENERIC)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        if ext_ack:
            self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.portid = self.sock.getsockname()[0]
        self.seq = 0
        # seconds to wait for each part of an answer (None: forever)
        self.timeout = None
        # bytes asked of each recv(); netlink sizes a dump's messages to
        # the largest asked so far (32 KiB at most, netlink_recvmsg())
        self.recv_size = 65536
        self.family, self.groups = self._resolve()

    def close(self):
        self.sock.close()

    def fileno(self):
        return self.sock.fileno()

    def _resolve(self):
        """The family id and multicast groups (per netns; cached per
        process and netns, the controller being slow under KASAN)."""
        key = (self.spec.name, os.readlink("/proc/thread-self/ns/net"))
        if key in _family_cache:
            return _family_cache[key]
        body = GENLHDR.pack(CTRL_CMD_GETFAMILY, 1, 0) + \
            nla(CTRL_ATTR_FAMILY_NAME, self.spec.name.encode() + b"\0")
        seq = self.send_raw(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, body)
        family, groups = None, {}
        for mtype, flags, data in self.recv_until(seq):
            if mtype == NLMSG_ERROR:
                err = -struct.unpack_from("=i", data)[0]
                if err:
                    raise NetlinkError(f"family {self.spec.name}: "
                                       f"{os.strerror(err)}")
                continue
            for atype, payload in parse_nlas(data[GENLHDR.size:]):
                if atype == CTRL_ATTR_FAMILY_ID:
                    family = struct.unpack("=H", payload)[0]
                elif atype == CTRL_ATTR_MCAST_GROUPS:
                    for _, grp in parse_nlas(payload):
                        g = dict(parse_nlas(grp))
                        name = g[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0")
                        groups[name.decode()] = struct.unpack(
                            "=I", g[CTRL_ATTR_MCAST_GRP_ID])[0]
        if family is None:
            raise NetlinkError(f"family {self.spec.name}: no id")
        _family_cache[key] = (family, groups)
        return family, groups

    def join(self, group="monitor"):
        self.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
                             self.groups[group])

    def leave(self, group="monitor"):
        self.sock.setsockopt(SOL_NETLINK, NETLINK_DROP_MEMBERSHIP,
                             self.groups[group])

    def next_seq(self):
        self.seq = (self.seq + 1) & 0xffffffff or 1
        return self.seq

    def message(self, mtype, flags, body, seq=None):
        if seq is None:
            seq = self.next_seq()
        return NLMSGHDR.pack(NLMSGHDR.size + len(body), mtype, flags, seq,
                             self.portid) + body

    def send_raw(self, mtype, flags, body):
        seq = self.next_seq()
        self.sock.send(self.message(mtype, flags, body, seq))
        return seq

    def encode(self, op, attrs=None, dump=False, flags=None):
        """The whole request message for op (a name or an Op)."""
        if isinstance(op, str):
            op = self.spec.ops[op]
        if flags is None:
            flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        body = GENLHDR.pack(op.value, 1, 0) + self.spec.encode_attrs(
            op.aset or self.spec.default_set, attrs or {})
        return self.message(self.family, flags, body)

    def recv_msgs(self, bufsize=65536, flags=0):
        """The messages of one datagram: (type, flags, payload) each."""
        data = self.sock.recv(bufsize, flags)
        off, out = 0, []
        while off + NLMSGHDR.size <= len(data):
            length, mtype, mflags, _, _ = NLMSGHDR.unpack_from(data, off)
            if length < NLMSGHDR.size or off + length > len(data):
                break
            out.append((mtype, mflags, data[off + NLMSGHDR.size:off + length]))
            off += align(length)
        return out

    def recv_until(self, seq):
        """Every message answering request seq, up to its ack or DONE;
        other messages (notifications) are dropped."""
        out = []
        while True:
            data = self.sock.recv(65536)
            off = 0
            while off + NLMSGHDR.size <= len(data):
                length, mtype, mflags, mseq, _ = NLMSGHDR.unpack_from(data, off)
                if length < NLMSGHDR.size or off + length > len(data):
                    break
                payload = data[off + NLMSGHDR.size:off + length]
                off += align(length)
                if mseq != seq:
                    continue
                out.append((mtype, mflags, payload))
                if mtype in (NLMSG_ERROR, NLMSG_DONE):
                    return out

    def request(self, op, attrs=None, dump=False, events=None):
        """Sends op with attrs, returns its Reply.  Notifications that
        arrive meanwhile are appended to events (a list) if given."""
        if isinstance(op, str):
            op = self.spec.ops[op]
        msg = self.encode(op, attrs, dump)
        seq = struct.unpack_from("=I", msg, 8)[0]
        self.sock.send(msg)
        return self.collect(seq, op, events)

    def collect(self, seq, op=None, events=None):
        """The Reply to the request seq sent on this socket."""
        rep = Reply()
        aset = (op.aset if op else None) or self.spec.default_set
        while True:
            if self.timeout is not None:
                if not select.select([self.sock], [], [], self.timeout)[0]:
                    raise TimeoutError(f"no answer to request {seq}")
            data = self.sock.recv(self.recv_size)
            off = 0
            while off + NLMSGHDR.size <= len(data):
                length, mtype, mflags, mseq, _ = NLMSGHDR.unpack_from(data, off)
                if length < NLMSGHDR.size or off + length > len(data):
                    break
                payload = data[off + NLMSGHDR.size:off + length]
                off += align(length)
                if mseq != seq:
                    if events is not None and mtype == self.family:
                        events.append(self.decode(payload))
                    continue
                if mtype == NLMSG_DONE:
                    return rep
                if mtype == NLMSG_ERROR:
                    self._error(rep, payload, mflags)
                    return rep
                rep.entries.append(self.spec.decode_attrs(
                    aset, payload[GENLHDR.size:]))

    def _error(self, rep, payload, mflags):
        rep.error = -struct.unpack_from("=i", payload)[0]
        # the request is echoed unless capped; the TLVs follow it
        if mflags & NLM_F_ACK_TLVS:
            inner = NLMSGHDR.size
            if not mflags & 0x100:        # NLM_F_CAPPED
                inner = struct.unpack_from("=I", payload, 4)[0]
            for atype, value in parse_nlas(payload[4 + align(inner):]):
                if atype == NLMSGERR_ATTR_MSG:
                    rep.msg = value.rstrip(b"\0").decode(errors="replace")
                elif atype == NLMSGERR_ATTR_MISS_TYPE:
                    rep.missing = struct.unpack("=I", value)[0]
                elif atype == NLMSGERR_ATTR_OFFS:
                    rep.bad_offset = struct.unpack("=I", value)[0]

    def decode(self, payload):
        """A notification or reply message: (command name, attrs)."""
        cmd = GENLHDR.unpack_from(payload)[0]
        op = self.spec.op_by_value.get(cmd)
        aset = (op.aset if op else None) or self.spec.default_set
        return (op.name if op else cmd,
                self.spec.decode_attrs(aset, payload[GENLHDR.size:]))

    def do(self, op, attrs=None, events=None):
        return self.request(op, attrs, False, events)

    def dump(self, op, attrs=None, events=None):
        return self.request(op, attrs, True, events)


def implemented(conn, op):
    """Whether the loaded module has op: a request with no attributes
    gets EOPNOTSUPP from genetlink only for a command it does not know."""
    if isinstance(op, str):
        op = conn.spec.ops[op]
    return conn.request(op, {}, dump=not op.do).error != errno.EOPNOTSUPP


# ---- the state as the dumps show it ---------------------------------------

# The dumps that make up the state, with their request attributes.  Only
# those the loaded module implements are taken.
STATE_DUMPS = [
    ("get-protocol", {}),
    ("get-interface", {}),
    ("get-mfe", {}),
    ("get-group", {"enum-type": 1}),    # every key: (S,G), (*,G), (*,*)
]
# Attributes that change by themselves (clocks, counters): not state.
# (time-left: a held registration's, counting down)
VOLATILE = {"uptime", "expiry", "pkts", "bytes", "wrong-if", "time-left"}


def canonical(entry):
    """A dump entry as a sorted, hashable line."""
    parts = []
    for k in sorted(entry):
        if k in VOLATILE:
            continue
        v = entry[k]
        if isinstance(v, list):
            v = "[" + ",".join(sorted(
                canonical(x) if isinstance(x, dict) else str(x)
                for x in v)) + "]"
        parts.append(f"{k}={v}")
    return " ".join(parts)


def snapshot(conn):
    """The state of the conn's netns: {dump name: [entry dicts]}.  Raises
    NetlinkError if a dump fails (a dump must always work)."""
    state = {}
    for name, attrs in STATE_DUMPS:
        if name not in conn.spec.ops:
            continue
        rep = conn.dump(name, attrs)
        if rep.error == errno.EOPNOTSUPP:
            continue
        if rep.error:
            raise NetlinkError(f"dump {name}: {os.strerror(rep.error)}"
                               f" ({rep.msg})")
        state[name] = rep.entries
    return state


def state_lines(state):
    """The state as sorted text lines "DUMP ATTR=VALUE...", for diffs."""
    return sorted(f"{name} {canonical(e)}"
                  for name, entries in state.items() for e in entries)


def normalized_lines(state, roles):
    """state_lines() with what differs from run to run named instead:
    handles by rank ("h1" the lowest), port ids by role (roles: port id ->
    name, e.g. of the sockets of a test)."""
    handles = sorted({e[k] for entries in state.values() for e in entries
                      for k in ("handle", "igmp-handle") if k in e})
    rank = {h: f"h{i + 1}" for i, h in enumerate(handles)}
    out = {}
    for name, entries in state.items():
        out[name] = []
        for e in entries:
            e = dict(e)
            for k in ("handle", "igmp-handle"):
                if k in e:
                    e[k] = rank[e[k]]
            if "portid" in e:
                e["portid"] = roles.get(e["portid"], "?")
            out[name].append(e)
    return state_lines(out)


def generic_portids():
    """Port ids of the live generic netlink sockets of this netns."""
    out = set()
    with open("/proc/net/netlink") as f:
        next(f)
        for line in f:
            fields = line.split()
            if int(fields[1]) == NETLINK_GENERIC:
                out.add(int(fields[2]))
    return out


def invariants(state, ifindexes=None, portids=None):
    """The rules every state must keep, whatever happened before; returns
    a list of violations (empty: fine).  ifindexes: the netdevs of the
    netns (default: looked up); portids: the live generic netlink sockets
    (default: /proc/net/netlink)."""
    if ifindexes is None:
        ifindexes = {i for i, _ in socket.if_nameindex()}
    if portids is None:
        portids = generic_portids()
    bad = []
    protos = {}
    pairs = set()
    igmp = []
    for p in state.get("get-protocol", []):
        h = p.get("handle")
        if h in protos:
            bad.append(f"protocol handle {h} twice")
        protos[h] = p
        pair = (p.get("protocol-id"), p.get("component-id"))
        if pair in pairs:
            bad.append(f"protocol {pair} registered twice")
        pairs.add(pair)
        if p.get("protocol-id") in (10, 0x4137000A):
            igmp.append(h)
        if p.get("portid") and p["portid"] not in portids:
            bad.append(f"handle {h}: its socket (port id {p['portid']}) "
                       "is gone")
        # graceful restart: held without a socket, for at most its hold
        state_ = p.get("protocol-state", 0)
        if state_ == 1 and (p.get("portid") or
                            p.get("time-left", 1 << 32) >
                            p.get("hold-time", 0)):
            bad.append(f"handle {h}: held with a socket or past its hold "
                       f"time: {p}")
        if (state_ == 0) != ("time-left" not in p):
            bad.append(f"handle {h}: time-left and state disagree: {p}")
    if len(igmp) > 1:
        bad.append(f"{len(igmp)} IGMP components: {igmp}")

    owned = set()
    for i in state.get("get-interface", []):
        key = (i.get("ifindex"), i.get("nexthop"))
        if key in owned:
            bad.append(f"interface {key} listed twice")
        owned.add(key)
        if key[0] not in ifindexes:
            bad.append(f"interface {key}: no such netdev")
        h = i.get("handle")
        if h is None and not i.get("igmp"):
            bad.append(f"interface {key}: nobody owns it")
        if h is not None:
            p = protos.get(h)
            if p is None:
                bad.append(f"interface {key}: owner {h} not registered")
            elif h in igmp:
                bad.append(f"interface {key}: IGMP as the routing owner")
            elif (p.get("protocol-id"), p.get("component-id")) != \
                    (i.get("protocol-id"), i.get("component-id")):
                bad.append(f"interface {key}: owner ids disagree with "
                           f"protocol {h}")
        if bool(i.get("igmp")) != (i.get("igmp-handle") is not None):
            bad.append(f"interface {key}: igmp flag without handle or "
                       "the reverse")
        if i.get("igmp-handle") is not None and \
                i["igmp-handle"] not in igmp:
            bad.append(f"interface {key}: igmp-handle "
                       f"{i['igmp-handle']} is not the IGMP component")

    for m in state.get("get-mfe", []):
        sg = (m.get("source"), m.get("group"))
        if m.get("iif"):
            key = (m["iif"], m.get("iif-nexthop", "0.0.0.0"))
            if key not in owned:
                bad.append(f"MFE {sg}: incoming interface {key} not owned")
        for o in m.get("oif", []):
            key = (o.get("ifindex"), o.get("nexthop", "0.0.0.0"))
            if key not in owned:
                bad.append(f"MFE {sg}: outgoing interface {key} not owned")
    return bad


# ---- requests that make sense ---------------------------------------------

# A value that passes validation for each request attribute, by name; the
# tests override what they care about.  An attribute missing here (a new
# one in the spec) gets a value of its type from typed_value().
PLAUSIBLE = {
    "protocol-id": 300, "component-id": 1, "ifindex": 1,
    "nexthop": "0.0.0.0", "source": "10.1.1.1",
    "source-mask": "255.255.255.255", "group": "239.1.1.1",
    "group-mask": "255.255.255.255", "flags": 3, "upstream": "0.0.0.0",
    "iif": 1, "iif-nexthop": "0.0.0.0", "cookie": 1, "timeout": 10,
    "enum-type": 1, "oif": [{"ifindex": 1}],
}


def typed_value(attr):
    if attr.type == "flag":
        return True
    if attr.type in INT_FORMATS:
        return "0.0.0.0" if attr.ipv4 else 1
    if attr.type == "string":
        return "x"
    if attr.type == "nest":
        return {}
    return b"\0\0\0\0"


def plausible(spec, op, handle=None, **overrides):
    """Request attributes for op (its do, or else its dump) with values
    that pass the policy: the handle given, those of its attributes named
    in overrides from there (None: left out), the rest from PLAUSIBLE."""
    aset = op.aset or spec.default_set
    out = {}
    for name in op.request_attrs(dump=not op.do):
        if name == "handle":
            if handle is not None:
                out[name] = handle
            continue
        if name in overrides:
            out[name] = overrides[name]
        elif name in PLAUSIBLE:
            out[name] = PLAUSIBLE[name]
        else:
            out[name] = typed_value(spec.attrs[aset][name])
    for name, value in overrides.items():
        if value is None:
            out.pop(name, None)
    return out


def drain(conn, wait=0.2):
    """The notifications queued on conn: (command, attrs) each, once
    nothing more arrived for wait seconds."""
    out = []
    while select.select([conn.sock], [], [], wait)[0]:
        for mtype, _, payload in conn.recv_msgs():
            if mtype == conn.family:
                out.append(conn.decode(payload))
    return out


# ---- requests written as text ---------------------------------------------

IFINDEX_ATTRS = {"ifindex", "iif"}


def parse_value(name, text, variables):
    """VALUE of ATTR=VALUE: a number, a dotted IPv4 address, an interface
    name (for ifindex and iif), or $VAR from variables."""
    if text.startswith("$"):
        text = str(variables[text[1:]])
    if name in IFINDEX_ATTRS and not text.isdigit():
        return socket.if_nametoindex(text)
    if text.count(".") == 3:
        return text
    return int(text, 0)


def parse_request(spec, text, variables):
    """"[VAR=]OP [ATTR=VALUE...]" -> (VAR or None, Op, attrs)."""
    words = text.split()
    var = None
    if "=" in words[0]:
        var, words[0] = words[0].split("=", 1)
    op = spec.ops[words[0]]
    attrs = {}
    for w in words[1:]:
        k, v = w.split("=", 1)
        attrs[k] = parse_value(k, v, variables)
    return var, op, attrs


# ---- namespaces -----------------------------------------------------------

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def unshare(flags):
    """unshare(2) (os.unshare is newer than Debian 12's python); for a new
    user namespace, maps the caller's uid and gid to root there."""
    import ctypes
    uid, gid = os.getuid(), os.getgid()
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(flags):
        e = ctypes.get_errno()
        raise OSError(e, f"unshare: {os.strerror(e)}")
    if flags & CLONE_NEWUSER:
        with open("/proc/self/setgroups", "w") as f:
            f.write("deny")
        with open("/proc/self/uid_map", "w") as f:
            f.write(f"0 {uid} 1")
        with open("/proc/self/gid_map", "w") as f:
            f.write(f"0 {gid} 1")


# ---- results --------------------------------------------------------------

class Tap:
    """Result lines in the harness's format: "ok - NAME", "not ok - NAME"
    (tools/tests/lib.sh), "# skip NAME"; details on lines starting "  "."""

    def __init__(self, prefix=""):
        self.prefix = prefix
        self.failed = 0

    def check(self, cond, name, detail=None):
        if cond:
            print(f"ok - {self.prefix}{name}", flush=True)
        else:
            self.failed += 1
            print(f"not ok - {self.prefix}{name}", flush=True)
            if detail:
                for line in str(detail).splitlines():
                    print(f"  {line}", flush=True)
        return cond

    def skip(self, name):
        print(f"# skip {self.prefix}{name}", flush=True)

    def note(self, text):
        print(f"  {text}", flush=True)


def errname(error):
    return errno.errorcode.get(error, str(error)) if error else "0"
