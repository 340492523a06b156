import re

import yaml

from fluorohip.core.paths import bibliography_file, project_root
from fluorohip.fluoro.constants import CONSTANTS, citation_keys


def test_every_constant_cites_a_known_source():
    refs = yaml.safe_load(bibliography_file().read_text(encoding="utf-8"))
    missing = {name: key for name, key in citation_keys().items() if key not in refs}
    assert not missing
    for c in CONSTANTS.values():  # keys mentioned in notes too
        for key in re.findall(r"\[([A-Za-z][\w.]+)\]", c.note):
            assert key in refs, key


def test_docstring_citations_resolve():
    refs = yaml.safe_load(bibliography_file().read_text(encoding="utf-8"))
    src = project_root() / "src" / "fluorohip" / "fluoro"
    keys = set()
    for path in src.glob("*.py"):
        keys |= set(re.findall(r"\[@([A-Za-z][\w.-]*)\]", path.read_text(encoding="utf-8")))
    assert keys and not (keys - set(refs))


def test_pure_models_do_not_import_widgets():
    import subprocess
    import sys

    code = (
        "import sys, fluorohip.fluoro as f; f.render(f.Scene(), f.CArm(pixels=32)); "
        "print('ipywidgets' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_widget_repr_and_description():
    from fluorohip.fluoro import FluoroscopeWidget

    w = FluoroscopeWidget(pixels=64)
    assert repr(w) == "VirtualFluoroscope: AP view, 1 frame, 0.1 s screening"
    w.tilt.value = 10
    w.fluoro()
    # the source tilted to the head puts the detector towards the feet: a caudal tilt
    assert repr(w).startswith("VirtualFluoroscope: 10 deg caudal view, 2 frames")
    assert "bone appears dark" in w.image.description


def test_session_exercise_scores_intra_articular():
    from fluorohip.fluoro import FluoroSession, Needle

    s = FluoroSession()
    t = s.phantom.target_point()
    s.set_needle(Needle.anterior(s.phantom, t[0], t[2], 89))
    s.pedal()
    s.inject(2.0)
    sc = s.score()
    assert sc["confirmed"] and sc["points"] > 0 and sc["shots"] == 2
