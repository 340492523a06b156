"""environment.yml (Binder / repo2docker, hub images) against pyproject.toml and conda-forge's names.

conda cannot run on the CI machines (no channel is reachable), so this offline check is what
keeps the learner image solvable and in step with `pip install`: conda-forge names come from the
vetted list tests/data/conda-forge-names.yaml, and version bounds must equal pyproject's.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
NAMES = yaml.safe_load((ROOT / "tests" / "data" / "conda-forge-names.yaml").read_text())
CONDA_ONLY = {"python", "pip"}
#: repo2docker's conda buildpack reads the Python version with this pattern (re.match on each dependency).
REPO2DOCKER_PYTHON = re.compile(r"python\s*=+\s*([\d\.]*)")
#: From the hub extra, the learner image carries only what a singleuser server needs.
HUB_IN_IMAGE = {"jupyterhub", "nbgitpuller"}


def conda_spec(spec: str) -> tuple[str, SpecifierSet]:
    """(conda name, bounds) of one conda dependency line; `=3.12` reads as `==3.12.*`."""
    spec = spec.split("::")[-1].strip()
    m = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    assert m, f"environment.yml: cannot read dependency {spec!r}"
    name, bounds = m.group(1), m.group(2).replace(" ", "")
    if bounds.startswith("=") and not bounds.startswith("=="):
        bounds = "==" + bounds[1:] + ("" if bounds.endswith("*") else ".*")
    return name, SpecifierSet(bounds)


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def requirements(items) -> dict[str, SpecifierSet]:
    return {canonicalize_name(r.name): r.specifier for r in map(Requirement, items)}


def conda_to_pypi() -> dict[str, str]:
    return {conda: canonicalize_name(pypi) for pypi, conda in NAMES["pypi_to_conda_forge"].items()}


def conda_requirements(env: dict) -> tuple[dict[str, SpecifierSet], list[str]]:
    """PyPI name -> bounds for everything environment.yml installs, and the problems found."""
    out, problems = {}, []
    known = conda_to_pypi()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for item in dep.get("pip", []):
                if item.startswith("-"):
                    continue
                r = Requirement(item)
                if canonicalize_name(r.name) not in map(canonicalize_name, NAMES["pip_only"]):
                    problems.append(
                        f"pip: {r.name} is not in pip_only (conda-forge has it: list it as a conda dependency)"
                    )
                out[canonicalize_name(r.name)] = r.specifier
            continue
        name, spec = conda_spec(str(dep))
        if name in CONDA_ONLY:
            continue
        if name not in known:
            wrong = NAMES["wrong_on_conda_forge"].get(name)
            problems.append(
                f"{name}: "
                + (wrong or "not a vetted conda-forge name (tests/data/conda-forge-names.yaml)")
            )
            continue
        out[known[name]] = spec
    return out, problems


@pytest.fixture(scope="module")
def env() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_environment_file_shape(env):
    assert env["name"] == "fluorohip"
    assert env["channels"][0] == "conda-forge"
    names = [conda_spec(str(d))[0] for d in env["dependencies"] if not isinstance(d, dict)]
    assert "python" in names and "pip" in names


def test_every_name_is_conda_forges(env):
    _, problems = conda_requirements(env)
    assert not problems, problems


def test_runtime_dependencies_present_with_same_bounds(env):
    runtime = requirements(project()["dependencies"])
    conda, _ = conda_requirements(env)
    missing = sorted(set(runtime) - set(conda))
    assert not missing, f"in pyproject.toml dependencies, not in environment.yml: {missing}"
    differ = {n: (str(runtime[n]), str(conda[n])) for n in runtime if runtime[n] != conda[n]}
    assert not differ, f"version bounds differ (pyproject, environment.yml): {differ}"


def test_learner_image_has_no_test_extra_and_only_known_extras(env):
    extras = project()["optional-dependencies"]
    runtime, hub = requirements(project()["dependencies"]), requirements(extras["hub"])
    conda, _ = conda_requirements(env)
    test_only = set(requirements(r.split(";")[0] for r in extras["test"])) - set(runtime) - set(hub)
    assert not (set(conda) & test_only), (
        f"test extra in the learner image: {sorted(set(conda) & test_only)}"
    )
    stray = sorted(set(conda) - set(runtime) - HUB_IN_IMAGE)
    assert not stray, (
        f"in environment.yml but neither a runtime dependency nor a hub image need: {stray}"
    )
    for name in HUB_IN_IMAGE:
        assert name in conda and conda[name] == hub[name], (
            f"{name}: missing or bounds differ from the hub extra"
        )


def test_python_pinned_the_way_repo2docker_reads_it(env):
    pins = [
        m.group(1)
        for d in env["dependencies"]
        if isinstance(d, str) and (m := REPO2DOCKER_PYTHON.match(d))
    ]
    assert pins and pins[0], "repo2docker reads the Python version only from `python=X.Y`"
    assert Version(pins[0]) in SpecifierSet(project()["requires-python"])


def test_binder_installs_the_package_non_editable():
    post = (ROOT / "postBuild").read_text()
    assert re.search(r"pip install[^\n]*--no-deps[^\n]* \.(\s|$)", post), (
        "postBuild must install the course package"
    )
    assert not re.search(r"pip install[^\n]*(\s-e\s|--editable)", post), (
        "an editable install breaks under a mounted $HOME"
    )


def test_checker_catches_a_drift_and_a_pypi_name(env):
    """The comparison itself must be able to fail: drop one package, change a bound, use PyPI spellings."""
    drifted = dict(env)
    deps = [d for d in env["dependencies"] if not str(d).startswith("filelock")]
    deps = [("numpy>=2" if str(d).startswith("numpy") else d) for d in deps]
    drifted["dependencies"] = deps + [
        "jupyterlab-rise>=0.43",
        "playwright>=1.45",
        {"pip": ["numpy"]},
    ]
    conda, problems = conda_requirements(drifted)
    assert (
        "filelock" not in conda
        and conda["numpy"] != requirements(project()["dependencies"])["numpy"]
    )
    text = "\n".join(problems)
    assert "jupyterlab_rise" in text and "playwright-python" in text and "pip: numpy" in text
    assert conda_spec("python=3.12")[1] == SpecifierSet("==3.12.*")
