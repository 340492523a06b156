"""Who a learner is on the workshop hub: a password of their own and a Unix identity of their own.

Why. With one shared workshop password, typing another learner's name gave full access to
their server; learner kernels ran as root and could read the hub's and proxy's environment
(``/proc/<pid>/environ``: instructor password, cookie secret, proxy token) and write the shared
``released/`` folder. Here:

- **Per-learner passwords** (:func:`issue_passwords`): the instructor lists the learners; each
  gets a random password, printed once for the instructor to hand out (or written to a file
  only root can read). The hub keeps only salted scrypt hashes, in its state folder (mode 700).
  :class:`fluorohip.hub.auth.LearnerPasswordAuthenticator` checks them.
- **A Unix uid per learner** (:func:`learner_uid`): learner servers and kernels run as a
  numeric uid of their own (``UID_BASE`` + n, no ``/etc/passwd`` entry needed), never as root.
  Their home is theirs (mode 700); the hub's files, ``/proc`` of root processes and the
  ``released/`` and ``submissions/`` folders are root's. The instructor's server stays the
  account that runs the hub, so it can read every store and release answers.
- **A Python the learner uid can run** (:func:`learner_python`): when the course's ``.venv``
  interpreter lives where other users cannot reach (``/root/.pyenv`` behind ``/root`` mode 700),
  a small bridge venv on the system's Python of the same version, reusing the course's
  ``site-packages``, is made in the hub folder.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import stat
import subprocess
import sys
import sysconfig
from pathlib import Path

UID_BASE = (
    42000  # far above Debian's dynamic range (1000-59999 for people is fine: we never touch passwd)
)
PASSWORDS_FILE = "learner-passwords.json"
UIDS_FILE = "learner-uids.json"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


# -- passwords ---------------------------------------------------------------------------------
def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def check_password(password: str, stored: str) -> bool:
    try:
        kind, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        want = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), **_SCRYPT)
    except (ValueError, TypeError, UnicodeEncodeError):
        return False
    return hmac.compare_digest(got, want)


def learner_passwords_enabled(state: Path) -> bool:
    """Per-learner passwords are used once any were issued (or FLUOROHIP_HUB_AUTH=learner-passwords)."""
    mode = os.environ.get("FLUOROHIP_HUB_AUTH", "")
    if mode == "shared-password":
        return False
    return mode == "learner-passwords" or passwords_path(state).exists()


def passwords_path(state: Path) -> Path:
    return Path(state) / PASSWORDS_FILE


def load_password_hashes(state: Path) -> dict[str, str]:
    try:
        data = json.loads(passwords_path(state).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {str(k): str(v) for k, v in data.items()}


def issue_passwords(state: Path, names: list[str], *, replace: bool = False) -> dict[str, str]:
    """New random passwords for ``names`` (kept names keep theirs unless ``replace``).

    Returns ``{name: password}`` for the passwords made now: show them once, never store them.
    """
    from .classroom import check_username

    state = Path(state)
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o700)
    hashes = load_password_hashes(state)
    issued = {}
    for name in names:
        check_username(name)
        if name in hashes and not replace:
            continue
        issued[name] = secrets.token_urlsafe(9)  # 12 characters, ~72 bits
        hashes[name] = hash_password(issued[name])
    _write_private(passwords_path(state), json.dumps(hashes, indent=1, sort_keys=True) + "\n")
    return issued


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


# -- uids --------------------------------------------------------------------------------------
def learner_uid(state: Path, name: str) -> int:
    """The learner's own numeric uid (stable across restarts; kept in the hub's state folder)."""
    path = Path(state) / UIDS_FILE
    try:
        uids = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        uids = {}
    if name not in uids:
        uids[name] = UID_BASE + 1 + max([u - UID_BASE for u in uids.values()] + [0])
        _write_private(path, json.dumps(uids, indent=1, sort_keys=True) + "\n")
    return int(uids[name])


def hand_over(path: Path, uid: int, mode: int = 0o700) -> None:
    """Give ``path`` (recursively) to ``uid``; the top folder gets ``mode`` (no one else may enter)."""
    path = Path(path)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.lchown(os.path.join(root, name), uid, uid)
    os.lchown(path, uid, uid)
    os.chmod(path, mode)


# -- a Python the learner uid can run ---------------------------------------------------------
def reachable_by_others(path: Path) -> bool:
    """Can a user with no special rights execute ``path`` (every folder above it searchable)?"""
    path = Path(path).resolve()
    try:
        if not path.stat().st_mode & stat.S_IXOTH:
            return False
        for parent in path.parents:
            if not parent.stat().st_mode & stat.S_IXOTH:
                return False
    except OSError:
        return False
    return True


def learner_python(hub_dir: Path) -> tuple[str, dict]:
    """``(python, extra environment)`` for learner servers running as an unprivileged uid.

    ``FLUOROHIP_HUB_LEARNER_PYTHON`` wins; else this interpreter when others can run it; else a
    bridge venv on a system Python of the same version (made once in ``<hub>/learner-python``).
    Raises RuntimeError with what to do when none works.
    """
    env_python = os.environ.get("FLUOROHIP_HUB_LEARNER_PYTHON")
    if env_python:
        return env_python, {}
    site = Path(sysconfig.get_paths()["purelib"])
    share = Path(sys.prefix) / "share" / "jupyter"
    # The bridge's own prefix has no Jupyter data or config: point at the course venv's (server
    # extensions such as JupyterLab and nbgitpuller are enabled in <venv>/etc/jupyter).
    extra = {
        "JUPYTER_PATH": str(share),
        "JUPYTERLAB_DIR": str(share / "lab"),
        "JUPYTER_CONFIG_PATH": str(Path(sys.prefix) / "etc" / "jupyter"),
    }
    if reachable_by_others(Path(sys.executable)):
        return sys.executable, {}
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"):
        if (
            Path(candidate).exists()
            and reachable_by_others(Path(candidate))
            and reachable_by_others(site)
        ):
            bridge = Path(hub_dir) / "learner-python"
            python = bridge / "bin" / "python"
            if not python.exists():
                subprocess.run(
                    [candidate, "-m", "venv", "--without-pip", str(bridge)],
                    check=True,
                    capture_output=True,
                    timeout=120,
                )
            out = subprocess.run(
                [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                check=True,
                capture_output=True,
                text=True,
                timeout=60,
            ).stdout.strip()
            # addsitedir also runs the course venv's own .pth files (the editable fluorohip install).
            Path(out, "fluorohip_course_venv.pth").write_text(
                f"import site; site.addsitedir({str(site)!r})\n"
            )
            for p in (bridge, *bridge.rglob("*")):
                os.chmod(
                    p,
                    (p.stat().st_mode | 0o555) & ~0o022
                    if p.is_dir()
                    else (p.stat().st_mode | 0o444) & ~0o022,
                )
            return str(python), extra
    raise RuntimeError(
        f"learner servers run as their own unprivileged user, which cannot run {sys.executable} (a folder "
        f"above it is closed to other users) and no /usr/bin/python{version} was found: put the course "
        "checkout and its .venv where other users can read them, or set FLUOROHIP_HUB_LEARNER_PYTHON"
    )
