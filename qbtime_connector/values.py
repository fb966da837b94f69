"""Plain value classes: shown, compared and copied by their fields, without `dataclasses`.

`dataclasses` imports `inspect` (and with it `ast` and `dis`) and writes each class's methods
with `exec`; on the path of one action that was a tenth of a cold start. These classes keep what
callers used of those dataclasses: keyword construction, repr, equality, `replace()`, and
frozen ones that refuse assignment (and hash by their fields). `Declared` and `FrozenDeclared`
take their fields from annotated class attributes, as a dataclass does, so each field is
written once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

if TYPE_CHECKING:  # only for type checkers: at run time the decorator does nothing
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: Any) -> Callable[[type], type]:
        return lambda cls: cls


V = TypeVar("V", bound="Value")
T = TypeVar("T")


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


class _Fresh:
    """A default made anew for each value, so that no two values share one list or dict."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def field(*, default_factory: Callable[[], T]) -> T:
    """A field's default that is `default_factory()`, called for each new value."""
    return cast(T, _Fresh(default_factory))


class _Declaring(Value):
    """Fields from the class's annotations (ClassVars aside), defaults from its attributes."""

    __slots__ = ()
    _defaults: ClassVar[dict[str, Any]] = {}
    _known: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = [
            name
            for name, kind in vars(cls).get("__annotations__", {}).items()
            if not str(kind).startswith(("ClassVar", "typing.ClassVar"))
        ]
        cls._fields = (*cls._fields, *own)
        cls._known = frozenset(cls._fields)
        cls._defaults = {**cls._defaults, **{n: vars(cls)[n] for n in own if n in vars(cls)}}

    def __init__(self, *args: Any, **values: Any) -> None:
        # Values are made on every call (a Call per invoke): the usual case costs one loop.
        if args:
            if len(args) > len(self._fields):
                raise TypeError(f"{type(self).__name__} takes at most {len(self._fields)} fields")
            for name, value in zip(self._fields, args, strict=False):
                if name in values:
                    raise TypeError(f"{type(self).__name__} got its field {name!r} twice")
                values[name] = value
        if len(values) != len(self._fields) or not self._known.issuperset(values):
            self._complete(values)
        self.__dict__.update(values)  # past a frozen class's __setattr__, as construction must

    def _complete(self, values: dict[str, Any]) -> None:
        """Refuse fields the class does not have; fill in the defaults of those not given."""
        unknown = sorted(set(values) - self._known)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {', '.join(unknown)}")
        for name in self._fields:
            if name in values:
                continue
            if name not in self._defaults:
                raise TypeError(f"{type(self).__name__} needs its field {name!r}")
            default = self._defaults[name]
            values[name] = default.make() if isinstance(default, _Fresh) else default


@dataclass_transform(field_specifiers=(field,))
class Declared(_Declaring):
    """A Value whose fields are its annotated class attributes (a value beside one: its default),
    given by position in that order or by keyword."""

    __slots__ = ()


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
class FrozenDeclared(_Declaring, FrozenValue):
    """A Declared value whose fields cannot be assigned after construction."""

    __slots__ = ()
