"""Hostile input (issue 26): every case of the issue, small payloads, bounded time and memory.

The YAML bombs and the CLI cases run in a subprocess under ``resource.setrlimit`` (address space
and CPU seconds), so a regression fails fast instead of eating the machine. Each case names the
issue item it covers: 1 YAML, 2 class report, 3 script in HTML, 5 store, 6 CLI (4, the hub, is
tests/hub/test_hub_isolation.py).
"""

from __future__ import annotations

import copy
import html
import json
import os
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest

from fluorohip.core.yamlread import (
    MAX_BYTES,
    MAX_DEPTH,
    ContentFileError,
    YamlSyntaxError,
    load_yaml_file,
    read_yaml,
)
from fluorohip.progress.store import Attempt, ProgressStore, ProgressStoreError, log_line
from fluorohip.quiz.validate import check_bank_file

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"
MEMORY_LIMIT = 1536 * 2**20  # far below the 1.2-3.5 GB the bombs took; well above a normal run
CPU_LIMIT_S = 60


def run_limited(
    code: str,
    *args: str | bytes,
    env: dict | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess:
    """Run Python ``code`` in a child with RLIMIT_AS and RLIMIT_CPU set before anything is imported."""
    prelude = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))\n"
        f"resource.setrlimit(resource.RLIMIT_CPU, ({CPU_LIMIT_S}, {CPU_LIMIT_S}))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code), *args],
        capture_output=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def run_cli(
    *args: str | bytes, env: dict | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    return run_limited(
        "from fluorohip.cli import main\nsys.exit(main(sys.argv[1:]))", *args, env=env, cwd=cwd
    )


def one_line_failure(proc: subprocess.CompletedProcess) -> str:
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode != 0, (proc.returncode, err)
    assert "Traceback" not in err and "Error:" not in err.split(":", 1)[0], err
    lines = [
        line for line in err.splitlines() if line.strip() and not line.startswith("[IPKernelApp]")
    ]
    assert lines, "a failure must say what went wrong"
    return lines[-1]


# -- 1. YAML: bounded, file:line, never a traceback ---------------------------------------------

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9)
)


def test_billion_laughs_bank_is_refused_at_its_first_alias_within_limits(tmp_path):
    bank = tmp_path / "00_bomb.yaml"
    bank.write_text(LAUGHS)
    assert len(LAUGHS) < 500
    proc = run_limited(f"""
        from pathlib import Path
        from fluorohip.quiz.validate import check_bank_file
        checked = check_bank_file(Path({str(bank)!r}), set(), Path({str(ASSETS)!r}))
        print(checked.problems[0])
    """)
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr.decode()
    assert "00_bomb.yaml:1:" in out and "anchor &a" in out


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("a: &x 1\nb: *x\n", 1, "anchor &x"),
        ("a: 1\nb: *x\n", 2, "alias *x"),
        (
            "stem: !!python/object/apply:os.system ['echo hi']\n",
            1,
            "tag !!python/object/apply:os.system",
        ),
        ("questions: !!set {a: 1}\n", 1, "tag !!set"),
        ("questions: !mine [1, 2]\n", 1, "tag !mine"),
        ("bank: x\nquestions:\n  - !!map {id: a}\n", 3, "tag !!map"),
        ("x: !!str 5\n", 1, "tag !!str"),
        ("x: " + "[" * 500 + "]" * 500 + "\n", 1, f"nested more than {MAX_DEPTH} levels"),
        ("x: " + "y" * 60_000 + "\n", 1, "a text of 60,000 characters"),
    ],
    ids=[
        "anchor",
        "alias",
        "python-tag",
        "set-on-mapping",
        "local-tag-on-list",
        "tag-in-list-item",
        "str-tag",
        "deep",
        "huge-scalar",
    ],
)
def test_yaml_refusals_name_the_line(text, line, words):
    with pytest.raises(YamlSyntaxError) as err:
        read_yaml(text)
    assert err.value.line == line and words in err.value.message


def test_oversized_content_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "01_big.yaml"
    big.write_text("stem: " + "x" * (MAX_BYTES + 10))
    checked = check_bank_file(big, set(), ASSETS)
    assert (
        len(checked.problems) == 1 and "too large for a course file" in checked.problems[0].message
    )
    with pytest.raises(ContentFileError, match=r"01_big.yaml: .*too large"):
        load_yaml_file(big)


def test_every_content_reader_uses_the_bounded_loader(tmp_path, monkeypatch):
    """references, course map, selection data, diaries: an alias is refused with file:line."""
    from fluorohip import interpretation, selection
    from fluorohip.content import course_map as course
    from fluorohip.core import bibliography

    bomb = tmp_path / "references.yaml"
    bomb.write_text("K: {short: a, citation: b}\nL: *k\n")
    with pytest.raises(bibliography.BibliographyError, match=r"references.yaml:2: .*alias \*k"):
        bibliography.load_bibliography(bomb)
    with pytest.raises(ContentFileError, match=r":2: .*alias"):
        interpretation.load_synthetic_diaries(bomb)
    sel = tmp_path / "selection"
    sel.mkdir()
    (sel / "risks.yaml").write_text("risks: !!python/name:os.system []\n")
    monkeypatch.setattr(selection, "selection_dir", lambda: sel)
    with pytest.raises(selection.SelectionDataError, match=r"risks.yaml:1: .*tag"):
        selection.read_entries(sel / "risks.yaml", "risks")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "course_map.yaml").write_text("notebooks: &n []\nx: *n\n")
    monkeypatch.setattr(course, "assets_dir", lambda: tmp_path / "assets")
    with pytest.raises(ContentFileError, match=r"course_map.yaml:1: .*anchor"):
        course.course_map()


def test_validate_cli_reports_a_bomb_bank_as_file_line_within_limits(tmp_path):
    course = tmp_path / "course"
    (course / "assets" / "quizzes").mkdir(parents=True)
    (course / "assets" / "references.yaml").write_text((ASSETS / "references.yaml").read_text())
    (course / "assets" / "quizzes" / "01_bomb.yaml").write_text(LAUGHS)
    proc = run_cli("validate", "--root", str(course))
    out = proc.stdout.decode()
    assert proc.returncode == 1 and "Traceback" not in proc.stderr.decode()
    assert "assets/quizzes/01_bomb.yaml:1:" in out and "anchor" in out


# -- 3. no live script in any HTML output -------------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;img src=x onerror=alert(1)&#x3E;",
    "<<script>script>alert(1)<</script>/script>",
]
PAYLOAD = " ".join(PAYLOADS)
_DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


class LiveScript(HTMLParser):
    """Finds what a browser would run: script elements, on* handlers, script URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.found.append(f"{tag} {name}=")
            if (
                name.lower() in ("href", "src", "action", "formaction", "xlink:href", "srcdoc")
                and value
            ):
                v = "".join(ch for ch in html.unescape(value) if ch > " ").lower()
                if v.startswith(_DANGEROUS_SCHEMES) or name.lower() == "srcdoc":
                    self.found.append(f"{tag} {name}={value[:40]}")


def live_script(text: str) -> list[str]:
    parser = LiveScript()
    parser.feed(text)
    parser.close()
    return parser.found


def test_the_checker_can_fail():
    assert live_script(PAYLOAD)  # the raw payload set is live
    assert live_script('<a href="&#106;avascript:alert(1)">x</a>')
    assert not live_script(html.escape(PAYLOAD))


def _hostile_bib() -> dict:
    return {
        "Evil2020": {
            "short": PAYLOAD,
            "citation": PAYLOAD,
            "url": "javascript:alert(1)",
            "year": 2020,
        },
        "Evil2021": {
            "short": "x](javascript:alert(1)) [y",
            "citation": "[a](javascript:alert(1))",
            "doi": '10.1/x)"><script>alert(1)</script>',
        },
        "Good2019": {
            "short": "Good 2019",
            "citation": "Good A. 2019. A study.",
            "doi": "10.1000/xyz(01)2",
        },
    }


def _markdown_renderings(markdown: str) -> dict[str, str]:
    """How Jupyter-like renderers show a Markdown cell: markdown-it with raw HTML on, and nbconvert."""
    from markdown_it import MarkdownIt
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return {
        "markdown-it(html)": MarkdownIt("commonmark", {"html": True}).render(markdown),
        "nbconvert": markdown2html_mistune(markdown),
    }


def test_references_cells_and_citations_are_inert(tmp_path):
    from fluorohip.core.bibliography import (
        references_markdown,
        render_citation_links,
        replace_citations,
    )

    bib = _hostile_bib()
    cell = references_markdown(["Evil2020", "Evil2021", "Good2019"], bib)
    cited = (
        render_citation_links("See [@Evil2020; @Evil2021].", bib)
        + "\n\n"
        + replace_citations("[@Evil2020]", bib)
    )
    for name, out in {
        **_markdown_renderings(cell),
        **{f"cited {k}": v for k, v in _markdown_renderings(cited).items()},
    }.items():
        assert not live_script(out), (name, live_script(out), out[:400])
    assert "https://doi.org/10.1000/xyz(01)2" in cell  # a real DOI still links
    assert "javascript" not in cell.split("[link]")[-1]


def test_validate_refuses_script_urls_and_markup_in_references(tmp_path):
    import yaml

    from fluorohip.core.bibliography import validate_bibliography

    path = tmp_path / "references.yaml"
    path.write_text(yaml.safe_dump(_hostile_bib(), sort_keys=False))
    problems = {(p.item_id, p.field) for p in validate_bibliography(path)}
    assert {
        ("Evil2020", "url"),
        ("Evil2020", "short"),
        ("Evil2020", "citation"),
        ("Evil2021", "doi"),
    } <= problems
    assert not {p for p in problems if p[0] == "Good2019"}


def _hostile_bank():
    """The start-here bank with the payload set in every text a learner or instructor reads."""
    from fluorohip.quiz.loader import bank_from_data

    data = load_yaml_file(ASSETS / "quizzes" / "00_start_here.yaml")
    data = copy.deepcopy(data)

    def poison(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in (
                    "stem",
                    "text",
                    "feedback",
                    "explanation",
                    "title",
                    "reveal",
                    "feedback_correct",
                    "feedback_incorrect",
                    "alt",
                ) and isinstance(v, str):
                    node[k] = f"{v} {PAYLOAD}"
                else:
                    poison(v)
        elif isinstance(node, list):
            for v in node:
                poison(v)

    poison(data)
    return bank_from_data(data)


def test_bank_text_is_inert_in_key_handout_and_widgets():
    from fluorohip.instructor.answer_key import answer_key_html, bank_html
    from fluorohip.quiz.render import markdown_html, sources_html

    bank, bib = _hostile_bank(), _hostile_bib()
    outputs = {
        "answer key": answer_key_html([bank], title=PAYLOAD, bib=bib),
        "site quiz (handout)": bank_html(bank, bib, with_answers=False),
        "widget stem": markdown_html(bank.questions[0].stem, bib),
        "widget sources": sources_html(["Evil2020", "Evil2021"], bib),
    }
    for name, out in outputs.items():
        assert PAYLOADS[0].replace("<", "&lt;") in out or "alert(1)" in out, (
            name
        )  # the text is there...
        assert not live_script(out), (name, live_script(out))  # ...and inert


def _export(path: Path, who: str, n: int = 3, **fields) -> Path:
    attempts = [
        {
            "timestamp": f"2025-01-01T00:00:0{i}+00:00",
            "learner": who,
            "bank": "00_start_here",
            "bank_version": 1,
            "question_id": f"q{i}",
            "objective": "0.1",
            "answer": "a",
            "correct": bool(i % 2),
            **fields,
            "attempt_id": f"{path.stem}-{i}",
        }
        for i in range(n)
    ]
    path.write_text(
        json.dumps({"format": "fluorohip-progress-export", "version": 1, "attempts": attempts})
    )
    return path


def test_class_report_with_payload_and_maths_in_every_field_is_written_and_inert(tmp_path):
    """$\\foo$ made matplotlib raise and stopped the report for everyone; script must stay text."""
    from fluorohip.instructor.class_report import render_report
    from fluorohip.instructor.class_results import build

    folder = tmp_path / "exports"
    folder.mkdir()
    _export(folder / "good.json", "ana")
    for i, field in enumerate(("bank", "objective", "answer", "question_id", "learner")):
        attempts = [
            {
                "timestamp": f"2025-01-01T00:00:{j:02d}+00:00",
                "learner": f"eve{i}",
                "bank": "00_start_here",
                "bank_version": 1,
                "question_id": f"q{j}",
                "objective": "0.1",
                "answer": "a",
                "correct": bool(j % 2),
                "attempt_id": f"e{i}-{j}",
                field: f"$\\foo$ {payload}",
            }
            for j, payload in enumerate(PAYLOADS)
        ]
        (folder / f"evil{i}.json").write_text(
            json.dumps({"format": "fluorohip-progress-export", "version": 1, "attempts": attempts})
        )
    merged, analysis = build(folder, banks={})
    text = render_report(merged, analysis, title=PAYLOAD)
    assert "ana" in text and not merged.skipped, merged.skipped
    assert "$\\foo$" in text  # shown as typed, not parsed as maths
    assert not live_script(text), live_script(text)


def test_one_oversized_hand_in_is_skipped_by_name_and_the_report_still_written(tmp_path):
    from fluorohip.instructor import merge

    folder = tmp_path / "exports"
    folder.mkdir()
    _export(folder / "ana.json", "ana")
    attempts = [
        {
            "timestamp": "2025-01-01T00:00:00+00:00",
            "learner": "eve",
            "bank": f"b{i}",
            "bank_version": 1,
            "question_id": "q",
            "answer": 1,
            "correct": True,
            "attempt_id": f"{i}",
        }
        for i in range(merge.MAX_BANKS + 1)
    ]
    (folder / "eve.json").write_text(
        json.dumps({"format": "fluorohip-progress-export", "version": 1, "attempts": attempts})
    )
    out = tmp_path / "report.html"
    proc = run_limited(
        "from fluorohip.cli.class_report import main\nsys.exit(main(sys.argv[1:]))",
        str(folder),
        "--out",
        str(out),
    )
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert f"skipped eve.json: more than {merge.MAX_BANKS} distinct banks" in err
    assert "ana" in out.read_text() and "Traceback" not in err


def test_a_learner_field_naming_someone_else_counts_for_the_stores_owner(tmp_path):
    from fluorohip.instructor.class_report import render_report
    from fluorohip.instructor.class_results import build

    folder = tmp_path / "submissions"
    folder.mkdir()
    for owner, claimed in (("ana", "ana"), ("ben", "ana")):  # ben writes answers as "ana"
        store = ProgressStore(tmp_path / owner)
        store.record("00_start_here", "q1", "x", False, bank_version=1, learner=claimed)
        (folder / f"{owner}.jsonl").symlink_to(store.path)
    merged, analysis = build(folder, banks={})
    assert sorted((r.learner, r.claimed) for r in merged.records) == [("ana", None), ("ben", "ana")]
    assert merged.mismatches == [
        "ben.jsonl: 1 attempt name learner ana but this file belongs to ben; counted for ben"
    ]
    assert "disagree with the file" in render_report(merged, analysis)


# -- 5. the store ------------------------------------------------------------------------------


def _attempt(i: int) -> Attempt:
    return Attempt(
        f"2025-01-01T00:00:0{i}.000000+00:00", "b", 1, f"q{i}", "a", True, attempt_id=f"{i:016x}"
    )


def test_store_keeps_a_whole_last_line_and_copies_every_cut(tmp_path):
    store = ProgressStore(tmp_path)
    a = store.record("b", "q", "a", True, bank_version=1)
    with open(store.path, "ab") as f:
        f.write(log_line(_attempt(1))[:-1])  # only the newline lost
    assert store.attempts() == [a, _attempt(1)]
    b = store.record("b", "q2", "b", True, bank_version=1)
    assert store.attempts() == [a, _attempt(1), b]
    with open(store.path, "ab") as f:
        f.write(b'{"torn')  # a real torn write
    c = store.record("b", "q3", "c", True, bank_version=1)
    assert store.attempts() == [a, _attempt(1), b, c]
    assert [p.read_bytes() for p in tmp_path.glob("attempts.jsonl.corrupt-*")] == [b'{"torn']


def test_an_unreadable_store_is_reported_never_renamed(tmp_path, monkeypatch):
    store = ProgressStore(tmp_path)
    store.record("b", "q", "a", True, bank_version=1)
    before = store.path.read_bytes()
    real = Path.read_bytes

    def denied(self):
        if self.name == "attempts.jsonl":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(
        ProgressStoreError, match="cannot be read: permission denied. It was not changed or moved"
    ):
        ProgressStore(tmp_path).attempts()
    monkeypatch.undo()
    assert store.path.read_bytes() == before and not list(tmp_path.glob("*.corrupt-*"))


# -- 6. the command line: one line, non-zero, never a traceback --------------------------------


def test_cli_failures_are_one_line(tmp_path):
    (tmp_path / "not_a_notebook.ipynb").write_text('{"a": 1}')
    (tmp_path / "list.ipynb").write_text("[1, 2]")
    home_file = tmp_path / "a-file"
    home_file.write_text("x")
    cases = {
        "refs json": (
            ["refs", str(tmp_path / "not_a_notebook.ipynb")],
            {},
            "not a Jupyter notebook",
        ),
        "refs --write list": (
            ["refs", "--write", str(tmp_path / "list.ipynb")],
            {},
            "not a Jupyter notebook",
        ),
        "notebooks json": (
            ["notebooks", str(tmp_path / "not_a_notebook.ipynb")],
            {},
            "not a Jupyter notebook",
        ),
        "progress folder is a file": (
            ["progress", "show"],
            {"FLUOROHIP_HOME": str(home_file)},
            "a-file",
        ),
        "non-UTF-8 --learner": (
            [
                "progress",
                "export",
                "--format",
                "csv",
                "--out",
                str(tmp_path / "x.csv"),
                "--learner",
                b"\xff\xfe",
            ],
            {"FLUOROHIP_HOME": str(tmp_path / "h")},
            "--learner is not valid UTF-8",
        ),
        "validate a non-course folder": (
            ["validate", "--root", str(tmp_path)],
            {},
            "is not a course folder",
        ),
        "no command": ([], {}, ""),
    }
    for name, (args, env, words) in cases.items():
        proc = run_cli(*args, env=env)
        line = one_line_failure(proc)
        assert words in line, (name, line)


def test_answer_key_status_and_hide_see_a_release_folder_made_by_hand(tmp_path):
    released = tmp_path / "released"
    (released / "ALL").mkdir(parents=True)  # what a learner with write access did
    env = {"FLUOROHIP_RELEASE_DIR": str(released)}
    status = run_cli("answer-key", "--status", env=env)
    assert status.returncode == 0 and "Released: ALL" in status.stdout.decode()
    assert "ALL is a folder" in status.stdout.decode()
    alone = run_cli("answer-key", "--hide", "01_hip_anatomy", env=env)
    assert "cannot hide 01_hip_anatomy alone" in one_line_failure(alone)
    hide = run_cli("answer-key", "--hide-all", env=env)
    assert (
        hide.returncode == 0
        and "Hidden ALL" in hide.stdout.decode()
        and not (released / "ALL").exists()
    )
    released.rmdir()
    released.write_text("not a folder")
    assert "is not a folder" in one_line_failure(run_cli("answer-key", "--status", env=env))


def test_progress_show_on_an_unreadable_store_is_one_line_and_moves_nothing(
    tmp_path, monkeypatch, capsys
):
    from fluorohip.cli.progress import main

    ProgressStore(tmp_path).record("b", "q", "a", True, bank_version=1)
    real = Path.read_bytes

    def denied(self):
        if self.parent == tmp_path:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert main(["--home", str(tmp_path), "show"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert (
        len(err) == 1 and "cannot be read: permission denied" in err[0] and str(tmp_path) in err[0]
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["attempts.jsonl", "progress.json.lock"]
