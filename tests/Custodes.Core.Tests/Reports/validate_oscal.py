#!/usr/bin/env python3
"""Validates OSCAL JSON documents against a NIST OSCAL JSON schema (draft-07).

Usage: validate_oscal.py <schema.json> <document.json>...
Prints one JSON line per document: {"file": ..., "errors": ["<json path>: <message>", ...]}.
NIST's patterns use \\p{L} / \\p{N}, which Python's re cannot compile, so `pattern` is checked with the
`regex` module (as the reference README explains); format checks are off, as in NIST's own validation.
"""
import json
import sys

import jsonschema
import regex
from jsonschema import Draft7Validator, validators
from jsonschema.exceptions import ValidationError


def pattern(validator, patrn, instance, schema):
    if validator.is_type(instance, "string") and not regex.search(patrn, instance):
        yield ValidationError(f"{instance!r} does not match {patrn!r}")


Validator = validators.extend(Draft7Validator, {"pattern": pattern})


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator = Validator(schema)
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
        errors = [f"{e.json_path}: {e.message[:300]}" for e in validator.iter_errors(document)]
        print(json.dumps({"file": path, "errors": errors}))


if __name__ == "__main__":
    main()
