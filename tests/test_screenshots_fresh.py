"""The README screenshots are not older than the notebooks they show (issue 19).

Each image in README.md under docs/screenshots/ has an entry in docs/screenshots/manifest.json
(written by tests/browser/record_screenshots.py) naming its notebook and the hash of that
notebook's source when the picture was taken. Edit the notebook and this test fails until the
screenshot is re-taken, so stale pictures cannot reach the README unnoticed.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "record_screenshots", ROOT / "tests" / "browser" / "record_screenshots.py"
)
rec = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rec)

README_IMAGES = sorted(
    set(
        re.findall(
            r"docs/screenshots/([\w.-]+\.png)", (ROOT / "README.md").read_text(encoding="utf-8")
        )
    )
)


def test_every_readme_screenshot_has_a_manifest_entry_matching_the_image():
    manifest = rec.read_manifest()
    assert README_IMAGES, "the README shows no screenshots"
    for name in README_IMAGES:
        assert name in manifest, (
            f"{name}: no entry in docs/screenshots/manifest.json; run tests/browser/record_screenshots.py"
        )
        assert manifest[name]["png_sha256"] == rec.file_sha256(rec.DOCS / name), (
            f"{name} changed without re-recording it: run tests/browser/record_screenshots.py {name}"
        )


def test_no_readme_screenshot_is_older_than_its_notebook():
    manifest = rec.read_manifest()
    stale = [
        f"{name} (taken from an older {manifest[name]['notebook']})"
        for name in README_IMAGES
        if name in manifest
        and manifest[name]["notebook"]
        and manifest[name]["notebook_source_sha256"]
        != rec.notebook_source_sha256(ROOT / manifest[name]["notebook"])
    ]
    assert not stale, (
        "stale README screenshots; re-run the browser test, then tests/browser/record_screenshots.py: "
        + "; ".join(stale)
    )


def test_the_source_hash_sees_a_text_edit_but_not_an_output_change(tmp_path):
    nb = json.loads((ROOT / "notebooks" / "01_hip_anatomy.ipynb").read_text(encoding="utf-8"))
    a = tmp_path / "a.ipynb"
    a.write_text(json.dumps(nb), encoding="utf-8")
    before = rec.notebook_source_sha256(a)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
    a.write_text(json.dumps(nb), encoding="utf-8")
    assert rec.notebook_source_sha256(a) == before  # re-executing does not make a screenshot stale
    md = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    md["source"] = "".join(md["source"]) + "\nedited"
    a.write_text(json.dumps(nb), encoding="utf-8")
    assert rec.notebook_source_sha256(a) != before
