"""Control of execution: the new control marks of a decision for `done`, `extend`, `cancel` and `reopen`, validated.

Pure: a decision as status.evaluate sees it comes in, with the day of the action; the new model.Control comes out,
or the reason why the action is refused (a sentence and a hint, for the command to show). Nothing is written here:
editing.py puts the marks into the file.

What each action writes (docs/due.md):
- done: status done, date, report (the note). For a recurring decision, an occurrence is closed instead, with a
  record of its own in `occurrences` (the occurrence, the day of the report, the report), and the decision stays
  open for the next one: the oldest open occurrence, when it has begun by the day of the report (recurrence.py:
  the day after the previous one fell due; the first one at the meeting), or the one `--occurrence` names; an
  occurrence that has not begun is never closed.
- extend: an extension {to, reason, on} appended to the history; the last one is the due date.
- cancel: status cancelled (снято с контроля), date, reason.
- reopen: status open and the day of reopening in `date` (so that it outweighs an earlier closing reference);
  when the decision's own marks had closed it, what they said (status, date, reason, report) moves into `history`
  with the day of reopening, so that nothing of the earlier closing is lost. For a recurring decision that is open,
  the last closed occurrence (or the one `--occurrence` names) is opened again (an undo of `done`): it leaves
  `occurrences` (or `closed`) and goes into `history` the same way, as a closing done with its `occurrence`, the day
  of its report as `date` (none when the older form kept none) and its report.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from . import model as m
from .i18n import _, ngettext
from .index import control_of
from .rudates import shown_date
from .status import Decision


@dataclass(frozen=True)
class Outcome:
    control: m.Control | None  # the decision's new control marks; None when refused
    message: str = ""  # what was done, for the user
    refused: str = ""  # why not
    hint: str = ""
    usage: bool = False  # refused for the call alone (a day in the future, no reason), not for the decision's state


def _refuse(message: str, hint: str = "", usage: bool = False) -> Outcome:
    return Outcome(None, refused=message, hint=hint, usage=usage)


def _current(d: Decision) -> m.Control:
    own = d.entry.marks
    return control_of(own) if own is not None else m.Control()


def _closed_by(d: Decision) -> str:
    if d.status_by:
        return _(" by decision {id}").format(id=d.status_by)
    return ""


def _common(d: Decision, on: date, today: date) -> Outcome | None:
    if on < d.meeting.date:
        return _refuse(_("{day} is before the meeting of {meeting}: a decision cannot be acted on before it was taken.").format(
            day=shown_date(on), meeting=shown_date(d.meeting.date)), _("Check the year of --date."))
    if on > today:
        return _refuse(_("{day} is in the future.").format(day=shown_date(on)),
                       _("Give the day it happened with --date, or leave --date out for today."), usage=True)
    return None


def done(d: Decision, on: date, today: date, note: str | None = None, occurrence: date | None = None) -> Outcome:
    refused = _common(d, on, today)
    if refused:
        return refused
    if d.status == "done":
        return _refuse(_("{id} is already done ({day}{by}).").format(id=d.id, day=_day(d.status_date), by=_closed_by(d)),
                       _("To record it again, reopen it first: protokol reopen {id}").format(id=d.id))
    if d.status == "cancelled":
        return _refuse(_("{id} was cancelled ({day}{by}).").format(id=d.id, day=_day(d.status_date), by=_closed_by(d)),
                       _("Reopen it first if it was executed after all: protokol reopen {id}").format(id=d.id))
    if d.entry.kind == "recurring" and d.entry.rule and d.due is not None:
        return _done_occurrence(d, on, note, occurrence)
    if occurrence is not None:
        return _not_recurring(d)
    control = _current(d)
    control = replace(control, status="done", date=on, report=note if note is not None else control.report, reason=None)
    return Outcome(control, _("{id} is done ({day}).").format(id=d.id, day=shown_date(on)))


def _not_recurring(d: Decision) -> Outcome:
    return _refuse(_("{id} does not recur: --occurrence is for recurring decisions.").format(id=d.id),
                   _("Leave --occurrence out."), usage=True)


def _done_occurrence(d: Decision, on: date, note: str | None, occurrence: date | None) -> Outcome:
    """Close one occurrence of a recurring decision with a record of its own."""
    from .recurrence import begins, next_occurrence

    rule, meeting = d.entry.rule, d.meeting.date
    if occurrence is not None:
        refused = _not_an_occurrence(d, occurrence)
        if refused:
            return refused
        target = occurrence
    else:  # the oldest open one; of a standing order nobody tracks (recurring_untracked: never_overdue), the current
        target = d.due if d.tracked_from is not None else next_occurrence(rule, on)
    if target in d.closed:
        reported = next((r[1] for r in d.records if r[0] == target), None)
        return _refuse(_("{id}: the occurrence due {due} is already closed{reported}.").format(
            id=d.id, due=shown_date(target),
            reported=_(" (reported {day})").format(day=shown_date(reported)) if reported else ""),
            _("To record it again, reopen it first: protokol reopen {id} --occurrence {due}").format(
                id=d.id, due=shown_date(target)))
    begin = begins(rule, meeting, target)
    if begin > on:
        return _refuse(_("{id}: the occurrence due {due} begins on {begin}; on {day} there is no open occurrence to "
                         "close.").format(id=d.id, due=shown_date(target), begin=shown_date(begin), day=shown_date(on)),
                       _("An occurrence begins the day after the previous one falls due. Check --date, or name the "
                         "occurrence with --occurrence."))
    control = _current(d)
    record = m.OccurrenceReport(occurrence=target, date=on, report=note)
    control = replace(control, occurrences=tuple(sorted((*control.occurrences, record), key=lambda r: r.occurrence)))
    closed = {*d.closed, target}
    nxt = next_occurrence(rule, target)
    while nxt in closed:
        nxt = next_occurrence(rule, nxt + timedelta(days=1))
    first_open = d.due if d.due not in closed else nxt
    days = (on - target).days
    late = ngettext(", {days} day after it fell due", ", {days} days after it fell due", days).format(days=days) \
        if days > 0 else ""
    return Outcome(control, _("{id}: the occurrence due {due} is closed (reported {day}{late}); the next open one is due "
                              "{next}.").format(id=d.id, due=shown_date(target), day=shown_date(on), late=late,
                                               next=shown_date(first_open if d.tracked_from is not None else nxt)))


def _not_an_occurrence(d: Decision, day: date) -> Outcome | None:
    from .recurrence import is_occurrence, occurrences_until

    if is_occurrence(d.entry.rule, d.meeting.date, day):
        return None
    near = occurrences_until(d.entry.rule, d.meeting.date, day)[-2:]
    return _refuse(_("{id}: «{deadline}» has no occurrence due {day}.").format(
        id=d.id, deadline=d.entry.deadline, day=shown_date(day)),
        _("The nearest: {days}.").format(days=", ".join(shown_date(x) for x in near)), usage=True)


def extend(d: Decision, to: date, reason: str, on: date, today: date) -> Outcome:
    refused = _common(d, on, today)
    if refused:
        return refused
    if not reason.strip():
        return _refuse(_("An extension needs a reason."), _("Say why, e.g. --reason \"по ходатайству исполнителя\"."),
                       usage=True)
    if to < d.meeting.date:
        return _refuse(_("{to} is before the meeting of {meeting}.").format(to=shown_date(to), meeting=shown_date(d.meeting.date)),
                       _("The new deadline must come after the decision was taken: check the year."))
    if to < on:
        return _refuse(_("{to} has already passed on {day}.").format(to=shown_date(to), day=shown_date(on)),
                       _("Extend to a day after the day of the extension."), usage=True)
    if d.status != "open":
        return _refuse(_("{id} is {status}: there is nothing to extend.").format(id=d.id, status=_status(d.status)),
                       _("Reopen it first: protokol reopen {id}").format(id=d.id))
    if d.entry.kind == "recurring":
        return _refuse(_("{id} is recurring («{deadline}»): its occurrences follow the rule and cannot be extended.").format(
            id=d.id, deadline=d.entry.deadline),
            _("Close the current occurrence with `protokol done`, or change the deadline in the protocol."))
    if d.due is not None and to == d.due:
        return _refuse(_("{id} is already due on {to}.").format(id=d.id, to=shown_date(to)))
    control = _current(d)
    control = replace(control, extensions=(*control.extensions, m.Extension(to=to, reason=reason.strip(), on=on)))
    was = shown_date(d.due) if d.due else _("no date")
    return Outcome(control, _("{id}: deadline moved from {was} to {to}.").format(id=d.id, was=was, to=shown_date(to)))


def cancel(d: Decision, reason: str, on: date, today: date) -> Outcome:
    refused = _common(d, on, today)
    if refused:
        return refused
    if not reason.strip():
        return _refuse(_("Cancelling needs a reason."), _("Say why, e.g. --reason \"утратило актуальность\"."),
                       usage=True)
    if d.status == "cancelled":
        return _refuse(_("{id} is already cancelled ({day}{by}).").format(id=d.id, day=_day(d.status_date), by=_closed_by(d)))
    if d.status == "done":
        return _refuse(_("{id} is done ({day}{by}): a done decision is not cancelled.").format(
            id=d.id, day=_day(d.status_date), by=_closed_by(d)), _("Reopen it first: protokol reopen {id}").format(id=d.id))
    control = replace(_current(d), status="cancelled", date=on, reason=reason.strip())
    return Outcome(control, _("{id} is cancelled (снято с контроля, {day}).").format(id=d.id, day=shown_date(on)))


def reopen(d: Decision, on: date, today: date, occurrence: date | None = None) -> Outcome:
    refused = _common(d, on, today)
    if refused:
        return refused
    control = _current(d)
    if d.status == "open":
        if d.entry.kind == "recurring":
            return _reopen_occurrence(d, control, on, occurrence)
        return _refuse(_("{id} is open already.").format(id=d.id))
    if occurrence is not None:
        return _refuse(_("{id} is {status} as a whole: --occurrence reopens one occurrence of an open recurring "
                         "decision.").format(id=d.id, status=_status(d.status)), _("Leave --occurrence out."), usage=True)
    if d.status_date is not None and on < d.status_date:
        return _refuse(_("{id} was closed on {closed}{by}; reopening it on {day} would change nothing.").format(
            id=d.id, closed=shown_date(d.status_date), by=_closed_by(d), day=shown_date(on)),
            _("Reopen it on or after {closed}.").format(closed=shown_date(d.status_date)))
    if control.status != "open":  # its own marks closed it: keep what they said in the history, reopened on `on`
        closing = m.Closing(status=control.status, date=control.date, reason=control.reason, report=control.report,
                            reopened=on)
        control = replace(control, report=None, history=(*control.history, closing))
    control = replace(control, status="open", date=on, reason=None)
    return Outcome(control, _("{id} is open again.").format(id=d.id))


def _reopen_occurrence(d: Decision, control: m.Control, on: date, occurrence: date | None) -> Outcome:
    """An open recurring decision: its last closed occurrence (or the one named) is opened again (an undo of `done`).
    Its record goes into `history` as a closing of its own: status done, the `occurrence`, the day of its report as
    `date` (the older `closed:` form kept none: then no date, never the occurrence's own, which may lie ahead), the
    report, `reopened` the day of reopening."""
    if not d.closed:
        return _refuse(_("{id} recurs («{deadline}») and none of its occurrences is closed: there is nothing to reopen.").format(
            id=d.id, deadline=d.entry.deadline),
            _("`protokol done {id}` closes its current occurrence; `protokol cancel {id}` takes it off control.").format(id=d.id))
    target = max(d.closed) if occurrence is None else occurrence
    if target not in d.closed:
        return _refuse(_("{id}: the occurrence due {due} is not closed.").format(id=d.id, due=shown_date(target)),
                       _("Its closed occurrences: {days}.").format(days=", ".join(shown_date(x) for x in d.closed)))
    if d.entry.marks is None or target not in _closed_of(d.entry.marks):
        e = d.entry  # closed by the marks of a lead line, for all its items
        # the lead lines that have marks, when each one has them; all of them otherwise (the marks do not say whose)
        leads = ([k for k, mk in zip(e.ancestors, e.inherited, strict=True) if target in _closed_of(mk)]
                 if len(e.inherited) == len(e.ancestors) else list(e.ancestors))
        return _refuse(_("{id}: its occurrence due {due} was closed for all the items of {leads}.").format(
            id=d.id, due=shown_date(target), leads=", ".join(f"{e.protocol}/{k}" for k in leads)),
            _("Reopen it there: protokol reopen {lead}").format(lead=f"{e.protocol}/{leads[0]}"))
    record = next((r for r in control.occurrences if r.occurrence == target), None)
    if record is not None:
        closing = m.Closing(status="done", date=record.date, report=record.report, reopened=on, occurrence=target)
        control = replace(control, occurrences=tuple(r for r in control.occurrences if r is not record),
                          history=(*control.history, closing))
    else:  # the older form: one `report` for all, that of the last closed occurrence
        last = target == max(control.closed)
        closing = m.Closing(status="done", report=control.report if last else None, reopened=on, occurrence=target)
        control = replace(control, closed=tuple(x for x in control.closed if x != target),
                          report=None if last else control.report, history=(*control.history, closing))
    return Outcome(control, _("{id}: the occurrence due {due} is open again.").format(id=d.id, due=shown_date(target)))


def _closed_of(marks) -> set[date]:
    return {*marks.closed, *(r[0] for r in marks.occurrences)}


def _day(day: date | None) -> str:
    return shown_date(day) if day else _("no date")


def _status(status: str) -> str:
    return {"open": _("open"), "done": _("done"), "cancelled": _("cancelled")}.get(status, status)
