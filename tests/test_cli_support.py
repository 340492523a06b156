"""The shared CLI pieces: one-line usage errors with exit code 2, and all-or-nothing file writes."""

from __future__ import annotations

import os

import pytest

from fluorohip.cli.base import Parser, parse_args, write_text_atomic


def _parser():
    p = Parser(prog="fluorohip demo")
    p.add_argument("--n", type=int, required=True)
    return p


def test_bad_usage_is_one_message_and_exit_code_2(capsys):
    assert parse_args(_parser(), ["--n", "x"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fluorohip demo: argument --n: invalid int value: 'x'")
    assert "usage: fluorohip demo" in err and "Traceback" not in err


def test_help_returns_0_and_good_usage_returns_namespace(capsys):
    assert parse_args(_parser(), ["--help"]) == 0
    assert parse_args(_parser(), ["--n", "3"]).n == 3


def test_atomic_write_creates_folders_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "a" / "b" / "report.html"
    assert write_text_atomic(target, "<p>one</p>") == target
    write_text_atomic(target, "<p>two</p>")
    assert target.read_text(encoding="utf-8") == "<p>two</p>"
    assert os.listdir(target.parent) == ["report.html"]


def test_failed_atomic_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "export.csv"
    target.write_text("old", encoding="utf-8")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_text_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["export.csv"]


def test_atomic_write_can_refuse_to_invent_folders(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_text_atomic(tmp_path / "typo" / "export.csv", "x", make_parents=False)
    assert not (tmp_path / "typo").exists()
