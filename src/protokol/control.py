"""Control of execution: the new control marks of a decision for `done`, `extend`, `cancel` and `reopen`, validated.

Pure: a decision as status.evaluate sees it comes in, with the day of the action; the new model.Control comes out,
or the reason why the action is refused (a sentence and a hint, for the command to show). Nothing is written here:
editing.py puts the marks into the file.

What each action writes (docs/due.md):
- done: status done, date, report (the note). For a recurring decision, the current occurrence is added to
  `closed` instead and the decision stays open for the next one.
- extend: an extension {to, reason, on} appended to the history; the last one is the due date.
- cancel: status cancelled (снято с контроля), date, reason.
- reopen: status open and the day of reopening in `date` (so that it outweighs an earlier closing reference);
  when the decision's own marks had closed it, what they said (status, date, reason, report) moves into `history`
  with the day of reopening, so that nothing of the earlier closing is lost. For a recurring decision that is open,
  the last closed occurrence is opened again (an undo of `done`): it leaves `closed` and goes into `history` the
  same way, as a closing done with the occurrence as its `date`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from . import model as m
from .i18n import _
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


def done(d: Decision, on: date, today: date, note: str | None = None) -> Outcome:
    refused = _common(d, on, today)
    if refused:
        return refused
    if d.status == "done":
        return _refuse(_("{id} is already done ({day}{by}).").format(id=d.id, day=_day(d.status_date), by=_closed_by(d)),
                       _("To record it again, reopen it first: protokol reopen {id}").format(id=d.id))
    if d.status == "cancelled":
        return _refuse(_("{id} was cancelled ({day}{by}).").format(id=d.id, day=_day(d.status_date), by=_closed_by(d)),
                       _("Reopen it first if it was executed after all: protokol reopen {id}").format(id=d.id))
    control = _current(d)
    if d.entry.kind == "recurring" and d.due is not None:
        occurrence = d.due
        control = replace(control, closed=tuple(sorted({*control.closed, occurrence})),
                          report=note if note is not None else control.report)
        return Outcome(control, _("{id}: the occurrence due {due} is closed; the next one follows the rule «{deadline}».").format(
            id=d.id, due=shown_date(occurrence), deadline=d.entry.deadline))
    control = replace(control, status="done", date=on, report=note if note is not None else control.report, reason=None)
    return Outcome(control, _("{id} is done ({day}).").format(id=d.id, day=shown_date(on)))


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


def reopen(d: Decision, on: date, today: date) -> Outcome:
    refused = _common(d, on, today)
    if refused:
        return refused
    control = _current(d)
    if d.status == "open":
        if d.entry.kind == "recurring":
            return _reopen_occurrence(d, control, on)
        return _refuse(_("{id} is open already.").format(id=d.id))
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


def _reopen_occurrence(d: Decision, control: m.Control, on: date) -> Outcome:
    """An open recurring decision: its last closed occurrence is opened again (an undo of `done`). The occurrence
    goes from `closed` into `history` as a closing of its own: status done, `date` the occurrence, the report the
    marks had, `reopened` the day of reopening."""
    if not d.closed:
        return _refuse(_("{id} recurs («{deadline}») and none of its occurrences is closed: there is nothing to reopen.").format(
            id=d.id, deadline=d.entry.deadline),
            _("`protokol done {id}` closes its current occurrence; `protokol cancel {id}` takes it off control.").format(id=d.id))
    last = max(d.closed)
    if any(last in mk.closed for mk in d.entry.inherited):  # closed by the marks of a lead line, for all its items
        e = d.entry
        # the lead lines that have marks, when each one has them; all of them otherwise (the marks do not say whose)
        leads = ([k for k, mk in zip(e.ancestors, e.inherited, strict=True) if last in mk.closed]
                 if len(e.inherited) == len(e.ancestors) else list(e.ancestors))
        return _refuse(_("{id}: its occurrence due {due} was closed for all the items of {leads}.").format(
            id=d.id, due=shown_date(last), leads=", ".join(f"{e.protocol}/{k}" for k in leads)),
            _("Reopen it there: protokol reopen {lead}").format(lead=f"{e.protocol}/{leads[0]}"))
    closing = m.Closing(status="done", date=last, report=control.report, reopened=on)
    control = replace(control, closed=tuple(x for x in control.closed if x != last), report=None,
                      history=(*control.history, closing))
    return Outcome(control, _("{id}: the occurrence due {due} is open again.").format(id=d.id, due=shown_date(last)))


def _day(day: date | None) -> str:
    return shown_date(day) if day else _("no date")


def _status(status: str) -> str:
    return {"open": _("open"), "done": _("done"), "cancelled": _("cancelled")}.get(status, status)
