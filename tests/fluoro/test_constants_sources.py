"""The fluoroscope's numbers: shared anatomy comes from fluorohip.anatomy, sources are honest."""

import re

import numpy as np
import pytest
import yaml

from fluorohip.chapters.hip_anatomy.model import FACTS
from fluorohip.core.paths import bibliography_file, project_root
from fluorohip.fluoro import HipPhantom
from fluorohip.fluoro.constants import CONSTANTS, Constant, citation_keys, value

SHARED = {  # fluoroscope constant -> (anatomy fact, how it is derived)
    "head_radius_male_mm": ("femoral_head_diameter", lambda f: f.high / 2),
    "head_radius_female_mm": ("femoral_head_diameter", lambda f: f.low / 2),
    "neck_shaft_angle_deg": ("neck_shaft_angle", lambda f: f.value),
    "centre_edge_angle_deg": ("lateral_center_edge_angle", lambda f: f.value),
    "acetabular_inclination_deg": ("sharp_angle", lambda f: f.value),
    "joint_capacity_ml": ("joint_capacity", lambda f: f.value),
    "bursa_communication_p": ("bursa_communication", lambda f: f.value / 100),
}


@pytest.mark.parametrize("name", sorted(SHARED))
def test_shared_anatomy_is_read_from_the_anatomy_chapter(name):
    fact_name, derive = SHARED[name]
    fact = FACTS[fact_name]
    c = CONSTANTS[name]
    assert c.value == pytest.approx(derive(fact))
    assert c.key in fact.keys and fact_name in c.note


def test_phantom_head_is_the_cited_head():
    # the real femur's head (one adult's bone, not scaled by sex) lies within the cited range
    d = 2 * HipPhantom().head_radius_mm
    assert (
        FACTS["femoral_head_diameter"].low - 4.0 <= d <= FACTS["femoral_head_diameter"].high + 4.0
    )
    assert "No female bone surface" in HipPhantom(sex="female").bone_note
    # the head sphere really has that radius: a ray through its centre crosses 2r of bone
    ph = HipPhantom()
    r = ph.head_radius_mm
    # (a real head is not a perfect sphere: fitted residual about 0.8 mm)
    pts = np.array(
        [[0.0, 0.0, r - 2.0], [0.0, -(r - 2.0), 0.0], [0.0, 0.0, r + 1.0], [0.0, -(r + 2.5), 0.0]]
    )
    inside = ph.in_region("bone", pts)
    assert inside[:2].all() and not inside[2:].any()


def test_kour2023_is_gone():
    refs = yaml.safe_load(bibliography_file().read_text(encoding="utf-8"))
    assert "Kour2023" not in refs
    src = project_root() / "src" / "fluorohip" / "fluoro"
    for path in src.glob("*.py"):
        assert "Kour2023" not in path.read_text(encoding="utf-8"), path


def test_unsourced_numbers_carry_no_key_and_are_flagged():
    for name in (
        "cortex_mm",
        "shaft_cortex_mm",
        "shaft_radius_mm",
        "artery_diameter_mm",
        "vein_diameter_mm",
        "capsule_wall_band_mm",
        "muscle_half_depth_mm",
        "muscle_half_width_mm",
    ):
        c = CONSTANTS[name]
        assert c.key == "" and c.assumption, name
        assert name not in citation_keys()
    for name, c in CONSTANTS.items():
        assert c.key or c.assumption, name
    with pytest.raises(ValueError, match="assumption"):
        Constant(1.0, "mm", "")


def test_every_cited_key_resolves_and_assumptions_say_so():
    refs = yaml.safe_load(bibliography_file().read_text(encoding="utf-8"))
    for name, key in citation_keys().items():
        assert key in refs, (name, key)
    for c in CONSTANTS.values():
        for key in re.findall(r"\[([A-Za-z][\w.]+)\]", c.note):
            assert key in refs, key


def test_attenuation_values_match_nist_mixtures():
    # water, ICRU-44 adipose/muscle/cortical at 50 keV (NIST XCOM mu/rho x rho), 3 significant figures
    expected = {
        "mu_water_per_cm": 0.227,
        "mu_fat_per_cm": 0.202,
        "mu_muscle_per_cm": 0.238,
        "mu_blood_per_cm": 0.241,
        "mu_cortical_per_cm": 0.814,
    }
    for name, mu in expected.items():
        assert value(name) == pytest.approx(mu, abs=0.0015)
    # cancellous is the stated 0.7/0.3 mixture of muscle and cortical bone
    mix = 0.7 * value("mu_muscle_per_cm") + 0.3 * value("mu_cortical_per_cm")
    assert value("mu_cancellous_per_cm") == pytest.approx(mix, abs=0.005)
    # photons per uGy per mm2 at 50 keV from (mu_en/rho)_air = 0.04098 cm2/g
    e_j = 50e3 * 1.602176634e-19
    q = 1e-6 / (e_j * 0.04098e-1) * 1e-6
    assert value("quanta_per_ugy_mm2") == pytest.approx(q, rel=0.005)
