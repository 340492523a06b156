"""environment.yml and pyproject.toml must describe the same dependency set.

conda cannot run on the CI machines (no channel is reachable), so this offline check is what
keeps Binder and JupyterHub images in step with `pip install`.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
CONDA_ONLY = {"python", "pip"}
#: conda-forge names that differ from PyPI names (none today; add here, not in the test).
CONDA_TO_PYPI: dict[str, str] = {}


def conda_spec(spec: str) -> tuple[str, SpecifierSet]:
    spec = spec.split("::")[-1].strip()
    m = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    assert m, f"environment.yml: cannot read dependency {spec!r}"
    name, bounds = m.group(1), m.group(2).replace(" ", "")
    if bounds.startswith("=") and not bounds.startswith("=="):
        bounds = "==" + bounds[1:]
    name = CONDA_TO_PYPI.get(name, name)
    return canonicalize_name(name), SpecifierSet(bounds)


def pip_requirements() -> dict[str, SpecifierSet]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    reqs = list(project["dependencies"]) + list(extras["test"]) + list(extras["hub"])
    return {canonicalize_name(r.name): r.specifier for r in map(Requirement, reqs)}


def conda_requirements(env: dict) -> dict[str, SpecifierSet]:
    out = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for item in dep.get("pip", []):
                if not item.startswith("-"):
                    r = Requirement(item)
                    out[canonicalize_name(r.name)] = r.specifier
            continue
        name, spec = conda_spec(str(dep))
        if name not in CONDA_ONLY:
            out[name] = spec
    return out


@pytest.fixture(scope="module")
def env() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_environment_file_shape(env):
    assert env["name"] == "fluorohip"
    assert "conda-forge" in env["channels"]
    names = [str(d).split(">")[0].split("=")[0] for d in env["dependencies"] if not isinstance(d, dict)]
    assert "python" in names and "pip" in names


def test_same_names_both_ways(env):
    pip, conda = pip_requirements(), conda_requirements(env)
    only_pip = sorted(set(pip) - set(conda))
    only_conda = sorted(set(conda) - set(pip))
    assert not only_pip, f"in pyproject.toml, not in environment.yml: {only_pip}"
    assert not only_conda, f"in environment.yml, not in pyproject.toml: {only_conda}"


def test_same_version_bounds(env):
    pip, conda = pip_requirements(), conda_requirements(env)
    differ = {n: (str(pip[n]), str(conda[n])) for n in pip if n in conda and pip[n] != conda[n]}
    assert not differ, f"version bounds differ (pyproject, environment.yml): {differ}"


def test_python_floor_matches(env):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    py = [str(d) for d in env["dependencies"] if str(d).startswith("python")]
    assert py and conda_spec(py[0])[1] == SpecifierSet(project["requires-python"])


def test_binder_installs_the_package():
    post = (ROOT / "postBuild").read_text()
    assert re.search(r"pip install --no-deps -e \.", post), "postBuild must install the course package"


def test_checker_catches_a_drift(env, tmp_path):
    """The comparison itself must be able to fail: drop one package and change one bound."""
    drifted = dict(env)
    deps = [d for d in env["dependencies"] if not str(d).startswith("filelock")]
    deps = [("numpy>=2" if str(d).startswith("numpy") else d) for d in deps]
    drifted["dependencies"] = deps
    pip, conda = pip_requirements(), conda_requirements(drifted)
    assert "filelock" in set(pip) - set(conda)
    assert pip["numpy"] != conda["numpy"]
