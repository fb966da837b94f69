"""`python -m qbtime_connector.schema_checks [--check]`: write (or check) the generated checks."""

import sys

from ..check_generation import main

sys.exit(main())
