"""Real bone surfaces: the BodyParts3D right hip bone and femur, repaired, with a cortex.

Source: two surface meshes of one adult (BodyParts3D, (C) 2008 Life Science Integrated
Database Center, **CC BY-SA 2.1 Japan** [@BodyParts3D]) in ``assets/anatomy/``; the derived
``hip_bones.npz`` carries the same licence (see LICENSE-CONTENT.md). Nothing here reads
anything outside the package's own assets at run time.

:func:`build` (needs ``trimesh``; run by ``python -m fluorohip.fluoro.meshes``) turns the OBJ
files into that archive:

1. load with trimesh; close the small holes (31-32 simple boundary loops per mesh) by a fan
   from each loop's centroid, wound against the loop, so both surfaces are watertight and
   the ray-parity projector is exact;
2. fit the femoral head sphere (iterated least squares on the head's vertices) and move the
   frame so its centre is the origin (the simulator's patient frame: x to the patient's
   left, y posterior, z cranial, as the meshes already are);
3. the inner (endosteal) surface: every vertex moved inward along its normal by the local
   cortical thickness -- ``cortex_mm`` in the head, neck, trochanters and pelvis,
   ``shaft_cortex_mm`` in the femoral diaphysis -- but never more than 40 % of the bone's
   local thickness (measured by a ray to the opposite wall), so thin plates (iliac wing,
   acetabular floor) become all cortex instead of folding; the offsets are smoothed over
   neighbours. Cortex is outer minus inner, cancellous bone is inside the inner surface:
   one material per point.

At run time :func:`load` reads the archive (numpy only) and returns :class:`BoneMesh` objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

ASSET_DIR = "assets/anatomy"
OBJ_FILES = {"hip bone": "right_hip_bone_FMA16586.obj", "femur": "right_femur_FMA24474.obj"}
ARCHIVE = "hip_bones.npz"
CREDIT = (
    "Bone surfaces: BodyParts3D, Copyright (C) 2008 Life Science Integrated Database Center, "
    "licensed under CC Attribution-Share Alike 2.1 Japan."
)


def _asset_path(name: str) -> Path:
    """Path of an anatomy asset in the project's ``assets/anatomy``."""
    from ..core.paths import assets_dir

    return assets_dir() / "anatomy" / name


@dataclass(frozen=True)
class BoneMesh:
    """One bone: outer (periosteal) and inner (endosteal) surfaces sharing the face list."""

    name: str
    faces: np.ndarray  # (F, 3) int, outward winding
    outer: np.ndarray  # (V, 3) float64, mm, patient frame
    inner: np.ndarray  # (V, 3) float64

    def triangles(self, which: str = "outer") -> np.ndarray:
        v = self.outer if which == "outer" else self.inner
        return v[self.faces]

    def mirrored(self, x_mid: float, name: str) -> BoneMesh:
        """The other side: reflected in the plane x = x_mid, winding reversed to stay outward."""

        def flip(v):
            w = v.copy()
            w[:, 0] = 2.0 * x_mid - w[:, 0]
            return w

        return BoneMesh(name, self.faces[:, ::-1].copy(), flip(self.outer), flip(self.inner))

    def moved(self, shift, name: str | None = None) -> BoneMesh:
        s = np.asarray(shift, dtype=np.float64)
        return BoneMesh(name or self.name, self.faces, self.outer + s, self.inner + s)


# --------------------------------------------------------------------------------------------
# build (authoring step, trimesh)


def fill_holes_fan(
    vertices: np.ndarray, faces: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Close every boundary loop with a fan of triangles from its centroid (winding kept).

    Returns (vertices, faces, indices of the loop and centroid vertices touched by the repair).
    """
    f = np.asarray(faces)
    de = np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])
    have = set(map(tuple, de.tolist()))
    nxt = {}
    for a, b in de.tolist():
        if (b, a) not in have:
            if a in nxt:
                raise ValueError(f"mesh has a non-manifold boundary at vertex {a}; cannot fan-fill")
            nxt[a] = b
    v = [np.asarray(vertices, dtype=np.float64)]
    new_f = []
    patched = []
    n_v = len(vertices)
    seen = set()
    for a in list(nxt):
        if a in seen:
            continue
        loop = [a]
        seen.add(a)
        c = nxt[a]
        while c != a:
            loop.append(c)
            seen.add(c)
            c = nxt[c]
        ci = n_v
        n_v += 1
        v.append(np.asarray(vertices)[loop].mean(axis=0)[None, :])
        patched += loop + [ci]
        for i in range(len(loop)):
            p, q = loop[i], loop[(i + 1) % len(loop)]
            new_f.append([q, p, ci])
    if not new_f:
        return np.asarray(vertices, dtype=np.float64), f, np.zeros(0, dtype=np.int64)
    return np.vstack(v), np.vstack([f, np.asarray(new_f)]), np.asarray(patched, dtype=np.int64)


def fit_head_sphere(
    v: np.ndarray, guess=(-90.0, -90.0, 815.0), r0: float = 25.0
) -> tuple[np.ndarray, float]:
    """Least-squares sphere on the femoral head (vertices near the sphere, away from the neck)."""
    c = np.asarray(guess, dtype=np.float64)
    r = r0
    neck = np.array([-0.6, 0.1, -0.75])
    neck /= np.linalg.norm(neck)
    for _ in range(12):
        d = np.linalg.norm(v - c, axis=1)
        dirs = (v - c) / d[:, None]
        sel = v[(np.abs(d - r) < 4.0) & (dirs @ neck < -0.1)]
        a = np.c_[2 * sel, np.ones(len(sel))]
        sol = np.linalg.lstsq(a, (sel**2).sum(1), rcond=None)[0]
        c = sol[:3]
        r = float(np.sqrt(sol[3] + c @ c))
    return c, r


def _smooth(values: np.ndarray, neighbours, iterations: int) -> np.ndarray:
    x = values.copy()
    for _ in range(iterations):
        x = np.array(
            [
                0.5 * x[i] + 0.5 * x[nb].mean() if len(nb) else x[i]
                for i, nb in enumerate(neighbours)
            ]
        )
    return x


def inner_surface(
    vertices, faces, thickness_fn, max_fraction: float = 0.4, smooth: int = 3, pinned=()
) -> np.ndarray:
    """Endosteal surface: vertices moved inward by min(thickness, max_fraction x local bone thickness)."""
    import trimesh

    from .meshproj import first_hit

    m = trimesh.Trimesh(vertices, faces, process=False)
    n = np.asarray(m.vertex_normals)
    tris = m.triangles
    local = np.array([first_hit(tris, p - 0.05 * d, -d) for p, d in zip(m.vertices, n)])
    local = np.where(np.isfinite(local), local, 0.0)
    t = np.minimum(thickness_fn(np.asarray(m.vertices)), max_fraction * local)
    pin = {int(i) for i in pinned}  # repaired holes and two rings around them: cortex only
    for _ in range(2):
        pin |= {int(j) for i in list(pin) for j in m.vertex_neighbors[i]}
    pin = np.fromiter(pin, dtype=np.int64)
    t[pin] = 0.0
    t = _smooth(t, m.vertex_neighbors, smooth)
    t = np.minimum(t, max_fraction * local)
    t[pin] = 0.0
    v = np.asarray(m.vertices)
    f = np.asarray(faces)
    n_out = np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]])
    for _ in range(20):  # where the offset folds a face over, thin the cortex to nothing there
        w = v - t[:, None] * n
        n_in = np.cross(w[f[:, 1]] - w[f[:, 0]], w[f[:, 2]] - w[f[:, 0]])
        bad = np.einsum("ij,ij->i", n_in, n_out) <= 0.1 * np.einsum("ij,ij->i", n_out, n_out)
        if not bad.any():
            break
        idx = np.unique(f[bad])
        idx = np.unique(np.concatenate([idx] + [m.vertex_neighbors[i] for i in idx]))
        t[idx] *= 0.5
    return v - t[:, None] * n


def build(out_path=None) -> Path:
    """Repair the OBJ meshes, move them to the head-centred frame, add the cortex; write the archive."""
    import trimesh

    from .constants import value

    src = {k: _asset_path(f) for k, f in OBJ_FILES.items()}
    meshes = {}
    for k, p in src.items():
        m = trimesh.load(p, process=True, force="mesh")
        v, f, patched = fill_holes_fan(np.asarray(m.vertices), np.asarray(m.faces))
        mm = trimesh.Trimesh(v, f, process=False)
        if not mm.is_watertight or not mm.is_winding_consistent:
            raise ValueError(f"{p.name}: still not watertight after filling holes")
        if mm.volume < 0:
            f = f[:, ::-1]
        meshes[k] = (v, f, patched)
    c, r = fit_head_sphere(meshes["femur"][0])
    cx, sx = value("cortex_mm"), value("shaft_cortex_mm")

    def femur_t(p):  # diaphysis below the lesser trochanter (about 70 mm below the head centre)
        z = p[:, 2]
        w = np.clip((-(z) - 70.0) / 30.0, 0.0, 1.0)
        return cx + w * (sx - cx)

    arrays = {"head_centre_source_mm": c, "head_radius_mm": np.array(r)}
    for k, fn in (("hip bone", lambda p: np.full(len(p), cx)), ("femur", femur_t)):
        v, f, patched = meshes[k]
        v = v - c
        arrays[f"{k}/faces"] = f.astype(np.int32)
        arrays[f"{k}/outer"] = v
        arrays[f"{k}/inner"] = inner_surface(v, f, fn, pinned=patched)
    out = Path(out_path) if out_path else _asset_path(ARCHIVE)
    np.savez_compressed(out, **{k.replace(" ", "_"): a for k, a in arrays.items()})
    return out


# --------------------------------------------------------------------------------------------
# run time


@lru_cache(maxsize=1)
def load() -> dict:
    """{'hip bone': BoneMesh, 'femur': BoneMesh, 'head_radius_mm': float} from the archive."""
    path = _asset_path(ARCHIVE)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: bone archive missing; run `python -m fluorohip.fluoro.meshes`"
        )
    with np.load(path) as z:
        out = {
            "head_radius_mm": float(z["head_radius_mm"]),
            "head_centre_source_mm": np.asarray(z["head_centre_source_mm"], dtype=np.float64),
        }
        for k in ("hip bone", "femur"):
            key = k.replace(" ", "_")
            out[k] = BoneMesh(
                k,
                z[f"{key}/faces"].astype(np.int64),
                z[f"{key}/outer"].astype(np.float64),
                z[f"{key}/inner"].astype(np.float64),
            )
    return out


if __name__ == "__main__":  # pragma: no cover - authoring step
    print(build())
