"""The package's version, read from its installed metadata (pyproject.toml writes it once)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "qbtime-connector"

try:
    VERSION = version(DISTRIBUTION)
except PackageNotFoundError:  # a bare checkout on sys.path, never installed
    VERSION = "0+unknown"
