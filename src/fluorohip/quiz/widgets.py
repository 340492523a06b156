"""Moved: the views to :mod:`fluorohip.quiz.views`, each type's controls to
:mod:`fluorohip.quiz.types`. This old name stays for one release (0.2) as a re-export."""

from .order import shuffled
from .views import CaseView, QuestionView, QuizWidget, answer_controls, save_grade, show_quiz

#: The old class name: now each question type builds its own controls.
AnswerControls = answer_controls

__all__ = [
    "AnswerControls",
    "CaseView",
    "QuestionView",
    "QuizWidget",
    "save_grade",
    "show_quiz",
    "shuffled",
]
