"""The reference designer: build a flow from the manifest, connect customers, run it locally.

Needs the `designer` extra. `qbtime-connector designer [--port N]` serves it on 127.0.0.1.
"""

from .server import DesignerApp, Settings
from .serving import Designer

__all__ = ["Designer", "DesignerApp", "Settings"]
