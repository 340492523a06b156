"""The import graph: every module imports on its own, and the packages import each other without a cycle.

Why both. A cycle between packages (``quiz/loader.py -> cases/bank.py -> cases/loader.py ->
quiz/loader.py`` was one) works or breaks depending on which module a notebook happens to import
first, so each module is imported in a fresh process of its own. The static check reads every
``import`` in ``src/`` (function-level ones too: the cycle above hid in one) and fails on any cycle
between packages, naming the modules that make each edge.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import itertools
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = "fluorohip"

#: Upward edges that other issue-20 branches remove, left out of the cycle check until then; each
#: must still exist (a test says when to delete it), so none can come back unseen.
ALLOWED_EDGES = {
    # progress.cli (``fluorohip progress show``) needs the catalog, which sits above progress; it
    # goes with the move of the CLI modules to ``cli/`` (i20-progcli).
    ("fluorohip.progress", "fluorohip.content"),
}


# -- the graph ---------------------------------------------------------------------------------------
def module_name(path: Path, src: Path = SRC) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules(src: Path = SRC) -> list[str]:
    return sorted(module_name(p, src) for p in (src / PACKAGE).rglob("*.py"))


def unit_of(module: str) -> str | None:
    """The package-level node a module belongs to: ``fluorohip.quiz`` for ``fluorohip.quiz.loader``,
    ``fluorohip.chapters.hip_anatomy`` for a chapter package's modules (each chapter is its own unit);
    None for the root package, which only re-exports."""
    parts = module.split(".")
    if len(parts) < 2:
        return None
    depth = 3 if parts[1] == "chapters" and len(parts) >= 3 else 2
    return ".".join(parts[:depth])


def _type_checking_block(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except those only run by a type checker."""
    for node in ast.iter_child_nodes(tree):
        if _type_checking_block(node):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        yield from _imports(node)


def imported_modules(path: Path, known: set[str], src: Path = SRC) -> set[str]:
    """The ``fluorohip`` modules a file imports, resolved to modules that exist."""
    name = module_name(path, src)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [a.name for a in node.names]
        else:
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            candidates = [f"{target}.{a.name}" for a in node.names] + [target]
        for candidate in candidates:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate:
                found.add(candidate)
    return found


def third_party_imports(src: Path = SRC) -> list[str]:
    """Every non-fluorohip module named in an import anywhere in the package (loaded once, before forking)."""
    names: set[str] = set()
    for path in (src / PACKAGE).rglob("*.py"):
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif node.level == 0 and node.module:
                names.add(node.module)
    return sorted(n for n in names if n.split(".")[0] != PACKAGE)


def package_graph(src: Path = SRC) -> dict[str, dict[str, set[str]]]:
    """``graph[a][b]`` = the modules of package ``a`` that import package ``b``."""
    known = set(all_modules(src))
    graph: dict[str, dict[str, set[str]]] = {}
    for path in sorted((src / PACKAGE).rglob("*.py")):
        source = module_name(path, src)
        a = unit_of(source)
        for target in imported_modules(path, known, src):
            b = unit_of(target)
            if a and b and a != b:
                graph.setdefault(a, {}).setdefault(b, set()).add(source)
    return graph


@functools.lru_cache(maxsize=1)
def real_graph() -> dict[str, dict[str, set[str]]]:
    """The graph of this checkout's ``src/``, read once for the tests below (they only read it)."""
    return package_graph(SRC)


def find_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a closed path ``[a, b, ..., a]``) per strongly connected group of nodes.

    Tarjan's algorithm finds the groups; a breadth-first search inside each group gives a shortest
    cycle through its first node, which is what a person needs to read to break it.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1 or v in edges.get(v, ()):
                groups.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    cycles = []
    for group in groups:
        start, members = group[0], set(group)
        paths = {start: [start]}
        queue = [start]
        cycle = None
        while queue and cycle is None:
            v = queue.pop(0)
            for w in sorted(edges.get(v, ())):
                if w == start:
                    cycle = paths[v] + [start]
                    break
                if w in members and w not in paths:
                    paths[w] = paths[v] + [w]
                    queue.append(w)
        cycles.append(cycle or group)
    return sorted(cycles)


def describe(cycle: list[str], graph: dict[str, dict[str, set[str]]]) -> str:
    steps = [
        f"  {a} -> {b} (in {', '.join(sorted(graph.get(a, {}).get(b, ())))})"
        for a, b in itertools.pairwise(cycle)
    ]
    return " -> ".join(cycle) + "\n" + "\n".join(steps)


# -- the tests ---------------------------------------------------------------------------------------
def test_find_cycles_reports_a_synthetic_cycle():
    """The check can fail: the cycle issue 20 removed, as a graph, is found and named."""
    edges = {
        "fluorohip.quiz": {"fluorohip.cases", "fluorohip.core"},
        "fluorohip.cases": {"fluorohip.quiz", "fluorohip.core"},
        "fluorohip.content": {"fluorohip.quiz", "fluorohip.cases"},
    }
    assert find_cycles(edges) == [["fluorohip.cases", "fluorohip.quiz", "fluorohip.cases"]]
    edges["fluorohip.cases"] = {"fluorohip.core"}
    edges["fluorohip.core"] = {"fluorohip.content"}  # a longer one through three packages
    assert find_cycles(edges) == [
        ["fluorohip.cases", "fluorohip.core", "fluorohip.content", "fluorohip.cases"]
    ]
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_a_reintroduced_cycle_is_caught_in_real_source(tmp_path):
    """Copy quiz and cases, put the catalog's old import back into the quiz loader: a cycle again."""
    import shutil

    src = tmp_path / "src"
    for folder in ("quiz", "cases", "core"):
        shutil.copytree(SRC / PACKAGE / folder, src / PACKAGE / folder)
    (src / PACKAGE / "__init__.py").write_text("")
    loader = src / PACKAGE / "quiz" / "loader.py"
    assert find_cycles({a: set(b) for a, b in package_graph(src).items()}) == []
    loader.write_text(
        loader.read_text(encoding="utf-8")
        + "\n\ndef catalog():\n    from ..cases.bank import cases_bank\n\n    return cases_bank()\n"
    )
    graph = package_graph(src)
    cycles = find_cycles({a: set(b) for a, b in graph.items()})
    assert cycles == [["fluorohip.cases", "fluorohip.quiz", "fluorohip.cases"]]
    assert "fluorohip.quiz.loader" in describe(cycles[0], graph)


def test_type_only_imports_are_not_edges(tmp_path):
    (tmp_path / PACKAGE / "a").mkdir(parents=True)
    (tmp_path / PACKAGE / "b").mkdir()
    (tmp_path / PACKAGE / "__init__.py").write_text("")
    (tmp_path / PACKAGE / "a" / "__init__.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..b import x\n"
    )
    (tmp_path / PACKAGE / "b" / "__init__.py").write_text("def f():\n    from ..a import y\n")
    assert package_graph(tmp_path) == {"fluorohip.b": {"fluorohip.a": {"fluorohip.b"}}}


def test_the_packages_import_each_other_without_a_cycle():
    graph = real_graph()
    assert graph, "no imports found: is SRC right?"
    edges = {a: {b for b in targets if (a, b) not in ALLOWED_EDGES} for a, targets in graph.items()}
    cycles = find_cycles(edges)
    assert not cycles, "import cycle(s) between packages:\n" + "\n".join(
        describe(c, graph) for c in cycles
    )


def test_every_allowed_edge_still_exists():
    """An allowed edge that is gone must leave ALLOWED_EDGES, so it cannot come back unseen."""
    graph = real_graph()
    gone = sorted(e for e in ALLOWED_EDGES if e[1] not in graph.get(e[0], {}))
    assert not gone, f"these imports are gone; delete them from ALLOWED_EDGES: {gone}"


#: Run in a subprocess: third-party libraries load once, then each fluorohip module is imported in
#: a child forked from that clean state (two at a time), so no module sees another fluorohip
#: module loaded first.
IMPORT_EACH = textwrap.dedent(
    """
    import importlib, json, os, sys, traceback
    sys.modules.setdefault("rfc3987_syntax", None)  # as fluorohip.core.schemas does: 17 s saved
    for third_party in json.loads(sys.argv[2]):
        try:
            importlib.import_module(third_party)
        except Exception:
            pass  # an optional library; the module that needs it reports it below
    assert not [m for m in sys.modules if m == "fluorohip" or m.startswith("fluorohip.")]
    failures, running = {}, {}

    def reap():
        pid, status = os.wait()
        name, read = running.pop(pid)
        with os.fdopen(read, "rb") as pipe:
            message = pipe.read().decode(errors="replace")
        if status != 0:
            failures[name] = message or f"exit status {status}"

    for name in json.loads(sys.argv[1]):
        if len(running) >= int(sys.argv[3]):
            reap()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            try:
                importlib.import_module(name)
                code = 0
            except BaseException:
                os.write(write, traceback.format_exc(limit=6).encode()[-3000:])
                code = 1
            os._exit(code)
        os.close(write)
        running[pid] = (name, read)
    while running:
        reap()
    print(json.dumps(failures))
    """
)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="forks a child per module")
def test_every_module_imports_on_its_own():
    modules = all_modules()
    assert len(modules) > 20
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            IMPORT_EACH,
            json.dumps(modules),
            json.dumps(third_party_imports()),
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=SRC.parent,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    failures = json.loads(result.stdout.strip().splitlines()[-1])
    # fluorohip.hub's authenticator needs the `hub` extra (JupyterHub); the Python-matrix venvs
    # install only the `test` extra, so a missing JupyterHub there is not an import fault.
    missing_extras = [m for m in OPTIONAL_EXTRAS if importlib.util.find_spec(m) is None]
    failures = {
        name: why
        for name, why in failures.items()
        if not any(f"No module named '{m}'" in why for m in missing_extras)
    }
    assert not failures, "\n\n".join(f"{name}:\n{why}" for name, why in failures.items())


#: Third-party packages that only an optional extra installs (pyproject: `hub`).
OPTIONAL_EXTRAS = ("jupyterhub",)


def test_the_import_check_can_fail(tmp_path):
    """A module that cannot import (here: a cycle that breaks at import time) is reported by name."""
    package = tmp_path / "fluorohip_demo"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .b import B\nA = 1\n")
    (package / "b.py").write_text("from .a import A\nB = 2\n")
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH, json.dumps(["fluorohip_demo.a"]), "[]", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    failures = json.loads(result.stdout.strip().splitlines()[-1])
    assert (
        list(failures) == ["fluorohip_demo.a"]
        and "partially initialized" in failures["fluorohip_demo.a"]
    )
