"""Plain value classes: shown, compared and copied by their fields, without `dataclasses`.

`dataclasses` imports `inspect` (and with it `ast` and `dis`) and writes each class's methods
with `exec`; on the path of one action that was a tenth of a cold start. These classes keep what
callers used of those dataclasses: keyword construction, repr, equality, `replace()`, and
frozen ones that refuse assignment (and hash by their fields).
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

V = TypeVar("V", bound="Value")


class Value:
    """Fields named by `_fields`; those in `_hidden` are left out of the repr."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _hidden: ClassVar[frozenset[str]] = frozenset()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __repr__(self) -> str:
        shown = (f"{n}={getattr(self, n)!r}" for n in self._fields if n not in self._hidden)
        return f"{type(self).__qualname__}({', '.join(shown)})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Value)
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # mutable: unhashable, as a dataclass was

    def replace(self: V, **changes: Any) -> V:
        """A copy with `changes` made (the old `dataclasses.replace`)."""
        return type(self)(**{**dict(zip(self._fields, self._values(), strict=True)), **changes})


class FrozenValue(Value):
    """A Value whose fields cannot be assigned after construction."""

    __slots__ = ()

    def _init(self, **values: Any) -> None:
        """Set the fields once, from __init__."""
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of a frozen {type(self).__name__}")

    def __hash__(self) -> int:  # type: ignore[override]  # frozen: hashable by its fields
        return hash(self._values())
