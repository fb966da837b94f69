"""What the manifest declares, as typed values: an input, an entry, and the Call made from them.

Each field is written once, as an annotated attribute; construction, repr, equality and reading
from manifest.json follow from it. schemas/manifest.meta.json documents the same fields for
designers (a test keeps the two alike).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any, TypeVar

from .values import Declared, FrozenDeclared, field

QUERY_METHODS = frozenset({"GET", "DELETE"})
S = TypeVar("S", bound="FrozenDeclared")


def sends_query(method: str) -> bool:
    """Whether a request of this method carries its parameters in the query string (else the
    body): reads and deletes do."""
    return method in QUERY_METHODS


def is_given(value: Any) -> bool:
    """The contract's rule: absent, None and "" (also blank text) mean "not given"."""
    return value is not None and not (isinstance(value, str) and not value.strip())


def is_sent(value: Any) -> bool:
    """Whether a value is sent at all: given, and not an empty list (empty values never are)."""
    return is_given(value) and value != []


def query_value(value: Any) -> str:
    """A value as the query string carries it: lists comma-joined, booleans true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(query_value(v) for v in value)
    return str(value)


def _from_raw(cls: type[S], raw: Mapping[str, Any], **built: Any) -> S:
    """A spec from its manifest.json object: JSON lists made tuples where the field is one."""
    sequences = {n for n, kind in cls.__annotations__.items() if str(kind).startswith("tuple[")}
    fields = {k: tuple(v) if k in sequences else v for k, v in raw.items()}
    return cls(**{**fields, **built})


class InputSpec(FrozenDeclared):
    """One row of an entry's input table (`$defs/input` of the meta-schema)."""

    key: str
    label: str
    type: str
    required: bool = False
    default: Any = None
    comments: str = ""
    param: str | None = None
    secret: bool = False
    choices: tuple[dict[str, Any], ...] = ()
    options: dict[str, Any] | None = None
    schema: dict[str, Any] | None = None
    placeholder: str | None = None
    example: Any = None
    group: str | None = None
    advanced: bool = False
    visible_when: dict[str, Any] | None = None

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> InputSpec:
        """The input as manifest.json writes it."""
        return _from_raw(cls, raw)

    @property
    def allowed(self) -> tuple[str, ...]:
        """The values the input's choices allow (none: any value its schema accepts)."""
        return tuple(str(c["value"]) for c in self.choices)


class ActionSpec(FrozenDeclared):
    """One action, pick list or trigger (`$defs/entry` of the meta-schema)."""

    key: str
    label: str
    description: str
    method: str
    endpoint: str
    function: str
    inputs: tuple[InputSpec, ...]
    fixed: dict[str, Any] = field(default_factory=dict)
    rules: tuple[dict[str, Any], ...] = ()
    record_action: str | None = None
    retired_inputs: dict[str, str] = field(default_factory=dict)
    example: dict[str, Any] = field(default_factory=dict)
    output: dict[str, Any] = field(default_factory=dict)
    destructive: bool = False
    category: str | None = None  # an action's palette group (one of the manifest's categories)
    sample: str | None = None  # a trigger's sample function, "module:attribute"

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> ActionSpec:
        """The entry as manifest.json writes it."""
        return _from_raw(cls, raw, inputs=tuple(InputSpec.from_raw(i) for i in raw["inputs"]))

    @property
    def schema(self) -> str:
        """The name load_schema() knows this entry's input schema by."""
        return f"{self.key}.json"

    @property
    def sends_query(self) -> bool:
        """Whether extra parameters go in the query string (else in the record body)."""
        return sends_query(self.method)

    @cached_property
    def value_inputs(self) -> tuple[InputSpec, ...]:
        """The inputs a caller passes in `inputs` (all but the connection)."""
        return tuple(i for i in self.inputs if i.type != "connection")

    @cached_property
    def by_key(self) -> dict[str, InputSpec]:
        """The value inputs by key, in input-table order."""
        return {i.key: i for i in self.value_inputs}

    @property
    def required_one_of(self) -> tuple[tuple[str, ...], ...]:
        """The groups of inputs of which one must be given (from `one_of_required` rules)."""
        return tuple(tuple(r["one_of_required"]) for r in self.rules if "one_of_required" in r)

    def input(self, key: str) -> InputSpec:
        """The input with this key."""
        return next(i for i in self.inputs if i.key == key)


class Call(Declared):
    """An entry's inputs made ready to send: the query (reads, deletes) or the record body
    (creates, updates), plus options for the action itself."""

    method: str
    endpoint: str
    query: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def sends_query(self) -> bool:
        """Whether the API parameters travel in the query string (else in the body)."""
        return sends_query(self.method)
