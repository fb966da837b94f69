"""`python -m qbtime_connector`: the same command line as the `qbtime-connector` script."""

import sys

from .cli import main

sys.exit(main())
