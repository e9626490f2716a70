"""A DNS server for the tests (UDP): answers from a JSON zone file given on
the command line, then says `ready` and serves until killed.

    dns_server.py PORT ZONE.json

The zone maps a lower-case name (no final dot) to its records:
{"fabrikam.test": {"MX": [[10, "mx1.fabrikam.test"]]}, "mx1.fabrikam.test":
{"A": ["127.0.0.1"]}}. A name absent from the zone is NXDOMAIN; a name
present without the type asked is NOERROR with no answer. An MX of "" is
RFC 7505's null MX (the root). Each question asked is appended to
ZONE.json.log ("TYPE name"), for the test to read."""

import json
import socket
import struct
import sys

TYPES = {1: "A", 28: "AAAA", 15: "MX"}


def read_name(packet, at):
    labels = []
    while True:
        n = packet[at]
        at += 1
        if n == 0:
            return ".".join(labels), at
        labels.append(packet[at:at + n].decode("ascii"))
        at += n


def name_bytes(name):
    out = b""
    for label in [l for l in name.split(".") if l]:
        out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\0"


def answer(packet, zone, log):
    (ident, flags, qd, _, _, _) = struct.unpack(">HHHHHH", packet[:12])
    name, at = read_name(packet, 12)
    qtype, qclass = struct.unpack(">HH", packet[at:at + 4])
    question = packet[12:at + 4]
    kind = TYPES.get(qtype, str(qtype))
    with open(log, "a") as f:
        f.write(f"{kind} {name.lower()}\n")
    records = zone.get(name.lower().rstrip("."))
    rcode = 3 if records is None else 0
    answers = b""
    count = 0
    for value in (records or {}).get(kind, []):
        if kind == "A":
            data = socket.inet_aton(value)
        elif kind == "AAAA":
            data = socket.inet_pton(socket.AF_INET6, value)
        else:
            data = struct.pack(">H", value[0]) + name_bytes(value[1])
        answers += b"\xc0\x0c" + struct.pack(">HHIH", qtype, 1, 60, len(data)) + data
        count += 1
    # QR, the opcode and RD of the query, RA; AA; the rcode.
    flags = 0x8000 | (flags & 0x7900) | 0x0400 | 0x0080 | rcode
    return struct.pack(">HHHHHH", ident, flags, 1, count, 0, 0) + question + answers


def main():
    port, zone_file = int(sys.argv[1]), sys.argv[2]
    with open(zone_file) as f:
        zone = json.load(f)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", port))
    print("ready", flush=True)
    while True:
        packet, peer = sock.recvfrom(4096)
        try:
            sock.sendto(answer(packet, zone, zone_file + ".log"), peer)
        except Exception as e:  # a query this server does not read: no answer
            print(f"dns_server: {e}", file=sys.stderr, flush=True)


main()
