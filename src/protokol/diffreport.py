"""Semantic changes described for people: a sentence per change (`describe`), and the diff as Markdown or JSON."""

from __future__ import annotations

from datetime import date

from .i18n import _
from .rudates import format_date
from .semdiff import Change, Context, FileDiff, diff_archives, diff_protocols, diff_texts, heading


def _labels() -> dict[str, str]:
    return {
        "kind": _("kind"), "status": _("status"), "organization": _("organization"), "number": _("number"),
        "date": _("date"), "time": _("time"), "place": _("place"), "venue": _("venue"), "format": _("format"),
        "link": _("link"), "title": _("title"),
        "chair": _("chair"), "secretary": _("secretary"), "present": _("present"), "invited": _("invited"),
        "absent": _("absent"),
        "heading": _("heading"), "speakers": _("speakers"), "heard": _("heard (СЛУШАЛИ)"), "spoke": _("spoke (ВЫСТУПИЛИ)"),
        "discussed": _("discussed (ОБСУДИЛИ)"), "decided_intro": _("lead-in of the decisions"), "votes": _("votes"),
        "text": _("text"), "deadline": _("deadline"), "due": _("due date"), "responsible": _("responsible"),
        "note": _("note"), "acts_on": _("acts on"),
        "control.status": _("status"), "control.date": _("date of execution"), "control.report": _("report"),
        "control.reason": _("reason of cancelling"), "control.controller": _("controller"),
        "control.extensions": _("extensions"), "control.closed": _("closed occurrences"),
        "control.occurrences": _("closed occurrences"),
        "control.history": _("earlier closings"),
        "sections": _("sections"), "signatures": _("signature lines"), "certification": _("certification"),
        "appendix": _("appendix"),
    }


def _statuses() -> dict[str, str]:
    return {"open": _("open"), "done": _("done"), "cancelled": _("cancelled"), "draft": _("draft"), "final": _("final"),
            "protocol": _("protocol"), "extract": _("extract")}


def show_value(value, limit: int = 100) -> str:
    """A value on one line for a person: dates as 20.05.2024, lists joined, long text cut with «…»."""
    if value is None or value == ():
        return "—"
    if isinstance(value, date):
        return format_date(value, "numeric")
    if isinstance(value, (tuple, list)):
        return "; ".join(show_value(v, limit) for v in value)
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def describe(change: Change, protocol_id: str) -> tuple[str, str]:
    """(sign, sentence) for one change: sign is "+" (added), "-" (removed) or "~" (changed)."""
    labels = _labels()
    words = _statuses()
    k, c = change.kind, change
    label = labels.get(c.field, c.field)
    decision = f"{protocol_id}/{c.subject}"
    if k == "protocol-added":
        return "+", _("new protocol: {heading}").format(heading=show_value(c.new))
    if k == "protocol-removed":
        return "-", _("protocol removed: {heading}").format(heading=show_value(c.old))
    if k == "header":
        if c.field in ("kind", "status"):
            return "~", f"{label}: {words.get(c.old, c.old)} → {words.get(c.new, c.new)}"
        return "~", f"{label}: {show_value(c.old)} → {show_value(c.new)}"
    if k == "participant-added":
        return "+", _("participant ({role}): {who}").format(role=label, who=show_value(c.new))
    if k == "participant-removed":
        return "-", _("participant ({role}): {who}").format(role=label, who=show_value(c.old))
    if k == "participant-changed":
        return "~", _("participant ({role}): {old} → {new}").format(role=label, old=show_value(c.old), new=show_value(c.new))
    if k == "agenda-added":
        return "+", _("agenda item {key}: {title}").format(key=c.subject, title=show_value(c.new))
    if k == "agenda-removed":
        return "-", _("agenda item {key}: {title}").format(key=c.subject, title=show_value(c.old))
    if k == "agenda-retitled":
        return "~", _("agenda item {key} retitled: «{old}» → «{new}»").format(key=c.subject, old=show_value(c.old),
                                                                             new=show_value(c.new))
    if k == "agenda-changed":
        return "~", _("agenda item {key}: {field} changed: {old} → {new}").format(
            key=c.subject, field=label, old=show_value(c.old, 60), new=show_value(c.new, 60))
    if k == "decision-added":
        shown = show_value(c.new_due) if c.new_due else ""
        due = _(" (due {day})").format(day=shown) if shown and shown not in str(c.new) else ""
        return "+", _("decision {line}{due}").format(line=_decision_line(c.new), due=due)
    if k == "decision-removed":
        return "-", _("decision {line}").format(line=_decision_line(c.old))
    if k == "decision-changed":
        return "~", _decision_change(c, decision, label, words)
    if k == "content-changed":
        return "~", _("{field} changed: {old} → {new}").format(field=label, old=show_value(c.old, 60), new=show_value(c.new, 60))
    if k == "signed-added":
        return "+", _("signed: {who}").format(who=c.new)
    if k == "signed-removed":
        return "-", _("signing record removed: {who}").format(who=c.old)
    if k == "signed-changed":
        return "~", _("signing record: {old} → {new}").format(old=c.old, new=c.new)
    if k == "amendment-added":
        return "+", _("amendment: {text}").format(text=c.new)
    return "~", f"{k} {c.subject} {c.field}".strip()


def _decision_change(c: Change, decision: str, label: str, words: dict[str, str]) -> str:
    if c.field == "deadline":
        return _("decision {id}: deadline {old} → {new}").format(
            id=decision, old=_deadline(c.old, c.old_due), new=_deadline(c.new, c.new_due))
    if c.field == "control.status":
        return _status_change(decision, c, words)
    if c.field == "control.history":
        added = (c.new or ())[len(c.old or ()):]
        if added and tuple(c.new or ())[:len(c.old or ())] == tuple(c.old or ()):
            return _("decision {id}: earlier closing kept: {closing}").format(
                id=decision, closing="; ".join(_closing_text(h, words) for h in added))
        return _("decision {id}: {field} {old} → {new}").format(
            id=decision, field=label, old="; ".join(_closing_text(h, words) for h in c.old or ()) or "—",
            new="; ".join(_closing_text(h, words) for h in c.new or ()) or "—")
    if c.field == "control.occurrences":
        old = tuple(c.old or ())
        added = [r for r in (c.new or ()) if r not in old]
        removed = [r for r in old if r not in (c.new or ())]
        if added and not removed:
            return _("decision {id}: {what}").format(id=decision, what="; ".join(map(_occurrence_text, added)))
        return _("decision {id}: {field} {old} → {new}").format(
            id=decision, field=label, old="; ".join(map(_occurrence_text, old)) or "—",
            new="; ".join(map(_occurrence_text, c.new or ())) or "—")
    if c.field == "control.extensions":
        added = [e for e in (c.new or ()) if e not in (c.old or ())]
        if added and len(c.new or ()) > len(c.old or ()):
            return _("decision {id}: deadline extended to {to}").format(id=decision, to=show_value(tuple(added)))
    if c.field == "responsible":
        return _("decision {id}: {field} {old} → {new}").format(
            id=decision, field=label, old=_executors(c.old), new=_executors(c.new))
    return _("decision {id}: {field} {old} → {new}").format(
        id=decision, field=label, old=_quoted(c.old), new=_quoted(c.new))


def _status_change(decision: str, c: Change, words: dict[str, str]) -> str:
    """A change of status and its day: only the days that say something are shown (the day of a new done or
    cancelled status, the day of a reopening, a corrected day)."""
    old, new = words.get(c.old, c.old), words.get(c.new, c.new)
    if c.old != c.new:
        if c.new == "open":
            text = _("decision {id}: status {old} → {new}").format(id=decision, old=old, new=new)
            if c.new_on is not None and c.new_on != c.old_on:
                text += " " + _("(reopened {day})").format(day=show_value(c.new_on))
            return text
        if c.new_on is not None:
            return _("decision {id}: status {old} → {new} ({day})").format(id=decision, old=old, new=new,
                                                                           day=show_value(c.new_on))
        return _("decision {id}: status {old} → {new}").format(id=decision, old=old, new=new)
    if c.new == "open" and c.new_on is not None:  # reopened: closed before by a later protocol, or reopened again
        return _("decision {id}: status → {new} (reopened {day})").format(id=decision, new=new, day=show_value(c.new_on))
    label = {"done": _("date of execution"), "cancelled": _("date of cancelling")}.get(c.new, _("date of reopening"))
    return _("decision {id}: {field} {old} → {new}").format(id=decision, field=label, old=show_value(c.old_on),
                                                           new=show_value(c.new_on))


def _occurrence_text(record) -> str:
    """A closed occurrence, (occurrence, date, report): «occurrence due 31.03.2024 done 02.04.2024, report: …»."""
    occurrence, day, report = record
    text = _("occurrence due {due} done").format(due=show_value(occurrence)) + (f" {show_value(day)}" if day else "")
    if report:
        text += ", " + _("report: {text}").format(text=show_value(report))
    return text


def _closing_text(h, words: dict[str, str]) -> str:
    """An earlier closing, (status, date, reason, report, reopened, occurrence): «cancelled 20.05.2024 (reason),
    reopened …»; a closed occurrence of a recurring decision: «done for the occurrence due 10.05.2024 …»."""
    status, day, reason, report, reopened, occurrence = (list(h) + [None] * 6)[:6]
    text = words.get(status, status)
    if occurrence:
        text += " " + _("for the occurrence due {due}").format(due=show_value(occurrence))
    text += f" {show_value(day)}" if day else ""
    if reason:
        text += f" ({show_value(reason)})"
    if report:
        text += ", " + _("report: {text}").format(text=show_value(report))
    if reopened:
        text += ", " + _("reopened {day}").format(day=show_value(reopened))
    return text


def _decision_line(line: str) -> str:
    """A decision line with its text cut short and its Срок and Отв. kept whole."""
    text, *facts = str(line).split(" | ")
    return " | ".join([show_value(text)] + facts)


def _deadline(text: str | None, due: date | None) -> str:
    if text is None:
        return _("none") if due is None else format_date(due, "numeric")
    if due is None or format_date(due, "numeric") in text:
        return f"«{text}»"
    return f"«{text}» ({format_date(due, 'numeric')})"


def _executors(value) -> str:
    if value is None:
        return _("(inherited)")
    return ", ".join(value) if value else _("(nobody)")


def _quoted(value) -> str:
    if isinstance(value, str):
        return f"«{show_value(value)}»"
    return show_value(value)


def file_title(f: FileDiff) -> str:
    path = f.path or f.old_path or ""
    if f.status == "renamed":
        return _("{old} → {new}").format(old=f.old_path, new=f.path)
    return path


def status_word(status: str) -> str:
    return {"added": _("added"), "removed": _("removed"), "changed": _("changed"), "renamed": _("renamed")}[status]


def to_markdown(files: list[FileDiff], title: str = "") -> str:
    """A report for a pull-request comment: one section per protocol, one bullet per change."""
    out = [f"### {_md(title or _('Changes in protocols'))}", ""]
    if not files:
        out.append(_("No protocol changed."))
        return "\n".join(out) + "\n"
    counts = {}
    for f in files:
        counts[f.status] = counts.get(f.status, 0) + 1
    out.append(", ".join(f"{status_word(s)}: {n}" for s, n in counts.items()))
    out.append("")
    signs = {"+": "➕", "-": "➖", "~": "✏️"}
    for f in files:
        pid = f.id or f.old_id
        out.append(f"#### `{f.path or f.old_path}` — {_md(status_word(f.status))}" +
                   (f" ({_('from')} `{f.old_path}`)" if f.status == "renamed" else ""))
        if f.heading:
            out.append(f"_{_md(f.heading)}_")
        out.append("")
        for problem in f.problems:
            out.append(f"- ⚠️ {_md(_('cannot be read: {problem}').format(problem=problem))}")
        for change in f.changes:
            sign, text = describe(change, pid)
            out.append(f"- {signs[sign]} {_md(text)}")
        if not f.changes and not f.problems:
            out.append(f"- {_md(_('no change in meaning (layout or comments only)'))}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _md(text: str) -> str:
    """Text safe inside Markdown: characters that would format or link are escaped."""
    out = []
    for ch in text:
        if ch in "\\`*_[]<>|#~":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def to_json(files: list[FileDiff], old_rev: str | None, new_rev: str | None) -> dict:
    return {"from": old_rev, "to": new_rev, "files": [f.as_dict() for f in files]}


__all__ = ["Change", "Context", "FileDiff", "describe", "diff_archives", "diff_protocols", "diff_texts", "heading",
           "show_value", "to_json", "to_markdown"]
