#!/usr/bin/env python3
"""Offline check of deploy/z2jh/values.yaml (Kubernetes cannot run on the build machine).

    .venv/bin/python deploy/z2jh/validate.py [values.yaml] [--bench benchmarks/hub.json]

1. For every supported chart release (chart-schema/versions.yaml), the chart's defaults merged with
   these values the way Helm merges them are validated against that release's own
   ``values.schema.yaml`` (vendored from the chart, BSD 3-Clause): unknown keys, wrong types.
2. ``hub.extraConfig`` snippets compile, and do not rebuild ``spawner.volumes``/``volume_mounts``
   with ``list()`` (from chart 4.3 they are dicts; ``list()`` keeps only the keys).
3. Sizing against the measurement (benchmarks/hub.json): memory guarantee >= 1.5 x the measured
   peak per learner, limit >= 3 x it, CPU limit >= 1, guarantee set.
4. Workshop rules: culling on, image pinned, start timeout >= 300 s, no committed secret,
   ``FLUOROHIP_HOME`` / ``FLUOROHIP_RELEASE_DIR`` are mounted folders, the release folder is
   read-only for learners, every init-container image is pinned and pre-pulled, and the course is
   not installed editable (a home volume would hide it).

Exit 0 when every check passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from functools import cache
from pathlib import Path

import yaml
from jsonschema import Draft7Validator

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CHART = HERE / "chart-schema"
LEARNERS = 200
#: Project sizing rules, applied to the per-learner peak measured in benchmarks/hub.json.
GUARANTEE_X_PEAK = 1.5
LIMIT_X_PEAK = 3.0
MIN_START_TIMEOUT_S = 300
TRAITLETS_CLASSES = {
    "JupyterHub",
    "Authenticator",
    "SharedPasswordAuthenticator",
    "KubeSpawner",
    "Spawner",
    "GenericOAuthenticator",
    "GitHubOAuthenticator",
    "LTI13Authenticator",
    "OAuthenticator",
}
SECRET_KEYS = {
    "user_password",
    "admin_password",
    "client_secret",
    "secretToken",
    "cookieSecret",
    "password",
}
LIST_OF_VOLUMES = re.compile(r"list\(\s*spawner\.(volumes|volume_mounts)\s*\)")


def supported_releases() -> dict[str, dict]:
    return yaml.safe_load((CHART / "versions.yaml").read_text())["releases"]


def helm_merge(defaults, values):
    """Helm's coalescing of user values onto chart defaults: maps merge, null deletes, rest replaces."""
    if not (isinstance(defaults, dict) and isinstance(values, dict)):
        return copy.deepcopy(values)
    merged = copy.deepcopy(defaults)
    for key, value in values.items():
        if value is None:
            merged.pop(key, None)
        elif key in merged:
            merged[key] = helm_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


@cache
def _chart_file(name: str):
    """A vendored chart file, parsed once (the schemas are large; the C loader when present)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((CHART / name).read_text(), Loader=loader)


@cache
def _validator(name: str) -> Draft7Validator:
    return Draft7Validator(_chart_file(name))


def schema_problems(values: dict, release: str, info: dict) -> list[str]:
    merged = helm_merge(
        _chart_file(info["defaults"]), values
    )  # helm_merge copies: the cache stays clean
    problems = []
    for error in sorted(
        _validator(info["schema"]).iter_errors(merged), key=lambda e: list(map(str, e.path))
    ):
        where = ".".join(map(str, error.absolute_path)) or "(top level)"
        problems.append(f"chart {release}: {where}: {error.message}")
    return problems


def key_paths(node, prefix: str = ""):
    if isinstance(node, dict):
        for k, v in node.items():
            path = f"{prefix}.{k}" if prefix else str(k)
            yield path, v
            yield from key_paths(v, path)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield f"{prefix}[{i}]", v
            yield from key_paths(v, f"{prefix}[{i}]")


def bytes_of(text) -> int:
    """KubeSpawner's ByteSpecification: an integer or a number with K, M, G or T, powers of 1024."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)([KMGT]?)\s*", str(text))
    if not m:
        raise ValueError(f"{text!r} is not a KubeSpawner byte value (e.g. 600M, 1G; no 'Mi')")
    return int(float(m.group(1)) * 1024 ** " KMGT".index(m.group(2) or " "))


def measured_peak_mib(bench: Path) -> tuple[float, dict]:
    data = json.loads(bench.read_text())
    mem = data["memory_mib"]
    peak = max(mem["per_learner_hwm"]["max"] or 0, mem["per_learner_rss"]["max"] or 0)
    return peak, {
        "learners": data.get("learners"),
        "per_learner_hwm": mem["per_learner_hwm"],
        "per_learner_rss": mem["per_learner_rss"],
    }


def _sizing_problems(su: dict, bench: Path) -> list[str]:
    problems = []
    try:
        guarantee = bytes_of(su["memory"]["guarantee"]) / 2**20
        limit = bytes_of(su["memory"]["limit"]) / 2**20
        peak, _ = measured_peak_mib(bench)
        if not peak:
            problems.append(f"{bench}: no per-learner memory measurement")
        elif guarantee < GUARANTEE_X_PEAK * peak:
            problems.append(
                f"singleuser.memory.guarantee {guarantee:.0f} MiB < {GUARANTEE_X_PEAK} x measured peak {peak:.0f} MiB"
            )
        if peak and limit < LIMIT_X_PEAK * peak:
            problems.append(
                f"singleuser.memory.limit {limit:.0f} MiB < {LIMIT_X_PEAK:g} x measured peak {peak:.0f} MiB"
            )
        if limit < guarantee:
            problems.append("singleuser.memory.limit below the guarantee")
    except FileNotFoundError:
        problems.append(f"{bench}: missing; run `make hub-loadtest` first")
    except (KeyError, TypeError, ValueError) as exc:
        problems.append(f"singleuser.memory: {exc}")
    cpu = su.get("cpu") or {}
    if not cpu.get("limit") or float(cpu["limit"]) < 1:
        problems.append(
            "singleuser.cpu.limit should be at least 1 (a fluoroscope frame uses a full core briefly)"
        )
    if not cpu.get("guarantee"):
        problems.append("singleuser.cpu.guarantee missing")
    return problems


def _folder_problems(values: dict) -> list[str]:
    su = values.get("singleuser") or {}
    problems = []
    env = su.get("extraEnv") or {}
    mounts = (su.get("storage") or {}).get("extraVolumeMounts") or []
    mounts = list(mounts.values()) if isinstance(mounts, dict) else list(mounts)
    by_path = {m.get("mountPath"): m for m in mounts if isinstance(m, dict)}
    for var in ("FLUOROHIP_HOME", "FLUOROHIP_LEARNER", "FLUOROHIP_RELEASE_DIR"):
        if var not in env:
            problems.append(f"singleuser.extraEnv.{var} missing")
    for var in ("FLUOROHIP_HOME", "FLUOROHIP_RELEASE_DIR"):
        path = env.get(var)
        if path and path not in by_path:
            problems.append(
                f"singleuser.extraEnv.{var}={path} is not a mountPath in singleuser.storage.extraVolumeMounts"
            )
    release = by_path.get(env.get("FLUOROHIP_RELEASE_DIR"))
    if release is not None and not release.get("readOnly"):
        problems.append(
            "the release folder must be mounted readOnly for learners (the instructor hook makes it writable)"
        )
    pulled = {
        f"{img.get('name')}:{img.get('tag')}"
        for img in ((values.get("prePuller") or {}).get("extraImages") or {}).values()
    }
    image = su.get("image") or {}
    pulled.add(f"{image.get('name')}:{image.get('tag')}")
    for i, container in enumerate(su.get("initContainers") or []):
        ref = str(container.get("image", ""))
        if ":" not in ref or ref.endswith(":latest"):
            problems.append(f"singleuser.initContainers[{i}].image {ref!r} must be pinned to a tag")
        elif ref not in pulled:
            problems.append(
                f"singleuser.initContainers[{i}].image {ref} is not pre-pulled (prePuller.extraImages)"
            )
    for path, value in key_paths(su):
        if isinstance(value, str) and re.search(r"pip install\b.*(\s-e\s|--editable)", value):
            problems.append(
                f"singleuser.{path}: an editable install lives in a folder the home volume may hide"
            )
    return problems


def validate(values_file: Path, bench: Path, releases: dict[str, dict] | None = None) -> list[str]:
    problems: list[str] = []
    try:
        values = yaml.safe_load(values_file.read_text())
    except yaml.YAMLError as exc:
        return [f"{values_file}: not valid YAML: {exc}"]
    if not isinstance(values, dict):
        return [f"{values_file}: top level is not a mapping"]
    for release, info in (releases or supported_releases()).items():
        problems += schema_problems(values, release, info)
    for path, value in key_paths(values):
        leaf = path.rsplit(".", 1)[-1].split("[")[0]
        if leaf in SECRET_KEYS and value not in ("", None):
            problems.append(f"{path}: a secret is committed; pass it with --set at install time")
    hub = values.get("hub") or {}
    for cls in hub.get("config") or {}:
        if cls not in TRAITLETS_CLASSES:
            problems.append(f"hub.config.{cls}: not a JupyterHub/KubeSpawner/authenticator class")
    for name, code in (hub.get("extraConfig") or {}).items():
        try:
            compile(code, f"hub.extraConfig.{name}", "exec")
        except SyntaxError as exc:
            problems.append(f"hub.extraConfig.{name}: line {exc.lineno}: {exc.msg}")
        if LIST_OF_VOLUMES.search(code):
            problems.append(
                f"hub.extraConfig.{name}: list(spawner.volumes/volume_mounts) drops dict-form volumes (chart 4.3+)"
            )
    su = values.get("singleuser") or {}
    problems += _sizing_problems(su, bench)
    problems += _folder_problems(values)
    tag = str((su.get("image") or {}).get("tag", ""))
    if not tag or tag == "latest":
        problems.append("singleuser.image.tag must be pinned (not empty, not latest)")
    if int(su.get("startTimeout") or 0) < MIN_START_TIMEOUT_S:
        problems.append(
            f"singleuser.startTimeout should be >= {MIN_START_TIMEOUT_S} s (image pulls and a class arriving at once)"
        )
    if not (values.get("cull") or {}).get("enabled"):
        problems.append("cull.enabled must be true")
    if int(hub.get("activeServerLimit") or 0) < LEARNERS:
        problems.append(f"hub.activeServerLimit below {LEARNERS}")
    return problems


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("values", nargs="?", type=Path, default=HERE / "values.yaml")
    p.add_argument("--bench", type=Path, default=REPO / "benchmarks" / "hub.json")
    args = p.parse_args(argv)
    problems = validate(args.values, args.bench)
    for line in problems:
        print(f"{args.values}: {line}")
    if problems:
        return 1
    print(
        f"{args.values}: OK against chart {', '.join(supported_releases())} and {args.bench.name}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
