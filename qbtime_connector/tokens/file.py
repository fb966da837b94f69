"""FileTokenStore: a token in an owner-only JSON file, taken in turns through a lock file."""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

from ..errors import ConnectorError
from ..pacing import admit
from ..processes import PerProcess
from .clocks import StoreClock, file_system_time
from .lockfiles import LockFile
from .store import StoreBase, Token, stored_token


def write_private(path: Path, data: Mapping[str, Any]) -> None:
    """Write JSON readable by the owner only, atomically and durably (a crash keeps the old).

    A symbolic link is written through: its target gets the new contents, the link stays.
    """
    path = Path(os.path.realpath(path))
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


def parse_json(path: Path) -> Any:
    """The JSON value in a file (None when the file does not exist); OSError or ValueError."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def read_json(path: Path) -> dict[str, Any]:
    """The JSON object in a file ({} when the file does not exist)."""
    try:
        data = parse_json(path)
    except (OSError, ValueError) as exc:
        raise ConnectorError(f"Cannot read {path}: {type(exc).__name__}.") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConnectorError(f"Cannot read {path}: it does not hold a JSON object.")
    return data


class FileTokenStore(StoreBase):
    """One instance's token in a JSON file's "token" member (other members are kept).

    So a CLI connection file is a FileTokenStore. Processes on one machine take turns through
    `PATH.lock` (the filelock library); the file is replaced atomically, mode 0600, through a
    symbolic link to its target. Its clock is the file system's.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.name = str(self.path)
        target = os.path.realpath(self.path)
        self._calls_path = Path(f"{target}.calls")
        self._lock = LockFile(f"{target}.lock")
        self._calls_lock = LockFile(f"{target}.calls.lock")
        self._clock = PerProcess(lambda: StoreClock(lambda: file_system_time(self._folder())))

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"

    def _folder(self) -> str:
        return os.path.dirname(os.path.realpath(self.path)) or "."

    def _read(self) -> dict[str, Any]:
        with self.reporting("read the file", OSError):
            try:
                data = parse_json(self.path)
            except ValueError:
                raise self.failure("the file is not JSON; fix or delete it") from None
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise self.failure("the file does not hold a JSON object; fix or delete it")
        return data

    def key(self) -> Hashable:
        """Every FileTokenStore of one file (through any link to it) has the same key."""
        return ("file", os.path.realpath(self.path))

    def clock(self) -> float:
        """The time as the file system stamps files (the same for every process using it)."""
        return self._clock.get()()

    def load(self) -> Token | None:
        """The stored token, or None when there is none."""
        token = self._read().get("token")
        return dict(stored_token(token, self)) if token not in (None, {}) else None

    def save(self, token: Mapping[str, Any]) -> None:
        """Replace the file's token, keeping its other members; durable on return."""
        with self._lock.threads.get(), self.reporting("write the file", OSError):
            write_private(self.path, {**self._read(), "token": dict(token)})

    def lock(self) -> contextlib.AbstractContextManager[None]:
        """Exclusive across threads and processes on this machine."""
        return self._lock.held(self)

    def admit(self, calls: int, window: float, now: float) -> float:
        """0.0 when one more call fits (and it is counted), else the seconds to wait first."""
        now += self._clock.get().offset()
        with self._calls_lock.held(self), self.reporting("count the call", OSError):
            sent, corrupt = self._sent()
            live = [t for t in sent if now - window < t <= now + window]
            kept, wait = admit(live, calls, window, now)
            if corrupt or not wait:
                temporary = self._calls_path.with_name(f".{self._calls_path.name}.tmp")
                temporary.write_text(json.dumps([] if corrupt else kept), encoding="utf-8")
                os.replace(temporary, self._calls_path)
        if corrupt:
            raise self.failure(
                f"its call budget ({self._calls_path.name}) is not a list of times; it was reset"
            )
        return wait

    def _sent(self) -> tuple[list[float], bool]:
        """The times in the budget file, and whether it held anything else."""
        try:
            sent = parse_json(self._calls_path)
        except ValueError:
            return [], True
        if sent is None:
            return [], False
        ok = isinstance(sent, list) and all(
            isinstance(t, int | float) and not isinstance(t, bool) and math.isfinite(t)
            for t in sent
        )
        return (sent, False) if ok else ([], True)
