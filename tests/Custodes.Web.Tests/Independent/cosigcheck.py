"""cosigcheck verifies C2SP tlog-cosignature/v1 (Ed25519) cosignatures with Python's `cryptography`, written from the spec
(c2sp.org/tlog-cosignature), sharing no code with Custodes.

Usage: cosigcheck.py <case.json>, where case.json is {"checkpoint": "<signed note>", "witnesses": ["<vkey>", ...]}.
Prints {"checks": {"<name>": "ok" | "<reason>"}} and exits 0 only when every check is "ok".
"""
import base64
import hashlib
import json
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def parse_vkey(vkey):
    name, key_id_hex, key_b64 = vkey.strip().split("+", 2)
    raw = base64.b64decode(key_b64, validate=True)
    if raw[0] != 0x04 or len(raw) != 33:
        raise ValueError("not an Ed25519 cosignature/v1 vkey (type 0x04, 32 bytes)")
    key_id = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if key_id.hex() != key_id_hex:
        raise ValueError("key id is not SHA-256(name || \\n || 0x04 || key)[:4]")
    return name, key_id, Ed25519PublicKey.from_public_bytes(raw[1:])


def main():
    case = json.load(open(sys.argv[1]))
    note = case["checkpoint"]
    body, _, signatures = note.rpartition("\n\n")
    body += "\n"
    lines = [l for l in signatures.split("\n") if l]
    checks = {}
    for vkey in case["witnesses"]:
        try:
            name, key_id, key = parse_vkey(vkey)
            found = None
            for line in lines:
                prefix = "\u2014 " + name + " "
                if not line.startswith(prefix):
                    continue
                blob = base64.b64decode(line[len(prefix):], validate=True)
                if blob[:4] != key_id or len(blob) != 4 + 8 + 64:
                    continue
                (timestamp,) = struct.unpack(">Q", blob[4:12])
                message = ("cosignature/v1\ntime %d\n" % timestamp).encode() + body.encode()
                key.verify(blob[12:], message)
                found = timestamp
            checks[name] = "ok" if found else "no cosignature by this witness"
        except (ValueError, InvalidSignature) as e:
            checks[vkey] = "invalid: %r" % e
    print(json.dumps({"checks": checks}))
    sys.exit(0 if checks and all(v == "ok" for v in checks.values()) else 1)


main()
