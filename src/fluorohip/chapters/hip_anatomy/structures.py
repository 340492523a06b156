"""What the hip drawings show: structure ids and names, the coronal layers a learner toggles,
the lettered AP figure's answer key and the grading of the label exercise.

Pure Python. Each drawn artist carries its structure id as its ``gid`` (see :mod:`.figures`),
so the tests check that every structure named here is drawn and labelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "ANTERIOR_STRUCTURES",
    "AP_LETTERS",
    "AP_STRUCTURES",
    "AP_VARIANTS",
    "CORONAL_LAYERS",
    "FEMORAL_TRIANGLE_ORDER",
    "STRUCTURE_NAMES",
    "LabelAttempt",
    "Layer",
    "coronal_structures",
]


@dataclass(frozen=True)
class Layer:
    """A group of structures switched on and off together, with the line a learner reads."""

    id: str
    name: str
    structures: tuple[str, ...]
    note: str


#: Coronal section: every structure drawn, grouped in layers the learner can toggle.
CORONAL_LAYERS: tuple[Layer, ...] = (
    Layer(
        "bone",
        "Bone",
        ("femoral-head", "femoral-neck", "acetabulum", "greater-trochanter"),
        "Ball (femoral head) in socket (acetabulum).",
    ),
    Layer(
        "cartilage",
        "Articular cartilage",
        ("head-cartilage", "acetabular-cartilage"),
        "Hyaline cartilage; joint-space loss on the radiograph means it is thinning.",
    ),
    Layer(
        "labrum",
        "Labrum and ligaments",
        ("labrum", "ligamentum-teres", "transverse-ligament"),
        "Labrum deepens the socket; ligamentum teres runs from the fovea to the acetabular notch, "
        "bridged below by the transverse acetabular ligament.",
    ),
    Layer(
        "capsule",
        "Fibrous capsule",
        ("capsule", "zona-orbicularis"),
        "From just beyond the labrum to the intertrochanteric line in front; "
        "the zona orbicularis is its narrow waist.",
    ),
    Layer(
        "synovium",
        "Synovium and recesses",
        ("synovium", "inferior-recess", "superior-recess"),
        "Lines the capsule and covers the intracapsular neck; fluid pools in the recesses.",
    ),
    Layer(
        "needle", "Needle on the neck", ("needle",), "Tip on the neck cortex, inside the capsule."
    ),
)

STRUCTURE_NAMES: dict[str, str] = {
    "femoral-head": "Femoral head",
    "femoral-neck": "Femoral neck",
    "acetabulum": "Acetabulum",
    "greater-trochanter": "Greater trochanter",
    "head-cartilage": "Cartilage of the head",
    "acetabular-cartilage": "Acetabular cartilage",
    "labrum": "Acetabular labrum",
    "ligamentum-teres": "Ligamentum teres",
    "transverse-ligament": "Transverse acetabular ligament",
    "capsule": "Fibrous capsule",
    "zona-orbicularis": "Zona orbicularis",
    "synovium": "Synovial membrane",
    "inferior-recess": "Inferior (medial) recess",
    "superior-recess": "Superior (lateral) recess",
    "needle": "Needle tip on the neck",
    # anterior view
    "inguinal-ligament": "Inguinal ligament",
    "sartorius": "Sartorius",
    "adductor-longus": "Adductor longus",
    "femoral-nerve": "Femoral nerve",
    "femoral-artery": "Femoral artery",
    "femoral-vein": "Femoral vein",
    "lfcn": "Lateral femoral cutaneous nerve",
    "iliopsoas": "Iliopsoas tendon",
    "iliopsoas-bursa": "Iliopsoas bursa",
    "asis": "Anterior superior iliac spine",
    "pubic-tubercle": "Pubic tubercle",
    "safe-corridor": "Entry corridor",  # id kept for links; "safe" oversold a corridor that only reduces risk
    # AP radiograph
    "lesser-trochanter": "Lesser trochanter",
    "acetabular-roof": "Acetabular roof (sourcil)",
    "teardrop": "Teardrop",
    "obturator-foramen": "Obturator foramen",
    "shentons-line": "Shenton's line",
    "target-hnj": "Target: head-neck junction",
    "target-midneck": "Target: mid neck",
    "ischial-tuberosity": "Ischial tuberosity",
}

ANTERIOR_STRUCTURES: tuple[str, ...] = (
    "asis",
    "pubic-tubercle",
    "inguinal-ligament",
    "sartorius",
    "adductor-longus",
    "femoral-nerve",
    "femoral-artery",
    "femoral-vein",
    "lfcn",
    "iliopsoas",
    "iliopsoas-bursa",
    "femoral-head",
    "safe-corridor",
)

#: Femoral triangle contents, lateral to medial [@Mehta2018].
FEMORAL_TRIANGLE_ORDER: tuple[str, ...] = ("femoral-nerve", "femoral-artery", "femoral-vein")

AP_STRUCTURES: tuple[str, ...] = (
    "femoral-head",
    "femoral-neck",
    "greater-trochanter",
    "lesser-trochanter",
    "acetabular-roof",
    "teardrop",
    "obturator-foramen",
    "shentons-line",
    "capsule",
    "target-hnj",
    "target-midneck",
)

#: The lettered AP figure used by the label-the-structure exercise and the quiz.
AP_LETTERS: dict[str, str] = {
    "A": "femoral-head",
    "B": "femoral-neck",
    "C": "greater-trochanter",
    "D": "lesser-trochanter",
    "E": "teardrop",
    "F": "obturator-foramen",
}

AP_VARIANTS = ("normal", "osteoarthritis", "cam", "prosthesis")


def coronal_structures(layers: tuple[str, ...] | list[str] | None = None) -> list[str]:
    """Structure ids drawn when ``layers`` (default: all) are switched on."""
    known = {layer.id for layer in CORONAL_LAYERS}
    chosen = known if layers is None else set(layers)
    unknown = chosen - known
    if unknown:
        raise ValueError(f"unknown layer(s) {sorted(unknown)}; choose from {sorted(known)}")
    return [s for layer in CORONAL_LAYERS if layer.id in chosen for s in layer.structures]


@dataclass
class LabelAttempt:
    """Grades a learner's letter -> structure mapping for the lettered AP figure."""

    answers: dict[str, str] = field(default_factory=dict)

    def results(self) -> dict[str, bool]:
        return {letter: self.answers.get(letter) == sid for letter, sid in AP_LETTERS.items()}

    @property
    def score(self) -> int:
        return sum(self.results().values())
