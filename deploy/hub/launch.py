#!/usr/bin/env python3
"""Start the fluorohip workshop hub (what `make hub` runs): see deploy/hub/README.md.

Run it with the project's virtual environment, e.g. `.venv/bin/python deploy/hub/launch.py --help`.
"""

import sys

from fluorohip.hub.launch import main

sys.exit(main())
