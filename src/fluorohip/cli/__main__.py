"""``python -m fluorohip.cli``: the ``fluorohip`` command."""

import sys

from . import main

if __name__ == "__main__":  # importing this module (e.g. a test of every module) runs nothing
    sys.exit(main())
