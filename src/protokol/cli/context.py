"""What the archive commands read before they act: the settings, the people directory and the protocols."""
# No `from __future__ import annotations`: Typer reads annotations at run time.

from datetime import date
from pathlib import Path

import typer

from ..i18n import _, ngettext
from .common import UserError, _esc, ambiguous_id, archive_root, err_console, unknown_protocol


class ArchiveContext:
    """What the commands here read from an archive: settings, the people directory and the protocols."""

    def __init__(self, root_opt: Path | None):
        from ..collection import Collection, load_collection
        from ..config import load_config
        from ..paths import PROTOCOLS_DIR
        from ..problems import ERROR

        self.root = archive_root(root_opt)
        config = load_config(self.root)
        self.settings, self.directory = config.settings, config.directory
        broken_config = sorted({p.file for p in config.problems if p.severity == ERROR})
        for file in broken_config:
            err_console().print("[yellow]" + _esc(_("{file} has errors, and the defaults stand in for what cannot be "
                                                    "read; run `protokol check` to see them.").format(file=file)) + "[/]")
        folder = self.root / PROTOCOLS_DIR
        self.archive = load_collection([folder]) if folder.is_dir() else Collection(self.root)
        broken = {p.file for p in self.archive.problems if p.severity == ERROR}
        # What the commands that only read and report (list, show, people) turn into exit code 1 after their output,
        # as `due` does: what they print may be incomplete. Commands that write (new) warn and go on.
        self.has_errors = bool(broken or broken_config)
        if broken:
            err_console().print("[yellow]" + _esc(ngettext(
                "{n} protocol file could not be read and is left out; run `protokol check` to see why.",
                "{n} protocol files could not be read and are left out; run `protokol check` to see why.",
                len(broken)).format(n=len(broken))) + "[/]")

    @property
    def protocols(self):
        return self.archive.protocols

    def decisions(self, today: date) -> dict:
        from ..overview import decision_statuses

        return decision_statuses(self.protocols, self.settings, today)

    def find(self, text: str):
        """A protocol by id, by file path, or by the start of its id when only one id starts so."""
        import difflib

        by_id = {p.id: p for p in self.protocols}
        if text in by_id:
            return self._only(text, by_id)
        path = Path(text)
        if path.suffix in (".yaml", ".yml"):
            for p in self.protocols:
                if Path(p.path).resolve() == path.resolve():
                    return p
        starting = [pid for pid in by_id if pid.startswith(text)]
        if len(starting) == 1:
            return self._only(starting[0], by_id)
        if len(starting) > 1:
            raise UserError(_("'{text}' fits several protocols: {ids}.").format(text=text, ids=", ".join(sorted(starting))),
                            _("Give the whole id."))
        unreadable = unknown_protocol(Path(text).stem, by_id, self.archive.problems)
        if unreadable.exit_code == 1:  # the file is there but cannot be read: say why, not "no protocol"
            raise unreadable
        close = difflib.get_close_matches(text, list(by_id), n=3)
        hint = (_("Did you mean: {ids}?").format(ids=", ".join(close)) if close
                else _("`protokol list` shows the ids."))
        raise UserError(_("No protocol '{text}' in the archive.").format(text=text), hint)

    def _only(self, pid: str, by_id: dict):
        """The protocol with id `pid`, unless several files share it (then acting on one would be a guess)."""
        same = [p.path for p in self.protocols if p.id == pid]
        if len(same) > 1:
            raise ambiguous_id(pid, same)
        return by_id[pid]


def exit_on_errors(ctx: ArchiveContext) -> None:
    """Exit code 1 once the output is printed when a file of the archive had errors (`ArchiveContext` has said which)."""
    if ctx.has_errors:
        raise typer.Exit(1)
