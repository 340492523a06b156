"""Chapter 05, the procedure: equipment by habitus, approaches and steps, reading test contrast,
the procedure record, aftercare, and a headless guided run in the virtual fluoroscope.

Pure models (``facts``, ``equipment``, ``technique``, ``record``, ``aftercare``, ``guided_run``,
gathered in ``model``) import no widgets; ``figures`` draws with matplotlib and ``views`` shows
tables and widgets in notebook 05.
"""
