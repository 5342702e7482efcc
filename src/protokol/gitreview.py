"""Everything that runs git lives here (house rule): versions of files, changed files with renames, the history of a
path, and the integration (textconv driver, pre-commit hook) that makes git show protocols as text.

Every call is `git -C <folder> …` with an argument list, never a shell string; failures become GitError with a
message for the user. Other modules receive text and paths only.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .i18n import _


class GitError(Exception):
    """git could not do what was asked: a message and a hint for the user."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


class GitRefused(GitError):
    """protokol will not do it: a file it did not write is in the way (replaced only when the user says so)."""


class GitUnavailable(GitError):
    """git is not installed (or cannot be started)."""

    def __init__(self, message: str = "", hint: str = ""):
        super().__init__(message or _("git is not installed or cannot be started."),
                         hint or _("Install git (https://git-scm.com, or `apt install git`) and try again."))


def _env() -> dict[str, str]:
    # English messages from git (we read some of them), no pager, no prompts for credentials.
    return {**os.environ, "LC_ALL": "C", "LANGUAGE": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"}


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run git in `cwd` and return its result as text (used by `protokol init`)."""
    try:
        return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, check=False, env=_env())
    except OSError as exc:
        raise GitUnavailable() from exc


def run(folder: Path, *args: str, ok: tuple[int, ...] = (0,)) -> bytes:
    """Run `git -C folder ARGS…` and return its standard output as bytes; raise GitError when it fails."""
    try:
        result = subprocess.run(["git", "-C", str(folder), "-c", "core.quotepath=off", *args], capture_output=True,
                                check=False, env=_env())
    except OSError as exc:
        raise GitUnavailable() from exc
    if result.returncode not in ok:
        message = result.stderr.decode("utf-8", errors="replace").strip() or f"exit code {result.returncode}"
        raise GitError(_("git {command} failed: {message}").format(command=args[0], message=message))
    return result.stdout


def repository_root(folder: Path) -> Path | None:
    """The top folder of the git work tree `folder` is in, or None when it is in none."""
    result = _git("rev-parse", "--show-toplevel", cwd=folder)
    return Path(result.stdout.strip()) if result.returncode == 0 and result.stdout.strip() else None


def init_repository(folder: Path) -> None:
    """Create an empty repository in `folder`; raises GitUnavailable, or RuntimeError with git's message."""
    result = _git("init", "--quiet", cwd=folder)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip() or result.stdout.strip())


def require_repository(folder: Path) -> Path:
    """The work tree's top folder; GitError when `folder` is not in a git repository."""
    top = repository_root(folder)
    if top is None:
        raise GitError(_("{path} is not in a git repository.").format(path=folder),
                       _("Create one with `git init` (or `protokol init`), commit the protocols, and try again."))
    return top


# --- revisions ---------------------------------------------------------------------------------------------------------

def is_revision(folder: Path, rev: str) -> bool:
    if rev.startswith("-"):
        return False
    try:
        run(folder, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        return True
    except GitError:
        return False


def is_range(text: str) -> bool:
    return ".." in text and not text.startswith("-")


def _commit(folder: Path, rev: str) -> str:
    if not is_revision(folder, rev):
        if rev == "HEAD":
            raise GitError(_("The repository has no commits yet."), _("Commit the protocols first: git add protocols && git commit"))
        raise GitError(_("'{rev}' is not a commit, branch or tag in this repository.").format(rev=rev),
                       _("`git log --oneline` and `git branch -a` show what there is."))
    return run(folder, "rev-parse", "--verify", "--end-of-options", f"{rev}^{{commit}}").decode().strip()


def resolve(folder: Path, revs: list[str]) -> tuple[str, str | None]:
    """The two commits to compare: (old, new), new None meaning the working tree. Accepts [], [A], [A, B],
    [A..B] and [A...B] (from where B left A: their merge base)."""
    if len(revs) > 2 or (len(revs) == 2 and any(is_range(r) for r in revs)):
        raise GitError(_("Give at most two revisions, or one range A...B."), _("Example: protokol diff main...feature"))
    if not revs:
        return _commit(folder, "HEAD"), None
    if len(revs) == 2:
        return _commit(folder, revs[0]), _commit(folder, revs[1])
    rev = revs[0]
    if "..." in rev:
        a, b = rev.split("...", 1)
        a, b = _commit(folder, a or "HEAD"), _commit(folder, b or "HEAD")
        base = run(folder, "merge-base", a, b, ok=(0, 1)).decode().strip()
        if not base:
            raise GitError(_("{a} and {b} have no common history.").format(a=rev.split("...")[0], b=rev.split("...")[1]),
                           _("Compare them directly: protokol diff A B"))
        return base, b
    if ".." in rev:
        a, b = rev.split("..", 1)
        return _commit(folder, a or "HEAD"), _commit(folder, b or "HEAD")
    return _commit(folder, rev), None


# --- files -------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FileChange:
    status: str  # A added, D deleted, M modified, R renamed (paths relative to the folder git ran in)
    old_path: str | None
    new_path: str | None


def changed_files(folder: Path, old: str, new: str | None, paths: list[str]) -> list[FileChange]:
    """Files that differ between commit `old` and commit `new` (None: the working tree, untracked files included),
    renames followed, limited to `paths` (relative to `folder`, or absolute)."""
    args = ["diff", "--no-ext-diff", "--no-textconv", "--relative", "-M", "--name-status", "-z", old]
    if new is not None:
        args.append(new)
    out = run(folder, *args, "--", *paths).decode("utf-8", errors="surrogateescape")
    parts = out.split("\0")
    changes: list[FileChange] = []
    i = 0
    while i < len(parts) - 1:
        status = parts[i]
        if status[:1] in ("R", "C"):
            old_path, new_path = parts[i + 1], parts[i + 2]
            i += 3
            changes.append(FileChange("R", old_path, new_path) if status[0] == "R" else FileChange("A", None, new_path))
            continue
        path = parts[i + 1]
        i += 2
        kind = status[:1]
        if kind == "A":
            changes.append(FileChange("A", None, path))
        elif kind == "D":
            changes.append(FileChange("D", path, None))
        else:  # M, T (type change), U (unmerged)
            changes.append(FileChange("M", path, path))
    if new is None:
        others = run(folder, "ls-files", "--others", "--exclude-standard", "-z", "--", *paths).decode(
            "utf-8", errors="surrogateescape")
        changes += [FileChange("A", None, p) for p in others.split("\0") if p]
    return changes


def file_at(folder: Path, rev: str, path: str) -> bytes | None:
    """The content of `path` (relative to `folder`) in commit `rev` (":" for the staged version), or None."""
    spec = f":./{path}" if rev == ":" else f"{rev}:./{path}"
    try:
        return run(folder, "cat-file", "blob", spec)
    except GitError:
        return None


def staged_files(folder: Path, paths: list[str]) -> list[str]:
    """Files added, changed or renamed in the index (what the next commit holds), relative to `folder`."""
    out = run(folder, "diff", "--cached", "--no-ext-diff", "--relative", "--name-only", "--diff-filter=ACMR", "-z",
              "--", *paths).decode("utf-8", errors="surrogateescape")
    return [p for p in out.split("\0") if p]


def staged_deletions(folder: Path, paths: list[str]) -> list[str]:
    """Files the next commit removes, a renamed file's old path included, relative to `folder`."""
    out = run(folder, "diff", "--cached", "--no-ext-diff", "--relative", "--no-renames", "--name-only", "--diff-filter=D",
              "-z", "--", *paths).decode("utf-8", errors="surrogateescape")
    return [p for p in out.split("\0") if p]


def index_files(folder: Path, paths: list[str]) -> list[str]:
    """Every file in the index (what the next commit holds), relative to `folder`."""
    out = run(folder, "ls-files", "--cached", "-z", "--", *paths).decode("utf-8", errors="surrogateescape")
    return list(dict.fromkeys(p for p in out.split("\0") if p))  # an unmerged file is listed once per stage


def unstaged_files(folder: Path, paths: list[str]) -> list[str]:
    """Files whose working-tree version differs from the index (changed or deleted, not yet `git add`-ed)."""
    out = run(folder, "diff", "--no-ext-diff", "--relative", "--name-only", "-z", "--", *paths).decode(
        "utf-8", errors="surrogateescape")
    return [p for p in out.split("\0") if p]


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # author date, ISO 8601
    author: str
    subject: str
    path: str  # the file's path in this commit (it follows renames), relative to the folder
    status: str  # A, M, R, D
    old_path: str | None = None  # its path in the parent commit (None when the commit added it)


def path_log(folder: Path, path: str, limit: int = 500) -> list[Commit]:
    """The commits that changed `path`, newest first, following renames (`git log --follow`). Merges are left out
    (--follow does so): what a merge brings in is listed with the commits that made it."""
    if not is_revision(folder, "HEAD"):  # a new repository: no commit yet, so none changed it (git log would fail)
        return []
    out = run(folder, "log", "--follow", "-M", f"--max-count={limit}", "--relative", "--name-status",
              "--format=%x1e%H%x1f%aI%x1f%an%x1f%s", "--", path).decode("utf-8", errors="replace")
    commits = []
    for record in out.split("\x1e")[1:]:
        head, _sep, rest = record.partition("\n")
        sha, when, author, subject = (head.split("\x1f") + ["", "", "", ""])[:4]
        status, here, before = "M", path, path
        for line in rest.splitlines():
            fields = line.split("\t")
            if len(fields) >= 2 and fields[0]:
                status, here, before = fields[0][:1], _unquote(fields[-1]), _unquote(fields[1])
        commits.append(Commit(sha, when, author, subject, here, status, None if status == "A" else before))
    return commits


def _unquote(text: str) -> str:
    """A path as git prints it: C-quoted when it holds unusual characters."""
    if len(text) >= 2 and text[0] == text[-1] == '"':
        import codecs

        return codecs.escape_decode(text[1:-1].encode("utf-8"))[0].decode("utf-8", errors="replace")
    return text


# --- integration -------------------------------------------------------------------------------------------------------

# Only protocol files are shown as text: protokol.yaml, people.yaml and CI files stay plain YAML in diffs.
GITATTRIBUTES_LINES = (
    "protocols/**/*.yaml diff=protokol",
    "protocols/**/*.yml diff=protokol",
)
GITATTRIBUTES_COMMENT = "# protokol: git diff and git log -p show protocols as readable text (protokol textconv)"

PRE_COMMIT_CONFIG = """\
# pre-commit (https://pre-commit.com): run `pre-commit install` once; then every commit checks the staged protocols
# and is refused while one of them has an error. Skip once with `git commit --no-verify`.
# This uses the protokol installed on this computer. To pin a version for everyone instead, use the hook the protokol
# repository publishes (.pre-commit-hooks.yaml):
#   - repo: <the protokol repository URL>
#     rev: <a tag>
#     hooks:
#       - id: protokol-check
repos:
  - repo: local
    hooks:
      - id: protokol-check
        name: protokol check
        entry: protokol check
        language: system
        files: ^protocols/.*\\.ya?ml$
"""

HOOK_MARK = "# installed by `protokol hooks install`"


def python_command() -> str:
    """The command that runs this protokol, by absolute path: hooks and diff drivers also run from GUIs and IDEs whose
    PATH does not hold the virtual environment."""
    return f"{shlex.quote(sys.executable)} -m protokol"


def textconv_command() -> str:
    return f"{python_command()} textconv"


def hook_script(archive: str) -> str:
    """A POSIX shell pre-commit hook that checks the staged protocols of the archive at `archive` (relative to the
    top of the work tree, where git runs hooks)."""
    root = "" if archive in ("", ".") else f" --root {shlex.quote(archive)}"
    return f"""#!/bin/sh
{HOOK_MARK}
# Refuses a commit while a staged protocol has an error. Skip once: git commit --no-verify. Switch off: delete this file.
PROTOKOL_PYTHON={shlex.quote(sys.executable)}
if [ -x "$PROTOKOL_PYTHON" ]; then
  exec "$PROTOKOL_PYTHON" -m protokol hooks pre-commit{root}
fi
exec protokol hooks pre-commit{root}
"""


def hooks_folder(folder: Path) -> Path:
    where = run(folder, "rev-parse", "--git-path", "hooks").decode().strip()
    path = Path(where)
    return path if path.is_absolute() else folder / path


def install_pre_commit_hook(folder: Path, force: bool = False) -> tuple[Path, str]:
    """Write the pre-commit hook; returns (path, "created" | "updated" | "replaced" | "kept").
    A hook that protokol did not write is replaced only with `force` (and kept as pre-commit.bak)."""
    from .writing import replace_file

    top = require_repository(folder)
    archive = os.path.relpath(folder.resolve(), top.resolve())
    hooks = hooks_folder(folder)
    hooks.mkdir(parents=True, exist_ok=True)
    path = hooks / "pre-commit"
    script = hook_script(archive.replace(os.sep, "/"))
    state = "created"
    if path.exists():
        old = path.read_text(encoding="utf-8", errors="replace")
        if old == script:
            return path, "kept"
        if HOOK_MARK in old:
            state = "updated"
        elif not force:
            raise GitRefused(_("{path} already exists and was not written by protokol.").format(path=path),
                           _("Add `protokol hooks pre-commit` to it yourself, or pass --force to replace it "
                             "(the old one is kept as pre-commit.bak)."))
        else:
            os.replace(path, hooks / "pre-commit.bak")  # moved aside whole, a symlink as a symlink
            state = "replaced"
    replace_file(path, script)
    path.chmod(0o755)  # a hook runs only when executable
    return path, state


def get_config(folder: Path, key: str) -> str | None:
    out = run(folder, "config", "--local", "--get", key, ok=(0, 1)).decode("utf-8", errors="replace").strip()
    return out or None


def set_config(folder: Path, key: str, value: str) -> bool:
    """Set a key in the repository's own config; True when it changed."""
    if get_config(folder, key) == value:
        return False
    run(folder, "config", "--local", key, value)
    return True


def ensure_gitattributes(folder: Path) -> bool:
    """Add the protokol lines to folder/.gitattributes, keeping what is there; True when the file changed."""
    from .writing import create_new, edit_file

    def added(raw: bytes) -> bytes | None:
        text = raw.decode("utf-8")
        present = {line.strip() for line in text.splitlines()}
        missing = [line for line in GITATTRIBUTES_LINES if line not in present]
        if not missing:
            return None
        if text and not text.endswith("\n"):
            text += "\n"
        if GITATTRIBUTES_COMMENT not in present:
            text += ("\n" if text else "") + GITATTRIBUTES_COMMENT + "\n"
        return (text + "".join(line + "\n" for line in missing)).encode("utf-8")

    path = folder / ".gitattributes"
    if path.exists() and added(path.read_bytes()) is None:  # the usual case: nothing to add, no lock taken
        return False
    if not path.exists():
        try:
            create_new(path, added(b""))
            return True
        except FileExistsError:  # written meanwhile: add to it like to any other
            pass
    return edit_file(path, added) is not None


def setup_git_integration(root: Path) -> list[str]:
    """Make `git diff` and `git log -p` show the archive's protocols as text: .gitattributes in `root` and, when
    `root` is in a git repository, `diff.protokol.textconv` in its config. Returns what was created or changed."""
    done = []
    if ensure_gitattributes(root):
        done.append(".gitattributes")
    try:
        in_repo = repository_root(root) is not None
    except GitUnavailable:
        in_repo = False
    if in_repo and set_config(root, "diff.protokol.textconv", textconv_command()):
        done.append("git config diff.protokol.textconv")
    return done
