"""Chapter 06, interpreting a diagnostic injection: relief and thresholds, anaesthetic windows,
the pain diary, diagnostic accuracy and Bayes, and the evidence behind the anaesthetic response.

Pure models (``facts``, ``relief``, ``windows``, ``diary``, ``diagnostic``, ``evidence``, gathered
in ``model``) import no widgets; ``figures`` draws with matplotlib and ``views`` wires the
ipywidgets of notebook 06.
"""
