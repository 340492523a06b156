"""``python -m fluorohip.cli``: the ``fluorohip`` command."""

import sys

from . import main

sys.exit(main())
