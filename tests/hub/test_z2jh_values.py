"""deploy/z2jh/values.yaml checked offline: the chart's own schema per supported release, the
project's sizing rules from benchmarks/hub.json, the instructor hook, and generated README sizing."""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
Z2JH = REPO / "deploy" / "z2jh"
VALUES = Z2JH / "values.yaml"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


validate = _load("z2jh_validate", Z2JH / "validate.py")
sizing = _load("deploy_sizing", REPO / "deploy" / "sizing.py")
RELEASES = validate.supported_releases()


def _bench(tmp_path, peak_mib=354.4):
    data = json.loads((REPO / "benchmarks" / "hub.json").read_text())
    data["memory_mib"]["per_learner_hwm"]["max"] = peak_mib
    data["memory_mib"]["per_learner_rss"]["max"] = peak_mib * 0.7
    f = tmp_path / "hub.json"
    f.write_text(json.dumps(data))
    return f


def _values() -> dict:
    return yaml.safe_load(VALUES.read_text())


def _problems(tmp_path, values: dict, **bench) -> str:
    path = tmp_path / "values.yaml"
    path.write_text(yaml.safe_dump(values))
    return "\n".join(validate.validate(path, _bench(tmp_path, **bench)))


def test_supported_releases_span_4_2_to_current():
    assert {"4.2.0", "4.3.5", "4.4.0"} <= set(RELEASES)


def test_vendored_chart_files_are_the_recorded_ones():
    manifest = yaml.safe_load((Z2JH / "chart-schema" / "versions.yaml").read_text())
    for name, digest in manifest["sha256"].items():
        assert hashlib.sha256((Z2JH / "chart-schema" / name).read_bytes()).hexdigest() == digest, (
            name
        )
    assert "BSD 3-Clause" in (Z2JH / "chart-schema" / "LICENSE").read_text()


@pytest.mark.parametrize("release", sorted(RELEASES))
def test_committed_values_pass_each_release_schema(release):
    assert validate.schema_problems(_values(), release, RELEASES[release]) == []


def test_committed_values_pass_every_rule():
    assert validate.validate(VALUES, REPO / "benchmarks" / "hub.json") == []


def test_unknown_key_secret_and_small_memory_are_reported(tmp_path):
    values = _values()
    values["singleuser"]["memroy"] = {"limit": "1G"}  # typo
    values["hub"]["config"]["SharedPasswordAuthenticator"]["user_password"] = "hunter2hunter2"
    values["singleuser"]["image"]["tag"] = "latest"
    values["cull"]["enabled"] = False
    problems = _problems(tmp_path, values, peak_mib=900)
    for release in RELEASES:
        assert (
            f"chart {release}: singleuser: Additional properties are not allowed ('memroy'"
            in problems
        )
    for needle in (
        "user_password: a secret is committed",
        "must be pinned",
        "cull.enabled",
        "guarantee",
        "limit",
    ):
        assert needle in problems, problems


def test_schema_differs_between_releases(tmp_path):
    """Dict-form extraVolumes is valid from chart 4.3 on, not in 4.2: each release is checked on its own."""
    values = _values()
    storage = values["singleuser"]["storage"]
    storage["extraVolumes"] = {v["name"]: v for v in storage["extraVolumes"]}
    problems = _problems(tmp_path, values)
    assert "chart 4.2.0: singleuser.storage.extraVolumes" in problems
    assert "chart 4.4.0" not in problems and "chart 4.3.5" not in problems


def test_folder_image_and_install_rules(tmp_path):
    values = _values()
    values["hub"]["extraConfig"]["old"] = "spawner.volumes = list(spawner.volumes) + []\n"
    mounts = values["singleuser"]["storage"]["extraVolumeMounts"]
    next(m for m in mounts if m["mountPath"] == "/srv/released")["readOnly"] = False
    values["singleuser"]["storage"]["extraVolumeMounts"] = [
        m for m in mounts if m["mountPath"] != "/srv/progress"
    ]
    values["prePuller"]["extraImages"] = {}
    values["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"] = [
        "sh",
        "-c",
        "pip install -e ~/fluorohip",
    ]
    problems = _problems(tmp_path, values)
    for needle in (
        "hub.extraConfig.old: list(spawner.volumes",
        "FLUOROHIP_HOME=/srv/progress is not a mountPath",
        "release folder must be mounted readOnly",
        "busybox:1.36.1 is not pre-pulled",
        "editable install",
    ):
        assert needle in problems, problems


def test_extra_config_must_compile(tmp_path):
    values = _values()
    values["hub"]["extraConfig"]["broken"] = "def f(:\n"
    assert "hub.extraConfig.broken" in _problems(tmp_path, values)


def _run_hook(admin: bool, mounts):
    c = SimpleNamespace(KubeSpawner=SimpleNamespace())
    exec(_values()["hub"]["extraConfig"]["fluorohip-instructor"], {"c": c})
    spawner = SimpleNamespace(
        user=SimpleNamespace(admin=admin),
        volume_mounts=copy.deepcopy(mounts),
        environment={"FLUOROHIP_HOME": "/srv/progress"},
    )
    c.KubeSpawner.pre_spawn_hook(spawner)
    return spawner


@pytest.mark.parametrize("form", ["list (chart 4.2)", "dict (chart 4.3+)"])
def test_instructor_hook_keeps_home_and_opens_release(form):
    mounts = [{"name": "home", "mountPath": "/home/jovyan"}] + _values()["singleuser"]["storage"][
        "extraVolumeMounts"
    ]
    if form.startswith("dict"):
        mounts = {f"{i}-{m['name']}": m for i, m in enumerate(mounts)}
    learner = _run_hook(False, mounts)
    assert learner.volume_mounts == mounts and "FLUOROHIP_SUBMISSIONS" not in learner.environment
    admin = _run_hook(True, mounts)
    got = (
        list(admin.volume_mounts.values())
        if isinstance(admin.volume_mounts, dict)
        else admin.volume_mounts
    )
    assert type(admin.volume_mounts) is type(mounts)
    by_path = {m["mountPath"]: m for m in got}
    assert "/home/jovyan" in by_path and by_path["/srv/progress"]["subPath"] == "{username}"
    assert (
        by_path["/srv/submissions"]["readOnly"] is True
        and by_path["/srv/released"]["readOnly"] is False
    )
    assert admin.environment["FLUOROHIP_SUBMISSIONS"] == "/srv/submissions"


def test_byte_values_follow_kubespawner_units():
    assert validate.bytes_of("600M") == 600 * 2**20 and validate.bytes_of("1G") == 2**30
    with pytest.raises(ValueError):
        validate.bytes_of("600Mi")


def test_readme_sizing_sections_are_generated_from_the_benchmark():
    assert sizing.stale() == [], "run `python deploy/sizing.py --write`"
    text = (REPO / "deploy" / "z2jh" / "README.md").read_text()
    peak = json.loads((REPO / "benchmarks" / "hub.json").read_text())["memory_mib"][
        "per_learner_hwm"
    ]["max"]
    assert f"{peak:.0f} MiB peak" in text


def test_sizing_check_sees_a_new_measurement(tmp_path):
    assert sizing.stale(bench=_bench(tmp_path, peak_mib=400.0)) != []
