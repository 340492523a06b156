"""Moved to :mod:`fluorohip.progress.formats` (every progress format in one place); this old
name stays for one release (0.2)."""

from .formats import CSV_COLUMNS, attempts_to_csv, attempts_to_json, export_text
from .formats import EXPORT_TYPES as FORMATS

__all__ = ["CSV_COLUMNS", "FORMATS", "attempts_to_csv", "attempts_to_json", "export_text"]
