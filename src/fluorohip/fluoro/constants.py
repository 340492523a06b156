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
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Constant:
    value: float
    unit: str
    key: str
    note: str = ""
    assumption: bool = False


C = Constant
CONSTANTS: dict[str, Constant] = {
    # --- linear attenuation at 50 keV (1/cm), NIST mu/rho x density, ICRU-44 compositions ---
    "mu_water_per_cm": C(0.227, "1/cm", "Hubbell2004", "water, rho 1.00"),
    "mu_fat_per_cm": C(0.202, "1/cm", "Hubbell2004", "adipose tissue (ICRU-44), rho 0.95"),
    "mu_muscle_per_cm": C(0.238, "1/cm", "Hubbell2004", "skeletal muscle (ICRU-44), rho 1.05"),
    "mu_blood_per_cm": C(0.241, "1/cm", "Hubbell2004", "blood (ICRU-44), rho 1.06"),
    "mu_cortical_per_cm": C(0.814, "1/cm", "Hubbell2004", "cortical bone (ICRU-44), rho 1.92"),
    "mu_cancellous_per_cm": C(
        0.41, "1/cm", "Haba2012",
        "0.7 muscle + 0.3 cortical by volume; mineral fraction from femoral-head QCT BMD "
        "353 +/- 172 mg/cm3, mu values from Hubbell2004"),
    "mu_steel_per_cm": C(
        15.4, "1/cm", "Hubbell2004",
        "stainless steel 304, Fe70 Cr19 Ni9 Mn2 by mass, rho 8.0 (composition assumed)"),
    "iodine_mass_atten_cm2_per_g": C(
        12.31, "cm2/g", "Hubbell2004",
        "iodine mu/rho at 50 keV; contrast mu = mu_water + c * (mu/rho)_I"),
    "mu_water_plastimatch_per_mm": C(
        0.022, "1/mm", "Sharp2010",
        "plastimatch drr maps HU to mu = 0.022 (1 + HU/1000) per mm ('NIST at 50 keV')"),
    # --- C-arm geometry ---
    "sid_mm": C(1000.0, "mm", "Unberath2018",
                "source-image distance; 1020 mm Cios Spin model, 968 mm Arcadis Varic"),
    "sod_mm": C(650.0, "mm", "Unberath2018",
                "source-isocentre distance; 530 mm on the Cios Spin, 650 chosen (M = 1.54)",
                assumption=True),
    "field_full_mm": C(300.0, "mm", "Unberath2018", "flat panel about 30 cm across"),
    "field_mag_mm": C(200.0, "mm", "ECRIUMDNS",
                      "magnified mode; image intensifiers offer 23/15 (or 23/15/11) cm fields"),
    "tilt_max_deg": C(40.0, "deg", "Rastogi2016",
                      "cranio-caudal tilt range of the simulated C-arm", assumption=True),
    "rotation_max_deg": C(90.0, "deg", "Rastogi2016",
                          "oblique rotation range of the simulated C-arm", assumption=True),
    "ssd_min_mobile_mm": C(300.0, "mm", "FDA2008CFR1020",
                           "minimum source-skin distance for mobile C-arms (21 CFR 1020.32(g))"),
    # --- anatomy (adult) ---
    "head_radius_male_mm": C(24.5, "mm", "Kour2023", "femoral head diameter 49.2 +/- 3.8 mm (men)"),
    "head_radius_female_mm": C(22.7, "mm", "Kour2023", "femoral head diameter 45.3 +/- 3.5 mm (women)"),
    "cortex_mm": C(2.0, "mm", "Kour2023", "cortical shell thickness of head and neck", assumption=True),
    "shaft_cortex_mm": C(5.0, "mm", "Kour2023", "cortical thickness of the femoral shaft", assumption=True),
    "neck_semi_si_mm": C(16.0, "mm", "AbdulaiFemur", "neck elliptic cylinder semi-axis, supero-inferior"),
    "neck_semi_ap_mm": C(13.0, "mm", "AbdulaiFemur", "neck semi-axis, antero-posterior (smaller)"),
    "neck_length_mm": C(35.0, "mm", "AbdulaiFemur", "neck length 34.9 +/- 1.7 mm (dry bone)"),
    "neck_shaft_angle_deg": C(128.0, "deg", "Toogood2009", "129.2 deg [Toogood2009]; 124.7 +/- 6.2 [CarmonaHAL]"),
    "femoral_anteversion_deg": C(12.0, "deg", "Toogood2009", "9.7 deg [Toogood2009]; 14.5 +/- 8.1 [CarmonaHAL]"),
    "shaft_radius_mm": C(14.0, "mm", "Toogood2009", "femoral shaft outer radius", assumption=True),
    "acetabular_inclination_deg": C(39.0, "deg", "Fowkes2011", "Sharp-type inclination 38.8 deg"),
    "centre_edge_angle_deg": C(35.0, "deg", "Fowkes2011", "lateral centre-edge angle 36.3 deg; normal 23-33 [Tannast2015]"),
    "acetabular_anteversion_deg": C(18.8, "deg", "Jiang2015", "acetabular anteversion"),
    "joint_space_mm": C(4.0, "mm", "Lequesne2004", "apical joint space 4.19 +/- 0.92 mm"),
    "capsule_offset_mm": C(5.0, "mm", "Philippon2015",
                           "capsule inner surface this far from bone (thickness 4.1-8.3 mm; "
                           "ultrasound bone-capsule 6.4 +/- 1.1 mm [USHipStandards1994])"),
    "capsule_wall_band_mm": C(1.5, "mm", "Weidner2012",
                              "a tip within this distance of the capsule surface is 'in the wall'",
                              assumption=True),
    "capsule_posterior_shortening_mm": C(12.0, "mm", "RadiopaediaCapsule2022",
                                         "posterior capsule ends 1-1.25 cm short of the intertrochanteric crest"),
    "joint_capacity_ml": C(14.0, "mL", "HipCapacity1981",
                           "arthrographic capacity about 14 (small women) to 20 mL (large men)"),
    "bursa_length_mm": C(60.0, "mm", "IliopsoasBursaCase", "iliopsoas bursa 5-7 x 2-4 cm"),
    "bursa_width_mm": C(30.0, "mm", "IliopsoasBursaCase", "iliopsoas bursa width"),
    "bursa_depth_mm": C(8.0, "mm", "IliopsoasBursaCase", "collapsed bursa depth", assumption=True),
    "bursa_communication_p": C(0.15, "1", "IliopsoasBursaCase", "fraction of bursae communicating with the joint"),
    "artery_diameter_mm": C(8.0, "mm", "HipInjectionChapter2023", "femoral artery", assumption=True),
    "vein_diameter_mm": C(10.0, "mm", "HipInjectionChapter2023", "femoral vein", assumption=True),
    "vessel_depth_mm": C(45.0, "mm", "Mehta2018",
                         "depth of the neurovascular bundle axis anterior to the head centre",
                         assumption=True),
    "muscle_half_depth_mm": C(95.0, "mm", "NeedleLengthNomogram", "AP half-depth of the muscle envelope", assumption=True),
    "muscle_half_width_mm": C(165.0, "mm", "NeedleLengthNomogram", "lateral half-width of the pelvis envelope", assumption=True),
    "fat_min_mm": C(15.0, "mm", "NeedleLengthNomogram", "subcutaneous fat at BMI 20", assumption=True),
    "fat_max_mm": C(60.0, "mm", "NeedleLengthNomogram", "subcutaneous fat at BMI >= 35", assumption=True),
    "needle_od_22g_mm": C(0.718, "mm", "WikipediaNeedleGauge", "22 G outer diameter"),
    "needle_length_mm": C(89.0, "mm", "HipInjectionChapter2023", "3.5 inch spinal needle; 127 mm in large patients"),
    # --- detector signal, noise and dose ---
    "quanta_per_ugy_mm2": C(3.05e4, "1/(uGy mm2)", "Hubbell2004",
                            "photons per unit air kerma at 50 keV, (mu_en/rho)_air = 0.04098 cm2/g"),
    "detector_kerma_per_frame_ugy": C(0.03, "uGy", "Nickoloff2011",
                                      "target detector air kerma per 30 fps frame (calibration)",
                                      assumption=True),
    "mag_dose_exponent_ii": C(2.0, "1", "MagnifiedFOVEnergy", "II dose rate ~ (FOV_full/FOV)^2 under ABC"),
    "mag_dose_exponent_fp": C(1.0, "1", "Nickoloff2011", "flat-panel exponent", assumption=True),
    "continuous_fps": C(30.0, "1/s", "Herrmann1996", "continuous fluoroscopy frame rate"),
    "pulse_factor_12pps": C(1.28, "1", "Herrmann1996", "dose per pulse vs a 30 fps frame (51% of continuous)"),
    "pulse_factor_6pps": C(2.0, "1", "Herrmann1996", "dose per pulse vs a 30 fps frame (40% of continuous)"),
    "pulse_factor_3pps": C(2.0, "1", "Herrmann1996", "dose per pulse vs a 30 fps frame (20% of continuous)"),
    "pulse_factor_2pps": C(2.18, "1", "Herrmann1996", "dose per pulse vs a 30 fps frame (14.5% of continuous)"),
    "kerma_rate_limit_mgy_per_min": C(88.0, "mGy/min", "FDA2008CFR1020",
                                      "normal-mode limit, 30 cm from the receptor input surface"),
    "kerma_limit_distance_mm": C(300.0, "mm", "FDA2008CFR1020", "limit measured this far from the receptor"),
    "staff_scatter_fraction_1m": C(1e-3, "1", "HPS2007", "scatter kerma at 1 m / patient entrance kerma"),
    "staff_reference_field_cm2": C(400.0, "cm2", "HPS2007", "20 x 20 cm field behind the 0.1% rule", assumption=True),
    "tube_output_70kv_ugy_per_mas": C(39.0, "uGy/mAs", "TubeOutput2015", "at 1 m"),
    "tube_output_80kv_ugy_per_mas": C(51.0, "uGy/mAs", "TubeOutput2015", "at 1 m"),
    "tube_output_90kv_ugy_per_mas": C(65.0, "uGy/mAs", "TubeOutput2015", "at 1 m"),
    "reference_fluoro_time_s": C(26.0, "s", "TrainingLevelDose2017", "hip injection, 26 +/- 17 s (1,362 procedures)"),
    "reference_kap_gy_cm2": C(0.204, "Gy cm2", "TrainingLevelDose2017", "DAP 20.4 +/- 22.3 uGy m2"),
    # --- contrast ---
    "contrast_default_mgi_per_ml": C(300.0, "mgI/mL", "UWMSKHipArthrography", "iohexol 300"),
    "vascular_washout_s": C(1.0, "s", "Hong2014", "intravascular contrast washout time constant", assumption=True),
    "muscle_streak_aspect": C(6.0, "1", "Shim2017", "aspect ratio of intramuscular streaks", assumption=True),
}
del C


def value(name: str) -> float:
    """The value of a named constant (KeyError names the missing constant)."""
    try:
        return CONSTANTS[name].value
    except KeyError:
        raise KeyError(f"unknown fluoroscope constant {name!r}") from None


def citation_keys() -> dict[str, str]:
    """Map each constant's name to its citation key."""
    return {name: c.key for name, c in CONSTANTS.items()}
