"""``make hub-loadtest``: a class of simulated learners on a real workshop hub, no browser.

    python -m tools.hub_loadtest [-n 20] [--out benchmarks/hub.json] [--kill-one] [--restart-hub]

Starts the hub of ``deploy/hub`` (throw-away hub folder, random passwords, an admin service
token) on 127.0.0.1, then for every learner, concurrently: logs in with the workshop password
through the login form, has the server started through the Hub REST API, starts a kernel and
runs, over the kernel websocket (Jupyter messaging protocol), the procedure notebook's
fluoroscope exercise (``GuidedRun`` from :mod:`fluorohip.chapters.procedure.model`, then fluoroscope frames)
and answers the chapter quiz through the quiz widgets' own Check path (grading and
``ProgressStore.record``). Each acknowledged answer is remembered by its attempt id; at the end
every learner's store and the class report (``fluorohip class-report`` over the hub's
submissions folder) must hold all of them.

Also checks: a wrong password gets no session; one learner's session cannot reach another
learner's server; optionally (``--kill-one``) SIGKILL of one learner's server and kernel in the
middle of answering loses no acknowledged answer, and (``--restart-hub``) a hub restart keeps
every store and running server. Every wait is bounded.
"""

from __future__ import annotations

from .hub_process import Hub, proc_status
from .kernel_client import KernelClient
from .run import percentile, run, stats, summary

__all__ = ["Hub", "KernelClient", "percentile", "proc_status", "run", "stats", "summary"]
