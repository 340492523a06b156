"""Build step that makes the wheel self-contained.

The course content (``assets/`` and ``notebooks/``) lives at the top of the checkout, where
authors and instructors edit it. A wheel must carry it too, so ``build_py`` copies both folders
into ``fluorohip/_course/`` inside the build tree. An editable install skips the copy: there
``fluorohip.core.paths`` reads the checkout itself, so edits show without reinstalling.
Everything else about the package is declared in ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
#: Folders of the checkout shipped as package data, under ``fluorohip/_course/``.
COURSE_FOLDERS = ("assets", "notebooks")
SKIP = shutil.ignore_patterns(
    ".ipynb_checkpoints", "__pycache__", "*.pyc", ".DS_Store", "*.corrupt-*", "*.tmp"
)


class BuildPyWithCourse(build_py):
    """``build_py`` plus a copy of the course folders into the package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "fluorohip" / "_course"
        for name in COURSE_FOLDERS:
            source = HERE / name
            if not (source / ".").is_dir():
                raise SystemExit(
                    f"fluorohip build: {source} is missing; build from a checkout or an sdist"
                )
            destination = target / name
            if destination.exists():
                shutil.rmtree(destination)
            shutil.copytree(source, destination, ignore=SKIP)


setup(cmdclass={"build_py": BuildPyWithCourse})
