"""The course as data, above the engines (quiz, cases, progress): the course map (the one registry
of notebooks, banks and chapter packages), the catalog of banks, cross-chapter review, the
completion summary and ``fluorohip validate`` over every content file an instructor may edit.

Nothing below this package (quiz, cases, progress, core) imports it; that is what keeps the
import graph free of cycles (``tests/content/test_import_graph.py``).
"""
