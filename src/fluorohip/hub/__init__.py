"""The workshop JupyterHub: per-learner homes, the live submissions folder, the launcher and the load test.

- :mod:`.workshop` — what the hub's spawner does for each learner (home with the course, progress
  store inside it, a link in the submissions folder) and the environment it gives them;
- :mod:`.launch` — ``make hub``: asks for the workshop password and starts JupyterHub;
- :mod:`.report` — the instructor's live class report over the submissions folder;
- :mod:`.loadtest` — ``make hub-loadtest``: N simulated learners through the Hub REST API and the
  kernel websocket protocol.

Nothing here is imported by the course notebooks; ``jupyterhub`` is needed only by the launcher
and the load test (``pip install -e '.[hub]'``).
"""
