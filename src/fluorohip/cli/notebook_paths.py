"""The notebooks a ``refs`` or ``notebooks`` command works on, refused before anything changes."""

from __future__ import annotations

from pathlib import Path


class NotANotebook(ValueError):
    """A path given as a notebook that is not one; the message names it."""


def notebooks_to_use(names: list[str]) -> list[Path]:
    """The notebooks named, or every course notebook; each checked to be a readable notebook."""
    from ..authoring import all_notebooks  # the old name stays one release, wherever it moves

    paths = [Path(p) for p in names] or all_notebooks()
    check_notebooks(paths)
    return paths


def check_notebooks(paths: list[Path]) -> None:
    """Refuse, before changing anything, a path that is not a readable Jupyter notebook."""
    import nbformat

    for path in paths:
        try:
            nb = nbformat.read(path, as_version=4)
            nbformat.validate(nb)
        except FileNotFoundError:
            raise NotANotebook(f"{path}: no such file") from None
        except IsADirectoryError:
            raise NotANotebook(f"{path}: is a folder, not a notebook") from None
        except OSError as exc:
            raise NotANotebook(f"{path}: cannot be read ({exc.strerror or exc})") from None
        except (
            Exception
        ) as exc:  # NotJSONError, jsonschema/nbformat ValidationError, bad version...
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise NotANotebook(f"{path}: not a Jupyter notebook ({first[:160]})") from None
