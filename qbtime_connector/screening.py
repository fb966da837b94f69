"""Refuses values no input can carry (NaN, lone surrogates, NUL, deep nesting…) before the schema.

JSON has no NaN or infinity, UTF-8 has no lone surrogates, and the API stores no NUL: such a
value would crash the request (ValueError, UnicodeEncodeError) or be stored mangled, so it is
an input error. Nesting and size are bounded so a hostile value is refused in time linear in
what is read before the limit is hit, never by recursion.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

MAX_DEPTH = 32  # objects/lists nested deeper than this are refused (record bodies are shallow)
MAX_NODES = 200_000  # values in one input, all levels together
MAX_IDS = 1000  # IDs in one ID list (Delete Timesheet sends them 50 per request)
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
_JSON_TYPES = (str, int, float, type(None), Mapping, list, tuple)


def problem(value: Any) -> str | None:
    """What makes a value unusable as an input, in a builder's words; None if nothing."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    nodes = 0
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            return f"is too large (more than {MAX_NODES:,} values)"
        found = _scalar_problem(item)
        if found:
            return found
        if isinstance(item, Mapping | list | tuple):
            if depth >= MAX_DEPTH:
                return f"is nested more than {MAX_DEPTH} levels deep"
            if isinstance(item, Mapping):
                for key in item:
                    if not isinstance(key, str):
                        return f"has a key that is not text ({type(key).__name__} {key!r:.40})"
                    if _BAD_TEXT.search(key):
                        return "has a key with a NUL or an unpaired surrogate character"
                stack.extend((v, depth + 1) for v in item.values())
            else:
                stack.extend((v, depth + 1) for v in item)
    return None


def _scalar_problem(item: Any) -> str | None:
    if isinstance(item, float) and not math.isfinite(item):
        return f"must be a finite number; got {item!r}"
    if isinstance(item, str) and _BAD_TEXT.search(item):
        return "contains a NUL or an unpaired surrogate character, which text cannot carry"
    if not isinstance(item, _JSON_TYPES):
        return (
            "must be JSON data (text, a number, true/false, a list or an object); "
            f"got a {type(item).__name__}"
        )
    return None


def too_many_ids(value: Any) -> str | None:
    """A quick refusal of an ID list past MAX_IDS, before anything reads its items."""
    if isinstance(value, list | tuple) and len(value) > MAX_IDS:
        return f"may hold at most {MAX_IDS} IDs; got {len(value):,}"
    if isinstance(value, str) and value.count(",") >= MAX_IDS:
        return f"may hold at most {MAX_IDS} IDs; got {value.count(',') + 1:,}"
    return None
