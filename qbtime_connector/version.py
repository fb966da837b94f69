"""The package's version, read from its installed metadata (pyproject.toml writes it once)."""

from __future__ import annotations

from functools import cache

DISTRIBUTION = "qbtime-connector"


@cache
def package_version() -> str:
    """The installed version; read on first use, since the metadata scan costs a cold start."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # a bare checkout on sys.path, never installed
        return "0+unknown"


def __getattr__(name: str) -> str:
    # VERSION stays importable by its old name, read only when someone asks for it.
    if name == "VERSION":
        return package_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
