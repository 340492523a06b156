"""Load case files into :class:`~fluorohip.cases.model.Case`, refusing invalid ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.paths import assets_dir
from ..core.problems import Problem
from ..quiz.loader import question_from_data
from .model import COURSE_ORDER, Case, DiaryImage, FluoroImage, Stage
from .validate import check_case_file


class CaseError(ValueError):
    """A case file cannot be used; ``problems`` lists every reason."""

    def __init__(self, message: str, problems: list[Problem]):
        super().__init__(message)
        self.problems = problems


def cases_dir() -> Path:
    return assets_dir() / "cases"


def case_path(case: str | Path) -> Path:
    text = str(case)
    if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
        return Path(case)
    return cases_dir() / f"{text}.yaml"


def available_cases() -> list[str]:
    """Case ids present under ``assets/cases/``, in course order (see ``COURSE_ORDER``)."""
    folder = cases_dir()
    found = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
    return [c for c in COURSE_ORDER if c in found] + [c for c in found if c not in COURSE_ORDER]


def bibliography_keys() -> set[str] | None:
    """Keys of the course bibliography, or None when it cannot be read (the citation check is
    then skipped here; ``fluorohip validate`` reports the broken bibliography itself)."""
    try:
        from ..core.bibliography import load_bibliography

        return set(load_bibliography())
    except Exception:
        return None


def _image(spec: Any) -> FluoroImage | DiaryImage | None:
    if not isinstance(spec, dict):
        return None
    if "fluoro" in spec:
        f = spec["fluoro"] or {}
        return FluoroImage(
            bmi=float(f.get("bmi", 25.0)),
            needle=bool(f.get("needle", False)),
            contrast=f.get("contrast", "none"),
            seed=int(f.get("seed", 1)),
        )
    d = spec["diary"]
    return DiaryImage(
        pre_score=float(d["pre_score"]),
        readings=tuple((str(t), float(s)) for t, s in d["readings"]),
        anaesthetic=d.get("anaesthetic", "bupivacaine"),
        steroid=bool(d.get("steroid", True)),
        title=d.get("title", ""),
    )


def case_from_data(data: dict, path: Path | None = None, lines=None) -> Case:
    stages = []
    for i, s in enumerate(data["stages"]):
        q = dict(s["question"], id=s["id"])
        q.setdefault("objective", data["objectives"][0])
        q.setdefault("difficulty", data["difficulty"])
        question = question_from_data(q, f"{data['case']}/{s['id']}")
        stages.append(
            Stage(
                id=s["id"],
                kind=s["kind"],
                findings=s["findings"],
                question=question,
                image=_image(s.get("image")),
                line=lines(("stages", i)) if lines else None,
            )
        )
    return Case(
        id=data["case"],
        title=data["title"],
        version=data["version"],
        patient=data["patient"],
        presentation=data["presentation"],
        objectives=tuple(data["objectives"]),
        citations=tuple(data["citations"]),
        stages=tuple(stages),
        explanation=data["explanation"],
        difficulty=data["difficulty"],
        path=path,
    )


def load_case(
    case: str | Path,
    *,
    known_citation_keys: set[str] | None = None,
    assets_root: Path | None = None,
) -> Case:
    """Load and validate one case by id or path. Raises :class:`CaseError` listing every problem."""
    path = case_path(case)
    keys = known_citation_keys if known_citation_keys is not None else bibliography_keys()
    checked = check_case_file(path, keys, assets_root or assets_dir())
    if checked.problems:
        listing = "\n".join(f"  {p}" for p in checked.problems)
        raise CaseError(
            f"case {checked.shown_as} has {len(checked.problems)} problem(s):\n{listing}",
            checked.problems,
        )
    assert checked.doc is not None  # a file that cannot be read is a problem, raised above
    return case_from_data(checked.data, path, lines=checked.doc.line)


def load_cases(ids: list[str] | None = None) -> list[Case]:
    """Every case (or the ``ids`` given, in that order)."""
    keys = bibliography_keys()
    return [
        load_case(i, known_citation_keys=keys)
        for i in (ids if ids is not None else available_cases())
    ]
