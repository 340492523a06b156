"""fluorohip: the package behind the fluoroscopy-guided hip injection course.

The notebooks stay narrative; everything they compute or draw lives here so it can be
unit-tested. Data flows one way: assets (YAML) -> models (pure Python) -> views
(ipywidgets, matplotlib) -> notebook cells.
"""

__version__ = "0.1.0"

# In a notebook kernel, every matplotlib figure is shown as <figure><img alt><figcaption> (see
# fluorohip.ui.figures): JupyterLab's own PNG renderer writes no alt text. Outside IPython: nothing.
import sys as _sys

if "IPython" in _sys.modules:
    try:
        from .ui.figures import register as _register_figures

        _register_figures()
    except Exception:  # never let display set-up stop the course from importing
        pass
