"""fluorohip: the package behind the fluoroscopy-guided hip injection course.

The notebooks stay narrative; everything they compute or draw lives here so it can be
unit-tested. Data flows one way: assets (YAML) -> models (pure Python) -> views
(ipywidgets, matplotlib) -> notebook cells.
"""

__version__ = "0.1.0"
