"""Signing: the canonical content of a protocol and its SHA-256. The text edit that writes `signed:` into a file is
editing.write_signing, with every other edit of a protocol's text.

What is signed is the meeting record as it stands on paper. Kept out of it, because they change after the meeting
without changing what was signed:
- every decision's `control` (status, report, extensions: the marks of execution);
- every decision's `due` (the date a reader gives a Срок phrase no rule understands: the phrase itself is signed);
- the top-level `signed` and `amendments` (the records of signing themselves).
Layout, comments, quoting and the order of keys do not count either: the content is taken from the model.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from . import model as m

NOT_SIGNED_TOP = ("signed", "amendments")
NOT_SIGNED_DECISION = ("control", "due")


def canonical_data(p: m.Protocol) -> dict:
    """The signed part of a protocol as plain data (dicts, lists, text, dates)."""
    from .dump import to_data

    data = to_data(p)
    for key in NOT_SIGNED_TOP:
        data.pop(key, None)

    def strip(decisions):
        for d in decisions or ():
            for key in NOT_SIGNED_DECISION:
                d.pop(key, None)
            strip(d.get("items"))

    for item in data.get("agenda") or ():
        strip(item.get("decided"))
    return data


def canonical_json(p: m.Protocol) -> str:
    def iso(value):
        if isinstance(value, date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    return json.dumps(canonical_data(p), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=iso)


def content_hash(p: m.Protocol) -> str:
    return hashlib.sha256(canonical_json(p).encode("utf-8")).hexdigest()


def signature_matches(p: m.Protocol) -> bool | None:
    """True when a signed protocol still has the content it was signed with; None when it is not signed."""
    if p.signed is None:
        return None
    return content_hash(p) == p.signed.sha256
