#!/usr/bin/env python3
"""Verifies a Custodes webhook as a receiver would, with nothing but the standard library (docs/alerting.md).

usage: verify_webhook.py SECRET SIGNATURE_HEADER BODY_FILE [NOW_UNIX_SECONDS]
exit 0: valid; 1: invalid or stale.
"""
import hashlib
import hmac
import sys
import time

TOLERANCE = 300  # seconds


def verify(secret: str, header: str, body: bytes, now: int) -> bool:
    pairs = [[s.strip() for s in p.split("=", 1)] for p in header.split(",") if "=" in p]
    timestamps = [v for k, v in pairs if k == "t"]
    if len(timestamps) != 1 or not timestamps[0].isdigit():
        return False
    t = int(timestamps[0])
    if abs(now - t) > TOLERANCE:
        return False
    expected = hmac.new(secret.encode(), str(t).encode() + b"." + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, v) for k, v in pairs if k == "v1")


if __name__ == "__main__":
    secret, header, path = sys.argv[1], sys.argv[2], sys.argv[3]
    now = int(sys.argv[4]) if len(sys.argv) > 4 else int(time.time())
    with open(path, "rb") as f:
        body = f.read()
    ok = verify(secret, header, body, now)
    print("valid" if ok else "invalid")
    sys.exit(0 if ok else 1)
