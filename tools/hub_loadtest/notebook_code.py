"""The notebook code each simulated learner's kernel runs: package calls only, as in the
course notebooks, so the load is what a real class puts on the hub."""

from __future__ import annotations

FRAMES = 5  # fluoroscope frame cells per learner

SETUP = """\
import os, json, io
from fluorohip.fluoro import Scene, CArm, render, FluoroSession
from fluorohip.chapters.procedure.model import GuidedRun, scripted_hit
from fluorohip.quiz.views import show_quiz
from fluorohip.quiz.grading import correct_response
from fluorohip.quiz.model import CaseQuestion
print(json.dumps({"kernel_pid": os.getpid(), "server_pid": os.getppid(),
                  "home": os.environ["FLUOROHIP_HOME"], "learner": os.environ["FLUOROHIP_LEARNER"]}))
"""

EXERCISE = """\
run = GuidedRun(pixels=256, seed={seed})
result = scripted_hit(run)
print(json.dumps({{"success": result["success"], "images": result["images"]}}))
"""

FRAME = """\
from PIL import Image as _PIL
from IPython.display import Image, display
frame = render(Scene(), CArm(pixels=256), seed={seed})
session = FluoroSession(scene=Scene(), carm=CArm(pixels=256), seed={seed})
live = session.pedal()
_buf = io.BytesIO(); _PIL.fromarray(live.image).save(_buf, "JPEG", quality=85)
display(Image(data=_buf.getvalue(), format="jpeg"))
print(frame.image.shape, session.ledger.presses)
"""

QUIZ_OPEN = """\
quiz = show_quiz({bank!r})
views = []
for v in quiz.views:
    views.extend(v.stage_views if hasattr(v, "stage_views") else [v])
def answer(i, right=True):
    v = views[i]
    if v.grade is not None:
        v.try_again()
    response = correct_response(v.q)
    if not right and isinstance(response, str):
        others = [o.id for o in getattr(v.q, "options", []) if o.id != response]
        response = others[0] if others else response
    v.controls.set_response(response)
    g = v.check()                      # the Check button's own path: grade, then ProgressStore.record
    note = v._saved_note
    if note is None and g.counts:      # acknowledged: on disk before check() returned
        a = quiz.store.attempts()[-1]
        print("ACK", a.attempt_id, a.question_id, flush=True)
    else:
        print("NOTSAVED", v.q.key, note, flush=True)
print(len(views))
"""

QUIZ_ANSWER = "answer({i}, right={right})\n"

# answering in a loop, for the kill test (the server and kernel are killed in the middle)
QUIZ_LOOP = """\
import time
for _round in range(200):
    for _i in range(len(views)):
        answer(_i)
        time.sleep(0.02)
"""


# ---------------------------------------------------------------------------------------------
# HTTP helpers (requests is a JupyterHub dependency)
