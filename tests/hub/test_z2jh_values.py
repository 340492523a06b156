"""deploy/z2jh/values.yaml checked offline: keys of the chart, sizing from benchmarks/hub.json, hygiene."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
VALUES = REPO / "deploy" / "z2jh" / "values.yaml"
spec = importlib.util.spec_from_file_location("z2jh_validate", REPO / "deploy" / "z2jh" / "validate.py")
validate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(validate)


def _bench(tmp_path, peak_mib=354.4):
    f = tmp_path / "hub.json"
    f.write_text(json.dumps({"learners": 20, "memory_mib": {"per_learner_hwm": {"max": peak_mib},
                                                            "per_learner_rss": {"max": peak_mib * 0.7}}}))
    return f


def test_committed_values_pass_against_committed_measurement():
    assert validate.validate(VALUES, REPO / "benchmarks" / "hub.json") == []


def test_unknown_key_secret_and_small_memory_are_reported(tmp_path):
    values = yaml.safe_load(VALUES.read_text())
    values["singleuser"]["memroy"] = {"limit": "1G"}  # typo
    values["hub"]["config"]["SharedPasswordAuthenticator"]["user_password"] = "hunter2hunter2"
    values["singleuser"]["image"]["tag"] = "latest"
    values["cull"]["enabled"] = False
    bad = tmp_path / "values.yaml"
    bad.write_text(yaml.safe_dump(values))
    problems = "\n".join(validate.validate(bad, _bench(tmp_path, peak_mib=900)))
    for needle in ("singleuser.memroy: not a key", "user_password: a secret is committed", "must be pinned",
                   "cull.enabled", "guarantee", "limit"):
        assert needle in problems, problems


def test_extra_config_must_compile(tmp_path):
    values = yaml.safe_load(VALUES.read_text())
    values["hub"]["extraConfig"]["broken"] = "def f(:\n"
    bad = tmp_path / "values.yaml"
    bad.write_text(yaml.safe_dump(values))
    assert any("hub.extraConfig.broken" in p for p in validate.validate(bad, _bench(tmp_path)))


def test_byte_values_follow_kubespawner_units():
    assert validate.bytes_of("600M") == 600 * 2**20 and validate.bytes_of("1G") == 2**30
    try:
        validate.bytes_of("600Mi")
    except ValueError:
        pass
    else:
        raise AssertionError("600Mi is not a KubeSpawner byte value")
