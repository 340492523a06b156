"""The built wheel is self-contained: installed outside the checkout, the course works.

Builds the wheel from a copy of the files an sdist carries (so nothing else in the checkout can
leak in), installs it with ``--no-deps`` into a fresh venv that borrows this test environment's
dependencies through a ``.pth`` line (fast, offline), then runs the CLI in an empty folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: What the sdist holds (MANIFEST.in); the wheel is built from exactly this.
SDIST_PARTS = (
    "src",
    "assets",
    "notebooks",
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "LICENSE",
    "LICENSE-CONTENT.md",
    "CITATION.cff",
)
IGNORE = shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints")

pytestmark = pytest.mark.slow


def _run(cmd, cwd, env=None, timeout=300):
    proc = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, (
        f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    )
    return proc.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("sdist") / "fluorohip"
    source.mkdir()
    for part in SDIST_PARTS:
        path = ROOT / part
        if path.is_dir():
            shutil.copytree(path, source / part, ignore=IGNORE)
        else:
            shutil.copy2(path, source / part)
    out = tmp_path_factory.mktemp("dist")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            out,
            source,
        ],
        cwd=out,
    )
    (found,) = out.glob("fluorohip-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> tuple[Path, dict]:
    """A fresh venv outside the checkout with the wheel installed; returns its bin folder and env."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=venv.parent)
    python = venv / "bin" / "python"
    purelib = _run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=venv.parent
    ).strip()
    # Dependencies come from this test environment; its own (editable) fluorohip stays invisible
    # because .pth files in a folder named by a .pth line are not processed.
    Path(purelib, "_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", wheel],
        cwd=venv.parent,
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("FLUOROHIP_ROOT", "PYTHONPATH", "VIRTUAL_ENV")
    }
    env["FLUOROHIP_HOME"] = str(tmp_path_factory.mktemp("home"))
    return venv / "bin", env


def test_wheel_carries_the_course(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "fluorohip/py.typed",
        "fluorohip/instructor/templates/class_report.html.j2",
        "fluorohip/instructor/templates/_macros.html.j2",
        "fluorohip/instructor/class_report/page.py",
        "fluorohip/instructor/item_analysis/summaries.py",
        "fluorohip/instructor/report.py",  # the one-release alias of class_report
        "fluorohip/_course/assets/references.yaml",
        "fluorohip/_course/assets/course_map.yaml",
        "fluorohip/_course/assets/schema/question-bank.schema.json",
        "fluorohip/_course/assets/quizzes/01_hip_anatomy.yaml",
        "fluorohip/_course/assets/cases/classic-oa.yaml",
        "fluorohip/_course/notebooks/00_start_here.ipynb",
        "fluorohip/_course/notebooks/instructor/facilitator_guide.ipynb",
    ):
        assert needed in names, f"{needed} missing from {wheel.name}"
    assert not [n for n in names if ".ipynb_checkpoints" in n or "__pycache__" in n]
    shipped = {
        n.split("fluorohip/_course/", 1)[1] for n in names if n.startswith("fluorohip/_course/")
    }
    in_checkout = {
        str(p.relative_to(ROOT))
        for folder in ("assets", "notebooks")
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and ".ipynb_checkpoints" not in p.parts and "__pycache__" not in p.parts
    }
    assert in_checkout <= shipped, f"not shipped: {sorted(in_checkout - shipped)[:5]}"


def test_installed_course_reads_package_data(installed, tmp_path):
    bindir, env = installed
    code = (
        "from fluorohip.core.paths import project_root; from fluorohip.content.course_map import course_map; "
        "import fluorohip; print(project_root()); print(len(course_map()))"
    )
    out = _run([bindir / "python", "-c", code], cwd=tmp_path, env=env).split()
    assert "site-packages" in out[0] and out[0].endswith("_course"), out
    assert int(out[1]) >= 8


def test_validate_and_copy_in_an_empty_folder(installed, tmp_path):
    bindir, env = installed
    assert "All course content is valid." in _run(
        [bindir / "fluorohip", "validate"], cwd=tmp_path, env=env
    )
    out = _run([bindir / "fluorohip", "notebooks", "--copy", "course"], cwd=tmp_path, env=env)
    assert (tmp_path / "course" / "00_start_here.ipynb").is_file()
    assert (tmp_path / "course" / "instructor" / "class_results.ipynb").is_file()
    assert "copied" in out
    # A second copy keeps the learner's edited file.
    edited = tmp_path / "course" / "01_hip_anatomy.ipynb"
    edited.write_text("my notes")
    out = _run([bindir / "fluorohip", "notebooks", "--copy", "course"], cwd=tmp_path, env=env)
    assert edited.read_text() == "my notes" and "kept" in out


def test_installed_class_report_renders_the_sample_class(installed, tmp_path):
    """The report's Jinja2 templates are package data: the CLI writes a whole report from the
    wheel alone (the sample class ships in the course assets)."""
    bindir, env = installed
    exports = _run(
        [
            bindir / "python",
            "-c",
            "from fluorohip.core.paths import assets_dir; "
            "print(assets_dir() / 'instructor' / 'sample_exports')",
        ],
        cwd=tmp_path,
        env=env,
    ).strip()
    assert "site-packages" in exports, exports
    out = tmp_path / "report.html"
    _run([bindir / "fluorohip", "class-report", exports, "--out", out], cwd=tmp_path, env=env)
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert page.count("data:image/png;base64,") >= 4  # participation, objectives, items, gains
    assert "Questions to revisit in the debrief" in page
