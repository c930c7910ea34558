#!/usr/bin/python3
"""Verifies what Custodes wrote with Python's `cryptography` (OpenSSL), an implementation independent of ours,
and writes keys and a signature for Custodes to read back.

Usage: dssecheck.py <dir>
  reads  <dir>/envelope.json, signing.pub, signing.key, signing-encrypted.key (passphrase in <dir>/passphrase)
  writes <dir>/python.key, python-encrypted.key, python.pub, python-envelope.json
Prints {"checks": {"<name>": "ok" | "<error>"}} and exits 0 when every check is "ok".
"""
import base64
import hashlib
import json
import sys
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def pae(payload_type: str, body: bytes) -> bytes:
    t = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(body), body)


def raw(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def main(folder: Path) -> int:
    checks = {}

    def check(name, fn):
        try:
            fn()
            checks[name] = "ok"
        except Exception as e:  # each failure is reported by name, never hidden
            checks[name] = f"{type(e).__name__}: {e}"

    public = serialization.load_pem_public_key((folder / "signing.pub").read_bytes())
    envelope = json.loads((folder / "envelope.json").read_text("utf-8"))
    payload = base64.b64decode(envelope["payload"])

    def is_ed25519():
        assert isinstance(public, Ed25519PublicKey), type(public).__name__

    def signature_verifies():
        public.verify(base64.b64decode(envelope["signatures"][0]["sig"]), pae(envelope["payloadType"], payload))

    def keyid_is_sha256_of_spki():
        der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        assert envelope["signatures"][0]["keyid"] == hashlib.sha256(der).hexdigest()

    def changed_payload_fails():
        changed = bytearray(payload)
        changed[-2] ^= 1
        try:
            public.verify(base64.b64decode(envelope["signatures"][0]["sig"]), pae(envelope["payloadType"], bytes(changed)))
        except InvalidSignature:
            return
        raise AssertionError("a changed payload verified")

    def private_key_loads():
        key = serialization.load_pem_private_key((folder / "signing.key").read_bytes(), password=None)
        assert isinstance(key, Ed25519PrivateKey) and raw(key.public_key()) == raw(public)

    def encrypted_key_loads():
        passphrase = (folder / "passphrase").read_bytes()
        key = serialization.load_pem_private_key((folder / "signing-encrypted.key").read_bytes(), password=passphrase)
        assert isinstance(key, Ed25519PrivateKey) and raw(key.public_key()) == raw(public)

    def encrypted_key_refuses_wrong_passphrase():
        try:
            serialization.load_pem_private_key((folder / "signing-encrypted.key").read_bytes(), password=b"wrong")
        except ValueError:
            return
        raise AssertionError("a wrong passphrase was accepted")

    def write_python_keys():
        key = Ed25519PrivateKey.generate()
        passphrase = (folder / "passphrase").read_bytes()
        (folder / "python.key").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        (folder / "python-encrypted.key").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(passphrase)))
        (folder / "python.pub").write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
        body = b'{"_type":"https://in-toto.io/Statement/v1"}'
        der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        signed = {
            "payloadType": "application/vnd.in-toto+json",
            "payload": base64.b64encode(body).decode(),
            "signatures": [{"keyid": hashlib.sha256(der).hexdigest(), "sig": base64.b64encode(key.sign(pae("application/vnd.in-toto+json", body))).decode()}],
        }
        (folder / "python-envelope.json").write_text(json.dumps(signed), "utf-8")

    check("public_key_is_ed25519", is_ed25519)
    check("signature_verifies", signature_verifies)
    check("keyid_is_sha256_of_spki", keyid_is_sha256_of_spki)
    check("changed_payload_fails", changed_payload_fails)
    check("private_key_loads", private_key_loads)
    check("encrypted_key_loads", encrypted_key_loads)
    check("encrypted_key_refuses_wrong_passphrase", encrypted_key_refuses_wrong_passphrase)
    check("write_python_keys", write_python_keys)
    print(json.dumps({"checks": checks}, indent=2))
    return 0 if all(v == "ok" for v in checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
