"""Build hook: generate the input checks (qbtime_connector/schema_checks/) into every wheel.

They are fastjsonschema's code for each input schema, made from the manifest at build time (and
on an editable install), so the repository holds their source once: the manifest.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class SchemaChecksHook(BuildHookInterface):  # type: ignore[type-arg]
    """Runs `python -m qbtime_connector.schema_checks` in the project folder before the build."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Write the generated checks next to the package's code, where the wheel picks them up."""
        command = [sys.executable, "-m", "qbtime_connector.schema_checks"]
        subprocess.run(command, cwd=self.root, check=True, stdout=subprocess.DEVNULL)
