"""Every number the virtual fluoroscope uses, in one place, with unit and source.

Each entry is a :class:`Constant`: value, unit, citation key (resolvable in
``assets/references.yaml``) and a note. ``assumption=True`` marks a modelling choice
with no direct source; those are the numbers a clinician or physicist should review
first. Other modules read numbers from :data:`CONSTANTS` only, so a value typed here is
the value the simulator uses.

Attenuation coefficients are for a 50 keV monoenergetic beam: the effective energy of a
70-80 kV hip technique *behind* the patient lies near 50 keV (computed from NIST tables
[@Hubbell2004] and the spectra of [@Unberath2018]), and plastimatch's own HU-to-mu mapping
also assumes 50 keV [@Sharp2010].

Anatomy shared with the anatomy chapter (femoral head diameter, neck-shaft angle,
lateral centre-edge and Sharp angles, joint capacity, bursa communication) is read from
:data:`fluorohip.anatomy.FACTS`, so each clinical number is typed once, with its source,
in one place. A constant whose ``key`` is empty has no source at all: it is a modelling
assumption (``assumption=True``), and :func:`citation_keys` leaves it out.
"""

from __future__ import annotations

from dataclasses import dataclass

from fluorohip.chapters.hip_anatomy.model import FACTS
from fluorohip.chapters.image_guidance.radiation import FACTS as _RAD


@dataclass(frozen=True)
class Constant:
    value: float
    unit: str
    key: str
    note: str = ""
    assumption: bool = False

    def __post_init__(self) -> None:
        if not self.key and not self.assumption:
            raise ValueError("a constant without a citation key must be flagged assumption=True")


def _fact(
    name: str, note: str, scale: float = 1.0, attr: str = "value", unit: str | None = None
) -> Constant:
    """A constant whose number lives in the anatomy chapter's FACTS (one number, one place)."""
    f = FACTS[name]
    unit = unit or {"°": "deg"}.get(f.unit, f.unit)
    return Constant(
        float(getattr(f, attr)) * scale, unit, f.keys[0], f"anatomy.FACTS[{name!r}]: {note}"
    )


def _rad_value(name: str) -> float:
    """A number from the radiation chapter's FACTS (which must state one)."""
    v = _RAD[name].value
    if v is None:
        raise ValueError(f"radiation.FACTS[{name!r}] has no value; the fluoroscope needs one")
    return float(v)


#: Calibrated target detector kerma (uGy per 30 fps frame); see fluoro.dose, "Calibration".
DETECTOR_KERMA_CALIBRATED = 0.010

C = Constant
CONSTANTS: dict[str, Constant] = {
    # --- linear attenuation at 50 keV (1/cm), NIST mu/rho x density, ICRU-44 compositions ---
    "mu_water_per_cm": C(0.227, "1/cm", "Hubbell2004", "water, rho 1.00"),
    "mu_fat_per_cm": C(0.202, "1/cm", "Hubbell2004", "adipose tissue (ICRU-44), rho 0.95"),
    "mu_muscle_per_cm": C(0.238, "1/cm", "Hubbell2004", "skeletal muscle (ICRU-44), rho 1.05"),
    "mu_blood_per_cm": C(0.241, "1/cm", "Hubbell2004", "blood (ICRU-44), rho 1.06"),
    "mu_cortical_per_cm": C(0.814, "1/cm", "Hubbell2004", "cortical bone (ICRU-44), rho 1.92"),
    "mu_cancellous_per_cm": C(
        0.41,
        "1/cm",
        "Haba2012",
        "derived: 0.7 muscle + 0.3 cortical by volume (0.3 x ~1.08 g/cm3 of mineral in ICRU-44 "
        "cortical bone ~ 0.33 g/cm3, matching femoral-head QCT BMD 353 +/- 172 mg/cm3); "
        "mu values from [Hubbell2004]",
    ),
    "mu_steel_per_cm": C(
        15.4,
        "1/cm",
        "Hubbell2004",
        "stainless steel 304, Fe70 Cr19 Ni9 Mn2 by mass, rho 8.0; NIST mu/rho, composition assumed",
        assumption=True,
    ),
    "iodine_mass_atten_cm2_per_g": C(
        12.31,
        "cm2/g",
        "Hubbell2004",
        "iodine mu/rho at 50 keV; contrast mu = mu_water + c * (mu/rho)_I",
    ),
    "mu_water_plastimatch_per_mm": C(
        0.022,
        "1/mm",
        "Sharp2010",
        "plastimatch drr maps HU to mu = 0.022 (1 + HU/1000) per mm ('NIST at 50 keV')",
    ),
    # --- C-arm geometry ---
    "sid_mm": C(
        1000.0,
        "mm",
        "Unberath2018",
        "source-image distance, a round figure between 1020 mm (Cios Spin model) and "
        "968 mm (Arcadis Varic [SiemensArcadisVaric])",
        assumption=True,
    ),
    "sod_mm": C(
        650.0,
        "mm",
        "Unberath2018",
        "source-isocentre distance; 530 mm on the Cios Spin, 650 chosen (M = 1.54)",
        assumption=True,
    ),
    "field_full_mm": C(300.0, "mm", "Unberath2018", "flat panel about 30 cm across"),
    "field_mag_mm": C(
        200.0,
        "mm",
        "ECRIUMDNS",
        "magnified mode; image intensifiers offer 23/15 (or 23/15/11) cm fields, so "
        "200 mm on a 300 mm panel is a chosen ratio",
        assumption=True,
    ),
    "tilt_max_deg": C(
        40.0,
        "deg",
        "Rastogi2016",
        "cranio-caudal tilt range of the simulated C-arm",
        assumption=True,
    ),
    "rotation_max_deg": C(
        90.0, "deg", "Rastogi2016", "oblique rotation range of the simulated C-arm", assumption=True
    ),
    "ssd_min_mobile_mm": C(
        300.0,
        "mm",
        "FDA2008CFR1020",
        "minimum source-skin distance for mobile C-arms (21 CFR 1020.32(g))",
    ),
    # --- anatomy (adult) ---
    # The femoral head diameter is taken from the anatomy chapter: Abdulai2024 reports men
    # 51 and women 48 mm, stored there as the fact's high and low ends.
    "head_radius_male_mm": _fact(
        "femoral_head_diameter", "men's mean diameter 51 mm, halved", scale=0.5, attr="high"
    ),
    "head_radius_female_mm": _fact(
        "femoral_head_diameter", "women's mean diameter 48 mm, halved", scale=0.5, attr="low"
    ),
    "cortex_mm": C(
        2.0,
        "mm",
        "",
        "cortical shell thickness of head and neck; no source, a modelling "
        "choice for a visible rim",
        assumption=True,
    ),
    "trabecular_fraction_sd": C(
        0.06,
        "1",
        "Haba2012",
        "trabecular texture: SD of the local bone fraction of cancellous bone about its mean 0.3 "
        "(the split behind mu_cancellous_per_cm, matched to femoral-head QCT BMD 353 +/- 172 "
        "mg/cm3 in the source); the within-bone SD is ours, well inside that spread",
        assumption=True,
    ),
    "trabecular_grain_mm": C(
        2.0,
        "mm",
        "",
        "grid spacing of the trabecular texture (about the scale of trabecular groups seen on a "
        "radiograph, not single trabeculae); stretched 3x along the neck axis",
        assumption=True,
    ),
    "cup_inclination_deg": C(
        40.0,
        "deg",
        "",
        "prosthesis variant: acetabular cup inclination (typical target)",
        assumption=True,
    ),
    "cup_anteversion_deg": C(
        15.0,
        "deg",
        "",
        "prosthesis variant: acetabular cup anteversion (typical target)",
        assumption=True,
    ),
    "prosthesis_stem_diameter_mm": C(
        7.0, "mm", "", "prosthesis variant: diameter of the resurfacing cap's stem", assumption=True
    ),
    "prosthesis_stem_length_mm": C(
        35.0,
        "mm",
        "",
        "prosthesis variant: stem length beyond the head-neck junction",
        assumption=True,
    ),
    "shaft_cortex_mm": C(
        5.0, "mm", "", "cortical thickness of the femoral shaft; no source", assumption=True
    ),
    "neck_semi_si_male_mm": C(
        20.0,
        "mm",
        "AbdulaiFemur",
        "neck elliptic cylinder semi-axis, supero-inferior: half the cited neck diameter "
        "of 40 mm in men (dry bone)",
    ),
    "neck_semi_si_female_mm": C(
        19.0, "mm", "AbdulaiFemur", "as neck_semi_si_male_mm: half the cited 38 mm in women"
    ),
    "neck_ap_to_si_ratio": C(
        0.8,
        "1",
        "",
        "antero-posterior / supero-inferior neck width (the neck is "
        "flattened front to back); no source for the ratio",
        assumption=True,
    ),
    "neck_length_mm": C(35.0, "mm", "AbdulaiFemur", "neck length 34.9 +/- 1.7 mm (dry bone)"),
    "neck_shaft_angle_deg": _fact("neck_shaft_angle", "pooled mean of healthy adult hips"),
    "femoral_anteversion_deg": C(
        12.0,
        "deg",
        "Toogood2009",
        "between 9.7 deg [Toogood2009] and 14.5 +/- 8.1 [CarmonaHAL]",
        assumption=True,
    ),
    "shaft_radius_mm": C(14.0, "mm", "", "femoral shaft outer radius; no source", assumption=True),
    "acetabular_inclination_deg": _fact(
        "sharp_angle",
        "Sharp angle, middle of the normal range, sets the tilt of the acetabular opening",
    ),
    "centre_edge_angle_deg": _fact(
        "lateral_center_edge_angle", "lateral centre-edge angle, middle of the normal range"
    ),
    "acetabular_anteversion_deg": C(18.8, "deg", "Jiang2015", "acetabular anteversion"),
    "joint_space_mm": C(4.0, "mm", "Lequesne2004", "apical joint space 4.19 +/- 0.92 mm"),
    "capsule_offset_mm": C(
        5.0,
        "mm",
        "USHipStandards1994",
        "capsule inner surface this far from bone: chosen a little under the "
        "ultrasound bone-capsule distance 6.4 +/- 1.1 mm, which reaches the outer "
        "surface (wall thickness 4.1-8.3 mm [Philippon2015])",
        assumption=True,
    ),
    "capsule_wall_band_mm": C(
        1.5,
        "mm",
        "",
        "a tip within this distance of the capsule surface is 'in the wall'; "
        "a classification tolerance, no source",
        assumption=True,
    ),
    "capsule_posterior_shortening_mm": C(
        12.0,
        "mm",
        "RadiopaediaCapsule2022",
        "posterior capsule ends 1-1.25 cm short of the intertrochanteric crest",
    ),
    "joint_capacity_ml": _fact(
        "joint_capacity",
        "arthrographic capacity, 14 (small women) to 20 mL (large men); the middle figure",
    ),
    "bursa_length_mm": C(60.0, "mm", "IliopsoasBursaCase", "iliopsoas bursa 5-7 x 2-4 cm"),
    "bursa_width_mm": C(30.0, "mm", "IliopsoasBursaCase", "iliopsoas bursa width"),
    "bursa_depth_mm": C(8.0, "mm", "IliopsoasBursaCase", "collapsed bursa depth", assumption=True),
    "bursa_communication_p": _fact(
        "bursa_communication",
        "per cent of bursae communicating with the joint, as a fraction",
        scale=0.01,
        unit="1",
    ),
    "artery_diameter_mm": C(8.0, "mm", "", "femoral artery diameter; no source", assumption=True),
    "vein_diameter_mm": C(10.0, "mm", "", "femoral vein diameter; no source", assumption=True),
    "artery_joint_distance_mm": C(
        19.6,
        "mm",
        "Mehta2018",
        "shortest femoral artery to hip joint distance on 115 hip MRIs, mean (SD 4.2); "
        "the model places the artery wall this far from its capsule surface",
    ),
    "vein_joint_distance_mm": C(
        17.5,
        "mm",
        "Mehta2018",
        "shortest femoral vein to hip joint distance, mean (SD 4.4); same placement rule",
    ),
    "artery_x_mm": C(
        14.0,
        "mm",
        "Mehta2018",
        "artery axis this far medial to the head centre (over the medial head, with the vein "
        "further medial); the source gives the order and distances, the lateral offset is ours",
        assumption=True,
    ),
    "bursa_x_mm": C(
        15.0,
        "mm",
        "IliopsoasBursaCase",
        "bursa centre this far medial to the head centre, in front of the capsule (anteromedial)",
        assumption=True,
    ),
    # --- pelvis: outline for recognition, not for measurement (assumptions, sizes of an average adult male) ---
    "pelvis_midline_mm": C(
        85.0,
        "mm",
        "",
        "head centre to the pubic symphysis midline (half the inter-head distance)",
        assumption=True,
    ),
    "spr_per_100mm": C(
        1.6,
        "1",
        "FritzJones2014Grid",
        "scatter-to-primary ratio without a grid per 100 mm of muscle-equivalent thickness, 400 cm2 "
        "field at the patient, scaled by sqrt(area): about 3.7 for a 23 cm adult pelvis. The source "
        "measured SPR rising strongly with thickness and field size and weakly with kV (the "
        "dependencies modelled here, also [RadiopaediaSPR]); the number is ours, and published "
        "values for large adult trunks without a grid vary (roughly 2-6) with field, kV and air gap",
        assumption=True,
    ),
    "grid_primary_transmission": C(
        0.7, "1", "", "anti-scatter grid: fraction of primary passed (typical)", assumption=True
    ),
    "grid_scatter_transmission": C(
        0.15, "1", "", "anti-scatter grid: fraction of scatter passed (typical)", assumption=True
    ),
    "scatter_sigma_mm": C(
        40.0,
        "mm",
        "",
        "width (Gaussian sigma) of the scatter spread at the detector",
        assumption=True,
    ),
    "focal_spot_mm": C(
        0.6,
        "mm",
        "",
        "nominal focal spot of a mobile C-arm (large focus; vendor data sheets list 0.3-0.6 mm "
        "small and 0.6-1.0 mm large foci, not retrieved as a citable source)",
        assumption=True,
    ),
    "detector_blur_mm": C(
        0.15,
        "mm",
        "",
        "scintillator and pixel blur (Gaussian sigma; about the 0.15-0.2 mm pixel pitch of C-arm "
        "flat panels [Nickoloff2011]); no measured value retrieved",
        assumption=True,
    ),
    "electronic_noise_ugy": C(
        0.002,
        "uGy",
        "Seibert2006FPD",
        "detector electronic noise expressed as the air kerma whose quantum noise equals it (2 nGy, "
        "a tenth of the 20 nGy pulse): the source explains why flat panels lose image quality at the "
        "lowest fluoroscopic exposures (read-out noise no longer small against quantum noise); the "
        "number is ours (no measured value retrieved)",
        assumption=True,
    ),
    "recursive_filter_weight": C(
        0.25, "1", "", "weight of the newest frame in the live recursive filter", assumption=True
    ),
    "filtration_al_mm": C(
        3.0,
        "mm",
        "",
        "C-arm tube filtration, aluminium (typical; vendor-specific)",
        assumption=True,
    ),
    "filtration_cu_mm": C(
        0.1, "mm", "", "added copper filtration of a fluoroscopy beam (typical)", assumption=True
    ),
    "sacrum_half_width_mm": C(
        32.0,
        "mm",
        "",
        "half-width of the simplified sacrum between the ilia (sized to clear the real hip bones)",
        assumption=True,
    ),
    "inlet_half_width_mm": C(
        57.0, "mm", "", "pelvic inlet (brim) transverse half-width", assumption=True
    ),
    "inlet_half_depth_mm": C(
        50.0, "mm", "", "pelvic inlet antero-posterior half-depth", assumption=True
    ),
    "inlet_tilt_deg": C(
        60.0, "deg", "", "pelvic inlet plane to the horizontal, supine", assumption=True
    ),
    "obturator_half_height_mm": C(24.0, "mm", "", "obturator foramen half-height", assumption=True),
    "obturator_half_width_mm": C(17.0, "mm", "", "obturator foramen half-width", assumption=True),
    "cup_wall_mm": C(
        3.0,
        "mm",
        "",
        "dense subchondral lining of the acetabular cup (the sourcil)",
        assumption=True,
    ),
    # --- osteoarthritis option (HipPhantom(oa=True)) ---
    "oa_superolateral_joint_space_mm": C(
        1.5,
        "mm",
        "Ledingham1992",
        "superolateral joint space in the OA option: narrowing at the superior "
        "pole, superolateral the commonest pattern (46% of 211 referred hips); "
        "the 1.5 mm is ours (normal apical 4.19 +/- 0.92 mm [Lequesne2004])",
        assumption=True,
    ),
    "oa_osteophyte_mm": C(
        5.0,
        "mm",
        "Nelson2010HipOAFeatures",
        "size of the marginal osteophytes (lateral acetabular, superior and inferomedial "
        "femoral head-neck) in the OA option; features scored in the source, size ours",
        assumption=True,
    ),
    "muscle_half_depth_mm": C(
        75.0, "mm", "", "AP half-depth of the muscle envelope; no source", assumption=True
    ),
    "muscle_half_width_mm": C(
        175.0, "mm", "", "lateral half-width of the pelvis envelope; no source", assumption=True
    ),
    "fat_min_mm": C(
        15.0,
        "mm",
        "NeedleLengthNomogram",
        "subcutaneous fat at BMI 20; the source shows depth rising with BMI, the numbers "
        "are ours (its values were not retrieved)",
        assumption=True,
    ),
    "fat_max_mm": C(
        60.0,
        "mm",
        "NeedleLengthNomogram",
        "subcutaneous fat at BMI >= 35; see fat_min_mm",
        assumption=True,
    ),
    "needle_od_22g_mm": C(0.718, "mm", "WikipediaNeedleGauge", "22 G outer diameter"),
    "needle_length_mm": C(
        89.0, "mm", "HipInjectionChapter2023", "3.5 inch spinal needle; 127 mm in large patients"
    ),
    # --- detector signal, noise and dose ---
    "quanta_per_ugy_mm2": C(
        3.05e4,
        "1/(uGy mm2)",
        "Hubbell2004",
        "derived: photons per unit air kerma at 50 keV, 1 / (E (mu_en/rho)_air) "
        "with (mu_en/rho)_air = 0.04098 cm2/g",
    ),
    "detector_kerma_per_frame_ugy": C(
        DETECTOR_KERMA_CALIBRATED,
        "uGy",
        "TrainingLevelDose2017",
        "detector air kerma per 30 fps frame that the dose-rate control holds (primary behind the grid plus "
        "scatter); x the pulse factor 2 at 6 pps gives 20 nGy per pulse, the low end of the 20-40 nGy/pulse "
        "typical of flat-panel fluoroscopy (a typical value; searched for a citable source for the 20-40 nGy range and found none, so it stays an assumption). With the whole 30 cm "
        "panel open the default 26 s procedure then gives about 1.6x the published mean DAP of 20.4 uGy m2 "
        "[TrainingLevelDose2017], inside its spread (SD 22.3); collimated to 70 % it matches the mean",
        assumption=True,
    ),
    "mag_dose_exponent_ii": C(
        2.0, "1", "MagnifiedFOVEnergy", "II dose rate ~ (FOV_full/FOV)^2 under ABC"
    ),
    "mag_dose_exponent_fp": C(1.0, "1", "Nickoloff2011", "flat-panel exponent", assumption=True),
    "continuous_fps": C(
        30.0,
        "1/s",
        "Herrmann1996",
        "continuous fluoroscopy frame rate (30 fps video assumed; the per-pulse "
        "factors below are the source's fractions x 30 / pps)",
        assumption=True,
    ),
    "pulse_factor_12pps": C(
        1.28, "1", "Herrmann1996", "dose per pulse vs a 30 fps frame (51% of continuous)"
    ),
    "pulse_factor_6pps": C(
        2.0, "1", "Herrmann1996", "dose per pulse vs a 30 fps frame (40% of continuous)"
    ),
    "pulse_factor_3pps": C(
        2.0, "1", "Herrmann1996", "dose per pulse vs a 30 fps frame (20% of continuous)"
    ),
    "pulse_factor_2pps": C(
        2.18, "1", "Herrmann1996", "dose per pulse vs a 30 fps frame (14.5% of continuous)"
    ),
    "kerma_rate_limit_mgy_per_min": C(
        88.0,
        "mGy/min",
        "FDA2008CFR1020",
        "normal-mode limit, 30 cm from the receptor input surface",
    ),
    "kerma_limit_distance_mm": C(
        300.0, "mm", "FDA2008CFR1020", "limit measured this far from the receptor"
    ),
    "staff_scatter_fraction_1m": C(
        1e-3, "1", "HPS2007", "scatter kerma at 1 m / patient entrance kerma"
    ),
    "staff_reference_field_cm2": C(
        400.0,
        "cm2",
        "HPS2007",
        "20 x 20 cm field assumed behind the 0.1% rule (the rule states no field)",
        assumption=True,
    ),
    "tube_output_70kv_ugy_per_mas": C(39.0, "uGy/mAs", "TubeOutput2015", "at 1 m"),
    "tube_output_80kv_ugy_per_mas": C(51.0, "uGy/mAs", "TubeOutput2015", "at 1 m"),
    "tube_output_90kv_ugy_per_mas": C(65.0, "uGy/mAs", "TubeOutput2015", "at 1 m"),
    # the clinical reference is read from the radiation chapter's facts (one number, one place)
    "reference_fluoro_time_s": C(
        _rad_value("screening_time_mean_s"),
        "s",
        _RAD["screening_time_mean_s"].key,
        "radiation.FACTS['screening_time_mean_s']: hip injection, mean (SD 17 s), 1,362 procedures",
    ),
    "reference_kap_gy_cm2": C(
        _rad_value("dap_mean_ugym2") / 100.0,
        "Gy cm2",
        _RAD["dap_mean_ugym2"].key,
        "radiation.FACTS['dap_mean_ugym2'] = 20.4 uGy m2 (SD 22.3), in Gy cm2",
    ),
    # --- contrast ---
    "contrast_default_mgi_per_ml": C(300.0, "mgI/mL", "UWMSKHipArthrography", "iohexol 300"),
    "vascular_washout_s": C(
        1.0,
        "s",
        "Hong2014",
        "intravascular contrast washout time constant; the source shows fleeting "
        "patterns, the number is ours",
        assumption=True,
    ),
    "muscle_streak_aspect": C(
        8.0,
        "1",
        "Shim2017",
        "aspect ratio of intramuscular streaks; the source names 'muscular staining', "
        "the shape is a modelling choice",
        assumption=True,
    ),
}
del C


def value(name: str) -> float:
    """The value of a named constant (KeyError names the missing constant)."""
    try:
        return CONSTANTS[name].value
    except KeyError:
        raise KeyError(f"unknown fluoroscope constant {name!r}") from None


def citation_keys() -> dict[str, str]:
    """Map each cited constant's name to its citation key (uncited assumptions are left out)."""
    return {name: c.key for name, c in CONSTANTS.items() if c.key}
