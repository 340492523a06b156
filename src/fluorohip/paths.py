"""Where the course's files live, found the same way from a notebook, a test or the CLI.

The project root is the folder that holds ``assets/``. An installed (non-editable) package
has no assets beside it, so ``FLUOROHIP_ROOT`` may point at a checkout explicitly.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The checkout that holds ``assets/`` and ``notebooks/``."""
    env = os.environ.get("FLUOROHIP_ROOT")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "assets").is_dir() and (parent / "pyproject.toml").is_file():
            return parent
    cwd = Path.cwd().resolve()
    for parent in (cwd, *cwd.parents):
        if (parent / "assets").is_dir():
            return parent
    raise FileNotFoundError(
        "Cannot find the fluorohip course folder (the one holding assets/). "
        "Run from inside the checkout or set FLUOROHIP_ROOT."
    )


def assets_dir() -> Path:
    return project_root() / "assets"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def quizzes_dir() -> Path:
    return assets_dir() / "quizzes"


def bibliography_file() -> Path:
    return assets_dir() / "references.yaml"
