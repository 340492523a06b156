"""``make hub``: start the workshop JupyterHub from this checkout.

    python -m fluorohip.hub.launch [--port 8000] [--hub-dir DIR] [--public] [--roster FILE]

The workshop password comes from ``FLUOROHIP_HUB_PASSWORD`` or is asked for at start (typed
twice, not echoed); the instructor's admin password from ``FLUOROHIP_HUB_ADMIN_PASSWORD`` or is
generated and shown once on this terminal. Neither is written to any file. The hub listens on
127.0.0.1 unless ``--public`` is given: then anyone on the network reaches the login page, and
passwords cross the network in clear text unless you add TLS (``--ssl-cert``/``--ssl-key``) or
put the hub behind an HTTPS reverse proxy.
"""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

from . import classroom

REPO = Path(__file__).resolve().parents[3]
DEPLOY = REPO / "deploy" / "hub"
CONFIG = DEPLOY / "jupyterhub_config.py"
CHP = DEPLOY / "node_modules" / ".bin" / "configurable-http-proxy"
MIN_USER_PASSWORD = 8
MIN_ADMIN_PASSWORD = 32


def default_hub_dir() -> Path:
    if (
        os.geteuid() == 0
    ):  # learners run as their own uids and must reach their homes: not under /root
        return Path("/srv/fluorohip-hub")
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "fluorohip-hub"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="make hub", description="Start the fluorohip workshop JupyterHub."
    )
    p.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("FLUOROHIP_HUB_PORT", "8000")),
        help="public port (the hub also uses the next two ports on 127.0.0.1); default 8000",
    )
    p.add_argument(
        "--hub-dir",
        type=Path,
        default=Path(os.environ.get("FLUOROHIP_HUB_DIR") or default_hub_dir()),
        help="folder for the hub database, learners' homes and submissions (default %(default)s)",
    )
    p.add_argument(
        "--public",
        action="store_true",
        help="listen on all interfaces instead of 127.0.0.1 (then use TLS: --ssl-cert/--ssl-key)",
    )
    p.add_argument(
        "--ip", default=None, help="listen on this address (implies --public unless 127.0.0.1)"
    )
    p.add_argument("--ssl-cert", type=Path, help="TLS certificate (PEM) for the public port")
    p.add_argument("--ssl-key", type=Path, help="TLS private key (PEM) for the public port")
    p.add_argument(
        "--admin",
        default=os.environ.get("FLUOROHIP_HUB_ADMIN", "instructor"),
        help="the instructor's username (admin); default %(default)s",
    )
    p.add_argument(
        "--roster", type=Path, help="file with one username per line: only these may log in"
    )
    p.add_argument(
        "--course-repo",
        default=os.environ.get("FLUOROHIP_HUB_COURSE_REPO", str(REPO)),
        help="git repository (path or URL) cloned into each home; default this checkout",
    )
    p.add_argument(
        "--issue-passwords",
        type=Path,
        metavar="ROSTER",
        help="give each learner in ROSTER (one username per line) a password of their own, print "
        "them once (name,password) and exit; from then on the hub uses learner passwords. "
        "Learners already issued one keep it unless --replace-passwords",
    )
    p.add_argument(
        "--replace-passwords",
        action="store_true",
        help="with --issue-passwords: new passwords for all",
    )
    return p


def read_roster(path: Path) -> list[str]:
    names = [
        n.strip().lower()
        for n in Path(path).read_text(encoding="utf-8").splitlines()
        if n.strip() and not n.lstrip().startswith("#")
    ]
    return [classroom.check_username(n) for n in dict.fromkeys(names)]


def check_hub_dir_reachable(hub_dir: Path) -> None:
    """As root, learner servers run as their own uids: every folder above the hub folder must let them pass."""
    from .accounts import reachable_by_others

    if os.geteuid() != 0:
        return
    probe = Path(hub_dir).resolve()
    while not probe.exists():
        probe = probe.parent
    blocked = [p for p in (probe, *probe.parents) if p.exists() and not os.stat(p).st_mode & 0o001]
    if blocked and not reachable_by_others(probe):
        raise SystemExit(
            f"The hub folder {hub_dir} is inside {blocked[-1]}, which other users cannot enter; "
            "learners run as their own users and could not reach their homes. Use e.g. "
            "--hub-dir /srv/fluorohip-hub."
        )


def ask_password() -> str:
    pw = os.environ.get("FLUOROHIP_HUB_PASSWORD")
    if pw:
        return pw
    if not sys.stdin.isatty():
        raise SystemExit(
            "Set FLUOROHIP_HUB_PASSWORD (no terminal to ask for the workshop password)."
        )
    while True:
        pw = getpass.getpass(
            f"Workshop password for learners (at least {MIN_USER_PASSWORD} characters): "
        )
        if len(pw) < MIN_USER_PASSWORD:
            print("Too short.")
            continue
        if getpass.getpass("Again: ") == pw:
            return pw
        print("The two entries differ; try again.")


def hub_environment(args, password: str, admin_password: str, extra: dict | None = None) -> dict:
    ip = args.ip or ("0.0.0.0" if args.public else "127.0.0.1")
    env = dict(os.environ)
    env.update(
        {
            "FLUOROHIP_HUB_DIR": str(args.hub_dir.resolve()),
            "FLUOROHIP_HUB_PASSWORD": password,
            "FLUOROHIP_HUB_ADMIN_PASSWORD": admin_password,
            "FLUOROHIP_HUB_ADMIN": args.admin,
            "FLUOROHIP_HUB_IP": ip,
            "FLUOROHIP_HUB_PORT": str(args.port),
            "FLUOROHIP_HUB_COURSE_REPO": args.course_repo,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        }
    )
    if args.roster:
        env["FLUOROHIP_HUB_ROSTER"] = str(args.roster.resolve())
    env.update(extra or {})
    return env


def hub_command(args) -> list[str]:
    cmd = [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)]
    if args.ssl_cert or args.ssl_key:
        if not (args.ssl_cert and args.ssl_key):
            raise SystemExit("Give both --ssl-cert and --ssl-key.")
        cmd += [
            f"--JupyterHub.ssl_cert={args.ssl_cert.resolve()}",
            f"--JupyterHub.ssl_key={args.ssl_key.resolve()}",
        ]
    return cmd


def check_tools() -> None:
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        raise SystemExit(
            "jupyterhub is not installed: run `make hub` (installs the 'hub' extra)."
        ) from None
    if not CHP.exists():
        raise SystemExit(
            f"configurable-http-proxy missing at {CHP}: run `make hub` "
            "(npm ci --prefix deploy/hub)."
        )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    classroom.check_username(args.admin)
    if args.issue_passwords:
        from .accounts import issue_passwords

        layout = classroom.Layout(args.hub_dir)
        layout.create()
        issued = issue_passwords(
            layout.state, read_roster(args.issue_passwords), replace=args.replace_passwords
        )
        print(
            "name,password   (shown only now; hand each learner their own; the hub keeps only hashes)"
        )
        for name, pw in issued.items():
            print(f"{name},{pw}")
        if not issued:
            print(
                "(every learner in the roster already has a password; --replace-passwords makes new ones)"
            )
        return 0
    check_hub_dir_reachable(args.hub_dir)
    check_tools()
    public = args.public or (args.ip not in (None, "127.0.0.1", "localhost"))
    if public and not args.ssl_cert:
        print(
            "WARNING: the hub will listen on the network WITHOUT TLS. Passwords and answers cross the\n"
            "         network in clear text. Use --ssl-cert/--ssl-key or an HTTPS reverse proxy.",
            file=sys.stderr,
        )
    from .accounts import learner_passwords_enabled as learner_passwords

    per_learner = learner_passwords(classroom.Layout(args.hub_dir).state)
    password = (
        "" if per_learner else ask_password()
    )  # no workshop password when each learner has one
    if not per_learner and len(password) < MIN_USER_PASSWORD:
        raise SystemExit(f"The workshop password needs at least {MIN_USER_PASSWORD} characters.")
    given = os.environ.get("FLUOROHIP_HUB_ADMIN_PASSWORD")
    generated = not given
    admin_password = given or secrets.token_urlsafe(32)
    if len(admin_password) < MIN_ADMIN_PASSWORD:
        raise SystemExit(
            f"FLUOROHIP_HUB_ADMIN_PASSWORD needs at least {MIN_ADMIN_PASSWORD} characters."
        )
    classroom.Layout(args.hub_dir).create()
    scheme = "https" if args.ssl_cert else "http"
    host = "127.0.0.1" if not public else (args.ip or "<this machine's address>")
    url = f"{scheme}://{host}:{args.port}"
    print(f"fluorohip workshop hub: {url}/  (hub folder {args.hub_dir.resolve()})")
    print(
        f"  instructor login: {args.admin}"
        + (f" / {admin_password}   (generated; shown only now)" if generated else "")
    )
    if per_learner:
        print("  learners: their own name + the password issued to them (--issue-passwords)")
    else:
        print(
            "  learners: any lower-case username + the workshop password"
            + (f" (roster {args.roster})" if args.roster else "")
            + "\n  SHARED-PASSWORD MODE: anyone with the password can log in under any name, including "
            "another learner's; use --issue-passwords ROSTER for one password per learner"
        )
    print(f"  class submissions (live): {classroom.Layout(args.hub_dir).submissions}")
    print(f"  course-update link: {classroom.gitpuller_link(url, args.course_repo)}")
    print("  stop with Ctrl+C; learners' homes and answers stay in the hub folder.", flush=True)
    env = hub_environment(args, password, admin_password)
    state = classroom.Layout(args.hub_dir).state
    # The hub runs in its own session and is stopped with SIGTERM: a terminal Ctrl+C (SIGINT to the
    # whole group) left JupyterHub 6.1 hanging in "Cleaning up 1 services..." here, SIGTERM does not.
    proc = subprocess.Popen(hub_command(args), env=env, cwd=state, start_new_session=True)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        return proc.wait()
    except KeyboardInterrupt:
        print(
            "\nStopping the hub (learners' homes and answers stay in the hub folder)...",
            file=sys.stderr,
        )
        return stop_hub(proc)


def stop_hub(proc: subprocess.Popen, timeout: float = 30.0) -> int:
    """SIGTERM, wait up to ``timeout`` s, then SIGKILL the hub's process group."""
    if proc.poll() is None:
        children = _children(proc.pid)  # proxy and idle culler run in their own sessions
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            print(
                "The hub did not stop within 30 s; killing it and its proxy and services.",
                file=sys.stderr,
            )
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
            for pid in children:
                try:
                    os.kill(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
    return 130


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            out += [int(x) for x in (task / "children").read_text().split()]
    except OSError:
        pass
    return out


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
