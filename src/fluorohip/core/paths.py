"""Where the course's files live, found the same way from a notebook, a test or the CLI.

The course root is a folder that holds ``assets/`` and ``notebooks/``. Three places can give it,
tried in this order:

1. ``FLUOROHIP_ROOT`` (an instructor's edited copy of the course, or a test's fixture);
2. the checkout this package was imported from (an editable install: edits show at once);
3. the package's own data, ``fluorohip/_course/`` (an installed wheel; ``setup.py`` copies the
   checkout's ``assets/`` and ``notebooks/`` there at build time), read through
   :mod:`importlib.resources`.

As a last resort the current folder and its parents are searched for ``assets/``.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

#: Package-data folder (inside ``fluorohip``) that holds the course in a built wheel.
PACKAGED_COURSE = "_course"


def checkout_root() -> Path | None:
    """The source checkout this package runs from (editable install), if any."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "assets").is_dir() and (parent / "pyproject.toml").is_file():
            return parent
    return None


def packaged_root() -> Path | None:
    """The course shipped inside the installed package, if this is a built install."""
    root = files("fluorohip") / PACKAGED_COURSE
    if not (root.is_dir() and (root / "assets").is_dir()):
        return None
    if not isinstance(root, Path):  # e.g. imported from a zip file: the course needs real files
        raise FileNotFoundError(
            "fluorohip is installed inside an archive; install it as an ordinary wheel "
            "(pip install fluorohip) or set FLUOROHIP_ROOT to a copy of the course."
        )
    return root


def project_root() -> Path:
    """The course folder that holds ``assets/`` and ``notebooks/``."""
    env = os.environ.get("FLUOROHIP_ROOT")
    if env:
        return Path(env)
    found = checkout_root() or packaged_root()
    if found is not None:
        return found
    cwd = Path.cwd().resolve()
    for parent in (cwd, *cwd.parents):
        if (parent / "assets").is_dir():
            return parent
    raise FileNotFoundError(
        "Cannot find the fluorohip course folder (the one holding assets/). "
        "Install the fluorohip wheel, run from inside the checkout, or set FLUOROHIP_ROOT."
    )


def assets_dir() -> Path:
    return project_root() / "assets"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def quizzes_dir() -> Path:
    return assets_dir() / "quizzes"


def bibliography_file() -> Path:
    return assets_dir() / "references.yaml"
