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
#
# Measured settings (2 cores, 24 GB, root): spawn timeouts 180 s (the defaults lost 2 of 20
# simultaneous spawns), ipc kernel transport with a short runtime dir (TCP port race), one
# numerical thread per kernel, --allow-root for single-user servers when the hub runs as root.

import os
import resource
import sys
from pathlib import Path

from jupyterhub.spawner import SimpleLocalProcessSpawner

from fluorohip.hub import workshop as W

c = get_config()  # noqa: F821 (provided by JupyterHub)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BIN = Path(sys.executable).parent
env = os.environ

layout = W.Layout(env.get("FLUOROHIP_HUB_DIR") or Path.home() / ".local/share/fluorohip-hub")
layout.create()
ADMIN = W.check_username(env.get("FLUOROHIP_HUB_ADMIN", "instructor"))
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

# -- authentication: one workshop password, the instructor is admin, no sign-up form ---------------
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = env["FLUOROHIP_HUB_PASSWORD"]
c.SharedPasswordAuthenticator.admin_password = env["FLUOROHIP_HUB_ADMIN_PASSWORD"]
c.Authenticator.admin_users = {ADMIN}
c.Authenticator.username_pattern = W.USERNAME_PATTERN
roster = env.get("FLUOROHIP_HUB_ROSTER")
if roster:
    names = [n.strip().lower() for n in Path(roster).read_text().splitlines() if n.strip() and not n.startswith("#")]
    c.Authenticator.allowed_users = {W.check_username(n) for n in names}
else:
    c.Authenticator.allow_all = True  # anyone who knows the workshop password, under a valid username
c.JupyterHub.template_vars = {"announcement_login": "Log in with any short username (lower case) and the workshop password."}


# -- spawner: same-uid processes, one home per learner (see deploy/hub/README.md, Isolation) ------
class WorkshopSpawner(SimpleLocalProcessSpawner):
    """SimpleLocalProcessSpawner plus an enforced address-space limit per learner process."""

    def make_preexec_fn(self, name):
        limit = W.memory_limit_bytes(MEM_LIMIT)
        home = self.home_dir

        def preexec():  # runs in the child; the parent already starts a new session (process group)
            os.chdir(home)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        return preexec

    def get_env(self):
        env = super().get_env()
        env.update(W.learner_environment(layout, self.user.name, admin=self.user.admin, workshop_mode=WORKSHOP_MODE))
        return env


def _pre_spawn(spawner):
    name = spawner.user.name
    W.prepare_home(layout, name, COURSE_REPO, COURSE_BRANCH, admin=spawner.user.admin,
                   instructor_notebook=HERE / "instructor" / W.INSTRUCTOR_NOTEBOOK)


c.JupyterHub.spawner_class = WorkshopSpawner
c.SimpleLocalProcessSpawner.home_dir_template = str(layout.homes / "{username}")
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.args = [
    *(["--allow-root"] if os.geteuid() == 0 else []),
    "--KernelManager.transport=ipc",
    "--MappingKernelManager.cull_idle_timeout=3600",  # kernels idle an hour are stopped
    "--MappingKernelManager.cull_interval=300",
]
c.Spawner.default_url = f"/lab/tree/{W.COURSE_DIR}/{W.START_NOTEBOOK}"
c.Spawner.pre_spawn_hook = _pre_spawn
c.Spawner.http_timeout = 180
c.Spawner.start_timeout = 180
c.Spawner.mem_limit = MEM_LIMIT  # shown to the server as MEM_LIMIT; enforced by the preexec above
c.JupyterHub.concurrent_spawn_limit = 40
c.JupyterHub.active_server_limit = int(env.get("FLUOROHIP_HUB_MAX_SERVERS", "40"))

# -- services: idle culling, and an admin token for the load test when asked for ----------------------
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600", "--cull-every=300"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
if env.get("FLUOROHIP_HUB_API_TOKEN"):
    c.JupyterHub.services.append({"name": "loadtest", "api_token": env["FLUOROHIP_HUB_API_TOKEN"]})
    c.JupyterHub.load_roles.append({"name": "loadtest", "services": ["loadtest"], "scopes": [
        "admin:users", "admin:servers", "access:servers", "read:users", "list:users"]})
