"""The learner's session: C-arm, needle, pedal presses, dose ledger and the scored exercise.

Pure model (no widgets): :class:`.widget.FluoroscopeWidget` is a thin view over it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .constants import value
from .dose import DoseLedger
from .geometry import CArm, angles_for_direction
from .imaging import NoiseBank
from .needle import Needle, TipResult
from .phantom import HipPhantom
from .scene import Frame, Scene, render


@dataclass
class FluoroSession:
    scene: Scene = field(default_factory=Scene)
    carm: CArm = field(default_factory=lambda: CArm(pixels=256))
    pps: float = 6.0
    invert: bool = False
    seed: int = 0
    ledger: DoseLedger = field(default_factory=DoseLedger)
    last_frame: Frame | None = None
    injections: list = field(default_factory=list)
    grid: bool = True
    temporal_filter: bool = True

    def filter_variance_factor(self, frames: int) -> float:
        """Noise variance left after a recursive filter (newest-frame weight a) over ``frames`` frames.

        v_1 = 1, v_k = (1 - a)^2 v_(k-1) + a^2: a static scene's noise falls toward a / (2 - a)
        (1/7 of the variance for a = 0.25) while a moving needle would lag; the last image is held
        after the pedal is released (last-image hold).
        """
        if not self.temporal_filter or frames <= 1:
            return 1.0
        a = value("recursive_filter_weight")
        v = 1.0
        for _ in range(frames - 1):
            v = (1 - a) ** 2 * v + a * a
        return v

    def __post_init__(self) -> None:
        self._rng = np.random.default_rng(self.seed)
        self._bank = NoiseBank((self.carm.pixels, self.carm.pixels), seed=self.seed)

    @property
    def phantom(self) -> HipPhantom:
        return self.scene.phantom

    def set_carm(self, **changes) -> CArm:
        self.carm = self.carm.with_(**changes)
        if self.carm.pixels != self._bank._frames.shape[1]:
            self._bank = NoiseBank((self.carm.pixels, self.carm.pixels), seed=self.seed)
        return self.carm

    def set_needle(self, needle: Needle | None) -> TipResult | None:
        return self.scene.set_needle(needle)

    def coaxial(self) -> CArm:
        """Align the beam with the needle ("down the barrel"), centred on the entry point."""
        if self.scene.needle is None:
            raise ValueError("needle must be placed before a coaxial view; got no needle")
        d = np.asarray(self.scene.needle.direction)
        rot, tilt = angles_for_direction(d)  # source behind the needle path, beam along it
        return self.set_carm(
            rotation_deg=rot, tilt_deg=tilt, isocentre_mm=tuple(self.scene.needle.entry_mm)
        )

    def set_invert(self, invert: bool) -> Frame | None:
        """Switch the display polarity; the held frame is redrawn at once (no exposure, no dose)."""
        self.invert = bool(invert)
        if self.last_frame is not None:
            self.last_frame = self.last_frame.redisplayed(self.invert)
        return self.last_frame

    def pedal(self, seconds: float = 0.1, noise: str = "bank") -> Frame:
        """Press the fluoro pedal for ``seconds``: adds dose and returns the last frame (last-image-hold)."""
        from .dose import frames_for

        frame = render(
            self.scene,
            self.carm,
            pps=self.pps,
            seconds=seconds,
            noise=noise,
            rng=self._rng,
            bank=self._bank,
            invert=self.invert,
            grid=self.grid,
            noise_var_factor=self.filter_variance_factor(frames_for(self.pps, seconds)),
        )
        self.ledger.add(frame.exposure)
        self.scene.time_s += max(seconds, 1.0 / self.pps)
        self.last_frame = frame
        return frame

    def inject(self, volume_ml: float = 2.0, live: bool = True) -> Frame | None:
        """Inject contrast; with ``live`` the pedal runs during the injection (advised)."""
        deps = self.scene.inject(volume_ml, seed=self.seed + len(self.injections))
        self.injections.extend(deps)
        if live:
            return self.pedal(seconds=min(1.0, volume_ml))
        self.scene.time_s += volume_ml
        return None

    # --- scored exercise -----------------------------------------------------------
    def score(self) -> dict:
        """Reach the joint with intra-articular confirmation using few shots and little dose."""
        tip = self.scene.tip()
        confirmed = any(d.pattern == "intra-articular" for d in self.injections)
        wrong = [d.pattern for d in self.injections if d.pattern != "intra-articular"]
        points = 0
        if confirmed:
            points = 100 - 5 * max(0, self.ledger.presses - 3) - 20 * len(wrong)
            # penalty above the clinical mean DAP (0.204 Gy·cm² = 20.4 µGy·m²)
            points -= int(50 * max(0.0, self.ledger.kap_gy_cm2 - value("reference_kap_gy_cm2")))
        feedback = tip.feedback if tip else "Place the needle first."
        return {
            "confirmed": confirmed,
            "points": max(0, points),
            "shots": self.ledger.presses,
            "fluoro_time_s": round(self.ledger.fluoro_time_s, 2),
            "kap_gy_cm2": round(self.ledger.kap_gy_cm2, 4),
            "dap_ugy_m2": round(self.ledger.dap_ugy_m2, 2),
            "extra_articular": wrong,
            "feedback": feedback,
        }
