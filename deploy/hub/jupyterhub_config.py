# JupyterHub configuration for a fluorohip workshop on one machine (a room of about twenty).
#
# Start it with `make hub` (deploy/hub/launch.py), which asks for the workshop password and sets the
# environment below; do not run `jupyterhub -f` on this file by hand unless you set them yourself.
#
#   FLUOROHIP_HUB_DIR             hub folder: database, learners' homes, submissions (kept across restarts)
#   FLUOROHIP_HUB_PASSWORD        the workshop password learners type (>= 8 characters; never stored)
#   FLUOROHIP_HUB_ADMIN_PASSWORD  the instructor's password (>= 32 characters; never stored)
#   FLUOROHIP_HUB_ADMIN           the instructor's username (admin), default "instructor"
#   FLUOROHIP_HUB_IP / _PORT      where the hub listens, default 127.0.0.1:8000
#   FLUOROHIP_HUB_COURSE_REPO     git repository cloned into each home, default this checkout
#   FLUOROHIP_HUB_ROSTER          optional file, one username per line: only these may log in
#   FLUOROHIP_HUB_MEM_LIMIT       address-space limit per learner process, default 4G
#   FLUOROHIP_HUB_API_TOKEN       optional: an admin service token (the load test sets one)
#   FLUOROHIP_HUB_AUTH            "learner-passwords" or "shared-password"; default: learner passwords
#                                 once any were issued (`make hub HUB_ARGS="--issue-passwords roster.txt"`)
#   FLUOROHIP_HUB_LEARNER_PYTHON  optional: the Python learner servers run (see fluorohip/hub/accounts.py)
#
# Identity and isolation (deploy/hub/README.md, "Isolation"): with learner passwords each learner has
# their own secret; when the hub runs as root, every learner server and kernel runs as a uid of its own
# (never root), home mode 700, so it cannot read another home, the hub's files or /proc/<hub>/environ,
# nor write the released/ folder.
#
# Measured settings (2 cores, 24 GB, root): spawn timeouts 180 s (the defaults lost 2 of 20
# simultaneous spawns), ipc kernel transport with a short runtime dir (TCP port race), one
# numerical thread per kernel, --allow-root for single-user servers when the hub runs as root.

import os
import resource
import sys
from pathlib import Path

from jupyterhub.spawner import SimpleLocalProcessSpawner

from fluorohip.hub import accounts as A
from fluorohip.hub import auth as hub_auth
from fluorohip.hub import classroom

c = get_config()  # noqa: F821 (provided by JupyterHub)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BIN = Path(sys.executable).parent
env = os.environ

layout = classroom.Layout(
    env.get("FLUOROHIP_HUB_DIR") or Path.home() / ".local/share/fluorohip-hub"
)
layout.create()
ADMIN = classroom.check_username(env.get("FLUOROHIP_HUB_ADMIN", "instructor"))
COURSE_REPO = env.get("FLUOROHIP_HUB_COURSE_REPO", str(REPO))
COURSE_BRANCH = env.get("FLUOROHIP_HUB_COURSE_BRANCH", "main")
PORT = int(env.get("FLUOROHIP_HUB_PORT", "8000"))
MEM_LIMIT = env.get("FLUOROHIP_HUB_MEM_LIMIT", "4G")
WORKSHOP_MODE = env.get("FLUOROHIP_WORKSHOP_MODE", "1") not in ("0", "false", "no", "off")

# -- network: the public face is the proxy; the hub's own API stays on loopback -----------------
c.JupyterHub.ip = env.get("FLUOROHIP_HUB_IP", "127.0.0.1")
c.JupyterHub.port = PORT
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = PORT + 1
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PORT + 2}"
_chp = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(_chp) if _chp.exists() else "configurable-http-proxy"]
c.ConfigurableHTTPProxy.pid_file = str(layout.state / "proxy.pid")

# -- state that survives a restart ------------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{layout.state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(layout.state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(layout.state / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = False  # a hub restart leaves learners' servers and kernels running
c.JupyterHub.cleanup_proxy = True

# -- authentication ---------------------------------------------------------------------------------
# Learner passwords (one secret per learner, issued by the instructor) once any exist; otherwise one
# shared workshop password, which identifies nobody: anyone who knows it can log in under any name,
# including another learner's (README: "Shared-password mode").
c.Authenticator.admin_users = {ADMIN}
c.Authenticator.username_pattern = classroom.USERNAME_PATTERN
LEARNER_PASSWORDS = hub_auth.enabled(layout.state)
if LEARNER_PASSWORDS:
    c.JupyterHub.authenticator_class = hub_auth.LearnerPasswordAuthenticator
    c.LearnerPasswordAuthenticator.state_dir = str(layout.state)
    c.LearnerPasswordAuthenticator.admin_password = env["FLUOROHIP_HUB_ADMIN_PASSWORD"]
    c.JupyterHub.template_vars = {
        "announcement_login": "Log in with your name and the password your instructor gave you."
    }
else:
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = env["FLUOROHIP_HUB_PASSWORD"]
    c.SharedPasswordAuthenticator.admin_password = env["FLUOROHIP_HUB_ADMIN_PASSWORD"]
    roster = env.get("FLUOROHIP_HUB_ROSTER")
    if roster:
        names = [
            n.strip().lower()
            for n in Path(roster).read_text().splitlines()
            if n.strip() and not n.startswith("#")
        ]
        c.Authenticator.allowed_users = {classroom.check_username(n) for n in names}
    else:
        c.Authenticator.allow_all = (
            True  # anyone who knows the workshop password, under a valid username
        )
    c.JupyterHub.template_vars = {
        "announcement_login": "Log in with any short username (lower case) and the workshop password."
    }


# -- spawner: one home and (as root) one uid per learner (see deploy/hub/README.md, Isolation) ------
AS_ROOT = os.geteuid() == 0


class WorkshopSpawner(SimpleLocalProcessSpawner):
    """One home per learner, an enforced address-space limit per process, and - when the hub runs
    as root - a uid of the learner's own (the instructor's server keeps the hub's account)."""

    def _learner_uid(self):
        return (
            A.learner_uid(layout.state, self.user.name) if AS_ROOT and not self.user.admin else None
        )

    def make_preexec_fn(self, name):
        limit = classroom.memory_limit_bytes(MEM_LIMIT)
        home = self.home_dir
        uid = self._learner_uid()

        def preexec():  # runs in the child; the parent already starts a new session (process group)
            if uid is not None:  # drop root for good: no supplementary groups, then gid, then uid
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            os.chdir(home)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        return preexec

    def get_env(self):
        env = super().get_env()
        env.update(
            classroom.learner_environment(
                layout, self.user.name, admin=self.user.admin, workshop_mode=WORKSHOP_MODE
            )
        )
        if self._learner_uid() is not None:
            python, extra = A.learner_python(layout.root)
            env.update(extra)
            env["PATH"] = f"{Path(python).parent}{os.pathsep}{env.get('PATH', '')}"
        return env


def _pre_spawn(spawner):
    name = spawner.user.name
    classroom.prepare_home(
        layout,
        name,
        COURSE_REPO,
        COURSE_BRANCH,
        admin=spawner.user.admin,
        instructor_notebook=HERE / "instructor" / classroom.INSTRUCTOR_NOTEBOOK,
    )
    uid = spawner._learner_uid()
    if uid is not None:
        A.hand_over(layout.home(name), uid)  # the home is the learner's alone (mode 700)
        A.hand_over(layout.runtime_dir(name), uid)
        python, _ = A.learner_python(layout.root)
        spawner.cmd = [python, "-m", "jupyterhub.singleuser"]


c.JupyterHub.spawner_class = WorkshopSpawner
c.SimpleLocalProcessSpawner.home_dir_template = str(layout.homes / "{username}")
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.args = [
    *(["--allow-root"] if os.geteuid() == 0 else []),
    "--KernelManager.transport=ipc",
    "--MappingKernelManager.cull_idle_timeout=3600",  # kernels idle an hour are stopped
    "--MappingKernelManager.cull_interval=300",
]
c.Spawner.default_url = f"/lab/tree/{classroom.COURSE_DIR}/{classroom.START_NOTEBOOK}"
c.Spawner.pre_spawn_hook = _pre_spawn
c.Spawner.http_timeout = 180
c.Spawner.start_timeout = 180
c.Spawner.mem_limit = MEM_LIMIT  # shown to the server as MEM_LIMIT; enforced by the preexec above
# Stopping: a service or server gets SIGINT, then SIGTERM, then SIGKILL; the defaults (10 + 5 + 5 s)
# left `make hub`'s Ctrl+C waiting in "Cleaning up 1 services" (the idle culler).
c.LocalProcessSpawner.interrupt_timeout = 2
c.LocalProcessSpawner.term_timeout = 2
c.LocalProcessSpawner.kill_timeout = 2
c.JupyterHub.concurrent_spawn_limit = 40
c.JupyterHub.active_server_limit = int(env.get("FLUOROHIP_HUB_MAX_SERVERS", "40"))

# -- services: idle culling, and an admin token for the load test when asked for ----------------------
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            "--timeout=3600",
            "--cull-every=300",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
if env.get("FLUOROHIP_HUB_API_TOKEN"):
    c.JupyterHub.services.append({"name": "loadtest", "api_token": env["FLUOROHIP_HUB_API_TOKEN"]})
    c.JupyterHub.load_roles.append(
        {
            "name": "loadtest",
            "services": ["loadtest"],
            "scopes": [
                "admin:users",
                "admin:servers",
                "access:servers",
                "read:users",
                "list:users",
            ],
        }
    )
