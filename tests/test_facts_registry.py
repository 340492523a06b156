"""A cited number is typed once: equal facts in two modules must be the same object.

Walks every module of the package, collects each :class:`Fact` held in a module-level dict,
and fails when two modules hold facts with the same value, range, unit and citation keys that
are different objects (one of them should take it from ``fluorohip.core.shared_facts.SHARED``
or from the chapter that owns it).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict

import pytest

import fluorohip
from fluorohip.core.facts import Fact
from fluorohip.core.shared_facts import SHARED

#: Module names that are one-release aliases of another module (same object, not a second copy).
ALIASES = {
    "fluorohip.facts",
    "fluorohip.paths",
}


def _facts_by_module() -> dict[str, list[tuple[str, Fact]]]:
    found: dict[str, list[tuple[str, Fact]]] = {}
    for info in pkgutil.walk_packages(fluorohip.__path__, "fluorohip."):
        if (
            info.name.endswith((".widget", ".views", "exercise_views"))
            or "labextension" in info.name
            # the workshop hub holds no clinical facts and needs the optional `hub` extra
            or info.name.startswith("fluorohip.hub")
        ):
            continue
        module = importlib.import_module(info.name)
        if module.__name__ != info.name:  # an alias file that points at a moved module
            continue
        rows = []
        for attr, value in vars(module).items():
            if isinstance(value, dict) or type(value).__name__ == "mappingproxy":
                rows += [(f"{attr}[{k!r}]", v) for k, v in value.items() if isinstance(v, Fact)]
        if rows:
            found[info.name] = rows
    return found


def _signature(fact: Fact) -> tuple:
    return (fact.value, fact.low, fact.high, fact.unit, fact.keys)


def _typed_twice(facts_by_module: dict[str, list[tuple[str, Fact]]]) -> list[str]:
    by_signature: dict[tuple, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for module, rows in facts_by_module.items():
        for where, fact in rows:
            by_signature[_signature(fact)][id(fact)].append(f"{module}:{where}")
    twice = []
    for signature, copies in by_signature.items():
        if len(copies) < 2:
            continue
        # Distinct facts that one module defines side by side (two drugs with the same ceiling)
        # are two facts, not one number typed twice.
        modules_of = [{p.split(":")[0] for p in places} for places in copies.values()]
        if set.intersection(*modules_of):
            continue
        places = sorted(p for ps in copies.values() for p in ps)
        twice.append(f"{signature}: {places}")
    return twice


def test_no_cited_number_is_typed_twice():
    twice = _typed_twice(_facts_by_module())
    assert not twice, "cited numbers typed more than once:\n" + "\n".join(twice)


def test_the_check_catches_a_number_typed_twice():
    """The test above can fail: a second copy in another module is found; a shared object is not."""
    shared = SHARED["joint_capacity"]
    copy = Fact(17, "mL", "HipCapacity1981", low=14, high=20)
    assert _typed_twice({"a": [("FACTS['x']", shared)], "b": [("FACTS['y']", copy)]})
    assert not _typed_twice({"a": [("FACTS['x']", shared)], "b": [("FACTS['y']", shared)]})
    # two facts with equal numbers defined side by side in one module are not a retyping
    twin = Fact(17, "mL", "HipCapacity1981", low=14, high=20)
    assert not _typed_twice({"a": [("FACTS['x']", shared), ("FACTS['y']", twin)]})


@pytest.mark.parametrize("name", sorted(SHARED))
def test_every_shared_fact_is_used_by_at_least_two_chapters(name):
    users = {
        module
        for module, rows in _facts_by_module().items()
        if module != "fluorohip.core.shared_facts"
        for _, fact in rows
        if fact is SHARED[name]
    }
    assert len(users) >= 2, f"SHARED[{name!r}] is used by {sorted(users)}: keep it in one chapter"
