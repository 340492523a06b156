#!/usr/bin/env python3
"""Offline check of deploy/z2jh/values.yaml (Kubernetes cannot run on the build machine).

    .venv/bin/python deploy/z2jh/validate.py [values.yaml] [--bench benchmarks/hub.json]

Checks, without network or cluster:

1. the file parses as YAML and is a mapping;
2. every key path is one the Zero to JupyterHub chart (4.x) defines (list below, taken from the
   chart's configuration reference; ``hub.config`` is free-form traitlets config, its class names
   are checked against the ones JupyterHub/KubeSpawner provide);
3. ``hub.extraConfig`` snippets compile as Python;
4. resources match the measurement: memory guarantee >= measured peak (server + kernel) per learner
   with 1.5x headroom, limit >= 3x it, CPU limit >= 1, guarantee x 200 learners stated;
5. workshop hygiene: culling on, image pinned (not ``latest``), start timeout >= 300 s, no secret
   value committed, ``FLUOROHIP_HOME`` and ``FLUOROHIP_LEARNER`` set.

The authoritative schema check needs the chart: ``helm template`` validates the values against
the chart's ``values.schema.json`` (README). Exit 0 when every check passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
LEARNERS = 200

# Key paths of the jupyterhub chart that this file may use ("*" = free-form below this key).
CHART_KEYS = {
    "hub", "hub.config", "hub.config.*", "hub.concurrentSpawnLimit", "hub.activeServerLimit",
    "hub.consecutiveFailureLimit", "hub.db", "hub.db.type", "hub.db.pvc", "hub.db.pvc.storage",
    "hub.db.pvc.storageClassName", "hub.resources", "hub.resources.*", "hub.extraConfig", "hub.extraConfig.*",
    "hub.extraEnv", "hub.extraEnv.*", "hub.baseUrl", "hub.templateVars", "hub.templateVars.*",
    "hub.networkPolicy", "hub.networkPolicy.enabled",
    "proxy", "proxy.https", "proxy.https.enabled", "proxy.https.type", "proxy.https.hosts",
    "proxy.https.letsencrypt", "proxy.https.letsencrypt.contactEmail", "proxy.https.manual",
    "proxy.https.manual.key", "proxy.https.manual.cert", "proxy.https.secret", "proxy.https.secret.name",
    "proxy.service", "proxy.service.type", "proxy.chp", "proxy.chp.resources", "proxy.chp.resources.*",
    "singleuser", "singleuser.image", "singleuser.image.name", "singleuser.image.tag",
    "singleuser.image.pullPolicy", "singleuser.memory", "singleuser.memory.guarantee", "singleuser.memory.limit",
    "singleuser.cpu", "singleuser.cpu.guarantee", "singleuser.cpu.limit", "singleuser.storage",
    "singleuser.storage.type", "singleuser.storage.capacity", "singleuser.storage.homeMountPath",
    "singleuser.storage.dynamic", "singleuser.storage.dynamic.storageClass", "singleuser.storage.extraVolumes",
    "singleuser.storage.extraVolumeMounts", "singleuser.extraEnv", "singleuser.extraEnv.*",
    "singleuser.lifecycleHooks", "singleuser.lifecycleHooks.*", "singleuser.defaultUrl", "singleuser.startTimeout",
    "singleuser.cmd", "singleuser.uid", "singleuser.fsGid", "singleuser.initContainers", "singleuser.networkPolicy",
    "singleuser.networkPolicy.enabled", "singleuser.cloudMetadata", "singleuser.cloudMetadata.blockWithIptables",
    "singleuser.profileList",
    "prePuller", "prePuller.hook", "prePuller.hook.enabled", "prePuller.continuous", "prePuller.continuous.enabled",
    "scheduling", "scheduling.userScheduler", "scheduling.userScheduler.enabled", "scheduling.podPriority",
    "scheduling.podPriority.enabled", "scheduling.userPlaceholder", "scheduling.userPlaceholder.enabled",
    "scheduling.userPlaceholder.replicas", "scheduling.userPods", "scheduling.userPods.nodeAffinity",
    "scheduling.userPods.nodeAffinity.matchNodePurpose", "scheduling.corePods", "scheduling.corePods.nodeAffinity",
    "scheduling.corePods.nodeAffinity.matchNodePurpose",
    "cull", "cull.enabled", "cull.timeout", "cull.every", "cull.users", "cull.maxAge", "cull.concurrency",
    "cull.removeNamedServers", "cull.adminUsers",
    "ingress", "ingress.enabled", "ingress.hosts", "ingress.tls",
    "debug", "debug.enabled",
}
TRAITLETS_CLASSES = {"JupyterHub", "Authenticator", "SharedPasswordAuthenticator", "KubeSpawner", "Spawner",
                     "GenericOAuthenticator", "GitHubOAuthenticator", "LTI13Authenticator", "OAuthenticator"}
SECRET_KEYS = {"user_password", "admin_password", "client_secret", "secretToken", "cookieSecret", "password"}


def key_paths(node, prefix: str = ""):
    if isinstance(node, dict):
        for k, v in node.items():
            path = f"{prefix}.{k}" if prefix else str(k)
            yield path, v
            yield from key_paths(v, path)


def allowed(path: str) -> bool:
    if path in CHART_KEYS:
        return True
    parts = path.split(".")
    return any(".".join(parts[:i]) + ".*" in CHART_KEYS for i in range(1, len(parts)))


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
    return peak, {"learners": data.get("learners"), "per_learner_hwm": mem["per_learner_hwm"],
                  "per_learner_rss": mem["per_learner_rss"]}


def validate(values_file: Path, bench: Path) -> list[str]:
    problems: list[str] = []
    try:
        values = yaml.safe_load(values_file.read_text())
    except yaml.YAMLError as exc:
        return [f"{values_file}: not valid YAML: {exc}"]
    if not isinstance(values, dict):
        return [f"{values_file}: top level is not a mapping"]
    for path, value in key_paths(values):
        if not allowed(path):
            problems.append(f"{path}: not a key of the jupyterhub chart")
        leaf = path.rsplit(".", 1)[-1]
        if leaf in SECRET_KEYS and value not in ("", None):
            problems.append(f"{path}: a secret is committed; pass it with --set at install time")
    for cls in (values.get("hub", {}).get("config") or {}):
        if cls not in TRAITLETS_CLASSES:
            problems.append(f"hub.config.{cls}: not a JupyterHub/KubeSpawner/authenticator class")
    for name, code in (values.get("hub", {}).get("extraConfig") or {}).items():
        try:
            compile(code, f"hub.extraConfig.{name}", "exec")
        except SyntaxError as exc:
            problems.append(f"hub.extraConfig.{name}: line {exc.lineno}: {exc.msg}")
    su = values.get("singleuser", {})
    try:
        guarantee = bytes_of(su["memory"]["guarantee"]) / 2**20
        limit = bytes_of(su["memory"]["limit"]) / 2**20
        peak, _ = measured_peak_mib(bench)
        if not peak:
            problems.append(f"{bench}: no per-learner memory measurement")
        elif guarantee < 1.5 * peak:
            problems.append(f"singleuser.memory.guarantee {guarantee:.0f} MiB < 1.5 x measured peak {peak:.0f} MiB")
        if peak and limit < 3 * peak:
            problems.append(f"singleuser.memory.limit {limit:.0f} MiB < 3 x measured peak {peak:.0f} MiB")
        if limit < guarantee:
            problems.append("singleuser.memory.limit below the guarantee")
    except (KeyError, TypeError, ValueError) as exc:
        problems.append(f"singleuser.memory: {exc}")
    except FileNotFoundError:
        problems.append(f"{bench}: missing; run `make hub-loadtest` first")
    cpu = su.get("cpu", {})
    if not cpu.get("limit") or float(cpu["limit"]) < 1:
        problems.append("singleuser.cpu.limit should be at least 1 (a fluoroscope frame uses a full core briefly)")
    if not cpu.get("guarantee"):
        problems.append("singleuser.cpu.guarantee missing")
    tag = str(su.get("image", {}).get("tag", ""))
    if not tag or tag == "latest":
        problems.append("singleuser.image.tag must be pinned (not empty, not latest)")
    if int(su.get("startTimeout", 0)) < 300:
        problems.append("singleuser.startTimeout should be >= 300 s (image pulls and a class arriving at once)")
    env = su.get("extraEnv", {})
    for var in ("FLUOROHIP_HOME", "FLUOROHIP_LEARNER"):
        if var not in env:
            problems.append(f"singleuser.extraEnv.{var} missing")
    if not values.get("cull", {}).get("enabled"):
        problems.append("cull.enabled must be true")
    if int(values.get("hub", {}).get("activeServerLimit") or 0) < LEARNERS:
        problems.append(f"hub.activeServerLimit below {LEARNERS}")
    return problems


def sizing(values_file: Path) -> str:
    su = yaml.safe_load(values_file.read_text())["singleuser"]
    g = bytes_of(su["memory"]["guarantee"]) / 2**30
    c = float(su["cpu"]["guarantee"])
    return (f"{LEARNERS} learners reserve {LEARNERS * g:.0f} GiB memory and {LEARNERS * c:.0f} CPU cores "
            f"(guarantees {su['memory']['guarantee']}, {su['cpu']['guarantee']} CPU each)")


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
    print(f"{args.values}: OK (keys, Python snippets, resources vs {args.bench.name}, hygiene); {sizing(args.values)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
