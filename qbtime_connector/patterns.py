"""Custom-field patterns from the customer's account, checked in linear time with RE2.

The patterns are the account's, written for the API's engine (PCRE: `(?<name>...)`, `\\p{Lu}`),
and Python's `re` reads some of them not at all (a raw re.error) and runs others, like
`^(a+)+$`, for longer than any caller waits, holding the interpreter. RE2 (google-re2) reads
both forms and matches in time linear in the value; what it cannot read (backreferences,
lookaround) is not checked here: the API still checks it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> Any:
    import re2  # only when a value is checked: a plain call never loads it

    options = re2.Options()
    options.log_errors = False  # an unreadable pattern is an answer (None), not a stderr line
    try:
        return re2.compile(pattern, options)
    except re2.error:
        return None


def readable(pattern: str) -> bool:
    """Whether the pattern can be checked here (RE2 reads it)."""
    return _compiled(pattern) is not None


def matches(pattern: str, value: str) -> bool | None:
    """Whether `value` contains a match of `pattern` (as re.search), or None if unreadable."""
    compiled = _compiled(pattern)
    return None if compiled is None else compiled.search(value) is not None
