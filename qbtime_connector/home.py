"""Where the connector keeps files of its own in the user's home: the designer's flows."""

from __future__ import annotations

from pathlib import Path

# Here, not in designer/: `qbtime-connector designer --help` names it without werkzeug.
DESIGNER_DATA_DIR = Path.home() / ".qbtime-connector" / "designer"
