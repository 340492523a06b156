"""Small modules with one job each (issue 20): no module under ``src/fluorohip`` is longer than
:data:`MAX_LINES`, except the few physics kernels of the simulator named below, whose length is
one closed-form calculation that reads best in one place.

Lines are counted as the file has them (docstrings and comments included): that is what a
reader scrolls through.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "fluorohip"
MAX_LINES = 500

#: fluoro/ physics modules allowed past the limit, each with the reason it stays whole.
ALLOWED = {
    "fluoro/projector.py": "one DRR kernel: the ray-quadric intervals of every primitive shape",
    "fluoro/meshproj.py": "one numba rasteriser of exact path lengths through triangle meshes",
    "fluoro/contrast3d.py": "one contrast-transport model: spaces, spread in time, splatting",
    "fluoro/phantom.py": "one analytic hip: the primitives, materials and their nesting",
    "fluoro/constants.py": "one table of the simulator's cited physical constants, each with its source",
}


def line_count(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle)


def oversized(package: Path = PACKAGE, limit: int = MAX_LINES) -> dict[str, int]:
    """Module path inside the package -> its lines, for every module over ``limit`` that is not
    allowed."""
    sizes = {
        path.relative_to(package).as_posix(): line_count(path)
        for path in sorted(package.rglob("*.py"))
    }
    return {name: n for name, n in sizes.items() if n > limit and name not in ALLOWED}


def test_the_allow_list_names_existing_fluoro_modules_with_a_reason():
    for name, reason in ALLOWED.items():
        assert name.startswith("fluoro/"), f"{name}: only fluoro/ physics modules may be allowed"
        assert (PACKAGE / name).is_file(), f"{name}: allowed but missing; drop it from ALLOWED"
        assert reason.strip(), f"{name}: give the reason it stays whole"


def test_the_check_catches_a_long_module(tmp_path):
    (tmp_path / "fluoro").mkdir()
    (tmp_path / "short.py").write_text("x = 1\n" * 500)
    (tmp_path / "long.py").write_text("x = 1\n" * 501)
    (tmp_path / "fluoro" / "projector.py").write_text("x = 1\n" * 900)
    assert oversized(tmp_path) == {"long.py": 501}


def test_no_module_is_over_the_limit():
    found = oversized()
    assert not found, f"modules over {MAX_LINES} lines (split them by job): " + ", ".join(
        f"{name} ({n})" for name, n in sorted(found.items(), key=lambda kv: -kv[1])
    )
