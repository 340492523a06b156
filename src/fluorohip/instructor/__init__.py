"""The instructor toolkit: class report, answer key, agendas, static site and slides.

Pure parts (:mod:`.merge`, :mod:`.item_analysis`, :mod:`.agenda`) never import ipywidgets;
:mod:`.report` and :mod:`.answer_key` write self-contained HTML (no JavaScript, no network).
"""
