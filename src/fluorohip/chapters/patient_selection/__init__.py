"""Chapter 04, patient selection: who should have a fluoroscopic hip injection, and how to
consent them.

One module per job, all pure except the last two:

- :mod:`.facts`: every clinical number, typed once with unit, range and source;
- :mod:`.record` (a synthetic patient's findings) and :mod:`.decision` (the five decisions);
- :mod:`.rules`: the pre-procedure checklist that turns a record into a decision with reasons
  (:mod:`.findings`: what it reports);
- :mod:`.differential`, :mod:`.risks`, :mod:`.consent`, :mod:`.triage`: the differential table,
  consent risks in plain words, the consent conversation and the triage exercise;
- :mod:`.data`: reading and checking the files an instructor edits (``assets/selection/`` and
  the synthetic diaries), with :func:`~.data.check_selection_files` and
  :func:`~.data.check_diary_files` for ``fluorohip validate``;
- :mod:`.figures` (matplotlib) and :mod:`.views` (ipywidgets) for notebook 04.

Teaching model, not a protocol.
"""
