"""Chapter 07, beyond the therapeutic injection: arthrography for MR and CT, aspirating a painful
hip replacement, ultrasound guidance and other approaches, the room when it goes wrong, the
procedure report, children, and the patient's questions.

``model`` is pure (numbers with their citation keys, scores, the report template); ``figures``
draws with matplotlib; ``views`` shows them (and ipywidgets) in the notebook.
"""
