"""One place that imports jsonschema for the banks' and cases' JSON Schemas.

Why a module of its own: jsonschema's optional format checkers import ``rfc3987_syntax``,
which builds a parser grammar at import time (about 16 MB and 0.65 s in every notebook
kernel, measured by ``make bench``). Our schemas use no ``format`` keywords, so we mark
that optional module as unavailable before jsonschema looks for it; jsonschema then
simply skips the IRI format checks it would never run for us.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from jsonschema import Draft202012Validator  # noqa: E402
from jsonschema.exceptions import ValidationError  # noqa: E402

__all__ = ["Draft202012Validator", "ValidationError"]
