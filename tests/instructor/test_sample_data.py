"""The bundled synthetic class is exactly what the seeded generator writes, and it covers the cases."""

from __future__ import annotations

from fluorohip.core.paths import assets_dir
from fluorohip.instructor.sample_data import generate

BUNDLED = assets_dir() / "instructor" / "sample_exports"


def test_bundled_sample_matches_the_generator(tmp_path):
    written = generate(tmp_path)
    assert sorted(written) == sorted(
        p.name for p in BUNDLED.iterdir() if p.suffix in (".csv", ".json")
    )
    stale = [
        name
        for name in written
        if (tmp_path / name).read_text(encoding="utf-8")
        != (BUNDLED / name).read_text(encoding="utf-8")
    ]
    assert not stale, (
        "bundled sample exports differ from the generator; run "
        f"`python -m fluorohip.instructor.sample_data` ({', '.join(stale)})"
    )


def test_sample_class_answers_case_stages_under_their_own_objectives():
    from fluorohip.instructor.class_results import build

    _merged, analysis = build(BUNDLED)
    case_items = [i for i in analysis.items if i.bank == "07_cases"]
    assert len(case_items) >= 30
    assert all("/" in i.question_id for i in case_items)
    assert len({i.objective for i in case_items}) >= 10
