"""What `protokol init` sets up for git (.gitattributes, .pre-commit-config.yaml, the textconv driver), safely a second
time and inside an existing repository, and its «Next:» hint naming only what is still to fill in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import files, git, run_cli


def test_init_sets_up_git_integration_and_pre_commit_and_is_safe_twice(tmp_path: Path, monkeypatch):
    from protokol.gitreview import GITATTRIBUTES_LINES, PRE_COMMIT_CONFIG, textconv_command

    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "archive"
    first = run_cli("init", str(root))
    assert first.exit_code == 0, first.output
    for name in (".gitattributes", ".pre-commit-config.yaml", "git config diff.protokol.textconv"):
        assert f"created  {name}\n" in first.stdout
    attributes = (root / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert all(line in attributes for line in GITATTRIBUTES_LINES)
    assert (root / ".pre-commit-config.yaml").read_text(encoding="utf-8") == PRE_COMMIT_CONFIG
    assert git(root, "config", "--local", "--get", "diff.protokol.textconv").stdout.strip() == textconv_command()

    mine = "repos: []  # my own\n"
    (root / ".pre-commit-config.yaml").write_text(mine, encoding="utf-8")
    before = files(root)
    second = run_cli("init", str(root))
    assert second.exit_code == 0, second.output
    assert "created" not in second.stdout and "updated" not in second.stdout
    for name in (".gitattributes", ".pre-commit-config.yaml", "git config diff.protokol.textconv"):
        assert f"kept     {name}" in second.stdout
    assert files(root) == before  # the user's .pre-commit-config.yaml is never overwritten


def test_init_in_an_existing_repository_adds_to_gitattributes_and_without_git_writes_none(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / ".gitattributes").write_text("*.docx binary\n", encoding="utf-8")
    result = run_cli("init", str(root))
    assert result.exit_code == 0, result.output
    assert "updated  .gitattributes" in result.stdout
    text = (root / ".gitattributes").read_text(encoding="utf-8")
    assert text.startswith("*.docx binary\n") and text.count("diff=protokol") == 2
    plain = tmp_path / "plain"
    assert run_cli("init", str(plain), "--no-git").exit_code == 0
    assert not (plain / ".gitattributes").exists() and not (plain / ".pre-commit-config.yaml").exists()


@pytest.mark.parametrize(("options", "named", "not_named"), [
    ((), "protokol.yaml (organization, chair, secretary)", None),
    (("--organization", "Отдел образования", "--chair", "Никитина О.В."), "protokol.yaml (secretary)", "chair"),
    (("--organization", "Отдел образования", "--chair", "Никитина О.В.", "--secretary", "Фролова Т.С."),
     "Next: fill in people.yaml", "protokol.yaml"),
])
def test_init_next_names_only_what_is_still_empty(tmp_path: Path, options, named, not_named):
    result = run_cli("init", str(tmp_path / "a"), "--no-git", *options)
    assert result.exit_code == 0, result.output
    nxt = next(line for line in result.stdout.splitlines() if line.startswith("Next:"))
    assert named in nxt
    if not_named:
        assert not_named not in nxt
