"""Signing: the canonical content of a protocol and its SHA-256. The text edit that writes `signed:` into a file is
signedit.write_signing, cut at the node extents every edit of a protocol uses (editing.py).

What is signed is the meeting record as it stands on paper. Kept out of it, because they change after the meeting
without changing what was signed:
- every decision's `control` (status, report, extensions: the marks of execution);
- every decision's `due` (the date a reader gives a Срок phrase no rule understands: the phrase itself is signed;
  checks.py reports a `due` that moves a deadline the phrase gives).
Layout, comments, quoting and the order of keys do not count either: the content is taken from the model.

Two rules (`signed.hash`), so that records signed before keep verifying by the rule they were made with:
- v1 (no `hash:` in the record): the content only. Who signed, when, and the amendments could be edited unseen.
- v2 (what `sign` writes): the content, and the record itself: `signed.by`, `signed.date`, the rule's name, and the
  whole `amendments` chain (each with the signature it replaced). Only `sha256` is left out, being the result.
Deleting `hash: v2` does not pass for v1: the stored digest is then compared with the content-only hash, which
differs. What any hash here proves, and what it cannot, is in docs/security.md.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date

from . import model as m

HASH_RULES = ("v1", "v2")
CURRENT_RULE = "v2"
NOT_SIGNED_TOP = ("signed", "amendments")
NOT_SIGNED_DECISION = ("control", "due")


def canonical_data(p: m.Protocol, rule: str = "v1") -> dict:
    """The signed part of a protocol as plain data (dicts, lists, text, dates), by hash rule `rule`."""
    from .dump import to_data

    data = to_data(p)
    record = {key: data.pop(key, None) for key in NOT_SIGNED_TOP}

    def strip(decisions):
        for d in decisions or ():
            for key in NOT_SIGNED_DECISION:
                d.pop(key, None)
            strip(d.get("items"))

    for item in data.get("agenda") or ():
        strip(item.get("decided"))
    if rule == "v2":
        signed = dict(record["signed"] or {})
        signed.pop("sha256", None)
        signed["hash"] = "v2"
        data["signed"], data["amendments"] = signed, record["amendments"] or []
    return data


def canonical_json(p: m.Protocol, rule: str = "v1") -> str:
    def iso(value):
        if isinstance(value, date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    return json.dumps(canonical_data(p, rule), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=iso)


def content_hash(p: m.Protocol, rule: str = "v1") -> str:
    """The hash of `p` by `rule`: v1 its content; v2 its content with its `signed` record (who, when) and amendments."""
    return hashlib.sha256(canonical_json(p, rule).encode("utf-8")).hexdigest()


def record_hash(p: m.Protocol) -> str:
    """The hash a signed protocol's record should hold, by the rule the record names."""
    return content_hash(p, p.signed.hash if p.signed is not None else CURRENT_RULE)


def new_signing(p: m.Protocol, by: str, on: date, amendment: m.Amendment | None = None) -> m.Signing:
    """The record `sign` writes: by the current rule, over the content, who, when and the amendments after this one."""
    amendments = p.amendments + ((amendment,) if amendment is not None else ())
    unsealed = m.Signing(by=by, date=on, sha256="", hash=CURRENT_RULE)
    return replace(unsealed, sha256=content_hash(replace(p, signed=unsealed, amendments=amendments), CURRENT_RULE))


def signature_matches(p: m.Protocol) -> bool | None:
    """True when a signed protocol still has the content (and, by v2, the record) it was signed with; None when it is
    not signed."""
    if p.signed is None:
        return None
    return record_hash(p) == p.signed.sha256
