"""FileTokenStore: a token in an owner-only JSON file, taken in turns through a lock file."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import ConnectorError
from ..pacing import admit
from .store import Token


def write_private(path: Path, data: Mapping[str, Any]) -> None:
    """Write JSON readable by the owner only, atomically and durably (a crash keeps the old)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def read_json(path: Path) -> dict[str, Any]:
    """The JSON object in a file ({} when the file does not exist)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ConnectorError(f"Cannot read {path}: {type(exc).__name__}.") from None
    if not isinstance(data, dict):
        raise ConnectorError(f"Cannot read {path}: it does not hold a JSON object.")
    return data


class FileTokenStore:
    """One instance's token in a JSON file's "token" member (other members are kept).

    So a CLI connection file is a FileTokenStore. Processes on one machine take turns through
    `PATH.lock` (the filelock library); the file is replaced atomically, mode 0600.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        from filelock import FileLock

        self.path = Path(path)
        self._lock = FileLock(f"{self.path}.lock", mode=0o600)
        self._calls_lock = FileLock(f"{self.path}.calls.lock", mode=0o600)
        self._calls_path = Path(f"{self.path}.calls")
        self._threads = threading.RLock()

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"

    def load(self) -> Token | None:
        """The stored token, or None when there is none."""
        token = read_json(self.path).get("token")
        return dict(token) if isinstance(token, dict) and token else None

    def save(self, token: Mapping[str, Any]) -> None:
        """Replace the file's token, keeping its other members; durable on return."""
        with self._threads:
            write_private(self.path, {**read_json(self.path), "token": dict(token)})

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive across threads and processes on this machine."""
        with self._threads, self._lock:
            yield

    def admit(self, calls: int, window: float, now: float) -> float:
        """0.0 when one more call fits (and it is counted), else the seconds to wait first."""
        with self._threads, self._calls_lock:
            try:
                sent = json.loads(self._calls_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                sent = []
            kept, wait = admit(sent, calls, window, now)
            if not wait:
                temporary = self._calls_path.with_name(f".{self._calls_path.name}.tmp")
                temporary.write_text(json.dumps(kept), encoding="utf-8")
                os.replace(temporary, self._calls_path)
            return wait
