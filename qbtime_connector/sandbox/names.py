"""Name filters as the API applies them: case-insensitive, with `*` as the only wild card."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def _pattern(text: str) -> re.Pattern[str]:
    # Only `*` is special to the API: every other character (?, [, .) matches itself.
    parts = (re.escape(part) for part in text.split("*"))
    return re.compile(".*".join(parts), re.IGNORECASE | re.DOTALL)


def name_matches(pattern: str | None, value: str) -> bool:
    """Whether `value` matches a name filter (an absent or empty filter matches everything)."""
    if not pattern:
        return True
    return _pattern(pattern).fullmatch(value) is not None
