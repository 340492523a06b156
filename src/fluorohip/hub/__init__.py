"""The workshop JupyterHub: per-learner homes, the live submissions folder and the launcher.

- :mod:`.classroom` — what the hub's spawner does for each learner (home with the course, progress
  store inside it, a link in the submissions folder) and the environment it gives them;
- :mod:`.launch` — ``make hub``: asks for the workshop password and starts JupyterHub;
- :mod:`.live_report` — the instructor's live class report over the submissions folder;
- :mod:`.accounts`, :mod:`.auth` — a password and a Unix identity per learner.

The load test (``make hub-loadtest``) is a tool, not part of the course: ``tools/hub_loadtest``.

Nothing here is imported by the course notebooks; ``jupyterhub`` is needed only by the launcher
(``pip install -e '.[hub]'``).
"""
