"""Every third-party package that src/fluorohip imports is declared in pyproject.toml.

A package that only arrives as someone else's dependency (IPython through ipykernel,
referencing through jsonschema) can vanish from an install when that other package changes.
Modules under fluorohip/hub/ may use the `hub` extra and the website builder the `site` extra;
everything else needs a runtime dependency.
"""

from __future__ import annotations

import ast
import sys
from functools import cache, lru_cache
from importlib.metadata import distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "fluorohip"


@lru_cache(maxsize=1)
def packages_distributions() -> dict[str, list[str]]:
    """Top-level module -> distributions, from each distribution's RECORD (read once).

    Not importlib.metadata.packages_distributions: on Python 3.10 it reads only top_level.txt,
    which flit-built packages such as markdown-it-py do not have."""
    owners: dict[str, list[str]] = {}
    for dist in distributions():
        name = dist.metadata["Name"]
        tops = set((dist.read_text("top_level.txt") or "").split())
        for file in dist.files or []:
            first = file.parts[0]
            if first.endswith((".dist-info", ".egg-info", ".data")) or first in (
                "..",
                "__pycache__",
            ):
                continue
            tops.add(first[:-3] if first.endswith(".py") else first.split(".")[0])
        for top in tops:
            owners.setdefault(top, []).append(name)
    return owners


@cache
def declared_cached(extra: str | None) -> frozenset[str]:
    return frozenset(declared(extra))


def imported_top_levels(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"fluorohip", "__future__"}


def declared(extra: str | None = None) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    items = project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])
    return {canonicalize_name(Requirement(r).name) for r in items}


def undeclared(files, allowed: set[str], extra: str | None = None) -> dict[str, str]:
    owners = packages_distributions()
    missing = {}
    for path in files:
        for module in imported_top_levels(path):
            if extra and module not in owners:
                continue  # that extra is not installed here (e.g. the 3.10/3.13 runs install only `test`)
            dists = {canonicalize_name(d) for d in owners.get(module, [module])}
            if not dists & allowed:
                missing[module] = path.name
    return missing


def extra_of(path: Path) -> str | None:
    rel = path.relative_to(SRC)
    if rel.parts[0] == "hub":
        return "hub"
    if rel.as_posix() == "instructor/book.py":
        return "site"
    return None


def test_every_import_is_declared():
    missing = {}
    for path in sorted(SRC.rglob("*.py")):
        extra = extra_of(path)
        missing |= undeclared([path], set(declared_cached(extra)), extra)
    assert not missing, (
        f"imported but not declared in pyproject.toml (module: first file): {missing}"
    )


def test_checker_sees_an_undeclared_import(tmp_path):
    module = tmp_path / "uses_ipython.py"
    module.write_text("from IPython.display import display\nimport numpy\nimport json\n")
    assert undeclared([module], declared()) == {}
    assert undeclared([module], declared() - {"ipython"}) == {"IPython": "uses_ipython.py"}
