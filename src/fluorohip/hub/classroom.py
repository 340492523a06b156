"""What the workshop hub does for each learner, kept out of ``jupyterhub_config.py`` so it is tested.

Layout of the hub folder (``FLUOROHIP_HUB_DIR``; it survives hub restarts)::

    hub/                    JupyterHub's database, cookie secret, proxy state
    homes/<learner>/        the learner's home: the course clone and their progress store
        fluorohip/              a git clone of the course (updated with the nbgitpuller link)
        .fluorohip/             FLUOROHIP_HOME: attempts.jsonl, appended to by the quiz widgets
                                (and progress.json, if an earlier version wrote one)
    submissions/<learner>.jsonl a link to that learner's attempts.jsonl: the class report reads
                                this folder, so an answer acknowledged in a quiz is already in it
    submissions/<learner>.json  a link to that learner's progress.json, made only if the learner
                                has one from an earlier version (read-only since; the report
                                counts both files, without double counting)
    released/               answer-release flags (FLUOROHIP_RELEASE_DIR, shared by the class)

No learner copies or e-mails a file: the store the quiz writes (each answer appended whole,
fsynced, under a lock) *is* the submission.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote, urlencode

from ..progress.formats import LEGACY_NAME, LOG_NAME

USERNAME_PATTERN = r"^[a-z][a-z0-9_-]{1,31}$"
COURSE_DIR = "fluorohip"  # the course clone inside each home
START_NOTEBOOK = "notebooks/00_start_here.ipynb"
PROGRESS_DIR = ".fluorohip"
INSTRUCTOR_NOTEBOOK = "class-report.ipynb"
STORE_FILE = LOG_NAME  # the learner's store log, linked into submissions/
LEGACY_STORE_FILE = LEGACY_NAME


def check_username(name: str) -> str:
    if not re.match(USERNAME_PATTERN, name):
        raise ValueError(f"username {name!r} must match {USERNAME_PATTERN}")
    return name


class Layout:
    """Paths of one hub folder."""

    def __init__(self, hub_dir: Path | str):
        self.root = Path(hub_dir).resolve()
        self.state = self.root / "hub"
        self.homes = self.root / "homes"
        self.submissions = self.root / "submissions"
        self.released = self.root / "released"

    def create(self) -> None:
        for d in (self.root, self.state, self.homes, self.submissions, self.released):
            d.mkdir(parents=True, exist_ok=True)
        os.chmod(self.state, 0o700)  # cookie secret, database, learner password hashes
        os.chmod(self.root, 0o711)  # learners reach their own home, list nothing
        os.chmod(self.homes, 0o711)
        os.chmod(
            self.released, 0o755
        )  # learners read the flags; only the hub's account (instructor) writes
        os.chmod(self.submissions, 0o700)  # links to every store: the instructor's

    def home(self, user: str) -> Path:
        return self.homes / check_username(user)

    def progress_home(self, user: str) -> Path:
        return self.home(user) / PROGRESS_DIR

    def store(self, user: str) -> Path:
        """The learner's live store (the log the quiz appends to)."""
        return self.progress_home(user) / STORE_FILE

    def legacy_store(self, user: str) -> Path:
        """The store an earlier fluorohip wrote (still read, never written)."""
        return self.progress_home(user) / LEGACY_STORE_FILE

    def submission(self, user: str) -> Path:
        return self.submissions / f"{check_username(user)}.jsonl"

    def legacy_submission(self, user: str) -> Path:
        return self.submissions / f"{check_username(user)}.json"

    def runtime_dir(self, user: str) -> Path:
        """A short per-learner Jupyter runtime folder: ipc kernel sockets need paths under 107 bytes."""
        tag = hashlib.sha256(str(self.root).encode()).hexdigest()[:8]
        return Path("/tmp") / f"fh-{tag}" / check_username(user)


def prepare_home(
    layout: Layout,
    user: str,
    course_repo: str,
    branch: str = "main",
    *,
    admin: bool = False,
    instructor_notebook: Path | None = None,
) -> Path:
    """Create (first time) or keep (later) the learner's home; never overwrites a learner's files.

    The course arrives as a ``git clone`` of ``course_repo`` into ``~/fluorohip``: exactly what the
    nbgitpuller link would do, so later course updates merge with the learner's own edits.
    """
    home = layout.home(user)
    home.mkdir(parents=True, exist_ok=True)
    layout.progress_home(user).mkdir(exist_ok=True)
    course = home / COURSE_DIR
    if not (course / ".git").exists():
        tmp = home / f".{COURSE_DIR}.cloning"
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run(
            ["git", "clone", "--quiet", "--branch", branch, course_repo, str(tmp)],
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )
        os.replace(tmp, course)
    rt = layout.runtime_dir(user)
    rt.mkdir(parents=True, exist_ok=True)
    os.chmod(rt.parent, 0o711)
    os.chmod(rt, 0o700)
    if admin:
        if instructor_notebook is not None and not (home / INSTRUCTOR_NOTEBOOK).exists():
            shutil.copyfile(instructor_notebook, home / INSTRUCTOR_NOTEBOOK)
    else:
        _link(layout.submission(user), layout.store(user))
        legacy = layout.legacy_submission(user)
        if (
            layout.legacy_store(user).exists() or legacy.is_symlink()
        ):  # answers saved before the log
            _link(legacy, layout.legacy_store(user))
    return home


def _link(link: Path, store: Path) -> None:
    """``link`` -> ``store`` (relative), replaced atomically if it points elsewhere."""
    target = os.path.relpath(store, link.parent)
    if not link.is_symlink() or os.readlink(link) != target:
        tmp_link = link.with_name(f".{link.name}.tmp")
        if tmp_link.is_symlink() or tmp_link.exists():
            tmp_link.unlink()
        tmp_link.symlink_to(target)
        os.replace(tmp_link, link)


def learner_environment(
    layout: Layout, user: str, *, admin: bool = False, workshop_mode: bool = True
) -> dict:
    """Environment of one learner's server (and so of their kernels)."""
    env = {
        "FLUOROHIP_HOME": str(layout.progress_home(user)),
        "FLUOROHIP_LEARNER": user,
        "FLUOROHIP_RELEASE_DIR": str(layout.released),
        "FLUOROHIP_WORKSHOP_MODE": "1" if workshop_mode else "0",
        "JUPYTER_RUNTIME_DIR": str(layout.runtime_dir(user)),
        # one numerical thread per kernel: twenty kernels share the machine's cores fairly
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MPLCONFIGDIR": str(layout.home(user) / ".config" / "matplotlib"),
    }
    if admin:
        env["FLUOROHIP_SUBMISSIONS"] = str(layout.submissions)
    return env


def gitpuller_link(
    hub_url: str, repo: str, branch: str = "main", notebook: str = START_NOTEBOOK
) -> str:
    """The link that pulls course updates into a learner's ``~/fluorohip`` (merging, never overwriting)."""
    query = urlencode(
        {
            "repo": repo,
            "branch": branch,
            "targetpath": COURSE_DIR,
            "urlpath": f"lab/tree/{COURSE_DIR}/{notebook}",
        },
        quote_via=quote,
    )
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def memory_limit_bytes(text: str) -> int:
    """'1536M' / '2G' / '1073741824' -> bytes."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*", text, re.I)
    if not m:
        raise ValueError(f"memory limit {text!r}: use e.g. 2G or 1536M")
    scale = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}[m.group(2).upper()]
    return int(float(m.group(1)) * scale)
