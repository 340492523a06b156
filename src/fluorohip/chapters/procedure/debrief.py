"""What happened in an exercise run, shown after it: the debrief.

Why: in assessment mode the resident sees nothing but images while working; learning
happens here, where the run is laid open -- the needle's path in 3-D against the target,
every image taken (with its view and time), dose and screening time against the published
series mean [@TrainingLevelDose2017], the contrast pattern that was really there beside the
one they named, and a score from a written checklist (``assets/fluoro/exercise_rubric.yaml``,
DOPS-style [@NorciniBurch2007] [@Kogan2017]; a teaching rubric, not a validated instrument).

Pure model plus two matplotlib figure builders (imported lazily); no widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from fluorohip.fluoro.constants import value
from fluorohip.ui.palette import LIGHT_GREY, OKABE_ITO, SOFT_GREY


@dataclass(frozen=True)
class RubricItem:
    id: str
    check: str
    points: int
    text: str
    cite: str


@dataclass(frozen=True)
class ItemResult:
    item: RubricItem
    met: bool
    why: str


def rubric_path() -> Path:
    from fluorohip.core.paths import assets_dir

    return assets_dir() / "fluoro" / "exercise_rubric.yaml"


def load_rubric(path: Path | str | None = None) -> tuple[str, int, tuple[RubricItem, ...]]:
    """(title, pass mark, items) of the rubric; a clear message names the file and field if it is malformed."""
    path = Path(path) if path is not None else rubric_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read the rubric ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list) or not data["items"]:
        raise ValueError(f"{path}: field 'items' must be a non-empty list")
    items = []
    for i, it in enumerate(data["items"]):
        for key in ("id", "check", "points", "text", "cite"):
            if not isinstance(it, dict) or key not in it:
                raise ValueError(f"{path}: items[{i}] is missing field '{key}'")
        if it["check"] not in CHECKS:
            raise ValueError(
                f"{path}: items[{i}].check must be one of {', '.join(CHECKS)}; got {it['check']!r}"
            )
        if not isinstance(it["points"], int) or it["points"] < 0:
            raise ValueError(
                f"{path}: items[{i}].points must be a whole number >= 0; got {it['points']!r}"
            )
        items.append(
            RubricItem(
                str(it["id"]), it["check"], int(it["points"]), str(it["text"]), str(it["cite"])
            )
        )
    return str(data.get("title", "Checklist")), int(data.get("pass_mark", 70)), tuple(items)


# --- the checks: each takes the debrief facts and returns (met, why) ------------------------
def _image_before_needle(d: Debrief):
    kinds = [k for k, _ in d.timeline]
    first_img = kinds.index("image") if "image" in kinds else None
    first_adv = kinds.index("advance") if "advance" in kinds else None
    if first_img is None:
        return False, "no image was taken"
    if first_adv is None or first_img < first_adv:
        return True, "an image came before the first advance"
    return False, "the needle was advanced before any image"


def _bone_contact_in_joint(d: Debrief):
    ok = d.final_bone_contact and d.final_in_capsule
    if ok:
        return True, "bone contact with the tip inside the capsule"
    if not d.final_bone_contact:
        return False, "the needle never rested on bone where it ended"
    return False, "bone contact, but outside the capsule"


def _tested_before_drug(d: Debrief):
    if d.drug is None:
        return False, "no drug was given"
    return (
        bool(d.drug["after_test"]),
        "contrast test, needle not moved since"
        if d.drug["after_test"]
        else "the needle moved (or no test) between the last contrast test and the drug",
    )


def _named_every_pattern(d: Debrief):
    if not d.tests:
        return False, "no contrast test"
    wrong = [
        f"test {i + 1}: named {t['named'] or 'nothing'}, was {t['true'][0]}"
        for i, t in enumerate(d.tests)
        if t["named"] != t["true"][0]
    ]
    return (not wrong, "all readings right" if not wrong else "; ".join(wrong))


def _drug_in_joint(d: Debrief):
    if d.drug is None:
        return False, "no drug was given"
    ok = (
        d.drug["label"] == "intra-articular"
        and d.drug["after_test"]
        and d.drug.get("last_test") == "intra-articular"
    )
    return ok, (
        f"drug given with the tip {d.drug['label']}"
        + ("" if d.drug["after_test"] else ", not confirmed")
    )


def _few_passes(d: Debrief):
    ok = d.passes <= 2 and d.redirects <= 3
    return ok, f"{d.passes} skin puncture(s), {d.redirects} redirection(s)"


def _time_within_mean(d: Debrief):
    ref = value("reference_fluoro_time_s")
    return d.fluoro_time_s <= ref, f"{d.fluoro_time_s:.1f} s (series mean {ref:g} s)"


def _dap_within_mean(d: Debrief):
    ref = value("reference_kap_gy_cm2") * 100.0
    return d.dap_ugy_m2 <= ref, f"{d.dap_ugy_m2:.1f} µGy·m² (series mean {ref:g} µGy·m²)"


CHECKS = {
    "image_before_needle": _image_before_needle,
    "bone_contact_in_joint": _bone_contact_in_joint,
    "tested_before_drug": _tested_before_drug,
    "named_every_pattern": _named_every_pattern,
    "drug_in_joint": _drug_in_joint,
    "few_passes": _few_passes,
    "time_within_mean": _time_within_mean,
    "dap_within_mean": _dap_within_mean,
}


@dataclass
class Debrief:
    mode: str
    case: str
    target_mm: np.ndarray
    path: list  # (kind, tip xyz, depth)
    entry_mm: tuple | None
    final_tip_mm: tuple | None
    final_label: str | None
    final_bone_contact: bool
    final_in_capsule: bool
    images: list
    timeline: list
    tests: list  # dicts: volume, true, named
    drug: dict | None
    passes: int
    redirects: int
    presses: int
    fluoro_time_s: float
    dap_ugy_m2: float
    joint_cloud: np.ndarray = field(repr=False, default=None)
    results: list = field(default_factory=list)
    title: str = ""
    pass_mark: int = 70

    @classmethod
    def from_exercise(cls, ex, rubric: Path | str | None = None) -> Debrief:
        ph = ex.phantom
        tip = ex.scene.tip()
        led = ex.session.ledger
        final = tuple(float(v) for v in tip.needle.tip_mm) if tip is not None else None
        in_caps = bool(final is not None and ph.capsule_distance(np.asarray(final)[None, :])[0] < 0)
        if ex.drug is not None:  # judge where the drug went, not where the needle was left
            final = ex.drug["tip_mm"]
            in_caps = bool(ph.capsule_distance(np.asarray(final)[None, :])[0] < 0)
        joint = np.asarray(ph.joint_samples)
        d = cls(
            mode=ex.mode,
            case=ex.case.label,
            target_mm=np.asarray(ph.target_point(), dtype=float),
            path=list(ex.path),
            entry_mm=ex.needle.entry_mm if ex.needle is not None else None,
            final_tip_mm=final,
            final_label=(ex.drug["label"] if ex.drug else (tip.label if tip else None)),
            final_bone_contact=bool(ex.drug["bone_contact"] if ex.drug else ex._near_contact()),
            final_in_capsule=in_caps,
            images=list(ex.images),
            timeline=list(ex.timeline),
            tests=[
                {"volume_ml": t.volume_ml, "true": t.true_patterns, "named": t.named}
                for t in ex.tests
            ],
            drug=ex.drug,
            passes=ex.passes,
            redirects=ex.redirects,
            presses=led.presses,
            fluoro_time_s=float(led.fluoro_time_s),
            dap_ugy_m2=float(led.dap_ugy_m2),
            joint_cloud=joint[:: max(1, len(joint) // 1500)],
        )
        d.title, d.pass_mark, items = load_rubric(rubric)
        d.results = [ItemResult(it, *CHECKS[it.check](d)) for it in items]
        return d

    # --- numbers ----------------------------------------------------------------------------
    @property
    def score(self) -> int:
        return sum(r.item.points for r in self.results if r.met)

    @property
    def max_score(self) -> int:
        return sum(r.item.points for r in self.results)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / max(1, self.max_score)

    @property
    def miss_mm(self) -> float | None:
        if self.final_tip_mm is None:
            return None
        return float(np.linalg.norm(np.asarray(self.final_tip_mm) - self.target_mm))

    def summary_lines(self) -> list[str]:
        lines = [
            f"Debrief ({self.mode} mode, {self.case})",
            f"Images: {self.presses} pedal presses ({len(self.images)} frames kept), screening "
            f"{self.fluoro_time_s:.1f} s, DAP {self.dap_ugy_m2:.1f} µGy·m²",
            f"Skin punctures {self.passes}, redirections {self.redirects}",
        ]
        if self.final_tip_mm is not None:
            lines.append(
                f"Final tip: {self.final_label}{' with bone contact' if self.final_bone_contact else ''}, "
                f"{self.miss_mm:.1f} mm from the target point"
            )
        for i, t in enumerate(self.tests):
            lines.append(
                f"Contrast test {i + 1} ({t['volume_ml']:g} mL): really {' then '.join(t['true'])}; "
                f"you named {t['named'] or 'nothing'}"
            )
        lines.append(
            "Drug: "
            + ("not given" if self.drug is None else f"given with the tip {self.drug['label']}")
        )
        lines.append(
            f"Score {self.score}/{self.max_score} ({self.percent:.0f}%, pass mark {self.pass_mark}%)"
        )
        return lines

    def checklist_rows(self) -> list[tuple[str, str, str, str]]:
        """(met, item text, why, citation) per rubric item."""
        return [
            (
                "✔ met" if r.met else "✘ not met",
                f"{r.item.text} ({r.item.points} pts)",
                r.why,
                r.item.cite,
            )
            for r in self.results
        ]

    def to_markdown(self) -> str:
        from fluorohip.core.bibliography import replace_citations

        out = ["**" + self.summary_lines()[0] + "**", ""] + [
            f"- {x}" for x in self.summary_lines()[1:]
        ]
        out += [
            "",
            f"**{self.title}**",
            "",
            "| | Item | What happened | Source |",
            "|---|---|---|---|",
        ]
        out += [
            f"| {a} | {b} | {c} | {replace_citations(d)} |" for a, b, c, d in self.checklist_rows()
        ]
        return "\n".join(out)


# --- figures ----------------------------------------------------------------------------------
def trajectory_figure(d: Debrief):
    """The needle's path in 3-D against the target and the joint (matplotlib Figure)."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(9, 4.2))
    ax = fig.add_subplot(1, 2, 1, projection="3d")
    jc = d.joint_cloud
    if jc is not None and len(jc):
        ax.scatter(jc[:, 0], jc[:, 1], jc[:, 2], s=1, c=SOFT_GREY, alpha=0.25, label="joint space")
    pts = np.array([p for _, p, _ in d.path]) if d.path else np.zeros((0, 3))
    if len(pts):
        ax.plot(
            pts[:, 0],
            pts[:, 1],
            pts[:, 2],
            "-o",
            color=OKABE_ITO["blue"],
            ms=2,
            lw=1,
            label="tip positions",
        )
    if d.entry_mm is not None:
        e = np.asarray(d.entry_mm)
        ax.scatter(*e, marker="s", s=30, color=OKABE_ITO["green"], label="last skin entry")
        if d.final_tip_mm is not None:
            f = np.asarray(d.final_tip_mm)
            ax.plot([e[0], f[0]], [e[1], f[1]], [e[2], f[2]], color=OKABE_ITO["blue"], lw=2)
    t = d.target_mm
    ax.scatter(
        *t, marker="*", s=140, color=OKABE_ITO["orange"], label="target (head-neck junction)"
    )
    ax.set_xlabel("x (mm, + medial)")
    ax.set_ylabel("y (mm, + posterior)")
    ax.set_zlabel("z (mm, + cranial)")
    ax.view_init(elev=15, azim=-60)
    ax.legend(loc="upper left", fontsize=7)
    ax.set_title("Needle path in 3-D")
    ax2 = fig.add_subplot(1, 2, 2)
    if jc is not None and len(jc):
        ax2.scatter(jc[:, 0], jc[:, 2], s=1, c=LIGHT_GREY)
    if len(pts):
        ax2.plot(pts[:, 0], pts[:, 2], "-o", color=OKABE_ITO["blue"], ms=2, lw=1)
    ax2.plot(t[0], t[2], "*", ms=14, color=OKABE_ITO["orange"])
    if d.final_tip_mm is not None:
        ax2.plot(
            d.final_tip_mm[0],
            d.final_tip_mm[2],
            "X",
            ms=9,
            color=OKABE_ITO["vermillion"],
            label="final tip",
        )
        ax2.legend(fontsize=7, loc="lower right")
    ax2.set_aspect("equal")
    ax2.set_xlabel("x (mm): patient's right on the left, as on the image")
    ax2.set_ylabel("z (mm, cranial up)")
    ax2.set_title("Frontal projection (as on the AP image)")
    fig.subplots_adjust(
        left=0.0, right=0.97, bottom=0.12, top=0.9, wspace=0.25
    )  # tight_layout warns on 3-D axes
    return fig


def images_figure(d: Debrief, max_images: int = 12):
    """Every image taken, with its number, kind, view and time (matplotlib Figure)."""
    import matplotlib.pyplot as plt

    imgs = d.images
    if len(imgs) > max_images:  # keep all plain images; thin the cine frames
        plain = [i for i in imgs if i.kind == "fluoro"]
        cine = [i for i in imgs if i.kind != "fluoro"]
        keep = max(1, max_images - len(plain))
        cine = cine[:: max(1, len(cine) // keep)][:keep]
        imgs = sorted(plain + cine, key=lambda r: r.index)[:max_images]
    n = max(1, len(imgs))
    cols = min(6, n)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(1.8 * cols, 2.0 * rows), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for ax, r in zip(axes.ravel(), imgs):
        ax.imshow(r.thumb, cmap="gray", vmin=0, vmax=255)
        ax.set_title(
            f"#{r.index} {'cine' if r.kind != 'fluoro' else 'image'}\n{r.view}, t={r.time_s:.1f} s",
            fontsize=6,
        )
    fig.suptitle(f"All {len(d.images)} frames ({d.presses} pedal presses)", fontsize=9)
    fig.tight_layout()
    return fig
