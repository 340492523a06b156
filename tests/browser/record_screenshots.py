"""Copy the README screenshots from the browser-test artefacts and record what they were taken from.

    .venv/bin/python -m pytest tests/browser/test_browser_notebooks.py -k "00_start_here or 01_hip or 05_proc"
    .venv/bin/python -m pytest tests/browser/test_browser_quiz.py -k lab
    .venv/bin/python tests/browser/record_screenshots.py            # all three
    .venv/bin/python tests/browser/record_screenshots.py chapter-figure.png

``docs/screenshots/manifest.json`` keeps, per README image, the notebook it shows, the artefact
it was copied from, a hash of that notebook's *source* (cell types and text, not outputs) and a
hash of the image. ``tests/test_screenshots_fresh.py`` fails when a notebook's source has changed
since its screenshot was taken, so a stale README picture cannot go unnoticed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "screenshots"
MANIFEST = DOCS / "manifest.json"
ARTEFACTS = ROOT / "build" / "browser-artefacts" / "screenshots"

#: README image -> (notebook it shows, browser-test artefact it is copied from)
SOURCES = {
    "quiz-feedback.png": ("notebooks/00_start_here.ipynb", "lab-quiz-feedback.png"),
    "chapter-figure.png": ("notebooks/01_hip_anatomy.ipynb", "lab-01_hip_anatomy-widget.png"),
    "virtual-fluoroscope.png": ("notebooks/05_procedure.ipynb", "lab-05_procedure-fluoroscope.png"),
    # taken by tests/browser/test_browser_fluoroscope.py
    "exercise-needle-ap.png": ("notebooks/05_procedure.ipynb", "exercise-needle-ap.png"),
    "exercise-contrast.png": ("notebooks/05_procedure.ipynb", "exercise-contrast.png"),
    "exercise-debrief.png": ("notebooks/05_procedure.ipynb", "exercise-debrief.png"),
    # a fixed record of the simulator before and after the real-bone rebuild (issue 21): it shows
    # no notebook, so no notebook can make it stale
    "fluoro_before_after.png": (None, None),
}


def notebook_source_sha256(path: Path) -> str:
    """Hash of a notebook's cell types and sources: outputs, ids and metadata do not count."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [
        [c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list) else c["source"]]
        for c in nb["cells"]
    ]
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8")) if MANIFEST.exists() else {}


def record(name: str, copy: bool = True) -> dict:
    notebook, artefact = SOURCES[name]
    target = DOCS / name
    if copy and artefact is not None:
        src = ARTEFACTS / artefact
        if not src.exists():
            raise SystemExit(
                f"{src.relative_to(ROOT)} is missing: run the browser test that takes it first"
            )
        shutil.copyfile(src, target)
    return {
        "notebook": notebook,
        "artefact": artefact,
        "notebook_source_sha256": notebook_source_sha256(ROOT / notebook) if notebook else None,
        "png_sha256": file_sha256(target),
    }


def main(argv: list[str]) -> int:
    names = argv or list(SOURCES)
    manifest = read_manifest()
    for name in names:
        if name not in SOURCES:
            raise SystemExit(f"unknown screenshot {name!r}; one of {', '.join(SOURCES)}")
        manifest[name] = record(name)
        print(f"recorded {name} from {manifest[name]['artefact'] or 'docs/screenshots'}")
    MANIFEST.write_text(
        json.dumps(dict(sorted(manifest.items())), indent=1) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
