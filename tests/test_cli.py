"""The `fluorohip` command: version, validate on good and broken content, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fluorohip import __version__

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fluorohip.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_version():
    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"fluorohip {__version__}"


def test_validate_passes_on_the_course():
    out = run("validate")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Traceback" not in out.stderr


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    return tmp_path


@pytest.mark.parametrize(
    "mutation, expected",
    [
        ("Hoeber2016:\n  short: x\n", "duplicate citation key"),
        (
            "Broken2020:\n  citation: A paper.\n  url: https://example.org\n",
            "Broken2020: short: required field",
        ),
        (
            "Broken2021:\n  short: B 2021\n  citation: B. 2021.\n  url: https://e.org\n  journal: X\n",
            "Broken2021: journal: unknown field",
        ),
        (
            "Broken2022:\n  short: C 2022\n  citation: C. 2022.\n",
            "Broken2022: doi: give at least one identifier",
        ),
        (
            "Broken2023:\n  short: D 2023\n  citation: D.\n  year: twenty\n  url: https://e.org\n",
            "Broken2023: year: must be a whole number",
        ),
    ],
)
def test_validate_reports_broken_bibliography_entries(course_copy, mutation, expected):
    bib = course_copy / "assets" / "references.yaml"
    bib.write_text(bib.read_text() + mutation)
    out = run("validate", "--root", str(course_copy))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr + out.stdout
    lines = [line for line in out.stdout.splitlines() if expected in line]
    assert lines, out.stdout
    assert lines[0].startswith("assets/references.yaml:"), lines[0]
    assert lines[0].split(":")[1].isdigit(), "problems carry a line number"


def test_validate_reports_unreadable_yaml(course_copy):
    bib = course_copy / "assets" / "references.yaml"
    bib.write_text("Key: [unclosed\n")
    out = run("validate", "--root", str(course_copy))
    assert out.returncode == 1 and "not valid YAML" in out.stdout and "Traceback" not in out.stderr


def test_unknown_delegated_command_is_a_clear_message():
    out = run("no-such-command")
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_top_level_help_says_what_each_command_is_for(capsys):
    """A resident or instructor reading `fluorohip --help` learns which command is theirs."""
    from fluorohip.cli import DELEGATED, main

    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "(residents) your summary, and the export you hand in" in out
    assert "release or hide answers" in out
    assert all(f"fluorohip {name} --help" in out for name in DELEGATED)


@pytest.mark.parametrize(
    "name", ["validate", "refs", "notebooks", "progress", "class-report", "answer-key"]
)
def test_every_subcommand_has_its_own_help_and_module(name, capsys):
    """One module per subcommand (fluorohip.cli.<name>), each with `main(argv)` and its own usage."""
    import importlib

    from fluorohip.cli import COMMANDS, main

    module = importlib.import_module(f"fluorohip.cli.{COMMANDS[name][0]}")
    assert main([name, "--help"]) == 0 == module.main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith(f"usage: fluorohip {name}") and "Traceback" not in out


def test_a_bad_option_is_one_line_and_exit_2(capsys):
    from fluorohip.cli import main

    assert main(["validate", "--no-such-option"]) == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments: --no-such-option" in err and "Traceback" not in err
